"""Anchoring and action-item reminders for `manage.py send_reminders`.

Before looking, the source schedules the recurring anchoring activities (`anchoring.schedule_all`),
so the weekly run also creates them. Then, each to the people concerned, once per key:
- a new holder's anchoring package, one mail per holding listing its tasks (`anchoring-package:<holding>`);
- a recurring anchoring task (election orientation, yearly review) to its assignee when assigned
  (`anchoring-task:<pk>:assigned`), unless it is already due within a week: then the next mail covers it;
- an open anchoring task due within a week, or overdue (`anchoring-task:<pk>:due-soon|overdue`);
- an open action item: assigned, due within a week, overdue (`action:<pk>:assigned|due-soon|overdue`).
  Only the most advanced stage is mailed in a run, so an item already overdue when first seen
  gives one mail, not three.
Recipients are active accounts whose e-mail is the work e-mail of the person concerned (the
assignee, the current holders of the owner role), or, for an action owned by an organisation,
its editors and administrators.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lagspill.arenas.models import ActionItem
from lagspill.organisations.models import Membership
from lagspill.organisations.models import Role as MemberRole
from lagspill.reminders.registry import Reminder, source

from . import anchoring
from .models import AnchoringTask, Holding, Origin

WARNING_DAYS = 7


@source
def due_continuity_reminders(today: datetime.date) -> list[Reminder]:
    anchoring.schedule_all(today)
    return [
        *package_reminders(today),
        *assignment_reminders(today),
        *task_reminders(today),
        *action_reminders(today),
    ]


def stage(due_on: datetime.date, today: datetime.date) -> str | None:
    if due_on < today:
        return "overdue"
    if due_on <= today + datetime.timedelta(days=WARNING_DAYS):
        return "due-soon"
    return None


def users_by_email(emails: Iterable[str]) -> dict[str, list]:
    """Active accounts per lower-cased e-mail, in one query."""
    wanted = {e.lower() for e in emails if e}
    if not wanted:
        return {}
    found: dict[str, list] = {}
    users = get_user_model().objects.annotate(email_lower=Lower("email"))
    for user in users.filter(email_lower__in=wanted, is_active=True).order_by("pk"):
        found.setdefault(user.email_lower, []).append(user)
    return found


def open_tasks(today: datetime.date) -> Any:
    """Open tasks of people who still hold the role the task came with (or tasks without a holding)."""
    current = (
        Q(holding__isnull=True)
        | Q(holding__withdrawn_at__isnull=True, holding__ends_on__isnull=True)
        | Q(holding__withdrawn_at__isnull=True, holding__ends_on__gte=today)
    )
    return (
        AnchoringTask.objects.open()
        .filter(current, assignee__isnull=False, assignee__anonymised_at__isnull=True)
        .exclude(assignee__email="")
        .filter(Q(role__isnull=True) | Q(role__retired_at__isnull=True))
        .select_related("assignee", "municipality", "role", "holding")
        .order_by("due_on", "pk")
    )


def package_reminders(today: datetime.date) -> list[Reminder]:
    packages: dict[int, list[AnchoringTask]] = {}
    for task in open_tasks(today).filter(origin=Origin.HANDOVER, holding__isnull=False):
        packages.setdefault(task.holding_id, []).append(task)
    people = users_by_email(tasks[0].assignee.email for tasks in packages.values())
    return [
        package_mail(tasks[0].holding, tasks, tuple(people.get(tasks[0].assignee.email, [])))
        for tasks in packages.values()
    ]


def assignment_reminders(today: datetime.date) -> list[Reminder]:
    """Recurring tasks (not in a package, which has its own mail) to their assignee, once."""
    horizon = today + datetime.timedelta(days=WARNING_DAYS)
    tasks = list(open_tasks(today).filter(origin__in=(Origin.ELECTION, Origin.YEARLY), due_on__gt=horizon))
    people = users_by_email(task.assignee.email for task in tasks)
    return [task_mail(task, "assigned", tuple(people.get(task.assignee.email, []))) for task in tasks]


def task_reminders(today: datetime.date) -> list[Reminder]:
    horizon = today + datetime.timedelta(days=WARNING_DAYS)
    tasks = [task for task in open_tasks(today).filter(due_on__lte=horizon) if not in_fresh_package(task, today)]
    people = users_by_email(task.assignee.email for task in tasks)
    return [
        task_mail(task, stage(task.due_on, today) or "due-soon", tuple(people.get(task.assignee.email, [])))
        for task in tasks
    ]


def in_fresh_package(task: AnchoringTask, today: datetime.date) -> bool:
    """A package task made within the warning window and not yet overdue: the package mail has just
    given its due date, so no separate "due soon" mail (an overdue one still goes)."""
    fresh = timezone.localdate(task.created_at) > today - datetime.timedelta(days=WARNING_DAYS)
    return task.origin == Origin.HANDOVER and task.holding_id is not None and fresh and task.due_on >= today


def action_reminders(today: datetime.date) -> list[Reminder]:
    items = list(
        ActionItem.objects.open()
        .filter(arena__closed_at__isnull=True)
        .filter(Q(owner_role__isnull=True) | Q(owner_role__retired_at__isnull=True))
        .select_related("arena", "owner_role__municipality", "owner_organisation")
        .order_by("due_on", "pk")
    )
    holders = role_holders({item.owner_role_id for item in items if item.owner_role_id}, today)
    editors = organisation_editors({item.owner_organisation_id for item in items if not item.owner_role_id})
    found = []
    for item in items:
        recipients = (
            holders.get(item.owner_role_id, []) if item.owner_role_id else editors.get(item.owner_organisation_id, [])
        )
        found.append(action_mail(item, stage(item.due_on, today) or "assigned", tuple(recipients)))
    return found


def role_holders(role_ids: set[int], today: datetime.date) -> dict[int, list]:
    """Accounts of the people holding each role today (two queries)."""
    holdings = list(
        Holding.objects.on(today)
        .filter(role__in=role_ids, person__isnull=False, person__anonymised_at__isnull=True)
        .exclude(person__email="")
        .select_related("person")
    )
    people = users_by_email(h.person.email for h in holdings)
    found: dict[int, list] = {}
    for holding in holdings:
        for user in people.get(holding.person.email, []):
            if user not in found.setdefault(holding.role_id, []):
                found[holding.role_id].append(user)
    return found


def organisation_editors(organisation_ids: set) -> dict[int, list]:
    members = (
        Membership.objects.active()
        .filter(
            organisation__in=organisation_ids,
            role__in=(MemberRole.EDITOR, MemberRole.ADMIN),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__pk")
    )
    found: dict[int, list] = {}
    for membership in members:
        found.setdefault(membership.organisation_id, []).append(membership.user)
    return found


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def package_mail(holding: Holding, tasks: list[AnchoringTask], recipients: tuple) -> Reminder:
    def subject() -> str:
        return _("Your anchoring package as %(role)s") % {"role": holding.role.display_name}

    def body() -> str:
        role, municipality = holding.role.display_name, tasks[0].municipality
        values = {"role": role, "municipality": municipality, "date": day(holding.starts_on)}
        lines = [
            _("You are registered as %(role)s in %(municipality)s from %(date)s. These tasks help you take over:")
            % values,
            "",
            *(f"- {task.display_title} ({_('due %(date)s') % {'date': day(task.due_on)}})" for task in tasks),
            "",
            f"{_('See your work:')} {site_url(reverse('mywork:index'))}",
        ]
        return "\n".join(lines) + "\n"

    return Reminder(f"anchoring-package:{holding.pk}", subject, body, recipients)


def task_mail(task: AnchoringTask, when: str, recipients: tuple) -> Reminder:
    def subject() -> str:
        if when == "overdue":
            return _("Overdue anchoring task: %(title)s") % {"title": task.display_title}
        if when == "assigned":
            return _("New anchoring task for you: %(title)s") % {"title": task.display_title}
        return _("Anchoring task due soon: %(title)s") % {"title": task.display_title}

    def body() -> str:
        values = {"title": task.display_title, "date": day(task.due_on)}
        if when == "overdue":
            text = _("This anchoring task was due on %(date)s and is not done: %(title)s") % values
        elif when == "assigned":
            text = _("This anchoring task is assigned to you, due on %(date)s: %(title)s") % values
        else:
            text = _("This anchoring task is due on %(date)s: %(title)s") % values
        return f"{text}\n\n{_('Mark it done on your page:')} {site_url(reverse('mywork:index'))}\n"

    return Reminder(f"anchoring-task:{task.pk}:{when}", subject, body, recipients)


def action_mail(item: ActionItem, when: str, recipients: tuple) -> Reminder:
    owner = item.owner_role.display_name if item.owner_role_id else str(item.owner_organisation)

    def subject() -> str:
        values = {"title": item.title}
        if when == "overdue":
            return _("Overdue action: %(title)s") % values
        if when == "due-soon":
            return _("Action due soon: %(title)s") % values
        return _("New action for you: %(title)s") % values

    def body() -> str:
        values = {"title": item.title, "arena": item.arena.name, "owner": owner, "date": day(item.due_on)}
        if when == "overdue":
            text = _("The action “%(title)s” from %(arena)s, owned by %(owner)s, was due on %(date)s.") % values
        elif when == "due-soon":
            text = _("The action “%(title)s” from %(arena)s, owned by %(owner)s, is due on %(date)s.") % values
        else:
            text = _("%(arena)s gave the action “%(title)s” to %(owner)s, due on %(date)s.") % values
        if item.owner_role_id:
            return f"{text}\n\n{_('Update its status on your page:')} {site_url(reverse('mywork:index'))}\n"
        return f"{text}\n\n{_('See the arena:')} {site_url(item.arena.get_absolute_url())}\n"

    return Reminder(f"action:{item.pk}:{when}", subject, body, recipients)
