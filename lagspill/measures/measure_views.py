"""Measure pages: the municipality's measures as a board or a table (with filters, flag counts and a
CSV download), one measure with its goals, owner, indicators, projects, progress and history, the
forms to add and change a measure, progress updates and withdrawal. Each view: fetch through the
access module, call a query or an action, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lagspill.indicators import exports
from lagspill.organisations import access
from lagspill.places.models import Municipality

from . import flags
from . import measure_actions as actions
from . import measure_queries as queries
from .measure_forms import FilterForm, MeasureForm, ProgressForm
from .models import Measure

GET_POST = require_http_methods(["GET", "POST"])
TABLE = "tabell"


def municipality_or_404(request: HttpRequest, number: str) -> Municipality:
    return access.get_or_404(request.user, Municipality.objects.select_related("county"), number=number)


def measure_or_404(request: HttpRequest, pk: int, action: str = "view") -> Measure:
    rows = Measure.objects.select_related("municipality__county", "owner_role", "created_by")
    return access.get_or_404(request.user, rows, action, pk=pk)


def refuse_withdrawn(request: HttpRequest, measure: Measure) -> HttpResponse | None:
    """A withdrawn measure is kept as it was: changes are refused with a message, back on its page."""
    if measure.withdrawn_at is None:
        return None
    messages.error(request, _("The measure is withdrawn and can no longer be changed."))
    return redirect(measure)


def with_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def listing(request: HttpRequest, municipality: Municipality) -> tuple[FilterForm, queries.MeasureList]:
    """The filter form and the filtered list, shared by the page and its download."""
    sees_roles = access.sees_municipality_private(request.user, municipality)
    goals = queries.goal_choices(request.user, municipality)
    form = FilterForm(request.GET or None, goals=goals, sees_roles=sees_roles)
    chosen = form.chosen() if request.GET else {}
    return form, queries.measure_list(request.user, municipality, chosen, timezone.localdate())


@require_GET
def measures(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_or_404(request, number)
    form, found = listing(request, municipality)
    context = {
        "municipality": municipality,
        "form": form,
        "found": found,
        "table": request.GET.get("visning") == TABLE,
        "withdrawn": queries.withdrawn_measures(request.user, municipality),
        "may_edit": access.edits_municipality(request.user, municipality),
        "filtered": len(found.measures) != found.total,
        "is_demo": any(m.is_demo for m in found.measures),
    }
    return render(request, "measures/measures/list.html", context)


@require_GET
def measures_export_csv(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_or_404(request, number)
    _form, found = listing(request, municipality)
    table = exports.Table(
        title=_("Measures in %(municipality)s") % {"municipality": municipality.name},
        columns=queries.table_columns(),
        rows=[queries.table_row(m, found.sees_roles) for m in found.measures],
        notes=[_("Measures you may see, with the filters chosen on the page.")],
    )
    return exports.download(table, "csv")


@login_required
@GET_POST
def new_measure(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_or_404(request, number)
    access.require(request.user, "change", municipality)
    form = MeasureForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            measure = actions.create_measure(municipality, form.cleaned_data, by=request.user)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The measure “%(title)s” is added.") % {"title": measure.title})
            return redirect(measure)
    context = {"municipality": municipality, "form": form, "measure": None, "heading": _("New measure")}
    return render(request, "measures/measures/form.html", context, status=400 if form.errors else 200)


@login_required
@GET_POST
def edit_measure(request: HttpRequest, pk: int) -> HttpResponse:
    measure = measure_or_404(request, pk, "change")
    if refused := refuse_withdrawn(request, measure):
        return refused
    title = measure.title
    form = MeasureForm(request.POST or None, instance=measure, municipality=measure.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_measure(measure, form.cleaned_data, by=request.user)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The measure is saved."))
            return redirect(measure)
    context = {
        "municipality": measure.municipality,
        "form": form,
        "measure": measure,
        "title": title,
        "heading": _("Change the measure"),
    }
    return render(request, "measures/measures/form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def withdraw_measure(request: HttpRequest, pk: int) -> HttpResponse:
    measure = measure_or_404(request, pk, "change")
    if refused := refuse_withdrawn(request, measure):
        return refused
    actions.withdraw_measure(measure, by=request.user)
    messages.success(request, _("The measure is withdrawn. It is kept, with its progress and history."))
    return redirect("measures:measures", number=measure.municipality.number)


@require_GET
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    found = measure_or_404(request, pk)
    return render_measure(request, found, ProgressForm(measure=found))


def render_measure(request: HttpRequest, measure: Measure, form: ProgressForm, status: int = 200) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    municipality = measure.municipality
    may_report = access.may_report_progress(user, measure)
    sees_private = access.sees_municipality_private(user, municipality)
    insider = sees_private or may_report
    owner = queries.owner(user, measure, today)
    # The owner role and the "ownerless" flag are the municipality's working material (the role's rule).
    sees_roles = owner.sees_role if owner.role else sees_private
    shown_flags = flags.for_reader(flags.flags(measure, today), sees_roles)
    context = {
        "municipality": municipality,
        "measure": measure,
        "today": today,
        "flags": [(flag, flags.label(flag)) for flag in shown_flags],
        "goals": queries.shown_goals(user, measure),
        "owner": owner,
        "sees_roles": sees_roles,
        "indicators": list(measure.indicators.order_by("position", "code")),
        "projects": queries.shown_projects(user, measure),
        "updates": queries.updates(measure),
        "changes": queries.changes(user, measure) if insider else [],
        "insider": insider,
        "may_edit": measure.withdrawn_at is None and access.can(user, "change", measure),
        "progress_form": form if may_report else None,
    }
    return render(request, "measures/measures/measure.html", context, status=status)


@login_required
@require_POST
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    measure = measure_or_404(request, pk)
    if refused := refuse_withdrawn(request, measure):
        return refused
    if not access.may_report_progress(request.user, measure):
        raise PermissionDenied
    form = ProgressForm(request.POST, measure=measure)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.report_progress(
                measure,
                on=data["on"],
                text=data["text"],
                status=data["status"],
                criterion_met=form.answer(),
                by=request.user,
            )
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The progress update is saved."))
            return redirect(measure.get_absolute_url() + "#framdrift")
    return render_measure(request, measure, form, status=400)
