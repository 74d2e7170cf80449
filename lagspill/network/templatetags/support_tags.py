"""`{% support_card municipality %}`: the card on the municipality's page that leads its own members
to the municipality's support requests (nobody else sees the requests, so nobody else gets the card)."""

from typing import Any

from django import template

from lagspill.organisations import access
from lagspill.places.models import Municipality

register = template.Library()


@register.inclusion_tag("network/support/_municipality_card.html", takes_context=True)
def support_card(context: dict[str, Any], municipality: Municipality) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    member = municipality.number in access.scope(user).municipalities
    return {
        "municipality": municipality,
        "member": member,
        "may_send": member and access.may_send_request(user, municipality),
    }
