"""Demo plans and assessments for the four project municipalities (LAGSPILL_DEMO=1 only).

A newcomer should see a living example of the situation the County Governor of Nordland's article
describes; the content is data in `demo.toml` (read its header for how it maps to the article).
Everything is marked `is_demo` (pages show a Demo badge) and every evidence text and comment starts
with "Demo: ", so nothing passes for a real quote or a real assessment.

Plans go through the same form and actions people use (save_plan, start_assessment, save_scores,
mark_done, add_comment, publish), so the demo obeys the same rules. Idempotent: a demo plan that
exists (same municipality and title) is left as it is, with its assessments.
"""

import datetime
import tomllib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from lagspill.organisations.demo import ensure_demo
from lagspill.places.models import Municipality

from . import actions, criteria, maturity
from .forms import PlanForm
from .models import Assessment, Comment, CriteriaSet, Criterion, Perspective, Plan, Score

PATH = Path(__file__).with_name("demo.toml")
GOVERNOR = "statsforvalter@example.org"
DEMO_PREFIX = "Demo: "
PLAN_FIELDS = ("level", "kind", "title", "status", "started_on", "consultation_on", "adopted_on")


def read(path: Path = PATH) -> list[dict[str, Any]]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["municipality"]


def demo_users(municipalities: list[dict[str, Any]]) -> dict[str, Any]:
    """The demo accounts by e-mail; organisations/demo.py makes them when they are missing."""
    emails = {GOVERNOR} | {m["editor"] for m in municipalities}
    users = {u.email: u for u in get_user_model().objects.filter(email__in=emails)}
    if len(users) < len(emails):
        ensure_demo()
        users = {u.email: u for u in get_user_model().objects.filter(email__in=emails)}
    return users


def default_criteria() -> CriteriaSet:
    """The newest shipped default in use (loaded from criteria.toml if the database has none)."""
    shipped = CriteriaSet.objects.in_use().filter(county__isnull=True, slug=CriteriaSet.DEFAULT)
    return shipped.order_by("-version").first() or criteria.sync()


def plan_form(spec: dict[str, Any]) -> PlanForm:
    """The plan goes through the form people use, so demo dates obey the same rules."""
    data = {name: str(spec[name]) for name in PLAN_FIELDS if name in spec}
    data.update(period_start=spec["period"][0], period_end=spec["period"][1], is_public="on")
    form = PlanForm(data, instance=Plan(is_demo=True))
    if not form.is_valid():
        raise ValueError(f"Demo plan {spec['title']!r}: {form.errors.as_json()}")
    return form


def scores_for(assessment: Assessment, spec: dict[str, Any], perspective: str) -> dict[Criterion, dict[str, Any]]:
    """Every applying criterion scored: the round's default for the side, or the criterion's own."""
    side = 0 if perspective == Perspective.SELF else 1
    default = spec["self"] if side == 0 else spec["review"]
    evidence = spec.get("evidence", {}) if side == 0 else {}
    return {
        criterion: {
            "score": spec.get("scores", {}).get(criterion.code, (default, default))[side],
            "evidence_quote": DEMO_PREFIX + evidence[criterion.code] if criterion.code in evidence else "",
        }
        for criterion in actions.applying_criteria(assessment)
    }


def backdate(assessment: Assessment, day: datetime.date) -> None:
    """The actions stamp the present moment; a historical demo round shows its own date instead."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Assessment.objects.filter(pk=assessment.pk).update(
        created_at=moment, self_submitted_at=moment, reviewed_at=moment, published_at=moment
    )
    Score.objects.filter(assessment=assessment).update(scored_at=moment)
    Comment.objects.filter(assessment=assessment).update(created_at=moment)


def add_comments(assessment: Assessment, spec: dict[str, Any], authors: dict[str, Any]) -> None:
    by_code = {c.code: c for c in assessment.criteria_set.criteria.all()}
    for code, perspective, body in spec.get("comments", []):
        actions.add_comment(authors[perspective], assessment, by_code[code], perspective, DEMO_PREFIX + body)


def add_assessment(plan: Plan, criteria_set: CriteriaSet, spec: dict[str, Any], authors: dict[str, Any]) -> None:
    """One round, both sides scored and done, the right of reply used, then published."""
    assessment = actions.start_assessment(authors[Perspective.SELF], plan, criteria_set, is_demo=True)
    assessment.assessed_on = spec["on"]
    assessment.save(update_fields=["assessed_on"])
    for perspective in (Perspective.SELF, Perspective.REVIEW):
        actions.save_scores(authors[perspective], assessment, perspective, scores_for(assessment, spec, perspective))
        actions.mark_done(assessment, perspective)
    add_comments(assessment, spec, authors)
    actions.publish(authors[Perspective.REVIEW], assessment)
    backdate(assessment, spec["on"])


def ensure_municipality(spec: dict[str, Any], users: dict[str, Any], criteria_set: CriteriaSet) -> list[Plan]:
    municipality = Municipality.objects.get(number=spec["number"])
    authors = {Perspective.SELF: users[spec["editor"]], Perspective.REVIEW: users[GOVERNOR]}
    created = []
    for plan_spec in spec["plan"]:
        if Plan.objects.filter(municipality=municipality, title=plan_spec["title"], is_demo=True).exists():
            continue
        plan = actions.save_plan(plan_form(plan_spec), authors[Perspective.SELF], municipality)
        for assessment_spec in plan_spec.get("assessment", []):
            add_assessment(plan, criteria_set, assessment_spec, authors)
        created.append(plan)
    maturity.recompute(municipality)
    return created


@transaction.atomic
def ensure_demo_plans(path: Path = PATH) -> list[Plan]:
    """Create the missing demo plans with their published assessments; returns the plans created."""
    if not settings.DEMO:
        raise RuntimeError("Demo content needs LAGSPILL_DEMO=1.")
    municipalities = read(path)
    users, criteria_set = demo_users(municipalities), default_criteria()
    return [plan for spec in municipalities for plan in ensure_municipality(spec, users, criteria_set)]
