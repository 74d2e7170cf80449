"""Who may use the arenas pages: one case per URL name (merged into `test_access_matrix.py`).

A private Sortland arena is seen by Sortland's members, its County Governor and Husbanken (and the
organisations with a seat: see test_arenas.py); Sortland's editors run it. The lists are public and
show each person only what they may see."""

import datetime
from collections.abc import Callable

from django.utils import timezone

from lagspill.arenas.models import ActionItem, Arena, ArenaMember, Decision, Meeting
from lagspill.continuity.models import Role
from lagspill.places.models import Municipality

from .access_support import EVERYONE, LOGIN, SORTLAND_EDIT, SORTLAND_WORKING, Case, as_post
from .builders import ROLES, World

# Sortland's editors run the arena; those who see it but may not change it get 403.
SORTLAND_RUN = {**SORTLAND_WORKING, "anonymous": LOGIN, "viewer": 403, "county_governor": 403, "housing_bank": 403}
GOVERNOR_ONLY = {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "county_governor": 200, "superuser": 200}
JOINED = datetime.date(2026, 1, 1)


def coordinator() -> Role:
    return Role.objects.get_or_create(
        municipality_id=_sortland_id(), kind="boligkoordinator", defaults={"department": "bolig"}
    )[0]


def _sortland_id() -> int:
    return Municipality.objects.get(number="1870").pk


def arena(w: World) -> Arena:
    return Arena.objects.create(municipality_id=_sortland_id(), name="Boligsosialt team", purpose="Samordning")


def sortland_arena(w: World) -> dict:
    return {"pk": arena(w).pk}


def sortland_meeting(w: World) -> dict:
    meeting = Meeting.objects.create(arena=arena(w), starts_at=timezone.now())
    return {"pk": meeting.arena_id, "mid": meeting.pk}


def sortland_decision(w: World) -> dict:
    meeting = Meeting.objects.create(arena=arena(w), starts_at=timezone.now())
    decision = Decision.objects.create(arena=meeting.arena, meeting=meeting, year=2026, number=1, text="Vedtak")
    return {"pk": decision.arena_id, "did": decision.pk}


def sortland_seat(w: World) -> dict:
    member = ArenaMember.objects.create(arena=arena(w), role=coordinator(), joined_on=JOINED)
    return {"pk": member.arena_id, "mid": member.pk}


def sortland_action(w: World) -> dict:
    item = ActionItem.objects.create(arena=arena(w), title="Tiltak", owner_role=coordinator(), due_on=JOINED)
    return {"pk": item.arena_id, "aid": item.pk}


def sortland_data(data: dict) -> Callable[[World], dict]:
    return lambda w: {key: value(w) if callable(value) else value for key, value in data.items()}


CASES: dict[str, Case] = {
    "arenas:municipality_arenas": Case(EVERYONE, lambda w: {"number": "1870"}),
    "arenas:decisions": Case(EVERYONE, lambda w: {"number": "1870"}, data={"q": "bolig"}),
    "arenas:open_actions": Case(EVERYONE, lambda w: {"number": "1870"}),
    "arenas:county_networks": Case(EVERYONE, lambda w: {"number": "18"}),
    "arenas:new_arena": Case(SORTLAND_EDIT, lambda w: {"number": "1870"}),
    "arenas:new_network": Case(GOVERNOR_ONLY, lambda w: {"number": "18"}),
    "arenas:arena": Case(SORTLAND_WORKING, sortland_arena),
    "arenas:edit_arena": Case(SORTLAND_RUN, sortland_arena),
    "arenas:close_arena": Case(as_post(SORTLAND_RUN), sortland_arena, "post"),
    "arenas:arena_history": Case({**SORTLAND_WORKING, "anonymous": LOGIN}, sortland_arena),
    "arenas:add_member": Case(
        as_post(SORTLAND_RUN),
        sortland_arena,
        "post",
        data_for=sortland_data({"organisation": lambda w: w.user_org.pk, "joined_on": "2026-01-01"}),
    ),
    "arenas:end_membership": Case(as_post(SORTLAND_RUN), sortland_seat, "post", {"left_on": "2026-02-01"}),
    "arenas:new_meeting": Case(SORTLAND_RUN, sortland_arena),
    "arenas:meeting": Case(SORTLAND_WORKING, sortland_meeting),
    "arenas:edit_meeting": Case(SORTLAND_RUN, sortland_meeting),
    "arenas:edit_minutes": Case(SORTLAND_RUN, sortland_meeting),
    "arenas:cancel_meeting": Case(as_post(SORTLAND_RUN), sortland_meeting, "post"),
    "arenas:add_decision": Case(as_post(SORTLAND_RUN), sortland_meeting, "post", {"text": "Vedtak"}),
    "arenas:withdraw_decision": Case(as_post(SORTLAND_RUN), sortland_decision, "post"),
    "arenas:add_action": Case(
        as_post(SORTLAND_RUN),
        sortland_meeting,
        "post",
        data_for=sortland_data({"title": "Tiltak", "owner_role": lambda w: coordinator().pk, "due_on": "2026-05-01"}),
    ),
    "arenas:update_action": Case(as_post(SORTLAND_RUN), sortland_action, "post", {"status": "ferdig"}),
    "arenas:edit_action": Case(SORTLAND_RUN, sortland_action),
}
