"""Pages of the arenas app."""

from django.urls import path  # noqa: F401

app_name = "arenas"
urlpatterns: list = []
