"""The county report (`/fylke/<nr>/rapport.pdf` and `.xlsx`): a tagged PDF with language and title, the
maps with their tables, figures equal to the plan status page's, the XLSX with the same figures, what the
public, the county's shared space and the County Governor each get, and a bounded number of queries."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from lagspill.continuity import actions as continuity_actions
from lagspill.measures.models import NeedsMapping
from lagspill.places.models import Municipality
from lagspill.plans.models import Level, Maturity, Plan, Status
from lagspill.reports import county as county_report

from .builders import World

PDF_URL = reverse("reports:county_pdf", args=["18"])
XLSX_URL = reverse("reports:county_xlsx", args=["18"])
PLANSTATUS_URL = reverse("plans:county", args=["18"])
COMPARED = ["1870", "1841", "1804"]


def client_for(world: World, role: str) -> Client:
    client = Client()
    client.cookies["lagspill_language"] = "en"
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def municipality(number: str) -> Municipality:
    return Municipality.objects.get(number=number)


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def squeezed(text: str) -> str:
    """Without white space: a PDF breaks lines where the page does not."""
    return re.sub(r"\s+", "", str(text))


def sheet_rows(body: bytes) -> tuple[list[str], dict[str, dict[str, object]]]:
    """The municipalities sheet: its headings, and municipality number → {heading: value}."""
    sheet = load_workbook(io.BytesIO(body))["Municipalities"]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    found = {}
    for row in rows[1:]:
        if row[0] is None:
            break
        found[str(row[0])] = dict(zip(header, row, strict=False))
    return header, found


def html_for(world: World, role: str) -> str:
    """The PDF's HTML, as `role` gets it."""
    user = world.users.get(role, AnonymousUser())
    with translation.override("en"):
        report = county_report.build(user, municipality("1870").county)
        return render_to_string("reports/county.html", report.context())


@pytest.fixture
def material(world: World) -> None:
    """Maturity in two municipalities, a public and a private plan in Sortland, a published and an
    unpublished needs mapping, and Sortland's roles: one held, the rest vacant."""
    sortland, fauske = municipality("1870"), municipality("1841")
    Maturity.objects.create(municipality=sortland, year=2023, score=20)
    Maturity.objects.create(municipality=sortland, year=2025, score=55.4)
    Maturity.objects.create(municipality=fauske, year=2025, score=12.5)
    Plan.objects.create(
        municipality=sortland,
        level=Level.HOUSING,
        title="Boligplan",
        status=Status.ADOPTED,
        adopted_on=datetime.date(2022, 6, 1),
        is_public=True,
    )
    Plan.objects.create(
        municipality=sortland, level=Level.ACTION, title="Utkast", status=Status.CONSULTATION, is_public=False
    )
    NeedsMapping.objects.create(municipality=sortland, year=2024, is_public=True)
    NeedsMapping.objects.create(municipality=fauske, year=2025, is_public=False)
    roles = continuity_actions.ensure_catalogue_roles(sortland, None)
    continuity_actions.replace_holder(
        roles[0], name="Kari", email="kari@sortland.kommune.no", starts_on=datetime.date(2024, 1, 1), by=None
    )


# ---- the PDF ----


def test_the_pdf_opens_tagged_with_language_title_and_maps(world: World, material: None) -> None:
    response = client_for(world, "anonymous").get(PDF_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="county-report-nordland')
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert reader.metadata.title.startswith("County report: Nordland")
    text = pdf_text(response.content)
    assert "Planning maturity in Nordland: the figures on the map" in text  # the map's data table
    assert "Sortland" in text and "Øksnes" in text


def test_each_map_is_an_svg_of_the_county_followed_by_its_table(world: World, material: None) -> None:
    html = html_for(world, "county_governor")
    county = municipality("1870").county
    assert html.count(f'<svg viewBox="{county.map_viewbox}"') == 2  # priority and maturity
    assert html.count('<path d="') == 2 * 41
    # Sortland's maturity 55 is in the class 50 to under 75; Fauske's 12.5 under 25; Bodø has none.
    assert f"<title>{municipality('1870').name}: 50 to under 75</title>" in html
    assert f"<title>{municipality('1841').name}: under 25</title>" in html
    assert f"<title>{municipality('1804').name}: not assessed</title>" in html
    for heading, table in (("priority-heading", "priority-table"), ("maturity-heading", "maturity-table")):
        section = html.split(f'id="{heading}"')[1].split("</section>")[0]
        assert section.index("<svg") < section.index(f'id="{table}"')
        assert section.split(f'id="{table}"')[1].count("<tr data-number=") == 41


# ---- the figures equal the pages' ----


def test_the_figures_equal_the_plan_status_page(world: World, material: None) -> None:
    client = client_for(world, "county_governor")
    page = client.get(PLANSTATUS_URL)
    rows = {r.municipality.number: r for r in page.context["view"].rows}
    response = client.get(PDF_URL)
    report = response.context["report"]
    assert [r.municipality.number for r in report.rows] == [r.municipality.number for r in page.context["view"].rows]
    text = squeezed(pdf_text(response.content))
    for number in COMPARED:
        shown, ours = rows[number], next(r.plan for r in report.rows if r.municipality.number == number)
        figures = ("priority_shown", "maturity_shown", "index_shown", "rank", "change_shown", "last_assessed")
        assert [getattr(ours, f) for f in figures] == [getattr(shown, f) for f in figures]
        assert [c.status_label for c in ours.cells] == [c.status_label for c in shown.cells]
        assert ours.result.reason == shown.result.reason
        assert squeezed(shown.result.reason) in text
    sortland = rows["1870"]
    assert sortland.maturity_shown == 55
    name = municipality("1870").name
    assert squeezed(f"{name}{sortland.priority_shown}{sortland.result.class_label}55") in text


def test_the_xlsx_holds_the_same_figures_as_the_plan_status_download(world: World, material: None) -> None:
    client = client_for(world, "county_governor")
    table = client.get(PLANSTATUS_URL).context["table"]
    response = client.get(XLSX_URL)
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert response["Content-Disposition"].startswith('attachment; filename="county-report-nordland')
    header, found = sheet_rows(response.content)
    assert len(found) == 41
    assert set(table.columns) <= set(header)  # every column of the page's download, under the same heading
    for line in table.rows:
        ours = found[line[0]]
        page = dict(zip(table.columns, line, strict=True))
        for column in table.columns:
            expected = page[column]
            value = ours[column]
            if isinstance(value, datetime.datetime):
                value = value.date().isoformat()
            if expected is not None and not isinstance(expected, str):
                expected = float(expected)
            assert value == (expected if expected != "" else None), (line[0], column)
    assert found["1870"]["Newest needs mapping (year)"] == 2024
    assert found["1841"]["Newest needs mapping (year)"] == 2025  # unpublished, seen by the County Governor


# ---- who gets what ----


def test_the_public_gets_public_figures_only(world: World, material: None) -> None:
    for role in ("anonymous", "user_org"):
        header, found = sheet_rows(client_for(world, role).get(XLSX_URL).content)
        assert "Priority (0–100)" not in header and "Roles set up" not in header
        sortland = found["1870"]
        assert sortland["Housing plan"] == "Adopted"
        assert sortland["Action part and economy plan"] is None  # the private plan
        assert sortland["Planning maturity (0–100)"] == 55
        assert found["1841"]["Newest needs mapping (year)"] is None  # not published
    html = html_for(world, "anonymous")
    assert "Priority on the map" not in html and "Roles, vacancies and turnover" not in html
    assert "On public consultation" not in html
    assert "Public figures only" in html
    names = re.findall(r'<tr data-number="\d+">\s*<th scope="row">([^<]+)</th>', html.split('id="county-overview"')[1])
    assert names[:3] == ["Alstahaug", "Andøy", "Beiarn"]  # by name: the public has no priority


def test_the_county_shared_space_gets_the_priority_but_not_the_working_material(world: World, material: None) -> None:
    header, found = sheet_rows(client_for(world, "outsider").get(XLSX_URL).content)
    assert "Priority (0–100)" in header and "Reason" in header
    assert "Roles set up" not in header
    assert found["1870"]["Action part and economy plan"] is None  # Sortland's private plan
    assert found["1841"]["Newest needs mapping (year)"] == 2025  # Fauske's own
    html = html_for(world, "outsider")
    assert "Priority on the map" in html and "Roles, vacancies and turnover" not in html


def test_the_county_governor_gets_roles_vacancies_and_turnover(world: World, material: None) -> None:
    _header, found = sheet_rows(client_for(world, "county_governor").get(XLSX_URL).content)
    sortland = found["1870"]
    roles = sortland["Roles set up"]
    assert roles > 1
    assert sortland["Roles vacant today"] == roles - 1
    assert sortland["Action part and economy plan"] == "On public consultation"
    assert found["1804"]["Roles set up"] == 0 and found["1804"]["Roles vacant today"] == 0
    html = html_for(world, "county_governor")
    assert "Roles, vacancies and turnover" in html and "Not public." in html
    governor = client_for(world, "county_governor")
    continuity_page = governor.get(reverse("continuity:county", args=["18"])).context["rows"]
    page_row = next(r for r in continuity_page if r.municipality.number == "1870")
    assert (page_row.figures.roles, page_row.risks) == (roles, sortland["Risks"])
    assert page_row.figures.vacancy_days == sortland["Vacancy days, 12 months"]


def test_another_county_is_open_but_without_nordland_material(world: World) -> None:
    response = client_for(world, "county_governor").get(reverse("reports:county_xlsx", args=["03"]))
    header, found = sheet_rows(response.content)
    assert "Priority (0–100)" not in header and "0301" in found


def test_an_unknown_county_is_404(world: World) -> None:
    assert client_for(world, "superuser").get(reverse("reports:county_pdf", args=["99"])).status_code == 404


# ---- queries ----


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_report_runs_a_fixed_number_of_queries(world: World, material: None) -> None:
    client = client_for(world, "county_governor")
    few = [queries_for(client, PDF_URL), queries_for(client, XLSX_URL)]
    for number in ("1804", "1806", "1811", "1812"):
        place = municipality(number)
        Maturity.objects.create(municipality=place, year=2025, score=30)
        Plan.objects.create(municipality=place, level=Level.STRATEGY, title="Planstrategi", is_public=True)
        NeedsMapping.objects.create(municipality=place, year=2025, is_public=True)
        for role in continuity_actions.ensure_catalogue_roles(place, None)[:3]:
            continuity_actions.mark_vacant(role, starts_on=datetime.date(2025, 1, 1), by=None)
    assert [queries_for(client, PDF_URL), queries_for(client, XLSX_URL)] == few
