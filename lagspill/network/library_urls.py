"""URLs of the experience library (joined in network/urls.py, namespace `network`). A practice's own
pages take its number only (`Practice.get_absolute_url` reverses `network:practice`)."""

from django.urls import path

from . import library_views as views

LIBRARY = "erfaringer/"
PRACTICE = LIBRARY + "<int:pk>/"
DOCUMENT = PRACTICE + "dokumenter/<int:doc>/"
urlpatterns = [
    path(LIBRARY, views.library, name="library"),
    path(LIBRARY + "ny/", views.new_practice, name="new_practice"),
    path(PRACTICE, views.practice, name="practice"),
    path(PRACTICE + "endre/", views.edit_practice, name="edit_practice"),
    path(PRACTICE + "trekk-tilbake/", views.withdraw_practice, name="withdraw_practice"),
    path(PRACTICE + "dokumenter/", views.add_document, name="add_practice_document"),
    path(DOCUMENT, views.practice_document, name="practice_document"),
    path(DOCUMENT + "trekk-tilbake/", views.withdraw_document, name="withdraw_practice_document"),
]
