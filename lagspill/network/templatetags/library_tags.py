"""`{% library_suggestions municipality %}`: the "what similar municipalities did" card on a
municipality's page (network/suggestions.py: two queries)."""

from typing import Any

from django import template

from lagspill.network import suggestions
from lagspill.places.models import Municipality

register = template.Library()


@register.inclusion_tag("network/library/_suggestions.html", takes_context=True)
def library_suggestions(context: dict[str, Any], municipality: Municipality) -> dict[str, Any]:
    user = context["request"].user
    return {
        "municipality": municipality,
        "practices": suggestions.for_municipality(user, municipality),
    }
