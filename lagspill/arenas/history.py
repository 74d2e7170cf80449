"""The arena's history page: every saved version of the arena and its seats, and what changed in its
meetings, decisions, action items and attendance (who, when, which fields from what to what).

Each kind of record is read in two queries whatever its length: the newest `LIMIT` versions, each
annotated with the id of the version before it, and then those earlier versions, to compare with."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import ActionItem, Arena, ArenaMember, Attendance, Decision, Meeting

LIMIT = 200
LONG_TEXT = 80  # longer values are cut, the history keeps them whole


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    when: datetime.datetime
    who: Any
    subject: str
    url: str
    created: bool
    fields: list[FieldChange] = field(default_factory=list)


def arena_records(arena: Arena) -> list[Any]:
    return list(arena.history.select_related("history_user").order_by("-history_date")[:LIMIT])


def seat_records(arena: Arena) -> list[Any]:
    rows = ArenaMember.history.filter(arena_id=arena.pk).select_related("history_user", "role", "organisation")
    return list(rows.order_by("-history_date")[:LIMIT])


def _with_previous(records: QuerySet, related: tuple[str, ...]) -> tuple[list[Any], dict[int, Any]]:
    """The newest versions, and the version before each of them (by history id)."""
    model = records.model
    before = model.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
    newest = (
        records.annotate(previous_id=Subquery(before.order_by("-history_date", "-history_id").values("history_id")[:1]))
        .select_related("history_user", *related)
        .order_by("-history_date", "-history_id")[:LIMIT]
    )
    rows = list(newest)
    wanted = [r.previous_id for r in rows if r.previous_id]
    previous = {p.history_id: p for p in model.objects.filter(history_id__in=wanted).select_related(*related)}
    return rows, previous


def _shown(record: Any, name: str) -> str:
    """A field's value as a person reads it, in the page's language."""
    display = getattr(record, f"get_{name}_display", None)
    value = display() if display else getattr(record, name)
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Model):
        return str(getattr(value, "display_name", value))
    text = " ".join(str(value).split())
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"


def _compare(record: Any, previous: Any | None, fields: dict[str, str]) -> list[FieldChange]:
    """The fields whose value differs from the version before (all set fields for a new row)."""
    changes = []
    for name, label in fields.items():
        new = _shown(record, name)
        old = _shown(previous, name) if previous is not None else "–"
        if new != old:
            changes.append(FieldChange(label, old, new))
    return changes


def _changes(records: QuerySet, related: tuple[str, ...], fields: dict[str, str], describe: Any) -> list[Change]:
    rows, previous = _with_previous(records, related)
    found = []
    for record in rows:
        before = previous.get(record.previous_id)
        subject, url = describe(record)
        changed = _compare(record, before, fields)
        if before is not None and not changed:
            continue  # saved without a visible change
        found.append(Change(record.history_date, record.history_user, subject, url, before is None, changed))
    return found


def _when(value: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")


def _meeting_url(arena: Arena, meeting_id: int) -> str:
    return reverse("arenas:meeting", args=[arena.pk, meeting_id])


def changes(arena: Arena) -> list[Change]:
    """Changes to the arena's meetings, decisions, actions and attendance, newest first (at most
    `LIMIT` of each kind), in eight queries."""
    meeting_fields = {
        "starts_at": _("Starts"),
        "ends_at": _("Ends"),
        "location": _("Place"),
        "agenda": _("Agenda"),
        "minutes": _("Minutes"),
        "cancelled_at": pgettext("meeting", "Cancelled"),
    }
    decision_fields = {"text": _("Decision"), "withdrawn_at": _("Withdrawn")}
    action_fields = {
        "title": _("Action"),
        "owner_role": _("Owner role"),
        "owner_organisation": _("Owner organisation"),
        "due_on": _("Due"),
        "status": _("Status"),
        "status_note": _("Note"),
    }
    found = [
        *_changes(
            Meeting.history.filter(arena_id=arena.pk),
            (),
            meeting_fields,
            lambda r: (_("Meeting %(date)s") % {"date": _when(r.starts_at)}, _meeting_url(arena, r.id)),
        ),
        *_changes(
            Decision.history.filter(arena_id=arena.pk),
            (),
            decision_fields,
            lambda r: (_("Decision %(label)s") % {"label": f"{r.number}/{r.year}"}, _meeting_url(arena, r.meeting_id)),
        ),
        *_changes(
            ActionItem.history.filter(arena_id=arena.pk),
            ("owner_role", "owner_organisation"),
            action_fields,
            lambda r: (
                _("Action “%(title)s”") % {"title": r.title},
                _meeting_url(arena, r.meeting_id) if r.meeting_id else arena.get_absolute_url(),
            ),
        ),
        *_changes(
            Attendance.history.filter(meeting__arena_id=arena.pk),
            ("meeting", "member__role", "member__organisation"),
            {"present": _("Present")},
            lambda r: (
                _("Attendance: %(seat)s, meeting %(date)s")
                % {"seat": _seat(r.member), "date": _when(r.meeting.starts_at)},
                _meeting_url(arena, r.meeting_id),
            ),
        ),
    ]
    found.sort(key=lambda change: change.when, reverse=True)
    return found


def _seat(member: ArenaMember) -> str:
    return member.role.display_name if member.role_id else str(member.organisation)
