"""E-mail about support requests. The mail is a notice, never the content: it says that there is a
new request, reply, assignment or note and gives the link; the message text, the subject line people
wrote and the attachments stay behind the login. Mail goes out after the commit
(`transaction.on_commit`), one mail per person (nobody sees the other addresses), in bokmål: people
have no language setting of their own yet, and the reminders mail in the site's language too.

Who gets what:
- a new request: the recipient organisation's active editors and admins (and the assignee);
- a reply: the other side. From the recipient organisation to the municipality: the request's
  creator and the municipality's editors who took part in the thread; from the municipality to the
  recipient organisation: the assignee, or its editors and admins when nobody is assigned;
- an assignment: the new assignee (not when people assign themselves);
- an internal note: the assignee (when someone else wrote it); never the municipality.
Only active members of the organisation on that side are mailed, and never the person who acted.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from lagspill.organisations import access
from lagspill.organisations.models import Role

from .models import RequestMessage, SupportRequest

EDITORS = (Role.EDITOR, Role.ADMIN)


def _active_members(organisation: Q, roles: Iterable[str] | None = None) -> Q:
    """Users with an active membership in the organisation(s) matched by `organisation` (a Q on
    `memberships__organisation__…`)."""
    found = organisation & Q(memberships__ended_at__isnull=True, is_active=True)
    if roles is not None:
        found &= Q(memberships__role__in=list(roles))
    return found


def _in_recipient(request: SupportRequest, roles: Iterable[str] | None = None) -> Q:
    return _active_members(Q(memberships__organisation_id=request.recipient_id), roles)


def _in_municipality(request: SupportRequest, roles: Iterable[str] | None = None) -> Q:
    return _active_members(Q(memberships__organisation__municipality_id=request.municipality_id), roles)


def _people(found: Q, *, leave_out: Any = None) -> list[Any]:
    users = get_user_model().objects.filter(found).exclude(email="").distinct()
    if leave_out is not None:
        users = users.exclude(pk=leave_out.pk)
    return list(users.order_by("pk"))


def recipients_of_new_request(request: SupportRequest) -> list[Any]:
    found = _in_recipient(request, EDITORS)
    if request.assignee_id:
        found |= Q(pk=request.assignee_id) & _in_recipient(request)
    return _people(found, leave_out=request.created_by)


def recipients_of_reply(request: SupportRequest, message: RequestMessage) -> list[Any]:
    author = message.author
    if access.on_recipient_side(author, request):
        took_part = RequestMessage.objects.filter(request=request, internal=False).values("author")
        creator_or_took_part = Q(pk=request.created_by_id) | (Q(pk__in=took_part) & _in_municipality(request, EDITORS))
        return _people(creator_or_took_part & _in_municipality(request), leave_out=author)
    if request.assignee_id:
        return _people(Q(pk=request.assignee_id) & _in_recipient(request), leave_out=author)
    return _people(_in_recipient(request, EDITORS), leave_out=author)


def recipients_of_assignment(request: SupportRequest, by: Any) -> list[Any]:
    return _people(Q(pk=request.assignee_id) & _in_recipient(request), leave_out=by)


def recipients_of_note(request: SupportRequest, message: RequestMessage) -> list[Any]:
    if not request.assignee_id:
        return []
    return _people(Q(pk=request.assignee_id) & _in_recipient(request), leave_out=message.author)


def _send(request: SupportRequest, template: str, people: list[Any]) -> None:
    """Render now (inside the transaction, in bokmål) and send after the commit."""
    if not people:
        return
    context = {
        "number": str(request.pk),
        "municipality": request.municipality.name,
        "recipient": request.recipient.name,
        "link": settings.SITE_URL + request.get_absolute_url(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"network/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"network/email/{template}_body.txt", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    mails = [(subject, body, None, [person.email]) for person in people]
    transaction.on_commit(lambda: send_mass_mail(mails), robust=True)  # a mail failure never undoes the change


def request_sent(request: SupportRequest) -> None:
    _send(request, "request_new", recipients_of_new_request(request))


def replied(request: SupportRequest, message: RequestMessage) -> None:
    _send(request, "request_reply", recipients_of_reply(request, message))


def assigned(request: SupportRequest, by: Any) -> None:
    _send(request, "request_assigned", recipients_of_assignment(request, by))


def note_added(request: SupportRequest, message: RequestMessage) -> None:
    _send(request, "request_note", recipients_of_note(request, message))
