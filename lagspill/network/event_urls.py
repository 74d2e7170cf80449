"""URLs of the event area (joined in network/urls.py)."""

urlpatterns: list = []
