"""User participation, read side: who may speak for a user organisation, why a plan or measure is not
open for input, the input section of a plan or measure page, the consultation list, and the evidence
for the plan assessment's user-participation criterion. Each function runs a fixed number of queries
(one for all the inputs of a page); the changes are in `participation_actions.py`."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lagspill.measures.models import Measure, MeasureStatus
from lagspill.organisations import access
from lagspill.organisations.models import Kind, Organisation, Role
from lagspill.places.models import County
from lagspill.plans.models import Plan, Status

from .models import Input, Use

CRITERION = "user_participation"  # the code of the criterion in plans/criteria.toml
CLOSED_MEASURE = (MeasureStatus.DONE, MeasureStatus.STOPPED)
UNANSWERED = "ubesvart"  # the key of inputs without a recorded use in the counts


def speaking_organisations(user: Any) -> list[Organisation]:
    """The user organisations the user gives input for: those where they are an editor or admin."""
    s = access.scope(user)
    return [
        o
        for o in s.organisations
        if o.kind == Kind.USER_ORGANISATION and s.roles.get(o.pk) in (Role.EDITOR, Role.ADMIN)
    ]


def closed_reason(subject: Plan | Measure) -> str | None:
    """Why no input can be given on `subject` now, or None when it is open for input."""
    if isinstance(subject, Plan):
        if not subject.is_public or subject.withdrawn_at is not None or subject.status != Status.CONSULTATION:
            return _("Input can be given while the plan is on public consultation.")
        return None
    if not subject.is_public or subject.withdrawn_at is not None or subject.status in CLOSED_MEASURE:
        return _("Input can be given on public measures that are not completed or stopped.")
    return None


def why_not(user: Any, subject: Plan | Measure) -> str:
    """What a reader who may not give input is told."""
    if reason := closed_reason(subject):
        return reason
    if not getattr(user, "is_authenticated", False):
        return _("Editors of user organisations can give input here when they are logged in.")
    if access.scope(user).user_organisation:
        return _("Editors of your organisation can give input; ask its administrator if you should be one.")
    return _("Input is given by user organisations, such as Marborg.")


def counts(inputs: list[Input]) -> dict[str, int]:
    """How many of the inputs (not withdrawn) were taken in, partly, not, and not answered yet."""
    found = Counter(i.use or UNANSWERED for i in inputs if i.withdrawn_at is None)
    return {key: found[key] for key in (*Use.values, UNANSWERED)}


@dataclass
class Shown:
    """One input as a reader sees it: the person only for insiders, and what the reader may do."""

    input: Input
    author: Any
    may_withdraw: bool
    may_record: bool


@dataclass
class Section:
    """The input section of a plan or measure page."""

    subject: Plan | Measure
    inputs: list[Shown]
    counts: dict[str, int]
    total: int
    may_give: bool
    why_not: str
    organisations: list[Organisation] = field(default_factory=list)
    form: Any = None  # the form to give input, set by the template tag for those who may

    @property
    def shown(self) -> bool:
        return self.subject.is_public or bool(self.inputs)

    @property
    def give_url(self) -> str:
        if isinstance(self.subject, Plan):
            return reverse("network:give_plan_input", args=[self.subject.municipality.number, self.subject.pk])
        return reverse("network:give_measure_input", args=[self.subject.pk])

    def count_rows(self) -> list[tuple[str, str, int]]:
        labels = {**dict(Use.choices), UNANSWERED: _("Not answered yet")}
        return [(key, str(labels[key]), self.counts[key]) for key in self.counts]


def subject_inputs(user: Any, subject: Plan | Measure) -> list[Input]:
    """The inputs on `subject` the user may see, oldest first, in one query."""
    rows = subject.inputs.select_related("organisation", "author", "used_by").order_by("created_at", "pk")
    found = list(access.visible(user, rows))
    for row in found:  # the subject is known: reading it again per input would cost a query each
        setattr(row, "plan" if isinstance(subject, Plan) else "measure", subject)
    return found


def section(user: Any, subject: Plan | Measure) -> Section:
    inputs = subject_inputs(user, subject)
    municipality = subject.municipality
    insider = access.sees_municipality_private(user, municipality)
    records = access.edits_municipality(user, municipality)
    own = {o.pk for o in access.scope(user).organisations}
    shown = [
        Shown(
            input=i,
            author=i.author if insider or i.organisation_id in own else None,
            may_withdraw=not i.use and i.withdrawn_at is None and access.withdraws_input(user, i),
            may_record=records and i.withdrawn_at is None,
        )
        for i in inputs
    ]
    found = counts(inputs)
    may_give = access.may_give_input(user, subject)
    return Section(
        subject=subject,
        inputs=shown,
        counts=found,
        total=sum(found.values()),
        may_give=may_give,
        why_not="" if may_give else why_not(user, subject),
        organisations=speaking_organisations(user) if may_give else [],
    )


# The plan assessment's user-participation criterion.
@dataclass(frozen=True)
class Evidence:
    """Input from user organisations on a plan and how the municipality used it: facts for the assessor,
    who decides the score."""

    taken: int = 0
    partly: int = 0
    not_taken: int = 0
    unanswered: int = 0
    organisations: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.taken + self.partly + self.not_taken + self.unanswered

    def uses(self) -> str:
        parts = [
            ngettext("%(n)s taken in", "%(n)s taken in", self.taken) % {"n": self.taken} if self.taken else "",
            ngettext("%(n)s partly", "%(n)s partly", self.partly) % {"n": self.partly} if self.partly else "",
            ngettext("%(n)s not taken in", "%(n)s not taken in", self.not_taken) % {"n": self.not_taken}
            if self.not_taken
            else "",
        ]
        return ", ".join(p for p in parts if p)

    def answered(self) -> str:
        if not self.unanswered:
            return _("all answered")
        return ngettext("%(n)s not answered yet", "%(n)s not answered yet", self.unanswered) % {"n": self.unanswered}

    def outcome(self) -> str:
        """“2 taken in, 1 partly; all answered”."""
        uses = self.uses()
        return f"{uses}; {self.answered()}" if uses else self.answered()

    @property
    def note(self) -> str:
        """“3 inputs from user organisations: 2 taken in, 1 partly; all answered”."""
        if not self.total:
            return _("No input from user organisations on this plan is registered in Lagspill")
        head = ngettext("%(n)s input from user organisations", "%(n)s inputs from user organisations", self.total) % {
            "n": self.total
        }
        return f"{head}: {self.outcome()}"

    @property
    def suggestion(self) -> str:
        """A text the assessor may copy as evidence (empty when there is no input)."""
        if not self.total:
            return ""
        text = ngettext(
            "%(n)s input from user organisations (%(organisations)s) is registered in Lagspill: %(outcome)s.",
            "%(n)s inputs from user organisations (%(organisations)s) are registered in Lagspill: %(outcome)s.",
            self.total,
        )
        return text % {"n": self.total, "organisations": ", ".join(self.organisations), "outcome": self.outcome()}


def evidence_for(plan: Plan) -> Evidence:
    """Counts of the plan's input (not withdrawn) from user organisations by use, in one query."""
    rows = list(
        Input.objects.active()
        .filter(plan=plan, organisation__kind=Kind.USER_ORGANISATION)
        .values_list("use", "organisation__name")
    )
    found = Counter(use or UNANSWERED for use, _name in rows)
    return Evidence(
        taken=found[Use.TAKEN],
        partly=found[Use.PARTLY],
        not_taken=found[Use.NOT],
        unanswered=found[UNANSWERED],
        organisations=tuple(sorted({name for _use, name in rows})),
    )


# The consultation list: plans on public consultation and open public measures.
def _input_count() -> Count:
    return Count("inputs", filter=Q(inputs__withdrawn_at__isnull=True))


def _own_count(organisations: list[Organisation]) -> Count:
    return Count("inputs", filter=Q(inputs__withdrawn_at__isnull=True, inputs__organisation__in=organisations))


def open_plans(county: County | None, organisations: list[Organisation]) -> QuerySet[Plan]:
    rows = Plan.objects.filter(is_public=True, withdrawn_at__isnull=True, status=Status.CONSULTATION)
    if county is not None:
        rows = rows.filter(municipality__county=county)
    rows = rows.select_related("municipality__county").annotate(input_count=_input_count())
    if organisations:
        rows = rows.annotate(own_count=_own_count(organisations))
    return rows.order_by("municipality__county__number", "municipality__number", "-consultation_on", "title", "pk")


def open_measures(county: County | None, organisations: list[Organisation]) -> QuerySet[Measure]:
    rows = Measure.objects.filter(is_public=True, withdrawn_at__isnull=True).exclude(status__in=CLOSED_MEASURE)
    if county is not None:
        rows = rows.filter(municipality__county=county)
    rows = rows.select_related("municipality__county").annotate(input_count=_input_count())
    if organisations:
        rows = rows.annotate(own_count=_own_count(organisations))
    return rows.order_by("municipality__county__number", "municipality__number", "title", "pk")
