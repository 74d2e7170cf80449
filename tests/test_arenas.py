"""Arenas: numbered decisions, search, meetings, actions and who may change them, public and private
arenas, the coverage matrix and bounded queries."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lagspill.arenas import actions, coverage, queries
from lagspill.arenas.models import ActionItem, ActionStatus, Arena, ArenaMember, Decision, Meeting
from lagspill.continuity.models import Holding, Person, Role
from lagspill.organisations.models import Organisation
from lagspill.places.models import County, Municipality

from .builders import World

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def role(kind: str, department: str, number: str = "1870") -> Role:
    municipality = Municipality.objects.get(number=number)
    return Role.objects.get_or_create(municipality=municipality, kind=kind, defaults={"department": department})[0]


def make_arena(world: World, *, public: bool = False, name: str = "Boligsosialt team") -> Arena:
    return actions.create_arena(
        municipality=world.sortland.municipality,
        name=name,
        purpose="Samordne det boligsosiale arbeidet.",
        rhythm="manedlig",
        is_public=public,
        by=world.users["editor"],
    )


def seat(arena: Arena, member: Role | Organisation, joined_on: datetime.date | None = None) -> ArenaMember:
    key = "role" if isinstance(member, Role) else "organisation"
    return actions.add_member(
        arena, joined_on=joined_on or TODAY - datetime.timedelta(days=30), by=None, **{key: member}
    )


def english() -> Client:
    """Pages in English, so the assertions hold once the strings are translated."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def client_for(world: World, who: str) -> Client:
    client = english()
    if who != "anonymous":
        client.force_login(world.users[who])
    return client


def test_decisions_are_numbered_per_arena_and_year(world: World) -> None:
    arena, other = make_arena(world), make_arena(world, name="Boligforum")
    first = actions.add_meeting(arena, starts_at=at(2026, 2, 3), by=None)
    later = actions.add_meeting(arena, starts_at=at(2027, 1, 12), by=None)
    labels = [
        actions.add_decision(first, text="Én", by=None).label,
        actions.add_decision(first, text="To", by=None).label,
        actions.add_decision(later, text="Tre", by=None).label,
        actions.add_decision(actions.add_meeting(other, starts_at=at(2026, 5, 1), by=None), text="x", by=None).label,
    ]
    assert labels == ["1/2026", "2/2026", "1/2027", "1/2026"]
    assert Decision.objects.filter(arena=arena, year=2026).count() == 2


def test_a_decision_is_found_by_any_word_case_and_letters_folded(world: World) -> None:
    arena = make_arena(world, public=True)
    meeting = actions.add_meeting(arena, starts_at=at(2026, 3, 3), by=None)
    actions.add_decision(meeting, text="Kommunen kjøper TRE boliger på Sørøya til unge i etablering.", by=None)
    actions.add_decision(meeting, text="Husbanken inviteres til neste møte.", by=None)
    found = lambda q: [d.text[:8] for d in queries.search(arena.decisions.all(), q)]  # noqa: E731
    assert found("SØRØYA") == ["Kommunen"]
    assert found("sorøya") == ["Kommunen"]  # ø and o fold alike
    assert found("kjøper boliger") == ["Kommunen"]  # every word must occur
    assert found("husbanken boliger") == []
    assert found("Hamarøy") == []
    anonymous = english()
    page = anonymous.get(reverse("arenas:arena", args=[arena.pk]), {"q": "Sørøya"})
    assert "Sørøya" in page.content.decode() and "Husbanken inviteres" not in page.content.decode()
    search = anonymous.get(reverse("arenas:decisions", args=["1870"]), {"q": "HUSBANKEN"})
    assert "Husbanken inviteres" in search.content.decode() and "Sørøya til" not in search.content.decode()


def test_a_meeting_that_ends_before_it_starts_is_refused_and_nothing_is_stored(world: World) -> None:
    arena = make_arena(world)
    client = client_for(world, "editor")
    response = client.post(
        reverse("arenas:new_meeting", args=[arena.pk]),
        {"starts_at": "2026-03-03T12:00", "ends_at": "2026-03-03T11:00", "location": "Rådhuset"},
    )
    assert response.status_code == 400
    assert "The meeting must end after it starts." in response.content.decode()
    assert not Meeting.objects.exists()
    ok = client.post(
        reverse("arenas:new_meeting", args=[arena.pk]),
        {"starts_at": "2026-03-03T12:00", "ends_at": "2026-03-03T14:00", "location": "Rådhuset"},
    )
    assert ok.status_code == 302 and Meeting.objects.count() == 1


def owned_action(world: World, arena: Arena, owner: Role) -> ActionItem:
    meeting = actions.add_meeting(arena, starts_at=at(2026, 3, 3), by=None)
    return actions.add_action(arena, title="Kartlegg behov", owner_role=owner, due_on=TODAY, meeting=meeting, by=None)


def hold(world: World, who: str, held: Role) -> Holding:
    email = world.users[who].email
    person = Person.objects.create(municipality=held.municipality, name="Hanne Holder", email=email.upper())
    return Holding.objects.create(role=held, person=person, starts_on=TODAY - datetime.timedelta(days=10))


def test_the_holder_of_the_owner_role_updates_the_action_and_others_may_not(world: World) -> None:
    refugees = role("flyktningtjeneste", "flyktning")
    arena = make_arena(world)  # refugees need not sit in the arena to own an action
    item = owned_action(world, arena, refugees)
    url = reverse("arenas:update_action", args=[arena.pk, item.pk])
    data = {"status": ActionStatus.DONE, "note": "Ferdig kartlagt", "next": "https://evil.example/"}
    assert client_for(world, "viewer").post(url, data).status_code == 403  # sees the arena, holds no role
    assert client_for(world, "housing_bank").post(url, data).status_code == 403
    assert client_for(world, "user_org").post(url, data).status_code == 404
    item.refresh_from_db()
    assert item.status == ActionStatus.OPEN and item.done_at is None
    hold(world, "viewer", refugees)
    response = client_for(world, "viewer").post(url, data)
    assert response.status_code == 302 and response["Location"] == arena.get_absolute_url()  # unsafe next ignored
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE and item.done_at and item.status_note == "Ferdig kartlagt"
    assert item.history.first().history_user == world.users["viewer"]
    back = client_for(world, "viewer").post(url, {"status": ActionStatus.IN_PROGRESS, "next": "/kommune/1870/"})
    assert back["Location"] == "/kommune/1870/"
    item.refresh_from_db()
    assert item.status == ActionStatus.IN_PROGRESS and item.done_at is None


def test_an_unknown_status_is_refused(world: World) -> None:
    item = owned_action(world, make_arena(world), role("boligkoordinator", "bolig"))
    response = client_for(world, "editor").post(
        reverse("arenas:update_action", args=[item.arena_id, item.pk]), {"status": "x"}
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == ActionStatus.OPEN


def test_public_arenas_are_open_and_show_role_names_but_never_person_names(world: World) -> None:
    coordinator = role("boligkoordinator", "bolig")
    public, private = make_arena(world, public=True), make_arena(world, name="Internt forum")
    seat(public, coordinator)
    name, email = "Kari Koordinator", "kari.koordinator@sortland.kommune.no"
    Holding.objects.create(
        role=coordinator,
        person=Person.objects.create(municipality=coordinator.municipality, name=name, email=email),
        starts_on=TODAY - datetime.timedelta(days=100),
    )
    meeting = actions.add_meeting(public, starts_at=at(2026, 3, 3), by=None)
    actions.save_minutes(meeting, minutes="Gjennomgang av boligplanen.", attendance={public.members.get(): True})
    actions.add_decision(meeting, text="Boligplanen vedtas.", by=None)
    actions.add_action(public, title="Følg opp planen", owner_role=coordinator, due_on=TODAY, meeting=meeting, by=None)
    anonymous = english()
    pages = {
        "arena": anonymous.get(public.get_absolute_url()),
        "meeting": anonymous.get(meeting.get_absolute_url()),
        "search": anonymous.get(reverse("arenas:decisions", args=["1870"]), {"q": "boligplanen"}),
    }
    for where, response in pages.items():
        page = response.content.decode()
        assert response.status_code == 200, where
        assert where == "search" or coordinator.display_name in page, where  # the role is shown …
        assert name not in page and email not in page and "Koordinator" not in page, where  # … never the person
    assert "Boligplanen vedtas." in pages["search"].content.decode()  # the search did find the decision
    assert anonymous.get(private.get_absolute_url()).status_code == 404
    assert client_for(world, "outsider").get(private.get_absolute_url()).status_code == 404
    assert name in client_for(world, "viewer").get(public.get_absolute_url()).content.decode()
    listing = anonymous.get(reverse("arenas:municipality_arenas", args=["1870"])).content.decode()
    assert public.name in listing and "Internt forum" not in listing


def test_an_organisation_with_a_current_seat_sees_the_private_arena(world: World) -> None:
    arena = make_arena(world)
    marborg = client_for(world, "user_org")
    assert marborg.get(arena.get_absolute_url()).status_code == 404
    member = seat(arena, world.user_org)
    assert marborg.get(arena.get_absolute_url()).status_code == 200
    assert arena.name in marborg.get(reverse("arenas:municipality_arenas", args=["1870"])).content.decode()
    actions.end_membership(member, left_on=TODAY - datetime.timedelta(days=1))
    assert marborg.get(arena.get_absolute_url()).status_code == 404


def test_coverage_warns_when_the_work_sits_in_one_department(world: World) -> None:
    arena = make_arena(world)
    seat(arena, role("boligkoordinator", "bolig"))
    seat(arena, role("eiendomssjef", "bolig"))
    seat(arena, world.housing_bank)  # an organisation is not a department
    client = client_for(world, "viewer")
    page = client.get(reverse("arenas:municipality_arenas", args=["1870"])).content.decode()
    assert "The social housing work sits in a single department" in page
    assert "✓</span> Yes" in page and "Husbanken (Husbanken)" in page
    broad = make_arena(world, name="Tverrfaglig forum")
    seat(broad, role("nav-leder", "nav"))
    seat(broad, role("helse-omsorg-leder", "helse-omsorg"))
    result = coverage.build(queries.municipality_arenas(world.users["viewer"], world.sortland.municipality, TODAY))
    assert result.single_department is None
    assert [(a.name, str(d)) for a, d in result.narrow] == [("Boligsosialt team", "Property and housing")]
    page = client.get(reverse("arenas:municipality_arenas", args=["1870"])).content.decode()
    assert "The social housing work sits in a single department" not in page
    assert "These arenas have role seats in one department only" in page


def test_a_closed_arena_is_kept_and_listed_separately(world: World) -> None:
    arena = make_arena(world)
    client = client_for(world, "editor")
    assert client.post(reverse("arenas:close_arena", args=[arena.pk])).status_code == 302
    arena.refresh_from_db()
    assert arena.closed_at is not None
    page = client.get(reverse("arenas:municipality_arenas", args=["1870"])).content.decode()
    assert "Closed arenas" in page and arena.name in page
    refused = client.post(reverse("arenas:add_member", args=[arena.pk]), {"organisation": world.user_org.pk})
    assert refused.status_code == 403 and not arena.members.exists()


def test_members_are_added_and_ended_through_the_pages(world: World) -> None:
    arena = make_arena(world)
    nav = role("nav-leder", "nav")
    client = client_for(world, "editor")
    url = reverse("arenas:add_member", args=[arena.pk])
    both = client.post(url, {"role": nav.pk, "organisation": world.user_org.pk, "joined_on": "2026-01-01"})
    assert both.status_code == 400 and not arena.members.exists()
    assert client.post(url, {"role": nav.pk, "joined_on": "2026-01-01"}).status_code == 302
    again = client.post(url, {"role": nav.pk, "joined_on": "2026-02-01"})
    assert again.status_code == 400 and arena.members.count() == 1
    member = arena.members.get()
    end = reverse("arenas:end_membership", args=[arena.pk, member.pk])
    assert client.post(end, {"left_on": "2025-12-01"}).status_code == 400
    assert client.post(end, {"left_on": "2026-03-01"}).status_code == 302
    member.refresh_from_db()
    assert member.left_on == datetime.date(2026, 3, 1)


def test_a_meeting_records_minutes_attendance_a_decision_and_an_action(world: World) -> None:
    arena = make_arena(world)
    nav, coordinator = role("nav-leder", "nav"), role("boligkoordinator", "bolig")
    nav_seat, marborg_seat = (
        seat(arena, nav, datetime.date(2026, 1, 1)),
        seat(arena, world.user_org, datetime.date(2026, 1, 1)),
    )
    meeting = actions.add_meeting(arena, starts_at=at(2026, 3, 3), by=None)
    client = client_for(world, "editor")
    minutes = reverse("arenas:edit_minutes", args=[arena.pk, meeting.pk])
    data = {
        "minutes": "Vi gikk gjennom boligplanen.",
        f"seat_{nav_seat.pk}": "present",
        f"seat_{marborg_seat.pk}": "absent",
    }
    assert client.post(minutes, data).status_code == 302
    assert {(a.member_id, a.present) for a in meeting.attendance.all()} == {
        (nav_seat.pk, True),
        (marborg_seat.pk, False),
    }
    assert client.post(reverse("arenas:add_decision", args=[arena.pk, meeting.pk]), {"text": ""}).status_code == 400
    assert (
        client.post(reverse("arenas:add_decision", args=[arena.pk, meeting.pk]), {"text": "Vedtak"}).status_code == 302
    )
    decision = Decision.objects.get()
    add = reverse("arenas:add_action", args=[arena.pk, meeting.pk])
    action = {"title": "Lag oversikt", "owner_role": coordinator.pk, "due_on": "2026-04-01", "decision": decision.pk}
    assert client.post(add, {**action, "owner_role": ""}).status_code == 400  # an owner is required
    assert client.post(add, action).status_code == 302  # the coordinator owns it without a seat
    item = ActionItem.objects.get()
    assert (item.owner_role, item.decision, item.meeting) == (coordinator, decision, meeting)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Vi gikk gjennom boligplanen." in page and "Present" in page and "Absent" in page
    assert "1/2026" in page and "Lag oversikt" in page
    overdue = client.get(reverse("arenas:open_actions", args=["1870"])).content.decode()
    assert "Lag oversikt" in overdue and ("Overdue" in overdue) == (item.due_on < TODAY)
    assert client.post(reverse("arenas:cancel_meeting", args=[arena.pk, meeting.pk])).status_code == 302
    meeting.refresh_from_db()
    assert meeting.cancelled_at is not None


def test_the_county_governor_runs_county_networks_with_organisations(world: World) -> None:
    governor = client_for(world, "county_governor")
    response = governor.post(
        reverse("arenas:new_network", args=["18"]),
        {"name": "Boligsosialt nettverk Nordland", "purpose": "Erfaringsdeling", "rhythm": "kvartalsvis"},
    )
    assert response.status_code == 302
    network = Arena.objects.get(county__number="18")
    add = reverse("arenas:add_member", args=[network.pk])
    assert governor.post(add, {"organisation": world.sortland.pk, "joined_on": "2026-01-01"}).status_code == 302
    assert governor.post(add, {"organisation": world.housing_bank.pk, "joined_on": "2026-01-01"}).status_code == 302
    assert client_for(world, "editor").post(add, {"organisation": world.user_org.pk}).status_code == 403
    assert client_for(world, "outsider").get(network.get_absolute_url()).status_code == 200  # Fauske is in the county
    assert english().get(network.get_absolute_url()).status_code == 404
    listing = client_for(world, "viewer").get(reverse("arenas:county_networks", args=["18"])).content.decode()
    assert "Boligsosialt nettverk Nordland" in listing
    meeting = actions.add_meeting(network, starts_at=at(2026, 4, 1), by=None)
    item = actions.add_action(
        network, title="Del planer", owner_organisation=world.sortland, due_on=TODAY, meeting=meeting, by=None
    )
    assert item.owner_organisation == world.sortland
    assert County.objects.get(number="18").network_arenas.count() == 1


def grow(world: World, arena: Arena, meetings: int) -> None:
    coordinator = role("boligkoordinator", "bolig")
    for i in range(meetings):
        meeting = actions.add_meeting(arena, starts_at=at(2026, 1 + i % 12, 1 + i // 12), by=None)
        decision = actions.add_decision(meeting, text=f"Vedtak {i}", by=None)
        actions.add_action(
            arena,
            title=f"Tiltak {i}",
            owner_role=coordinator,
            due_on=TODAY,
            meeting=meeting,
            decision=decision,
            by=None,
        )


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["viewer", "anonymous"])
def test_page_queries_are_bounded_and_do_not_grow_with_meetings(world: World, who: str) -> None:
    arena = make_arena(world, public=True)
    for member in (role("boligkoordinator", "bolig"), role("nav-leder", "nav"), world.user_org):
        seat(arena, member)
    grow(world, arena, 2)
    client = client_for(world, who)
    first = actions.add_meeting(arena, starts_at=at(2026, 6, 6), by=None)
    urls = [
        reverse("arenas:municipality_arenas", args=["1870"]),
        arena.get_absolute_url(),
        first.get_absolute_url(),
        reverse("arenas:decisions", args=["1870"]) + "?q=vedtak",
        reverse("arenas:open_actions", args=["1870"]),
        reverse("arenas:county_networks", args=["18"]),
    ]
    before = [count_queries(client, url) for url in urls]
    grow(world, arena, 12)
    for number in range(3):
        actions.add_decision(first, text=f"Mer {number}", by=None)
    after = [count_queries(client, url) for url in urls]
    assert before == after
    assert max(after) <= 20
