"""Support request pages: the municipality's requests and the form to send one, the inbox of the
County Governor and Husbanken (with triage columns and the municipality's priority score), and the
thread (messages, attachments, reply, internal notes, triage, audit trail).

A support request is for the parties only: the asking municipality's members and the recipient
organisation's members. Everyone else gets a 404, site administrators too (`access.PARTIES_ONLY`);
parties who may see but not do something get a 403. Each view: fetch through the access module,
call a query or an action, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lagspill.organisations import access
from lagspill.places.models import Municipality

from . import files
from . import support_actions as actions
from . import support_queries as queries
from .models import RequestAttachment, SupportRequest
from .support_forms import SORTS, InboxFilterForm, NoteForm, ReplyForm, RequestForm, TriageForm

GET_POST = require_http_methods(["GET", "POST"])
PER_PAGE = 50


def members_municipality_or_404(request: HttpRequest, number: str) -> Municipality:
    """The municipality, for its own members only (the list of its requests is theirs)."""
    municipality = access.get_or_404(request.user, Municipality.objects.select_related("county"), number=number)
    if municipality.number not in access.scope(request.user).municipalities:
        raise Http404
    return municipality


def request_or_404(request: HttpRequest, pk: int) -> SupportRequest:
    rows = SupportRequest.objects.select_related("municipality__county", "recipient", "assignee", "created_by")
    return access.get_or_404(request.user, rows, pk=pk)


def with_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
@require_GET
def municipality_requests(request: HttpRequest, number: str) -> HttpResponse:
    municipality = members_municipality_or_404(request, number)
    rows = queries.municipality_requests(request.user, municipality)
    context = {
        "municipality": municipality,
        "requests": rows,
        "may_send": access.may_send_request(request.user, municipality),
        "is_demo": any(r.is_demo for r in rows),
    }
    return render(request, "network/support/municipality.html", context)


@login_required
@GET_POST
def new_request(request: HttpRequest, number: str) -> HttpResponse:
    municipality = members_municipality_or_404(request, number)
    if not access.may_send_request(request.user, municipality):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = RequestForm(data, request.FILES or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            sent = actions.send_request(
                municipality, form.cleaned_data, by=request.user, uploads=form.cleaned_data["attachments"]
            )
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The request is sent to %(recipient)s.") % {"recipient": sent.recipient.name})
            return redirect(sent)
    context = {
        "municipality": municipality,
        "form": form,
        "no_recipients": not form.fields["recipient"].queryset.exists(),
    }
    return render(request, "network/support/form.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET or None)
    chosen = form.chosen()
    found = queries.inbox(request.user, chosen)
    page = Paginator(found.rows, PER_PAGE).get_page(request.GET.get("side"))
    context = {
        "form": form,
        "chosen": chosen,
        "inbox": found,
        "page": page,
        "sort_label": SORTS[chosen["sorter"]],
        "is_demo": any(row.request.is_demo for row in page),
    }
    return render(request, "network/support/inbox.html", context)


@login_required
@require_GET
def support_request(request: HttpRequest, pk: int) -> HttpResponse:
    return render_request(request, request_or_404(request, pk))


def render_request(request: HttpRequest, found: SupportRequest, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    triages = access.triages(user, found)
    thread = queries.messages(user, found)
    queries.name_organisations(found, thread)
    context = {
        "support": found,
        "municipality": found.municipality,
        "thread": thread,
        "events": queries.events(user, found),
        "recipient_side": access.on_recipient_side(user, found),
        "reply_form": (forms.get("reply_form") or ReplyForm()) if access.may_reply(user, found) else None,
        "note_form": (forms.get("note_form") or NoteForm()) if triages else None,
        "triage_form": (forms.get("triage_form") or TriageForm(request=found)) if triages else None,
    }
    return render(request, "network/support/request.html", context, status=status)


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    found = request_or_404(request, pk)
    if not access.may_reply(request.user, found):
        raise PermissionDenied
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            _message, reopened = actions.reply(
                found, form.cleaned_data["body"], by=request.user, uploads=form.cleaned_data["attachments"]
            )
        except ValidationError as error:
            with_errors(form, error)
        else:
            text = _("The reply is sent.")
            if reopened:
                text = _("The reply is sent, and the request, which was closed, is open again.")
            messages.success(request, text)
            return redirect(found.get_absolute_url() + "#meldinger")
    return render_request(request, found, status=400, reply_form=form)


@login_required
@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    found = request_or_404(request, pk)
    if not access.triages(request.user, found):
        raise PermissionDenied
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            actions.add_note(found, form.cleaned_data["body"], by=request.user)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The internal note is saved."))
            return redirect(found.get_absolute_url() + "#meldinger")
    return render_request(request, found, status=400, note_form=form)


@login_required
@require_POST
def triage(request: HttpRequest, pk: int) -> HttpResponse:
    found = request_or_404(request, pk)
    if not access.triages(request.user, found):
        raise PermissionDenied
    form = TriageForm(request.POST, request=found)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = actions.triage(
                found, status=data["status"], assignee=data["assignee"], urgency=data["urgency"], by=request.user
            )
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The triage is saved.") if changed else _("Nothing was changed."))
            return redirect(found)
    return render_request(request, found, status=400, triage_form=form)


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int, att: int) -> FileResponse:
    rows = RequestAttachment.objects.select_related("message__request__municipality", "message__request__recipient")
    found = access.get_or_404(request.user, rows, pk=att, message__request_id=pk)
    actions.log_download(found, by=request.user)
    return files.serve(found)
