"""The demo arenas: Sortland's team and the County Governor's network, made once, labelled Demo."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from lagspill.arenas.demo import NETWORK, TEAM, ensure_demo_arenas
from lagspill.arenas.models import ActionItem, Arena, Decision

pytestmark = pytest.mark.django_db


@override_settings(DEMO=True)
def test_the_demo_arenas_are_made_once_with_meetings_decisions_and_actions() -> None:
    made = ensure_demo_arenas()
    assert sorted(a.name for a in made) == sorted([TEAM, NETWORK])
    assert ensure_demo_arenas() == []  # idempotent
    team = Arena.objects.get(name=TEAM, municipality__number="1870")
    assert team.is_demo and not team.is_public
    assert {m.role.kind for m in team.members.filter(role__isnull=False)} >= {"boligkoordinator", "flyktningtjeneste"}
    assert team.members.filter(organisation__slug="marborg").exists()
    assert [d.label for d in Decision.objects.filter(arena=team).order_by("number")] == [
        "1/2026",
        "2/2026",
        "3/2026",
        "4/2026",
    ]
    today = timezone.localdate()
    assert ActionItem.objects.filter(arena=team).overdue(today).exists()
    assert ActionItem.objects.filter(arena=team, owner_role__kind="flyktningtjeneste").exists()
    network = Arena.objects.get(name=NETWORK, county__number="18")
    assert network.is_public and network.members.filter(organisation__slug="husbanken-bodo").exists()
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(network.get_absolute_url()).content.decode()
    assert "Demo content, made up to show how Lagspill works." in page
    assert client.get(team.get_absolute_url()).status_code == 404  # the team is private


def test_the_demo_needs_the_demo_setting() -> None:
    with override_settings(DEMO=False), pytest.raises(RuntimeError):
        ensure_demo_arenas()
