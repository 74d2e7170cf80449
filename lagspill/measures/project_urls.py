"""URLs of the housing project pages (in the `measures` namespace, see urls.py). One project's pages
take only its number (pk): the model reverses `measures:project` with the pk alone."""

from django.urls import path

from . import project_views

PROJECTS = "kommune/<municipality:number>/boligprosjekter/"
PROJECT = "boligprosjekter/<int:pk>/"
urlpatterns = [
    path(PROJECTS, project_views.projects, name="projects"),
    path(PROJECTS + "ny/", project_views.new_project, name="new_project"),
    path(PROJECT, project_views.project, name="project"),
    path(PROJECT + "endre/", project_views.edit_project, name="edit_project"),
    path(PROJECT + "trekk-tilbake/", project_views.withdraw_project, name="withdraw_project"),
]
