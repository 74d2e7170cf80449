"""The statistics pipeline: small ordered steps, run by `manage.py indicators refresh`.

Each step is a function registered with `@step(order)`; it returns a line for the summary.
Later sources (SSB PxWebApi, CSV upload) add steps here in the same shape.
"""

import csv
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q

from . import catalogue as catalogue_file
from .models import AreaLevel, DataVersion, Indicator, Observation

POPULATION_CSV = settings.BASE_DIR / "data" / "ssb" / "befolkning" / "population_age_groups_2005_2026_b2024.csv"
BUILTIN_POPULATION_SOURCE = "builtin:ssb-07459-age-groups"
LEVELS = {"land": AreaLevel.COUNTRY, "fylke": AreaLevel.COUNTY, "kommune": AreaLevel.MUNICIPALITY}


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    run: Callable[[], str]


STEPS: dict[str, Step] = {}


def step(order: int) -> Callable[[Callable[[], str]], Callable[[], str]]:
    def register(func: Callable[[], str]) -> Callable[[], str]:
        STEPS[func.__name__] = Step(func.__name__, order, func)
        return func

    return register


def ordered_steps(names: list[str] | None = None) -> list[Step]:
    unknown = set(names or []) - set(STEPS)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    return sorted((s for s in STEPS.values() if not names or s.name in names), key=lambda s: s.order)


def run(names: list[str] | None = None) -> Iterator[str]:
    for s in ordered_steps(names):
        with transaction.atomic():
            summary = s.run()
        yield f"{s.name}: {summary}"  # outside the transaction: a consumer's error cannot undo the step


@step(10)
def catalogue() -> str:
    items = catalogue_file.entries()
    for position, item in enumerate(items, start=1):
        Indicator.objects.update_or_create(code=item["code"], defaults=catalogue_file.fields(item, position))
    return f"{len(items)} indicators in the catalogue"


def population_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def population_observation(row: dict[str, str], indicator: Indicator, version: DataVersion) -> Observation:
    return Observation(
        indicator=indicator,
        version=version,
        area_level=LEVELS[row["level"]],
        area_code=row["region"],
        period=row["year"],
        year=int(row["year"]),
        value=Decimal(row["total"]),
        weighted=row["split_weighted"] == "True",
    )


@step(20)
def builtin_population() -> str:
    checksum = hashlib.sha256(POPULATION_CSV.read_bytes()).hexdigest()
    version, created = DataVersion.objects.get_or_create(
        source=BUILTIN_POPULATION_SOURCE,
        checksum=checksum,
        defaults={"description": "SSB 07459 via csdata, 2024 borders, 2005–2026"},
    )
    if not created:
        return "unchanged"
    indicator = Indicator.objects.get(code="population")
    rows = [population_observation(r, indicator, version) for r in population_rows(POPULATION_CSV)]
    Observation.objects.bulk_create(rows, batch_size=2000)
    return f"{len(rows)} observations loaded"


def refresh_planner_statistics() -> None:
    """After a bulk load PostgreSQL's statistics are stale and it would scan the table per row."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Observation._meta.db_table}")


@step(90)
def mark_current() -> str:
    """Flag rows of the newest version as current, and each area's newest current period as latest."""
    refresh_planner_statistics()
    same_series = {
        "indicator": OuterRef("indicator"),
        "area_level": OuterRef("area_level"),
        "area_code": OuterRef("area_code"),
    }
    newer_version = Observation.objects.filter(
        **same_series, period=OuterRef("period"), version__gt=OuterRef("version")
    )
    Observation.objects.update(is_current=~Exists(newer_version))
    newer_period = Observation.objects.filter(**same_series, is_current=True, year__gt=OuterRef("year"))
    Observation.objects.update(is_latest=Q(is_current=True) & ~Exists(newer_period))
    current = Observation.objects.filter(is_current=True).count()
    latest = Observation.objects.filter(is_latest=True).count()
    return f"{current} current, {latest} latest"
