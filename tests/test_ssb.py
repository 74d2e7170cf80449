"""The SSB PxWebApi loader: HTTP behaviour, metadata checks, code mapping and all-or-nothing loading.

No network: every answer comes from `httpx.MockTransport` and the files in `fixtures/ssb/`.
"""

import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from pytest_django.fixtures import Settings

from lagspill.indicators import ssb
from lagspill.indicators.models import DataVersion, Indicator, Observation
from lagspill.indicators.ssb import (
    RATE_ONLY,
    Areas,
    Part,
    SourceRow,
    SsbClient,
    SsbError,
    combine,
    load,
    map_municipalities,
    map_rows,
    period_of,
    read_metadata,
    region_codes,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "ssb"
LOADER = FIXTURES / "loader"
API = "https://ssb.test/api/pxwebapi/v2"
D = Decimal


def fixture(name: str) -> bytes:
    path = LOADER / name if (LOADER / name).exists() else FIXTURES / name
    return path.read_bytes()


class FakeTime:
    """An injectable clock and sleep: sleeping moves the clock, nothing waits."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


Answer = bytes | httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class FakeSsb:
    """Answers by path suffix ("" answers everything); a list of answers is served in turn, the last repeats."""

    def __init__(self, routes: dict[str, Answer | list[Answer]]) -> None:
        self.routes = {path: answer if isinstance(answer, list) else [answer] for path, answer in routes.items()}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        for path, answers in self.routes.items():
            if request.url.path.endswith(path):
                answer = answers.pop(0) if len(answers) > 1 else answers[0]
                if isinstance(answer, Exception):
                    raise answer
                if isinstance(answer, httpx.Response):
                    return answer
                if callable(answer):
                    return answer(request)
                return httpx.Response(200, content=answer, headers={"Content-Type": "application/json"})
        return httpx.Response(404, json={"title": "Non-existent table"})


@pytest.fixture(autouse=True)
def ssb_settings(settings: Settings, tmp_path: Path) -> Path:
    settings.SSB_API_URL = API
    settings.SSB_CACHE_DIR = tmp_path / "ssb-cache"
    return tmp_path / "ssb-cache"


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def client_for(server: FakeSsb, fake_time: FakeTime, **options: object) -> SsbClient:
    return SsbClient(transport=httpx.MockTransport(server), sleep=fake_time.sleep, clock=fake_time.clock, **options)


def kostra_server(**overrides: Answer | list[Answer]) -> FakeSsb:
    routes: dict[str, Answer | list[Answer]] = {
        "/tables/13995/metadata": fixture("13995_metadata.json"),
        "/tables/13995/data": fixture("13995_data.json"),
        "/tables/12944/metadata": fixture("12944_metadata.json"),
        "/tables/12944/data": fixture("12944_data.json"),
    }
    routes.update({f"/tables/{path}": answer for path, answer in overrides.items()})
    return FakeSsb(routes)


def snapshot() -> tuple[int, int, str]:
    """Counts and a checksum of every observation and data version, to prove nothing changed."""
    rows = list(Observation.objects.order_by("pk").values_list())
    versions = list(DataVersion.objects.order_by("pk").values_list("pk", "source", "checksum", "preliminary"))
    digest = hashlib.sha256(repr((rows, versions)).encode()).hexdigest()
    return len(rows), len(versions), digest


def observations(indicator: str) -> dict[tuple[str, str, str], Observation]:
    rows = Observation.objects.filter(indicator__code=indicator, version__source__startswith="ssb:")
    return {(o.area_level, o.area_code, o.period): o for o in rows}


# ---------------------------------------------------------------- mapping (pure functions)

AREAS = Areas(
    municipalities=frozenset({"1804", "1806", "1875", "1103"}),
    counties=frozenset({"18"}),
    crosswalk={
        (2019, "1805"): [("1806", D(1))],
        (2019, "1854"): [("1806", D(1))],
        (2019, "1850"): [("1806", D("0.5")), ("1875", D("0.5"))],
        (2019, "1849"): [("1875", D(1))],
        (2005, "1141"): [("1103", D(1))],
    },
)


def row(code: str, value: str | None, status: str = "", year: int = 2019, **extra: str) -> SourceRow:
    numbers = {k: D(v) for k, v in extra.items()}
    return SourceRow(code, str(year), year, None if value is None else D(value), status, **numbers)


def by_code(mapped: list[ssb.Mapped]) -> dict[str, ssb.Mapped]:
    return {m.code: m for m in mapped}


def test_unchanged_codes_pass_and_unknown_codes_are_skipped() -> None:
    mapped, skipped = map_municipalities(
        [row("1804", "35.5"), row("2100", "3"), row("9999", None, ".."), row("1805", None, ".", year=2020)],
        AREAS,
        summable=False,
    )
    assert [(m.code, m.value, m.weighted) for m in mapped] == [("1804", D("35.5"), False)]
    assert skipped == {"2100", "9999"}  # 1805 in 2020 is only SSB's empty cell for an old code: not counted


def test_counts_numerators_and_denominators_are_summed_over_a_merger() -> None:
    rows = [
        row("1805", "300", numerator="300", denominator="3000"),
        row("1854", "30", numerator="30", denominator="400"),
        row("1850", "40", numerator="40", denominator="200"),
        row("1806", None, "."),  # the new code did not exist in 2019: SSB's empty cell is ignored
    ]
    narvik = by_code(map_municipalities(rows, AREAS, summable=True)[0])["1806"]
    assert (narvik.value, narvik.numerator, narvik.denominator) == (D(350), D(350), D(3500))
    assert (narvik.status, narvik.weighted) == ("", True)  # half of Tysfjord is included


def test_a_split_gives_a_weighted_share_of_counts_and_a_copy_of_rates() -> None:
    counts, _ = map_municipalities([row("1850", "40")], AREAS, summable=True)
    assert [(m.code, m.value, m.weighted) for m in counts] == [("1806", D(20), True), ("1875", D(20), True)]
    rates, _ = map_municipalities([row("1850", "20.0", numerator="40")], AREAS, summable=False)
    assert [(m.code, m.value, m.numerator, m.weighted) for m in rates] == [
        ("1806", D("20.0"), D(20), True),
        ("1875", D("20.0"), D(20), True),
    ]


def test_a_rate_over_a_merger_is_missing_never_an_average() -> None:
    mapped, _ = map_municipalities([row("1849", "6.0"), row("1850", "20.0")], AREAS, summable=False)
    hamaroy = by_code(mapped)["1875"]
    assert (hamaroy.value, hamaroy.status, hamaroy.reason) == (None, "..", RATE_ONLY)
    assert RATE_ONLY == "merged municipality; the source gives only a rate"


def test_a_rate_with_numerator_and_denominator_is_recomputed_over_a_merger() -> None:
    rows = [row("1849", "10", numerator="20", denominator="200"), row("1850", "20", numerator="40", denominator="200")]
    hamaroy = by_code(map_municipalities(rows, AREAS, summable=False, scale=D(100))[0])["1875"]
    assert (hamaroy.numerator, hamaroy.denominator) == (D(40), D(300))
    assert round(hamaroy.value, 4) == D("13.3333")  # 40 / 300, not the average of 10 and 20 (per cent)


def test_a_missing_part_makes_the_merged_municipality_missing() -> None:
    mapped, _ = map_municipalities([row("1849", None, ":"), row("1850", "40")], AREAS, summable=True)
    hamaroy = by_code(mapped)["1875"]
    assert (hamaroy.value, hamaroy.status) == (None, ":")
    assert "1849" in hamaroy.reason


def test_a_municipality_that_kept_its_number_keeps_its_own_figure_in_a_merger() -> None:
    rows = [row("1103", "100", year=2005), row("1141", "3", year=2005)]  # Stavanger absorbed Finnøy in 2020
    assert by_code(map_municipalities(rows, AREAS, summable=True)[0])["1103"].value == D(103)


def test_ssb_symbols_stay_missing_with_their_reason_and_nil_is_zero() -> None:
    parts = {
        symbol: combine("kommune", "1804", [Part(row("1804", None, symbol))], summable=False, scale=None)
        for symbol in ("..", ":", ".")
    }
    assert {s: (m.value, m.status) for s, m in parts.items()} == {
        "..": (None, ".."),
        ":": (None, ":"),
        ".": (None, "."),
    }
    nil = combine("kommune", "1804", [Part(row("1804", "0", "-"))], summable=False, scale=None)
    assert (nil.value, nil.status) == (D(0), "-")
    blank = combine("kommune", "1804", [Part(row("1804", None, ""))], summable=False, scale=None)
    assert (blank.value, blank.status, blank.reason) == (None, "..", "no value in the source")


def test_country_and_county_codes_pass_through_and_old_counties_are_skipped() -> None:
    rows = [row("EAK", "40.1"), row("EKA18", "38.2"), row("EKA19", "50"), row("EKG01", "1")]
    mapped, skipped = map_rows(rows, AREAS, kostra=True, summable=False, scale=None)
    assert [(m.level, m.code, m.value) for m in mapped] == [("land", "0", D("40.1")), ("fylke", "18", D("38.2"))]
    assert skipped == {"EKA19", "EKG01"}


def test_only_country_counties_and_municipalities_are_requested() -> None:
    counties = {"18", "15"}
    assert region_codes(["EAK", "EAKUO", "EKA18", "EKA19", "EKG01", "1804"], True, counties) == ["EAK", "EKA18", "1804"]
    assert region_codes(["0", "15", "19", "1804", "2100", "030101"], False, counties) == ["0", "15", "1804", "2100"]


def test_decoding_keeps_symbols_and_reads_nil_as_zero() -> None:
    meta = read_metadata(fixture("13995_metadata.json"), "13995")
    spec = {"table": "13995", "region": "KOKkommuneregion0000", "content": "KOSsosantkliente0000", "kostra": True}
    plan = ssb.build_plan("social_assistance_per_1000", spec, meta, {"18"})
    document = json.loads(fixture("13995_data.json"))
    document["status"]["0"] = "..."  # an older SSB symbol the model does not store
    rows = {(r.code, r.period): r for r in ssb.source_rows(ssb.decode(json.dumps(document).encode(), "13995"), plan)}
    assert (rows[("1859", "2019")].value, rows[("1859", "2019")].status) == (D(0), "-")
    assert (rows[("1856", "2019")].value, rows[("1856", "2019")].status) == (None, ":")
    assert (rows[("1806", "2019")].value, rows[("1806", "2019")].status) == (None, ".")
    assert rows[("EAK", "2019")].status == ".."


def test_periods() -> None:
    assert period_of("2023") == ("2023", 2023)
    assert period_of("2022-2024") == ("2022–2024", 2024)
    with pytest.raises(SsbError, match="without a year"):
        period_of("i alt", "12944")


def test_the_crosswalk_from_the_database_splits_tysfjord() -> None:
    areas = Areas.from_db()
    assert sorted(areas.crosswalk[(2019, "1850")]) == [("1806", D("0.5")), ("1875", D("0.5"))]
    assert "1806" in areas.municipalities and "18" in areas.counties
    assert ssb.targets("1804", 2019, areas) == [("1804", D(1))]
    assert ssb.targets("2100", 2019, areas) is None


# ---------------------------------------------------------------- metadata


def test_it_reads_the_real_v0_metadata_of_table_05300() -> None:
    meta = read_metadata(fixture("05300_metadata_v0.json"), "05300")
    assert list(meta.variables) == ["Avstand1", "Kulturtilbud", "ContentsCode", "Tid"]
    assert (meta.time, meta.content) == ("Tid", "ContentsCode")
    assert meta.variables["Tid"].codes[-1] == "2021"


def test_it_reads_v2_metadata() -> None:
    meta = read_metadata(fixture("12944_metadata.json"), "12944")
    assert (meta.time, meta.content, meta.updated) == ("Tid", "ContentsCode", "2024-12-18T07:00:00Z")
    assert meta.variables["Alder"].codes == ("999A", "00-17", "18-34")
    assert meta.variables["Alder"].eliminable and not meta.variables["Tid"].eliminable


def test_a_missing_configured_code_is_named_with_indicator_and_table() -> None:
    meta = read_metadata(fixture("12944_metadata.json"), "12944")
    spec = {"table": "12944", "region": "Region", "content": "EUskalaSeksti", "select": {"Alder": ["0-17"]}}
    with pytest.raises(SsbError) as error:
        ssb.build_plan("children_persistent_low_income", spec, meta, {"18"})
    message = str(error.value)
    assert "children_persistent_low_income" in message and "12944" in message and "'0-17'" in message


def test_a_dimension_ssb_cannot_leave_out_must_be_selected() -> None:
    meta = read_metadata(fixture("13995_metadata.json"), "13995")
    meta.variables["Extra"] = ssb.Variable("Extra", ("a", "b"), {}, eliminable=False)
    spec = {"table": "13995", "region": "KOKkommuneregion0000", "content": "KOSsosantkliente0000", "kostra": True}
    with pytest.raises(SsbError, match="requires a code for dimension 'Extra'"):
        ssb.build_plan("social_assistance_per_1000", spec, meta, {"18"})


# ---------------------------------------------------------------- HTTP client


def test_the_real_recorded_response_passes_through_byte_for_byte_and_is_cached(fake_time: FakeTime) -> None:
    real = (FIXTURES / "ssb_05300_jsonstat2_response.json").read_bytes()
    server = FakeSsb({"/tables/05300/data": real})
    client = client_for(server, fake_time)
    selection = {"Avstand1": ["01"], "Tid": ["2021"]}
    assert client.data("05300", selection, check=lambda b: ssb.decode(b, "05300")) == real
    assert client.data("05300", selection, check=lambda b: ssb.decode(b, "05300")) == real
    assert len(server.requests) == 1 and client.sent == 1  # the second answer came from the disk cache
    request = server.requests[0]
    assert request.method == "GET"
    assert request.url.params["valueCodes[Avstand1]"] == "01" and request.url.params["outputFormat"] == "json-stat2"
    assert len(list(ssb.decode(real, "05300").cells())) == 432


def test_a_long_selection_is_posted(fake_time: FakeTime) -> None:
    server = FakeSsb({"/tables/13995/data": fixture("13995_data.json")})
    codes = [f"{n:04d}" for n in range(1000, 1600)]
    client_for(server, fake_time).data("13995", {"KOKkommuneregion0000": codes}, check=lambda b: None)
    request = server.requests[0]
    assert request.method == "POST" and request.url.params["lang"] == "no"
    assert json.loads(request.content) == {"selection": [{"variableCode": "KOKkommuneregion0000", "valueCodes": codes}]}


def test_retries_back_off_exponentially(fake_time: FakeTime) -> None:
    busy = httpx.Response(429)
    server = FakeSsb({"/tables/13995/metadata": [busy, httpx.Response(503), busy, fixture("13995_metadata.json")]})
    client_for(server, fake_time).metadata("13995")
    assert len(server.requests) == 4
    assert fake_time.sleeps == [1.0, 2.0, 4.0]


def test_retry_after_is_honoured(fake_time: FakeTime) -> None:
    server = FakeSsb({"/metadata": [httpx.Response(429, headers={"Retry-After": "7"}), fixture("13995_metadata.json")]})
    client_for(server, fake_time).metadata("13995")
    assert fake_time.sleeps == [7.0]


def test_requests_are_spaced_by_the_rate_limit(fake_time: FakeTime) -> None:
    server = FakeSsb({"/metadata": fixture("13995_metadata.json")})
    client = client_for(server, fake_time, cache_ttl=0)  # no cache: every call is a request
    client.metadata("13995")
    client.metadata("13995")
    fake_time.now += 0.2
    client.metadata("13995")
    fake_time.now += 5
    client.metadata("13995")
    assert fake_time.sleeps == [0.5, 0.3]  # nothing to wait for before the first and the last request
    assert len(server.requests) == 4


def test_a_bad_request_is_not_retried_and_ssb_s_reason_is_shown(fake_time: FakeTime) -> None:
    server = FakeSsb({"/metadata": httpx.Response(400, json={"title": "Non-existent value"})})
    with pytest.raises(SsbError, match=r"SSB answered 400 Bad Request for table 13995 \(Non-existent value\)"):
        client_for(server, fake_time).metadata("13995")
    assert len(server.requests) == 1


# ---------------------------------------------------------------- load()


def test_loading_a_kostra_table(fake_time: FakeTime) -> None:
    server = kostra_server()
    summary = load(["social_assistance_per_1000"], client=client_for(server, fake_time))
    assert summary == ["social_assistance_per_1000: 16 observations from table 13995 (0 codes skipped)"]
    rows = observations("social_assistance_per_1000")

    def figure(level: str, code: str, period: str) -> tuple[Decimal | None, str, str, bool]:
        o = rows[(level, code, period)]
        return o.value, o.status, o.status_reason, o.weighted

    assert figure("land", "0", "2020") == (D("41.3"), "", "", False)
    assert figure("fylke", "18", "2019") == (D("38.2"), "", "", False)
    assert figure("kommune", "1804", "2019") == (D("35.5"), "", "", False)
    assert figure("kommune", "1806", "2019") == (None, "..", RATE_ONLY, True)  # Narvik + Ballangen + ½ Tysfjord
    assert figure("kommune", "1875", "2019") == (None, "..", RATE_ONLY, True)
    assert figure("kommune", "1806", "2020") == (D("47.2"), "", "", False)
    assert figure("kommune", "1856", "2019") == (None, ":", "", False)
    assert figure("kommune", "1857", "2019") == (None, "..", "", False)
    assert figure("kommune", "1859", "2019") == (D(0), "-", "", False)
    assert not any(code in {"1805", "1849", "1850", "1854"} for _, code, _ in rows)
    version = DataVersion.objects.get(source="ssb:13995:social_assistance_per_1000")
    assert version.checksum == hashlib.sha256(fixture("13995_data.json")).hexdigest()
    assert "Sosialhjelpsmottakere per 1000 innbyggere" in version.description and not version.preliminary
    requested = server.requests[-1].url.params["valueCodes[KOKkommuneregion0000]"].split(",")
    assert requested[:3] == ["EAK", "EKA18", "1804"] and "EAKUO" not in requested and "EKG01" not in requested
    assert [r.url.path.rsplit("/", 1)[-1] for r in server.requests] == ["metadata", "data"]  # metadata first


def test_loading_a_region_table_with_three_year_periods_and_a_numerator(fake_time: FakeTime) -> None:
    summary = load(["children_persistent_low_income"], client=client_for(kostra_server(), fake_time))
    assert summary == ["children_persistent_low_income: 16 observations from table 12944 (2 codes skipped)"]
    rows = observations("children_persistent_low_income")
    country = rows[("land", "0", "2021–2023")]
    assert (country.value, country.numerator, country.year) == (D("12.3"), D(128000), 2023)
    narvik = rows[("kommune", "1806", "2017–2019")]
    assert (narvik.value, narvik.status, narvik.status_reason) == (None, "..", RATE_ONLY)
    assert (narvik.numerator, narvik.weighted) == (D(350), True)  # 300 + 30 + ½ × 40 children
    haram = rows[("kommune", "1580", "2021–2023")]
    assert (haram.value, haram.numerator, haram.weighted) == (D("7.0"), D(350), True)  # half of Ålesund 2020–2023
    assert (rows[("kommune", "1875", "2021–2023")].status) == ":"
    assert {code for _, code, _ in rows}.isdisjoint({"2100", "9999", "19", "030101", "1507"})


def test_counts_are_summed_over_mergers_when_loading(fake_time: FakeTime) -> None:
    spec = {"table": "12944", "region": "Region", "content": "PersonerSeksti", "select": {"Alder": ["00-17"]}}
    Indicator.objects.create(
        code="test_children_low_income_count",
        name_nb="t",
        name_nn="t",
        name_en="t",
        unit="count",
        source_kind="ssb",
        source="SSB",
        source_spec=spec,
    )
    load(["test_children_low_income_count"], client=client_for(kostra_server(), fake_time))
    rows = observations("test_children_low_income_count")
    assert rows[("kommune", "1806", "2017–2019")].value == D(350)
    assert rows[("kommune", "1875", "2017–2019")].value == D(40)  # 20 + ½ × 40
    assert rows[("kommune", "1508", "2021–2023")].value == D(350)  # ½ × 700
    assert rows[("kommune", "1804", "2017–2019")].weighted is False


def test_running_twice_adds_nothing(fake_time: FakeTime, ssb_settings: Path) -> None:
    codes = ["social_assistance_per_1000", "children_persistent_low_income"]
    load(codes, client=client_for(kostra_server(), fake_time))
    before = snapshot()
    again = load(codes, client=client_for(kostra_server(), fake_time, cache_dir=ssb_settings.parent / "fresh"))
    assert again == [
        "social_assistance_per_1000: unchanged (table 13995)",
        "children_persistent_low_income: unchanged (table 12944)",
    ]
    assert snapshot() == before


def test_the_disk_cache_avoids_a_second_request(fake_time: FakeTime) -> None:
    load(["social_assistance_per_1000"], client=client_for(kostra_server(), fake_time))
    offline = FakeSsb({"": httpx.ConnectError("connection refused")})
    assert load(["social_assistance_per_1000"], client=client_for(offline, fake_time)) == [
        "social_assistance_per_1000: unchanged (table 13995)"
    ]
    assert offline.requests == []


FAILURES = {
    "malformed JSON-stat": (
        {"13995/data": b'{"class": "dataset", "version": "2.0", "id": ["Tid"], "size": [2], "dimension": {}}'},
        "Table 13995 returned something that is not JSON-stat 2.0: Dimension 'Tid' is missing or has no 'category'."
        ": nothing was changed.",
    ),
    "not JSON at all": (
        {"13995/data": b"<html>Service Unavailable</html>"},
        "Table 13995 returned something that is not JSON-stat 2.0",
    ),
    "HTTP 429": (
        {"13995/data": httpx.Response(429)},
        "SSB answered 429 Too Many Requests four times for table 13995: nothing was changed.",
    ),
    "HTTP 500": (
        {"13995/data": httpx.Response(500)},
        "SSB answered 500 Internal Server Error four times for table 13995: nothing was changed.",
    ),
    "offline": (
        {"13995/metadata": httpx.ConnectError("[Errno 111] Connection refused")},
        "SSB is not reachable (connection refused): nothing was changed.",
    ),
    "a configured code missing from the metadata": (
        {"13995/metadata": fixture("13995_metadata.json").replace(b"KOSsosantkliente0000", b"KOSsomethingelse000")},
        "social_assistance_per_1000: table 13995 has no content 'KOSsosantkliente0000' in dimension 'ContentsCode'",
    ),
}


@pytest.mark.parametrize("case", FAILURES, ids=list(FAILURES))
def test_failures_raise_a_clear_error_and_change_nothing(case: str, fake_time: FakeTime) -> None:
    routes, message = FAILURES[case]
    load(["social_assistance_per_1000"], client=client_for(kostra_server(), fake_time, cache_ttl=0))
    before = snapshot()
    server = kostra_server(**routes)
    with pytest.raises(SsbError) as error:
        # children first: its version would be new, yet nothing may be written when 13995 fails
        load(
            ["children_persistent_low_income", "social_assistance_per_1000"],
            client=client_for(server, fake_time, cache_ttl=0),
        )
    assert str(error.value).startswith(message)
    assert str(error.value).endswith(": nothing was changed.")
    assert snapshot() == before
    assert not DataVersion.objects.filter(source__startswith="ssb:12944").exists()


def test_offline_on_the_first_request(fake_time: FakeTime) -> None:
    server = FakeSsb({"": httpx.ConnectError("[Errno 111] Connection refused")})
    before = snapshot()
    with pytest.raises(SsbError) as error:
        load(client=client_for(server, fake_time))
    assert str(error.value) == "SSB is not reachable (connection refused): nothing was changed."
    assert snapshot() == before


def test_retries_before_giving_up_are_spaced_by_backoff(fake_time: FakeTime) -> None:
    server = kostra_server(**{"13995/metadata": httpx.Response(429)})
    with pytest.raises(SsbError, match="four times"):
        load(["social_assistance_per_1000"], client=client_for(server, fake_time))
    assert len(server.requests) == 4 and fake_time.sleeps == [1.0, 2.0, 4.0]


def test_the_real_metadata_without_the_configured_region_gives_a_clear_error(fake_time: FakeTime) -> None:
    spec = {"table": "05300", "region": "Region", "content": "Avstand"}
    Indicator.objects.create(
        code="test_distance",
        name_nb="t",
        name_nn="t",
        name_en="t",
        unit="percent",
        source_kind="ssb",
        source="SSB",
        source_spec=spec,
    )
    server = FakeSsb({"/tables/05300/metadata": fixture("05300_metadata_v0.json")})
    before = snapshot()
    with pytest.raises(SsbError) as error:
        load(["test_distance"], client=client_for(server, fake_time))
    assert str(error.value).startswith("test_distance: table 05300 has no region dimension 'Region'")
    assert len(server.requests) == 1 and snapshot() == before  # stopped after reading the metadata


def test_all_ssb_indicators_are_chosen_by_default_and_unknown_ones_are_refused() -> None:
    assert [i.code for i in ssb.ssb_indicators()] == [
        "projected_population_2050",
        "children_persistent_low_income",
        "social_assistance_per_1000",
        "municipal_dwellings_per_1000",
        "startlaan_per_1000",
    ]
    with pytest.raises(SsbError, match=r"No indicator with an SSB source: population: nothing was changed\."):
        ssb.ssb_indicators(["population"])
