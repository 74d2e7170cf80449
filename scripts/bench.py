"""`make bench`: render the main pages against the loaded database and report time and queries.

Figures, not assertions: speed targets live here, not in timed tests.
"""

import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lagspill.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = [
    "/",
    "/fylke/18/",
    "/fylke/03/",
    "/kommune/1870/",
    "/sok/?q=hamaroy",
    "/kommune/9999/",
    "/kommune/1870/levekar/",
    "/kommune/1870/levekar/share_80_plus/",
    "/indikator/share_67_plus/?fylke=18",
    "/fylke/18/indeks/",
    "/api/observations?indicator=population&level=kommune&year=2024",
]
# From need to measures (issue 6): public pages, measured before and after the seed below.
MEASURE_PAGES = [
    "/kommune/1870/behov/",
    "/kommune/1870/tiltak/",
    "/kommune/1870/tiltak/?visning=tabell",
    "/kommune/1870/virkemidler/",
    "/kommune/1870/boligprosjekter/",
    "/fylke/18/virkemidler/",
]
# Pages behind login, measured as an adviser at the County Governor of Nordland (a user made for the
# run and rolled back afterwards, so the database is left as it was).
COUNTY_GOVERNOR_PAGES = [
    "/fylke/18/planstatus/",  # target: median ≤ 100 ms, a constant number of queries
    "/fylke/18/kontinuitet/",
    "/kommune/1870/roller/",
    "/kommune/1870/forankring/",
    "/kommune/1870/arenaer/",
    "/fylke/18/nettverk/",
    *MEASURE_PAGES,
    "/fylke/18/behov/",
]
ROUNDS = 20
# Reports (issue 7), signed in at the County Governor: a PDF takes seconds, so fewer rounds, after one
# request that warms the chart cache, first laid out each time (the PDF cache off), then as served again
# the same day from the PDF cache. Targets: the municipality report ≤ 2 s (median of warm requests);
# all 41 Nordland municipality reports ≤ 60 s through `reports.batch`.
REPORT_PAGES = [
    "/kommune/1870/rapport.pdf",
    "/kommune/1870/rapport.xlsx",
    "/fylke/18/rapport.pdf",
    "/fylke/18/rapport.xlsx",
]
REPORT_ROUNDS = 5


def measure(client: Client, path: str, rounds: int = ROUNDS, warm_up: bool = False) -> tuple[float, float, int, int]:
    if warm_up:
        client.get(path, HTTP_HOST="127.0.0.1")
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(path, HTTP_HOST="127.0.0.1")
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST="127.0.0.1")
    return statistics.median(timings), max(timings), len(queries), len(response.content)


def report(client: Client, paths: list[str], rounds: int = ROUNDS, warm_up: bool = False) -> None:
    for path in paths:
        median, worst, queries, size = measure(client, path, rounds, warm_up)
        print(f"{path:60} {median:10.1f} {worst:8.1f} {queries:8d} {size / 1024:6.0f}")


def minutes_page(arena_page: str) -> str:
    """The minutes of the busy arena's last meeting."""
    from django.urls import reverse

    from lagspill.arenas.models import Meeting

    meeting = Meeting.objects.filter(arena_id=int(arena_page.strip("/").split("/")[-1])).order_by("starts_at").last()
    return reverse("reports:minutes_pdf", args=[meeting.arena_id, meeting.pk])


def report_batch() -> None:
    """All municipality reports of Nordland as PDF, as the public gets them, through `reports.batch` in its
    default number of worker processes. The workers read the committed database, so this runs outside the
    seeding transaction. Columns: total time, the slowest report, -, the files' total size; then the CPU
    time the reports took (on a busy machine the wall time also holds the time spent waiting for a CPU)."""
    import tempfile

    from lagspill.places.models import County
    from lagspill.reports import batch
    from lagspill.reports.management.commands.reports import DEFAULT_JOBS

    batch.quiet()
    county = County.objects.get(number="18")
    with tempfile.TemporaryDirectory(prefix="lagspill-bench-reports-") as folder:
        summary = batch.build_all(county, Path(folder), ["pdf"], jobs=DEFAULT_JOBS)
        size = sum(path.stat().st_size for built in summary.built for path in built.files)
    slowest = summary.slowest.seconds * 1000 if summary.slowest else 0.0
    label = f"{len(summary.built)} reports, {DEFAULT_JOBS} processes ({len(summary.failed)} failed)"
    print(f"{label:60} {summary.seconds * 1000:10.1f} {slowest:8.1f} {'–':>8} {size / 1024:6.0f}")
    print(f"{'  CPU time of the reports, summed over the workers':60} {summary.cpu_seconds * 1000:10.1f}")


def county_governor_client() -> Client:
    from django.contrib.auth import get_user_model

    from lagspill.organisations.models import Kind, Membership, Organisation, Role
    from lagspill.places.models import County

    county = County.objects.get(number="18")
    governor = Organisation.objects.filter(kind=Kind.COUNTY_GOVERNOR, county=county).first()
    if governor is None:
        governor = Organisation.objects.create(
            slug="bench-statsforvalter", name="Statsforvalteren (bench)", kind=Kind.COUNTY_GOVERNOR, county=county
        )
    user = get_user_model().objects.create_user(email="bench-statsforvalter@example.invalid", password=None)
    Membership.objects.create(user=user, organisation=governor, role=Role.EDITOR)
    client = Client()
    client.force_login(user)
    return client


def seed_continuity(user: object) -> str:
    """Roles with three holders each in all of Nordland's municipalities, and an arena in Sortland with
    two years of monthly meetings, decisions and actions: made inside the run's transaction, rolled back."""
    import datetime

    from lagspill.arenas import actions as arena_actions
    from lagspill.continuity import actions
    from lagspill.places.models import Municipality

    sortland_roles = []
    for municipality in Municipality.objects.filter(county__number="18"):
        for role in actions.ensure_catalogue_roles(municipality, user):
            for year in (2019, 2022, 2025):
                name, email = f"Bench {role.pk}-{year}", f"bench-{role.pk}-{year}@example.invalid"
                day = datetime.date(year, 3, 1)
                actions.replace_holder(role, name=name, email=email, starts_on=day, by=user, package=False)
            if municipality.number == "1870":
                sortland_roles.append(role)
    sortland = Municipality.objects.get(number="1870")
    arena = arena_actions.create_arena(
        name="Bench team", purpose="Bench", rhythm="manedlig", is_public=False, by=user, municipality=sortland
    )
    for role in sortland_roles[:6]:
        arena_actions.add_member(arena, joined_on=datetime.date(2024, 1, 1), by=user, role=role)
    for month in range(24):
        starts = datetime.datetime(2025 + month // 12, month % 12 + 1, 10, 9, tzinfo=datetime.UTC)
        meeting = arena_actions.add_meeting(arena, starts_at=starts, by=user, agenda="Bench")
        arena_actions.add_decision(meeting, text=f"Bench decision {month}", by=user)
        due = starts.date() + datetime.timedelta(days=30)
        owner = sortland_roles[0]
        arena_actions.add_action(arena, meeting=meeting, title="Bench", owner_role=owner, due_on=due, by=user)
    return f"/arenaer/{arena.pk}/"


def seed_measures(user: object) -> str:
    """Bench-only data for issue 6 in all of Nordland's municipalities, made inside the run's transaction
    and rolled back: 5 years of needs mappings with every code, a housing plan with 5 goals, 20 measures
    linked to goals and owner roles, 10 instrument figures and 3 housing projects each. Rows are written
    in bulk (no history: nothing here outlives the run). Returns the page of one Sortland project."""
    from lagspill.continuity.models import Role
    from lagspill.measures import catalogue
    from lagspill.measures.models import (
        HUSBANKEN_INSTRUMENTS,
        HousingProject,
        InstrumentUse,
        Measure,
        NeedsFigure,
        NeedsMapping,
        ProjectStatus,
    )
    from lagspill.places.models import Municipality
    from lagspill.plans.models import Goal, Plan

    codes = [figure.code for figure in catalogue.load().figures]
    statuses = list(ProjectStatus)
    for m in Municipality.objects.filter(county__number="18").order_by("number"):
        mappings = NeedsMapping.objects.bulk_create(
            NeedsMapping(municipality=m, year=year, is_public=year % 2 == 0, note="Bench") for year in range(2021, 2026)
        )
        NeedsFigure.objects.bulk_create(
            NeedsFigure(mapping=mapping, code=code, value=(index * 7 + mapping.year) % 23)
            for mapping in mappings
            for index, code in enumerate(codes)
        )
        plan = Plan.objects.create(municipality=m, level="boligplan", title=f"Bench boligplan {m.number}")
        goals = Goal.objects.bulk_create(Goal(plan=plan, number=str(n), text=f"Bench goal {n}") for n in range(1, 6))
        roles = list(Role.objects.filter(municipality=m)[:5]) or [None]
        measures = Measure.objects.bulk_create(
            Measure(
                municipality=m,
                title=f"Bench measure {n}",
                target_group="alle",
                owner_role=roles[n % len(roles)],
                budget=100_000 * n if n % 3 else None,
                budget_source="drift" if n % 3 else "",
                completion_criterion="Bench?",
                is_public=n % 2 == 0,
                created_by=user,
            )
            for n in range(20)
        )
        through = Measure.goals.through
        through.objects.bulk_create(
            through(measure_id=measure.pk, goal_id=goals[n % 5].pk) for n, measure in enumerate(measures)
        )
        InstrumentUse.objects.bulk_create(
            InstrumentUse(
                municipality=m,
                year=2020 + n // 2,
                instrument=HUSBANKEN_INSTRUMENTS[n % 2],
                count=n + 1,
                amount=1_000_000 * (n + 1),
                source="Bench",
            )
            for n in range(10)
        )
        HousingProject.objects.bulk_create(
            HousingProject(
                municipality=m,
                name=f"Bench project {n}",
                status=statuses[n + 1],
                ready_year=2027 + n,
                units_ordinary=2 + n,
                units_adapted=1,
                measure=measures[n],
                is_public=True,
                created_by=user,
            )
            for n in range(3)
        )
    return HousingProject.objects.filter(municipality__number="1870").first().get_absolute_url()


def main() -> None:
    logging.disable(logging.WARNING)  # the 404 page logs each request
    print(f"{'page (warm)':60} {'median ms':>10} {'max ms':>8} {'queries':>8} {'kB':>6}")
    report(Client(), [*PAGES, *MEASURE_PAGES])
    print("signed in at the County Governor:")
    with transaction.atomic():
        client = county_governor_client()
        report(client, COUNTY_GOVERNOR_PAGES)
        user = client.session["_auth_user_id"]
        from django.contrib.auth import get_user_model

        arena_page = seed_continuity(get_user_model().objects.get(pk=user))
        print("with roles and three holders each in all 41 Nordland municipalities, and a busy arena:")
        report(client, [*COUNTY_GOVERNOR_PAGES[1:], arena_page])
        project_page = seed_measures(get_user_model().objects.get(pk=user))
        print("with 5 years of needs mappings, 20 measures, 10 instrument figures and 3 projects in each:")
        report(client, [*MEASURE_PAGES, "/fylke/18/behov/", project_page])
        print("the same, not signed in:")
        report(Client(), [*MEASURE_PAGES, project_page])
        from lagspill.reports import pdf

        print("reports at the County Governor, with all of the above (median of warm requests), laid out each time:")
        kept, pdf.CACHE_SECONDS = pdf.CACHE_SECONDS, 0
        report(client, [*REPORT_PAGES, minutes_page(arena_page)], REPORT_ROUNDS, warm_up=True)
        pdf.CACHE_SECONDS = kept
        print("the same PDFs asked for again the same day (served from the PDF cache):")
        report(client, [p for p in REPORT_PAGES if p.endswith(".pdf")], REPORT_ROUNDS, warm_up=True)
        transaction.set_rollback(True)
    print("all municipality reports of Nordland (reports.batch, as the public gets them):")
    report_batch()


if __name__ == "__main__":
    main()
