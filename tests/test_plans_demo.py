"""Demo plans: the four project municipalities as the source article describes them, made once,
marked as demo, and only in demo mode."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from lagspill.plans import demo
from lagspill.plans.models import Assessment, Comment, Level, Maturity, Perspective, Plan, Score, Status

pytestmark = pytest.mark.django_db

PROJECT = {"1870": "Sortland", "1841": "Fauske", "1865": "Vågan", "1824": "Vefsn"}


@pytest.fixture
def demo_plans() -> list[Plan]:
    with override_settings(DEMO=True):
        return demo.ensure_demo_plans()


def test_it_creates_plans_for_the_four_project_municipalities(demo_plans: list[Plan]) -> None:
    assert {p.municipality.number for p in demo_plans} == set(PROJECT)
    assert all(p.is_demo and p.is_public for p in demo_plans)
    assert not Plan.objects.filter(is_demo=False).exists()


def test_every_assessment_is_published_demo_with_both_sides_and_demo_texts(demo_plans: list[Plan]) -> None:
    assessments = Assessment.objects.filter(plan__in=demo_plans)
    assert assessments.count() == 16
    assert all(a.is_demo and a.is_locked and a.self_submitted_at and a.reviewed_at for a in assessments)
    assert {a.assessed_on.year for a in assessments} == {2018, 2022}
    assert all(a.published_at.date() == a.assessed_on for a in assessments)
    quotes = Score.objects.filter(assessment__in=assessments).exclude(evidence_quote="")
    assert quotes.exists() and all(q.evidence_quote.startswith("Demo: ") for q in quotes)
    comments = Comment.objects.filter(assessment__in=assessments)
    assert {c.perspective for c in comments} == {Perspective.SELF, Perspective.REVIEW}
    assert all(c.body.startswith("Demo: ") for c in comments)


def differing(assessment: Assessment) -> set[str]:
    """The criteria on which the municipality and the County Governor gave different scores."""
    scores = assessment.scores.select_related("criterion")
    sides = {side: {s.criterion.code: s.score for s in scores.filter(perspective=side)} for side in Perspective}
    return {code for code, score in sides[Perspective.SELF].items() if sides[Perspective.REVIEW].get(code) != score}


def test_the_two_sides_differ_on_some_criteria(demo_plans: list[Plan]) -> None:
    housing = Assessment.objects.get(plan__municipality__number="1870", plan__level=Level.HOUSING)
    assert {"funding", "user_participation"} <= differing(housing)
    assert sum(1 for a in Assessment.objects.filter(assessed_on__year=2022) if differing(a)) >= 5


def test_it_reflects_the_article(demo_plans: list[Plan]) -> None:
    def plan(number: str, level: str) -> Plan:
        return Plan.objects.filter(municipality__number=number, level=level).order_by("-period_start").first()

    assert plan("1870", Level.HOUSING).kind == "boligpolitisk plan"
    assert plan("1870", Level.HOUSING).status == Status.CONSULTATION
    assert plan("1824", Level.HOUSING).status == Status.ADOPTED
    assert plan("1824", Level.HOUSING).adopted_on.year in range(2018, 2023)  # during the project
    assert plan("1865", Level.HOUSING).title == "Boligplan for Vågan kommune 2024–2032"
    assert plan("1865", Level.HOUSING).status == Status.CONSULTATION
    assert plan("1841", Level.HOUSING).status == Status.PREPARING


def test_maturity_rises_from_the_project_start_to_its_end(demo_plans: list[Plan]) -> None:
    for number, name in PROJECT.items():
        rows = dict(Maturity.objects.filter(municipality__number=number).values_list("year", "score"))
        assert rows[2022] > rows[2018], name
    end = {n: Maturity.objects.get(municipality__number=n, year=2022).score for n in PROJECT}
    assert end["1841"] == min(end.values())  # Fauske's planning is still the weakest


def test_it_is_idempotent(demo_plans: list[Plan]) -> None:
    counts = (Plan.objects.count(), Assessment.objects.count(), Score.objects.count(), Comment.objects.count())
    maturity = list(Maturity.objects.values_list("municipality_id", "year", "score"))
    with override_settings(DEMO=True):
        assert demo.ensure_demo_plans() == []
    assert (Plan.objects.count(), Assessment.objects.count(), Score.objects.count(), Comment.objects.count()) == counts
    assert list(Maturity.objects.values_list("municipality_id", "year", "score")) == maturity


def test_it_refuses_without_demo_mode(db: None) -> None:
    with override_settings(DEMO=False), pytest.raises(RuntimeError):
        demo.ensure_demo_plans()
    assert not Plan.objects.exists() and not Assessment.objects.exists()


def test_demo_setup_makes_the_plans_once(db: None) -> None:
    with override_settings(DEMO=True):
        call_command("demo_setup", stdout=StringIO())
        out = StringIO()
        call_command("demo_setup", stdout=out)
    assert Plan.objects.filter(is_demo=True).count() == 17
    assert "Demo plans created: 0" in out.getvalue()
