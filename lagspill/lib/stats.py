"""Statistics for the living-conditions monitor: significance against a reference, a challenge index,
ranks and nearest neighbours. Pure and stdlib only, so the pipeline can precompute with it.

The barometer follows FHI's public-health profiles: an area's 95 % Wilson interval against the county's
or country's share (treated as fixed), with three-year pooling for small counts.
"""

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

Z95 = 1.959963984540054
SMALL_COUNT = 20  # pool when the latest numerator or (denominator - numerator) is below this
POOLED_YEARS = 3


def wilson_interval(successes: float, trials: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for successes/trials; ValueError for trials <= 0 or successes outside [0, trials]."""
    if not trials > 0 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials and trials > 0, got {successes}/{trials}")
    p, q = successes / trials, (trials - successes) / trials
    shift = z * z / (2 * trials)
    half = z * math.sqrt(p * q / trials + shift / (2 * trials))
    # (p + shift ∓ half) / (1 + z²/n) rewritten as p² / (p + shift + half) and 1 − q² / (q + shift + half):
    # the same bounds without the cancellation that lifts the lower bound above a tiny p.
    low = p * p / (p + shift + half) if successes > 0 else 0.0
    high = 1 - q * q / (q + shift + half) if successes < trials else 1.0
    return low, high


class Verdict(StrEnum):
    BETTER = "better"  # significantly better than the reference (given polarity)
    WORSE = "worse"  # significantly worse
    HIGHER = "higher"  # significantly higher, for neutral-polarity indicators
    LOWER = "lower"  # significantly lower, for neutral-polarity indicators
    SAME = "same"  # not significantly different
    NOT_TESTED = "not_tested"  # no numerator/denominator, or too little data


@dataclass(frozen=True)
class Comparison:
    verdict: Verdict
    low: float | None  # interval bounds for the area's proportion (None when not tested)
    high: float | None
    pooled_years: int  # 1, or 3 when the area's counts were pooled over three years


NOT_TESTED = Comparison(Verdict.NOT_TESTED, None, None, 1)

# (polarity, direction of the difference) → verdict; direction +1 = above the reference.
_VERDICTS = {
    (1, 1): Verdict.WORSE,
    (1, -1): Verdict.BETTER,
    (-1, 1): Verdict.BETTER,
    (-1, -1): Verdict.WORSE,
    (0, 1): Verdict.HIGHER,
    (0, -1): Verdict.LOWER,
}


def _check_polarity(polarity: int) -> int:
    if polarity not in (-1, 0, 1):
        raise ValueError(f"polarity must be -1, 0 or 1, got {polarity!r}")
    return polarity


def _direction(low: float, high: float, reference: float) -> int:
    """+1 when the interval lies entirely above the reference, -1 entirely below, else 0."""
    return 1 if low > reference else -1 if high < reference else 0


def compare(successes: float | None, trials: float | None, reference: float | None, polarity: int) -> Comparison:
    """The area's 95 % Wilson interval for successes/trials against a fixed reference share."""
    _check_polarity(polarity)
    if successes is None or trials is None or trials == 0 or reference is None:
        return NOT_TESTED
    low, high = wilson_interval(successes, trials)
    direction = _direction(low, high, reference)
    verdict = _VERDICTS[polarity, direction] if direction else Verdict.SAME
    return Comparison(verdict, low, high, 1)


Counts = tuple[float | None, float | None]  # (successes, trials) of one year


def _usable(counts: Counts | None) -> tuple[float, float] | None:
    """The counts when both are known and there were trials, else None."""
    if counts is None or counts[0] is None or counts[1] is None or counts[1] <= 0:
        return None
    return counts[0], counts[1]


def _is_small(successes: float, trials: float) -> bool:
    return successes < SMALL_COUNT or trials - successes < SMALL_COUNT


def _by_year(series: list[tuple[int, float | None, float | None]]) -> dict[int, Counts]:
    years = {year: (successes, trials) for year, successes, trials in series}
    if len(years) != len(series):
        raise ValueError("series has the same year twice")
    return years


def _pooled_counts(years: dict[int, Counts], latest: int) -> tuple[float, float] | None:
    """Summed counts of the three years up to latest, when latest is small and all three have counts."""
    window = [_usable(years.get(year)) for year in range(latest - POOLED_YEARS + 1, latest + 1)]
    usable = [counts for counts in window if counts is not None]
    if len(usable) < POOLED_YEARS or not _is_small(*usable[-1]):
        return None
    return math.fsum(s for s, _ in usable), math.fsum(t for _, t in usable)


def compare_pooled(
    series: list[tuple[int, float | None, float | None]], reference: float | None, polarity: int
) -> Comparison:
    """Compare the latest year, or the sum of the latest three consecutive years when its counts are small."""
    years = _by_year(series)
    if not years:
        return compare(None, None, reference, polarity)
    latest = max(years)
    pooled = _pooled_counts(years, latest)
    if pooled is None:
        return compare(*years[latest], reference, polarity)
    result = compare(*pooled, reference, polarity)
    return replace(result, pooled_years=POOLED_YEARS) if result.low is not None else result


def standardise(values: dict[str, float]) -> dict[str, float]:
    """z-scores with the population standard deviation; all 0.0 when the values do not vary."""
    if not values or max(values.values()) == min(values.values()):
        return dict.fromkeys(values, 0.0)
    mean = math.fsum(values.values()) / len(values)
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values.values()) / len(values))
    return {key: (v - mean) / sd for key, v in values.items()}


@dataclass(frozen=True)
class IndexResult:
    score: float | None  # None when coverage < min_coverage
    coverage: float  # share (0..1) of the total weight that had data
    contributions: dict[str, float]  # indicator → contribution; the contributions sum to score ({} when no score)


def _used_indicators(
    values: dict[str, dict[str, float]], polarity: dict[str, int], weights: dict[str, float]
) -> list[str]:
    """Indicators with data, a polarity of ±1 and a positive weight; others (also unlisted ones) are ignored."""
    return [
        i for i, by_area in values.items() if by_area and _check_polarity(polarity.get(i, 0)) and weights.get(i, 0) > 0
    ]


def _meets(coverage: float, min_coverage: float) -> bool:
    # isclose: weights such as 0.7 sum to a hair under the exact share, which should still count.
    return coverage >= min_coverage or math.isclose(coverage, min_coverage)


def _area_result(terms: dict[str, float], available: float, total: float, min_coverage: float) -> IndexResult:
    coverage = available / total
    if not _meets(coverage, min_coverage):
        return IndexResult(None, coverage, {})
    contributions = {indicator: term / available for indicator, term in terms.items()}
    return IndexResult(math.fsum(contributions.values()), coverage, contributions)


def challenge_index(
    values: dict[str, dict[str, float]],
    polarity: dict[str, int],
    weights: dict[str, float],
    min_coverage: float = 0.6,
) -> dict[str, IndexResult]:
    """One year's weighted mean of polarity-signed z-scores per area; higher = more challenge."""
    used = _used_indicators(values, polarity, weights)
    total = math.fsum(weights[i] for i in used)
    terms: dict[str, dict[str, float]] = {}
    for indicator in used:
        signed_weight = weights[indicator] * polarity[indicator]
        for area, z in standardise(values[indicator]).items():
            terms.setdefault(area, {})[indicator] = signed_weight * z
    return {area: _area_result(t, math.fsum(weights[i] for i in t), total, min_coverage) for area, t in terms.items()}


def rank(scores: dict[str, float | None]) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4), 1 = highest score; areas without a score are left out."""
    first: dict[float, int] = {}  # score → the position of its first area in descending order
    for position, score in enumerate(sorted((s for s in scores.values() if s is not None), reverse=True), start=1):
        first.setdefault(score, position)
    return {area: first[score] for area, score in scores.items() if score is not None}


def _standardised_rows(features: dict[str, tuple[float, ...]]) -> dict[str, tuple[float, ...]]:
    """The features with each column standardised across all areas."""
    widths = {len(row) for row in features.values()}
    if len(widths) > 1:
        raise ValueError(f"every area needs the same number of features, got lengths {sorted(widths)}")
    columns = [standardise({area: row[c] for area, row in features.items()}) for c in range(max(widths, default=0))]
    return {area: tuple(column[area] for column in columns) for area in features}


def _nearest(area: str, rows: dict[str, tuple[float, ...]], k: int) -> list[tuple[str, float]]:
    point = rows[area]
    others: Iterable[tuple[float, str]] = ((math.dist(point, row), o) for o, row in rows.items() if o != area)
    return [(other, distance) for distance, other in heapq.nsmallest(k, others)]


def nearest_neighbours(features: dict[str, tuple[float, ...]], k: int = 10) -> dict[str, list[tuple[str, float]]]:
    """Each area's k nearest other areas on standardised features, by distance then area code."""
    if k < 0:
        raise ValueError(f"k must not be negative, got {k}")
    rows = _standardised_rows(features)
    return {area: _nearest(area, rows, k) for area in rows}
