"""The housing project form: status, ready year, units by dwelling type, funding and the linked
measure. Every check a person can trip over gives a message in their language; nothing is stored
until the whole form is valid (and the action's own checks have passed)."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from lagspill.places.models import Municipality
from lagspill.web.dates import FIRST_YEAR, LAST_YEAR

from .models import COUNTED_PROJECT_STATUSES, HousingProject, Measure

MAX_UNITS = 10_000
MAX_KRONER = 10**14 - 1  # the model's 14 digits
UNIT_FIELDS = ("units_ordinary", "units_adapted", "units_services", "units_emergency")
FUNDING_FIELDS = ("husbanken_grant", "husbanken_loan", "other_funding")
SPACES = str.maketrans("", "", " \u00a0\u202f\t")


class KronerField(forms.IntegerField):
    """Whole kroner, typed as people write them: "1 200 000", "1 200 000 kr" or "1200000,-"."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.translate(SPACES).lower().removesuffix("kr").removesuffix(",-")
        return super().to_python(value)


def kroner(label: Any, help_text: Any = "") -> KronerField:
    return KronerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_KRONER,
        help_text=help_text,
        # A text box, not type=number: people type "1 200 000" and browsers refuse spaces in number boxes.
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Give an amount in whole kroner, e.g. 1 200 000."),
            "min_value": _("An amount cannot be negative."),
            "max_value": _("The amount is too large."),
        },
    )


def units(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_UNITS,
        initial=0,
        error_messages={
            "required": _("Give the number of units (0 when none)."),
            "invalid": _("Give the number of units as a whole number."),
            "min_value": _("The number of units cannot be negative."),
            "max_value": _("The number of units is too large."),
        },
    )


def whole(value: int) -> str:
    """A number of kroner in the active language's format (1 200 000 in Norwegian)."""
    return formats.number_format(value, 0, force_grouping=True)


YEAR_MESSAGE = _("Give a year between 1990 and 2100.")  # FIRST_YEAR and LAST_YEAR


class ProjectForm(forms.ModelForm):
    ready_year = forms.IntegerField(
        label=_("Ready (year)"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=_("The year the dwellings can be let. Needed once the project is planned."),
        error_messages={"invalid": YEAR_MESSAGE, "min_value": YEAR_MESSAGE, "max_value": YEAR_MESSAGE},
    )
    units_ordinary = units(_("Ordinary rental dwellings"))
    units_adapted = units(_("Adapted dwellings"))
    units_services = units(_("Dwellings with services"))
    units_emergency = units(_("Emergency dwellings"))
    cost = kroner(_("Total cost (NOK)"), _("Leave empty when not known yet."))
    husbanken_grant = kroner(_("Husbanken grants (NOK)"))
    husbanken_loan = kroner(_("Husbanken loan (NOK)"))
    other_funding = kroner(_("Other funding (NOK)"))

    class Meta:
        model = HousingProject
        fields = [
            "name",
            "description",
            "status",
            "ready_year",
            *UNIT_FIELDS,
            "cost",
            *FUNDING_FIELDS,
            "measure",
            "is_public",
        ]
        labels = {"name": _("Name"), "description": _("Description"), "status": _("Status")}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        measures = Q(municipality=municipality, withdrawn_at__isnull=True)
        if self.instance.measure_id:  # keep a link to a measure withdrawn since
            measures |= Q(pk=self.instance.measure_id)
        field = self.fields["measure"]
        field.queryset = Measure.objects.filter(measures).order_by("title", "pk")
        field.label = _("Measure the project carries out")
        field.empty_label = _("– no measure –")
        field.error_messages["invalid_choice"] = _("Choose one of this municipality's measures.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if all(data.get(name) is not None for name in UNIT_FIELDS) and not any(data[n] for n in UNIT_FIELDS):
            raise forms.ValidationError(_("Give at least one dwelling unit."))
        if data.get("status") in COUNTED_PROJECT_STATUSES and data.get("ready_year") is None and not self.errors:
            self.add_error(
                "ready_year", _("Give the year the dwellings are ready, so the project counts in the projected gap.")
            )
        self.check_funding(data)
        return data

    def check_funding(self, data: dict[str, Any]) -> None:
        cost = data.get("cost")
        parts = [data[name] for name in FUNDING_FIELDS if data.get(name) is not None]
        if cost is not None and sum(parts) > cost:
            self.add_error(
                None,
                _("The funding parts add up to %(parts)s kr, more than the total cost of %(cost)s kr.")
                % {"parts": whole(sum(parts)), "cost": whole(cost)},
            )
