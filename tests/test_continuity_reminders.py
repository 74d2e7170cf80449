"""Continuity reminders through `send_reminders`: the anchoring package on assignment, tasks and
actions due soon or overdue, each to the people concerned, once."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from lagspill.arenas.models import ActionItem, ActionStatus, Arena
from lagspill.continuity import anchoring
from lagspill.continuity.models import AnchoringTask, Holding, Origin, Person
from lagspill.organisations.models import Membership
from lagspill.reminders.models import ReminderSent
from lagspill.reminders.registry import send_all

from .access_mywork import Holder, make_action, make_holder
from .builders import World, make_user

pytestmark = pytest.mark.django_db


def sent(key: str) -> list[str]:
    """Who got the reminder `key` (by its record) – and check each record has its mail."""
    return sorted(r.recipient.email for r in ReminderSent.objects.filter(key=key).select_related("recipient"))


def mails_about(text: str) -> list:
    return [m for m in mail.outbox if text in m.subject or text in m.body]


def run() -> None:
    call_command("send_reminders", stdout=io.StringIO())


@pytest.fixture
def holder(world: World) -> Holder:
    return make_holder("viewer@example.org")


def test_an_overdue_action_is_mailed_once_not_twice(world: World, holder: Holder) -> None:
    today = timezone.localdate()
    late = make_action(holder.arena, holder.role, "Skaffe tre nye utleieboliger", today - datetime.timedelta(days=3))
    run()
    assert sent(f"action:{late.pk}:overdue") == ["viewer@example.org"]
    assert not sent(f"action:{late.pk}:assigned")  # only the most advanced stage, not three mails at once
    first = mails_about("Skaffe tre nye utleieboliger")
    assert len(first) == 1 and first[0].to == ["viewer@example.org"]
    run()
    assert len(mails_about("Skaffe tre nye utleieboliger")) == 1  # not twice


def test_an_action_is_mailed_on_assignment_then_before_its_due_date(world: World, holder: Holder) -> None:
    today = timezone.localdate()
    item = make_action(holder.arena, holder.role, "Lage rutine for tildeling", today + datetime.timedelta(days=30))
    send_all(today)
    assert sent(f"action:{item.pk}:assigned") == ["viewer@example.org"]
    send_all(today + datetime.timedelta(days=25))
    assert sent(f"action:{item.pk}:due-soon") == ["viewer@example.org"]
    send_all(today + datetime.timedelta(days=26))
    assert len(mails_about("Lage rutine for tildeling")) == 2


def test_the_holder_of_the_role_today_gets_the_action(world: World, holder: Holder) -> None:
    today = timezone.localdate()
    holder.holding.ends_on = today - datetime.timedelta(days=1)
    holder.holding.save()
    new = Person.objects.create(municipality=holder.role.municipality, name="Nils Ny", email="editor@example.org")
    Holding.objects.create(role=holder.role, person=new, starts_on=today)
    send_all(today)
    assert sent(f"action:{holder.action.pk}:due-soon") == ["editor@example.org"]


def test_done_cancelled_and_closed_arena_actions_are_not_mailed(world: World, holder: Holder) -> None:
    today = timezone.localdate()
    late = today - datetime.timedelta(days=1)
    done = make_action(holder.arena, holder.role, "Ferdig tiltak", late)
    ActionItem.objects.filter(pk=done.pk).update(status=ActionStatus.DONE)
    cancelled = make_action(holder.arena, holder.role, "Avbrutt tiltak", late)
    ActionItem.objects.filter(pk=cancelled.pk).update(status=ActionStatus.CANCELLED)
    closed = Arena.objects.create(municipality=holder.role.municipality, name="Nedlagt", purpose="x")
    in_closed = make_action(closed, holder.role, "Tiltak i nedlagt arena", late)
    Arena.objects.filter(pk=closed.pk).update(closed_at=timezone.now())
    send_all(today)
    for item in (done, cancelled, in_closed):
        assert not ReminderSent.objects.filter(key__startswith=f"action:{item.pk}:").exists()
    assert sent(f"action:{holder.action.pk}:due-soon") == ["viewer@example.org"]


def test_an_organisation_owned_action_goes_to_its_editors_and_admins(world: World) -> None:
    county_arena = Arena.objects.create(county=world.county_governor.county, name="Boligsosialt nettverk", purpose="x")
    item = ActionItem.objects.create(
        arena=county_arena, title="Samle erfaringer", owner_organisation=world.sortland, due_on=timezone.localdate()
    )
    send_all(timezone.localdate())
    assert sent(f"action:{item.pk}:due-soon") == ["admin@example.org", "editor@example.org"]


def test_the_package_is_mailed_once_when_a_new_holder_is_assigned(world: World, holder: Holder) -> None:
    today = timezone.localdate()
    person = Person.objects.create(municipality=holder.role.municipality, name="Nils Ny", email="editor@example.org")
    holding = Holding.objects.create(role=holder.role, person=person, starts_on=today)
    tasks = anchoring.create_package(holding, by=world.users["admin"], today=today)
    assert tasks, "the housing coordinator's package has tasks"
    run()
    assert sent(f"anchoring-package:{holding.pk}") == ["editor@example.org"]
    assert len(tasks) > 1

    def package_mails() -> list:  # the one mail that lists every task (a task due soon has its own mail)
        return [m for m in mail.outbox if all(task.display_title in m.body for task in tasks)]

    assert len(package_mails()) == 1 and package_mails()[0].to == ["editor@example.org"]
    run()
    assert len(package_mails()) == 1


def test_tasks_due_soon_and_overdue_but_nothing_for_done_tasks(world: World, holder: Holder) -> None:
    today = timezone.localdate()
    send_all(today)
    assert sent(f"anchoring-task:{holder.overdue_task.pk}:overdue") == ["viewer@example.org"]
    assert not sent(f"anchoring-task:{holder.task.pk}:due-soon")  # 20 days away
    holder.task.done_at = timezone.now()
    holder.task.save()
    send_all(today + datetime.timedelta(days=15))
    assert not ReminderSent.objects.filter(key__startswith=f"anchoring-task:{holder.task.pk}:").exists()


def test_inactive_accounts_and_former_holders_get_nothing(world: World, holder: Holder) -> None:
    world.users["viewer"].is_active = False
    world.users["viewer"].save()
    other = make_user("vera.vik@example.org")
    send_all(timezone.localdate())
    assert not sent(f"anchoring-task:{holder.overdue_task.pk}:overdue")
    assert not ReminderSent.objects.filter(recipient=other).exists()
    assert Membership.objects.filter(user=world.users["viewer"]).exists()  # nothing else was touched


def test_a_new_package_gets_no_due_soon_mails_beside_the_package_mail(world: World, holder: Holder) -> None:
    today = timezone.localdate()
    person = Person.objects.create(municipality=holder.role.municipality, name="Nils Ny", email="editor@example.org")
    holding = Holding.objects.create(role=holder.role, person=person, starts_on=today)
    tasks = anchoring.create_package(holding, by=world.users["admin"], today=today)
    first = min(tasks, key=lambda t: t.due_on)
    assert first.due_on <= today + datetime.timedelta(days=7)
    send_all(today)
    assert not ReminderSent.objects.filter(key__startswith=f"anchoring-task:{first.pk}:").exists()
    send_all(first.due_on + datetime.timedelta(days=1))
    assert sent(f"anchoring-task:{first.pk}:overdue") == ["editor@example.org"]


def test_a_recurring_task_is_mailed_to_its_assignee_once_when_assigned(world: World) -> None:
    day = datetime.date(2026, 3, 1)  # the yearly review of 2027 is due 31 January, far ahead
    holder = make_holder("viewer@example.org", today=day)
    send_all(day)
    review = AnchoringTask.objects.get(origin=Origin.YEARLY, period="2027")
    assert review.assignee == holder.person
    assert sent(f"anchoring-task:{review.pk}:assigned") == ["viewer@example.org"]
    mails = len(mail.outbox)
    send_all(day)
    assert len(mail.outbox) == mails  # idempotent: not twice
    assert ReminderSent.objects.filter(key=f"anchoring-task:{review.pk}:assigned").count() == 1
    assert not ReminderSent.objects.filter(
        key=f"anchoring-task:{holder.task.pk}:assigned"
    ).exists()  # packages have their own mail
