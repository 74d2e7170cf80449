"""The county report as PDF and XLSX: open to everyone, each reader getting what they may see
(`reports.county.build` decides)."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from lagspill.organisations import access
from lagspill.places.models import County

from . import county as county_report
from . import pdf
from .county_xlsx import workbook


@require_GET
def report_pdf(request: HttpRequest, number: str) -> HttpResponse:
    county = access.get_or_404(request.user, County, number=number)
    report = county_report.build(request.user, county)
    body = pdf.render_pdf("reports/county.html", report.context(), request)
    return pdf.pdf_response(body, report.title)


@require_GET
def report_xlsx(request: HttpRequest, number: str) -> HttpResponse:
    county = access.get_or_404(request.user, County, number=number)
    report = county_report.build(request.user, county)
    return pdf.xlsx_response(workbook(report), report.title)
