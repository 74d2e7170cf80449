"""Network events: the county's list, one event with its registration and material, the County
Governor's forms (new, change, cancel, material) and participant list with its CSV download, and
one event as iCalendar. Each view: fetch through the access module, call the domain
(`event_queries`, `event_actions`), render."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from lagspill.indicators import exports
from lagspill.organisations import access
from lagspill.places.models import County

from . import event_actions, event_queries, files
from .event_forms import EventForm, MaterialForm, RegistrationForm
from .models import EventMaterial, NetworkEvent

GET_POST = require_http_methods(["GET", "POST"])
EVENT_ROWS = ("county", "organiser")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# Fetching through the access module


def county_or_404(request: HttpRequest, number: str) -> County:
    return access.get_or_404(request.user, County, number=number)


def event_or_404(request: HttpRequest, pk: int, action: str = "view") -> NetworkEvent:
    return access.get_or_404(request.user, NetworkEvent.objects.select_related(*EVENT_ROWS), action, pk=pk)


def with_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def refuse_cancelled(request: HttpRequest, event: NetworkEvent) -> HttpResponse | None:
    """A cancelled event is history: changes are refused with a message, back on its page."""
    if event.cancelled_at is None:
        return None
    messages.error(request, _("The event is cancelled and can no longer be changed."))
    return redirect(event)


# The county's list


@require_GET
def county_events(request: HttpRequest, number: str) -> HttpResponse:
    county = county_or_404(request, number)
    events = event_queries.county_events(request.user, county)
    context = {
        "county": county,
        "events": events,
        "may_edit": access.governs(request.user, county),
        "signed_in": request.user.is_authenticated,
    }
    return render(request, "network/events/county_events.html", context)


# One event


def materials(user: Any, event: NetworkEvent) -> tuple[list[EventMaterial], list[EventMaterial]]:
    """Live material for everyone who sees the event; withdrawn material only for the County Governor."""
    rows = list(event.materials.select_related("uploaded_by").order_by("uploaded_at", "pk"))
    live = [m for m in rows if m.withdrawn_at is None]
    withdrawn = [m for m in rows if m.withdrawn_at is not None and access.can(user, "view", m)]
    return live, withdrawn


def registration_form(request: HttpRequest, event: NetworkEvent, data: Any = None) -> RegistrationForm:
    organisations = list(access.scope(request.user).organisations)
    current = access.current_organisation(request)
    initial = {"organisation": current.pk if current else None}
    return RegistrationForm(data, organisations=organisations, event=event, initial=initial)


def render_event(request: HttpRequest, event: NetworkEvent, form: Any = None, status: int = 200) -> HttpResponse:
    user = request.user
    mine = event_queries.own_registration(user, event)
    event_queries.decorate(event, event_queries.active_count(event), mine, timezone.now())
    may_register = mine is None and event.state == event_queries.State.OPEN and access.may_register(user, event)
    if may_register and form is None:
        form = registration_form(request, event)
    live, withdrawn = materials(user, event)
    sees_participants = access.sees_participants(user, event)
    context = {
        "county": event.county,
        "event": event,
        "form": form if may_register else None,
        "may_register": may_register,
        "may_edit": access.can(user, "change", event),
        "materials": live,
        "withdrawn_materials": withdrawn,
        "participants": event_queries.participants(event) if sees_participants else None,
        "can_cancel_registration": mine is not None and event.starts_at > timezone.now(),
    }
    return render(request, "network/events/event.html", context, status=status)


@require_GET
def event(request: HttpRequest, pk: int) -> HttpResponse:
    return render_event(request, event_or_404(request, pk))


# The County Governor's forms


def event_form_page(request: HttpRequest, county: County, form: EventForm, event: NetworkEvent | None) -> HttpResponse:
    heading = _("Change the event") if event else _("New event")
    context = {"county": county, "event": event, "form": form, "heading": heading}
    return render(request, "network/events/form.html", context, status=400 if form.errors else 200)


@login_required
@GET_POST
def new_event(request: HttpRequest, number: str) -> HttpResponse:
    county = county_or_404(request, number)
    if not access.governs(request.user, county):
        raise PermissionDenied
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organiser = event_actions.organiser_for(county, access.scope(request.user).organisations)
            event = event_actions.create_event(county, organiser=organiser, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The event “%(title)s” is saved.") % {"title": event.title})
            return redirect(event)
    return event_form_page(request, county, form, None)


@login_required
@GET_POST
def edit_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_or_404(request, pk, "change")
    if refused := refuse_cancelled(request, event):
        return refused
    title = event.title  # the form changes the instance while it validates
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            event_actions.save_event(form.save(commit=False), by=request.user)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect(event)
    event.title = title
    return event_form_page(request, event.county, form, event)


@login_required
@require_POST
def cancel_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_or_404(request, pk, "change")
    try:
        event_actions.cancel_event(event, by=request.user)
    except ValidationError as error:  # cancelled by someone else since the page was fetched
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The event is cancelled. Everyone registered gets an e-mail."))
    return redirect(event)


# Registration


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_or_404(request, pk)
    if not access.scope(request.user).organisations:
        raise PermissionDenied  # registering is for members of an organisation
    if not access.may_register(request.user, event):
        messages.error(request, _("Registration for this event is closed."))
        return redirect(event)
    form = registration_form(request, event, request.POST)
    if form.is_valid():
        try:
            registration = event_actions.register(event, user=request.user, **form.cleaned_data)
        except ValidationError as error:  # full, closed or registered since the page was fetched
            messages.error(request, " ".join(error.messages))
            return redirect(event)
        role = event_queries.role_name(registration.role_kind)
        messages.success(request, _("You are registered as %(role)s. A confirmation is on its way.") % {"role": role})
        return redirect(event)
    return render_event(request, event, form, status=400)


@login_required
@require_POST
def cancel_registration(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_or_404(request, pk)
    registration = event_queries.own_registration(request.user, event)
    if registration is None:
        messages.error(request, _("You are not registered for this event."))
        return redirect(event)
    try:
        event_actions.cancel_registration(registration, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(event)


# Participants as CSV (the County Governor)


def safe_cell(value: str) -> str:
    """Text people typed, made inert for spreadsheet programs (no formulas)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def participants_table(event: NetworkEvent) -> exports.Table:
    rows = [
        [
            event_queries.role_name(r.role_kind),
            safe_cell(r.user.name),
            safe_cell(r.user.email),
            safe_cell(r.organisation.name),
            r.organisation.municipality.name if r.organisation.municipality else "",
            safe_cell(r.needs),
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
        ]
        for r in sorted(event_queries.registrations(event), key=lambda r: event_queries.role_order(r.role_kind))
    ]
    columns = [
        _("Taking part as"),
        _("Name"),
        _("E-mail"),
        _("Organisation"),
        _("Municipality"),
        _("Needs for taking part"),
        _("Registered"),
    ]
    return exports.Table(title=_("Participants %(title)s") % {"title": event.title}, columns=columns, rows=rows)


@login_required
@require_GET
def participants_csv(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_or_404(request, pk)
    if not access.sees_participants(request.user, event):
        raise PermissionDenied
    response = exports.download(participants_table(event), "csv")
    response["Cache-Control"] = "private, no-store"
    return response


# Material


@login_required
@GET_POST
def add_material(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_or_404(request, pk, "change")
    if refused := refuse_cancelled(request, event):
        return refused
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            event_actions.add_material(event, by=request.user, title=data["title"], url=data["url"], upload=upload)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("The material is added."))
            return redirect(event)
    context = {"county": event.county, "event": event, "form": form}
    return render(request, "network/events/material_form.html", context, status=400 if form.errors else 200)


def material_or_404(request: HttpRequest, pk: int, m: int, action: str = "view") -> EventMaterial:
    rows = EventMaterial.objects.select_related("event__county")
    return access.get_or_404(request.user, rows, action, pk=m, event_id=pk)


@require_GET
def material(request: HttpRequest, pk: int, m: int) -> HttpResponse:
    found = material_or_404(request, pk, m)
    if found.url:
        return HttpResponseRedirect(found.url)
    return files.serve(found)


@login_required
@require_POST
def withdraw_material(request: HttpRequest, pk: int, m: int) -> HttpResponse:
    found = material_or_404(request, pk, m, "change")
    try:
        event_actions.withdraw_material(found, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The material is withdrawn. It is kept, but no longer shown to participants."))
    return redirect(found.event)


# iCalendar


def calendar_bytes(request: HttpRequest, event: NetworkEvent) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Lagspill//Network events//NB")
    calendar.add("version", "2.0")
    item = CalendarEvent()
    url = request.build_absolute_uri(event.get_absolute_url())
    item.add("uid", f"network-event-{event.pk}@lagspill")
    item.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    item.add("dtstart", event.starts_at.astimezone(datetime.UTC))
    item.add("dtend", event.ends_at.astimezone(datetime.UTC))
    item.add("summary", event.title)
    item.add("status", "CANCELLED" if event.cancelled_at else "CONFIRMED")
    location = ", ".join(p for p in (event.location, event.online_url) if p)
    if location:
        item.add("location", location)
    item.add("description", f"{event.description.strip()}\n\n{url}".strip())
    item.add("url", url)
    calendar.add_component(item)
    return calendar.to_ical()


@require_GET
def event_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_or_404(request, pk)
    response = HttpResponse(calendar_bytes(request, event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(event.title)[:60] or "samling"}.ics"'
    return response
