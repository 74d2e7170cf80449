from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError

from lagspill.indicators import pipeline


class Command(BaseCommand):
    help = "Statistics pipeline. `indicators refresh` runs the ordered steps on the built-in data."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="run the pipeline steps")
        refresh.add_argument("--source", choices=["builtin"], default="builtin")
        refresh.add_argument("--step", action="append", dest="steps", help="run only this step (repeatable)")
        sub.add_parser("steps", help="list the steps in order")

    def handle(self, *args: object, action: str, **options: object) -> None:
        if action == "steps":
            for s in pipeline.ordered_steps():
                self.stdout.write(f"{s.order:3d} {s.name}")
            return
        try:
            for line in pipeline.run(options.get("steps")):
                self.stdout.write(line)
        except KeyError as error:
            raise CommandError(f"Unknown step: {error}") from error
