from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContinuityConfig(AppConfig):
    name = "lagspill.continuity"
    label = "continuity"
    verbose_name = _("Continuity")

    def ready(self) -> None:
        from . import reminders  # noqa: F401  registers anchoring and action reminders with send_reminders
