"""The living-conditions monitor: derived built-in indicators, aggregation, profile, index, downloads."""

import csv
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from lagspill.indicators import catalogue, derived, pipeline
from lagspill.indicators.models import DataVersion, IndexScore, Indicator, Neighbours, Observation, WeightSet

from .builders import World

pytestmark = pytest.mark.django_db
COUNTS = ["population", "population_0_17", "population_18_66", "population_67_plus", "population_80_plus"]


def english() -> Client:
    client = Client()
    client.cookies["lagspill_language"] = "en"
    return client


def current(indicator: str, level: str, code: str, period: str) -> Observation:
    return Observation.objects.get(
        indicator__code=indicator, area_level=level, area_code=code, period=period, is_current=True
    )


def test_the_catalogue_has_every_domain_indicator_with_three_languages() -> None:
    codes = {entry["code"] for entry in catalogue.entries()}
    assert {
        "share_67_plus",
        "share_80_plus",
        "old_age_dependency",
        "projected_population_2050",
        "children_persistent_low_income",
        "social_assistance_per_1000",
        "municipal_dwellings_per_1000",
        "startlaan_per_1000",
        "housing_allowance_households",
        "temporary_accommodation_households",
        "waiting_list_adapted_housing",
        "disability_benefit_18_67",
        "crowded_share",
        "high_housing_cost_burden",
    } <= codes
    for indicator in Indicator.objects.all():
        assert indicator.name_nb and indicator.name_nn and indicator.name_en, indicator.code
        assert indicator.definition_nb and indicator.definition_nn and indicator.definition_en, indicator.code


def test_a_broken_catalogue_entry_is_refused_with_its_code(tmp_path: object) -> None:
    broken = tmp_path / "catalogue.toml"  # type: ignore[operator]
    broken.write_text('[[indicator]]\ncode = "x"\ntheme = "weather"\n', encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError, match="x: missing unit"):
        catalogue.entries(broken)


def test_2024_figures_match_ssb() -> None:
    assert current("population", "land", "0", "2024").value == Decimal("5550203")
    assert current("population", "fylke", "18", "2024").value == Decimal("243081")
    assert current("population", "kommune", "1804", "2024").value == Decimal("53712")


def test_county_and_country_figures_are_the_sums_of_their_municipalities() -> None:
    rows = Observation.objects.filter(is_current=True, indicator__code__in=COUNTS, value__isnull=False)
    sums: dict[tuple, Decimal] = defaultdict(Decimal)
    for code, level, area, year, value in rows.values_list(
        "indicator__code", "area_level", "area_code", "year", "value"
    ):
        if level == "kommune":
            sums[(code, "fylke", area[:2], year)] += value
            sums[(code, "land", "0", year)] += value
    aggregates = rows.exclude(area_level="kommune").values_list(
        "indicator__code", "area_level", "area_code", "year", "value"
    )
    checked = 0
    for code, level, area, year, value in aggregates:
        assert value == sums[(code, level, area, year)], (code, level, area, year)
        checked += 1
    assert checked > 15 * 22 * 3


def test_an_incomplete_area_is_missing_with_a_reason_not_a_partial_sum() -> None:
    # The built-in file has no 2005 figure for two municipalities; Norway 2005 is therefore not a sum.
    norway_2005 = current("population", "land", "0", "2005")
    assert (
        norway_2005.value is None
        and norway_2005.status == ".."
        and "not every municipality" in norway_2005.status_reason
    )
    # Single-year ages exist only for Nordland: Nordland has 0–17, Norway has no row at all.
    assert current("population_0_17", "fylke", "18", "2024").value > 0
    assert not Observation.objects.filter(indicator__code="share_0_17", area_level="land", value__isnull=False).exists()


def test_shares_carry_numerator_and_denominator() -> None:
    share = current("share_67_plus", "kommune", "1870", "2024")
    assert share.value == (100 * share.numerator / share.denominator).quantize(Decimal("0.0001"))
    dependency = current("old_age_dependency", "fylke", "18", "2024")
    assert dependency.numerator == current("population_67_plus", "fylke", "18", "2024").value
    change = current("population_change_10y", "kommune", "1870", "2014–2024")
    assert change.year == 2024
    assert change.numerator == current("population", "kommune", "1870", "2024").value - change.denominator


def test_refreshing_unchanged_data_adds_nothing_and_keeps_the_index() -> None:
    before = (DataVersion.objects.count(), Observation.objects.count(), IndexScore.objects.count())
    lines = list(pipeline.run())
    assert "builtin_population: unchanged" in lines
    assert (DataVersion.objects.count(), Observation.objects.count(), IndexScore.objects.count()) == before


def test_every_municipality_has_ten_similar_municipalities_not_itself() -> None:
    assert Neighbours.objects.count() == 357
    sortland = Neighbours.objects.get(area_code="1870")
    assert len(sortland.codes) == 10 and "1870" not in sortland.codes


def test_the_profile_shows_real_figures_verdicts_and_no_zeros_for_missing_data() -> None:
    response = english().get("/kommune/1870/levekar/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "10,748" in html  # Sortland 1 January 2026
    assert "Significantly" in html or "No significant difference" in html
    assert html.count("No data yet.") == Indicator.objects.exclude(source_kind="builtin").count()
    assert "indicators refresh --source ssb" in html


def test_the_profile_query_count_does_not_grow_with_the_catalogue() -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert Client().get("/kommune/1870/levekar/").status_code == 200
        return len(captured.captured_queries)

    before = queries()
    version = DataVersion.objects.create(source="test", checksum="extra")
    for n in range(10):
        extra = Indicator.objects.create(code=f"extra_{n}", name_nb=f"Ekstra {n}", name_nn="x", name_en="x", source="t")
        Observation.objects.create(
            indicator=extra, version=version, area_level="kommune", area_code="1870", period="2024", year=2024, value=n
        )
    assert queries() == before


def test_counts_mode_shows_the_counts_behind_the_shares() -> None:
    html = english().get("/kommune/1870/levekar/?vis=antall").content.decode()
    assert "Persons aged 67 and over" in html and "Share aged 67 and over" not in html


def test_the_download_has_the_page_numbers_and_the_sources() -> None:
    client = english()
    body = client.get("/kommune/1870/levekar/?last-ned=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    population = next(r for r in rows if r[1] == "Population")
    assert population[3:5] == ["2026", "10748"]
    assert any("Statistisk sentralbyrå, tabell 07459" in r[0] for r in rows if r)
    sheet = load_workbook(io.BytesIO(client.get("/kommune/1870/levekar/?last-ned=xlsx").content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert next(r for r in values if r[1] == "Population")[4] == 10748


def test_one_indicator_over_time_has_a_table_with_county_and_country() -> None:
    response = english().get("/kommune/1870/levekar/share_80_plus/?sammenlign=fylke")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nordland - Nordlánnda" in html and "Norway" in html and "<table" in html
    assert english().get("/kommune/1870/levekar/no_such_indicator/").status_code == 404


def test_one_indicator_across_municipalities_filters_by_county_and_year() -> None:
    response = english().get("/indikator/share_67_plus/?fylke=18&ar=2015")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<th scope="row">18') == 41
    assert english().get("/indikator/share_67_plus/?fylke=99").status_code == 404


def test_the_county_index_ranks_all_41_and_names_what_drives_each_score() -> None:
    response = english().get("/fylke/18/indeks/")
    html = response.content.decode()
    assert response.status_code == 200
    scores = IndexScore.objects.filter(weight_set__slug="standard", county_code="18", year=2026)
    assert scores.count() == 41
    assert sorted(s.rank_county for s in scores) == list(range(1, 42))
    top = scores.get(rank_county=1)
    assert abs(sum(top.contributions.values()) - top.score) < 1e-9
    assert "Raised most by" in html


def test_the_county_governor_saves_a_weight_set_and_gets_its_index(world: World) -> None:
    client = Client()
    client.force_login(world.users["county_governor"])
    data = {"name": "Bare eldre", "w_share_80_plus": "2", "w_share_67_plus": "0", "w_old_age_dependency": "0"}
    data |= {f"w_{i.code}": "0" for i in Indicator.objects.exclude(polarity=0).exclude(unit="count")} | data
    response = client.post("/fylke/18/indeks/vekter/", data)
    assert response.status_code == 302
    weight_set = WeightSet.objects.get(name="Bare eldre")
    assert weight_set.created_by == world.users["county_governor"]
    assert IndexScore.objects.filter(weight_set=weight_set, county_code="18").exists()
    assert weight_set.history.count() == 1


def test_only_the_county_governor_may_save_weight_sets(world: World) -> None:
    client = Client()
    client.force_login(world.users["editor"])
    before = WeightSet.objects.count()
    assert client.post("/fylke/18/indeks/vekter/", {"name": "x"}).status_code == 403
    assert WeightSet.objects.count() == before


def test_a_weight_set_with_no_weights_is_refused_and_changes_nothing(world: World) -> None:
    client = Client()
    client.force_login(world.users["county_governor"])
    data = {"name": "Tom"} | {f"w_{i.code}": "0" for i in Indicator.objects.exclude(polarity=0).exclude(unit="count")}
    response = client.post("/fylke/18/indeks/vekter/", data)
    assert response.status_code == 400
    assert not WeightSet.objects.filter(name="Tom").exists()


def test_index_for_all_municipalities_and_years_is_recomputed_in_full() -> None:
    count = derived.compute_index()
    assert count == IndexScore.objects.filter(weight_set__slug="standard").count() >= 357 * 20
