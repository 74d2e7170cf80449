"""The status report's download links on Sortland's page, in a real browser: the page with the links passes
axe and the Content-Security-Policy, and following the PDF link gives a PDF, to the public and to a
member of the municipality; the XLSX link gives a workbook. (What each reader's report holds is checked
in tests/test_reports_municipality.py.)"""

import pytest
from playwright.sync_api import Page, expect

from tests.builders import World

from .axe import describe, violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def accessible(page: Page) -> None:
    found = violations(page)
    assert not found, describe(found)
    assert not page.csp_violations  # type: ignore[attr-defined]


def download_links(page: Page, live_server: object, language: str) -> tuple[str, str]:
    """The hrefs of the two download links on Sortland's page (checked with axe first)."""
    page.context.add_cookies([{"name": "lagspill_language", "value": language, "url": live_server.url}])
    response = page.goto("/kommune/1870/")
    assert response is not None and response.status == 200
    pdf = page.locator('a[href="/kommune/1870/rapport.pdf"]')
    workbook = page.locator('a[href="/kommune/1870/rapport.xlsx"]')
    expect(pdf).to_be_visible()
    expect(workbook).to_be_visible()
    if language == "en":
        expect(pdf).to_have_accessible_name("Download status report (PDF)")
        expect(workbook).to_have_accessible_name("Download status report (XLSX)")
    accessible(page)
    return pdf.get_attribute("href") or "", workbook.get_attribute("href") or ""


@pytest.mark.parametrize("language", ["en", "nb"])
def test_the_public_downloads_the_status_report_from_the_municipality_page(
    site: World, page: Page, live_server: object, language: str
) -> None:
    pdf_href, xlsx_href = download_links(page, live_server, language)
    assert pdf_href == "/kommune/1870/rapport.pdf" and xlsx_href == "/kommune/1870/rapport.xlsx"
    response = page.request.get(pdf_href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    workbook = page.request.get(xlsx_href)
    assert workbook.status == 200 and workbook.headers["content-type"] == XLSX
    assert workbook.body().startswith(b"PK")  # a zip: the XLSX container


def test_a_member_downloads_through_the_same_link(site: World, page: Page, live_server: object) -> None:
    log_in(page, "editor@example.org")
    pdf_href, _xlsx = download_links(page, live_server, "en")
    response = page.request.get(pdf_href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
