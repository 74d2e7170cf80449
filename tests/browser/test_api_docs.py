"""The API documentation (Swagger UI) renders under our Content-Security-Policy."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ENDPOINTS = [
    "/api/areas",
    "/api/indicators",
    "/api/indicators/{code}",
    "/api/observations",
    "/api/index",
    "/api/weight-sets",
    "/api/kommuner/{number}/behov",
    "/api/erfaringer",
]


def test_the_api_docs_list_the_endpoints_and_can_call_one(page: Page, site: object) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/api/docs")
    paths = page.locator(".opblock-summary-path")
    expect(paths).to_have_count(len(ENDPOINTS))
    assert paths.all_inner_texts() == ENDPOINTS

    page.locator("#operations-indicators-lagspill_api_api_indicator .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_placeholder("code").fill("share_67_plus")
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    expect(page.locator(".live-responses-table .microlight").first).to_contain_text("Andel 67 år og eldre")

    assert page.csp_violations == []  # type: ignore[attr-defined]
    base = page.url.split("/api/")[0]
    assert all(url.startswith(base) or url.startswith("data:") for url in requests), requests  # no CDN
