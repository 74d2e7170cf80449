from django.urls import include, path

from . import views

# The "county" and "municipality" converters are registered by places/urls.py (included first).
app_name = "indicators"
urlpatterns = [
    path("", include("lagspill.indicators.upload_urls")),  # before the indicator pages: "last-opp" is a slug too
    path("kommune/<municipality:number>/levekar/", views.profile, name="profile"),
    path("kommune/<municipality:number>/levekar/<slug:code>/", views.series, name="series"),
    path("indikator/<slug:code>/", views.indicator, name="indicator"),
    path("fylke/<county:number>/indeks/", views.county_index, name="index"),
    path("fylke/<county:number>/indeks/vekter/", views.new_weight_set, name="new_weight_set"),
    path("levekar/metode/", views.method, name="method"),
]
