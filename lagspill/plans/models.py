"""Plans where social housing work is anchored, the criteria they are assessed against, the
assessments (the municipality's own and the County Governor's review), and precomputed planning
maturity and priority weights.

Nothing here is deleted by people: plans and documents are withdrawn (`withdrawn_at`), criteria
sets retired (`retired_at`), published assessments locked. Every edited model keeps history.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lagspill.places.models import County, Municipality

LANGUAGES = ("nb", "nn", "en")
SCALE = (0, 1, 2, 3)


def localised(obj: object, field: str) -> str:
    return getattr(obj, f"{field}_{get_language() or 'nb'}", "") or getattr(obj, f"{field}_nb")


class Level(models.TextChoices):
    """Plan levels, in the order of the plan system (pbl § 10-1 and chapter 11)."""

    STRATEGY = "planstrategi", _("Planning strategy")
    COMMUNITY = "samfunnsdel", _("Master plan, community part")
    LAND_USE = "arealdel", _("Master plan, land-use part")
    ACTION = "handlingsdel", _("Action part and economy plan")
    HOUSING = "boligplan", _("Housing plan")
    OTHER = "annen", _("Other plan")


# Levels shown in the matrix and counted in maturity, with their weight in the maturity formula.
CORE_LEVELS: dict[str, float] = {
    Level.STRATEGY: 1.0,
    Level.COMMUNITY: 1.0,
    Level.LAND_USE: 0.5,
    Level.ACTION: 1.0,
    Level.HOUSING: 1.5,
}


class Status(models.TextChoices):
    NOT_STARTED = "ikke-startet", _("Not started")
    PREPARING = "under-arbeid", _("Being prepared")
    CONSULTATION = "horing", _("On public consultation")
    ADOPTED = "vedtatt", _("Adopted")
    EXPIRED = "utgatt", _("Expired, needs revision")


# How much of an assessed plan counts towards maturity, by its status (see the method page).
STATUS_FACTOR: dict[str, float] = {
    Status.NOT_STARTED: 0.0,
    Status.PREPARING: 0.25,
    Status.CONSULTATION: 0.5,
    Status.ADOPTED: 1.0,
    Status.EXPIRED: 0.5,
}


class PlanQuerySet(models.QuerySet["Plan"]):
    def active(self) -> "PlanQuerySet":
        return self.filter(withdrawn_at__isnull=True)


class Plan(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="plans")
    level = models.CharField(_("plan level"), max_length=20, choices=Level.choices)
    kind = models.CharField(
        _("kind of plan"),
        max_length=120,
        blank=True,
        help_text=_("For a housing plan: boligpolitisk plan, boligsosial handlingsplan or boligplan."),
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.PositiveSmallIntegerField(_("first year of the period"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("last year of the period"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PREPARING)
    started_on = models.DateField(_("work started"), null=True, blank=True)
    consultation_on = models.DateField(_("sent on public consultation"), null=True, blank=True)
    adopted_on = models.DateField(_("adopted"), null=True, blank=True)
    revision_due = models.DateField(_("next revision due"), null=True, blank=True)
    case_number = models.CharField(_("case number"), max_length=60, blank=True)
    decision_url = models.URLField(_("link to the decision"), blank=True)
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Public plans and their published assessments are open to everyone.")
    )
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__number", "level", "-period_start", "title"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="plan_period_in_order",
            )
        ]
        indexes = [models.Index(fields=["municipality", "level"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan", args=[self.municipality.number, self.pk])

    @property
    def period(self) -> str:
        if self.period_start and self.period_end:
            return f"{self.period_start}–{self.period_end}"
        return str(self.period_start or self.period_end or "")

    def status_on(self, day: datetime.date) -> str:
        """The status on a past day, from the dates (used for maturity over time)."""
        if day >= timezone.localdate():
            return self.status
        if self.revision_due and day > self.revision_due and self.adopted_on and self.adopted_on <= day:
            return Status.EXPIRED
        for date, status in (
            (self.adopted_on, Status.ADOPTED),
            (self.consultation_on, Status.CONSULTATION),
            (self.started_on, Status.PREPARING),
        ):
            if date and date <= day:
                return status
        return Status.NOT_STARTED


def document_path(document: "PlanDocument", filename: str) -> str:
    # The stored name is ours, not the uploader's: nothing they type reaches the file system.
    return f"plans/{document.plan.municipality.number}/{document.plan_id}/{document.sha256[:16]}.pdf"


class PlanDocument(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("plan document")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:document", args=[self.plan.municipality.number, self.plan_id, self.pk])


class GoalQuerySet(models.QuerySet["Goal"]):
    def active(self) -> "GoalQuerySet":
        return self.filter(retired_at__isnull=True)


class Goal(models.Model):
    """A goal in a plan (Veiviseren: goals, strategies, measures). Measures link to goals, so the
    social housing work is anchored in the plan; a goal is retired, never deleted."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="goals")
    number = models.CharField(_("number"), max_length=20, blank=True, help_text=_("As in the plan, e.g. “2.1”."))
    text = models.CharField(_("goal"), max_length=500)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "number", "pk"]
        verbose_name = _("plan goal")
        verbose_name_plural = _("plan goals")

    def __str__(self) -> str:
        return f"{self.number} {self.text}".strip()


class CriteriaSetQuerySet(models.QuerySet["CriteriaSet"]):
    def in_use(self) -> "CriteriaSetQuerySet":
        return self.filter(retired_at__isnull=True)

    def for_county(self, county: County) -> "CriteriaSetQuerySet":
        return self.filter(models.Q(county=county) | models.Q(county__isnull=True))


class CriteriaSet(models.Model):
    """One version of a set of criteria. A change makes a new version; assessments keep theirs."""

    slug = models.SlugField(max_length=80)
    version = models.PositiveSmallIntegerField(default=1)
    county = models.ForeignKey(
        County,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="criteria_sets",
        help_text="empty for the default set shipped with Lagspill",
    )
    name_nb = models.CharField(max_length=200)
    name_nn = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = CriteriaSetQuerySet.as_manager()

    DEFAULT = "standard"

    class Meta:
        ordering = ["county__number", "slug", "-version"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="unique_criteria_set_version")]

    def __str__(self) -> str:
        return _("%(name)s (version %(version)s)") % {"name": self.name, "version": self.version}

    @property
    def name(self) -> str:
        return localised(self, "name")


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="criteria")
    code = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    text_nb = models.TextField()
    text_nn = models.TextField()
    text_en = models.TextField()
    guidance_nb = models.TextField(blank=True)
    guidance_nn = models.TextField(blank=True)
    guidance_en = models.TextField(blank=True)
    levels = models.JSONField(default=list, help_text="the plan levels the criterion applies to")
    weight = models.FloatField(default=1.0)
    scale = models.JSONField(default=dict, help_text="language → the meaning of score 0, 1, 2 and 3")
    history = HistoricalRecords()

    class Meta:
        ordering = ["criteria_set", "position"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="unique_criterion_code")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return localised(self, "text")

    @property
    def guidance(self) -> str:
        return localised(self, "guidance")

    def meanings(self) -> list[str]:
        language = get_language() or "nb"
        return self.scale.get(language) or self.scale.get("nb", [])

    def applies_to(self, level: str) -> bool:
        return level in self.levels


class Perspective(models.TextChoices):
    SELF = "egen", _("The municipality's self-assessment")
    REVIEW = "statsforvalter", _("The County Governor's review")


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def published(self) -> "AssessmentQuerySet":
        return self.filter(published_at__isnull=False)


class Assessment(models.Model):
    """One assessment round of a plan against a criteria set, holding both perspectives."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="assessments")
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField(_("assessment date"), default=timezone.localdate)
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    self_submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            # One open round per plan at a time; published rounds stay as they are.
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(published_at__isnull=True), name="one_open_assessment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} ({self.assessed_on})"

    def get_absolute_url(self) -> str:
        return reverse("plans:assessment", args=[self.plan.municipality.number, self.plan_id, self.pk])

    @property
    def is_locked(self) -> bool:
        return self.published_at is not None


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    evidence_quote = models.TextField(_("quote from the plan"), blank=True)
    evidence_page = models.CharField(_("page"), max_length=20, blank=True)
    evidence_url = models.URLField(_("link to the evidence"), blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion", "perspective"], name="one_score_per_perspective"
            ),
            models.CheckConstraint(condition=models.Q(score__lte=3), name="score_on_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code} {self.perspective}: {self.score}"

    @property
    def meaning(self) -> str:
        """What the score means for this criterion, in the reader's language."""
        meanings = self.criterion.meanings()
        return meanings[self.score] if self.score is not None and self.score < len(meanings) else ""


class Comment(models.Model):
    """The right of reply: a thread per criterion in an assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="comments")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="comments")
    perspective = models.CharField(
        max_length=20, choices=Perspective.choices, help_text="the side the author speaks for"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class Maturity(models.Model):
    """Planning maturity of one municipality at the end of one year (precomputed; see plans/maturity.py)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="maturity")
    year = models.PositiveSmallIntegerField()
    score = models.FloatField(help_text="0–100")
    levels = models.JSONField(default=dict, help_text="level → {score, status, assessment}")

    class Meta:
        ordering = ["municipality", "year"]
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="unique_maturity_year")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year}: {self.score:.0f}"


class PriorityWeights(models.Model):
    """The County Governor's weights for the needs-based priority; the newest row for a county is in force."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="priority_weights")
    challenge = models.FloatField(_("weight of the challenge index"), default=0.4)
    maturity = models.FloatField(_("weight of low planning maturity"), default=0.4)
    trend = models.FloatField(_("weight of a worsening trend"), default=0.2)
    note = models.TextField(_("reason for the change"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["county", "-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.county}: {self.challenge}/{self.maturity}/{self.trend}"
