"""URLs of the instrument pages (in the `measures` namespace, see urls.py)."""

from django.urls import path

from . import instrument_views as views

MUNICIPALITY = "kommune/<municipality:number>/virkemidler/"
COUNTY = "fylke/<county:number>/virkemidler/"
urlpatterns: list = [
    path(MUNICIPALITY, views.municipality_instruments, name="instruments"),
    path(MUNICIPALITY + "ny/", views.new_use, name="new_instrument_use"),
    path(MUNICIPALITY + "<int:pk>/endre/", views.edit_use, name="edit_instrument_use"),
    path(MUNICIPALITY + "<int:pk>/trekk-tilbake/", views.withdraw_use, name="withdraw_instrument_use"),
    path(COUNTY, views.county_instruments, name="county_instruments"),
    path(COUNTY + "import/", views.import_uses, name="import_instruments"),
    path(COUNTY + "mal.csv", views.import_template, name="instrument_template"),
]
