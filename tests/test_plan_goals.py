"""Plan goals: editors add, change and retire them on the plan's page; each goal lists the measures
serving it (those the reader may see); retired goals are kept under "Retired goals"."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from lagspill.measures.models import Measure
from lagspill.places.models import Municipality
from lagspill.plans import goal_actions
from lagspill.plans.models import Goal, Plan

from .builders import World


@pytest.fixture(autouse=True)
def in_english() -> Any:
    with translation.override("en"):
        yield


def client_for(user: object | None) -> Client:
    client = Client()
    client.cookies["lagspill_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def sortland_plan(*, public: bool = True) -> Plan:
    return Plan.objects.create(
        municipality=Municipality.objects.get(number="1870"), level="boligplan", title="Boligplan", is_public=public
    )


def measure_for(goal: Goal, title: str, *, public: bool) -> Measure:
    measure = Measure.objects.create(
        municipality=goal.plan.municipality,
        title=title,
        target_group="alle",
        completion_criterion="Er det gjort?",
        is_public=public,
    )
    measure.goals.add(goal)
    return measure


def goals_section(page: str) -> str:
    return page[page.index('id="goals-heading"') : page.index('id="documents-heading"')]


@pytest.mark.django_db
def test_an_editor_adds_changes_and_retires_a_goal(world: World) -> None:
    plan = sortland_plan()
    editor = client_for(world.users["editor"])
    url = reverse("plans:new_goal", args=["1870", plan.pk])
    assert editor.get(url).status_code == 200
    response = editor.post(url, {"number": "2.1", "text": "  Flere   barnefamilier eier egen bolig "})
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.plan, goal.number, goal.text) == (plan, "2.1", "Flere barnefamilier eier egen bolig")
    assert goal.history.get().history_user == world.users["editor"]
    assert "Flere barnefamilier eier egen bolig" in goals_section(editor.get(plan.get_absolute_url()).content.decode())

    edit = reverse("plans:edit_goal", args=["1870", plan.pk, goal.pk])
    assert editor.post(edit, {"number": "2.2", "text": "Flere eier"}).status_code == 302
    goal.refresh_from_db()
    assert (goal.number, goal.text) == ("2.2", "Flere eier")

    retire = reverse("plans:retire_goal", args=["1870", plan.pk, goal.pk])
    assert editor.post(retire).status_code == 302
    goal.refresh_from_db()
    assert goal.retired_at is not None and Goal.objects.count() == 1
    section = goals_section(editor.get(plan.get_absolute_url()).content.decode())
    assert "No goals recorded for this plan yet." in section
    assert "Flere eier" in section[section.index("Retired goals") :]

    # A retired goal is kept as it was.
    refused = editor.post(edit, {"number": "9", "text": "Noe annet"})
    assert refused.status_code == 302
    goal.refresh_from_db()
    assert goal.text == "Flere eier"
    assert editor.post(retire).status_code == 302
    assert "The goal is retired" in editor.get(plan.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_each_goal_lists_the_measures_the_reader_may_see(world: World) -> None:
    plan = sortland_plan()
    goal = Goal.objects.create(plan=plan, number="1", text="Ingen bostedsløse")
    measure_for(goal, "Åpent tiltak", public=True)
    measure_for(goal, "Internt tiltak", public=False)
    withdrawn = measure_for(goal, "Trukket tiltak", public=True)
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save()

    public = goals_section(client_for(None).get(plan.get_absolute_url()).content.decode())
    assert "Åpent tiltak" in public and "Internt tiltak" not in public and "Trukket tiltak" not in public
    inside = goals_section(client_for(world.users["viewer"]).get(plan.get_absolute_url()).content.decode())
    assert "Åpent tiltak" in inside and "Internt tiltak" in inside
    assert "Add a goal" not in inside  # viewers do not change goals
    assert "Add a goal" in client_for(world.users["editor"]).get(plan.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_bad_input_and_closed_plans_store_nothing(world: World) -> None:
    plan = sortland_plan()
    editor = client_for(world.users["editor"])
    url = reverse("plans:new_goal", args=["1870", plan.pk])
    for data in ({"number": "1", "text": "   "}, {"number": "1" * 21, "text": "Mål"}, {"text": "x" * 501}):
        assert editor.post(url, data).status_code == 400, data
    assert not Goal.objects.exists()

    plan.withdrawn_at = timezone.now()
    plan.save()
    assert editor.post(url, {"number": "1", "text": "Mål"}).status_code == 302
    assert not Goal.objects.exists()
    with pytest.raises(Exception, match="withdrawn"):
        goal_actions.add_goal(plan, number="1", text="Mål", by=None)


@pytest.mark.django_db
def test_only_the_municipalitys_editors_change_goals(world: World) -> None:
    public, private = sortland_plan(), sortland_plan(public=False)
    goal = Goal.objects.create(plan=public, number="1", text="Mål")
    for role, status in (("viewer", 403), ("outsider", 403), ("county_governor", 403)):
        client = client_for(world.users[role])
        assert client.get(reverse("plans:new_goal", args=["1870", public.pk])).status_code == status
        assert client.post(reverse("plans:retire_goal", args=["1870", public.pk, goal.pk])).status_code == status
    assert (
        client_for(world.users["outsider"]).get(reverse("plans:new_goal", args=["1870", private.pk])).status_code == 404
    )
    goal.refresh_from_db()
    assert goal.retired_at is None


@pytest.mark.django_db
def test_the_plan_page_runs_a_fixed_number_of_queries_whatever_the_goals(world: World) -> None:
    plan = sortland_plan()

    def grow(count: int) -> None:
        for index in range(count):
            goal = Goal.objects.create(plan=plan, number=str(index), text=f"Mål {index}")
            measure_for(goal, f"Tiltak {index}", public=True)
            measure_for(goal, f"Internt {index}", public=False)

    def queries(user: object | None) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client_for(user).get(plan.get_absolute_url()).status_code == 200
        return len(captured)

    grow(2)
    few = (queries(None), queries(world.users["editor"]))
    grow(10)
    Goal.objects.filter(number="0").update(retired_at=timezone.now())
    assert (queries(None), queries(world.users["editor"])) == few
