"""Turnover in a municipality's roles: pure functions over a list of holdings (`Span`), and the
loader that reads them for one municipality or a whole county in two queries.

Definitions (the pages say the same in words):
- A **change** is a holding (a person or a vacancy) that starts in the window and is not the
  role's first recorded holding: filling a role for the first time is not turnover.
- A role **changed in the last n months** has a change starting after the same day n months ago
  and on or before today.
- **Vacancy days** (last 12 months): per role, the days in the window, from the role's first
  recorded holding on, on which no person held the role: gaps between holdings count as well as
  explicit vacancies. Summed over roles.
- **Average tenure**: the mean number of days the people holding a role today have held it
  (from their holding's start to today, both days counted), over all current person holdings.
- **X of Y roles changed since a date**: Y is the number of roles, X those with a change starting
  on or after the date.
Holdings that start after today are ignored everywhere (they have not happened yet).
"""

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

WINDOWS = (12, 24, 48)
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Span:
    """One holding as the figures need it."""

    role_id: int
    person_id: int | None
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    pk: int = 0

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


@dataclass(frozen=True)
class Figures:
    roles: int
    changed: dict[int, int]  # months → roles changed in the window
    vacancy_days: int
    average_tenure_days: float | None
    since: datetime.date
    changed_since: int

    def share(self, months: int) -> float | None:
        return self.changed[months] / self.roles if self.roles else None

    @property
    def windows(self) -> list[tuple[int, int, float | None]]:
        """(months, roles changed, share) for each window, for the pages."""
        return [(m, self.changed[m], self.share(m)) for m in WINDOWS]

    @property
    def average_tenure_years(self) -> float | None:
        return None if self.average_tenure_days is None else self.average_tenure_days / 365.25


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (the last day of a shorter month when it has no such day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def by_role(spans: Iterable[Span], today: datetime.date) -> dict[int, list[Span]]:
    """Holdings per role in order (start, pk), without those that have not started yet."""
    roles: dict[int, list[Span]] = defaultdict(list)
    for span in spans:
        if span.starts_on <= today:
            roles[span.role_id].append(span)
    for rows in roles.values():
        rows.sort(key=lambda s: (s.starts_on, s.pk))
    return roles


def change_days(spans: list[Span]) -> list[datetime.date]:
    """The start dates of the role's changes: every holding after the first recorded one."""
    return [s.starts_on for s in spans[1:]]


def changed_between(spans: list[Span], after: datetime.date, until: datetime.date) -> bool:
    return any(after < day <= until for day in change_days(spans))


def changed_since(spans: list[Span], since: datetime.date, today: datetime.date) -> bool:
    return any(since <= day <= today for day in change_days(spans))


def vacancy_days(spans: list[Span], today: datetime.date, months: int = 12) -> int:
    """Days in (today − months, today] from the first holding on with no person holding the role."""
    if not spans:
        return 0
    start = max(months_before(today, months) + ONE_DAY, spans[0].starts_on)
    if start > today:
        return 0
    held = sorted(
        (max(s.starts_on, start), min(s.ends_on or today, today))
        for s in spans
        if s.person_id is not None and s.starts_on <= today and (s.ends_on is None or s.ends_on >= start)
    )
    covered, reached = 0, start - ONE_DAY  # the last day counted as held so far
    for first, last in held:
        if last > reached:
            covered += (last - max(first - ONE_DAY, reached)).days
            reached = last
    return (today - start).days + 1 - covered


def current_tenures(spans: list[Span], today: datetime.date) -> list[int]:
    return [(today - s.starts_on).days + 1 for s in spans if s.person_id is not None and s.covers(today)]


def figures(role_ids: Iterable[int], spans: Iterable[Span], today: datetime.date, since: datetime.date) -> Figures:
    """The turnover figures of one set of roles (a municipality's active roles)."""
    ids = list(role_ids)
    wanted = set(ids)
    roles = by_role((s for s in spans if s.role_id in wanted), today)
    changed = {m: sum(changed_between(roles[r], months_before(today, m), today) for r in ids) for m in WINDOWS}
    tenures = [t for r in ids for t in current_tenures(roles[r], today)]
    return Figures(
        roles=len(ids),
        changed=changed,
        vacancy_days=sum(vacancy_days(roles[r], today) for r in ids),
        average_tenure_days=sum(tenures) / len(tenures) if tenures else None,
        since=since,
        changed_since=sum(changed_since(roles[r], since, today) for r in ids),
    )


def per_municipality(
    roles: Iterable[tuple[int, int]], spans: Iterable[Span], today: datetime.date, since: datetime.date
) -> dict[int, Figures]:
    """`roles` as (role id, municipality id): the figures of each municipality that has roles."""
    role_ids: dict[int, list[int]] = defaultdict(list)
    for role_id, municipality_id in roles:
        role_ids[municipality_id].append(role_id)
    spans_by_municipality: dict[int, list[Span]] = defaultdict(list)
    owner = {role_id: m for m, ids in role_ids.items() for role_id in ids}
    for span in spans:
        if span.role_id in owner:
            spans_by_municipality[owner[span.role_id]].append(span)
    return {m: figures(ids, spans_by_municipality[m], today, since) for m, ids in role_ids.items()}


def load_spans(role_filter: dict) -> list[Span]:
    """The active (not withdrawn) holdings of active roles matching `role_filter`, in one query."""
    from .models import Holding

    filters = {f"role__{key}": value for key, value in role_filter.items()}
    rows = (
        Holding.objects.active()
        .filter(role__retired_at__isnull=True, **filters)
        .values_list("pk", "role_id", "person_id", "starts_on", "ends_on")
    )
    return [Span(role_id=r, person_id=p, starts_on=s, ends_on=e, pk=pk) for pk, r, p, s, e in rows]
