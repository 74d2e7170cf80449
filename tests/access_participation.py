"""Who may use the participation pages: one case per URL name (merged into `test_access_matrix.py`).

The list of what is open for input is public. Input is given by editors of a user organisation (Marborg)
on a public plan in consultation or an open public measure: everyone else who sees the plan gets 403
(site administrators too: input speaks for an organisation). Sortland's editors record how input was
used; Marborg's editors (and site administrators) withdraw it. Private plans and measures are 404 for
those who cannot see them (test_participation.py)."""

from lagspill.measures.models import Measure
from lagspill.network.models import Input
from lagspill.places.models import Municipality
from lagspill.plans.models import Plan

from .access_support import EVERYONE, LOGIN, Case
from .builders import ROLES, World

GIVE = {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "user_org": 302}
RECORD = {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "editor": 200, "admin": 200, "superuser": 200}
WITHDRAW = {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "user_org": 302, "superuser": 302}
INPUT = {"body": "Husk oppfølging i bolig."}


def sortland() -> Municipality:
    return Municipality.objects.get(number="1870")


def consultation_plan(w: World) -> Plan:
    return Plan.objects.create(municipality=sortland(), level="boligplan", title="Boligplan", status="horing")


def plan_kwargs(w: World) -> dict:
    return {"number": "1870", "pk": consultation_plan(w).pk}


def measure_kwargs(w: World) -> dict:
    measure = Measure.objects.create(
        municipality=sortland(),
        title="Boligsosial veiledning",
        target_group="alle",
        completion_criterion="Har alle fått veiledning?",
        status="pagar",
        is_public=True,
    )
    return {"pk": measure.pk}


def input_kwargs(w: World) -> dict:
    input_ = Input.objects.create(
        plan=consultation_plan(w), organisation=w.user_org, author=w.users["user_org"], body="Innspill"
    )
    return {"pk": input_.pk}


CASES: dict[str, Case] = {
    "network:consultations": Case(EVERYONE),
    "network:give_plan_input": Case(GIVE, plan_kwargs, "post", INPUT),
    "network:give_measure_input": Case(GIVE, measure_kwargs, "post", INPUT),
    "network:record_use": Case(RECORD, input_kwargs),
    "network:withdraw_input": Case(WITHDRAW, input_kwargs, "post"),
}
