from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, actions
from .forms import AcceptInvitationForm, InviteForm, RoleForm
from .models import Invitation, Membership, Organisation


@login_required
def my_organisations(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.active().filter(user=request.user).select_related("organisation")
    return render(request, "organisations/mine.html", {"memberships": memberships})


class SwitchForm(forms.Form):
    organisation = forms.IntegerField(min_value=1, max_value=2**62)


@login_required
@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    """Choose which of one's organisations one works as; only one's own can be chosen."""
    form = SwitchForm(request.POST)
    pk = form.cleaned_data["organisation"] if form.is_valid() else 0
    organisation = access.get_or_404(request.user, Organisation, pk=pk)
    request.session[access.CURRENT_ORGANISATION_KEY] = organisation.pk
    messages.success(request, _("You now work as %(organisation)s.") % {"organisation": organisation})
    return redirect("organisations:mine")


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access.get_or_404(request.user, Organisation, slug=slug)
    form = InviteForm(organisation=organisation)
    if request.method == "POST":
        access.require(request.user, "admin", organisation)
        form = InviteForm(request.POST, organisation=organisation)
        if form.is_valid():
            actions.invite(organisation, form.cleaned_data["email"], form.cleaned_data["role"], request.user)
            messages.success(request, _("%(email)s has been invited.") % {"email": form.cleaned_data["email"]})
            return redirect(organisation)
    context = members_context(request, organisation) | {"form": form}
    return render(request, "organisations/members.html", context, status=400 if form.errors else 200)


def members_context(request: HttpRequest, organisation: Organisation) -> dict:
    is_admin = access.can(request.user, "admin", organisation)
    return {
        "organisation": organisation,
        "members": organisation.memberships.active().select_related("user").order_by("user__email"),
        "invitations": organisation.invitations.pending() if is_admin else [],
        "is_admin": is_admin,
        "role_choices": RoleForm.base_fields["role"].choices,
    }


def _membership_for_admin(request: HttpRequest, slug: str, pk: int) -> Membership:
    organisation = access.get_or_404(request.user, Organisation, "admin", slug=slug)
    return get_object_or_404(organisation.memberships.active().select_related("user", "organisation"), pk=pk)


def _keeping_an_admin(request: HttpRequest, change: Callable[[], None], success: str) -> None:
    try:
        change()
        messages.success(request, success)
    except actions.LastAdminError:
        messages.error(request, _("The organisation must keep at least one administrator."))


@login_required
@require_POST
def change_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership_for_admin(request, slug, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
    else:
        _keeping_an_admin(
            request,
            lambda: actions.change_role(membership, form.cleaned_data["role"]),
            _("The role of %(name)s is changed.") % {"name": membership.user},
        )
    return redirect(membership.organisation)


@login_required
@require_POST
def remove_member(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership_for_admin(request, slug, pk)
    _keeping_an_admin(
        request,
        lambda: actions.end_membership(membership),
        _("%(name)s is no longer a member.") % {"name": membership.user},
    )
    access.forget(request.user)
    if not access.can(request.user, "view", membership.organisation):
        return redirect("organisations:mine")  # one who left can no longer see the member list
    return redirect(membership.organisation)


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = access.get_or_404(request.user, Organisation, "admin", slug=slug)
    invitation = get_object_or_404(organisation.invitations.pending(), pk=pk)
    actions.revoke(invitation)
    messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
    return redirect(organisation)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The secret token in the link is the credential; accepting it is decided in `access`."""
    invitation = access.get_or_404(request.user, Invitation.objects.select_related("organisation"), token=token)
    if not actions.is_valid(invitation):
        return render(request, "organisations/invitation_invalid.html", status=410)
    if not access.may_accept(request.user, invitation):
        return render(request, "organisations/invitation_other_user.html", {"invitation": invitation}, status=403)
    if request.user.is_authenticated:
        return _accept_signed_in(request, invitation)
    return _register(request, invitation)


def _accept_signed_in(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    if request.method == "POST":
        try:
            actions.accept(invitation, request.user)
        except actions.InvitationUsedError:
            return render(request, "organisations/invitation_invalid.html", status=410)
        messages.success(request, _("Welcome to %(organisation)s.") % {"organisation": invitation.organisation})
        return redirect(invitation.organisation)
    return render(request, "organisations/invitation.html", {"invitation": invitation})


def _register(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.register_and_accept(invitation, form.cleaned_data["name"], form.cleaned_data["password1"])
        except actions.InvitationUsedError:
            return render(request, "organisations/invitation_invalid.html", status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to %(organisation)s.") % {"organisation": invitation.organisation})
        return redirect("home")
    status = 400 if form.errors else 200
    return render(request, "organisations/invitation.html", {"invitation": invitation, "form": form}, status=status)
