"""From need to measures in a real browser, for Sortland: the editor enters a needs mapping with the
guided form and imports the next year's from CSV (a bad file first: row errors, nothing stored); the
gap chart and its table show need against vacant dwellings; a plan goal is added and a measure linked
to it and to the housing coordinator's role; a funded housing project reduces the projected gap. The
County Governor sees the same mapping with small counts hidden. Axe runs on every page, in English and
bokmål."""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from lagspill.continuity import actions as continuity
from lagspill.measures.models import HousingProject, Measure, NeedsMapping
from lagspill.plans.models import Level, Plan, Status
from tests.builders import World

from .axe import describe, violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
NEXT_YEAR = datetime.date.today().year + 2
GOOD_CSV = (
    "år;kode;antall\n"
    "2025;uten-bolig.uten-tak;2\n"
    "2025;uten-bolig.midlertidig;7\n"
    "2025;behov.ordinaer;14\n"
    "2025;behov.tilpasset;6\n"
    "2025;bestand.ordinaer.ledig;2\n"
    "2025;bestand.ordinaer.i-bruk;40\n"
    "2025;bestand.tilpasset.ledig;1\n"
)
BAD_CSV = "år;kode;antall\n2025;behov.ordinaer;fjorten\n2025;ukjent.kode;3\n"


def accessible(page: Page) -> None:
    found = violations(page)
    assert not found, describe(found)
    assert not page.csp_violations  # type: ignore[attr-defined]


def as_person(browser: Browser, live_server: object, email: str, language: str = "en") -> Page:
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.csp_violations = []  # type: ignore[attr-defined]
    page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_violations.append(m.text))  # type: ignore[attr-defined]
    log_in(page, email)
    context.add_cookies([{"name": "lagspill_language", "value": language, "url": live_server.url}])
    return page


def set_up(site: World) -> Plan:
    """Sortland's adopted housing plan and its standard roles, the coordinator held since 2021."""
    editor = site.users["editor"]
    municipality = site.sortland.municipality
    plan = Plan.objects.create(
        municipality=municipality,
        level=Level.HOUSING,
        title="Boligsosial handlingsplan 2024–2030",
        period_start=2024,
        period_end=2030,
        status=Status.ADOPTED,
        adopted_on=datetime.date(2024, 6, 20),
        created_by=editor,
    )
    roles = continuity.ensure_catalogue_roles(municipality, editor)
    coordinator = next(r for r in roles if r.kind == "boligkoordinator")
    continuity.replace_holder(
        coordinator, name="Kari Nilsen", email="", starts_on=datetime.date(2021, 1, 1), by=editor, package=False
    )
    return plan


def gap_row(page: Page, dwelling: str, year: int) -> list[str]:
    """The cells of one year's row under a dwelling type in the gap table."""
    body = page.locator("#needs-gap tbody").filter(has=page.get_by_role("rowheader", name=dwelling, exact=True))
    row = body.locator("tr").filter(has=page.get_by_role("rowheader", name=str(year), exact=True))
    return [text.strip() for text in row.locator("td").all_inner_texts()]


def test_from_need_to_measure_and_project(site: World, browser: Browser, live_server: object) -> None:
    plan = set_up(site)
    editor = as_person(browser, live_server, "editor@example.org")

    # 1. No mapping yet: the page says so, with no zeros.
    editor.goto("/kommune/1870/behov/")
    accessible(editor)
    editor.get_by_role("link", name="Enter the first mapping").click()

    # 2. The guided form.
    editor.get_by_label("Year").fill("2024")
    editor.get_by_label("Roofless").fill("3")
    editor.get_by_label("In emergency or temporary accommodation").fill("9")
    editor.get_by_label("Need an ordinary rental dwelling").fill("10")
    editor.get_by_label("Need an adapted dwelling").fill("4")
    editor.get_by_label("Vacant ordinary rental dwellings").fill("3")
    editor.get_by_label("Let ordinary rental dwellings").fill("38")
    editor.get_by_label("Vacant adapted dwellings").fill("1")
    editor.get_by_label("Publish the mapping").check()
    accessible(editor)
    editor.get_by_role("button", name="Save the mapping").click()
    expect(editor.locator(".messages")).to_be_visible()
    assert NeedsMapping.objects.active().filter(municipality__number="1870", year=2024).exists()

    # 3. A bad import lists its rows and stores nothing; the good one stores 2025.
    editor.goto("/kommune/1870/behov/import/")
    editor.get_by_label("CSV file").set_input_files(
        files=[{"name": "behov.csv", "mimeType": "text/csv", "buffer": BAD_CSV.encode()}]
    )
    editor.get_by_role("button", name="Import").click()
    errors = editor.get_by_role("table")
    expect(errors).to_contain_text("2")
    expect(errors).to_contain_text("3")
    accessible(editor)
    assert not NeedsMapping.objects.filter(year=2025).exists()
    editor.get_by_label("CSV file").set_input_files(
        files=[{"name": "behov.csv", "mimeType": "text/csv", "buffer": GOOD_CSV.encode()}]
    )
    editor.get_by_role("button", name="Import").click()
    expect(editor.locator(".messages")).to_contain_text("2025")

    # 4. The gap chart and its table: need against vacant dwellings, per year.
    editor.goto("/kommune/1870/behov/")
    expect(editor.locator("figure svg, .chart svg").first).to_be_visible()
    assert gap_row(editor, "Ordinary rental dwelling", 2024)[:2] == ["10", "3"]
    assert gap_row(editor, "Ordinary rental dwelling", 2025)[:2] == ["14", "2"]
    assert gap_row(editor, "Ordinary rental dwelling", 2025)[5] == "12"
    accessible(editor)
    editor.screenshot(path=ARTIFACTS / "needs_overview.png", full_page=True)

    # 5. A plan goal, then a measure linked to it and to the coordinator's role.
    editor.goto(f"/kommune/1870/planer/{plan.pk}/")
    editor.get_by_role("link", name="Add a goal").click()
    editor.get_by_label("Number").fill("1.1")
    editor.get_by_label("Goal").fill("Flere vanskeligstilte skal få en egnet utleiebolig")
    editor.get_by_role("button", name="Save").click()
    goals = editor.locator("section", has=editor.locator("#goals-heading"))
    expect(goals).to_contain_text("1.1 Flere vanskeligstilte skal få en egnet utleiebolig")
    accessible(editor)

    editor.goto("/kommune/1870/tiltak/ny/")
    editor.get_by_label("Title", exact=True).fill("Kjøpe tolv utleieboliger")
    editor.get_by_label(re.compile("1.1 Flere vanskeligstilte")).check()
    editor.get_by_label("Target group").select_option(label="Households with children")
    editor.get_by_label("Instrument").select_option(label="Grant for rental dwellings")
    editor.get_by_label("Owner role").select_option(label="Housing coordinator")
    editor.get_by_label("Budget (NOK, whole kroner)").fill("12000000")
    editor.get_by_label("Source of funding").select_option(label="Economy plan (investment)")
    editor.get_by_label("Start", exact=True).fill("2025-01-01")
    editor.get_by_label("End", exact=True).fill(f"{NEXT_YEAR}-12-31")
    editor.get_by_label("Dwellings financed with start-up loans per 1000 inhabitants").check()
    editor.get_by_label("Completion criterion").fill("Er tolv nye utleieboliger tatt i bruk?")
    accessible(editor)
    editor.get_by_role("button", name="Save").click()
    measure = Measure.objects.get(title="Kjøpe tolv utleieboliger")
    assert [g.number for g in measure.goals.all()] == ["1.1"]
    assert measure.owner_role.kind == "boligkoordinator"
    linked_goals = editor.locator("section", has=editor.locator("#goals-heading"))
    expect(linked_goals).to_contain_text("1.1 Flere vanskeligstilte skal få en egnet utleiebolig")
    expect(linked_goals.get_by_role("link", name="Boligsosial handlingsplan 2024–2030")).to_be_visible()
    expect(editor.get_by_text("Housing coordinator").first).to_be_visible()
    accessible(editor)

    editor.goto("/kommune/1870/tiltak/")
    expect(editor.get_by_text("Kjøpe tolv utleieboliger")).to_be_visible()
    accessible(editor)
    editor.goto("/kommune/1870/tiltak/?visning=tabell")
    expect(editor.get_by_role("table")).to_contain_text("Kjøpe tolv utleieboliger")
    accessible(editor)

    # 6. A funded housing project with six ordinary dwellings reduces the projected gap.
    editor.goto("/kommune/1870/boligprosjekter/ny/")
    editor.get_by_label("Name", exact=True).fill("Strandgata 4")
    editor.get_by_label("Status", exact=True).select_option(label="Funded")
    editor.get_by_label("Ready (year)").fill(str(NEXT_YEAR))
    editor.get_by_label("Ordinary rental dwellings").fill("6")
    editor.get_by_label("Total cost (NOK)").fill("18 000 000")
    editor.get_by_label("Husbanken grants (NOK)").fill("4 000 000")
    editor.get_by_label("Measure the project carries out").select_option(label="Kjøpe tolv utleieboliger")
    accessible(editor)
    editor.get_by_role("button", name="Save").click()
    assert HousingProject.objects.filter(name="Strandgata 4", measure=measure).exists()
    accessible(editor)
    editor.screenshot(path=ARTIFACTS / "housing_project.png", full_page=True)

    editor.goto("/kommune/1870/behov/")
    projected = gap_row(editor, "Ordinary rental dwelling", NEXT_YEAR)
    assert projected[2] == "6"  # new dwellings from projects
    assert projected[5] == "6"  # the gap: 14 − 2 − 6
    assert projected[6] == "Yes"

    editor.goto("/kommune/1870/boligprosjekter/")
    expect(editor.get_by_text("Strandgata 4")).to_be_visible()
    accessible(editor)
    editor.goto("/kommune/1870/virkemidler/")
    accessible(editor)

    # 7. The County Governor sees the same mapping with small counts hidden, in bokmål.
    governor = as_person(browser, live_server, "sf@example.org", language="nb")
    governor.goto("/kommune/1870/behov/?ar=2024")
    roofless = governor.get_by_role("row").filter(has=governor.get_by_role("rowheader", name="Uten tak over hodet"))
    expect(roofless).to_contain_text("<5")
    expect(roofless).not_to_contain_text("3")
    accessible(governor)
    governor.goto("/fylke/18/behov/")
    accessible(governor)
    governor.screenshot(path=ARTIFACTS / "needs_county.png", full_page=True)
