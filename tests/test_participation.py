"""User participation: Marborg gives input on plans in public consultation and on open public measures;
Sortland records how each input was used, with a reason, and may change it later (history keeps every
version); the public plan page summarises the input; the plan assessment's user-participation criterion
shows the facts; mail goes to the right people; pages run a bounded number of queries."""

import re
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lagspill.measures.models import Measure
from lagspill.network import participation
from lagspill.network import participation_actions as actions
from lagspill.network.models import Input, Use
from lagspill.network.participation_demo import ensure_demo_participation
from lagspill.organisations.demo import ensure_demo
from lagspill.organisations.models import Kind, Organisation, Role
from lagspill.places.models import Municipality
from lagspill.plans import actions as plan_actions
from lagspill.plans.demo import ensure_demo_plans
from lagspill.plans.models import CriteriaSet, Plan

from .builders import World, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Any:
    with translation.override("en"):
        yield


def client_for(user: object | None) -> Client:
    client = Client()
    client.cookies["lagspill_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def make_plan(status: str = "horing", *, public: bool = True, number: str = "1870", title: str = "Boligplan") -> Plan:
    return Plan.objects.create(
        municipality=Municipality.objects.get(number=number),
        level="boligplan",
        title=title,
        status=status,
        is_public=public,
    )


def make_measure(status: str = "pagar", *, public: bool = True) -> Measure:
    return Measure.objects.create(
        municipality=Municipality.objects.get(number="1870"),
        title="Boligsosial veiledning",
        target_group="alle",
        completion_criterion="Har alle fått veiledning?",
        status=status,
        is_public=public,
    )


def give(world: World, subject: Plan | Measure, body: str = "Husk brukerne.") -> Input:
    return actions.give_input(subject, world.user_org, body, by=world.users["user_org"], notify=False)


def give_url(subject: Plan | Measure) -> str:
    if isinstance(subject, Plan):
        return reverse("network:give_plan_input", args=[subject.municipality.number, subject.pk])
    return reverse("network:give_measure_input", args=[subject.pk])


def page_of(user: object | None, subject: Plan | Measure) -> str:
    response = client_for(user).get(subject.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# Giving input


def test_marborg_gives_input_on_a_plan_in_public_consultation(world: World) -> None:
    plan = make_plan()
    marborg = world.users["user_org"]
    page = page_of(marborg, plan)
    assert "Give input" in page and "You give the input as Marborg." in page
    response = client_for(marborg).post(give_url(plan), {"body": "  Ta med oppfølging i bolig.  "})
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url() + "#innspill"
    stored = Input.objects.get()
    assert (stored.plan, stored.organisation, stored.author, stored.body) == (
        plan,
        world.user_org,
        marborg,
        "Ta med oppfølging i bolig.",
    )
    assert stored.history.get().history_user == marborg
    public = page_of(None, plan)
    assert "Ta med oppfølging i bolig." in public and "Marborg" in public and "Not answered yet" in public


def test_input_on_an_adopted_plan_is_refused_with_a_message_and_nothing_is_stored(world: World) -> None:
    plan = make_plan("vedtatt")
    client = client_for(world.users["user_org"])
    response = client.post(give_url(plan), {"body": "For sent?"}, follow=True)
    assert "Input can be given while the plan is on public consultation." in response.content.decode()
    assert not Input.objects.exists()
    page = page_of(world.users["user_org"], plan)
    assert "Input can be given while the plan is on public consultation." in page and 'name="body"' not in page
    with pytest.raises(ValidationError, match="public consultation"):
        give(world, plan)
    assert not Input.objects.exists()


def test_an_empty_input_comes_back_with_the_error_and_nothing_is_stored(world: World) -> None:
    response = client_for(world.users["user_org"]).post(give_url(make_plan()), {"body": "   "})
    assert response.status_code == 400 and "Write your input." in response.content.decode()
    assert not Input.objects.exists()


def test_only_editors_of_a_user_organisation_give_input(world: World) -> None:
    plan = make_plan()
    reader = member("brukar.leser@example.org", world.user_org, Role.VIEWER)
    assert client_for(reader).post(give_url(plan), {"body": "Hei"}).status_code == 403
    assert "Editors of your organisation can give input" in page_of(reader, plan)
    for role in ("editor", "county_governor", "superuser"):
        assert client_for(world.users[role]).post(give_url(plan), {"body": "Hei"}).status_code == 403, role
    assert "Input is given by user organisations" in page_of(world.users["editor"], plan)
    with pytest.raises(ValidationError, match="user organisation you are an editor of"):
        actions.give_input(plan, world.user_org, "Hei", by=reader, notify=False)
    private = make_plan(public=False, title="Intern plan")
    assert client_for(world.users["user_org"]).post(give_url(private), {"body": "Hei"}).status_code == 404
    assert not Input.objects.exists()


def test_a_person_in_two_user_organisations_chooses_which_one_speaks(world: World) -> None:
    other = Organisation.objects.create(slug="rio", name="RIO", kind=Kind.USER_ORGANISATION)
    marborg = world.users["user_org"]
    other.memberships.create(user=marborg, role=Role.EDITOR)
    plan = make_plan()
    page = page_of(marborg, plan)
    assert "Give the input as" in page and ">RIO<" in page
    response = client_for(marborg).post(give_url(plan), {"organisation": other.pk, "body": "Fra RIO"})
    assert response.status_code == 302 and Input.objects.get().organisation == other
    foreign = Organisation.objects.create(slug="annen", name="Annen", kind=Kind.USER_ORGANISATION)
    response = client_for(marborg).post(give_url(plan), {"organisation": foreign.pk, "body": "Lurt"})
    assert response.status_code == 400 and Input.objects.count() == 1


def test_input_on_measures_open_and_closed(world: World) -> None:
    open_measure, done = make_measure(), make_measure("fullfort")
    client = client_for(world.users["user_org"])
    assert client.post(give_url(open_measure), {"body": "Bra tiltak"}).status_code == 302
    response = client.post(give_url(done), {"body": "For sent"}, follow=True)
    assert "Input can be given on public measures that are not completed or stopped." in response.content.decode()
    assert list(Input.objects.values_list("measure", flat=True)) == [open_measure.pk]
    page = page_of(None, open_measure)
    assert "Bra tiltak" in page and "Marborg" in page


# Recording the use


def test_recording_the_use_needs_a_reason(world: World) -> None:
    input_ = give(world, make_plan())
    url = reverse("network:record_use", args=[input_.pk])
    response = client_for(world.users["editor"]).post(url, {"use": Use.TAKEN, "reason": "  "})
    assert response.status_code == 400 and "Give the reason for how the input was used." in response.content.decode()
    with pytest.raises(ValidationError, match="reason"):
        actions.record_use(input_, Use.TAKEN, "", by=world.users["editor"], notify=False)
    input_.refresh_from_db()
    assert input_.use == "" and input_.used_by is None
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it too
        Input.objects.filter(pk=input_.pk).update(use=Use.TAKEN)


def test_changing_the_use_keeps_every_version_with_who_and_when(world: World) -> None:
    input_ = give(world, make_plan())
    editor, admin = world.users["editor"], world.users["admin"]
    url = reverse("network:record_use", args=[input_.pk])
    assert client_for(editor).post(url, {"use": Use.NOT, "reason": "Utenfor planens tema."}).status_code == 302
    assert client_for(admin).post(url, {"use": Use.PARTLY, "reason": "Tatt inn i tiltak 3."}).status_code == 302
    input_.refresh_from_db()
    assert (input_.use, input_.use_reason, input_.used_by) == (Use.PARTLY, "Tatt inn i tiltak 3.", admin)
    versions = list(input_.history.exclude(use="").order_by("history_date").values_list("use", "history_user"))
    assert versions == [(Use.NOT, editor.pk), (Use.PARTLY, admin.pk)]
    page = client_for(editor).get(url).content.decode()
    assert "Utenfor planens tema." in page and "Tatt inn i tiltak 3." in page
    assert page.index("Tatt inn i tiltak 3.") < page.index("Utenfor planens tema.")  # newest first
    assert "editor" in page and "admin" in page


def test_only_the_municipality_records_the_use(world: World) -> None:
    input_ = give(world, make_plan())
    url = reverse("network:record_use", args=[input_.pk])
    for role in ("viewer", "outsider", "county_governor", "user_org"):
        client = client_for(world.users[role])
        assert client.post(url, {"use": Use.TAKEN, "reason": "Ja"}).status_code == 403, role
    input_.refresh_from_db()
    assert input_.use == ""


# Withdrawing


def test_withdrawn_input_is_hidden_from_the_public_but_kept(world: World) -> None:
    plan = make_plan()
    input_ = give(world, plan, "Dette trekker vi.")
    url = reverse("network:withdraw_input", args=[input_.pk])
    assert client_for(world.users["editor"]).post(url).status_code == 403  # the municipality does not withdraw
    assert client_for(world.users["user_org"]).post(url).status_code == 302
    input_.refresh_from_db()
    assert input_.withdrawn_at is not None
    assert "Dette trekker vi." not in page_of(None, plan)
    assert "Dette trekker vi." not in page_of(world.users["outsider"], plan)
    own = page_of(world.users["user_org"], plan)
    assert "Dette trekker vi." in own and "Withdrawn" in own
    assert "Dette trekker vi." in page_of(world.users["editor"], plan)
    assert client_for(None).get(reverse("network:record_use", args=[input_.pk])).status_code == 302  # to log in


def test_input_whose_use_is_recorded_cannot_be_withdrawn(world: World) -> None:
    plan = make_plan()
    input_ = give(world, plan)
    actions.record_use(input_, Use.TAKEN, "Tatt inn.", by=world.users["editor"], notify=False)
    assert "Withdraw the input" not in page_of(world.users["user_org"], plan)
    response = client_for(world.users["user_org"]).post(
        reverse("network:withdraw_input", args=[input_.pk]), follow=True
    )
    assert "can no longer be withdrawn" in response.content.decode()
    input_.refresh_from_db()
    assert input_.withdrawn_at is None


# The public summary


def test_the_public_plan_page_summarises_the_input(world: World) -> None:
    plan = make_plan()
    uses = [(Use.TAKEN, "Tatt inn i mål 2."), (Use.TAKEN, "Nytt tiltak."), (Use.PARTLY, "Delvis."), (Use.NOT, "Nei.")]
    for index, (use, reason) in enumerate(uses):
        input_ = give(world, plan, f"Innspill {index}")
        actions.record_use(input_, use, reason, by=world.users["editor"], notify=False)
    give(world, plan, "Ubesvart innspill")
    withdrawn = give(world, plan, "Trukket innspill")
    actions.withdraw_input(withdrawn, by=world.users["user_org"])
    section = participation.section(None, plan)
    assert section.counts == {Use.TAKEN: 2, Use.PARTLY: 1, Use.NOT: 1, "ubesvart": 1}
    page = page_of(None, plan)
    rows = [
        ("Taken in", 2),
        ("Partly taken in", 1),
        ("Not taken in", 1),
        ("Not answered yet", 1),
    ]
    for label, count in rows:
        assert re.search(rf'<th scope="row">{label}</th>\s*<td>{count}</td>', page), label
    assert "Tatt inn i mål 2." in page and "Ubesvart innspill" in page and "Trukket innspill" not in page
    assert "brukar" not in page  # the organisation is named, not the person
    assert "brukar" in page_of(world.users["viewer"], plan)  # the municipality's insiders see who


def test_the_consultation_list_shows_open_plans_and_measures_with_their_input(world: World) -> None:
    open_plan, adopted = make_plan(title="Høringsplan"), make_plan("vedtatt", title="Vedtatt plan")
    hidden = make_plan(public=False, title="Intern høringsplan")
    fauske = make_plan(number="1841", title="Fauskeplan")
    oslo = make_plan(number="0301", title="Oslo-plan")
    measure, done = make_measure(), make_measure("fullfort")
    done.title = "Ferdig tiltak"
    done.save()
    give(world, open_plan)
    give(world, open_plan)
    give(world, measure)
    page = client_for(world.users["user_org"]).get(reverse("network:consultations")).content.decode()
    for shown in (open_plan, fauske, oslo, measure):
        assert shown.title in page
    for hidden_row in (adopted, hidden, done):
        assert hidden_row.title not in page
    assert "From your organisation" in page
    nordland = client_for(None).get(reverse("network:consultations"), {"fylke": "18"}).content.decode()
    assert "Fauskeplan" in nordland and "Oslo-plan" not in nordland and "From your organisation" not in nordland
    plans = list(participation.open_plans(None, []))
    assert {p.title: p.input_count for p in plans} == {"Høringsplan": 2, "Fauskeplan": 0, "Oslo-plan": 0}


def test_user_organisation_members_find_the_list_in_the_menu(world: World) -> None:
    link = f'href="{reverse("network:consultations")}"'
    assert link in client_for(world.users["user_org"]).get("/").content.decode()
    assert link not in client_for(world.users["editor"]).get("/").content.decode()
    county = client_for(None).get(reverse("places:county", args=["18"])).content.decode()
    assert f"{reverse('network:consultations')}?fylke=18" in county


# The assessment's user-participation criterion


def test_the_evidence_counts_input_and_its_use(world: World) -> None:
    plan = make_plan()
    assert participation.evidence_for(plan).note.startswith("No input from user organisations")
    for use in (Use.TAKEN, Use.TAKEN, Use.PARTLY):
        actions.record_use(give(world, plan), use, "Grunn", by=world.users["editor"], notify=False)
    evidence = participation.evidence_for(plan)
    assert evidence.note == "3 inputs from user organisations: 2 taken in, 1 partly; all answered"
    give(world, plan)
    actions.withdraw_input(give(world, plan), by=world.users["user_org"])
    evidence = participation.evidence_for(plan)
    assert (evidence.total, evidence.unanswered) == (4, 1)
    assert evidence.note == "4 inputs from user organisations: 2 taken in, 1 partly; 1 not answered yet"
    assert "(Marborg)" in evidence.suggestion


def test_the_assessment_shows_the_evidence_beside_the_criterion_and_suggests_a_text(world: World) -> None:
    plan = make_plan()
    actions.record_use(give(world, plan), Use.PARTLY, "Delvis", by=world.users["editor"], notify=False)
    criteria_set = CriteriaSet.objects.get(slug="standard", version=1)
    assessment = plan_actions.start_assessment(world.users["editor"], plan, criteria_set)
    note = "1 input from user organisations: 1 partly; all answered"
    page = client_for(world.users["county_governor"]).get(assessment.get_absolute_url()).content.decode()
    criterion = page.index("Have disadvantaged people and user organisations taken part")
    assert page.index(note) > criterion and page.count(note) == 1
    form_url = reverse("plans:score", args=["1870", plan.pk, assessment.pk, "statsforvalter"])
    form = client_for(world.users["county_governor"]).get(form_url).content.decode()
    assert note in form and "1 input from user organisations (Marborg) is registered in Lagspill" in form
    assert not assessment.scores.exists()  # the assessors decide: nothing is scored for them


# Mail


def test_mail_goes_to_the_municipality_and_back_to_the_organisation(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    plan = make_plan()
    member("sortland.leser2@example.org", world.sortland, Role.VIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        input_ = actions.give_input(plan, world.user_org, "Husk brukerne.", by=world.users["user_org"])
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@example.org", "editor@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees the others' addresses
    first = mail.outbox[0]
    assert "Marborg" in first.subject and "Husk brukerne." in first.body and "#innspill" in first.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_use(input_, Use.PARTLY, "Delvis tatt inn.", by=world.users["editor"])
    assert [m.to for m in mail.outbox] == [["brukar@example.org"]]
    assert "Delvis tatt inn." in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        actions.give_input(make_plan("vedtatt"), world.user_org, "Nei", by=world.users["user_org"])
    assert not mail.outbox


# Bounded queries


def count_queries(user: object | None, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client_for(user).get(url).status_code == 200
    return len(captured)


def test_the_plan_and_measure_pages_run_the_same_queries_however_many_inputs(world: World) -> None:
    plan, measure = make_plan(), make_measure()
    readers = [None, world.users["editor"], world.users["user_org"]]

    def grow(count: int) -> None:
        for _index in range(count):
            for subject in (plan, measure):
                input_ = give(world, subject)
                actions.record_use(input_, Use.TAKEN, "Ja", by=world.users["editor"], notify=False)

    def counts() -> list[int]:
        return [count_queries(u, s.get_absolute_url()) for u in readers for s in (plan, measure)]

    grow(1)
    few = counts()
    grow(8)
    assert counts() == few
    plan, measure = make_plan(title="Uten innspill"), make_measure()  # the section costs at most two queries
    none = counts()
    assert all(f - n <= 2 for f, n in zip(few, none, strict=True)), (few, none)


def test_the_consultation_list_and_the_assessment_run_bounded_queries(world: World) -> None:
    url = reverse("network:consultations")
    plan = make_plan()
    give(world, plan)
    few = count_queries(world.users["user_org"], url)
    for index in range(6):
        give(world, make_plan(title=f"Plan {index}"))
        give(world, make_measure())
    assert count_queries(world.users["user_org"], url) == few
    assessment = plan_actions.start_assessment(
        world.users["editor"], plan, CriteriaSet.objects.get(slug="standard", version=1)
    )
    before = count_queries(world.users["editor"], assessment.get_absolute_url())
    for _index in range(5):
        give(world, plan)
    assert count_queries(world.users["editor"], assessment.get_absolute_url()) == before


# Demo


@override_settings(DEMO=True)
def test_the_demo_gives_marborgs_input_on_a_demo_plan_once() -> None:
    ensure_demo()
    ensure_demo_plans()
    made = ensure_demo_participation()
    assert len(made) == 1 and ensure_demo_participation() == []
    input_ = made[0]
    assert input_.plan.is_demo and input_.plan.municipality.number == "1870" and input_.plan.status == "horing"
    assert input_.organisation.slug == "marborg" and input_.use == Use.PARTLY
    assert input_.body.startswith("Demo: ") and input_.use_reason.startswith("Demo: ")
    page = client_for(None).get(input_.plan.get_absolute_url()).content.decode()
    section = page[page.index('id="innspill"') :]
    assert "Demo" in section[: section.index(input_.body[:30])] and "Partly taken in" in section


def test_the_demo_needs_demo_mode() -> None:
    with pytest.raises(RuntimeError):
        ensure_demo_participation()
