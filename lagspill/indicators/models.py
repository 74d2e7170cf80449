"""Statistics storage: indicators, data versions and a narrow observation table.

One row per indicator × area × period × version. Loading a new version keeps the old rows; the
pipeline marks which rows are current (newest version) and which is the latest period, so pages
read figures without computing them.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    COUNTRY = "land", _("country")
    COUNTY = "fylke", _("county")
    MUNICIPALITY = "kommune", _("municipality")


class Indicator(models.Model):
    code = models.SlugField(max_length=80, unique=True)
    name_nb = models.CharField(max_length=200)
    name_nn = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    unit = models.CharField(max_length=20, default="count")
    source = models.CharField(max_length=200, help_text="e.g. “Statistisk sentralbyrå, tabell 07459”")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return getattr(self, f"name_{get_language() or 'nb'}", self.name_nb)


class DataVersion(models.Model):
    """One load of one source; `checksum` makes reloading the same file a no-op."""

    source = models.CharField(max_length=200)
    description = models.CharField(max_length=300, blank=True)
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)
    preliminary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-loaded_at"]
        constraints = [models.UniqueConstraint(fields=["source", "checksum"], name="unique_version")]

    def __str__(self) -> str:
        return f"{self.source} ({self.loaded_at:%Y-%m-%d %H:%M})"


class Status(models.TextChoices):
    OK = "", _("value")
    MISSING = "..", _("not available")
    NOT_APPLICABLE = ".", _("cannot occur")
    SUPPRESSED = ":", _("suppressed (confidential)")
    ZERO_NIL = "-", _("nil (exactly zero)")


class ObservationQuerySet(models.QuerySet["Observation"]):
    def latest_for(self, indicator: str, level: str) -> "ObservationQuerySet":
        """The newest period's current value per area, as the pipeline marked it."""
        return self.filter(indicator__code=indicator, area_level=level, is_latest=True)


class Observation(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="observations")
    version = models.ForeignKey(DataVersion, on_delete=models.PROTECT, related_name="observations")
    area_level = models.CharField(max_length=10, choices=AreaLevel.choices)
    area_code = models.CharField(max_length=4)
    period = models.CharField(max_length=20, help_text="e.g. “2026” or “2022–2024”")
    year = models.PositiveSmallIntegerField(help_text="the (last) year of the period")
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    status = models.CharField(max_length=2, choices=Status.choices, default=Status.OK, blank=True)
    status_reason = models.CharField(max_length=200, blank=True)
    weighted = models.BooleanField(default=False, help_text="includes a weighted share of a split municipality")
    is_current = models.BooleanField(default=True)
    is_latest = models.BooleanField(default=False)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                # Field order serves mark_current's "is there a newer version?" lookup.
                fields=["indicator", "area_level", "area_code", "period", "version"],
                name="unique_observation",
            )
        ]
        indexes = [
            models.Index(fields=["indicator", "area_level", "is_latest"]),
            models.Index(fields=["indicator", "area_level", "area_code", "is_current", "year"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.area_code} {self.period}: {self.value}"
