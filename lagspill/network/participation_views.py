"""User participation pages: give input on a plan or a measure, withdraw it, record how it was used, and
the list of plans and measures open for input. Each view: fetch through the access module, call an
action or a query, render. The input section of the plan and measure pages is the template tag
`{% participation_for subject as participation %}` (templatetags/participation_tags.py)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lagspill.measures.models import Measure
from lagspill.organisations import access
from lagspill.plans.models import Plan

from . import participation
from . import participation_actions as actions
from .models import Input
from .participation_forms import CountyFilter, InputForm, UseForm

GET_POST = require_http_methods(["GET", "POST"])


def input_url(subject: Plan | Measure) -> str:
    return subject.get_absolute_url() + "#innspill"


def with_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def input_or_404(request: HttpRequest, pk: int) -> Input:
    rows = Input.objects.select_related(
        "plan__municipality__county", "measure__municipality__county", "organisation", "author", "used_by"
    )
    return access.get_or_404(request.user, rows, pk=pk)


def give(request: HttpRequest, subject: Plan | Measure) -> HttpResponse:
    """The form on the subject's page posts here; a form with errors comes back on a page of its own."""
    organisations = participation.speaking_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    if reason := participation.closed_reason(subject):
        messages.error(request, reason)
        return redirect(input_url(subject))
    form = InputForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            actions.give_input(subject, form.chosen_organisation(), form.cleaned_data["body"], by=request.user)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("Your input is given. The municipality will record how it is used."))
            return redirect(input_url(subject))
    context = {"subject": subject, "municipality": subject.municipality, "form": form}
    return render(request, "network/participation/give.html", context, status=400 if form.errors else 200)


@login_required
@GET_POST
def give_plan_input(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    plans = Plan.objects.select_related("municipality__county")
    return give(request, access.get_or_404(request.user, plans, pk=pk, municipality__number=number))


@login_required
@GET_POST
def give_measure_input(request: HttpRequest, pk: int) -> HttpResponse:
    measures = Measure.objects.select_related("municipality__county")
    return give(request, access.get_or_404(request.user, measures, pk=pk))


@login_required
@require_POST
def withdraw_input(request: HttpRequest, pk: int) -> HttpResponse:
    found = input_or_404(request, pk)
    if not access.withdraws_input(request.user, found):
        raise PermissionDenied
    try:
        actions.withdraw_input(found, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your input is withdrawn. It is kept, but no longer shown to the public."))
    return redirect(input_url(found.subject))


def use_history(found: Input) -> list[Any]:
    """Every recorded use, newest first, with who recorded it and when (from the history)."""
    records = found.history.select_related("history_user").exclude(use="").order_by("-history_date", "-history_id")
    versions, previous = [], None
    for record in reversed(list(records)):
        if (record.use, record.use_reason) != previous:
            versions.append(record)
            previous = (record.use, record.use_reason)
    return versions[::-1]


@login_required
@GET_POST
def record_use(request: HttpRequest, pk: int) -> HttpResponse:
    found = input_or_404(request, pk)
    if found.withdrawn_at is not None and access.edits_municipality(request.user, found.municipality):
        messages.error(request, _("The input is withdrawn; its use can no longer be recorded."))
        return redirect(input_url(found.subject))
    if not access.records_use(request.user, found):
        raise PermissionDenied
    initial = {"use": found.use, "reason": found.use_reason}
    form = UseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_use(found, data["use"], data["reason"], by=request.user)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("How the input was used is saved."))
            return redirect(input_url(found.subject))
    context = {
        "input": found,
        "subject": found.subject,
        "municipality": found.municipality,
        "form": form,
        "versions": use_history(found),
    }
    return render(request, "network/participation/record_use.html", context, status=400 if form.errors else 200)


@require_GET
def consultations(request: HttpRequest) -> HttpResponse:
    form = CountyFilter(request.GET or None)
    county = form.cleaned_data["fylke"] if form.is_valid() else None
    organisations = participation.speaking_organisations(request.user)
    context = {
        "form": form,
        "county": county,
        "plans": list(participation.open_plans(county, organisations)),
        "measures": list(participation.open_measures(county, organisations)),
        "organisations": organisations,
    }
    return render(request, "network/participation/consultations.html", context)
