"""What the support pages read: one query per kind of row, whatever the number of requests, messages
or events. Every list goes through `access.visible`, so internal notes (and the events of writing
them) never reach the municipality side.

The inbox shows each municipality's needs-based priority as the County Governor's plan status page
shows it (`plans/county.py`, `plans/priority.py`): computed once per county on the page, from the
same precomputed figures (challenge index, planning maturity, the weights in force), not per row.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q
from django.utils import timezone

from lagspill.organisations import access
from lagspill.organisations.models import Kind, Membership
from lagspill.places.models import County, Municipality
from lagspill.plans import county as planstatus
from lagspill.plans import priority

from .models import (
    URGENCY_RANK,
    EventKind,
    RequestEvent,
    RequestMessage,
    RequestStatus,
    SupportRequest,
    Urgency,
)
from .support_forms import MINE, NOBODY, status_filter

RECEIVING_KINDS = (Kind.COUNTY_GOVERNOR, Kind.HOUSING_BANK)


# ---- the priority score beside each request ----


def county_priorities(county: County) -> dict[str, priority.Result]:
    """municipality number → its priority, exactly as the county's plan status page computes it."""
    places = planstatus.municipalities(county)
    maturity = planstatus.maturity_by_municipality(county)
    year, scores, earlier = planstatus.index_scores(county)
    weights = priority.Weights.of(planstatus.weights_in_force(county))
    years = priority.Years(year, sum(1 for s in scores.values() if s.score is not None))
    facts = [
        planstatus.facts_for(
            m, maturity[m.pk], scores.get(m.number), planstatus.change(scores.get(m.number), earlier.get(m.number))
        )
        for m in places
    ]
    return priority.compute(facts, weights, years)


def priorities(counties: Iterable[County]) -> dict[str, priority.Result]:
    """The priorities of every municipality in the given counties (a few queries per county)."""
    found: dict[str, priority.Result] = {}
    for county in {c.pk: c for c in counties}.values():
        found.update(county_priorities(county))
    return found


# ---- the inbox ----


@dataclass
class InboxRow:
    request: SupportRequest
    priority: priority.Result | None
    age: datetime.timedelta

    @property
    def priority_shown(self) -> Decimal | None:
        return priority.rounded(self.priority.score, 0) if self.priority else None

    @property
    def class_label(self) -> str:
        return self.priority.class_label if self.priority else priority.class_label(None)

    @property
    def coverage(self) -> str:
        return planstatus.coverage(self.priority) if self.priority else ""


@dataclass
class Inbox:
    receives: bool  # a member of an organisation that receives requests (County Governor, Husbanken)
    rows: list[InboxRow]
    total: int  # requests addressed to the user's organisations, before the filters
    municipalities: list[Municipality]  # the user's own municipalities, for the explanation


def receives_requests(user: Any) -> bool:
    return any(o.kind in RECEIVING_KINDS for o in access.scope(user).organisations)


def own_municipalities(user: Any) -> list[Municipality]:
    return [o.municipality for o in access.scope(user).organisations if o.municipality]


def sort_rows(rows: list[InboxRow], sort: str) -> list[InboxRow]:
    """Oldest first within equal values; requests without a priority score go last."""
    rows = sorted(rows, key=lambda r: (r.request.created_at, r.request.pk))
    if sort == "alder":
        return rows
    if sort == "prioritet":
        return sorted(rows, key=lambda r: (r.priority_shown is None, -(r.priority_shown or 0)))
    return sorted(rows, key=lambda r: URGENCY_RANK.get(r.request.urgency, len(URGENCY_RANK)))


def inbox(user: Any, chosen: dict[str, str]) -> Inbox:
    organisations = list(access.scope(user).roles)
    addressed = access.visible(user, SupportRequest.objects.filter(recipient__in=organisations))
    total = addressed.count()
    rows = addressed.filter(status_filter(chosen["status"]))
    if chosen["ansvarlig"] == MINE:
        rows = rows.filter(assignee=user.pk)
    elif chosen["ansvarlig"] == NOBODY:
        rows = rows.filter(assignee__isnull=True)
    if chosen["hastegrad"]:
        rows = rows.filter(urgency=chosen["hastegrad"])
    found = list(rows.select_related("municipality__county", "recipient", "assignee").order_by())
    scores = priorities(r.municipality.county for r in found)
    now = timezone.now()
    shown = [InboxRow(r, scores.get(r.municipality.number), now - r.created_at) for r in found]
    return Inbox(receives_requests(user), sort_rows(shown, chosen["sorter"]), total, own_municipalities(user))


# ---- the municipality's list ----


def municipality_requests(user: Any, municipality: Municipality) -> list[SupportRequest]:
    """The municipality's requests with the time of their last message and the number of messages; both
    count only messages the municipality sees (internal notes neither show nor move a request up)."""
    public = Q(messages__internal=False)
    rows = access.visible(user, SupportRequest.objects.filter(municipality=municipality))
    rows = rows.annotate(
        last_message=Max("messages__created_at", filter=public), message_count=Count("messages", filter=public)
    )
    return list(rows.select_related("recipient", "assignee", "created_by").order_by("-last_message", "-pk"))


# ---- the thread ----


@dataclass
class EventRow:
    event: RequestEvent
    before: str
    after: str


def messages(user: Any, request: SupportRequest) -> list[RequestMessage]:
    rows = access.visible(user, RequestMessage.objects.filter(request=request))
    return list(rows.select_related("author").prefetch_related("attachments").order_by("created_at", "pk"))


def name_organisations(request: SupportRequest, found: list[RequestMessage]) -> None:
    """Set `organisation_name` on each message: the organisation its author wrote for (the recipient
    organisation or the municipality's), by the membership they had when they wrote (one query)."""
    authors = {m.author_id for m in found}
    memberships = list(
        Membership.objects.filter(user__in=authors)
        .filter(Q(organisation_id=request.recipient_id) | Q(organisation__municipality_id=request.municipality_id))
        .select_related("organisation")
        .order_by("created_at", "pk")
    )
    by_user: dict[int, list[Membership]] = defaultdict(list)
    for membership in memberships:
        by_user[membership.user_id].append(membership)

    def held(membership: Membership, at: datetime.datetime) -> bool:
        return membership.created_at <= at and (membership.ended_at is None or membership.ended_at >= at)

    for message in found:
        own = by_user.get(message.author_id, [])
        current = [m for m in own if held(m, message.created_at)] or own
        recipient_side = [m for m in current if m.organisation_id == request.recipient_id]
        chosen = (recipient_side if message.internal else current) or current
        message.organisation_name = chosen[0].organisation.name if chosen else ""


def _label(choices: type, code: str) -> str:
    return str(dict(choices.choices).get(code, code)) if code else "–"


def events(user: Any, request: SupportRequest) -> list[EventRow]:
    rows = list(
        access.visible(user, RequestEvent.objects.filter(request=request)).select_related("actor").order_by("at", "pk")
    )
    assigned = {int(v) for e in rows if e.kind == EventKind.ASSIGNED for v in (e.before, e.after) if v.isdigit()}
    people = {u.pk: u for u in get_user_model().objects.filter(pk__in=assigned)} if assigned else {}

    def person(value: str) -> str:
        found = people.get(int(value)) if value.isdigit() else None
        return (found.name or found.email) if found else "–"

    shown = []
    for event in rows:
        if event.kind == EventKind.STATUS:
            before, after = _label(RequestStatus, event.before), _label(RequestStatus, event.after)
        elif event.kind == EventKind.URGENCY:
            before, after = _label(Urgency, event.before), _label(Urgency, event.after)
        elif event.kind == EventKind.ASSIGNED:
            before, after = person(event.before), person(event.after)
        else:
            before, after = event.before, event.after
        shown.append(EventRow(event, before, after))
    return shown
