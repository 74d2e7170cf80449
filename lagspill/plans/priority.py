"""Needs-based priority: where the County Governor's follow-up is likely to matter most.

Each municipality in the county gets three parts, each from 0 to 1:

- **challenge**: the share of the *other* municipalities in the county with a challenge index score
  (weight set "standard", newest year) whose score is lower than this municipality's. The municipality
  with the highest index gets 1, the lowest 0.
- **maturity**: 1 − planning maturity / 100, from the newest maturity figure. Left out when the
  municipality has no maturity figure yet (no published plan assessment); it is never read as 0.
- **trend**: the same share for the change in the challenge index over five years (newest year minus
  the year five years earlier), among the county's municipalities with a score in both years. The
  largest worsening gets 1. Left out without both years.

priority = 100 × Σ(weight × part) / Σ(weight), both sums over the parts the municipality has data for
(a part with weight 0 counts in neither). With no such part there is no priority. The page states how
many parts each priority rests on ("2 of 3 parts").

Weights: the County Governor's newest saved weights for the county (`PriorityWeights`); until some
are saved, 0.4 for challenge, 0.4 for maturity and 0.2 for trend. For the map the priority falls in
four classes: very high (75 or more), high (50 to under 75), moderate (25 to under 50), low (under 25).

Everything here is plain Python on plain values, so it can be tested without a database.
"""

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PARTS = ("challenge", "maturity", "trend")
TREND_YEARS = 5
# A change in the index smaller than this (it shows as 0.00) counts as unchanged.
UNCHANGED_BELOW = 0.005
DEFAULT_WEIGHTS = {"challenge": 0.4, "maturity": 0.4, "trend": 0.2}
# Lower bounds of the map classes, highest class first: (class number, lower bound, label).
CLASSES = (
    (4, 75.0, gettext_lazy("very high")),
    (3, 50.0, gettext_lazy("high")),
    (2, 25.0, gettext_lazy("moderate")),
    (1, 0.0, gettext_lazy("low")),
)


@dataclass(frozen=True)
class Weights:
    challenge: float = DEFAULT_WEIGHTS["challenge"]
    maturity: float = DEFAULT_WEIGHTS["maturity"]
    trend: float = DEFAULT_WEIGHTS["trend"]

    @classmethod
    def of(cls, row: object | None) -> "Weights":
        """The weights of a saved `PriorityWeights` row, or the defaults when there is none."""
        if row is None:
            return cls()
        return cls(*(float(getattr(row, part)) for part in PARTS))

    def get(self, part: str) -> float:
        return float(getattr(self, part))


@dataclass(frozen=True)
class Facts:
    """What the priority is computed from, for one municipality."""

    number: str
    index: float | None = None  # challenge index, newest year
    rank: int | None = None  # rank in the county on the index (1 = highest)
    maturity: float | None = None  # 0–100, newest year
    maturity_year: int | None = None
    change: float | None = None  # index newest year − index five years earlier


@dataclass(frozen=True)
class Years:
    """The index years the page compares, and how many municipalities have an index score."""

    latest: int | None
    scored: int = 0

    @property
    def base(self) -> int | None:
        return self.latest - TREND_YEARS if self.latest else None


@dataclass(frozen=True)
class Result:
    parts: dict[str, float | None]
    score: float | None
    used: int  # parts with data and a weight above 0
    possible: int  # parts with a weight above 0
    reason: str = ""
    contributions: dict[str, float] = field(default_factory=dict)

    @property
    def priority_class(self) -> int | None:
        return priority_class(self.score)

    @property
    def class_label(self) -> str:
        return class_label(self.priority_class)


def rounded(value: float | None, digits: int) -> Decimal | None:
    """Rounded half up, once, so the page, the reason and the download show the same figure."""
    if value is None:
        return None
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def shown(value: float, digits: int) -> str:
    return number_format(rounded(value, digits), digits, use_l10n=True)


def share_below(value: float, values: Sequence[float]) -> float | None:
    """The share of the *other* values (all of `values` but one occurrence of `value`) below `value`.

    `values` must hold `value` itself. None when there is nothing to compare with.
    """
    ordered = sorted(values)
    others = len(ordered) - 1
    if others < 1:
        return None
    return bisect_left(ordered, value) / others


def parts(facts: Facts, indices: Sequence[float], changes: Sequence[float]) -> dict[str, float | None]:
    """The three parts (0–1, None when left out) for one municipality; `indices` and `changes` are
    the county's values (this municipality's included)."""
    return {
        "challenge": share_below(facts.index, indices) if facts.index is not None else None,
        "maturity": 1 - min(max(facts.maturity, 0.0), 100.0) / 100 if facts.maturity is not None else None,
        "trend": share_below(facts.change, changes) if facts.change is not None else None,
    }


def weighted(values: dict[str, float | None], weights: Weights) -> dict[str, float]:
    """weight × part for the parts with data and a weight above 0."""
    return {p: weights.get(p) * v for p, v in values.items() if v is not None and weights.get(p) > 0}


def combine(values: dict[str, float | None], weights: Weights) -> float | None:
    """100 × Σ(weight × part) / Σ(weight) over the parts with data; None when there are none."""
    used = weighted(values, weights)
    total = sum(weights.get(p) for p in used)
    if not used or total <= 0:
        return None
    return min(100.0, max(0.0, 100 * sum(used.values()) / total))


def priority_class(score: float | None) -> int | None:
    if score is None:
        return None
    return next(number for number, lower, _label in CLASSES if score >= lower)


def class_label(number: int | None) -> str:
    if number is None:
        return _("no priority")
    return str(next(label for n, _lower, label in CLASSES if n == number))


def direction(change: float | None) -> str | None:
    """ "worse" (the index rose: more challenge), "better" or "same"; None without a change."""
    if change is None:
        return None
    if change >= UNCHANGED_BELOW:
        return "worse"
    if change <= -UNCHANGED_BELOW:
        return "better"
    return "same"


def challenge_phrase(facts: Facts, years: Years) -> str:
    if facts.index is None:
        return _("no challenge index for %(year)s (challenge left out)") % {"year": years.latest or "–"}
    values = {
        "score": shown(facts.index, 1),
        "year": years.latest,
        "rank": facts.rank if facts.rank is not None else "–",
        "count": years.scored,
    }
    # Rank 1 is the highest index (the most challenge) in the county, as on the challenge index page.
    return _("challenge index %(score)s in %(year)s, rank %(rank)s of %(count)s in the county") % values


def maturity_phrase(facts: Facts, years: Years) -> str:
    if facts.maturity is None:
        return _("no published plan assessment yet (maturity left out)")
    values = {"score": shown(facts.maturity, 0), "year": facts.maturity_year}
    return _("planning maturity %(score)s of 100 in %(year)s") % values


def trend_phrase(facts: Facts, years: Years) -> str:
    values = {"base": years.base or "–", "year": years.latest or "–"}
    way = direction(facts.change)
    if way is None:
        return _("an index is missing for %(base)s or %(year)s (trend left out)") % values
    values["change"] = shown(abs(facts.change), 2)
    if way == "worse":
        return _("the index worsened by %(change)s from %(base)s to %(year)s") % values
    if way == "better":
        return _("the index improved by %(change)s from %(base)s to %(year)s") % values
    return _("the index was unchanged from %(base)s to %(year)s") % values


PHRASES = {"challenge": challenge_phrase, "maturity": maturity_phrase, "trend": trend_phrase}


def reason(facts: Facts, values: dict[str, float | None], weights: Weights, years: Years) -> str:
    """One sentence: the parts in order of their weighted contribution, then the parts left out.
    Parts with weight 0 are not part of the priority and are not mentioned."""
    contributions = weighted(values, weights)
    present = sorted(contributions, key=lambda p: (-contributions[p], PARTS.index(p)))
    missing = [p for p in PARTS if p not in contributions and weights.get(p) > 0]
    phrases = [PHRASES[p](facts, years) for p in [*present, *missing]]
    return f"{capfirst('; '.join(phrases))}." if phrases else ""


def compute(all_facts: Sequence[Facts], weights: Weights, years: Years) -> dict[str, Result]:
    """municipality number → its priority, parts, coverage and reason."""
    indices = [f.index for f in all_facts if f.index is not None]
    changes = [f.change for f in all_facts if f.change is not None]
    possible = sum(1 for p in PARTS if weights.get(p) > 0)
    results = {}
    for facts in all_facts:
        values = parts(facts, indices, changes)
        contributions = weighted(values, weights)
        results[facts.number] = Result(
            parts=values,
            score=combine(values, weights),
            used=len(contributions),
            possible=possible,
            reason=reason(facts, values, weights, years),
            contributions=contributions,
        )
    return results
