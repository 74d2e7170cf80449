"""Criteria set pages: the sets usable in a county, one set with every criterion and the meaning
of each score (public: assessments must be transparent), and the County Governor's form for a
new version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lagspill.organisations import access
from lagspill.places.models import County

from . import criteria_actions
from .criteria_forms import BaseChoiceForm, NewVersionForm
from .models import CriteriaSet, Level


def county_or_404(request: HttpRequest, number: str) -> County:
    return access.get_or_404(request.user, County, number=number)


def sets_for(county: County) -> QuerySet[CriteriaSet]:
    """The shipped default first, then the county's own line; the newest version first in each."""
    return (
        CriteriaSet.objects.for_county(county)
        .select_related("created_by", "county")
        .annotate(criteria_count=Count("criteria"))
        .order_by("county", "slug", "-version")
    )


def set_url(county: County, criteria_set: CriteriaSet) -> str:
    return reverse("plans:criteria_set", args=[county.number, criteria_set.slug, criteria_set.version])


def criteria_sets(request: HttpRequest, number: str) -> HttpResponse:
    county = county_or_404(request, number)
    context = {
        "county": county,
        "sets": [(s, set_url(county, s)) for s in sets_for(county)],
        "may_create": access.can(request.user, "change", CriteriaSet(county=county)),
    }
    return render(request, "plans/criteria_sets.html", context)


def level_labels(levels: list[str]) -> list[str]:
    """The labels of the levels a criterion applies to, in the plan system's order."""
    return [str(label) for value, label in Level.choices if value in levels]


def criteria_set(request: HttpRequest, number: str, slug: str, version: int) -> HttpResponse:
    county = county_or_404(request, number)
    chosen = access.get_or_404(request.user, sets_for(county), slug=slug, version=version)
    criteria = list(chosen.criteria.order_by("position"))
    context = {
        "county": county,
        "criteria_set": chosen,
        "criteria": [(c, level_labels(c.levels)) for c in criteria],
        "versions": [(s, set_url(county, s)) for s in sets_for(county).filter(slug=slug).order_by("version")],
        "may_create": access.can(request.user, "change", CriteriaSet(county=county)),
    }
    return render(request, "plans/criteria_set.html", context)


def default_base(county: County) -> CriteriaSet | None:
    """The newest in-use version of the county's own line, else the newest shipped default."""
    in_use = CriteriaSet.objects.in_use()
    own = in_use.filter(county=county).order_by("-created_at", "-version").first()
    return own or in_use.filter(county__isnull=True).order_by("-version").first()


def chosen_base(request: HttpRequest, county: County) -> tuple[BaseChoiceForm, CriteriaSet]:
    """The base from the form (POST) or the query string (GET), else the default base. A base
    that is not a set of this county is a 404, like any other odd address."""
    source = request.POST if request.method == "POST" else request.GET
    if "grunnlag" in source:
        form = BaseChoiceForm(source, county=county)
        if not form.is_valid() or form.cleaned_data["grunnlag"] is None:
            raise Http404
        return form, form.cleaned_data["grunnlag"]
    base = default_base(county)
    if base is None:  # not even the shipped default is loaded (manage.py load_criteria)
        raise Http404
    return BaseChoiceForm(initial={"grunnlag": base.pk}, county=county), base


@login_required
def new_version(request: HttpRequest, number: str) -> HttpResponse:
    county = county_or_404(request, number)
    access.require(request.user, "change", CriteriaSet(county=county))
    base_form, base = chosen_base(request, county)
    form = NewVersionForm(base, county, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        names = {key: form.version.cleaned_data[key] for key in ("name_nb", "name_nn", "name_en")}
        created = criteria_actions.new_version(
            request.user, county, names, form.version.cleaned_data["note"], form.criteria_changes()
        )
        messages.success(request, _("Version %(version)s is saved and in use.") % {"version": created.version})
        return redirect(set_url(county, created))
    context = {"county": county, "base": base, "base_form": base_form, "form": form}
    return render(request, "plans/criteria_set_form.html", context, status=400 if form.has_errors else 200)
