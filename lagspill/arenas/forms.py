"""Forms for arenas, seats, meetings, minutes, decisions and action items. Every check a person can
trip over gives a message in their language; nothing is stored until the whole form is valid."""

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lagspill.continuity.models import Role
from lagspill.organisations.models import Kind, Organisation
from lagspill.web.dates import validate_plausible_date

from .models import ActionItem, ActionStatus, Arena, ArenaMember, Decision, Meeting

PRESENT, ABSENT = "present", "absent"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def plausible(form: forms.BaseForm, *names: str) -> None:
    """Dates within the years the product deals with (a typo like year 20266 or 0001 gets a message)."""
    for name in names:
        if name in form.fields:
            form.fields[name].validators.append(validate_plausible_date)


def municipal_roles(arena: Arena) -> QuerySet[Role]:
    """The municipality's active roles (none for a county network, whose members are organisations)."""
    if not arena.municipality_id:
        return Role.objects.none()
    return Role.objects.active().filter(municipality_id=arena.municipality_id).order_by("department", "name", "kind")


def seat_organisations(arena: Arena) -> QuerySet[Organisation]:
    """Organisations that may take a seat: user organisations, Husbanken and the County Governor of the
    county; in a county network also the organisations of the county's municipalities."""
    county = arena.owner_county
    allowed = Q(kind__in=[Kind.USER_ORGANISATION, Kind.HOUSING_BANK]) | Q(kind=Kind.COUNTY_GOVERNOR, county=county)
    if arena.county_id:
        allowed |= Q(kind=Kind.MUNICIPALITY, municipality__county=county)
    return Organisation.objects.filter(allowed).order_by("kind", "name")


class ArenaForm(forms.ModelForm):
    class Meta:
        model = Arena
        fields = ["name", "purpose", "rhythm", "is_public"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}


class MemberForm(forms.Form):
    role = forms.ModelChoiceField(
        label=_("Role in the municipality"), queryset=Role.objects.none(), required=False, empty_label="–"
    )
    organisation = forms.ModelChoiceField(
        label=_("Or an organisation"), queryset=Organisation.objects.none(), required=False, empty_label="–"
    )
    joined_on = forms.DateField(label=_("Member from"), widget=DateInput(), validators=[validate_plausible_date])

    def __init__(self, *args: Any, arena: Arena, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"joined_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.arena = arena
        self.fields["organisation"].queryset = seat_organisations(arena)
        if arena.municipality_id:
            self.fields["role"].queryset = municipal_roles(arena)
        else:
            del self.fields["role"]
            self.fields["organisation"].label = _("Organisation")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role, organisation = data.get("role"), data.get("organisation")
        if bool(role) == bool(organisation):
            raise forms.ValidationError(_("Choose either a role or an organisation."))
        seats = self.arena.members.current(data.get("joined_on") or timezone.localdate())
        taken = seats.filter(role=role) if role else seats.filter(organisation=organisation)
        if taken.exists():
            raise forms.ValidationError(_("This seat is already a member of the arena."))
        return data


class EndMembershipForm(forms.Form):
    left_on = forms.DateField(label=_("Member to"), widget=DateInput(), validators=[validate_plausible_date])

    def __init__(self, *args: Any, member: ArenaMember, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_left_on(self) -> datetime.date:
        left_on = self.cleaned_data["left_on"]
        if left_on < self.member.joined_on:
            raise forms.ValidationError(_("A membership cannot end before it started."))
        return left_on


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["starts_at", "ends_at", "location", "agenda"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plausible(self, "starts_at", "ends_at")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data


class MinutesForm(forms.Form):
    """The minutes and, for each seat of the arena on the meeting's day, present or absent."""

    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args: Any, meeting: Meeting, seats: list[ArenaMember], **kwargs: Any) -> None:
        recorded = {a.member_id: (PRESENT if a.present else ABSENT) for a in meeting.attendance.all()}
        initial = {"minutes": meeting.minutes} | {f"seat_{s.pk}": recorded.get(s.pk, "") for s in seats}
        super().__init__(*args, initial=initial, **kwargs)
        self.seats = seats
        choices = [("", _("Not recorded")), (PRESENT, _("Present")), (ABSENT, _("Absent"))]
        for seat in seats:
            label = _("Attendance: %(seat)s") % {"seat": seat_label(seat)}
            self.fields[f"seat_{seat.pk}"] = forms.ChoiceField(label=label, choices=choices, required=False)

    def attendance(self) -> dict[ArenaMember, bool | None]:
        """Each seat: True (present), False (absent) or None (not recorded)."""
        values = {PRESENT: True, ABSENT: False, "": None}
        return {seat: values[self.cleaned_data.get(f"seat_{seat.pk}", "")] for seat in self.seats}


def seat_label(seat: ArenaMember) -> str:
    if seat.role_id:
        return f"{seat.role.display_name} ({seat.role.get_department_display()})"
    return str(seat.organisation)


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": _("Decision")}


ACTION_LABELS = {
    "title": _("Action"),
    "owner_role": _("Owner role"),
    "owner_organisation": _("Owner organisation"),
    "due_on": _("Due"),
    "decision": _("Follows up decision"),
}


def choose_owner(form: forms.ModelForm, arena: Arena) -> None:
    """A municipal arena's actions are owned by one of the municipality's roles; a county network's
    by an organisation."""
    form.fields["owner_organisation"].queryset = seat_organisations(arena)
    if arena.municipality_id:
        form.fields["owner_role"].queryset = municipal_roles(arena)
        form.fields["owner_role"].required = True
        del form.fields["owner_organisation"]
    else:
        del form.fields["owner_role"]
        form.fields["owner_organisation"].required = True


class ActionForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "owner_role", "owner_organisation", "due_on", "decision"]
        widgets = {"due_on": DateInput()}
        labels = ACTION_LABELS

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plausible(self, "due_on")
        self.fields["decision"].queryset = meeting.decisions.filter(withdrawn_at__isnull=True).order_by("number")
        self.fields["decision"].required = False
        self.fields["decision"].label_from_instance = lambda d: f"{d.label} {d.text[:60]}"
        choose_owner(self, meeting.arena)


class ActionEditForm(forms.ModelForm):
    """Title, owner and due date of an action (its status is changed with `ActionUpdateForm`). The
    current owner stays a choice even if the role has since been retired."""

    class Meta:
        model = ActionItem
        fields = ["title", "owner_role", "owner_organisation", "due_on"]
        widgets = {"due_on": DateInput()}
        labels = ACTION_LABELS

    def __init__(self, *args: Any, item: ActionItem, **kwargs: Any) -> None:
        super().__init__(*args, instance=item, **kwargs)
        plausible(self, "due_on")
        choose_owner(self, item.arena)
        if "owner_role" in self.fields and item.owner_role_id:
            roles = Role.objects.filter(Q(pk__in=municipal_roles(item.arena).values("pk")) | Q(pk=item.owner_role_id))
            self.fields["owner_role"].queryset = roles.order_by("department", "name", "kind")


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the decisions"), max_length=200, required=False)
