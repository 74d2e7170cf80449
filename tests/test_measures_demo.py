"""Demo goals, measures and housing projects: the four project municipalities, made once, linked goal →
measure (with an owner role) → project, marked as demo, without invented statistics, only in demo mode."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from lagspill.continuity.demo import ensure_demo_continuity
from lagspill.measures.demo import ensure_demo_measures
from lagspill.measures.models import HousingProject, InstrumentUse, Measure, NeedsFigure, NeedsMapping
from lagspill.organisations.demo import ensure_demo
from lagspill.plans.demo import ensure_demo_plans
from lagspill.plans.models import Goal

pytestmark = pytest.mark.django_db
PROJECT_MUNICIPALITIES = {"1870", "1841", "1824", "1865"}


def english() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@override_settings(DEMO=True)
def test_the_demo_links_goals_measures_roles_and_projects_once() -> None:
    ensure_demo()
    ensure_demo_plans()
    ensure_demo_continuity()
    made = ensure_demo_measures()
    assert made and ensure_demo_measures() == []  # idempotent
    measures = Measure.objects.filter(is_demo=True)
    projects = HousingProject.objects.filter(is_demo=True)
    assert {m.municipality.number for m in measures} == PROJECT_MUNICIPALITIES
    assert {p.municipality.number for p in projects} == PROJECT_MUNICIPALITIES
    assert all(1 <= projects.filter(municipality__number=n).count() <= 2 for n in PROJECT_MUNICIPALITIES)
    for measure in measures:
        assert measure.goals.exists() and measure.owner_role is not None
        assert measure.owner_role.municipality_id == measure.municipality_id
        assert all(g.plan.level == "boligplan" for g in measure.goals.all())
        assert measure.description.startswith("Demo: ")
    assert all(g.text.startswith("Demo: ") for g in Goal.objects.filter(measures__is_demo=True))
    sortland = Measure.objects.get(municipality__number="1870", title="Boliger med oppfølging i Kjøpmannsgata 12")
    assert sortland.owner_role.kind == "eiendomssjef" and sortland.owner_role.holdings.exists()  # the continuity demo's
    assert projects.get(municipality__number="1870", status="planlagt").measure == sortland
    # No invented statistics: no needs counts and no instrument figures.
    assert not NeedsMapping.objects.exists() and not NeedsFigure.objects.exists() and not InstrumentUse.objects.exists()

    project = projects.get(name="Kjøpmannsgata 12 – boliger med oppfølging")
    client = english()
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Demo content, made up to show how Lagspill works." in page
    assert "There is no needs mapping you can see yet" in page
    listing = client.get(reverse("measures:projects", args=["1870"])).content.decode()
    assert "Demo content, made up to show how Lagspill works." in listing


@override_settings(DEMO=True)
def test_demo_setup_twice_changes_nothing_the_second_time() -> None:
    call_command("demo_setup", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = [Goal.objects.count(), Measure.objects.count(), HousingProject.objects.count()]
    histories = [Measure.history.count(), HousingProject.history.count()]
    call_command("demo_setup", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [Goal.objects.count(), Measure.objects.count(), HousingProject.objects.count()] == counts
    assert [Measure.history.count(), HousingProject.history.count()] == histories
    assert counts[2] >= 4


def test_the_demo_needs_the_demo_setting() -> None:
    with override_settings(DEMO=False), pytest.raises(RuntimeError):
        ensure_demo_measures()
