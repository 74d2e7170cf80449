"""What the arena pages read: a fixed number of queries per page (prefetches and one aggregate),
filtered through the access module, however many meetings, decisions and actions there are."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from lagspill.continuity.models import Holding, Person
from lagspill.lib.text import fold
from lagspill.organisations import access
from lagspill.places.models import County, Municipality

from .models import OPEN_STATUSES, ActionItem, Arena, ArenaMember, Decision, Meeting

SEARCH_LIMIT = 200


def insider(user: Any, arena: Arena) -> bool:
    """Sees the owner's working material (and so people's names): the municipality's members, its
    County Governor and Husbanken; for a county network the County Governor and Husbanken."""
    if arena.county_id:
        return access.sees_county_private(user, arena.county)
    return access.sees_municipality_private(user, arena.municipality)


def _listed(arenas: QuerySet[Arena], today: datetime.date) -> list[Arena]:
    """Arenas with their current seats, upcoming meetings and action counts, in four queries."""
    seats = ArenaMember.objects.current(today).select_related("role", "organisation")
    upcoming = Meeting.objects.filter(cancelled_at__isnull=True, starts_at__gte=timezone.now()).order_by("starts_at")
    rows = list(
        arenas.prefetch_related(
            Prefetch("members", queryset=seats, to_attr="current_members"),
            Prefetch("meetings", queryset=upcoming, to_attr="upcoming_meetings"),
        ).order_by("name", "pk")
    )
    counts = {
        c["arena"]: c
        for c in ActionItem.objects.filter(arena__in=[a.pk for a in rows], status__in=OPEN_STATUSES)
        .values("arena")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    }
    for arena in rows:
        arena.open_actions = counts.get(arena.pk, {}).get("open", 0)
        arena.overdue_actions = counts.get(arena.pk, {}).get("overdue", 0)
        arena.next_meeting = arena.upcoming_meetings[0] if arena.upcoming_meetings else None
    return rows


def flag_overdue(items: Any, today: datetime.date) -> list[ActionItem]:
    """The actions as a list, each with `overdue` set (open and past its due date)."""
    rows = list(items)
    for item in rows:
        item.overdue = item.is_overdue(today)
    return rows


def municipality_arenas(user: Any, municipality: Municipality, today: datetime.date) -> list[Arena]:
    return _listed(access.visible(user, Arena.objects.filter(municipality=municipality)), today)


def county_networks(user: Any, county: County, today: datetime.date) -> list[Arena]:
    return _listed(access.visible(user, Arena.objects.filter(county=county)), today)


@dataclass
class ArenaPage:
    current: list[ArenaMember]
    former: list[ArenaMember]
    upcoming: list[Meeting]
    past: list[Meeting]
    decisions: list[Decision]
    open_actions: list[ActionItem]


def arena_page(user: Any, arena: Arena, today: datetime.date, query: str = "") -> ArenaPage:
    members = list(arena.members.select_related("role", "organisation").order_by("joined_on", "pk"))
    current = [m for m in members if m.joined_on <= today and (m.left_on is None or m.left_on >= today)]
    former = [m for m in members if m.left_on is not None and m.left_on < today]
    now = timezone.now()
    meetings = list(arena.meetings.order_by("starts_at", "pk"))
    decisions = search(arena.decisions.all(), query).select_related("meeting")
    actions = arena.actions.open().select_related("owner_role", "owner_organisation", "decision", "meeting")
    names = holders(user, arena, [m.role_id for m in current if m.role_id], today)
    for seat in current:
        seat.holder_names = names.get(seat.role_id, [])
    return ArenaPage(
        current=current,
        former=former,
        upcoming=[m for m in meetings if m.starts_at >= now],
        past=[m for m in reversed(meetings) if m.starts_at < now],
        decisions=list(decisions.order_by("-year", "-number")[:SEARCH_LIMIT]),
        open_actions=flag_overdue(actions.order_by("due_on", "pk"), today),
    )


def holders(user: Any, arena: Arena, role_ids: list[int], today: datetime.date) -> dict[int, list[str]]:
    """Names of the roles' current holders, for insiders only: the public sees role names only."""
    if not role_ids or not insider(user, arena):
        return {}
    names: dict[int, list[str]] = {}
    rows = Holding.objects.on(today).filter(role_id__in=role_ids, person__isnull=False).select_related("person")
    for holding in rows.order_by("starts_on", "pk"):
        names.setdefault(holding.role_id, []).append(holding.person.display_name)
    return names


def search(decisions: QuerySet[Decision], query: str) -> QuerySet[Decision]:
    """Every word of the query, folded like `Decision.search_text` (lower case, æøå and accents
    folded), must occur: the same on SQLite and PostgreSQL. Withdrawn decisions are listed (marked as
    withdrawn) without a query, but a search never finds them."""
    cleaned = "".join(ch for ch in query if ch.isprintable())
    words = fold(cleaned).split()
    if words:
        decisions = decisions.filter(withdrawn_at__isnull=True)
    for word in words:
        decisions = decisions.filter(search_text__contains=word)
    return decisions


@dataclass
class MeetingPage:
    present: set[int]  # seat ids
    absent: set[int]
    seats: list[ArenaMember]
    decisions: list[Decision]
    actions: list[ActionItem]


def seats_on(arena: Arena, day: datetime.date) -> list[ArenaMember]:
    return list(arena.members.current(day).select_related("role", "organisation").order_by("joined_on", "pk"))


def meeting_seats(meeting: Meeting, attendance: dict[int, bool]) -> list[ArenaMember]:
    """The seats on the meeting's day, and any other seat whose attendance was recorded."""
    seats = seats_on(meeting.arena, timezone.localtime(meeting.starts_at).date())
    seen = {s.pk for s in seats}
    missing = [pk for pk in attendance if pk not in seen]
    if missing:
        seats += list(ArenaMember.objects.filter(pk__in=missing).select_related("role", "organisation"))
    return seats


def attendance_of(meeting: Meeting) -> dict[int, bool]:
    return {a.member_id: a.present for a in meeting.attendance.all()}


def meeting_page(meeting: Meeting) -> MeetingPage:
    attendance = attendance_of(meeting)
    seats = meeting_seats(meeting, attendance)
    actions = meeting.actions.select_related("owner_role", "owner_organisation", "decision").order_by("due_on", "pk")
    return MeetingPage(
        present={pk for pk, present in attendance.items() if present},
        absent={pk for pk, present in attendance.items() if not present},
        seats=seats,
        decisions=list(meeting.decisions.order_by("number")),  # withdrawn ones too, marked
        actions=flag_overdue(actions, timezone.localdate()),
    )


def municipality_decisions(user: Any, municipality: Municipality, query: str) -> list[Decision]:
    rows = access.visible(user, Decision.objects.filter(arena__municipality=municipality))
    rows = search(rows, query).select_related("arena", "meeting")
    return list(rows.order_by("-year", "-number", "arena__name")[:SEARCH_LIMIT])


def municipality_open_actions(user: Any, municipality: Municipality) -> list[ActionItem]:
    rows = access.visible(user, ActionItem.objects.filter(arena__municipality=municipality).open())
    rows = rows.select_related("arena", "owner_role", "owner_organisation", "decision", "meeting")
    return flag_overdue(rows.order_by("due_on", "pk"), timezone.localdate())


def held_roles(user: Any, today: datetime.date) -> set[int]:
    """The roles the signed-in person holds today (matched by work e-mail), in one query."""
    if not getattr(user, "is_authenticated", False):
        return set()
    people = Person.objects.for_user(user)
    return set(Holding.objects.on(today).filter(person__in=people).values_list("role_id", flat=True))
