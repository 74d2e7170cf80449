"""Demo network events of Statsforvalteren i Nordland (LAGSPILL_DEMO=1 only): one network meeting
held some weeks ago, with a link to Husbanken's guide as its material, and one course coming up.

Dates are relative to the day the demo is set up, so there is always one past and one upcoming
event. They go through the actions people use (`event_actions`), are marked `is_demo` (pages show a
Demo badge) and titles start with "Demo: ". No registrations are made: those would be invented people.
Idempotent: a demo event of the county with the same title is left as it is.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from lagspill.organisations.demo import NORDLAND, ensure_demo
from lagspill.organisations.models import Organisation
from lagspill.places.models import County

from . import event_actions
from .models import NetworkEvent, NetworkEventKind

ORGANISER = "statsforvalteren-nordland"
AUTHOR = "statsforvalter@example.org"


@dataclass(frozen=True)
class DemoEvent:
    title: str
    kind: str
    days_from_today: int
    hours: tuple[int, int]
    description: str
    location: str
    roles: tuple[str, ...]
    capacity: int | None = None
    closes_days_before: int = 7
    materials: tuple[tuple[str, str], ...] = ()  # title, link


EVENTS = [
    DemoEvent(
        title="Demo: Nettverkssamling for boligsosiale koordinatorer",
        kind=NetworkEventKind.NETWORK,
        days_from_today=-42,
        hours=(10, 15),
        description=(
            "Demo: Erfaringsdeling mellom kommunene om forankring av boligsosialt arbeid i planverket, "
            "og om hvordan ansvaret følger rollene når folk slutter."
        ),
        location="Statsforvalteren i Nordland, Bodø",
        roles=("boligkoordinator", "plansjef"),
        capacity=30,
        materials=(("Demo: Veiviseren – Husbankens veiviser for boligsosialt arbeid", "https://www.veiviseren.no/"),),
    ),
    DemoEvent(
        title="Demo: Kurs i kartlegging av boligbehov",
        kind=NetworkEventKind.COURSE,
        days_from_today=40,
        hours=(9, 14),
        description="Demo: Hvordan kommunen kartlegger behov for boliger og tjenester, og bruker tallene i planene.",
        location="Statsforvalteren i Nordland, Bodø",
        roles=("boligkoordinator", "nav-leder"),
        capacity=40,
        closes_days_before=5,
    ),
]


def author() -> Any:
    """The demo County Governor account (organisations/demo.py makes it when missing)."""
    users = get_user_model().objects.filter(email=AUTHOR)
    if not users.exists():
        ensure_demo()
    return users.get()


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def ensure_event(county: County, organiser: Organisation, spec: DemoEvent, by: Any) -> NetworkEvent | None:
    if NetworkEvent.objects.filter(county=county, title=spec.title, is_demo=True).exists():
        return None
    day = timezone.localdate() + datetime.timedelta(days=spec.days_from_today)
    event = event_actions.create_event(
        county,
        organiser=organiser,
        by=by,
        is_demo=True,
        kind=spec.kind,
        title=spec.title,
        description=spec.description,
        starts_at=at(day, spec.hours[0]),
        ends_at=at(day, spec.hours[1]),
        location=spec.location,
        registration_closes=day - datetime.timedelta(days=spec.closes_days_before),
        capacity=spec.capacity,
        roles=list(spec.roles),
        is_public=False,
    )
    for title, link in spec.materials:
        event_actions.add_material(event, by=by, title=title, url=link)
    return event


@transaction.atomic
def ensure_demo_events() -> list[NetworkEvent]:
    """Create the missing demo events; returns those created now."""
    if not settings.DEMO:
        raise RuntimeError("Demo content needs LAGSPILL_DEMO=1.")
    by = author()
    county = County.objects.get(number=NORDLAND)
    organiser = Organisation.objects.get(slug=ORGANISER)
    made = [ensure_event(county, organiser, spec, by) for spec in EVENTS]
    return [event for event in made if event is not None]
