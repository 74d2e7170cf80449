"""Forms for measures: the measure itself, a progress update, and the filters of the list. Every
check a person can trip over gives a message in their language; nothing is stored until the whole
form is valid."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lagspill.continuity.models import Role
from lagspill.indicators.models import Indicator
from lagspill.places.models import Municipality
from lagspill.plans.models import Goal
from lagspill.web.dates import validate_plausible_date

from . import flags
from .models import BudgetSource, Instrument, Measure, MeasureStatus, TargetGroup

YES, NO = "ja", "nei"
CRITERION_RULE = _(
    "Write the completion criterion as a question that can be answered yes or no, ending with “?”: "
    "the Veiviseren rule is that one must be able to say yes or no to whether a measure is done, "
    "e.g. “Are ten new rental dwellings let by 2027?”"
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def municipality_goals(municipality: Municipality, measure: Measure | None = None) -> QuerySet[Goal]:
    """Active goals of the municipality's active plans, by plan, and the goals `measure` is linked
    to already (so a link to a goal retired since is kept when the measure is saved)."""
    offered = Q(retired_at__isnull=True, plan__municipality=municipality, plan__withdrawn_at__isnull=True)
    if measure is not None and measure.pk:
        offered |= Q(pk__in=measure.goals.values("pk"))
    rows = Goal.objects.filter(offered)
    return rows.select_related("plan").order_by("plan__title", "plan__pk", "number", "pk")


def municipality_roles(municipality: Municipality) -> QuerySet[Role]:
    """The municipality's active continuity roles."""
    return Role.objects.active().filter(municipality=municipality).order_by("department", "name", "kind", "pk")


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, goal: Goal) -> str:
        label = f"{goal.plan.title}: {goal}"
        if goal.retired_at or goal.plan.withdrawn_at:
            return str(_("%(goal)s (retired)") % {"goal": label})
        return label


class RoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, role: Role) -> str:
        return role.display_name


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, indicator: Indicator) -> str:
        return indicator.name


class MeasureForm(forms.ModelForm):
    goals = GoalChoiceField(
        label=_("Plan goals it serves"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Active goals of the municipality's plans, labelled by plan."),
    )
    owner_role = RoleChoiceField(
        label=_("Owner role"),
        queryset=Role.objects.none(),
        required=False,
        empty_label="–",
        help_text=_("The role (from the municipality's roles) responsible for the measure."),
    )
    indicators = IndicatorChoiceField(
        label=_("Indicators it should move"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Measure
        fields = [
            "title",
            "description",
            "goals",
            "target_group",
            "instrument",
            "owner_role",
            "budget",
            "budget_source",
            "starts_on",
            "ends_on",
            "completion_criterion",
            "indicators",
            "is_public",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }
        labels = {"budget": _("Budget (NOK, whole kroner)")}
        help_texts = {"budget_source": _("A measure without a budget and a source is flagged as unfunded.")}

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = municipality_goals(municipality, self.instance)
        roles = municipality_roles(municipality)
        if self.instance.owner_role_id:  # keep the owner role, retired since or not
            roles = (roles | Role.objects.filter(pk=self.instance.owner_role_id)).order_by(*roles.query.order_by)
        self.fields["owner_role"].queryset = roles
        self.fields["indicators"].queryset = Indicator.objects.order_by("position", "code")
        self.fields["target_group"].choices = [("", "–"), *TargetGroup.choices]
        self.fields["instrument"].choices = [("", "–"), *Instrument.choices]
        self.fields["budget_source"].choices = BudgetSource.choices
        for name in ("starts_on", "ends_on"):
            self.fields[name].validators.append(validate_plausible_date)
            self.fields[name].error_messages["invalid"] = _("Give a date as YYYY-MM-DD.")
        self.fields["budget"].error_messages["invalid"] = _("Give the budget as a whole number of kroner.")
        self.fields["budget"].widget.attrs["inputmode"] = "numeric"

    def clean_budget(self) -> Any:
        budget = self.cleaned_data.get("budget")
        if budget is not None and budget < 0:
            raise forms.ValidationError(_("The budget cannot be negative."))
        return budget

    def clean_completion_criterion(self) -> str:
        text = " ".join((self.cleaned_data.get("completion_criterion") or "").split())
        if not text.endswith("?") or len(text) < 5:
            raise forms.ValidationError(CRITERION_RULE)
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The measure cannot end before it starts: give an end on or after the start."))
        return data


class ProgressForm(forms.Form):
    on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        validators=[validate_plausible_date],
        error_messages={"invalid": _("Give a date as YYYY-MM-DD.")},
    )
    text = forms.CharField(label=_("What has happened"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    status = forms.ChoiceField(label=_("Status after this update"), choices=MeasureStatus.choices)
    criterion_met = forms.ChoiceField(
        label=_("Is the completion criterion met?"),
        choices=[("", _("Not answered")), (YES, _("Yes")), (NO, _("No"))],
        required=False,
        help_text=_("Answer when the measure is completed."),
    )

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate(), "status": measure.status})
        super().__init__(*args, **kwargs)
        self.fields["criterion_met"].help_text = _("Answer when the measure is completed: “%(criterion)s”") % {
            "criterion": measure.completion_criterion
        }

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write what has happened."))
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("criterion_met") and data.get("status") != MeasureStatus.DONE:
            self.add_error("criterion_met", _("Answer the completion criterion only when the measure is completed."))
        return data

    def answer(self) -> bool | None:
        return {YES: True, NO: False}.get(self.cleaned_data.get("criterion_met") or "")


class FilterForm(forms.Form):
    """The list's filters (GET); a value that is not one of the choices is ignored."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    flagg = forms.ChoiceField(label=_("Flag"), required=False)
    mal = forms.TypedChoiceField(label=_("Plan goal"), required=False, coerce=int, empty_value=None)
    virkemiddel = forms.ChoiceField(label=_("Instrument"), required=False)

    def __init__(self, *args: Any, goals: list[Goal], sees_roles: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _("All"))
        shown_flags = flags.for_reader(list(flags.ALL), sees_roles)
        self.fields["status"].choices = [everything, *MeasureStatus.choices]
        self.fields["flagg"].choices = [everything, *((f, flags.LABELS[f]) for f in shown_flags)]
        self.fields["mal"].choices = [everything, *((g.pk, f"{g.plan.title}: {g}") for g in goals)]
        self.fields["virkemiddel"].choices = [everything, *Instrument.choices]

    def chosen(self) -> dict[str, Any]:
        """The valid filters given; an invalid one counts as not given."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in self.fields if name not in self.errors and data.get(name)}
