"""Statistics for the living-conditions monitor: Wilson intervals, the barometer, pooling, the challenge
index, ranks and neighbours, on hand-worked values and with property tests."""

import math
import statistics
import time

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lagspill.lib.stats import (
    SMALL_COUNT,
    Z95,
    Comparison,
    IndexResult,
    Verdict,
    challenge_index,
    compare,
    compare_pooled,
    nearest_neighbours,
    rank,
    standardise,
    wilson_interval,
)

NOT_TESTED = Comparison(Verdict.NOT_TESTED, None, None, 1)
SWAP = {Verdict.BETTER: Verdict.WORSE, Verdict.WORSE: Verdict.BETTER, Verdict.SAME: Verdict.SAME}
NEUTRAL = {Verdict.WORSE: Verdict.HIGHER, Verdict.BETTER: Verdict.LOWER, Verdict.SAME: Verdict.SAME}


def closed_form(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """Wilson (1927) written the other way round: (2s + z² ± z√(z² + 4s(n−s)/n)) / 2(n + z²)."""
    centre, spread = 2 * successes + z * z, z * math.sqrt(z * z + 4 * successes * (trials - successes) / trials)
    denominator = 2 * (trials + z * z)
    return (centre - spread) / denominator, (centre + spread) / denominator


def width(interval: tuple[float, float]) -> float:
    return interval[1] - interval[0]


# --- Wilson interval -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [(0, 10, 0.0, 0.2775), (10, 10, 0.7225, 1.0), (5, 10, 0.2366, 0.7634), (81, 263, 0.2553, 0.3662)],
)
def test_wilson_matches_published_values(successes: int, trials: int, low: float, high: float) -> None:
    assert wilson_interval(successes, trials) == pytest.approx((low, high), abs=5e-5)


def test_wilson_bounds_at_the_edges_are_exact() -> None:
    assert wilson_interval(0, 7)[0] == 0.0
    assert wilson_interval(7, 7)[1] == 1.0


def test_wilson_uses_the_z_it_is_given() -> None:
    assert wilson_interval(5, 10, z=0) == (0.5, 0.5)
    assert wilson_interval(0, 10, z=0) == (0.0, 0.0)
    assert wilson_interval(10, 10, z=0) == (1.0, 1.0)
    assert width(wilson_interval(5, 10, z=2.5758)) > width(wilson_interval(5, 10))


@given(st.integers(1, 10**6).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_matches_the_closed_form(counts: tuple[int, int]) -> None:
    low, high = wilson_interval(*counts)
    expected_low, expected_high = closed_form(*counts)
    assert math.isclose(low, expected_low, abs_tol=1e-12)
    assert math.isclose(high, expected_high, abs_tol=1e-12)


@pytest.mark.parametrize(("successes", "trials"), [(0, 0), (0, -5), (-1, 10), (11, 10), (math.nan, 10), (1, math.nan)])
def test_wilson_refuses_impossible_counts(successes: float, trials: float) -> None:
    with pytest.raises(ValueError, match="successes"):
        wilson_interval(successes, trials)


@given(st.floats(1e-3, 1e7), st.floats(0, 1))
def test_the_interval_contains_the_proportion_and_lies_in_0_1(trials: float, share: float) -> None:
    successes = share * trials
    low, high = wilson_interval(successes, trials)
    assert 0.0 <= low <= successes / trials <= high <= 1.0


@given(st.integers(1, 10**5).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))), st.integers(2, 50))
def test_a_larger_sample_with_the_same_proportion_is_narrower(counts: tuple[int, int], factor: int) -> None:
    successes, trials = counts
    assert width(wilson_interval(successes * factor, trials * factor)) < width(wilson_interval(successes, trials))


# --- Barometer --------------------------------------------------------------------------------------

ABOVE, BELOW, INSIDE = (81, 263), (30, 263), (50, 263)  # against a reference share of 0.2


@pytest.mark.parametrize(
    ("counts", "polarity", "verdict"),
    [
        (ABOVE, 1, Verdict.WORSE),
        (BELOW, 1, Verdict.BETTER),
        (INSIDE, 1, Verdict.SAME),
        (ABOVE, -1, Verdict.BETTER),
        (BELOW, -1, Verdict.WORSE),
        (INSIDE, -1, Verdict.SAME),
        (ABOVE, 0, Verdict.HIGHER),
        (BELOW, 0, Verdict.LOWER),
        (INSIDE, 0, Verdict.SAME),
    ],
)
def test_the_verdict_follows_the_interval_and_the_polarity(
    counts: tuple[int, int], polarity: int, verdict: Verdict
) -> None:
    assert compare(*counts, 0.2, polarity) == Comparison(verdict, *wilson_interval(*counts), 1)


def test_an_interval_touching_the_reference_is_not_significant() -> None:
    low, high = wilson_interval(*ABOVE)
    assert compare(*ABOVE, low, 1).verdict == Verdict.SAME
    assert compare(*ABOVE, high, 1).verdict == Verdict.SAME
    assert compare(*ABOVE, math.nextafter(low, 0), 1).verdict == Verdict.WORSE
    assert compare(*ABOVE, math.nextafter(high, 1), 1).verdict == Verdict.BETTER


@pytest.mark.parametrize(
    ("successes", "trials", "reference"), [(None, 10, 0.2), (5, None, 0.2), (0, 0, 0.2), (5, 10, None)]
)
def test_missing_counts_or_reference_are_not_tested(
    successes: float | None, trials: float | None, reference: float | None
) -> None:
    assert compare(successes, trials, reference, 1) == NOT_TESTED


def test_compare_refuses_bad_polarity_and_impossible_counts() -> None:
    with pytest.raises(ValueError, match="polarity"):
        compare(5, 10, 0.2, 2)
    with pytest.raises(ValueError, match="successes"):
        compare(11, 10, 0.2, 1)


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))), st.floats(0, 1))
def test_flipping_polarity_swaps_better_and_worse(counts: tuple[int, int], reference: float) -> None:
    challenge = compare(*counts, reference, 1).verdict
    assert compare(*counts, reference, -1).verdict == SWAP[challenge]
    assert compare(*counts, reference, 0).verdict == NEUTRAL[challenge]


# --- Pooling ----------------------------------------------------------------------------------------

SMALL_YEARS = [(2024, 5, 30), (2022, 8, 40), (2023, 12, 50)]  # any order; 2024 has only 5 successes


def test_small_counts_are_pooled_over_three_consecutive_years() -> None:
    assert compare(5, 30, 0.1, 1).verdict == Verdict.SAME  # on its own, too uncertain
    result = compare_pooled(SMALL_YEARS, 0.1, 1)
    assert result == Comparison(Verdict.WORSE, *wilson_interval(25, 120), pooled_years=3)


def test_a_small_complement_also_pools() -> None:
    series = [(2022, 35, 40), (2023, 45, 50), (2024, 100 - SMALL_COUNT + 1, 100)]  # 2024: 19 failures
    pooled = (35 + 45 + 100 - SMALL_COUNT + 1, 190)
    assert compare_pooled(series, 0.5, 1) == Comparison(Verdict.WORSE, *wilson_interval(*pooled), 3)


def test_large_counts_use_the_latest_year_alone() -> None:
    series = [(2022, 8, 40), (2023, 12, 50), (2024, SMALL_COUNT, 2 * SMALL_COUNT)]
    assert compare_pooled(series, 0.1, 1) == compare(SMALL_COUNT, 2 * SMALL_COUNT, 0.1, 1)


def test_only_the_latest_three_years_are_pooled() -> None:
    result = compare_pooled([(2021, 1000, 1000), *SMALL_YEARS], 0.1, 1)
    assert (result.low, result.high, result.pooled_years) == (*wilson_interval(25, 120), 3)


@pytest.mark.parametrize(
    "series",
    [
        [(2021, 8, 40), (2022, 12, 50), (2024, 5, 30)],  # a gap: 2023 is missing
        [(2022, 8, 40), (2023, None, 50), (2024, 5, 30)],  # 2023 has no numerator
        [(2022, 8, 40), (2023, 12, 0), (2024, 5, 30)],  # 2023 has no trials
        [(2023, 12, 50), (2024, 5, 30)],  # only two years
    ],
)
def test_without_three_consecutive_years_the_latest_is_tested_alone(
    series: list[tuple[int, float | None, float | None]],
) -> None:
    assert compare_pooled(series, 0.1, 1) == compare(5, 30, 0.1, 1)


@pytest.mark.parametrize(
    ("series", "reference"),
    [([], 0.1), ([(2022, 8, 40), (2023, 12, 50), (2024, None, 30)], 0.1), (SMALL_YEARS, None)],
)
def test_pooling_without_latest_counts_or_reference_is_not_tested(
    series: list[tuple[int, float | None, float | None]], reference: float | None
) -> None:
    assert compare_pooled(series, reference, 1) == NOT_TESTED


def test_a_year_given_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        compare_pooled([(2024, 5, 30), (2024, 6, 30)], 0.1, 1)


# --- Standardising and the challenge index ---------------------------------------------------------

Z = math.sqrt(1.5)  # the z-score of 3 (and −z of 1) among 1, 2, 3


def test_standardise_known_values_and_degenerate_cases() -> None:
    assert standardise({"a": 1, "b": 2, "c": 3}) == pytest.approx({"a": -Z, "b": 0.0, "c": Z})
    assert standardise({"a": 0.1, "b": 0.1, "c": 0.1}) == {"a": 0.0, "b": 0.0, "c": 0.0}
    assert standardise({"a": 4.0}) == {"a": 0.0}
    assert standardise({}) == {}


finite = st.integers(-10_000, 10_000).map(lambda n: n / 10)


@given(st.dictionaries(st.text(max_size=3), finite, min_size=2))
def test_standardised_values_have_mean_0_and_sd_1(values: dict[str, float]) -> None:
    assume(len(set(values.values())) > 1)
    z = list(standardise(values).values())
    assert math.isclose(statistics.fmean(z), 0, abs_tol=1e-9)
    assert math.isclose(statistics.pstdev(z), 1)


def test_challenge_index_hand_worked() -> None:
    values = {
        "low_income": {"A": 1, "B": 2, "C": 3},  # z: −Z, 0, Z; weight 2, more = more challenge
        "owners": {"A": 10, "C": 30},  # z: −1, 1; weight 1, more = less challenge
        "age": {"D": 40, "A": 50},  # neutral polarity: ignored
        "unweighted": {"E": 1, "A": 2},  # weight 0: ignored
    }
    polarity = {"low_income": 1, "owners": -1, "age": 0, "unweighted": 1}
    weights = {"low_income": 2, "owners": 1, "age": 5, "unweighted": 0}
    result = challenge_index(values, polarity, weights)
    assert result.keys() == {"A", "B", "C"}
    a = result["A"]
    assert a.score == pytest.approx((-2 * Z + 1) / 3)
    assert a.contributions == pytest.approx({"low_income": -2 * Z / 3, "owners": 1 / 3})
    assert a.coverage == 1.0
    assert result["B"] == IndexResult(0.0, pytest.approx(2 / 3), {"low_income": 0.0})
    assert result["C"].score == pytest.approx((2 * Z - 1) / 3)


@pytest.mark.parametrize("weight", [1.0, 0.7])  # with 0.7, 2.1 / 3.5 rounds to just under 0.6
def test_coverage_exactly_at_the_threshold_counts(weight: float) -> None:
    values = {f"i{n}": {"full": n, "three": 2 * n, "two": 3 * n} for n in range(5)}
    for n in range(3, 5):
        del values[f"i{n}"]["three"]
    for n in range(2, 5):
        del values[f"i{n}"]["two"]
    result = challenge_index(values, dict.fromkeys(values, 1), dict.fromkeys(values, weight))
    assert math.isclose(result["three"].coverage, 0.6)
    assert result["three"].score is not None
    assert result["two"] == IndexResult(None, pytest.approx(0.4), {})


def test_challenge_index_refuses_a_polarity_other_than_minus_one_zero_or_one() -> None:
    with pytest.raises(ValueError, match="polarity"):
        challenge_index({"x": {"A": 1}}, {"x": 2}, {"x": 1})


AREAS = [f"{n:04d}" for n in range(1, 9)]
by_area = st.dictionaries(st.sampled_from(AREAS), st.integers(0, 100).map(float), min_size=1)


@st.composite
def index_inputs(draw: st.DrawFn) -> tuple[dict[str, dict[str, float]], dict[str, int], dict[str, float]]:
    names = [f"i{n}" for n in range(draw(st.integers(1, 5)))]
    values = {name: draw(by_area) for name in names}
    polarity = {name: draw(st.sampled_from([-1, 0, 1])) for name in names}
    weights = {name: draw(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.7])) for name in names}
    return values, polarity, weights


def scores(result: dict[str, IndexResult]) -> dict[str, float | None]:
    return {area: r.score for area, r in result.items()}


@given(index_inputs(), st.floats(0, 1))
def test_contributions_sum_to_the_score(inputs: tuple, min_coverage: float) -> None:
    for r in challenge_index(*inputs, min_coverage=min_coverage).values():
        assert 0 < r.coverage <= 1 + 1e-12
        if r.score is None:
            assert r.coverage < min_coverage and r.contributions == {}
        else:
            assert math.isclose(math.fsum(r.contributions.values()), r.score, abs_tol=1e-12)


@given(index_inputs(), st.data(), st.floats(0.1, 10), st.floats(-100, 100))
def test_scaling_or_shifting_one_indicator_leaves_scores_unchanged(
    inputs: tuple, data: st.DataObject, factor: float, shift: float
) -> None:
    values, polarity, weights = inputs
    name = data.draw(st.sampled_from(sorted(values)))
    changed = {**values, name: {area: v * factor + shift for area, v in values[name].items()}}
    before = scores(challenge_index(values, polarity, weights))
    after = scores(challenge_index(changed, polarity, weights))
    assert before.keys() == after.keys()
    for area, score in before.items():
        assert (score is None) == (after[area] is None)
        assert score is None or math.isclose(score, after[area], abs_tol=1e-9)


@given(index_inputs())
def test_flipping_every_polarity_negates_the_scores(inputs: tuple) -> None:
    values, polarity, weights = inputs
    flipped = {name: -p for name, p in polarity.items()}
    before = scores(challenge_index(values, polarity, weights))
    after = scores(challenge_index(values, flipped, weights))
    assert before.keys() == after.keys()
    assert all(s is None or math.isclose(-s, after[area], abs_tol=1e-12) for area, s in before.items())


# --- Ranking ---------------------------------------------------------------------------------------


def test_rank_uses_competition_ranking_and_leaves_out_missing_scores() -> None:
    assert rank({"d": 1.0, "b": 2.0, "a": 3.0, "c": 2.0, "e": None}) == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert rank({}) == {}


@given(st.dictionaries(st.sampled_from(AREAS), st.one_of(st.none(), st.integers(-3, 3).map(float), finite)))
def test_rank_is_consistent_with_score_order(scores: dict[str, float | None]) -> None:
    ranks = rank(scores)
    scored = {area: s for area, s in scores.items() if s is not None}
    assert ranks.keys() == scored.keys()
    for area, score in scored.items():
        assert ranks[area] == 1 + sum(other > score for other in scored.values())


# --- Nearest neighbours ----------------------------------------------------------------------------


def test_neighbours_are_found_on_standardised_columns() -> None:
    # Raw, "c" is nearest to "a" (4 against ~1000); with each column standardised, "b" is.
    features = {"a": (0.0, 0.0), "b": (1.0, 1000.0), "c": (4.0, 0.0)}
    columns = [[row[c] for row in features.values()] for c in range(2)]
    z = {
        area: tuple((row[c] - statistics.fmean(columns[c])) / statistics.pstdev(columns[c]) for c in range(2))
        for area, row in features.items()
    }
    result = nearest_neighbours(features, k=5)
    assert [area for area, _ in result["a"]] == ["b", "c"]
    assert [d for _, d in result["a"]] == pytest.approx([math.dist(z["a"], z["b"]), math.dist(z["a"], z["c"])])


def test_equal_distances_are_ordered_by_area_code() -> None:
    assert [area for area, _ in nearest_neighbours({"b": (2.0,), "c": (1.0,), "a": (0.0,)})["c"]] == ["a", "b"]


def test_neighbours_refuse_uneven_features_and_negative_k() -> None:
    with pytest.raises(ValueError, match="same number"):
        nearest_neighbours({"a": (1.0,), "b": (1.0, 2.0)})
    with pytest.raises(ValueError, match="negative"):
        nearest_neighbours({"a": (1.0,)}, k=-1)


@given(
    st.integers(0, 4).flatmap(lambda w: st.dictionaries(st.sampled_from(AREAS), st.tuples(*[finite] * w))),
    st.integers(0, 10),
)
def test_neighbours_exclude_self_have_min_k_n_minus_1_and_are_sorted(
    features: dict[str, tuple[float, ...]], k: int
) -> None:
    result = nearest_neighbours(features, k=k)
    assert result.keys() == features.keys()
    for area, neighbours in result.items():
        assert area not in [other for other, _ in neighbours]
        assert len(neighbours) == min(k, len(features) - 1)
        assert neighbours == sorted(neighbours, key=lambda pair: (pair[1], pair[0]))
        assert len({other for other, _ in neighbours}) == len(neighbours)


# --- Speed (generous bounds: the monitor needs well under 0.2 s and 0.3 s) -------------------------


def test_it_is_fast_enough_for_every_municipality_and_year() -> None:
    areas = range(357)  # every tenth area lacks each indicator, so coverage varies
    values = {f"i{n}": {f"{a:04d}": (a * 37 + n * 101) % 97 for a in areas if (a + n) % 10} for n in range(12)}
    polarity, weights = dict.fromkeys(values, 1), dict.fromkeys(values, 1.0)
    features = {f"{a:04d}": tuple((a * 53 + c * 17) % 89 for c in range(6)) for a in areas}
    start = time.perf_counter()
    for _year in range(22):
        challenge_index(values, polarity, weights)
    middle = time.perf_counter()
    nearest_neighbours(features)
    assert middle - start < 0.6 and time.perf_counter() - middle < 0.9
