"""URLs of the project pages (in the `measures` namespace, see urls.py)."""

urlpatterns: list = []
