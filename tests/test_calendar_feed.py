"""The personal iCalendar feed: made and revoked on My work, only its hash stored, the address shown
once; the feed lists meetings and due dates as its owner may see them today."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from lagspill.arenas.models import ActionItem
from lagspill.continuity import ical
from lagspill.continuity.models import AnchoringTask, CalendarFeed, hash_token
from lagspill.organisations.models import Membership

from .access_mywork import Holder, make_holder
from .builders import World

pytestmark = pytest.mark.django_db
FEED_URL = re.compile(r"https?://[^\"<\s]+/kalender/([A-Za-z0-9_-]+)\.ics")


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["lagspill_language"] = "en"
    return client


def create_address(client: Client) -> str:
    response = client.post(reverse("mywork:create_feed"))
    assert response.status_code == 302 and response["Location"] == reverse("mywork:index")
    page = client.get(reverse("mywork:index")).content.decode()
    found = FEED_URL.search(page)
    assert found, "the new address is shown on the next page"
    return found.group(1)


def fetch(token: str) -> Calendar:
    response = Client().get(reverse("mywork:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def holder(world: World) -> Holder:
    return make_holder("viewer@example.org")


def test_the_address_is_shown_once_and_only_its_hash_is_stored(world: World, holder: Holder) -> None:
    client = client_for(world.users["viewer"])
    token = create_address(client)
    feed = CalendarFeed.objects.get(user=world.users["viewer"], revoked_at__isnull=True)
    assert feed.token_hash == hash_token(token) and token not in feed.token_hash
    assert not CalendarFeed.history.filter(token_hash=token).exists()
    again = client.get(reverse("mywork:index")).content.decode()
    assert token not in again and not FEED_URL.search(again)
    assert "It is not shown again" in again


def test_the_feed_has_the_meeting_and_the_due_dates(world: World, holder: Holder) -> None:
    calendar = fetch(create_address(client_for(world.users["viewer"])))
    assert calendar["VERSION"] == "2.0"
    found = events(calendar)
    meeting = found[f"meeting-{holder.meeting.pk}@lagspill"]
    assert str(meeting["SUMMARY"]) == "Boligforum Sortland"
    assert str(meeting["LOCATION"]) == "Rådhuset, møterom 2"
    assert "Status for boligplanen" in str(meeting["DESCRIPTION"])
    assert meeting.decoded("DTSTART") == holder.meeting.starts_at
    assert meeting.decoded("DTEND") == holder.meeting.ends_at
    action = found[f"action-{holder.action.pk}@lagspill"]
    assert "Kartlegge utleieboliger" in str(action["SUMMARY"])
    assert action.decoded("DTSTART") == holder.action.due_on  # an all-day event on the due date
    assert action.decoded("DTEND") == holder.action.due_on + datetime.timedelta(days=1)
    task = found[f"task-{holder.overdue_task.pk}@lagspill"]
    assert "Lese overleveringsnotatet" in str(task["SUMMARY"])
    assert task.decoded("DTSTART") == holder.overdue_task.due_on


def test_unknown_and_malformed_tokens_are_404(world: World, holder: Holder) -> None:
    assert Client().get(reverse("mywork:feed", args=[CalendarFeed.new_token()])).status_code == 404
    assert Client().get("/kalender/kort.ics").status_code == 404
    assert Client().get("/kalender/" + "a" * 30 + "%27%3B.ics").status_code == 404


def test_a_revoked_address_is_404(world: World, holder: Holder) -> None:
    client = client_for(world.users["viewer"])
    token = create_address(client)
    assert client.post(reverse("mywork:revoke_feed")).status_code == 302
    assert Client().get(reverse("mywork:feed", args=[token])).status_code == 404
    assert CalendarFeed.objects.get(token_hash=hash_token(token)).revoked_at is not None  # kept, not deleted


def test_a_new_address_revokes_the_old(world: World, holder: Holder) -> None:
    client = client_for(world.users["viewer"])
    old = create_address(client)
    new = create_address(client)
    assert old != new
    assert Client().get(reverse("mywork:feed", args=[old])).status_code == 404
    assert Client().get(reverse("mywork:feed", args=[new])).status_code == 200
    assert CalendarFeed.objects.filter(user=world.users["viewer"], revoked_at__isnull=True).count() == 1


def test_an_inactive_account_gets_nothing(world: World, holder: Holder) -> None:
    token = ical.create_feed(world.users["viewer"])
    world.users["viewer"].is_active = False
    world.users["viewer"].save()
    assert Client().get(reverse("mywork:feed", args=[token])).status_code == 404


def test_private_items_go_when_the_membership_ends(world: World, holder: Holder) -> None:
    token = ical.create_feed(world.users["viewer"])
    before = events(fetch(token))
    assert f"meeting-{holder.meeting.pk}@lagspill" in before
    assert f"action-{holder.action.pk}@lagspill" in before
    Membership.objects.filter(user=world.users["viewer"]).update(ended_at=timezone.now())
    after = events(fetch(token))
    assert f"meeting-{holder.meeting.pk}@lagspill" not in after  # a private arena of Sortland
    # The person's own task, and the action owned by the role they still hold, stay theirs; the action
    # links to My work now, not to the arena they may no longer open.
    assert f"task-{holder.overdue_task.pk}@lagspill" in after
    assert str(after[f"action-{holder.action.pk}@lagspill"]["URL"]).endswith(reverse("mywork:index"))
    holder.arena.is_public = True
    holder.arena.save()
    assert f"meeting-{holder.meeting.pk}@lagspill" in events(fetch(token))  # a public arena is open to all


def test_the_feed_of_somebody_without_roles_is_an_empty_calendar(world: World, holder: Holder) -> None:
    calendar = fetch(ical.create_feed(world.users["editor"]))
    assert not list(calendar.walk("VEVENT"))


def test_due_dates_beyond_2100_are_left_out_not_a_crash(world: World, holder: Holder) -> None:
    AnchoringTask.objects.filter(pk=holder.task.pk).update(due_on=datetime.date(9999, 12, 31))
    ActionItem.objects.filter(pk=holder.action.pk).update(due_on=datetime.date(9999, 12, 31))
    body = ical.build(world.users["viewer"], lambda path: "https://lagspill.example" + path).decode()
    assert "Lese overleveringsnotatet" in body
    assert "Lese boligplanen" not in body and "Kartlegge utleieboliger" not in body
