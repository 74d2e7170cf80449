"""Forms for user participation: giving input, recording how it was used, and the county filter of the
consultation list. Nothing is stored until the whole form is valid."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lagspill.organisations.models import Organisation
from lagspill.places.models import County

from .models import Use

MAX_INPUT = 10_000


class InputForm(forms.Form):
    """The organisation is asked for only when the person speaks for several."""

    organisation = forms.ModelChoiceField(
        label=_("Give the input as"), queryset=Organisation.objects.none(), empty_label=None
    )
    body = forms.CharField(
        label=_("Your input"),
        max_length=MAX_INPUT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("It is public with your organisation's name, like a consultation response; your name is not."),
        error_messages={"required": _("Write your input.")},
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        if len(organisations) == 1:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])

    def chosen_organisation(self) -> Organisation:
        return self.cleaned_data.get("organisation") or self.organisations[0]


class UseForm(forms.Form):
    use = forms.ChoiceField(
        label=_("How the input was used"),
        choices=[("", _("Choose…")), *Use.choices],
        error_messages={"required": _("Choose how the input was used.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_INPUT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why it was taken in, partly or not. The reason is public with the input."),
        error_messages={"required": _("Give the reason for how the input was used.")},
    )


class CountyFilter(forms.Form):
    fylke = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.order_by("number"),
        to_field_name="number",
        required=False,
        empty_label=_("All counties"),
    )
