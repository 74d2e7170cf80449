"""Every page in bokmål and English: it renders, has no WCAG 2.1 A/AA violations (axe-core) and
breaks no Content-Security-Policy rule."""

import pytest
from playwright.sync_api import Page, expect

from tests.builders import World

from .axe import describe, violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/",
    "/fylke/18/",
    "/fylke/03/",
    "/kommune/1870/",
    "/kommune/1875/",
    "/sok/?q=hamaroy",
    "/sok/?q=atlantis",
    "/om/",
    "/tilgjengelighet/",
    "/kommune/9999/",
    "/konto/login/",
    "/konto/password/reset/",
    "/kommune/1870/levekar/",
    "/kommune/1870/levekar/?vis=antall&sammenlign=fylke",
    "/kommune/1870/levekar/share_80_plus/",
    "/indikator/share_67_plus/?fylke=18",
    "/indikator/children_persistent_low_income/",
    "/fylke/18/indeks/",
    "/levekar/metode/",
    "/kommune/1870/planer/",
    "/planer/metode/",
    "/erfaringer/",
    "/erfaringer/?q=bolig&fylke=18",
    "/fylke/18/samlinger/",
    "/horinger/",
]
NOT_FOUND = {"/kommune/9999/"}
MEMBER_PAGES = [
    "/organisasjoner/",
    "/organisasjon/kommune-1870/medlemmer/",
    "/konto/password/change/",
    "/konto/2fa/",
    "/konto/email/",
    "/kommune/1870/levekar/last-opp/",
    "/henvendelser/",
    "/kommune/1870/henvendelser/",
    "/kommune/1870/henvendelser/ny/",
    "/erfaringer/ny/",
]


def check(page: Page, path: str) -> None:
    response = page.goto(path)
    expected = 404 if path in NOT_FOUND else 200
    assert response is not None and response.status == expected, f"{path}: {response and response.status}"
    found = violations(page)
    assert not found, f"{path}:\n{describe(found)}"
    assert not page.csp_violations, f"{path}: {page.csp_violations}"  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_public_pages_are_accessible(site: World, page: Page, live_server: object, language: str) -> None:
    page.context.add_cookies([{"name": "lagspill_language", "value": language, "url": live_server.url}])
    for path in PUBLIC_PAGES:
        check(page, path)
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("language", ["nb", "en"])
def test_member_pages_are_accessible(site: World, page: Page, live_server: object, language: str) -> None:
    log_in(page, "admin@example.org")
    page.context.add_cookies([{"name": "lagspill_language", "value": language, "url": live_server.url}])
    for path in MEMBER_PAGES:
        check(page, path)


def test_the_county_map_works_with_the_keyboard(site: World, page: Page) -> None:
    page.goto("/fylke/18/")
    map_links = page.locator("figure.area-map svg a")
    expect(map_links).to_have_count(41)
    page.locator("figure.area-map").scroll_into_view_if_needed()
    # Tab from the top of the page until focus reaches the map, then through every municipality.
    names = []
    for _ in range(80):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "document.activeElement.closest('svg') ? document.activeElement.getAttribute('aria-label') : null"
        )
        if label:
            names.append(label)
        elif names:
            break
    assert len(names) == 41
    assert "Sortland - Suortá" in names
    # Enter on a focused municipality opens its page.
    page.locator('svg a[aria-label="Sortland - Suortá"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/kommune/1870/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sortland - Suortá")


def test_search_finds_a_municipality_while_typing(site: World, page: Page) -> None:
    page.goto("/")
    page.get_by_label("Finn en kommune").fill("suorta")
    expect(page.locator("#search-results")).to_contain_text("Sortland - Suortá")


def test_login_and_logout(site: World, page: Page) -> None:
    log_in(page, "editor@example.org")
    expect(page.locator(".site-header__user")).to_contain_text("editor")
    page.get_by_role("button", name="Logg ut").first.click()
    page.wait_for_load_state()
    if page.url.endswith("/konto/logout/"):  # allauth asks to confirm when reached by GET
        page.get_by_role("button", name="Logg ut").last.click()
    expect(page.get_by_role("link", name="Logg inn")).to_be_visible()


def test_language_switcher_changes_the_language(site: World, page: Page) -> None:
    page.goto("/kommune/1870/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Municipality number")).to_be_visible()
    page.get_by_role("button", name="Nynorsk").click()
    expect(page.locator("html")).to_have_attribute("lang", "nn")


def test_the_accessibility_check_catches_a_violation(site: World, page: Page) -> None:
    """Guards the guard: a page with a broken element must fail the axe check."""
    page.goto("/om/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/x.png\">')")
    assert "image-alt" in {v["id"] for v in violations(page)}


def test_a_chart_is_drawn_interactively_with_its_data_table(site: World, page: Page) -> None:
    page.goto("/kommune/1870/levekar/share_80_plus/")
    expect(page.locator("figure svg").first).to_be_visible()
    expect(page.locator("table caption").first).to_contain_text("Sortland")
    assert not page.csp_violations  # type: ignore[attr-defined]


def test_the_profile_explains_an_indicator_on_demand(site: World, page: Page) -> None:
    page.goto("/kommune/1870/levekar/")
    about = page.locator("details.about-indicator").nth(4)
    about.locator("summary").click()
    expect(about).to_contain_text("Statistisk sentralbyrå, tabell 07459")
