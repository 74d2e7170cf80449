"""Warnings on measures, in words: a measure without funding, without an owner today, or past its end.

`flags(measure, today)` answers for one measure; `annotate(measures, today)` sets `measure.flags` on
each measure of a list in one extra query (the owner roles' current holders), so the board, the
table and the export stay at a fixed number of queries however many measures there are.
"""

import datetime
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lagspill.continuity.models import Holding

from .models import BudgetSource, Measure, MeasureStatus

UNFUNDED = "unfunded"
OWNERLESS = "ownerless"
OVERDUE = "overdue"
ALL = (UNFUNDED, OWNERLESS, OVERDUE)
LABELS = {UNFUNDED: _("Unfunded"), OWNERLESS: _("Ownerless"), OVERDUE: _("Overdue")}
EXPLANATIONS = {
    UNFUNDED: _("No budget or no source of funding."),
    OWNERLESS: _("No owner role, the owner role is retired, or nobody holds it today."),
    OVERDUE: _("The end date has passed and the measure is neither completed nor stopped."),
}
# Completed and stopped measures carry no flags.
CLOSED_STATUSES = (MeasureStatus.DONE, MeasureStatus.STOPPED)


def staffed_roles(role_ids: Iterable[int], today: datetime.date) -> set[int]:
    """The roles among `role_ids` that a person (not a vacancy) holds today: one query."""
    wanted = {pk for pk in role_ids if pk is not None}
    if not wanted:
        return set()
    rows = Holding.objects.on(today).filter(role__in=wanted, person__isnull=False)
    return set(rows.values_list("role_id", flat=True))


def is_unfunded(measure: Measure) -> bool:
    return measure.budget is None or measure.budget_source == BudgetSource.NONE


def is_ownerless(measure: Measure, staffed: set[int]) -> bool:
    role = measure.owner_role
    return role is None or role.retired_at is not None or role.pk not in staffed


def is_overdue(measure: Measure, today: datetime.date) -> bool:
    return measure.ends_on is not None and measure.ends_on < today and measure.status not in CLOSED_STATUSES


def flags(measure: Measure, today: datetime.date, *, staffed: set[int] | None = None) -> list[str]:
    """The measure's flags, in the order of `ALL`. `staffed` (from `staffed_roles`) saves a query.
    A completed or stopped measure needs no funding or owner any more, so it carries no flags."""
    if measure.status in CLOSED_STATUSES:
        return []
    if staffed is None:
        staffed = staffed_roles([measure.owner_role_id], today)
    found = []
    if is_unfunded(measure):
        found.append(UNFUNDED)
    if is_ownerless(measure, staffed):
        found.append(OWNERLESS)
    if is_overdue(measure, today):
        found.append(OVERDUE)
    return found


def annotate(measures: Iterable[Measure], today: datetime.date) -> list[Measure]:
    """The measures as a list, each with `.flags` set. A queryset gets its owner roles joined;
    the current holders of all owner roles are read in one query."""
    if isinstance(measures, QuerySet):
        measures = measures.select_related("owner_role")
    rows = list(measures)
    staffed = staffed_roles((m.owner_role_id for m in rows), today)
    for measure in rows:
        measure.flags = flags(measure, today, staffed=staffed)
    return rows


def for_reader(found: list[str], sees_roles: bool) -> list[str]:
    """The flags a reader is shown: "ownerless" tells about the municipality's roles (its working
    material), so only those who may see the roles get it."""
    return found if sees_roles else [flag for flag in found if flag != OWNERLESS]


def counts(measures: Iterable[Measure]) -> dict[str, int]:
    """How many annotated measures carry each flag."""
    rows = list(measures)
    return {flag: sum(flag in m.flags for m in rows) for flag in ALL}


def label(flag: str) -> str:
    return str(LABELS.get(flag, flag))
