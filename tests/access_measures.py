"""Who may use the measure pages and the plan goals: one case per URL name (merged into
`test_access_matrix.py`).

The list of measures and its download are public and show each reader only what they may see. A
private measure is Sortland's working material: seen by its members, its County Governor and
Husbanken; changed by its editors (those who see but may not change get 403). Progress is reported by
the editors and the owner role's current holder (see test_measures.py; here nobody holds the role).
Plan goals go with their plan; Sortland's editors add, change and retire them."""

from lagspill.measures.models import Measure
from lagspill.places.models import Municipality
from lagspill.plans.models import Goal, Plan

from .access_support import EVERYONE, LOGIN, SORTLAND_EDIT, SORTLAND_WORKING, Case, as_post
from .builders import World

CHANGE = {**SORTLAND_WORKING, "anonymous": LOGIN, "viewer": 403, "county_governor": 403, "housing_bank": 403}
PROGRESS = {"on": "2026-03-01", "text": "Fem boliger er tildelt.", "status": "pagar"}


def sortland(w: World) -> dict:
    return {"number": "1870"}


def private_measure(w: World) -> dict:
    measure = Measure.objects.create(
        municipality=Municipality.objects.get(number="1870"),
        title="Boligsosial veiledning",
        target_group="alle",
        completion_criterion="Har alle fått veiledning?",
    )
    return {"pk": measure.pk}


def public_plan(w: World) -> Plan:
    return Plan.objects.create(municipality=Municipality.objects.get(number="1870"), level="boligplan", title="Plan")


def plan_kwargs(w: World) -> dict:
    return {"number": "1870", "pk": public_plan(w).pk}


def goal_kwargs(w: World) -> dict:
    goal = Goal.objects.create(plan=public_plan(w), number="1", text="Flere utleieboliger")
    return {"number": "1870", "pk": goal.plan_id, "goal": goal.pk}


CASES: dict[str, Case] = {
    "measures:measures": Case(EVERYONE, sortland),
    "measures:measures_export_csv": Case(EVERYONE, sortland),
    "measures:new_measure": Case(SORTLAND_EDIT, sortland),
    "measures:measure": Case(SORTLAND_WORKING, private_measure),
    "measures:edit_measure": Case(CHANGE, private_measure),
    "measures:withdraw_measure": Case(as_post(CHANGE), private_measure, "post"),
    "measures:report_progress": Case(as_post(CHANGE), private_measure, "post", PROGRESS),
    "plans:new_goal": Case(SORTLAND_EDIT, plan_kwargs),
    "plans:edit_goal": Case(SORTLAND_EDIT, goal_kwargs),
    "plans:retire_goal": Case(as_post(SORTLAND_EDIT), goal_kwargs, "post"),
}
