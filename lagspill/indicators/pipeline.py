"""The statistics pipeline: small ordered steps, run by `manage.py indicators refresh`.

Each step is a function registered with `@step(order)`; it returns a line for the summary.
Later sources (SSB PxWebApi, CSV upload) add steps here in the same shape.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q

from . import builtin, derived
from . import catalogue as catalogue_file
from .models import DataVersion, Indicator, Observation, Status

BUILTIN_SOURCE = "builtin:ssb-07459"


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    run: Callable[[], str]
    source: str | None  # runs only for this source; None: always


STEPS: dict[str, Step] = {}


class SourceError(Exception):
    """A source could not be read; the message says why, and that nothing was changed."""


def step(order: int, source: str | None = None) -> Callable[[Callable[[], str]], Callable[[], str]]:
    def register(func: Callable[[], str]) -> Callable[[], str]:
        STEPS[func.__name__] = Step(func.__name__, order, func, source)
        return func

    return register


def ordered_steps(names: list[str] | None = None, source: str = "builtin") -> list[Step]:
    unknown = set(names or []) - set(STEPS)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    chosen = (s for s in STEPS.values() if (s.name in names if names else s.source in (None, source) or not source))
    return sorted(chosen, key=lambda s: s.order)


def run(names: list[str] | None = None, source: str = "builtin") -> Iterator[str]:
    for s in ordered_steps(names, source):
        with transaction.atomic():
            summary = s.run()
        yield f"{s.name}: {summary}"  # outside the transaction: a consumer's error cannot undo the step


@step(10)
def catalogue() -> str:
    items = catalogue_file.entries()
    for position, item in enumerate(items, start=1):
        Indicator.objects.update_or_create(code=item["code"], defaults=catalogue_file.fields(item, position))
    return f"{len(items)} indicators in the catalogue"


def decimal(value: float | int | None) -> str | None:
    """Four decimals, as text: exact for the DecimalField and accepted by every database driver."""
    return None if value is None else f"{value:.4f}"


COLUMNS = (
    "indicator_id",
    "version_id",
    "area_level",
    "area_code",
    "period",
    "year",
    "value",
    "numerator",
    "denominator",
    "status",
    "status_reason",
    "weighted",
    "is_current",
    "is_latest",
)


def insert_observations(rows: list[tuple]) -> None:
    """Many rows in one `executemany` (model instances and bulk_create cost ~10× more at this size)."""
    table = connection.ops.quote_name(Observation._meta.db_table)
    marks = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks})"  # noqa: S608 (constant names)
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def observation_values(row: builtin.Row, indicator_ids: dict[str, int], version: DataVersion) -> tuple:
    return (
        indicator_ids[row.indicator],
        version.pk,
        row.level,
        row.code,
        row.period,
        row.year,
        decimal(row.value),
        decimal(row.numerator),
        decimal(row.denominator),
        Status.MISSING if row.value is None else Status.OK,
        row.reason,
        row.weighted,
        True,
        False,
    )


@step(20, source="builtin")
def builtin_population() -> str:
    version, created = DataVersion.objects.get_or_create(
        source=BUILTIN_SOURCE,
        checksum=builtin.checksum(),
        defaults={"description": "SSB 07459 via csdata, 2024 borders, 2005–2026 (derived indicators)"},
    )
    if not created:
        return "unchanged"
    indicator_ids = dict(Indicator.objects.values_list("code", "pk"))
    rows = [observation_values(r, indicator_ids, version) for r in builtin.rows()]
    insert_observations(rows)
    return f"{len(rows)} observations loaded"


@step(30, source="ssb")
def ssb_fetch() -> str:
    """Every catalogue indicator with an SSB source, from PxWebApi v2; all or nothing."""
    from . import ssb  # httpx is loaded only when the SSB source is asked for

    try:
        return "; ".join(ssb.load()) or "no indicators with an SSB source"
    except ssb.SsbError as error:
        raise SourceError(str(error)) from error


def refresh_planner_statistics() -> None:
    """After a bulk load PostgreSQL's statistics are stale and it would scan the table per row."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Observation._meta.db_table}")


@step(50)
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


@step(60)
def neighbours() -> str:
    return f"similar municipalities for {derived.compute_neighbours()} municipalities"


@step(70)
def challenge_index() -> str:
    return f"{derived.compute_index()} index scores"
