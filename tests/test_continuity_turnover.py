"""Turnover figures and the risk list as pure functions, with exact numbers."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from lagspill.continuity import risks, turnover
from lagspill.continuity.risks import Data, OwnedPlan, RoleInfo, Seat
from lagspill.continuity.turnover import Span

D = datetime.date
TODAY = D(2026, 5, 10)
A, B, C, E = 1, 2, 3, 4  # role ids

SPANS = [
    Span(A, 11, D(2020, 1, 1), D(2025, 12, 31), pk=1),
    Span(A, 12, D(2026, 1, 1), None, pk=2),
    Span(B, 13, D(2019, 1, 1), None, pk=3),
    Span(C, 14, D(2022, 3, 1), D(2024, 2, 29), pk=4),
    Span(C, None, D(2024, 3, 1), D(2024, 5, 31), pk=5),
    Span(C, 15, D(2024, 6, 1), D(2025, 8, 31), pk=6),  # then a gap: nobody holds C
]


def test_months_before_keeps_the_day_or_takes_the_month_end() -> None:
    assert turnover.months_before(D(2026, 5, 10), 12) == D(2025, 5, 10)
    assert turnover.months_before(D(2024, 3, 31), 1) == D(2024, 2, 29)
    assert turnover.months_before(D(2026, 1, 15), 48) == D(2022, 1, 15)


def test_figures_are_exact() -> None:
    figures = turnover.figures([A, B, C], SPANS, TODAY, since=D(2023, 9, 11))
    assert figures.roles == 3
    # 12 months: only A (new holder 2026-01-01). 24 months: also C (2024-06-01). 48: the same two.
    assert figures.changed == {12: 1, 24: 2, 48: 2}
    assert figures.share(12) == 1 / 3
    # C has nobody from 2025-09-01 to 2026-05-10: 30+31+30+31+31+28+31+30+10 days.
    assert figures.vacancy_days == 252
    # Current holders: A since 2026-01-01 (130 days), B since 2019-01-01 (2687 days).
    assert figures.average_tenure_days == (130 + 2687) / 2
    assert figures.changed_since == 2  # A and C changed after the 2023 election


def test_a_role_filled_for_the_first_time_is_not_a_change() -> None:
    spans = [Span(E, 20, D(2026, 2, 1), None, pk=9)]
    figures = turnover.figures([E], spans, TODAY, since=D(2023, 9, 11))
    assert figures.changed == {12: 0, 24: 0, 48: 0} and figures.changed_since == 0
    assert figures.vacancy_days == 0  # counted only from the first holding on


def test_explicit_vacancy_and_a_gap_both_count_as_vacancy_days() -> None:
    spans = [
        Span(E, 20, D(2025, 1, 1), D(2025, 6, 30), pk=1),
        Span(E, None, D(2025, 7, 1), D(2025, 7, 10), pk=2),  # 10 days recorded vacant
        Span(E, 21, D(2025, 7, 21), None, pk=3),  # 10 days gap (11–20 July)
    ]
    assert turnover.vacancy_days(turnover.by_role(spans, TODAY)[E], TODAY) == 20


def test_future_holdings_are_ignored() -> None:
    spans = [Span(E, 20, D(2020, 1, 1), None, pk=1), Span(E, 21, D(2027, 1, 1), None, pk=2)]
    assert turnover.figures([E], spans, TODAY, D(2023, 9, 11)).changed[12] == 0


def test_per_municipality_splits_roles() -> None:
    result = turnover.per_municipality([(A, 100), (B, 100), (C, 200)], SPANS, TODAY, D(2023, 9, 11))
    assert result[100].roles == 2 and result[100].changed[12] == 1
    assert result[200].roles == 1 and result[200].vacancy_days == 252


def data(**extra: object) -> Data:
    roles = [
        RoleInfo(A, 100, "Boligkoordinator", True, "/a"),
        RoleInfo(B, 100, "Kommunedirektør", False, "/b"),
        RoleInfo(C, 100, "NAV", True, "/c"),
    ]
    return Data(roles=roles, spans=SPANS, plans=[], seats=[], **extra)


def kinds(found: list[risks.Risk]) -> list[tuple[str, str]]:
    return [(r.kind, r.subject) for r in found]


def test_the_risk_list() -> None:
    found = risks.find(data(), TODAY)
    assert kinds(found) == [
        (risks.VACANT, "NAV"),  # nobody since 2025-09-01
        (risks.NEW_HOLDER, "Boligkoordinator"),  # since 2026-01-01, under 6 months
        (risks.NO_HANDOVER, "Kommunedirektør"),
    ]


def test_a_plan_owned_by_a_vacant_role_is_a_risk() -> None:
    base = data()
    base.plans = [OwnedPlan(C, "Boligplan", "/p"), OwnedPlan(B, "Planstrategi", "/q")]
    found = risks.find(base, TODAY)
    assert (risks.PLAN_VACANT, "Boligplan") in kinds(found)
    assert (risks.PLAN_VACANT, "Planstrategi") not in kinds(found)


def seat(role: int | None, joined: datetime.date, left: datetime.date | None = None) -> Seat:
    return Seat(7, "Boligforum", 100, role, joined, left, "/arena")


def test_an_arena_that_lost_most_of_its_members_is_a_risk() -> None:
    base = data()
    # Held on 2025-05-10: A (changed holder since), C (changed? no: last change 2024-06-01), B.
    base.seats = [seat(A, D(2020, 1, 1)), seat(B, D(2020, 1, 1), D(2025, 10, 1)), seat(C, D(2020, 1, 1))]
    assert (risks.ARENA_LOST, "Boligforum") in kinds(risks.find(base, TODAY))  # 2 of 3 lost
    base.seats = [seat(A, D(2020, 1, 1)), seat(B, D(2020, 1, 1)), seat(C, D(2020, 1, 1))]
    assert (risks.ARENA_LOST, "Boligforum") not in kinds(risks.find(base, TODAY))  # 1 of 3 lost
    base.seats = [seat(A, D(2020, 1, 1)), seat(B, D(2025, 6, 1))]  # only one seat held a year ago
    assert (risks.ARENA_LOST, "Boligforum") not in kinds(risks.find(base, TODAY))


def vacant_days_counted_one_by_one(spans: list[turnover.Span], today: datetime.date) -> int:
    start = max(turnover.months_before(today, 12) + turnover.ONE_DAY, spans[0].starts_on)
    days = [start + datetime.timedelta(days=n) for n in range((today - start).days + 1)]
    return sum(not any(s.person_id is not None and s.covers(day) for s in spans) for day in days)


span_lists = st.lists(
    st.tuples(st.integers(-30, 800), st.one_of(st.none(), st.integers(0, 400)), st.booleans()), min_size=1, max_size=5
)


@given(span_lists)
def test_vacancy_days_equal_counting_day_by_day(raw: list[tuple[int, int | None, bool]]) -> None:
    today = datetime.date(2026, 11, 24)
    spans = [
        turnover.Span(
            role_id=1,
            person_id=None if vacancy else n + 1,
            starts_on=today - datetime.timedelta(days=back),
            ends_on=None if length is None else today - datetime.timedelta(days=back) + datetime.timedelta(days=length),
            pk=n,
        )
        for n, (back, length, vacancy) in enumerate(raw)
    ]
    ordered = turnover.by_role(spans, today).get(1, [])
    if ordered:
        assert turnover.vacancy_days(ordered, today) == vacant_days_counted_one_by_one(ordered, today)
