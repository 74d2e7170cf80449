"""Demo support requests (LAGSPILL_DEMO=1 only): two requests from Sortland to Statsforvalteren i
Nordland, sent by the demo editor of Sortland. One is triaged (assigned to the County Governor's demo
adviser, in progress) and answered; the other is new. They go through the actions people use
(`support_actions`), are marked `is_demo` (pages show a Demo tag) and their subjects and messages start
with "Demo: ". Demo requests send no e-mail. Idempotent: a demo request with the same subject from
Sortland is left as it is."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from lagspill.organisations.demo import ensure_demo
from lagspill.organisations.models import Organisation
from lagspill.places.models import Municipality

from . import support_actions as actions
from .models import RequestStatus, SupportRequest, Topic, Urgency

SORTLAND = "1870"
EDITOR = "sortland.redaktor@example.org"
GOVERNOR = "statsforvalteren-nordland"
ADVISER = "statsforvalter@example.org"
DEMO = "Demo: "
REQUESTS = [
    {
        "subject": "Hjelp til å forankre boligsosialt arbeid i planstrategien",
        "topic": Topic.PLANNING,
        "urgency": Urgency.HIGH,
        "body": "Vi skal revidere planstrategien i år og ønsker råd om hvordan det boligsosiale arbeidet kan "
        "forankres. Har dere eksempler fra andre kommuner i Nordland?",
        "answer": "Takk for henvendelsen. Vi sender eksempler fra to kommuner og foreslår et møte i neste måned.",
    },
    {
        "subject": "Spørsmål om kartlegging av behov for tilrettelagte boliger",
        "topic": Topic.NEEDS,
        "urgency": Urgency.NORMAL,
        "body": "Hvilke kilder anbefaler dere for å kartlegge behovet for tilrettelagte boliger for eldre?",
        "answer": "",
    },
]


@transaction.atomic
def ensure_demo_support() -> list[SupportRequest]:
    """Create the missing demo requests; returns those created now."""
    if not settings.DEMO:
        raise RuntimeError("Demo content needs LAGSPILL_DEMO=1.")
    ensure_demo()
    users = get_user_model().objects
    editor, adviser = users.get(email=EDITOR), users.get(email=ADVISER)
    sortland = Municipality.objects.get(number=SORTLAND)
    governor = Organisation.objects.get(slug=GOVERNOR)
    made = []
    for spec in REQUESTS:
        subject = DEMO + spec["subject"]
        if SupportRequest.objects.filter(municipality=sortland, subject=subject, is_demo=True).exists():
            continue
        data = {
            "subject": subject,
            "topic": spec["topic"],
            "urgency": spec["urgency"],
            "recipient": governor,
            "body": DEMO + spec["body"],
        }
        request = actions.send_request(sortland, data, by=editor, is_demo=True)
        if spec["answer"]:
            actions.triage(
                request, status=RequestStatus.IN_PROGRESS, assignee=adviser, urgency=request.urgency, by=adviser
            )
            actions.reply(request, DEMO + spec["answer"], by=adviser)
        made.append(request)
    return made
