"""Changes to support requests, each atomic: send a request, reply, add an internal note, triage
(status, assignee, urgency), and log a download. Views, the demo and commands call these; the caller
has checked access. Each change locks the request row, writes its `RequestEvent`s (the audit trail)
and sets `updated_at`; closing sets `closed_at`, reopening clears it (history keeps both). Mail goes
out after the commit (`notify`). Rules a person can break raise `ValidationError`, and then nothing
is stored."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lagspill.places.models import Municipality

from . import files, notify
from .models import (
    EventKind,
    RequestAttachment,
    RequestEvent,
    RequestMessage,
    RequestStatus,
    SupportRequest,
    Urgency,
)
from .support_forms import assignees, recipients


def _text(body: str, message: str) -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationError(message)
    return text


def _lock(request: SupportRequest) -> SupportRequest:
    """The request row itself, locked until the transaction ends (no outer joins)."""
    return SupportRequest.objects.select_for_update().get(pk=request.pk)


def _event(request: SupportRequest, by: Any, kind: str, before: Any = "", after: Any = "") -> RequestEvent:
    before, after = "" if before is None else str(before), "" if after is None else str(after)
    return RequestEvent.objects.create(request=request, actor=by, kind=kind, before=before[:200], after=after[:200])


def _touch(request: SupportRequest, by: Any, fields: Iterable[str] = ()) -> None:
    request.updated_at = timezone.now()
    request._history_user = by
    request.save(update_fields=["updated_at", *fields])


def _message(
    request: SupportRequest, body: str, by: Any, *, internal: bool = False, uploads: Iterable[UploadedFile] = ()
) -> RequestMessage:
    message = RequestMessage(request=request, author=by, body=body, internal=internal)
    message._history_user = by
    message.save()
    for upload in uploads:
        attachment = RequestAttachment(message=message, uploaded_by=by)
        files.store(attachment, upload)
        attachment._history_user = by
        attachment.save()
    return message


@transaction.atomic
def send_request(
    municipality: Municipality,
    data: dict[str, Any],
    *,
    by: Any,
    uploads: Iterable[UploadedFile] = (),
    is_demo: bool = False,
) -> SupportRequest:
    """A new request with its first message (and attachments). `data`: subject, topic, urgency,
    recipient, body. Demo requests send no mail (demo accounts have made-up addresses)."""
    recipient = data["recipient"]
    if not recipients(municipality).filter(pk=recipient.pk).exists():
        raise ValidationError(_("Send the request to the County Governor of the county or to Husbanken."))
    subject = _text(data.get("subject", ""), _("Give the request a subject."))
    body = _text(data.get("body", ""), _("Write what you need help with."))
    now = timezone.now()
    request = SupportRequest(
        municipality=municipality,
        recipient=recipient,
        topic=data["topic"],
        urgency=data.get("urgency") or Urgency.NORMAL,
        subject=subject,
        created_by=by,
        created_at=now,
        updated_at=now,
        is_demo=is_demo,
    )
    request._history_user = by
    request.full_clean(exclude=["created_by", "recipient", "municipality"])
    request.save()
    _message(request, body, by, uploads=uploads)
    _event(request, by, EventKind.CREATED, after=recipient.name)
    if not is_demo:
        notify.request_sent(request)
    return request


def _reopened_status(request: SupportRequest) -> str:
    return RequestStatus.IN_PROGRESS if request.assignee_id else RequestStatus.NEW


@transaction.atomic
def reply(
    request: SupportRequest, body: str, *, by: Any, uploads: Iterable[UploadedFile] = ()
) -> tuple[RequestMessage, bool]:
    """A message in the thread, to the other party. A reply to a closed request reopens it (recorded
    as a status change). Returns the message and whether the request was reopened."""
    text = _text(body, _("Write a reply."))
    locked = _lock(request)
    message = _message(locked, text, by, uploads=uploads)
    _event(locked, by, EventKind.MESSAGE)
    reopened = locked.status == RequestStatus.CLOSED
    fields = []
    if reopened:
        status = _reopened_status(locked)
        _event(locked, by, EventKind.STATUS, before=locked.status, after=status)
        locked.status, locked.closed_at = status, None
        fields = ["status", "closed_at"]
    _touch(locked, by, fields)
    if not locked.is_demo:
        notify.replied(locked, message)
    return message, reopened


@transaction.atomic
def add_note(request: SupportRequest, body: str, *, by: Any) -> RequestMessage:
    """An internal note of the recipient organisation: never shown to (or mailed to) the municipality."""
    text = _text(body, _("Write the note."))
    locked = _lock(request)
    message = _message(locked, text, by, internal=True)
    _event(locked, by, EventKind.NOTE)
    _touch(locked, by)
    if not locked.is_demo:
        notify.note_added(locked, message)
    return message


@transaction.atomic
def triage(request: SupportRequest, *, status: str, assignee: Any, urgency: str, by: Any) -> list[str]:
    """Set status, assignee and urgency; one event per change. Returns the kinds of change made
    (nothing is written when nothing changed)."""
    locked = _lock(request)
    if status not in RequestStatus.values or urgency not in Urgency.values:
        raise ValidationError(_("Choose a status and an urgency from the lists."))
    assignee_id = assignee.pk if assignee is not None else None
    if (
        assignee_id not in (None, locked.assignee_id)
        and not assignees(locked.recipient_id).filter(pk=assignee_id).exists()
    ):
        raise ValidationError(_("Choose an editor or administrator of the organisation the request is addressed to."))
    changed, fields = [], []
    if status != locked.status:
        _event(locked, by, EventKind.STATUS, before=locked.status, after=status)
        if status == RequestStatus.CLOSED:
            locked.closed_at = timezone.now()
        elif locked.status == RequestStatus.CLOSED:
            locked.closed_at = None
        locked.status = status
        changed.append(EventKind.STATUS)
        fields += ["status", "closed_at"]
    if assignee_id != locked.assignee_id:
        _event(locked, by, EventKind.ASSIGNED, before=locked.assignee_id, after=assignee_id)
        locked.assignee_id = assignee_id
        changed.append(EventKind.ASSIGNED)
        fields.append("assignee")
    if urgency != locked.urgency:
        _event(locked, by, EventKind.URGENCY, before=locked.urgency, after=urgency)
        locked.urgency = urgency
        changed.append(EventKind.URGENCY)
        fields.append("urgency")
    if changed:
        _touch(locked, by, fields)
        if EventKind.ASSIGNED in changed and assignee_id is not None and not locked.is_demo:
            notify.assigned(locked, by)
    request.refresh_from_db()
    return changed


@transaction.atomic
def log_download(attachment: RequestAttachment, *, by: Any) -> RequestEvent:
    """Who downloaded which attachment, in the audit trail. A download changes nothing in the request,
    so `updated_at` (the request's last change) is left as it is."""
    return _event(attachment.message.request, by, EventKind.DOWNLOADED, after=attachment.original_name)
