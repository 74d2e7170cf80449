"""Every municipality status report of a county, written to a folder: `manage.py reports build`.

Each report is built exactly as the download would build it for the same reader
(`municipality.build`, the municipality template, `municipality.workbook`): as the public sees it, or
as one user sees it. A report that fails is reported and skipped; the others are still written.

Laying out a PDF is CPU work in Python (WeasyPrint), so with `jobs` > 1 the reports are shared out to
that many worker processes, each with its own database connection. Workers are started fresh ("spawn",
not "fork"): a forked copy of a process that has run the chart renderer's threads could hang. They read
the committed database, so a run inside an open transaction (tests) uses `jobs=1`.
"""

import datetime
import logging
import multiprocessing
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.text import slugify

from lagspill.lib.text import fold
from lagspill.places.models import County, Municipality

from . import municipality as status_report
from .pdf import render_pdf

logger = logging.getLogger(__name__)
FORMATS = ("pdf", "xlsx")
TEMPLATE = "reports/municipality.html"


@dataclass(frozen=True)
class Built:
    municipality: Municipality
    seconds: float
    files: list[Path]
    cpu_seconds: float = 0.0  # this process's CPU time for the report (the wall time includes waiting)


@dataclass(frozen=True)
class Failed:
    municipality: Municipality
    error: str


@dataclass
class Summary:
    built: list[Built] = field(default_factory=list)
    failed: list[Failed] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def slowest(self) -> Built | None:
        return max(self.built, key=lambda b: b.seconds, default=None)

    @property
    def cpu_seconds(self) -> float:
        return sum(b.cpu_seconds for b in self.built)


Progress = Callable[[int, int, Built | Failed], None]


def municipalities(county: County, limit: int | None = None) -> list[Municipality]:
    rows = county.municipalities.select_related("county").order_by("number")
    return list(rows[:limit] if limit else rows)


def file_stem(municipality: Municipality) -> str:
    """The file name without extension, e.g. 1804-bodo: the number, and the name without æøå or accents."""
    return f"{municipality.number}-{slugify(fold(municipality.name_plain)) or 'kommune'}"


def pdf_bytes(report: status_report.MunicipalityReport) -> bytes:
    """The PDF of the download (`municipality_views.report_pdf`): the same template and context."""
    context = {"report": report, "municipality": report.municipality, "generated_at": report.generated_at}
    return render_pdf(TEMPLATE, context, cached=False)  # files made now, whatever the cache holds


def build_one(user: Any, municipality: Municipality, out: Path, formats: Iterable[str]) -> Built:
    start, cpu = time.perf_counter(), time.process_time()
    report = status_report.build(user, municipality)
    files = []
    for fmt in formats:
        body = pdf_bytes(report) if fmt == "pdf" else status_report.workbook(report)
        path = out / f"{file_stem(municipality)}.{fmt}"
        path.write_bytes(body)
        files.append(path)
    return Built(municipality, time.perf_counter() - start, files, time.process_time() - cpu)


def attempt(user: Any, municipality: Municipality, out: Path, formats: list[str]) -> Built | Failed:
    try:
        return build_one(user, municipality, out, formats)
    except Exception as error:  # one broken report must not stop the others
        logger.exception("The report of %s failed.", municipality.number)
        return Failed(municipality, f"{type(error).__name__}: {error}")


def build_all(
    county: County,
    out: Path,
    formats: Iterable[str] = ("pdf",),
    *,
    user: Any = None,
    limit: int | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
) -> Summary:
    """Write the reports of the county's municipalities (the first `limit` by number) to `out`, as `user`
    (None: the public) sees them, in `jobs` processes. `progress(done, total, result)` after each one."""
    formats = [f for f in FORMATS if f in set(formats)]
    out.mkdir(parents=True, exist_ok=True)
    places = municipalities(county, limit)
    summary = Summary()
    start = time.perf_counter()
    if jobs > 1 and len(places) > 1:
        results = in_workers(places, user, out, formats, jobs)
    else:
        results = (attempt(user or AnonymousUser(), m, out, formats) for m in places)
    for done, result in enumerate(results, start=1):
        (summary.built if isinstance(result, Built) else summary.failed).append(result)
        if progress:
            progress(done, len(places), result)
    summary.seconds = time.perf_counter() - start
    return summary


def in_workers(places: list[Municipality], user: Any, out: Path, formats: list[str], jobs: int) -> Iterable:
    """The results in the order they finish."""
    context = multiprocessing.get_context("spawn")
    user_id = user.pk if user is not None else None
    language = translation.get_language()
    with ProcessPoolExecutor(max_workers=min(jobs, len(places)), mp_context=context, initializer=django.setup) as pool:
        futures = {pool.submit(work, m.pk, user_id, str(out), formats, language): m for m in places}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as error:  # the worker itself died
                yield Failed(futures[future], f"{type(error).__name__}: {error}")


def work(municipality_id: int, user_id: int | None, out: str, formats: list[str], language: str) -> Built | Failed:
    """One report in a worker process (after `django.setup`)."""
    quiet()
    municipality = Municipality.objects.select_related("county").get(pk=municipality_id)
    user = get_user_model().objects.get(pk=user_id) if user_id else AnonymousUser()
    with translation.override(language):
        return attempt(user, municipality, Path(out), formats)


def quiet() -> None:
    """WeasyPrint logs each layout step at INFO; a run of 41 reports would print hundreds of lines."""
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def elapsed(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 60 else str(datetime.timedelta(seconds=round(seconds)))
