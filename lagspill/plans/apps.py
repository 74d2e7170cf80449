from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "lagspill.plans"
    label = "plans"
    verbose_name = _("Plans")

    def ready(self) -> None:
        from . import reminders  # noqa: F401  registers the plan reminders with send_reminders
