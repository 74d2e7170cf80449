"""Network events in a real browser: the County Governor makes a course for housing coordinators from
the county page; Sortland's editor registers as housing coordinator; the County Governor sees the
registration under that role and uploads the slides; the editor sees and downloads them. Axe runs
on every page (in English, and the County Governor's pages again in bokmål)."""

import datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from lagspill.network.models import NetworkEvent, Registration
from tests.builders import World

from .axe import describe, violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def accessible(page: Page) -> None:
    found = violations(page)
    assert not found, describe(found)
    assert not page.csp_violations  # type: ignore[attr-defined]


def as_person(browser: Browser, live_server: object, email: str, language: str = "en") -> Page:
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.csp_violations = []  # type: ignore[attr-defined]
    page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_violations.append(m.text))  # type: ignore[attr-defined]
    log_in(page, email)
    context.add_cookies([{"name": "lagspill_language", "value": language, "url": live_server.url}])
    return page


def test_a_course_from_creation_to_material(site: World, browser: Browser, live_server: object) -> None:
    day = datetime.date.today() + datetime.timedelta(days=30)
    governor = as_person(browser, live_server, "sf@example.org")

    # 1. From the county page to a new event for housing coordinators.
    governor.goto("/fylke/18/")
    governor.get_by_role("link", name="Network meetings and courses").click()
    expect(governor.get_by_role("heading", level=1)).to_contain_text("Network events")
    accessible(governor)
    governor.get_by_role("link", name="New event").click()
    accessible(governor)
    governor.get_by_label("Kind").select_option(label="Course")
    governor.get_by_label("Title", exact=True).fill("Kurs for boligkoordinatorer")
    governor.get_by_label("Programme and description").fill("10.00 Velkommen\n10.15 Boligplanen i praksis")
    governor.get_by_label("Starts", exact=True).fill(f"{day.isoformat()}T10:00")
    governor.get_by_label("Place", exact=True).fill("Bodø")
    governor.get_by_label("Registration closes").fill((day - datetime.timedelta(days=7)).isoformat())
    governor.get_by_label("Places", exact=True).fill("20")
    governor.get_by_label("Housing coordinator", exact=True).check()
    governor.get_by_label("Ends", exact=True).fill(f"{day.isoformat()}T09:00")  # before the start: refused
    governor.get_by_role("button", name="Save").click()
    expect(governor.get_by_text("The event must end after it starts.")).to_be_visible()
    accessible(governor)
    assert not NetworkEvent.objects.exists()
    governor.get_by_label("Ends", exact=True).fill(f"{day.isoformat()}T14:00")
    governor.get_by_role("button", name="Save").click()
    expect(governor.locator(".messages")).to_contain_text("is saved")
    event = NetworkEvent.objects.get(title="Kurs for boligkoordinatorer")
    assert event.roles == ["boligkoordinator"]
    accessible(governor)

    # 2. Sortland's editor registers as housing coordinator.
    editor = as_person(browser, live_server, "editor@example.org")
    editor.goto(event.get_absolute_url())
    expect(editor.get_by_text("Housing coordinator").first).to_be_visible()
    accessible(editor)
    editor.get_by_label("Organisation you come from").select_option(label="Sortland kommune")
    editor.get_by_label("Taking part as").select_option(label="Housing coordinator")
    editor.get_by_label("Needs for taking part").fill("Vegetar")
    editor.get_by_role("button", name="Register").click()
    expect(editor.get_by_text("You are registered as Housing coordinator from Sortland kommune.")).to_be_visible()
    accessible(editor)
    assert Registration.objects.get().role_kind == "boligkoordinator"
    editor.get_by_role("link", name="Network events").click()
    row = editor.get_by_role("row").filter(has=editor.get_by_role("link", name="Kurs for boligkoordinatorer"))
    expect(row).to_contain_text("Registered as Housing coordinator")
    expect(row).to_contain_text("19")
    accessible(editor)

    # 3. The County Governor sees the registration under the role and uploads the slides.
    governor.goto(event.get_absolute_url())
    by_role = governor.get_by_role("table", name="Registrations by role")
    row = by_role.get_by_role("row").filter(has=governor.get_by_role("rowheader", name="Housing coordinator"))
    expect(row).to_contain_text("1")
    expect(governor.get_by_role("heading", name="Housing coordinator: 1 registered")).to_be_visible()
    expect(governor.get_by_role("rowheader", name="editor")).to_be_visible()
    accessible(governor)
    governor.get_by_role("link", name="Add material").click()
    accessible(governor)
    governor.get_by_label("Title").fill("Lysark fra kurset")
    governor.get_by_label("File").set_input_files(
        files=[{"name": "lysark.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    governor.get_by_role("button", name="Add", exact=True).click()
    expect(governor.get_by_role("link", name="Lysark fra kurset")).to_be_visible()
    accessible(governor)

    # 4. The editor sees the material and downloads it.
    editor.goto(event.get_absolute_url())
    with editor.expect_download() as download:
        editor.get_by_role("link", name="Lysark fra kurset").click()
    assert download.value.suggested_filename == "lysark.pdf"
    accessible(editor)

    # 5. The County Governor's pages in bokmål.
    norsk = as_person(browser, live_server, "sf@example.org", language="nb")
    for path in ("/fylke/18/samlinger/", event.get_absolute_url(), f"/samlinger/{event.pk}/endre/"):
        norsk.goto(path)
        accessible(norsk)
