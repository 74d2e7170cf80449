"""A support request in a real browser: Sortland's editor sends a request with an attachment (refused
first without a subject); the County Governor finds it in the inbox beside Sortland's priority score,
assigns it to themself, sets it in progress and answers; the editor reads the answer. The Fauske editor
and the Husbanken viewer do not find the request. Every page passes axe and the Content-Security-Policy."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from lagspill.network.models import EventKind, RequestStatus, SupportRequest
from tests.builders import World

from .axe import describe, violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n%%EOF\n"
QUESTION = "Hvordan kan vi forankre boligsosialt arbeid i planstrategien?"
ANSWER = "Vi sender eksempler fra Bodø og Vefsn, og foreslår et møte."


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


def send_request(page: Page) -> None:
    page.goto("/kommune/1870/")
    page.get_by_role("link", name="The municipality's support requests").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Support requests")
    accessible(page)
    page.get_by_role("link", name="New request").click()
    page.get_by_label("Topic").select_option("plan")
    page.get_by_label("Message", exact=True).fill(QUESTION)
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Give the request a subject.")).to_be_visible()
    accessible(page)
    page.get_by_label("Subject").fill("Forankring i planstrategien")
    page.get_by_label("Urgency").select_option("hoy")
    page.get_by_label("To", exact=True).select_option(label="Statsforvalteren i Nordland")
    page.get_by_label("Message", exact=True).fill(QUESTION)
    page.get_by_label("Attachments").set_input_files(
        {"name": "boligbehov.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    accessible(page)
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".messages")).to_contain_text("The request is sent to Statsforvalteren i Nordland.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Forankring i planstrategien")
    expect(page.get_by_text(QUESTION)).to_be_visible()
    expect(page.get_by_role("link", name="boligbehov.pdf")).to_be_visible()
    accessible(page)


def triage_and_answer(page: Page) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Requests").click()
    row = page.get_by_role("row", name=re.compile("Forankring i planstrategien"))
    expect(row).to_contain_text("Sortland")
    expect(row.get_by_role("link", name=re.compile("priority of Sortland"))).to_be_visible()
    accessible(page)
    row.get_by_role("link", name="Forankring i planstrategien").click()
    page.get_by_label("Assignee").select_option(label="sf")
    page.get_by_label("Status").select_option("arbeid")
    page.get_by_role("button", name="Save the triage").click()
    expect(page.locator(".messages")).to_contain_text("The triage is saved.")
    expect(page.get_by_role("table", name=re.compile("Who did what"))).to_contain_text("Assignee changed")
    page.get_by_label("Message", exact=True).fill(ANSWER)
    page.get_by_role("button", name="Send the message").click()
    expect(page.locator(".messages")).to_contain_text("The reply is sent.")
    expect(page.get_by_text(ANSWER)).to_be_visible()
    accessible(page)


def test_a_request_is_sent_triaged_and_answered_and_nobody_else_sees_it(
    site: World, browser: Browser, live_server: object
) -> None:
    editor = as_person(browser, live_server, "editor@example.org")
    send_request(editor)
    request = SupportRequest.objects.get()
    assert request.messages.get().attachments.get().original_name == "boligbehov.pdf"

    governor = as_person(browser, live_server, "sf@example.org")
    triage_and_answer(governor)
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS and request.assignee.email == "sf@example.org"
    assert request.events.filter(kind=EventKind.MESSAGE).count() == 1

    editor.reload()
    expect(editor.get_by_text(ANSWER)).to_be_visible()
    expect(editor.locator(".ds-tag", has_text="In progress")).to_be_visible()
    accessible(editor)

    for email in ("outsider@example.org", "hb@example.org"):
        other = as_person(browser, live_server, email)
        response = other.goto(request.get_absolute_url())
        assert response is not None and response.status == 404, email
        assert QUESTION not in other.content()
        response = other.goto(request.messages.first().attachments.get().get_absolute_url())
        assert response is not None and response.status == 404, email
