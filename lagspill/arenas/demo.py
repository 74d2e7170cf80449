"""Demo arenas, meetings, decisions and actions (LAGSPILL_DEMO=1 only).

Sortland's "Boligsosialt team" (monthly; the housing coordinator, the NAV office, health and care,
property and the refugee service, with Marborg as the user organisation) with meetings in 2026,
minutes, numbered decisions and actions (one overdue, one owned by the refugee service), and the
County Governor's "Boligsosialt nettverk Nordland" across the project municipalities.

Everything goes through `actions.py`, is marked `is_demo` (pages show a Demo badge), and every
text starts with "Demo: ", so nothing passes for a real decision. Roles come from the continuity
demo when it has run; a missing one is made from the catalogue here. Idempotent: an arena that
exists (same owner and name, marked demo) is left as it is.
"""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from lagspill.continuity.catalogue import catalogue
from lagspill.continuity.models import Role
from lagspill.organisations.demo import ensure_demo
from lagspill.organisations.models import Organisation
from lagspill.places.models import County, Municipality

from . import actions
from .models import ActionStatus, Arena, Meeting, Rhythm

SORTLAND, NORDLAND = "1870", "18"
EDITOR, GOVERNOR = "sortland.redaktor@example.org", "statsforvalter@example.org"
TEAM, NETWORK = "Boligsosialt team", "Boligsosialt nettverk Nordland"
TEAM_ROLES = ("boligkoordinator", "nav-leder", "helse-omsorg-leder", "eiendomssjef", "flyktningtjeneste")
NETWORK_MUNICIPALITIES = ("1870", "1841", "1824", "1865")
DEMO = "Demo: "

# (date, agenda, minutes, present role kinds, decisions)
TEAM_MEETINGS: list[tuple[datetime.date, str, str, tuple[str, ...], list[str]]] = [
    (
        datetime.date(2026, 9, 9),
        "Status i boligplanen; ventelisten for kommunale utleieboliger.",
        "Gjennomgang av boligplanens tiltak. Ventelisten er 14 husstander, 5 av dem barnefamilier.",
        ("boligkoordinator", "nav-leder", "eiendomssjef"),
        ["Teamet lager en felles oversikt over ventelisten hver måned.", "Husbanken inviteres til møtet i oktober."],
    ),
    (
        datetime.date(2026, 10, 14),
        "Startlån og bostøtte; bosetting av flyktninger i 2027.",
        "Husbanken orienterte om startlån. Flyktningtjenesten ber om fire boliger til bosetting i 2027.",
        ("boligkoordinator", "nav-leder", "helse-omsorg-leder", "flyktningtjeneste"),
        ["Kommunen søker Husbanken om økt startlånsramme for 2027."],
    ),
    (
        datetime.date(2026, 11, 11),
        "Overgang fra institusjon til egen bolig; oppfølging i bolig.",
        "Helse og omsorg la fram behovet for fem boliger med oppfølging. Marborg deltok.",
        ("boligkoordinator", "helse-omsorg-leder", "eiendomssjef", "flyktningtjeneste"),
        ["Eiendom utreder ombygging av Kjøpmannsgata 12 til fem boenheter med fellesareal."],
    ),
    (datetime.date(2026, 12, 9), "Årsrapport for 2026; møteplan for 2027.", "", (), []),
]
# (title, owner role kind, due, status, meeting index, decision text index within the meeting or None)
TEAM_ACTIONS = [
    ("Oversikt over ventelisten til teamet", "boligkoordinator", datetime.date(2026, 10, 31), ActionStatus.OPEN, 0, 0),
    (
        "Skaffe fire boliger til bosetting i 2027",
        "flyktningtjeneste",
        datetime.date(2027, 2, 1),
        ActionStatus.IN_PROGRESS,
        1,
        None,
    ),
    ("Søknad om økt startlånsramme", "nav-leder", datetime.date(2026, 11, 20), ActionStatus.DONE, 1, 0),
    ("Kostnadsoverslag for Kjøpmannsgata 12", "eiendomssjef", datetime.date(2027, 1, 15), ActionStatus.OPEN, 2, 0),
]


def moment(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def demo_users() -> dict[str, Any]:
    users = {u.email: u for u in get_user_model().objects.filter(email__in=[EDITOR, GOVERNOR])}
    if len(users) < 2:
        ensure_demo()
        users = {u.email: u for u in get_user_model().objects.filter(email__in=[EDITOR, GOVERNOR])}
    return users


def demo_role(municipality: Municipality, kind: str) -> Role:
    """The continuity demo's role, or one made here from the catalogue entry."""
    entry = catalogue()[kind]
    defaults = {"department": entry.department, "is_elected": entry.elected, "is_demo": True}
    return Role.objects.get_or_create(municipality=municipality, kind=kind, defaults=defaults)[0]


def ensure_team(editor: Any) -> Arena | None:
    municipality = Municipality.objects.get(number=SORTLAND)
    if Arena.objects.filter(municipality=municipality, name=TEAM, is_demo=True).exists():
        return None
    arena = actions.create_arena(
        municipality=municipality,
        name=TEAM,
        purpose=DEMO + "Samordne det boligsosiale arbeidet på tvers av enhetene og følge opp boligplanen.",
        rhythm=Rhythm.MONTHLY,
        is_public=False,
        by=editor,
        is_demo=True,
    )
    roles = {kind: demo_role(municipality, kind) for kind in TEAM_ROLES}
    joined = datetime.date(2026, 1, 1)
    seats = {kind: actions.add_member(arena, role=role, joined_on=joined, by=editor) for kind, role in roles.items()}
    marborg = Organisation.objects.get(slug="marborg")
    seats["marborg"] = actions.add_member(arena, organisation=marborg, joined_on=joined, by=editor)
    meetings = [add_team_meeting(arena, spec, seats, editor) for spec in TEAM_MEETINGS]
    for title, owner, due, status, index, decision_index in TEAM_ACTIONS:
        meeting, decisions = meetings[index]
        item = actions.add_action(
            arena,
            title=DEMO + title,
            owner_role=roles[owner],
            due_on=due,
            meeting=meeting,
            decision=decisions[decision_index] if decision_index is not None else None,
            by=editor,
            is_demo=True,
        )
        if status != ActionStatus.OPEN:
            actions.update_action(item, status=status, note="", by=editor)
    return arena


def add_team_meeting(arena: Arena, spec: tuple, seats: dict, editor: Any) -> tuple[Meeting, list]:
    day, agenda, minutes, present, decisions = spec
    meeting = actions.add_meeting(
        arena,
        starts_at=moment(day, 9),
        ends_at=moment(day, 11),
        location="Sortland rådhus, møterom 2",
        agenda=DEMO + agenda,
        by=editor,
        is_demo=True,
    )
    if minutes:
        attendance = {seat: kind in present for kind, seat in seats.items() if kind != "marborg"}
        attendance[seats["marborg"]] = day.month == 11
        actions.save_minutes(meeting, minutes=DEMO + minutes, attendance=attendance)
    made = [actions.add_decision(meeting, text=DEMO + text, by=editor) for text in decisions]
    return meeting, made


def ensure_network(governor: Any) -> Arena | None:
    county = County.objects.get(number=NORDLAND)
    if Arena.objects.filter(county=county, name=NETWORK, is_demo=True).exists():
        return None
    arena = actions.create_arena(
        county=county,
        name=NETWORK,
        purpose=DEMO + "Erfaringsdeling mellom kommunene i Nordland om boligsosialt arbeid og kontinuitet i rollene.",
        rhythm=Rhythm.HALF_YEARLY,
        is_public=True,
        by=governor,
        is_demo=True,
    )
    joined = datetime.date(2026, 1, 1)
    members = list(Organisation.objects.filter(municipality__number__in=NETWORK_MUNICIPALITIES).order_by("name"))
    members += list(Organisation.objects.filter(slug__in=["statsforvalteren-nordland", "husbanken-bodo", "marborg"]))
    for organisation in members:
        actions.add_member(arena, organisation=organisation, joined_on=joined, by=governor)
    meeting = actions.add_meeting(
        arena,
        starts_at=moment(datetime.date(2026, 10, 22), 10),
        ends_at=moment(datetime.date(2026, 10, 22), 15),
        location="Bodø, Statsforvalterens hus",
        agenda=DEMO + "Hvordan holde arbeidet i gang når folk slutter.",
        by=governor,
        is_demo=True,
    )
    actions.save_minutes(meeting, minutes=DEMO + "Kommunene delte erfaringer med forankringspakker.", attendance={})
    decision = actions.add_decision(
        meeting, text=DEMO + "Nettverket deler forankringspakkene sine før neste samling.", by=governor
    )
    sortland = Organisation.objects.filter(municipality__number=SORTLAND).first()
    if sortland is not None:
        actions.add_action(
            arena,
            title=DEMO + "Dele Sortlands forankringspakke med nettverket",
            owner_organisation=sortland,
            due_on=datetime.date(2027, 3, 1),
            meeting=meeting,
            decision=decision,
            by=governor,
            is_demo=True,
        )
    return arena


@transaction.atomic
def ensure_demo_arenas() -> list[Arena]:
    """Create the missing demo arenas with their meetings; returns the arenas created."""
    if not settings.DEMO:
        raise RuntimeError("Demo content needs LAGSPILL_DEMO=1.")
    users = demo_users()
    made = [ensure_team(users[EDITOR]), ensure_network(users[GOVERNOR])]
    return [arena for arena in made if arena is not None]
