"""The personal iCalendar feed (RFC 5545, built with `icalendar`): the person's meetings, and the due
dates of their open anchoring tasks and action items as all-day events.

Everything in it is read through `mywork`, as the feed's owner, so it follows the access rules of
today: when a membership ends, the private meetings it gave drop out of the feed.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from lagspill.arenas.models import ActionItem, Meeting
from lagspill.web.dates import LAST_YEAR

from . import mywork
from .models import AnchoringTask, CalendarFeed, hash_token

RECENT_DAYS = 60  # meetings this far back stay in the feed
AHEAD_DAYS = 365
AGENDA_CHARS = 1000
PRODID = "-//Lagspill//My work//NB"

Absolute = Callable[[str], str]  # a site path → a full address


def build(user: Any, absolute: Absolute, now: datetime.datetime | None = None) -> bytes:
    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Lagspill – my work"))
    start = now - datetime.timedelta(days=RECENT_DAYS)
    end = now + datetime.timedelta(days=AHEAD_DAYS)
    for meeting in mywork.meetings(user, start, end):
        calendar.add_component(meeting_event(meeting, absolute, now))
    for task in mywork.tasks(user):
        if in_calendar_range(task.due_on):
            calendar.add_component(task_event(task, absolute, now))
    for item in mywork.with_arena_links(user, list(mywork.open_actions(user, today))):
        if in_calendar_range(item.due_on):
            calendar.add_component(action_event(item, absolute, now))
    return calendar.to_ical()


def in_calendar_range(day: datetime.date | None) -> bool:
    """Due dates beyond the years the product deals with (typos stored before the forms checked
    them) are left out: an all-day event ends the day after, which could overflow."""
    return day is not None and day.year <= LAST_YEAR


def _event(uid: str, summary: str, now: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", f"{uid}@lagspill")
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("summary", summary)
    return event


def meeting_event(meeting: Meeting, absolute: Absolute, now: datetime.datetime) -> Event:
    event = _event(f"meeting-{meeting.pk}", meeting.arena.name, now)
    event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
    if meeting.ends_at:
        event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
    if meeting.location:
        event.add("location", meeting.location)
    url = absolute(meeting.get_absolute_url())
    agenda = meeting.agenda.strip()
    if len(agenda) > AGENDA_CHARS:
        agenda = agenda[:AGENDA_CHARS].rstrip() + " …"
    event.add("description", f"{agenda}\n\n{url}".strip())
    event.add("url", url)
    return event


def _all_day(event: Event, day: datetime.date) -> Event:
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a due date does not make the person busy
    return event


def task_event(task: AnchoringTask, absolute: Absolute, now: datetime.datetime) -> Event:
    summary = _("Due: %(title)s") % {"title": task.display_title}
    event = _all_day(_event(f"task-{task.pk}", summary, now), task.due_on)
    url = absolute(reverse("mywork:index"))
    event.add("description", f"{_('Anchoring task')} – {task.municipality.name}\n\n{url}")
    event.add("url", url)
    return event


def action_event(item: ActionItem, absolute: Absolute, now: datetime.datetime) -> Event:
    summary = _("Action due: %(title)s") % {"title": item.title}
    event = _all_day(_event(f"action-{item.pk}", summary, now), item.due_on)
    url = absolute(getattr(item, "arena_link", "") or reverse("mywork:index"))  # the arena only if they may open it
    event.add("description", f"{item.arena.name} – {item.get_status_display()}\n\n{url}")
    event.add("url", url)
    return event


@transaction.atomic
def create_feed(user: Any) -> str:
    """A new calendar address for `user`: revokes the earlier ones and returns the token (stored only hashed)."""
    revoke_feeds(user)
    token = CalendarFeed.new_token()
    CalendarFeed.objects.create(user=user, token_hash=hash_token(token))
    return token


@transaction.atomic
def revoke_feeds(user: Any) -> int:
    """Revoke every live address of `user` (saved one by one, so the history records who and when)."""
    feeds = list(CalendarFeed.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for feed in feeds:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return len(feeds)


def active_feed(user: Any) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at").first()


def feed_for_token(token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
