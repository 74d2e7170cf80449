"""Changes to roles, holders, people and anchoring tasks, each atomic. Views, the import, commands
and the demo call these; the caller has checked access. Rules a person can break (dates, overlaps)
raise `ValidationError` with a message in their language, and then nothing is stored."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lagspill.places.models import Municipality
from lagspill.plans.models import Plan

from . import anchoring
from .catalogue import catalogue
from .models import AnchoringTask, Holding, Person, Role

ONE_DAY = datetime.timedelta(days=1)
ANONYMOUS = ""


# Roles


@transaction.atomic
def ensure_catalogue_roles(municipality: Municipality, by: Any, *, is_demo: bool = False) -> list[Role]:
    """One role per catalogue entry the municipality does not have yet (retired ones count as had)."""
    have = set(Role.objects.filter(municipality=municipality).exclude(kind="").values_list("kind", flat=True))
    created = []
    for entry in catalogue().values():
        if entry.key in have:
            continue
        created.append(add_role(municipality, by=by, kind=entry.key, is_demo=is_demo))
    return created


@transaction.atomic
def add_role(
    municipality: Municipality,
    *,
    by: Any,
    kind: str = "",
    name: str = "",
    department: str = "",
    is_demo: bool = False,
) -> Role:
    """A role from the catalogue (`kind`) or the municipality's own (`name` and `department`)."""
    entry = catalogue().get(kind) if kind else None
    if kind and entry is None:
        raise ValidationError(_("There is no role “%(kind)s” in the catalogue.") % {"kind": kind})
    if entry and Role.objects.filter(municipality=municipality, kind=kind).exists():
        raise ValidationError(_("The municipality already has this role."))
    if entry is None and not (name.strip() and department):
        raise ValidationError(_("Give the role a name and a department."))
    role = Role(
        municipality=municipality,
        kind=kind,
        name=name.strip(),
        department=department or entry.department,
        is_elected=entry.elected if entry else False,
        single_holder=entry.single_holder if entry else True,
        is_demo=is_demo,
        created_by=by,
    )
    role.save()
    return role


@transaction.atomic
def save_role(role: Role, *, by: Any) -> Role:
    """Save the role's fields; one holder at a time only when the stored holdings allow it."""
    stored = locked(role)
    check_active(stored)
    if role.single_holder:
        check_no_overlaps(stored)
    role.save()
    return role


def check_active(role: Role) -> None:
    """A retired role is kept as history and no longer changed."""
    if role.retired_at is not None:
        raise ValidationError(_("The role is retired and can no longer be changed."))


def check_no_overlaps(role: Role) -> None:
    """Refuse one holder at a time while two active holdings of the role overlap."""
    holdings = list(role.holdings.active().select_related("person").order_by("starts_on", "pk"))
    latest: Holding | None = None  # the holding reaching furthest so far
    for holding in holdings:
        if latest is not None and overlaps(latest.starts_on, latest.ends_on, holding.starts_on, holding.ends_on):
            raise ValidationError(
                _(
                    "The role cannot have one holder at a time: %(first)s (from %(first_start)s) and "
                    "%(second)s (from %(second_start)s) hold it at the same time. End one of the holdings first."
                )
                % {
                    "first": holder_text(latest),
                    "first_start": day_text(latest.starts_on),
                    "second": holder_text(holding),
                    "second_start": day_text(holding.starts_on),
                }
            )
        if latest is None or (
            latest.ends_on is not None and (holding.ends_on is None or holding.ends_on > latest.ends_on)
        ):
            latest = holding


@transaction.atomic
def retire_role(role: Role, *, by: Any) -> Role:
    """The role is kept with its holders and history, but no longer counts or shows as active."""
    role.retired_at = timezone.now()
    role.save(update_fields=["retired_at"])
    return role


@transaction.atomic
def save_handover_note(role: Role, note: str, *, by: Any) -> Role:
    check_active(locked(role))
    role.handover_note = note.strip()
    role.handover_updated_at = timezone.now()
    role.save(update_fields=["handover_note", "handover_updated_at"])
    return role


@transaction.atomic
def set_plans(role: Role, plans: Iterable[Plan], *, by: Any) -> Role:
    check_active(locked(role))
    chosen = list(plans)
    if any(plan.municipality_id != role.municipality_id for plan in chosen):
        raise ValidationError(_("Choose among the municipality's own plans."))
    role.plans.set(chosen)
    return role


# Holders


def locked(role: Role) -> Role:
    """The role row locked until the transaction ends: two changes of holder run one after the other."""
    return Role.objects.select_for_update().get(pk=role.pk)


def day_text(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def holder_text(holding: Holding) -> str:
    return holding.person.display_name if holding.person_id else _("Vacant")


def check_dates(starts_on: datetime.date, ends_on: datetime.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("The end date cannot be before the start date."))


def overlaps(
    a_start: datetime.date, a_end: datetime.date | None, b_start: datetime.date, b_end: datetime.date | None
) -> bool:
    return (a_end is None or b_start <= a_end) and (b_end is None or a_start <= b_end)


def check_overlap(
    role: Role, starts_on: datetime.date, ends_on: datetime.date | None, *, excluding: Iterable[int] = ()
) -> None:
    """A single-holder role has one holder (or vacancy) at a time."""
    if not role.single_holder:
        return
    others = role.holdings.active().exclude(pk__in=list(excluding)).select_related("person")
    for other in others:
        if overlaps(starts_on, ends_on, other.starts_on, other.ends_on):
            raise ValidationError(
                _("The role has one holder at a time, and %(holder)s holds it from %(start)s%(end)s.")
                % {
                    "holder": holder_text(other),
                    "start": day_text(other.starts_on),
                    "end": _(" to %(day)s") % {"day": day_text(other.ends_on)} if other.ends_on else "",
                }
            )


def current_holding(role: Role) -> Holding | None:
    """The latest holding that is still open (no end date), or else the latest one."""
    holdings = list(role.holdings.active().order_by("-starts_on", "-pk"))
    return next((h for h in holdings if h.ends_on is None), holdings[0] if holdings else None)


def person_for(municipality: Municipality, *, name: str, email: str, by: Any, is_demo: bool = False) -> Person:
    """The municipality's person with this work e-mail (any case), or a new one."""
    email = (email or "").strip().lower()
    if email:
        found = Person.objects.filter(municipality=municipality, email__iexact=email, anonymised_at__isnull=True)
        person = found.order_by("pk").first()
        if person is not None:
            return person
    person = Person(municipality=municipality, name=name.strip(), email=email, is_demo=is_demo, created_by=by)
    person.save()
    return person


def _start(
    role: Role, person: Person | None, *, starts_on: datetime.date, by: Any, note: str, is_demo: bool
) -> Holding:
    """End the current holding the day before and start the new one (single-holder roles)."""
    ending: list[int] = []
    if role.single_holder:
        current = current_holding(role)
        if current is not None:
            if starts_on <= current.starts_on:
                raise ValidationError(
                    _("The new holder must start after the current holding began (%(day)s).")
                    % {"day": day_text(current.starts_on)}
                )
            if current.ends_on is None or current.ends_on >= starts_on:
                ending.append(current.pk)
        check_overlap(role, starts_on, None, excluding=ending)
    for holding in Holding.objects.filter(pk__in=ending):
        holding.ends_on = starts_on - ONE_DAY
        holding.save(update_fields=["ends_on"])
    holding = Holding(
        role=role, person=person, starts_on=starts_on, note=note.strip()[:300], is_demo=is_demo, created_by=by
    )
    holding.save()
    return holding


@transaction.atomic
def replace_holder(
    role: Role,
    *,
    name: str,
    email: str,
    starts_on: datetime.date,
    by: Any,
    note: str = "",
    is_demo: bool = False,
    today: datetime.date | None = None,
    package: bool = True,
) -> Holding:
    """A new person holds the role from `starts_on` (the current holding ends the day before);
    the new holder gets the role's anchoring package (not with `package=False`: the demo's history)."""
    role = locked(role)
    check_active(role)
    if not name.strip():
        raise ValidationError(_("Give the new holder's name."))
    person = person_for(role.municipality, name=name, email=email, by=by, is_demo=is_demo)
    holding = _start(role, person, starts_on=starts_on, by=by, note=note, is_demo=is_demo)
    if package:
        anchoring.create_package(holding, by=by, today=today or timezone.localdate())
    return holding


@transaction.atomic
def mark_vacant(role: Role, *, starts_on: datetime.date, by: Any, note: str = "", is_demo: bool = False) -> Holding:
    """Nobody holds the role from `starts_on`."""
    role = locked(role)
    check_active(role)
    return _start(role, None, starts_on=starts_on, by=by, note=note, is_demo=is_demo)


@transaction.atomic
def correct_holding(
    holding: Holding, *, starts_on: datetime.date, ends_on: datetime.date | None, note: str, by: Any
) -> Holding:
    """Correct the dates of a holding entered wrongly (the history keeps the earlier values)."""
    check_active(locked(holding.role))
    check_withdrawn(holding)
    check_dates(starts_on, ends_on)
    check_overlap(holding.role, starts_on, ends_on, excluding=[holding.pk])
    holding.starts_on, holding.ends_on, holding.note = starts_on, ends_on, note.strip()[:300]
    holding.save(update_fields=["starts_on", "ends_on", "note"])
    return holding


@transaction.atomic
def withdraw_holding(holding: Holding, *, by: Any) -> Holding:
    """A holding entered by mistake: kept for the history, no longer counted; its open tasks go too."""
    check_active(locked(holding.role))
    check_withdrawn(holding)
    now = timezone.now()
    holding.withdrawn_at = now
    holding.save(update_fields=["withdrawn_at"])
    for task in holding.tasks.open():
        task.withdrawn_at = now
        task.save(update_fields=["withdrawn_at"])
    return holding


def check_withdrawn(holding: Holding) -> None:
    if Holding.objects.filter(pk=holding.pk, withdrawn_at__isnull=False).exists():
        raise ValidationError(_("The holding is withdrawn and can no longer be changed."))


# People


@transaction.atomic
def anonymise_person(person: Person, *, by: Any) -> Person:
    """Remove the person's name and e-mail, also from the history; their holdings stay, so the
    roles keep their dates ("Anonymised person" is shown instead of the name)."""
    person.name, person.email, person.anonymised_at = ANONYMOUS, "", timezone.now()
    person.save(update_fields=["name", "email", "anonymised_at"])
    person.history.all().update(name=ANONYMOUS, email="")
    return person


# Tasks


@transaction.atomic
def complete_task(task: AnchoringTask, *, by: Any, note: str = "") -> AnchoringTask:
    """Done once: the row is locked, so a second completion (a double click, two tabs) is refused
    and does not overwrite who completed it and when."""
    task = (
        AnchoringTask.objects.select_for_update(of=("self",)).select_related("municipality", "assignee").get(pk=task.pk)
    )
    if task.done_at is not None or task.withdrawn_at is not None:
        raise ValidationError(_("This task is already closed."))
    task.done_at, task.done_by, task.done_note = timezone.now(), by, note.strip()[:500]
    task.save(update_fields=["done_at", "done_by", "done_note"])
    return task
