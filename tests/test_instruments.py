"""Husbanken instruments: rates per 1000 inhabitants against hand-computed values, the county and the
similar municipalities, the before/after view, entering figures (who may), duplicates, the county page
and its CSV import (row-level errors, all or nothing, replacement kept in history), and query counts.

Population comes from real-shaped `population` observations for 1995–1998 (years the built-in data
does not cover), so every expected figure is computed by hand below."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lagspill.indicators.models import AreaLevel, DataVersion, Indicator, Neighbours, Observation
from lagspill.measures import instrument_actions as actions
from lagspill.measures import instrument_imports as imports
from lagspill.measures import instruments
from lagspill.measures.models import Instrument, InstrumentUse
from lagspill.organisations.models import Role
from lagspill.places.models import County, Municipality

from .builders import World, member

SORTLAND, BODO, FAUSKE, VAGAN, TROMSO = "1870", "1804", "1841", "1865", "5501"
STARTLAN = Instrument.STARTLAN


@pytest.fixture(autouse=True)
def in_english() -> object:
    with translation.override("en"):
        yield


def client_for(user: object | None) -> Client:
    client = Client()
    client.cookies["lagspill_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def municipality(number: str) -> Municipality:
    return Municipality.objects.select_related("county").get(number=number)


def name(number: str) -> str:
    return Municipality.objects.get(number=number).name


def population(values: dict[tuple[str, int], int]) -> None:
    """Current `population` observations as the pipeline stores them (1 January of the year)."""
    indicator = Indicator.objects.get(code="population")
    version = DataVersion.objects.create(source="test", checksum=f"population-{len(values)}-{min(values)}")
    Observation.objects.bulk_create(
        Observation(
            indicator=indicator,
            version=version,
            area_level=AreaLevel.MUNICIPALITY,
            area_code=code,
            period=str(year),
            year=year,
            value=Decimal(value),
            is_current=True,
        )
        for (code, year), value in values.items()
    )


def use(number: str, year: int, count: int | None, amount: int | None = None, instrument: str = STARTLAN) -> None:
    InstrumentUse.objects.create(
        municipality=municipality(number),
        year=year,
        instrument=instrument,
        count=count,
        amount=None if amount is None else Decimal(amount),
        source="Husbanken, årsrapport",
    )


@pytest.fixture
def similar() -> None:
    """Sortland's similar municipalities: Vågan (same county) and Tromsø (another county)."""
    Neighbours.objects.update_or_create(area_code=SORTLAND, defaults={"codes": [VAGAN, TROMSO]})


@pytest.fixture
def figures(db: None, similar: None) -> None:
    """Sortland 1995–1998, Bodø 1995–1998, Vågan and Tromsø 1995; Fauske has population but no figures."""
    population(
        {
            **{(SORTLAND, y): 10_000 for y in range(1995, 1999)},
            **{(BODO, y): 50_000 for y in range(1995, 1999)},
            **{(FAUSKE, y): 10_000 for y in range(1995, 1999)},
            (VAGAN, 1995): 9_000,
            (TROMSO, 1995): 75_000,
        }
    )
    for year, count, amount in [(1995, 25, 30_000_000), (1996, 30, None), (1997, 35, 42_000_000), (1998, 42, None)]:
        use(SORTLAND, year, count, amount)
    for year in range(1995, 1999):
        use(BODO, year, 100, 150_000_000)
    use(VAGAN, 1995, 18)
    use(TROMSO, 1995, 225)


def overview() -> instruments.Overview:
    return instruments.overview(None, municipality(SORTLAND))


def startlan_row(year: int) -> instruments.YearRow:
    section = next(s for s in overview().sections if s.instrument == STARTLAN)
    return next(r for r in section.rows if r.year == year)


# ---- rates ----------------------------------------------------------------------------------------


def test_per_1000_and_per_inhabitant_match_hand_computed_values(figures: None) -> None:
    row = startlan_row(1995)
    assert row.population == 10_000
    assert row.per_1000 == Decimal("2.5")  # 25 loans / 10 000 inhabitants × 1000
    assert row.per_inhabitant == Decimal(3000)  # 30 000 000 kr / 10 000 inhabitants


def test_the_county_sums_only_the_municipalities_with_a_figure(figures: None) -> None:
    row = startlan_row(1995)
    # Sortland 25 + Bodø 100 + Vågan 18 loans over 10 000 + 50 000 + 9 000 inhabitants; Fauske has no figure.
    assert row.county_per_1000.rate == Decimal(143_000) / Decimal(69_000)
    assert round(float(row.county_per_1000.rate), 4) == 2.0725
    assert sorted(row.county_per_1000.included) == sorted(name(n) for n in (BODO, SORTLAND, VAGAN))
    assert row.county_per_1000.of == 41
    # Amounts: only Sortland and Bodø gave one (Vågan's is unknown, not zero).
    assert row.county_per_inhabitant.rate == Decimal(180_000_000) / Decimal(60_000)
    assert row.county_per_inhabitant.count == 2


def test_the_similar_municipalities_are_the_average_of_their_rates(figures: None) -> None:
    row = startlan_row(1995)
    assert row.similar_per_1000.rate == Decimal("2.5")  # Vågan 18/9000 = 2.0, Tromsø 225/75 000 = 3.0
    assert row.similar_per_1000.included == (name(VAGAN), name(TROMSO))
    assert startlan_row(1996).similar_per_1000.rate is None  # neither has a 1996 figure


def test_a_figure_without_population_has_no_rate_and_is_left_out_of_the_county(figures: None) -> None:
    use(SORTLAND, 1994, 20)  # no population observation for 1994
    assert startlan_row(1994).per_1000 is None
    assert startlan_row(1994).county_per_1000.rate is None


def test_the_page_shows_the_rates_the_comparisons_and_the_sources(figures: None) -> None:
    page = client_for(None).get(reverse("measures:instruments", args=[SORTLAND])).content.decode()
    assert "2.5" in page and "3,000 kr" in page
    assert "3 of 41 municipalities" in page
    assert f"2 of 2: {name(VAGAN)}, {name(TROMSO)}" in page
    assert "Husbanken, årsrapport" in page
    assert 'class="chart"' in page and "Start-up loans per 1000 inhabitants per year" in page


def test_no_figures_is_said_not_shown_as_zero(db: None) -> None:
    page = client_for(None).get(reverse("measures:instruments", args=[FAUSKE])).content.decode()
    assert f"There are no figures for start-up loans for {name(FAUSKE)}" in page
    assert f"There are no figures for {name(FAUSKE)} yet." in page
    assert 'class="chart"' not in page


# ---- SSB's startlån indicator -----------------------------------------------------------------------


def test_the_monitors_startlan_indicator_is_shown_with_its_source_or_said_to_be_missing(figures: None) -> None:
    url = reverse("measures:instruments", args=[SORTLAND])
    page = client_for(None).get(url).content.decode()
    assert "are not loaded yet" in page
    indicator = Indicator.objects.get(code="startlaan_per_1000")
    version = DataVersion.objects.create(source="ssb 13277", checksum="startlan")
    Observation.objects.create(
        indicator=indicator,
        version=version,
        area_level=AreaLevel.MUNICIPALITY,
        area_code=SORTLAND,
        period="2023",
        year=2023,
        value=Decimal("3.1400"),
    )
    page = client_for(None).get(url).content.decode()
    assert "are not loaded yet" not in page
    assert "3.1" in page and "tabell 13277" in page


# ---- before and after ---------------------------------------------------------------------------


def lines(first: int, last: int, instrument: str = STARTLAN) -> dict[str, instruments.Line]:
    found = next(i for i in instruments.before_after(overview(), first, last) if i.instrument == instrument)
    return {line.label: line for line in found.lines}


def test_before_and_after_sums_averages_rates_and_the_change_in_words(figures: None) -> None:
    table = lines(1997, 1998)  # against 1995–1996
    assert table["Number in total"].before_value == 55 and table["Number in total"].after_value == 77
    assert table["Number per year"].before_value == Decimal("27.5")
    assert table["Number per year"].after_value == Decimal("38.5")
    assert table["Number per 1000 inhabitants per year"].before_value == Decimal("2.75")  # 55 / 20 000 × 1000
    assert table["Number per 1000 inhabitants per year"].after_value == Decimal("3.85")
    assert table["Number per year"].change.text == "up 40 %"  # (38.5 − 27.5) / 27.5
    # The county: Sortland, Bodø (and Vågan in 1995): (25 + 30 + 200 + 18) / 129 000 before,
    # (35 + 42 + 200) / 120 000 after.
    county = table["County: number per 1000 inhabitants per year"]
    assert county.before_value == Decimal(273_000) / Decimal(129_000)
    assert county.after_value == Decimal(277_000) / Decimal(120_000)
    assert (county.before.included, county.after.included) == ((2, 3), (2, 2))
    assert county.change.text == "up 9 %"  # 2.308 / 2.116 = 1.091


def test_a_year_without_a_figure_is_not_enough_data(figures: None) -> None:
    table = lines(1997, 1998)
    amount = table["Amount in total"]  # Sortland gave no amount for 1996 and 1998
    assert amount.before_value is None and amount.before.missing == (1996,)
    assert amount.after.missing == (1998,)
    assert amount.change.text == "not enough data"
    earlier = lines(1995, 1996)  # against 1993–1994: nothing
    assert earlier["Number per year"].before.missing == (1993, 1994)


def test_changes_in_words() -> None:
    change = instruments.Change
    assert change(Decimal(10), Decimal(8)).text == "down 20 %"
    assert change(Decimal(10), Decimal(10)).text == "unchanged"
    assert change(Decimal(0), Decimal(3)).text == "up from zero"
    assert change(Decimal(1000), Decimal(1004)).text == "about unchanged"


def test_the_period_is_validated_with_a_clear_message(figures: None) -> None:
    url = reverse("measures:instruments", args=[SORTLAND])
    response = client_for(None).get(url, {"fra": "1998", "til": "1995"})
    assert response.status_code == 400
    assert "The last year cannot be before the first." in response.content.decode()
    response = client_for(None).get(url, {"fra": "1980", "til": "x"})
    assert response.status_code == 400
    assert "Give a year between 1990 and 2100." in response.content.decode()
    page = client_for(None).get(url, {"fra": "1997", "til": "1998"}).content.decode()
    assert "up 40 %" in page and "1995–1996" in page


# ---- entering figures ---------------------------------------------------------------------------


def husbanken_editor(world: World) -> object:
    return member("radgiver@husbanken.no", world.housing_bank, Role.EDITOR)


NEW = {"year": "2024", "instrument": STARTLAN, "count": "12", "amount": "24 000 000", "source": "Husbanken"}


@pytest.mark.parametrize(
    ("who", "number", "status"),
    [
        ("husbanken_editor", BODO, 302),
        ("editor", SORTLAND, 302),
        ("editor", BODO, 403),
        ("county_governor", SORTLAND, 403),
        ("housing_bank", SORTLAND, 403),  # a Husbanken viewer
    ],
)
def test_who_may_enter_a_figure(world: World, who: str, number: str, status: int) -> None:
    user = husbanken_editor(world) if who == "husbanken_editor" else world.users[who]
    response = client_for(user).post(reverse("measures:new_instrument_use", args=[number]), NEW)
    assert response.status_code == status
    stored = InstrumentUse.objects.filter(municipality__number=number, year=2024).first()
    assert (stored is not None) == (status == 302)
    if stored:
        assert (stored.count, stored.amount, stored.created_by) == (12, Decimal(24_000_000), user)


def test_a_second_figure_for_the_same_year_is_refused_with_a_link_to_change_it(world: World) -> None:
    client = client_for(world.users["editor"])
    url = reverse("measures:new_instrument_use", args=[SORTLAND])
    client.post(url, NEW)
    first = InstrumentUse.objects.get()
    response = client.post(url, {**NEW, "count": "13"})
    assert response.status_code == 400
    assert reverse("measures:edit_instrument_use", args=[SORTLAND, first.pk]) in response.content.decode()
    assert InstrumentUse.objects.count() == 1
    with pytest.raises(actions.DuplicateUse):
        actions.enter_use(
            municipality(SORTLAND), year=2024, instrument=STARTLAN, count=1, amount=None, source="x", by=None
        )


def test_a_figure_needs_a_number_or_an_amount_and_a_source(world: World) -> None:
    url = reverse("measures:new_instrument_use", args=[SORTLAND])
    response = client_for(world.users["editor"]).post(url, {**NEW, "count": "", "amount": "", "source": ""})
    assert response.status_code == 400
    assert "Say where the figure comes from." in response.content.decode()
    response = client_for(world.users["editor"]).post(url, {**NEW, "count": "-3", "amount": "1,5"})
    page = response.content.decode()
    assert "The number cannot be negative." in page and "Give a whole number, without decimals." in page
    assert not InstrumentUse.objects.exists()


def test_changing_and_withdrawing_a_figure_keeps_history(world: World) -> None:
    client = client_for(husbanken_editor(world))
    client.post(reverse("measures:new_instrument_use", args=[SORTLAND]), NEW)
    stored = InstrumentUse.objects.get()
    edit = reverse("measures:edit_instrument_use", args=[SORTLAND, stored.pk])
    assert client.post(edit, {"count": "14", "amount": "", "source": "Husbanken, rettet"}).status_code == 302
    stored.refresh_from_db()
    assert (stored.count, stored.amount, stored.source) == (14, None, "Husbanken, rettet")
    assert stored.history.count() == 2
    assert client.post(reverse("measures:withdraw_instrument_use", args=[SORTLAND, stored.pk])).status_code == 302
    stored.refresh_from_db()
    assert stored.withdrawn_at is not None and stored.history.count() == 3
    assert client.get(edit).status_code == 404  # a withdrawn figure is not changed any more
    assert client.post(reverse("measures:new_instrument_use", args=[SORTLAND]), NEW).status_code == 302


# ---- the county page and the import ---------------------------------------------------------------


def test_the_county_page_has_one_row_per_municipality_for_the_latest_year(figures: None) -> None:
    data = instruments.county_overview(None, County.objects.get(number="18"), None)
    assert data.year == 1998 and data.years == [1998, 1997, 1996, 1995]
    assert len(data.rows) == 41
    rows = {r.municipality.number: r for r in data.rows}
    assert rows[SORTLAND].startlan_per_1000 == Decimal("4.2")
    assert rows[FAUSKE].startlan is None and rows[FAUSKE].startlan_per_1000 is None
    assert data.startlan.rate == Decimal(142_000) / Decimal(60_000) and data.startlan.count == 2
    page = client_for(None).get(reverse("measures:county_instruments", args=["18"]), {"ar": "1995"}).content.decode()
    assert "3 of 41 municipalities" in page  # Sortland, Bodø, Vågan in 1995


def upload(client: Client, text: str) -> object:
    file = SimpleUploadedFile("virkemidler.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("measures:import_instruments", args=["18"]), {"file": file})


HEADER = "kommunenummer;år;virkemiddel;antall;beløp;kilde\n"


def test_a_bad_import_gives_row_level_errors_and_stores_nothing(world: World) -> None:
    rows = [
        "1870;2024;startlan;12;24000000;Husbanken",  # good
        "9999;2024;startlan;1;;Husbanken",  # unknown municipality
        "5501;2024;startlan;1;;Husbanken",  # Tromsø: not in Nordland
        "1870;2024;lan;1;;Husbanken",  # unknown instrument
        "1870;2023;startlan;tolv;;Husbanken",  # not a number
        "1870;2022;startlan;-1;;Husbanken",  # negative
        "1870;1989;startlan;1;;Husbanken",  # year out of range
        "1870;2024;startlan;3;;Husbanken",  # duplicate of line 2
        "1870;2021;startlan;;;Husbanken",  # no figure
        "1870;2020;startlan;1;;",  # no source
    ]
    response = upload(client_for(husbanken_editor(world)), HEADER + "\n".join(rows))
    assert response.status_code == 400
    errors = [str(e) for e in response.context["errors"]]
    assert [e.split(":")[0] for e in errors] == [f"Line {n}" for n in range(3, 12)]
    page = response.content.decode()
    for text in [
        "unknown municipality number “9999”",
        "is not in Nordland",
        "unknown instrument “lan”",
        "must be a whole number, not “tolv”",
        "cannot be negative",
        "between 1990 and 2100",
        "the same municipality, year and instrument as line 2",
        "give “antall”, “beløp” or both",
        "say where the figure comes from",
    ]:
        assert text in page
    assert not InstrumentUse.objects.exists()


def test_a_good_import_is_stored_and_replaces_earlier_figures_kept_in_history(world: World) -> None:
    editor = husbanken_editor(world)
    earlier = actions.enter_use(
        municipality(SORTLAND), year=2024, instrument=STARTLAN, count=10, amount=None, source="anslag", by=editor
    )
    text = "\ufeff" + HEADER + "1870;2024;startlan;12;24 000 000;Husbanken\n1804;2024;bostotte;800;;Husbanken\n"
    response = upload(client_for(editor), text)
    assert response.status_code == 302
    earlier.refresh_from_db()
    assert earlier.withdrawn_at is not None
    assert earlier.history.latest().history_user == editor
    active = {(u.municipality.number, u.instrument): u for u in InstrumentUse.objects.active()}
    assert set(active) == {(SORTLAND, STARTLAN), (BODO, Instrument.HOUSING_ALLOWANCE)}
    assert active[(SORTLAND, STARTLAN)].amount == 24_000_000 and active[(BODO, "bostotte")].amount is None
    assert active[(SORTLAND, STARTLAN)].history.get().history_user == editor
    response = client_for(editor).get(reverse("measures:instruments", args=[SORTLAND]))
    page = response.content.decode()
    assert "Withdrawn and replaced figures" in page and "anslag" in page


def test_the_template_has_the_header_and_empty_rows_that_cannot_be_imported_as_they_are(world: World) -> None:
    client = client_for(husbanken_editor(world))
    body = client.get(reverse("measures:instrument_template", args=["18"])).content.decode("utf-8-sig")
    assert body.splitlines()[0] == HEADER.strip()
    assert len(body.splitlines()) == 1 + 41 * 6
    with pytest.raises(imports.ImportFailed):
        imports.check(County.objects.get(number="18"), body.encode())


def test_the_import_is_for_husbanken_editors(world: World) -> None:
    url = reverse("measures:import_instruments", args=["18"])
    assert client_for(husbanken_editor(world)).get(url).status_code == 200
    for role in ("editor", "county_governor", "housing_bank"):
        assert client_for(world.users[role]).get(url).status_code == 403


# ---- query counts ---------------------------------------------------------------------------------


def queries(url: str, params: dict | None = None) -> int:
    client = client_for(None)
    client.get(url, params)  # warm caches (the chart's SVG, the catalogue)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_the_pages_query_count_does_not_grow_with_the_figures(figures: None) -> None:
    page = reverse("measures:instruments", args=[SORTLAND])
    county = reverse("measures:county_instruments", args=["18"])
    before = queries(page), queries(county)
    more = {
        (n, y): 5_000
        for n in Municipality.objects.filter(county__number="18").values_list("number", flat=True)
        for y in range(1990, 1995)
    }
    population(more)
    for number, year in more:
        use(number, year, 7, 1_000_000)
        use(number, year, 3, instrument=Instrument.HOUSING_ALLOWANCE)
    assert (queries(page), queries(county)) == before
