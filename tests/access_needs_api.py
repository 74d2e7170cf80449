"""Who may read a needs mapping through the API: one case per URL name (merged into
`test_access_matrix.py`). An unpublished mapping is Sortland's working material: its members, its
County Governor, Husbanken and site administrators get it (suppressed for all but the members, see
test_needs_api.py); everyone else gets 404 (the API answers 404, it does not send people to log in)."""

from lagspill.measures import needs_actions
from lagspill.places.models import Municipality

from .access_support import SORTLAND_WORKING, Case
from .builders import World


def unpublished_mapping(w: World) -> dict:
    sortland = Municipality.objects.get(number="1870")
    needs_actions.save_mapping(sortland, 2025, {"behov.ordinaer": 3, "behov.akutt": 9}, by=None)
    return {"number": "1870"}


CASES: dict[str, Case] = {
    "api:needs_mapping": Case(SORTLAND_WORKING, unpublished_mapping, data={"ar": 2025}),
}
