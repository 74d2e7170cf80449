"""Two people registering for the last place at the same moment: one gets it, the other is told the
event is full, and nobody gets an error page. PostgreSQL only (row locks)."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from lagspill.network import event_actions as actions
from lagspill.network.models import NetworkEvent

from .builders import World, build_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs row locks"),
]


def test_two_people_cannot_both_take_the_last_place() -> None:
    from .conftest import load_reference_data

    load_reference_data()
    world: World = build_world()
    starts = timezone.now() + datetime.timedelta(days=10)
    event = NetworkEvent.objects.create(
        county=world.county_governor.county,
        organiser=world.county_governor,
        title="Siste plass",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        location="Bodø",
        capacity=1,
    )
    people = [world.users["editor"], world.users["admin"]]
    barrier, outcomes = threading.Barrier(len(people)), []

    def take_place(user: object) -> None:
        barrier.wait()
        try:
            actions.register(event, user=user, organisation=world.sortland, role_kind="boligkoordinator")
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("full")
        except Exception as error:  # any other error (a deadlock, a lock timeout) is the failure
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=take_place, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["full", "ok"]
    assert event.registrations.active().count() == 1
