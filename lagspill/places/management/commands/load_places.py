from django.core.management.base import BaseCommand

from lagspill.places.loaders import load_places


class Command(BaseCommand):
    help = "Load counties, municipalities, map outlines and the code crosswalk from data/ (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        summary = load_places()
        self.stdout.write(
            f"Places: {summary.counties} counties, {summary.municipalities} municipalities, "
            f"{summary.code_changes} code changes."
        )
