"""Report downloads: the municipality status report, the county report and meeting minutes, as
PDF and XLSX."""

from django.urls import path

from . import county_views, minutes_views, municipality_views

app_name = "reports"
urlpatterns = [
    path("kommune/<municipality:number>/rapport.pdf", municipality_views.report_pdf, name="municipality_pdf"),
    path("kommune/<municipality:number>/rapport.xlsx", municipality_views.report_xlsx, name="municipality_xlsx"),
    path("fylke/<county:number>/rapport.pdf", county_views.report_pdf, name="county_pdf"),
    path("fylke/<county:number>/rapport.xlsx", county_views.report_xlsx, name="county_xlsx"),
    path("arenaer/<int:pk>/moter/<int:mid>/referat.pdf", minutes_views.minutes_pdf, name="minutes_pdf"),
]
