"""Decisions recorded at the same moment in one arena get consecutive numbers, not the same one:
the arena row is locked while the next number is taken. PostgreSQL only (row locks)."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from lagspill.arenas import actions
from lagspill.arenas.models import Arena, Decision, Meeting
from lagspill.places.models import Municipality

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs row locks"),
]


def test_decisions_made_at_once_get_consecutive_numbers() -> None:
    from .conftest import load_reference_data

    load_reference_data()
    arena = Arena.objects.create(municipality=Municipality.objects.get(number="1870"), name="Team", purpose="x")
    starts = timezone.make_aware(datetime.datetime(2026, 3, 3, 10))
    meeting = Meeting.objects.create(arena=arena, starts_at=starts)
    barrier, outcomes = threading.Barrier(4), []

    def decide(n: int) -> None:
        barrier.wait()
        try:
            outcomes.append(actions.add_decision(meeting, text=f"Vedtak {n}", by=None).number)
        except Exception as error:  # an IntegrityError on the unique number is the failure
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [1, 2, 3, 4]
    assert sorted(Decision.objects.filter(arena=arena).values_list("number", flat=True)) == [1, 2, 3, 4]
