"""Forms for network events: the event itself (the County Governor's), a registration (the person's
organisation among their memberships, the role they come as, needs for taking part) and material
(a file or a link). Every check a person can trip over gives a message in their language; nothing is
stored until the whole form is valid and the action's own checks have passed."""

from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lagspill.organisations.models import Organisation
from lagspill.web.dates import validate_plausible_date

from . import event_queries
from .files import UploadField
from .models import NetworkEvent

MAX_PLACES = 100_000
ROLE_CHOICE = _("Choose roles from the role catalogue.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def https_by_default(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """Web addresses typed without a scheme are taken as https (Django 6's default, set now)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class EventForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Meant for roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Roles from the role catalogue. Choose none when the event is meant for everyone in the network."),
        error_messages={"invalid_choice": ROLE_CHOICE},
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=MAX_PLACES,
        help_text=_("Leave empty when there is no limit."),
        error_messages={
            "invalid": _("Give the number of places as a whole number."),
            "min_value": _("Give at least one place, or leave the field empty for no limit."),
            "max_value": _("The number of places is too large."),
        },
    )
    online_url = forms.URLField(
        label=_("Link for taking part online"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Give a full web address, e.g. https://meet.example.org/abc.")},
    )

    class Meta:
        model = NetworkEvent
        formfield_callback = https_by_default
        fields = [
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "registration_closes",
            "capacity",
            "roles",
            "is_public",
        ]
        labels = {
            "kind": _("Kind"),
            "title": _("Title"),
            "description": _("Programme and description"),
            "starts_at": _("Starts"),
            "ends_at": _("Ends"),
            "location": _("Place"),
            "registration_closes": _("Registration closes"),
            "is_public": _("Public: listed for everyone"),
        }
        help_texts = {
            "location": _("Leave empty for an event held only online."),
            "registration_closes": _("The last day people can register. Leave empty to keep it open until the start."),
            "is_public": _("Other events are seen by the county's network, Husbanken and user organisations."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "registration_closes": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = event_queries.role_choices()
        for name in ("starts_at", "ends_at", "registration_closes"):
            self.fields[name].validators.append(validate_plausible_date)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends, closes = data.get("starts_at"), data.get("ends_at"), data.get("registration_closes")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        if starts and closes and closes > timezone.localdate(starts):
            self.add_error("registration_closes", _("Registration must close on or before the day the event starts."))
        no_place = "location" not in self.errors and "online_url" not in self.errors
        if no_place and not data.get("location") and not data.get("online_url"):
            self.add_error("location", _("Give a place, a link for taking part online, or both."))
        return data


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class RegistrationForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation you come from"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of your own organisations.")},
    )
    role_kind = forms.ChoiceField(
        label=_("Taking part as"),
        help_text=_("The role you come as, from the role catalogue."),
        error_messages={
            "required": _("Choose the role you come as."),
            "invalid_choice": _("Choose a role from the role catalogue."),
        },
    )
    needs = forms.CharField(
        label=_("Needs for taking part"),
        required=False,
        max_length=300,
        help_text=_("Diet, access, interpreting – whatever helps you take part. Seen only by the organiser."),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], event: NetworkEvent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        self.fields["role_kind"].choices = grouped_roles(event)


def grouped_roles(event: NetworkEvent) -> list[tuple[str, Any]]:
    """The roles the event is meant for first, then the rest of the catalogue."""
    choices = event_queries.role_choices()
    meant = [(key, name) for key, name in choices if key in event.roles]
    other = [(key, name) for key, name in choices if key not in event.roles]
    if not meant:
        return [("", "–"), *other]
    return [("", "–"), (_("Meant for this event"), meant), (_("Other roles"), other)]


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = UploadField(label=_("File"), required=False)
    url = forms.URLField(
        label=_("Or a link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("A web address, e.g. to a recording or a presentation published elsewhere."),
        error_messages={"invalid": _("Give a full web address, e.g. https://www.example.org/slides.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "file" in self.errors or "url" in self.errors:
            return data
        if not data.get("file") and not data.get("url"):
            raise forms.ValidationError(_("Give a file or a link."))
        if data.get("file") and data.get("url"):
            raise forms.ValidationError(_("Give either a file or a link, not both."))
        return data
