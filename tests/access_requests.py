"""Who may use the support request pages: one case per URL name (merged into `test_access_matrix.py`).

A support request is a secure message between Sortland and the organisation it is addressed to (here the
County Governor of Nordland): only their members see it. Everyone else gets a 404 – the outsider (an
editor in Fauske, in the same county), Husbanken, the user organisation and the site administrator, who
is no member of either. Sortland's list and form are its members' own; its viewers see the list but may
not send (403). Editors on either side reply; only the County Governor's editors write internal notes and
triage (the municipality's members get 403). test_support.py covers the same for a request to Husbanken."""

from django.core.files.uploadedfile import SimpleUploadedFile

from lagspill.network import support_actions as actions
from lagspill.network.models import RequestAttachment
from lagspill.places.models import Municipality

from .access_support import LOGIN, SIGNED_IN, Case, as_post
from .builders import ROLES, World

NOBODY_ELSE = dict.fromkeys(ROLES, 404) | {"anonymous": LOGIN}
SORTLAND_MEMBERS = NOBODY_ELSE | {"viewer": 200, "editor": 200, "admin": 200}
PARTIES = SORTLAND_MEMBERS | {"county_governor": 200}
SORTLAND_SENDERS = SORTLAND_MEMBERS | {"viewer": 403}
REPLIERS = PARTIES | {"viewer": 403}
RECIPIENT_EDITORS = PARTIES | {"viewer": 403, "editor": 403, "admin": 403}


def sortland(w: World) -> dict:
    return {"number": "1870"}


def sent_request(w: World) -> dict:
    """A request from Sortland's editor to the County Governor, with an attachment."""
    upload = SimpleUploadedFile("notat.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n", content_type="application/pdf")
    data = {
        "subject": "Hjelp med boligplanen",
        "topic": "plan",
        "urgency": "normal",
        "recipient": w.county_governor,
        "body": "Vi trenger råd.",
    }
    request = actions.send_request(
        Municipality.objects.get(number="1870"), data, by=w.users["editor"], uploads=[upload]
    )
    return {"pk": request.pk}


def attachment(w: World) -> dict:
    kwargs = sent_request(w)
    return {**kwargs, "att": RequestAttachment.objects.get(message__request_id=kwargs["pk"]).pk}


CASES: dict[str, Case] = {
    "network:municipality_requests": Case(SORTLAND_MEMBERS, sortland),
    "network:new_request": Case(SORTLAND_SENDERS, sortland),
    "network:inbox": Case(SIGNED_IN),
    "network:request": Case(PARTIES, sent_request),
    "network:request_attachment": Case(PARTIES, attachment),
    "network:request_reply": Case(as_post(REPLIERS), sent_request, "post", {"body": "Her er et svar."}),
    "network:request_note": Case(as_post(RECIPIENT_EDITORS), sent_request, "post", {"body": "Ring dem."}),
    "network:request_triage": Case(
        as_post(RECIPIENT_EDITORS), sent_request, "post", {"status": "arbeid", "assignee": "", "urgency": "hoy"}
    ),
}
