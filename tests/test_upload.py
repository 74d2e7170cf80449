"""CSV upload of a municipality's own figures: reading, every kind of error, all-or-nothing import, access."""

import hashlib
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from lagspill.indicators import upload
from lagspill.indicators.models import DataVersion, Indicator, Observation, SourceKind
from lagspill.places.models import Municipality

from .builders import World

pytestmark = pytest.mark.django_db

HEADER = "indikator;kommunenummer;år;verdi;teller;nevner"
YEAR = upload.this_year() - 1
URL = "/kommune/1870/levekar/last-opp/"
TEMPLATE_URL = "/kommune/1870/levekar/mal.csv"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Error messages are checked in English, the source language, so translating them breaks nothing."""
    with translation.override("en"):
        yield


@pytest.fixture
def sortland(db: None) -> Municipality:
    return Municipality.objects.get(number="1870")


def csv_file(*rows: str, header: str = HEADER, bom: bool = False) -> bytes:
    return (("\ufeff" if bom else "") + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def good_file(value: str = "12") -> bytes:
    return csv_file(
        f"waiting_list_adapted_housing;1870;{YEAR};{value};;",
        f"crowded_share;1870;{YEAR};;25;200",
    )


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def post_file(client: Client, data: bytes, name: str = "tall.csv") -> object:
    return client.post(URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def where(parsed: upload.Parsed) -> list[tuple[int | None, str]]:
    return [(e.row, e.column) for e in parsed.errors]


# ---------------------------------------------------------------- reading
def test_it_reads_semicolons_a_bom_decimal_comma_and_spaces_between_thousands(sortland: Municipality) -> None:
    data = csv_file(
        f"housing_allowance_households;1870;{YEAR};1\u00a0234,5;;",
        f"temporary_accommodation_households;1870;{YEAR - 1};2\u202f001;;",
        f"waiting_list_adapted_housing;1870;{YEAR};3 000,25;;",
        bom=True,
    )
    parsed = upload.parse(data, sortland)
    assert parsed.errors == []
    assert [(r.indicator.code, r.year, r.value) for r in parsed.rows] == [
        ("housing_allowance_households", YEAR, Decimal("1234.5")),
        ("temporary_accommodation_households", YEAR - 1, Decimal("2001")),
        ("waiting_list_adapted_housing", YEAR, Decimal("3000.25")),
    ]
    assert parsed.checksum == hashlib.sha256(data).hexdigest()


def test_it_reads_commas_with_quoted_decimal_commas_and_decimal_points(sortland: Municipality) -> None:
    data = csv_file(
        f'crowded_share,1870,{YEAR},"12,5",,',
        f"high_housing_cost_burden,1870,{YEAR},7.25,,",
        header=HEADER.replace(";", ","),
    )
    parsed = upload.parse(data, sortland)
    assert parsed.errors == []
    assert [r.value for r in parsed.rows] == [Decimal("12.5"), Decimal("7.25")]


def test_it_accepts_column_names_in_any_case_and_order_and_without_optional_columns(sortland: Municipality) -> None:
    data = csv_file(f"12;{YEAR};1870;Waiting_List_Adapted_Housing", header="Verdi; AAR ;Kommunenummer;INDIKATOR")
    parsed = upload.parse(data, sortland)
    assert parsed.errors == []
    assert parsed.rows[0].value == Decimal("12") and parsed.rows[0].numerator is None


def test_a_proportion_is_computed_from_numerator_and_denominator(sortland: Municipality) -> None:
    parsed = upload.parse(csv_file(f"crowded_share;1870;{YEAR};;25;200"), sortland)
    row = parsed.rows[0]
    assert (row.value, row.numerator, row.denominator) == (Decimal("12.5"), Decimal("25"), Decimal("200"))


def test_rows_without_figures_are_skipped_so_a_half_filled_template_works(sortland: Municipality) -> None:
    data = csv_file(f"crowded_share;1870;{YEAR};;;", f"waiting_list_adapted_housing;1870;{YEAR};4;;", ";;;;;")
    parsed = upload.parse(data, sortland)
    assert parsed.errors == [] and [r.indicator.code for r in parsed.rows] == ["waiting_list_adapted_housing"]


def test_oslos_number_without_its_leading_zero_is_understood() -> None:
    oslo = Municipality.objects.get(number="0301")
    parsed = upload.parse(csv_file(f"waiting_list_adapted_housing;301;{YEAR};4;;"), oslo)
    assert parsed.errors == [] and len(parsed.rows) == 1


# ---------------------------------------------------------------- every kind of error
ROW_ERRORS = [
    ("unknown municipality", f"waiting_list_adapted_housing;9999;{YEAR};1;;", "kommunenummer", "not a municipality"),
    ("another municipality", f"waiting_list_adapted_housing;1841;{YEAR};1;;", "kommunenummer", "Only figures for"),
    ("no municipality", f"waiting_list_adapted_housing;;{YEAR};1;;", "kommunenummer", "missing"),
    ("value not a number", f"waiting_list_adapted_housing;1870;{YEAR};mange;;", "verdi", "not a number"),
    ("numerator not a number", f"crowded_share;1870;{YEAR};;1O;20", "teller", "not a number"),
    ("two decimal separators", f"waiting_list_adapted_housing;1870;{YEAR};1,234.5;;", "verdi", "not a number"),
    ("negative value", f"waiting_list_adapted_housing;1870;{YEAR};-3;;", "verdi", "negative"),
    ("negative with a minus sign", f"waiting_list_adapted_housing;1870;{YEAR};\u22123;;", "verdi", "negative"),
    ("negative denominator", f"crowded_share;1870;{YEAR};;1;-20", "nevner", "negative"),
    ("numerator over denominator", f"crowded_share;1870;{YEAR};;30;20", "teller", "larger than the denominator"),
    ("zero denominator", f"crowded_share;1870;{YEAR};;0;0", "nevner", "larger than zero"),
    ("proportion without figures", f"crowded_share;1870;{YEAR};;5;", "verdi", "both numerator and denominator"),
    ("count without value", f"waiting_list_adapted_housing;1870;{YEAR};;5;", "verdi", "value is missing"),
    ("year before 2000", "waiting_list_adapted_housing;1870;1999;1;;", "år", "between 2000 and"),
    ("year in the future", f"waiting_list_adapted_housing;1870;{YEAR + 2};1;;", "år", "between 2000 and"),
    ("year not a year", "waiting_list_adapted_housing;1870;i fjor;1;;", "år", "not a year"),
    ("no year", "waiting_list_adapted_housing;1870;;1;;", "år", "missing"),
    ("unknown indicator", f"trivsel;1870;{YEAR};1;;", "indikator", "not an indicator"),
    ("indicator not open for CSV", f"population;1870;{YEAR};1;;", "indikator", "not open for CSV"),
    ("no indicator", f";1870;{YEAR};1;;", "indikator", "missing"),
]


@pytest.mark.parametrize(("row", "column", "message"), [c[1:] for c in ROW_ERRORS], ids=[c[0] for c in ROW_ERRORS])
def test_each_row_error_names_its_row_and_column(sortland: Municipality, row: str, column: str, message: str) -> None:
    parsed = upload.parse(csv_file(f"housing_allowance_households;1870;{YEAR};5;;", row), sortland)
    assert where(parsed) == [(3, column)]
    assert message in parsed.errors[0].message
    assert parsed.rows == [upload.parse(csv_file(f"housing_allowance_households;1870;{YEAR};5;;"), sortland).rows[0]]


def test_a_duplicate_row_points_to_the_first(sortland: Municipality) -> None:
    line = f"waiting_list_adapted_housing;1870;{YEAR};1;;"
    parsed = upload.parse(csv_file(line, f"crowded_share;1870;{YEAR};3;;", line.replace(";1;", ";2;")), sortland)
    assert where(parsed) == [(4, "indikator, kommunenummer, år")]
    assert "already in row 2" in parsed.errors[0].message


def test_every_error_in_the_file_is_reported_at_once(sortland: Municipality) -> None:
    data = csv_file(
        f"trivsel;1841;{YEAR};x;;",
        f"waiting_list_adapted_housing;1870;{YEAR};1;;",
        "crowded_share;1870;1999;;30;20",
    )
    parsed = upload.parse(data, sortland)
    assert where(parsed) == [(2, "indikator"), (2, "kommunenummer"), (2, "verdi"), (4, "år"), (4, "teller")]


def test_a_missing_required_column_is_reported_on_the_header_row(sortland: Municipality) -> None:
    parsed = upload.parse(csv_file(f"crowded_share;1870;{YEAR}", header="indikator;kommune;år"), sortland)
    assert where(parsed) == [(1, "kommunenummer"), (1, "verdi")]
    assert "“verdi” is missing" in parsed.errors[1].message


def test_a_column_given_twice_is_an_error(sortland: Municipality) -> None:
    parsed = upload.parse(
        csv_file(f"crowded_share;1870;{YEAR};1;2", header="indikator;kommunenummer;år;verdi;verdi"), sortland
    )
    assert where(parsed) == [(1, "verdi")]


FILE_ERRORS = [
    ("empty", b"", "empty"),
    ("only spaces", b" \r\n \r\n", "empty"),
    ("header only", csv_file(), "no figures"),
    ("template as downloaded", csv_file(f"crowded_share;1870;{YEAR};;;", bom=True), "no figures"),
    ("latin-1", csv_file(f"waiting_list_adapted_housing;1870;{YEAR};1;;").replace(b"\xc3\xa5", b"\xe5"), "UTF-8"),
    ("binary", b"PK\x03\x04\x00\x00indikator", "UTF-8"),
    ("too large", csv_file(*[f"waiting_list_adapted_housing;1870;{YEAR};1;;"] * 40_000), "1 MB"),
    ("too many rows", csv_file(*[f"waiting_list_adapted_housing;1870;{YEAR};1;;"] * 5001), "at most 5000"),
]


@pytest.mark.parametrize(("data", "message"), [c[1:] for c in FILE_ERRORS], ids=[c[0] for c in FILE_ERRORS])
def test_file_errors_concern_the_whole_file(sortland: Municipality, data: bytes, message: str) -> None:
    parsed = upload.parse(data, sortland)
    assert where(parsed) == [(None, "")] and message in parsed.errors[0].message
    assert parsed.rows == []


def test_a_file_of_exactly_5000_rows_is_read() -> None:
    rows = [f"waiting_list_adapted_housing;1870;{year};1;;" for year in range(2000, 2000 + 25)] * 200
    parsed = upload.parse(csv_file(*rows), Municipality.objects.get(number="1870"))
    assert len(rows) == upload.MAX_ROWS and all(e.row is not None for e in parsed.errors)


def test_a_large_upload_is_refused_before_it_is_read(sortland: Municipality, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(upload, "parse", lambda *a: pytest.fail("read a file that was too large"))
    big = SimpleUploadedFile("big.csv", b"x" * (upload.MAX_BYTES + 1))
    parsed = upload.parse_upload(big, sortland)
    assert where(parsed) == [(None, "")] and "1 MB" in parsed.errors[0].message


# ---------------------------------------------------------------- storing
def counts() -> tuple[int, int]:
    return Observation.objects.count(), DataVersion.objects.count()


def test_import_rows_stores_a_version_and_marks_the_new_figures_latest(world: World, sortland: Municipality) -> None:
    parsed = upload.parse(good_file(), sortland, "tall.csv")
    result = upload.import_rows(
        sortland, parsed.rows, world.users["editor"], checksum=parsed.checksum, file_name=parsed.file_name
    )
    assert result.created and result.stored == 2
    version = result.version
    assert (version.source, version.checksum, version.description, version.loaded_by) == (
        "csv:1870",
        hashlib.sha256(good_file()).hexdigest(),
        "tall.csv",
        world.users["editor"],
    )
    stored = {o.indicator.code: o for o in version.observations.select_related("indicator")}
    assert stored["crowded_share"].value == Decimal("12.5") and stored["crowded_share"].denominator == 200
    assert all(o.is_latest and o.is_current and o.area_level == "kommune" for o in stored.values())
    assert {(o.area_code, o.period, o.year) for o in stored.values()} == {("1870", str(YEAR), YEAR)}


def test_the_same_rows_twice_change_nothing(world: World, sortland: Municipality) -> None:
    rows = upload.parse(good_file(), sortland).rows
    upload.import_rows(sortland, rows, world.users["editor"])
    before = counts()
    result = upload.import_rows(sortland, rows, world.users["admin"])
    assert not result.created and result.stored == 0 and counts() == before


def test_a_newer_upload_replaces_the_figure_and_keeps_the_old_one(world: World, sortland: Municipality) -> None:
    editor = world.users["editor"]
    for value in ("12", "15"):
        parsed = upload.parse(good_file(value), sortland)
        upload.import_rows(sortland, parsed.rows, editor, checksum=parsed.checksum)
    series = Observation.objects.filter(indicator__code="waiting_list_adapted_housing", area_code="1870", year=YEAR)
    assert [(o.value, o.is_current, o.is_latest) for o in series.order_by("version_id")] == [
        (Decimal("12"), False, False),
        (Decimal("15"), True, True),
    ]


def test_an_earlier_year_does_not_take_latest_from_a_later_one(world: World, sortland: Municipality) -> None:
    data = csv_file(
        f"waiting_list_adapted_housing;1870;{YEAR};7;;", f"waiting_list_adapted_housing;1870;{YEAR - 1};9;;"
    )
    upload.import_rows(sortland, upload.parse(data, sortland).rows, world.users["editor"])
    latest = Observation.objects.latest_for("waiting_list_adapted_housing", "kommune").get(area_code="1870")
    assert (latest.year, latest.value) == (YEAR, Decimal("7"))


# ---------------------------------------------------------------- the page
def test_the_page_lists_the_indicators_open_for_upload(world: World) -> None:
    response = client_for(world.users["editor"]).get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    for indicator in Indicator.objects.filter(source_kind=SourceKind.CSV):
        assert indicator.code in body and indicator.name_en in body
    assert "<code>population</code>" not in body
    assert 'enctype="multipart/form-data"' in body and TEMPLATE_URL in body


def test_a_file_with_one_bad_row_stores_nothing_and_shows_every_error(world: World) -> None:
    before = counts()
    data = csv_file(f"waiting_list_adapted_housing;1870;{YEAR};1;;", f"crowded_share;1841;{YEAR};-1;;")
    response = post_file(client_for(world.users["editor"]), data)
    body = response.content.decode()
    assert response.status_code == 400 and counts() == before
    assert "ds-error-summary" in body and 'href="#upload-error-1"' in body and 'id="upload-error-2"' in body
    assert "The file has 2 errors. Nothing was stored." in body
    assert "Only figures for Sortland" in body and "cannot be negative" in body
    assert 'aria-invalid="true"' in body


def test_a_post_without_a_file_is_an_error(world: World) -> None:
    response = client_for(world.users["editor"]).post(URL, {})
    assert response.status_code == 400 and 'href="#id_file"' in response.content.decode()


def test_a_good_file_is_stored_and_the_page_says_so(world: World) -> None:
    client = client_for(world.users["editor"])
    before = counts()
    response = post_file(client, good_file(), "levekår 2025.csv")
    assert response.status_code == 302 and response["Location"] == URL
    assert counts() == (before[0] + 2, before[1] + 1)
    page = client.get(URL).content.decode()
    assert "2 figures stored for Sortland" in page
    assert "levekår 2025.csv" in page and "editor" in page  # the earlier uploads: file, who, how many


def test_the_same_file_twice_changes_nothing(world: World) -> None:
    client = client_for(world.users["editor"])
    post_file(client, good_file())
    before = counts()
    response = post_file(client, good_file(), "kopi.csv")
    assert response.status_code == 302 and counts() == before
    assert "already uploaded" in client.get(URL).content.decode()


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("outsider", 404), ("county_governor", 404)])
def test_those_who_may_not_upload_get_nothing_and_change_nothing(world: World, role: str, status: int) -> None:
    client = client_for(world.users[role])
    before = counts()
    assert client.get(URL).status_code == status
    assert post_file(client, good_file()).status_code == status
    assert client.get(TEMPLATE_URL).status_code == status
    assert counts() == before


def test_anonymous_is_sent_to_log_in(world: World) -> None:
    before = counts()
    for response in (Client().get(URL), post_file(Client(), good_file()), Client().get(TEMPLATE_URL)):
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    assert counts() == before


def test_a_site_administrator_may_upload(world: World) -> None:
    assert post_file(client_for(world.users["superuser"]), good_file()).status_code == 302


def test_the_template_has_the_header_and_a_row_per_csv_indicator(world: World) -> None:
    response = client_for(world.users["admin"]).get(TEMPLATE_URL)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER
    codes = set(Indicator.objects.filter(source_kind=SourceKind.CSV).values_list("code", flat=True))
    assert codes and {line.split(";")[0] for line in lines[1:]} == codes
    assert all(line.endswith(f";1870;{YEAR};;;") for line in lines[1:])


def test_a_filled_in_template_uploads(world: World, sortland: Municipality) -> None:
    template = upload.template_csv(sortland).decode("utf-8")
    filled = template.replace(
        f"waiting_list_adapted_housing;1870;{YEAR};;;", f"waiting_list_adapted_housing;1870;{YEAR};8;;"
    )
    parsed = upload.parse(filled.encode("utf-8"), sortland)
    assert parsed.errors == [] and [r.value for r in parsed.rows] == [Decimal("8")]
