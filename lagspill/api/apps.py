from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lagspill.api"
    label = "api"
    verbose_name = "Read API"  # English only, like the API itself (not in the translation catalogues)
