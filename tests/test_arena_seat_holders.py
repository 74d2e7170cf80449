"""A person who holds a role with a seat in a private arena sees that arena, also when they work
outside the municipality's organisation (a user representative, say); when the holding ends, so does that."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from lagspill.organisations import access

from .access_mywork import make_holder
from .builders import World


@pytest.mark.django_db
def test_it_shows_a_private_arena_to_the_holder_of_a_seated_role_only_while_they_hold_it(world: World) -> None:
    outside = world.users["user_org"]  # Marborg: no membership in Sortland, no seat of its own
    holder = make_holder(email=outside.email)
    other = world.users["outsider"]
    assert access.can(outside, "view", holder.arena)
    assert not access.can(other, "view", holder.arena)
    client = Client()
    client.force_login(outside)
    assert client.get(holder.arena.get_absolute_url()).status_code == 200

    holder.holding.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    holder.holding.save()
    fresh = type(outside).objects.get(pk=outside.pk)  # a new request: no cached scope
    assert not access.can(fresh, "view", holder.arena)
    client.force_login(fresh)
    assert client.get(holder.arena.get_absolute_url()).status_code == 404
