"""My work in a real browser: a role holder logs in, finds an overdue task and an action of their
role, marks the task done, makes a calendar address and the feed has the arena's meeting."""

from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from tests.access_mywork import make_holder
from tests.builders import World

from .axe import describe, violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def accessible(page: Page) -> None:
    found = violations(page)
    assert not found, describe(found)
    assert not page.csp_violations  # type: ignore[attr-defined]


def use_language(page: Page, live_server: object, code: str) -> None:
    page.context.add_cookies([{"name": "lagspill_language", "value": code, "url": live_server.url}])


def test_a_role_holder_finds_their_work_and_subscribes_to_the_calendar(
    site: World, page: Page, live_server: object
) -> None:
    holder = make_holder("viewer@example.org")
    log_in(page, "viewer@example.org")
    use_language(page, live_server, "en")
    page.goto("/")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="My work").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.get_by_role("link", name="Housing coordinator")).to_be_visible()
    tasks = page.get_by_role("table", name="Open anchoring tasks assigned to you, the most urgent first")
    overdue_row = tasks.get_by_role("row").filter(has_text="Lese overleveringsnotatet")
    expect(overdue_row).to_contain_text("Overdue")
    actions = page.get_by_role("table", name="Open action items from arenas, owned by a role you hold")
    expect(actions).to_contain_text("Kartlegge utleieboliger")
    expect(page.get_by_role("table", name="Meetings in the next 90 days", exact=False)).to_contain_text(
        "Boligforum Sortland"
    )
    accessible(page)
    page.screenshot(path=ARTIFACTS / "mywork.png", full_page=True)

    overdue_row.get_by_role("button", name="Done").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.locator(".messages")).to_contain_text("Lese overleveringsnotatet")
    expect(tasks).not_to_contain_text("Lese overleveringsnotatet")
    expect(tasks).to_contain_text("Lese boligplanen")

    page.get_by_role("button", name="Create calendar address").click()
    address = page.get_by_label("Your new calendar address (shown only now)").input_value()
    assert "/kalender/" in address and address.endswith(".ics")
    accessible(page)
    page.locator("#feed-heading").locator("xpath=..").screenshot(path=ARTIFACTS / "mywork_feed.png")
    feed = page.request.get(address)
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    uids = {str(event["UID"]) for event in Calendar.from_ical(feed.body()).walk("VEVENT")}
    assert f"meeting-{holder.meeting.pk}@lagspill" in uids
    assert f"action-{holder.action.pk}@lagspill" in uids
    page.reload()
    expect(page.get_by_label("Your new calendar address (shown only now)")).to_have_count(0)

    use_language(page, live_server, "nb")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    accessible(page)
