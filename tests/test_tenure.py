"""Time in a role is shown in whole months and years, in the reader's language."""

import datetime

from django.utils import translation

from lagspill.web.templatetags.lagspill import tenure

TODAY = datetime.date(2026, 11, 24)


def test_it_says_less_than_a_month_for_a_holder_who_started_today() -> None:
    with translation.override("en"):
        assert tenure(TODAY, TODAY) == "less than a month"


def test_it_counts_whole_months_and_years() -> None:
    with translation.override("en"):
        assert tenure(datetime.date(2026, 10, 25), TODAY) == "less than a month"
        assert tenure(datetime.date(2026, 10, 24), TODAY) == "1 month"
        assert tenure(datetime.date(2025, 8, 1), TODAY) == "1 year, 3 months"
        assert tenure(datetime.date(2022, 11, 24), TODAY) == "4 years"


def test_it_shows_a_dash_without_a_start() -> None:
    assert tenure(None, TODAY) == "–"
