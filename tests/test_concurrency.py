"""Two administrators demoting themselves at the same moment: one succeeds, one is told the
organisation needs an administrator, and nobody gets an error page. PostgreSQL only (row locks)."""

import threading

import pytest
from django.db import connection

from lagspill.organisations import actions
from lagspill.organisations.models import Membership, Role

from .builders import World, build_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs row locks"),
]


def test_two_admins_cannot_both_step_down() -> None:
    from .conftest import load_reference_data

    load_reference_data()
    world: World = build_world()
    second = world.sortland.memberships.get(user=world.users["editor"])
    second.role = Role.ADMIN
    second.save()
    admins = list(world.sortland.memberships.filter(role=Role.ADMIN))
    barrier, outcomes = threading.Barrier(len(admins)), []

    def step_down(membership: Membership) -> None:
        barrier.wait()
        try:
            actions.change_role(membership, Role.VIEWER)
            outcomes.append("ok")
        except actions.LastAdminError:
            outcomes.append("refused")
        except Exception as error:  # any other error (a deadlock, a lock timeout) is the failure
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=step_down, args=(m,)) for m in admins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok", "refused"]
    assert world.sortland.memberships.filter(role=Role.ADMIN).count() == 1
