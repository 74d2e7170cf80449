"""Demo roles and holders: Sortland and Fauske with the project's heavy turnover, made once, marked
as demo, only in demo mode."""

import datetime

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from lagspill.continuity import demo, queries
from lagspill.continuity.models import AnchoringTask, Holding, Person, Role
from lagspill.organisations.demo import ensure_demo
from lagspill.places.models import Municipality
from lagspill.plans.demo import ensure_demo_plans

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 10)


@pytest.fixture
def demo_roles() -> list[Role]:
    with override_settings(DEMO=True):
        ensure_demo()
        ensure_demo_plans()
        return demo.ensure_demo_continuity(today=TODAY)


def test_sortland_and_fauske_get_roles_with_a_history_of_holders(demo_roles: list[Role]) -> None:
    assert {r.municipality.number for r in demo_roles} == {"1870", "1841"}
    assert all(r.is_demo for r in demo_roles) and all(h.is_demo for h in Holding.objects.all())
    sortland = Municipality.objects.get(number="1870")
    coordinators = Holding.objects.filter(role__municipality=sortland, role__kind="boligkoordinator")
    assert coordinators.filter(person__isnull=False).count() == 4 and coordinators.filter(person=None).count() == 1
    figures = queries.municipality_figures(sortland, TODAY, datetime.date(2023, 9, 11))
    assert figures.roles == 11 and figures.changed[48] >= 5
    assert Role.objects.get(municipality=sortland, kind="okonomisjef").handover_note == ""
    assert Role.objects.get(municipality=sortland, kind="boligkoordinator").plans.exists()


def test_the_demo_reader_holds_a_role_with_an_open_package(demo_roles: list[Role]) -> None:
    leser = Person.objects.get(email="sortland.leser@example.org")
    assert leser.holdings.get().role.kind == "flyktningtjeneste"
    assert AnchoringTask.objects.open().filter(assignee=leser).count() >= 4
    editor = Person.objects.get(email="sortland.redaktor@example.org")
    assert editor.holdings.get().role.kind == "boligkoordinator"


def test_it_is_idempotent(demo_roles: list[Role]) -> None:
    counts = Holding.objects.count(), AnchoringTask.objects.count(), Role.objects.count()
    with override_settings(DEMO=True):
        assert demo.ensure_demo_continuity(today=TODAY) == []
    assert (Holding.objects.count(), AnchoringTask.objects.count(), Role.objects.count()) == counts


def test_the_roles_page_shows_the_demo_tag(demo_roles: list[Role], django_user_model: object) -> None:
    client = Client()
    client.force_login(django_user_model.objects.get(email="sortland.redaktor@example.org"))
    page = client.get(reverse("continuity:roles", args=["1870"])).content.decode()
    assert (
        'data-color="warning">Demo<' in page and "Cecilie Fiktivsen" not in page and "Sondre Sortland-redaktør" in page
    )


def test_no_demo_without_demo_mode() -> None:
    with pytest.raises(RuntimeError):
        demo.ensure_demo_continuity()
