"""Roles, holders, handover notes, anonymisation, the import, anchoring packages and recurring
tasks, the tasks page and the county overview. Sortland (1870) is the own municipality."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from lagspill.arenas.models import Arena, ArenaMember, Meeting
from lagspill.continuity import actions, anchoring, imports
from lagspill.continuity.models import AnchoringTask, Holding, Origin, Person, Role
from lagspill.places.models import Municipality
from lagspill.plans.models import Plan

from .builders import World

D = datetime.date
TODAY = D(2026, 5, 10)
START = D(2021, 1, 1)


@pytest.fixture(autouse=True)
def in_english() -> object:
    """The tests read the English source strings (the pages default to bokmål)."""
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


def coordinator(world: World, *, holder: str | None = "Kari Nordmann", since: datetime.date = START) -> Role:
    role = actions.add_role(sortland(), by=world.users["editor"], kind="boligkoordinator")
    if holder:
        actions.replace_holder(
            role, name=holder, email="kari@sortland.kommune.no", starts_on=since, by=world.users["editor"], today=since
        )
    return role


def counts() -> tuple[int, int, int, int]:
    return Holding.objects.count(), Person.objects.count(), AnchoringTask.objects.count(), Role.objects.count()


def role_url(name: str, role: Role, *args: object) -> str:
    return reverse(f"continuity:{name}", args=[role.municipality.number, role.pk, *args])


# Roles


@pytest.mark.django_db
def test_catalogue_roles_are_created_once(world: World) -> None:
    created = actions.ensure_catalogue_roles(sortland(), world.users["editor"])
    assert len(created) == 11 and actions.ensure_catalogue_roles(sortland(), world.users["editor"]) == []
    mayor = Role.objects.get(municipality__number="1870", kind="ordforer")
    with translation.override("nb"):
        assert mayor.is_elected and mayor.department == "politisk" and mayor.display_name.startswith("Ordfører")


@pytest.mark.django_db
def test_the_editor_adds_a_catalogue_role_and_an_own_role(world: World) -> None:
    client = client_for(world.users["editor"])
    url = reverse("continuity:add_role", args=["1870"])
    assert client.post(url, {"kind": "plansjef"}).status_code == 302
    assert client.post(url, {"name": "Boligrådgiver", "department": "bolig"}).status_code == 302
    before = counts()
    response = client.post(url, {"name": "", "department": ""})
    assert response.status_code == 400 and "give your own role a name" in response.content.decode()
    assert client.post(url, {"kind": "plansjef"}).status_code == 400  # not offered again
    assert counts() == before
    assert set(Role.objects.values_list("kind", "name")) == {("plansjef", ""), ("", "Boligrådgiver")}


@pytest.mark.django_db
def test_handover_note_is_kept_with_history(world: World) -> None:
    role = coordinator(world)
    client = client_for(world.users["editor"])
    client.post(role_url("handover", role), {"handover_note": "Først: møt NAV-lederen."})
    client.post(role_url("handover", role), {"handover_note": "Boligforum møtes første tirsdag."})
    role.refresh_from_db()
    assert role.handover_note == "Boligforum møtes første tirsdag." and role.handover_updated_at is not None
    assert "Først: møt NAV-lederen." in [h.handover_note for h in role.history.all()]
    page = client.get(role_url("role_history", role)).content.decode()
    assert "Først: møt NAV-lederen." in page


@pytest.mark.django_db
def test_retiring_keeps_the_role_and_its_holders(world: World) -> None:
    role = coordinator(world)
    client_for(world.users["editor"]).post(role_url("retire_role", role))
    role.refresh_from_db()
    assert role.retired_at is not None and role.holdings.count() == 1
    assert not Role.objects.active().filter(pk=role.pk).exists()


@pytest.mark.django_db
def test_the_editor_chooses_plans_of_the_own_municipality_only(world: World) -> None:
    role = coordinator(world)
    own = Plan.objects.create(municipality=sortland(), level="boligplan", title="Boligplan")
    other = Plan.objects.create(municipality=Municipality.objects.get(number="1841"), level="boligplan", title="X")
    client = client_for(world.users["editor"])
    client.post(role_url("role_plans", role), {"plans": [own.pk]})
    assert list(role.plans.all()) == [own]
    client.post(role_url("role_plans", role), {"plans": [other.pk]})
    assert list(role.plans.all()) == [own]


# Holders


@pytest.mark.django_db
def test_replacing_the_holder_ends_the_current_one_and_makes_a_package(world: World) -> None:
    role = coordinator(world)
    new = actions.replace_holder(
        role, name="Per Hansen", email="Per@Sortland.Kommune.no", starts_on=D(2026, 3, 1), by=world.users["editor"]
    )
    old = role.holdings.get(person__name="Kari Nordmann")
    assert old.ends_on == D(2026, 2, 28) and new.ends_on is None and new.person.email == "per@sortland.kommune.no"
    templates = list(new.tasks.values_list("template", flat=True))
    assert templates[0] == "read-handover" and "meet-coordinator" not in templates  # not to meet themself
    assert all(t.assignee == new.person and t.origin == Origin.HANDOVER for t in new.tasks.all())


@pytest.mark.django_db
def test_an_existing_person_is_reused_by_email_in_any_case(world: World) -> None:
    role = coordinator(world)
    nav = actions.add_role(sortland(), by=world.users["editor"], kind="nav-leder")
    actions.replace_holder(nav, name="K. Nordmann", email="KARI@sortland.kommune.no", starts_on=TODAY, by=None)
    assert Person.objects.count() == 1
    assert nav.holdings.get().person == role.holdings.get().person


@pytest.mark.django_db
def test_a_start_before_the_current_holding_is_refused_and_nothing_stored(world: World) -> None:
    role = coordinator(world, since=D(2024, 1, 1))
    before = counts()
    response = client_for(world.users["editor"]).post(
        role_url("replace_holder", role), {"name": "Per", "email": "per@x.no", "starts_on": "2023-12-31"}
    )
    assert response.status_code == 400
    assert "must start after the current holding began" in response.content.decode()
    assert counts() == before and role.holdings.get().ends_on is None


@pytest.mark.django_db
def test_overlapping_holders_of_a_single_holder_role_are_refused(world: World) -> None:
    role = coordinator(world, since=D(2020, 1, 1))
    actions.replace_holder(role, name="Per", email="", starts_on=D(2022, 1, 1), by=None)
    first = role.holdings.get(person__name="Kari Nordmann")
    before = counts()
    with pytest.raises(ValidationError, match="one holder at a time"):
        actions.correct_holding(first, starts_on=D(2020, 1, 1), ends_on=D(2022, 6, 30), note="", by=None)
    response = client_for(world.users["editor"]).post(
        role_url("edit_holding", role, first.pk), {"starts_on": "2020-01-01", "ends_on": "2022-06-30"}
    )
    assert response.status_code == 400 and "one holder at a time" in response.content.decode()
    first.refresh_from_db()
    assert counts() == before and first.ends_on == D(2021, 12, 31)


@pytest.mark.django_db
def test_end_before_start_is_refused(world: World) -> None:
    role = coordinator(world)
    holding = role.holdings.get()
    response = client_for(world.users["editor"]).post(
        role_url("edit_holding", role, holding.pk), {"starts_on": "2021-01-01", "ends_on": "2020-12-31"}
    )
    assert response.status_code == 400 and "cannot be before the start date" in response.content.decode()
    holding.refresh_from_db()
    assert holding.ends_on is None


@pytest.mark.django_db
def test_bad_dates_in_the_holder_form_are_refused(world: World) -> None:
    role = coordinator(world)
    before = counts()
    response = client_for(world.users["editor"]).post(
        role_url("replace_holder", role), {"name": "", "email": "ikke-epost", "starts_on": "31.02.2026"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "YYYY-MM-DD" in page and "valid e-mail" in page
    assert counts() == before


@pytest.mark.django_db
def test_mark_vacant_then_a_new_holder(world: World) -> None:
    role = coordinator(world)
    client = client_for(world.users["editor"])
    assert client.post(role_url("mark_vacant", role), {"starts_on": "2025-01-01"}).status_code == 302
    vacancy = role.holdings.get(person__isnull=True)
    assert vacancy.starts_on == D(2025, 1, 1) and role.holdings.get(person__isnull=False).ends_on == D(2024, 12, 31)
    assert not vacancy.tasks.exists()
    actions.replace_holder(role, name="Per", email="", starts_on=D(2025, 4, 1), by=None)
    vacancy.refresh_from_db()
    assert vacancy.ends_on == D(2025, 3, 31)


@pytest.mark.django_db
def test_withdrawing_a_holding_keeps_it_and_withdraws_its_open_tasks(world: World) -> None:
    role = coordinator(world)
    holding = role.holdings.get()
    client_for(world.users["editor"]).post(role_url("withdraw_holding", role, holding.pk))
    holding.refresh_from_db()
    assert holding.withdrawn_at is not None and not holding.tasks.open().exists() and holding.tasks.exists()


@pytest.mark.django_db
def test_a_viewer_cannot_change_holders(world: World) -> None:
    role = coordinator(world)
    before = counts()
    response = client_for(world.users["viewer"]).post(
        role_url("replace_holder", role), {"name": "Per", "starts_on": "2026-01-01"}
    )
    assert response.status_code == 403 and counts() == before


# Anonymisation


@pytest.mark.django_db
def test_anonymising_scrubs_name_and_email_also_in_history_and_keeps_the_dates(world: World) -> None:
    role = coordinator(world, since=D(2021, 1, 1))
    actions.replace_holder(role, name="Per", email="", starts_on=D(2024, 1, 1), by=None)
    person = Person.objects.get(name="Kari Nordmann")
    url = reverse("continuity:anonymise_person", args=["1870", person.pk])
    assert client_for(world.users["viewer"]).post(url).status_code == 403
    assert client_for(world.users["editor"]).post(url, {"next": role.get_absolute_url()})["Location"] == (
        role.get_absolute_url()
    )
    person.refresh_from_db()
    assert person.anonymised_at and person.email == "" and person.display_name == "Anonymised person"
    assert not person.history.exclude(name="").exists() and not person.history.exclude(email="").exists()
    holding = role.holdings.get(person=person)
    assert (holding.starts_on, holding.ends_on) == (D(2021, 1, 1), D(2023, 12, 31))
    page = client_for(world.users["editor"]).get(role.get_absolute_url()).content.decode()
    assert "Kari" not in page and "Anonymised person" in page
    assert not Person.objects.for_user(type("U", (), {"email": "kari@sortland.kommune.no"})()).exists()


# Import


def upload(text: str) -> dict:
    return {"file": SimpleUploadedFile("holders.csv", text.encode("utf-8"), content_type="text/csv")}


@pytest.mark.django_db
def test_a_good_import_stores_every_row(world: World) -> None:
    actions.ensure_catalogue_roles(sortland(), world.users["editor"])
    text = (
        "role;name;email;from;to\n"
        "boligkoordinator;Kari;kari@k.no;2019-01-01;2021-06-30\n"
        "boligkoordinator;;;2021-07-01;2021-09-30\n"
        "Head of the NAV office;Nils;nils@k.no;2020-01-01;\n"
        "brukerrepresentant;A;;2020-01-01;\n"
        "brukerrepresentant;B;;2020-01-01;\n"
    )
    response = client_for(world.users["editor"]).post(reverse("continuity:import_holders", args=["1870"]), upload(text))
    assert response.status_code == 302
    assert Holding.objects.count() == 5 and Holding.objects.filter(person__isnull=True).count() == 1
    assert not AnchoringTask.objects.exists()  # history, no packages


@pytest.mark.django_db
def test_a_bad_import_lists_every_bad_row_and_stores_nothing(world: World) -> None:
    role = coordinator(world, since=D(2022, 1, 1))
    before = counts()
    text = (
        "role,name,email,from,to\n"
        "fiskeoppsynsmann,Kari,,2019-01-01,\n"  # 2: unknown role
        "boligkoordinator,Per,,2019-13-01,\n"  # 3: bad date
        "boligkoordinator,Per,,2019-05-01,2019-04-01\n"  # 4: end before start
        "boligkoordinator,Ola,,2018-01-01,2018-12-31\n"  # 5
        "boligkoordinator,Eva,,2018-06-01,2018-07-01\n"  # 6: overlaps line 5
        "boligkoordinator,Siv,,2021-06-01,2022-03-01\n"  # 7: overlaps the stored holding
    )
    response = client_for(world.users["editor"]).post(reverse("continuity:import_holders", args=["1870"]), upload(text))
    page = response.content.decode()
    assert response.status_code == 400 and "Nothing was stored" in page
    assert "Line 2: unknown role “fiskeoppsynsmann”" in page
    assert "Line 3: “from” must be a date" in page
    assert "Line 4: the end date is before the start date" in page
    assert "Line 6 overlaps line 5" in page
    assert "Line 7 overlaps the stored holding of Kari Nordmann" in page
    assert counts() == before and role.holdings.count() == 1


@pytest.mark.django_db
def test_import_messages_follow_the_language(world: World) -> None:
    client = client_for(world.users["editor"])
    client.cookies["lagspill_language"] = "nb"
    before = counts()
    response = client.post(reverse("continuity:import_holders", args=["1870"]), upload("role;name\nx;y\n"))
    assert response.status_code == 400 and counts() == before
    assert 'lang="nb"' in response.content.decode()


@pytest.mark.django_db
def test_the_import_template_is_a_valid_file_for_the_catalogue_roles(world: World) -> None:
    actions.ensure_catalogue_roles(sortland(), world.users["editor"])
    response = client_for(world.users["editor"]).get(reverse("continuity:import_template", args=["1870"]))
    assert response["Content-Type"].startswith("text/csv")
    assert len(imports.check(sortland(), response.content)) == 3


# Anchoring


@pytest.mark.django_db
def test_the_package_has_one_task_per_plan_and_arena_with_the_next_meeting_as_due_date(world: World) -> None:
    municipality = sortland()
    actions.ensure_catalogue_roles(municipality, world.users["editor"])
    nav = Role.objects.get(municipality=municipality, kind="nav-leder")
    plans = [Plan.objects.create(municipality=municipality, level="boligplan", title=t) for t in ("A-plan", "B-plan")]
    nav.plans.set(plans)
    arena = Arena.objects.create(municipality=municipality, name="Boligforum", purpose="Samordne")
    ArenaMember.objects.create(arena=arena, role=nav, joined_on=D(2020, 1, 1))
    meeting_day = datetime.datetime(2026, 6, 2, 12, tzinfo=datetime.UTC)
    Meeting.objects.create(arena=arena, starts_at=meeting_day)
    holding = actions.replace_holder(nav, name="Nils", email="", starts_on=TODAY, by=None, today=TODAY)
    tasks = {(t.template, t.subject): t for t in holding.tasks.all()}
    assert ("read-plans", "A-plan") in tasks and ("read-plans", "B-plan") in tasks
    assert tasks[("attend-arena", "Boligforum")].due_on == D(2026, 6, 2)
    assert tasks[("arena-decisions", "Boligforum")].due_on == TODAY + datetime.timedelta(days=30)
    assert tasks[("read-profile", municipality.name_plain)].link == reverse("indicators:profile", args=["1870"])
    assert tasks[("meet-coordinator", "")].link == Role.objects.get(kind="boligkoordinator").get_absolute_url()
    assert ("political-orientation", "") not in tasks
    assert tasks[("read-plans", "A-plan")].display_title == "Read the plan “A-plan”"
    assert anchoring.create_package(holding, by=None, today=TODAY) == []  # not twice


@pytest.mark.django_db
def test_elected_roles_get_a_political_orientation(world: World) -> None:
    mayor = actions.add_role(sortland(), by=None, kind="ordforer")
    holding = actions.replace_holder(mayor, name="Ola", email="", starts_on=TODAY, by=None, today=TODAY)
    assert holding.tasks.filter(template="political-orientation").exists()


@pytest.mark.django_db
def test_recurring_tasks_are_made_once_per_period(world: World) -> None:
    coordinator(world)
    mayor = actions.add_role(sortland(), by=None, kind="ordforer")
    actions.replace_holder(mayor, name="Ola", email="ola@k.no", starts_on=D(2023, 10, 20), by=None)
    after_election = D(2027, 9, 20)  # 2027 election: 13 September
    created = anchoring.schedule_recurring(sortland(), after_election)
    by_template = {t.template: t for t in created}
    assert by_template["election-orientation"].due_on == D(2027, 12, 31)
    assert by_template["election-orientation"].assignee.name == "Ola"
    assert by_template["yearly-review"].due_on == D(2028, 1, 31)
    assert by_template["yearly-review"].assignee.name == "Kari Nordmann"
    assert anchoring.schedule_recurring(sortland(), after_election) == []
    assert anchoring.schedule_all(D(2028, 1, 10)) == []  # the 2028 review exists; no election orientation
    call_command("schedule_anchoring", "--today=2028-02-01")
    assert AnchoringTask.objects.filter(template="yearly-review", period="2029").count() == 1


@pytest.mark.django_db
def test_no_election_orientation_before_the_election(world: World) -> None:
    coordinator(world)
    created = anchoring.schedule_recurring(sortland(), D(2027, 9, 1))
    assert [t.template for t in created] == ["yearly-review"]


# Tasks


def holder_user(world: World) -> object:
    from .builders import member

    return member("kari@sortland.kommune.no", world.sortland)


@pytest.mark.django_db
def test_the_assignee_completes_a_task_with_a_note(world: World) -> None:
    role = coordinator(world, since=TODAY)
    user = holder_user(world)
    task = role.tasks.first()
    url = reverse("continuity:complete_task", args=["1870", task.pk])
    response = client_for(user).post(url, {"note": "Lest", "next": "https://evil.example/"})
    assert response["Location"] == reverse("continuity:tasks", args=["1870"])
    task.refresh_from_db()
    assert task.done_at and task.done_by == user and task.done_note == "Lest"
    again = client_for(user).post(url, {"next": role.get_absolute_url()})
    assert again["Location"] == role.get_absolute_url()  # a safe next is honoured
    assert (
        client_for(world.users["viewer"])
        .post(reverse("continuity:complete_task", args=["1870", role.tasks.last().pk]))
        .status_code
        == 403
    )


@pytest.mark.django_db
def test_the_tasks_page_lists_overdue_first(world: World) -> None:
    role = coordinator(world, since=D(2020, 1, 1))  # the package was due in 2020
    actions.complete_task(role.tasks.first(), by=world.users["editor"], note="Ok")
    page = client_for(world.users["editor"]).get(reverse("continuity:tasks", args=["1870"])).content.decode()
    overdue, done = page.index('id="overdue-tasks"'), page.index('id="done-tasks"')
    assert overdue < done and "Overdue" in page[overdue:done]


@pytest.mark.django_db
def test_a_holder_outside_the_municipality_sees_only_their_own_tasks(world: World) -> None:
    role = coordinator(world, since=TODAY)
    from .builders import make_user

    user = make_user("kari@sortland.kommune.no")
    page = client_for(user).get(reverse("continuity:tasks", args=["1870"]))
    assert page.status_code == 200 and role.tasks.first().display_title in page.content.decode()
    assert client_for(make_user("nobody@x.no")).get(reverse("continuity:tasks", args=["1870"])).status_code == 404


# Pages


@pytest.mark.django_db
def test_the_roles_page_shows_holders_figures_and_risks(world: World) -> None:
    role = coordinator(world, since=D(2020, 1, 1))
    actions.replace_holder(role, name="Per Hansen", email="", starts_on=D(2025, 1, 1), by=None)
    actions.add_role(sortland(), by=None, kind="plansjef")
    page = client_for(world.users["viewer"]).get(reverse("continuity:roles", args=["1870"])).content.decode()
    assert "Per Hansen" in page and "Vacant" in page and "1 of 2 roles changed holder since" in page
    assert "Create the standard roles" not in page  # viewers do not change
    assert "No handover note" in page


@pytest.mark.django_db
def test_a_bad_since_date_gives_a_message_and_the_default(world: World) -> None:
    response = client_for(world.users["editor"]).get(reverse("continuity:roles", args=["1870"]), {"siden": "igår"})
    page = response.content.decode()
    assert response.status_code == 200 and "The date was not understood" in page
    chosen = client_for(world.users["editor"]).get(reverse("continuity:roles", args=["1870"]), {"siden": "2020-01-01"})
    assert 'value="2020-01-01"' in chosen.content.decode()


def grow(world: World, extra: int) -> None:
    municipality = sortland()
    for index in range(extra):
        role = actions.add_role(municipality, by=None, name=f"Rolle {index}", department="annen")
        for year in (2019, 2022, 2025):
            actions.replace_holder(role, name=f"P{index}-{year}", email="", starts_on=D(year, 1, 1), by=None)
        plan = Plan.objects.create(municipality=municipality, level="boligplan", title=f"Plan {index}")
        role.plans.add(plan)
        arena = Arena.objects.create(municipality=municipality, name=f"Arena {index}", purpose="x")
        ArenaMember.objects.create(arena=arena, role=role, joined_on=D(2020, 1, 1))


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_pages_run_a_bounded_number_of_queries(world: World) -> None:
    grow(world, 2)
    editor, governor = client_for(world.users["editor"]), client_for(world.users["county_governor"])
    urls = [reverse("continuity:roles", args=["1870"]), reverse("continuity:tasks", args=["1870"])]
    role = Role.objects.filter(municipality__number="1870").first()
    few = [queries_for(editor, u) for u in urls] + [queries_for(editor, role.get_absolute_url())]
    few_county = queries_for(governor, reverse("continuity:county", args=["18"]))
    grow(world, 6)
    actions.ensure_catalogue_roles(Municipality.objects.get(number="1841"), None)
    many = [queries_for(editor, u) for u in urls] + [queries_for(editor, role.get_absolute_url())]
    assert many == few
    assert queries_for(governor, reverse("continuity:county", args=["18"])) == few_county


@pytest.mark.django_db
def test_the_county_page_has_a_row_per_municipality_and_downloads(world: World) -> None:
    coordinator(world, since=D(2020, 1, 1))
    client = client_for(world.users["county_governor"])
    response = client.get(reverse("continuity:county", args=["18"]))
    page = response.content.decode()
    table = page[page.index('id="county-continuity"') :]
    assert table.count('<th scope="row">') == Municipality.objects.filter(county__number="18").count() == 41
    csv = client.get(reverse("continuity:county", args=["18"]), {"last-ned": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and "Sortland" in csv.content.decode("utf-8-sig")
    assert client_for(world.users["editor"]).get(reverse("continuity:county", args=["18"])).status_code == 404


@pytest.mark.django_db
def test_outsiders_get_404_on_every_page(world: World) -> None:
    role = coordinator(world)
    holding = role.holdings.get()
    task = role.tasks.first()
    outsider = client_for(world.users["outsider"])
    gets = [
        reverse("continuity:roles", args=["1870"]),
        reverse("continuity:add_role", args=["1870"]),
        reverse("continuity:import_holders", args=["1870"]),
        reverse("continuity:import_template", args=["1870"]),
        role.get_absolute_url(),
        role_url("edit_role", role),
        role_url("role_history", role),
        role_url("handover", role),
        role_url("replace_holder", role),
        role_url("mark_vacant", role),
        role_url("edit_holding", role, holding.pk),
        reverse("continuity:tasks", args=["1870"]),
        reverse("continuity:county", args=["18"]),
    ]
    posts = [
        reverse("continuity:ensure_catalogue", args=["1870"]),
        role_url("retire_role", role),
        role_url("role_plans", role),
        role_url("withdraw_holding", role, holding.pk),
        reverse("continuity:anonymise_person", args=["1870", holding.person_id]),
        reverse("continuity:complete_task", args=["1870", task.pk]),
    ]
    before = counts()
    assert [outsider.get(u).status_code for u in gets] == [404] * len(gets)
    assert [outsider.post(u).status_code for u in posts] == [404] * len(posts)
    assert counts() == before


# Review fixes: plausible dates, import rows, retired roles, one holder at a time, single completion,
# and the county total


@pytest.mark.django_db
def test_a_start_date_far_in_the_future_is_a_form_error_not_a_crash(world: World) -> None:
    role = coordinator(world)
    before = counts()
    client = client_for(world.users["editor"])
    for name, data in [
        ("replace_holder", {"name": "Per", "email": "", "starts_on": "9999-12-30"}),
        ("mark_vacant", {"starts_on": "9999-12-30"}),
    ]:
        response = client.post(role_url(name, role), data)
        assert response.status_code == 400 and "Give a date between 1990 and 2100" in response.content.decode()
    holding = role.holdings.get()
    response = client.post(
        role_url("edit_holding", role, holding.pk), {"starts_on": "2021-01-01", "ends_on": "1899-01-01"}
    )
    assert response.status_code == 400 and "between 1990 and 2100" in response.content.decode()
    assert counts() == before


@pytest.mark.django_db
def test_import_rows_with_implausible_dates_long_names_or_bad_e_mails_are_refused(world: World) -> None:
    actions.ensure_catalogue_roles(sortland(), world.users["editor"])
    long_email = "k" * 250 + "@k.no"
    text = (
        "role;name;email;from;to\n"
        "plansjef;Kari;kari@k.no;9999-12-30;\n"
        "nav-leder;Per;per@k.no;2020-01-01;2150-01-01\n"
        f"okonomisjef;{'N' * 201};n@k.no;2020-01-01;\n"
        f"eiendomssjef;Eva;{long_email};2020-01-01;\n"
        "flyktningtjeneste;Ola;ola@@k.no;2020-01-01;\n"
        "barnevern-leder;Siv;siv@k.no;2020-01-01;\n"
    )
    before = counts()
    response = client_for(world.users["editor"]).post(reverse("continuity:import_holders", args=["1870"]), upload(text))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Line 2: give dates between 1990 and 2100." in page and "Line 3: give dates between 1990 and 2100." in page
    assert "Line 4: the name is longer than 200 characters." in page
    assert "Line 5: the e-mail address is longer than 254 characters." in page
    assert "Line 6: “ola@@k.no” is not an e-mail address." in page
    assert "Line 7" not in page
    assert counts() == before


@pytest.mark.django_db
def test_a_retired_role_is_not_changed_any_more(world: World) -> None:
    role = coordinator(world)
    holding = role.holdings.get()
    client = client_for(world.users["editor"])
    client.post(role_url("retire_role", role))
    role.refresh_from_db()
    snapshot = (role.name, role.handover_note, role.single_holder, list(role.plans.all()))
    before = counts()
    plan = Plan.objects.create(municipality=sortland(), level="boligplan", title="Boligplan")
    requests = [
        ("replace_holder", (), {"name": "Per", "email": "", "starts_on": "2026-01-01"}),
        ("mark_vacant", (), {"starts_on": "2026-01-01"}),
        ("edit_holding", (holding.pk,), {"starts_on": "2021-02-01", "ends_on": ""}),
        ("withdraw_holding", (holding.pk,), {}),
        ("handover", (), {"handover_note": "Ny"}),
        ("role_plans", (), {"plans": [plan.pk]}),
        ("edit_role", (), {"name": "Nytt navn", "department": "bolig", "single_holder": "on"}),
    ]
    for name, args, data in requests:
        response = client.post(role_url(name, role, *args), data, follow=True)
        assert "The role is retired and can no longer be changed." in response.content.decode(), name
    assert client.get(role_url("replace_holder", role))["Location"] == role.get_absolute_url()
    role.refresh_from_db()
    holding.refresh_from_db()
    assert (role.name, role.handover_note, role.single_holder, list(role.plans.all())) == snapshot
    assert (holding.starts_on, holding.withdrawn_at) == (START, None) and counts() == before
    with pytest.raises(ValidationError, match="retired"):
        actions.replace_holder(role, name="Per", email="", starts_on=D(2026, 1, 1), by=None)


@pytest.mark.django_db
def test_a_withdrawn_holding_cannot_be_corrected_or_withdrawn_again(world: World) -> None:
    role = coordinator(world)
    holding = role.holdings.get()
    client = client_for(world.users["editor"])
    client.post(role_url("withdraw_holding", role, holding.pk))
    holding.refresh_from_db()
    withdrawn_at = holding.withdrawn_at
    assert client.get(role_url("edit_holding", role, holding.pk)).status_code == 404
    assert client.post(role_url("edit_holding", role, holding.pk), {"starts_on": "2021-02-01"}).status_code == 404
    assert client.post(role_url("withdraw_holding", role, holding.pk)).status_code == 404
    holding.refresh_from_db()
    assert holding.withdrawn_at == withdrawn_at and holding.starts_on == START


@pytest.mark.django_db
def test_one_holder_at_a_time_is_refused_while_holdings_overlap(world: World) -> None:
    role = actions.add_role(sortland(), by=None, name="Boligrådgiver", department="bolig")
    role.single_holder = False
    role.save()
    actions.replace_holder(role, name="Kari", email="", starts_on=D(2020, 1, 1), by=None)
    actions.replace_holder(role, name="Per", email="", starts_on=D(2024, 1, 1), by=None)  # both hold it today
    url = role_url("edit_role", role)
    client = client_for(world.users["editor"])
    response = client.post(url, {"name": "Boligrådgiver", "department": "bolig", "single_holder": "on"})
    page = response.content.decode()
    assert response.status_code == 400 and "cannot have one holder at a time" in page and "Kari" in page
    role.refresh_from_db()
    assert not role.single_holder
    Holding.objects.filter(person__name="Kari").update(ends_on=D(2023, 12, 31))
    assert client.post(url, {"name": "Boligrådgiver", "department": "bolig", "single_holder": "on"}).status_code == 302
    role.refresh_from_db()
    assert role.single_holder


@pytest.mark.django_db
def test_a_task_is_completed_once_and_a_second_completion_changes_nothing(world: World) -> None:
    role = coordinator(world, since=TODAY)
    stale = role.tasks.first()  # loaded before the first completion, as by a second request
    first = actions.complete_task(AnchoringTask.objects.get(pk=stale.pk), by=world.users["editor"], note="Lest")
    with pytest.raises(ValidationError, match="already closed"):
        actions.complete_task(stale, by=world.users["admin"], note="Igjen")
    stale.refresh_from_db()
    assert (stale.done_at, stale.done_by, stale.done_note) == (first.done_at, world.users["editor"], "Lest")


@pytest.mark.django_db
def test_the_county_page_and_download_have_the_county_total(world: World) -> None:
    today = timezone.localdate()
    ago = lambda days: today - datetime.timedelta(days=days)  # noqa: E731
    steady = actions.add_role(sortland(), by=None, kind="plansjef")
    actions.replace_holder(steady, name="A", email="", starts_on=D(2010, 1, 1), by=None, package=False)
    changed = actions.add_role(sortland(), by=None, kind="nav-leder")
    actions.replace_holder(changed, name="B", email="", starts_on=D(2010, 1, 1), by=None, package=False)
    actions.replace_holder(changed, name="C", email="", starts_on=ago(100), by=None, package=False)
    fauske = actions.add_role(Municipality.objects.get(number="1841"), by=None, kind="plansjef")
    actions.replace_holder(fauske, name="D", email="", starts_on=D(2010, 1, 1), by=None, package=False)
    actions.mark_vacant(fauske, starts_on=ago(29), by=None)
    client = client_for(world.users["county_governor"])
    url = reverse("continuity:county", args=["18"])
    since = ago(200).isoformat()
    page = client.get(url, {"siden": since}).content.decode()
    assert "2 of 3 roles changed holder since" in page and 'value="' + since + '"' in page
    footer = page[page.index('id="county-total-row"') :]
    assert "All municipalities" in footer and "2 / 3" in footer and "2 (67 %)" in footer.split("</tr>")[0]
    rows = client.get(url, {"siden": since, "last-ned": "csv"}).content.decode("utf-8-sig").splitlines()
    header, total = rows[0].split(";"), rows[42].split(";")
    sortland_row = next(r.split(";") for r in rows if ";Sortland" in r)
    tenure = ((today - D(2010, 1, 1)).days + 1 + 101) / 2 / 365.25
    assert total[:9] == [
        "18",
        "Nordland - Nordlánnda, all municipalities",
        "3",
        "66,7",
        "66,7",
        "66,7",
        "30",
        f"{tenure:.1f}".replace(".", ","),
        "2",
    ]
    assert header[8].startswith("Roles changed since") and sortland_row[8] == "1"
    assert client.get(url, {"siden": "9999-99-99"}).status_code == 200
