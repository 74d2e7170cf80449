"""CSV upload of a municipality's own figures (included by indicators/urls.py)."""

from django.urls import path

from . import upload_views

urlpatterns = [
    path("kommune/<municipality:number>/levekar/last-opp/", upload_views.upload_page, name="upload"),
    path("kommune/<municipality:number>/levekar/mal.csv", upload_views.upload_template, name="upload_template"),
]
