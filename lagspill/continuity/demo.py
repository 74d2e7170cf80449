"""Demo roles, holders and anchoring packages for Sortland and Fauske (LAGSPILL_DEMO=1 only).

The content is data in `demo.toml` (its header says what it shows). Everything goes through the
actions people use (ensure_catalogue_roles, replace_holder, mark_vacant, save_handover_note,
set_plans), so the demo obeys the same rules, and is marked `is_demo` (pages show a Demo badge).
Idempotent: a municipality that already has demo holders is left as it is.
"""

import datetime
import tomllib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from lagspill.organisations.demo import ensure_demo
from lagspill.places.models import Municipality
from lagspill.plans.models import Plan

from . import actions, anchoring
from .models import Holding, Role

PATH = Path(__file__).with_name("demo.toml")


def read(path: Path = PATH) -> list[dict[str, Any]]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["municipality"]


def editor(email: str) -> Any:
    users = get_user_model().objects.filter(email=email)
    if not users.exists():
        ensure_demo()
    return users.get()


def add_holders(role: Role, rows: list[list[str]], by: Any, *, package: bool, today: datetime.date) -> None:
    for index, (starts, name, email) in enumerate(rows):
        starts_on = datetime.date.fromisoformat(starts)
        if not name:
            actions.mark_vacant(role, starts_on=starts_on, by=by, is_demo=True)
            continue
        holding = actions.replace_holder(
            role, name=name, email=email, starts_on=starts_on, by=by, is_demo=True, package=False
        )
        if package and index == len(rows) - 1:
            anchoring.create_package(holding, by=by, today=today)


def ensure_municipality(spec: dict[str, Any], today: datetime.date) -> list[Role]:
    municipality = Municipality.objects.get(number=spec["number"])
    if Holding.objects.filter(role__municipality=municipality, is_demo=True).exists():
        return []
    by = editor(spec["editor"])
    actions.ensure_catalogue_roles(municipality, by, is_demo=True)
    roles = {r.kind: r for r in Role.objects.active().filter(municipality=municipality).exclude(kind="")}
    for kind, titles in spec.get("plans", {}).items():
        plans = Plan.objects.filter(municipality=municipality, title__in=titles)
        actions.set_plans(roles[kind], plans, by=by)
    for kind, role in roles.items():
        if kind not in spec.get("no_handover", []):
            actions.save_handover_note(role, spec["handover"], by=by)
    for kind, rows in spec.get("holders", {}).items():
        add_holders(roles[kind], rows, by, package=kind in spec.get("package", []), today=today)
    anchoring.schedule_recurring(municipality, today)
    return list(roles.values())


@transaction.atomic
def ensure_demo_continuity(path: Path = PATH, today: datetime.date | None = None) -> list[Role]:
    """Create the demo roles and holders where missing; returns the roles of the municipalities set up now."""
    if not settings.DEMO:
        raise RuntimeError("Demo content needs LAGSPILL_DEMO=1.")
    today = today or timezone.localdate()
    return [role for spec in read(path) for role in ensure_municipality(spec, today)]
