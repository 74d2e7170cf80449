"""Forms of the needs overview: the guided entry of one year's mapping and the CSV import.

The entry form has one optional whole-number field per figure in `needs.toml`, grouped in sections
with a short guide each. An empty field means "not mapped", never zero; only a typed 0 is a zero.
Nothing is stored until the whole form is valid (the view then calls `needs_actions.save_mapping`).
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lagspill.web.dates import FIRST_YEAR, LAST_YEAR

from . import catalogue

MAX_COUNT = 1_000_000
MAX_IMPORT_BYTES = 1024 * 1024
# Spaces people type between thousands ("1 200", also the no-break spaces a copy from a table brings).
THOUSANDS_SPACES = (" ", "\u00a0", "\u202f")


class CountField(forms.IntegerField):
    """A count of households or dwellings: a whole number from 0, or empty for "not mapped"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            required=False,
            min_value=0,
            max_value=MAX_COUNT,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 8}),
            error_messages={
                "invalid": _("Give a whole number, or leave the field empty if it is not mapped."),
                "min_value": _("A count cannot be negative."),
                "max_value": _("A count cannot be more than %(limit_value)s."),
            },
            **kwargs,
        )

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            for space in THOUSANDS_SPACES:
                value = value.replace(space, "")
        return super().to_python(value)


@dataclass(frozen=True)
class Section:
    """A fieldset of the entry form: a heading, a short guide (what to count) and its fields."""

    key: str
    legend: str
    guide: str
    fields: list


SITUATION_GUIDE = _(
    "Count households, not persons, as of the mapping date. Count each household once, in the "
    "sub-category that best describes its situation, so that the situations add up to the total."
)
GUIDES = {
    "group": _(
        "Households in the situations above that belong to each group. A household can belong to "
        "several groups, so the groups overlap and do not add up to the total."
    ),
    "need": _(
        "Households that need a dwelling of each type, each household under the type it needs most. "
        "Together they make the total need."
    ),
    "waiting": _("Households on the municipality's waiting list for a dwelling of each type on the mapping date."),
    "stock": _(
        "Dwellings the municipality owns or rents for letting (kommunalt disponerte boliger), by type "
        "and status on the mapping date. These are dwellings, not households, and are shown as they are."
    ),
}
LEGENDS = {
    "group": _("Groups"),
    "need": _("Need by dwelling type"),
    "waiting": _("Waiting list"),
    "stock": _("Municipal dwellings by type and status"),
}


def figure_field(code: str) -> str:
    """The form field of a figure code (codes hold dots and hyphens; field names stay as they are)."""
    return f"figur-{code}"


class MappingForm(forms.Form):
    """One year's mapping. `with_year=False` on the edit page, where the year is in the address."""

    year = forms.IntegerField(
        label=_("Year"),
        help_text=_("The year the mapping describes."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}),
        error_messages={
            "required": _("Give the year of the mapping."),
            "invalid": _("Give the year as four digits, such as 2025."),
        },
    )
    note = forms.CharField(
        label=_("How the mapping was made"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sources, the date counted, who took part: so that next year's mapping can be made the same way."),
    )
    is_public = forms.BooleanField(
        label=_("Publish the mapping"),
        required=False,
        help_text=_("Published mappings are open to everyone, with small numbers hidden."),
    )

    def __init__(self, *args: Any, with_year: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_year:
            del self.fields["year"]
        for figure in catalogue.figures():
            self.fields[figure_field(figure.code)] = CountField(label=catalogue.label(figure))

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Give a year between %(first)s and %(last)s."),
                code="implausible_year",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return year

    def general_fields(self) -> list:
        return [self[name] for name in ("year", "note", "is_public") if name in self.fields]

    def sections(self) -> list[Section]:
        """The figure fields in the order of the guide: each situation, groups, need, waiting, stock."""
        cat = catalogue.load()
        sections = [
            Section(
                key=f"situasjon-{situation.code}",
                legend=catalogue.label(situation),
                guide=str(SITUATION_GUIDE),
                fields=[self[figure_field(f.code)] for f in cat.of_kind("situation") if f.parent == situation.code],
            )
            for situation in cat.situations
        ]
        for kind in ("group", "need", "waiting", "stock"):
            fields = [self[figure_field(f.code)] for f in cat.of_kind(kind)]
            sections.append(Section(key=kind, legend=str(LEGENDS[kind]), guide=str(GUIDES[kind]), fields=fields))
        return sections

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and all(value is None for value in self.values().values()):
            raise forms.ValidationError(
                _("Fill in at least one figure. Leave empty only what is not mapped; write 0 where there are none.")
            )
        return data

    def values(self) -> dict[str, int | None]:
        """Every figure code with its count, None where the field was left empty (not mapped)."""
        data = getattr(self, "cleaned_data", {})
        return {f.code: data.get(figure_field(f.code)) for f in catalogue.figures()}


def initial_for(mapping: Any, values: dict[str, int]) -> dict[str, Any]:
    """The edit form's starting values: the mapping's note, its status and every stored figure."""
    initial: dict[str, Any] = {"note": mapping.note, "is_public": mapping.is_public}
    initial.update({figure_field(code): value for code, value in values.items()})
    return initial


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, separated by ; or , with the columns år, kode and antall (as in the template)."),
        error_messages={"required": _("Choose a CSV file.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return upload
