"""From need to measures: the yearly housing needs mapping (boligsosial lov § 5), measures linked to
plan goals, the use of Husbanken's instruments per year, and housing projects that close the gap.

The mapping stores counts only (no personal data): one `NeedsFigure` per code in `needs.toml`. A
missing figure means "not mapped", never zero. Counts of households are protected outside the owning
municipality (`suppression.py`). Nothing here is deleted by people: mappings, measures, instrument
figures and projects are withdrawn (`withdrawn_at`) and every change is kept in history.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from lagspill.continuity.models import Role
from lagspill.indicators.models import Indicator
from lagspill.places.models import Municipality
from lagspill.plans.models import Goal

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


def nok(verbose_name: str) -> models.DecimalField:
    """An amount in whole kroner, unknown (null) rather than zero when not given."""
    return models.DecimalField(
        verbose_name, max_digits=14, decimal_places=0, null=True, blank=True, validators=[MinValueValidator(0)]
    )


class DwellingType(models.TextChoices):
    """The dwelling types of the needs overview and of housing projects (codes as in needs.toml)."""

    ORDINARY = "ordinaer", _("Ordinary rental dwelling")
    ADAPTED = "tilpasset", _("Adapted dwelling")
    SERVICES = "tjenester", _("Dwelling with services")
    EMERGENCY = "akutt", _("Emergency dwelling")


class ActiveQuerySet(models.QuerySet):
    def active(self) -> "ActiveQuerySet":
        return self.filter(withdrawn_at__isnull=True)


# --- Needs mapping --------------------------------------------------------------------------------
class NeedsMapping(models.Model):
    """One municipality's needs mapping for one year. Published mappings are open to everyone
    (with small numbers suppressed); unpublished ones are the municipality's working material."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="needs_mappings")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    note = models.TextField(_("how the mapping was made"), blank=True)
    is_public = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Published mappings are open to everyone, with small numbers hidden."),
    )
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__number", "-year"]
        verbose_name = _("needs mapping")
        verbose_name_plural = _("needs mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_needs_mapping_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("measures:needs", args=[self.municipality.number]) + f"?ar={self.year}"


class NeedsFigure(models.Model):
    """One count of a mapping; `code` is a figure code from needs.toml."""

    mapping = models.ForeignKey(NeedsMapping, on_delete=models.PROTECT, related_name="figures")
    code = models.CharField(max_length=60)
    value = models.PositiveIntegerField(validators=[MaxValueValidator(1_000_000)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["mapping", "code"]
        constraints = [models.UniqueConstraint(fields=["mapping", "code"], name="one_figure_per_code")]

    def __str__(self) -> str:
        return f"{self.code}={self.value}"


# --- Measures -------------------------------------------------------------------------------------
class Instrument(models.TextChoices):
    """Husbanken's instruments (DOMAIN.md) and the municipality's own means."""

    STARTLAN = "startlan", _("Start-up loan (startlån)")
    RENTAL_GRANT = "tilskudd-utleie", _("Grant for rental dwellings")
    INVESTMENT_GRANT = "investeringstilskudd", _("Investment grant for nursing-home places and care housing")
    HOUSING_ALLOWANCE = "bostotte", _("Housing allowance (bostøtte)")
    ADAPTATION_GRANT = "tilskudd-tilpasning", _("Adaptation grant")
    COMPETENCE_GRANT = "kompetansetilskudd", _("Competence grant")
    MUNICIPAL = "kommunalt", _("The municipality's own means")
    OTHER = "annet", _("Other")


HUSBANKEN_INSTRUMENTS = [
    Instrument.STARTLAN,
    Instrument.RENTAL_GRANT,
    Instrument.INVESTMENT_GRANT,
    Instrument.HOUSING_ALLOWANCE,
    Instrument.ADAPTATION_GRANT,
    Instrument.COMPETENCE_GRANT,
]


class TargetGroup(models.TextChoices):
    """Who a measure is for: everyone in a vanskeligstilt situation or one of the mapping's groups."""

    ALL = "alle", _("All disadvantaged households")
    CHILDREN = "barnefamilier", _("Households with children")
    YOUNG = "unge", _("Young people 18–24")
    SUBSTANCE = "rus-psykisk", _("Substance use or mental health problems")
    DISABILITIES = "funksjonsnedsettelse", _("People with disabilities")
    REFUGEES = "flyktninger", _("Refugees")
    PRISON = "fengsel-institusjon", _("Leaving prison or an institution")
    ELDERLY = "eldre", _("Older people")


class BudgetSource(models.TextChoices):
    NONE = "", _("Not funded")
    OPERATING = "drift", _("The municipality's operating budget")
    ECONOMY_PLAN = "okonomiplan", _("Economy plan (investment)")
    HUSBANKEN = "husbanken", _("Husbanken")
    STATE_GRANT = "statstilskudd", _("Other state grant")
    OTHER = "annet", _("Other")


class MeasureStatus(models.TextChoices):
    PLANNED = "planlagt", _("Planned")
    ACTIVE = "pagar", _("In progress")
    DONE = "fullfort", _("Completed")
    STOPPED = "stanset", pgettext_lazy("measure status", "Stopped")


class Measure(models.Model):
    """A measure (tiltak) in the municipality's social housing work. Its completion criterion is a
    yes/no question (the Veiviseren rule); `criterion_met` is the answer once given."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="measures")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    goals = models.ManyToManyField(Goal, blank=True, related_name="measures", verbose_name=_("plan goals"))
    target_group = models.CharField(_("target group"), max_length=30, choices=TargetGroup.choices)
    instrument = models.CharField(_("instrument"), max_length=30, choices=Instrument.choices, blank=True)
    owner_role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.PROTECT, related_name="measures", verbose_name=_("owner role")
    )
    budget = nok(_("budget (NOK)"))
    budget_source = models.CharField(
        _("source of funding"), max_length=20, choices=BudgetSource.choices, blank=True, default=BudgetSource.NONE
    )
    starts_on = models.DateField(pgettext_lazy("period", "start"), null=True, blank=True)
    ends_on = models.DateField(pgettext_lazy("period", "end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    completion_criterion = models.CharField(
        _("completion criterion"),
        max_length=300,
        help_text=_("A question answered yes or no, e.g. “Are ten new rental dwellings let by 2027?”"),
    )
    criterion_met = models.BooleanField(_("criterion met"), null=True, blank=True)
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="measures", verbose_name=_("indicators it should move")
    )
    is_public = models.BooleanField(_("public"), default=False, help_text=_("Public measures are open to everyone."))
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[goals, indicators])

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__number", "status", "ends_on", "title", "pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="measure_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("measures:measure", args=[self.pk])


class ProgressUpdate(models.Model):
    """A dated progress note on a measure, with the status it left the measure in."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="updates")
    on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("progress"))
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "-on", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.measure} {self.on}"


# --- Husbanken instruments ------------------------------------------------------------------------
class InstrumentUse(models.Model):
    """One year's use of one Husbanken instrument in one municipality, as entered or imported by a
    Husbanken adviser or the municipality, with its source. `count` is loans, dwellings, places or
    households (see `instruments.COUNT_LABELS`); `amount` is NOK. Either may be unknown, not zero."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="instrument_uses")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    instrument = models.CharField(
        _("instrument"), max_length=30, choices=[(i.value, i.label) for i in HUSBANKEN_INSTRUMENTS]
    )
    count = models.PositiveIntegerField(_("number"), null=True, blank=True)
    amount = nok(_("amount (NOK)"))
    source = models.CharField(_("source"), max_length=300, help_text=_("Where the figure comes from, e.g. a report."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__number", "instrument", "year"]
        verbose_name = _("instrument use")
        verbose_name_plural = _("instrument use")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "instrument"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_instrument_use_per_year",
            ),
            models.CheckConstraint(
                condition=models.Q(count__isnull=False) | models.Q(amount__isnull=False),
                name="instrument_use_has_a_figure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year} {self.instrument}"


# --- Housing projects -----------------------------------------------------------------------------
class ProjectStatus(models.TextChoices):
    IDEA = "ide", _("Idea")
    PLANNED = "planlagt", _("Planned")
    FUNDED = "finansiert", _("Funded")
    BUILDING = "bygges", _("Under construction")
    READY = "ferdig", _("Ready")


# Projects from this status on count in the projected gap; ideas are listed but not counted.
COUNTED_PROJECT_STATUSES = [ProjectStatus.PLANNED, ProjectStatus.FUNDED, ProjectStatus.BUILDING, ProjectStatus.READY]


class HousingProject(models.Model):
    """Procurement of suitable dwellings, from idea to ready. Its units by dwelling type close the
    needs gap of that type from `ready_year` on (see `gap.py`)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="housing_projects")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.IDEA)
    ready_year = models.PositiveSmallIntegerField(_("ready (year)"), null=True, blank=True, validators=YEAR_VALIDATORS)
    units_ordinary = models.PositiveSmallIntegerField(_("ordinary rental dwellings"), default=0)
    units_adapted = models.PositiveSmallIntegerField(_("adapted dwellings"), default=0)
    units_services = models.PositiveSmallIntegerField(_("dwellings with services"), default=0)
    units_emergency = models.PositiveSmallIntegerField(_("emergency dwellings"), default=0)
    cost = nok(_("total cost (NOK)"))
    husbanken_grant = nok(_("Husbanken grants (NOK)"))
    husbanken_loan = nok(_("Husbanken loan (NOK)"))
    other_funding = nok(_("other funding (NOK)"))
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.PROTECT, related_name="projects", verbose_name=_("measure")
    )
    is_public = models.BooleanField(_("public"), default=False, help_text=_("Public projects are open to everyone."))
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__number", "ready_year", "name", "pk"]
        verbose_name = _("housing project")
        verbose_name_plural = _("housing projects")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("measures:project", args=[self.pk])

    def units(self) -> dict[str, int]:
        """Units by dwelling type code."""
        return {
            DwellingType.ORDINARY: self.units_ordinary,
            DwellingType.ADAPTED: self.units_adapted,
            DwellingType.SERVICES: self.units_services,
            DwellingType.EMERGENCY: self.units_emergency,
        }

    @property
    def total_units(self) -> int:
        return sum(self.units().values())
