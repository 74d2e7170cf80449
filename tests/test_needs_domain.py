"""The needs domain: the gap over the years, saving, publishing and withdrawing mappings with history,
the CSV import with row-level errors, the template, and exports that keep small counts hidden."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from lagspill.measures import catalogue, gap, needs_actions, needs_exports, needs_imports
from lagspill.measures.models import HousingProject, NeedsFigure, NeedsMapping, ProjectStatus
from lagspill.measures.suppression import build_table, table_for
from lagspill.places.models import Municipality

pytestmark = pytest.mark.django_db

MAPPING = {
    "uten-bolig.uten-tak": 3,
    "uten-bolig.midlertidig": 10,
    "risiko.utkastelse": 7,
    "behov.ordinaer": 12,
    "behov.tilpasset": 2,
    "behov.akutt": 6,
    "venteliste.ordinaer": 9,
    "bestand.ordinaer.i-bruk": 40,
    "bestand.ordinaer.ledig": 3,
    "bestand.tilpasset.ledig": 1,
    "bestand.akutt.ledig": 0,
}


@pytest.fixture
def sortland(world) -> Municipality:
    return world.sortland.municipality


def project(municipality, status=ProjectStatus.FUNDED, ready_year=2027, **units) -> HousingProject:
    return HousingProject.objects.create(
        municipality=municipality, name=f"Prosjekt {status} {ready_year}", status=status, ready_year=ready_year, **units
    )


def points(series, year: int) -> dict[str, gap.GapPoint]:
    return gap.by_year(series)[year]


# --- Gap -------------------------------------------------------------------------------------------
def test_gap_is_need_minus_vacant_per_type_and_in_total(sortland, world) -> None:
    needs_actions.save_mapping(sortland, 2025, MAPPING, by=world.users["editor"])
    series = gap.gap_series(sortland, full=True)
    year = points(series, 2025)
    assert year["ordinaer"].gap.value == 12 - 3
    assert year["tilpasset"].gap.value == 2 - 1
    assert year["akutt"].gap.value == 6
    assert year["tjenester"].gap.reason == "missing"  # no need mapped: no gap, not zero
    assert year["total"].gap.value == 20 - 4
    assert year["ordinaer"].stock.value == 43
    assert year["ordinaer"].waiting.value == 9
    assert not any(p.projected for p in series)


def test_hidden_need_means_a_hidden_gap(sortland, world) -> None:
    needs_actions.save_mapping(sortland, 2025, MAPPING, is_public=True, by=world.users["editor"])
    year = points(gap.gap_series(sortland, full=False), 2025)
    assert year["tilpasset"].need.text == "<5"
    assert year["tilpasset"].gap.hidden and year["tilpasset"].gap.value is None
    assert year["tilpasset"].vacant.value == 1  # dwellings are shown
    # The smallest other need is hidden too, and so is its gap.
    assert year["akutt"].need.hidden and year["akutt"].gap.hidden
    assert year["ordinaer"].gap.value == 9
    assert year["total"].gap.value == 16


def test_projects_reduce_the_projected_gap(sortland, world) -> None:
    needs_actions.save_mapping(sortland, 2024, {**MAPPING, "behov.ordinaer": 15}, by=world.users["editor"])
    needs_actions.save_mapping(sortland, 2025, MAPPING, by=world.users["editor"])
    project(sortland, ProjectStatus.FUNDED, 2027, units_ordinary=4, units_adapted=1)
    project(sortland, ProjectStatus.BUILDING, 2026, units_ordinary=2)
    project(sortland, ProjectStatus.READY, 2025, units_ordinary=50)  # in the 2025 stock already
    project(sortland, ProjectStatus.IDEA, 2026, units_ordinary=100)  # ideas do not count
    withdrawn = project(sortland, ProjectStatus.PLANNED, 2028, units_ordinary=100)
    HousingProject.objects.filter(pk=withdrawn.pk).update(withdrawn_at="2025-01-01T00:00Z")

    series = gap.gap_series(sortland, full=True)
    assert sorted(gap.by_year(series)) == [2024, 2025, 2026, 2027]
    assert points(series, 2024)["ordinaer"].gap.value == 12
    assert points(series, 2026)["ordinaer"].projected
    assert points(series, 2026)["ordinaer"].new_units == 2
    assert points(series, 2026)["ordinaer"].gap.value == 9 - 2
    assert points(series, 2027)["ordinaer"].gap.value == 9 - 6
    assert points(series, 2027)["tilpasset"].gap.value == 1 - 1
    assert points(series, 2027)["total"].new_units == 7
    assert points(series, 2027)["total"].gap.value == 16 - 7


def test_gap_series_makes_three_queries_whatever_the_rows(sortland, world) -> None:
    for year in range(2015, 2026):
        needs_actions.save_mapping(sortland, year, MAPPING, by=world.users["editor"])
    for ready in range(2026, 2036):
        project(sortland, ProjectStatus.PLANNED, ready, units_ordinary=1)
    with CaptureQueriesContext(connection) as queries:
        series = gap.gap_series(sortland, full=False, user=world.users["county_governor"])
    assert len(queries) <= 3 + 1  # + the reader's memberships (once per request)
    assert len(gap.by_year(series)) == 21
    with CaptureQueriesContext(connection) as queries:
        gap.gap_series(sortland, full=True)
    assert len(queries) <= 3


def test_outsiders_get_published_mappings_and_projects_only(sortland, world) -> None:
    needs_actions.save_mapping(sortland, 2024, MAPPING, is_public=True, by=world.users["editor"])
    needs_actions.save_mapping(sortland, 2025, MAPPING, by=world.users["editor"])
    project(sortland, ProjectStatus.PLANNED, 2027, units_ordinary=2)
    assert sorted(gap.by_year(gap.gap_series(sortland, full=False))) == [2024]
    anonymous = sorted(gap.by_year(gap.gap_series(sortland, full=False, user=world.users["outsider"])))
    assert anonymous == [2024]
    governor = gap.gap_series(sortland, full=False, user=world.users["county_governor"])
    assert sorted(gap.by_year(governor)) == [2024, 2025, 2026, 2027]


def test_effect_of_a_project(sortland) -> None:
    assert gap.effect_of(project(sortland, ProjectStatus.FUNDED, 2027, units_ordinary=3)) == {"ordinaer": 3}
    assert gap.effect_of(project(sortland, ProjectStatus.IDEA, 2027, units_ordinary=3)) == {}
    assert gap.effect_of(project(sortland, ProjectStatus.FUNDED, None, units_ordinary=3)) == {}


# --- Save, publish, withdraw -----------------------------------------------------------------------
def test_save_creates_then_updates_the_years_mapping_with_history(sortland, world) -> None:
    editor, admin = world.users["editor"], world.users["admin"]
    first = needs_actions.save_mapping(sortland, 2025, {"behov.ordinaer": 5, "behov.akutt": 2}, note="NAV", by=editor)
    again = needs_actions.save_mapping(sortland, 2025, {"behov.ordinaer": 6, "behov.akutt": None}, note="NAV", by=admin)
    assert again.pk == first.pk
    assert dict(NeedsFigure.objects.filter(mapping=first).values_list("code", "value")) == {"behov.ordinaer": 6}
    removed = NeedsFigure.history.filter(code="behov.akutt").order_by("history_date")
    assert [(h.history_type, h.value, h.history_user) for h in removed] == [("+", 2, editor), ("-", 2, admin)]
    changed = NeedsFigure.history.filter(code="behov.ordinaer").order_by("history_date")
    assert [(h.value, h.history_user) for h in changed] == [(5, editor), (6, admin)]
    assert first.history.first().history_user == editor
    assert first.created_by == editor


def test_create_only_refuses_a_year_someone_else_has_just_mapped(sortland, world) -> None:
    editor, admin = world.users["editor"], world.users["admin"]
    first = needs_actions.save_mapping(sortland, 2025, {"behov.ordinaer": 5}, by=admin, create_only=True)
    with translation.override("en"), pytest.raises(ValidationError, match="There is already a mapping for 2025"):
        needs_actions.save_mapping(sortland, 2025, {"behov.ordinaer": 9}, note="Ny", by=editor, create_only=True)
    assert list(NeedsMapping.objects.values_list("pk", "note")) == [(first.pk, "")]
    assert dict(NeedsFigure.objects.values_list("code", "value")) == {"behov.ordinaer": 5}


@pytest.mark.parametrize(
    ("year", "values"),
    [
        (1989, {"behov.ordinaer": 1}),
        (2101, {"behov.ordinaer": 1}),
        (2025, {"ukjent": 1}),
        (2025, {"behov.ordinaer": -1}),
        (2025, {"behov.ordinaer": 1.5}),
        (2025, {"behov.ordinaer": "4"}),
    ],
)
def test_save_refuses_bad_input_and_stores_nothing(sortland, world, year, values) -> None:
    with pytest.raises(ValidationError):
        needs_actions.save_mapping(sortland, year, values, by=world.users["editor"])
    assert not NeedsMapping.objects.exists()


def test_publish_and_withdraw_with_history(sortland, world) -> None:
    editor = world.users["editor"]
    mapping = needs_actions.save_mapping(sortland, 2025, MAPPING, by=editor)
    needs_actions.publish_mapping(mapping, True, by=world.users["admin"])
    mapping.refresh_from_db()
    assert mapping.is_public
    assert mapping.history.first().history_user == world.users["admin"]
    needs_actions.withdraw_mapping(mapping, by=editor)
    mapping.refresh_from_db()
    assert mapping.withdrawn_at is not None
    assert mapping.history.first().history_user == editor
    assert NeedsFigure.objects.filter(mapping=mapping).count() == len(MAPPING)  # kept
    with pytest.raises(ValidationError):
        needs_actions.publish_mapping(mapping, False, by=editor)
    with pytest.raises(ValidationError):
        needs_actions.withdraw_mapping(mapping, by=editor)
    # A new mapping of the same year can be made after a withdrawal.
    fresh = needs_actions.save_mapping(sortland, 2025, {"behov.ordinaer": 1}, by=editor)
    assert fresh.pk != mapping.pk


# --- Import ----------------------------------------------------------------------------------------
def csv_bytes(text: str, *, bom: bool = False) -> bytes:
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def test_a_good_file_is_stored(sortland, world) -> None:
    data = csv_bytes("år;kode;antall\n2025;behov.ordinaer;12\n2025;behov.akutt;1 200\n2024;behov.ordinaer;0\n")
    result = needs_imports.parse(data, sortland)
    assert result.errors == []
    assert result.rows == {2025: {"behov.ordinaer": 12, "behov.akutt": 1200}, 2024: {"behov.ordinaer": 0}}
    needs_imports.import_mapping(sortland, result, by=world.users["editor"])
    stored = {(f.mapping.year, f.code): f.value for f in NeedsFigure.objects.filter(mapping__municipality=sortland)}
    assert stored == {(2025, "behov.ordinaer"): 12, (2025, "behov.akutt"): 1200, (2024, "behov.ordinaer"): 0}


def test_bom_and_comma_separator_work(sortland) -> None:
    data = csv_bytes("år,kode,antall\r\n2025,behov.ordinaer,7\r\n", bom=True)
    assert needs_imports.parse(data, sortland).rows == {2025: {"behov.ordinaer": 7}}


def test_import_replaces_the_years_figures_and_keeps_note_and_status(sortland, world) -> None:
    editor = world.users["editor"]
    needs_actions.save_mapping(sortland, 2025, MAPPING, note="Fra NAV", is_public=True, by=editor)
    result = needs_imports.parse(csv_bytes("år;kode;antall\n2025;behov.ordinaer;13\n"), sortland)
    (mapping,) = needs_imports.import_mapping(sortland, result, by=editor)
    assert (mapping.note, mapping.is_public) == ("Fra NAV", True)
    assert dict(mapping.figures.values_list("code", "value")) == {"behov.ordinaer": 13}


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("2025;ukjent;3", "unknown code"),
        ("2025;behov.tjenester;tre", "not a whole number"),
        ("2025;behov.tjenester;2,5", "not a whole number"),
        ("2025;behov.tjenester;-3", "negative"),
        ("1989;behov.tjenester;3", "between 1990 and 2100"),
        ("2101;behov.tjenester;3", "between 1990 and 2100"),
        ("tjuefem;behov.tjenester;3", "between 1990 and 2100"),
        ("2025;behov.akutt;4", "twice"),
    ],
)
def test_row_errors_name_the_line_and_store_nothing(sortland, world, row, fragment) -> None:
    data = csv_bytes(f"år;kode;antall\n2025;behov.akutt;2\n2025;behov.ordinaer;1\n{row}\n")
    with translation.override("en"):
        result = needs_imports.parse(data, sortland)
    assert [e.line for e in result.errors] == [4]
    assert fragment in result.errors[0].message
    assert result.rows == {}
    with pytest.raises(ValidationError):
        needs_imports.import_mapping(sortland, result, by=world.users["editor"])
    assert not NeedsMapping.objects.exists()


def test_every_bad_row_is_reported(sortland) -> None:
    data = csv_bytes("år;kode;antall\n2025;x;1\n2025;behov.ordinaer;-1\n2025;behov.akutt;3\n")
    assert [e.line for e in needs_imports.parse(data, sortland).errors] == [2, 3]


@pytest.mark.parametrize(
    "header", ["year;code", "kode;år;antall", "år;kode;antall;kommentar", "år;kode;verdi", "\xe5r;kode;antall"]
)
def test_a_wrong_header_is_refused(sortland, header) -> None:
    data = csv_bytes(f"{header}\n2025;behov.ordinaer;1\n")
    if header.startswith("\xe5r;kode;antall"):
        data = f"{header};x\n".encode("latin-1")  # not UTF-8
    result = needs_imports.parse(data, sortland)
    assert result.errors and result.rows == {}


def test_an_empty_file_or_no_counts_stores_nothing(sortland, world) -> None:
    assert needs_imports.parse(b"", sortland).errors
    blank = needs_imports.parse(csv_bytes("år;kode;antall\n2025;behov.ordinaer;\n"), sortland)
    assert blank.errors == [] and blank.rows == {}
    with pytest.raises(ValidationError):
        needs_imports.import_mapping(sortland, blank, by=world.users["editor"])


def test_the_template_lists_every_code_and_round_trips(sortland, world) -> None:
    template = needs_imports.template_csv(2025)
    assert template.startswith("\ufeffår;kode;antall;beskrivelse")
    lines = list(csv.reader(io.StringIO(template.lstrip("\ufeff")), delimiter=";"))
    assert [line[1] for line in lines[1:]] == [f.code for f in catalogue.figures()]
    assert lines[1][3] == "Uten tak over hodet"
    result = needs_imports.parse(template.encode("utf-8"), sortland)
    assert result.errors == [] and result.rows == {}
    filled = "\r\n".join(
        [lines[0][0] + ";kode;antall;beskrivelse"]
        + [f"2025;{line[1]};{i};{line[3]}" for i, line in enumerate(lines[1:])]
    )
    result = needs_imports.parse(filled.encode("utf-8"), sortland)
    assert result.errors == []
    assert result.rows[2025] == {f.code: i for i, f in enumerate(catalogue.figures())}


# --- Exports ---------------------------------------------------------------------------------------
def exported(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def by_code(rows: list[list[str]]) -> dict[str, str]:
    """code → count text; the header and the footer (one column) left out."""
    return {row[0]: row[3] for row in rows[1:] if len(row) >= 4}


def test_outsider_csv_and_xlsx_hide_small_counts(sortland, world) -> None:
    mapping = needs_actions.save_mapping(sortland, 2025, MAPPING, by=world.users["editor"])
    table = table_for(mapping, full=False)
    cells = by_code(exported(needs_exports.csv_response(sortland, 2025, table)))
    assert cells["uten-bolig.uten-tak"] == "<5"
    assert cells["uten-bolig.midlertidig"] == "×"
    assert cells["situasjon:uten-bolig"] == "13"
    assert cells["behov.tilpasset"] == "<5"
    assert cells["behov.tjenester"] == ""  # not mapped: empty, never 0
    assert cells["bestand.tilpasset.ledig"] == "1"  # dwellings are not suppressed
    assert "3" not in {cells["uten-bolig.uten-tak"], cells["behov.tilpasset"]}

    response = needs_exports.xlsx_response(sortland, 2025, table)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {row[0]: row[3] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["uten-bolig.uten-tak"] == "<5"
    assert values["uten-bolig.midlertidig"] == "×"
    assert values["situasjon:uten-bolig"] == 13


def test_owner_export_has_the_numbers(sortland, world) -> None:
    mapping = needs_actions.save_mapping(sortland, 2025, MAPPING, by=world.users["editor"])
    cells = by_code(exported(needs_exports.csv_response(sortland, 2025, table_for(mapping, full=True))))
    assert cells["uten-bolig.uten-tak"] == "3"
    assert cells["uten-bolig.midlertidig"] == "10"
    assert cells["behov.tilpasset"] == "2"


def test_rows_follow_the_table_and_the_language() -> None:
    table = build_table({"behov.ordinaer": 2, "behov.akutt": 9}, full=False)
    rows = needs_exports.rows(table, "en")
    ordinary = next(r for r in rows if r[0] == "behov.ordinaer")
    assert ordinary[2] == "Need an ordinary rental dwelling"
    assert ordinary[3] == "<5"
    assert next(r for r in rows if r[0] == "behov:total")[3] == "11"
    assert all(isinstance(c, str) for r in rows for c in r)
