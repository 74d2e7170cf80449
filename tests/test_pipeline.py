from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from lagspill.indicators import pipeline
from lagspill.indicators.models import DataVersion, Indicator, Observation, Status

pytestmark = pytest.mark.django_db


def sortland_latest() -> Observation:
    return Observation.objects.latest_for("population", "kommune").get(area_code="1870")


def test_it_loads_the_population_for_every_level_and_year() -> None:
    population = Observation.objects.filter(indicator__code="population", is_current=True)
    # 357 municipalities × 22 years, less two the source lacks (1160 and 1576 have 21 years).
    assert population.filter(area_level="kommune").count() == 357 * 22 - 2
    assert population.filter(area_level="kommune", area_code__startswith="18").count() == 41 * 22
    assert population.filter(area_level="fylke").count() == 15 * 22
    assert population.get(area_level="land", period="2024").value == Decimal("5550203")
    assert population.get(area_level="kommune", area_code="1804", period="2024").value == Decimal("53712")


def test_the_latest_figure_is_the_newest_year() -> None:
    latest = sortland_latest()
    assert (latest.period, latest.value) == ("2026", Decimal("10748"))


def test_a_refresh_with_unchanged_files_adds_nothing() -> None:
    before = (DataVersion.objects.count(), Observation.objects.count())
    lines = list(pipeline.run())
    assert (DataVersion.objects.count(), Observation.objects.count()) == before
    assert "builtin_population: unchanged" in lines


def test_it_marks_split_weighted_values() -> None:
    narvik_2015 = Observation.objects.get(indicator__code="population", area_code="1806", period="2015")
    assert narvik_2015.weighted
    assert not Observation.objects.get(indicator__code="population", area_code="1870", period="2015").weighted


def add_version(value: Decimal | None, status: str = Status.OK) -> DataVersion:
    version = DataVersion.objects.create(source="test", checksum=str(DataVersion.objects.count()))
    Observation.objects.create(
        indicator=Indicator.objects.get(code="population"),
        version=version,
        area_level="kommune",
        area_code="1870",
        period="2026",
        year=2026,
        value=value,
        status=status,
    )
    return version


def test_a_new_version_is_shown_and_the_old_one_kept() -> None:
    add_version(Decimal("10750"))
    list(pipeline.run(["mark_current"]))
    assert sortland_latest().value == Decimal("10750")
    old = Observation.objects.get(
        version__source=pipeline.BUILTIN_SOURCE, indicator__code="population", area_code="1870", period="2026"
    )
    assert old.value == Decimal("10748") and not old.is_current


def test_a_suppressed_value_is_never_shown_as_zero() -> None:
    add_version(None, Status.SUPPRESSED)
    list(pipeline.run(["mark_current"]))
    client = Client()
    client.cookies["lagspill_language"] = "en"
    body = client.get("/kommune/1870/").content.decode()
    assert "No figure for 1 January 2026: suppressed (confidential)." in body
    assert "10,748" not in body and ">0<" not in body


def test_the_command_runs_named_steps_and_rejects_unknown_ones() -> None:
    call_command("indicators", "refresh", "--step", "mark_current")
    with pytest.raises(CommandError, match="Unknown step"):
        call_command("indicators", "refresh", "--step", "no_such_step")


def test_ssb_nil_is_shown_as_zero() -> None:
    add_version(None, Status.ZERO_NIL)
    list(pipeline.run(["mark_current"]))
    shown = Client().get("/kommune/1870/").content.decode().split('class="big-number">')[1]
    assert shown.split("</span>")[0].strip() == "0"
