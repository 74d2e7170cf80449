"""The needs mappings of every municipality in a county, for the County Governor, Husbanken and site
administrators (`access.sees_county_private`); others get a 404.

One row per municipality: the latest mapping's year, its households in total and the gap per
dwelling type, all suppressed (nobody here owns the figures, so `full=False` always), and whether it
is published. No county sums of household counts: a sum next to the rows would need suppression
across municipalities too. Four queries whatever the number of mappings.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lagspill.organisations import access
from lagspill.places.models import County, Municipality
from lagspill.web.templatetags.lagspill import number

from . import catalogue, suppression
from .models import NeedsFigure, NeedsMapping


@dataclass(frozen=True)
class GapCell:
    """Need minus vacant dwellings of one type. Hidden where the need is hidden (the vacant count is
    open, so the gap would give the need away); empty where either is not mapped."""

    text: str
    hidden: bool = False
    missing: bool = False


@dataclass(frozen=True)
class CountyRow:
    municipality: Municipality
    mapping: NeedsMapping | None
    total: suppression.Cell | None
    gaps: list[GapCell]


def gap_cell(table: suppression.NeedsTable, dwelling: str) -> GapCell:
    need = table.cell(f"behov.{dwelling}")
    vacant = table.cell(f"bestand.{dwelling}.ledig")
    if need.hidden:
        return GapCell("×", hidden=True)
    if need.value is None or vacant.value is None:
        return GapCell("", missing=True)
    return GapCell(number(need.value - vacant.value))


def latest_mappings(user: object, county: County) -> dict[int, NeedsMapping]:
    """The latest active mapping of each municipality in the county that this user may see."""
    rows = NeedsMapping.objects.active().filter(municipality__county=county).order_by("municipality_id", "-year")
    latest: dict[int, NeedsMapping] = {}
    for mapping in access.visible(user, rows):
        latest.setdefault(mapping.municipality_id, mapping)
    return latest


def figures_of(mappings: list[NeedsMapping]) -> dict[int, dict[str, int]]:
    values: dict[int, dict[str, int]] = {m.pk: {} for m in mappings}
    for mapping_id, code, value in NeedsFigure.objects.filter(mapping__in=mappings).values_list(
        "mapping_id", "code", "value"
    ):
        values[mapping_id][code] = value
    return values


def county_rows(user: object, county: County) -> list[CountyRow]:
    municipalities = list(county.municipalities.order_by("number"))
    latest = latest_mappings(user, county)
    values = figures_of(list(latest.values()))
    dwellings = [d.code for d in catalogue.load().dwellings]
    rows = []
    for municipality in municipalities:
        mapping = latest.get(municipality.pk)
        if mapping is None:
            rows.append(CountyRow(municipality, None, None, []))
            continue
        table = suppression.build_table(values[mapping.pk], full=False)
        rows.append(CountyRow(municipality, mapping, table.cell("total"), [gap_cell(table, d) for d in dwellings]))
    return rows


@login_required
@require_GET
def county(request: HttpRequest, number: str) -> HttpResponse:
    county = access.get_or_404(request.user, County, number=number)
    if not access.sees_county_private(request.user, county):
        raise Http404
    rows = county_rows(request.user, county)
    context = {
        "county": county,
        "rows": rows,
        "mapped": sum(1 for row in rows if row.mapping is not None),
        "dwellings": [catalogue.label(d) for d in catalogue.load().dwellings],
        "hidden": any(
            (row.total and row.total.hidden) or any(g.hidden for g in row.gaps) for row in rows if row.mapping
        ),
    }
    return render(request, "measures/needs/county.html", context)
