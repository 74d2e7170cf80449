from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lagspill.organisations.demo import ensure_demo
from lagspill.plans.demo import ensure_demo_plans


class Command(BaseCommand):
    help = "Create the demo organisations, accounts and plans (LAGSPILL_DEMO=1 only; idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEMO:
            raise CommandError("Demo content needs LAGSPILL_DEMO=1 (and DEBUG=1).")
        accounts = ensure_demo()
        self.stdout.write(f"Demo accounts (password: {settings.DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(f"  {account.email:32} {account.description}")
        plans = ensure_demo_plans()
        self.stdout.write(f"Demo plans created: {len(plans)} (the four project municipalities).")
