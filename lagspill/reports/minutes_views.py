"""Meeting minutes as PDF, for those who may see the meeting (private arenas are a 404 for others)."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from . import minutes, pdf


@require_GET
def minutes_pdf(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    meeting = minutes.meeting_for(request.user, pk, mid)
    report = minutes.build(meeting)
    body = pdf.render_pdf("reports/minutes.html", report.context(), request)
    return pdf.pdf_response(body, report.title)
