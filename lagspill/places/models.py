"""Counties and municipalities (2024 numbering) and the code crosswalk from older numbering.

Reference data loaded from the files in `data/` (see DATA.md); people do not edit it, so it has
no history table. The map paths are precomputed at load time so pages only read them.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lagspill.lib.text import search_words


class County(models.Model):
    number = models.CharField(_("county number"), max_length=2, unique=True)
    name = models.CharField(_("official name"), max_length=100)
    name_plain = models.CharField(_("Norwegian name"), max_length=100)
    outline_path = models.TextField(_("outline on the national map"), blank=True)
    outline_viewbox = models.CharField(_("view box of the national map"), max_length=40, blank=True)
    map_viewbox = models.CharField(_("view box of the county map"), max_length=40, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("places:county", args=[self.number])


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def search(self, query: str) -> "MunicipalityQuerySet":
        """Name (any official name, diacritics optional; every word must match) or number."""
        words = search_words(query)
        if not words:
            return self.none()
        if len(words) == 1 and words[0].isdecimal():
            return self.filter(number__startswith=words[0])
        result = self
        for word in words:
            result = result.filter(search_text__contains=word)
        return result


class Municipality(models.Model):
    number = models.CharField(_("municipality number"), max_length=4, unique=True)
    name = models.CharField(_("official name"), max_length=100)
    name_plain = models.CharField(_("Norwegian name"), max_length=100)
    official_names = models.JSONField(
        _("official names"), default=list, help_text="[{name, language}] as Kartverket lists them"
    )
    sami_administrative_area = models.BooleanField(_("in the Sámi language area"), default=False)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities")
    search_text = models.TextField()
    map_path = models.TextField(_("outline on the county map"), blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("places:municipality", args=[self.number])


class CodeChange(models.Model):
    """A municipality code valid in `year` and the 2024 code it maps to, with a split weight."""

    year = models.PositiveSmallIntegerField()
    original_number = models.CharField(max_length=4)
    current_number = models.CharField(max_length=4)
    weight = models.DecimalField(max_digits=6, decimal_places=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "original_number", "current_number"], name="unique_code_change")
        ]
        indexes = [models.Index(fields=["year", "original_number"])]

    def __str__(self) -> str:
        return f"{self.year}: {self.original_number} → {self.current_number} ({self.weight})"
