"""Changes to measures, each atomic: create, change, report progress, withdraw. Views, the demo and
commands call these; the caller has checked access. Rules a person can break (a goal of another
municipality, a withdrawn measure) raise `ValidationError` with a message, and then nothing is stored.
The user doing the change is recorded in the history (`by`), also outside a request."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lagspill.continuity.models import Role
from lagspill.indicators.models import Indicator
from lagspill.places.models import Municipality
from lagspill.plans.models import Goal

from .models import Measure, MeasureStatus, ProgressUpdate

FIELDS = (
    "title",
    "description",
    "target_group",
    "instrument",
    "owner_role",
    "budget",
    "budget_source",
    "starts_on",
    "ends_on",
    "completion_criterion",
    "is_public",
    "status",
)


def check_open(measure: Measure) -> None:
    """A withdrawn measure is kept as it was."""
    if measure.withdrawn_at is not None:
        raise ValidationError(_("The measure is withdrawn and can no longer be changed."))


def check_links(municipality: Municipality, goals: list[Goal], owner_role: Role | None) -> None:
    """Goals of the municipality's own active plans, and one of its own active roles as owner. Give
    only the goals being added: a link kept from before stays though its goal has been retired."""
    for goal in goals:
        plan = goal.plan
        if plan.municipality_id != municipality.pk or goal.retired_at or plan.withdrawn_at:
            raise ValidationError(_("Choose among the active goals of the municipality's own plans."))
    if owner_role is not None and (owner_role.municipality_id != municipality.pk or owner_role.retired_at):
        raise ValidationError(_("Choose one of the municipality's own active roles as owner."))


def check_dates(starts_on: datetime.date | None, ends_on: datetime.date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(_("The measure cannot end before it starts: give an end on or after the start."))


def _assign(
    measure: Measure, data: dict[str, Any], by: Any, linked: set[int] | frozenset[int] = frozenset()
) -> tuple[list[Goal], list[Indicator], list[str]]:
    """Set the given fields on `measure` and check them; the goals, the indicators and the names of
    the fields that changed. `linked`: the goals linked already, which are not checked again."""
    goals = list(data.get("goals") or [])
    indicators = list(data.get("indicators") or [])
    changed = [name for name in FIELDS if name in data and getattr(measure, name) != data[name]]
    for name in changed:
        setattr(measure, name, data[name])
    # A kept owner role is not checked again (it may have been retired since); a new one must be active.
    new_owner = measure.owner_role if "owner_role" in changed else None
    check_links(measure.municipality, [g for g in goals if g.pk not in linked], new_owner)
    check_dates(measure.starts_on, measure.ends_on)
    measure._history_user = by
    return goals, indicators, changed


@transaction.atomic
def create_measure(municipality: Municipality, data: dict[str, Any], *, by: Any, is_demo: bool = False) -> Measure:
    """A new measure from the form's data (`goals` and `indicators` as lists)."""
    measure = Measure(municipality=municipality, created_by=by, is_demo=is_demo)
    goals, indicators, _changed = _assign(measure, data, by)
    measure.save()
    if goals:
        measure.goals.set(goals)
    if indicators:
        measure.indicators.set(indicators)
    return measure


@transaction.atomic
def update_measure(measure: Measure, data: dict[str, Any], *, by: Any) -> Measure:
    """Save the changed fields and links; each change is kept in the history. The changes are made
    on the locked row, so what another change stored meanwhile (a progress report's status) is kept."""
    stored = locked(measure)
    check_open(stored)
    linked = set(stored.goals.values_list("pk", flat=True))
    goals, indicators, changed = _assign(stored, data, by, linked)
    if changed:
        stored.save(update_fields=changed)
    if linked != {g.pk for g in goals}:
        stored.goals.set(goals)
    if set(stored.indicators.values_list("pk", flat=True)) != {i.pk for i in indicators}:
        stored.indicators.set(indicators)
    for name in (*FIELDS, "criterion_met"):
        setattr(measure, name, getattr(stored, name))
    return measure


def locked(measure: Measure) -> Measure:
    """The measure's row locked until the transaction ends: two changes run one after the other."""
    return Measure.objects.select_for_update().get(pk=measure.pk)


@transaction.atomic
def report_progress(
    measure: Measure,
    *,
    on: datetime.date,
    text: str,
    status: str,
    by: Any,
    criterion_met: bool | None = None,
) -> ProgressUpdate:
    """A dated progress note, and the measure left in `status`. The answer to the completion
    criterion is kept when the measure is completed and cleared when it is reopened or stopped."""
    stored = locked(measure)
    check_open(stored)
    if status not in MeasureStatus.values:
        raise ValidationError(_("Choose a status."))
    if not text.strip():
        raise ValidationError(_("Write what has happened."))
    if criterion_met is not None and status != MeasureStatus.DONE:
        raise ValidationError(_("Answer the completion criterion only when the measure is completed."))
    update = ProgressUpdate(measure=stored, on=on, text=text.strip(), status=status, created_by=by)
    update._history_user = by
    update.save()
    if status == MeasureStatus.DONE:
        stored.criterion_met = criterion_met if criterion_met is not None else stored.criterion_met
    else:
        stored.criterion_met = None
    stored.status = status
    stored._history_user = by
    stored.save(update_fields=["status", "criterion_met"])
    measure.status, measure.criterion_met = stored.status, stored.criterion_met
    return update


@transaction.atomic
def withdraw_measure(measure: Measure, *, by: Any) -> Measure:
    """The measure is kept with its updates and history, shown as withdrawn to the municipality only."""
    stored = locked(measure)
    check_open(stored)
    stored.withdrawn_at = timezone.now()
    stored._history_user = by
    stored.save(update_fields=["withdrawn_at"])
    measure.withdrawn_at = stored.withdrawn_at
    return measure
