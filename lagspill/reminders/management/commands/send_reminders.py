"""Mail the reminders that are due (run weekly, e.g. from cron); each reaches each person once."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from lagspill.reminders.registry import send_all


class Command(BaseCommand):
    help = "Mail due reminders (plan revisions, planning strategies after elections) to the responsible people."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = send_all(timezone.localdate())
        self.stdout.write(
            f"Sent {summary.sent} reminder(s); {summary.already_sent} already sent before; "
            f"{summary.without_recipient} without anyone to send to."
        )
