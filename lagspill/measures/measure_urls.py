"""URLs of the measure pages (in the `measures` namespace, see urls.py). A measure's own pages take
its number only (models reverse `measures:measure` with the pk)."""

from django.urls import path

from . import measure_views as views

MEASURES = "kommune/<municipality:number>/tiltak/"
MEASURE = "tiltak/<int:pk>/"
urlpatterns = [
    path(MEASURES, views.measures, name="measures"),
    path(MEASURES + "tiltak.csv", views.measures_export_csv, name="measures_export_csv"),
    path(MEASURES + "ny/", views.new_measure, name="new_measure"),
    path(MEASURE, views.measure, name="measure"),
    path(MEASURE + "endre/", views.edit_measure, name="edit_measure"),
    path(MEASURE + "framdrift/", views.report_progress, name="report_progress"),
    path(MEASURE + "trekk-tilbake/", views.withdraw_measure, name="withdraw_measure"),
]
