"""Criteria set pages: public list and set pages, and the County Governor's new version, which
never changes an existing set and stores nothing when any input is wrong."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lagspill.places.models import County
from lagspill.plans import actions
from lagspill.plans.criteria_actions import county_slug
from lagspill.plans.criteria_forms import plain_weight
from lagspill.plans.models import CriteriaSet, Criterion, Level, Plan

from .builders import World

pytestmark = pytest.mark.django_db

LIST_URL = reverse("plans:criteria_sets", args=["18"])
NEW_URL = reverse("plans:new_criteria_set", args=["18"])
DEFAULT_URL = reverse("plans:criteria_set", args=["18", CriteriaSet.DEFAULT, 1])


def default_set() -> CriteriaSet:
    return CriteriaSet.objects.get(slug=CriteriaSet.DEFAULT, version=1)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(base: CriteriaSet, **changes: Any) -> dict[str, Any]:
    """The new-version form as a browser would post it unchanged, with `changes` applied
    (keys like "k-goals-weight" or "note")."""
    data: dict[str, Any] = {
        "grunnlag": base.pk,
        "name_nb": "Kriterier for Nordland",
        "name_nn": "Kriterium for Nordland",
        "name_en": "Criteria for Nordland",
        "note": "Vekten for mål er hevet.",
    }
    for criterion in base.criteria.all():
        prefix = f"k-{criterion.code}-"
        data[prefix + "weight"] = str(criterion.weight).replace(".", ",")
        data[prefix + "levels"] = list(criterion.levels)
        for language in ("nb", "nn", "en"):
            data[f"{prefix}text_{language}"] = getattr(criterion, f"text_{language}")
            data[f"{prefix}guidance_{language}"] = getattr(criterion, f"guidance_{language}")
    data.update(changes)
    return data


def post_new(world: World, **changes: Any) -> Any:
    base = changes.pop("base", None) or default_set()
    return client_for(world.users["county_governor"]).post(NEW_URL, form_data(base, **changes))


def test_it_lists_the_sets_usable_in_the_county_for_anyone(world: World) -> None:
    response = Client().get(LIST_URL)
    assert response.status_code == 200
    sets = [s for s, _url in response.context["sets"]]
    assert sets == [default_set()]
    assert sets[0].criteria_count == default_set().criteria.count()
    assert DEFAULT_URL in response.content.decode()
    assert NEW_URL not in response.content.decode()  # only the County Governor is offered a new version


def test_it_offers_the_county_governor_a_new_version(world: World) -> None:
    response = client_for(world.users["county_governor"]).get(LIST_URL)
    assert NEW_URL in response.content.decode()


def test_it_shows_every_criterion_with_levels_weight_and_score_meanings(world: World) -> None:
    response = Client().get(DEFAULT_URL)
    assert response.status_code == 200
    page = response.content.decode()
    for criterion in default_set().criteria.all():
        assert criterion.text_nb in page
        assert criterion.scale["nb"][3] in page


def test_it_shows_the_criteria_in_the_readers_language(world: World) -> None:
    client = Client()
    client.cookies["lagspill_language"] = "en"
    page = client.get(DEFAULT_URL).content.decode()
    goals = default_set().criteria.get(code="goals")
    assert goals.text_en in page
    assert goals.scale["en"][0] in page
    assert "Planning strategy" in page


def test_a_set_of_another_county_is_not_found_under_this_county(world: World) -> None:
    post_new(world)
    other = reverse("plans:criteria_set", args=["03", county_slug(County.objects.get(number="18")), 1])
    assert Client().get(other).status_code == 404


def test_the_form_starts_from_the_shipped_default_prefilled(world: World) -> None:
    response = client_for(world.users["county_governor"]).get(NEW_URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.base == default_set()
    criterion, first = form.rows[0]
    assert first["text_nn"].value() == criterion.text_nn
    assert "Statsforvalteren i Nordland" in form.version["name_nb"].value()


def test_it_saves_a_new_version_with_copied_criteria(world: World) -> None:
    response = post_new(world, **{"k-goals-weight": "2,5", "k-goals-text_en": "Changed goal text"})
    created = CriteriaSet.objects.get(slug="18-kriterier", version=1)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:criteria_set", args=["18", "18-kriterier", 1])
    assert created.county.number == "18"
    assert created.note == "Vekten for mål er hevet."
    assert created.created_by == world.users["county_governor"]
    goals = created.criteria.get(code="goals")
    original = default_set().criteria.get(code="goals")
    assert (goals.weight, goals.text_en, goals.text_nb) == (2.5, "Changed goal text", original.text_nb)
    assert goals.scale == original.scale
    assert created.criteria.count() == default_set().criteria.count()
    assert (original.weight, default_set().retired_at) == (1.5, None)  # the shipped set is untouched


def test_a_second_version_retires_the_first_and_keeps_assessments_on_their_set(world: World) -> None:
    post_new(world)
    first = CriteriaSet.objects.get(slug="18-kriterier", version=1)
    plan = Plan.objects.create(municipality_id=world.sortland.municipality_id, level=Level.HOUSING, title="Boligplan")
    assessment = actions.start_assessment(world.users["editor"], plan, first)
    weights_before = list(first.criteria.values_list("code", "weight"))

    response = post_new(world, base=first, **{"k-funding-weight": "4"})

    assert response.status_code == 302
    first.refresh_from_db()
    second = CriteriaSet.objects.get(slug="18-kriterier", version=2)
    assert first.retired_at is not None and second.retired_at is None
    assert second.criteria.get(code="funding").weight == 4
    assessment.refresh_from_db()
    assert assessment.criteria_set == first
    assert list(first.criteria.values_list("code", "weight")) == weights_before


def test_the_form_starts_from_the_newest_county_version_by_default(world: World) -> None:
    post_new(world)
    response = client_for(world.users["county_governor"]).get(NEW_URL)
    assert response.context["form"].base == CriteriaSet.objects.get(slug="18-kriterier", version=1)
    chosen = client_for(world.users["county_governor"]).get(NEW_URL, {"grunnlag": default_set().pk})
    assert chosen.context["form"].base == default_set()


def test_weight_zero_leaves_the_criterion_out(world: World) -> None:
    post_new(world, **{"k-follow_up-weight": "0", "k-follow_up-levels": []})
    created = CriteriaSet.objects.get(slug="18-kriterier")
    assert not created.criteria.filter(code="follow_up").exists()
    assert list(created.criteria.values_list("position", flat=True)) == list(range(1, created.criteria.count() + 1))


def all_zero() -> dict[str, str]:
    return {f"k-{c.code}-weight": "0" for c in default_set().criteria.all()}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (lambda: {"k-goals-weight": "11"}, "less than or equal to 10"),
        (lambda: {"k-goals-weight": "-1"}, "greater than or equal to 0"),
        (lambda: {"k-goals-weight": "mye"}, "Enter a number"),
        (all_zero, "Give at least one criterion a weight above 0."),
        (lambda: {"k-goals-levels": []}, "Choose at least one plan level"),
        (lambda: {"k-goals-text_nn": "  "}, "This field is required"),
        (lambda: {"note": ""}, "This field is required"),
        (lambda: {"k-goals-levels": ["no-such-level"]}, "Select a valid choice"),
    ],
)
def test_invalid_input_stores_nothing(world: World, changes: Any, message: str) -> None:
    client = client_for(world.users["county_governor"])
    client.cookies["lagspill_language"] = "en"
    before = (CriteriaSet.objects.count(), Criterion.objects.count())
    response = client.post(NEW_URL, form_data(default_set(), **changes()))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (CriteriaSet.objects.count(), Criterion.objects.count()) == before


def test_a_base_from_elsewhere_is_not_found(world: World) -> None:
    client = client_for(world.users["county_governor"])
    assert client.get(NEW_URL, {"grunnlag": "999999"}).status_code == 404
    assert client.post(NEW_URL, form_data(default_set(), grunnlag="x")).status_code == 404


@pytest.mark.parametrize(("role", "status"), [("outsider", 403), ("editor", 403), ("housing_bank", 403)])
def test_only_the_county_governor_makes_versions(world: World, role: str, status: int) -> None:
    response = client_for(world.users[role]).post(NEW_URL, form_data(default_set()))
    assert response.status_code == status
    assert not CriteriaSet.objects.filter(county__isnull=False).exists()


def test_anonymous_is_sent_to_log_in(world: World) -> None:
    response = Client().get(NEW_URL)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_a_county_governor_may_not_make_versions_for_another_county(world: World) -> None:
    response = client_for(world.users["county_governor"]).get(reverse("plans:new_criteria_set", args=["03"]))
    assert response.status_code == 403


@pytest.mark.parametrize(("weight", "shown"), [(1.5, "1.5"), (2.0, "2"), (10.0, "10"), (0.25, "0.25")])
def test_weights_are_prefilled_without_needless_decimals(weight: float, shown: str) -> None:
    assert str(plain_weight(weight)) == shown
