"""Page data for network events: role names from the catalogue, the state of an event in words,
the county's list with places left and the reader's own registration, and the participant list by
role and by organisation. Each function runs a fixed number of queries, whatever the number of rows."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lagspill.continuity.catalogue import catalogue
from lagspill.organisations import access
from lagspill.places.models import County

from .models import NetworkEvent, Registration

ACTIVE = Q(registrations__cancelled_at__isnull=True)


# Roles from the catalogue (continuity/roles.toml)


def role_choices() -> list[tuple[str, str]]:
    """The catalogue's roles in its order, named in the reader's language."""
    return [(key, entry.name) for key, entry in catalogue().items()]


def role_name(key: str) -> str:
    entry = catalogue().get(key)
    return entry.name if entry else key


def role_names(keys: list[str]) -> list[str]:
    return [role_name(key) for key in keys]


def role_order(key: str) -> int:
    keys = list(catalogue())
    return keys.index(key) if key in keys else len(keys)


# The state of an event, in words


class State:
    CANCELLED = "cancelled"
    ENDED = "ended"
    STARTED = "started"
    FULL = "full"
    CLOSED = "closed"
    OPEN = "open"


def state_of(event: NetworkEvent, taken: int, now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    if event.cancelled_at is not None:
        return State.CANCELLED
    if event.ends_at < now:
        return State.ENDED
    if event.starts_at <= now:
        return State.STARTED
    if event.registration_closes and timezone.localdate(now) > event.registration_closes:
        return State.CLOSED
    if event.capacity is not None and taken >= event.capacity:
        return State.FULL
    return State.OPEN


def state_label(state: str) -> str:
    return {
        State.CANCELLED: pgettext("event", "Cancelled"),
        State.ENDED: pgettext("event", "Held"),
        State.STARTED: _("Under way"),
        State.CLOSED: _("Registration closed"),
        State.FULL: _("Full: no places left"),
        State.OPEN: _("Registration open"),
    }[state]


def state_color(state: str) -> str:
    """The tag's colour; the tag's text always says the same in words."""
    return {State.CANCELLED: "danger", State.FULL: "warning", State.OPEN: "success"}.get(state, "neutral")


def places_left(event: NetworkEvent, taken: int) -> int | None:
    """None when the event has no limit."""
    return None if event.capacity is None else max(event.capacity - taken, 0)


def decorate(event: NetworkEvent, taken: int, mine: Registration | None, now: datetime.datetime) -> NetworkEvent:
    """What the pages print about an event, set on the row."""
    event.taken = taken
    event.places_left = places_left(event, taken)
    event.state = state_of(event, taken, now)
    event.state_label = state_label(event.state)
    event.state_color = state_color(event.state)
    event.role_names = role_names(event.roles)
    event.mine = mine
    event.mine_role = role_name(mine.role_kind) if mine else ""
    return event


def active_count(event: NetworkEvent) -> int:
    return event.registrations.active().count()


def own_registration(user: Any, event: NetworkEvent) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.active().filter(event=event, user=user).select_related("organisation").first()


# The county's list


@dataclass
class CountyEvents:
    upcoming: list[NetworkEvent] = field(default_factory=list)
    past: list[NetworkEvent] = field(default_factory=list)

    @property
    def is_demo(self) -> bool:
        return any(e.is_demo for e in self.upcoming + self.past)


def visible_events(user: Any, county: County) -> QuerySet[NetworkEvent]:
    rows = NetworkEvent.objects.filter(county=county).select_related("organiser")
    return access.visible(user, rows).annotate(taken=Count("registrations", filter=ACTIVE))


def own_registrations(user: Any, events: list[NetworkEvent]) -> dict[int, Registration]:
    if not getattr(user, "is_authenticated", False) or not events:
        return {}
    rows = Registration.objects.active().filter(user=user, event__in=[e.pk for e in events])
    return {r.event_id: r for r in rows.select_related("organisation")}


def county_events(user: Any, county: County, now: datetime.datetime | None = None) -> CountyEvents:
    """Upcoming events (not ended yet) soonest first, and past ones newest first: two queries."""
    now = now or timezone.now()
    events = list(visible_events(user, county).order_by("starts_at", "pk"))
    mine = own_registrations(user, events)
    found = CountyEvents()
    for event in events:
        decorate(event, event.taken, mine.get(event.pk), now)
        (found.past if event.ends_at < now else found.upcoming).append(event)
    found.past.reverse()
    return found


# Participants, for the County Governor


@dataclass
class RoleGroup:
    key: str
    name: str
    meant_for: bool
    registrations: list[Registration] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.registrations)


@dataclass
class OrganisationCount:
    name: str
    municipality: str
    count: int


@dataclass
class Participants:
    by_role: list[RoleGroup]
    by_organisation: list[OrganisationCount]
    total: int


def registrations(event: NetworkEvent) -> list[Registration]:
    rows = event.registrations.active().select_related("user", "organisation__municipality")
    return list(rows.order_by("organisation__name", "user__name", "user__email", "pk"))


def participants(event: NetworkEvent) -> Participants:
    """Active registrations grouped by the role people come as (the roles the event is meant for
    first, with their count also when nobody has registered yet) and counted by organisation."""
    rows = registrations(event)
    groups = {key: RoleGroup(key, role_name(key), True) for key in event.roles}
    for row in rows:
        group = groups.setdefault(row.role_kind, RoleGroup(row.role_kind, role_name(row.role_kind), False))
        group.registrations.append(row)
    by_role = sorted(groups.values(), key=lambda g: (not g.meant_for, role_order(g.key), g.name))
    counts = Counter(r.organisation_id for r in rows)
    organisations = {r.organisation_id: r.organisation for r in rows}
    by_organisation = [
        OrganisationCount(o.name, o.municipality.name if o.municipality else "", counts[o.pk])
        for o in sorted(organisations.values(), key=lambda o: o.name)
    ]
    return Participants(by_role, by_organisation, len(rows))
