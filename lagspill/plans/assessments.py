"""The side-by-side view of an assessment: per criterion the municipality's score and the County
Governor's, their evidence, whether they differ, and the comment thread (the right of reply)."""

from dataclasses import dataclass, field
from typing import Any

from lagspill.organisations import access

from . import actions
from .maturity import effective_scores, share
from .models import Assessment, Comment, Criterion, Perspective, Plan, Score


@dataclass
class Row:
    criterion: Criterion
    own: Score | None
    review: Score | None
    comments: list[Comment] = field(default_factory=list)

    @property
    def difference(self) -> int | None:
        """How far apart the two scores are, when both are given."""
        if self.own and self.review and self.own.score is not None and self.review.score is not None:
            return abs(self.own.score - self.review.score)
        return None


@dataclass
class SideBySide:
    rows: list[Row]
    criteria: list[Criterion]
    own_share: float | None
    review_share: float | None
    result_share: float | None
    differing: int
    may_score_own: bool
    may_score_review: bool
    may_comment: bool
    may_publish: bool
    status: str


def status_of(assessment: Assessment) -> str:
    if assessment.published_at:
        return "published"
    if assessment.reviewed_at:
        return "reviewed"
    if assessment.self_submitted_at:
        return "submitted"
    return "draft"


def side_share(scores: list[Score], perspective: str, criteria: list[Criterion], level: str) -> float | None:
    mine = {s.criterion_id: s.score for s in scores if s.perspective == perspective and s.score is not None}
    return share(criteria, mine, level) if mine else None


def side_by_side(user: Any, assessment: Assessment) -> SideBySide:
    criteria = actions.applying_criteria(assessment)
    scores = list(assessment.scores.select_related("criterion", "scored_by"))
    comments = list(assessment.comments.select_related("author").order_by("created_at", "pk"))
    by_key = {(s.criterion_id, s.perspective): s for s in scores}
    rows = [
        Row(
            c,
            by_key.get((c.pk, Perspective.SELF)),
            by_key.get((c.pk, Perspective.REVIEW)),
            [m for m in comments if m.criterion_id == c.pk],
        )
        for c in criteria
    ]
    level = assessment.plan.level if any(c.applies_to(assessment.plan.level) for c in criteria) else None
    level = level or (criteria[0].levels[0] if criteria and criteria[0].levels else "")
    return SideBySide(
        rows=rows,
        criteria=criteria,
        own_share=side_share(scores, Perspective.SELF, criteria, level),
        review_share=side_share(scores, Perspective.REVIEW, criteria, level),
        result_share=share(criteria, effective_scores(scores), level) if scores else None,
        differing=sum(1 for r in rows if r.difference),
        may_score_own=access.may_score(user, assessment, Perspective.SELF),
        may_score_review=access.may_score(user, assessment, Perspective.REVIEW),
        may_comment=commenting_side(user, assessment) is not None,
        may_publish=access.may_publish(user, assessment) and assessment.reviewed_at is not None,
        status=status_of(assessment),
    )


def commenting_side(user: Any, assessment: Assessment) -> str | None:
    """The side a person speaks for in the comment thread: the County Governor's or the municipality's."""
    if access.may_score(user, assessment, Perspective.REVIEW):
        return Perspective.REVIEW
    if access.may_score(user, assessment, Perspective.SELF):
        return Perspective.SELF
    return None


def may_start(user: Any, plan: Plan) -> bool:
    """The municipality's editors (to self-assess) and the County Governor (to review) open a round."""
    if plan.withdrawn_at is not None:
        return False
    return access.edits_municipality(user, plan.municipality) or access.governs(user, plan.municipality.county)
