"""Who may use the continuity pages: one case per URL name (merged into `test_access_matrix.py`).

Roles, holders and anchoring tasks are Sortland's working material: seen by its members, its County
Governor and Husbanken; changed by its editors and admins (those who see but may not change get 403).
The county overview is for the County Governor, Husbanken and site administrators."""

import datetime
from collections.abc import Callable

from lagspill.continuity import actions
from lagspill.continuity.models import Role
from lagspill.places.models import Municipality

from .access_support import LOGIN, SORTLAND_WORKING, Case, as_post
from .builders import ROLES, World

SEEN = {**SORTLAND_WORKING, "anonymous": LOGIN}
CHANGE = {**SEEN, "viewer": 403, "county_governor": 403, "housing_bank": 403}
COUNTY_PRIVATE = {
    **dict.fromkeys(ROLES, 404),
    "anonymous": LOGIN,
    "county_governor": 200,
    "housing_bank": 200,
    "superuser": 200,
}


def held_role(w: World) -> Role:
    role = actions.add_role(Municipality.objects.get(number="1870"), by=None, kind="boligkoordinator")
    actions.replace_holder(role, name="Kari", email="kari@example.org", starts_on=datetime.date(2025, 1, 1), by=None)
    return role


def sortland(w: World) -> dict:
    return {"number": "1870"}


def role_kwargs(w: World) -> dict:
    return {"number": "1870", "pk": held_role(w).pk}


def holding_kwargs(w: World) -> dict:
    role = held_role(w)
    return {"number": "1870", "pk": role.pk, "hid": role.holdings.get().pk}


def person_kwargs(w: World) -> dict:
    return {"number": "1870", "pk": held_role(w).holdings.get().person_id}


def task_kwargs(w: World) -> dict:
    return {"number": "1870", "pk": held_role(w).tasks.first().pk}


def page(expect: dict, kwargs: Callable[[World], dict] = sortland, **extra: object) -> Case:
    return Case(expect, kwargs, **extra)


CASES: dict[str, Case] = {
    "continuity:roles": page(SEEN),
    "continuity:ensure_catalogue": page(as_post(CHANGE), method="post"),
    "continuity:add_role": page(CHANGE),
    "continuity:import_holders": page(CHANGE),
    "continuity:import_template": page(CHANGE),
    "continuity:role": page(SEEN, role_kwargs),
    "continuity:edit_role": page(CHANGE, role_kwargs),
    "continuity:retire_role": page(as_post(CHANGE), role_kwargs, method="post"),
    "continuity:role_history": page(SEEN, role_kwargs),
    "continuity:handover": page(CHANGE, role_kwargs),
    "continuity:role_plans": page(as_post(CHANGE), role_kwargs, method="post"),
    "continuity:replace_holder": page(CHANGE, role_kwargs),
    "continuity:mark_vacant": page(CHANGE, role_kwargs),
    "continuity:edit_holding": page(CHANGE, holding_kwargs),
    "continuity:withdraw_holding": page(as_post(CHANGE), holding_kwargs, method="post"),
    "continuity:anonymise_person": page(as_post(CHANGE), person_kwargs, method="post"),
    "continuity:tasks": page(SEEN),
    # The assignee completes their own task too (test_continuity.py); here nobody is the assignee.
    "continuity:complete_task": page(as_post(CHANGE), task_kwargs, method="post"),
    "continuity:county": page(COUNTY_PRIVATE, lambda w: {"number": "18"}),
}
