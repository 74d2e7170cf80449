"""The municipality status report as PDF and XLSX. As public as the municipality's page: everyone may
download it, and each reader gets what the pages would show them (`municipality.build`)."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lagspill.organisations import access
from lagspill.places.models import Municipality

from . import municipality as report
from .pdf import pdf_response, render_pdf, xlsx_response


def built(request: HttpRequest, number: str) -> report.MunicipalityReport:
    municipality = access.get_or_404(request.user, Municipality.objects.select_related("county"), number=number)
    return report.build(request.user, municipality)


def file_name(found: report.MunicipalityReport) -> str:
    return _("Status report %(name)s") % {"name": found.municipality.name_plain}


@require_GET
def report_pdf(request: HttpRequest, number: str) -> HttpResponse:
    found = built(request, number)
    context = {"report": found, "municipality": found.municipality, "generated_at": found.generated_at}
    return pdf_response(render_pdf("reports/municipality.html", context, request), file_name(found))


@require_GET
def report_xlsx(request: HttpRequest, number: str) -> HttpResponse:
    found = built(request, number)
    return xlsx_response(report.workbook(found), file_name(found))
