"""Page data for measures: the visible list with its flags and filters (board, table, export), the
measure page's links, and the measure's history. Every list reads a fixed number of queries.

A measure's goals, projects and progress updates pass the access module too: a public measure may
serve a goal of a plan the reader may not see, and then that goal is left out."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from lagspill.continuity.models import Holding, Role
from lagspill.organisations import access
from lagspill.places.models import Municipality
from lagspill.plans.models import Goal

from . import flags
from .models import Measure, MeasureStatus

HISTORY_LIMIT = 200
LONG_TEXT = 80


def visible_goals(user: Any) -> QuerySet[Goal]:
    return access.visible(user, Goal.objects.select_related("plan__municipality")).order_by(
        "plan__title", "number", "pk"
    )


def visible_measures(user: Any, municipality: Municipality) -> QuerySet[Measure]:
    """The municipality's active measures this user may see, with owner roles and visible goals
    (`measure.shown_goals`) in two queries."""
    rows = Measure.objects.active().filter(municipality=municipality)
    goals = Prefetch("goals", queryset=visible_goals(user), to_attr="shown_goals")
    return access.visible(user, rows).select_related("owner_role").prefetch_related(goals)


def goal_choices(user: Any, municipality: Municipality) -> list[Goal]:
    """Goals to filter by: the active goals of the municipality's active plans the user may see."""
    rows = visible_goals(user).filter(
        plan__municipality=municipality, plan__withdrawn_at__isnull=True, retired_at__isnull=True
    )
    return list(rows)


def matches(measure: Measure, chosen: dict[str, Any]) -> bool:
    if "status" in chosen and measure.status != chosen["status"]:
        return False
    if "flagg" in chosen and chosen["flagg"] not in measure.flags:
        return False
    if "mal" in chosen and chosen["mal"] not in {g.pk for g in measure.shown_goals}:
        return False
    return "virkemiddel" not in chosen or measure.instrument == chosen["virkemiddel"]


@dataclass
class MeasureList:
    """The visible measures with their flags: `counts` over all of them, `measures` after the filters.
    `sees_roles`: whether the reader may see the municipality's roles, so the owner roles and the
    "ownerless" flag (left out of `measures[].flags` and the counts otherwise)."""

    measures: list[Measure]
    counts: dict[str, int]
    total: int
    sees_roles: bool = True

    @property
    def columns(self) -> list[tuple[str, str, list[Measure]]]:
        """The board: one column per status, in the order of work."""
        return [
            (status.value, status.label, [m for m in self.measures if m.status == status]) for status in MeasureStatus
        ]

    @property
    def flag_counts(self) -> list[tuple[str, str, int]]:
        shown = flags.for_reader(list(flags.ALL), self.sees_roles)
        return [(flag, flags.label(flag), self.counts[flag]) for flag in shown]


def measure_list(user: Any, municipality: Municipality, chosen: dict[str, Any], today: datetime.date) -> MeasureList:
    """The list's roles are all the municipality's, so whether the reader sees them is asked once."""
    sees_roles = access.sees_municipality_private(user, municipality)
    rows = flags.annotate(visible_measures(user, municipality).order_by("ends_on", "title", "pk"), today)
    for measure in rows:
        measure.flags = flags.for_reader(measure.flags, sees_roles)
    return MeasureList([m for m in rows if matches(m, chosen)], flags.counts(rows), len(rows), sees_roles)


def withdrawn_measures(user: Any, municipality: Municipality) -> list[Measure]:
    """Withdrawn measures, for those who see the municipality's working material."""
    if not access.sees_municipality_private(user, municipality):
        return []
    return list(Measure.objects.filter(municipality=municipality, withdrawn_at__isnull=False).order_by("title"))


# The table and its CSV export


def period(measure: Measure) -> str:
    start = formats.date_format(measure.starts_on, "SHORT_DATE_FORMAT") if measure.starts_on else ""
    end = formats.date_format(measure.ends_on, "SHORT_DATE_FORMAT") if measure.ends_on else ""
    return f"{start}–{end}" if start or end else ""


def criterion_text(measure: Measure) -> str:
    if measure.criterion_met is None:
        return _("Not answered")
    return _("Yes") if measure.criterion_met else _("No")


def safe_cell(text: str) -> str:
    """Typed text that a spreadsheet would run as a formula is kept as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def table_columns() -> list[str]:
    return [
        _("Measure"),
        _("Plan goals"),
        _("Target group"),
        _("Instrument"),
        _("Owner role"),
        _("Budget (NOK)"),
        _("Source of funding"),
        _("Period"),
        _("Status"),
        _("Criterion met"),
        _("Flags"),
    ]


def table_row(measure: Measure, sees_roles: bool) -> list[str | Decimal | None]:
    """One measure's row; the owner role only for those who may see the municipality's roles."""
    return [
        safe_cell(measure.title),
        safe_cell("; ".join(str(g) for g in measure.shown_goals)),
        measure.get_target_group_display(),
        measure.get_instrument_display() if measure.instrument else "",
        safe_cell(measure.owner_role.display_name) if sees_roles and measure.owner_role else "",
        measure.budget,
        measure.get_budget_source_display() if measure.budget_source else "",
        period(measure),
        measure.get_status_display(),
        criterion_text(measure),
        ", ".join(flags.label(f) for f in measure.flags),
    ]


# One measure


@dataclass
class Owner:
    role: Role | None
    sees_role: bool
    holders: list[str] = field(default_factory=list)
    vacant: bool = False


def owner(user: Any, measure: Measure, today: datetime.date) -> Owner:
    """The owner role, and its holders today only for those who may see the role."""
    role = measure.owner_role
    if role is None:
        return Owner(None, False)
    if not access.can(user, "view", role):
        return Owner(role, False)
    holdings = Holding.objects.on(today).filter(role=role).select_related("person").order_by("starts_on", "pk")
    names = [h.person.display_name for h in holdings if h.person_id]
    return Owner(role, True, names, not names)


def shown_goals(user: Any, measure: Measure) -> list[Goal]:
    return list(visible_goals(user).filter(measures=measure))


def shown_projects(user: Any, measure: Measure) -> list[Model]:
    return list(access.visible(user, measure.projects.active()).order_by("ready_year", "name", "pk"))


def updates(measure: Measure) -> list[Model]:
    """The measure's progress updates, newest first. An update's access rule is its measure's, which
    the page has checked (the owner role's holder sees them too, though `visible` lists only insiders')."""
    return list(measure.updates.active().select_related("created_by").order_by("-on", "-pk"))


# History: who changed what, when


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    when: datetime.datetime
    who: Any
    created: bool
    fields: list[FieldChange]


def history_fields() -> dict[str, str]:
    return {
        "title": _("Title"),
        "description": _("Description"),
        "target_group": _("Target group"),
        "instrument": _("Instrument"),
        "owner_role": _("Owner role"),
        "budget": _("Budget (NOK)"),
        "budget_source": _("Source of funding"),
        "starts_on": pgettext_lazy("period", "Start"),
        "ends_on": pgettext_lazy("period", "End"),
        "status": _("Status"),
        "completion_criterion": _("Completion criterion"),
        "criterion_met": _("Criterion met"),
        "is_public": _("Public"),
        "withdrawn_at": _("Withdrawn"),
    }


def shown(record: Any, name: str) -> str:
    """A field's value as a person reads it, in the page's language."""
    display = getattr(record, f"get_{name}_display", None)
    value = display() if display else getattr(record, name)
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value, 0, force_grouping=True)
    if isinstance(value, Model):
        return str(getattr(value, "display_name", value))
    text = " ".join(str(value).split())
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"


def _linked(records: list[Any], relation: str, target: str, user: Any = None) -> dict[int, str]:
    """For each history record, the linked goals or indicators as it saved them (one query). With
    `user`, the links are goals: one more query finds those the user may see, and any other is named
    only as a goal they cannot see (the holder of the owner role may be outside the municipality)."""
    through = Measure.history.model._meta.get_field(relation).related_model
    rows = list(through.objects.filter(history_id__in=[r.history_id for r in records]).select_related(target))
    seen = None
    if user is not None:
        ids = {getattr(row, f"{target}_id") for row in rows}
        seen = set(access.visible(user, Goal.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    found: dict[int, list[str]] = {r.history_id: [] for r in records}
    for row in rows:
        item = getattr(row, target)
        if seen is not None and item.pk not in seen:
            found[row.history_id].append(_("a goal you cannot see"))
        else:
            found[row.history_id].append(str(getattr(item, "name", item)))
    return {key: "; ".join(sorted(names)) or "–" for key, names in found.items()}


def changes(user: Any, measure: Measure) -> list[Change]:
    """Each saved version that changed something, newest first, with the fields and links it
    changed, and the creation (at most `HISTORY_LIMIT` versions, in four queries). When there are
    more, the oldest shown is compared with the one before it, so it is not mistaken for the creation.
    Goals of plans the user may not see are not named."""
    rows = measure.history.select_related("history_user", "owner_role").order_by("-history_date", "-history_id")
    records = list(rows[: HISTORY_LIMIT + 1])
    goals = _linked(records, "historicalmeasure_goals", "goal", user)
    indicators = _linked(records, "historicalmeasure_indicators", "indicator")
    labels = history_fields()
    found = []
    for index, record in enumerate(records[:HISTORY_LIMIT]):
        before = records[index + 1] if index + 1 < len(records) else None
        if before is None:  # the first version: "created" (its values are what later rows change from)
            found.append(Change(record.history_date, record.history_user, True, []))
            continue
        changed = [
            FieldChange(label, shown(before, name), shown(record, name))
            for name, label in labels.items()
            if shown(before, name) != shown(record, name)
        ]
        for label, links in ((_("Plan goals"), goals), (_("Indicators"), indicators)):
            if links[before.history_id] != links[record.history_id]:
                changed.append(FieldChange(label, links[before.history_id], links[record.history_id]))
        if changed:  # a save without a visible change is left out
            found.append(Change(record.history_date, record.history_user, False, changed))
    return found
