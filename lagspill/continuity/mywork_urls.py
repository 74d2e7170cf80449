"""My work (the signed-in person's roles, tasks, actions and meetings) and the iCalendar feed."""

from django.urls import path  # noqa: F401

app_name = "mywork"
urlpatterns: list = []
