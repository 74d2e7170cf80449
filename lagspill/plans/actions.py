"""Changes to plans and assessments, each atomic. Views, commands and the demo call these; the
view has checked access and validated the input before."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lagspill.places.models import Municipality

from . import maturity
from .forms import DocumentForm, PlanForm
from .models import (
    Assessment,
    Comment,
    CriteriaSet,
    Criterion,
    Perspective,
    Plan,
    PlanDocument,
    PriorityWeights,
    Score,
)


@transaction.atomic
def save_plan(form: PlanForm, user: Any, municipality: Municipality) -> Plan:
    plan = form.save(commit=False)
    if plan.pk is None:
        plan.municipality = municipality
        plan.created_by = user
    plan.save()
    maturity.recompute(municipality)  # status and dates change what counts
    return plan


@transaction.atomic
def withdraw_plan(plan: Plan) -> None:
    plan.withdrawn_at = timezone.now()
    plan.save(update_fields=["withdrawn_at"])
    maturity.recompute(plan.municipality)


@transaction.atomic
def add_document(form: DocumentForm, user: Any, plan: Plan) -> PlanDocument:
    upload = form.cleaned_data["file"]
    document = PlanDocument(
        plan=plan,
        title=form.cleaned_data["title"],
        original_name=upload.name[:200],
        size=upload.size,
        sha256=form.sha256(),
        uploaded_by=user,
    )
    document.file.save("plan.pdf", upload, save=False)
    document.save()
    return document


def withdraw_document(document: PlanDocument) -> None:
    document.withdrawn_at = timezone.now()
    document.save(update_fields=["withdrawn_at"])


def start_assessment(user: Any, plan: Plan, criteria_set: CriteriaSet, is_demo: bool = False) -> Assessment:
    if plan.assessments.filter(published_at__isnull=True).exists():
        raise ValidationError(_("This plan already has an assessment in progress."))
    return Assessment.objects.create(plan=plan, criteria_set=criteria_set, created_by=user, is_demo=is_demo)


def applying_criteria(assessment: Assessment) -> list[Criterion]:
    """The criteria of the assessment's set that apply to the plan's level (all of them for other plans)."""
    criteria = list(assessment.criteria_set.criteria.all())
    level = assessment.plan.level
    applying = [c for c in criteria if c.applies_to(level)]
    return applying or criteria


@transaction.atomic
def save_scores(user: Any, assessment: Assessment, perspective: str, values: dict[Criterion, dict[str, Any]]) -> int:
    """Store the scores that changed; returns how many did. A locked assessment changes nothing."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_locked:
        raise ValidationError(_("This assessment is published and can no longer be changed."))
    existing = {s.criterion_id: s for s in assessment.scores.filter(perspective=perspective)}
    changed = 0
    for criterion, fields in values.items():
        score = existing.get(criterion.pk) or Score(assessment=assessment, criterion=criterion, perspective=perspective)
        if score.pk and all(getattr(score, k) == v for k, v in fields.items()):
            continue
        for key, value in fields.items():
            setattr(score, key, value)
        score.scored_by, score.scored_at = user, timezone.now()
        score.save()
        changed += 1
    return changed


def missing_scores(assessment: Assessment, perspective: str) -> list[Criterion]:
    scored = set(
        assessment.scores.filter(perspective=perspective, score__isnull=False).values_list("criterion_id", flat=True)
    )
    return [c for c in applying_criteria(assessment) if c.pk not in scored]


@transaction.atomic
def mark_done(assessment: Assessment, perspective: str) -> None:
    """The self-assessment is submitted, or the review completed: every applying criterion must be scored."""
    if assessment.is_locked:
        raise ValidationError(_("This assessment is published and can no longer be changed."))
    if missing_scores(assessment, perspective):
        raise ValidationError(_("Score every criterion before you mark this as done."))
    field = "self_submitted_at" if perspective == Perspective.SELF else "reviewed_at"
    setattr(assessment, field, timezone.now())
    assessment.save(update_fields=[field])


def add_comment(user: Any, assessment: Assessment, criterion: Criterion, perspective: str, body: str) -> Comment:
    if assessment.is_locked:
        raise ValidationError(_("This assessment is published and can no longer be changed."))
    return Comment.objects.create(
        assessment=assessment, criterion=criterion, perspective=perspective, author=user, body=body.strip()
    )


@transaction.atomic
def publish(user: Any, assessment: Assessment) -> None:
    """Publishing locks the assessment for good and counts it in the municipality's maturity."""
    assessment = Assessment.objects.select_for_update().select_related("plan").get(pk=assessment.pk)
    if assessment.is_locked:
        raise ValidationError(_("This assessment is already published."))
    if not assessment.reviewed_at:
        raise ValidationError(_("Complete the County Governor's review before publishing."))
    if not assessment.plan.is_public:
        raise ValidationError(
            _("Only assessments of public plans can be published. Ask the municipality to make the plan public.")
        )
    assessment.published_at, assessment.published_by = timezone.now(), user
    assessment.save(update_fields=["published_at", "published_by"])
    maturity.recompute(assessment.plan.municipality)


def save_priority_weights(form: Any, user: Any, county: Any) -> PriorityWeights:
    weights = form.save(commit=False)
    weights.county, weights.created_by = county, user
    weights.save()
    return weights
