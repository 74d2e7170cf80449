"""An arena in a real browser: Sortland's editor creates an arena with seats, records a meeting with
minutes, attendance, a decision and an action owned by a role, and finds the decision by search;
then moves the meeting (refused first when it would end before it starts), withdraws a second
decision, changes the action's due date and reads the history. The pages pass axe in bokmål and
English."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from lagspill.arenas.models import ActionItem, Attendance, Decision, Meeting
from lagspill.continuity.models import Role
from lagspill.places.models import Municipality
from tests.builders import World

from .axe import describe, violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ROLES = {"boligkoordinator": "bolig", "nav-leder": "nav", "flyktningtjeneste": "flyktning"}


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


def create_arena(page: Page) -> None:
    page.goto("/kommune/1870/arenaer/")
    page.get_by_role("link", name="New arena").click()
    page.get_by_label("Name").fill("Boligsosialt team")
    page.get_by_label("Purpose").fill("Samordne det boligsosiale arbeidet på tvers av enhetene.")
    page.get_by_label("Meeting rhythm").select_option("manedlig")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Boligsosialt team")


def add_seat(page: Page, field: str, option: str) -> None:
    page.get_by_label(field).select_option(label=option)
    page.get_by_label("Member from").fill("2026-01-01")
    page.get_by_role("button", name="Add the member").click()
    expect(page.locator(".messages")).to_contain_text("The member is added.")


def record_meeting(page: Page) -> None:
    page.get_by_role("link", name="New meeting").click()
    page.get_by_label("Starts").fill("2026-03-03T09:00")
    page.get_by_label("Ends").fill("2026-03-03T08:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The meeting must end after it starts.")).to_be_visible()
    page.get_by_label("Ends").fill("2026-03-03T11:00")
    page.get_by_label("Place").fill("Rådhuset")
    page.get_by_label("Agenda").fill("Boliger til bosetting")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Write minutes and attendance").click()
    page.get_by_label("Minutes").fill("Flyktningtjenesten trenger fire boliger på Sørøya.")
    page.get_by_label("Attendance: Housing coordinator (Property and housing)").select_option("present")
    page.get_by_label("Attendance: Head of the NAV office (NAV office)").select_option("absent")
    page.get_by_role("button", name="Save").click()
    page.get_by_label("Decision", exact=True).fill("Kommunen kjøper fire boliger på Sørøya til bosetting.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("rowheader", name="1/2026")).to_be_visible()
    page.get_by_label("Action", exact=True).fill("Finne fire boliger")
    page.get_by_label("Owner role").select_option(label="Head of the refugee service")
    page.get_by_label("Due").fill("2026-06-01")
    page.get_by_label("Follows up decision").select_option(index=1)
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("cell", name="Finne fire boliger (decision 1/2026)")).to_be_visible()


def change_meeting(page: Page) -> None:
    page.get_by_role("link", name="Change time, place or agenda").click()
    expect(page.get_by_label("Place")).to_have_value("Rådhuset")
    page.get_by_label("Ends").fill("2026-03-03T08:30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The meeting must end after it starts.")).to_be_visible()
    accessible(page)
    page.get_by_label("Ends").fill("2026-03-03T12:00")
    page.get_by_label("Place").fill("Kulturhuset")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("The meeting is saved.")
    expect(page.get_by_text("Kulturhuset")).to_be_visible()


def withdraw_second_decision(page: Page) -> None:
    page.get_by_label("Decision", exact=True).fill("Saken utsettes.")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("button", name="Withdraw 2/2026").click()
    expect(page.locator(".messages")).to_contain_text("Decision 2/2026 is withdrawn.")
    expect(page.get_by_role("row", name="2/2026")).to_contain_text("Withdrawn")


def change_action(page: Page) -> None:
    page.get_by_role("link", name=re.compile(r"^Change title, owner or due date\s*: Finne fire boliger$")).click()
    page.get_by_label("Due").fill("2026-07-01")
    accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("The action “Finne fire boliger” is saved.")


def test_an_editor_records_an_arena_meeting_and_finds_the_decision(
    site: World, browser: Browser, live_server: object
) -> None:
    sortland = Municipality.objects.get(number="1870")
    for kind, department in ROLES.items():
        Role.objects.create(municipality=sortland, kind=kind, department=department)
    editor = as_person(browser, live_server, "editor@example.org")
    create_arena(editor)
    add_seat(editor, "Role in the municipality", "Housing coordinator")
    add_seat(editor, "Role in the municipality", "Head of the NAV office")
    add_seat(editor, "Or an organisation", "Marborg")
    accessible(editor)
    record_meeting(editor)
    accessible(editor)
    editor.screenshot(path=ARTIFACTS / "arenas_meeting.png", full_page=True)

    change_meeting(editor)
    withdraw_second_decision(editor)
    change_action(editor)
    accessible(editor)

    item = ActionItem.objects.get()
    assert item.owner_role.kind == "flyktningtjeneste" and item.decision == Decision.objects.get(number=1)
    assert item.due_on.isoformat() == "2026-07-01"
    assert sorted(Attendance.objects.values_list("present", flat=True)) == [False, True]
    assert Meeting.objects.get().location == "Kulturhuset"
    assert Decision.objects.get(number=2).withdrawn_at is not None

    editor.get_by_role("link", name="Boligsosialt team").click()
    editor.get_by_label("Search the decisions").fill("SØRØYA")
    editor.get_by_role("button", name="Search").click()
    expect(editor.get_by_role("rowheader", name="1/2026")).to_be_visible()
    expect(editor.get_by_role("rowheader", name="2/2026")).to_have_count(0)  # withdrawn: not found
    accessible(editor)
    editor.screenshot(path=ARTIFACTS / "arenas_arena.png", full_page=True)

    editor.get_by_role("link", name="History of changes").click()
    expect(editor.get_by_role("cell", name="Place: Rådhuset → Kulturhuset")).to_be_visible()
    accessible(editor)
    editor.screenshot(path=ARTIFACTS / "arenas_history.png", full_page=True)

    editor.context.add_cookies([{"name": "lagspill_language", "value": "nb", "url": live_server.url}])
    editor.goto("/kommune/1870/arenaer/")
    expect(editor.get_by_role("table").first).to_contain_text("Boligsosialt team")
    accessible(editor)  # bokmål
    editor.screenshot(path=ARTIFACTS / "arenas_municipality.png", full_page=True)
