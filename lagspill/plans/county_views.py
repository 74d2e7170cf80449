"""The County Governor's overview of plan status and needs-based priority, and the priority weights.

The overview is the county's shared space (members of its municipalities, its County Governor,
Husbanken); the weights are changed by the County Governor only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lagspill.indicators import exports
from lagspill.organisations import access
from lagspill.places.models import County

from . import actions, priority
from . import county as planstatus
from .forms import PriorityWeightsForm
from .models import PriorityWeights


def shared_county_or_404(request: HttpRequest, number: str) -> County:
    county = access.get_or_404(request.user, County, number=number)
    if not access.sees_county_shared(request.user, county):
        raise Http404
    return county


@login_required
@require_GET
def overview(request: HttpRequest, number: str) -> HttpResponse:
    county = shared_county_or_404(request, number)
    sort = planstatus.sort_key(request.GET.get("sorter"))
    view = planstatus.overview(request.user, county, sort)
    table = planstatus.table(view)
    if fmt := exports.requested_format(request):
        return exports.download(table, fmt)
    context = {
        "county": county,
        "view": view,
        "table": table,
        "sorts": planstatus.SORTS,
        "weights_note": planstatus.weights_note(view),
        "may_change_weights": access.governs(request.user, county),
    }
    return render(request, "plans/county.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def priority_weights(request: HttpRequest, number: str) -> HttpResponse:
    county = access.get_or_404(request.user, County, number=number)
    access.require(request.user, "change", PriorityWeights(county=county))
    history = list(county.priority_weights.select_related("created_by"))
    current = priority.Weights.of(history[0] if history else None)
    data = request.POST if request.method == "POST" else None
    form = PriorityWeightsForm(data, initial={p: current.get(p) for p in priority.PARTS})
    if request.method == "POST" and form.is_valid():
        actions.save_priority_weights(form, request.user, county)
        messages.success(request, _("The new weights are saved and in force."))
        return redirect("plans:county", number=county.number)
    context = {"county": county, "form": form, "history": history, "current": current}
    return render(request, "plans/priority_weights.html", context, status=400 if form.errors else 200)
