"""URLs of the participation area (joined in network/urls.py)."""

urlpatterns: list = []
