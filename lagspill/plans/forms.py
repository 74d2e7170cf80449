"""Forms for plans, documents, scores, comments and priority weights. Every check a person can
trip over gives a message in their language; nothing is stored until the whole form is valid."""

import hashlib
import itertools
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .models import SCALE, CriteriaSet, Criterion, Plan, PriorityWeights, Status

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
DATE_ORDER = (
    ("started_on", _("work started")),
    ("consultation_on", _("sent on public consultation")),
    ("adopted_on", _("adopted")),
    ("revision_due", _("next revision due")),
)
STATUS_NEEDS_DATE = {
    Status.CONSULTATION: ("consultation_on", _("Give the date the plan was sent on public consultation.")),
    Status.ADOPTED: ("adopted_on", _("Give the date the plan was adopted.")),
    Status.EXPIRED: ("adopted_on", _("Give the date the plan was adopted.")),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "level",
            "kind",
            "title",
            "period_start",
            "period_end",
            "status",
            "started_on",
            "consultation_on",
            "adopted_on",
            "revision_due",
            "case_number",
            "decision_url",
            "is_public",
        ]
        widgets = {name: DateInput() for name, _label in DATE_ORDER}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("period_start", "period_end"):
            self.fields[name].widget.attrs.update(min=1990, max=2100)
            self.fields[name].min_value = 1990

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.check_period(data)
        self.check_date_order(data)
        self.check_status_dates(data)
        return data

    def check_period(self, data: dict[str, Any]) -> None:
        start, end = data.get("period_start"), data.get("period_end")
        for name, year in (("period_start", start), ("period_end", end)):
            if year is not None and not 1990 <= year <= 2100:
                self.add_error(name, _("Give a year between 1990 and 2100."))
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))

    def check_date_order(self, data: dict[str, Any]) -> None:
        given = [(name, label, data.get(name)) for name, label in DATE_ORDER if data.get(name)]
        for (_n1, earlier, first), (name, later, second) in itertools.pairwise(given):
            if second < first:
                message = _("The date “%(later)s” cannot be before the date “%(earlier)s”.")
                self.add_error(name, message % {"later": later, "earlier": earlier})

    def check_status_dates(self, data: dict[str, Any]) -> None:
        needed = STATUS_NEEDS_DATE.get(data.get("status"))
        if needed and not data.get(needed[0]) and needed[0] not in self.errors:
            self.add_error(needed[0], needed[1])


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title of the document"), max_length=200)
    file = forms.FileField(
        label=_("PDF file"),
        help_text=_("PDF only, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is 20 MB.")
                % {"size": number_format(upload.size / 1024 / 1024, 1)}
            )
        if not is_pdf(upload):
            raise forms.ValidationError(_("The file is not a PDF document (its content was checked, not its name)."))
        return upload

    def sha256(self) -> str:
        digest = hashlib.sha256()
        for chunk in self.cleaned_data["file"].chunks():
            digest.update(chunk)
        return digest.hexdigest()


def is_pdf(upload: UploadedFile) -> bool:
    """A PDF starts with %PDF- (within the first kilobyte) and ends with an %%EOF marker."""
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(max(upload.size - 2048, 0))
    tail = upload.read()
    upload.seek(0)
    return PDF_MAGIC in head and b"%%EOF" in tail


class ScoreField(forms.TypedChoiceField):
    def __init__(self, criterion: Criterion, **kwargs: Any) -> None:
        meanings = criterion.meanings()
        choices = [(str(n), f"{n} – {meanings[n] if n < len(meanings) else ''}") for n in SCALE]
        super().__init__(
            choices=[("", _("Not scored yet")), *choices],
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": _("The score must be 0, 1, 2 or 3.")},
            **kwargs,
        )


class ScoresForm(forms.Form):
    """One score with evidence per criterion that applies to the plan's level."""

    def __init__(self, *args: Any, criteria: list[Criterion], initial_scores: dict[int, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            current = initial_scores.get(criterion.pk)
            prefix = f"c{criterion.pk}"
            self.fields[f"{prefix}_score"] = ScoreField(
                criterion,
                label=criterion.text,
                initial="" if not current or current.score is None else str(current.score),
            )
            self.fields[f"{prefix}_quote"] = forms.CharField(
                label=_("Quote from the plan"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.evidence_quote if current else "",
            )
            self.fields[f"{prefix}_page"] = forms.CharField(
                label=_("Page"), required=False, max_length=20, initial=current.evidence_page if current else ""
            )
            self.fields[f"{prefix}_url"] = forms.URLField(
                label=_("Link to the evidence"), required=False, initial=current.evidence_url if current else ""
            )

    def rows(self) -> list[tuple[Criterion, list[forms.BoundField]]]:
        return [(c, [self[f"c{c.pk}_{part}"] for part in ("score", "quote", "page", "url")]) for c in self.criteria]

    def values(self) -> dict[Criterion, dict[str, Any]]:
        data = self.cleaned_data
        return {
            c: {
                "score": data[f"c{c.pk}_score"],
                "evidence_quote": data[f"c{c.pk}_quote"].strip(),
                "evidence_page": data[f"c{c.pk}_page"].strip(),
                "evidence_url": data[f"c{c.pk}_url"],
            }
            for c in self.criteria
        }


class CommentForm(forms.Form):
    criterion = forms.IntegerField(widget=forms.HiddenInput)
    body = forms.CharField(label=_("Your comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = {c.pk: c for c in criteria}

    def clean_criterion(self) -> Criterion:
        criterion = self.criteria.get(self.cleaned_data["criterion"])
        if criterion is None:
            raise forms.ValidationError(_("Choose one of the assessment's criteria."))
        return criterion


class StartAssessmentForm(forms.Form):
    criteria_set = forms.ModelChoiceField(
        label=_("Criteria set"), queryset=CriteriaSet.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, county: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criteria_set"].queryset = CriteriaSet.objects.in_use().for_county(county)


class PriorityWeightsForm(forms.ModelForm):
    class Meta:
        model = PriorityWeights
        fields = ["challenge", "maturity", "trend", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("challenge", "maturity", "trend"):
            self.fields[name].min_value = 0
            self.fields[name].max_value = 10
            self.fields[name].widget.attrs.update(min=0, max=10, step="0.1")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        weights = [data.get(name) for name in ("challenge", "maturity", "trend")]
        for name, value in zip(("challenge", "maturity", "trend"), weights, strict=True):
            if value is not None and not 0 <= value <= 10:
                self.add_error(name, _("Give a weight from 0 to 10."))
        if all(w is not None for w in weights) and not any(weights):
            raise forms.ValidationError(_("Give at least one part a weight above 0."))
        return data
