"""My work (the signed-in person's roles, tasks, actions and meetings) and the iCalendar feed.

The feed's path uses the `token` converter (URL-safe characters only) registered in
`lagspill/organisations/urls.py`, which the top-level URL configuration includes first."""

from django.urls import path

from . import mywork_views

app_name = "mywork"
urlpatterns = [
    path("mitt-arbeid/", mywork_views.index, name="index"),
    path("mitt-arbeid/kalender/ny/", mywork_views.create_feed, name="create_feed"),
    path("mitt-arbeid/kalender/trekk-tilbake/", mywork_views.revoke_feed, name="revoke_feed"),
    path("kalender/<token:token>.ics", mywork_views.feed, name="feed"),
]
