"""Placeholder until the minutes are built: the address answers 404."""

from django.http import Http404, HttpRequest, HttpResponse


def minutes_pdf(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    raise Http404
