"""Pages of the measures app: the needs overview, measures, Husbanken instruments and housing projects.
Each area has its own URL module; they share the `measures` namespace."""

from . import instrument_urls, measure_urls, needs_urls, project_urls

app_name = "measures"
urlpatterns = needs_urls.urlpatterns + measure_urls.urlpatterns + instrument_urls.urlpatterns + project_urls.urlpatterns
