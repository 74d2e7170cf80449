from argparse import ArgumentParser
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lagspill.indicators import pipeline


class Command(BaseCommand):
    help = (
        "Statistics pipeline. `indicators refresh` runs the ordered steps on the built-in data; "
        "`--source ssb` fetches from Statistics Norway; `--source csv PATH --municipality NNNN` loads a "
        "municipality's own figures."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="run the pipeline steps")
        refresh.add_argument("--source", nargs="+", metavar=("SOURCE", "PATH"), default=["builtin"])
        refresh.add_argument("--municipality", help="municipality number, for --source csv")
        refresh.add_argument("--step", action="append", dest="steps", help="run only this step (repeatable)")
        sub.add_parser("steps", help="list the steps in order")

    def handle(self, *args: object, action: str, **options: object) -> None:
        if action == "steps":
            for s in pipeline.ordered_steps(source=""):
                self.stdout.write(f"{s.order:3d} {s.name}" + (f" ({s.source})" if s.source else ""))
            return
        source, *rest = options["source"]
        if source == "csv":
            self.load_csv(rest, options.get("municipality"))
            source = "derived"  # then only the steps that recompute flags, neighbours and the index
        elif source not in ("builtin", "ssb") or rest:
            raise CommandError("--source must be builtin, ssb, or csv PATH.")
        try:
            for line in pipeline.run(options.get("steps"), source):
                self.stdout.write(line)
        except KeyError as error:
            raise CommandError(f"Unknown step: {error}") from error
        except pipeline.SourceError as error:
            raise CommandError(f"{error}") from error

    def load_csv(self, rest: list[str], number: object) -> None:
        from lagspill.indicators import upload
        from lagspill.places.models import Municipality

        if len(rest) != 1 or not number:
            raise CommandError("Use --source csv PATH --municipality NNNN.")
        municipality = Municipality.objects.filter(number=str(number)).first()
        if municipality is None:
            raise CommandError(f"Unknown municipality: {number}.")
        path = Path(rest[0])
        if not path.is_file():
            raise CommandError(f"No such file: {path}.")
        parsed = upload.parse(path.read_bytes(), municipality, path.name)
        if parsed.errors:
            lines = [f"row {e.row}, {e.column}: {e.message}" for e in parsed.errors]
            raise CommandError("The file was not loaded; nothing was changed:\n" + "\n".join(lines))
        result = upload.import_rows(municipality, parsed.rows, None, checksum=parsed.checksum, file_name=path.name)
        self.stdout.write(f"csv: {result.stored} figures stored" if result.created else "csv: unchanged")
