"""GET /api/kommuner/<nr>/behov: who sees which mapping, suppression in the JSON, bounded queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lagspill.measures import catalogue, needs_actions

pytestmark = pytest.mark.django_db

URL = "/api/kommuner/1870/behov"
VALUES = {
    "uten-bolig.uten-tak": 3,
    "uten-bolig.midlertidig": 10,
    "risiko.utkastelse": 7,
    "gruppe.unge": 2,
    "behov.ordinaer": 12,
    "behov.tilpasset": 2,
    "bestand.ordinaer.ledig": 1,
}


@pytest.fixture
def mappings(world):
    sortland, editor = world.sortland.municipality, world.users["editor"]
    published = needs_actions.save_mapping(sortland, 2024, VALUES, note="Fra NAV", is_public=True, by=editor)
    unpublished = needs_actions.save_mapping(sortland, 2025, VALUES, by=editor)
    return published, unpublished


def fetch(client: Client, user=None, **params):
    if user is not None:
        client.force_login(user)
    response = client.get(URL, params)
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, response.json()


def cells(body: dict) -> dict[str, dict]:
    return {c["code"]: c for c in body["figures"] + body["totals"]}


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
def test_the_municipality_sees_every_number_of_every_mapping(client, world, mappings, role) -> None:
    status, body = fetch(client, world.users[role], ar=2025)
    assert status == 200
    assert (body["year"], body["published"], body["suppressed"]) == (2025, False, False)
    found = cells(body)
    assert found["uten-bolig.uten-tak"]["value"] == 3
    assert found["uten-bolig.uten-tak"]["text"] == "3"
    assert not any(c["suppressed"] for c in found.values())
    assert found["situasjon:uten-bolig"]["value"] == 13


@pytest.mark.parametrize("role", ["county_governor", "housing_bank", "superuser"])
def test_the_county_governor_and_husbanken_see_unpublished_mappings_suppressed(client, world, mappings, role) -> None:
    status, body = fetch(client, world.users[role], ar=2025)
    assert status == 200
    assert body["suppressed"] is True
    found = cells(body)
    small = found["uten-bolig.uten-tak"]
    assert (small["value"], small["text"], small["suppressed"], small["reason"]) == (None, "<5", True, "small")
    second = found["uten-bolig.midlertidig"]
    assert (second["value"], second["text"], second["suppressed"], second["reason"]) == (None, "×", True, "secondary")
    assert found["gruppe.unge"]["text"] == "<5"
    assert found["bestand.ordinaer.ledig"]["value"] == 1  # dwellings are shown
    assert found["situasjon:uten-bolig"]["value"] == 13


@pytest.mark.parametrize("role", ["anonymous", "outsider", "user_org"])
def test_the_public_sees_published_mappings_only_and_suppressed(client, world, mappings, role) -> None:
    user = None if role == "anonymous" else world.users[role]
    status, body = fetch(client, user, ar=2024)
    assert status == 200
    assert body["suppressed"] is True and body["note"] == "Fra NAV"
    assert cells(body)["uten-bolig.uten-tak"]["text"] == "<5"
    assert cells(body)["uten-bolig.uten-tak"]["value"] is None
    assert fetch(client, user, ar=2025)[0] == 404
    # Without a year: the latest mapping this reader may see.
    assert fetch(client, user)[1]["year"] == 2024


def test_no_hidden_value_can_be_recovered_from_the_json(client, world, mappings) -> None:
    status, body = fetch(client, None, ar=2024)
    assert status == 200
    found = cells(body)
    for cell in found.values():
        if cell["suppressed"]:
            assert cell["value"] is None
    # Subtraction: total minus shown parts never leaves exactly one hidden part.
    for total, prefix in (("situasjon:uten-bolig", "uten-bolig."), ("behov:total", "behov.")):
        parts = [c for code, c in found.items() if code.startswith(prefix) and c["mapped"]]
        hidden = [c for c in [*parts, found[total]] if c["suppressed"]]
        assert len(hidden) != 1


def test_not_mapped_is_null_and_labels_come_in_three_languages(client, world, mappings) -> None:
    found = cells(fetch(client, None, ar=2024)[1])
    missing = found["behov.akutt"]
    assert (missing["mapped"], missing["value"], missing["text"], missing["reason"]) == (False, None, "", "missing")
    assert found["behov.akutt"]["label"]["en"] == "Need an emergency dwelling"
    assert found["behov.akutt"]["kind"] == "need"
    assert found["total"]["kind"] == "total"
    assert len(fetch(client, None, ar=2024)[1]["figures"]) == len(catalogue.figures())


def test_withdrawn_unknown_and_other_municipalities_are_404(client, world, mappings) -> None:
    published, _ = mappings
    needs_actions.withdraw_mapping(published, by=world.users["editor"])
    assert fetch(client, world.users["editor"], ar=2024)[0] == 404
    client.logout()
    assert fetch(client, None)[0] == 404
    assert client.get("/api/kommuner/9999/behov").status_code == 404
    assert client.get("/api/kommuner/1841/behov").status_code == 404
    assert client.get(URL, {"ar": 1800}).status_code == 422


def test_query_count_does_not_grow_with_figures(client, world) -> None:
    sortland, editor = world.sortland.municipality, world.users["editor"]
    needs_actions.save_mapping(sortland, 2024, {"behov.ordinaer": 3}, is_public=True, by=editor)
    needs_actions.save_mapping(sortland, 2025, {f.code: 7 for f in catalogue.figures()}, is_public=True, by=editor)
    client.force_login(world.users["county_governor"])
    counts = []
    for year in (2024, 2025):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"ar": year}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6


def test_the_access_matrix_case_holds(world) -> None:
    """Runs this file's access case the way `test_access_matrix.py` does, until it is merged there."""
    from django.db import transaction
    from django.urls import reverse

    from .access_needs_api import CASES
    from .builders import ROLES

    for name, case in CASES.items():
        got = {}
        for role in ROLES:
            client = Client()
            if role != "anonymous":
                client.force_login(world.users[role])
            with transaction.atomic():
                url = reverse(name, kwargs=case.kwargs(world))
                got[role] = client.get(url, case.data).status_code
                transaction.set_rollback(True)
        assert got == case.expect, name
