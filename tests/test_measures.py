"""Measures: made with plan goals and an owner role, flagged (unfunded, ownerless, overdue), progress
by the owner role's holder, history with who, withdrawal, refused input, bounded queries, the board,
the table and its download, and who sees what. Sortland (1870) is the own municipality."""

import datetime
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from lagspill.continuity.models import Department, Holding, Person, Role
from lagspill.indicators.models import Indicator
from lagspill.measures import flags
from lagspill.measures import measure_actions as actions
from lagspill.measures.models import BudgetSource, HousingProject, Measure, MeasureStatus, ProgressUpdate
from lagspill.places.models import Municipality
from lagspill.plans.models import Goal, Plan

from .builders import World

D = datetime.date
TODAY = D(2026, 5, 10)


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


def sortland() -> Municipality:
    return Municipality.objects.get(number="1870")


def plan_with_goal(*, public: bool = True, municipality: Municipality | None = None, text: str = "Flere utleieboliger"):
    plan = Plan.objects.create(
        municipality=municipality or sortland(), level="boligplan", title="Boligplan 2024–2027", is_public=public
    )
    return Goal.objects.create(plan=plan, number="1.1", text=text)


def held_role(email: str = "kari@sortland.kommune.no", *, name: str = "Kari Nordmann", since: D | None = None):
    role = Role.objects.create(municipality=sortland(), name="Boligkoordinator", department=Department.HOUSING)
    person = Person.objects.create(municipality=sortland(), name=name, email=email)
    Holding.objects.create(role=role, person=person, starts_on=since or D(2020, 1, 1))
    return role


def make_measure(**fields: Any) -> Measure:
    values = {
        "title": "Flere kommunale utleieboliger",
        "target_group": "alle",
        "completion_criterion": "Er ti nye utleieboliger tildelt innen 2027?",
        "budget": 1_000_000,
        "budget_source": BudgetSource.OPERATING,
        "starts_on": D(2025, 1, 1),
        "ends_on": D(2027, 12, 31),
    }
    values.update(fields)
    goals, indicators = values.pop("goals", []), values.pop("indicators", [])
    municipality = values.pop("municipality", None) or sortland()
    return actions.create_measure(municipality, {**values, "goals": goals, "indicators": indicators}, by=None)


def form_data(goal: Goal | None, role: Role | None, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Boligsosial veiledning",
        "description": "Veiledning av husstander med startlån.",
        "goals": [goal.pk] if goal else [],
        "target_group": "barnefamilier",
        "instrument": "startlan",
        "owner_role": role.pk if role else "",
        "budget": "250000",
        "budget_source": "husbanken",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "completion_criterion": "Har 20 barnefamilier fått startlån i 2026?",
        "indicators": [Indicator.objects.get(code="population").pk],
    }
    data.update(overrides)
    return data


# Creating a measure


@pytest.mark.django_db
def test_an_editor_makes_a_measure_linked_to_a_plan_goal_and_an_owner_role(world: World) -> None:
    goal, role = plan_with_goal(), held_role()
    client = client_for(world.users["editor"])
    page = client.get(reverse("measures:new_measure", args=["1870"])).content.decode()
    assert "Boligplan 2024–2027: 1.1 Flere utleieboliger" in page and "Boligkoordinator" in page

    response = client.post(reverse("measures:new_measure", args=["1870"]), form_data(goal, role))
    measure = Measure.objects.get()
    assert response.status_code == 302 and response["Location"] == measure.get_absolute_url()
    assert list(measure.goals.all()) == [goal] and measure.owner_role == role
    assert measure.budget == 250_000 and measure.status == MeasureStatus.PLANNED
    assert measure.created_by == world.users["editor"]

    page = client.get(measure.get_absolute_url()).content.decode()
    assert goal.plan.get_absolute_url() in page and role.get_absolute_url() in page
    assert "Kari Nordmann" in page  # the editor may see the role, so its holder
    assert reverse("indicators:series", args=["1870", "population"]) in page
    assert "250,000 kr" in page and "Not answered" in page


@pytest.mark.django_db
def test_the_form_offers_only_the_municipalitys_active_goals_and_roles(world: World) -> None:
    goal = plan_with_goal()
    retired = Goal.objects.create(plan=goal.plan, number="1.2", text="Et gammelt mål", retired_at=timezone.now())
    other = plan_with_goal(municipality=Municipality.objects.get(number="1841"), text="Fauskes mål")
    page = client_for(world.users["editor"]).get(reverse("measures:new_measure", args=["1870"])).content.decode()
    assert goal.text in page and retired.text not in page and other.text not in page

    response = client_for(world.users["editor"]).post(
        reverse("measures:new_measure", args=["1870"]), form_data(other, None)
    )
    assert response.status_code == 400 and not Measure.objects.exists()


# Flags


@pytest.mark.django_db
def test_flags_are_exact(world: World) -> None:
    role = held_role()
    vacant = Role.objects.create(municipality=sortland(), name="Ledig rolle", department=Department.HOUSING)
    Holding.objects.create(role=vacant, person=None, starts_on=D(2020, 1, 1))
    retired = held_role("per@sortland.kommune.no", name="Per")
    ended = held_role("ola@sortland.kommune.no", name="Ola")
    ended.holdings.update(ends_on=TODAY - datetime.timedelta(days=1))

    cases = {
        "fine": (make_measure(owner_role=role), []),
        "no budget": (make_measure(owner_role=role, budget=None), ["unfunded"]),
        "no source": (make_measure(owner_role=role, budget_source=""), ["unfunded"]),
        "no owner": (make_measure(), ["ownerless"]),
        "vacant": (make_measure(owner_role=vacant), ["ownerless"]),
        "retired role": (make_measure(owner_role=retired), ["ownerless"]),
        "holder left": (make_measure(owner_role=ended), ["ownerless"]),
        "past end": (make_measure(owner_role=role, ends_on=D(2026, 5, 9), status="pagar"), ["overdue"]),
        "ends today": (make_measure(owner_role=role, ends_on=TODAY, status="pagar"), []),
        "done late": (make_measure(owner_role=role, ends_on=D(2026, 1, 1), status="fullfort"), []),
        "stopped late": (make_measure(owner_role=role, ends_on=D(2026, 1, 1), status="stanset"), []),
        "done, no owner or money": (make_measure(budget=None, status="fullfort"), []),
        "all three": (make_measure(budget=None, ends_on=D(2026, 1, 1)), ["unfunded", "ownerless", "overdue"]),
    }
    retired.retired_at = timezone.now()  # retired after the measure was made
    retired.save()
    for name, (measure, expected) in cases.items():
        fresh = Measure.objects.select_related("owner_role").get(pk=measure.pk)
        assert flags.flags(fresh, TODAY) == expected, name

    with CaptureQueriesContext(connection) as captured:
        annotated = {m.pk: m.flags for m in flags.annotate(Measure.objects.all(), TODAY)}
    assert len(captured) == 2  # the measures with their owner roles, and today's holders
    assert annotated == {measure.pk: expected for measure, expected in cases.values()}
    counts = flags.counts(flags.annotate(Measure.objects.all(), TODAY))
    assert counts == {"unfunded": 3, "ownerless": 5, "overdue": 2}


@pytest.mark.django_db
def test_the_list_counts_flags_and_filters(world: World) -> None:
    goal, role = plan_with_goal(), held_role()
    make_measure(title="Uten penger", budget=None, owner_role=role, goals=[goal], instrument="startlan")
    make_measure(title="Uten eier", status="pagar")
    make_measure(title="Forsinket", owner_role=role, ends_on=D(2025, 6, 1), status="pagar")
    client = client_for(world.users["viewer"])
    url = reverse("measures:measures", args=["1870"])
    page = client.get(url).content.decode()
    assert "1 unfunded" in page and "1 ownerless" in page and "1 overdue" in page
    board = page[page.index('id="board"') :]
    planned = board[board.index('id="column-planlagt"') : board.index('id="column-pagar"')]
    assert "Uten penger" in planned and "Uten eier" not in planned

    def titles(**query: str) -> set[str]:
        text = client.get(url, {"visning": "tabell", **query}).content.decode()
        if 'id="measure-table"' not in text:
            return set()
        return {t for t in ("Uten penger", "Uten eier", "Forsinket") if t in text[text.index('id="measure-table"') :]}

    assert titles() == {"Uten penger", "Uten eier", "Forsinket"}
    assert titles(flagg="unfunded") == {"Uten penger"}
    assert titles(flagg="ownerless") == {"Uten eier"}
    assert titles(status="pagar") == {"Uten eier", "Forsinket"}
    assert titles(mal=str(goal.pk)) == {"Uten penger"}
    assert titles(virkemiddel="startlan") == {"Uten penger"}
    assert titles(status="nonsense") == {"Uten penger", "Uten eier", "Forsinket"}  # an odd value is ignored
    assert titles(status="stanset") == set()


# Progress


@pytest.mark.django_db
def test_the_owner_roles_holder_reports_progress_and_a_viewer_may_not(world: World) -> None:
    outside = world.users["user_org"]  # no membership in Sortland; holds the owner role by e-mail
    role = held_role(outside.email, name="Bruker Representant")
    measure = make_measure(owner_role=role)
    url = reverse("measures:report_progress", args=[measure.pk])
    data = {"on": "2026-03-01", "text": "Fem boliger tildelt.", "status": "pagar", "criterion_met": ""}

    refused = client_for(world.users["viewer"]).post(url, data)
    assert refused.status_code == 403 and not ProgressUpdate.objects.exists()

    holder = client_for(outside)
    assert "Report progress" in holder.get(measure.get_absolute_url()).content.decode()
    response = holder.post(url, data)
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.created_by == outside and update.status == "pagar" and update.on == D(2026, 3, 1)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.ACTIVE and measure.criterion_met is None

    done = {**data, "on": "2026-04-01", "text": "Ferdig.", "status": "fullfort", "criterion_met": "ja"}
    assert holder.post(url, done).status_code == 302
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DONE and measure.criterion_met is True
    page = holder.get(measure.get_absolute_url()).content.decode()
    assert page.index("Ferdig.") < page.index("Fem boliger tildelt.")  # newest first
    assert "Yes, met" in page


@pytest.mark.django_db
def test_a_bad_progress_update_stores_nothing(world: World) -> None:
    measure = make_measure()
    url = reverse("measures:report_progress", args=[measure.pk])
    client = client_for(world.users["editor"])
    bad = [
        {"on": "2026-03-01", "text": "Ok", "status": "pagar", "criterion_met": "ja"},  # answer while not done
        {"on": "3026-03-01", "text": "Ok", "status": "pagar"},
        {"on": "2026-03-01", "text": "   ", "status": "pagar"},
        {"on": "2026-03-01", "text": "Ok", "status": "ukjent"},
    ]
    for data in bad:
        response = client.post(url, data)
        assert response.status_code == 400, data
    page = client.post(url, bad[0]).content.decode()
    assert "Answer the completion criterion only when the measure is completed." in page
    measure.refresh_from_db()
    assert not ProgressUpdate.objects.exists() and measure.status == MeasureStatus.PLANNED


# History and withdrawal


@pytest.mark.django_db
def test_the_history_shows_who_changed_what_including_goals(world: World) -> None:
    goal, role = plan_with_goal(), held_role()
    editor = world.users["editor"]
    client = client_for(editor)
    client.post(reverse("measures:new_measure", args=["1870"]), form_data(None, role))
    measure = Measure.objects.get()
    changed = form_data(goal, role, title="Bedre boligsosial veiledning", budget="300000")
    assert client.post(reverse("measures:edit_measure", args=[measure.pk]), changed).status_code == 302

    page = client_for(world.users["viewer"]).get(measure.get_absolute_url()).content.decode()
    history = page[page.index('id="measure-history"') :]
    assert "Bedre boligsosial veiledning" in history and "Boligsosial veiledning" in history
    assert "Plan goals" in history and "1.1 Flere utleieboliger" in history
    assert "250,000" in history and "300,000" in history
    assert editor.name in history
    # Anonymous readers of a public measure see the measure, not who changed it.
    measure.is_public = True
    measure.save()
    assert 'id="measure-history"' not in client_for(None).get(measure.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_owner_roles_holder_sees_no_goal_of_a_private_plan_in_the_history(world: World) -> None:
    outside = world.users["user_org"]  # holds the owner role by e-mail; may not see private plans
    secret = plan_with_goal(public=False, text="Et internt mål")
    open_goal = plan_with_goal(text="Et åpent mål")
    measure = make_measure(owner_role=held_role(outside.email, name="Bruker Representant"), goals=[open_goal])
    actions.update_measure(measure, {"goals": [open_goal, secret], "indicators": []}, by=None)

    page = client_for(outside).get(measure.get_absolute_url()).content.decode()
    history = page[page.index('id="measure-history"') :]
    assert "Et åpent mål" in history and "a goal you cannot see" in history
    assert "Et internt mål" not in page
    member = client_for(world.users["viewer"]).get(measure.get_absolute_url()).content.decode()
    assert "Et internt mål" in member[member.index('id="measure-history"') :]


@pytest.mark.django_db
def test_editing_a_measure_keeps_its_link_to_a_goal_retired_since(world: World) -> None:
    goal, role = plan_with_goal(), held_role()
    old = Goal.objects.create(plan=goal.plan, number="1.2", text="Et gammelt mål")
    measure = make_measure(owner_role=role, goals=[goal, old])
    old.retired_at = timezone.now()
    old.save()
    other = Goal.objects.create(plan=goal.plan, number="1.3", text="Et annet mål", retired_at=timezone.now())
    client = client_for(world.users["editor"])
    url = reverse("measures:edit_measure", args=[measure.pk])
    page = client.get(url).content.decode()
    assert "1.2 Et gammelt mål (retired)" in page and other.text not in page

    data = form_data(goal, role, title="Nytt navn", goals=[goal.pk, old.pk])
    assert client.post(url, data).status_code == 302
    measure.refresh_from_db()
    assert measure.title == "Nytt navn" and set(measure.goals.all()) == {goal, old}
    # A retired goal the measure was not linked to cannot be added.
    assert client.post(url, {**data, "goals": [goal.pk, old.pk, other.pk]}).status_code == 400
    with pytest.raises(Exception, match="active goals"):
        actions.update_measure(measure, {"goals": [goal, old, other], "indicators": []}, by=None)
    assert set(measure.goals.all()) == {goal, old}


@pytest.mark.django_db
def test_editing_through_a_stale_copy_keeps_a_progress_reports_status(world: World) -> None:
    measure = make_measure()
    stale = Measure.objects.get(pk=measure.pk)
    actions.report_progress(measure, on=TODAY, text="Godt i gang.", status=MeasureStatus.ACTIVE, by=None)
    actions.update_measure(stale, {"title": "Nytt navn", "goals": [], "indicators": []}, by=None)
    measure.refresh_from_db()
    assert measure.title == "Nytt navn" and measure.status == MeasureStatus.ACTIVE
    assert stale.status == MeasureStatus.ACTIVE


@pytest.mark.django_db
def test_a_public_measure_shows_no_owner_role_or_ownerless_flag_to_those_who_may_not_see_roles(
    world: World,
) -> None:
    vacant = Role.objects.create(municipality=sortland(), name="Ledig rolle", department=Department.HOUSING)
    measure = make_measure(title="Åpent tiltak", owner_role=vacant, is_public=True)
    url = reverse("measures:measures", args=["1870"])
    for language in ("en", "nb"):
        anonymous = Client()
        anonymous.cookies["lagspill_language"] = language
        pages = [
            anonymous.get(measure.get_absolute_url()).content.decode(),
            anonymous.get(url).content.decode(),
            anonymous.get(url, {"visning": "tabell"}).content.decode(),
            anonymous.get(reverse("measures:measures_export_csv", args=["1870"])).content.decode("utf-8-sig"),
        ]
        for page in pages:
            assert "Åpent tiltak" in page and "Ledig rolle" not in page, language
            assert "ownerless" not in page.lower() and "Uten ansvarlig" not in page, language
            assert not re.search(r"\d uten ansvarlig", page), language  # the flag count
    member = client_for(world.users["viewer"])
    assert "Ledig rolle" in member.get(measure.get_absolute_url()).content.decode()
    assert "1 ownerless" in member.get(url).content.decode()


@pytest.mark.django_db
def test_a_withdrawn_measure_is_kept_and_refuses_changes(world: World) -> None:
    measure = make_measure(is_public=True)
    editor = client_for(world.users["editor"])
    response = editor.post(reverse("measures:withdraw_measure", args=[measure.pk]))
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.withdrawn_at is not None

    assert client_for(None).get(measure.get_absolute_url()).status_code == 404
    page = client_for(world.users["viewer"]).get(measure.get_absolute_url()).content.decode()
    assert "Withdrawn" in page and "Change the measure" not in page
    listing = editor.get(reverse("measures:measures", args=["1870"])).content.decode()
    assert "Withdrawn measures" in listing and 'id="board"' not in listing
    assert (
        "Withdrawn measures" not in client_for(None).get(reverse("measures:measures", args=["1870"])).content.decode()
    )

    edit = editor.post(reverse("measures:edit_measure", args=[measure.pk]), form_data(None, None, title="Nytt"))
    progress = editor.post(
        reverse("measures:report_progress", args=[measure.pk]), {"on": "2026-03-01", "text": "x", "status": "pagar"}
    )
    assert edit.status_code == progress.status_code == 302
    measure.refresh_from_db()
    assert measure.title == "Flere kommunale utleieboliger" and not ProgressUpdate.objects.exists()
    assert "The measure is withdrawn" in editor.get(measure.get_absolute_url()).content.decode()


# Refused input


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"budget": "-5"}, "The budget cannot be negative."),
        ({"budget": "mye"}, "Give the budget as a whole number of kroner."),
        ({"completion_criterion": "Ti nye boliger."}, "the Veiviseren rule"),
        ({"completion_criterion": ""}, "This field is required."),
        ({"ends_on": "2025-12-31"}, "The measure cannot end before it starts"),
        ({"starts_on": "1789-07-14"}, "Give a date between 1990 and 2100."),
        ({"starts_on": "i fjor"}, "Give a date as YYYY-MM-DD."),
        ({"title": ""}, "This field is required."),
        ({"target_group": "alle-og-enhver"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(
    world: World, override: dict[str, str], message: str
) -> None:
    goal, role = plan_with_goal(), held_role()
    response = client_for(world.users["editor"]).post(
        reverse("measures:new_measure", args=["1870"]), form_data(goal, role, **override)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Measure.objects.exists() and not Measure.history.exists()


@pytest.mark.django_db
def test_a_retired_owner_role_is_refused_by_the_action(world: World) -> None:
    role = held_role()
    role.retired_at = timezone.now()
    role.save()
    with pytest.raises(Exception, match="active roles"):
        make_measure(owner_role=role)
    assert not Measure.objects.exists()


# Bounded queries


def queries_for(client: Client, url: str, **query: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).status_code == 200
    return len(captured)


def grow(count: int, goal: Goal, offset: int = 0) -> None:
    for index in range(count):
        role = held_role(f"p{offset + index}@sortland.kommune.no", name=f"Person {offset + index}")
        measure = make_measure(title=f"Tiltak {offset + index}", owner_role=role, goals=[goal], is_public=True)
        HousingProject.objects.create(municipality=sortland(), name=f"Prosjekt {index}", measure=measure)
        ProgressUpdate.objects.create(measure=measure, text="Ok", status="pagar")


@pytest.mark.django_db
def test_board_table_export_and_measure_page_run_a_fixed_number_of_queries(world: World) -> None:
    goal = plan_with_goal()
    grow(2, goal)
    editor, anonymous = client_for(world.users["editor"]), client_for(None)
    url = reverse("measures:measures", args=["1870"])
    csv_url = reverse("measures:measures_export_csv", args=["1870"])
    first = Measure.objects.order_by("pk").first()

    def measure_all() -> list[int]:
        return [
            queries_for(editor, url),
            queries_for(editor, url, visning="tabell"),
            queries_for(editor, url, visning="tabell", flagg="overdue"),
            queries_for(anonymous, url),
            queries_for(editor, csv_url),
            queries_for(editor, first.get_absolute_url()),
            queries_for(editor, goal.plan.get_absolute_url()),
        ]

    few = measure_all()
    grow(8, goal, offset=10)
    for _ in range(5):  # more history and updates on the measure itself
        actions.update_measure(first, {"title": f"{first.title}!", "goals": [goal], "indicators": []}, by=None)
        ProgressUpdate.objects.create(measure=first, text="Mer", status="pagar")
    assert measure_all() == few


# Who sees what


@pytest.mark.django_db
def test_a_private_measure_is_hidden_from_outsiders_and_a_public_one_open_to_all(world: World) -> None:
    private_goal = plan_with_goal(public=False, text="Et internt mål")
    private = make_measure(title="Internt tiltak", goals=[private_goal])
    public = make_measure(title="Åpent tiltak", goals=[private_goal], is_public=True, owner_role=held_role())
    for role in ("outsider", "user_org"):
        assert client_for(world.users[role]).get(private.get_absolute_url()).status_code == 404
    assert client_for(None).get(private.get_absolute_url()).status_code == 404

    page = client_for(None).get(public.get_absolute_url()).content.decode()
    assert "Åpent tiltak" in page and "Et internt mål" not in page  # the goal's plan is private
    assert "Boligkoordinator" not in page and "Kari Nordmann" not in page  # roles are working material
    listing = client_for(None).get(reverse("measures:measures", args=["1870"])).content.decode()
    assert "Åpent tiltak" in listing and "Internt tiltak" not in listing
    csv = client_for(None).get(reverse("measures:measures_export_csv", args=["1870"])).content.decode("utf-8-sig")
    assert "Åpent tiltak" in csv and "Internt tiltak" not in csv and "Et internt mål" not in csv
    governor = client_for(world.users["county_governor"]).get(reverse("measures:measures", args=["1870"]))
    assert "Internt tiltak" in governor.content.decode()


@pytest.mark.django_db
def test_the_csv_holds_the_table_and_keeps_typed_text_from_running_as_a_formula(world: World) -> None:
    make_measure(title='=HYPERLINK("http://x")', is_public=True, budget=1234567)
    response = client_for(world.users["viewer"]).get(reverse("measures:measures_export_csv", args=["1870"]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.startswith("Measure;Plan goals;Target group") and "Flags" in header
    assert "'=HYPERLINK" in text and "1234567" in text and "Not answered" in text


def test_editing_a_measure_keeps_an_owner_role_retired_since(world: World) -> None:
    role = held_role()
    measure = make_measure(owner_role=role)
    role.retired_at = timezone.now()
    role.save()
    actions.update_measure(measure, {"title": "Nytt navn", "owner_role": role, "goals": [], "indicators": []}, by=None)
    measure.refresh_from_db()
    assert measure.title == "Nytt navn" and measure.owner_role == role
    other = Role.objects.create(municipality=sortland(), name="Gammel rolle", department=Department.HOUSING)
    other.retired_at = timezone.now()
    other.save()
    with pytest.raises(ValidationError):
        actions.update_measure(measure, {"owner_role": other, "goals": [], "indicators": []}, by=None)
    assert Measure.objects.get(pk=measure.pk).owner_role == role
