"""Who may use the events pages: one case per URL name (merged into `test_access_matrix.py`).

The county's list is public and shows each reader what they may see. A Nordland event that is not
public is seen by the county's network (Sortland's and Fauske's members), its County Governor,
Husbanken and user organisations; anonymous readers get 404. Only the County Governor of the county
(an editor there) makes, changes and cancels events, adds and withdraws material and sees the
participants; the others who see the event get 403. A Troms event that is not public is another
county's: 404 for Nordland's people, seen by Husbanken and Marborg (registration needs an
organisation among one's own memberships, so a form without one is refused with 400)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from lagspill.network.models import EventMaterial, NetworkEvent
from lagspill.organisations.models import Kind, Organisation
from lagspill.places.models import County

from .access_support import EVERYONE, LOGIN, Case, as_post
from .builders import ROLES, World

NORDLAND_NETWORK = {**EVERYONE, "anonymous": 404}
GOVERNOR = {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "county_governor": 200, "superuser": 200}
# Troms' private event: Nordland's people do not see it; Husbanken and the user organisation do.
TROMS = {
    **dict.fromkeys(("outsider", "viewer", "editor", "admin", "county_governor"), 404),
    "anonymous": LOGIN,
    "housing_bank": 200,
    "user_org": 200,
    "superuser": 200,
}


def event_in(county_number: str, w: World) -> NetworkEvent:
    county = County.objects.get(number=county_number)
    organiser = (
        w.county_governor
        if county_number == "18"
        else Organisation.objects.create(slug="sf-troms", name="SF Troms", kind=Kind.COUNTY_GOVERNOR, county=county)
    )
    starts = timezone.now() + datetime.timedelta(days=30)
    return NetworkEvent.objects.create(
        county=county,
        organiser=organiser,
        title="Nettverkssamling",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=4),
        location="Bodø",
        roles=["boligkoordinator"],
    )


def nordland_event(w: World) -> dict:
    return {"pk": event_in("18", w).pk}


def troms_event(w: World) -> dict:
    return {"pk": event_in("55", w).pk}


def nordland_material(w: World) -> dict:
    event = event_in("18", w)
    material = EventMaterial(
        event=event,
        title="Presentasjon",
        original_name="p.pdf",
        content_type="application/pdf",
        size=5,
        sha256="0" * 64,
        uploaded_by=w.users["county_governor"],
    )
    material.file.save("p.pdf", ContentFile(b"%PDF-"), save=False)
    material.save()
    return {"pk": event.pk, "m": material.pk}


CASES: dict[str, Case] = {
    "network:county_events": Case(EVERYONE, lambda w: {"number": "18"}),
    "network:new_event": Case(GOVERNOR, lambda w: {"number": "18"}),
    "network:event": Case(NORDLAND_NETWORK, nordland_event),
    "network:edit_event": Case(GOVERNOR, nordland_event),
    "network:cancel_event": Case(as_post(GOVERNOR), nordland_event, "post"),
    "network:event_calendar": Case(NORDLAND_NETWORK, nordland_event),
    "network:event_participants": Case(GOVERNOR, nordland_event),
    # Seen and a member: the form without an organisation is refused (400); a site administrator
    # without a membership may not register (403).
    "network:event_register": Case(
        {**TROMS, "housing_bank": 400, "user_org": 400, "superuser": 403},
        troms_event,
        "post",
        {"role_kind": "boligkoordinator"},
    ),
    # Not registered: a message and back to the event (302).
    "network:event_cancel_registration": Case(as_post(TROMS), troms_event, "post"),
    "network:add_event_material": Case(GOVERNOR, nordland_event),
    "network:event_material": Case(NORDLAND_NETWORK, nordland_material),
    "network:withdraw_event_material": Case(as_post(GOVERNOR), nordland_material, "post"),
}
