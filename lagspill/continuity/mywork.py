"""What the signed-in person has to do: the roles they hold now, their open anchoring tasks, the
open action items of those roles, and the coming meetings of arenas where those roles sit.

People are matched to their role records by work e-mail (`Person.objects.for_user`). Everything
listed goes through the access module as the person, so My work and the calendar feed show only
what the person may see today. A fixed number of queries, however many rows.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from lagspill.arenas.models import ActionItem, Arena, ArenaMember, Meeting
from lagspill.organisations import access

from .models import AnchoringTask, Holding, Person

MEETINGS_AHEAD_DAYS = 90


@dataclass
class MyWork:
    today: datetime.date
    holdings: list[Holding] = field(default_factory=list)
    tasks: list[AnchoringTask] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.holdings or self.tasks or self.actions or self.meetings)

    @property
    def overdue_tasks(self) -> int:
        return sum(1 for task in self.tasks if task.is_overdue(self.today))


def people(user: Any) -> QuerySet[Person]:
    return Person.objects.for_user(user)


def held_role_ids(user: Any, today: datetime.date) -> QuerySet:
    """The roles the person holds today (not retired), as a subquery."""
    holdings = Holding.objects.on(today).filter(person__in=people(user), role__retired_at__isnull=True)
    return holdings.values("role")


def seen_or_held(user: Any, rows: QuerySet, role_field: str, today: datetime.date) -> QuerySet:
    """The list form, in one query, of the view rules that also let a role's current holder see
    (`access.role_rule`, `holding_rule`, `action_item_rule`): what `access.visible` shows, or rows whose
    role (`role_field`) the person holds today. A holder outside the municipality's organisation
    (a user representative, say) sees their own roles and the actions they own, nothing more."""
    seen = access.visible(user, rows.model.objects.all()).values("pk")
    return rows.filter(Q(pk__in=seen) | Q(**{f"{role_field}__in": held_role_ids(user, today)}))


def holdings(user: Any, today: datetime.date) -> list[Holding]:
    rows = (
        Holding.objects.on(today)
        .filter(person__in=people(user), role__retired_at__isnull=True)
        .select_related("role__municipality__county", "person")
        .order_by("role__municipality__name", "role__name", "pk")
    )
    return list(seen_or_held(user, rows, "role", today))


def open_tasks(user: Any) -> QuerySet[AnchoringTask]:
    return (
        AnchoringTask.objects.open()
        .filter(assignee__in=people(user))
        .select_related("municipality__county", "assignee", "role")
        .order_by("due_on", "pk")
    )


def tasks(user: Any) -> list[AnchoringTask]:
    """Open tasks assigned to the person; the assignee may see their own task (no query per row)."""
    found = [task for task in open_tasks(user) if access.can(user, "view", task)]
    for task in found:
        task.safe_link = task.link if is_site_path(task.link) else ""
    return found


def is_site_path(link: str) -> bool:
    """Only our own pages are linked from a task (a path on this site, never another host or a script)."""
    return link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts=None)


def open_actions(user: Any, today: datetime.date) -> QuerySet[ActionItem]:
    rows = (
        ActionItem.objects.open()
        .filter(owner_role__in=held_role_ids(user, today), arena__closed_at__isnull=True)
        .select_related("arena__municipality", "arena__county", "owner_role__municipality", "decision", "meeting")
        .order_by("due_on", "pk")
    )
    return seen_or_held(user, rows, "owner_role", today)


def with_arena_links(user: Any, items: list[ActionItem]) -> list[ActionItem]:
    """Link an action to its arena only where the person may open the arena (one query)."""
    arenas = access.visible(user, Arena.objects.filter(pk__in={item.arena_id for item in items}))
    seen = set(arenas.values_list("pk", flat=True))
    for item in items:
        item.arena_link = item.arena.get_absolute_url() if item.arena_id in seen else ""
    return items


def meetings(user: Any, start: datetime.datetime, end: datetime.datetime) -> QuerySet[Meeting]:
    """Meetings (not cancelled) from `start` to `end` of open arenas where a role the person holds has a seat."""
    today = timezone.localdate()
    seats = ArenaMember.objects.current(today).filter(role__in=held_role_ids(user, today)).values("arena")
    rows = (
        Meeting.objects.filter(
            arena__in=seats,
            arena__closed_at__isnull=True,
            cancelled_at__isnull=True,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("arena__municipality", "arena__county")
        .order_by("starts_at", "pk")
    )
    return access.visible(user, rows)


def for_user(user: Any, today: datetime.date | None = None) -> MyWork:
    today = today or timezone.localdate()
    now = timezone.now()
    return MyWork(
        today=today,
        holdings=holdings(user, today),
        tasks=tasks(user),
        actions=with_arena_links(user, list(open_actions(user, today))),
        meetings=list(meetings(user, now, now + datetime.timedelta(days=MEETINGS_AHEAD_DAYS))),
    )
