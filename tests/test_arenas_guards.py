"""What an arena refuses: a holder of an action's owner role who may not see the arena never gets the
arena page (not even on an error), implausible dates, any change to a closed arena, and decisions or
actions in a cancelled meeting. Each refusal has a clear message and stores nothing."""

import datetime
from collections.abc import Callable

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lagspill.arenas import actions
from lagspill.arenas.models import ActionItem, ActionStatus, Arena, ArenaMember, Decision, Meeting
from lagspill.continuity.models import Holding, Person, Role

from .builders import World
from .test_arenas import TODAY, at, client_for, make_arena, role, seat

pytestmark = pytest.mark.django_db
MY_WORK = "/mitt-arbeid/"
PURPOSE = "Samordne det boligsosiale arbeidet."
IMPLAUSIBLE = "Give a date between 1990 and 2100."
CLOSED = "The arena is closed"
CANCELLED = "The meeting is cancelled, so no decisions or actions can be recorded in it."


def notes(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def give_role(world: World, who: str, held: Role) -> Holding:
    """`who` holds `held` from ten days ago (matched by e-mail, as a Person of the role's municipality)."""
    person = Person.objects.create(municipality=held.municipality, name="Hanne Holder", email=world.users[who].email)
    return Holding.objects.create(role=held, person=person, starts_on=TODAY - datetime.timedelta(days=10))


class Arenas:
    """A private Sortland arena with a seat, a meeting, a decision and an action owned by the
    refugee service."""

    def __init__(self, world: World) -> None:
        self.arena = make_arena(world)
        self.owner = role("flyktningtjeneste", "flyktning")
        self.seat = seat(self.arena, role("boligkoordinator", "bolig"), datetime.date(2026, 1, 1))
        self.meeting = actions.add_meeting(
            self.arena, starts_at=at(2026, 3, 3), agenda="Hemmelig sak om Sørøya", by=None
        )
        self.decision = actions.add_decision(self.meeting, text="Kommunen kjøper to boliger.", by=None)
        self.item = actions.add_action(
            self.arena, title="Kartlegg behov", owner_role=self.owner, due_on=TODAY, meeting=self.meeting, by=None
        )

    def update_url(self) -> str:
        return reverse("arenas:update_action", args=[self.arena.pk, self.item.pk])


# 1. The holder of the owner role outside the arena's circle.
def test_a_holder_who_may_not_see_the_arena_gets_no_arena_page_on_an_invalid_status(world: World) -> None:
    setup = Arenas(world)
    give_role(world, "user_org", setup.owner)  # Marborg's user has no seat in the arena
    marborg = client_for(world, "user_org")
    assert marborg.get(setup.arena.get_absolute_url()).status_code == 404
    response = marborg.post(setup.update_url(), {"status": "x", "note": "Oi"})
    page = response.content.decode()
    assert PURPOSE not in page and "Kommunen kjøper" not in page and "Sørøya" not in page
    assert response.status_code == 302 and response["Location"] == MY_WORK
    assert "Choose a status from the list." in notes(response)
    back = marborg.post(setup.update_url(), {"status": "x", "next": "/kommune/1870/"})
    assert back.status_code == 302 and back["Location"] == "/kommune/1870/"
    setup.item.refresh_from_db()
    assert setup.item.status == ActionStatus.OPEN and setup.item.status_note == ""


def test_a_holder_who_may_not_see_the_arena_updates_the_status_and_lands_on_a_page_they_may_see(
    world: World,
) -> None:
    setup = Arenas(world)
    give_role(world, "user_org", setup.owner)
    marborg = client_for(world, "user_org")
    response = marborg.post(setup.update_url(), {"status": ActionStatus.DONE, "note": "Ferdig"})
    assert response.status_code == 302 and response["Location"] == MY_WORK
    assert marborg.get(response["Location"]).status_code == 200
    setup.item.refresh_from_db()
    assert setup.item.status == ActionStatus.DONE and setup.item.status_note == "Ferdig"
    assert setup.item.history.first().history_user == world.users["user_org"]
    evil = marborg.post(setup.update_url(), {"status": ActionStatus.IN_PROGRESS, "next": "https://evil.example/"})
    assert evil["Location"] == MY_WORK


def test_someone_who_sees_the_arena_still_gets_it_back_with_the_error(world: World) -> None:
    setup = Arenas(world)
    response = client_for(world, "editor").post(setup.update_url(), {"status": "x"})
    assert response.status_code == 400 and PURPOSE in response.content.decode()


# 2. Implausible dates.
def url_and_data(setup: Arenas, form: str, value: str) -> tuple[str, dict[str, object]]:
    arena, meeting, item = setup.arena.pk, setup.meeting.pk, setup.item.pk
    owner = setup.owner.pk
    return {
        "new_meeting starts_at": (reverse("arenas:new_meeting", args=[arena]), {"starts_at": value}),
        "new_meeting ends_at": (
            reverse("arenas:new_meeting", args=[arena]),
            {"starts_at": "2026-05-05T10:00", "ends_at": value},
        ),
        "edit_meeting starts_at": (reverse("arenas:edit_meeting", args=[arena, meeting]), {"starts_at": value}),
        "add_member joined_on": (
            reverse("arenas:add_member", args=[arena]),
            {"role": role("nav-leder", "nav").pk, "joined_on": value},
        ),
        "end_membership left_on": (
            reverse("arenas:end_membership", args=[arena, setup.seat.pk]),
            {"left_on": value},
        ),
        "add_action due_on": (
            reverse("arenas:add_action", args=[arena, meeting]),
            {"title": "Nytt tiltak", "owner_role": owner, "due_on": value},
        ),
        "edit_action due_on": (
            reverse("arenas:edit_action", args=[arena, item]),
            {"title": "Kartlegg behov", "owner_role": owner, "due_on": value},
        ),
    }[form]


def stored(setup: Arenas) -> tuple[object, ...]:
    setup.meeting.refresh_from_db()
    setup.item.refresh_from_db()
    setup.seat.refresh_from_db()
    return (
        Meeting.objects.count(),
        ArenaMember.objects.count(),
        ActionItem.objects.count(),
        setup.meeting.starts_at,
        setup.seat.left_on,
        setup.item.due_on,
    )


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize(
    "form",
    [
        "new_meeting starts_at",
        "new_meeting ends_at",
        "edit_meeting starts_at",
        "add_member joined_on",
        "end_membership left_on",
        "add_action due_on",
        "edit_action due_on",
    ],
)
def test_an_implausible_date_is_refused_with_a_message_and_nothing_is_stored(
    world: World, form: str, value: str
) -> None:
    setup = Arenas(world)
    if form.endswith(("starts_at", "ends_at")):
        value += "T10:00"
    url, data = url_and_data(setup, form, value)
    before = stored(setup)
    response = client_for(world, "editor").post(url, data)
    assert response.status_code == 400
    assert IMPLAUSIBLE in response.content.decode()
    assert stored(setup) == before


# 3. A closed arena is kept as it was.
def closed_posts(setup: Arenas, world: World) -> dict[str, tuple[str, dict[str, object]]]:
    arena, meeting = setup.arena.pk, setup.meeting.pk
    return {
        "add_member": (reverse("arenas:add_member", args=[arena]), {"organisation": world.user_org.pk,
                                                                     "joined_on": "2026-02-01"}),
        "end_membership": (reverse("arenas:end_membership", args=[arena, setup.seat.pk]), {"left_on": "2026-02-01"}),
        "new_meeting": (reverse("arenas:new_meeting", args=[arena]), {"starts_at": "2026-05-05T10:00"}),
        "edit_meeting": (reverse("arenas:edit_meeting", args=[arena, meeting]), {"starts_at": "2026-05-05T10:00",
                                                                                 "location": "Kulturhuset"}),
        "edit_minutes": (reverse("arenas:edit_minutes", args=[arena, meeting]), {"minutes": "Nytt referat",
                                                                                 f"seat_{setup.seat.pk}": "present"}),
        "cancel_meeting": (reverse("arenas:cancel_meeting", args=[arena, meeting]), {}),
        "add_decision": (reverse("arenas:add_decision", args=[arena, meeting]), {"text": "Nytt vedtak"}),
        "withdraw_decision": (reverse("arenas:withdraw_decision", args=[arena, setup.decision.pk]), {}),
        "add_action": (reverse("arenas:add_action", args=[arena, meeting]), {"title": "Nytt", "due_on": "2026-05-01",
                                                                             "owner_role": setup.owner.pk}),
        "edit_action": (reverse("arenas:edit_action", args=[arena, setup.item.pk]), {"title": "Nytt navn",
                        "due_on": "2026-05-01", "owner_role": setup.owner.pk}),
        "update_action": (setup.update_url(), {"status": ActionStatus.DONE, "note": "Ferdig"}),
    }  # fmt: skip


def snapshot(setup: Arenas) -> tuple[object, ...]:
    for row in (setup.meeting, setup.item, setup.seat, setup.decision):
        row.refresh_from_db()
    return (
        ArenaMember.objects.count(),
        Meeting.objects.count(),
        Decision.objects.count(),
        ActionItem.objects.count(),
        setup.seat.left_on,
        (setup.meeting.starts_at, setup.meeting.location, setup.meeting.minutes, setup.meeting.cancelled_at),
        setup.meeting.attendance.count(),
        setup.decision.withdrawn_at,
        (setup.item.title, setup.item.due_on, setup.item.status, setup.item.status_note),
    )


@pytest.mark.parametrize(
    "change",
    [
        "add_member",
        "end_membership",
        "new_meeting",
        "edit_meeting",
        "edit_minutes",
        "cancel_meeting",
        "add_decision",
        "withdraw_decision",
        "add_action",
        "edit_action",
        "update_action",
    ],
)
def test_a_closed_arena_refuses_every_change_with_a_message(world: World, change: str) -> None:
    setup = Arenas(world)
    actions.close_arena(setup.arena)
    url, data = closed_posts(setup, world)[change]
    before = snapshot(setup)
    response = client_for(world, "editor").post(url, data)
    assert response.status_code == 403
    page = response.content.decode()
    assert CLOSED in page and "can no longer be changed" in page
    assert snapshot(setup) == before


def test_the_holder_of_the_owner_role_is_told_the_arena_is_closed_and_sent_back_to_their_own_page(
    world: World,
) -> None:
    setup = Arenas(world)
    give_role(world, "user_org", setup.owner)
    actions.close_arena(setup.arena)
    response = client_for(world, "user_org").post(setup.update_url(), {"status": ActionStatus.DONE})
    page = response.content.decode()
    assert response.status_code == 403 and CLOSED in page and f'href="{MY_WORK}"' in page
    assert PURPOSE not in page and f'href="{setup.arena.get_absolute_url()}"' not in page  # no link to a 404
    setup.item.refresh_from_db()
    assert setup.item.status == ActionStatus.OPEN


def closed_calls(setup: Arenas) -> dict[str, Callable[[], object]]:
    return {
        "add_member": lambda: actions.add_member(setup.arena, role=setup.owner, joined_on=TODAY, by=None),
        "end_membership": lambda: actions.end_membership(setup.seat, left_on=TODAY),
        "add_meeting": lambda: actions.add_meeting(setup.arena, starts_at=at(2026, 5, 5), by=None),
        "save_meeting": lambda: actions.save_meeting(setup.meeting, starts_at=at(2026, 5, 5), by=None),
        "save_minutes": lambda: actions.save_minutes(setup.meeting, minutes="Nytt", attendance={setup.seat: True}),
        "cancel_meeting": lambda: actions.cancel_meeting(setup.meeting),
        "add_decision": lambda: actions.add_decision(setup.meeting, text="Nytt vedtak", by=None),
        "withdraw_decision": lambda: actions.withdraw_decision(setup.decision, by=None),
        "add_action": lambda: actions.add_action(
            setup.arena, title="Nytt", owner_role=setup.owner, due_on=TODAY, meeting=setup.meeting, by=None
        ),
        "edit_action": lambda: actions.edit_action(
            setup.item, title="Nytt navn", owner_role=setup.owner, due_on=TODAY, by=None
        ),
        "update_action": lambda: actions.update_action(setup.item, status=ActionStatus.DONE, note="", by=None),
    }


@pytest.mark.parametrize(
    "call",
    [
        "add_member",
        "end_membership",
        "add_meeting",
        "save_meeting",
        "save_minutes",
        "cancel_meeting",
        "add_decision",
        "withdraw_decision",
        "add_action",
        "edit_action",
        "update_action",
    ],
)
def test_the_actions_refuse_a_closed_arena_so_commands_are_safe_too(world: World, call: str) -> None:
    setup = Arenas(world)
    actions.close_arena(setup.arena)
    for row in (setup.meeting, setup.item, setup.seat, setup.decision):
        row.arena = Arena.objects.get(pk=setup.arena.pk)  # as a command would load them
    before = snapshot(setup)
    with pytest.raises(ValidationError, match="The arena is closed"):
        closed_calls(setup)[call]()
    assert snapshot(setup) == before


# 4. A cancelled meeting.
@pytest.mark.parametrize("what", ["add_decision", "add_action"])
def test_a_cancelled_meeting_records_no_decision_or_action(world: World, what: str) -> None:
    setup = Arenas(world)
    actions.cancel_meeting(setup.meeting)
    url, data = closed_posts(setup, world)[what]
    before = snapshot(setup)
    response = client_for(world, "editor").post(url, data)
    assert response.status_code == 400
    assert CANCELLED in response.content.decode()
    assert snapshot(setup) == before
    page = client_for(world, "editor").get(setup.meeting.get_absolute_url()).content.decode()
    assert "Record a decision" not in page and "Add an action" not in page


def test_the_actions_refuse_a_decision_or_action_in_a_cancelled_meeting(world: World) -> None:
    setup = Arenas(world)
    actions.cancel_meeting(setup.meeting)
    with pytest.raises(ValidationError, match="cancelled"):
        actions.add_decision(setup.meeting, text="Nytt vedtak", by=None)
    with pytest.raises(ValidationError, match="cancelled"):
        actions.add_action(
            setup.arena, title="Nytt", owner_role=setup.owner, due_on=TODAY, meeting=setup.meeting, by=None
        )
    assert Decision.objects.count() == 1 and ActionItem.objects.count() == 1


def test_cancelling_twice_changes_nothing(world: World) -> None:
    setup = Arenas(world)
    url = reverse("arenas:cancel_meeting", args=[setup.arena.pk, setup.meeting.pk])
    client: Client = client_for(world, "editor")
    assert client.post(url).status_code == 302
    setup.meeting.refresh_from_db()
    first, versions = setup.meeting.cancelled_at, setup.meeting.history.count()
    again = client.post(url)
    assert again.status_code == 302 and "The meeting was already cancelled. Nothing is changed." in notes(again)
    actions.cancel_meeting(Meeting.objects.get(pk=setup.meeting.pk))
    actions.cancel_meeting(setup.meeting)
    setup.meeting.refresh_from_db()
    assert setup.meeting.cancelled_at == first and setup.meeting.history.count() == versions
