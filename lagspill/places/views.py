from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from lagspill.organisations import access

from . import queries
from .models import County, Municipality

FEATURED_COUNTY = "18"
SEARCH_LIMIT = 50


def home(request: HttpRequest) -> HttpResponse:
    counties = County.objects.all()
    featured = next((c for c in counties if c.number == FEATURED_COUNTY), None)
    return render(request, "places/home.html", {"counties": counties, "featured": featured})


def county(request: HttpRequest, number: str) -> HttpResponse:
    county = access.get_or_404(request.user, County, number=number)
    rows = queries.county_municipalities(county)
    context = {
        "county": county,
        "rows": rows,
        "total": queries.county_population(county),
        "sees_shared": access.sees_county_shared(request.user, county),
        "sees_private": access.sees_county_private(request.user, county),
    }
    return render(request, "places/county.html", context)


def municipality(request: HttpRequest, number: str) -> HttpResponse:
    municipality = access.get_or_404(request.user, Municipality.objects.select_related("county"), number=number)
    context = {
        "municipality": municipality,
        "population": queries.municipality_population(municipality),
        "sees_private": access.sees_municipality_private(request.user, municipality),
    }
    return render(request, "places/municipality.html", context)


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    matches = Municipality.objects.search(query).select_related("county")
    results = list(matches[: SEARCH_LIMIT + 1])
    context = {"query": query.strip(), "results": results[:SEARCH_LIMIT], "more": len(results) > SEARCH_LIMIT}
    partial = bool(request.headers.get("HX-Request"))
    response = render(request, "places/_search_results.html" if partial else "places/search.html", context)
    patch_vary_headers(response, ["HX-Request"])  # the fragment and the page share one address
    return response
