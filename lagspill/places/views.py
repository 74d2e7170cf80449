from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from lagspill.organisations import access

from . import queries
from .models import County, Municipality

FEATURED_COUNTY = "18"
SEARCH_LIMIT = 20
# What the municipality home will hold as the domain apps arrive.
SECTIONS = [
    (
        _("Living conditions and housing"),
        _(
            "Figures on ageing, low income, social assistance, disability and housing, "
            "compared with the county and similar municipalities."
        ),
    ),
    (
        _("Plans"),
        _(
            "Whether the social housing goals are anchored in the planning strategy, "
            "the master plan, the economy plan and the housing plan."
        ),
    ),
    (
        _("Roles and arenas"),
        _("Who holds the key roles, what the next holder must know, and the interdisciplinary meeting places."),
    ),
    (
        _("Needs and measures"),
        _("The overview of housing needs, the measures and the use of Husbanken's instruments."),
    ),
]


def home(request: HttpRequest) -> HttpResponse:
    counties = County.objects.all()
    featured = next((c for c in counties if c.number == FEATURED_COUNTY), None)
    return render(request, "places/home.html", {"counties": counties, "featured": featured})


def county(request: HttpRequest, number: str) -> HttpResponse:
    county = get_object_or_404(County, number=number)
    rows = queries.county_municipalities(county)
    context = {"county": county, "rows": rows, "total": queries.county_population(county)}
    return render(request, "places/county.html", context)


def municipality(request: HttpRequest, number: str) -> HttpResponse:
    municipality = access.get_or_404(request.user, Municipality.objects.select_related("county"), number=number)
    context = {
        "municipality": municipality,
        "population": queries.municipality_population(municipality),
        "sections": SECTIONS,
    }
    return render(request, "places/municipality.html", context)


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = list(Municipality.objects.search(query).select_related("county")[:SEARCH_LIMIT]) if query else []
    template = "places/_search_results.html" if request.headers.get("HX-Request") else "places/search.html"
    return render(request, template, {"query": query, "results": results})
