from django.urls import path, register_converter

from lagspill.web.converters import CountyNumberConverter, MunicipalityNumberConverter

from . import views

register_converter(CountyNumberConverter, "county")
register_converter(MunicipalityNumberConverter, "municipality")
app_name = "places"
urlpatterns = [
    path("fylke/<county:number>/", views.county, name="county"),
    path("kommune/<municipality:number>/", views.municipality, name="municipality"),
    path("sok/", views.search, name="search"),
]
