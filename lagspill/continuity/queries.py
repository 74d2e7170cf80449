"""Page data for the roles pages, the tasks page and the county overview: a fixed number of
queries whatever the number of roles, holders or municipalities."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from lagspill.lib import elections
from lagspill.organisations import access
from lagspill.places.models import County, Municipality

from . import risks, turnover
from .catalogue import catalogue
from .models import AnchoringTask, Department, Holding, Role


@dataclass
class RoleRow:
    role: Role
    holders: list[Holding] = field(default_factory=list)  # current holdings (persons or vacancy)

    @property
    def vacant(self) -> bool:
        return not any(h.person_id for h in self.holders)

    @property
    def holder_since(self) -> datetime.date | None:
        """When the current holder (the earliest of several) started; None when vacant."""
        people = [h for h in self.holders if h.person_id]
        return min(h.starts_on for h in people) if people else None


@dataclass
class DepartmentGroup:
    label: str
    rows: list[RoleRow]


def default_since(today: datetime.date) -> datetime.date:
    """The last local election day."""
    return elections.election_day(elections.last_election_year(today))


def role_rows(municipality: Municipality, today: datetime.date) -> list[RoleRow]:
    roles = list(Role.objects.active().filter(municipality=municipality).select_related("municipality"))
    rows = {r.pk: RoleRow(r) for r in roles}
    current = Holding.objects.on(today).filter(role__in=roles).select_related("person").order_by("starts_on", "pk")
    for holding in current:
        rows[holding.role_id].holders.append(holding)
    return sorted(rows.values(), key=lambda row: (row.role.department, row.role.display_name.lower()))


def by_department(rows: list[RoleRow]) -> list[DepartmentGroup]:
    groups: dict[str, list[RoleRow]] = defaultdict(list)
    for row in rows:
        groups[row.role.department].append(row)
    return [DepartmentGroup(str(Department(d).label), groups[d]) for d in Department.values if d in groups]


def unused_kinds(municipality: Municipality) -> list[tuple[str, str]]:
    have = set(Role.objects.filter(municipality=municipality).exclude(kind="").values_list("kind", flat=True))
    return [(key, entry.name) for key, entry in catalogue().items() if key not in have]


def municipality_figures(municipality: Municipality, today: datetime.date, since: datetime.date) -> turnover.Figures:
    role_ids = Role.objects.active().filter(municipality=municipality).values_list("pk", flat=True)
    return turnover.figures(list(role_ids), turnover.load_spans({"municipality": municipality}), today, since)


def municipality_risks(municipality: Municipality, today: datetime.date) -> list[risks.Risk]:
    return risks.find(risks.load({"pk": municipality.pk}), today)


@dataclass
class CountyRow:
    municipality: Municipality
    figures: turnover.Figures | None
    risks: int


@dataclass
class CountyOverview:
    rows: list[CountyRow]
    total: turnover.Figures  # all roles of the county's municipalities together
    risks: int


def county_overview(county: County, today: datetime.date, since: datetime.date) -> CountyOverview:
    """One row per municipality of the county and the county's total: six queries in all
    (municipalities, and the risk data: roles, owned plans, arena seats, holdings)."""
    municipalities = list(county.municipalities.order_by("number"))
    data = risks.load({"county": county})
    roles = [(r.pk, r.municipality_id) for r in data.roles]
    figures = turnover.per_municipality(roles, data.spans, today, since)
    counts = risks.count_by_municipality(risks.find(data, today))
    rows = [CountyRow(m, figures.get(m.pk), counts.get(m.pk, 0)) for m in municipalities]
    total = turnover.figures([pk for pk, _ in roles], data.spans, today, since)
    return CountyOverview(rows, total, sum(row.risks for row in rows))


def tasks_for(user: Any, municipality: Municipality) -> QuerySet[AnchoringTask]:
    """The municipality's tasks this user may see: all of them for those who see the municipality's
    working material, else only their own."""
    tasks = AnchoringTask.objects.active().filter(municipality=municipality)
    tasks = tasks.select_related("role__municipality", "assignee", "done_by", "municipality")
    if access.sees_municipality_private(user, municipality):
        return tasks
    return tasks.filter(assignee__in=_own_people(user))


def _own_people(user: Any) -> Any:
    from .models import Person

    return Person.objects.for_user(user)


def split_tasks(tasks: list[AnchoringTask], today: datetime.date) -> tuple[list, list, list]:
    """(overdue, open, done): overdue first by due date, done newest first."""
    overdue = [t for t in tasks if t.is_overdue(today)]
    waiting = [t for t in tasks if t.done_at is None and not t.is_overdue(today)]
    done = sorted((t for t in tasks if t.done_at is not None), key=lambda t: t.done_at, reverse=True)
    return overdue, waiting, done
