"""URLs of the support area (joined in network/urls.py)."""

urlpatterns: list = []
