"""Arena pages: a municipality's arenas and coverage matrix, the County Governor's county networks,
an arena with its seats, meetings, numbered decisions and actions, and a meeting with minutes and
attendance. Each view: fetch through the access module, call a query or an action, render."""

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lagspill.organisations import access
from lagspill.places.models import County, Municipality

from . import actions, coverage, history, queries
from .forms import (
    ActionEditForm,
    ActionForm,
    ActionUpdateForm,
    ArenaForm,
    DecisionForm,
    EndMembershipForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    SearchForm,
)
from .models import ActionItem, ActionStatus, Arena, ArenaMember, Decision, Meeting

ARENA_ROWS = ("municipality__county", "county", "created_by")


def municipality_or_404(request: HttpRequest, number: str) -> Municipality:
    return access.get_or_404(request.user, Municipality.objects.select_related("county"), number=number)


def county_or_404(request: HttpRequest, number: str) -> County:
    return access.get_or_404(request.user, County, number=number)


def arena_or_404(request: HttpRequest, pk: int, action: str = "view") -> Arena:
    return access.get_or_404(request.user, Arena.objects.select_related(*ARENA_ROWS), action, pk=pk)


def meeting_or_404(request: HttpRequest, pk: int, mid: int, action: str = "view") -> Meeting:
    rows = Meeting.objects.select_related(*(f"arena__{name}" for name in ARENA_ROWS))
    return access.get_or_404(request.user, rows, action, pk=mid, arena_id=pk)


def refuse_closed(request: HttpRequest, arena: Arena, back: str = "") -> HttpResponse | None:
    """A closed arena is kept as it was: a 403 page that says so (None while the arena is open)."""
    if arena.closed_at is None:
        return None
    sees = access.can(request.user, "view", arena)
    context = {
        "arena": arena,
        **(owner_of(arena) if sees else {}),
        "sees": sees,
        "back": back or (arena.get_absolute_url() if sees else reverse("mywork:index")),
    }
    return render(request, "arenas/closed.html", context, status=403)


def refuse_cancelled(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    """A cancelled meeting records no decisions or actions: its page with a message, 400 (None if held)."""
    if meeting.cancelled_at is None:
        return None
    messages.error(request, _("The meeting is cancelled, so no decisions or actions can be recorded in it."))
    return render_meeting(request, meeting, status=400)


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


# Lists: a municipality's arenas (with the coverage matrix), the county networks.
@require_GET
def municipality_arenas(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_or_404(request, number)
    today = timezone.localdate()
    arenas = queries.municipality_arenas(request.user, municipality, today)
    open_arenas = [a for a in arenas if a.closed_at is None]
    context = {
        "municipality": municipality,
        "arenas": open_arenas,
        "closed": [a for a in arenas if a.closed_at is not None],
        "coverage": coverage.build(open_arenas),
        "may_edit": access.runs_arena(request.user, Arena(municipality=municipality)),
    }
    return render(request, "arenas/municipality_arenas.html", context)


@require_GET
def county_networks(request: HttpRequest, number: str) -> HttpResponse:
    county = county_or_404(request, number)
    arenas = queries.county_networks(request.user, county, timezone.localdate())
    context = {
        "county": county,
        "arenas": [a for a in arenas if a.closed_at is None],
        "closed": [a for a in arenas if a.closed_at is not None],
        "may_edit": access.governs(request.user, county),
    }
    return render(request, "arenas/county_networks.html", context)


@login_required
def new_arena(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_or_404(request, number)
    if not access.runs_arena(request.user, Arena(municipality=municipality)):
        raise PermissionDenied
    return arena_form(request, {"municipality": municipality})


@login_required
def new_network(request: HttpRequest, number: str) -> HttpResponse:
    county = county_or_404(request, number)
    if not access.runs_arena(request.user, Arena(county=county)):
        raise PermissionDenied
    return arena_form(request, {"county": county})


def arena_form(request: HttpRequest, owner: dict[str, Any]) -> HttpResponse:
    form = ArenaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        arena = actions.create_arena(**form.cleaned_data, **owner, by=request.user)
        messages.success(request, _("The arena “%(name)s” is created. Add its members next.") % {"name": arena.name})
        return redirect(arena)
    context = {**owner, "form": form, "arena": None}
    return render(request, "arenas/arena_form.html", context, status=400 if form.errors else 200)


@login_required
def edit_arena(request: HttpRequest, pk: int) -> HttpResponse:
    arena = arena_or_404(request, pk, "change")
    form = ArenaForm(request.POST or None, instance=arena)
    if request.method == "POST" and form.is_valid():
        actions.save_arena(arena, **form.cleaned_data)
        messages.success(request, _("The arena is saved."))
        return redirect(arena)
    context = {"arena": arena, "form": form, **owner_of(arena)}
    return render(request, "arenas/arena_form.html", context, status=400 if form.errors else 200)


def owner_of(arena: Arena) -> dict[str, Any]:
    return {"county": arena.county} if arena.county_id else {"municipality": arena.municipality}


@login_required
@require_POST
def close_arena(request: HttpRequest, pk: int) -> HttpResponse:
    arena = arena_or_404(request, pk, "change")
    actions.close_arena(arena)
    messages.success(request, _("The arena is closed. It is kept, with its meetings and decisions."))
    return redirect(arena)


# The arena page and its seats.
@require_GET
def arena(request: HttpRequest, pk: int) -> HttpResponse:
    arena = arena_or_404(request, pk)
    return render_arena(request, arena)


def render_arena(
    request: HttpRequest, arena: Arena, member_form: MemberForm | None = None, status: int = 200
) -> HttpResponse:
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    today = timezone.localdate()
    may_edit = access.runs_arena(request.user, arena)
    context = {
        "arena": arena,
        **owner_of(arena),
        "page": queries.arena_page(request.user, arena, today, query),
        "query": query,
        "search_form": search if request.GET else SearchForm(),
        "today": today,
        "may_edit": may_edit and arena.closed_at is None,
        "insider": queries.insider(request.user, arena),
        "member_form": member_form or (MemberForm(arena=arena) if may_edit else None),
        "runs": may_edit and arena.closed_at is None,
        "held_roles": queries.held_roles(request.user, today) if arena.closed_at is None else set(),
        "statuses": ActionStatus.choices,
    }
    return render(request, "arenas/arena.html", context, status=status)


@login_required
@require_POST
def add_member(request: HttpRequest, pk: int) -> HttpResponse:
    arena = arena_or_404(request, pk, "change")
    if refused := refuse_closed(request, arena):
        return refused
    form = MemberForm(request.POST, arena=arena)
    if not form.is_valid():
        return render_arena(request, arena, member_form=form, status=400)
    data = form.cleaned_data
    actions.add_member(
        arena, role=data.get("role"), organisation=data["organisation"], joined_on=data["joined_on"], by=request.user
    )
    messages.success(request, _("The member is added."))
    return redirect(arena)


@login_required
@require_POST
def end_membership(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    arena = arena_or_404(request, pk, "change")
    member = access.get_or_404(
        request.user, ArenaMember.objects.select_related("role", "organisation"), pk=mid, arena=arena
    )
    if refused := refuse_closed(request, arena):
        return refused
    form = EndMembershipForm(request.POST, member=member)
    if not form.is_valid():
        for error in form.errors.get("left_on", []):
            messages.error(request, error)
        return render_arena(request, arena, status=400)
    actions.end_membership(member, left_on=form.cleaned_data["left_on"])
    messages.success(request, _("The membership is ended. It is kept under former members."))
    return redirect(arena)


@login_required
@require_GET
def arena_history(request: HttpRequest, pk: int) -> HttpResponse:
    arena = arena_or_404(request, pk)
    if not queries.insider(request.user, arena):
        raise Http404
    context = {
        "arena": arena,
        **owner_of(arena),
        "arena_records": history.arena_records(arena),
        "seat_records": history.seat_records(arena),
        "changes": history.changes(arena),
        "limit": history.LIMIT,
    }
    return render(request, "arenas/history.html", context)


# Meetings, minutes and attendance, decisions and actions.
@login_required
def new_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    arena = arena_or_404(request, pk, "change")
    if refused := refuse_closed(request, arena):
        return refused
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = actions.add_meeting(arena, **form.cleaned_data, by=request.user)
        messages.success(request, _("The meeting is added."))
        return redirect(meeting)
    context = {"arena": arena, **owner_of(arena), "form": form}
    return render(request, "arenas/meeting_form.html", context, status=400 if form.errors else 200)


@login_required
def edit_meeting(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    """Time, end, place and agenda (the minutes have their own page)."""
    meeting = meeting_or_404(request, pk, mid, "change")
    if refused := refuse_closed(request, meeting.arena, meeting.get_absolute_url()):
        return refused
    form = MeetingForm(request.POST or None, instance=copy.copy(meeting))
    if request.method == "POST" and form.is_valid():
        meeting = actions.save_meeting(meeting, **form.cleaned_data, by=request.user)
        messages.success(request, _("The meeting is saved."))
        return redirect(meeting)
    context = {"arena": meeting.arena, **owner_of(meeting.arena), "meeting": meeting, "form": form}
    return render(request, "arenas/meeting_form.html", context, status=400 if form.errors else 200)


@require_GET
def meeting(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, mid)
    return render_meeting(request, meeting)


def render_meeting(
    request: HttpRequest,
    meeting: Meeting,
    decision_form: DecisionForm | None = None,
    action_form: ActionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    arena = meeting.arena
    may_edit = access.runs_arena(request.user, arena) and arena.closed_at is None
    context = {
        "arena": arena,
        **owner_of(arena),
        "meeting": meeting,
        "page": queries.meeting_page(meeting),
        "today": timezone.localdate(),
        "may_edit": may_edit,
        "may_record": may_edit and meeting.cancelled_at is None,
        "decision_form": decision_form or DecisionForm(),
        "action_form": action_form or (ActionForm(meeting=meeting) if may_edit else None),
        "runs": may_edit,
        "held_roles": queries.held_roles(request.user, timezone.localdate()) if arena.closed_at is None else set(),
        "statuses": ActionStatus.choices,
    }
    return render(request, "arenas/meeting.html", context, status=status)


@login_required
def edit_minutes(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, mid, "change")
    if refused := refuse_closed(request, meeting.arena, meeting.get_absolute_url()):
        return refused
    seats = queries.meeting_seats(meeting, queries.attendance_of(meeting))
    form = MinutesForm(request.POST or None, meeting=meeting, seats=seats)
    if request.method == "POST" and form.is_valid():
        actions.save_minutes(meeting, minutes=form.cleaned_data["minutes"], attendance=form.attendance())
        messages.success(request, _("The minutes and attendance are saved."))
        return redirect(meeting)
    context = {"arena": meeting.arena, **owner_of(meeting.arena), "meeting": meeting, "form": form}
    return render(request, "arenas/minutes_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def cancel_meeting(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, mid, "change")
    if refused := refuse_closed(request, meeting.arena, meeting.get_absolute_url()):
        return refused
    if meeting.cancelled_at is not None:
        messages.info(request, _("The meeting was already cancelled. Nothing is changed."))
        return redirect(meeting)
    actions.cancel_meeting(meeting)
    messages.success(request, _("The meeting is cancelled. It is kept, marked as cancelled."))
    return redirect(meeting)


@login_required
@require_POST
def add_decision(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, mid, "change")
    if refused := refuse_closed(request, meeting.arena, meeting.get_absolute_url()):
        return refused
    if refused := refuse_cancelled(request, meeting):
        return refused
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return render_meeting(request, meeting, decision_form=form, status=400)
    try:
        decision = actions.add_decision(meeting, text=form.cleaned_data["text"], by=request.user)
    except ValidationError as error:
        form.add_error(None, error)
        return render_meeting(request, meeting, decision_form=form, status=400)
    messages.success(request, _("Decision %(label)s is recorded.") % {"label": decision.label})
    return redirect(meeting)


@login_required
@require_POST
def withdraw_decision(request: HttpRequest, pk: int, did: int) -> HttpResponse:
    rows = Decision.objects.select_related(*(f"arena__{name}" for name in ARENA_ROWS), "meeting")
    decision = access.get_or_404(request.user, rows, "change", pk=did, arena_id=pk)
    if refused := refuse_closed(request, decision.arena, decision.meeting.get_absolute_url()):
        return refused
    decision = actions.withdraw_decision(decision, by=request.user)
    messages.success(
        request,
        _("Decision %(label)s is withdrawn. It is kept, marked as withdrawn, and its number is not reused.")
        % {"label": decision.label},
    )
    return redirect(decision.meeting)


@login_required
@require_POST
def add_action(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, mid, "change")
    if refused := refuse_closed(request, meeting.arena, meeting.get_absolute_url()):
        return refused
    if refused := refuse_cancelled(request, meeting):
        return refused
    form = ActionForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return render_meeting(request, meeting, action_form=form, status=400)
    data = form.cleaned_data
    try:
        actions.add_action(
            meeting.arena,
            title=data["title"],
            due_on=data["due_on"],
            owner_role=data.get("owner_role"),
            owner_organisation=data.get("owner_organisation"),
            meeting=meeting,
            decision=data.get("decision"),
            by=request.user,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return render_meeting(request, meeting, action_form=form, status=400)
    messages.success(request, _("The action is added."))
    return redirect(meeting)


@login_required
def edit_action(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """The arena's runners change an action's title, owner and due date (the holder of the owner role
    changes its status only)."""
    rows = ActionItem.objects.select_related(*(f"arena__{name}" for name in ARENA_ROWS), "owner_role", "meeting")
    item = access.get_or_404(request.user, rows, pk=aid, arena_id=pk)
    if not access.runs_arena(request.user, item.arena):
        raise PermissionDenied
    back = safe_next(request, (item.meeting or item.arena).get_absolute_url())
    if refused := refuse_closed(request, item.arena, back):
        return refused
    form = ActionEditForm(request.POST or None, item=copy.copy(item))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = actions.edit_action(
                item,
                title=data["title"],
                due_on=data["due_on"],
                owner_role=data.get("owner_role"),
                owner_organisation=data.get("owner_organisation"),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The action “%(title)s” is saved.") % {"title": item.title})
            return redirect(back)
    context = {"arena": item.arena, **owner_of(item.arena), "item": item, "form": form, "back": back}
    return render(request, "arenas/action_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def update_action(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """The arena's runners and the current holder of the owner role change an action's status."""
    rows = ActionItem.objects.select_related(*(f"arena__{name}" for name in ARENA_ROWS), "owner_role")
    item = access.get_or_404(request.user, rows, "change", pk=aid, arena_id=pk)
    # The holder of the owner role may work outside the arena's circle: back to a page they may see.
    sees_arena = access.can(request.user, "view", item.arena)
    back = safe_next(request, item.arena.get_absolute_url() if sees_arena else reverse("mywork:index"))
    if refused := refuse_closed(request, item.arena, back):
        return refused
    form = ActionUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status from the list."))
        if sees_arena:
            return render_arena(request, item.arena, status=400)
        return redirect(back)
    item = actions.update_action(
        item, status=form.cleaned_data["status"], note=form.cleaned_data["note"], by=request.user
    )
    messages.success(
        request, _("“%(title)s” is now: %(status)s.") % {"title": item.title, "status": item.get_status_display()}
    )
    return redirect(back)


# Municipality-wide: decision search and open actions.
@require_GET
def decisions(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_or_404(request, number)
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {
        "municipality": municipality,
        "form": form if request.GET else SearchForm(),
        "query": query,
        "decisions": queries.municipality_decisions(request.user, municipality, query),
    }
    return render(request, "arenas/decisions.html", context, status=400 if form.errors else 200)


@require_GET
def open_actions(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_or_404(request, number)
    context = {
        "municipality": municipality,
        "actions": queries.municipality_open_actions(request.user, municipality),
        "runs": access.edits_municipality(request.user, municipality),
        "held_roles": queries.held_roles(request.user, timezone.localdate()),
        "statuses": ActionStatus.choices,
    }
    return render(request, "arenas/open_actions.html", context)
