"""Changes to housing projects, each atomic: create, save (status changes go through the edit form
and are kept in history) and withdraw. Views and the demo call these; the caller has checked access.
Rules a person can break raise `ValidationError` with a message in their language, and then
nothing is stored."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lagspill.places.models import Municipality

from .models import HousingProject, Measure


def _recorded_by(project: HousingProject, by: Any) -> None:
    """History rows name the person (also outside a request, e.g. the demo)."""
    if getattr(by, "pk", None):
        project._history_user = by


def _check(project: HousingProject) -> None:
    """What must hold whoever saves: a unit at least, funding within the cost, a measure of the same municipality."""
    if project.total_units <= 0:
        raise ValidationError(_("Give at least one dwelling unit."))
    parts = [v for v in (project.husbanken_grant, project.husbanken_loan, project.other_funding) if v is not None]
    if project.cost is not None and sum(parts) > project.cost:
        raise ValidationError(_("The funding parts add up to more than the total cost."))
    if project.measure_id is not None:
        owner = Measure.objects.filter(pk=project.measure_id).values_list("municipality_id", flat=True).first()
        if owner != project.municipality_id:
            raise ValidationError(_("Choose one of this municipality's measures."))


@transaction.atomic
def create_project(municipality: Municipality, *, by: Any, is_demo: bool = False, **fields: Any) -> HousingProject:
    """A new project of `municipality` with the form's fields."""
    project = HousingProject(municipality=municipality, is_demo=is_demo, created_by=by if by else None, **fields)
    _check(project)
    project.full_clean(exclude=["created_by"])  # null when made by a command
    _recorded_by(project, by)
    project.save()
    return project


@transaction.atomic
def save_project(project: HousingProject, *, by: Any) -> HousingProject:
    """Save the changed fields of a project (a withdrawn one is refused: it is history)."""
    stored = HousingProject.objects.select_for_update().get(pk=project.pk)
    if stored.withdrawn_at is not None:
        raise ValidationError(_("The project is withdrawn and can no longer be changed."))
    if project.municipality_id != stored.municipality_id:
        raise ValidationError(_("A project cannot move to another municipality."))
    _check(project)
    project.full_clean(exclude=["created_by"])  # null when made by a command
    _recorded_by(project, by)
    project.save()
    return project


@transaction.atomic
def withdraw_project(project: HousingProject, *, by: Any) -> HousingProject:
    """Withdraw the project: it is kept, with its history, but no longer counts in the gap."""
    stored = HousingProject.objects.select_for_update().get(pk=project.pk)
    if stored.withdrawn_at is not None:
        raise ValidationError(_("The project is already withdrawn."))
    stored.withdrawn_at = timezone.now()
    _recorded_by(stored, by)
    stored.save(update_fields=["withdrawn_at"])
    project.withdrawn_at = stored.withdrawn_at
    return stored
