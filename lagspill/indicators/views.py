"""Monitor pages: a municipality's profile, one indicator over time, one indicator across
municipalities, the county's challenge index and the method page. Each page's table is also a
CSV/XLSX download (`?last-ned=csv|xlsx`) with the same numbers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lagspill.organisations import access
from lagspill.places.models import County, Municipality

from . import charts, exports, forms, presenters, queries
from .models import Indicator, WeightSet

FEATURED_COUNTY = "18"
MAX_COMPARISON = 15


def municipality_or_404(request: HttpRequest, number: str) -> Municipality:
    return access.get_or_404(request.user, Municipality.objects.select_related("county"), number=number)


def comparison_choice(request: HttpRequest, municipality: Municipality) -> tuple[str, list[str]]:
    """The comparison set from the query string: similar (default), the county, or chosen ones."""
    choice = request.GET.get("sammenlign", "lignende")
    if choice == "egne":
        chosen = [n for n in request.GET.getlist("kommuner") if n.isdecimal() and n != municipality.number]
        known = Municipality.objects.filter(number__in=chosen[:MAX_COMPARISON]).values_list("number", flat=True)
        return choice, sorted(known)
    choice = "fylke" if choice == "fylke" else "lignende"
    return choice, queries.comparison_codes(municipality, choice)


def profile(request: HttpRequest, number: str) -> HttpResponse:
    municipality = municipality_or_404(request, number)
    counts = request.GET.get("vis") == "antall"
    choice, comparison = comparison_choice(request, municipality)
    groups = queries.profile(municipality, counts, comparison)
    table = presenters.profile_table(municipality, groups)
    if fmt := exports.requested_format(request):
        return exports.download(table, fmt)
    context = {
        "municipality": municipality,
        "groups": groups,
        "counts": counts,
        "choice": choice,
        "comparison": queries.municipalities_by_number(comparison).values(),
        "county_municipalities": municipality.county.municipalities.exclude(number=municipality.number),
        "may_upload": access.edits_municipality(request.user, municipality),
        "table": table,
    }
    return render(request, "indicators/profile.html", context)


def series(request: HttpRequest, number: str, code: str) -> HttpResponse:
    municipality = municipality_or_404(request, number)
    indicator = access.get_or_404(request.user, Indicator, code=code)
    choice, comparison = comparison_choice(request, municipality)
    lines = presenters.series_lines(municipality, indicator, comparison)
    table = presenters.series_table(municipality, indicator, lines)
    if fmt := exports.requested_format(request):
        return exports.download(table, fmt)
    spec = (
        charts.time_series(
            presenters.chart_rows(lines),
            title=indicator.name,
            y_title=presenters.unit_label(indicator),
            highlight=municipality.name,
        )
        if table.rows
        else None
    )
    context = {
        "municipality": municipality,
        "indicator": indicator,
        "choice": choice,
        "comparison": queries.municipalities_by_number(comparison).values(),
        "county_municipalities": municipality.county.municipalities.exclude(number=municipality.number),
        "table": table,
        "spec": spec,
    }
    return render(request, "indicators/series.html", context)


def indicator(request: HttpRequest, code: str) -> HttpResponse:
    indicator = access.get_or_404(request.user, Indicator, code=code)
    county_number = request.GET.get("fylke", FEATURED_COUNTY)
    county = County.objects.filter(number=county_number).first() if county_number != "alle" else None
    if county_number != "alle" and county is None:
        raise Http404
    year = presenters.int_or_none(request.GET.get("ar"))
    view = presenters.across(indicator, county, year)
    if fmt := exports.requested_format(request):
        return exports.download(view.table, fmt)
    context = {
        "indicator": indicator,
        "county": county,
        "counties": County.objects.all(),
        "view": view,
        "table": view.table,
        "map_spec": charts.choropleth(view.features, title=view.title, legend_title=presenters.unit_label(indicator))
        if view.bar_rows
        else None,
        "bar_spec": charts.ranked_bars(view.bar_rows, title=view.title, x_title=presenters.unit_label(indicator))
        if view.bar_rows
        else None,
    }
    return render(request, "indicators/indicator.html", context)


def county_index(request: HttpRequest, number: str) -> HttpResponse:
    county = access.get_or_404(request.user, County, number=number)
    weight_sets = presenters.weight_sets_for(county)
    chosen = next(
        (w for w in weight_sets if w.slug == request.GET.get("vekter")), weight_sets[0] if weight_sets else None
    )
    if chosen is None:
        raise Http404
    view = presenters.index_view(chosen, county, presenters.int_or_none(request.GET.get("ar")))
    if fmt := exports.requested_format(request):
        return exports.download(view.table, fmt)
    context = {
        "county": county,
        "weight_sets": weight_sets,
        "chosen": chosen,
        "view": view,
        "table": view.table,
        "spec": charts.contributions(view.chart_rows, title=view.title) if view.chart_rows else None,
        "may_save_weights": access.can(request.user, "change", WeightSet(county=county)),
    }
    return render(request, "indicators/index.html", context)


@login_required
def new_weight_set(request: HttpRequest, number: str) -> HttpResponse:
    county = access.get_or_404(request.user, County, number=number)
    access.require(request.user, "change", WeightSet(county=county))
    form = forms.WeightSetForm(request.POST or None, county=county)
    if request.method == "POST" and form.is_valid():
        weight_set = form.save(request.user)
        messages.success(
            request, _("The weight set “%(name)s” is saved and the index computed.") % {"name": weight_set}
        )
        return redirect(f"{county_index_url(county)}?vekter={weight_set.slug}")
    status = 400 if form.errors else 200
    return render(request, "indicators/weight_set_form.html", {"county": county, "form": form}, status=status)


def county_index_url(county: County) -> str:
    return reverse("indicators:index", args=[county.number])


def method(request: HttpRequest) -> HttpResponse:
    context = {"features": presenters.similarity_feature_names(), "indicators": queries.indicators()}
    return render(request, "indicators/method.html", context)
