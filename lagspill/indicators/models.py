"""Statistics storage: indicators, data versions and a narrow observation table.

One row per indicator × area × period × version. Loading a new version keeps the old rows; the
pipeline marks which rows are current (newest version) and which is the latest period, so pages
read figures without computing them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AreaLevel(models.TextChoices):
    COUNTRY = "land", _("country")
    COUNTY = "fylke", _("county")
    MUNICIPALITY = "kommune", _("municipality")


class Theme(models.TextChoices):
    POPULATION = "population", _("Population and ageing")
    CHILDREN = "children", _("Children and young people")
    ECONOMY = "economy", _("Economy and living conditions")
    DISABILITIES = "disabilities", _("Disabilities")
    HOUSING = "housing", _("Homelessness and housing")
    HUSBANKEN = "husbanken", _("Husbanken instruments")


class Unit(models.TextChoices):
    COUNT = "count", _("number")
    PERCENT = "percent", _("per cent")
    PER_100 = "per_100", _("per 100")
    PER_1000 = "per_1000", _("per 1000")
    NOK = "nok", _("NOK")


class Polarity(models.IntegerChoices):
    HIGHER_WORSE = 1, _("a higher value means more challenge")
    NEUTRAL = 0, _("neither higher nor lower is better")
    HIGHER_BETTER = -1, _("a higher value means less challenge")


class SourceKind(models.TextChoices):
    BUILTIN = "builtin", _("built-in data file")
    SSB = "ssb", _("Statistics Norway's API")
    CSV = "csv", _("CSV upload")


class Indicator(models.Model):
    """One catalogue entry (`catalogue.toml`); synced by the pipeline, never edited by hand."""

    code = models.SlugField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="order in the catalogue")
    theme = models.CharField(max_length=20, choices=Theme.choices, default=Theme.POPULATION)
    name_nb = models.CharField(max_length=200)
    name_nn = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    definition_nb = models.TextField(blank=True)
    definition_nn = models.TextField(blank=True)
    definition_en = models.TextField(blank=True)
    numerator_nb = models.CharField(max_length=200, blank=True)
    numerator_nn = models.CharField(max_length=200, blank=True)
    numerator_en = models.CharField(max_length=200, blank=True)
    denominator_nb = models.CharField(max_length=200, blank=True)
    denominator_nn = models.CharField(max_length=200, blank=True)
    denominator_en = models.CharField(max_length=200, blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.COUNT)
    decimals = models.PositiveSmallIntegerField(default=0)
    polarity = models.SmallIntegerField(choices=Polarity.choices, default=Polarity.NEUTRAL)
    proportion = models.BooleanField(
        default=False, help_text="numerator is a subset of denominator, so the barometer can test it"
    )
    counts = models.CharField(
        max_length=80, blank=True, help_text="the count indicator shown when a reader switches to counts"
    )
    source_kind = models.CharField(max_length=10, choices=SourceKind.choices, default=SourceKind.BUILTIN)
    source = models.CharField(max_length=200, help_text="attribution, e.g. “Statistisk sentralbyrå, tabell 07459”")
    source_url = models.URLField(blank=True)
    licence = models.CharField(max_length=100, blank=True)
    rhythm_nb = models.CharField(max_length=200, blank=True)
    rhythm_nn = models.CharField(max_length=200, blank=True)
    rhythm_en = models.CharField(max_length=200, blank=True)
    source_spec = models.JSONField(default=dict, blank=True, help_text="how the pipeline fetches it")
    index_weight = models.FloatField(default=0, help_text="weight in the standard challenge index (0 = not used)")

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    def localised(self, field: str) -> str:
        return getattr(self, f"{field}_{get_language() or 'nb'}", "") or getattr(self, f"{field}_nb")

    @property
    def name(self) -> str:
        return self.localised("name")

    @property
    def definition(self) -> str:
        return self.localised("definition")

    @property
    def numerator(self) -> str:
        return self.localised("numerator")

    @property
    def denominator(self) -> str:
        return self.localised("denominator")

    @property
    def rhythm(self) -> str:
        return self.localised("rhythm")


class DataVersion(models.Model):
    """One load of one source; `checksum` makes reloading the same file a no-op."""

    source = models.CharField(max_length=200)
    description = models.CharField(max_length=300, blank=True)
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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
            # A profile page reads every indicator of a few areas at once.
            models.Index(fields=["area_code", "area_level", "is_current"], name="observation_area_current"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.area_code} {self.period}: {self.value}"


class WeightSet(models.Model):
    """Weights for the challenge index. `standard` comes from the catalogue; a County Governor saves named sets."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    county = models.ForeignKey(
        "places.County", null=True, blank=True, on_delete=models.PROTECT, related_name="weight_sets"
    )
    weights = models.JSONField(_("weights"), default=dict, help_text="indicator code → weight")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    STANDARD = "standard"

    class Meta:
        ordering = ["county__number", "name"]

    def __str__(self) -> str:
        return self.name


class IndexScore(models.Model):
    """The challenge index for one municipality and year under one weight set (precomputed by the pipeline)."""

    weight_set = models.ForeignKey(WeightSet, on_delete=models.CASCADE, related_name="scores")
    area_code = models.CharField(max_length=4)
    county_code = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    score = models.FloatField(null=True)
    coverage = models.FloatField()
    rank_county = models.PositiveSmallIntegerField(null=True)
    rank_country = models.PositiveSmallIntegerField(null=True)
    contributions = models.JSONField(default=dict, help_text="indicator code → contribution to the score")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["weight_set", "area_code", "year"], name="unique_index_score")]
        indexes = [models.Index(fields=["weight_set", "county_code", "year"])]

    def __str__(self) -> str:
        return f"{self.weight_set.slug} {self.area_code} {self.year}: {self.score}"


class Neighbours(models.Model):
    """A municipality's default comparison set: the most similar municipalities (precomputed)."""

    area_code = models.CharField(max_length=4, unique=True)
    codes = models.JSONField(default=list, help_text="nearest first")
    features = models.JSONField(default=dict, help_text="the values the similarity was computed from")

    def __str__(self) -> str:
        return f"{self.area_code}: {', '.join(self.codes)}"
