"""Anchoring and action-item reminders for `manage.py send_reminders` (filled in by the continuity work)."""
