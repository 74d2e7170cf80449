import datetime

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from lagspill.continuity.anchoring import schedule_all


class Command(BaseCommand):
    help = (
        "Create the recurring anchoring tasks that are due (orientation for the new council after a local "
        "election, the yearly review of roles and handover notes) in every municipality with roles. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="YYYY-MM-DD (default: today)")

    def handle(self, *args: object, **options: object) -> None:
        today = options.get("today") or timezone.localdate()
        created = schedule_all(today)
        self.stdout.write(f"Recurring anchoring tasks created: {len(created)}.")
