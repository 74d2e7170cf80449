import os
from argparse import ArgumentParser
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from lagspill.places.models import County
from lagspill.reports import batch

DEFAULT_JOBS = min(os.cpu_count() or 1, 4)


class Command(BaseCommand):
    help = (
        "Reports. `reports build --county 18 --out DIR` writes the status report of every municipality in the "
        "county as the public sees it (`--as EMAIL`: as that user sees it), as PDF and/or XLSX (`--format pdf,xlsx`)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="write every municipality report of a county")
        build.add_argument("--county", required=True, help="county number, e.g. 18")
        build.add_argument("--out", required=True, type=Path, help="folder to write the files to")
        build.add_argument("--format", default="pdf", help="pdf, xlsx or pdf,xlsx (default: pdf)")
        build.add_argument("--as", dest="email", help="build the reports as this user sees them")
        build.add_argument("--limit", type=int, help="only the first N municipalities (by number)")
        build.add_argument("--jobs", type=int, default=DEFAULT_JOBS, help=f"worker processes (default: {DEFAULT_JOBS})")
        build.add_argument("--language", default=settings.LANGUAGE_CODE, choices=[c for c, _n in settings.LANGUAGES])

    def handle(self, *args: object, action: str, **options: object) -> None:
        county = County.objects.filter(number=options["county"]).first()
        if county is None:
            raise CommandError(f"Unknown county: {options['county']}.")
        formats = [f.strip() for f in str(options["format"]).split(",") if f.strip()]
        if not formats or any(f not in batch.FORMATS for f in formats):
            raise CommandError("--format must be pdf, xlsx or pdf,xlsx.")
        if options["limit"] is not None and options["limit"] < 1:
            raise CommandError("--limit must be 1 or more.")
        if options["jobs"] < 1:
            raise CommandError("--jobs must be 1 or more.")
        user = self.user(options["email"])
        batch.quiet()
        with translation.override(options["language"]):
            summary = batch.build_all(
                county,
                options["out"],
                formats,
                user=user,
                limit=options["limit"],
                progress=self.progress,
                jobs=options["jobs"],
            )
        self.report(summary)

    def user(self, email: object) -> object:
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=str(email), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the e-mail address {email}.")
        return user

    def progress(self, index: int, total: int, result: batch.Built | batch.Failed) -> None:
        name = result.municipality.name_plain
        if isinstance(result, batch.Failed):
            self.stderr.write(f"{index}/{total} {name} FAILED: {result.error}")
        else:
            self.stdout.write(f"{index}/{total} {name} … {batch.elapsed(result.seconds)}")

    def report(self, summary: batch.Summary) -> None:
        slowest = summary.slowest
        line = f"{len(summary.built)} reports in {batch.elapsed(summary.seconds)}"
        if slowest:
            line += f"; slowest {slowest.municipality.name_plain} ({batch.elapsed(slowest.seconds)})"
        self.stdout.write(line)
        if summary.failed:
            names = ", ".join(f.municipality.name_plain for f in summary.failed)
            raise CommandError(f"{len(summary.failed)} reports failed: {names}.")
