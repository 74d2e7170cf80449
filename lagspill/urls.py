from django.contrib import admin
from django.urls import include, path

from lagspill.places import views as place_views
from lagspill.web import views as web_views

urlpatterns = [
    path("", place_views.home, name="home"),
    path("om/", web_views.about, name="about"),
    path("tilgjengelighet/", web_views.accessibility, name="accessibility"),
    path("healthz", web_views.healthz, name="healthz"),
    path("", include("lagspill.places.urls")),
    path("", include("lagspill.indicators.urls")),
    path("", include("lagspill.organisations.urls")),
    path("", include("lagspill.plans.urls")),
    path("", include("lagspill.continuity.urls")),
    path("", include("lagspill.arenas.urls")),
    path("", include("lagspill.measures.urls")),
    path("", include("lagspill.network.urls")),
    path("", include("lagspill.reports.urls")),
    path("", include("lagspill.continuity.mywork_urls")),
    path("api/", include("lagspill.api.urls")),
    path("konto/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
