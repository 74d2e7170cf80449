"""The continuity risk list of a municipality (or the count per municipality of a county).

A risk is one of:
- **vacant role**: an active role nobody (no person) holds today, whether by a recorded vacancy,
  a gap after the last holder, or because no holder was ever recorded;
- **new holder**: a person has held the role for less than 6 months (started after the same day
  six months ago);
- **no handover note**: the role's handover note is empty;
- **plan without an owner**: a plan (not withdrawn) owned by a role that is vacant;
- **arena that has lost most of its members**: an open arena of the municipality where, of the
  seats held 12 months ago (at least two), more than half have since left the arena or, for a
  role's seat, the role has changed holder (a new holding or vacancy started) since then.

`load` reads everything for any number of municipalities in four queries; `find` is pure.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .anchoring import arena_link
from .turnover import ONE_DAY, Span, by_role, changed_between, load_spans, months_before

VACANT = "vacant"
NEW_HOLDER = "new-holder"
NO_HANDOVER = "no-handover"
PLAN_VACANT = "plan-vacant"
ARENA_LOST = "arena-lost"
NEW_MONTHS = 6
ARENA_MONTHS = 12


@dataclass(frozen=True)
class RoleInfo:
    pk: int
    municipality_id: int
    name: str
    has_note: bool
    link: str = ""


@dataclass(frozen=True)
class OwnedPlan:
    role_id: int
    title: str
    link: str = ""


@dataclass(frozen=True)
class Seat:
    arena_id: int
    arena_name: str
    municipality_id: int
    role_id: int | None
    joined_on: datetime.date
    left_on: datetime.date | None
    link: str = ""

    def held_on(self, day: datetime.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


@dataclass(frozen=True)
class Risk:
    kind: str
    municipality_id: int
    subject: str
    detail: str
    link: str

    @property
    def label(self) -> str:
        return {
            VACANT: _("Vacant role"),
            NEW_HOLDER: _("Holder for less than 6 months"),
            NO_HANDOVER: _("No handover note"),
            PLAN_VACANT: _("Plan owned by a vacant role"),
            ARENA_LOST: _("Arena has lost most of its members"),
        }[self.kind]


@dataclass
class Data:
    roles: list[RoleInfo]
    spans: list[Span]
    plans: list[OwnedPlan]
    seats: list[Seat]


def day_text(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def vacant_since(spans: list[Span], today: datetime.date) -> datetime.date | None:
    """The day since when no person held the role (None: nobody was ever recorded)."""
    held = [s for s in spans if s.person_id is not None and s.starts_on <= today]
    if not held:
        vacancies = [s.starts_on for s in spans if s.covers(today)]
        return min(vacancies) if vacancies else None
    last_end = max(s.ends_on for s in held if s.ends_on is not None)
    return last_end + ONE_DAY


def is_vacant(spans: list[Span], today: datetime.date) -> bool:
    return not any(s.person_id is not None and s.covers(today) for s in spans)


def role_risks(role: RoleInfo, spans: list[Span], today: datetime.date) -> list[Risk]:
    found = []
    if is_vacant(spans, today):
        since = vacant_since(spans, today)
        detail = _("since %(day)s") % {"day": day_text(since)} if since else _("no holder recorded")
        found.append(Risk(VACANT, role.municipality_id, role.name, detail, role.link))
    new_after = months_before(today, NEW_MONTHS)
    for span in spans:
        if span.person_id is not None and span.covers(today) and span.starts_on > new_after:
            detail = _("since %(day)s") % {"day": day_text(span.starts_on)}
            found.append(Risk(NEW_HOLDER, role.municipality_id, role.name, detail, role.link))
            break
    if not role.has_note:
        found.append(Risk(NO_HANDOVER, role.municipality_id, role.name, "", role.link))
    return found


def arena_risks(seats: list[Seat], spans: dict[int, list[Span]], today: datetime.date) -> list[Risk]:
    then = months_before(today, ARENA_MONTHS)
    by_arena: dict[int, list[Seat]] = defaultdict(list)
    for seat in seats:
        by_arena[seat.arena_id].append(seat)
    found = []
    for arena_seats in by_arena.values():
        held = [s for s in arena_seats if s.held_on(then)]
        lost = [
            s
            for s in held
            if (s.left_on is not None and s.left_on < today)
            or (s.role_id is not None and changed_between(spans.get(s.role_id, []), then, today))
        ]
        if len(held) >= 2 and 2 * len(lost) > len(held):
            first = arena_seats[0]
            detail = _("%(lost)s of %(held)s seats held on %(day)s have left or changed holder") % {
                "lost": len(lost),
                "held": len(held),
                "day": day_text(then),
            }
            found.append(Risk(ARENA_LOST, first.municipality_id, first.arena_name, detail, first.link))
    return found


def find(data: Data, today: datetime.date) -> list[Risk]:
    """Every risk, in the order of the list above."""
    spans = by_role(data.spans, today)
    roles = {r.pk: r for r in data.roles}
    found = [risk for role in data.roles for risk in role_risks(role, spans.get(role.pk, []), today)]
    vacant = {pk for pk in roles if is_vacant(spans.get(pk, []), today)}
    for plan in data.plans:
        if plan.role_id in vacant:
            role = roles[plan.role_id]
            found.append(Risk(PLAN_VACANT, role.municipality_id, plan.title, role.name, plan.link))
    found += arena_risks([s for s in data.seats if s.role_id is None or s.role_id in roles], spans, today)
    order = [VACANT, NEW_HOLDER, NO_HANDOVER, PLAN_VACANT, ARENA_LOST]
    return sorted(found, key=lambda r: order.index(r.kind))


def count_by_municipality(risks: Iterable[Risk]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for risk in risks:
        counts[risk.municipality_id] += 1
    return counts


def load(municipality_filter: dict) -> Data:
    """Everything the risks need for the municipalities matching `municipality_filter` (keys as
    on Municipality, e.g. {"pk": 1} or {"county": county}), in four queries."""
    from lagspill.arenas.models import ArenaMember

    from .models import Role

    m_filter = {f"municipality__{k}": v for k, v in municipality_filter.items()}
    roles = [
        RoleInfo(r.pk, r.municipality_id, r.display_name, bool(r.handover_note.strip()), r.get_absolute_url())
        for r in Role.objects.active().filter(**m_filter).select_related("municipality")
    ]
    owned = Role.plans.through.objects.filter(
        **{f"role__{k}": v for k, v in m_filter.items()}, role__retired_at__isnull=True, plan__withdrawn_at__isnull=True
    ).select_related("plan__municipality")
    plans = [OwnedPlan(o.role_id, o.plan.title, o.plan.get_absolute_url()) for o in owned]
    members = ArenaMember.objects.filter(
        **{f"arena__{k}": v for k, v in m_filter.items()}, arena__closed_at__isnull=True
    ).select_related("arena")
    seats = [
        Seat(m.arena_id, m.arena.name, m.arena.municipality_id, m.role_id, m.joined_on, m.left_on, arena_link(m.arena))
        for m in members
    ]
    return Data(roles, load_spans(m_filter), plans, seats)
