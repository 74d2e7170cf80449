"""Demo user participation (LAGSPILL_DEMO=1 only): Marborg's input on Sortland's demo housing plan on
public consultation, and how Sortland used it.

Input has no demo flag of its own: it is made only on a demo plan (`is_demo`), and pages label input on
a demo plan "Demo"; the texts start with "Demo: " too. It goes through the actions people use, without
mail. Idempotent: when Marborg has input on the plan, nothing is added.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from lagspill.organisations.demo import ensure_demo
from lagspill.organisations.models import Organisation
from lagspill.plans.models import Plan, Status

from . import participation_actions as actions
from .models import Input, Use

SORTLAND = "1870"
MARBORG = "marborg"
GIVER = "marborg@example.org"
EDITOR = "sortland.redaktor@example.org"
DEMO = "Demo: "
BODY = (
    "Planen bør si hvordan leietakere i kommunale boliger får oppfølging når de flytter inn, og at "
    "brukerne deltar når tildelingskriteriene revideres."
)
REASON = (
    "Oppfølging ved innflytting er tatt inn i tiltak 2.3. Deltakelse i revisjon av tildelingskriteriene "
    "vurderes i neste rullering."
)


def demo_plan() -> Plan | None:
    """Sortland's demo plan on public consultation (the plans demo makes it)."""
    rows = Plan.objects.active().filter(
        municipality__number=SORTLAND, is_demo=True, is_public=True, status=Status.CONSULTATION
    )
    if not rows.exists():
        from lagspill.plans.demo import ensure_demo_plans

        ensure_demo_plans()
    return rows.order_by("pk").first()


@transaction.atomic
def ensure_demo_participation() -> list[Input]:
    """Marborg's demo input with a recorded use; returns the input made now (none when it exists)."""
    if not settings.DEMO:
        raise RuntimeError("Demo content needs LAGSPILL_DEMO=1.")
    ensure_demo()
    plan = demo_plan()
    marborg = Organisation.objects.get(slug=MARBORG)
    if plan is None or not plan.is_demo or Input.objects.filter(plan=plan, organisation=marborg).exists():
        return []
    users = get_user_model().objects
    giver, editor = users.get(email=GIVER), users.get(email=EDITOR)
    input_ = actions.give_input(plan, marborg, DEMO + BODY, by=giver, notify=False)
    actions.record_use(input_, Use.PARTLY, DEMO + REASON, by=editor, notify=False)
    return [input_]
