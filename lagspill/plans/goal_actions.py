"""Changes to plan goals, each atomic: add, change, retire. A goal is retired, never deleted, so the
measures that served it keep their link and the history shows what the goal said."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Goal, Plan


def check_plan_open(plan: Plan) -> None:
    if plan.withdrawn_at is not None:
        raise ValidationError(_("The plan is withdrawn: its goals can no longer be changed."))


def check_goal_open(goal: Goal) -> None:
    check_plan_open(goal.plan)
    if goal.retired_at is not None:
        raise ValidationError(_("The goal is retired and can no longer be changed."))


def locked(goal: Goal) -> Goal:
    return Goal.objects.select_for_update().select_related("plan").get(pk=goal.pk)


@transaction.atomic
def add_goal(plan: Plan, *, number: str, text: str, by: Any) -> Goal:
    check_plan_open(plan)
    goal = Goal(plan=plan, number=number.strip(), text=" ".join(text.split()), created_by=by)
    goal._history_user = by
    goal.save()
    return goal


@transaction.atomic
def change_goal(goal: Goal, *, number: str, text: str, by: Any) -> Goal:
    check_goal_open(locked(goal))
    goal.number, goal.text = number.strip(), " ".join(text.split())
    goal._history_user = by
    goal.save(update_fields=["number", "text"])
    return goal


@transaction.atomic
def retire_goal(goal: Goal, *, by: Any) -> Goal:
    """The goal stays, with its measures, under "Retired goals"."""
    check_goal_open(locked(goal))
    goal.retired_at = timezone.now()
    goal._history_user = by
    goal.save(update_fields=["retired_at"])
    return goal
