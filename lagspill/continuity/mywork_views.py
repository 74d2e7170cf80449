"""My work and the personal calendar feed. Each view: fetch through the access module, call
`mywork` / `ical`, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from lagspill.arenas.models import ActionStatus
from lagspill.organisations import access

from . import ical, mywork
from .models import CalendarFeed

NEW_FEED_URL_KEY = "lagspill_new_calendar_url"  # shown once, on the next page, then gone


@login_required
@require_GET
@never_cache  # the page right after "Create calendar address" holds the new address
def index(request: HttpRequest) -> HttpResponse:
    work = mywork.for_user(request.user)
    context = {
        "work": work,
        "today": work.today,
        "feed": ical.active_feed(request.user),
        "new_feed_url": request.session.pop(NEW_FEED_URL_KEY, None),
        "statuses": ActionStatus.choices,
        "here": reverse("mywork:index"),
    }
    return render(request, "continuity/mywork.html", context)


@login_required
@require_POST
def create_feed(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "change", CalendarFeed(user=request.user))
    token = ical.create_feed(request.user)
    request.session[NEW_FEED_URL_KEY] = request.build_absolute_uri(reverse("mywork:feed", args=[token]))
    messages.success(request, _("Your calendar address is made. Copy it now: it is shown only once."))
    return redirect("mywork:index")


@login_required
@require_POST
def revoke_feed(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "change", CalendarFeed(user=request.user))
    if ical.revoke_feeds(request.user):
        messages.success(request, _("Your calendar address is revoked. Calendars using it get nothing more."))
    return redirect("mywork:index")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The token is the credential: an unknown or revoked one is a 404, like any address that is not there."""
    found = ical.feed_for_token(token)
    if found is None:
        raise Http404
    access.require(found.user, "view", found)
    body = ical.build(found.user, request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lagspill.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
