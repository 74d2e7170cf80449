"""Test users and organisations built in code: one of each role the product knows."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from lagspill.organisations.models import Kind, Membership, Organisation, Role
from lagspill.places.models import County, Municipality

PASSWORD = "correct-horse-battery-staple"


def make_user(email: str, **extra: object) -> object:
    return get_user_model().objects.create_user(email=email, password=PASSWORD, name=email.split("@")[0], **extra)


def municipality_org(number: str) -> Organisation:
    municipality = Municipality.objects.get(number=number)
    org, _ = Organisation.objects.get_or_create(
        municipality=municipality,
        defaults={"slug": f"kommune-{number}", "name": f"{municipality.name_plain} kommune", "kind": Kind.MUNICIPALITY},
    )
    return org


def member(email: str, organisation: Organisation, role: str = Role.VIEWER) -> object:
    user = make_user(email)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@dataclass
class World:
    """Sortland (1870) is "own" municipality, Fauske (1841) the outsider's."""

    sortland: Organisation
    fauske: Organisation
    county_governor: Organisation
    housing_bank: Organisation
    user_org: Organisation
    users: dict[str, object]


ROLES = [
    "anonymous",
    "outsider",
    "viewer",
    "editor",
    "admin",
    "county_governor",
    "housing_bank",
    "user_org",
    "superuser",
]


def build_world() -> World:
    sortland, fauske = municipality_org("1870"), municipality_org("1841")
    governor = Organisation.objects.create(
        slug="sf-nordland",
        name="Statsforvalteren i Nordland",
        kind=Kind.COUNTY_GOVERNOR,
        county=County.objects.get(number="18"),
    )
    bank = Organisation.objects.create(slug="husbanken", name="Husbanken", kind=Kind.HOUSING_BANK)
    user_org = Organisation.objects.create(slug="marborg", name="Marborg", kind=Kind.USER_ORGANISATION)
    users = {
        "outsider": member("outsider@example.org", fauske, Role.EDITOR),
        "viewer": member("viewer@example.org", sortland, Role.VIEWER),
        "editor": member("editor@example.org", sortland, Role.EDITOR),
        "admin": member("admin@example.org", sortland, Role.ADMIN),
        "county_governor": member("sf@example.org", governor, Role.EDITOR),
        "housing_bank": member("hb@example.org", bank, Role.VIEWER),
        "user_org": member("brukar@example.org", user_org, Role.EDITOR),
        "superuser": make_user("root@example.org", is_superuser=True, is_staff=True),
    }
    return World(sortland, fauske, governor, bank, user_org, users)
