from django.urls import path
from django.views.generic import RedirectView

from .api import api

urlpatterns = [
    # /api/ itself (django-ninja's "api-root", a bare 404) sends people to the documentation.
    path("", RedirectView.as_view(pattern_name="api:openapi-view"), name="api_home"),
    path("", api.urls),
]
