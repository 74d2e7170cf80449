"""The whole anchoring round in a real browser: Sortland's editor registers a plan with a PDF and
assesses it; the County Governor reviews it; the municipality replies; the County Governor publishes."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from lagspill.plans.models import Assessment, Maturity, Plan
from tests.builders import World

from .axe import describe, violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def accessible(page: Page) -> None:
    found = violations(page)
    assert not found, describe(found)
    assert not page.csp_violations  # type: ignore[attr-defined]


def as_person(browser: Browser, live_server: object, email: str) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.csp_violations = []  # type: ignore[attr-defined]
    page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_violations.append(m.text))  # type: ignore[attr-defined]
    log_in(page, email)
    context.add_cookies([{"name": "lagspill_language", "value": "en", "url": live_server.url}])
    return page


def register_plan(page: Page) -> None:
    page.goto("/kommune/1870/planer/")
    page.get_by_role("link", name="Register a plan").click()
    page.get_by_label("Plan level").select_option("boligplan")
    page.get_by_label("Title").fill("Boligpolitisk plan for Sortland 2025–2030")
    page.get_by_label("First year of the period").fill("2025")
    page.get_by_label("Last year of the period").fill("2030")
    page.get_by_label("Status").select_option("vedtatt")
    page.get_by_label("Work started").fill("2024-01-10")
    page.get_by_label("Sent on public consultation").fill("2024-09-01")
    page.get_by_label("Adopted", exact=True).fill("2025-02-01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Boligpolitisk plan for Sortland 2025–2030")


def upload_pdf(page: Page) -> None:
    page.get_by_label("Title of the document").fill("Vedtak i kommunestyret")
    page.get_by_label("PDF file").set_input_files({"name": "vedtak.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("link", name="Vedtak i kommunestyret")).to_be_visible()


def score_all(page: Page, value: str, quote: str) -> None:
    for group in page.locator("fieldset.criterion-card").all():
        group.locator(f"input[type=radio][value='{value}']").check()
    page.get_by_label("Quote from the plan").first.fill(quote)
    page.get_by_role("button", name="Save scores").click()
    expect(page.locator(".messages")).to_contain_text("criteria changed")


def test_a_plan_is_registered_assessed_reviewed_answered_and_published(
    site: World, browser: Browser, live_server: object
) -> None:
    editor = as_person(browser, live_server, "editor@example.org")
    register_plan(editor)
    upload_pdf(editor)
    editor.get_by_role("button", name="Start an assessment").click()
    editor.get_by_role("link", name="Score as the municipality").click()
    accessible(editor)
    editor.screenshot(path=ARTIFACTS / "plans_score_form.png", full_page=True)
    score_all(editor, "2", "Kommunen skal skaffe 20 utleieboliger innen 2027.")
    editor.get_by_role("button", name="Submit the self-assessment").click()
    assessment_url = editor.url

    governor = as_person(browser, live_server, "sf@example.org")
    governor.goto(assessment_url)
    governor.get_by_role("link", name="Score as the County Governor").click()
    score_all(governor, "1", "Tiltakene har ingen eier.")
    governor.get_by_role("button", name="Complete the review").click()
    governor.locator("textarea[name=body]").first.fill("Hvem eier tiltakene?")
    governor.get_by_role("button", name="Add comment").first.click()
    expect(governor.locator(".difference").first).to_contain_text("differ by 1 point")

    editor.goto(assessment_url)
    expect(editor.locator(".comment").first).to_contain_text("Hvem eier tiltakene?")
    editor.locator("textarea[name=body]").first.fill("Boligkoordinatoren eier dem, se side 12.")
    editor.get_by_role("button", name="Add comment").first.click()
    expect(editor.locator(".comments").first.locator(".comment")).to_have_count(2)
    expect(editor.get_by_role("button", name="Publish and lock")).to_have_count(0)  # only the County Governor publishes

    governor.goto(assessment_url)
    governor.get_by_role("button", name="Publish and lock").click()
    expect(governor.get_by_text("Published on")).to_be_visible()
    accessible(governor)
    governor.screenshot(path=ARTIFACTS / "plans_assessment.png", full_page=True)

    plan = Plan.objects.get(municipality__number="1870")
    assessment = Assessment.objects.get(plan=plan)
    assert assessment.published_by.email == "sf@example.org" and plan.documents.count() == 1
    assert Maturity.objects.filter(municipality__number="1870").exists()

    public = as_person(browser, live_server, "hb@example.org")
    public.goto("/kommune/1870/planer/")
    expect(public.get_by_role("heading", name="Planning maturity over time")).to_be_visible()
    expect(public.locator("figure.chart")).to_have_count(1)
    accessible(public)
    editor.context.add_cookies([{"name": "lagspill_language", "value": "nb", "url": live_server.url}])
    editor.goto("/kommune/1870/planer/")
    accessible(editor)  # bokmål
    editor.screenshot(path=ARTIFACTS / "plans_register.png", full_page=True)  # to look at
