"""The County Governor's overview of plan status and needs-based priority (included by plans/urls.py)."""

from django.urls import path

from . import county_views

urlpatterns = [
    path("fylke/<county:number>/planstatus/", county_views.overview, name="county"),
    path("fylke/<county:number>/planstatus/vekter/", county_views.priority_weights, name="priority_weights"),
]
