"""Who may use My work and the calendar feed: one case per URL name (merged into `test_access_matrix.py`),
and the role holder's world the My work tests share."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from lagspill.arenas.models import ActionItem, Arena, ArenaMember, Meeting
from lagspill.continuity import ical
from lagspill.continuity.models import AnchoringTask, Department, Holding, Origin, Person, Role
from lagspill.places.models import Municipality

from .access_support import LOGIN, SIGNED_IN, Case, as_post
from .builders import ROLES, World


@dataclass
class Holder:
    """Sortland's housing coordinator (a person with the given work e-mail) with an overdue and an
    upcoming task, a seat in a private arena with a meeting next week and an action due in five days."""

    role: Role
    person: Person
    holding: Holding
    overdue_task: AnchoringTask
    task: AnchoringTask
    arena: Arena
    meeting: Meeting
    action: ActionItem


def make_holder(email: str = "viewer@example.org", today: datetime.date | None = None) -> Holder:
    today = today or timezone.localdate()
    sortland = Municipality.objects.get(number="1870")
    role = Role.objects.create(municipality=sortland, kind="boligkoordinator", department=Department.HOUSING)
    person = Person.objects.create(municipality=sortland, name="Vera Vik", email=email)
    holding = Holding.objects.create(role=role, person=person, starts_on=today - datetime.timedelta(days=30))
    arena = Arena.objects.create(municipality=sortland, name="Boligforum Sortland", purpose="Samordning")
    ArenaMember.objects.create(arena=arena, role=role, joined_on=today - datetime.timedelta(days=100))
    return Holder(
        role=role,
        person=person,
        holding=holding,
        overdue_task=make_task(holding, "Lese overleveringsnotatet", today - datetime.timedelta(days=2)),
        task=make_task(holding, "Lese boligplanen", today + datetime.timedelta(days=20)),
        arena=arena,
        meeting=make_meeting(arena, days_ahead=7),
        action=make_action(arena, role, "Kartlegge utleieboliger", today + datetime.timedelta(days=5)),
    )


def make_task(holding: Holding, title: str, due_on: datetime.date) -> AnchoringTask:
    return AnchoringTask.objects.create(
        municipality=holding.role.municipality,
        role=holding.role,
        holding=holding,
        assignee=holding.person,
        origin=Origin.HANDOVER,
        title=title,
        due_on=due_on,
    )


def make_meeting(arena: Arena, days_ahead: int, location: str = "Rådhuset, møterom 2") -> Meeting:
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days_ahead)
    return Meeting.objects.create(
        arena=arena,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        location=location,
        agenda="1. Status for boligplanen\n2. Nye utleieboliger",
    )


def make_action(arena: Arena, role: Role, title: str, due_on: datetime.date) -> ActionItem:
    return ActionItem.objects.create(arena=arena, title=title, owner_role=role, due_on=due_on)


def feed_token(w: World) -> dict:
    """The feed's token is its credential: whoever holds it (signed in or not) gets the calendar."""
    make_holder()
    return {"token": ical.create_feed(w.users["viewer"])}


SIGNED_IN_POST = as_post(SIGNED_IN) | {"anonymous": LOGIN}

CASES: dict[str, Case] = {
    # My work is each signed-in person's own page; it lists only what they may see.
    "mywork:index": Case(SIGNED_IN),
    "mywork:create_feed": Case(SIGNED_IN_POST, method="post"),
    "mywork:revoke_feed": Case(SIGNED_IN_POST, method="post"),
    "mywork:feed": Case(dict.fromkeys(ROLES, 200), feed_token),
}
