"""Local-election cycle and the planning strategy deadline (plan- og bygningsloven § 10-1).

Norway elects municipal councils every four years in September (2019, 2023, 2027, …). The new
council is constituted by the end of October of the election year, and must adopt a planning
strategy within one year of being constituted. We take 31 October as the constitution date, so
the deadline is 31 October of the year after the election.
"""

import datetime

FIRST_ELECTION = 2019
CYCLE = 4


def last_election_year(today: datetime.date) -> int:
    """The most recent election year on or before `today` (the election is held in September)."""
    year = today.year - (today.year - FIRST_ELECTION) % CYCLE
    if year == today.year and today < election_day(year):
        year -= CYCLE
    return year


def election_day(year: int) -> datetime.date:
    """The second Monday of September (the usual election day)."""
    first = datetime.date(year, 9, 1)
    first_monday = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
    return first_monday + datetime.timedelta(days=7)


def constituted_by(election_year: int) -> datetime.date:
    return datetime.date(election_year, 10, 31)


def strategy_due(election_year: int) -> datetime.date:
    return datetime.date(election_year + 1, 10, 31)
