from django.urls import path, register_converter

from lagspill.web.converters import TokenConverter

from . import views

register_converter(TokenConverter, "token")
app_name = "organisations"
urlpatterns = [
    path("organisasjoner/", views.my_organisations, name="mine"),
    path("organisasjoner/bytt/", views.switch, name="switch"),
    path("organisasjon/<slug:slug>/medlemmer/", views.members, name="members"),
    path("organisasjon/<slug:slug>/medlemmer/<int:pk>/rolle/", views.change_role, name="change_role"),
    path("organisasjon/<slug:slug>/medlemmer/<int:pk>/fjern/", views.remove_member, name="remove_member"),
    path(
        "organisasjon/<slug:slug>/invitasjoner/<int:pk>/trekk-tilbake/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("invitasjon/<token:token>/", views.invitation, name="invitation"),
]
