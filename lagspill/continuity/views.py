"""Roles, holders, handover notes, the import, turnover and risks, and anchoring tasks. Each view:
fetch through the access module, call a query or an action, render."""

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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lagspill.arenas.models import ArenaMember
from lagspill.organisations import access
from lagspill.places.models import Municipality

from . import actions, imports, queries
from .anchoring import arena_link
from .forms import (
    AddRoleForm,
    CompleteTaskForm,
    HandoverForm,
    HolderForm,
    HoldingForm,
    ImportForm,
    RoleForm,
    RolePlansForm,
    VacantForm,
    parse_since,
)
from .models import AnchoringTask, Holding, Person, Role

GET_POST = require_http_methods(["GET", "POST"])


def municipality_or_404(request: HttpRequest, number: str) -> Municipality:
    municipality = access.get_or_404(request.user, Municipality.objects.select_related("county"), number=number)
    if not access.sees_municipality_private(request.user, municipality):
        raise Http404
    return municipality


def editable_municipality(request: HttpRequest, number: str) -> Municipality:
    municipality = municipality_or_404(request, number)
    access.require(request.user, "change", Role(municipality=municipality))
    return municipality


def role_or_404(request: HttpRequest, number: str, pk: int, action: str = "view") -> Role:
    roles = Role.objects.select_related("municipality__county")
    return access.get_or_404(request.user, roles, action, pk=pk, municipality__number=number)


def holding_or_404(request: HttpRequest, number: str, pk: int, hid: int) -> Holding:
    rows = Holding.objects.active().select_related("role__municipality__county", "person")
    return access.get_or_404(request.user, rows, "change", pk=hid, role__pk=pk, role__municipality__number=number)


def refuse_retired(request: HttpRequest, role: Role) -> HttpResponse | None:
    """A retired role is history: changes to it are refused with a message, back on its page."""
    if role.retired_at is None:
        return None
    messages.error(request, _("The role is retired and can no longer be changed."))
    return redirect(role)


def with_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# The roles page


@login_required
@require_GET
def roles(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_or_404(request, number)
    today = timezone.localdate()
    default = queries.default_since(today)
    since, refused = parse_since(request.GET.get("siden"), default)
    if refused:
        messages.error(request, _("The date was not understood (use YYYY-MM-DD); showing the last local election."))
    rows = queries.role_rows(municipality, today)
    context = {
        "municipality": municipality,
        "groups": queries.by_department(rows),
        "today": today,
        "figures": queries.municipality_figures(municipality, today, since),
        "risks": queries.municipality_risks(municipality, today),
        "since": since,
        "default_since": default,
        "may_edit": access.edits_municipality(request.user, municipality),
        "unused": queries.unused_kinds(municipality),
        "is_demo": any(row.role.is_demo for row in rows),
    }
    return render(request, "continuity/roles.html", context)


@login_required
@require_POST
def ensure_catalogue(request: HttpRequest, number: str) -> HttpResponse:
    municipality = editable_municipality(request, number)
    created = actions.ensure_catalogue_roles(municipality, request.user)
    if created:
        messages.success(request, _("%(count)s standard roles are created.") % {"count": len(created)})
    else:
        messages.info(request, _("The municipality already has every standard role."))
    return redirect("continuity:roles", number=number)


@login_required
@GET_POST
def add_role(request: HttpRequest, number: str) -> HttpResponse:
    municipality = editable_municipality(request, number)
    form = AddRoleForm(request.POST or None, kinds=queries.unused_kinds(municipality))
    if request.method == "POST" and form.is_valid():
        try:
            role = actions.add_role(municipality, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The role “%(name)s” is added.") % {"name": role.display_name})
            return redirect(role)
    context = {"municipality": municipality, "form": form}
    return render(request, "continuity/role_add.html", context, status=400 if form.errors else 200)


# One role


@login_required
@require_GET
def role(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    role = role_or_404(request, number, pk)
    today = timezone.localdate()
    holdings = list(role.holdings.active().select_related("person").order_by("-starts_on", "-pk"))
    may_change = access.can(request.user, "change", role)
    may_edit = may_change and role.retired_at is None
    rows = role.tasks.active().select_related("municipality", "assignee", "done_by").order_by("done_at", "due_on", "pk")
    tasks = [task for task in rows if access.can(request.user, "view", task)]
    seats = ArenaMember.objects.filter(role=role).select_related("arena").order_by("-joined_on", "pk")
    context = {
        "municipality": role.municipality,
        "role": role,
        "today": today,
        "holdings": holdings,
        "withdrawn": role.holdings.filter(withdrawn_at__isnull=False).select_related("person") if may_change else [],
        "current": [h for h in holdings if h.covers(today)],
        "plans": [
            p
            for p in role.plans.active().select_related("municipality").order_by("title")
            if access.can(request.user, "view", p)
        ],
        "seats": [(seat, arena_link(seat.arena)) for seat in seats],
        "tasks": tasks,
        "may_complete": {t.pk for t in tasks if t.done_at is None and access.can(request.user, "change", t)},
        "may_edit": may_edit,
        "plans_form": RolePlansForm(initial={"plans": role.plans.all()}, municipality=role.municipality)
        if may_edit
        else None,
        "vacant_form": VacantForm(initial={"starts_on": today}) if may_edit else None,
    }
    return render(request, "continuity/role.html", context)


@login_required
@GET_POST
def edit_role(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    role = role_or_404(request, number, pk, "change")
    if refused := refuse_retired(request, role):
        return refused
    form = RoleForm(request.POST or None, instance=role)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_role(form.save(commit=False), by=request.user)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The role is saved."))
            return redirect(role)
    context = {"municipality": role.municipality, "role": role, "form": form, "heading": _("Change the role")}
    return render(request, "continuity/form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def retire_role(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    role = role_or_404(request, number, pk, "change")
    actions.retire_role(role, by=request.user)
    messages.success(request, _("The role is retired. It is kept, with its holders and history."))
    return redirect("continuity:roles", number=number)


@login_required
@require_GET
def role_history(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    role = role_or_404(request, number, pk)
    records = role.history.select_related("history_user").order_by("-history_date")
    holdings = (
        Holding.history.filter(role_id=role.pk).select_related("history_user", "person").order_by("-history_date")
    )
    context = {"municipality": role.municipality, "role": role, "records": records, "holdings": holdings}
    return render(request, "continuity/history.html", context)


@login_required
@GET_POST
def handover(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    role = role_or_404(request, number, pk, "change")
    if refused := refuse_retired(request, role):
        return refused
    form = HandoverForm(request.POST or None, initial={"handover_note": role.handover_note})
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_handover_note(role, form.cleaned_data["handover_note"], by=request.user)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The handover note is saved."))
            return redirect(role)
    context = {"municipality": role.municipality, "role": role, "form": form, "heading": _("Handover note")}
    return render(request, "continuity/form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def role_plans(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    role = role_or_404(request, number, pk, "change")
    if refused := refuse_retired(request, role):
        return refused
    form = RolePlansForm(request.POST, municipality=role.municipality)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(role)
    try:
        actions.set_plans(role, form.cleaned_data["plans"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role's plans are saved."))
    return redirect(role)


# Holders


@login_required
@GET_POST
def replace_holder(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    role = role_or_404(request, number, pk, "change")
    if refused := refuse_retired(request, role):
        return refused
    form = HolderForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            holding = actions.replace_holder(role, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            with_errors(form, error)
        else:
            count = holding.tasks.count()
            messages.success(
                request,
                _("%(name)s holds the role from %(day)s; %(count)s anchoring tasks are assigned.")
                % {"name": holding.person.display_name, "day": actions.day_text(holding.starts_on), "count": count},
            )
            return redirect(role)
    context = {"municipality": role.municipality, "role": role, "form": form, "heading": _("New holder")}
    return render(request, "continuity/form.html", context, status=400 if form.errors else 200)


@login_required
@GET_POST
def mark_vacant(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    role = role_or_404(request, number, pk, "change")
    if refused := refuse_retired(request, role):
        return refused
    form = VacantForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.mark_vacant(role, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The role is marked vacant."))
            return redirect(role)
    context = {"municipality": role.municipality, "role": role, "form": form, "heading": _("Mark the role vacant")}
    return render(request, "continuity/form.html", context, status=400 if form.errors else 200)


@login_required
@GET_POST
def edit_holding(request: HttpRequest, number: str, pk: int, hid: int) -> HttpResponse:
    holding = holding_or_404(request, number, pk, hid)
    role = holding.role
    if refused := refuse_retired(request, role):
        return refused
    initial = {"starts_on": holding.starts_on, "ends_on": holding.ends_on, "note": holding.note}
    form = HoldingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.correct_holding(holding, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The holding is corrected."))
            return redirect(role)
    context = {
        "municipality": role.municipality,
        "role": role,
        "form": form,
        "heading": _("Correct the holding of %(holder)s") % {"holder": actions.holder_text(holding)},
    }
    return render(request, "continuity/form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def withdraw_holding(request: HttpRequest, number: str, pk: int, hid: int) -> HttpResponse:
    holding = holding_or_404(request, number, pk, hid)
    if refused := refuse_retired(request, holding.role):
        return refused
    try:
        actions.withdraw_holding(holding, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The holding is withdrawn. It is kept in the history only."))
    return redirect(holding.role)


@login_required
@require_POST
def anonymise_person(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    people = Person.objects.select_related("municipality__county")
    person = access.get_or_404(request.user, people, "change", pk=pk, municipality__number=number)
    actions.anonymise_person(person, by=request.user)
    messages.success(request, _("The person is anonymised. The roles keep the dates of their holdings."))
    return redirect(safe_next(request) or reverse("continuity:roles", args=[number]))


# Import


@login_required
@GET_POST
def import_holders(request: HttpRequest, number: str) -> HttpResponse:
    municipality = editable_municipality(request, number)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            stored = imports.import_holders(municipality, form.cleaned_data["file"].read(), by=request.user)
        except imports.ImportFailed as failure:
            errors = failure.errors
        else:
            messages.success(request, _("%(count)s holdings are imported.") % {"count": len(stored)})
            return redirect("continuity:roles", number=number)
    context = {"municipality": municipality, "form": form, "errors": errors, "columns": imports.COLUMNS}
    return render(request, "continuity/import.html", context, status=400 if form.errors or errors else 200)


@login_required
@require_GET
def import_template(request: HttpRequest, number: str) -> HttpResponse:
    editable_municipality(request, number)
    response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rolleinnehavere.csv"'
    return response


# Anchoring tasks


@login_required
@require_GET
def tasks(request: HttpRequest, number: str) -> HttpResponse:
    municipality = access.get_or_404(request.user, Municipality.objects.select_related("county"), number=number)
    today = timezone.localdate()
    rows = list(queries.tasks_for(request.user, municipality))
    if not rows and not access.sees_municipality_private(request.user, municipality):
        raise Http404
    overdue, waiting, done = queries.split_tasks(rows, today)
    context = {
        "municipality": municipality,
        "overdue": overdue,
        "waiting": waiting,
        "done": done,
        "today": today,
        "may_complete": {t.pk for t in overdue + waiting if access.can(request.user, "change", t)},
        "form": CompleteTaskForm(),
    }
    return render(request, "continuity/tasks.html", context)


def safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if ok and target.startswith("/") else ""


@login_required
@require_POST
def complete_task(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    rows = AnchoringTask.objects.select_related("municipality", "assignee")
    task = access.get_or_404(request.user, rows, "view", pk=pk, municipality__number=number)
    if not access.can(request.user, "change", task):
        raise PermissionDenied
    form = CompleteTaskForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        actions.complete_task(task, by=request.user, note=note)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Done: %(task)s") % {"task": task.display_title})
    return redirect(safe_next(request) or reverse("continuity:tasks", args=[number]))
