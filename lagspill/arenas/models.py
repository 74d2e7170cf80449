"""Interdisciplinary arenas: who takes part (municipal roles, and organisations such as the user
organisation, Husbanken or the County Governor), their meetings with agenda, minutes and
attendance, numbered decisions, and action items owned by a role.

A municipality runs its own arenas; the County Governor runs county network arenas across
municipalities (`county` set instead of `municipality`). Nothing is deleted by people: arenas
are closed, members leave (`left_on`), meetings are cancelled, decisions and actions withdrawn.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lagspill.continuity.models import Role
from lagspill.lib.text import fold
from lagspill.organisations.models import Organisation
from lagspill.places.models import County, Municipality


class Rhythm(models.TextChoices):
    WEEKLY = "ukentlig", _("Weekly")
    MONTHLY = "manedlig", _("Monthly")
    EVERY_OTHER_MONTH = "annenhver-maned", _("Every other month")
    QUARTERLY = "kvartalsvis", _("Quarterly")
    HALF_YEARLY = "halvarlig", _("Twice a year")
    YEARLY = "arlig", _("Yearly")
    AD_HOC = "ved-behov", _("When needed")


class ArenaQuerySet(models.QuerySet["Arena"]):
    def open(self) -> "ArenaQuerySet":
        return self.filter(closed_at__isnull=True)


class Arena(models.Model):
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="arenas"
    )
    county = models.ForeignKey(
        County,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="network_arenas",
        help_text="set for the County Governor's network arenas across municipalities",
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"))
    rhythm = models.CharField(_("meeting rhythm"), max_length=20, choices=Rhythm.choices, default=Rhythm.QUARTERLY)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Public arenas, their meetings and decisions are open to everyone.")
    )
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ArenaQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("arena")
        verbose_name_plural = _("arenas")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(municipality__isnull=True, county__isnull=False)
                | models.Q(municipality__isnull=False, county__isnull=True),
                name="arena_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("arenas:arena", args=[self.pk])

    @property
    def owner_county(self) -> County:
        return self.county if self.county_id else self.municipality.county


class MemberQuerySet(models.QuerySet["ArenaMember"]):
    def current(self, day: datetime.date | None = None) -> "MemberQuerySet":
        day = day or timezone.localdate()
        return self.filter(joined_on__lte=day).filter(models.Q(left_on__isnull=True) | models.Q(left_on__gte=day))


class ArenaMember(models.Model):
    """A seat in an arena: a municipal role, or an organisation (user organisation, Husbanken,
    the County Governor, or a municipality in a county network)."""

    arena = models.ForeignKey(Arena, on_delete=models.PROTECT, related_name="members")
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.PROTECT, related_name="arena_seats")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="arena_seats"
    )
    joined_on = models.DateField(_("member from"))
    left_on = models.DateField(_("member to"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["arena", "joined_on", "pk"]
        verbose_name = _("arena member")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__isnull=True, organisation__isnull=False)
                | models.Q(role__isnull=False, organisation__isnull=True),
                name="arena_member_is_role_or_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("joined_on")),
                name="arena_member_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return str(self.role or self.organisation)


class Meeting(models.Model):
    arena = models.ForeignKey(Arena, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["arena", "starts_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.arena} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("arenas:meeting", args=[self.arena_id, self.pk])


class Attendance(models.Model):
    """Who was there, by seat (role or organisation)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey(ArenaMember, on_delete=models.PROTECT, related_name="attendance")
    present = models.BooleanField(_("present"))
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_seat")]

    def __str__(self) -> str:
        return f"{self.member}: {self.present}"


class Decision(models.Model):
    """A numbered decision ("4/2026": the fourth of the arena's decisions that year)."""

    arena = models.ForeignKey(Arena, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    text = models.TextField(_("decision"))
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["arena", "-year", "-number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [models.UniqueConstraint(fields=["arena", "year", "number"], name="one_decision_number")]

    def __str__(self) -> str:
        return f"{self.label} {self.text[:60]}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = fold(self.text)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"{self.number}/{self.year}"


class ActionStatus(models.TextChoices):
    OPEN = "apen", _("Not started")
    IN_PROGRESS = "pagar", _("In progress")
    DONE = "ferdig", _("Done")
    CANCELLED = "avbrutt", _("Cancelled")


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionQuerySet(models.QuerySet["ActionItem"]):
    def open(self) -> "ActionQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date) -> "ActionQuerySet":
        return self.open().filter(due_on__lt=today)


class ActionItem(models.Model):
    """A follow-up with an owner: a municipal role, or (in county networks) an organisation."""

    arena = models.ForeignKey(Arena, on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    owner_role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.PROTECT, related_name="actions", verbose_name=_("owner role")
    )
    owner_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    status_note = models.CharField(_("note"), max_length=500, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_role__isnull=False) | models.Q(owner_organisation__isnull=False),
                name="action_has_owner",
            )
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status in OPEN_STATUSES and self.due_on < today
