"""Forms of the experience library: a practice (with its tags as checkboxes), who shares it and for
where (new practices only), a document, and the list's search and filters (GET). Every check a person
can trip over gives a message in their language; nothing is stored until the whole form is valid."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lagspill.continuity.models import Role
from lagspill.organisations import access
from lagspill.organisations.models import Kind, Organisation
from lagspill.places.models import County, Municipality

from . import files
from . import library_actions as actions
from .models import TAG_CHOICES, Practice, TagKind, Visibility

SHARING_KINDS = (Kind.MUNICIPALITY, Kind.COUNTY_GOVERNOR, Kind.HOUSING_BANK)
TAG_FIELDS = {
    TagKind.SUCCESS_FACTOR: "suksessfaktor",
    TagKind.TARGET_GROUP: "malgruppe",
    TagKind.PLAN_LEVEL: "planniva",
}
TAG_LABELS = {
    TagKind.SUCCESS_FACTOR: _("Success factors"),
    TagKind.TARGET_GROUP: _("Target groups"),
    TagKind.PLAN_LEVEL: _("Plan levels"),
}


def sharing_organisations(user: Any) -> list[Organisation]:
    """The organisations this user may share practices for: where they are an editor or admin, of a
    municipality, a County Governor or Husbanken (site administrators: every such organisation)."""
    s = access.scope(user)
    if s.is_superuser:
        rows = Organisation.objects.filter(kind__in=SHARING_KINDS).select_related("municipality__county", "county")
        return list(rows.order_by("name", "pk"))
    return [o for o in s.organisations if o.kind in SHARING_KINDS and s.roles.get(o.pk) in ("editor", "admin")]


def sharing_counties(user: Any, organisations: list[Organisation]) -> QuerySet[County]:
    """The counties these organisations share for (Husbanken and site administrators: all)."""
    if access.scope(user).is_superuser or any(o.kind == Kind.HOUSING_BANK for o in organisations):
        rows = County.objects.all()
    else:
        numbers = {o.municipality.county_id for o in organisations if o.municipality} | {
            o.county_id for o in organisations if o.kind == Kind.COUNTY_GOVERNOR
        }
        rows = County.objects.filter(pk__in=numbers)
    return rows.filter(pk__in=[c.pk for c in rows if access.shares_practices(user, c)]).order_by("name")


def role_choices(user: Any, municipalities: list[Municipality], keep: Role | None = None) -> QuerySet[Role]:
    """Active roles of these municipalities the user may see (and the role the practice has now)."""
    visible = [m.pk for m in municipalities if access.sees_municipality_private(user, m)]
    rows = Role.objects.active().filter(municipality__in=visible)
    if keep is not None:
        rows = rows | Role.objects.filter(pk=keep.pk)
    return rows.select_related("municipality").order_by("municipality__name", "department", "name", "kind", "pk")


class RoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, role: Role) -> str:
        return f"{role.display_name} ({role.municipality.name})"


class PracticeForm(forms.ModelForm):
    """What was done, the result and the lessons, when, whom to ask, who may see it, and its tags."""

    contact_role = RoleChoiceField(
        label=_("Contact role"),
        queryset=Role.objects.none(),
        required=False,
        empty_label="–",
        help_text=_(
            "The role to ask, from the municipality's roles: the contact survives a change of holder. "
            "Only those who see the municipality's working material see who holds it."
        ),
    )

    class Meta:
        model = Practice
        fields = ["title", "summary", "result", "lessons", "year", "contact_role", "visibility"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "result": forms.Textarea(attrs={"rows": 4}),
            "lessons": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "year": _("The year it was done or started."),
            "result": _("What came of it. Give figures only where they are known."),
        }

    def __init__(self, *args: Any, user: Any, role_municipalities: list[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        keep = self.instance.contact_role if self.instance.contact_role_id else None
        self.fields["contact_role"].queryset = role_choices(user, role_municipalities, keep)
        self.fields["visibility"].choices = Visibility.choices
        self.fields["title"].error_messages["required"] = _("Give the practice a title.")
        self.fields["summary"].error_messages["required"] = _("Write what was done.")
        self.fields["year"].widget.attrs["inputmode"] = "numeric"
        self.fields["year"].error_messages["invalid"] = _("Give the year as four digits.")
        for kind, name in TAG_FIELDS.items():
            self.fields[name] = forms.MultipleChoiceField(
                label=TAG_LABELS[kind],
                choices=TAG_CHOICES[kind].choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            if self.instance.pk:
                self.initial[name] = [t.code for t in self.instance.tags.all() if t.kind == kind]

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data.get("title", "").split())
        if not title:
            raise ValidationError(_("Give the practice a title."))
        return title

    def clean_summary(self) -> str:
        summary = self.cleaned_data.get("summary", "").strip()
        if not summary:
            raise ValidationError(_("Write what was done."))
        return summary

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        if year is not None and year > timezone.localdate().year + 1:
            raise ValidationError(_("Give a year that has begun."))
        return year

    def practice_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        data["tags"] = [(kind, code) for kind, name in TAG_FIELDS.items() for code in self.cleaned_data[name]]
        return data


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, organisation: Organisation) -> str:
        return organisation.name


class NewPracticeForm(PracticeForm):
    """A new practice: also who shares it (one of the user's organisations) and where it was done."""

    organisation = OrganisationChoiceField(
        label=_("Shared by"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("Which of your organisations shares the practice."),
    )
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.none(),
        required=False,
        empty_label="–",
        help_text=_("For a municipality: its county (filled in when left empty)."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label="–",
        help_text=_("Where it was done. A municipality shares its own; leave empty for a county or network practice."),
    )
    field_order = ["organisation", "county", "municipality"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.organisations = sharing_organisations(user)
        own = [o.municipality for o in self.organisations if o.municipality and o.kind == Kind.MUNICIPALITY]
        super().__init__(*args, user=user, role_municipalities=own, **kwargs)
        counties = sharing_counties(user, self.organisations)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in self.organisations]
        ).order_by("name", "pk")
        self.fields["county"].queryset = counties
        self.fields["municipality"].queryset = Municipality.objects.filter(county__in=counties).order_by("name")
        first = self.organisations[0] if self.organisations else None
        if first is not None and not self.is_bound:
            self.initial.setdefault("organisation", first.pk)
            if first.municipality:
                self.initial.setdefault("municipality", first.municipality.pk)
                self.initial.setdefault("county", first.municipality.county_id)
            elif first.county_id:
                self.initial.setdefault("county", first.county_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        organisation = data.get("organisation")
        if organisation is None:
            return data
        if organisation.kind == Kind.MUNICIPALITY and data.get("municipality") is None:
            data["municipality"] = organisation.municipality
        municipality = data.get("municipality")
        if data.get("county") is None:
            data["county"] = municipality.county if municipality else organisation.county
        county = data.get("county")
        if county is None:
            self.add_error("county", _("Choose the county."))
            return data
        try:
            actions.check_place(organisation, county, municipality)
        except ValidationError as error:
            self.add_error(None, error)
            return data
        if not access.shares_practices(self.user, county):
            self.add_error("county", _("You may not share practices for this county."))
        role = data.get("contact_role")
        if role is not None and (municipality is None or role.municipality_id != municipality.pk):
            self.add_error("contact_role", _("Choose one of the municipality's own active roles as contact."))
        return data

    def place(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("organisation", "county", "municipality")}


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False, help_text=_("Empty: the file's name."))
    file = files.UploadField(label=_("File"))


class FilterForm(forms.Form):
    """The list's search and filters (GET); a value that is not one of the choices is ignored."""

    q = forms.CharField(
        label=_("Search the library"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Words from the title or the text; every word must match."),
    )
    fylke = forms.ChoiceField(label=_("County"), required=False)
    kommune = forms.ChoiceField(label=_("Municipality"), required=False)

    def __init__(
        self, *args: Any, counties: list[tuple[str, str]], municipalities: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _("All"))
        self.fields["fylke"].choices = [everything, *counties]
        self.fields["kommune"].choices = [everything, *municipalities]
        for kind, name in TAG_FIELDS.items():
            self.fields[name] = forms.ChoiceField(
                label=TagKind(kind).label, required=False, choices=[everything, *TAG_CHOICES[kind].choices]
            )

    def chosen(self) -> dict[str, Any]:
        """The valid filters given; an invalid one counts as not given."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in self.fields if name not in self.errors and data.get(name)}
