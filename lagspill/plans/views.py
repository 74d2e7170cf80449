"""The plan register, plan pages, documents and assessments. Each view: fetch through the access
module, call a query or an action, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from lagspill.organisations import access
from lagspill.places.models import Municipality

from . import actions, assessments, charts, goal_views, queries, reminders, summary
from .forms import CommentForm, DocumentForm, PlanForm, ScoresForm, StartAssessmentForm
from .models import CORE_LEVELS, STATUS_FACTOR, Assessment, Level, Perspective, Plan, PlanDocument

SIDES = {Perspective.SELF.value: Perspective.SELF, Perspective.REVIEW.value: Perspective.REVIEW}


def municipality_or_404(request: HttpRequest, number: str) -> Municipality:
    return access.get_or_404(request.user, Municipality.objects.select_related("county"), number=number)


def plan_or_404(request: HttpRequest, number: str, pk: int, action: str = "view") -> Plan:
    plans = Plan.objects.select_related("municipality__county", "created_by")
    return access.get_or_404(request.user, plans, action, pk=pk, municipality__number=number)


def assessment_or_404(request: HttpRequest, number: str, pk: int, aid: int) -> Assessment:
    rows = Assessment.objects.select_related("plan__municipality__county", "criteria_set", "published_by")
    return access.get_or_404(request.user, rows, pk=aid, plan__pk=pk, plan__municipality__number=number)


@require_GET
def register(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_or_404(request, number)
    plans = queries.visible_plans(request.user, municipality)
    levels, others = queries.by_level(plans)
    series = queries.maturity_series(municipality)
    private = access.sees_municipality_private(request.user, municipality)
    context = {
        "municipality": municipality,
        "levels": levels,
        "others": others,
        "maturity": series,
        "maturity_spec": charts.maturity(series, municipality) if series else None,
        "paragraph": summary.paragraph(municipality, plans, series),
        "reminders": reminders.for_municipality(municipality, plans, timezone.localdate()) if private else [],
        "withdrawn": queries.visible_plans(request.user, municipality, withdrawn=True) if private else [],
        "may_edit": access.edits_municipality(request.user, municipality),
    }
    return render(request, "plans/register.html", context)


@login_required
def new_plan(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_or_404(request, number)
    access.require(request.user, "change", Plan(municipality=municipality))
    form = PlanForm(request.POST or None, initial={"level": request.GET.get("niva")})
    if request.method == "POST" and form.is_valid():
        plan = actions.save_plan(form, request.user, municipality)
        messages.success(request, _("The plan “%(title)s” is registered.") % {"title": plan.title})
        return redirect(plan)
    context = {"municipality": municipality, "form": form, "plan": None}
    return render(request, "plans/plan_form.html", context, status=400 if form.errors else 200)


@login_required
def edit_plan(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    plan = plan_or_404(request, number, pk, "change")
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        actions.save_plan(form, request.user, plan.municipality)
        messages.success(request, _("The plan is saved."))
        return redirect(plan)
    context = {"municipality": plan.municipality, "form": form, "plan": plan}
    return render(request, "plans/plan_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def withdraw_plan(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    plan = plan_or_404(request, number, pk, "change")
    actions.withdraw_plan(plan)
    messages.success(request, _("The plan is withdrawn. It is kept, with its history, under “Withdrawn plans”."))
    return redirect("plans:register", number=number)


@require_GET
def plan(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    plan = plan_or_404(request, number, pk)
    return render_plan(request, plan, DocumentForm())


def render_plan(request: HttpRequest, plan: Plan, document_form: DocumentForm, status: int = 200) -> HttpResponse:
    context = {
        "municipality": plan.municipality,
        "plan": plan,
        "documents": queries.documents(request.user, plan),
        "assessments": list(access.visible(request.user, plan.assessments.select_related("criteria_set"))),
        "may_edit": access.can(request.user, "change", plan),
        "may_start": assessments.may_start(request.user, plan),
        "document_form": document_form,
        "start_form": StartAssessmentForm(county=plan.municipality.county),
        **goal_views.plan_goals(request.user, plan),
    }
    return render(request, "plans/plan.html", context, status=status)


@login_required
@require_GET
def plan_history(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    plan = plan_or_404(request, number, pk)
    if not access.sees_municipality_private(request.user, plan.municipality):
        raise Http404
    records = plan.history.select_related("history_user").order_by("-history_date")
    return render(request, "plans/history.html", {"municipality": plan.municipality, "plan": plan, "records": records})


@login_required
@require_POST
def upload_document(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    plan = plan_or_404(request, number, pk, "change")
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_plan(request, plan, form, status=400)
    document = actions.add_document(form, request.user, plan)
    messages.success(request, _("The document “%(title)s” is stored.") % {"title": document.title})
    return redirect(plan)


def document_or_404(request: HttpRequest, number: str, pk: int, doc: int, action: str = "view") -> PlanDocument:
    rows = PlanDocument.objects.select_related("plan__municipality")
    return access.get_or_404(request.user, rows, action, pk=doc, plan__pk=pk, plan__municipality__number=number)


@require_GET
def document(request: HttpRequest, number: str, pk: int, doc: int) -> FileResponse:
    document = document_or_404(request, number, pk, doc)
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{document.plan_id}-{document.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    if not (document.plan.is_public and document.withdrawn_at is None):
        response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def withdraw_document(request: HttpRequest, number: str, pk: int, doc: int) -> HttpResponse:
    document = document_or_404(request, number, pk, doc, "change")
    actions.withdraw_document(document)
    messages.success(request, _("The document is withdrawn; it is kept for the municipality and the County Governor."))
    return redirect(document.plan)


@login_required
@require_POST
def start_assessment(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    plan = plan_or_404(request, number, pk)
    if not assessments.may_start(request.user, plan):
        raise PermissionDenied
    form = StartAssessmentForm(request.POST, county=plan.municipality.county)
    if not form.is_valid():
        messages.error(request, _("Choose a criteria set."))
        return redirect(plan)
    try:
        assessment = actions.start_assessment(request.user, plan, form.cleaned_data["criteria_set"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(plan)
    return redirect(assessment)


@require_GET
def assessment(request: HttpRequest, number: str, pk: int, aid: int) -> HttpResponse:
    assessment = assessment_or_404(request, number, pk, aid)
    view = assessments.side_by_side(request.user, assessment)
    context = {
        "municipality": assessment.plan.municipality,
        "plan": assessment.plan,
        "assessment": assessment,
        "view": view,
        "comment_form": CommentForm(criteria=view.criteria) if view.may_comment else None,
    }
    return render(request, "plans/assessment.html", context)


def side_or_404(side: str) -> str:
    if side not in SIDES:
        raise Http404
    return SIDES[side]


@login_required
def score_form(request: HttpRequest, number: str, pk: int, aid: int, side: str) -> HttpResponse:
    assessment = assessment_or_404(request, number, pk, aid)
    perspective = side_or_404(side)
    if not access.may_score(request.user, assessment, perspective):
        raise PermissionDenied
    criteria = actions.applying_criteria(assessment)
    current = {s.criterion_id: s for s in assessment.scores.filter(perspective=perspective)}
    form = ScoresForm(request.POST or None, criteria=criteria, initial_scores=current)
    if request.method == "POST" and form.is_valid():
        changed = actions.save_scores(request.user, assessment, perspective, form.values())
        message = ngettext("Saved: %(count)s criterion changed.", "Saved: %(count)s criteria changed.", changed)
        messages.success(request, message % {"count": changed})
        return redirect(assessment)
    context = {
        "municipality": assessment.plan.municipality,
        "plan": assessment.plan,
        "assessment": assessment,
        "perspective": perspective,
        "perspective_label": Perspective(perspective).label,
        "form": form,
    }
    return render(request, "plans/score_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def mark_done(request: HttpRequest, number: str, pk: int, aid: int, side: str) -> HttpResponse:
    assessment = assessment_or_404(request, number, pk, aid)
    perspective = side_or_404(side)
    if not access.may_score(request.user, assessment, perspective):
        raise PermissionDenied
    try:
        actions.mark_done(assessment, perspective)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Marked as done."))
    return redirect(assessment)


@login_required
@require_POST
def comment(request: HttpRequest, number: str, pk: int, aid: int) -> HttpResponse:
    assessment = assessment_or_404(request, number, pk, aid)
    perspective = assessments.commenting_side(request.user, assessment)
    if perspective is None:
        raise PermissionDenied
    form = CommentForm(request.POST, criteria=actions.applying_criteria(assessment))
    if form.is_valid():
        criterion = form.cleaned_data["criterion"]
        actions.add_comment(request.user, assessment, criterion, perspective, form.cleaned_data["body"])
        messages.success(request, _("Your comment is added."))
        return redirect(f"{assessment.get_absolute_url()}#kriterium-{criterion.pk}")
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(assessment)


@login_required
@require_POST
def publish(request: HttpRequest, number: str, pk: int, aid: int) -> HttpResponse:
    assessment = assessment_or_404(request, number, pk, aid)
    if not access.may_publish(request.user, assessment):
        raise PermissionDenied
    try:
        actions.publish(request.user, assessment)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The assessment is published and locked."))
    return redirect(assessment)


@require_GET
def method(request: HttpRequest) -> HttpResponse:
    context = {
        "levels": [(Level(level).label, weight) for level, weight in CORE_LEVELS.items()],
        "factors": [(status.label, STATUS_FACTOR[status]) for status in STATUS_FACTOR],
    }
    return render(request, "plans/method.html", context)
