"""URLs of the support area (joined in network/urls.py): a municipality's requests and the form to
send one, the inbox of the organisations that receive requests, and one request's thread with its
actions. Models reverse `network:request` and `network:request_attachment`."""

from django.urls import path

from . import support_views as views

MUNICIPALITY = "kommune/<municipality:number>/henvendelser/"
REQUEST = "henvendelser/<int:pk>/"
urlpatterns = [
    path(MUNICIPALITY, views.municipality_requests, name="municipality_requests"),
    path(MUNICIPALITY + "ny/", views.new_request, name="new_request"),
    path("henvendelser/", views.inbox, name="inbox"),
    path(REQUEST, views.support_request, name="request"),
    path(REQUEST + "svar/", views.reply, name="request_reply"),
    path(REQUEST + "notat/", views.note, name="request_note"),
    path(REQUEST + "behandling/", views.triage, name="request_triage"),
    path(REQUEST + "vedlegg/<int:att>/", views.attachment, name="request_attachment"),
]
