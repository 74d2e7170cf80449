"""User participation in a real browser: Marborg finds a Sortland plan on public consultation and gives
input; Sortland's editor records that it was partly taken in, with the reason; an anonymous visitor sees
the input, its use and the reason on the public plan page. Every page passes axe and the CSP."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from lagspill.network.models import Input
from lagspill.places.models import Municipality
from lagspill.plans.models import Plan
from tests.builders import World

from .axe import describe, violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
INPUT = "Planen bør si hvordan leietakere får oppfølging når de flytter inn."
REASON = "Oppfølging ved innflytting er tatt inn i tiltak 2.3; resten vurderes ved neste rullering."


def accessible(page: Page) -> None:
    found = violations(page)
    assert not found, describe(found)
    assert not page.csp_violations  # type: ignore[attr-defined]


def new_page(browser: Browser, live_server: object) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.csp_violations = []  # type: ignore[attr-defined]
    page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_violations.append(m.text))  # type: ignore[attr-defined]
    return page


def in_english(page: Page, live_server: object) -> Page:
    page.context.add_cookies([{"name": "lagspill_language", "value": "en", "url": live_server.url}])
    return page


def as_person(browser: Browser, live_server: object, email: str) -> Page:
    page = new_page(browser, live_server)
    log_in(page, email)
    return in_english(page, live_server)


def test_marborg_gives_input_sortland_records_its_use_and_the_public_sees_it(
    site: World, browser: Browser, live_server: object
) -> None:
    plan = Plan.objects.create(
        municipality=Municipality.objects.get(number="1870"),
        level="boligplan",
        title="Boligpolitisk plan for Sortland 2025–2030",
        status="horing",
        consultation_on="2026-04-01",
    )

    marborg = as_person(browser, live_server, "brukar@example.org")
    marborg.goto("/")
    marborg.get_by_role("navigation", name="Main menu").get_by_role("link", name="Open for input").click()
    expect(marborg.get_by_role("heading", level=1)).to_contain_text("Open for input")
    accessible(marborg)
    marborg.get_by_role("link", name=plan.title).click()
    expect(marborg.get_by_text("You give the input as Marborg.")).to_be_visible()
    marborg.get_by_label("Your input").fill(INPUT)
    marborg.get_by_role("button", name="Give input").click()
    expect(marborg.locator(".messages")).to_contain_text("Your input is given")
    expect(marborg.locator("#innspill")).to_contain_text(INPUT)
    accessible(marborg)

    editor = as_person(browser, live_server, "editor@example.org")
    editor.goto(plan.get_absolute_url())
    editor.get_by_role("link", name="Record how it was used").click()
    accessible(editor)
    editor.get_by_label("How the input was used").select_option(label="Partly taken in")
    editor.get_by_label("Reason").fill(REASON)
    editor.get_by_role("button", name="Save").click()
    expect(editor.locator(".messages")).to_contain_text("How the input was used is saved")
    expect(editor.locator("#innspill")).to_contain_text("Partly taken in")
    accessible(editor)

    visitor = in_english(new_page(browser, live_server), live_server)
    visitor.goto(plan.get_absolute_url())
    section = visitor.locator("#innspill")
    expect(section).to_contain_text(INPUT)
    expect(section).to_contain_text("Marborg")
    expect(section).to_contain_text("Partly taken in")
    expect(section).to_contain_text(REASON)
    expect(section.get_by_role("row", name="Partly taken in 1")).to_be_visible()
    expect(section).not_to_contain_text("brukar")  # the organisation is named, not the person
    accessible(visitor)
    visitor.screenshot(path=ARTIFACTS / "participation_plan.png", full_page=True)

    norwegian = new_page(browser, live_server)  # bokmål, the default language
    norwegian.goto(plan.get_absolute_url())
    expect(norwegian.locator("#innspill")).to_contain_text(REASON)
    accessible(norwegian)

    stored = Input.objects.get()
    assert (stored.organisation, stored.use, stored.use_reason) == (site.user_org, "delvis", REASON)
    assert stored.used_by == site.users["editor"] and stored.history.count() == 2
