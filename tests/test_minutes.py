"""Meeting minutes as PDF (`/arenaer/<pk>/moter/<mid>/referat.pdf`): a tagged PDF with the meeting's
facts, attendance, agenda and minutes, decisions and actions; the same rows as the meeting page; a
private arena's minutes are a 404 outside it; the download link on the meeting page; bounded queries."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from lagspill.arenas import actions
from lagspill.arenas.models import Arena, Meeting
from lagspill.continuity.models import Role
from lagspill.places.models import Municipality

from .builders import World

STARTS = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


def client_for(world: World, role: str) -> Client:
    client = Client()
    client.cookies["lagspill_language"] = "en"
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", str(text))


def role(kind: str) -> Role:
    sortland = Municipality.objects.get(number="1870")
    return Role.objects.get_or_create(municipality=sortland, kind=kind, defaults={"department": "bolig"})[0]


def arena_with_meeting(world: World, *, public: bool = False, decisions: int = 2, items: int = 2) -> Meeting:
    """A Sortland arena with two role seats and Marborg, a held meeting with attendance, numbered decisions
    (the first one withdrawn) and actions owned by a role and by Marborg."""
    arena = actions.create_arena(
        name="Boligsosialt team",
        purpose="Samordning",
        rhythm="manedlig",
        is_public=public,
        by=None,
        municipality=Municipality.objects.get(number="1870"),
    )
    joined = datetime.date(2026, 1, 1)
    coordinator = actions.add_member(arena, joined_on=joined, by=None, role=role("boligkoordinator"))
    nav = actions.add_member(arena, joined_on=joined, by=None, role=role("nav-leder"))
    marborg = actions.add_member(arena, joined_on=joined, by=None, organisation=world.user_org)
    meeting = actions.add_meeting(
        arena, starts_at=STARTS, by=None, location="Rådhuset, møterom 2", agenda="1. Status\n2. Boligplanen"
    )
    actions.save_minutes(
        meeting, minutes="Gjennomgang av ventelisten.", attendance={coordinator: True, nav: False, marborg: True}
    )
    add_records(meeting, decisions, items)
    return meeting


def add_records(meeting: Meeting, decisions: int, items: int, offset: int = 0) -> None:
    made = [actions.add_decision(meeting, text=f"Vedtak nummer {offset + n}", by=None) for n in range(decisions)]
    if made and not offset:
        actions.withdraw_decision(made[0], by=None)
    for n in range(items):
        owner = {"owner_role": role("boligkoordinator")} if n % 2 == 0 else {"owner_organisation": marborg_org()}
        actions.add_action(
            meeting.arena,
            title=f"Oppfølging {offset + n}",
            due_on=datetime.date(2026, 4, 1 + n),
            by=None,
            meeting=meeting,
            decision=made[-1] if made else None,
            **owner,
        )


def marborg_org() -> object:
    from lagspill.organisations.models import Organisation

    return Organisation.objects.get(slug="marborg")


def minutes_url(meeting: Meeting) -> str:
    return reverse("reports:minutes_pdf", args=[meeting.arena_id, meeting.pk])


def test_the_minutes_pdf_is_tagged_and_holds_the_meeting(world: World) -> None:
    meeting = arena_with_meeting(world)
    response = client_for(world, "editor").get(minutes_url(meeting))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="minutes-boligsosialt-team-2026-03-10')
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.metadata.title == "Minutes: Boligsosialt team, 2026-03-10"
    text = squeezed(pdf_text(response.content))
    for expected in (
        "Rådhuset, møterom 2",
        "1. Status",
        "2. Boligplanen",
        "Gjennomgang av ventelisten.",
        "2 present, 1 absent",
        "Marborg",
        "Not public.",
    ):
        assert squeezed(expected) in text, expected
    year = STARTS.year
    assert squeezed(f"1/{year} Withdrawn") in text and squeezed("Vedtak nummer 0") in text
    assert squeezed(f"2/{year}Vedtak nummer 1") in text
    assert squeezed(f"Oppfølging 0 (decision 2/{year})") in text
    with translation.override("en"):
        due = [date_format(datetime.date(2026, 4, day), "DATE_FORMAT") for day in (1, 2)]
    assert all(squeezed(day) in text for day in due)


def test_the_minutes_hold_the_same_rows_as_the_meeting_page(world: World) -> None:
    meeting = arena_with_meeting(world)
    client = client_for(world, "county_governor")
    page = client.get(meeting.get_absolute_url())
    assert page.status_code == 200
    response = client.get(minutes_url(meeting))
    minutes = response.context["minutes"]
    shown = page.context["page"]
    assert [d.pk for d in minutes.page.decisions] == [d.pk for d in shown.decisions]
    assert [a.pk for a in minutes.actions] == [a.pk for a in shown.actions]
    assert [s.member.pk for s in minutes.seats] == [s.pk for s in shown.seats]
    assert {s.member.pk for s in minutes.seats if s.attendance == "present"} == shown.present
    assert {s.member.pk for s in minutes.seats if s.attendance == "absent"} == shown.absent
    text = squeezed(pdf_text(response.content))
    for item in shown.actions:
        owner = item.owner_role.display_name if item.owner_role_id else item.owner_organisation.name
        assert squeezed(f"{item.title} (decision {item.decision.label}) {owner}") in text
        assert squeezed(item.get_status_display()) in text
    for seat in shown.seats:
        name = seat.role.display_name if seat.role_id else seat.organisation.name
        assert squeezed(name) in text


def test_the_meeting_page_links_to_the_minutes(world: World) -> None:
    meeting = arena_with_meeting(world, public=True)
    html = client_for(world, "anonymous").get(meeting.get_absolute_url()).content.decode()
    assert f'href="{minutes_url(meeting)}"' in html


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 404), ("outsider", 404), ("user_org", 200), ("viewer", 200), ("housing_bank", 200)],
)
def test_a_private_arena_s_minutes_are_a_404_outside_it(world: World, role: str, status: int) -> None:
    """Marborg has a seat in the arena, so it sees the meeting, as on the meeting page."""
    meeting = arena_with_meeting(world, decisions=0, items=0)
    client = client_for(world, role)
    assert client.get(meeting.get_absolute_url()).status_code == status
    assert client.get(minutes_url(meeting)).status_code == status


def test_a_public_arena_s_minutes_are_open(world: World) -> None:
    meeting = arena_with_meeting(world, public=True, decisions=1, items=0)
    response = client_for(world, "anonymous").get(minutes_url(meeting))
    assert response.status_code == 200
    assert "Not public." not in pdf_text(response.content)


def test_a_meeting_of_another_arena_is_404(world: World) -> None:
    meeting = arena_with_meeting(world, decisions=0, items=0)
    other = Arena.objects.create(municipality_id=meeting.arena.municipality_id, name="Annet", purpose="-")
    url = reverse("reports:minutes_pdf", args=[other.pk, meeting.pk])
    assert client_for(world, "superuser").get(url).status_code == 404


def test_a_cancelled_meeting_says_so(world: World) -> None:
    meeting = arena_with_meeting(world, decisions=0, items=0)
    actions.cancel_meeting(meeting)
    text = pdf_text(client_for(world, "editor").get(minutes_url(meeting)).content)
    assert "Cancelled" in text and "No decisions recorded." in text and "No actions from this meeting." in text


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_minutes_run_a_fixed_number_of_queries(world: World) -> None:
    meeting = arena_with_meeting(world, decisions=1, items=1)
    client = client_for(world, "editor")
    few = queries_for(client, minutes_url(meeting))
    add_records(meeting, decisions=6, items=8, offset=10)
    assert queries_for(client, minutes_url(meeting)) == few
