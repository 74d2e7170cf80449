"""Turnover and continuity risk in every municipality of a county: for the County Governor,
Husbanken and site administrators (`access.sees_county_private`); others get a 404."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lagspill.indicators import exports
from lagspill.organisations import access
from lagspill.places.models import County

from . import queries, turnover
from .forms import parse_since


def share(figures: turnover.Figures | None, months: int) -> float | None:
    value = figures.share(months) if figures else None
    return None if value is None else round(value * 100, 1)


def cells(figures: turnover.Figures | None, risks: int) -> list[exports.Cell]:
    tenure = figures.average_tenure_years if figures else None
    return [
        figures.roles if figures else 0,
        share(figures, 12),
        share(figures, 24),
        share(figures, 48),
        figures.vacancy_days if figures else None,
        None if tenure is None else round(tenure, 1),
        figures.changed_since if figures else None,
        risks,
    ]


def table(county: County, overview: queries.CountyOverview, since: datetime.date) -> exports.Table:
    since_text = date_format(since, "SHORT_DATE_FORMAT")
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
            _("Roles changed since %(date)s") % {"date": since_text},
            _("Risks"),
        ],
        rows=[
            *(
                [row.municipality.number, row.municipality.name, *cells(row.figures, row.risks)]
                for row in overview.rows
            ),
            [
                county.number,
                _("%(county)s, all municipalities") % {"county": county.name},
                *cells(overview.total, overview.risks),
            ],
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
    default = queries.default_since(today)
    since, refused = parse_since(request.GET.get("siden"), default)
    if refused:
        messages.error(request, _("The date was not understood (use YYYY-MM-DD); showing the last local election."))
    overview = queries.county_overview(county, today, since)
    if fmt := exports.requested_format(request):
        return exports.download(table(county, overview, since), fmt)
    context = {
        "county": county,
        "rows": overview.rows,
        "total": overview.total,
        "total_risks": overview.risks,
        "since": since,
        "default_since": default,
        "today": today,
    }
    return render(request, "continuity/county.html", context)
