"""URLs of the participation area (joined in network/urls.py): input on plans and measures, its use, and
the list of what is open for input."""

from django.urls import path

from . import participation_views as views

urlpatterns = [
    path("horinger/", views.consultations, name="consultations"),
    path("kommune/<municipality:number>/planer/<int:pk>/innspill/", views.give_plan_input, name="give_plan_input"),
    path("tiltak/<int:pk>/innspill/", views.give_measure_input, name="give_measure_input"),
    path("innspill/<int:pk>/bruk/", views.record_use, name="record_use"),
    path("innspill/<int:pk>/trekk-tilbake/", views.withdraw_input, name="withdraw_input"),
]
