"""URLs of the needs pages (in the `measures` namespace, see urls.py): the overview of a municipality,
its entry form, import and template, one year's changes and downloads, and the county overview."""

from django.urls import path

from . import needs_county_views, needs_views

NEEDS = "kommune/<municipality:number>/behov/"
YEAR = NEEDS + "<int:year>/"
urlpatterns = [
    path(NEEDS, needs_views.needs, name="needs"),
    path(NEEDS + "ny/", needs_views.new_mapping, name="needs_new"),
    path(NEEDS + "import/", needs_views.import_mapping, name="needs_import"),
    path(NEEDS + "mal.csv", needs_views.import_template, name="needs_template"),
    path(YEAR + "endre/", needs_views.edit_mapping, name="needs_edit"),
    path(YEAR + "publiser/", needs_views.publish_mapping, name="needs_publish"),
    path(YEAR + "trekk-tilbake/", needs_views.withdraw_mapping, name="needs_withdraw"),
    path(YEAR + "historikk/", needs_views.mapping_history, name="needs_history"),
    path(YEAR + "behov.csv", needs_views.export_csv, name="needs_export_csv"),
    path(YEAR + "behov.xlsx", needs_views.export_xlsx, name="needs_export_xlsx"),
    path("fylke/<county:number>/behov/", needs_county_views.county, name="needs_county"),
]
