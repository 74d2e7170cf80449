"""The needs gap over the years: households needing a dwelling of a type against the municipality's
vacant dwellings of that type, per mapped year and projected forward with housing projects.

Everything here is read from the reader's `NeedsTable` (suppression.py), so a gap is never shown where
the need behind it is hidden: need − vacant would give the hidden need back, as the vacant dwellings
are shown. Projected years run from the year after the latest mapping to the last `ready_year` of the
counted projects (status planned or later, not withdrawn): need, vacant dwellings, waiting list and
stock stay as in the latest mapping, and the projects' units of each type reduce the gap from the year
they are ready. Projects ready in or before the latest mapping's year are taken to be in its stock.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from lagspill.web.templatetags.lagspill import number

from . import catalogue
from .models import COUNTED_PROJECT_STATUSES, HousingProject, NeedsFigure, NeedsMapping
from .suppression import (
    HIDDEN_TEXT,
    MISSING,
    NEED_TOTAL,
    STOCK_TOTAL,
    VACANT_TOTAL,
    WAITING_TOTAL,
    Cell,
    NeedsTable,
    build_table,
    stock_total,
)

TOTAL = "total"


@dataclass(frozen=True)
class GapPoint:
    year: int
    dwelling: str  # dwelling code or "total"
    need: Cell  # households needing this type (from the suppression table)
    vacant: Cell  # vacant municipal dwellings of this type
    waiting: Cell
    stock: Cell  # all municipal dwellings of this type
    gap: Cell  # need − vacant (− new units); hidden when need is hidden; None when either is missing
    projected: bool  # a year after the latest mapping
    new_units: int  # units of counted projects ready after the latest mapping, up to this year


def dwellings() -> list[str]:
    """Dwelling codes in catalogue order, then "total"."""
    return [d.code for d in catalogue.load().dwellings] + [TOTAL]


def codes_for(dwelling: str) -> dict[str, str]:
    """The table codes behind one row of the gap: need, vacant, waiting and stock."""
    if dwelling == TOTAL:
        return {"need": NEED_TOTAL, "vacant": VACANT_TOTAL, "waiting": WAITING_TOTAL, "stock": STOCK_TOTAL}
    return {
        "need": f"behov.{dwelling}",
        "vacant": f"bestand.{dwelling}.ledig",
        "waiting": f"venteliste.{dwelling}",
        "stock": stock_total(dwelling),
    }


def gap_cell(need: Cell, vacant: Cell, new_units: int = 0) -> Cell:
    """need − vacant − new units, from the reader's cells only."""
    if need.hidden:
        return Cell(None, HIDDEN_TEXT, True, "secondary")
    if need.value is None or vacant.value is None:
        return MISSING
    value = need.value - vacant.value - new_units
    return Cell(value, str(number(value)), False, "")


def points_for(year: int, table: NeedsTable, *, projected: bool = False, new_units: dict[str, int] | None = None):
    """One GapPoint per dwelling type and the total for one year's table."""
    new_units = new_units or {}
    found = []
    for dwelling in dwellings():
        cells = {key: table.cell(code) for key, code in codes_for(dwelling).items()}
        units = sum(new_units.values()) if dwelling == TOTAL else new_units.get(dwelling, 0)
        gap = gap_cell(cells["need"], cells["vacant"], units)
        found.append(GapPoint(year, dwelling, **cells, gap=gap, projected=projected, new_units=units))
    return found


def visible_mappings(municipality, *, full: bool, user: Any = None):
    """Active mappings of the municipality the reader may see: through the access module when `user`
    is given; otherwise all of them for the owner (`full`) and only published ones for anyone else."""
    qs = NeedsMapping.objects.active().filter(municipality=municipality)
    if user is not None:
        from lagspill.organisations import access

        return access.visible(user, qs)
    return qs if full else qs.filter(is_public=True)


def counted_projects(municipality, *, full: bool, user: Any = None):
    """Projects that count in the projection, filtered for the reader as `visible_mappings` does."""
    qs = HousingProject.objects.active().filter(
        municipality=municipality, status__in=COUNTED_PROJECT_STATUSES, ready_year__isnull=False
    )
    if user is not None:
        from lagspill.organisations import access

        return access.visible(user, qs)
    return qs if full else qs.filter(is_public=True)


def gap_series(municipality, *, full: bool, user: Any = None) -> list[GapPoint]:
    """Every active mapping's year and the projected years, in year order, each with one point per
    dwelling type and the total. Three queries: mappings, their figures, the projects.

    Pass `user` so that unpublished mappings and projects are included exactly for those who may see
    them (the County Governor, Husbanken); without it, non-owners get published material only."""
    figures = Prefetch("figures", queryset=NeedsFigure.objects.only("mapping_id", "code", "value"))
    mappings = list(visible_mappings(municipality, full=full, user=user).order_by("year").prefetch_related(figures))
    if not mappings:
        return []
    points: list[GapPoint] = []
    tables = {}
    for mapping in mappings:
        tables[mapping.year] = build_table({f.code: f.value for f in mapping.figures.all()}, full=full)
        points += points_for(mapping.year, tables[mapping.year])
    latest = mappings[-1].year
    projects = list(
        counted_projects(municipality, full=full, user=user)
        .filter(ready_year__gt=latest)
        .only("ready_year", "units_ordinary", "units_adapted", "units_services", "units_emergency")
    )
    last = max((p.ready_year for p in projects), default=latest)
    for year in range(latest + 1, last + 1):
        units = new_units_by(projects, year)
        points += points_for(year, tables[latest], projected=True, new_units=units)
    return points


def new_units_by(projects, year: int) -> dict[str, int]:
    """Units per dwelling type of `projects` ready by `year`."""
    units: dict[str, int] = {}
    for project in projects:
        if project.ready_year <= year:
            for dwelling, count in project.units().items():
                units[str(dwelling)] = units.get(str(dwelling), 0) + count
    return units


def effect_of(project: HousingProject) -> dict[str, int]:
    """The units by dwelling type a project adds to the projected supply (empty when it does not count:
    an idea, withdrawn, or without a ready year)."""
    if project.withdrawn_at is not None or project.status not in COUNTED_PROJECT_STATUSES:
        return {}
    if project.ready_year is None:
        return {}
    return {str(d): n for d, n in project.units().items() if n}


def by_year(points: list[GapPoint]) -> dict[int, dict[str, GapPoint]]:
    """Points grouped as year → dwelling → point (for tables)."""
    grouped: dict[int, dict[str, GapPoint]] = {}
    for point in points:
        grouped.setdefault(point.year, {})[point.dwelling] = point
    return grouped
