"""`{% plan_reminders municipality %}`: the plan reminders on the municipality's home page, for the
people who see its working material (the municipality, its County Governor, Husbanken)."""

from typing import Any

from django import template
from django.utils import timezone

from lagspill.organisations import access
from lagspill.places.models import Municipality
from lagspill.plans import reminders
from lagspill.plans.models import Plan

register = template.Library()


@register.inclusion_tag("plans/_reminders.html", takes_context=True)
def plan_reminders(context: dict[str, Any], municipality: Municipality) -> dict[str, Any]:
    user = context["request"].user
    if not access.sees_municipality_private(user, municipality):
        return {"reminders": []}
    plans = list(access.visible(user, Plan.objects.active().filter(municipality=municipality)))
    return {"reminders": reminders.for_municipality(municipality, plans, timezone.localdate())}
