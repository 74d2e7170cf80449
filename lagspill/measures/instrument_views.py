"""The Husbanken instrument pages: a municipality's yearly figures with rates, comparisons, a chart and
the before/after view; entering, correcting and withdrawing a year's figure; the county's table and
its CSV import. Each view: fetch through the access module, call the domain, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lagspill.indicators import charts
from lagspill.organisations import access
from lagspill.places.models import County, Municipality

from . import instrument_actions as actions
from . import instrument_imports as imports
from . import instruments
from .instrument_forms import FiguresForm, ImportForm, NewUseForm, PeriodForm, parse_year
from .models import HUSBANKEN_INSTRUMENTS, InstrumentUse

GET_POST = require_http_methods(["GET", "POST"])
PROJECT_PERIOD = {"fra": "2018", "til": "2021"}  # the default before/after period


def municipality_or_404(request: HttpRequest, number: str) -> Municipality:
    return access.get_or_404(request.user, Municipality.objects.select_related("county"), number=number)


def use_or_404(request: HttpRequest, number: str, pk: int) -> InstrumentUse:
    rows = InstrumentUse.objects.active().select_related("municipality__county", "created_by")
    return access.get_or_404(request.user, rows, "change", pk=pk, municipality__number=number)


def require_import(request: HttpRequest, county: County) -> list[Municipality]:
    """Importing for a county needs the right to enter figures for every municipality in it
    (Husbanken's editors and site administrators); others may see the county, so 403."""
    municipalities = list(county.municipalities.all())
    if not all(access.enters_instrument_use(request.user, m) for m in municipalities):
        raise PermissionDenied
    return municipalities


def with_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# The municipality's page


def startlan_chart(overview: instruments.Overview) -> dict | None:
    if not overview.startlan:
        return None
    municipality = overview.municipality
    rows = instruments.chart_rows(overview, municipality.county.name, _("Similar municipalities (average)"))
    return charts.time_series(
        rows,
        title=_("Start-up loans per 1000 inhabitants, %(municipality)s") % {"municipality": municipality.name},
        y_title=_("Loans per 1000 inhabitants"),
        highlight=municipality.name,
    )


def period_form(request: HttpRequest) -> PeriodForm:
    chosen = "fra" in request.GET or "til" in request.GET
    return PeriodForm(request.GET if chosen else PROJECT_PERIOD)


@require_GET
def municipality_instruments(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_or_404(request, number)
    overview = instruments.overview(request.user, municipality)
    form = period_form(request)
    comparison = None
    if form.is_valid():
        first, last = form.cleaned_data["fra"], form.cleaned_data["til"]
        before, after = instruments.periods(first, last)
        comparison = {
            "before": before,
            "after": after,
            "instruments": instruments.before_after(overview, first, last),
        }
    may_enter = access.enters_instrument_use(request.user, municipality)
    sees_private = access.sees_municipality_private(request.user, municipality)
    # Withdrawn figures are seen by those who see the municipality's working material (the
    # InstrumentUse rule), asked once for the municipality; listed for those who enter figures.
    withdrawn = InstrumentUse.objects.filter(municipality=municipality, withdrawn_at__isnull=False)
    withdrawn = withdrawn.select_related("created_by").order_by("-withdrawn_at", "-pk")
    context = {
        "municipality": municipality,
        "overview": overview,
        "chart": startlan_chart(overview),
        "ssb": instruments.ssb_startlan(municipality),
        "form": form,
        "comparison": comparison,
        "may_enter": may_enter,
        "withdrawn": withdrawn if may_enter and sees_private else [],
        "sees_private": sees_private,
    }
    return render(request, "measures/instruments/municipality.html", context, status=400 if form.errors else 200)


@login_required
@GET_POST
def new_use(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_or_404(request, number)
    access.require(request.user, "change", InstrumentUse(municipality=municipality))
    form = NewUseForm(request.POST or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            use = actions.enter_use(municipality, by=request.user, **form.cleaned_data)
        except actions.DuplicateUse as error:
            duplicate = error.existing
            with_errors(form, error)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(
                request,
                _("The figure for %(instrument)s in %(year)s is saved.")
                % {"instrument": use.get_instrument_display(), "year": use.year},
            )
            return redirect("measures:instruments", number=number)
    context = {"municipality": municipality, "form": form, "duplicate": duplicate, "heading": _("New figure")}
    return render(request, "measures/instruments/form.html", context, status=400 if form.errors else 200)


@login_required
@GET_POST
def edit_use(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    use = use_or_404(request, number, pk)
    initial = {"count": use.count, "amount": use.amount, "source": use.source}
    form = FiguresForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_use(use, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The figure is changed. The earlier version is kept in the history."))
            return redirect("measures:instruments", number=number)
    context = {"municipality": use.municipality, "form": form, "use": use, "heading": _("Change the figure")}
    return render(request, "measures/instruments/form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def withdraw_use(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    use = use_or_404(request, number, pk)
    actions.withdraw_use(use, by=request.user)
    messages.success(request, _("The figure is withdrawn. It is kept, with its history."))
    return redirect("measures:instruments", number=number)


# The county


@require_GET
def county_instruments(request: HttpRequest, number: str) -> HttpResponse:
    county = access.get_or_404(request.user, County, number=number)
    years = instruments.county_years(request.user, county)
    overview = instruments.county_overview(request.user, county, parse_year(request.GET.get("ar"), years), years)
    may_import = all(access.enters_instrument_use(request.user, row.municipality) for row in overview.rows)
    context = {
        "county": county,
        "overview": overview,
        "instruments": [(i.value, i.label) for i in HUSBANKEN_INSTRUMENTS],
        "may_import": may_import,
    }
    return render(request, "measures/instruments/county.html", context)


@login_required
@GET_POST
def import_uses(request: HttpRequest, number: str) -> HttpResponse:
    county = access.get_or_404(request.user, County, number=number)
    require_import(request, county)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[imports.RowError] = []
    if request.method == "POST" and form.is_valid():
        try:
            stored, replaced = imports.import_uses(county, form.cleaned_data["file"].read(), by=request.user)
        except imports.ImportFailed as failure:
            errors = failure.errors
        else:
            messages.success(
                request,
                _("%(count)s figures are imported; %(replaced)s earlier figures were replaced and kept in the history.")
                % {"count": len(stored), "replaced": replaced},
            )
            return redirect("measures:county_instruments", number=number)
    context = {
        "county": county,
        "form": form,
        "errors": errors,
        "columns": imports.COLUMNS,
        "instruments": [(i.value, i.label) for i in HUSBANKEN_INSTRUMENTS],
    }
    return render(request, "measures/instruments/import.html", context, status=400 if form.errors or errors else 200)


@login_required
@require_GET
def import_template(request: HttpRequest, number: str) -> HttpResponse:
    county = access.get_or_404(request.user, County, number=number)
    require_import(request, county)
    response = HttpResponse(imports.template_csv(county), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="virkemidler-{county.number}.csv"'
    return response
