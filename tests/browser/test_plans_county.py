"""The County Governor's plan status page in a real browser: every municipality, no WCAG 2.1 A/AA
violations, no Content-Security-Policy breaks, and a screenshot to look at."""

import datetime
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lagspill.places.models import Municipality
from lagspill.plans.models import Level, Maturity, Plan, Status
from tests.builders import World

from .axe import describe, violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_county_governor_sees_every_municipality_accessibly(site: World, page: Page) -> None:
    sortland = Municipality.objects.get(number="1870")
    Plan.objects.create(
        municipality=sortland,
        level=Level.HOUSING,
        title="Boligpolitisk plan",
        status=Status.ADOPTED,
        adopted_on=datetime.date(2025, 2, 1),
    )
    Plan.objects.create(municipality=sortland, level=Level.ACTION, title="Handlingsdel", is_public=False)
    Maturity.objects.create(municipality=sortland, year=2024, score=31)
    Maturity.objects.create(municipality=sortland, year=2025, score=48)
    log_in(page, "sf@example.org")
    response = page.goto("/fylke/18/planstatus/")
    assert response is not None and response.status == 200
    expect(page.locator("#planstatus tbody tr")).to_have_count(41)
    expect(page.locator("figure.area-map svg a")).to_have_count(41)
    found = violations(page)
    assert not found, describe(found)
    assert not page.csp_violations  # type: ignore[attr-defined]
    page.screenshot(path=Path(tempfile.gettempdir()) / "county_planstatus.png", full_page=True)
    # The weights page, linked from the overview for the County Governor.
    link = page.locator('a[href="/fylke/18/planstatus/vekter/"]')
    expect(link).to_have_count(1)
    link.click()
    expect(page.locator("form textarea")).to_have_count(1)
    found = violations(page)
    assert not found, describe(found)
