"""Pages of the continuity app."""

from django.urls import path  # noqa: F401

app_name = "continuity"
urlpatterns: list = []
