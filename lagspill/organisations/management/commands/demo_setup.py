from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lagspill.arenas.demo import ensure_demo_arenas
from lagspill.continuity.demo import ensure_demo_continuity
from lagspill.measures.demo import ensure_demo_measures
from lagspill.network.event_demo import ensure_demo_events
from lagspill.network.library_demo import ensure_demo_library
from lagspill.network.participation_demo import ensure_demo_participation
from lagspill.network.support_demo import ensure_demo_support
from lagspill.organisations.demo import ensure_demo
from lagspill.plans.demo import ensure_demo_plans


class Command(BaseCommand):
    help = (
        "Create the demo organisations, accounts, plans, roles, arenas, measures and housing projects "
        "(LAGSPILL_DEMO=1 only; idempotent)."
    )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEMO:
            raise CommandError("Demo content needs LAGSPILL_DEMO=1 (and DEBUG=1).")
        accounts = ensure_demo()
        self.stdout.write(f"Demo accounts (password: {settings.DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(f"  {account.email:32} {account.description}")
        plans = ensure_demo_plans()
        self.stdout.write(f"Demo plans created: {len(plans)} (the four project municipalities).")
        roles = ensure_demo_continuity()  # roles and holders first: arenas seat roles
        self.stdout.write(f"Demo roles created: {len(roles)}.")
        arenas = ensure_demo_arenas()
        self.stdout.write(f"Demo arenas created: {len(arenas)}.")
        measures = ensure_demo_measures()  # after the plans (goals) and roles (owners)
        self.stdout.write(f"Demo goals, measures and housing projects created: {len(measures)}.")
        practices = ensure_demo_library()
        self.stdout.write(f"Demo practices in the experience library: {len(practices or [])}.")
        requests = ensure_demo_support()
        self.stdout.write(f"Demo support requests: {len(requests or [])}.")
        events = ensure_demo_events()
        self.stdout.write(f"Demo network events: {len(events or [])}.")
        inputs = ensure_demo_participation()  # after the plans
        self.stdout.write(f"Demo input from user organisations: {len(inputs or [])}.")
