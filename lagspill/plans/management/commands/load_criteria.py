"""Load the default criteria set shipped in `plans/criteria.toml` (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from lagspill.plans import criteria


class Command(BaseCommand):
    help = "Load the default criteria set for plan assessments (a version already loaded is kept as it is)."

    def handle(self, *args: Any, **options: Any) -> None:
        criteria_set = criteria.sync()
        count = criteria_set.criteria.count()
        self.stdout.write(f"Criteria set {criteria_set.slug} version {criteria_set.version}: {count} criteria.")
