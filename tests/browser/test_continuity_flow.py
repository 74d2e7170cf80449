"""Continuity in a real browser: Sortland's editor replaces the housing coordinator; the new holder
signs in, finds the anchoring package and completes a task; the editor sees the turnover figures and
the risk list change."""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from lagspill.continuity import actions
from lagspill.continuity.models import AnchoringTask, Role
from lagspill.organisations.models import Role as MemberRole
from tests.builders import World, member

from .axe import describe, violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
NEW_HOLDER = "per.hansen@sortland.kommune.no"


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


def set_up_roles(site: World) -> int:
    """Sortland's standard roles, each with a holder since 2020 and a handover note."""
    editor = site.users["editor"]
    municipality = site.sortland.municipality
    roles = actions.ensure_catalogue_roles(municipality, editor)
    for index, role in enumerate(roles):
        actions.save_handover_note(role, "Boligforum møtes første tirsdag.", by=editor)
        actions.replace_holder(
            role, name=f"Holder {index}", email="", starts_on=datetime.date(2020, 1, 1), by=editor, package=False
        )
    member(NEW_HOLDER, site.sortland, MemberRole.VIEWER)
    return len(roles)


def test_a_new_coordinator_gets_and_completes_the_anchoring_package(
    site: World, browser: Browser, live_server: object
) -> None:
    total = set_up_roles(site)
    editor = as_person(browser, live_server, "editor@example.org")
    editor.goto("/kommune/1870/roller/")
    expect(editor.locator("#changed-since")).to_contain_text(f"0 of {total} roles changed holder since")
    expect(editor.locator("#risk-list")).to_have_count(0)

    editor.get_by_role("link", name="Housing coordinator").click()
    editor.get_by_role("link", name="New holder").click()
    editor.get_by_label("Name").fill("Per Hansen")
    editor.get_by_label("Work e-mail").fill("Per.Hansen@Sortland.kommune.no")
    editor.get_by_label("From", exact=True).fill(datetime.date.today().isoformat())
    editor.get_by_role("button", name="Save").click()
    expect(editor.locator(".messages")).to_contain_text("anchoring tasks are assigned")
    accessible(editor)
    editor.screenshot(path=ARTIFACTS / "continuity_role.png", full_page=True)

    holder = as_person(browser, live_server, NEW_HOLDER)
    holder.goto("/kommune/1870/forankring/")
    expect(holder.get_by_role("link", name="Read the handover note for “Housing coordinator”")).to_be_visible()
    accessible(holder)
    holder.get_by_role("button", name=re.compile("Mark as done.*Read the handover note")).click()
    expect(holder.locator(".messages")).to_contain_text("Done: Read the handover note")
    expect(holder.locator("#done-tasks")).to_contain_text("Read the handover note")
    holder.screenshot(path=ARTIFACTS / "continuity_tasks.png", full_page=True)
    task = AnchoringTask.objects.get(template="read-handover")
    assert task.done_at and task.done_by.email == NEW_HOLDER

    editor.goto("/kommune/1870/roller/")
    expect(editor.locator("#changed-since")).to_contain_text(f"1 of {total} roles changed holder since")
    risks = editor.locator("#risk-list")
    expect(risks).to_contain_text("Holder for less than 6 months")
    expect(risks.get_by_role("link", name="Housing coordinator")).to_be_visible()
    accessible(editor)
    editor.context.add_cookies([{"name": "lagspill_language", "value": "nb", "url": live_server.url}])
    editor.goto("/kommune/1870/roller/")
    accessible(editor)  # bokmål
    editor.screenshot(path=ARTIFACTS / "continuity_roles.png", full_page=True)
    assert Role.objects.get(kind="boligkoordinator").holdings.count() == 2


def test_the_county_overview_is_accessible(site: World, browser: Browser, live_server: object) -> None:
    set_up_roles(site)
    governor = as_person(browser, live_server, "sf@example.org")
    governor.goto("/fylke/18/kontinuitet/")
    expect(governor.locator("#county-continuity tbody tr")).to_have_count(41)
    accessible(governor)
    governor.screenshot(path=ARTIFACTS / "continuity_county.png", full_page=True)
