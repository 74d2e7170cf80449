"""Forms of the instrument pages: a year's figure, the before/after period, and the county import.
Every check a person can trip over gives a message in their language; nothing is stored until the
whole form is valid."""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lagspill.web.dates import FIRST_YEAR, LAST_YEAR

from .instrument_imports import MAX_AMOUNT, MAX_COUNT, MAX_SOURCE
from .models import HUSBANKEN_INSTRUMENTS

MAX_IMPORT_BYTES = 1024 * 1024
SPACES = re.compile(r"[\s\u00a0\u202f]")


class WholeNumberField(forms.IntegerField):
    """A whole number from 0, with spaces between thousands allowed (1 200 000)."""

    def __init__(self, *, largest: int, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"] |= {
            "invalid": _("Give a whole number, without decimals."),
            "min_value": _("The number cannot be negative."),
            "max_value": _("The number is too large."),
        }
        super().__init__(min_value=0, max_value=largest, required=False, **kwargs)

    def to_python(self, value: Any) -> int | None:
        return super().to_python(SPACES.sub("", value) if isinstance(value, str) else value)


def year_field(label: Any) -> forms.IntegerField:
    message = _("Give a year between 1990 and 2100.")  # FIRST_YEAR and LAST_YEAR, kept lazy
    return forms.IntegerField(
        label=label,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={"invalid": message, "min_value": message, "max_value": message, "required": message},
    )


class FiguresForm(forms.Form):
    """The number, the amount (either may be unknown, not both) and the source of a year's figure."""

    count = WholeNumberField(
        label=_("Number"),
        largest=MAX_COUNT,
        help_text=_("Loans, dwellings, places, households or grants, as the instrument counts. Empty if unknown."),
    )
    amount = WholeNumberField(
        label=_("Amount (NOK)"), largest=MAX_AMOUNT, help_text=_("Whole kroner. Leave empty if unknown.")
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=MAX_SOURCE,
        help_text=_("Where the figure comes from, e.g. “Husbanken, annual report for the municipality 2024”."),
        error_messages={"required": _("Say where the figure comes from.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and data.get("count") is None and data.get("amount") is None:
            raise forms.ValidationError(_("Give the number, the amount or both."))
        if data.get("amount") is not None:
            data["amount"] = Decimal(data["amount"])
        return data


class NewUseForm(FiguresForm):
    year = year_field(_("Year"))
    instrument = forms.ChoiceField(
        label=_("Instrument"),
        choices=[("", "–"), *((i.value, i.label) for i in HUSBANKEN_INSTRUMENTS)],
        error_messages={"required": _("Choose the instrument.")},
    )

    field_order = ["year", "instrument", "count", "amount", "source"]


class PeriodForm(forms.Form):
    """The before/after view's period (`?fra=2018&til=2021`), compared with as many years before it."""

    fra = year_field(_("From (year)"))
    til = year_field(_("To (year)"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("fra"), data.get("til")
        if first is not None and last is not None and first > last:
            self.add_error("til", _("The last year cannot be before the first."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, separated by ; or ,"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return upload


def parse_year(value: str | None, years: list[int]) -> int | None:
    """The `?ar=` year when it is one of `years`, else None (the page shows the latest)."""
    return int(value) if value and value.isdecimal() and value.isascii() and int(value) in years else None
