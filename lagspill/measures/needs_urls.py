"""URLs of the needs pages (in the `measures` namespace, see urls.py)."""

urlpatterns: list = []
