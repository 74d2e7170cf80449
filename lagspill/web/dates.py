"""Dates people type: within the years the product deals with, so arithmetic on them (due dates,
calendar feeds, time zones) never overflows and a typo like 20266 gets a clear message."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 1990
LAST_YEAR = 2100


def validate_plausible_date(value: datetime.date | datetime.datetime | None) -> None:
    """A form-field validator for date and date-time fields."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Give a date between %(first)s and %(last)s."),
            code="implausible_date",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )
