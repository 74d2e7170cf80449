"""The plan register: plans, documents, assessments from both sides, publication, maturity and
reminders. Sortland (1870) is the own municipality; Fauske's editor is the outsider."""

import datetime
import io
from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lagspill.places.models import Municipality
from lagspill.plans import actions, maturity, summary
from lagspill.plans.models import (
    Assessment,
    CriteriaSet,
    Level,
    Maturity,
    Perspective,
    Plan,
    PlanDocument,
    Score,
    Status,
)
from lagspill.reminders.models import ReminderSent

from .builders import World

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: object) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    yield


def client_for(user: object | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def sortland() -> Municipality:
    return Municipality.objects.get(number="1870")


def make_plan(user: object, **extra: object) -> Plan:
    values = {
        "level": Level.HOUSING,
        "title": "Boligpolitisk plan 2025–2030",
        "period_start": 2025,
        "period_end": 2030,
        "status": Status.ADOPTED,
        "started_on": datetime.date(2024, 1, 10),
        "consultation_on": datetime.date(2024, 9, 1),
        "adopted_on": datetime.date(2025, 2, 1),
        "is_public": True,
        "created_by": user,
        **extra,
    }
    return Plan.objects.create(municipality=sortland(), **values)


def plan_url(name: str, plan: Plan, *args: object) -> str:
    return reverse(f"plans:{name}", args=[plan.municipality.number, plan.pk, *args])


def form_data(**overrides: object) -> dict:
    data = {
        "level": "boligplan",
        "kind": "boligpolitisk plan",
        "title": "Boligpolitisk plan for Sortland",
        "period_start": "2025",
        "period_end": "2030",
        "status": "vedtatt",
        "started_on": "2024-01-10",
        "consultation_on": "2024-09-01",
        "adopted_on": "2025-02-01",
        "revision_due": "2029-02-01",
        "case_number": "2024/123",
        "decision_url": "",
        "is_public": "on",
    }
    return {**data, **overrides}


def default_set() -> CriteriaSet:
    return CriteriaSet.objects.get(slug=CriteriaSet.DEFAULT, version=1)


def scores_post(assessment: Assessment, value: str) -> dict:
    data = {}
    for criterion in actions.applying_criteria(assessment):
        data[f"c{criterion.pk}_score"] = value
        data[f"c{criterion.pk}_quote"] = "Vi skal sikre boliger til vanskeligstilte."
        data[f"c{criterion.pk}_page"] = "4"
    return data


# Registering and changing plans


@pytest.mark.django_db
def test_it_registers_a_plan_for_an_editor(world: World) -> None:
    response = client_for(world.users["editor"]).post(reverse("plans:new_plan", args=["1870"]), form_data())
    plan = Plan.objects.get(municipality__number="1870")
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.created_by == world.users["editor"] and plan.status == Status.ADOPTED
    assert plan.history.first().history_user == world.users["editor"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"adopted_on": "2023-01-01"}, "adopted_on", "kan ikke være før datoen"),
        ({"period_start": "2030", "period_end": "2025"}, "period_end", "kan ikke slutte før den begynner"),
        ({"adopted_on": "", "revision_due": ""}, "adopted_on", "Oppgi datoen planen ble vedtatt"),
        ({"level": "nope"}, "level", "Velg et gyldig valg"),
    ],
)
def test_it_refuses_bad_plan_input_and_stores_nothing(world: World, overrides: dict, field: str, message: str) -> None:
    response = client_for(world.users["editor"]).post(reverse("plans:new_plan", args=["1870"]), form_data(**overrides))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_it_explains_errors_in_norwegian(world: World) -> None:
    client = client_for(world.users["editor"])
    response = client.post(reverse("plans:new_plan", args=["1870"]), form_data(adopted_on="2023-01-01"))
    assert "kan ikke være før" in response.content.decode()


@pytest.mark.django_db
def test_it_keeps_a_withdrawn_plan_for_the_municipality_only(world: World) -> None:
    plan = make_plan(world.users["editor"])
    response = client_for(world.users["editor"]).post(plan_url("withdraw_plan", plan))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.withdrawn_at is not None
    assert client_for(None).get(plan.get_absolute_url()).status_code == 404
    assert client_for(world.users["viewer"]).get(plan.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_it_hides_a_non_public_plan_from_outsiders(world: World) -> None:
    hidden = make_plan(world.users["editor"], title="Utkast til boligplan", is_public=False)
    shown = make_plan(world.users["editor"], title="Planstrategi 2024–2027", level=Level.STRATEGY)
    register = reverse("plans:register", args=["1870"])
    for role, sees in [
        ("anonymous", False),
        ("outsider", False),
        ("user_org", False),
        ("viewer", True),
        ("county_governor", True),
        ("housing_bank", True),
    ]:
        client = client_for(None if role == "anonymous" else world.users[role])
        page = client.get(register).content.decode()
        assert (hidden.title in page) is sees, role
        assert shown.title in page
        assert client.get(hidden.get_absolute_url()).status_code == (200 if sees else 404), role


@pytest.mark.django_db
def test_the_register_runs_a_bounded_number_of_queries(world: World) -> None:
    client = client_for(world.users["county_governor"])
    url = reverse("plans:register", args=["1870"])
    first = actions.start_assessment(world.users["editor"], make_plan(world.users["editor"]), default_set())
    fill(first, Perspective.SELF, world.users["editor"], 1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        plan = make_plan(world.users["editor"], title=f"Plan {n}", level=list(Level)[n % 6])
        assessment = actions.start_assessment(world.users["editor"], plan, default_set())
        fill(assessment, Perspective.SELF, world.users["editor"], 2)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few) <= 20


# Documents


@pytest.mark.django_db
def test_it_stores_a_pdf_and_serves_it_through_the_access_module(world: World) -> None:
    plan = make_plan(world.users["editor"], is_public=False)
    upload = SimpleUploadedFile("vedtak.pdf", PDF, content_type="application/pdf")
    response = client_for(world.users["editor"]).post(
        plan_url("upload_document", plan), {"title": "Vedtak", "file": upload}
    )
    assert response.status_code == 302
    document = PlanDocument.objects.get(plan=plan)
    assert document.size == len(PDF) and len(document.sha256) == 64
    assert "vedtak" not in document.file.name  # our name, not the uploader's
    url = document.get_absolute_url()
    served = client_for(world.users["county_governor"]).get(url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    assert served["Content-Type"] == "application/pdf"
    assert client_for(world.users["outsider"]).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "plan.pdf", "ikke et PDF-dokument"),
        (b"<html>%PDF-</html>", "plan.pdf", "ikke et PDF-dokument"),
        (PDF[:-7] + b"0" * (20 * 1024 * 1024), "stor.pdf", "Filen er 20,0 MB; grensen er 20 MB"),
    ],
)
def test_it_refuses_a_wrong_or_oversized_file_and_stores_nothing(
    world: World, content: bytes, name: str, message: str
) -> None:
    plan = make_plan(world.users["editor"])
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client_for(world.users["editor"]).post(
        plan_url("upload_document", plan), {"title": "Vedlegg", "file": upload}
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["document_form"].errors["file"])
    assert not PlanDocument.objects.exists()


@pytest.mark.django_db
def test_a_viewer_cannot_upload(world: World) -> None:
    plan = make_plan(world.users["editor"])
    upload = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    response = client_for(world.users["viewer"]).post(plan_url("upload_document", plan), {"title": "A", "file": upload})
    assert response.status_code == 403
    assert not PlanDocument.objects.exists()


# Assessments


def fill(assessment: Assessment, perspective: str, user: object, value: int) -> None:
    criteria = actions.applying_criteria(assessment)
    values = {c: {"score": value, "evidence_quote": "", "evidence_page": "", "evidence_url": ""} for c in criteria}
    actions.save_scores(user, assessment, perspective, values)


@pytest.mark.django_db
def test_the_whole_assessment_round(world: World) -> None:
    editor, governor = world.users["editor"], world.users["county_governor"]
    plan = make_plan(editor)
    municipality_client, governor_client = client_for(editor), client_for(governor)
    response = municipality_client.post(plan_url("start_assessment", plan), {"criteria_set": default_set().pk})
    assessment = Assessment.objects.get(plan=plan)
    assert response["Location"] == assessment.get_absolute_url()

    own = plan_url("score", plan, assessment.pk, "egen")
    assert municipality_client.post(own, scores_post(assessment, "2")).status_code == 302
    assert governor_client.get(own).status_code == 403  # the County Governor does not write the municipality's scores
    municipality_client.post(plan_url("mark_done", plan, assessment.pk, "egen"))
    review = plan_url("score", plan, assessment.pk, "statsforvalter")
    assert municipality_client.post(review, scores_post(assessment, "3")).status_code == 403
    data = scores_post(assessment, "1")
    assert governor_client.post(review, data).status_code == 302
    governor_client.post(plan_url("mark_done", plan, assessment.pk, "statsforvalter"))

    criterion = actions.applying_criteria(assessment)[0]
    reply = governor_client.post(
        plan_url("comment", plan, assessment.pk), {"criterion": criterion.pk, "body": "Tiltakene mangler eier."}
    )
    assert reply.status_code == 302, reply
    municipality_client.post(
        plan_url("comment", plan, assessment.pk),
        {"criterion": criterion.pk, "body": "Eier er boligkoordinator, se side 12."},
    )
    page = governor_client.get(assessment.get_absolute_url())
    view = page.context["view"]
    assert view.differing == len(view.rows)  # 2 against 1 on every criterion: all flagged
    assert [c.perspective for c in view.rows[0].comments] == [Perspective.REVIEW, Perspective.SELF]
    assert "differ by 1 point" in page.content.decode() or "skiller seg med 1 poeng" in page.content.decode()

    assert municipality_client.post(plan_url("publish", plan, assessment.pk)).status_code == 403
    assert governor_client.post(plan_url("publish", plan, assessment.pk)).status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_locked and assessment.published_by == governor
    assert municipality_client.post(own, scores_post(assessment, "3")).status_code == 403
    assert set(
        Score.objects.filter(assessment=assessment, perspective=Perspective.SELF).values_list("score", flat=True)
    ) == {2}
    assert client_for(None).get(assessment.get_absolute_url()).status_code == 200
    latest = Maturity.objects.filter(municipality__number="1870").last()
    assert latest is not None and latest.year == timezone.localdate().year


@pytest.mark.django_db
def test_a_score_outside_the_scale_is_refused_and_nothing_changes(world: World) -> None:
    plan = make_plan(world.users["editor"])
    assessment = actions.start_assessment(world.users["editor"], plan, default_set())
    data = scores_post(assessment, "2")
    first = actions.applying_criteria(assessment)[0]
    data[f"c{first.pk}_score"] = "4"
    response = client_for(world.users["editor"]).post(plan_url("score", plan, assessment.pk, "egen"), data)
    assert response.status_code == 400
    assert (
        "The score must be 0, 1, 2 or 3." in response.content.decode() or "0, 1, 2 eller 3" in response.content.decode()
    )
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_the_review_must_be_complete_and_the_plan_public_before_publishing(world: World) -> None:
    plan = make_plan(world.users["editor"], is_public=False)
    assessment = actions.start_assessment(world.users["editor"], plan, default_set())
    governor = client_for(world.users["county_governor"])
    governor.post(plan_url("publish", plan, assessment.pk))
    assessment.refresh_from_db()
    assert assessment.published_at is None
    fill(assessment, Perspective.REVIEW, world.users["county_governor"], 2)
    actions.mark_done(assessment, Perspective.REVIEW)
    governor.post(plan_url("publish", plan, assessment.pk))
    assessment.refresh_from_db()
    assert assessment.published_at is None  # a non-public plan's assessment stays unpublished
    assert not Maturity.objects.filter(municipality__number="1870").exists()


@pytest.mark.django_db
def test_an_unpublished_assessment_is_private(world: World) -> None:
    plan = make_plan(world.users["editor"])
    assessment = actions.start_assessment(world.users["editor"], plan, default_set())
    url = assessment.get_absolute_url()
    assert client_for(None).get(url).status_code == 404
    assert client_for(world.users["outsider"]).get(url).status_code == 404
    assert client_for(world.users["county_governor"]).get(url).status_code == 200


# Maturity and the status paragraph


def published(plan: Plan, user: object, governor: object, value: int, on: datetime.date) -> Assessment:
    assessment = actions.start_assessment(user, plan, default_set())
    Assessment.objects.filter(pk=assessment.pk).update(assessed_on=on)
    assessment.refresh_from_db()
    fill(assessment, Perspective.SELF, user, value)
    fill(assessment, Perspective.REVIEW, governor, value)
    actions.mark_done(assessment, Perspective.REVIEW)
    actions.publish(governor, assessment)
    return assessment


@pytest.mark.django_db
def test_maturity_rises_from_baseline_as_plans_are_adopted_and_assessed(world: World) -> None:
    editor, governor = world.users["editor"], world.users["county_governor"]
    housing = make_plan(
        editor, status=Status.PREPARING, adopted_on=None, consultation_on=None, started_on=datetime.date(2018, 3, 1)
    )
    published(housing, editor, governor, 1, datetime.date(2018, 6, 1))
    housing.status, housing.consultation_on, housing.adopted_on = (
        Status.ADOPTED,
        datetime.date(2021, 9, 1),
        datetime.date(2022, 3, 1),
    )
    housing.save()
    strategy = make_plan(
        editor,
        level=Level.STRATEGY,
        title="Planstrategi 2020–2023",
        adopted_on=datetime.date(2020, 10, 1),
        consultation_on=None,
        started_on=None,
    )
    published(housing, editor, governor, 3, datetime.date(2022, 6, 1))
    published(strategy, editor, governor, 3, datetime.date(2022, 6, 1))
    series = {m.year: m.score for m in Maturity.objects.filter(municipality__number="1870")}
    assert min(series) == 2018 and max(series) == timezone.localdate().year
    # 2018: housing plan being prepared (factor 0.25), 1 of 3 on its criteria, weight 1.5 of 5.0
    assert series[2018] == pytest.approx(round(100 * 1.5 * (1 / 3) * 0.25 / 5.0, 1))
    assert series[2022] > series[2021] > series[2018]
    # 2022: housing (1.5) and strategy (1.0) fully met and adopted
    assert series[2022] == pytest.approx(100 * 2.5 / 5.0)


def paragraph_text(client: Client) -> str:
    parts = client.get(reverse("plans:register", args=["1870"])).context["paragraph"]
    return " ".join(sentence for part in parts for sentence in part)


@pytest.mark.django_db
def test_the_status_paragraph_states_the_plans_and_maturity(world: World) -> None:
    editor, governor = world.users["editor"], world.users["county_governor"]
    strategy = make_plan(
        editor, level=Level.STRATEGY, title="Planstrategi 2024–2027", adopted_on=datetime.date(2024, 6, 20)
    )
    published(strategy, editor, governor, 3, datetime.date(2024, 9, 1))
    client = client_for(None)
    text = paragraph_text(client)
    assert "Planstrategi 2024–2027" in text and "20. juni 2024" in text
    assert "Ingen plan er registrert" in text  # the master plan levels are empty
    client.cookies["lagspill_language"] = "en"
    english = paragraph_text(client)
    assert "was adopted on June 20, 2024" in english and "3 of 3" in english
    assert "Planning maturity is" in english


@pytest.mark.django_db
def test_no_assessment_means_no_maturity_not_zero(world: World) -> None:
    make_plan(world.users["editor"])
    assert maturity.recompute(sortland()) == []
    assert summary.maturity_sentence([]).startswith(
        "Ingen vurdering er publisert"
    ) or "not computed" in summary.maturity_sentence([])


# Reminders


@pytest.mark.django_db
def test_a_revision_due_soon_is_shown_and_mailed_once(world: World) -> None:
    today = timezone.localdate()
    plan = make_plan(world.users["editor"], revision_due=today + datetime.timedelta(days=60))
    page = client_for(world.users["editor"]).get(reverse("plans:register", args=["1870"]))
    assert any(r.plan == plan and not r.overdue for r in page.context["reminders"])
    call_command("send_reminders", stdout=io.StringIO())
    sent_to = sorted(address for message in mail.outbox for address in message.to if plan.title in message.body)
    assert sent_to == ["admin@example.org", "editor@example.org"]  # editors and admins, not viewers
    before = len(mail.outbox)
    call_command("send_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == before  # never the same reminder twice
    assert ReminderSent.objects.filter(key__contains=f"plan:{plan.pk}:").count() == 2


@pytest.mark.django_db
def test_a_revision_far_ahead_is_not_a_reminder(world: World) -> None:
    make_plan(world.users["editor"], revision_due=timezone.localdate() + datetime.timedelta(days=200))
    page = client_for(world.users["editor"]).get(reverse("plans:register", args=["1870"]))
    assert not [r for r in page.context["reminders"] if r.kind == "revision"]


@pytest.mark.django_db
def test_the_planning_strategy_is_due_after_the_election(world: World) -> None:
    from lagspill.plans.reminders import strategy_reminder

    municipality = sortland()
    day = datetime.date(2024, 8, 15)  # after the 2023 election, before the deadline
    reminder = strategy_reminder(municipality, [], day)
    assert reminder.due == datetime.date(2024, 10, 31) and reminder.election_year == 2023 and not reminder.overdue
    adopted = make_plan(world.users["editor"], level=Level.STRATEGY, adopted_on=datetime.date(2024, 5, 2))
    assert strategy_reminder(municipality, [adopted], day) is None
    older = make_plan(world.users["editor"], level=Level.STRATEGY, adopted_on=datetime.date(2020, 5, 2))
    assert strategy_reminder(municipality, [older], datetime.date(2025, 1, 5)).overdue
