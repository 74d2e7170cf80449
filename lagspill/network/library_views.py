"""Pages of the experience library: the list with search and filters, one practice (contact, tags,
documents, history), sharing a practice, changing and withdrawing it, and its documents. Each view:
fetch through the access module, call a query or an action, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lagspill.organisations import access

from . import files
from . import library_actions as actions
from . import library_queries as queries
from .library_forms import DocumentForm, FilterForm, NewPracticeForm, PracticeForm, sharing_organisations
from .models import Practice, PracticeDocument

GET_POST = require_http_methods(["GET", "POST"])


def practice_or_404(request: HttpRequest, pk: int, action: str = "view") -> Practice:
    rows = Practice.objects.select_related(
        "municipality__county", "county", "organisation", "contact_role__municipality__county", "created_by"
    )
    return access.get_or_404(request.user, rows, action, pk=pk)


def refuse_withdrawn(request: HttpRequest, practice: Practice) -> HttpResponse | None:
    """A withdrawn practice is kept as it was: changes are refused with a message, back on its page."""
    if practice.withdrawn_at is None:
        return None
    messages.error(request, _("The practice is withdrawn and can no longer be changed."))
    return redirect(practice)


def with_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@require_GET
def library(request: HttpRequest) -> HttpResponse:
    user = request.user
    counties, municipalities = queries.filter_choices(user)
    form = FilterForm(request.GET or None, counties=counties, municipalities=municipalities)
    chosen = form.chosen() if request.GET else {}
    found = queries.listing(user, chosen, request.GET.get("side"))
    context = {
        "form": form,
        "found": found,
        "filtered": bool(chosen),
        "query": chosen.get("q", ""),
        "may_share": user.is_authenticated and bool(sharing_organisations(user)),
    }
    return render(request, "network/library/list.html", context)


@require_GET
def practice(request: HttpRequest, pk: int) -> HttpResponse:
    found = practice_or_404(request, pk)
    return render_practice(request, found, DocumentForm())


def render_practice(request: HttpRequest, practice: Practice, form: DocumentForm, status: int = 200) -> HttpResponse:
    user = request.user
    may_change = access.changes_practice(user, practice)
    insider = user.is_authenticated and (may_change or access.sees_county_shared(user, practice.county))
    tags = list(practice.tags.all())
    context = {
        "practice": practice,
        "tags": queries.grouped_tags(tags),
        "contact": queries.contact(user, practice, timezone.localdate()),
        "documents": queries.documents(practice, with_withdrawn=may_change),
        "may_edit": may_change and practice.withdrawn_at is None,
        "document_form": form if may_change and practice.withdrawn_at is None else None,
        "changes": queries.changes(practice, with_withdrawn=may_change) if insider else None,
    }
    return render(request, "network/library/practice.html", context, status=status)


@login_required
@GET_POST
def new_practice(request: HttpRequest) -> HttpResponse:
    form = NewPracticeForm(request.POST or None, user=request.user)
    if not form.organisations:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.create_practice(form.practice_data(), **form.place(), by=request.user)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The practice “%(title)s” is shared.") % {"title": created.title})
            return redirect(created)
    context = {"form": form, "practice": None, "heading": _("Share a practice")}
    return render(request, "network/library/form.html", context, status=400 if form.errors else 200)


@login_required
@GET_POST
def edit_practice(request: HttpRequest, pk: int) -> HttpResponse:
    found = practice_or_404(request, pk, "change")
    if refused := refuse_withdrawn(request, found):
        return refused
    title = found.title
    places = [found.municipality] if found.municipality else []
    form = PracticeForm(request.POST or None, instance=found, user=request.user, role_municipalities=places)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_practice(found, form.practice_data(), by=request.user)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The practice is saved."))
            return redirect(found)
    context = {"form": form, "practice": found, "title": title, "heading": _("Change the practice")}
    return render(request, "network/library/form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def withdraw_practice(request: HttpRequest, pk: int) -> HttpResponse:
    found = practice_or_404(request, pk, "change")
    if refused := refuse_withdrawn(request, found):
        return refused
    actions.withdraw_practice(found, by=request.user)
    messages.success(request, _("The practice is withdrawn. It is kept, with its documents and history."))
    return redirect(found)


@login_required
@require_POST
def add_document(request: HttpRequest, pk: int) -> HttpResponse:
    found = practice_or_404(request, pk, "change")
    if refused := refuse_withdrawn(request, found):
        return refused
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_document(
                found, title=form.cleaned_data["title"], upload=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The document is added."))
            return redirect(found.get_absolute_url() + "#dokumenter")
    return render_practice(request, found, form, status=400)


def document_or_404(request: HttpRequest, pk: int, doc: int, action: str = "view") -> PracticeDocument:
    rows = PracticeDocument.objects.select_related("practice__municipality", "practice__county")
    return access.get_or_404(request.user, rows, action, pk=doc, practice_id=pk)


@require_GET
def practice_document(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    return files.serve(document_or_404(request, pk, doc))


@login_required
@require_POST
def withdraw_document(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    document = document_or_404(request, pk, doc, "change")
    try:
        actions.withdraw_document(document, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The document is withdrawn. It is kept for those who may change the practice."))
    return redirect(document.practice.get_absolute_url() + "#dokumenter")
