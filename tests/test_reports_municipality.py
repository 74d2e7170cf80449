"""The municipality status report for Sortland, as PDF and XLSX, on the real built-in data: a tagged PDF
with language, title and charts; its figures equal those on the pages (the living-conditions profile, the
plan register, the measure list, the needs page) and the workbook holds the same; suppression for the
County Governor; no private section for an outsider; "no data" said, never 0; bounded queries."""

import datetime
import io
from decimal import Decimal

import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from lagspill.arenas.models import Arena, ArenaMember
from lagspill.continuity.models import Department, Holding, Person, Role
from lagspill.indicators.templatetags.monitor import cell as number_cell
from lagspill.measures import needs_actions
from lagspill.measures.models import BudgetSource, HousingProject, Measure, ProjectStatus
from lagspill.places.models import Municipality
from lagspill.plans.models import Level
from lagspill.reports import municipality as report
from lagspill.reports import pdf, xlsx
from lagspill.web.templatetags.lagspill import number

from .builders import World
from .test_plans import make_plan, published

PDF_URL = reverse("reports:municipality_pdf", args=["1870"])
XLSX_URL = reverse("reports:municipality_xlsx", args=["1870"])
NEEDS = {  # 3 households need an adapted dwelling: the owner sees 3, everyone else "<5"
    "uten-bolig.midlertidig": 12,
    "behov.ordinaer": 25,
    "behov.tilpasset": 3,
    "venteliste.ordinaer": 14,
    "bestand.ordinaer.i-bruk": 80,
    "bestand.ordinaer.ledig": 6,
    "bestand.tilpasset.ledig": 2,
}


@pytest.fixture(autouse=True)
def in_english() -> object:
    """The reports are asked for in English (the cookie); the expected texts are formatted the same way."""
    with translation.override("en"):
        yield


def client_for(user: object | None, language: str = "en") -> Client:
    client = Client()
    client.cookies["lagspill_language"] = language
    if user is not None:
        client.force_login(user)
    return client


def sortland() -> Municipality:
    return Municipality.objects.select_related("county").get(number="1870")


def plain(text: str) -> str:
    """Extracted text with every run of white space (line breaks, no-break spaces) as one space."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def pdf_of(user: object | None) -> pypdf.PdfReader:
    response = client_for(user).get(PDF_URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return pypdf.PdfReader(io.BytesIO(response.content))


def text_of(reader: pypdf.PdfReader) -> str:
    return plain(" ".join(page.extract_text() for page in reader.pages))


def workbook_of(user: object | None) -> dict[str, list[list[object]]]:
    response = client_for(user).get(XLSX_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content))
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def rows_below(sheet: list[list[object]], caption: str) -> list[list[object]]:
    """The rows of the table captioned `caption` on a sheet (below its heading row, up to the empty row)."""
    start = next(i for i, row in enumerate(sheet) if row[0] == caption) + 2
    end = next((i for i in range(start, len(sheet)) if all(c is None for c in sheet[i])), len(sheet))
    return sheet[start:end]


def figures(reader: pypdf.PdfReader) -> list[dict]:
    """The struct tree's figures (tagged images) with their alternative texts."""
    found = []

    def walk(node: object) -> None:
        node = node.get_object()
        if not isinstance(node, dict):
            return
        if node.get("/S") == "/Figure":
            found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def mapping(world: World, year: int = 2024, values: dict | None = None) -> None:
    needs_actions.save_mapping(sortland(), year, values or NEEDS, note="Telt av NAV", by=world.users["editor"])


# The PDF as a document


@pytest.mark.django_db
def test_the_pdf_is_tagged_with_language_title_and_charts_with_alternative_texts(world: World) -> None:
    reader = pdf_of(None)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    assert reader.metadata.title == "Status report: Sortland"
    text = text_of(reader)
    assert text.startswith("LAGSPILL Status report: Sortland")
    # The key indicators' charts are drawn as vectors (their axis and legend texts are in the page text),
    # each a tagged figure with an alternative text, each followed by its table.
    charts = figures(reader)
    assert len(charts) == report.MAX_INDICATOR_CHARTS
    assert all(str(f["/Alt"]).endswith("See the table below for the figures.") for f in charts)
    assert "Share aged 67 and over – Sortland - Suortá Period Sortland - Suortá" in text
    assert "per cent" in text and "Year" in text and "Area" in text
    # Bokmål is the default language, and the document says so
    norwegian = client_for(None, "nb").get(PDF_URL)
    assert pypdf.PdfReader(io.BytesIO(norwegian.content)).trailer["/Root"]["/Lang"] == "nb"


@pytest.mark.django_db
def test_the_download_names_the_file_and_only_get_is_allowed(world: World) -> None:
    response = client_for(None).get(XLSX_URL)
    assert response["Content-Disposition"] == 'attachment; filename="status-report-sortland.xlsx"'
    assert client_for(None).get(PDF_URL)["Content-Disposition"].startswith("inline; ")
    assert client_for(world.users["editor"]).post(PDF_URL).status_code == 405
    assert client_for(None).get(reverse("reports:municipality_pdf", args=["9999"])).status_code == 404


# Its figures are the pages' figures


@pytest.mark.django_db
def test_the_monitor_highlights_equal_the_profile_page(world: World) -> None:
    page = client_for(None).get(reverse("indicators:profile", args=["1870"]))
    table = page.context["table"]  # the page's table, also its CSV/XLSX download
    shown = [row for row in table.rows if any(c is not None for c in row[4:8])]
    assert len(shown) >= 5  # the built-in data: population and ageing
    text = text_of(pdf_of(None))
    sheet = workbook_of(None)["Living conditions"]
    assert sheet[0][:3] == ["Indicator (unit)", "Period", "Sortland - Suortá"]
    by_name = {row[0]: row for row in sheet[1:] if row[0]}
    for row in shown:
        _theme, name, unit, period, *values = row
        figures_in_order = " ".join(number_cell(v) for v in values[:4] if v is not None)
        assert figures_in_order in text, name
        assert values[4] in text and values[5] in text  # the barometer's verdicts, in words
        cells = by_name[f"{name} ({unit})"]
        assert cells[1] == period
        expected = [float(v) if isinstance(v, Decimal) else v for v in values]
        assert cells[2:8] == expected, name  # numbers as numbers, "..": the source's symbol as text
    assert "Share aged 67 and over (per cent)" in by_name


@pytest.mark.django_db
def test_plan_maturity_and_the_status_paragraph_equal_the_plan_register(world: World) -> None:
    editor, governor = world.users["editor"], world.users["county_governor"]
    housing = make_plan(editor, title="Boligsosial handlingsplan 2025–2030")
    strategy = make_plan(editor, level=Level.STRATEGY, title="Planstrategi 2024–2027")
    published(housing, editor, governor, 2, datetime.date(2023, 6, 1))
    published(strategy, editor, governor, 3, datetime.date(2025, 3, 1))
    page = client_for(None).get(reverse("plans:register", args=["1870"]))
    series = page.context["maturity"]
    assert len(series) >= 3
    text = text_of(pdf_of(None))
    sheet = workbook_of(None)["Plans"]
    years = rows_below(sheet, "Planning maturity per year (0–100)")
    assert [[row[0], row[1]] for row in years] == [[m.year, int(number(m.score, 0))] for m in series]
    for m in series:
        assert f"{m.year} {number(m.score, 0)}" in text
    assert "Boligsosial handlingsplan 2025–2030" in text and "Planstrategi 2024–2027" in text
    for part in page.context["paragraph"]:
        assert plain(" ".join(part)) in text
    status = workbook_of(None)["Status in brief"]
    assert [row[0] for row in status[1 : 1 + len(page.context["paragraph"])]] == [
        " ".join(part) for part in page.context["paragraph"]
    ]


@pytest.mark.django_db
def test_a_pdf_asked_for_again_is_served_from_the_cache_until_what_it_shows_changes(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    laid_out = []
    real = pdf.html_to_pdf
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: laid_out.append(html) or real(html))
    common = {"target_group": "alle", "completion_criterion": "Er det gjort?", "municipality": sortland()}
    Measure.objects.create(title="Internt tiltak", **common)
    viewer, public = client_for(world.users["viewer"]), client_for(None)
    first = viewer.get(reverse("reports:municipality_pdf", args=["1870"])).content
    again = viewer.get(reverse("reports:municipality_pdf", args=["1870"])).content
    assert first == again and len(laid_out) == 1  # laid out once
    # Another reader who may see less gets their own report, not the cached one.
    outside = public.get(reverse("reports:municipality_pdf", args=["1870"])).content
    assert len(laid_out) == 2 and "Internt tiltak" not in text_of(pypdf.PdfReader(io.BytesIO(outside)))
    # A change to what the report shows makes a new PDF at once.
    Measure.objects.create(title="Nytt tiltak", **common)
    changed = viewer.get(reverse("reports:municipality_pdf", args=["1870"])).content
    assert len(laid_out) == 3 and "Nytt tiltak" in text_of(pypdf.PdfReader(io.BytesIO(changed)))
    # Another day, another PDF: a cached report is never older than today.
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(pdf.timezone, "localdate", lambda: tomorrow)
    assert viewer.get(reverse("reports:municipality_pdf", args=["1870"])).content
    assert len(laid_out) == 4


@pytest.mark.django_db
def test_measure_counts_equal_the_measure_list_for_each_reader(world: World) -> None:
    common = {"target_group": "alle", "completion_criterion": "Er det gjort?", "municipality": sortland()}
    Measure.objects.create(title="Åpent uten penger", is_public=True, **common)
    Measure.objects.create(
        title="Åpent med penger", is_public=True, budget=500_000, budget_source=BudgetSource.OPERATING, **common
    )
    Measure.objects.create(title="Internt tiltak", ends_on=datetime.date(2020, 1, 1), **common)
    for user, total in ((None, 2), (world.users["viewer"], 3)):
        found = client_for(user).get(reverse("measures:measures", args=["1870"])).context["found"]
        assert found.total == total
        text = text_of(pdf_of(user))
        counts = {row[0]: row[1] for row in workbook_of(user)["Measures"][1:] if row[0]}
        assert counts["All measures"] == total and f"All measures {total}" in text
        for _flag, label, count in found.flag_counts:
            assert counts[f"Flag: {label}"] == count and f"Flag: {label} {count}" in text
        assert ("Internt tiltak" in text) == (user is not None)
    assert "Flag: Ownerless" not in text_of(pdf_of(None))  # owner roles are working material


@pytest.mark.django_db
def test_the_needs_gap_equals_the_needs_page_and_is_suppressed_for_the_county_governor(world: World) -> None:
    mapping(world)
    HousingProject.objects.create(
        municipality=sortland(), name="Nye Kvartal", status=ProjectStatus.FUNDED, ready_year=2026, units_ordinary=8
    )
    owner, governor = world.users["viewer"], world.users["county_governor"]
    for user in (owner, governor):
        page = client_for(user).get(reverse("measures:needs", args=["1870"]))
        expected = [
            [str(group.label), p.year, *[c.text if c.hidden else c.value for c in (p.need, p.vacant)]]
            + [p.new_units if p.projected else None]
            + [c.text if c.hidden else c.value for c in (p.waiting, p.stock, p.gap)]
            + ["Yes" if p.projected else "No"]
            for group in page.context["gap_tables"]
            for p in group.points
        ]
        sheet = workbook_of(user)["Needs gap"]
        assert sheet[1 : 1 + len(expected)] == expected
        reader = pdf_of(user)
        assert len(figures(reader)) == report.MAX_INDICATOR_CHARTS + 1  # and the gap chart
        text = text_of(reader)
        assert "Need and vacant dwellings, Sortland" in text  # the chart's own title, drawn
    owner_rows = {(r[0], r[1]): r for r in workbook_of(owner)["Needs gap"][1:] if r[1]}
    governor_rows = {(r[0], r[1]): r for r in workbook_of(governor)["Needs gap"][1:] if r[1]}
    adapted = "Adapted dwelling"
    assert owner_rows[(adapted, 2024)][2] == 3 and governor_rows[(adapted, 2024)][2] == "<5"
    # 28 − 25 would give the 3 back, so the 25 is hidden too
    assert governor_rows[("All types", 2024)][2] == 28 and governor_rows[("Ordinary rental dwelling", 2024)][2] == "×"
    assert owner_rows[("Ordinary rental dwelling", 2026)][2:9] == [25, 6, 8, 14, 86, 11, "Yes"]
    owner_text, governor_text = text_of(pdf_of(owner)), text_of(pdf_of(governor))
    assert "2024 3 2 – – 2 1 No" in owner_text and "2024 <5" not in owner_text  # adapted: need 3, vacant 2
    assert "2024 <5 2 – – 2 × No" in governor_text


# Who sees what, and what is not there


@pytest.mark.django_db
def test_an_outsiders_report_leaves_out_the_private_section(world: World) -> None:
    role = Role.objects.create(municipality=sortland(), name="Boligkoordinator", department=Department.HOUSING)
    person = Person.objects.create(municipality=sortland(), name="Kari Nordmann", email="kari@sortland.kommune.no")
    Holding.objects.create(role=role, person=person, starts_on=datetime.date(2020, 1, 1))
    Role.objects.create(municipality=sortland(), name="NAV-leder", department=Department.NAV)  # never held
    inside = text_of(pdf_of(world.users["county_governor"]))
    assert "Vacant role NAV-leder no holder recorded" in inside and "Roles 2" in inside
    for user in (None, world.users["outsider"], world.users["user_org"]):
        text = text_of(pdf_of(user))
        assert "Left out: roles, turnover and continuity risks are the municipality's working material" in text
        assert "NAV-leder" not in text and "Vacant role" not in text and "Turnover" not in text
        sheet = workbook_of(user)["Continuity"]
        assert [row for row in sheet if any(c is not None for c in row)] == [
            [report.continuity_section(user or AnonymousUser(), sortland(), datetime.date.today()).left_out]
        ]
    assert "Kari Nordmann" not in inside  # people's names stay on the roles page


@pytest.mark.django_db
def test_missing_data_is_said_never_zero(world: World) -> None:
    text = text_of(pdf_of(world.users["editor"]))
    assert "No assessment is published yet, so there is no maturity to show." in text
    assert "No measures you can see yet." in text
    assert "There is no needs mapping of Sortland - Suortá you may see, so there is no gap to show." in text
    assert "No open arenas you can see." in text
    assert "No roles are registered for Sortland - Suortá, so there are no turnover figures." in text
    assert "Housing plan No plan registered" in text
    sheets = workbook_of(world.users["editor"])
    assert sheets["Needs gap"] == [[report.needs_section(world.users["editor"], sortland()).empty]]
    assert not any(0 in row for row in sheets["Measures"])


# The workbook writer other reports use


def test_the_workbook_keeps_numbers_as_numbers_and_typed_text_as_text() -> None:
    body = xlsx.workbook(
        [
            (
                "Figures: 2024/2025",
                ["Name", "Count"],
                [["=SUM(A1:A9)", Decimal("1.5")], ["Hidden", "<5"], ["No data", None]],
                ["Source: SSB"],
            ),
            xlsx.Sheet(
                "Figures: 2024/2025", ["A"], [[datetime.date(2024, 1, 1)]], blocks=[xlsx.Block("More", ["B"], [[2]])]
            ),
        ]
    )
    book = load_workbook(io.BytesIO(body))
    first, second = book.worksheets
    assert first.title == "Figures- 2024-2025" and second.title == "Figures- 2024-2025 (2)"
    assert first["A1"].font.bold and first["B1"].font.bold
    assert first["A2"].value == "=SUM(A1:A9)" and first["A2"].data_type == "s"  # never run as a formula
    assert first["B2"].value == 1.5 and first["B3"].value == "<5" and first["B4"].value is None
    assert first["A5"].value is None and first["A6"].value == "Source: SSB"
    assert second["A2"].value == datetime.datetime(2024, 1, 1)
    assert (
        second["A4"].value == "More" and second["A4"].font.bold and second["A5"].font.bold and second["A6"].value == 2
    )


# Bounded queries


def grow(count: int, offset: int = 0) -> None:
    """More plans, roles, arenas with seats, measures, mappings and projects for Sortland."""
    municipality = sortland()
    for i in range(offset, offset + count):
        make_plan(None, title=f"Plan {i}", level=Level.OTHER)
        role = Role.objects.create(municipality=municipality, name=f"Rolle {i}", department=Department.HEALTH)
        person = Person.objects.create(municipality=municipality, name=f"Person {i}", email=f"p{i}@sortland.no")
        Holding.objects.create(role=role, person=person, starts_on=datetime.date(2024, 1, 1))
        arena = Arena.objects.create(municipality=municipality, name=f"Arena {i}", purpose="Samordning")
        ArenaMember.objects.create(arena=arena, role=role, joined_on=datetime.date(2024, 1, 1))
        Measure.objects.create(
            municipality=municipality,
            title=f"Tiltak {i}",
            target_group="alle",
            completion_criterion="?",
            owner_role=role,
        )
        needs_actions.save_mapping(municipality, 2000 + i, NEEDS, by=None)
        HousingProject.objects.create(
            municipality=municipality, name=f"Prosjekt {i}", status=ProjectStatus.PLANNED, ready_year=2030 + i
        )


@pytest.mark.django_db
def test_the_report_runs_a_bounded_number_of_queries(world: World) -> None:
    editor_id = world.users["editor"].pk

    def queries() -> tuple[int, int]:
        editor = get_user_model().objects.get(pk=editor_id)  # a fresh user: access reads its memberships again
        with CaptureQueriesContext(connection) as built:
            report.build(editor, sortland())
        with CaptureQueriesContext(connection) as downloaded:
            assert client_for(editor).get(XLSX_URL).status_code == 200
        return len(built), len(downloaded)

    grow(2)
    few = queries()
    grow(6, offset=10)
    assert queries() == few
    assert few[0] <= 40
