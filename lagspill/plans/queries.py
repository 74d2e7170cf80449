"""What the plan pages read: one query per kind of row, filtered through the access module."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from lagspill.organisations import access
from lagspill.places.models import Municipality

from .models import CORE_LEVELS, Assessment, Level, Maturity, Plan, PlanDocument


@dataclass
class LevelRow:
    level: str
    label: str
    plans: list[Plan] = field(default_factory=list)


def visible_plans(user: Any, municipality: Municipality, withdrawn: bool = False) -> list[Plan]:
    plans = access.visible(user, Plan.objects.filter(municipality=municipality)).select_related("municipality")
    plans = plans.filter(withdrawn_at__isnull=not withdrawn)
    latest = Prefetch(
        "assessments",
        queryset=access.visible(user, Assessment.objects.order_by("-assessed_on", "-pk")).prefetch_related(
            "scores", "criteria_set__criteria"
        ),
        to_attr="seen_assessments",
    )
    return list(plans.prefetch_related(latest).order_by("level", "-period_start", "title"))


def by_level(plans: list[Plan]) -> tuple[list[LevelRow], list[Plan]]:
    """The core levels in plan-system order (empty ones too) and the other plans."""
    rows = [LevelRow(level, Level(level).label) for level in CORE_LEVELS]
    index = {row.level: row for row in rows}
    others = []
    for plan in plans:
        (index[plan.level].plans if plan.level in index else others).append(plan)
    return rows, others


def maturity_series(municipality: Municipality) -> list[Maturity]:
    return list(Maturity.objects.filter(municipality=municipality).order_by("year"))


def documents(user: Any, plan: Plan) -> list[PlanDocument]:
    rows = plan.documents.select_related("uploaded_by").order_by("uploaded_at", "pk")
    if not access.sees_municipality_private(user, plan.municipality):
        rows = rows.filter(withdrawn_at__isnull=True)
    return list(rows)
