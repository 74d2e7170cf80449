"""Plan reminders: revisions due within 90 days (or overdue), and the planning strategy due after
each local election. The same list feeds the municipality page, the county overview and the
weekly mail (`send_reminders`)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lagspill.lib import elections
from lagspill.organisations.models import Role
from lagspill.places.models import Municipality
from lagspill.reminders.registry import Reminder, source

from .models import Level, Plan, Status

WARNING_DAYS = 90


@dataclass(frozen=True)
class PlanReminder:
    kind: str  # "revision" or "strategy"
    municipality: Municipality
    due: datetime.date
    overdue: bool
    plan: Plan | None = None
    election_year: int | None = None

    @property
    def key(self) -> str:
        stage = "overdue" if self.overdue else "soon"
        subject = (
            f"plan:{self.plan.pk}:{self.due}"
            if self.plan
            else f"strategy:{self.municipality.number}:{self.election_year}"
        )
        return f"plans:{self.kind}:{subject}:{stage}"

    def text(self) -> str:
        values = {"title": self.plan.title if self.plan else "", "date": date_format(self.due, "DATE_FORMAT")}
        if self.kind == "revision":
            if self.overdue:
                return _("The revision of “%(title)s” was due on %(date)s.") % values
            return _("“%(title)s” is due for revision on %(date)s.") % values
        values["year"] = self.election_year
        if self.overdue:
            return (
                _("The planning strategy after the %(year)s election was due by %(date)s and is not adopted.") % values
            )
        return _("The planning strategy after the %(year)s election must be adopted by %(date)s.") % values


def revision_reminders(plans: Iterable[Plan], today: datetime.date) -> list[PlanReminder]:
    horizon = today + datetime.timedelta(days=WARNING_DAYS)
    return [
        PlanReminder("revision", plan.municipality, plan.revision_due, plan.revision_due < today, plan=plan)
        for plan in plans
        if plan.revision_due
        and plan.revision_due <= horizon
        and plan.status in (Status.ADOPTED, Status.EXPIRED)
        and plan.withdrawn_at is None
    ]


def strategy_reminder(municipality: Municipality, plans: Iterable[Plan], today: datetime.date) -> PlanReminder | None:
    """From election day until the council's planning strategy is adopted."""
    year = elections.last_election_year(today)
    adopted_since = [
        p
        for p in plans
        if p.level == Level.STRATEGY
        and p.withdrawn_at is None
        and p.adopted_on
        and p.adopted_on >= elections.election_day(year)
    ]
    if adopted_since:
        return None
    due = elections.strategy_due(year)
    return PlanReminder("strategy", municipality, due, due < today, election_year=year)


def for_municipality(municipality: Municipality, plans: list[Plan], today: datetime.date) -> list[PlanReminder]:
    found = revision_reminders(plans, today)
    strategy = strategy_reminder(municipality, plans, today)
    return sorted([*found, *([strategy] if strategy else [])], key=lambda r: r.due)


def mailable(reminder: PlanReminder, today: datetime.date) -> bool:
    """Mail within the warning window; the page shows a strategy reminder for the whole year after the election."""
    return reminder.due <= today + datetime.timedelta(days=WARNING_DAYS)


def editors(municipalities: QuerySet[Municipality]) -> dict[str, list]:
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__ended_at__isnull=True,
            memberships__role__in=(Role.EDITOR, Role.ADMIN),
            memberships__organisation__municipality__in=municipalities,
        )
        .values_list("memberships__organisation__municipality__number", "pk")
    )
    by_number: dict[str, list] = {}
    people = get_user_model().objects.in_bulk({pk for _, pk in users})
    for number, pk in users:
        by_number.setdefault(number, []).append(people[pk])
    return by_number


@source
def due_plan_reminders(today: datetime.date) -> list[Reminder]:
    municipalities = Municipality.objects.filter(organisation__isnull=False)
    plans: dict[str, list[Plan]] = {}
    for plan in Plan.objects.active().filter(municipality__in=municipalities).select_related("municipality"):
        plans.setdefault(plan.municipality.number, []).append(plan)
    people = editors(municipalities)
    found = []
    for municipality in municipalities:
        for reminder in for_municipality(municipality, plans.get(municipality.number, []), today):
            if mailable(reminder, today):
                found.append(as_mail(reminder, tuple(people.get(municipality.number, []))))
    return found


def as_mail(reminder: PlanReminder, recipients: tuple) -> Reminder:
    def subject() -> str:
        return _("Plan reminder for %(municipality)s") % {"municipality": reminder.municipality}

    def body() -> str:
        path = reverse("plans:register", args=[reminder.municipality.number])
        return f"{reminder.text()}\n\n{_('See the plan register:')} {site_url()}{path}\n"

    return Reminder(reminder.key, subject, body, recipients)


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")
