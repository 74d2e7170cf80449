"""URLs of the measure pages (in the `measures` namespace, see urls.py)."""

urlpatterns: list = []
