"""URLs of the library area (joined in network/urls.py)."""

urlpatterns: list = []
