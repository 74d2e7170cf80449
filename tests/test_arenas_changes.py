"""Changing what an arena has recorded: a meeting's time, place and agenda, an action's title, owner
and due date, withdrawing a decision (kept, never found by search, its number not reused), and the
history page that shows who changed what, in a bounded number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lagspill.arenas import actions, queries
from lagspill.arenas.models import ActionItem, ActionStatus, Arena, Decision, Meeting

from .builders import World
from .test_arenas import TODAY, at, client_for, hold, make_arena, role, seat

pytestmark = pytest.mark.django_db


def meeting_of(arena: Arena) -> Meeting:
    return actions.add_meeting(arena, starts_at=at(2026, 3, 3, 9), ends_at=at(2026, 3, 3, 11), location="Rådhuset",
                               agenda="Boligplanen", by=None)  # fmt: skip


# A meeting's time, end, place and agenda.
def test_runners_change_a_meetings_time_place_and_agenda_with_history(world: World) -> None:
    arena = make_arena(world)
    meeting = meeting_of(arena)
    url = reverse("arenas:edit_meeting", args=[arena.pk, meeting.pk])
    client = client_for(world, "editor")
    form = client.get(url).content.decode()
    assert "Change the meeting" in form and "Boligplanen" in form and 'value="2026-03-03T09:00"' in form
    data = {"starts_at": "2026-03-10T12:00", "ends_at": "2026-03-10T14:00", "location": "Kulturhuset",
            "agenda": "Bosetting"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ends_at, meeting.location, meeting.agenda) == (
        at(2026, 3, 10, 12),
        at(2026, 3, 10, 14),
        "Kulturhuset",
        "Bosetting",
    )
    versions = list(meeting.history.order_by("history_date"))
    assert [v.location for v in versions] == ["Rådhuset", "Kulturhuset"]
    assert versions[-1].history_user == world.users["editor"]
    page = client_for(world, "viewer").get(meeting.get_absolute_url()).content.decode()
    assert "Kulturhuset" in page and "Change time, place or agenda" not in page  # viewers see, not change


@pytest.mark.parametrize(
    "ends_at",
    ["2026-03-10T11:00", "2026-03-10T12:00"],  # before the start, and at the start
)
def test_a_meeting_changed_to_end_before_it_starts_is_refused_and_nothing_is_stored(world: World, ends_at: str) -> None:
    arena = make_arena(world)
    meeting = meeting_of(arena)
    url = reverse("arenas:edit_meeting", args=[arena.pk, meeting.pk])
    data = {"starts_at": "2026-03-10T12:00", "ends_at": ends_at, "location": "Kulturhuset", "agenda": "Ny"}
    response = client_for(world, "editor").post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("The meeting must end after it starts.") == 1 and "Constraint" not in page
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.location, meeting.agenda) == (at(2026, 3, 3, 9), "Rådhuset", "Boligplanen")
    assert meeting.history.count() == 1


def test_the_action_refuses_a_meeting_ending_before_it_starts(world: World) -> None:
    meeting = meeting_of(make_arena(world))
    with pytest.raises(Exception, match="end after it starts"):
        actions.save_meeting(meeting, starts_at=at(2026, 3, 3, 12), ends_at=at(2026, 3, 3, 11), by=None)
    meeting.refresh_from_db()
    assert meeting.starts_at == at(2026, 3, 3, 9)


def test_a_meeting_of_a_closed_arena_cannot_be_changed(world: World) -> None:
    arena = make_arena(world)
    meeting = meeting_of(arena)
    actions.close_arena(arena)
    url = reverse("arenas:edit_meeting", args=[arena.pk, meeting.pk])
    data = {"starts_at": "2026-03-10T12:00", "location": "Kulturhuset"}
    assert client_for(world, "editor").post(url, data).status_code == 403
    meeting.refresh_from_db()
    assert meeting.location == "Rådhuset"


# Withdrawing a decision.
def test_a_withdrawn_decision_is_kept_marked_left_out_of_searches_and_its_number_not_reused(world: World) -> None:
    arena = make_arena(world, public=True)
    meeting = meeting_of(arena)
    first = actions.add_decision(meeting, text="Kommunen kjøper boliger på Sørøya.", by=None)
    second = actions.add_decision(meeting, text="Husbanken inviteres til neste møte.", by=None)
    editor = client_for(world, "editor")
    url = reverse("arenas:withdraw_decision", args=[arena.pk, second.pk])
    assert client_for(world, "viewer").post(url).status_code == 403
    assert editor.get(url).status_code == 405  # POST only
    response = editor.post(url)
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    second.refresh_from_db()
    assert second.withdrawn_at is not None
    assert second.history.first().history_user == world.users["editor"]
    assert editor.post(url).status_code == 302  # withdrawing again changes nothing
    assert Decision.objects.get(pk=second.pk).withdrawn_at == second.withdrawn_at

    assert actions.add_decision(meeting, text="Nytt vedtak", by=None).label == "3/2026"  # 2/2026 stays taken
    assert list(queries.search(arena.decisions.all(), "husbanken")) == []
    assert list(queries.search(arena.decisions.all(), "sørøya")) == [first]

    anonymous = client_for(world, "anonymous")
    found = anonymous.get(reverse("arenas:decisions", args=["1870"]), {"q": "Husbanken"}).content.decode()
    assert "Husbanken inviteres" not in found and "No decision matches" in found
    found = anonymous.get(arena.get_absolute_url(), {"q": "neste møte"}).content.decode()
    assert "Husbanken inviteres" not in found
    listed = anonymous.get(arena.get_absolute_url()).content.decode()
    assert "Husbanken inviteres" in listed and "Withdrawn" in listed
    shown = anonymous.get(meeting.get_absolute_url()).content.decode()
    assert "Husbanken inviteres" in shown and "Withdrawn on" in shown
    form = editor.get(meeting.get_absolute_url()).content.decode()
    assert f'<option value="{second.pk}"' not in form and f'<option value="{first.pk}"' in form  # not followed up


def test_a_decision_of_another_arena_cannot_be_withdrawn_through_this_one(world: World) -> None:
    arena, other = make_arena(world), make_arena(world, name="Boligforum")
    decision = actions.add_decision(meeting_of(other), text="Vedtak", by=None)
    url = reverse("arenas:withdraw_decision", args=[arena.pk, decision.pk])
    assert client_for(world, "editor").post(url).status_code == 404
    assert client_for(world, "outsider").post(
        reverse("arenas:withdraw_decision", args=[other.pk, decision.pk])
    ).status_code == 404  # fmt: skip
    decision.refresh_from_db()
    assert decision.withdrawn_at is None


# Changing an action's title, owner and due date.
def test_runners_change_an_actions_title_owner_and_due_date_and_its_status_stays(world: World) -> None:
    arena = make_arena(world)
    coordinator, nav = role("boligkoordinator", "bolig"), role("nav-leder", "nav")
    meeting = meeting_of(arena)
    item = actions.add_action(arena, title="Kartlegg", owner_role=coordinator, due_on=TODAY, meeting=meeting, by=None)
    actions.update_action(item, status=ActionStatus.IN_PROGRESS, note="Godt i gang", by=None)
    url = reverse("arenas:edit_action", args=[arena.pk, item.pk])
    editor = client_for(world, "editor")
    assert "Kartlegg" in editor.get(url).content.decode()
    due = TODAY + datetime.timedelta(days=30)
    data = {"title": "Kartlegg behov", "owner_role": nav.pk, "due_on": due.isoformat(), "status": "ferdig"}
    response = editor.post(url, {**data, "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    item.refresh_from_db()
    assert (item.title, item.owner_role, item.due_on) == ("Kartlegg behov", nav, due)
    assert (item.status, item.status_note) == (ActionStatus.IN_PROGRESS, "Godt i gang")  # unchanged
    assert item.history.first().history_user == world.users["editor"]
    back = editor.post(url, {**data, "next": "/kommune/1870/arenaer/oppfolging/"})
    assert back["Location"] == "/kommune/1870/arenaer/oppfolging/"


def test_the_holder_of_the_owner_role_may_update_the_status_but_not_change_the_action(world: World) -> None:
    arena = make_arena(world)
    coordinator = role("boligkoordinator", "bolig")
    item = actions.add_action(arena, title="Kartlegg", owner_role=coordinator, due_on=TODAY, by=None)
    hold(world, "viewer", coordinator)
    viewer = client_for(world, "viewer")
    url = reverse("arenas:edit_action", args=[arena.pk, item.pk])
    assert viewer.post(url, {"title": "Annet", "owner_role": coordinator.pk, "due_on": "2026-09-01"}).status_code == 403
    assert (
        viewer.post(reverse("arenas:update_action", args=[arena.pk, item.pk]), {"status": "pagar"}).status_code == 302
    )
    item.refresh_from_db()
    assert (item.title, item.status) == ("Kartlegg", ActionStatus.IN_PROGRESS)
    page = viewer.get(arena.get_absolute_url()).content.decode()
    assert "Change title, owner or due date" not in page
    assert (
        "Change title, owner or due date" in client_for(world, "editor").get(arena.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"due_on": "01.13.2026"}, "Enter a valid date."),
        ({"owner_role": ""}, "This field is required."),
        ({"owner_role": "other"}, "Select a valid choice."),  # a role of another municipality
    ],
)
def test_bad_input_for_an_action_is_refused_and_nothing_is_stored(world: World, change: dict, message: str) -> None:
    arena = make_arena(world)
    coordinator = role("boligkoordinator", "bolig")
    item = actions.add_action(arena, title="Kartlegg", owner_role=coordinator, due_on=TODAY, by=None)
    if change.get("owner_role") == "other":
        change = {"owner_role": role("boligkoordinator", "bolig", number="1841").pk}
    data = {"title": "Nytt navn", "owner_role": coordinator.pk, "due_on": "2026-09-01", **change}
    response = client_for(world, "editor").post(reverse("arenas:edit_action", args=[arena.pk, item.pk]), data)
    assert response.status_code == 400 and message in response.content.decode()
    item.refresh_from_db()
    assert (item.title, item.owner_role, item.due_on) == ("Kartlegg", coordinator, TODAY)
    assert item.history.count() == 1


def test_a_network_action_changes_its_owner_organisation(world: World) -> None:
    governor = client_for(world, "county_governor")
    network = actions.create_arena(
        county=world.sortland.municipality.county, name="Nettverk", purpose="x", rhythm="kvartalsvis",
        is_public=False, by=None,
    )  # fmt: skip
    item = actions.add_action(network, title="Del planer", owner_organisation=world.sortland, due_on=TODAY, by=None)
    url = reverse("arenas:edit_action", args=[network.pk, item.pk])
    data = {"title": "Del planer", "owner_organisation": world.housing_bank.pk, "due_on": "2026-09-01"}
    assert governor.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.owner_organisation, item.owner_role) == (world.housing_bank, None)
    assert client_for(world, "editor").post(url, {**data, "title": "x"}).status_code == 403


# The history page.
def test_the_history_shows_who_changed_what_in_meetings_decisions_actions_and_attendance(world: World) -> None:
    arena = make_arena(world)
    nav_seat = seat(arena, role("nav-leder", "nav"), datetime.date(2026, 1, 1))
    meeting = meeting_of(arena)
    editor, user = client_for(world, "editor"), world.users["editor"]
    actions.save_meeting(meeting, starts_at=meeting.starts_at, ends_at=meeting.ends_at, location="Kulturhuset",
                         agenda=meeting.agenda, by=user)  # fmt: skip
    decision = actions.add_decision(meeting, text="Kjøpe boliger", by=user)
    actions.withdraw_decision(decision, by=user)
    item = actions.add_action(arena, title="Kartlegg", owner_role=role("boligkoordinator", "bolig"),
                              due_on=datetime.date(2026, 4, 1), meeting=meeting, by=user)  # fmt: skip
    actions.update_action(item, status=ActionStatus.DONE, note="", by=user)
    actions.save_minutes(meeting, minutes="Referat", attendance={nav_seat: True})
    actions.save_minutes(meeting, minutes="Referat", attendance={nav_seat: False})

    page = editor.get(reverse("arenas:arena_history", args=[arena.pk])).content.decode()
    assert "Place: Rådhuset → Kulturhuset" in page
    assert "Decision 1/2026" in page and "Withdrawn: – →" in page
    assert "Action “Kartlegg”" in page and "Status: Not started → Done" in page
    assert "Attendance: Head of the NAV office, meeting" in page and "Present: yes → no" in page
    assert "Minutes: – → Referat" in page
    assert user.email in page or user.name in page


def history_queries(world: World, arena: Arena) -> int:
    client = client_for(world, "viewer")
    url = reverse("arenas:arena_history", args=[arena.pk])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def busy(arena: Arena, meetings: int) -> None:
    coordinator, nav = role("boligkoordinator", "bolig"), seat(arena, role("nav-leder", "nav"))
    for i in range(meetings):
        meeting = actions.add_meeting(arena, starts_at=at(2026, 1 + i % 12, 1 + i // 12), by=None)
        actions.save_meeting(meeting, starts_at=meeting.starts_at, location=f"Rom {i}", by=None)
        actions.withdraw_decision(actions.add_decision(meeting, text=f"Vedtak {i}", by=None), by=None)
        item = actions.add_action(arena, title=f"Tiltak {i}", owner_role=coordinator, due_on=TODAY, by=None)
        actions.update_action(item, status=ActionStatus.DONE, note="", by=None)
        actions.save_minutes(meeting, minutes="x", attendance={nav: True})


def test_the_history_page_runs_a_fixed_number_of_queries(world: World) -> None:
    arena = make_arena(world)
    busy(arena, 1)
    before = history_queries(world, arena)
    busy(arena, 8)
    assert history_queries(world, arena) == before
    assert before <= 25
    assert ActionItem.objects.count() == 9


def test_the_history_is_for_insiders_only(world: World) -> None:
    arena = make_arena(world, public=True)
    url = reverse("arenas:arena_history", args=[arena.pk])
    assert client_for(world, "outsider").get(url).status_code == 404  # sees the public arena, not its history
    assert client_for(world, "viewer").get(url).status_code == 200
