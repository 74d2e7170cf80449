"""URLs of the instrument pages (in the `measures` namespace, see urls.py)."""

urlpatterns: list = []
