"""Changes to user participation, each atomic: give input, withdraw it, record how it was used. Views and
the demo call these; the caller has checked who the person is (`access`). Rules a person can break (a
plan no longer on public consultation, a missing reason, input already used) raise `ValidationError`
with a message, and then nothing is stored. Every change is kept in the history with its user (`by`).

Mail goes out once the change is stored (`transaction.on_commit`): the municipality's editors hear of new
input, the giving organisation's editors of how their input was used."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lagspill.measures.models import Measure
from lagspill.organisations.models import Membership, Organisation, Role
from lagspill.places.models import Municipality
from lagspill.plans.models import Plan

from . import participation
from .models import Input, Use

EDITORS = (Role.EDITOR, Role.ADMIN)


def _locked_subject(subject: Plan | Measure) -> Plan | Measure:
    """The plan or measure row locked, so it cannot leave consultation while the input is stored."""
    return type(subject).objects.select_for_update().get(pk=subject.pk)


def _locked(input_: Input) -> Input:
    return Input.objects.select_for_update().get(pk=input_.pk)


@transaction.atomic
def give_input(
    subject: Plan | Measure, organisation: Organisation, body: str, *, by: Any, notify: bool = True
) -> Input:
    """Input from `organisation` (one the person speaks for) on a plan in public consultation or an open
    public measure."""
    stored = _locked_subject(subject)
    if reason := participation.closed_reason(stored):
        raise ValidationError(reason)
    if organisation.pk not in {o.pk for o in participation.speaking_organisations(by)}:
        raise ValidationError(_("Give the input as a user organisation you are an editor of."))
    if not body.strip():
        raise ValidationError(_("Write your input."))
    kind = "plan" if isinstance(subject, Plan) else "measure"
    input_ = Input(organisation=organisation, author=by, body=body.strip(), **{kind: subject})
    input_._history_user = by
    input_.save()
    if notify:
        _mail_on_commit(_municipal_editors(subject.municipality), "new_input", _context(input_))
    return input_


@transaction.atomic
def withdraw_input(input_: Input, *, by: Any) -> Input:
    """Withdrawn input is kept (with its history) but no longer shown to the public. Input whose use is
    recorded stays: the municipality has answered it."""
    stored = _locked(input_)
    if stored.withdrawn_at is not None:
        raise ValidationError(_("The input is withdrawn already."))
    if stored.use:
        raise ValidationError(
            _("The municipality has recorded how the input was used, so it can no longer be withdrawn.")
        )
    stored.withdrawn_at = timezone.now()
    stored._history_user = by
    stored.save(update_fields=["withdrawn_at"])
    input_.withdrawn_at = stored.withdrawn_at
    return input_


@transaction.atomic
def record_use(input_: Input, use: str, reason: str, *, by: Any, notify: bool = True) -> Input:
    """How the municipality used the input, with the reason; a later change is a new version in the
    history (who and when), so earlier answers stay on record."""
    stored = _locked(input_)
    if stored.withdrawn_at is not None:
        raise ValidationError(_("The input is withdrawn; its use can no longer be recorded."))
    if use not in Use.values:
        raise ValidationError(_("Choose how the input was used."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for how the input was used."))
    if stored.use == use and stored.use_reason == reason.strip():
        return stored
    stored.use, stored.use_reason = use, reason.strip()
    stored.used_by, stored.used_at = by, timezone.now()
    stored._history_user = by
    stored.save(update_fields=["use", "use_reason", "used_by", "used_at"])
    if notify:
        _mail_on_commit(_organisation_editors(stored.organisation_id), "use_recorded", _context(stored))
    for name in ("use", "use_reason", "used_by", "used_at"):
        setattr(input_, name, getattr(stored, name))
    return input_


# Mail
def _municipal_editors(municipality: Municipality) -> list[str]:
    members = Membership.objects.active().filter(organisation__municipality=municipality, role__in=EDITORS)
    return sorted(set(members.values_list("user__email", flat=True)))


def _organisation_editors(organisation_id: int) -> list[str]:
    members = Membership.objects.active().filter(organisation_id=organisation_id, role__in=EDITORS)
    return sorted(set(members.values_list("user__email", flat=True)))


def _context(input_: Input) -> dict[str, Any]:
    """What the mails say, read now (the mail is rendered after the commit)."""
    subject = input_.subject
    return {
        "organisation": input_.organisation.name,
        "subject_title": subject.title,
        "municipality": subject.municipality.name,
        "is_plan": input_.plan_id is not None,
        "body": input_.body,
        "use": input_.use,
        "reason": input_.use_reason,
        "link": settings.SITE_URL + subject.get_absolute_url() + "#innspill",
    }


def _mail_on_commit(recipients: list[str], template: str, context: dict[str, Any]) -> None:
    if recipients:
        transaction.on_commit(lambda: _send(recipients, template, context), robust=True)


def _send(recipients: list[str], template: str, context: dict[str, Any]) -> None:
    """One message per recipient (nobody sees the others' addresses), in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        if context["use"]:
            context = {**context, "use_label": str(Use(context["use"]).label)}
        subject = render_to_string(f"network/participation/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"network/participation/email/{template}_body.txt", context)
    prefixed = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject
    send_mass_mail([(prefixed, body, None, [to]) for to in recipients])
