from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("fylke/<str:number>/", views.county, name="county"),
    path("kommune/<str:number>/", views.municipality, name="municipality"),
    path("sok/", views.search, name="search"),
]
