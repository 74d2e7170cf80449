"""Housing projects: a municipality's projects along the pipeline (idea → ready), one project with
the needs gap it helps close and its history, and the forms to add, change and withdraw one.
Each view: fetch through the access module, call the domain (`gap.py`, `project_actions.py`), render."""

import datetime
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max, Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lagspill.organisations import access
from lagspill.places.models import Municipality

from . import gap, project_actions
from .models import COUNTED_PROJECT_STATUSES, DwellingType, HousingProject, Measure, ProjectStatus
from .project_forms import ProjectForm

GET_POST = require_http_methods(["GET", "POST"])
PROJECT_ROWS = ("municipality__county", "measure", "created_by")
HISTORY_LIMIT = 200
LONG_TEXT = 80


# Fetching through the access module


def municipality_or_404(request: HttpRequest, number: str) -> Municipality:
    return access.get_or_404(request.user, Municipality.objects.select_related("county"), number=number)


def project_or_404(request: HttpRequest, pk: int, action: str = "view") -> HousingProject:
    return access.get_or_404(request.user, HousingProject.objects.select_related(*PROJECT_ROWS), action, pk=pk)


def visible_measures(user: Any, ids: set[int]) -> dict[int, Measure]:
    """The linked measures this reader may see (a public project may link a private measure): one query."""
    if not ids:
        return {}
    return {m.pk: m for m in access.visible(user, Measure.objects.filter(pk__in=ids))}


def with_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# The list: projects along the pipeline


@dataclass
class StatusGroup:
    """The projects of one status, with their units by dwelling type."""

    status: str
    label: str
    counted: bool
    projects: list[HousingProject] = field(default_factory=list)
    units: dict[str, int] = field(default_factory=dict)

    @property
    def unit_list(self) -> list[int]:
        return [self.units.get(d, 0) for d in DwellingType.values]

    @property
    def total(self) -> int:
        return sum(self.units.values())


def pipeline(projects: list[HousingProject]) -> list[StatusGroup]:
    """One group per status in pipeline order (idea → ready), empty ones included."""
    groups = {
        s.value: StatusGroup(
            s.value, s.label, s in COUNTED_PROJECT_STATUSES, units=dict.fromkeys(DwellingType.values, 0)
        )
        for s in ProjectStatus
    }
    for project in projects:
        group = groups[project.status]
        group.projects.append(project)
        for dwelling, count in project.units().items():
            group.units[dwelling] += count
    return list(groups.values())


def latest_mapping_year(user: Any, municipality: Municipality) -> int | None:
    """The year of the latest active mapping this reader sees, as `gap.gap_series(user=…)` finds it: one query."""
    mappings = gap.visible_mappings(municipality, full=False, user=user)  # `user` decides what is visible
    return mappings.aggregate(latest=Max("year"))["latest"]


def in_projection(project: HousingProject, latest: int | None) -> bool:
    """What `gap.gap_series` counts: a counted status, not withdrawn, ready after the latest mapping."""
    return latest is not None and bool(gap.effect_of(project)) and project.ready_year > latest


def counted_totals(projects: list[HousingProject], latest: int | None) -> list[int]:
    """Units by dwelling type of the projects that count in the projected gap."""
    totals = dict.fromkeys(DwellingType.values, 0)
    for project in projects:
        if in_projection(project, latest):
            for dwelling, count in project.units().items():
                totals[dwelling] += count
    return list(totals.values())


def counted_sentence(latest: int | None) -> str:
    labels = [str(ProjectStatus(s).label).lower() for s in COUNTED_PROJECT_STATUSES]
    statuses = _(
        "Projects that are %(statuses)s count in the projected gap of the needs overview, from their ready year. "
        "Ideas are listed but do not count."
    ) % {"statuses": get_text_list(labels, _("or"))}
    if latest is None:
        stock = _(
            "Projects ready by the year of the latest needs mapping are assumed to be in its mapped stock "
            "already. There is no needs mapping you can see yet, so no project is counted."
        )
    else:
        stock = _(
            "Projects ready in or before %(year)s, the year of the latest needs mapping, are assumed to be in "
            "the mapped stock already and are not counted, nor are projects without a ready year."
        ) % {"year": latest}
    return f"{statuses} {stock}"


@require_GET
def projects(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_or_404(request, number)
    rows = HousingProject.objects.filter(municipality=municipality).select_related("measure")
    found = list(access.visible(request.user, rows).order_by("ready_year", "name", "pk"))
    measures = visible_measures(request.user, {p.measure_id for p in found if p.measure_id})
    for row in found:
        row.shown_measure = measures.get(row.measure_id)
    active = [p for p in found if p.withdrawn_at is None]
    groups = pipeline(active)
    latest = latest_mapping_year(request.user, municipality)
    context = {
        "municipality": municipality,
        "groups": groups,
        "has_projects": bool(active),
        "withdrawn": [p for p in found if p.withdrawn_at is not None],
        "counted_totals": counted_totals(active, latest),
        "counted_sentence": counted_sentence(latest),
        "dwellings": DwellingType.choices,
        "may_edit": access.edits_municipality(request.user, municipality),
        "is_demo": any(p.is_demo for p in active),
    }
    return render(request, "measures/projects/projects.html", context)


# One project: the gap it helps close


def number_text(value: int) -> str:
    return formats.number_format(value, 0, force_grouping=True)


@dataclass(frozen=True)
class GapRow:
    """One dwelling type of the project: its units, the gap of the latest mapping, and the projected
    gap in its ready year without and with the project. Texts are what to print: a hidden gap prints
    its hidden text ("<5", "×") in every column, so it cannot be recovered by adding the units back."""

    dwelling: str
    units: int
    current: str
    without: str = ""
    with_project: str = ""
    hidden: bool = False


@dataclass(frozen=True)
class GapEffect:
    state: str  # "none" (no mapping the reader sees), "no_year", "already" (ready by the mapping), "projected"
    latest_year: int | None = None
    counted: bool = False
    rows: list[GapRow] = field(default_factory=list)

    @property
    def hidden(self) -> bool:
        return any(row.hidden for row in self.rows)


def cell_text(cell: Any) -> str:
    if cell is None or (cell.value is None and not cell.hidden):
        return ""
    return cell.text


def counts_in_gap(project: HousingProject) -> bool:
    return bool(gap.effect_of(project))


def point_by(series: list[Any], dwelling: str, year: int) -> Any:
    """The series point of a dwelling type for `year`: the last one at or before it (nothing changes
    after the last counted project is ready)."""
    found = [p for p in series if p.dwelling == dwelling and p.year <= year]
    return max(found, key=lambda p: p.year) if found else None


def current_row(dwelling: str, units: int, current: Any) -> GapRow:
    label = DwellingType(dwelling).label
    return GapRow(label, units, cell_text(current), hidden=bool(current and current.hidden))


def projected_row(dwelling: str, units: int, current: Any, point: Any, counted: int) -> GapRow:
    """Without and with the project from the projected gap of its ready year; `counted` is the units
    of this project the projection already holds (all of them for a counted project, none for an idea)."""
    row = current_row(dwelling, units, current)
    cell = point.gap if point is not None else None
    if cell is None or cell.hidden or cell.value is None:
        text = cell_text(cell)
        return replace(row, without=text, with_project=text, hidden=row.hidden or bool(cell and cell.hidden))
    without = cell.value + counted
    return replace(row, without=number_text(without), with_project=number_text(without - units))


def gap_effect(user: Any, project: HousingProject) -> GapEffect:
    """What the project does to the needs gap, as far as this reader may see it."""
    municipality = project.municipality
    full = access.sees_needs_in_full(user, municipality)
    series = gap.gap_series(municipality, full=full, user=user)  # only mappings and projects the reader sees
    mapped = [p.year for p in series if not p.projected]
    if not mapped:
        return GapEffect("none")
    latest = max(mapped)
    counted = gap.effect_of(project)
    wanted = [(d, n) for d, n in project.units().items() if n]
    current = {d: getattr(point_by(series, d, latest), "gap", None) for d, _n in wanted}
    if not project.ready_year or project.ready_year <= latest:
        state = "no_year" if not project.ready_year else "already"
        rows = [current_row(d, n, current[d]) for d, n in wanted]
        return GapEffect(state, latest, bool(counted), rows)
    rows = [
        projected_row(d, n, current[d], point_by(series, d, project.ready_year), counted.get(d, 0)) for d, n in wanted
    ]
    return GapEffect("projected", latest, bool(counted), rows)


# One project: its history


@dataclass
class Change:
    when: datetime.datetime
    who: Any
    created: bool
    fields: list[tuple[str, str, str]]


def history_fields() -> dict[str, str]:
    names = [
        "name",
        "description",
        "status",
        "ready_year",
        "units_ordinary",
        "units_adapted",
        "units_services",
        "units_emergency",
        "cost",
        "husbanken_grant",
        "husbanken_loan",
        "other_funding",
        "measure",
        "is_public",
        "withdrawn_at",
    ]
    labels = {f.name: str(f.verbose_name) for f in HousingProject._meta.get_fields() if hasattr(f, "verbose_name")}
    labels["withdrawn_at"] = _("Withdrawn")
    return {name: labels[name][:1].upper() + labels[name][1:] for name in names}


def shown(record: Any, name: str, measures: dict[int, Measure]) -> str:
    """A field's value as a person reads it, in the page's language."""
    if name == "measure":
        measure = measures.get(record.measure_id)
        return measure.title if measure else ("–" if record.measure_id is None else _("(a measure you cannot see)"))
    value = getattr(record, f"get_{name}_display")() if name == "status" else getattr(record, name)
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if name in ("cost", "husbanken_grant", "husbanken_loan", "other_funding"):
        return f"{number_text(value)} kr"
    if name == "ready_year":
        return str(value)
    if isinstance(value, int):
        return number_text(value)
    text = " ".join(str(value).split())
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"


def history(project: HousingProject, records: list[Model], measures: dict[int, Measure]) -> list[Change]:
    """Every saved version compared with the one before, newest first (saves without a change left out)."""
    fields = history_fields()
    changes, before = [], None
    for record in records:
        changed = [
            (label, shown(before, n, measures) if before else "–", shown(record, n, measures))
            for n, label in fields.items()
        ]
        changed = [c for c in changed if c[1] != c[2]]
        if before is None or changed:
            changes.append(Change(record.history_date, record.history_user, before is None, changed))
        before = record
    return changes[::-1]


def history_records(project: HousingProject) -> list[Model]:
    rows = project.history.select_related("history_user").order_by("-history_date", "-history_id")
    return list(rows[:HISTORY_LIMIT])[::-1]


@require_GET
def project(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(request, pk)
    municipality = project.municipality
    insider = access.sees_municipality_private(request.user, municipality)
    records = history_records(project) if insider else []
    measure_ids = {r.measure_id for r in records if r.measure_id} | ({project.measure_id} - {None})
    measures = visible_measures(request.user, measure_ids)
    funding = [
        (_("Total cost"), project.cost),
        (_("Husbanken grants"), project.husbanken_grant),
        (_("Husbanken loan"), project.husbanken_loan),
        (_("Other funding"), project.other_funding),
    ]
    context = {
        "municipality": municipality,
        "project": project,
        "units": [(label, project.units()[code]) for code, label in DwellingType.choices],
        "funding": funding,
        "measure": measures.get(project.measure_id),
        "effect": gap_effect(request.user, project),
        "counts": counts_in_gap(project),
        "changes": history(project, records, measures) if insider else None,
        "may_edit": project.withdrawn_at is None and access.can(request.user, "change", project),
    }
    return render(request, "measures/projects/project.html", context)


# Forms: new, change, withdraw

NEW_HEADING = gettext_lazy("New housing project")


@login_required
@GET_POST
def new_project(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_or_404(request, number)
    access.require(request.user, "change", municipality)
    form = ProjectForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            project = project_actions.create_project(municipality, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The project “%(name)s” is saved.") % {"name": project.name})
            return redirect(project)
    context = {"municipality": municipality, "form": form, "heading": NEW_HEADING}
    return render(request, "measures/projects/form.html", context, status=400 if form.errors else 200)


def refuse_withdrawn(request: HttpRequest, project: HousingProject) -> HttpResponse | None:
    """A withdrawn project is history: changes are refused with a message, back on its page."""
    if project.withdrawn_at is None:
        return None
    messages.error(request, _("The project is withdrawn and can no longer be changed."))
    return redirect(project)


@login_required
@GET_POST
def edit_project(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(request, pk, "change")
    if refused := refuse_withdrawn(request, project):
        return refused
    title = project.name  # the form changes the instance while it validates
    form = ProjectForm(request.POST or None, instance=project, municipality=project.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            project_actions.save_project(form.save(commit=False), by=request.user)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The project is saved."))
            return redirect(project)
    context = {
        "municipality": project.municipality,
        "project": project,
        "title": title,
        "form": form,
        "heading": _("Change the project"),
    }
    return render(request, "measures/projects/form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def withdraw_project(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(request, pk, "change")
    if refused := refuse_withdrawn(request, project):
        return refused
    try:
        project_actions.withdraw_project(project, by=request.user)
    except ValidationError as error:  # withdrawn by someone else since the page was fetched
        messages.error(request, " ".join(error.messages))
        return redirect(project)
    messages.success(request, _("The project is withdrawn. It is kept, with its history, but no longer counts."))
    return redirect("measures:projects", number=project.municipality.number)
