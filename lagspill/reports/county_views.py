"""Placeholder until the report is built: every address answers 404."""

from django.http import Http404, HttpRequest, HttpResponse


def report_pdf(request: HttpRequest, number: str) -> HttpResponse:
    raise Http404


def report_xlsx(request: HttpRequest, number: str) -> HttpResponse:
    raise Http404
