"""Anchoring packages for new role holders, and the recurring anchoring activities.

A template is a kind of step: its title (in the reader's language, with the subject filled in)
and how many days after the start it is due. `create_package` turns a role's package (the
catalogue's `package` keys) into tasks for the new holder: one per plan the role owns, one per
arena it sits in, and so on. `schedule_recurring` makes the orientation for the new council after
each local election (due 31 December of the election year) and the yearly review of the roles and
handover notes (due 31 January); the unique `period` makes both idempotent.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lagspill.lib import elections
from lagspill.places.models import Municipality

from .models import AnchoringTask, Holding, Origin, Role

COORDINATOR = "boligkoordinator"
CHIEF_EXECUTIVE = "kommunedirektor"
POLITICAL = "ordforer"
ELECTION = "election-orientation"
YEARLY = "yearly-review"
DEFAULT_PACKAGE = ("read-handover", "read-plans", "read-profile", "arena-decisions", "attend-arena", "meet-coordinator")
HUSBANKEN_URL = "https://www.husbanken.no/"


@dataclass(frozen=True)
class Template:
    title: Promise  # with %(subject)s where the task has a subject
    due_days: int
    plain: Promise | None = None  # the title when there is no subject


TEMPLATES: dict[str, Template] = {
    "read-handover": Template(_("Read the handover note for “%(subject)s”"), 7),
    "read-plans": Template(_("Read the plan “%(subject)s”"), 30, _("Read the municipality's plans")),
    "read-profile": Template(_("Read the living-conditions profile of %(subject)s"), 14),
    "read-plan-status": Template(_("Read the plan status and the latest assessments"), 30),
    "arena-decisions": Template(_("Read the recent decisions of “%(subject)s”"), 30),
    "attend-arena": Template(_("Attend the next meeting of “%(subject)s”"), 60),
    "meet-coordinator": Template(_("Meet the housing coordinator"), 21),
    "meet-chief-executive": Template(_("Meet the chief executive"), 21),
    "review-instruments": Template(_("Go through Husbanken's instruments (startlån, grants)"), 60),
    "political-orientation": Template(_("Get a political orientation on the social housing work"), 30),
    ELECTION: Template(_("Orientation on social housing work for the council elected in %(subject)s"), 0),
    YEARLY: Template(_("Yearly review of the roles and handover notes (%(subject)s)"), 0),
}


def title_for(template: str, subject: str) -> str:
    """The task's title in the active language (an unknown template shows its subject)."""
    entry = TEMPLATES.get(template)
    if entry is None:
        return subject or template
    if not subject and entry.plain is not None:
        return str(entry.plain)
    text = str(entry.title)
    return text % {"subject": subject_text(subject)} if "%(subject)s" in text else text


def subject_text(subject: str) -> str:
    """A catalogue role's key is shown as its name in the reader's language."""
    from .catalogue import catalogue

    entry = catalogue().get(subject)
    return entry.name if entry else subject


def package_of(role: Role) -> tuple[str, ...]:
    from .catalogue import catalogue

    entry = catalogue().get(role.kind)
    return entry.package if entry else DEFAULT_PACKAGE


def safe_reverse(name: str, *args: Any) -> str:
    """A link, or none while a page it points to does not exist (arena pages come from the arenas app)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def arena_link(arena: Any) -> str:
    return safe_reverse("arenas:arena", arena.pk)


@dataclass(frozen=True)
class Step:
    template: str
    subject: str
    link: str
    due_on: datetime.date


def role_arenas(role: Role, day: datetime.date) -> list[Any]:
    from lagspill.arenas.models import Arena

    seats = role.arena_seats.current(day).values("arena")
    return list(Arena.objects.open().filter(pk__in=seats).order_by("name", "pk"))


def next_meetings(arenas: list[Any], day: datetime.date) -> dict[int, datetime.date]:
    from lagspill.arenas.models import Meeting

    upcoming = Meeting.objects.filter(arena__in=arenas, cancelled_at__isnull=True, starts_at__date__gte=day)
    first: dict[int, datetime.date] = {}
    for arena_id, starts_at in upcoming.order_by("starts_at").values_list("arena_id", "starts_at"):
        first.setdefault(arena_id, starts_at.date())
    return first


def coordinator_link(municipality: Municipality) -> str:
    coordinator = Role.objects.active().filter(municipality=municipality, kind=COORDINATOR).first()
    return coordinator.get_absolute_url() if coordinator else ""


def steps(role: Role, start: datetime.date) -> list[Step]:
    """The package's steps for this role, from `start` (due dates count from it)."""
    municipality = role.municipality

    def due(key: str) -> datetime.date:
        return start + datetime.timedelta(days=TEMPLATES[key].due_days)

    arenas = role_arenas(role, start)
    builders: dict[str, Callable[[], list[Step]]] = {
        "read-handover": lambda: [
            Step("read-handover", role.name or role.kind, role.get_absolute_url(), due("read-handover"))
        ],
        "read-plans": lambda: (
            [
                Step("read-plans", plan.title, plan.get_absolute_url(), due("read-plans"))
                for plan in role.plans.active().order_by("title", "pk")
            ]
            or [Step("read-plans", "", reverse("plans:register", args=[municipality.number]), due("read-plans"))]
        ),
        "read-profile": lambda: [
            Step(
                "read-profile",
                municipality.name_plain,
                reverse("indicators:profile", args=[municipality.number]),
                due("read-profile"),
            )
        ],
        "read-plan-status": lambda: [
            Step("read-plan-status", "", reverse("plans:register", args=[municipality.number]), due("read-plan-status"))
        ],
        "arena-decisions": lambda: [
            Step("arena-decisions", a.name, arena_link(a), due("arena-decisions")) for a in arenas
        ],
        "attend-arena": lambda: attend_steps(arenas, start),
        "meet-coordinator": lambda: (
            []
            if role.kind == COORDINATOR
            else [Step("meet-coordinator", "", coordinator_link(municipality), due("meet-coordinator"))]
        ),
        "meet-chief-executive": lambda: (
            [] if role.kind == CHIEF_EXECUTIVE else [Step("meet-chief-executive", "", "", due("meet-chief-executive"))]
        ),
        "review-instruments": lambda: [Step("review-instruments", "", HUSBANKEN_URL, due("review-instruments"))],
        "political-orientation": lambda: (
            [Step("political-orientation", "", "", due("political-orientation"))] if role.is_elected else []
        ),
    }
    return [step for key in package_of(role) if key in builders for step in builders[key]()]


def attend_steps(arenas: list[Any], start: datetime.date) -> list[Step]:
    """Due at the arena's next planned meeting, else 60 days after the start."""
    meetings = next_meetings(arenas, start)
    fallback = start + datetime.timedelta(days=TEMPLATES["attend-arena"].due_days)
    return [Step("attend-arena", a.name, arena_link(a), meetings.get(a.pk, fallback)) for a in arenas]


@transaction.atomic
def create_package(holding: Holding, *, by: Any, today: datetime.date) -> list[AnchoringTask]:
    """The anchoring package of a new holder (none for a vacancy, none twice for one holding)."""
    if holding.person_id is None or holding.tasks.exists():
        return []
    role = holding.role
    start = max(holding.starts_on, today)
    tasks = [
        AnchoringTask(
            municipality=role.municipality,
            role=role,
            holding=holding,
            assignee=holding.person,
            origin=Origin.HANDOVER,
            template=step.template,
            subject=step.subject[:200],
            link=step.link[:300],
            due_on=step.due_on,
            is_demo=holding.is_demo,
            created_by=by,
        )
        for step in steps(role, start)
    ]
    for task in tasks:
        task.save()  # one by one, so each task gets its history row
    return tasks


def holder_of(municipality: Municipality, kinds: tuple[str, ...], day: datetime.date) -> Holding | None:
    """The current person holding the first of these catalogue roles that has one."""
    holdings = (
        Holding.objects.on(day)
        .filter(role__municipality=municipality, role__kind__in=kinds, role__retired_at__isnull=True)
        .exclude(person__isnull=True)
        .select_related("role", "person")
        .order_by("-starts_on", "pk")
    )
    found = {h.role.kind: h for h in reversed(list(holdings))}
    return next((found[k] for k in kinds if k in found), None)


def recurring_due(today: datetime.date) -> list[tuple[str, str, datetime.date, tuple[str, ...]]]:
    """(template, period, due date, roles to assign in order) of the recurring activities due now.

    The election orientation exists from election day to 31 December of the election year; the
    yearly review is always the next one: this year's until 31 January, then next year's."""
    due = []
    year = elections.last_election_year(today)
    if elections.election_day(year) <= today <= datetime.date(year, 12, 31):
        due.append((ELECTION, str(year), datetime.date(year, 12, 31), (POLITICAL, COORDINATOR)))
    review_year = today.year if today <= datetime.date(today.year, 1, 31) else today.year + 1
    due.append((YEARLY, str(review_year), datetime.date(review_year, 1, 31), (COORDINATOR,)))
    return due


def schedule_recurring(municipality: Municipality, today: datetime.date) -> list[AnchoringTask]:
    """Create the recurring tasks due now that do not exist yet; returns those created."""
    created = []
    for template, period, due_on, kinds in recurring_due(today):
        existing = AnchoringTask.objects.filter(
            municipality=municipality, origin=origin_of(template), template=template, period=period
        )
        if existing.exists():
            continue
        holding = holder_of(municipality, kinds, today)
        task = AnchoringTask(
            municipality=municipality,
            role=holding.role if holding else None,
            assignee=holding.person if holding else None,
            origin=origin_of(template),
            template=template,
            subject=period,
            link=reverse("continuity:roles", args=[municipality.number]),
            period=period,
            due_on=due_on,
        )
        try:
            with transaction.atomic():
                task.save()
        except IntegrityError:  # made at the same moment by another run
            continue
        created.append(task)
    return created


def origin_of(template: str) -> str:
    return Origin.ELECTION if template == ELECTION else Origin.YEARLY


def schedule_all(today: datetime.date) -> list[AnchoringTask]:
    """The recurring tasks of every municipality that has set up roles."""
    numbers = Role.objects.active().values("municipality")
    return [
        task
        for municipality in Municipality.objects.filter(pk__in=numbers).order_by("number")
        for task in schedule_recurring(municipality, today)
    ]
