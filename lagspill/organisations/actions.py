"""Changes to organisations and memberships. Views, commands and the API call these; each is atomic."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from lagspill.accounts.actions import mark_email_verified

from .models import Invitation, Membership, Organisation, Role

INVITATION_VALID_FOR = timedelta(days=14)


class LastAdminError(Exception):
    """An organisation must keep at least one administrator."""


class InvitationUsedError(Exception):
    """The invitation was accepted (or withdrawn) in the meantime, e.g. by a double click."""


def _notify(to: str, template: str, context: dict) -> None:
    subject = render_to_string(f"organisations/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"organisations/email/{template}_body.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [to])


@transaction.atomic
def invite(organisation: Organisation, email: str, role: str, invited_by: AbstractBaseUser) -> Invitation:
    """Everyone joins by accepting an invitation, also people who have an account already:
    nobody is added without consent, and the admin does not learn who has an account."""
    email = email.strip().lower()
    invitation = Invitation.objects.create(organisation=organisation, email=email, role=role, invited_by=invited_by)
    context = {
        "organisation": organisation,
        "role": str(Role(role).label).lower(),
        "link": settings.SITE_URL + reverse("organisations:invitation", args=[invitation.token]),
    }
    # Mail only once the invitation is stored, so a failed save never leaves a dead link.
    transaction.on_commit(lambda: _notify(email, "invitation", context))
    return invitation


def is_valid(invitation: Invitation) -> bool:
    fresh = timezone.now() - invitation.created_at <= INVITATION_VALID_FOR
    return fresh and invitation.accepted_at is None and invitation.revoked_at is None


def _claim(invitation: Invitation) -> Invitation:
    """Lock the invitation and mark it accepted; a second, simultaneous claim fails cleanly."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not is_valid(locked):
        raise InvitationUsedError
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    return locked


@transaction.atomic
def accept(invitation: Invitation, user: AbstractBaseUser) -> Membership:
    claimed = _claim(invitation)
    membership, _ = Membership.objects.active().get_or_create(
        user=user, organisation=claimed.organisation, defaults={"role": claimed.role}
    )
    return membership


def register_and_accept(invitation: Invitation, name: str, password: str) -> AbstractBaseUser:
    try:
        with transaction.atomic():
            claimed = _claim(invitation)
            user = get_user_model().objects.create_user(email=claimed.email, password=password, name=name)
            mark_email_verified(user)
            Membership.objects.create(user=user, organisation=claimed.organisation, role=claimed.role)
    except IntegrityError as error:  # the address got an account in the meantime
        raise InvitationUsedError from error
    return user


@transaction.atomic
def revoke(invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


def _lock_admins(membership: Membership) -> tuple[Membership, bool]:
    """Lock every admin row of the organisation (the target's too, in one order, so two admins
    demoting each other cannot deadlock) and tell whether another admin remains."""
    admins = list(
        Membership.objects.active()
        .select_for_update()
        .filter(organisation=membership.organisation_id, role=Role.ADMIN)
        .order_by("pk")
    )
    current = Membership.objects.select_for_update().get(pk=membership.pk)
    return current, any(m.pk != current.pk for m in admins)


@transaction.atomic
def change_role(membership: Membership, role: str) -> None:
    current, other_admin = _lock_admins(membership)
    if current.role == Role.ADMIN and role != Role.ADMIN and not other_admin:
        raise LastAdminError
    current.role = role
    current.save(update_fields=["role"])


@transaction.atomic
def end_membership(membership: Membership) -> None:
    """Members are ended, not deleted: history keeps who had access when."""
    current, other_admin = _lock_admins(membership)
    if current.role == Role.ADMIN and not other_admin:
        raise LastAdminError
    current.ended_at = timezone.now()
    current.save(update_fields=["ended_at"])
