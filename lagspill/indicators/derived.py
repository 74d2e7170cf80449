"""Figures computed from current observations: similar municipalities and the challenge index.

Both are precomputed by pipeline steps so pages only read them.
"""

import json
import math
from collections import defaultdict

from django.db import connection, transaction

from lagspill.lib import stats
from lagspill.places.models import Municipality

from .models import AreaLevel, IndexScore, Indicator, Neighbours, Observation, WeightSet

SIMILARITY_FEATURES = ("population", "share_67_plus", "share_80_plus", "old_age_dependency", "population_change_10y")
NEIGHBOURS = 10


def current_values(codes: list[str]) -> dict[str, dict[int, dict[str, float]]]:
    """indicator → year → municipality → value, for the current rows with a value (one query)."""
    values: dict[str, dict[int, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    ids = dict(Indicator.objects.filter(code__in=codes).values_list("pk", "code"))
    rows = Observation.objects.filter(
        is_current=True, area_level=AreaLevel.MUNICIPALITY, indicator_id__in=list(ids), value__isnull=False
    ).values_list("indicator_id", "year", "area_code", "value")
    for indicator_id, year, area, value in rows:
        values[ids[indicator_id]][year][area] = float(value)
    return values


def similarity_features() -> dict[str, tuple[float, ...]]:
    """Each municipality's latest year with every feature: size (log), age structure, growth."""
    values = current_values(list(SIMILARITY_FEATURES))
    years = sorted(set.intersection(*(set(values[c]) for c in SIMILARITY_FEATURES)), reverse=True) if values else []
    features: dict[str, tuple[float, ...]] = {}
    for year in years:
        for area in values["population"][year]:
            if area not in features and all(area in values[c][year] for c in SIMILARITY_FEATURES):
                row = [values[c][year][area] for c in SIMILARITY_FEATURES]
                row[0] = math.log10(max(row[0], 1))
                features[area] = tuple(row)
    return features


@transaction.atomic
def compute_neighbours() -> int:
    features = similarity_features()
    nearest = stats.nearest_neighbours(features, k=NEIGHBOURS)
    Neighbours.objects.all().delete()  # derived data, recomputed in full
    Neighbours.objects.bulk_create(
        Neighbours(
            area_code=area,
            codes=[code for code, _distance in nearest[area]],
            features=dict(zip(SIMILARITY_FEATURES, features[area], strict=True)),
        )
        for area in sorted(nearest)
    )
    return len(nearest)


def standard_weight_set() -> WeightSet:
    weights = {i.code: i.index_weight for i in Indicator.objects.filter(index_weight__gt=0)}
    weight_set, _created = WeightSet.objects.update_or_create(
        slug=WeightSet.STANDARD, defaults={"name": "Standard", "weights": weights}
    )
    return weight_set


def index_scores(weight_set: WeightSet, values: dict, polarity: dict[str, int], counties: dict[str, str]) -> list:
    weights = {code: float(w) for code, w in weight_set.weights.items() if float(w) > 0 and polarity.get(code)}
    years = sorted({year for code in weights for year in values.get(code, {})})
    scores = []
    for year in years:
        data = {code: values[code][year] for code in weights if values.get(code, {}).get(year)}
        results = stats.challenge_index(data, polarity, {c: weights[c] for c in data})
        scores.extend(year_scores(weight_set, year, results, counties))
    return scores


def year_scores(weight_set: WeightSet, year: int, results: dict, counties: dict[str, str]) -> list[tuple]:
    """Rows for the index table: ranks in Norway and in the area's county."""
    country_rank = stats.rank({area: r.score for area, r in results.items()})
    by_county: dict[str, dict[str, float | None]] = defaultdict(dict)
    for area, result in results.items():
        by_county[counties.get(area, "")][area] = result.score
    county_rank = {area: rank for group in by_county.values() for area, rank in stats.rank(group).items()}
    return [
        (
            weight_set.pk,
            area,
            counties[area],
            year,
            result.score,
            result.coverage,
            county_rank.get(area),
            country_rank.get(area),
            json.dumps(result.contributions),
        )
        for area, result in results.items()
        if area in counties
    ]


SCORE_COLUMNS = (
    "weight_set_id",
    "area_code",
    "county_code",
    "year",
    "score",
    "coverage",
    "rank_county",
    "rank_country",
    "contributions",
)


def insert_scores(rows: list[tuple]) -> None:
    """One `executemany` (model instances cost more than the index itself at this size)."""
    table = connection.ops.quote_name(IndexScore._meta.db_table)
    sql = f"INSERT INTO {table} ({', '.join(SCORE_COLUMNS)}) VALUES ({', '.join(['%s'] * len(SCORE_COLUMNS))})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@transaction.atomic
def compute_index(weight_sets: list[WeightSet] | None = None) -> int:
    """Scores for every municipality and year under each weight set (all active sets by default)."""
    if weight_sets is None:
        standard_weight_set()
        weight_sets = list(WeightSet.objects.filter(retired_at__isnull=True))
    codes = sorted({code for ws in weight_sets for code in ws.weights})
    polarity = dict(Indicator.objects.filter(code__in=codes).values_list("code", "polarity"))
    values = current_values(codes)
    counties = dict(Municipality.objects.values_list("number", "county__number"))
    total = 0
    for weight_set in weight_sets:
        scores = index_scores(weight_set, values, polarity, counties)
        IndexScore.objects.filter(weight_set=weight_set).delete()  # derived data, recomputed in full
        insert_scores(scores)
        total += len(scores)
    return total
