"""`{% participation_for subject as participation %}`: the input section of a plan or measure page
(one query for all its inputs); `{% participation_evidence plan %}`: the facts for the plan
assessment's user-participation criterion (one query)."""

from typing import Any

from django import template
from django.conf import settings

from lagspill.measures.models import Measure
from lagspill.plans.models import Plan

from .. import participation
from ..participation_forms import InputForm

register = template.Library()


@register.simple_tag(takes_context=True)
def participation_for(context: dict[str, Any], subject: Plan | Measure) -> participation.Section:
    found = participation.section(context["request"].user, subject)
    if found.may_give:
        found.form = InputForm(organisations=found.organisations, auto_id="innspill-%s")
    return found


@register.inclusion_tag("network/participation/_evidence.html")
def participation_evidence(plan: Plan, suggest: bool = False) -> dict[str, Any]:
    """The evidence is read once per plan object, however often the tag is used on the page."""
    evidence = getattr(plan, "_participation_evidence", None)
    if evidence is None:
        evidence = plan._participation_evidence = participation.evidence_for(plan)
    link = settings.SITE_URL + plan.get_absolute_url() + "#innspill"
    return {"plan": plan, "evidence": evidence, "suggest": suggest, "link": link}
