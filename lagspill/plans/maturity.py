"""Planning maturity: how well social housing work is anchored across a municipality's plans.

For the end of each year (today for this year), per core plan level: the newest published
assessment of a plan of that level, as the share of the possible weighted score on the criteria
that apply to the level (the County Governor's review where given, else the self-assessment),
times a factor for the plan's status on that day (adopted 1, on consultation or expired 0.5, being
prepared 0.25). Levels without an assessed plan count 0. Maturity is the level-weighted mean,
0–100 (`CORE_LEVELS` holds the level weights). Explained on the method page.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from lagspill.places.models import Municipality

from .models import CORE_LEVELS, STATUS_FACTOR, Assessment, Criterion, Maturity, Perspective, Score


def effective_scores(scores: Iterable[Score]) -> dict[int, int]:
    """criterion id → score: the County Governor's review where given, else the self-assessment."""
    chosen: dict[int, int] = {}
    for score in sorted(scores, key=lambda s: s.perspective == Perspective.REVIEW):
        if score.score is not None:
            chosen[score.criterion_id] = score.score
    return chosen


def share(criteria: Iterable[Criterion], scores: dict[int, int], level: str) -> float | None:
    """The weighted share (0–1) of the possible score on the criteria applying to `level`."""
    applying = [c for c in criteria if c.applies_to(level) and c.weight > 0]
    possible = sum(c.weight * 3 for c in applying)
    if not possible:
        return None
    return sum(c.weight * scores.get(c.pk, 0) for c in applying) / possible


@dataclass(frozen=True)
class LevelResult:
    level: str
    score: float  # 0–100
    status: str | None = None
    assessment_id: int | None = None
    plan_title: str = ""


def level_result(level: str, assessments: list[Assessment], day: datetime.date) -> LevelResult:
    candidates = [a for a in assessments if a.plan.level == level and a.assessed_on <= day]
    if not candidates:
        return LevelResult(level, 0.0)
    newest = max(candidates, key=lambda a: (a.assessed_on, a.pk))
    status = newest.plan.status_on(day)
    value = share(newest.criteria_set.criteria.all(), effective_scores(newest.scores.all()), level) or 0.0
    return LevelResult(level, 100 * value * STATUS_FACTOR[status], status, newest.pk, newest.plan.title)


def maturity_on(assessments: list[Assessment], day: datetime.date) -> tuple[float, list[LevelResult]]:
    results = [level_result(level, assessments, day) for level in CORE_LEVELS]
    total = sum(CORE_LEVELS.values())
    return sum(CORE_LEVELS[r.level] * r.score for r in results) / total, results


def published_assessments(municipality: Municipality) -> list[Assessment]:
    return list(
        Assessment.objects.published()
        .filter(plan__municipality=municipality, plan__withdrawn_at__isnull=True, plan__is_public=True)
        .select_related("plan", "criteria_set")
        .prefetch_related("scores", "criteria_set__criteria")
    )


def year_end(year: int, today: datetime.date) -> datetime.date:
    return min(datetime.date(year, 12, 31), today)


@transaction.atomic
def recompute(municipality: Municipality) -> list[Maturity]:
    """Rebuild the municipality's maturity rows from its published assessments (derived data only)."""
    today = timezone.localdate()
    assessments = published_assessments(municipality)
    Maturity.objects.filter(municipality=municipality).delete()
    if not assessments:
        return []
    first = min(a.assessed_on.year for a in assessments)
    rows = []
    for year in range(first, today.year + 1):
        score, levels = maturity_on(assessments, year_end(year, today))
        detail = {
            r.level: {"score": round(r.score, 1), "status": r.status, "assessment": r.assessment_id} for r in levels
        }
        rows.append(Maturity(municipality=municipality, year=year, score=round(score, 1), levels=detail))
    return Maturity.objects.bulk_create(rows)
