"""Housing projects: the pipeline page, one project with the gap it closes (without and with it, hidden
for readers outside the municipality), the forms with their messages, history, and bounded queries."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lagspill.measures import gap, needs_actions, project_actions, project_views
from lagspill.measures.models import HousingProject, Measure, ProjectStatus
from lagspill.places.models import Municipality

from .builders import World

pytestmark = pytest.mark.django_db


def sortland() -> Municipality:
    return Municipality.objects.get(number="1870")


def client_for(world: World, who: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if who != "anonymous":
        client.force_login(world.users[who])
    return client


def make_project(name: str = "Kjøpmannsgata 12", **fields: object) -> HousingProject:
    values = {"status": ProjectStatus.PLANNED, "ready_year": 2028, "units_adapted": 3, "is_public": True, **fields}
    return project_actions.create_project(sortland(), by=None, name=name, **values)


def make_measure(number: str = "1870", title: str = "Boliger med oppfølging") -> Measure:
    return Measure.objects.create(
        municipality=Municipality.objects.get(number=number),
        title=title,
        target_group="alle",
        completion_criterion="Er det gjort?",
    )


def form_data(**overrides: object) -> dict:
    data = {
        "name": "Sjøgata",
        "description": "",
        "status": ProjectStatus.IDEA,
        "ready_year": "2029",
        "units_ordinary": "2",
        "units_adapted": "0",
        "units_services": "0",
        "units_emergency": "0",
        "cost": "",
        "husbanken_grant": "",
        "husbanken_loan": "",
        "other_funding": "",
        "measure": "",
    }
    return {**data, **overrides}


# Forms: create, change, withdraw, with history


def test_an_editor_creates_changes_and_withdraws_a_project_and_the_history_keeps_it(world: World) -> None:
    editor = client_for(world, "editor")
    measure = make_measure()
    data = form_data(cost="12 000 000 kr", husbanken_grant="4 800 000", measure=str(measure.pk), is_public="on")
    response = editor.post(reverse("measures:new_project", args=["1870"]), data)
    project = HousingProject.objects.get(name="Sjøgata")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert project.cost == 12_000_000 and project.husbanken_grant == 4_800_000 and project.husbanken_loan is None
    assert project.created_by == world.users["editor"] and project.measure == measure

    changed = form_data(status=ProjectStatus.FUNDED, units_ordinary="4", cost="12000000", measure=str(measure.pk))
    response = editor.post(reverse("measures:edit_project", args=[project.pk]), changed)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.FUNDED and project.units_ordinary == 4

    page = editor.get(project.get_absolute_url()).content.decode()
    assert "History of changes" in page and "Created" in page
    assert "Status: Idea → Funded" in page
    assert "Ordinary rental dwellings: 2 → 4" in page
    assert "Husbanken loan" in page and "not given" in page

    response = editor.post(reverse("measures:withdraw_project", args=[project.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("measures:projects", args=["1870"])
    project.refresh_from_db()
    assert project.withdrawn_at is not None
    assert [r.history_user for r in project.history.all()] == [world.users["editor"]] * 3
    # A withdrawn project is history: no changes, and no longer in the pipeline.
    refused = editor.post(reverse("measures:edit_project", args=[project.pk]), changed, follow=True)
    assert "The project is withdrawn and can no longer be changed." in refused.content.decode()
    listing = editor.get(reverse("measures:projects", args=["1870"])).content.decode()
    assert "Withdrawn projects" in listing
    assert client_for(world, "anonymous").get(project.get_absolute_url()).status_code == 404


def test_a_second_withdrawal_at_the_same_time_gives_a_message(world: World, monkeypatch) -> None:
    project = make_project()
    fetch = project_views.project_or_404

    def fetched_then_withdrawn_by_someone_else(*args: object, **kwargs: object) -> HousingProject:
        found = fetch(*args, **kwargs)
        project_actions.withdraw_project(HousingProject.objects.get(pk=project.pk), by=world.users["admin"])
        return found

    monkeypatch.setattr(project_views, "project_or_404", fetched_then_withdrawn_by_someone_else)
    editor = client_for(world, "editor")
    response = editor.post(reverse("measures:withdraw_project", args=[project.pk]))
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    monkeypatch.undo()
    page = editor.get(response["Location"]).content.decode()
    assert "The project is already withdrawn." in page
    assert HousingProject.objects.get(pk=project.pk).history.first().history_user == world.users["admin"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ready_year": "1989"}, "Give a year between 1990 and 2100."),
        ({"ready_year": "21000"}, "Give a year between 1990 and 2100."),
        ({"units_adapted": "-1"}, "The number of units cannot be negative."),
        ({"units_ordinary": "0"}, "Give at least one dwelling unit."),
        ({"units_ordinary": "two"}, "Give the number of units as a whole number."),
        ({"cost": "-5"}, "An amount cannot be negative."),
        ({"cost": "12,5 mill"}, "Give an amount in whole kroner, e.g. 1 200 000."),
        (
            {"cost": "1 000 000", "husbanken_grant": "600 000", "husbanken_loan": "500 000"},
            "The funding parts add up to 1,100,000 kr, more than the total cost of 1,000,000 kr.",
        ),
        ({"status": ProjectStatus.FUNDED, "ready_year": ""}, "Give the year the dwellings are ready"),
        ({"name": ""}, "This field is required."),
    ],
)
def test_bad_input_gives_a_message_and_stores_nothing(world: World, overrides: dict, message: str) -> None:
    response = client_for(world, "editor").post(reverse("measures:new_project", args=["1870"]), form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not HousingProject.objects.exists()


def test_a_measure_of_another_municipality_is_refused(world: World) -> None:
    fauske = make_measure("1841", "Fauskes tiltak")
    response = client_for(world, "editor").post(
        reverse("measures:new_project", args=["1870"]), form_data(measure=str(fauske.pk))
    )
    assert response.status_code == 400
    assert "Choose one of this municipality&#x27;s measures." in response.content.decode()
    assert not HousingProject.objects.exists()
    with pytest.raises(Exception, match="this municipality"):
        project_actions.create_project(sortland(), by=None, name="x", units_ordinary=1, measure=fauske)
    assert not HousingProject.objects.exists()


def test_a_failed_edit_keeps_the_stored_project(world: World) -> None:
    project = make_project()
    response = client_for(world, "editor").post(
        reverse("measures:edit_project", args=[project.pk]), form_data(name="Nytt navn", units_ordinary="0")
    )
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.name == "Kjøpmannsgata 12" and project.history.count() == 1


# The pipeline page


def test_the_pipeline_lists_projects_by_status_with_units_funding_and_what_counts(world: World) -> None:
    mapping(need=12, vacant=2, public=True)  # 2025: the projects ready in 2028 count
    measure = make_measure()
    make_project("Idéen", status=ProjectStatus.IDEA, ready_year=None, units_adapted=0, units_ordinary=6)
    make_project("Bygget", status=ProjectStatus.BUILDING, cost=1_000_000, husbanken_grant=400_000, measure=measure)
    make_project("Privat", is_public=False, units_emergency=2)
    public = client_for(world, "anonymous").get(reverse("measures:projects", args=["1870"]))
    page = public.content.decode()
    assert "Idéen" in page and "Bygget" in page and "Privat" not in page
    assert "Under construction: 1 project" in page and "Idea: 1 project" in page and "Ready: 0 projects" in page
    assert "Projects that are planned, funded, under construction or ready count" in page
    assert "1,000,000 kr" in page and "not given" in page
    assert "Boliger med oppfølging" not in page  # a private measure is not named to the public
    groups = {g.status: g for g in public.context["groups"]}
    assert groups["ide"].units["ordinaer"] == 6 and not groups["ide"].counted
    assert groups["bygges"].units["tilpasset"] == 3 and groups["bygges"].counted
    assert public.context["counted_totals"] == [0, 3, 0, 0]
    inside = client_for(world, "viewer").get(reverse("measures:projects", args=["1870"]))
    assert "Privat" in inside.content.decode() and "Boliger med oppfølging" in inside.content.decode()
    assert inside.context["counted_totals"] == [0, 6, 0, 2]
    assert "New housing project" not in inside.content.decode()
    assert (
        "New housing project"
        in client_for(world, "editor").get(reverse("measures:projects", args=["1870"])).content.decode()
    )


def test_the_counted_row_counts_what_the_projected_gap_counts(world: World) -> None:
    mapping(need=12, vacant=2)  # 2025, not published
    make_project("Ferdig før", status=ProjectStatus.READY, ready_year=2024, units_adapted=0, units_ordinary=5)
    make_project("I kartleggingsåret", ready_year=2025, units_adapted=0, units_services=4)
    make_project("Etterpå", ready_year=2027)  # planned, 3 adapted: the only one counted
    make_project("Idé", status=ProjectStatus.IDEA, ready_year=2030, units_adapted=0, units_emergency=7)
    HousingProject.objects.create(
        municipality=sortland(), name="Uten år", status=ProjectStatus.FUNDED, units_ordinary=2, is_public=True
    )
    editor = world.users["editor"]
    response = client_for(world, "editor").get(reverse("measures:projects", args=["1870"]))
    assert response.context["counted_totals"] == [0, 3, 0, 0]
    projected = [p for p in gap.gap_series(sortland(), full=True, user=editor) if p.dwelling == gap.TOTAL]
    assert max(projected, key=lambda p: p.year).new_units == sum(response.context["counted_totals"])
    assert "Projects ready in or before 2025, the year of the latest needs mapping, are assumed" in (
        response.content.decode()
    )
    # The public sees no mapping, so nothing counts in a gap it is shown.
    public = client_for(world, "anonymous").get(reverse("measures:projects", args=["1870"]))
    assert public.context["counted_totals"] == [0, 0, 0, 0]
    assert "There is no needs mapping you can see yet, so no project is counted." in public.content.decode()


def test_without_projects_the_page_says_so(world: World) -> None:
    page = client_for(world, "anonymous").get(reverse("measures:projects", args=["1870"])).content.decode()
    assert "No housing projects you can see yet." in page


# The gap a project closes


def mapping(need: int, vacant: int, *, public: bool = False) -> None:
    values = {"behov.tilpasset": need, "bestand.tilpasset.ledig": vacant, "bestand.tilpasset.i-bruk": 20}
    needs_actions.save_mapping(sortland(), 2025, values, is_public=public, by=None)


def gap_row(client: Client, project: HousingProject) -> object:
    response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    effect = response.context["effect"]
    assert effect.state == "projected" and len(effect.rows) == 1
    return effect.rows[0]


def test_the_owner_sees_the_gap_without_and_with_the_project(world: World) -> None:
    mapping(need=12, vacant=2)
    project = make_project()  # planned, 3 adapted dwellings ready in 2028
    row = gap_row(client_for(world, "editor"), project)
    assert (row.current, row.without, row.with_project, row.hidden) == ("10", "10", "7", False)
    page = client_for(world, "editor").get(project.get_absolute_url()).content.decode()
    assert "Projected gap 2028 without the project" in page and "Projected gap 2028 with the project" in page


def test_an_idea_shows_what_it_would_change(world: World) -> None:
    mapping(need=12, vacant=2)
    make_project("Planlagt", ready_year=2027, units_adapted=1)
    idea = make_project("Idé", status=ProjectStatus.IDEA, ready_year=2030, units_adapted=4)
    row = gap_row(client_for(world, "editor"), idea)
    assert (row.current, row.without, row.with_project) == ("10", "9", "5")
    assert (
        "An idea does not count in the projected gap yet"
        in client_for(world, "editor").get(idea.get_absolute_url()).content.decode()
    )


def test_the_county_governor_gets_the_small_need_hidden_in_every_column(world: World) -> None:
    mapping(need=3, vacant=1)
    project = make_project()
    owner = gap_row(client_for(world, "editor"), project)
    assert (owner.current, owner.without, owner.with_project) == ("2", "2", "-1")
    for who in ("county_governor", "housing_bank", "superuser"):
        row = gap_row(client_for(world, who), project)
        assert row.hidden and row.current == row.without == row.with_project
        assert row.current in ("<5", "×")
        page = client_for(world, who).get(project.get_absolute_url()).content.decode()
        assert "hide small numbers of households" in page


def test_an_unpublished_mapping_is_not_shown_to_the_public(world: World) -> None:
    mapping(need=12, vacant=2)
    project = make_project()
    response = client_for(world, "anonymous").get(project.get_absolute_url())
    assert response.context["effect"].state == "none"
    assert "There is no needs mapping you can see yet" in response.content.decode()
    assert response.context["changes"] is None  # who changed what is for the municipality's insiders


# Bounded queries


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(count: int) -> None:
    for index in range(count):
        project = make_project(f"Prosjekt {index}", measure=make_measure(title=f"Tiltak {index}"))
        project.status = ProjectStatus.FUNDED
        project_actions.save_project(project, by=None)


def test_pages_run_a_bounded_number_of_queries(world: World) -> None:
    mapping(need=12, vacant=2, public=True)
    grow(2)
    first = HousingProject.objects.order_by("pk").first()
    urls = [reverse("measures:projects", args=["1870"]), first.get_absolute_url()]
    clients = [client_for(world, who) for who in ("anonymous", "editor", "county_governor")]
    few = [queries_for(c, u) for c in clients for u in urls]
    grow(8)
    for _ in range(5):
        first.units_ordinary += 1
        project_actions.save_project(first, by=world.users["editor"])
    assert [queries_for(c, u) for c in clients for u in urls] == few


# Links from the municipality and county pages


def test_the_municipality_page_links_to_needs_measures_instruments_and_projects(world: World) -> None:
    page = client_for(world, "anonymous").get(reverse("places:municipality", args=["1870"])).content.decode()
    assert "Not available in Lagspill yet." not in page
    for name in ("measures:needs", "measures:measures", "measures:instruments", "measures:projects"):
        assert f'href="{reverse(name, args=["1870"])}"' in page


def test_the_county_page_links_instruments_to_everyone_and_needs_to_those_who_see_county_material(
    world: World,
) -> None:
    instruments = f'href="{reverse("measures:county_instruments", args=["18"])}"'
    needs = f'href="{reverse("measures:needs_county", args=["18"])}"'
    public = client_for(world, "editor").get(reverse("places:county", args=["18"])).content.decode()
    assert instruments in public and needs not in public
    governor = client_for(world, "county_governor").get(reverse("places:county", args=["18"])).content.decode()
    assert instruments in governor and needs in governor
