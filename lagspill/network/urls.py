"""Learning together: one URL module per area, joined here under the `network` namespace."""

from . import event_urls, library_urls, participation_urls, support_urls

app_name = "network"
urlpatterns = [
    *library_urls.urlpatterns,
    *support_urls.urlpatterns,
    *event_urls.urlpatterns,
    *participation_urls.urlpatterns,
]
