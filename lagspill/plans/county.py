"""What the County Governor's plan status page reads: one query per kind of row, whatever the
number of municipalities or plans (municipalities, plans, assessment dates, maturity, index scores,
weights), then the rows, the priority (priority.py) and the download table are put together in Python.
"""

import datetime
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lagspill.indicators.exports import Table
from lagspill.indicators.models import IndexScore, WeightSet
from lagspill.organisations import access
from lagspill.places.models import County, Municipality

from . import priority
from .models import CORE_LEVELS, Assessment, Level, Maturity, Plan, PriorityWeights, Status
from .summary import current_plan

# ?sorter= value → (label, direction word for aria-sort). Missing values always sort last.
SORTS = {
    "prioritet": (gettext_lazy("Priority, highest first"), "descending"),
    "navn": (gettext_lazy("Name, A–Å"), "ascending"),
    "modenhet": (gettext_lazy("Planning maturity, lowest first"), "ascending"),
    "indeks": (gettext_lazy("Challenge index, highest first"), "descending"),
}
DEFAULT_SORT = "prioritet"
# Short column headings for the matrix (the full level names are read out to screen readers).
SHORT_LABELS = {
    Level.STRATEGY: gettext_lazy("Planning strategy"),
    Level.COMMUNITY: gettext_lazy("Community part"),
    Level.LAND_USE: gettext_lazy("Land-use part"),
    Level.ACTION: gettext_lazy("Action part"),
    Level.HOUSING: gettext_lazy("Housing plan"),
}
# Norwegian alphabetical order: æ, ø, å after z (Python would put å first); other accents ignored.
_NORWEGIAN = str.maketrans({"æ": "{", "ø": "|", "å": "}"})


# The symbol beside each status word, as in plans/_status.html (decorative: the word carries the meaning).
STATUS_MARKS = {
    Status.ADOPTED: "●",
    Status.CONSULTATION: "◐",
    Status.PREPARING: "◔",
    Status.EXPIRED: "⚠",
    Status.NOT_STARTED: "○",
}


@dataclass
class LevelCell:
    level: str
    plan: Plan | None
    status_label: str = ""  # the plan's status in words ("" when there is no plan)

    @property
    def mark(self) -> str:
        return STATUS_MARKS.get(self.plan.status, "○") if self.plan else ""


@dataclass
class Row:
    municipality: Municipality
    cells: list[LevelCell]
    maturity: Maturity | None
    baseline: Maturity | None
    index: IndexScore | None
    change: float | None
    last_assessed: datetime.date | None
    result: priority.Result

    # The figures as shown (and downloaded): rounded once, here, so page and file agree.
    @property
    def maturity_shown(self) -> Decimal | None:
        return priority.rounded(self.maturity.score if self.maturity else None, 0)

    @property
    def baseline_shown(self) -> Decimal | None:
        return priority.rounded(self.baseline.score if self.baseline else None, 0)

    @property
    def index_shown(self) -> Decimal | None:
        return priority.rounded(self.index.score if self.index else None, 1)

    @property
    def rank(self) -> int | None:
        return self.index.rank_county if self.index and self.index.score is not None else None

    @property
    def change_shown(self) -> Decimal | None:
        return priority.rounded(self.change, 2)

    @property
    def change_size(self) -> Decimal | None:
        return abs(self.change_shown) if self.change is not None else None

    @property
    def coverage(self) -> str:
        return coverage(self.result)

    @property
    def direction(self) -> str | None:
        return priority.direction(self.change)

    @property
    def priority_shown(self) -> Decimal | None:
        return priority.rounded(self.result.score, 0)


@dataclass
class Overview:
    county: County
    rows: list[Row]
    weights: priority.Weights
    weights_row: PriorityWeights | None
    years: priority.Years
    sort: str

    @property
    def levels(self) -> list[tuple[str, str]]:
        return [(level, Level(level).label) for level in CORE_LEVELS]

    @property
    def headings(self) -> list[tuple[str, str]]:
        """(short, full) heading per core level, for the table."""
        return [(str(SHORT_LABELS[level]), str(label)) for level, label in self.levels]

    def classes(self) -> list[tuple[int | None, str, int]]:
        """The map legend: (class, label, how many municipalities), highest first, then "no priority"."""
        counts: dict[int | None, int] = defaultdict(int)
        for row in self.rows:
            counts[row.result.priority_class] += 1
        legend = [(number, str(label), counts[number]) for number, _lower, label in priority.CLASSES]
        return [*legend, (None, priority.class_label(None), counts[None])]


def sort_key(requested: str | None) -> str:
    return requested if requested in SORTS else DEFAULT_SORT


def name_key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_NORWEGIAN))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


# ---- queries: each one query, whatever the number of municipalities or plans ----


def municipalities(county: County) -> list[Municipality]:
    return list(county.municipalities.order_by("number").only("number", "name", "name_plain", "map_path", "county"))


def plans_by_municipality(user: Any, county: County) -> dict[tuple[int, str], list[Plan]]:
    """(municipality id, level) → the core-level plans the user may see, withdrawn ones left out."""
    plans = access.visible(user, Plan.objects.active().filter(municipality__county=county, level__in=list(CORE_LEVELS)))
    found: dict[tuple[int, str], list[Plan]] = defaultdict(list)
    for plan in plans.order_by().only("municipality", "level", "title", "status", "adopted_on", "created_at"):
        found[plan.municipality_id, plan.level].append(plan)
    return found


def last_assessments(user: Any, county: County) -> dict[int, datetime.date]:
    """municipality id → the newest assessment date among the assessments the user may see
    (of plans not withdrawn)."""
    rows = access.visible(
        user, Assessment.objects.filter(plan__municipality__county=county, plan__withdrawn_at__isnull=True)
    )
    dates = rows.order_by().values("plan__municipality_id").annotate(last=Max("assessed_on"))
    return {row["plan__municipality_id"]: row["last"] for row in dates}


def maturity_by_municipality(county: County) -> dict[int, list[Maturity]]:
    """municipality id → its first (baseline) and newest maturity figure, in year order (one figure when
    they are the same year). Maturity is computed from public material only."""
    own = Maturity.objects.filter(municipality=OuterRef("municipality")).values("year")
    first, newest = Subquery(own.order_by("year")[:1]), Subquery(own.order_by("-year")[:1])
    rows = Maturity.objects.filter(municipality__county=county).filter(Q(year=first) | Q(year=newest))
    found: dict[int, list[Maturity]] = defaultdict(list)
    for row in rows.only("municipality", "year", "score").order_by("municipality_id", "year"):
        found[row.municipality_id].append(row)
    return found


def index_scores(county: County) -> tuple[int | None, dict[str, IndexScore], dict[str, IndexScore]]:
    """The newest index year for the county under the standard weights, its scores, and the scores
    five years earlier (municipality number → score row)."""
    scores = IndexScore.objects.filter(weight_set__slug=WeightSet.STANDARD, county_code=county.number)
    newest = Subquery(scores.order_by("-year").values("year")[:1])
    rows = list(
        scores.filter(Q(year=newest) | Q(year=newest - priority.TREND_YEARS)).only(
            "area_code", "year", "score", "rank_county"
        )
    )
    latest = max((r.year for r in rows), default=None)
    if latest is None:
        return None, {}, {}
    base = latest - priority.TREND_YEARS
    return latest, {r.area_code: r for r in rows if r.year == latest}, {r.area_code: r for r in rows if r.year == base}


def weights_in_force(county: County) -> PriorityWeights | None:
    return county.priority_weights.select_related("created_by").first()


# ---- the page ----


def change(now: IndexScore | None, before: IndexScore | None) -> float | None:
    if now is None or before is None or now.score is None or before.score is None:
        return None
    return now.score - before.score


def facts_for(
    municipality: Municipality, series: list[Maturity], now: IndexScore | None, delta: float | None
) -> priority.Facts:
    latest = series[-1] if series else None
    return priority.Facts(
        number=municipality.number,
        index=now.score if now else None,
        rank=now.rank_county if now else None,
        maturity=latest.score if latest else None,
        maturity_year=latest.year if latest else None,
        change=delta,
    )


def cell(level: str, plan: Plan | None, labels: dict[str, str]) -> LevelCell:
    return LevelCell(level, plan, labels.get(plan.status, plan.status) if plan else "")


def overview(user: Any, county: County, sort: str = DEFAULT_SORT) -> Overview:
    places = municipalities(county)
    plans = plans_by_municipality(user, county)
    assessed = last_assessments(user, county)
    maturity = maturity_by_municipality(county)
    year, scores, earlier = index_scores(county)
    weights_row = weights_in_force(county)
    weights = priority.Weights.of(weights_row)
    years = priority.Years(year, sum(1 for s in scores.values() if s.score is not None))
    changes = {m.number: change(scores.get(m.number), earlier.get(m.number)) for m in places}
    facts = [facts_for(m, maturity[m.pk], scores.get(m.number), changes[m.number]) for m in places]
    results = priority.compute(facts, weights, years)
    labels = {value: str(label) for value, label in Status.choices}  # translated once, not per cell
    rows = [
        Row(
            municipality=m,
            cells=[cell(level, current_plan(plans[m.pk, level]), labels) for level in CORE_LEVELS],
            maturity=maturity[m.pk][-1] if maturity[m.pk] else None,
            baseline=maturity[m.pk][0] if maturity[m.pk] else None,
            index=scores.get(m.number),
            change=changes[m.number],
            last_assessed=assessed.get(m.pk),
            result=results[m.number],
        )
        for m in places
    ]
    return Overview(county, sorted_rows(rows, sort), weights, weights_row, years, sort)


def sorted_rows(rows: list[Row], sort: str) -> list[Row]:
    by_name = sorted(rows, key=lambda r: name_key(r.municipality.name_plain))
    if sort == "navn":
        return by_name
    value = {
        "prioritet": lambda r: -r.result.score if r.result.score is not None else None,
        "modenhet": lambda r: r.maturity.score if r.maturity else None,
        "indeks": lambda r: -r.index.score if r.index and r.index.score is not None else None,
    }[sort]
    # Stable sort: equal values keep the name order; missing values go last.
    return sorted(by_name, key=lambda r: (value(r) is None, value(r) or 0))


# ---- the download ----


def table(view: Overview) -> Table:
    """The page's table as a download: the same rounded figures, the same words."""
    years = view.years
    result = Table(
        title=_("Plan status and priority, %(county)s") % {"county": view.county.name},
        columns=[
            _("Municipality number"),
            _("Municipality"),
            *[str(label) for _level, label in view.levels],
            _("Planning maturity (0–100)"),
            _("Maturity year"),
            _("Challenge index %(year)s") % {"year": years.latest or ""},
            _("Rank in county"),
            _("Index change %(base)s–%(year)s") % {"base": years.base or "", "year": years.latest or ""},
            _("Last assessment"),
            _("Priority (0–100)"),
            _("Parts with data"),
            _("Reason"),
        ],
        sources=[
            str(MONITOR_SOURCE),
            _("Lagspill plan register (plans, published assessments, planning maturity)"),
        ],
        notes=[weights_note(view)],
    )
    result.rows = [download_row(row) for row in view.rows]
    return result


def download_row(row: Row) -> list[Any]:
    return [
        row.municipality.number,
        row.municipality.name,
        *[c.status_label for c in row.cells],
        row.maturity_shown,
        row.maturity.year if row.maturity else None,
        row.index_shown,
        row.rank,
        row.change_shown,
        row.last_assessed.isoformat() if row.last_assessed else None,
        row.priority_shown,
        row.coverage,
        row.result.reason,
    ]


def coverage(result: priority.Result) -> str:
    return _("%(used)s of %(possible)s parts") % {"used": result.used, "possible": result.possible}


WEIGHTS_NOTE = gettext_lazy(
    "Weights (the defaults): challenge index %(challenge)s, low maturity %(maturity)s, worsening trend %(trend)s"
)
WEIGHTS_SET_NOTE = gettext_lazy(
    "Weights set by the County Governor on %(date)s: "
    "challenge index %(challenge)s, low maturity %(maturity)s, worsening trend %(trend)s"
)
MONITOR_SOURCE = gettext_lazy(
    "Lagspill living-conditions monitor (challenge index, standard weights; sources given per indicator)"
)


def weights_note(view: Overview) -> str:
    values = {part: number_format(view.weights.get(part), use_l10n=True) for part in priority.PARTS}
    if view.weights_row is None:
        return str(WEIGHTS_NOTE) % values
    values["date"] = date_format(timezone.localtime(view.weights_row.created_at), "SHORT_DATE_FORMAT")
    return str(WEIGHTS_SET_NOTE) % values
