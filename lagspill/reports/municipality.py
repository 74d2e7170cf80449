"""The municipality status report: every section of a municipality's pages in one document, as PDF and XLSX.

`build(user, municipality)` reads each section through the functions its page uses (the monitor's
`queries.profile` and `presenters.profile_table`, the plan register's `visible_plans` and
`summary.paragraph`, the roles page's turnover and risks, the arena list and coverage, the measure
list with its flags, the needs gap with suppression), so a figure in the report is the figure on the
page. It holds every figure once, as `Table`s (`indicators.exports.Table`: raw numbers, text for
suppressed cells, None for no figure); the PDF template and the workbook (`sheets`) both print those
tables, so the PDF and the XLSX agree too.

Each section shows the reader what the page would show them: lists go through `access.visible`, the
needs through `access.sees_needs_in_full`, and the roles page's private figures (turnover, risks) are
left out, with a note saying so, for readers who may not see the municipality's working material.
Where there is no data the report says so; it never prints 0 for a missing figure.

Queries: a fixed number (about 30) whatever the number of plans, roles, arenas, measures or mappings;
only the catalogue's size (one query per charted indicator) adds any.
"""

import datetime
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lagspill.arenas import coverage as arena_coverage
from lagspill.arenas import queries as arena_queries
from lagspill.continuity import queries as continuity_queries
from lagspill.indicators import charts, presenters
from lagspill.indicators import queries as monitor_queries
from lagspill.indicators.exports import Table
from lagspill.indicators.templatetags.monitor import cell as number_cell
from lagspill.measures import flags as measure_flags
from lagspill.measures import gap as needs_gap
from lagspill.measures import measure_queries, needs_views
from lagspill.measures.suppression import Cell as NeedsCell
from lagspill.organisations import access
from lagspill.places.models import Municipality
from lagspill.plans import charts as plan_charts
from lagspill.plans import queries as plan_queries
from lagspill.plans import summary
from lagspill.plans.models import CORE_LEVELS, Level, Status

from . import xlsx

Cell = Any  # str | int | Decimal | datetime.date | None, as in `Table.rows`
# The key indicators drawn over time: those of the standard challenge index with figures, the highest
# weights first, at most this many (each chart with its table costs the PDF about a quarter of a second;
# two keep Sortland's report well under the 2 s target, and the profile page has the rest).
MAX_INDICATOR_CHARTS = 2
# A status report looks at the last ten years of each key indicator; the indicator pages have the whole series.
SERIES_YEARS = 10

MONITOR, PLANS, STATUS, CONTINUITY, ARENAS, MEASURES, NEEDS = (
    "monitor",
    "plans",
    "status",
    "continuity",
    "arenas",
    "measures",
    "needs",
)


# ---------------------------------------------------------------- the report's structure


class Year(int):
    """A year in a table: a number in the workbook, printed without a thousands separator."""


def shown(value: Cell) -> tuple[str, bool]:
    """A table cell as the pages print it (numbers in the reader's language), and whether it is a number."""
    if value is None or value == "":
        return "–", False
    if isinstance(value, Year):
        return str(int(value)), False
    if isinstance(value, bool):
        return (_("Yes") if value else _("No")), False
    if isinstance(value, Decimal | int):
        return number_cell(value), True
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT"), False
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT"), False
    return str(value), False


def table_lines(table: Table) -> list[list[tuple[str, bool]]]:
    return [[shown(c) for c in row] for row in table.rows]


@dataclass
class Paragraph:
    text: str
    warning: bool = False
    kind: str = field(default="paragraph", init=False)


class Tabular:
    """What the PDF template prints of a part's table: headings and cells as text, numbers marked."""

    table: Table
    even: bool = False  # columns of equal width (a series over years): a fixed, faster table layout

    @property
    def lines(self) -> list[list[tuple[str, bool]]]:
        return table_lines(self.table)

    @property
    def headings(self) -> list[tuple[str, bool]]:
        """The column headings, each marked numeric when a cell below it is a number."""
        numeric = [
            any(shown(row[i])[1] for row in self.table.rows if i < len(row)) for i in range(len(self.table.columns))
        ]
        return list(zip(self.table.columns, numeric, strict=True))


@dataclass
class TablePart(Tabular):
    table: Table
    kind: str = field(default="table", init=False)


@dataclass
class ChartPart(Tabular):
    """A chart drawn on the server (SVG) and the table of its figures, which follows it."""

    label: str
    spec: dict
    table: Table
    even: bool = False
    kind: str = field(default="chart", init=False)

    @property
    def svg(self) -> str:
        return charts.to_svg(self.spec)

    @property
    def image(self) -> str:
        return charts.svg_data_uri(self.svg)

    @property
    def alt(self) -> str:
        return _("%(label)s. See the table below for the figures.") % {"label": self.label.rstrip(". ")}


@dataclass
class Section:
    key: str
    title: str
    sheet: str  # the workbook's sheet name (short: at most 31 characters)
    parts: list[Paragraph | TablePart | ChartPart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    empty: str = ""  # no data: what the reader is told instead of figures
    left_out: str = ""  # the reader may not see this section: why it is left out

    @property
    def tables(self) -> list[Table]:
        return [p.table for p in self.parts if p.kind != "paragraph"]

    @property
    def paragraphs(self) -> list[str]:
        return [p.text for p in self.parts if p.kind == "paragraph"]


@dataclass
class MunicipalityReport:
    municipality: Municipality
    generated_at: datetime.datetime
    title: str
    sees_private: bool
    sections: list[Section]

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    @property
    def charts(self) -> list[ChartPart]:
        return [p for s in self.sections for p in s.parts if p.kind == "chart"]


def build(user: Any, municipality: Municipality) -> MunicipalityReport:
    """Every section of the status report, as `user` may see it. `municipality` with its county selected."""
    today = timezone.localdate()
    plans = plan_queries.visible_plans(user, municipality)
    maturity = plan_queries.maturity_series(municipality)
    sections = [
        monitor_section(municipality),
        plans_section(municipality, plans, maturity),
        status_section(municipality, plans, maturity),
        continuity_section(user, municipality, today),
        arenas_section(user, municipality, today),
        measures_section(user, municipality, today),
        needs_section(user, municipality),
    ]
    return MunicipalityReport(
        municipality=municipality,
        generated_at=timezone.now(),
        title=_("Status report: %(name)s") % {"name": municipality.name_plain},
        sees_private=access.sees_municipality_private(user, municipality),
        sections=sections,
    )


def demo_note() -> str:
    return _("Demo content, made up to show how Lagspill works.")


def with_marks(name: str, *, demo: bool = False, private: bool = False, public: bool = False) -> str:
    """A name with the tags the pages show beside it, in words."""
    marks = [_("Demo")] if demo else []
    marks += [_("Not public")] if private else []
    marks += [_("Public")] if public else []
    return f"{name} ({', '.join(marks)})" if marks else name


def half_up(value: float | Decimal | None, decimals: int = 0) -> Decimal | None:
    """Rounded as the pages' `number` filter rounds (half up), so the report prints the page's digits."""
    if value is None:
        return None
    return Decimal(repr(value) if isinstance(value, float) else value).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )


# ---------------------------------------------------------------- 1. the monitor


def monitor_section(municipality: Municipality) -> Section:
    """The profile page's table (its download), the rows with figures; the key indicators (those in the
    standard challenge index, `MAX_INDICATOR_CHARTS` at most) over time as the indicator pages draw them,
    against the county and Norway."""
    comparison = monitor_queries.comparison_codes(municipality, "lignende")
    groups = monitor_queries.profile(municipality, False, comparison)
    page_table = presenters.profile_table(municipality, groups)
    rows = [row for group in groups for row in group.rows]
    section = Section(MONITOR, _("Living conditions: highlights"), _("Living conditions"))
    with_data = [(row, line) for row, line in zip(rows, page_table.rows, strict=True) if row.has_data]
    section.sources = presenters.sources([row.shown for row, _line in with_data])
    if not with_data:
        section.empty = _("The monitor has no figures for %(name)s yet.") % {"name": municipality.name}
        return section
    # The page's table without its theme and unit columns (the unit goes with the name), so it fits the page.
    _theme, _name, _unit, *figures = page_table.columns
    table = Table(page_table.title, [_("Indicator (unit)"), *figures])
    table.rows = [[f"{line[1]} ({line[2]})", *line[3:]] for _row, line in with_data]
    names = [m.name for m in monitor_queries.municipalities_by_number(comparison).values()]
    table.notes.append(
        _("Comparison set (similar municipalities): %(names)s.") % {"names": ", ".join(names) or _("none")}
    )
    missing = [row.shown.name for row in rows if not row.has_data]
    if missing:
        table.notes.append(_("No figures yet for: %(names)s.") % {"names": ", ".join(missing)})
    section.parts.append(
        Paragraph(
            _(
                "The newest figure of each indicator, %(county)s and Norway, and whether the difference is "
                "statistically significant (the barometer)."
            )
            % {"county": municipality.county.name}
        )
    )
    section.parts.append(TablePart(table))
    key = [row for row, _line in with_data if row.indicator.index_weight > 0]
    for row in sorted(key, key=lambda row: -row.indicator.index_weight)[:MAX_INDICATOR_CHARTS]:
        section.parts.append(indicator_chart(municipality, row.shown))
    return section


def indicator_chart(municipality: Municipality, indicator: Any) -> ChartPart:
    """The indicator page's chart and table (`presenters.series_*`), for the municipality, county and Norway."""
    lines = recent(presenters.series_lines(municipality, indicator, []), SERIES_YEARS)
    table = presenters.series_table(municipality, indicator, lines)
    table.notes.insert(
        0, _("The last %(years)s years; the indicator's page has the whole series.") % {"years": SERIES_YEARS}
    )
    spec = charts.time_series(
        presenters.chart_rows(lines),
        title=indicator.name,
        y_title=presenters.unit_label(indicator),
        highlight=municipality.name,
    )
    return ChartPart(table.title, spec, table, even=True)


def recent(lines: list[Any], years: int) -> list[Any]:
    """The lines cut to the last `years` years that have figures in any of them."""
    newest = max((p.year for line in lines for p in line.points), default=None)
    if newest is None:
        return lines
    return [replace(line, points=[p for p in line.points if p.year > newest - years]) for line in lines]


# ---------------------------------------------------------------- 2. plans and maturity


def latest_assessment(plan: Any) -> str:
    found = getattr(plan, "seen_assessments", [])
    if not found:
        return _("not assessed")
    latest = found[0]
    state = _("published") if latest.published_at else _("in progress")
    return f"{date_format(latest.assessed_on, 'SHORT_DATE_FORMAT')} ({state})"


def plan_line(label: str, plan: Any) -> list[Cell]:
    return [
        label,
        with_marks(plan.title, demo=plan.is_demo, private=not plan.is_public),
        plan.period or None,
        plan.get_status_display(),
        plan.adopted_on,
        plan.revision_due,
        latest_assessment(plan),
    ]


def plans_section(municipality: Municipality, plans: list, series: list) -> Section:
    """The plan register (plans by level) and planning maturity over time, as on the register page."""
    section = Section(PLANS, _("Plans and planning maturity"), _("Plans"))
    levels, others = plan_queries.by_level(plans)
    table = Table(
        _("The plan system: each level with its registered plans"),
        [
            _("Level"),
            _("Plan"),
            _("Period"),
            _("Status"),
            _("Date adopted"),
            _("Next revision"),
            _("Latest assessment"),
        ],
    )
    for row in levels:
        if not row.plans:
            table.rows.append([str(row.label), _("No plan registered"), None, None, None, None, None])
        table.rows += [plan_line(str(row.label), plan) for plan in row.plans]
    table.rows += [plan_line(_("Other plans"), plan) for plan in others]
    section.parts.append(TablePart(table))
    if any(p.is_demo for p in plans):
        section.notes.append(demo_note())
    if not series:
        section.parts.append(
            Paragraph(
                _(
                    "No assessment is published yet, so there is no maturity to show. "
                    "Maturity is computed only from published assessments."
                )
            )
        )
        return section
    years = Table(
        _("Planning maturity per year (0–100)"),
        [_("Year"), _("Maturity")],
        [[Year(m.year), half_up(m.score)] for m in series],
    )
    section.parts.append(ChartPart(_("Planning maturity over time"), plan_charts.maturity(series, municipality), years))
    latest = series[-1]
    by_level = Table(
        _("Maturity by plan level, %(year)s (0–100)") % {"year": latest.year},
        [_("Level"), _("Weight"), _("Status counted"), _("Score")],
    )
    for level, weight in CORE_LEVELS.items():
        detail = latest.levels.get(str(level), {})
        status = detail.get("status")
        by_level.rows.append(
            [
                str(Level(level).label),
                half_up(weight, 1),
                str(Status(status).label) if status else _("No assessed plan (counts as 0)"),
                half_up(detail.get("score")) if status else None,  # not assessed: no score, not a score of 0
            ]
        )
    section.parts.append(TablePart(by_level))
    section.notes.append(
        _(
            "Maturity is the weighted mean over the core plan levels of the newest published assessment's "
            "share of the possible score, times a factor for the plan's status."
        )
    )
    return section


# ---------------------------------------------------------------- 3. the status paragraph


def status_section(municipality: Municipality, plans: list, series: list) -> Section:
    section = Section(STATUS, _("Status in brief"), _("Status in brief"))
    for part in summary.paragraph(municipality, plans, series):
        section.parts.append(Paragraph(" ".join(str(sentence) for sentence in part)))
    section.notes.append(_("Written from the plan register and the published assessments."))
    return section


# ---------------------------------------------------------------- 4. continuity and risks


def continuity_section(user: Any, municipality: Municipality, today: datetime.date) -> Section:
    """The roles page's turnover figures and risk list, for those who may see the roles page."""
    section = Section(CONTINUITY, _("Continuity and risks"), _("Continuity"))
    if not access.sees_municipality_private(user, municipality):
        section.left_out = _(
            "Left out: roles, turnover and continuity risks are the municipality's working material, "
            "seen only by its members, its County Governor and Husbanken."
        )
        return section
    since = continuity_queries.default_since(today)
    figures = continuity_queries.municipality_figures(municipality, today, since)
    risks = continuity_queries.municipality_risks(municipality, today)
    if figures.roles:
        windows = Table(
            _("Roles that changed holder"),
            [_("Period"), _("Roles changed"), _("Roles"), _("Share of the roles (%)")],
            [
                [
                    _("Last %(months)s months") % {"months": months},
                    changed,
                    figures.roles,
                    half_up(share and 100 * share),
                ]
                for months, changed, share in figures.windows
            ],
        )
        facts = Table(
            _("Turnover"),
            [_("Figure"), _("Value")],
            [
                [_("Roles"), figures.roles],
                [
                    _("Roles that changed holder since %(day)s") % {"day": date_format(since, "DATE_FORMAT")},
                    figures.changed_since,
                ],
                [_("Vacancy days, last 12 months"), figures.vacancy_days],
                [_("Average tenure of the current holders (years)"), half_up(figures.average_tenure_years, 1)],
            ],
        )
        section.parts += [TablePart(facts), TablePart(windows)]
        section.notes.append(
            _(
                "A change is a new holder or a vacancy starting in the period; filling a role for the first time "
                "is not counted. The date is the last local election."
            )
        )
    else:
        section.parts.append(
            Paragraph(
                _("No roles are registered for %(name)s, so there are no turnover figures.")
                % {"name": municipality.name}
            )
        )
    if risks:
        section.parts.append(
            TablePart(
                Table(
                    _("Continuity risks"),
                    [_("Risk"), _("Where"), _("Details")],
                    [[risk.label, risk.subject, risk.detail or None] for risk in risks],
                )
            )
        )
    else:
        section.parts.append(Paragraph(_("No continuity risks found.")))
    return section


# ---------------------------------------------------------------- 5. arenas


def arenas_section(user: Any, municipality: Municipality, today: datetime.date) -> Section:
    """The municipality's arenas the reader may see, and the coverage matrix of the open ones."""
    section = Section(ARENAS, _("Interdisciplinary arenas"), _("Arenas"))
    arenas = arena_queries.municipality_arenas(user, municipality, today)
    open_arenas = [a for a in arenas if a.closed_at is None]
    closed = len(arenas) - len(open_arenas)
    if not open_arenas:
        section.empty = _("No open arenas you can see.")
        if closed:
            section.notes.append(_("Closed arenas: %(count)s.") % {"count": closed})
        return section
    listing = Table(
        _("Open arenas"),
        [_("Arena"), _("Rhythm"), _("Members"), _("Next meeting"), _("Open actions"), _("Overdue actions")],
        [
            [
                with_marks(a.name, demo=a.is_demo, public=a.is_public),
                a.get_rhythm_display(),
                len(a.current_members),
                a.next_meeting.starts_at if a.next_meeting else _("None planned"),
                a.open_actions,
                a.overdue_actions,
            ]
            for a in open_arenas
        ],
    )
    section.parts.append(TablePart(listing))
    found = arena_coverage.build(open_arenas)
    if found.single_department:
        section.parts.append(
            Paragraph(
                _(
                    "Warning: the social housing work sits in a single department: every role seat in the open "
                    "arenas is in %(department)s."
                )
                % {"department": found.single_department},
                warning=True,
            )
        )
    for arena, department in found.narrow:
        section.parts.append(
            Paragraph(
                _("Warning: %(arena)s has role seats in one department only: %(department)s.")
                % {"arena": arena.name, "department": department},
                warning=True,
            )
        )
    section.parts.append(
        Paragraph(
            _("Departments taking part in the open arenas: %(count)s.") % {"count": found.departments_taking_part}
        )
    )
    section.parts.append(
        TablePart(
            Table(
                _("Which departments and organisations have a current seat in which open arena (number of seats)"),
                [_("Department or organisation"), *[a.name for a in found.arenas]],
                [[row.label, *row.cells] for row in found.rows],
            )
        )
    )
    if closed:
        section.notes.append(_("Closed arenas, not counted above: %(count)s.") % {"count": closed})
    if any(a.is_demo for a in open_arenas):
        section.notes.append(demo_note())
    return section


# ---------------------------------------------------------------- 6. measures


def measures_section(user: Any, municipality: Municipality, today: datetime.date) -> Section:
    """The measure list's counts and its table (the columns of its CSV download), with the reader's flags."""
    section = Section(MEASURES, _("Measures"), _("Measures"))
    found = measure_queries.measure_list(user, municipality, {}, today)
    if not found.total:
        section.empty = _("No measures you can see yet.")
        return section
    counts = Table(
        _("Measures by status and flag"),
        [_("Measures"), _("Number")],
        [[_("All measures"), found.total]],
    )
    counts.rows += [[str(label), len(rows)] for _code, label, rows in found.columns]
    counts.rows += [[_("Flag: %(flag)s") % {"flag": label}, count] for _flag, label, count in found.flag_counts]
    section.parts.append(TablePart(counts))
    section.parts.append(
        TablePart(
            Table(
                _("Measures with their goals, owner, funding, period, status and flags"),
                measure_queries.table_columns(),
                [measure_queries.table_row(m, found.sees_roles) for m in found.measures],
            )
        )
    )
    shown_flags = measure_flags.for_reader(list(measure_flags.ALL), found.sees_roles)
    section.notes += [f"{measure_flags.label(f)}: {measure_flags.EXPLANATIONS[f]}" for f in shown_flags]
    if not found.sees_roles:
        section.notes.append(_("Owner roles are the municipality's working material and are not shown."))
    if any(m.is_demo for m in found.measures):
        section.notes.append(demo_note())
    return section


# ---------------------------------------------------------------- 7. the needs gap


def needs_value(cell: NeedsCell) -> Cell:
    """A needs cell as the reader may see it: "<5" or "×" when hidden, None when not mapped."""
    if cell.hidden:
        return cell.text
    return cell.value


def needs_section(user: Any, municipality: Municipality) -> Section:
    """The needs page's gap (`gap.gap_series` for this reader, suppressed outside the municipality), its
    chart of the total and its table per dwelling type."""
    section = Section(NEEDS, _("The needs gap over the years"), _("Needs gap"))
    full = access.sees_needs_in_full(user, municipality)
    points = needs_gap.gap_series(municipality, full=full, user=user)
    if not points:
        section.empty = _("There is no needs mapping of %(name)s you may see, so there is no gap to show.") % {
            "name": municipality.name
        }
        return section
    section.parts.append(
        Paragraph(
            _(
                "The gap is the need (households) minus the vacant municipal dwellings of the same type. "
                "A positive gap means more households need a dwelling than there are vacant ones."
            )
        )
    )
    table = Table(
        _("Need, supply and gap per year and dwelling type"),
        [
            _("Dwelling type"),
            _("Year"),
            _("Need (households)"),
            _("Vacant dwellings"),
            _("New dwellings from projects"),
            _("Waiting list (households)"),
            _("Municipal dwellings"),
            _("Gap"),
            _("Projected"),
        ],
    )
    for group in needs_views.gap_tables(points):
        for p in group.points:
            table.rows.append(
                [
                    str(group.label),
                    Year(p.year),
                    needs_value(p.need),
                    needs_value(p.vacant),
                    p.new_units if p.projected else None,
                    needs_value(p.waiting),
                    needs_value(p.stock),
                    needs_value(p.gap),
                    _("Yes") if p.projected else _("No"),
                ]
            )
    totals = sorted((p for p in points if p.dwelling == needs_gap.TOTAL), key=lambda p: p.year)
    if any(p.need.value is not None or p.vacant.value is not None for p in totals):
        label = _("Need and vacant dwellings per year, all dwelling types")
        section.parts.append(ChartPart(label, needs_views.gap_chart(totals, municipality), table, even=True))
    else:
        section.parts.append(TablePart(table, even=True))
    projected = [p.year for p in totals if not p.projected]
    if projected and any(p.projected for p in totals):
        section.notes.append(
            _(
                "Years after %(year)s are projected: the need and vacant dwellings of the %(year)s mapping, with the "
                "dwellings of planned, funded, under construction and ready housing projects added from the year "
                "they are ready."
            )
            % {"year": max(projected)}
        )
    if any(p.need.hidden or p.waiting.hidden or p.gap.hidden for p in points):
        section.notes.append(
            _("Counts of 1 to 4 households are shown as “<5”, and figures that would give them away as “×”.")
        )
    elif full:
        section.notes.append(
            _(
                "You see every count because you belong to the municipality. Everyone else sees counts of 1 to 4 "
                "as “<5”, and figures that would give them away as “×”."
            )
        )
    section.notes.append(_("“–”: not mapped, or, for new dwellings from projects, not a projected year."))
    return section


# ---------------------------------------------------------------- the workbook


def sheets(report: MunicipalityReport) -> list[xlsx.Sheet]:
    """The report as workbook sheets: an opening sheet, then one per section with its tables, one below
    the other, and its notes and sources at the bottom."""
    municipality = report.municipality
    about = xlsx.Sheet(
        _("Report"),
        [report.title, ""],
        [
            [_("Municipality"), f"{municipality.name} ({municipality.number})"],
            [_("County"), municipality.county.name],
            [_("Made"), report.generated_at],
            [_("Sections"), ", ".join(s.title for s in report.sections)],
        ],
        [reader_note()],
    )
    found = [about]
    for section in report.sections:
        notes = [section.left_out or section.empty] if section.left_out or section.empty else []
        tables = section.tables
        if tables:
            notes += section.paragraphs
        for table in tables:
            notes += table.notes
        notes += section.notes
        notes += [_("Source: %(source)s") % {"source": s} for s in section.sources]
        notes = list(dict.fromkeys(notes))  # a note several tables share is said once
        if tables:
            first, *more = tables
            blocks = [xlsx.Block(t.title, t.columns, t.rows) for t in more]
            found.append(xlsx.Sheet(section.sheet, first.columns, first.rows, notes, blocks))
        elif section.paragraphs:
            found.append(xlsx.Sheet(section.sheet, [section.title], [[p] for p in section.paragraphs], notes))
        else:
            found.append(xlsx.Sheet(section.sheet, [], [], notes))
    return found


def reader_note() -> str:
    return _(
        "The report shows what you may see in Lagspill: the same figures as the pages, for the reader who "
        "downloaded it."
    )


def workbook(report: MunicipalityReport) -> bytes:
    return xlsx.workbook(sheets(report))
