"""Demo plan goals, measures and housing projects for the four project municipalities (LAGSPILL_DEMO=1 only).

The content is data in `demo.toml` (its header says what it shows): goals in each housing plan of the
plans demo, measures linked to those goals with an owner role from the continuity demo, and one or two
housing projects carrying out a measure. Measures and projects go through the actions people use
(`measure_actions.create_measure`, `project_actions.create_project`), so the demo obeys the same rules;
they are marked `is_demo` (pages show a Demo badge) and goal texts and descriptions start with "Demo: ".

There are no needs counts and no instrument figures: those would be invented statistics.
Idempotent: a goal (same plan and number), a demo measure or a demo project (same municipality and
name) that exists is left as it is.
"""

import tomllib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Model

from lagspill.continuity import actions as continuity_actions
from lagspill.continuity.models import Role
from lagspill.organisations.demo import ensure_demo
from lagspill.places.models import Municipality
from lagspill.plans.models import Goal, Plan

from . import measure_actions, project_actions
from .models import HousingProject, Measure

PATH = Path(__file__).with_name("demo.toml")
DEMO = "Demo: "
UNIT_FIELDS = {
    "ordinaer": "units_ordinary",
    "tilpasset": "units_adapted",
    "tjenester": "units_services",
    "akutt": "units_emergency",
}
AMOUNTS = ("cost", "husbanken_grant", "husbanken_loan", "other_funding")


def read(path: Path = PATH) -> list[dict[str, Any]]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["municipality"]


def author(email: str) -> Any:
    """The demo account recorded as the author (organisations/demo.py makes it when missing)."""
    if not email:
        return None
    users = get_user_model().objects.filter(email=email)
    if not users.exists():
        ensure_demo()
    return users.get()


def housing_plan(municipality: Municipality, title: str) -> Plan:
    """The plans demo's housing plan (made by the plans demo when it has not run yet)."""
    plans = Plan.objects.active().filter(municipality=municipality, title=title)
    if not plans.exists():
        from lagspill.plans.demo import ensure_demo_plans

        ensure_demo_plans()
    return plans.get()


def owner_role(municipality: Municipality, kind: str, by: Any) -> Role:
    """The continuity demo's role of that kind, or one made here from the catalogue (marked demo)."""
    role = Role.objects.active().filter(municipality=municipality, kind=kind).first()
    return role or continuity_actions.add_role(municipality, by=by, kind=kind, is_demo=True)


def ensure_goals(plan: Plan, rows: list[list[str]], by: Any) -> tuple[dict[str, Goal], list[Goal]]:
    """The plan's demo goals by number, and those made now."""
    goals, made = {}, []
    for number, text in rows:
        goal = Goal.objects.filter(plan=plan, number=number, retired_at__isnull=True).first()
        if goal is None:
            goal = Goal(plan=plan, number=number, text=DEMO + text, created_by=by)
            if by is not None:
                goal._history_user = by
            goal.save()
            made.append(goal)
        goals[number] = goal
    return goals, made


def ensure_measure(municipality: Municipality, spec: dict[str, Any], goals: dict[str, Goal], by: Any) -> Measure | None:
    if Measure.objects.filter(municipality=municipality, title=spec["title"], is_demo=True).exists():
        return None
    data = {
        "title": spec["title"],
        "description": DEMO + spec["description"],
        "goals": [goals[number] for number in spec["goals"]],
        "target_group": spec["target_group"],
        "instrument": spec["instrument"],
        "owner_role": owner_role(municipality, spec["owner"], by),
        "budget": spec.get("budget"),
        "budget_source": spec.get("budget_source", ""),
        "starts_on": spec.get("starts_on"),
        "ends_on": spec.get("ends_on"),
        "status": spec["status"],
        "completion_criterion": spec["criterion"],
        "is_public": spec.get("public", False),
    }
    return measure_actions.create_measure(municipality, data, by=by, is_demo=True)


def ensure_project(municipality: Municipality, spec: dict[str, Any], by: Any) -> HousingProject | None:
    if HousingProject.objects.filter(municipality=municipality, name=spec["name"], is_demo=True).exists():
        return None
    measure = None
    if spec.get("measure"):
        measure = Measure.objects.get(municipality=municipality, title=spec["measure"], is_demo=True)
    fields = {UNIT_FIELDS[code]: count for code, count in spec.get("units", {}).items()}
    fields.update({name: spec[name] for name in AMOUNTS if name in spec})
    return project_actions.create_project(
        municipality,
        by=by,
        is_demo=True,
        name=spec["name"],
        description=DEMO + spec["description"],
        status=spec["status"],
        ready_year=spec.get("ready_year"),
        measure=measure,
        is_public=spec.get("public", False),
        **fields,
    )


def ensure_municipality(spec: dict[str, Any]) -> list[Model]:
    municipality = Municipality.objects.get(number=spec["number"])
    by = author(spec["editor"])
    goals, made = ensure_goals(housing_plan(municipality, spec["plan"]), spec["goals"], by)
    created: list[Model] = list(made)
    for measure in spec.get("measure", []):
        created.append(ensure_measure(municipality, measure, goals, by))
    for project in spec.get("project", []):
        created.append(ensure_project(municipality, project, by))
    return [row for row in created if row is not None]


@transaction.atomic
def ensure_demo_measures(path: Path = PATH) -> list[Model]:
    """Create the missing demo goals, measures and projects; returns those created now."""
    if not settings.DEMO:
        raise RuntimeError("Demo content needs LAGSPILL_DEMO=1.")
    return [row for spec in read(path) for row in ensure_municipality(spec)]
