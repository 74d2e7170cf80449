"""Derive the built-in population and ageing indicators from the SSB 07459 extracts in `data/`.

Municipality counts come from the files; county and country figures are sums of their
municipalities (never averages of shares), and only where every municipality of the area has a
figure that year — otherwise the area's figure is missing with the reason. Shares, ratios and
changes are computed from those counts, so each row carries its numerator and denominator.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.conf import settings

FOLDER = settings.BASE_DIR / "data" / "ssb" / "befolkning"
AGE_GROUPS = FOLDER / "population_age_groups_2005_2026_b2024.csv"
SINGLE_AGE = FOLDER / "nordland_population_single_age_sex_2005_2026_b2024.csv.gz"
DERIVATION = "3"  # bump when the derivation changes, so the pipeline loads a new version
INCOMPLETE = "not every municipality of the area has a figure for this year in the built-in data"

COUNTS = {  # indicator → base count column
    "population": "total",
    "population_0_17": "age_0_17",
    "population_18_66": "age_18_66",
    "population_67_plus": "age_67_plus",
    "population_80_plus": "age_80_plus",
}
RATIOS = {  # indicator → (numerator column, denominator column, factor)
    "share_0_17": ("age_0_17", "total_single_age", 100),
    "share_18_66": ("age_18_66", "total_single_age", 100),
    "share_67_plus": ("age_67_plus", "total", 100),
    "share_80_plus": ("age_80_plus", "total", 100),
    "old_age_dependency": ("age_67_plus", "age_20_66", 100),
}
CHANGES = {"population_change_5y": 5, "population_change_10y": 10}


@dataclass(frozen=True)
class Row:
    indicator: str
    level: str  # "kommune", "fylke" or "land"
    code: str
    year: int
    period: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    weighted: bool = False
    reason: str = ""


def checksum(paths: tuple[Path, ...] = (AGE_GROUPS, SINGLE_AGE)) -> str:
    digest = hashlib.sha256(DERIVATION.encode())
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def municipality_counts() -> pl.DataFrame:
    """One row per municipality and year with the base counts (null where the file has none)."""
    groups = (
        pl.read_csv(AGE_GROUPS, schema_overrides={"region": pl.Utf8})
        .filter(pl.col("level") == "kommune")
        .select(
            pl.col("region").alias("code"),
            "year",
            "total",
            (pl.col("age_20_44") + pl.col("age_45_66")).alias("age_20_66"),
            "age_67_plus",
            "age_80_plus",
            pl.col("split_weighted").alias("weighted"),
        )
    )
    single = (
        pl.read_csv(SINGLE_AGE, schema_overrides={"kommunenummer": pl.Utf8})
        .group_by(pl.col("kommunenummer").alias("code"), "year")
        .agg(
            pl.col("population").filter(pl.col("age") <= 17).sum().alias("age_0_17"),
            pl.col("population").filter(pl.col("age").is_between(18, 66)).sum().alias("age_18_66"),
            pl.col("population").sum().alias("total_single_age"),
            pl.col("split_weighted").any().alias("weighted_single"),
        )
    )
    return (
        groups.join(single, on=["code", "year"], how="left")
        .with_columns(
            (pl.col("weighted") | pl.col("weighted_single").fill_null(False)).alias("weighted"),
            pl.col("code").str.slice(0, 2).alias("county"),
        )
        .drop("weighted_single")
    )


BASE = ["total", "age_20_66", "age_67_plus", "age_80_plus", "age_0_17", "age_18_66", "total_single_age"]


def aggregate(counts: pl.DataFrame, by: pl.Expr, members: pl.DataFrame) -> pl.DataFrame:
    """Sum each base count over an area's municipalities; null unless all of them have it."""
    summed = counts.group_by(by.alias("code"), "year").agg(
        *[pl.col(c).sum().alias(c) for c in BASE],
        *[pl.col(c).is_not_null().sum().alias(f"{c}_n") for c in BASE],
        pl.col("weighted").any(),
    )
    summed = summed.join(members, on="code")
    return summed.select(
        "code",
        "year",
        *[pl.when(pl.col(f"{c}_n") == pl.col("members")).then(pl.col(c)).alias(c) for c in BASE],
        *[(pl.col(f"{c}_n") > 0).alias(f"{c}_partial") for c in BASE],
        "weighted",
    )


def all_counts() -> dict[str, pl.DataFrame]:
    """Base counts per level; the area's member count is the number of municipalities it has in 2024."""
    kommune = municipality_counts()
    county_members = kommune.group_by(pl.col("county").alias("code")).agg(pl.col("code").n_unique().alias("members"))
    land_members = pl.DataFrame({"code": ["0"], "members": [kommune["code"].n_unique()]})
    with_partial = kommune.with_columns(*[pl.col(c).is_not_null().alias(f"{c}_partial") for c in BASE])
    return {
        "kommune": with_partial,
        "fylke": aggregate(kommune, pl.col("county"), county_members),
        "land": aggregate(kommune, pl.lit("0"), land_members),
    }


def rows() -> Iterator[Row]:
    for level, frame in all_counts().items():
        frame = frame.sort("code", "year")
        records = frame.to_dicts()
        yield from count_rows(level, records)
        yield from ratio_rows(level, records)
        yield from change_rows(level, records)


def count_rows(level: str, records: list[dict]) -> Iterator[Row]:
    for indicator, column in COUNTS.items():
        for r in records:
            if r[column] is not None:
                yield Row(indicator, level, r["code"], r["year"], str(r["year"]), r[column], weighted=r["weighted"])
            elif r[f"{column}_partial"]:
                yield Row(indicator, level, r["code"], r["year"], str(r["year"]), None, reason=INCOMPLETE)


def ratio_rows(level: str, records: list[dict]) -> Iterator[Row]:
    for indicator, (num, den, factor) in RATIOS.items():
        for r in records:
            year, period = r["year"], str(r["year"])
            if r[num] is not None and r[den]:
                value = factor * r[num] / r[den]
                yield Row(indicator, level, r["code"], year, period, value, r[num], r[den], r["weighted"])
            elif r[f"{num}_partial"]:
                yield Row(indicator, level, r["code"], year, period, None, reason=INCOMPLETE)


def change_rows(level: str, records: list[dict]) -> Iterator[Row]:
    totals = {(r["code"], r["year"]): (r["total"], r["weighted"]) for r in records}
    for indicator, span in CHANGES.items():
        for (code, year), (total, weighted) in totals.items():
            before, weighted_before = totals.get((code, year - span), (None, False))
            if before is None and (code, year - span) not in totals:
                continue  # the series does not reach back far enough
            period = f"{year - span}–{year}"
            if total is None or not before:
                yield Row(indicator, level, code, year, period, None, reason=INCOMPLETE)
                continue
            change = total - before
            yield Row(
                indicator, level, code, year, period, 100 * change / before, change, before, weighted or weighted_before
            )
