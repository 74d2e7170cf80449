"""Which reminder went to whom: the unique key makes `send_reminders` idempotent."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReminderSent(models.Model):
    key = models.CharField(max_length=200, help_text="what the reminder is about and its stage")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "recipient"], name="one_reminder_per_person")]

    def __str__(self) -> str:
        return f"{self.key} → {self.recipient}"
