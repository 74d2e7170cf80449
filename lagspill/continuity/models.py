"""Roles in a municipality's social housing work, who held them when, and the anchoring tasks that
carry the work over when people change.

A `Role` is the municipality's own (made from the shipped catalogue `roles.toml` or its own);
a `Holding` is one person's (or a vacancy's) time in it; an `AnchoringTask` is one thing a new
holder, or the municipality after an election or each year, must do. People are employees:
name and work e-mail only, and `Person.anonymise` removes even those without losing the history
of the role. Nothing here is deleted by people: roles are retired, holdings and tasks withdrawn.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lagspill.places.models import Municipality
from lagspill.plans.models import Plan


class Department(models.TextChoices):
    """Where a role sits; the arena coverage matrix counts these."""

    ADMINISTRATION = "administrasjon", _("Chief executive's office")
    HOUSING = "bolig", _("Property and housing")
    NAV = "nav", _("NAV office")
    HEALTH = "helse-omsorg", _("Health and care")
    CHILD_WELFARE = "barnevern", _("Child welfare")
    PLANNING = "plan", _("Planning")
    FINANCE = "okonomi", _("Finance")
    REFUGEES = "flyktning", _("Refugee service")
    POLITICAL = "politisk", _("Political leadership")
    USERS = "bruker", _("User representatives")
    OTHER = "annen", _("Other")


class RoleQuerySet(models.QuerySet["Role"]):
    def active(self) -> "RoleQuerySet":
        return self.filter(retired_at__isnull=True)


class Role(models.Model):
    """A role in this municipality's social housing work. `kind` is the catalogue key it was made
    from (blank for the municipality's own); a blank name or responsibilities text shows the
    catalogue's, in the reader's language."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="roles")
    kind = models.CharField(_("role in the catalogue"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=20, choices=Department.choices)
    responsibilities = models.TextField(_("responsibilities in this work"), blank=True)
    handover_note = models.TextField(_("handover note"), blank=True, help_text=_("What the next holder must know."))
    handover_updated_at = models.DateTimeField(null=True, blank=True)
    is_elected = models.BooleanField(_("elected role"), default=False)
    single_holder = models.BooleanField(
        _("one holder at a time"), default=True, help_text=_("Holders of this role may not overlap in time.")
    )
    plans = models.ManyToManyField(Plan, blank=True, related_name="owner_roles", verbose_name=_("plans it owns"))
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[plans])

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__number", "department", "name", "pk"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind"],
                condition=~models.Q(kind=""),
                name="one_role_per_catalogue_kind",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("continuity:role", args=[self.municipality.number, self.pk])

    @property
    def display_name(self) -> str:
        from .catalogue import catalogue  # the catalogue reads a data file once

        if self.name:
            return self.name
        entry = catalogue().get(self.kind)
        return entry.name if entry else self.kind

    @property
    def display_responsibilities(self) -> str:
        from .catalogue import catalogue

        if self.responsibilities:
            return self.responsibilities
        entry = catalogue().get(self.kind)
        return entry.responsibilities if entry else ""


class PersonQuerySet(models.QuerySet["Person"]):
    def for_user(self, user: object) -> "PersonQuerySet":
        """The person records of a signed-in user: matched by work e-mail, never for anonymised people."""
        email = (getattr(user, "email", "") or "").strip().lower()
        if not email:
            return self.none()
        return self.filter(email=email, anonymised_at__isnull=True)


class Person(models.Model):
    """An employee or elected representative holding roles: name and work e-mail only."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="people")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("work e-mail"), blank=True, help_text=_("Used to find their tasks when they sign in."))
    anonymised_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return str(_("Anonymised person")) if self.anonymised_at else self.name


class HoldingQuerySet(models.QuerySet["Holding"]):
    def active(self) -> "HoldingQuerySet":
        """Holdings not withdrawn (a withdrawn one was entered by mistake and is kept for history only)."""
        return self.filter(withdrawn_at__isnull=True)

    def on(self, day: datetime.date) -> "HoldingQuerySet":
        still = models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day)
        return self.active().filter(still, starts_on__lte=day)


class Holding(models.Model):
    """One person's time in a role, or a vacancy (no person), from and to (inclusive)."""

    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="holdings")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="holdings")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = HoldingQuerySet.as_manager()

    class Meta:
        ordering = ["role", "starts_on", "pk"]
        verbose_name = _("role holder")
        verbose_name_plural = _("role holders")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="holding_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.person or _('vacant')} {self.starts_on}–{self.ends_on or ''}"

    @property
    def is_vacancy(self) -> bool:
        return self.person_id is None

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class Origin(models.TextChoices):
    HANDOVER = "overtakelse", _("New holder")
    ELECTION = "valg", _("After the local election")
    YEARLY = "arlig", _("Yearly review")
    MANUAL = "manuell", _("Added by hand")


class TaskQuerySet(models.QuerySet["AnchoringTask"]):
    def active(self) -> "TaskQuerySet":
        return self.filter(withdrawn_at__isnull=True)

    def open(self) -> "TaskQuerySet":
        return self.active().filter(done_at__isnull=True)

    def overdue(self, today: datetime.date) -> "TaskQuerySet":
        return self.open().filter(due_on__lt=today)


class AnchoringTask(models.Model):
    """One anchoring step. `template` names the kind of step (see `anchoring.py`), so its title is
    shown in the reader's language; `subject` is what it is about (a plan's or an arena's title)
    and `link` where to do it. Recurring tasks carry a `period` and are made once per period."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="anchoring_tasks")
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    holding = models.ForeignKey(Holding, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    assignee = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    template = models.CharField(max_length=40, blank=True)
    title = models.CharField(_("task"), max_length=200, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    link = models.CharField(max_length=300, blank=True)
    period = models.CharField(max_length=20, blank=True)
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_note = models.CharField(_("note"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("anchoring task")
        verbose_name_plural = _("anchoring tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "origin", "template", "period"],
                condition=~models.Q(period=""),
                name="one_recurring_task_per_period",
            )
        ]
        indexes = [models.Index(fields=["municipality", "done_at"])]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        from .anchoring import title_for  # the templates live with the package logic

        return self.title or title_for(self.template, self.subject)

    def is_overdue(self, today: datetime.date) -> bool:
        return self.done_at is None and self.withdrawn_at is None and self.due_on < today


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A personal iCalendar address. Only the token's hash is stored: the address is shown once,
    when made; a new one revokes the old."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar feed")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
