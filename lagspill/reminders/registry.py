"""Reminders from every app, mailed by `manage.py send_reminders`.

An app registers a function with `@source`; it returns the reminders due on a day. A reminder's
`key` names what it is about and its stage (e.g. "due within 90 days", "overdue"), so each stage
reaches each person once, however often the command runs.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation

from .models import ReminderSent

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    key: str
    subject: Callable[[], str]  # called inside the recipient's language
    body: Callable[[], str]
    recipients: tuple = field(default=())


Source = Callable[[datetime.date], Iterable[Reminder]]
SOURCES: list[Source] = []


def source(func: Source) -> Source:
    SOURCES.append(func)
    return func


def due(today: datetime.date) -> list[Reminder]:
    return [reminder for found in SOURCES for reminder in found(today)]


@dataclass
class Summary:
    sent: int = 0
    already_sent: int = 0
    without_recipient: int = 0


def send_all(today: datetime.date) -> Summary:
    summary = Summary()
    for reminder in due(today):
        if not reminder.recipients:
            summary.without_recipient += 1
        for user in reminder.recipients:
            if deliver(reminder, user):
                summary.sent += 1
            else:
                summary.already_sent += 1
    return summary


def deliver(reminder: Reminder, user: object) -> bool:
    """Record, then send, in one transaction: a failed mail leaves no record, a sent one is never repeated."""
    if ReminderSent.objects.filter(key=reminder.key, recipient=user).exists():
        return False
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=reminder.key, recipient=user)
            with translation.override(settings.LANGUAGE_CODE):
                send_mail(reminder.subject(), reminder.body(), None, [user.email])
    except IntegrityError:  # another run recorded it first
        return False
    return True
