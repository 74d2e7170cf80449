"""URLs of the event area (joined in network/urls.py). One event's pages take only its number (pk):
the model reverses `network:event` with the pk alone."""

from django.urls import path

from . import event_views

EVENTS = "fylke/<county:number>/samlinger/"
EVENT = "samlinger/<int:pk>/"
MATERIAL = EVENT + "materiell/<int:m>/"
urlpatterns = [
    path(EVENTS, event_views.county_events, name="county_events"),
    path(EVENTS + "ny/", event_views.new_event, name="new_event"),
    path(EVENT, event_views.event, name="event"),
    path(EVENT + "endre/", event_views.edit_event, name="edit_event"),
    path(EVENT + "avlys/", event_views.cancel_event, name="cancel_event"),
    path(EVENT + "pamelding/", event_views.register, name="event_register"),
    path(EVENT + "pamelding/avmeld/", event_views.cancel_registration, name="event_cancel_registration"),
    path(EVENT + "deltakere.csv", event_views.participants_csv, name="event_participants"),
    path(EVENT + "kalender.ics", event_views.event_calendar, name="event_calendar"),
    path(EVENT + "materiell/ny/", event_views.add_material, name="add_event_material"),
    path(MATERIAL, event_views.material, name="event_material"),
    path(MATERIAL + "trekk-tilbake/", event_views.withdraw_material, name="withdraw_event_material"),
]
