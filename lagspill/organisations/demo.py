"""Demo organisations and accounts (LAGSPILL_DEMO=1 only). Idempotent: running it again changes nothing
but the demo passwords, which follow DEMO_PASSWORD."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from lagspill.accounts.actions import mark_email_verified
from lagspill.lib.text import fold
from lagspill.places.models import County, Municipality

from .models import Kind, Membership, Organisation, Role

NORDLAND = "18"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    organisation: str  # slug
    role: str
    description: str


ACCOUNTS = [
    DemoAccount(
        "statsforvalter@example.org",
        "Stine Statsforvalter",
        "statsforvalteren-nordland",
        Role.ADMIN,
        "County Governor adviser, Nordland",
    ),
    DemoAccount(
        "husbanken@example.org",
        "Harald Husbanken",
        "husbanken-bodo",
        Role.ADMIN,
        "Husbanken adviser, region office Bodø",
    ),
    DemoAccount("sortland.admin@example.org", "Siri Sortland-admin", "sortland", Role.ADMIN, "Administrator, Sortland"),
    DemoAccount(
        "sortland.redaktor@example.org", "Sondre Sortland-redaktør", "sortland", Role.EDITOR, "Editor, Sortland"
    ),
    DemoAccount("sortland.leser@example.org", "Sara Sortland-leser", "sortland", Role.VIEWER, "Viewer, Sortland"),
    DemoAccount("fauske.redaktor@example.org", "Frida Fauske-redaktør", "fauske", Role.EDITOR, "Editor, Fauske"),
    DemoAccount("marborg@example.org", "Martin Marborg", "marborg", Role.ADMIN, "User organisation member, Marborg"),
]


def municipality_slug(municipality: Municipality) -> str:
    return slugify(fold(municipality.name_plain))


def ensure_organisations() -> None:
    nordland = County.objects.get(number=NORDLAND)
    fixed = [
        ("statsforvalteren-nordland", "Statsforvalteren i Nordland", Kind.COUNTY_GOVERNOR, {"county": nordland}),
        ("husbanken-bodo", "Husbanken, regionkontor Bodø", Kind.HOUSING_BANK, {}),
        ("marborg", "Marborg", Kind.USER_ORGANISATION, {}),
    ]
    for slug, name, kind, extra in fixed:
        Organisation.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind, "is_demo": True, **extra})
    for municipality in nordland.municipalities.all():
        Organisation.objects.get_or_create(
            municipality=municipality,
            defaults={
                "slug": municipality_slug(municipality),
                "name": f"{municipality.name_plain} kommune",
                "kind": Kind.MUNICIPALITY,
                "is_demo": True,
            },
        )


def ensure_account(account: DemoAccount, password: str) -> None:
    user, created = get_user_model().objects.get_or_create(email=account.email, defaults={"name": account.name})
    if created or not user.check_password(password):
        user.set_password(password)
        user.save()
    mark_email_verified(user)
    organisation = Organisation.objects.get(slug=account.organisation)
    Membership.objects.active().get_or_create(user=user, organisation=organisation, defaults={"role": account.role})


@transaction.atomic
def ensure_demo() -> list[DemoAccount]:
    if not settings.DEMO:
        raise RuntimeError("Demo content needs LAGSPILL_DEMO=1.")
    ensure_organisations()
    for account in ACCOUNTS:
        ensure_account(account, settings.DEMO_PASSWORD)
    return ACCOUNTS
