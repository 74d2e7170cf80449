"""Turnover and continuity risk in every municipality of a county: for the County Governor,
Husbanken and site administrators (`access.sees_county_private`); others get a 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lagspill.indicators import exports
from lagspill.organisations import access
from lagspill.places.models import County

from . import queries


def table(county: County, rows: list[queries.CountyRow]) -> exports.Table:
    def share(row: queries.CountyRow, months: int) -> float | None:
        value = row.figures.share(months) if row.figures else None
        return None if value is None else round(value * 100, 1)

    return exports.Table(
        title=_("Continuity in %(county)s") % {"county": county.name},
        columns=[
            _("Number"),
            _("Municipality"),
            _("Roles set up"),
            _("Changed, 12 months (%)"),
            _("Changed, 24 months (%)"),
            _("Changed, 48 months (%)"),
            _("Vacancy days, 12 months"),
            _("Average tenure (years)"),
            _("Risks"),
        ],
        rows=[
            [
                row.municipality.number,
                row.municipality.name,
                row.figures.roles if row.figures else 0,
                share(row, 12),
                share(row, 24),
                share(row, 48),
                row.figures.vacancy_days if row.figures else None,
                round(row.figures.average_tenure_years, 1)
                if row.figures and row.figures.average_tenure_years is not None
                else None,
                row.risks,
            ]
            for row in rows
        ],
        sources=[_("Lagspill: the municipalities' own records of roles and holders")],
    )


@login_required
@require_GET
def county(request: HttpRequest, number: str) -> HttpResponse:
    county = access.get_or_404(request.user, County, number=number)
    if not access.sees_county_private(request.user, county):
        raise Http404
    today = timezone.localdate()
    since = queries.default_since(today)
    rows = queries.county_rows(county, today, since)
    data = table(county, rows)
    if fmt := exports.requested_format(request):
        return exports.download(data, fmt)
    context = {"county": county, "rows": rows, "since": since, "today": today}
    return render(request, "continuity/county.html", context)
