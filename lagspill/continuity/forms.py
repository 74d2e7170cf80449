"""Forms for roles, holders, handover notes, plans, the import and tasks. Every check a person can
trip over gives a message in their language; nothing is stored until the whole form is valid (and
the action's own checks, such as overlapping holders, have passed)."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lagspill.places.models import Municipality
from lagspill.plans.models import Plan
from lagspill.web.dates import FIRST_YEAR, LAST_YEAR, validate_plausible_date

from .models import Department, Role

MAX_IMPORT_BYTES = 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        validators=[validate_plausible_date],
        error_messages={"invalid": _("Give a date as YYYY-MM-DD.")},
    )


class AddRoleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Role from the catalogue"), required=False)
    name = forms.CharField(label=_("Or the name of the municipality's own role"), max_length=200, required=False)
    department = forms.ChoiceField(
        label=_("Department (for the municipality's own role)"),
        choices=[("", "–"), *Department.choices],
        required=False,
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("– the municipality's own role –")), *kinds]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") and data.get("name", "").strip():
            raise forms.ValidationError(_("Choose a role from the catalogue or name your own, not both."))
        if not data.get("kind"):
            if not data.get("name", "").strip():
                self.add_error("name", _("Choose a role from the catalogue, or give your own role a name."))
            if not data.get("department"):
                self.add_error("department", _("Choose the department of the municipality's own role."))
        return data


class RoleForm(forms.ModelForm):
    class Meta:
        model = Role
        fields = ["name", "department", "responsibilities", "is_elected", "single_holder"]
        labels = {"name": _("Name (leave empty for the catalogue's name)")}
        help_texts = {"responsibilities": _("Leave empty to show the catalogue's text in the reader's language.")}


class HandoverForm(forms.Form):
    handover_note = forms.CharField(
        label=_("Handover note"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=10000,
        help_text=_("What the next holder must know: people, arenas, open matters, where things are."),
    )


class RolePlansForm(forms.Form):
    plans = forms.ModelMultipleChoiceField(
        label=_("Plans this role owns"),
        queryset=Plan.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plans"].queryset = Plan.objects.active().filter(municipality=municipality).order_by("title")


class HolderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("Work e-mail"),
        required=False,
        help_text=_("The new holder finds their anchoring tasks when they sign in with this address."),
        error_messages={"invalid": _("Give a valid e-mail address.")},
    )
    starts_on = date_field(_("From"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class VacantForm(forms.Form):
    starts_on = date_field(_("Vacant from"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class HoldingForm(forms.Form):
    starts_on = date_field(_("From"))
    ends_on = date_field(_("To"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, separated by ; or ,"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return upload


class CompleteTaskForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


def parse_since(value: str | None, default: datetime.date) -> tuple[datetime.date, bool]:
    """The `?siden=` date, or the default; the flag says whether a given value was refused."""
    if not value:
        return default, False
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return default, True
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return default, True
    return day, False
