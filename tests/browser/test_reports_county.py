"""The county report's and the minutes' download links in a real browser: the county page, the plan status
page and the meeting page with the links pass axe and the Content-Security-Policy, and each link gives its
file. (What the files hold is checked in tests/test_reports_county.py and tests/test_minutes.py.)"""

import datetime

import pytest
from playwright.sync_api import Page, expect

from lagspill.arenas.models import Arena, Meeting
from lagspill.places.models import Municipality
from tests.builders import World

from .axe import describe, violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def accessible(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    found = violations(page)
    assert not found, f"{path}:\n{describe(found)}"
    assert not page.csp_violations, page.csp_violations  # type: ignore[attr-defined]


def follow(page: Page, href: str, content_type: str, start: bytes) -> None:
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == content_type
    assert response.body().startswith(start)


@pytest.mark.parametrize("language", ["en", "nb"])
def test_the_public_downloads_the_county_report_from_the_county_page(
    site: World, page: Page, live_server: object, language: str
) -> None:
    page.context.add_cookies([{"name": "lagspill_language", "value": language, "url": live_server.url}])
    accessible(page, "/fylke/18/")
    pdf = page.locator('a[href="/fylke/18/rapport.pdf"]')
    workbook = page.locator('a[href="/fylke/18/rapport.xlsx"]')
    expect(pdf).to_be_visible()
    if language == "en":
        expect(pdf).to_have_accessible_name("Download the county report (PDF)")
        expect(workbook).to_have_accessible_name("Download the figures (XLSX)")
    follow(page, pdf.get_attribute("href") or "", "application/pdf", b"%PDF-")
    follow(page, workbook.get_attribute("href") or "", XLSX, b"PK")


def test_the_county_governor_finds_the_report_on_the_plan_status_page(site: World, page: Page) -> None:
    log_in(page, "sf@example.org")
    accessible(page, "/fylke/18/planstatus/")
    expect(page.locator('a[href="/fylke/18/rapport.pdf"]')).to_be_visible()


def test_the_meeting_page_links_to_its_minutes(site: World, page: Page) -> None:
    arena = Arena.objects.create(
        municipality=Municipality.objects.get(number="1870"), name="Boligsosialt team", purpose="Samordning"
    )
    meeting = Meeting.objects.create(
        arena=arena, starts_at=datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC), agenda="Status"
    )
    log_in(page, "editor@example.org")
    accessible(page, meeting.get_absolute_url())
    link = page.locator(f'a[href="/arenaer/{arena.pk}/moter/{meeting.pk}/referat.pdf"]')
    expect(link).to_be_visible()
    follow(page, link.get_attribute("href") or "", "application/pdf", b"%PDF-")
