"""Changes to organisations and memberships. Views, commands and the API call these; each is atomic."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from lagspill.accounts.actions import mark_email_verified

from .models import Invitation, Membership, Organisation, Role

INVITATION_VALID_FOR = timedelta(days=14)


class LastAdminError(Exception):
    """An organisation must keep at least one administrator."""


def _notify(to: str, template: str, context: dict) -> None:
    subject = render_to_string(f"organisations/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"organisations/email/{template}_body.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [to])


@transaction.atomic
def invite(organisation: Organisation, email: str, role: str, invited_by: object) -> Membership | Invitation:
    """Add an existing user at once; otherwise send an invitation link by e-mail."""
    email = email.strip().lower()
    user = get_user_model().objects.filter(email__iexact=email).first()
    context = {"organisation": organisation, "role": str(Role(role).label).lower(), "site_url": settings.SITE_URL}
    if user is not None:
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
        _notify(email, "added", context)
        return membership
    invitation = Invitation.objects.create(organisation=organisation, email=email, role=role, invited_by=invited_by)
    context["link"] = settings.SITE_URL + reverse("organisations:invitation", args=[invitation.token])
    _notify(email, "invitation", context)
    return invitation


def is_valid(invitation: Invitation) -> bool:
    fresh = timezone.now() - invitation.created_at <= INVITATION_VALID_FOR
    return fresh and invitation.accepted_at is None and invitation.revoked_at is None


@transaction.atomic
def accept(invitation: Invitation, user: object) -> Membership:
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    membership, _ = Membership.objects.active().get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    return membership


@transaction.atomic
def register_and_accept(invitation: Invitation, name: str, password: str) -> object:
    user = get_user_model().objects.create_user(email=invitation.email, password=password, name=name)
    mark_email_verified(user)
    accept(invitation, user)
    return user


@transaction.atomic
def revoke(invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


def _admins_left_without(membership: Membership) -> int:
    # Lock the admins' rows so two admins cannot demote each other at the same moment.
    others = (
        Membership.objects.active().select_for_update().filter(organisation=membership.organisation, role=Role.ADMIN)
    )
    return len(others.exclude(pk=membership.pk))


@transaction.atomic
def change_role(membership: Membership, role: str) -> None:
    if membership.role == Role.ADMIN and role != Role.ADMIN and not _admins_left_without(membership):
        raise LastAdminError
    membership.role = role
    membership.save(update_fields=["role"])


@transaction.atomic
def end_membership(membership: Membership) -> None:
    """Members are ended, not deleted: history keeps who had access when."""
    if membership.role == Role.ADMIN and not _admins_left_without(membership):
        raise LastAdminError
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at"])
