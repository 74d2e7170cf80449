"""The County Governor's plan status page for a county and the priority weights: who sees them, the
plan matrix, maturity, challenge index, the needs-based priority with its reasons, sorting,
downloads, the weights form, and a query count that does not grow with municipalities or plans."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from lagspill.places.models import Municipality
from lagspill.plans import priority
from lagspill.plans.models import Assessment, CriteriaSet, Level, Maturity, Plan, PriorityWeights, Status

from .builders import ROLES, World

URL = reverse("plans:county", args=["18"])
WEIGHTS_URL = reverse("plans:priority_weights", args=["18"])
# The county's shared space: its municipalities' members (Fauske is in Nordland too), its County
# Governor, Husbanken. A user organisation has no municipality in the county.
SEES_PAGE = {role: 200 for role in ROLES} | {"anonymous": "login", "user_org": 404}
CHANGES_WEIGHTS = {role: 403 for role in ROLES} | {
    "anonymous": "login",
    "user_org": 404,
    "county_governor": 200,
    "superuser": 200,
}
# session, user, county, memberships; municipalities, plans, assessment dates, maturity, index scores, weights
MAX_QUERIES = 12


def client_for(world: World, role: str, language: str = "en") -> Client:
    client = Client()
    client.cookies["lagspill_language"] = language
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def status_of(response: object) -> int | str:
    if response.status_code == 302 and "/konto/login/" in response["Location"]:
        return "login"
    return response.status_code


def municipality(number: str) -> Municipality:
    return Municipality.objects.get(number=number)


def make_plan(number: str, level: str = Level.HOUSING, **extra: object) -> Plan:
    values = {"title": f"Plan {number} {level}", "status": Status.PREPARING, "is_public": True, **extra}
    return Plan.objects.create(municipality=municipality(number), level=level, **values)


def row_for(response: object, number: str) -> object:
    return next(r for r in response.context["view"].rows if r.municipality.number == number)


# ---- access ----


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_the_page_to_the_county_shared_space(world: World, role: str) -> None:
    assert status_of(client_for(world, role).get(URL)) == SEES_PAGE[role]


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_the_county_governor_change_weights(world: World, role: str) -> None:
    assert status_of(client_for(world, role).get(WEIGHTS_URL)) == CHANGES_WEIGHTS[role]


def test_it_hides_another_county_from_municipality_members(world: World) -> None:
    assert client_for(world, "viewer").get(reverse("plans:county", args=["03"])).status_code == 404
    assert client_for(world, "county_governor").get(reverse("plans:county", args=["03"])).status_code == 404
    assert client_for(world, "housing_bank").get(reverse("plans:county", args=["03"])).status_code == 200


def test_it_answers_404_for_an_unknown_county(world: World) -> None:
    assert client_for(world, "superuser").get(reverse("plans:county", args=["99"])).status_code == 404


# ---- the table ----


def test_it_lists_all_41_municipalities_of_nordland(world: World) -> None:
    response = client_for(world, "county_governor").get(URL)
    rows = response.context["view"].rows
    assert len(rows) == 41
    assert {r.municipality.number for r in rows} == set(
        Municipality.objects.filter(county__number="18").values_list("number", flat=True)
    )
    html = response.content.decode()
    assert html.count("<tr data-number=") == 41
    assert len(re.findall(r'<a href="/kommune/\d{4}/planer/"\s+aria-label=', html)) == 41  # the map


def test_it_shows_the_current_plan_per_level_and_a_dash_for_none(world: World) -> None:
    make_plan("1870", Level.HOUSING, status=Status.ADOPTED, adopted_on=datetime.date(2020, 1, 1), title="Old")
    make_plan("1870", Level.HOUSING, status=Status.PREPARING, title="New draft")
    make_plan("1870", Level.STRATEGY, status=Status.CONSULTATION, withdrawn_at=timezone.now())
    response = client_for(world, "county_governor").get(URL)
    cells = {c.level: c.plan for c in row_for(response, "1870").cells}
    assert cells[Level.HOUSING].title == "Old"  # the adopted one speaks for the level
    assert cells[Level.STRATEGY] is None  # withdrawn plans are left out
    html = response.content.decode()
    assert "not registered" in html
    assert "Adopted" in html


def test_it_hides_a_private_plan_from_other_municipalities_but_not_the_county_governor(world: World) -> None:
    make_plan("1870", Level.ACTION, status=Status.CONSULTATION, is_public=False)
    outsider = client_for(world, "outsider").get(URL)
    governor = client_for(world, "county_governor").get(URL)
    own = client_for(world, "viewer").get(URL)

    def action_plan(response: object) -> Plan | None:
        return next(c.plan for c in row_for(response, "1870").cells if c.level == Level.ACTION)

    assert action_plan(outsider) is None
    assert action_plan(governor) is not None
    assert action_plan(own) is not None
    assert "On public consultation" not in outsider.content.decode()
    assert "On public consultation" in governor.content.decode()


def test_it_shows_the_last_assessment_the_user_may_see(world: World) -> None:
    criteria_set = CriteriaSet.objects.first()
    public = make_plan("1870", Level.HOUSING)
    private = make_plan("1870", Level.ACTION, is_public=False)
    Assessment.objects.create(
        plan=public, criteria_set=criteria_set, assessed_on=datetime.date(2024, 3, 1), published_at=timezone.now()
    )
    Assessment.objects.create(plan=private, criteria_set=criteria_set, assessed_on=datetime.date(2025, 5, 1))
    assert row_for(client_for(world, "outsider").get(URL), "1870").last_assessed == datetime.date(2024, 3, 1)
    assert row_for(client_for(world, "county_governor").get(URL), "1870").last_assessed == datetime.date(2025, 5, 1)


def test_it_says_not_assessed_rather_than_zero(world: World) -> None:
    Maturity.objects.create(municipality=municipality("1870"), year=2023, score=20)
    Maturity.objects.create(municipality=municipality("1870"), year=2025, score=55.4)
    response = client_for(world, "county_governor").get(URL)
    sortland, fauske = row_for(response, "1870"), row_for(response, "1841")
    assert (sortland.maturity_shown, sortland.baseline_shown) == (55, 20)
    assert fauske.maturity is None and fauske.result.parts["maturity"] is None
    assert "not assessed" in response.content.decode()
    assert "(from 20 in 2023)" in response.content.decode()


def test_it_shows_the_index_its_rank_and_trend(world: World) -> None:
    view = client_for(world, "county_governor").get(URL).context["view"]
    assert view.years.latest is not None and view.years.base == view.years.latest - 5
    scored = [r for r in view.rows if r.index_shown is not None]
    assert len(scored) == view.years.scored > 30
    assert sorted(r.rank for r in scored) == list(range(1, len(scored) + 1))
    assert any(r.direction in ("worse", "better") for r in view.rows)


def test_every_municipality_has_a_priority_and_a_reason(world: World) -> None:
    response = client_for(world, "county_governor").get(URL)
    rows = response.context["view"].rows
    for row in rows:
        assert row.result.reason.endswith(".")
        assert "challenge index" in row.result.reason.lower()
        assert "maturity left out" in row.result.reason  # nobody has a maturity figure yet
    assert all(r.result.used == 2 and r.result.possible == 3 for r in rows if r.change is not None)
    priorities = [r.result.score for r in rows if r.result.score is not None]
    assert priorities == sorted(priorities, reverse=True)  # the default order
    assert "2 of 3 parts" in response.content.decode()


# ---- sorting ----


def test_it_sorts_by_name_maturity_and_index(world: World) -> None:
    client = client_for(world, "county_governor")
    names = [r.municipality.name_plain for r in client.get(URL, {"sorter": "navn"}).context["view"].rows]
    assert names[0] == "Alstahaug" and names[-1] == "Øksnes"
    assert names.index("Bø") < names.index("Dønna") < names.index("Vågan") < names.index("Øksnes")
    Maturity.objects.create(municipality=municipality("1841"), year=2025, score=10)
    Maturity.objects.create(municipality=municipality("1870"), year=2025, score=50)
    rows = client.get(URL, {"sorter": "modenhet"}).context["view"].rows
    assert [r.municipality.number for r in rows[:2]] == ["1841", "1870"]
    scores = [r.index.score for r in client.get(URL, {"sorter": "indeks"}).context["view"].rows if r.index]
    scores = [s for s in scores if s is not None]
    assert scores == sorted(scores, reverse=True)
    response = client.get(URL, {"sorter": "indeks"})
    assert 'aria-sort="descending"' in response.content.decode()
    assert client.get(URL, {"sorter": "tull"}).context["view"].sort == "prioritet"


# ---- downloads ----


def test_the_csv_holds_the_page_figures(world: World) -> None:
    Maturity.objects.create(municipality=municipality("1870"), year=2025, score=42.5)
    client = client_for(world, "county_governor")
    page = client.get(URL)
    html = page.content.decode()
    response = client.get(URL, {"last-ned": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = lines[0], lines[1:42]
    assert header[0] == "Municipality number" and header[-1] == "Reason" and len(header) == 16
    assert len(body) == 41
    by_number = {line[0]: line for line in body}
    for row in page.context["view"].rows:
        line = by_number[row.municipality.number]
        shown = [row.maturity_shown, row.index_shown, row.priority_shown]
        assert [line[7], line[9], line[13]] == ["" if v is None else str(v).replace(".", ",") for v in shown]
        assert line[15] == row.result.reason
        chunk = html.split(f'<tr data-number="{row.municipality.number}">')[1].split("</tr>")[0]
        in_html = re.findall(r'data-value="([^"]*)"', chunk)  # priority, maturity, index, in the page's order
        assert in_html == ["" if v is None else str(v) for v in (shown[2], shown[0], shown[1])]
    assert by_number["1870"][7] == "43"  # rounded half up, as on the page
    footer = "\n".join(";".join(line) for line in lines[42:])
    assert "living-conditions monitor" in footer and "Lagspill plan register" in footer


def test_the_xlsx_download_opens(world: World) -> None:
    response = client_for(world, "county_governor").get(URL, {"last-ned": "xlsx"})
    assert response.status_code == 200 and response.content[:2] == b"PK"


# ---- weights ----


def test_changing_the_weights_reorders_the_priority(world: World) -> None:
    client = client_for(world, "county_governor")
    data = {"challenge": "1", "maturity": "0", "trend": "0", "note": "Bare indeksen"}
    response = client.post(WEIGHTS_URL, data)
    assert response.status_code == 302 and response["Location"] == URL
    rows = client.get(URL).context["view"].rows
    by_index = sorted((r for r in rows if r.index_shown is not None), key=lambda r: -r.index.score)
    assert [r.municipality.number for r in rows[:10]] == [r.municipality.number for r in by_index[:10]]
    assert rows[0].result.score == 100

    client.post(WEIGHTS_URL, {"challenge": "0", "maturity": "0", "trend": "2", "note": "Bare trenden"})
    rows = client.get(URL).context["view"].rows
    by_change = sorted((r for r in rows if r.change is not None), key=lambda r: -r.change)
    assert rows[0].municipality.number == by_change[0].municipality.number
    assert rows[0].result.reason.startswith("The index worsened")
    assert PriorityWeights.objects.count() == 2
    history = client.get(WEIGHTS_URL)
    assert history.status_code == 200
    assert "Bare trenden" in history.content.decode() and "Bare indeksen" in history.content.decode()
    assert history.context["form"].initial["trend"] == 2.0


@pytest.mark.parametrize(
    "data",
    [
        {"challenge": "-1", "maturity": "0.4", "trend": "0.2"},
        {"challenge": "11", "maturity": "0.4", "trend": "0.2"},
        {"challenge": "0", "maturity": "0", "trend": "0"},
        {"challenge": "x", "maturity": "0.4", "trend": "0.2"},
    ],
)
def test_bad_weights_store_nothing(world: World, data: dict) -> None:
    response = client_for(world, "county_governor").post(WEIGHTS_URL, data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert PriorityWeights.objects.count() == 0


def test_others_cannot_post_weights(world: World) -> None:
    data = {"challenge": "1", "maturity": "0", "trend": "0"}
    assert client_for(world, "editor").post(WEIGHTS_URL, data).status_code == 403
    assert client_for(world, "user_org").post(WEIGHTS_URL, data).status_code == 404
    assert PriorityWeights.objects.count() == 0


# ---- query count ----


def count_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def add_material(numbers: list[str]) -> None:
    criteria_set = CriteriaSet.objects.first()
    for number in numbers:
        for level in (Level.STRATEGY, Level.HOUSING, Level.OTHER):
            plan = make_plan(number, level, is_public=number != "1870")
            Assessment.objects.create(plan=plan, criteria_set=criteria_set, published_at=timezone.now())
        Maturity.objects.create(municipality=municipality(number), year=2024, score=30)
        Maturity.objects.create(municipality=municipality(number), year=2025, score=40)


@pytest.mark.parametrize("role", ["county_governor", "outsider", "housing_bank", "superuser"])
def test_the_query_count_does_not_grow_with_plans_or_municipalities(world: World, role: str) -> None:
    client = client_for(world, role)
    client.get(URL)  # warm the session
    empty = count_queries(client)
    add_material(["1870", "1841"])
    few = count_queries(client)
    add_material(
        list(
            Municipality.objects.filter(county__number="18")
            .exclude(number__in=["1870", "1841"])
            .values_list("number", flat=True)
        )
    )
    PriorityWeights.objects.create(county=world.county_governor.county, challenge=1, maturity=1, trend=1)
    many = count_queries(client)
    assert empty <= MAX_QUERIES
    assert many == few <= empty + 1  # the weights row changes nothing; more plans change nothing


# ---- the computation (priority.py) ----


def test_share_below_counts_the_other_municipalities() -> None:
    assert priority.share_below(3.0, [1.0, 2.0, 3.0]) == 1.0
    assert priority.share_below(1.0, [1.0, 2.0, 3.0]) == 0.0
    assert priority.share_below(2.0, [1.0, 2.0, 2.0, 3.0]) == pytest.approx(1 / 3)
    assert priority.share_below(2.0, [2.0]) is None


def test_missing_parts_are_left_out_not_counted_as_zero() -> None:
    weights = priority.Weights()
    assert priority.combine({"challenge": 1.0, "maturity": None, "trend": 0.5}, weights) == pytest.approx(
        100 * (0.4 + 0.1) / 0.6
    )
    assert priority.combine({"challenge": None, "maturity": None, "trend": None}, weights) is None
    only_trend = priority.Weights(challenge=0, maturity=0, trend=1)
    assert priority.combine({"challenge": 1.0, "maturity": 1.0, "trend": None}, only_trend) is None


def test_the_classes_have_their_bounds() -> None:
    assert [priority.priority_class(v) for v in (0, 24.99, 25, 50, 74.9, 75, 100, None)] == [1, 1, 2, 3, 3, 4, 4, None]


def test_the_reason_orders_parts_by_contribution() -> None:
    facts = [
        priority.Facts("1", index=3.0, rank=1, maturity=None, change=0.42),
        priority.Facts("2", index=1.0, rank=2, maturity=80, maturity_year=2025, change=-0.1),
        priority.Facts("3", index=0.5, rank=3, change=0.0),
    ]
    with translation.override("en"):
        results = priority.compute(facts, priority.Weights(), priority.Years(2026, 3))
        no_trend = priority.compute(facts, priority.Weights(trend=0), priority.Years(2026, 3))
    assert results["1"].reason == (
        "Challenge index 3.0 in 2026, rank 1 of 3 in the county; the index worsened by 0.42 from 2021 to 2026; "
        "no published plan assessment yet (maturity left out)."
    )
    assert results["1"].score == pytest.approx(100) and (results["1"].used, results["1"].possible) == (2, 3)
    # challenge 0.4 × 1/2, maturity 0.4 × 0.2, trend 0.2 × 0
    assert results["2"].reason.startswith("Challenge index 1.0 in 2026, rank 2 of 3 in the county")
    assert "; planning maturity 80 of 100 in 2025; the index improved by 0.10 from 2021 to 2026." in results["2"].reason
    assert results["2"].score == pytest.approx(100 * (0.2 + 0.08) / 1.0)
    assert results["3"].reason.startswith("The index was unchanged from 2021 to 2026; challenge index 0.5")
    assert "trend" not in no_trend["1"].reason and no_trend["1"].possible == 2


county_facts = st.lists(
    st.tuples(
        st.one_of(st.none(), st.floats(-5, 5)),
        st.one_of(st.none(), st.floats(0, 100)),
        st.one_of(st.none(), st.floats(-2, 2)),
    ),
    min_size=1,
    max_size=12,
)
weights_strategy = st.tuples(st.floats(0, 10), st.floats(0, 10), st.floats(0, 10)).filter(lambda w: sum(w) > 0)


def facts_of(values: list[tuple]) -> list[priority.Facts]:
    return [priority.Facts(str(i), index=x, maturity=m, change=c) for i, (x, m, c) in enumerate(values)]


@given(county_facts, weights_strategy)
def test_priority_stays_within_0_and_100(values: list[tuple], weights: tuple) -> None:
    results = priority.compute(facts_of(values), priority.Weights(*weights), priority.Years(2025, len(values)))
    for result in results.values():
        assert result.score is None or 0 <= result.score <= 100
        assert 0 <= result.used <= result.possible <= 3


@given(county_facts, weights_strategy, st.data())
def test_raising_an_index_never_lowers_that_priority(values: list[tuple], weights: tuple, data: st.DataObject) -> None:
    """Raising one municipality's newest index (and so its five-year change), others fixed."""
    who = data.draw(st.integers(0, len(values) - 1))
    index, maturity, change = values[who]
    if index is None:
        return
    rise = data.draw(st.floats(0, 3))
    raised = list(values)
    raised[who] = (index + rise, maturity, change + rise if change is not None else None)
    chosen, years = priority.Weights(*weights), priority.Years(2025, len(values))
    before = priority.compute(facts_of(values), chosen, years)[str(who)].score
    after = priority.compute(facts_of(raised), chosen, years)[str(who)].score
    assert (before is None) == (after is None)
    assert before is None or after >= before - 1e-9
