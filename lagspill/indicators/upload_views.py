"""The CSV upload page and its template download: private working material of one municipality."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from lagspill.organisations import access
from lagspill.places.models import Municipality

from . import upload

SUMMARY_LIMIT = 10  # errors linked from the summary; the table below lists them all


class UploadForm(forms.Form):
    # An empty file is reported by `upload.parse`, in the same table as every other error.
    file = forms.FileField(label=gettext_lazy("CSV file"), allow_empty_file=True)


def municipality_to_edit(request: HttpRequest, number: str) -> Municipality:
    """Editors and admins of the municipality (and site admins) may upload. Its other members may
    know the page exists (403); for everyone else it is private working material (404)."""
    municipality = access.get_or_404(request.user, Municipality.objects.select_related("county"), number=number)
    if access.edits_municipality(request.user, municipality):
        return municipality
    if municipality.number in access.scope(request.user).municipalities:
        raise PermissionDenied
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def upload_page(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_to_edit(request, number)
    if request.method == "POST":
        return receive(request, municipality)
    return page(request, municipality, UploadForm())


def receive(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return page(request, municipality, form, status=400)
    parsed = upload.parse_upload(form.cleaned_data["file"], municipality)
    if parsed.errors:
        return page(request, municipality, form, parsed.errors, status=400)
    result = upload.import_rows(
        municipality, parsed.rows, request.user, checksum=parsed.checksum, file_name=parsed.file_name
    )
    if result.created:
        message = ngettext(
            "%(count)s figure stored for %(municipality)s.",
            "%(count)s figures stored for %(municipality)s.",
            result.stored,
        )
        messages.success(request, message % {"count": result.stored, "municipality": municipality})
    else:
        messages.info(request, _("This file was already uploaded on %(date)s; nothing changed.") % uploaded_on(result))
    return redirect("indicators:upload", number=municipality.number)


def uploaded_on(result: upload.ImportResult) -> dict[str, str]:
    return {"date": date_format(localtime(result.version.loaded_at), "SHORT_DATETIME_FORMAT")}


def page(
    request: HttpRequest,
    municipality: Municipality,
    form: UploadForm,
    errors: list[upload.RowError] | None = None,
    status: int = 200,
) -> HttpResponse:
    errors = errors or []
    context = {
        "municipality": municipality,
        "form": form,
        "errors": errors,
        "summary_errors": errors[:SUMMARY_LIMIT],
        "indicators": upload.csv_indicators(),
        "uploads": upload.earlier_uploads(municipality),
        "max_rows": upload.MAX_ROWS,
        "first_year": upload.FIRST_YEAR,
        "last_year": upload.this_year(),
    }
    return render(request, "indicators/upload.html", context, status=status)


@login_required
@require_GET
def upload_template(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_to_edit(request, number)
    response = HttpResponse(upload.template_csv(municipality), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="levekar-{municipality.number}-mal.csv"'
    return response
