"""My work: the signed-in person's roles, open anchoring tasks, open actions of their roles and the
next meetings of their arenas, each through the access rules; a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lagspill.arenas.models import ActionStatus, Arena
from lagspill.continuity.models import Department, Person, Role

from .access_mywork import Holder, make_action, make_holder, make_meeting, make_task
from .builders import World

pytestmark = pytest.mark.django_db
URL = "/mitt-arbeid/"


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["lagspill_language"] = "en"
    return client


def test_the_address_is_the_contract() -> None:
    assert reverse("mywork:index") == URL


def test_anonymous_is_sent_to_log_in(world: World) -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


def test_the_holder_sees_roles_tasks_actions_and_meetings(world: World) -> None:
    holder = make_holder("viewer@example.org")
    done = make_task(holder.holding, "Allerede gjort", timezone.localdate())
    done.done_at = timezone.now()
    done.save()
    response = client_for(world.users["viewer"]).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Housing coordinator" in page and holder.role.get_absolute_url() in page
    assert "Lese overleveringsnotatet" in page and "Lese boligplanen" in page
    assert "Allerede gjort" not in page  # done tasks are not open work
    # Overdue first, and said in words (not only by colour).
    assert page.index("Lese overleveringsnotatet") < page.index("Lese boligplanen")
    assert page.count(">Overdue</span>") == 1
    done_url = reverse("continuity:complete_task", args=["1870", holder.overdue_task.pk])
    assert f'action="{done_url}"' in page and f'name="next" value="{URL}"' in page
    assert "Kartlegge utleieboliger" in page
    assert f'action="{reverse("arenas:update_action", args=[holder.arena.pk, holder.action.pk])}"' in page
    assert holder.meeting.get_absolute_url() in page and "Rådhuset, møterom 2" in page
    assert "Nothing here yet" not in page


def test_somebody_elses_work_is_not_shown(world: World) -> None:
    make_holder("viewer@example.org")
    page = client_for(world.users["editor"]).get(URL).content.decode()
    assert "Lese overleveringsnotatet" not in page
    assert "Kartlegge utleieboliger" not in page
    assert "Boligforum Sortland" not in page
    assert "Nothing here yet" in page  # the empty state explains where things come from
    assert "holder of a role" in page


def test_only_current_holders_and_open_items(world: World) -> None:
    holder = make_holder("viewer@example.org")
    today = timezone.localdate()
    holder.action.status = ActionStatus.DONE
    holder.action.save()
    cancelled = make_action(holder.arena, holder.role, "Avlyst tiltak", today)
    cancelled.status = ActionStatus.CANCELLED
    cancelled.save()
    closed = Arena.objects.create(
        municipality=holder.arena.municipality, name="Nedlagt forum", purpose="x", closed_at=timezone.now()
    )
    make_action(closed, holder.role, "Tiltak i nedlagt arena", today)
    far = make_meeting(holder.arena, days_ahead=120, location="Langt fram")
    page = client_for(world.users["viewer"]).get(URL).content.decode()
    assert "Kartlegge utleieboliger" not in page and "Avlyst tiltak" not in page
    assert "Tiltak i nedlagt arena" not in page
    assert far.location not in page  # beyond 90 days
    # When the holding ends, the role's actions and meetings go; the person's own tasks stay theirs.
    holder.holding.ends_on = today - datetime.timedelta(days=1)
    holder.holding.save()
    page = client_for(world.users["viewer"]).get(URL).content.decode()
    assert "Housing coordinator" not in page and "Rådhuset, møterom 2" not in page


def test_anonymised_people_are_not_matched(world: World) -> None:
    holder = make_holder("viewer@example.org")
    Person.objects.filter(pk=holder.person.pk).update(anonymised_at=timezone.now())
    page = client_for(world.users["viewer"]).get(URL).content.decode()
    assert "Lese overleveringsnotatet" not in page and "Nothing here yet" in page


def test_e_mail_matching_ignores_case(world: World) -> None:
    user = world.users["viewer"]
    user.email = "Viewer@Example.org"
    user.save()
    make_holder("viewer@example.org")
    assert "Lese boligplanen" in client_for(user).get(URL).content.decode()


def grow(holder: Holder, n: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        make_task(holder.holding, f"Ekstra oppgave {i}", today + datetime.timedelta(days=i - 3))
        make_action(holder.arena, holder.role, f"Ekstra tiltak {i}", today + datetime.timedelta(days=i))
        make_meeting(holder.arena, days_ahead=10 + i)


def test_a_fixed_number_of_queries(world: World) -> None:
    holder = make_holder("viewer@example.org")
    client = client_for(world.users["viewer"])
    client.get(URL)  # warm caches (catalogue, session)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    grow(holder, 8)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert "Ekstra tiltak 7" in response.content.decode()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 12, len(few)


def test_a_holder_outside_the_municipality_sees_their_work_and_their_role_only(world: World) -> None:
    """A Marborg user who holds Sortland's user representative role is no member of Sortland."""
    holder = make_holder("brukar@example.org")
    Role.objects.filter(pk=holder.role.pk).update(kind="brukerrepresentant", handover_note="Møt brukerrådet.")
    other = Role.objects.create(municipality=holder.role.municipality, kind="plansjef", department=Department.PLANNING)
    client = client_for(world.users["user_org"])
    client.get(URL)  # warm caches
    with CaptureQueriesContext(connection) as few:
        page = client.get(URL).content.decode()
    assert "User representative" in page and holder.role.get_absolute_url() in page
    assert "Lese overleveringsnotatet" in page and "Kartlegge utleieboliger" in page
    assert f'href="{holder.arena.get_absolute_url()}"' not in page  # the private arena is not theirs to open
    grow(holder, 5)
    with CaptureQueriesContext(connection) as many:
        assert "Ekstra tiltak 4" in client.get(URL).content.decode()
    assert len(many) == len(few)
    role_page = client.get(holder.role.get_absolute_url())
    assert role_page.status_code == 200 and "Møt brukerrådet." in role_page.content.decode()
    assert reverse("continuity:handover", args=["1870", holder.role.pk]) not in role_page.content.decode()
    assert reverse("continuity:replace_holder", args=["1870", holder.role.pk]) not in role_page.content.decode()
    assert client.get(other.get_absolute_url()).status_code == 404
