"""An editor uploads the municipality's own figures: a file with an error, then a good one."""

import pytest
from playwright.sync_api import Page, expect

from lagspill.indicators.upload import this_year
from tests.builders import World

from .axe import describe, violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/kommune/1870/levekar/last-opp/"
YEAR = this_year() - 1
HEADER = "indikator;kommunenummer;år;verdi;teller;nevner"


def csv_file(name: str, *rows: str) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": "\r\n".join([HEADER, *rows]).encode()}


def accessible(page: Page) -> None:
    found = violations(page)
    assert not found, describe(found)
    assert not page.csp_violations  # type: ignore[attr-defined]


def test_an_editor_fixes_an_error_and_uploads(site: World, page: Page, live_server: object) -> None:
    log_in(page, "editor@example.org")
    page.goto(URL)
    accessible(page)  # in bokmål, the default
    page.context.add_cookies([{"name": "lagspill_language", "value": "en", "url": live_server.url}])
    page.goto(URL)
    expect(page.get_by_role("link", name="Download the template (CSV)")).to_be_visible()

    bad = csv_file("feil.csv", f"waiting_list_adapted_housing;1870;{YEAR};12;;", f"crowded_share;1841;{YEAR};-4;;")
    page.get_by_label("CSV file").set_input_files(bad)
    page.get_by_role("button", name="Upload and check").click()
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The file has 2 errors. Nothing was stored.")
    errors = page.locator("#upload-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.first).to_contain_text("kommunenummer")
    expect(errors.last).to_contain_text("cannot be negative")
    expect(page.get_by_label("CSV file")).to_have_attribute("aria-invalid", "true")
    accessible(page)

    good = csv_file(
        "levekar.csv", f"waiting_list_adapted_housing;1870;{YEAR};12;;", f"crowded_share;1870;{YEAR};;25;200"
    )
    page.get_by_label("CSV file").set_input_files(good)
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("status")).to_contain_text("2 figures stored for Sortland")
    expect(page.locator(".ds-error-summary")).to_have_count(0)
    expect(page.get_by_role("table", name="Earlier uploads")).to_contain_text("levekar.csv")
    accessible(page)
