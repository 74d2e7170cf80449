"""The public read API (/api/): shapes, filters, errors, query counts and the access module."""

import re
from decimal import Decimal

import pytest
from django.db.models import QuerySet
from django.test import Client

from lagspill.indicators.models import DataVersion, IndexScore, Indicator, Observation, WeightSet
from lagspill.organisations import access
from lagspill.organisations.models import Membership
from lagspill.places.models import County, Municipality

pytestmark = pytest.mark.django_db

OBSERVATION_FIELDS = {
    "indicator",
    "level",
    "area_code",
    "period",
    "year",
    "value",
    "numerator",
    "denominator",
    "status",
    "status_reason",
    "weighted",
    "version_id",
    "loaded_at",
}


def get(client: Client, path: str, **params: object) -> tuple[int, object]:
    response = client.get(path, params)
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, response.json()


def population(client: Client, **params: object) -> dict[tuple[str, str, int], float | None]:
    status, body = get(client, "/api/observations", indicator="population", **params)
    assert status == 200, body
    return {(row["level"], row["area_code"], row["year"]): row["value"] for row in body["items"]}


# ---------------------------------------------------------------- areas
def test_areas_list_the_country_counties_and_municipalities(client: Client) -> None:
    status, areas = get(client, "/api/areas")
    assert status == 200
    assert areas[0] == {"level": "land", "code": "0", "name": "Norge", "name_plain": "Norge", "county": None}
    levels = [a["level"] for a in areas]
    assert levels.count("fylke") == County.objects.count() == 15
    assert levels.count("kommune") == Municipality.objects.count() == 357
    sortland = next(a for a in areas if a["code"] == "1870")
    assert sortland == {
        "level": "kommune",
        "code": "1870",
        "name": "Sortland - Suortá",
        "name_plain": "Sortland",
        "county": "18",
    }


def test_areas_filter_by_level_and_county(client: Client) -> None:
    _, counties = get(client, "/api/areas", level="fylke")
    assert {a["level"] for a in counties} == {"fylke"}
    assert len(counties) == 15
    _, nordland = get(client, "/api/areas", county="18")
    assert nordland[0]["code"] == "18"
    assert {a["county"] for a in nordland} == {"18"}
    assert len(nordland) == 1 + Municipality.objects.filter(county__number="18").count()
    _, municipalities = get(client, "/api/areas", county="18", level="kommune")
    assert len(municipalities) == len(nordland) - 1
    _, country = get(client, "/api/areas", level="land")
    assert [a["code"] for a in country] == ["0"]


# ---------------------------------------------------------------- indicators
def test_the_catalogue_lists_every_indicator_with_texts_and_source(client: Client) -> None:
    status, indicators = get(client, "/api/indicators")
    assert status == 200
    assert [i["code"] for i in indicators] == list(Indicator.objects.values_list("code", flat=True))
    share = next(i for i in indicators if i["code"] == "share_67_plus")
    assert share["name"] == {"nb": "Andel 67 år og eldre", "nn": "Del 67 år og eldre", "en": "Share aged 67 and over"}
    assert share["theme"] == "population"
    assert share["unit"] == "percent"
    assert share["decimals"] == 1
    assert share["polarity"] == "higher_worse"
    assert share["proportion"] is True
    assert share["counts"] == "population_67_plus"
    assert share["index_weight"] == 1.0
    assert share["source"] == {
        "kind": "builtin",
        "attribution": "Statistisk sentralbyrå, tabell 07459",
        "url": "https://www.ssb.no/statbank/table/07459",
        "licence": "CC BY 4.0",
    }
    assert set(share["rhythm"]) == set(share["definition"]) == {"nb", "nn", "en"}


def test_one_indicator_and_a_json_404_for_an_unknown_code(client: Client) -> None:
    status, body = get(client, "/api/indicators/population")
    assert status == 200
    assert body["code"] == "population"
    assert body["polarity"] == "neutral"
    assert body["counts"] is None
    status, body = get(client, "/api/indicators/no_such_indicator")
    assert status == 404
    assert "no_such_indicator" in body["detail"]


# ---------------------------------------------------------------- observations
def test_population_2024_matches_the_published_figures(client: Client) -> None:
    values = population(client, year=2024, area=["0", "18", "1804", "1870"])
    assert values == {
        ("land", "0", 2024): 5_550_203,
        ("fylke", "18", 2024): 243_081,
        ("kommune", "1804", 2024): 53_712,
        ("kommune", "1870", 2024): 10_618,
    }


def test_an_observation_has_every_documented_field(client: Client) -> None:
    _, body = get(client, "/api/observations", indicator="share_67_plus", area="1870", year=2024)
    assert body["count"] == 1
    row = body["items"][0]
    assert set(row) == OBSERVATION_FIELDS
    assert row["indicator"] == "share_67_plus"
    assert row["level"] == "kommune"
    assert row["period"] == "2024"
    assert row["status"] == ""
    assert row["numerator"] and row["denominator"]
    assert row["value"] == pytest.approx(100 * row["numerator"] / row["denominator"], abs=0.001)
    assert DataVersion.objects.filter(pk=row["version_id"]).exists()
    assert re.match(r"\d{4}-\d\d-\d\dT", row["loaded_at"])


def test_filters_by_level_and_years(client: Client) -> None:
    counties = population(client, level="fylke", from_year=2020, to_year=2022)
    assert {(level, year) for level, _, year in counties} == {("fylke", y) for y in (2020, 2021, 2022)}
    assert len(counties) == 15 * 3
    sortland = population(client, area="1870", from_year=2024)
    assert {year for _, _, year in sortland} == set(range(2024, 2027))
    assert population(client, area="1870", to_year=2006) == {
        k: v for k, v in population(client, area="1870").items() if k[2] <= 2006
    }


def test_missing_values_stay_null_with_their_status(client: Client) -> None:
    missing = Observation.objects.filter(indicator__code="population", is_current=True).exclude(status="").first()
    assert missing is not None, "the built-in data has areas without a figure for some years"
    _, body = get(client, "/api/observations", indicator="population", area=missing.area_code, year=missing.year)
    (row,) = body["items"]
    assert row["value"] is None
    assert row["status"] == missing.status
    assert row["status_reason"]


def test_only_current_rows_are_listed(client: Client) -> None:
    old = DataVersion.objects.create(source="test", checksum="old")
    indicator = Indicator.objects.get(code="population")
    Observation.objects.create(
        indicator=indicator,
        version=old,
        area_level="kommune",
        area_code="1870",
        period="2024",
        year=2024,
        value=Decimal(1),
        is_current=False,
    )
    assert population(client, area="1870", year=2024) == {("kommune", "1870", 2024): 10_618}


def test_pages_with_limit_and_offset(client: Client) -> None:
    all_rows = population(client, area="1870")
    _, first = get(client, "/api/observations", indicator="population", area="1870", limit=5)
    _, second = get(client, "/api/observations", indicator="population", area="1870", limit=5, offset=5)
    assert first["count"] == second["count"] == len(all_rows) == 2026 - 2005 + 1
    assert (first["limit"], first["offset"], second["offset"]) == (5, 0, 5)
    years = [r["year"] for r in first["items"] + second["items"]]
    assert years == list(range(2005, 2015))


@pytest.mark.parametrize("limit", [1, 5000])
def test_the_query_count_does_not_grow_with_the_result(
    client: Client, limit: int, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(3):  # the indicator, the page, the count
        _, body = get(client, "/api/observations", indicator="population", limit=limit)
    assert len(body["items"]) == limit


@pytest.mark.parametrize(
    ("path", "params", "queries"),
    [
        ("/api/areas", {}, 2),
        ("/api/indicators", {}, 1),
        ("/api/indicators/population", {}, 1),
        ("/api/index", {}, 3),
        ("/api/weight-sets", {}, 1),
        ("/api/erfaringer", {"q": "bolig"}, 3),
    ],
)
def test_every_list_runs_a_fixed_number_of_queries(
    client: Client, path: str, params: dict, queries: int, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(queries):
        assert client.get(path, params).status_code == 200


def test_a_signed_in_reader_costs_a_fixed_few_queries_more(
    world: object, django_assert_max_num_queries: object
) -> None:
    client = Client()
    client.force_login(world.users["county_governor"])  # type: ignore[attr-defined]
    with django_assert_max_num_queries(3 + 3):  # + session, user, memberships
        _, body = get(client, "/api/observations", indicator="population", limit=5000)
    assert len(body["items"]) == 5000


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/observations", {"indicator": "population", "year": "abc"}, "year"),
        ("/api/observations", {"indicator": "population", "from_year": "2020x"}, "from_year"),
        ("/api/observations", {"indicator": "population", "year": "99999"}, "year"),
        ("/api/observations", {"indicator": "population", "level": "bydel"}, "level"),
        ("/api/observations", {"indicator": "population", "limit": "5001"}, "limit"),
        ("/api/observations", {"indicator": "population", "limit": "0"}, "limit"),
        ("/api/observations", {"indicator": "population", "offset": "-1"}, "offset"),
        ("/api/observations", {"indicator": "population", "area": "18700"}, "area"),
        ("/api/observations", {"indicator": "population", "from_year": "2020", "to_year": "2010"}, "from_year"),
        ("/api/observations", {}, "indicator"),
        ("/api/areas", {"level": "bydel"}, "level"),
        ("/api/areas", {"county": "1"}, "county"),
        ("/api/index", {"year": "latest"}, "year"),
        ("/api/index", {"county": "nordland"}, "county"),
    ],
)
def test_bad_input_is_a_422_with_a_clear_message(client: Client, path: str, params: dict, field: str) -> None:
    status, body = get(client, path, **params)
    assert status == 422
    assert body["message"].startswith("Invalid input.")
    assert f"{field}" in body["message"]
    assert body["detail"]


def test_an_unknown_indicator_in_the_observations_is_a_404(client: Client) -> None:
    status, body = get(client, "/api/observations", indicator="nope")
    assert status == 404
    assert "nope" in body["detail"]


# ---------------------------------------------------------------- challenge index and weight sets
@pytest.fixture
def test_set() -> WeightSet:
    """A weight set of our own with known scores, whatever the pipeline computed."""
    nordland = County.objects.get(number="18")
    weight_set = WeightSet.objects.create(
        slug="test-set", name="Testsett", county=nordland, weights={"share_67_plus": 2}
    )
    rows = [
        ("1870", "18", 2030, 0.5, 2, 20),
        ("1804", "18", 2030, 1.5, 1, 10),
        ("1804", "18", 2031, 0.2, 2, 30),
        ("1870", "18", 2031, 0.9, 1, 5),
        ("5501", "55", 2031, None, None, None),
        ("0301", "03", 2031, -1.0, 1, 300),
    ]
    IndexScore.objects.bulk_create(
        IndexScore(
            weight_set=weight_set,
            area_code=area,
            county_code=county,
            year=year,
            score=score,
            coverage=1.0 if score is not None else 0.0,
            rank_county=rank_county,
            rank_country=rank_country,
            contributions={"share_67_plus": score} if score is not None else {},
        )
        for area, county, year, score, rank_county, rank_country in rows
    )
    return weight_set


def test_the_index_shows_the_latest_year_ranked(client: Client, test_set: WeightSet) -> None:
    status, body = get(client, "/api/index", weight_set="test-set")
    assert status == 200
    assert (body["weight_set"], body["year"]) == ("test-set", 2031)
    assert [r["area_code"] for r in body["items"]] == ["1870", "1804", "0301", "5501"]  # unranked last
    sortland = body["items"][0]
    assert sortland == {
        "area_code": "1870",
        "name": "Sortland - Suortá",
        "county_code": "18",
        "score": 0.9,
        "coverage": 1.0,
        "rank_county": 1,
        "rank_country": 5,
        "contributions": {"share_67_plus": 0.9},
    }
    assert body["items"][-1]["score"] is None


def test_the_index_filters_by_county_and_year(client: Client, test_set: WeightSet) -> None:
    _, body = get(client, "/api/index", weight_set="test-set", county="18", year=2030)
    assert body["year"] == 2030
    assert [(r["area_code"], r["rank_county"]) for r in body["items"]] == [("1804", 1), ("1870", 2)]
    _, body = get(client, "/api/index", weight_set="test-set", year=1999)
    assert body["items"] == []


def test_the_index_uses_the_standard_weight_set_by_default(client: Client) -> None:
    status, body = get(client, "/api/index")
    if not WeightSet.objects.filter(slug="standard").exists():
        assert status == 404
        return
    assert status == 200
    assert body["weight_set"] == "standard"
    latest = IndexScore.objects.filter(weight_set__slug="standard").order_by("-year").values_list("year", flat=True)
    assert body["year"] == (latest[0] if latest else None)


def test_an_unknown_weight_set_is_a_404(client: Client) -> None:
    status, body = get(client, "/api/index", weight_set="nope")
    assert status == 404
    assert "nope" in body["detail"]


def test_weight_sets_are_listed_without_retired_ones(client: Client, test_set: WeightSet) -> None:
    WeightSet.objects.create(slug="old", name="Gammelt", weights={}, retired_at="2025-01-01T00:00Z")
    status, sets = get(client, "/api/weight-sets")
    assert status == 200
    mine = next(s for s in sets if s["slug"] == "test-set")
    assert mine == {"slug": "test-set", "name": "Testsett", "county": "18", "weights": {"share_67_plus": 2.0}}
    assert "old" not in {s["slug"] for s in sets}


# ---------------------------------------------------------------- the access module decides
def hide(model: type, **lookup: object):
    """A stand-in for `access.visible` whose rule hides the matching rows of one model."""
    real = access.visible

    def visible(user: object, queryset: QuerySet) -> QuerySet:
        queryset = real(user, queryset)
        return queryset.exclude(**lookup) if queryset.model is model else queryset

    return visible


def test_observations_the_access_module_hides_are_not_served(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access, "visible", hide(Observation, area_code="1870"))
    assert population(client, area=["1870", "1804"], year=2024) == {("kommune", "1804", 2024): 53_712}
    _, body = get(client, "/api/observations", indicator="population", area="1870")
    assert body == {"count": 0, "limit": 1000, "offset": 0, "items": []}


def test_when_the_access_module_denies_everything_nothing_is_served(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(access, "visible", lambda user, queryset: queryset.none())
    assert get(client, "/api/indicators") == (200, [])
    assert get(client, "/api/areas", level="fylke") == (200, [])
    assert get(client, "/api/weight-sets") == (200, [])
    assert get(client, "/api/indicators/population")[0] == 404
    assert get(client, "/api/observations", indicator="population")[0] == 404
    assert get(client, "/api/index")[0] == 404


def test_an_object_rule_that_hides_an_indicator_makes_it_a_404(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(access.RULES, Indicator, lambda user, obj, action: obj.code != "population")
    assert get(client, "/api/indicators/population")[0] == 404
    assert get(client, "/api/observations", indicator="population")[0] == 404
    assert get(client, "/api/indicators/share_67_plus")[0] == 200


def test_rows_of_a_model_without_declared_visibility_are_closed(world: object) -> None:
    outsider = world.users["outsider"]  # type: ignore[attr-defined]
    superuser = world.users["superuser"]  # type: ignore[attr-defined]
    assert not access.visible(outsider, Membership.objects.all()).exists()
    assert access.visible(superuser, Membership.objects.all()).exists()
    assert access.visible(outsider, Observation.objects.all()).exists()


# ---------------------------------------------------------------- OpenAPI and docs
def test_the_openapi_description_lists_every_endpoint(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) == {
        "/api/areas",
        "/api/indicators",
        "/api/indicators/{code}",
        "/api/observations",
        "/api/index",
        "/api/weight-sets",
        "/api/kommuner/{number}/behov",
        "/api/erfaringer",
    }
    for path in schema["paths"].values():
        assert path["get"]["description"]
    parameters = {p["name"] for p in schema["paths"]["/api/observations"]["get"]["parameters"]}
    assert parameters == {"indicator", "area", "level", "year", "from_year", "to_year", "limit", "offset"}
    observation = schema["components"]["schemas"]["ObservationOut"]["properties"]
    assert set(observation) == OBSERVATION_FIELDS
    assert "never reported as 0" in observation["value"]["description"]


def test_the_docs_page_loads_only_our_own_scripts(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts
    assert all('src="/static/api/' in attributes for attributes in scripts)  # nothing inline, no CDN
    assert "<style" not in html
    assert 'style="' not in html
    assert 'data-openapi-url="/api/openapi.json"' in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_api_root_leads_to_the_docs(client: Client) -> None:
    response = client.get("/api/")
    assert (response.status_code, response["Location"]) == (302, "/api/docs")
