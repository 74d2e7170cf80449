"""Who may use the needs pages: one case per URL name (merged into `test_access_matrix.py`).

The overview page is public (it shows published mappings only to the public). An unpublished mapping
is Sortland's working material: seen by its members, its County Governor and Husbanken (suppressed for
the last two), entered and changed by its editors and admins (those who see but may not change get
403). The county overview is for the County Governor, Husbanken and site administrators."""

from collections.abc import Callable

from lagspill.measures.models import NeedsFigure, NeedsMapping
from lagspill.places.models import Municipality

from .access_support import EVERYONE, LOGIN, SORTLAND_WORKING, Case, as_post
from .builders import ROLES, World

YEAR = 2024
SEEN = {**SORTLAND_WORKING, "anonymous": LOGIN}
CHANGE = {**SEEN, "viewer": 403, "county_governor": 403, "housing_bank": 403}
COUNTY_PRIVATE = {
    **dict.fromkeys(ROLES, 404),
    "anonymous": LOGIN,
    "county_governor": 200,
    "housing_bank": 200,
    "superuser": 200,
}


def sortland(w: World) -> dict:
    return {"number": "1870"}


def unpublished_mapping(w: World) -> dict:
    """An unpublished 2024 mapping of Sortland with a small count in it."""
    mapping = NeedsMapping.objects.create(municipality=Municipality.objects.get(number="1870"), year=YEAR)
    NeedsFigure.objects.create(mapping=mapping, code="uten-bolig.uten-tak", value=3)
    NeedsFigure.objects.create(mapping=mapping, code="uten-bolig.midlertidig", value=12)
    return {"number": "1870", "year": YEAR}


def sortland_with_mapping(w: World) -> dict:
    unpublished_mapping(w)
    return sortland(w)


def page(expect: dict, kwargs: Callable[[World], dict] = sortland, **extra: object) -> Case:
    return Case(expect, kwargs, **extra)


CASES: dict[str, Case] = {
    # Public: everyone gets the page; who sees the unpublished mapping on it is tested in test_needs_pages.py.
    "measures:needs": page(EVERYONE, sortland_with_mapping),
    "measures:needs_new": page(CHANGE),
    "measures:needs_import": page(CHANGE),
    "measures:needs_template": page(CHANGE),
    # The edit form shows every stored count, so only the municipality's own editors get it.
    "measures:needs_edit": page({**CHANGE, "superuser": 403}, unpublished_mapping),
    "measures:needs_publish": page(as_post(CHANGE), unpublished_mapping, method="post", data={"public": "1"}),
    "measures:needs_withdraw": page(as_post(CHANGE), unpublished_mapping, method="post", data={"confirm": "yes"}),
    "measures:needs_history": page(SEEN, unpublished_mapping),
    # Downloads of an unpublished mapping: its working material (a published one is open to everyone).
    "measures:needs_export_csv": page(SORTLAND_WORKING, unpublished_mapping),
    "measures:needs_export_xlsx": page(SORTLAND_WORKING, unpublished_mapping),
    "measures:needs_county": page(COUNTY_PRIVATE, lambda w: {"number": "18"}),
}
