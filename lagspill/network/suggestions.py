"""What similar municipalities did: for a municipality's page, the practices the reader may see from
its most similar municipalities (the monitor's precomputed neighbours, nearest first), then from the
rest of its county (newest first). Two queries: the neighbours, and the practices."""

from typing import Any

from django.db.models import Case, IntegerField, Q, Value, When

from lagspill.indicators.models import Neighbours
from lagspill.organisations import access
from lagspill.places.models import Municipality

from .models import Practice


def neighbour_codes(municipality: Municipality) -> list[str]:
    """The similar municipalities, nearest first (empty before the monitor has computed them)."""
    found = Neighbours.objects.filter(area_code=municipality.number).values_list("codes", flat=True).first()
    return [code for code in (found or []) if code != municipality.number]


def for_municipality(user: Any, municipality: Municipality, limit: int = 3) -> list[Practice]:
    """Up to `limit` practices the user may see, from the similar municipalities (nearest first), then
    from the county (its municipalities and the county's own practices). The municipality's own
    practices are not suggestions."""
    codes = neighbour_codes(municipality)
    nearness = Case(
        *(When(municipality__number=code, then=Value(rank)) for rank, code in enumerate(codes)),
        default=Value(len(codes)),
        output_field=IntegerField(),
    )
    rows = (
        access.visible(user, Practice.objects.active())
        .filter(Q(municipality__number__in=codes) | Q(county_id=municipality.county_id))
        .exclude(municipality=municipality)
        .select_related("municipality", "county")
        .annotate(nearness=nearness)
        .order_by("nearness", "-updated_at", "pk")
    )
    return list(rows[:limit])
