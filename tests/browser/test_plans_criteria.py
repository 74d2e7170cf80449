"""The County Governor makes a new version of the criteria: a wrong weight first, then a good one."""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.builders import World

from .axe import describe, violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIST_URL = "/fylke/18/kriterier/"
FORM_URL = "/fylke/18/kriterier/ny/"
SCREENSHOT = Path(tempfile.gettempdir()) / "criteria_form.png"  # /tmp/criteria_form.png for a look


def accessible(page: Page) -> None:
    found = violations(page)
    assert not found, describe(found)
    assert not page.csp_violations  # type: ignore[attr-defined]


def test_the_county_governor_saves_a_new_version(site: World, page: Page, live_server: object) -> None:
    log_in(page, "sf@example.org")
    page.context.add_cookies([{"name": "lagspill_language", "value": "en", "url": live_server.url}])
    page.goto(LIST_URL)
    accessible(page)
    page.get_by_role("link", name="Make a new version").click()
    expect(page).to_have_url(f"{live_server.url}{FORM_URL}")
    accessible(page)

    weight = page.locator("#id_k-goals-weight")
    weight.fill("11")
    page.get_by_label("What changed").fill("The goals criterion weighs more in Nordland.")
    page.get_by_role("button", name="Save the new version").click()
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("2. Weight")
    expect(weight).to_have_attribute("aria-invalid", "true")
    accessible(page)
    page.locator("#k-goals").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOT)  # the criterion with the error, for a person to look at

    weight.fill("2,5")
    page.get_by_role("button", name="Save the new version").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("County Governor of Nordland")
    expect(page.locator(".facts").first).to_contain_text("Version")
    expect(page.locator("#goals")).to_contain_text("2.5")
    expect(page.get_by_text("The goals criterion weighs more in Nordland.")).to_be_visible()
    accessible(page)
    page.goto(LIST_URL)
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(2)  # the shipped default and Nordland's
