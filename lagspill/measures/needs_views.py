"""The needs overview of one municipality (boligsosial lov § 5): the mapping of a year, the gap between
need and supply over the years (chart and table), the guided entry form, the CSV import and its
template, publishing, withdrawing, downloads and history.

Every figure a page shows comes from `suppression.build_table(values, full=…)`: only the owning
municipality's members see counts of 1–4 (`access.sees_needs_in_full`); everyone else gets "<5" and
"×". Each view: fetch through the access module, call the domain (`needs_actions`, `needs_imports`,
`needs_exports`, `gap`), render.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import altair as alt
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lagspill.indicators import charts
from lagspill.organisations import access
from lagspill.places.models import Municipality
from lagspill.web.dates import FIRST_YEAR, LAST_YEAR
from lagspill.web.templatetags.lagspill import number

from . import catalogue, gap, needs_actions, needs_exports, needs_imports, suppression
from .models import NeedsFigure, NeedsMapping
from .needs_forms import ImportForm, MappingForm, initial_for

GET_POST = require_http_methods(["GET", "POST"])


# Fetching, always through the access module


def municipality_or_404(request: HttpRequest, number: str) -> Municipality:
    return access.get_or_404(request.user, Municipality.objects.select_related("county"), number=number)


def editable_municipality(request: HttpRequest, number: str) -> Municipality:
    """The municipality, if this user enters its mappings: outsiders 404, those who only see 403."""
    municipality = municipality_or_404(request, number)
    access.require(request.user, "change", NeedsMapping(municipality=municipality))
    return municipality


def mapping_or_404(request: HttpRequest, number: str, year: int, action: str = "view") -> NeedsMapping:
    if not FIRST_YEAR <= year <= LAST_YEAR:  # a year no mapping can have (and no overflow in the query)
        raise Http404
    rows = NeedsMapping.objects.active().select_related("municipality__county")
    return access.get_or_404(request.user, rows, action, municipality__number=number, year=year)


def values_of(mapping: NeedsMapping) -> dict[str, int]:
    return dict(NeedsFigure.objects.filter(mapping=mapping).values_list("code", "value"))


def table_for(request: HttpRequest, mapping: NeedsMapping) -> suppression.NeedsTable:
    full = access.sees_needs_in_full(request.user, mapping.municipality)
    return suppression.build_table(values_of(mapping), full=full)


def with_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# The mapping as tables


@dataclass(frozen=True)
class Line:
    """A labelled cell of a table: a sub-category, a group, a total."""

    label: str
    cell: suppression.Cell


@dataclass(frozen=True)
class Situation:
    label: str
    total: suppression.Cell
    lines: list[Line]


@dataclass(frozen=True)
class DwellingRow:
    label: str
    cells: list[suppression.Cell]
    total: suppression.Cell | None = None


def situations(table: suppression.NeedsTable) -> list[Situation]:
    cat = catalogue.load()
    return [
        Situation(
            label=catalogue.label(situation),
            total=table.cell(f"situasjon:{situation.code}"),
            lines=[
                Line(catalogue.label(f), table.cell(f.code))
                for f in cat.of_kind("situation")
                if f.parent == situation.code
            ],
        )
        for situation in cat.situations
    ]


def groups(table: suppression.NeedsTable) -> list[Line]:
    return [Line(catalogue.label(f), table.cell(f.code)) for f in catalogue.load().of_kind("group")]


def need_rows(table: suppression.NeedsTable) -> list[DwellingRow]:
    """Need and waiting list per dwelling type (households: suppressed), with the totals last."""
    rows = [
        DwellingRow(catalogue.label(d), [table.cell(f"behov.{d.code}"), table.cell(f"venteliste.{d.code}")])
        for d in catalogue.load().dwellings
    ]
    return [*rows, DwellingRow(_("All types"), [table.cell("behov:total"), table.cell("venteliste:total")])]


def plain_cell(value: int | None) -> suppression.Cell:
    """A dwelling count summed here (dwellings are not suppressed): missing when nothing is mapped."""
    if value is None:
        return suppression.Cell(None, "", False, "missing")
    return suppression.Cell(value, number(value), False, "")


def column_total(table: suppression.NeedsTable, status: str) -> suppression.Cell:
    stored = table.cell(f"bestand:{status}")
    if stored.reason != "missing":
        return stored
    parts = [table.cell(f"bestand.{d.code}.{status}").value for d in catalogue.load().dwellings]
    known = [v for v in parts if v is not None]
    return plain_cell(sum(known) if known else None)


def stock_rows(table: suppression.NeedsTable) -> list[DwellingRow]:
    """Municipal dwellings by type (rows) and status (columns), with row and column totals."""
    cat = catalogue.load()
    rows = [
        DwellingRow(
            catalogue.label(d),
            [table.cell(f"bestand.{d.code}.{s.code}") for s in cat.statuses],
            table.cell(f"bestand:{d.code}"),
        )
        for d in cat.dwellings
    ]
    totals = DwellingRow(
        _("All types"), [column_total(table, s.code) for s in cat.statuses], table.cell("bestand:total")
    )
    return [*rows, totals]


def anything_hidden(table: suppression.NeedsTable) -> bool:
    return any(cell.hidden for cell in table.cells.values())


def mapping_context(table: suppression.NeedsTable) -> dict[str, Any]:
    cat = catalogue.load()
    return {
        "table": table,
        "total": table.cell("total"),
        "situations": situations(table),
        "groups": groups(table),
        "need_rows": need_rows(table),
        "stock_rows": stock_rows(table),
        "statuses": [catalogue.label(s) for s in cat.statuses],
        "hidden": anything_hidden(table),
    }


# The gap over the years


@dataclass(frozen=True)
class GapTable:
    label: str
    points: list[gap.GapPoint]


def gap_tables(points: list[gap.GapPoint]) -> list[GapTable]:
    """The points per dwelling type (in the catalogue's order), the total last; years ascending.
    Dwelling types with nothing mapped in any year are left out."""
    by_dwelling: dict[str, list[gap.GapPoint]] = defaultdict(list)
    for point in sorted(points, key=lambda p: p.year):
        by_dwelling[point.dwelling].append(point)
    labels = [(d.code, catalogue.label(d)) for d in catalogue.load().dwellings] + [("total", _("All types"))]
    return [GapTable(label, by_dwelling[code]) for code, label in labels if mapped(by_dwelling.get(code, []))]


def mapped(points: list[gap.GapPoint]) -> bool:
    """Whether any figure of these points is mapped (a dwelling type nobody mapped gets no rows)."""
    return any(c.reason != "missing" for p in points for c in (p.need, p.vacant, p.waiting, p.stock))


def supply(point: gap.GapPoint) -> int | None:
    """Vacant municipal dwellings, plus the units projects add in projected years."""
    return None if point.vacant.value is None else point.vacant.value + point.new_units


def gap_chart(points: list[gap.GapPoint], municipality: Municipality) -> dict[str, Any]:
    """Need (households) against available supply (vacant dwellings) per year, for all dwelling types.
    Projected years are dashed, so the lines differ in more than colour; hidden values are left out
    (a gap in the line), never drawn."""
    need, vacant = _("Need (households)"), _("Vacant dwellings (and new from projects)")
    mapped, projected = _("Mapped"), _("Projected")
    rows: list[dict[str, Any]] = []
    last_mapped = max((p.year for p in points if not p.projected), default=None)
    for point in points:
        for series, value in ((need, point.need.value), (vacant, supply(point))):
            segment = projected if point.projected else mapped
            rows.append({"series": series, "year": point.year, "value": value, "segment": segment})
            if point.year == last_mapped and any(p.projected for p in points):
                # the dashed part starts where the solid one ends
                rows.append({"series": series, "year": point.year, "value": value, "segment": projected})
    for row in rows:
        row["line"] = f"{row['series']} {row['segment']}"
    title = _("Need and vacant dwellings, %(municipality)s") % {"municipality": municipality.name_plain}
    structure = _gap_chart(title, (need, vacant), (mapped, projected), charts._language())
    return charts._with_data(structure, table=rows)


@charts._structure
def _gap_chart(title: str, series: tuple[str, str], segments: tuple[str, str], language: str) -> dict:
    count = _("Households or dwellings")
    base = alt.Chart(charts.TABLE).encode(
        x=alt.X(
            "year:Q", title=_("Year"), scale=alt.Scale(zero=False, nice=False), axis=alt.Axis(format="d", tickMinStep=1)
        ),
        y=alt.Y("value:Q", title=count),
        color=alt.Color(
            "series:N",
            title=None,
            scale=alt.Scale(domain=list(series), range=charts.PALETTE[:2]),
            legend=alt.Legend(orient="bottom", direction="vertical"),
        ),
        detail="line:N",
        tooltip=[
            alt.Tooltip("series:N", title=_("Figure")),
            alt.Tooltip("year:Q", title=_("Year"), format="d"),
            alt.Tooltip("value:Q", title=count, format=",d"),
            alt.Tooltip("segment:N", title=_("Mapped or projected")),
        ],
    )
    lines = base.mark_line(strokeWidth=3).encode(
        strokeDash=alt.StrokeDash(
            "segment:N",
            title=None,
            scale=alt.Scale(domain=list(segments), range=[[1, 0], [6, 4]]),
            legend=alt.Legend(orient="bottom", direction="vertical", symbolType="stroke", symbolSize=400),
        )
    )
    points = (
        base.transform_filter("isValid(datum.value)")
        .mark_point(size=60, filled=True)
        .encode(
            shape=alt.Shape("series:N", scale=alt.Scale(domain=list(series), range=["circle", "square"]), legend=None)
        )
    )
    return charts._spec(alt.layer(lines, points).properties(title=charts._title(title), width=charts.WIDTH, height=300))


def gap_context(request: HttpRequest, municipality: Municipality, full: bool) -> dict[str, Any]:
    """The mapped and projected years this reader may see (`gap_series` asks the access module for
    the mappings and the projects behind the projection), as a chart of the total and a table."""
    points = gap.gap_series(municipality, full=full, user=request.user)
    totals = sorted((p for p in points if p.dwelling == "total"), key=lambda p: p.year)
    chartable = any(p.need.value is not None or p.vacant.value is not None for p in totals)
    mapped_years = [p.year for p in totals if not p.projected]
    return {
        "gap_tables": gap_tables(points),
        "gap_spec": gap_chart(totals, municipality) if chartable else None,
        "projected_from": max(mapped_years) if mapped_years and any(p.projected for p in totals) else None,
        "gap_hidden": any(p.gap.hidden for p in points),
    }


# Pages


def chosen_mapping(request: HttpRequest, mappings: list[NeedsMapping]) -> NeedsMapping | None:
    """The mapping of `?ar=` (among the ones this reader sees), else the latest; 404 for any other year."""
    asked = request.GET.get("ar")
    if not asked:
        return mappings[0] if mappings else None
    for mapping in mappings:
        if asked.isdigit() and mapping.year == int(asked):
            return mapping
    raise Http404


@require_GET
def needs(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_or_404(request, number)
    rows = NeedsMapping.objects.active().filter(municipality=municipality).select_related("created_by")
    mappings = list(access.visible(request.user, rows).order_by("-year"))
    mapping = chosen_mapping(request, mappings)
    full = access.sees_needs_in_full(request.user, municipality)
    private = access.sees_municipality_private(request.user, municipality)
    context: dict[str, Any] = {
        "municipality": municipality,
        "mapping": mapping,
        "years": [m.year for m in mappings],
        "full": full,
        "private": private,
        "may_edit": access.edits_municipality(request.user, municipality)
        and access.sees_needs_in_full(request.user, municipality),
    }
    if mapping is not None:
        mapping.municipality = municipality
        context.update(mapping_context(table_for(request, mapping)))
        context.update(gap_context(request, municipality, full))
    return render(request, "measures/needs/needs.html", context)


def refuse_taken_year(form: MappingForm, municipality: Municipality) -> str | None:
    """On the new-mapping page, a year that has a mapping already: an error and the address to change it."""
    year = form.cleaned_data.get("year")
    if year is None or not NeedsMapping.objects.active().filter(municipality=municipality, year=year).exists():
        return None
    form.add_error("year", _("There is already a mapping for %(year)s. Change that one instead.") % {"year": year})
    return reverse("measures:needs_edit", args=[municipality.number, year])


@login_required
@GET_POST
def new_mapping(request: HttpRequest, number: str) -> HttpResponse:
    municipality = editable_municipality(request, number)
    form = MappingForm(request.POST or None)
    existing = None
    if request.method == "POST" and form.is_valid() and not (existing := refuse_taken_year(form, municipality)):
        try:
            mapping = needs_actions.save_mapping(
                municipality,
                form.cleaned_data["year"],
                form.values(),
                note=form.cleaned_data["note"],
                is_public=form.cleaned_data["is_public"],
                by=request.user,
                create_only=True,  # someone may have made the year's mapping since the check above
            )
        except ValidationError as error:
            with_errors(form, error)
            if error.code == "taken":
                existing = reverse("measures:needs_edit", args=[municipality.number, form.cleaned_data["year"]])
        else:
            messages.success(request, _("The needs mapping for %(year)s is saved.") % {"year": mapping.year})
            return redirect(mapping.get_absolute_url())
    context = {
        "municipality": municipality,
        "form": form,
        "mapping": None,
        "existing": existing,
        "heading": _("New needs mapping"),
    }
    return render(request, "measures/needs/form.html", context, status=400 if form.errors else 200)


@login_required
@GET_POST
def edit_mapping(request: HttpRequest, number: str, year: int) -> HttpResponse:
    mapping = mapping_or_404(request, number, year, "change")
    if not access.sees_needs_in_full(request.user, mapping.municipality):
        # The form shows every stored count; only the municipality's own members may see counts of 1–4
        # (a site administrator outside the municipality included).
        raise PermissionDenied
    initial = initial_for(mapping, values_of(mapping))
    form = MappingForm(request.POST or None, initial=initial, with_year=False)
    if request.method == "POST" and form.is_valid():
        try:
            needs_actions.save_mapping(
                mapping.municipality,
                mapping.year,
                form.values(),
                note=form.cleaned_data["note"],
                is_public=form.cleaned_data["is_public"],
                by=request.user,
            )
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The needs mapping for %(year)s is saved.") % {"year": mapping.year})
            return redirect(mapping.get_absolute_url())
    context = {
        "municipality": mapping.municipality,
        "form": form,
        "mapping": mapping,
        "existing": None,
        "heading": _("Change the needs mapping for %(year)s") % {"year": mapping.year},
    }
    return render(request, "measures/needs/form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def publish_mapping(request: HttpRequest, number: str, year: int) -> HttpResponse:
    mapping = mapping_or_404(request, number, year, "change")
    public = request.POST.get("public") == "1"
    try:
        needs_actions.publish_mapping(mapping, public, by=request.user)
    except ValidationError as error:  # withdrawn by someone else since the page was fetched
        messages.error(request, " ".join(error.messages))
        return redirect("measures:needs", number=number)
    if public:
        messages.success(request, _("The mapping for %(year)s is published.") % {"year": year})
    else:
        messages.success(request, _("The mapping for %(year)s is no longer published.") % {"year": year})
    return redirect(mapping.get_absolute_url())


@login_required
@require_POST
def withdraw_mapping(request: HttpRequest, number: str, year: int) -> HttpResponse:
    mapping = mapping_or_404(request, number, year, "change")
    if request.POST.get("confirm") != "yes":
        messages.error(
            request, _("Tick the box to confirm that the mapping for %(year)s is to be withdrawn.") % {"year": year}
        )
        return redirect(mapping.get_absolute_url())
    try:
        needs_actions.withdraw_mapping(mapping, by=request.user)
    except ValidationError as error:  # withdrawn by someone else since the page was fetched
        messages.error(request, " ".join(error.messages))
        return redirect("measures:needs", number=number)
    messages.success(
        request, _("The mapping for %(year)s is withdrawn. It is kept in the history only.") % {"year": year}
    )
    return redirect("measures:needs", number=number)


@login_required
@require_GET
def mapping_history(request: HttpRequest, number: str, year: int) -> HttpResponse:
    """Who changed what and when. Figures' values only for those who see the mapping in full: a past
    value could give away a count hidden in today's table."""
    mapping = mapping_or_404(request, number, year)
    if not access.sees_municipality_private(request.user, mapping.municipality):
        raise Http404
    labels = {f.code: catalogue.label(f) for f in catalogue.figures()}
    figures = NeedsFigure.history.filter(mapping_id=mapping.pk).select_related("history_user")
    context = {
        "municipality": mapping.municipality,
        "mapping": mapping,
        "records": mapping.history.select_related("history_user").order_by("-history_date", "-history_id"),
        "figures": [
            (record, labels.get(record.code, record.code))
            for record in figures.order_by("-history_date", "-history_id")
        ],
        "full": access.sees_needs_in_full(request.user, mapping.municipality),
    }
    return render(request, "measures/needs/history.html", context)


# Downloads


@require_GET
def export_csv(request: HttpRequest, number: str, year: int) -> HttpResponse:
    mapping = mapping_or_404(request, number, year)
    return needs_exports.csv_response(mapping.municipality, mapping.year, table_for(request, mapping))


@require_GET
def export_xlsx(request: HttpRequest, number: str, year: int) -> HttpResponse:
    mapping = mapping_or_404(request, number, year)
    return needs_exports.xlsx_response(mapping.municipality, mapping.year, table_for(request, mapping))


# Import


@login_required
@GET_POST
def import_mapping(request: HttpRequest, number: str) -> HttpResponse:
    municipality = editable_municipality(request, number)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list = []
    if request.method == "POST" and form.is_valid():
        result = needs_imports.parse(form.cleaned_data["file"].read(), municipality)
        errors = list(result.errors)
        if not errors and not result.rows:
            form.add_error("file", _("The file has no figures."))
        elif not errors:
            try:
                needs_imports.import_mapping(municipality, result, by=request.user)
            except ValidationError as error:
                with_errors(form, error)
            else:
                years = sorted(result.rows)
                messages.success(
                    request,
                    _("The needs mapping is imported for %(years)s.") % {"years": ", ".join(str(y) for y in years)},
                )
                url = reverse("measures:needs", args=[number]) + f"?ar={years[-1]}"
                return redirect(url)
    context = {"municipality": municipality, "form": form, "errors": errors}
    return render(request, "measures/needs/import.html", context, status=400 if form.errors or errors else 200)


@login_required
@require_GET
def import_template(request: HttpRequest, number: str) -> HttpResponse:
    editable_municipality(request, number)
    response = HttpResponse(needs_imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="behovskartlegging-mal.csv"'
    return response
