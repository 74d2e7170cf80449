"""Criteria sets: the shipped default and the County Governor's versions (included by plans/urls.py)."""

from django.urls import path

from . import criteria_views

urlpatterns = [
    path("fylke/<county:number>/kriterier/", criteria_views.criteria_sets, name="criteria_sets"),
    path("fylke/<county:number>/kriterier/ny/", criteria_views.new_version, name="new_criteria_set"),
    path(
        "fylke/<county:number>/kriterier/<slug:slug>/<int:version>/", criteria_views.criteria_set, name="criteria_set"
    ),
]
