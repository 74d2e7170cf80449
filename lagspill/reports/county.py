"""The county report: one row per municipality of a county with the figures of the County Governor's
overview pages, two maps (planning maturity, priority) each followed by its data table, as PDF and XLSX.

The figures come from the same functions as the pages, so the report and the pages agree:
`plans.county.overview` (plan status per level, maturity, challenge index and rank, the index trend,
the last assessment, the priority with its reason), `measures.needs_county_views.latest_mappings` (the
year of the newest needs mapping) and the continuity loaders behind `/fylke/<nr>/kontinuitet/`
(`risks.load`, `turnover.per_municipality`, `risks.find`).

What a reader gets follows the pages they may open:
- everyone: plan status of the public plans, maturity (computed from published assessments of public
  plans), the challenge index, published needs mappings; sorted by name;
- the county's shared space (its municipalities' members, its County Governor, Husbanken;
  `access.sees_county_shared`): the priority, its reason and its map, and what `access.visible` lets
  them see of plans and assessments; sorted by priority as on the plan status page;
- the county's private material (its County Governor, Husbanken; `access.sees_county_private`): roles,
  vacancies, turnover and continuity risks.

A fixed number of queries, whatever the number of municipalities, plans or roles.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lagspill.continuity import queries as continuity_queries
from lagspill.continuity import risks, turnover
from lagspill.indicators.exports import Table
from lagspill.measures.models import NeedsMapping
from lagspill.measures.needs_county_views import latest_mappings
from lagspill.organisations import access
from lagspill.places.models import County, Municipality
from lagspill.plans import county as planstatus

PUBLIC, SHARED, PRIVATE = "public", "shared", "private"
# What the reader's version holds, said at the top of the PDF and in the workbook.
AUDIENCE_NOTES = {
    PUBLIC: gettext_lazy(
        "Public figures only: the status of public plans, planning maturity from published assessments, the "
        "challenge index and published needs mappings."
    ),
    SHARED: gettext_lazy(
        "Shared within the county: includes the needs-based priority, and the plans and assessments you may see."
    ),
    PRIVATE: gettext_lazy(
        "Includes the county's working material: the priority, unpublished plans and assessments, and the "
        "municipalities' roles, vacancies and turnover."
    ),
}
NO_DATA_FILL = "#e4e6ea"
# The plan status page's priority colours (lagspill.css, .area-map__area--p1 … p4), lowest class first.
PRIORITY_FILLS = {1: "#fdf0d5", 2: "#f6c177", 3: "#dd7a33", 4: "#9c3a0c"}
# Both maps shade four bands of 25 (the bounds of the priority classes in plans/priority.py): class, lower bound,
# range in words. Maturity in a sequential blue, darker = more mature.
BANDS = (
    (4, 75.0, gettext_lazy("75 or more")),
    (3, 50.0, gettext_lazy("50 to under 75")),
    (2, 25.0, gettext_lazy("25 to under 50")),
    (1, 0.0, gettext_lazy("under 25")),
)
RANGES = {number: label for number, _lower, label in BANDS}
MATURITY_FILLS = {1: "#deebf7", 2: "#9ecae1", 3: "#4292c6", 4: "#08519c"}


@dataclass(frozen=True)
class Continuity:
    """A municipality's roles and turnover, as on the County Governor's continuity page."""

    figures: turnover.Figures | None  # None: no roles set up
    vacant: int  # active roles nobody holds today
    risks: int

    @property
    def changed_12(self) -> int | None:
        return self.figures.changed[12] if self.figures else None

    @property
    def share_12(self) -> float | None:
        return self.figures.share(12) if self.figures else None


@dataclass
class Row:
    plan: planstatus.Row
    needs: NeedsMapping | None
    continuity: Continuity | None  # None when the reader may not see it

    @property
    def municipality(self) -> Municipality:
        return self.plan.municipality


@dataclass(frozen=True)
class Area:
    municipality: Municipality
    fill: str
    label: str  # the class in words, for the area's accessible name


@dataclass(frozen=True)
class LegendEntry:
    fill: str
    label: str
    count: int
    note: str = ""  # the class's range, where the label is a word


@dataclass
class Map:
    """A choropleth of the county from the stored, projected outlines (as the county pages draw it)."""

    key: str
    title: str
    viewbox: str
    areas: list[Area]
    legend: list[LegendEntry]


@dataclass
class Report:
    county: County
    audience: str
    view: planstatus.Overview
    rows: list[Row]
    today: datetime.date
    generated_at: datetime.datetime
    maturity_map: Map
    priority_map: Map | None
    continuity_total: Continuity | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def shows_priority(self) -> bool:
        return self.audience in (SHARED, PRIVATE)

    @property
    def shows_continuity(self) -> bool:
        return self.audience == PRIVATE

    @property
    def audience_note(self) -> str:
        return str(AUDIENCE_NOTES[self.audience])

    @property
    def maturity_rows(self) -> list[tuple[Row, Area]]:
        """Each row with its area on the maturity map (the map is drawn in the rows' order)."""
        return list(zip(self.rows, self.maturity_map.areas, strict=True))

    @property
    def sources(self) -> list[str]:
        found = [
            str(planstatus.MONITOR_SOURCE),
            _("Lagspill plan register (plans, published assessments, planning maturity)"),
            _("Lagspill: the municipalities' needs mappings"),
        ]
        if self.shows_continuity:
            found.append(_("Lagspill: the municipalities' own records of roles and holders"))
        return found

    @property
    def title(self) -> str:
        return _("County report: %(county)s") % {"county": self.county.name}

    def context(self) -> dict[str, Any]:
        return {"report": self, "county": self.county, "view": self.view, "generated_at": self.generated_at}


def audience(user: Any, county: County) -> str:
    if access.sees_county_private(user, county):
        return PRIVATE
    return SHARED if access.sees_county_shared(user, county) else PUBLIC


def continuity_rows(county: County, today: datetime.date) -> tuple[dict[int, Continuity], Continuity]:
    """municipality id → its figures, and the county's total: the loaders of the continuity county page
    (`continuity.queries.county_overview`), with the vacant roles counted from the same risk list."""
    data = risks.load({"county": county})
    roles = [(r.pk, r.municipality_id) for r in data.roles]
    since = continuity_queries.default_since(today)
    figures = turnover.per_municipality(roles, data.spans, today, since)
    found = risks.find(data, today)
    counts = risks.count_by_municipality(found)
    vacant = Counter(r.municipality_id for r in found if r.kind == risks.VACANT)
    municipality_ids = {m for _role, m in roles} | set(counts)
    rows = {m: Continuity(figures.get(m), vacant[m], counts.get(m, 0)) for m in municipality_ids}
    total = Continuity(
        turnover.figures([pk for pk, _m in roles], data.spans, today, since), sum(vacant.values()), len(found)
    )
    return rows, total


def maturity_class(score: float | None) -> int | None:
    if score is None:
        return None
    return next(number for number, lower, _label in BANDS if score >= lower)


def maturity_map(county: County, rows: list[Row]) -> Map:
    labels = {number: str(label) for number, label in RANGES.items()}
    none = _("not assessed")
    classes = {r.municipality.pk: maturity_class(r.plan.maturity.score if r.plan.maturity else None) for r in rows}
    areas = [
        Area(r.municipality, MATURITY_FILLS.get(classes[r.municipality.pk], NO_DATA_FILL), labels.get(c, none))
        for r in rows
        for c in [classes[r.municipality.pk]]
    ]
    counts = Counter(classes.values())
    legend = [LegendEntry(MATURITY_FILLS[n], labels[n], counts[n]) for n in RANGES]
    legend.append(LegendEntry(NO_DATA_FILL, none, counts[None]))
    title = _("Planning maturity in %(county)s") % {"county": county.name_plain}
    return Map("maturity", title, county.map_viewbox, areas, legend)


def priority_map(county: County, view: planstatus.Overview) -> Map:
    areas = [
        Area(r.municipality, PRIORITY_FILLS.get(r.result.priority_class, NO_DATA_FILL), r.result.class_label)
        for r in view.rows
    ]
    legend = [
        LegendEntry(
            PRIORITY_FILLS.get(number, NO_DATA_FILL),
            label,
            count,
            str(RANGES[number]) if number else _("no part has data"),
        )
        for number, label, count in view.classes()
    ]
    title = _("Priority in %(county)s") % {"county": county.name_plain}
    return Map("priority", title, county.map_viewbox, areas, legend)


def build(user: Any, county: County, *, today: datetime.date | None = None) -> Report:
    """The report as `user` may see it."""
    today = today or timezone.localdate()
    who = audience(user, county)
    sees_priority, sees_continuity = who in (SHARED, PRIVATE), who == PRIVATE
    view = planstatus.overview(user, county, planstatus.DEFAULT_SORT if sees_priority else "navn")
    mappings = latest_mappings(user, county)
    continuity, total = continuity_rows(county, today) if sees_continuity else ({}, None)
    none = Continuity(None, 0, 0)
    rows = [
        Row(r, mappings.get(r.municipality.pk), continuity.get(r.municipality.pk, none) if sees_continuity else None)
        for r in view.rows
    ]
    return Report(
        county=county,
        audience=who,
        view=view,
        rows=rows,
        today=today,
        generated_at=timezone.now(),
        maturity_map=maturity_map(county, rows),
        priority_map=priority_map(county, view) if sees_priority else None,
        continuity_total=total,
        notes=[planstatus.weights_note(view)] if sees_priority else [],
    )


# ---- the same figures as a table (XLSX) ----


def needs_cell(mapping: NeedsMapping | None) -> int | None:
    return mapping.year if mapping else None


def share_cell(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def columns(report: Report) -> list[str]:
    years = report.view.years
    heads = [
        _("Municipality number"),
        _("Municipality"),
        _("Planning maturity (0–100)"),
        _("Maturity year"),
        _("Challenge index %(year)s") % {"year": years.latest or ""},
        _("Rank in county"),
        _("Index change %(base)s–%(year)s") % {"base": years.base or "", "year": years.latest or ""},
        _("Last assessment"),
        *[str(label) for _level, label in report.view.levels],
        _("Newest needs mapping (year)"),
    ]
    if report.shows_priority:
        heads += [_("Priority (0–100)"), _("Priority class"), _("Parts with data"), _("Reason")]
    if report.shows_continuity:
        heads += [
            _("Roles set up"),
            _("Roles vacant today"),
            _("Changed, 12 months"),
            _("Changed, 12 months (%)"),
            _("Vacancy days, 12 months"),
            _("Average tenure (years)"),
            _("Risks"),
        ]
    return heads


def continuity_cells(c: Continuity) -> list[Any]:
    tenure = c.figures.average_tenure_years if c.figures else None
    return [
        c.figures.roles if c.figures else 0,
        c.vacant,
        c.changed_12,
        share_cell(c.share_12),
        c.figures.vacancy_days if c.figures else None,
        None if tenure is None else round(tenure, 1),
        c.risks,
    ]


def table_row(report: Report, row: Row) -> list[Any]:
    p = row.plan
    cells = [
        p.municipality.number,
        p.municipality.name,
        p.maturity_shown,
        p.maturity.year if p.maturity else None,
        p.index_shown,
        p.rank,
        p.change_shown,
        p.last_assessed,
        *[c.status_label or None for c in p.cells],
        needs_cell(row.needs),
    ]
    if report.shows_priority:
        cells += [p.priority_shown, p.result.class_label, p.coverage, p.result.reason]
    if report.shows_continuity:
        cells += continuity_cells(row.continuity)
    return cells


def table(report: Report) -> Table:
    """The report's figures as one table: the same rounded values and words as the PDF and the pages."""
    note = report.audience_note if report.audience == PUBLIC else f"{_('Not public.')} {report.audience_note}"
    notes = [note, *report.notes]
    result = Table(title=report.title, columns=columns(report), sources=report.sources, notes=notes)
    result.rows = [table_row(report, row) for row in report.rows]
    return result
