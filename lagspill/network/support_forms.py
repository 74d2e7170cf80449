"""Forms for support requests: a new request, a reply, an internal note, the triage (status, assignee,
urgency) and the inbox's filters. Every check a person can trip over gives a message in their language;
nothing is stored until the whole form is valid. Attachments go through `files.UploadField` (checked by
content, at most 20 MB each)."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lagspill.organisations.models import Kind, Organisation, Role
from lagspill.places.models import Municipality

from .files import ACCEPT, UploadField
from .models import OPEN_STATUSES, RequestStatus, SupportRequest, Topic, Urgency

MAX_ATTACHMENTS = 10


def recipients(municipality: Municipality) -> QuerySet[Organisation]:
    """Whom a municipality may ask: the County Governor of its county and Husbanken (the organisations
    that exist in Lagspill)."""
    governor = Q(kind=Kind.COUNTY_GOVERNOR, county_id=municipality.county_id)
    return Organisation.objects.filter(governor | Q(kind=Kind.HOUSING_BANK)).order_by(
        "-kind", "name", "pk"
    )  # the County Governor first


def assignees(organisation_id: int) -> QuerySet:
    """The recipient organisation's active editors and admins: the people who may answer a request."""
    members = Q(
        memberships__organisation_id=organisation_id,
        memberships__ended_at__isnull=True,
        memberships__role__in=[Role.EDITOR, Role.ADMIN],
    )
    return get_user_model().objects.filter(members, is_active=True).distinct().order_by("name", "email")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(UploadField):
    """One or more files, each checked as `UploadField` checks one; the cleaned value is a list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault(
            "help_text",
            _(
                "Optional; up to %(count)s files. PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, text or "
                "CSV; at most 20 MB each."
            )
            % {"count": MAX_ATTACHMENTS},
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(uploads) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS})
        checked = []
        for upload in uploads:
            try:
                checked.append(super().clean(upload, initial))
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("%(name)s: %(problem)s") % {"name": upload.name, "problem": " ".join(error.messages)}
                ) from error
        return checked


class RecipientField(forms.ModelChoiceField):
    def label_from_instance(self, organisation: Organisation) -> str:
        return organisation.name


class RequestForm(forms.ModelForm):
    recipient = RecipientField(
        label=_("To"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("The County Governor of the county, or Husbanken."),
    )
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        help_text=_("Only the municipality and the organisation you write to can read it."),
        error_messages={"required": _("Write what you need help with.")},
    )
    attachments = AttachmentsField(label=_("Attachments"))

    class Meta:
        model = SupportRequest
        fields = ["subject", "topic", "urgency", "recipient"]
        error_messages = {"subject": {"required": _("Give the request a subject.")}}

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients(municipality)
        self.fields["topic"].choices = [("", "–"), *Topic.choices]
        self.fields["urgency"].choices = Urgency.choices


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        error_messages={"required": _("Write a reply.")},
    )
    attachments = AttachmentsField(label=_("Attachments"))


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        help_text=_("Seen only by your organisation, never by the municipality."),
        error_messages={"required": _("Write the note.")},
    )


class AssigneeField(forms.ModelChoiceField):
    def label_from_instance(self, user: Any) -> str:
        return user.name or user.email


class TriageForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RequestStatus.choices)
    assignee = AssigneeField(
        label=_("Assignee"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody (unassigned)"),
        help_text=_("Among the editors and administrators of the organisation the request is addressed to."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)

    def __init__(self, *args: Any, request: SupportRequest, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"status": request.status, "assignee": request.assignee_id, "urgency": request.urgency}
        )
        super().__init__(*args, **kwargs)
        people = assignees(request.recipient_id)
        if request.assignee_id:  # keep showing the current assignee, also after they left
            people = get_user_model().objects.filter(Q(pk__in=people.values("pk")) | Q(pk=request.assignee_id))
        self.fields["assignee"].queryset = people.order_by("name", "email")


# The inbox's filters (GET). A value that is not one of the choices counts as not given.
OPEN, ALL = "apne", "alle"
MINE, NOBODY = "meg", "ingen"
SORTS = {
    "hastegrad": _("Urgency, most urgent first"),
    "alder": _("Age, oldest first"),
    "prioritet": _("Priority score, highest first"),
}
DEFAULT_SORT = "hastegrad"


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    ansvarlig = forms.ChoiceField(label=_("Assignee"), required=False)
    hastegrad = forms.ChoiceField(label=_("Urgency"), required=False)
    sorter = forms.ChoiceField(label=_("Sort by"), required=False, choices=list(SORTS.items()))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(OPEN, _("Open")), *RequestStatus.choices, (ALL, _("All"))]
        self.fields["ansvarlig"].choices = [("", _("Anyone")), (MINE, _("Mine")), (NOBODY, _("Unassigned"))]
        self.fields["hastegrad"].choices = [("", _("All")), *Urgency.choices]

    def chosen(self) -> dict[str, str]:
        """The valid filters with their defaults (open requests, by urgency)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        got = {name: data.get(name) or "" for name in self.fields if name not in self.errors}
        return {
            "status": got.get("status") or OPEN,
            "ansvarlig": got.get("ansvarlig", ""),
            "hastegrad": got.get("hastegrad", ""),
            "sorter": got.get("sorter") or DEFAULT_SORT,
        }


def status_filter(status: str) -> Q:
    if status == OPEN:
        return Q(status__in=OPEN_STATUSES)
    if status == ALL:
        return Q()
    return Q(status=status)
