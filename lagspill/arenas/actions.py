"""Changes to arenas, seats, meetings, decisions and action items, each atomic. Views, commands and
the demo call these; the view has checked access and validated the input before. Nothing is deleted:
arenas are closed, seats ended, meetings cancelled, decisions withdrawn (their numbers are never
reused). `by` is recorded as the history user, also outside a request (commands, tests)."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lagspill.continuity.models import Role
from lagspill.organisations.models import Organisation
from lagspill.places.models import County, Municipality

from .models import ActionItem, ActionStatus, Arena, ArenaMember, Attendance, Decision, Meeting


def _open(arena: Arena) -> None:
    if arena.closed_at is not None:
        raise ValidationError(_("The arena is closed."))


def _held(meeting: Meeting) -> None:
    """Refuses a cancelled meeting (read again under a lock, so a cancellation at the same time counts)."""
    if Meeting.objects.select_for_update().values_list("cancelled_at", flat=True).get(pk=meeting.pk):
        raise ValidationError(_("The meeting is cancelled, so no decisions or actions can be recorded in it."))


def _recorded_by(row: Any, by: Any) -> None:
    if getattr(by, "pk", None):
        row._history_user = by


def _check_owner(arena: Arena, owner_role: Role | None, owner_organisation: Organisation | None) -> None:
    if owner_role is None and owner_organisation is None:
        raise ValidationError(_("Choose who owns the action."))
    if owner_role is not None and owner_role.municipality_id != arena.municipality_id:
        raise ValidationError(_("The role belongs to another municipality."))


@transaction.atomic
def create_arena(
    *,
    name: str,
    purpose: str,
    rhythm: str,
    is_public: bool,
    by: Any,
    municipality: Municipality | None = None,
    county: County | None = None,
    is_demo: bool = False,
) -> Arena:
    return Arena.objects.create(
        municipality=municipality,
        county=county,
        name=name,
        purpose=purpose,
        rhythm=rhythm,
        is_public=is_public,
        is_demo=is_demo,
        created_by=by if getattr(by, "pk", None) else None,
    )


@transaction.atomic
def save_arena(arena: Arena, **fields: Any) -> Arena:
    for name, value in fields.items():
        setattr(arena, name, value)
    arena.save()
    return arena


@transaction.atomic
def close_arena(arena: Arena) -> Arena:
    """Closed, kept with its seats, meetings and decisions (listed under closed arenas)."""
    if arena.closed_at is None:
        arena.closed_at = timezone.now()
        arena.save(update_fields=["closed_at"])
    return arena


@transaction.atomic
def add_member(
    arena: Arena,
    *,
    joined_on: datetime.date,
    by: Any,
    role: Role | None = None,
    organisation: Organisation | None = None,
) -> ArenaMember:
    _open(arena)
    if (role is None) == (organisation is None):
        raise ValidationError(_("Choose either a role or an organisation."))
    if role is not None and role.municipality_id != arena.municipality_id:
        raise ValidationError(_("The role belongs to another municipality."))
    return ArenaMember.objects.create(
        arena=arena,
        role=role,
        organisation=organisation,
        joined_on=joined_on,
        created_by=by if getattr(by, "pk", None) else None,
    )


@transaction.atomic
def end_membership(member: ArenaMember, *, left_on: datetime.date) -> ArenaMember:
    _open(member.arena)
    if left_on < member.joined_on:
        raise ValidationError(_("A membership cannot end before it started."))
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    return member


@transaction.atomic
def add_meeting(
    arena: Arena,
    *,
    starts_at: datetime.datetime,
    by: Any,
    ends_at: datetime.datetime | None = None,
    location: str = "",
    agenda: str = "",
    is_demo: bool = False,
) -> Meeting:
    _open(arena)
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError(_("The meeting must end after it starts."))
    return Meeting.objects.create(
        arena=arena,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        agenda=agenda,
        is_demo=is_demo,
        created_by=by if getattr(by, "pk", None) else None,
    )


@transaction.atomic
def save_meeting(
    meeting: Meeting,
    *,
    starts_at: datetime.datetime,
    by: Any,
    ends_at: datetime.datetime | None = None,
    location: str = "",
    agenda: str = "",
) -> Meeting:
    """A new time, end, place or agenda; the earlier version stays in the history. Decisions keep
    their numbers (and year) even if the meeting moves to another year."""
    _open(meeting.arena)
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError(_("The meeting must end after it starts."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.starts_at, meeting.ends_at, meeting.location, meeting.agenda = starts_at, ends_at, location, agenda
    _recorded_by(meeting, by)
    meeting.save(update_fields=["starts_at", "ends_at", "location", "agenda"])
    return meeting


@transaction.atomic
def save_minutes(meeting: Meeting, *, minutes: str, attendance: dict[ArenaMember, bool | None]) -> Meeting:
    """The minutes, and attendance per seat (None leaves a seat unrecorded, or keeps what was recorded)."""
    _open(meeting.arena)
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes"])
    recorded = {a.member_id: a for a in meeting.attendance.select_for_update()}
    for member, present in attendance.items():
        if present is None:
            continue
        row = recorded.get(member.pk)
        if row is None:
            Attendance.objects.create(meeting=meeting, member=member, present=present)
        elif row.present != present:
            row.present = present
            row.save(update_fields=["present"])
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting) -> Meeting:
    """Kept, marked as cancelled; cancelling again changes nothing (the row is locked, so neither
    does cancelling twice at once)."""
    _open(meeting.arena)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.cancelled_at is None:
        meeting.cancelled_at = timezone.now()
        meeting.save(update_fields=["cancelled_at"])
    return meeting


@transaction.atomic
def add_decision(meeting: Meeting, *, text: str, by: Any) -> Decision:
    """The next number of the arena's decisions in the meeting's year ("4/2026"). The arena row is
    locked first, so two decisions made at once cannot take the same number."""
    arena = Arena.objects.select_for_update().get(pk=meeting.arena_id)
    _open(arena)
    _held(meeting)
    year = timezone.localtime(meeting.starts_at).year
    last = Decision.objects.filter(arena=arena, year=year).aggregate(n=Max("number"))["n"] or 0
    return Decision.objects.create(
        arena=arena,
        meeting=meeting,
        year=year,
        number=last + 1,
        text=text,
        created_by=by if getattr(by, "pk", None) else None,
    )


@transaction.atomic
def withdraw_decision(decision: Decision, *, by: Any) -> Decision:
    """Kept with `withdrawn_at`, shown as withdrawn and left out of searches; its number is not given
    to a later decision (numbering takes the highest number, withdrawn or not)."""
    _open(decision.arena)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.withdrawn_at is None:
        decision.withdrawn_at = timezone.now()
        _recorded_by(decision, by)
        decision.save(update_fields=["withdrawn_at"])
    return decision


@transaction.atomic
def add_action(
    arena: Arena,
    *,
    title: str,
    due_on: datetime.date,
    by: Any,
    owner_role: Role | None = None,
    owner_organisation: Organisation | None = None,
    meeting: Meeting | None = None,
    decision: Decision | None = None,
    is_demo: bool = False,
) -> ActionItem:
    """An action item owned by a role of the municipality (any active role, not only the arena's
    seats) or, in a county network, by an organisation. Not in a closed arena or a cancelled meeting."""
    _open(arena)
    _check_owner(arena, owner_role, owner_organisation)
    if meeting is not None and meeting.arena_id != arena.pk:
        raise ValidationError(_("The meeting belongs to another arena."))
    if meeting is not None:
        _held(meeting)
    if decision is not None and decision.arena_id != arena.pk:
        raise ValidationError(_("The decision belongs to another arena."))
    return ActionItem.objects.create(
        arena=arena,
        meeting=meeting,
        decision=decision,
        title=title,
        owner_role=owner_role,
        owner_organisation=owner_organisation,
        due_on=due_on,
        is_demo=is_demo,
        created_by=by if getattr(by, "pk", None) else None,
    )


@transaction.atomic
def edit_action(
    item: ActionItem,
    *,
    title: str,
    due_on: datetime.date,
    by: Any,
    owner_role: Role | None = None,
    owner_organisation: Organisation | None = None,
) -> ActionItem:
    """A new title, owner or due date; the status stays as it is (see `update_action`)."""
    _open(item.arena)
    _check_owner(item.arena, owner_role, owner_organisation)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    item.title, item.due_on = title, due_on
    item.owner_role, item.owner_organisation = owner_role, owner_organisation
    _recorded_by(item, by)
    item.save(update_fields=["title", "due_on", "owner_role", "owner_organisation"])
    return item


@transaction.atomic
def update_action(item: ActionItem, *, status: str, note: str, by: Any) -> ActionItem:
    """A new status and note; `done_at` is set when the action is done and cleared when it is reopened.
    `by` is recorded in the history (the request's user, through simple-history's middleware)."""
    _open(item.arena)
    if status not in ActionStatus.values:
        raise ValidationError(_("Choose a status from the list."))
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    item.status = status
    item.status_note = note
    _recorded_by(item, by)
    if status == ActionStatus.DONE:
        item.done_at = item.done_at or timezone.now()
    else:
        item.done_at = None
    item.save(update_fields=["status", "status_note", "done_at"])
    return item
