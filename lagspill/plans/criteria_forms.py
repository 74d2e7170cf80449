"""Forms for a new version of a criteria set: the version's names and note, and one form per
criterion of the base set. Nothing is stored unless every part is valid, so a County Governor
never ends up with half a version."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lagspill.places.models import County

from .models import CriteriaSet, Criterion, Level

# "English" alone is also the language switcher's label, which must stay "English" in every language.
LANGUAGE_LABELS = {"nb": _("bokmål"), "nn": _("nynorsk"), "en": pgettext_lazy("language name in a sentence", "English")}
# The suffix a county's first version gets after the shipped name, so the two are told apart.
COUNTY_SUFFIX = {
    "nb": "Statsforvalteren i {county}",
    "nn": "Statsforvaltaren i {county}",
    "en": "County Governor of {county}",
}
MAX_WEIGHT = Decimal(10)


class WeightField(forms.DecimalField):
    """A weight from 0 to 10; accepts a decimal comma as Norwegian readers write it."""

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def language_textarea(language: str, rows: int) -> forms.Textarea:
    # lang lets screen readers pronounce nynorsk and English text correctly.
    # No cols: the field takes the width of the form (Django's default of 40 columns is too narrow).
    return forms.Textarea(attrs={"rows": rows, "cols": False, "lang": language})


class BaseChoiceForm(forms.Form):
    """Which existing version the new one starts from (read from the query string)."""

    grunnlag = forms.ModelChoiceField(
        label=_("Start from"), queryset=CriteriaSet.objects.none(), required=False, empty_label=None
    )

    def __init__(self, *args: Any, county: County, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grunnlag"].queryset = CriteriaSet.objects.for_county(county).order_by("county", "slug", "-version")


class VersionForm(forms.Form):
    """The new version's names in the three languages and the required note on what changed."""

    name_nb = forms.CharField(label=_("Name (bokmål)"), max_length=200)
    name_nn = forms.CharField(label=_("Name (nynorsk)"), max_length=200, widget=forms.TextInput(attrs={"lang": "nn"}))
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, widget=forms.TextInput(attrs={"lang": "en"}))
    note = forms.CharField(
        label=_("What changed"),
        help_text=_("Shown with the version to everyone, so readers of an assessment know why the criteria differ."),
        widget=forms.Textarea(attrs={"rows": 3, "cols": False}),
    )


def version_initial(base: CriteriaSet, county: County) -> dict[str, str]:
    """The base's names; a set taken over from elsewhere gets the county's suffix."""
    initial = {}
    for language, suffix in COUNTY_SUFFIX.items():
        name = getattr(base, f"name_{language}")
        if base.county_id != county.pk:
            name = f"{name} – {suffix.format(county=county.name_plain)}"
        initial[f"name_{language}"] = name[:200]
    return initial


class CriterionForm(forms.Form):
    """One criterion of the new version. Weight 0 leaves it out of the new version."""

    weight = WeightField(
        label=_("Weight"),
        min_value=0,
        max_value=MAX_WEIGHT,
        max_digits=4,
        decimal_places=2,
        localize=True,
        help_text=_("From 0 to 10. 0 leaves the criterion out of the new version."),
        # A text input (not type=number) so a decimal comma works in every browser.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": "5"}),
    )
    levels = forms.MultipleChoiceField(
        label=_("Plan levels it applies to"),
        choices=Level.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, criterion: Criterion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        for language, label in LANGUAGE_LABELS.items():
            self.fields[f"text_{language}"] = forms.CharField(
                label=_("Criterion (%(language)s)") % {"language": label}, widget=language_textarea(language, 2)
            )
        for language, label in LANGUAGE_LABELS.items():
            self.fields[f"guidance_{language}"] = forms.CharField(
                label=_("Guidance (%(language)s)") % {"language": label},
                required=False,
                widget=language_textarea(language, 4),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        weight = data.get("weight")
        if weight and not data.get("levels"):
            self.add_error("levels", _("Choose at least one plan level, or set the weight to 0 to leave it out."))
        return data

    def text_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(("text_", "guidance_"))]

    @property
    def text_has_errors(self) -> bool:
        return any(field.errors for field in self.text_fields())


def plain_weight(weight: float) -> Decimal:
    """1.5 stays 1.5, 2.0 becomes 2 and 10.0 becomes 10 (not 1E+1, as Decimal.normalize would give)."""
    value = Decimal(str(weight))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def criterion_initial(criterion: Criterion) -> dict[str, Any]:
    initial: dict[str, Any] = {"weight": plain_weight(criterion.weight), "levels": list(criterion.levels)}
    for language in LANGUAGE_LABELS:
        initial[f"text_{language}"] = getattr(criterion, f"text_{language}")
        initial[f"guidance_{language}"] = getattr(criterion, f"guidance_{language}")
    return initial


class NewVersionForm:
    """The version form and one criterion form per criterion of `base`, validated together."""

    def __init__(self, base: CriteriaSet, county: County, data: Any = None) -> None:
        self.base = base
        self.version = VersionForm(data, initial=version_initial(base, county))
        self.rows = [
            (c, CriterionForm(data, prefix=f"k-{c.code}", criterion=c, initial=criterion_initial(c)))
            for c in base.criteria.order_by("position")
        ]
        self.non_field_errors: list[str] = []

    @property
    def forms(self) -> list[forms.Form]:
        return [self.version, *(form for _criterion, form in self.rows)]

    def is_valid(self) -> bool:
        valid = all([form.is_valid() for form in self.forms])  # a list: every form gets validated
        if valid and not any(form.cleaned_data["weight"] for _c, form in self.rows):
            self.non_field_errors.append(_("Give at least one criterion a weight above 0."))
        return valid and not self.non_field_errors

    @property
    def has_errors(self) -> bool:
        return bool(self.non_field_errors) or any(form.errors for form in self.forms)

    def error_summary(self) -> list[tuple[str, str]]:
        """(field id, message) for the summary above the form; criterion fields are numbered."""
        found = [
            (self.version[name].auto_id, f"{self.version[name].label}: {e}")
            for name, errors in self.version.errors.items()
            for e in errors
        ]
        for number, (_criterion, form) in enumerate(self.rows, start=1):
            found += [
                (form[name].auto_id, f"{number}. {form[name].label}: {e}")
                for name, errors in form.errors.items()
                for e in errors
            ]
        return found

    def criteria_changes(self) -> list[tuple[Criterion, dict[str, Any]]]:
        """The base criterion and the new values for each criterion kept (weight above 0)."""
        return [(c, dict(form.cleaned_data)) for c, form in self.rows if form.cleaned_data["weight"]]
