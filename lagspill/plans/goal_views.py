"""Plan goals: the goals section of a plan's page (active goals with the measures serving them, and
retired goals), and the forms to add, change and retire goals. Each view: fetch through the access
module, call an action, render."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lagspill.measures.models import Measure
from lagspill.organisations import access

from . import goal_actions
from .models import Goal, Plan

GET_POST = require_http_methods(["GET", "POST"])


class GoalForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Number"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("As in the plan, e.g. “2.1”."),
    )
    text = forms.CharField(label=gettext_lazy("Goal"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_text(self) -> str:
        text = " ".join(self.cleaned_data["text"].split())
        if not text:
            raise forms.ValidationError(_("Write the goal."))
        return text


def plan_goals(user: Any, plan: Plan) -> dict[str, Any]:
    """The plan page's goals section: active and retired goals, each with the measures serving it
    that the reader may see (`goal.shown_measures`), in two queries."""
    measures = access.visible(user, Measure.objects.active()).order_by("title", "pk")
    rows = plan.goals.prefetch_related(Prefetch("measures", queryset=measures, to_attr="shown_measures"))
    goals = list(rows.order_by("number", "pk"))
    return {
        "goals": [g for g in goals if g.retired_at is None],
        "retired_goals": [g for g in goals if g.retired_at is not None],
    }


def plan_or_404(request: HttpRequest, number: str, pk: int) -> Plan:
    plans = Plan.objects.select_related("municipality__county")
    return access.get_or_404(request.user, plans, pk=pk, municipality__number=number)


def goal_or_404(request: HttpRequest, number: str, pk: int, goal: int) -> Goal:
    rows = Goal.objects.select_related("plan__municipality__county")
    return access.get_or_404(request.user, rows, "change", pk=goal, plan__pk=pk, plan__municipality__number=number)


def refused(request: HttpRequest, error: ValidationError, plan: Plan) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect(plan)


@login_required
@GET_POST
def new_goal(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    plan = plan_or_404(request, number, pk)
    access.require(request.user, "change", Goal(plan=plan))
    try:
        goal_actions.check_plan_open(plan)
    except ValidationError as error:
        return refused(request, error, plan)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal_actions.add_goal(plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            return refused(request, error, plan)
        messages.success(request, _("The goal is added."))
        return redirect(plan.get_absolute_url() + "#goals-heading")
    context = {"municipality": plan.municipality, "plan": plan, "form": form, "heading": _("New goal")}
    return render(request, "plans/goal_form.html", context, status=400 if form.errors else 200)


@login_required
@GET_POST
def edit_goal(request: HttpRequest, number: str, pk: int, goal: int) -> HttpResponse:
    found = goal_or_404(request, number, pk, goal)
    plan = found.plan
    try:
        goal_actions.check_goal_open(found)
    except ValidationError as error:
        return refused(request, error, plan)
    form = GoalForm(request.POST or None, initial={"number": found.number, "text": found.text})
    if request.method == "POST" and form.is_valid():
        try:
            goal_actions.change_goal(found, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            return refused(request, error, plan)
        messages.success(request, _("The goal is saved."))
        return redirect(plan.get_absolute_url() + "#goals-heading")
    context = {"municipality": plan.municipality, "plan": plan, "form": form, "heading": _("Change the goal")}
    return render(request, "plans/goal_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def retire_goal(request: HttpRequest, number: str, pk: int, goal: int) -> HttpResponse:
    found = goal_or_404(request, number, pk, goal)
    try:
        goal_actions.retire_goal(found, by=request.user)
    except ValidationError as error:
        return refused(request, error, found.plan)
    messages.success(request, _("The goal is retired. It is kept, with its measures, under “Retired goals”."))
    return redirect(found.plan.get_absolute_url() + "#goals-heading")
