"""The access module's answers for municipality material, per role (later apps rely on them)."""

import pytest

from lagspill.organisations import access
from lagspill.places.models import CodeChange, Municipality

from .builders import World

pytestmark = pytest.mark.django_db

SEES_SORTLAND_PRIVATE = {
    "outsider": False,
    "viewer": True,
    "editor": True,
    "admin": True,
    "county_governor": True,  # Sortland is in Nordland, the County Governor's county
    "housing_bank": True,
    "user_org": False,
    "superuser": True,
}
EDITS_SORTLAND = {**SEES_SORTLAND_PRIVATE, "viewer": False, "county_governor": False, "housing_bank": False}


@pytest.mark.parametrize("role", sorted(SEES_SORTLAND_PRIVATE))
def test_who_sees_and_edits_a_municipalitys_private_material(world: World, role: str) -> None:
    sortland = Municipality.objects.get(number="1870")
    user = world.users[role]
    assert access.sees_municipality_private(user, sortland) is SEES_SORTLAND_PRIVATE[role]
    assert access.edits_municipality(user, sortland) is EDITS_SORTLAND[role]


def test_the_county_governor_sees_nothing_private_outside_its_county(world: World) -> None:
    oslo = Municipality.objects.get(number="0301")
    assert not access.sees_municipality_private(world.users["county_governor"], oslo)


def test_a_model_without_a_rule_is_closed(world: World) -> None:
    change = CodeChange.objects.first()
    assert not access.can(world.users["admin"], "view", change)
