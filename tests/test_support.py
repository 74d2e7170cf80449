"""Support requests: Sortland (1870) asks the County Governor of Nordland (or Husbanken) for help with
attachments; the recipient triages, notes internally and answers; the municipality replies and reopens.
Bad input changes nothing; internal notes stay on the recipient's side (thread, list, audit trail, mail);
mail tells who needs to know, without the message; every download is logged; nobody but the parties sees a
request – not Husbanken when it is addressed to the County Governor, not another County Governor, not the
Fauske editor, not the site administrator. The inbox shows the municipality's priority as the county page
does, filters and sorts, and runs a fixed number of queries, as does the municipality's list."""

import datetime
import smtplib
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends import locmem
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from lagspill.network import support_actions as actions
from lagspill.network.models import (
    EventKind,
    RequestAttachment,
    RequestEvent,
    RequestMessage,
    RequestStatus,
    SupportRequest,
)
from lagspill.organisations.models import Kind, Organisation, Role
from lagspill.places.models import County, Municipality
from lagspill.plans import county as planstatus

from .builders import World, member, municipality_org

PDF = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n%%EOF\n"
SECRET = "Tre familier står uten bolig i Kjøpmannsgata"
NOTE = "Ring rådmannen før fredag"


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


def pdf(name: str = "oversikt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def sortland() -> Municipality:
    return Municipality.objects.get(number="1870")


def send(w: World, *, to: Organisation | None = None, by: str = "editor", **fields: Any) -> SupportRequest:
    municipality = fields.pop("municipality", None) or sortland()
    data = {
        "subject": "Hjelp med boligplanen",
        "topic": "plan",
        "urgency": "normal",
        "recipient": to or w.county_governor,
        "body": SECRET,
        **fields,
    }
    return actions.send_request(municipality, data, by=w.users[by], uploads=[pdf()])


def form(w: World, **overrides: Any) -> dict[str, Any]:
    return {
        "subject": "Hjelp med boligplanen",
        "topic": "plan",
        "urgency": "hoy",
        "recipient": w.county_governor.pk,
        "body": SECRET,
        **overrides,
    }


def other_governor() -> object:
    """An editor at the County Governor of Troms: another county's County Governor."""
    troms = Organisation.objects.create(
        slug="sf-troms",
        name="Statsforvalteren i Troms",
        kind=Kind.COUNTY_GOVERNOR,
        county=County.objects.get(number="55"),
    )
    return member("sf.troms@example.org", troms, Role.EDITOR)


def every_text(message: mail.EmailMessage) -> str:
    return message.subject + message.body + "".join(str(a) for a in message.attachments)


# Sending


@pytest.mark.django_db
def test_an_editor_sends_a_request_with_attachments_and_the_county_governor_is_told(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    member("sf2@example.org", world.county_governor, Role.ADMIN)
    member("sf.viewer@example.org", world.county_governor, Role.VIEWER)
    url = reverse("network:new_request", args=["1870"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users["editor"]).post(
            url, form(world, attachments=[pdf("oversikt.pdf"), pdf("vedtak.pdf")])
        )
    request = SupportRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert (request.municipality, request.recipient, request.topic, request.urgency, request.status) == (
        sortland(),
        world.county_governor,
        "plan",
        "hoy",
        RequestStatus.NEW,
    )
    message = request.messages.get()
    assert message.body == SECRET and message.author == world.users["editor"] and not message.internal
    attachments = list(message.attachments.order_by("original_name"))
    assert [a.original_name for a in attachments] == ["oversikt.pdf", "vedtak.pdf"]
    assert all(a.content_type == "application/pdf" and a.size == len(PDF) for a in attachments)
    assert attachments[0].file.read() == PDF
    assert list(request.events.values_list("kind", "actor")) == [(EventKind.CREATED, world.users["editor"].pk)]
    # The County Governor's editors and admins are told, each in their own mail; not its viewers, not the sender.
    assert sorted(m.to[0] for m in mail.outbox) == ["sf2@example.org", "sf@example.org"]
    for sent in mail.outbox:
        assert SECRET not in every_text(sent) and "oversikt.pdf" not in every_text(sent)
        assert "Hjelp med boligplanen" not in every_text(sent)  # not even the subject line people wrote
        assert request.get_absolute_url() in sent.body and not sent.attachments
    page = client_for(world.users["editor"]).get(request.get_absolute_url())
    assert SECRET in page.content.decode() and "vedtak.pdf" in page.content.decode()


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND="tests.test_support.BrokenMail")
def test_a_mail_server_failure_keeps_the_request_and_answers_normally(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users["editor"]).post(reverse("network:new_request", args=["1870"]), form(world))
    assert response.status_code == 302 and SupportRequest.objects.count() == 1


class BrokenMail(locmem.EmailBackend):
    def send_messages(self, messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("the mail server went away")


@pytest.mark.django_db
def test_the_recipients_offered_are_the_county_governor_of_the_county_and_husbanken(world: World) -> None:
    other_governor()
    page = client_for(world.users["editor"]).get(reverse("network:new_request", args=["1870"]))
    offered = [str(o) for o in page.context["form"].fields["recipient"].queryset]
    assert offered == ["Statsforvalteren i Nordland", "Husbanken"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"subject": "  "}, "Give the request a subject."),
        ({"body": "   "}, "Write what you need help with."),
        ({"topic": ""}, "This field is required."),
        ({"urgency": "kjempeviktig"}, "Select a valid choice."),
        ({"attachments": [SimpleUploadedFile("program.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00")]}, "not accepted"),
        ({"attachments": [pdf("ok.pdf"), SimpleUploadedFile("bilde.png", b"\x00\x01binary")]}, "bilde.png"),
    ],
)
def test_bad_input_gives_a_message_and_changes_nothing(
    world: World, django_capture_on_commit_callbacks: Any, change: dict, error: str
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users["editor"]).post(
            reverse("network:new_request", args=["1870"]), form(world, **change)
        )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not SupportRequest.objects.exists() and not RequestMessage.objects.exists()
    assert not RequestAttachment.objects.exists() and not RequestEvent.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_a_request_cannot_go_to_another_organisation(world: World) -> None:
    other_governor()
    troms = Organisation.objects.get(slug="sf-troms")
    for organisation in (troms, world.user_org, world.fauske):
        response = client_for(world.users["editor"]).post(
            reverse("network:new_request", args=["1870"]), form(world, recipient=organisation.pk)
        )
        assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    with pytest.raises(ValidationError, match="County Governor of the county or to Husbanken"):
        send(world, to=troms)
    assert not SupportRequest.objects.exists()


# Triage


@pytest.mark.django_db
def test_the_county_governor_triages_with_each_change_in_the_audit_trail(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    request = send(world)
    governor = world.users["county_governor"]
    before = SupportRequest.objects.get().updated_at
    url = reverse("network:request_triage", args=[request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(governor).post(url, {"status": "arbeid", "assignee": governor.pk, "urgency": "haster"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.assignee, request.urgency) == (RequestStatus.IN_PROGRESS, governor, "haster")
    assert request.updated_at > before and request.closed_at is None
    changes = list(request.events.exclude(kind=EventKind.CREATED).values_list("kind", "before", "after", "actor"))
    assert changes == [
        (EventKind.STATUS, "ny", "arbeid", governor.pk),
        (EventKind.ASSIGNED, "", str(governor.pk), governor.pk),
        (EventKind.URGENCY, "normal", "haster", governor.pk),
    ]
    assert not mail.outbox  # assigning oneself mails nobody
    # The audit trail shows the changes in words, before → after.
    rows = client_for(world.users["viewer"]).get(request.get_absolute_url()).context["events"]
    shown = [(r.event.get_kind_display(), r.before, r.after) for r in rows]
    assert ("Status changed", "New", "In progress") in shown
    assert ("Assignee changed", "–", "sf") in shown and ("Urgency changed", "Normal", "Urgent") in shown

    colleague = member("kollega@example.org", world.county_governor, Role.EDITOR)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(governor).post(url, {"status": "lukket", "assignee": colleague.pk, "urgency": "haster"})
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED and request.closed_at is not None
    assert [m.to for m in mail.outbox] == [["kollega@example.org"]]
    assert SECRET not in every_text(mail.outbox[0])
    # Saving the same values again changes nothing and writes nothing.
    count = RequestEvent.objects.count()
    client_for(governor).post(url, {"status": "lukket", "assignee": colleague.pk, "urgency": "haster"})
    assert RequestEvent.objects.count() == count


@pytest.mark.django_db
def test_only_the_recipients_editors_can_be_assigned(world: World) -> None:
    request = send(world)
    viewer = member("sf.leser@example.org", world.county_governor, Role.VIEWER)
    url = reverse("network:request_triage", args=[request.pk])
    for person in (world.users["editor"], viewer, world.users["housing_bank"]):
        response = client_for(world.users["county_governor"]).post(
            url, {"status": "arbeid", "assignee": person.pk, "urgency": "normal"}
        )
        assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    response = client_for(world.users["county_governor"]).post(url, {"status": "borte", "urgency": "normal"})
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW and request.assignee is None
    assert list(request.events.values_list("kind", flat=True)) == [EventKind.CREATED]


# Replies, reopening and internal notes


@pytest.mark.django_db
def test_replies_go_to_the_other_side_and_a_reply_reopens_a_closed_request(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    request = send(world)
    governor, editor = world.users["county_governor"], world.users["editor"]
    colleague = member("kollega@example.org", world.county_governor, Role.EDITOR)
    answer = "Vi anbefaler å starte med planstrategien."
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(governor).post(reverse("network:request_reply", args=[request.pk]), {"body": answer})
    assert response.status_code == 302
    # To the municipality: the creator (not Sortland's admin or viewer, who took no part).
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert answer not in every_text(mail.outbox[0]) and request.get_absolute_url() in mail.outbox[0].body
    assert answer in client_for(editor).get(request.get_absolute_url()).content.decode()

    # The admin answers too; now unassigned, the County Governor's editors and admins are told.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.users["admin"]).post(reverse("network:request_reply", args=[request.pk]), {"body": "Takk!"})
    assert sorted(m.to[0] for m in mail.outbox) == [colleague.email, governor.email]
    # Assigned: only the assignee. The County Governor answers: the creator and the admin who took part.
    actions.triage(request, status="lukket", assignee=colleague, urgency="normal", by=governor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(governor).post(reverse("network:request_reply", args=[request.pk]), {"body": "Ferdig fra oss."})
    assert sorted(m.to[0] for m in mail.outbox) == [world.users["admin"].email, editor.email]

    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS and request.closed_at is None  # the reply reopened it
    mail.outbox.clear()
    actions.triage(request, status="lukket", assignee=colleague, urgency="normal", by=governor)
    as_editor = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_editor.post(
            reverse("network:request_reply", args=[request.pk]), {"body": "Et spørsmål til.", "attachments": [pdf()]}
        )
    assert "open again" in as_editor.get(response["Location"]).content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS and request.closed_at is None
    reopened = request.events.filter(kind=EventKind.STATUS).last()
    assert (reopened.before, reopened.after, reopened.actor) == ("lukket", "arbeid", editor)
    assert [m.to for m in mail.outbox] == [[colleague.email]]  # to the assignee only
    assert request.messages.last().attachments.count() == 1


@pytest.mark.django_db
def test_a_blank_reply_changes_nothing_and_viewers_cannot_reply(world: World) -> None:
    request = send(world)
    url = reverse("network:request_reply", args=[request.pk])
    response = client_for(world.users["editor"]).post(url, {"body": "  "})
    assert response.status_code == 400 and "Write a reply." in response.content.decode()
    response = client_for(world.users["editor"]).post(
        url, {"body": "Med vedlegg", "attachments": [SimpleUploadedFile("x.pdf", b"\x00\xffnot a pdf")]}
    )
    assert response.status_code == 400 and "x.pdf" in response.content.decode()
    assert client_for(world.users["viewer"]).post(url, {"body": "Hei"}).status_code == 403
    assert request.messages.count() == 1 and request.events.count() == 1


@pytest.mark.django_db
def test_internal_notes_stay_with_the_recipient(world: World, django_capture_on_commit_callbacks: Any) -> None:
    request = send(world)
    governor = world.users["county_governor"]
    colleague = member("kollega@example.org", world.county_governor, Role.EDITOR)
    actions.triage(request, status="arbeid", assignee=colleague, urgency="normal", by=governor)
    listed = client_for(world.users["viewer"]).get(reverse("network:municipality_requests", args=["1870"]))
    last_before = listed.context["requests"][0].last_message
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(governor).post(reverse("network:request_note", args=[request.pk]), {"body": NOTE})
    assert response.status_code == 302
    note = RequestMessage.objects.get(internal=True)
    assert note.body == NOTE and note.author == governor
    # The assignee is told (without the note); nobody in the municipality is.
    assert [m.to for m in mail.outbox] == [[colleague.email]] and NOTE not in every_text(mail.outbox[0])

    own = client_for(governor).get(request.get_absolute_url()).content.decode()
    assert NOTE in own and "Internal note" in own
    for role in ("viewer", "editor", "admin"):
        page = client_for(world.users[role]).get(request.get_absolute_url())
        text = page.content.decode()
        assert NOTE not in text
        assert EventKind.NOTE not in [row.event.kind for row in page.context["events"]]
        assert "Internal note" not in text
    # The municipality's list counts and dates only the messages it sees.
    listed = client_for(world.users["viewer"]).get(reverse("network:municipality_requests", args=["1870"]))
    row = listed.context["requests"][0]
    assert row.message_count == 1 and row.last_message == last_before
    # The municipality cannot write notes.
    for role in ("editor", "admin"):
        assert (
            client_for(world.users[role])
            .post(reverse("network:request_note", args=[request.pk]), {"body": "x"})
            .status_code
            == 403
        )
    assert RequestMessage.objects.filter(internal=True).count() == 1


# Attachments and the audit trail


@pytest.mark.django_db
def test_a_download_is_served_safely_and_logged(world: World) -> None:
    request = send(world)
    attachment = RequestAttachment.objects.get()
    url = reverse("network:request_attachment", args=[request.pk, attachment.pk])
    assert url == attachment.get_absolute_url()
    response = client_for(world.users["county_governor"]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert (
        response["Content-Disposition"].startswith("attachment") and "oversikt.pdf" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    logged = request.events.get(kind=EventKind.DOWNLOADED)
    assert (logged.actor, logged.after) == (world.users["county_governor"], "oversikt.pdf")
    # Both parties see who downloaded it.
    page = client_for(world.users["viewer"]).get(request.get_absolute_url())
    rows = [(r.event.get_kind_display(), str(r.event.actor), r.after) for r in page.context["events"]]
    assert rows == [
        ("Request sent", "editor", "Statsforvalteren i Nordland"),
        ("Attachment downloaded", "sf", "oversikt.pdf"),
    ]
    # An attachment reached through another request's address is not found.
    other = send(world)
    wrong = reverse("network:request_attachment", args=[other.pk, attachment.pk])
    assert client_for(world.users["county_governor"]).get(wrong).status_code == 404


# Who sees what


def status_of(user: object | None, url: str) -> int:
    response = client_for(user).get(url)
    if response.status_code == 302 and "/konto/login/" in response["Location"]:
        return "login"
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("addressed_to", ["county_governor", "housing_bank"])
def test_only_the_parties_see_a_request_its_attachments_and_its_place_in_the_inbox(
    world: World, addressed_to: str
) -> None:
    request = send(world, to=getattr(world, addressed_to))
    attachment = RequestAttachment.objects.get()
    troms = other_governor()
    parties = {"viewer", "editor", "admin", addressed_to}
    users = {**world.users, "troms": troms}
    for role, user in users.items():
        expected = 200 if role in parties else 404
        assert status_of(user, request.get_absolute_url()) == expected, role
        assert status_of(user, attachment.get_absolute_url()) == expected, role
        inbox = client_for(user).get(reverse("network:inbox"))
        listed = [row.request for row in inbox.context["inbox"].rows]
        assert listed == ([request] if role == addressed_to else []), role
    assert status_of(None, request.get_absolute_url()) == "login"
    assert status_of(None, attachment.get_absolute_url()) == "login"
    # Only the parties' downloads were logged.
    actors = set(request.events.filter(kind=EventKind.DOWNLOADED).values_list("actor__email", flat=True))
    assert actors == {users[role].email for role in parties}


@pytest.mark.django_db
def test_husbanken_viewers_read_but_neither_answer_nor_triage(world: World) -> None:
    request = send(world, to=world.housing_bank)
    viewer = world.users["housing_bank"]
    page = client_for(viewer).get(request.get_absolute_url())
    assert page.status_code == 200 and page.context["reply_form"] is None and page.context["triage_form"] is None
    assert (
        client_for(viewer).post(reverse("network:request_reply", args=[request.pk]), {"body": "x"}).status_code == 403
    )
    post = {"status": "arbeid", "assignee": "", "urgency": "normal"}
    assert client_for(viewer).post(reverse("network:request_triage", args=[request.pk]), post).status_code == 403
    # The County Governor does not see a request to Husbanken, and cannot act on it.
    governor = world.users["county_governor"]
    assert client_for(governor).post(reverse("network:request_triage", args=[request.pk]), post).status_code == 404
    assert (
        client_for(governor).post(reverse("network:request_note", args=[request.pk]), {"body": "x"}).status_code == 404
    )
    assert request.events.count() == 1


@pytest.mark.django_db
def test_the_municipality_list_is_its_members_own(world: World) -> None:
    send(world)
    send(world, to=world.housing_bank, subject="Startlån")
    url = reverse("network:municipality_requests", args=["1870"])
    viewer_page = client_for(world.users["viewer"]).get(url)
    assert {r.subject for r in viewer_page.context["requests"]} == {"Hjelp med boligplanen", "Startlån"}
    assert reverse("network:new_request", args=["1870"]) not in viewer_page.content.decode()
    assert reverse("network:new_request", args=["1870"]) in client_for(world.users["editor"]).get(url).content.decode()
    for role in ("outsider", "county_governor", "housing_bank", "user_org", "superuser"):
        assert status_of(world.users[role], url) == 404, role
    # Fauske's list does not show Sortland's requests to its own editor.
    fauske = client_for(world.users["outsider"]).get(reverse("network:municipality_requests", args=["1841"]))
    assert fauske.status_code == 200 and fauske.context["requests"] == []


# The inbox


@pytest.mark.django_db
def test_the_inbox_shows_the_priority_the_county_page_shows(world: World) -> None:
    send(world)
    governor = world.users["county_governor"]
    page = client_for(governor).get(reverse("network:inbox"))
    row = page.context["inbox"].rows[0]
    overview = planstatus.overview(governor, County.objects.get(number="18"))
    on_county_page = next(r for r in overview.rows if r.municipality.number == "1870")
    assert on_county_page.priority_shown is not None  # real figures: the challenge index of the built-in data
    assert row.priority_shown == on_county_page.priority_shown
    assert row.class_label == on_county_page.result.class_label
    assert reverse("plans:county", args=["18"]) in page.content.decode()


@pytest.mark.django_db
def test_the_inbox_filters_and_sorts(world: World) -> None:
    governor = world.users["county_governor"]
    bodo = municipality_org("1804")
    world.users["bodo"] = member("bodo@example.org", bodo, Role.EDITOR)
    old = send(world, subject="Gammel", urgency="lav")
    SupportRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    urgent = send(world, subject="Haster", urgency="haster")
    mine = send(world, subject="Min", urgency="normal")
    bodo_request = send(world, subject="Bodø spør", urgency="normal", by="bodo", municipality=bodo.municipality)
    closed = send(world, subject="Lukket", urgency="hoy")
    actions.triage(mine, status="arbeid", assignee=governor, urgency="normal", by=governor)
    actions.triage(closed, status="lukket", assignee=None, urgency="hoy", by=governor)

    def subjects(**query: str) -> list[str]:
        page = client_for(governor).get(reverse("network:inbox"), query)
        assert page.status_code == 200
        return [row.request.subject for row in page.context["inbox"].rows]

    assert subjects() == ["Haster", "Min", "Bodø spør", "Gammel"]  # open, most urgent first, then oldest first
    assert subjects(status="alle")[:2] == ["Haster", "Lukket"]
    assert subjects(status="lukket") == ["Lukket"]
    assert subjects(ansvarlig="meg") == ["Min"]
    assert subjects(ansvarlig="ingen") == ["Haster", "Bodø spør", "Gammel"]
    assert subjects(hastegrad="lav") == ["Gammel"]
    assert subjects(sorter="alder") == ["Gammel", "Haster", "Min", "Bodø spør"]
    assert subjects(status="tull", sorter="tull") == subjects()  # an unknown value counts as not given
    by_priority = client_for(governor).get(reverse("network:inbox"), {"sorter": "prioritet"}).context["inbox"].rows
    scores = [row.priority_shown for row in by_priority]
    assert scores == sorted(scores, reverse=True) and len(scores) == 4
    assert {row.request for row in by_priority} == {old, urgent, mine, bodo_request}


@pytest.mark.django_db
def test_members_who_receive_no_requests_are_sent_to_their_municipalitys_list(world: World) -> None:
    page = client_for(world.users["viewer"]).get(reverse("network:inbox"))
    text = page.content.decode()
    assert "You are not a member of an organisation that receives requests." in text
    assert reverse("network:municipality_requests", args=["1870"]) in text
    assert "You are not a member" in client_for(world.users["user_org"]).get(reverse("network:inbox")).content.decode()


@pytest.mark.django_db
def test_the_menu_and_the_municipality_page_lead_members_to_requests(world: World) -> None:
    inbox, listed = reverse("network:inbox"), reverse("network:municipality_requests", args=["1870"])
    for role in ("viewer", "county_governor", "housing_bank"):
        assert inbox in client_for(world.users[role]).get("/").content.decode(), role
    assert inbox not in client_for(None).get("/").content.decode()
    assert inbox not in client_for(world.users["superuser"]).get("/").content.decode()  # no membership
    municipality_page = reverse("places:municipality", args=["1870"])
    for role in ("viewer", "editor", "admin"):
        assert listed in client_for(world.users[role]).get(municipality_page).content.decode(), role
    for role in ("outsider", "county_governor", "housing_bank", "superuser"):
        assert listed not in client_for(world.users[role]).get(municipality_page).content.decode(), role
    assert listed not in client_for(None).get(municipality_page).content.decode()


# Bounded queries


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_inbox_the_list_and_the_thread_run_a_fixed_number_of_queries(world: World) -> None:
    governor, viewer = client_for(world.users["county_governor"]), client_for(world.users["viewer"])
    bodo = municipality_org("1804")
    world.users["bodo"] = member("bodo@example.org", bodo, Role.EDITOR)

    def grow(count: int) -> SupportRequest:
        for index in range(count):
            request = send(world, subject=f"Sak {index}")
            actions.triage(
                request,
                status="arbeid",
                assignee=world.users["county_governor"],
                urgency="hoy",
                by=world.users["county_governor"],
            )
            actions.reply(request, "Svar", by=world.users["county_governor"], uploads=[pdf()])
            actions.add_note(request, NOTE, by=world.users["county_governor"])
            send(world, subject=f"Bodø {index}", by="bodo", municipality=bodo.municipality)
        return request

    first = grow(1)

    def measure() -> list[int]:
        return [
            queries_for(governor, reverse("network:inbox")),
            queries_for(governor, reverse("network:inbox") + "?sorter=prioritet&status=alle"),
            queries_for(viewer, reverse("network:municipality_requests", args=["1870"])),
            queries_for(governor, first.get_absolute_url()),
            queries_for(viewer, first.get_absolute_url()),
        ]

    few = measure()
    assert few[0] <= 10  # session, user, memberships, count, requests, and the county's priority figures (4)
    last = grow(4)
    for _index in range(3):
        actions.reply(first, "Mer", by=world.users["editor"], uploads=[pdf(), pdf("b.pdf")])
    assert measure() == few
    assert queries_for(governor, last.get_absolute_url()) <= few[3]


# Demo


@override_settings(DEMO=True)
@pytest.mark.django_db
def test_the_demo_requests_are_made_once_marked_and_send_no_mail(django_capture_on_commit_callbacks: Any) -> None:
    from lagspill.network.support_demo import ensure_demo_support

    with django_capture_on_commit_callbacks(execute=True):
        made = ensure_demo_support()
    assert len(made) == 2 and ensure_demo_support() == []
    assert not mail.outbox
    requests = SupportRequest.objects.filter(is_demo=True)
    assert {r.municipality.number for r in requests} == {"1870"}
    assert {r.recipient.slug for r in requests} == {"statsforvalteren-nordland"}
    assert all(r.subject.startswith("Demo: ") for r in requests)
    answered = requests.get(status=RequestStatus.IN_PROGRESS)
    assert answered.assignee.email == "statsforvalter@example.org" and answered.messages.count() == 2
    editor = get_user_model().objects.get(email="sortland.redaktor@example.org")
    page = client_for(editor).get(answered.get_absolute_url())
    assert "Demo content" in page.content.decode()


@override_settings(DEMO=False)
@pytest.mark.django_db
def test_no_demo_requests_outside_demo_mode() -> None:
    from lagspill.network.support_demo import ensure_demo_support

    with pytest.raises(RuntimeError):
        ensure_demo_support()
    assert not SupportRequest.objects.exists()
