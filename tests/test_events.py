"""Network events: the County Governor makes, changes and cancels events (bad input changes nothing);
people register as a catalogue role from one of their own organisations, within the places and before
registration closes, and may cancel; the participant list and its CSV are the County Governor's;
material is seen by everyone who sees the event, withdrawn material by nobody else; mails go out
after commit; who sees which events; the iCalendar download; bounded queries; the demo."""

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from lagspill.network import event_actions as actions
from lagspill.network.event_demo import ensure_demo_events
from lagspill.network.models import EventMaterial, NetworkEvent, Registration
from lagspill.organisations.demo import ensure_demo
from lagspill.organisations.models import Kind, Membership, Organisation, Role
from lagspill.places.models import County

from .builders import World, member

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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


def nordland() -> County:
    return County.objects.get(number="18")


def make_event(w: World, **fields: Any) -> NetworkEvent:
    starts = fields.pop("starts_at", (timezone.now() + datetime.timedelta(days=30)).replace(second=0, microsecond=0))
    values = {
        "title": "Nettverkssamling for koordinatorer",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=5),
        "location": "Bodø",
        "roles": ["boligkoordinator"],
        **fields,
    }
    return actions.create_event(nordland(), organiser=w.county_governor, by=w.users["county_governor"], **values)


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form_data(**overrides: Any) -> dict[str, Any]:
    starts = timezone.now() + datetime.timedelta(days=20)
    data = {
        "kind": "kurs",
        "title": "Kurs i boligsosial planlegging",
        "description": "Program: planstrategi og boligplan.",
        "starts_at": local(starts),
        "ends_at": local(starts + datetime.timedelta(hours=3)),
        "location": "Bodø",
        "online_url": "",
        "registration_closes": timezone.localdate(starts - datetime.timedelta(days=3)).isoformat(),
        "capacity": "25",
        "roles": ["boligkoordinator", "nav-leder"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def register(client: Client, event: NetworkEvent, organisation: Organisation, role: str = "boligkoordinator", **extra):
    data = {"organisation": organisation.pk, "role_kind": role, **extra}
    return client.post(reverse("network:event_register", args=[event.pk]), data)


# Making, changing and cancelling


def test_the_county_governor_makes_an_event_for_catalogue_roles(world: World) -> None:
    governor = client_for(world.users["county_governor"])
    response = governor.post(reverse("network:new_event", args=["18"]), form_data())
    event = NetworkEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert event.organiser == world.county_governor and event.county.number == "18"
    assert event.roles == ["boligkoordinator", "nav-leder"] and event.capacity == 25
    assert event.history.get().history_user == world.users["county_governor"]
    page = governor.get(event.get_absolute_url()).content.decode()
    assert "Housing coordinator" in page and "Head of the NAV office" in page
    assert "25 of 25 left" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": "2020-01-01T10:00"}, "ends_at", "The event must end after it starts."),
        ({"registration_closes": "2099-01-01"}, "registration_closes", "Registration must close on or before"),
        ({"capacity": "0"}, "capacity", "Give at least one place"),
        ({"roles": ["boligkoordinator", "astronaut"]}, "roles", "Choose roles from the role catalogue."),
        ({"location": "", "online_url": ""}, "location", "Give a place, a link for taking part online, or both."),
        ({"starts_at": "20266-01-01T10:00"}, "starts_at", "Enter a valid date/time."),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_bad_event_input_gets_a_message_and_stores_nothing(world: World, overrides: dict, field: str, message: str):
    governor = client_for(world.users["county_governor"])
    response = governor.post(reverse("network:new_event", args=["18"]), form_data(**overrides))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not NetworkEvent.objects.exists()


def test_a_change_is_kept_in_history_and_bad_input_changes_nothing(world: World) -> None:
    event = make_event(world, capacity=10)
    governor = client_for(world.users["county_governor"])
    url = reverse("network:edit_event", args=[event.pk])
    data = form_data(title="Ny tittel", starts_at=local(event.starts_at), ends_at=local(event.ends_at))
    assert governor.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.title == "Ny tittel" and event.history.count() == 2
    bad = {**data, "title": "Skal ikke lagres", "ends_at": local(event.starts_at - datetime.timedelta(hours=1))}
    assert governor.post(url, bad).status_code == 400
    event.refresh_from_db()
    assert event.title == "Ny tittel" and event.history.count() == 2


def test_places_cannot_drop_below_the_people_registered(world: World) -> None:
    event = make_event(world, capacity=10)
    register(client_for(world.users["editor"]), event, world.sortland)
    register(client_for(world.users["admin"]), event, world.sortland)
    governor = client_for(world.users["county_governor"])
    data = form_data(capacity="1", starts_at=local(event.starts_at), ends_at=local(event.ends_at))
    response = governor.post(reverse("network:edit_event", args=[event.pk]), data)
    assert response.status_code == 400
    assert "2 people are registered already" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 10


def test_only_the_county_governor_changes_an_event(world: World) -> None:
    event = make_event(world)
    for role in ("editor", "housing_bank", "user_org", "outsider"):
        client = client_for(world.users[role])
        assert client.post(reverse("network:edit_event", args=[event.pk]), form_data()).status_code == 403
        assert client.post(reverse("network:cancel_event", args=[event.pk])).status_code == 403
    assert client_for(world.users["editor"]).get(reverse("network:new_event", args=["18"])).status_code == 403
    event.refresh_from_db()
    assert event.title == "Nettverkssamling for koordinatorer" and event.cancelled_at is None


def test_a_county_governor_viewer_or_another_county_governor_may_not_make_events(world: World) -> None:
    viewer = member("sf-leser@example.org", world.county_governor, Role.VIEWER)
    troms = Organisation.objects.create(
        slug="sf-troms", name="SF Troms", kind=Kind.COUNTY_GOVERNOR, county=County.objects.get(number="55")
    )
    other = member("sf-troms@example.org", troms, Role.EDITOR)
    for user in (viewer, other):
        assert client_for(user).post(reverse("network:new_event", args=["18"]), form_data()).status_code == 403
    assert not NetworkEvent.objects.exists()


def test_cancelling_keeps_the_event_and_mails_the_registered(world: World, django_capture_on_commit_callbacks):
    event = make_event(world)
    with django_capture_on_commit_callbacks(execute=True):
        register(client_for(world.users["editor"]), event, world.sortland)
        register(client_for(world.users["admin"]), event, world.sortland)
    cancelled = client_for(world.users["admin"])
    cancelled.post(reverse("network:event_cancel_registration", args=[event.pk]))
    mail.outbox.clear()
    governor = client_for(world.users["county_governor"])
    with django_capture_on_commit_callbacks(execute=True):
        assert governor.post(reverse("network:cancel_event", args=[event.pk])).status_code == 302
    event.refresh_from_db()
    assert event.cancelled_at is not None and event.registrations.active().count() == 1
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]  # not the one who had cancelled
    assert "Nettverkssamling for koordinatorer" in mail.outbox[0].subject
    page = governor.get(event.get_absolute_url()).content.decode()
    assert "Cancelled" in page and "was cancelled on" in page
    assert governor.post(reverse("network:edit_event", args=[event.pk]), form_data()).status_code == 302
    event.refresh_from_db()
    assert event.title == "Nettverkssamling for koordinatorer"  # refused: a cancelled event is history
    assert register(client_for(world.users["viewer"]), event, world.sortland).status_code == 302
    assert not Registration.objects.filter(user=world.users["viewer"]).exists()


# Registration


def test_a_member_registers_as_a_catalogue_role_and_gets_a_confirmation(
    world: World, django_capture_on_commit_callbacks
) -> None:
    event = make_event(world)
    editor = client_for(world.users["editor"])
    assert "Register" in editor.get(event.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = register(editor, event, world.sortland, needs="Glutenfri lunsj")
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.user, registration.organisation, registration.role_kind) == (
        world.users["editor"],
        world.sortland,
        "boligkoordinator",
    )
    assert registration.needs == "Glutenfri lunsj"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["editor@example.org"]
    assert "as Housing coordinator from Sortland kommune" in mail.outbox[0].body
    assert event.get_absolute_url() in mail.outbox[0].body
    page = editor.get(event.get_absolute_url()).content.decode()
    assert "You are registered as Housing coordinator from Sortland kommune." in page
    listing = editor.get(reverse("network:county_events", args=["18"])).content.decode()
    assert "Registered as Housing coordinator" in listing


def test_a_role_outside_the_event_is_allowed_but_not_one_outside_the_catalogue(world: World) -> None:
    event = make_event(world)
    editor = client_for(world.users["editor"])
    response = register(editor, event, world.sortland, role="astronaut")
    assert response.status_code == 400 and "Choose a role from the role catalogue." in response.content.decode()
    assert not Registration.objects.exists()
    assert register(editor, event, world.sortland, role="plansjef").status_code == 302
    assert Registration.objects.get().role_kind == "plansjef"


def test_one_may_only_come_from_an_own_organisation(world: World) -> None:
    event = make_event(world, is_public=True)
    response = register(client_for(world.users["editor"]), event, world.fauske)
    assert response.status_code == 400 and "Choose one of your own organisations." in response.content.decode()
    assert not Registration.objects.exists()
    with pytest.raises(ValidationError):  # the action checks the membership too
        actions.register(event, user=world.users["editor"], organisation=world.fauske, role_kind="boligkoordinator")
    Membership.objects.filter(user=world.users["editor"]).update(ended_at=timezone.now())
    assert register(client_for(world.users["editor"]), event, world.sortland).status_code == 403
    assert not Registration.objects.exists()


def test_a_full_event_refuses_registration_with_a_message(world: World) -> None:
    event = make_event(world, capacity=1)
    assert register(client_for(world.users["editor"]), event, world.sortland).status_code == 302
    admin = client_for(world.users["admin"])
    page = admin.get(event.get_absolute_url()).content.decode()
    assert "Full: no places left" in page and "All places are taken" in page
    response = register(admin, event, world.sortland)
    assert response.status_code == 302
    assert "The event is full: there are no places left." in admin.get(response["Location"]).content.decode()
    assert Registration.objects.count() == 1
    with pytest.raises(ValidationError, match="full"):
        actions.register(event, user=world.users["admin"], organisation=world.sortland, role_kind="plansjef")


def test_registration_closes_on_its_day_and_at_the_start(world: World) -> None:
    closed = make_event(world, registration_closes=timezone.localdate() - datetime.timedelta(days=1), title="Stengt")
    started = make_event(world, starts_at=timezone.now() - datetime.timedelta(hours=1), title="I gang")
    last_day = make_event(world, registration_closes=timezone.localdate(), title="Siste dag")
    editor = client_for(world.users["editor"])
    assert "Registration closed on" in editor.get(closed.get_absolute_url()).content.decode()
    assert "the event has started" in editor.get(started.get_absolute_url()).content.decode()
    for event in (closed, started):
        assert register(editor, event, world.sortland).status_code == 302
        assert not event.registrations.exists()
    assert register(editor, last_day, world.sortland).status_code == 302
    assert last_day.registrations.count() == 1


def test_registering_twice_is_refused(world: World) -> None:
    event = make_event(world)
    editor = client_for(world.users["editor"])
    register(editor, event, world.sortland)
    with pytest.raises(ValidationError, match="already registered"):
        actions.register(event, user=world.users["editor"], organisation=world.sortland, role_kind="plansjef")
    assert Registration.objects.count() == 1


def test_cancelling_a_registration_frees_the_place_and_is_kept(world: World) -> None:
    event = make_event(world, capacity=1)
    editor, admin = client_for(world.users["editor"]), client_for(world.users["admin"])
    register(editor, event, world.sortland)
    assert editor.post(reverse("network:event_cancel_registration", args=[event.pk])).status_code == 302
    cancelled = Registration.objects.get(user=world.users["editor"])
    assert cancelled.cancelled_at is not None and cancelled.history.count() == 2
    assert register(admin, event, world.sortland).status_code == 302
    assert event.registrations.active().get().user == world.users["admin"]
    assert register(editor, event, world.sortland).status_code == 302  # full again
    assert event.registrations.active().count() == 1


def test_a_registration_cannot_be_cancelled_after_the_start(world: World) -> None:
    event = make_event(world)
    registration = actions.register(
        event, user=world.users["editor"], organisation=world.sortland, role_kind="boligkoordinator"
    )
    NetworkEvent.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    client_for(world.users["editor"]).post(reverse("network:event_cancel_registration", args=[event.pk]))
    registration.refresh_from_db()
    assert registration.cancelled_at is None


# Participants: the County Governor's


def test_the_county_governor_sees_participants_by_role_and_organisation(world: World) -> None:
    event = make_event(world, roles=["boligkoordinator", "nav-leder"])
    world.users["editor"].name = "Eva Editor"
    world.users["editor"].save()
    register(client_for(world.users["editor"]), event, world.sortland, needs="Rullestoltilgang")
    register(client_for(world.users["outsider"]), event, world.fauske)
    register(client_for(world.users["user_org"]), event, world.user_org, role="brukerrepresentant")
    governor = client_for(world.users["county_governor"])
    response = governor.get(event.get_absolute_url())
    participants = response.context["participants"]
    by_role = {group.name: group.count for group in participants.by_role}
    assert by_role == {"Housing coordinator": 2, "Head of the NAV office": 0, "User representative": 1}
    assert [g.name for g in participants.by_role][:2] == ["Housing coordinator", "Head of the NAV office"]
    assert {(o.name, o.count) for o in participants.by_organisation} == {
        ("Sortland kommune", 1),
        ("Fauske kommune", 1),
        ("Marborg", 1),
    }
    page = response.content.decode()
    assert "Eva Editor" in page and "Rullestoltilgang" in page and "3 people registered." in page
    outsider_page = client_for(world.users["outsider"]).get(event.get_absolute_url())
    assert outsider_page.context["participants"] is None
    assert (
        "Eva Editor" not in outsider_page.content.decode() and "Rullestoltilgang" not in outsider_page.content.decode()
    )


def test_the_participant_csv_is_for_the_county_governor_only(world: World) -> None:
    event = make_event(world)
    register(client_for(world.users["editor"]), event, world.sortland, needs="=HYPERLINK(1)")
    url = reverse("network:event_participants", args=[event.pk])
    response = client_for(world.users["county_governor"]).get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    text = response.content.decode("utf-8-sig")
    assert "Housing coordinator;editor;editor@example.org;Sortland kommune;Sortland" in text
    assert ";'=HYPERLINK(1);" in text  # typed text is never a formula in a spreadsheet
    for role in ("editor", "viewer", "housing_bank", "user_org", "outsider"):
        assert client_for(world.users[role]).get(url).status_code == 403


# Material


def add_material(client: Client, event: NetworkEvent, **data: Any):
    return client.post(reverse("network:add_event_material", args=[event.pk]), data)


def test_material_is_seen_by_event_viewers_and_withdrawn_material_by_nobody_else(world: World) -> None:
    event = make_event(world, starts_at=timezone.now() - datetime.timedelta(days=2))
    governor = client_for(world.users["county_governor"])
    upload = SimpleUploadedFile("lysark.pdf", PDF, content_type="application/pdf")
    assert add_material(governor, event, title="Lysark", file=upload).status_code == 302
    assert add_material(governor, event, title="Opptak", url="https://video.example.org/opptak").status_code == 302
    slides, recording = EventMaterial.objects.order_by("pk")
    assert slides.content_type == "application/pdf" and slides.original_name == "lysark.pdf"
    editor = client_for(world.users["editor"])
    page = editor.get(event.get_absolute_url()).content.decode()
    assert "Lysark" in page and "Opptak" in page
    download = editor.get(slides.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert editor.get(recording.get_absolute_url())["Location"] == "https://video.example.org/opptak"
    url = reverse("network:withdraw_event_material", args=[event.pk, slides.pk])
    assert editor.post(url).status_code == 403
    assert governor.post(url).status_code == 302
    slides.refresh_from_db()
    assert slides.withdrawn_at is not None
    assert "Lysark" not in editor.get(event.get_absolute_url()).content.decode()
    assert editor.get(slides.get_absolute_url()).status_code == 404
    assert "Withdrawn material" in governor.get(event.get_absolute_url()).content.decode()
    assert governor.get(slides.get_absolute_url()).status_code == 200


def test_bad_material_gets_a_message_and_stores_nothing(world: World) -> None:
    event = make_event(world)
    governor = client_for(world.users["county_governor"])
    program = SimpleUploadedFile("program.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\xff", "application/pdf")
    response = add_material(governor, event, title="Program", file=program)
    assert response.status_code == 400 and "This kind of file is not accepted" in response.content.decode()
    response = add_material(governor, event, title="Ingenting")
    assert response.status_code == 400 and "Give a file or a link." in response.content.decode()
    both = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    response = add_material(governor, event, title="Begge", file=both, url="https://example.org/x")
    assert response.status_code == 400 and "not both" in response.content.decode()
    assert add_material(client_for(world.users["editor"]), event, title="X", url="https://x.org").status_code == 403
    assert not EventMaterial.objects.exists()


def test_material_of_an_event_one_may_not_see_is_not_found(world: World) -> None:
    event = make_event(world)
    material = actions.add_material(event, by=world.users["county_governor"], title="Notat", url="https://x.org/n")
    assert client_for(None).get(material.get_absolute_url()).status_code == 404
    other = make_event(world, title="Annen")
    wrong_event = reverse("network:event_material", args=[other.pk, material.pk])
    assert client_for(world.users["editor"]).get(wrong_event).status_code == 404


# Who sees which events


def test_public_events_are_for_everyone_the_rest_for_the_network(world: World) -> None:
    private = make_event(world, title="Intern samling")
    public = make_event(world, title="Åpen konferanse", is_public=True)
    anonymous = client_for(None)
    listing = anonymous.get(reverse("network:county_events", args=["18"])).content.decode()
    assert "Åpen konferanse" in listing and "Intern samling" not in listing
    assert anonymous.get(private.get_absolute_url()).status_code == 404
    assert anonymous.get(public.get_absolute_url()).status_code == 200
    assert "Log in to register" in anonymous.get(public.get_absolute_url()).content.decode()
    for role in ("outsider", "viewer", "housing_bank", "user_org"):
        page = client_for(world.users[role]).get(reverse("network:county_events", args=["18"])).content.decode()
        assert "Intern samling" in page and "Åpen konferanse" in page


def test_another_countys_private_events_are_hidden_from_nordland(world: World) -> None:
    troms = County.objects.get(number="55")
    governor = Organisation.objects.create(slug="sf-troms", name="SF Troms", kind=Kind.COUNTY_GOVERNOR, county=troms)
    starts = timezone.now() + datetime.timedelta(days=9)
    event = actions.create_event(
        troms,
        organiser=governor,
        by=None,
        title="Troms-samling",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        location="Tromsø",
    )
    for role in ("editor", "county_governor", "outsider"):
        client = client_for(world.users[role])
        assert client.get(event.get_absolute_url()).status_code == 404
        assert "Troms-samling" not in client.get(reverse("network:county_events", args=["55"])).content.decode()
        assert register(client, event, world.sortland).status_code == 404
    assert client_for(world.users["housing_bank"]).get(event.get_absolute_url()).status_code == 200


def test_the_county_page_links_to_its_events(world: World) -> None:
    page = client_for(None).get(reverse("places:county", args=["18"])).content.decode()
    assert reverse("network:county_events", args=["18"]) in page


def test_the_list_splits_upcoming_and_past_and_says_so_when_empty(world: World) -> None:
    listing = client_for(None).get(reverse("network:county_events", args=["18"])).content.decode()
    assert "No upcoming events you can see." in listing and "No past events you can see." in listing
    make_event(world, title="Fortid", starts_at=timezone.now() - datetime.timedelta(days=30))
    make_event(world, title="Framtid", capacity=5)
    response = client_for(world.users["viewer"]).get(reverse("network:county_events", args=["18"]))
    events = response.context["events"]
    assert [e.title for e in events.upcoming] == ["Framtid"] and [e.title for e in events.past] == ["Fortid"]
    assert events.upcoming[0].places_left == 5 and events.past[0].state_label == "Held"
    assert "New event" not in response.content.decode()
    governor_page = client_for(world.users["county_governor"]).get(reverse("network:county_events", args=["18"]))
    assert "New event" in governor_page.content.decode()


# iCalendar


def test_one_event_as_icalendar(world: World) -> None:
    event = make_event(world, online_url="https://meet.example.org/abc")
    response = client_for(world.users["viewer"]).get(reverse("network:event_calendar", args=[event.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (item,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(item["summary"]) == event.title and item.decoded("dtstart") == event.starts_at
    assert "Bodø" in str(item["location"]) and "https://meet.example.org/abc" in str(item["location"])
    assert str(item["status"]) == "CONFIRMED"
    actions.cancel_event(event, by=world.users["county_governor"])
    response = client_for(world.users["viewer"]).get(reverse("network:event_calendar", args=[event.pk]))
    assert str(Calendar.from_ical(response.content).walk("VEVENT")[0]["status"]) == "CANCELLED"


# Bounded queries


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(w: World, count: int, offset: int = 0) -> NetworkEvent:
    """`count` more events, each with a registration and a material, and more people on the first one."""
    first = NetworkEvent.objects.order_by("pk").first()
    for index in range(count):
        event = make_event(w, title=f"Samling {offset + index}")
        person = member(f"p{offset + index}@example.org", w.sortland, Role.EDITOR)
        actions.register(event, user=person, organisation=w.sortland, role_kind="nav-leder")
        if first is not None:
            actions.register(first, user=person, organisation=w.sortland, role_kind="plansjef")
        actions.add_material(event, by=w.users["county_governor"], title=f"M{index}", url="https://x.org/m")
        if first is not None:
            actions.add_material(first, by=w.users["county_governor"], title=f"F{index}", url="https://x.org/f")
    return first or NetworkEvent.objects.order_by("pk").first()


def test_the_list_the_event_page_and_the_csv_run_a_fixed_number_of_queries(world: World) -> None:
    first = grow(world, 2)
    register(client_for(world.users["editor"]), first, world.sortland)
    clients = [client_for(world.users[r]) for r in ("county_governor", "editor", "housing_bank")] + [client_for(None)]
    NetworkEvent.objects.update(is_public=True)

    def measure_all() -> list[int]:
        counts = []
        for client in clients:
            counts.append(queries_for(client, reverse("network:county_events", args=["18"])))
            counts.append(queries_for(client, first.get_absolute_url()))
        counts.append(queries_for(clients[0], reverse("network:event_participants", args=[first.pk])))
        return counts

    few = measure_all()
    grow(world, 6, offset=10)
    NetworkEvent.objects.update(is_public=True)
    assert measure_all() == few


# The demo


@override_settings(DEMO=True)
def test_the_demo_makes_one_past_and_one_upcoming_event_once() -> None:
    ensure_demo()
    made = ensure_demo_events()
    assert len(made) == 2 and ensure_demo_events() == []
    past, upcoming = sorted(made, key=lambda e: e.starts_at)
    assert past.ends_at < timezone.now() < upcoming.starts_at
    assert all(e.is_demo and e.title.startswith("Demo: ") for e in made)
    assert {e.organiser.slug for e in made} == {"statsforvalteren-nordland"}
    material = past.materials.active().get()
    assert material.url.startswith("https://") and material.title.startswith("Demo: ")
    assert not Registration.objects.exists()  # no invented people
    client = client_for(None)
    client.force_login(past.created_by)
    page = client.get(past.get_absolute_url()).content.decode()
    assert "Demo content" in page and material.title in page


def test_the_demo_needs_demo_mode() -> None:
    with pytest.raises(RuntimeError):
        ensure_demo_events()
