"""The needs mapping as a table of cells, with small household counts protected.

Every view, export, chart and API response reads a mapping through `build_table`, so what a reader
sees (and what can be derived from it) comes from one place. Outside the owning municipality
(`access.sees_needs_in_full`):

- *Primary suppression*: a household count of 1–4 is shown as "<5".
- *Secondary suppression*: the household counts are tied by sums (the constraints below). A sum with
  exactly one hidden cell gives that cell away by subtraction, so one more cell of that sum is hidden
  ("×"): the smallest non-zero part still shown, else a zero part, else the sum itself. A hidden sum is
  a part of the sum above it, so this repeats until nothing changes.
- *Audit*: hiding cells in pairs is not always enough ("<5" tells the reader 1–4, and "×" a count that
  is 0 or at least 5), e.g. 8 = "<5" + "<5" gives 4 + 4. `_disclosed` plays the attacker: it works out,
  for every hidden cell, every value consistent with what is shown and with all sums, and the cell is
  hidden further (or, when nothing is left to hide, a "<5" is shown as "×") until every hidden cell has
  at least two possible values. The sums form a tree, so interval arithmetic over it is exact.

Constraints (household counts; totals are derived here and never stored):
    total               = Σ situasjon:<situation>
    situasjon:<s>       = Σ the sub-categories of situation s
    behov:total         = Σ need figures
    venteliste:total    = Σ waiting figures
A total sums the parts that are mapped; with no part mapped it is missing. Groups overlap, so they have
no sum and get primary suppression only. Dwellings (stock) are not people and are never suppressed.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

from lagspill.web.templatetags.lagspill import number

from . import catalogue

SMALL_MAX = 4  # counts 1..SMALL_MAX are primary-suppressed
SMALL_TEXT = "<5"
HIDDEN_TEXT = "×"
TOTAL = "total"
NEED_TOTAL = "behov:total"
WAITING_TOTAL = "venteliste:total"
STOCK_TOTAL = "bestand:total"
VACANT_TOTAL = "bestand:ledig"
VACANT_STATUS = "ledig"


def situation_total(situation: str) -> str:
    return f"situasjon:{situation}"


def stock_total(dwelling: str) -> str:
    return f"bestand:{dwelling}"


@dataclass(frozen=True)
class Cell:
    value: int | None  # None when not mapped, or when hidden from this reader
    text: str  # formatted number, "<5", "×", or "" when not mapped
    hidden: bool  # primary or secondary suppression
    reason: str  # "" | "small" (1–4) | "secondary" | "missing"


MISSING = Cell(None, "", False, "missing")


@dataclass(frozen=True)
class NeedsTable:
    cells: dict[str, Cell]
    full: bool  # True when nothing was hidden because the reader owns the mapping

    def cell(self, code: str) -> Cell:
        return self.cells.get(code, MISSING)

    @property
    def suppressed(self) -> bool:
        """Whether anything in the table is hidden from this reader."""
        return any(c.hidden for c in self.cells.values())

    @property
    def mapped(self) -> bool:
        """Whether the mapping holds any figure at all."""
        return any(c.reason != "missing" for c in self.cells.values())


@dataclass(frozen=True)
class Constraint:
    total: str
    parts: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return (self.total, *self.parts)


# --- The structure, from needs.toml ----------------------------------------------------------------
@cache
def household_constraints() -> tuple[Constraint, ...]:
    """Every sum between household counts, children before the sums they are part of."""
    cat = catalogue.load()
    situations = [
        Constraint(situation_total(s.code), tuple(f.code for f in cat.of_kind("situation") if f.parent == s.code))
        for s in cat.situations
    ]
    return (
        *situations,
        Constraint(TOTAL, tuple(c.total for c in situations)),
        Constraint(NEED_TOTAL, tuple(f.code for f in cat.of_kind("need"))),
        Constraint(WAITING_TOTAL, tuple(f.code for f in cat.of_kind("waiting"))),
    )


@cache
def stock_constraints() -> tuple[Constraint, ...]:
    """Sums of dwellings (not suppressed): per type, vacant over types, and all."""
    cat = catalogue.load()
    stock = cat.of_kind("stock")
    return (
        *(Constraint(stock_total(d.code), tuple(f.code for f in stock if f.dwelling == d.code)) for d in cat.dwellings),
        Constraint(VACANT_TOTAL, tuple(f.code for f in stock if f.status == VACANT_STATUS)),
        Constraint(STOCK_TOTAL, tuple(f.code for f in stock)),
    )


@cache
def household_codes() -> frozenset[str]:
    """Figure and total codes that count households (and so are protected)."""
    figures = {f.code for f in catalogue.load().figures if f.suppress}
    return frozenset(figures | {c.total for c in household_constraints()})


@cache
def all_codes() -> tuple[str, ...]:
    """Every figure code and total code, in a fixed order (catalogue order, totals after their parts)."""
    codes = [f.code for f in catalogue.load().figures]
    codes += [c.total for c in household_constraints()] + [c.total for c in stock_constraints()]
    return tuple(codes)


def with_totals(values: Mapping[str, int]) -> dict[str, int]:
    """The mapped figures plus every total that has at least one mapped part."""
    out = {code: int(v) for code, v in values.items() if code in catalogue.load().by_code() and v is not None}
    for constraint in (*household_constraints(), *stock_constraints()):
        parts = [out[p] for p in constraint.parts if p in out]
        if parts:
            out[constraint.total] = sum(parts)
    return out


def active_constraints(present: Iterable[str]) -> list[Constraint]:
    """The household sums restricted to the mapped cells (a total exists only with mapped parts)."""
    present = set(present)
    found = []
    for c in household_constraints():
        parts = tuple(p for p in c.parts if p in present)
        if parts:
            found.append(Constraint(c.total, parts))
    return found


# --- Building the table ----------------------------------------------------------------------------
def build_table(values: Mapping[str, int], *, full: bool) -> NeedsTable:
    """The reader's table of `values` (figure code → count; missing codes are not mapped).
    `full=True` (the owning municipality) shows everything."""
    known = with_totals(values)
    hidden, blurred = ({}, set()) if full else protect(known)
    cells = {}
    for code in all_codes():
        if code not in known:
            cells[code] = MISSING
        elif code in blurred:  # a small count shown as "×" must not say it is small
            cells[code] = Cell(None, HIDDEN_TEXT, True, "secondary")
        elif code in hidden:
            text = SMALL_TEXT if hidden[code] == "small" else HIDDEN_TEXT
            cells[code] = Cell(None, text, True, hidden[code])
        else:
            cells[code] = Cell(known[code], str(number(known[code])), False, "")
    return NeedsTable(cells, full)


def protect(known: Mapping[str, int]) -> tuple[dict[str, str], set[str]]:
    """Which household cells to hide (code → "small" | "secondary") and which small ones to show as
    "×" instead of "<5" (`blurred`), so that no hidden count can be worked out."""
    hidden, blurred = _protected(tuple(sorted((c, v) for c, v in known.items() if c in household_codes())))
    return dict(hidden), set(blurred)


@lru_cache(maxsize=1024)
def _protected(known: tuple[tuple[str, int], ...]) -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    """`protect` for the household counts only (the rest does not change the answer), cached: pages
    build the same tables again and again, and the audit costs a few milliseconds."""
    hidden, blurred = _protect(dict(known))
    return tuple(hidden.items()), frozenset(blurred)


def _protect(known: Mapping[str, int]) -> tuple[dict[str, str], set[str]]:
    codes = household_codes()
    order = {code: i for i, code in enumerate(all_codes())}
    constraints = active_constraints(known)
    hidden = {c: "small" for c in sorted(known, key=order.__getitem__) if c in codes and 1 <= known[c] <= SMALL_MAX}
    blurred: set[str] = set()
    state = _State(known, constraints, hidden, blurred, order)
    state.complete()
    while bad := state.disclosed():
        state.fix(bad[0])
        state.complete()
    return hidden, blurred


@dataclass
class _State:
    known: Mapping[str, int]
    constraints: list[Constraint]
    hidden: dict[str, str]
    blurred: set[str]
    order: dict[str, int]
    parent: dict[str, Constraint] = field(default_factory=dict)
    own: dict[str, Constraint] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for c in self.constraints:
            self.own[c.total] = c
            for p in c.parts:
                self.parent[p] = c

    # The rule: no sum with exactly one hidden cell.
    def complete(self) -> None:
        changed = True
        while changed:
            changed = False
            for c in self.constraints:
                if sum(cell in self.hidden for cell in c.cells) == 1:
                    self.hidden[self.candidates(c)[0]] = "secondary"
                    changed = True

    def candidates(self, c: Constraint) -> list[str]:
        """Shown cells of `c` in the order we prefer to hide them: the smallest non-zero part, then
        zero parts, then the total."""
        shown = [p for p in c.parts if p not in self.hidden]
        nonzero = sorted((p for p in shown if self.known[p]), key=lambda p: (self.known[p], self.order[p]))
        zero = [p for p in shown if not self.known[p]]
        total = [] if c.total in self.hidden else [c.total]
        return nonzero + zero + total

    # The audit.
    def disclosed(self) -> list[str]:
        """Hidden cells an attacker can pin to one value (in catalogue order)."""
        found = set()
        for strong in (False, True):
            for code, values in feasible(self.known, self.constraints, self.view(), strong=strong).items():
                if size(values) < 2:
                    found.add(code)
        return sorted(found, key=self.order.__getitem__)

    def view(self) -> dict[str, str]:
        return {
            c: HIDDEN_TEXT if c in self.blurred or reason == "secondary" else SMALL_TEXT
            for c, reason in self.hidden.items()
        }

    def fix(self, code: str) -> None:
        """Hide (or blur) one more cell so that `code` is no longer pinned; prefer a cell of a sum
        `code` is in, and among those the first that works. Always makes progress."""
        near = [c for c in (self.parent.get(code), self.own.get(code)) if c]
        hides = [cell for c in near for cell in self.candidates(c)]
        blurs = [cell for c in near for cell in (code, *c.cells) if self._blurrable(cell)]
        for kind, cell in [("hide", cell) for cell in hides] + [("blur", cell) for cell in dict.fromkeys(blurs)]:
            if code not in self._try(kind, cell):
                self._apply(kind, cell)
                return
        fallback = [("hide", c) for c in self._shown_anywhere()] + [("blur", c) for c in self._blurrable_anywhere()]
        if hides:
            self._apply("hide", hides[0])
        elif blurs:
            self._apply("blur", blurs[0])
        elif fallback:
            self._apply(*fallback[0])
        else:  # pragma: no cover - everything is hidden and blurred, which nothing can pin
            raise AssertionError(f"cannot protect {code}")

    def _blurrable(self, cell: str) -> bool:
        return self.hidden.get(cell) == "small" and cell not in self.blurred

    def _shown_anywhere(self) -> list[str]:
        cells = {cell for c in self.constraints for cell in c.cells if cell not in self.hidden}
        return sorted(cells, key=lambda cell: (self.known[cell] == 0, self.known[cell], self.order[cell]))

    def _blurrable_anywhere(self) -> list[str]:
        cells = {cell for c in self.constraints for cell in c.cells if self._blurrable(cell)}
        return sorted(cells, key=self.order.__getitem__)

    def _apply(self, kind: str, cell: str) -> None:
        if kind == "hide":
            self.hidden[cell] = "secondary"
        else:
            self.blurred.add(cell)

    def _try(self, kind: str, cell: str) -> list[str]:
        trial = _State(self.known, self.constraints, dict(self.hidden), set(self.blurred), self.order)
        trial._apply(kind, cell)
        trial.complete()
        return trial.disclosed()


# --- The attacker ----------------------------------------------------------------------------------
# A set of integers as sorted, disjoint, non-adjacent closed intervals; `math.inf` for no upper bound.
Intervals = tuple[tuple[float, float], ...]
ANY: Intervals = ((0, math.inf),)
SMALL: Intervals = ((1, SMALL_MAX),)
NOT_SMALL: Intervals = ((0, 0), (SMALL_MAX + 1, math.inf))


def domain(text: str | None, value: int, *, strong: bool) -> Intervals:
    """What a reader knows of one cell from its text: a shown number exactly, "<5" is 1–4, and "×"
    any count (`strong`: a reader who knows "×" is used for counts that are not small)."""
    if text is None:
        return ((value, value),)
    if text == SMALL_TEXT:
        return SMALL
    return NOT_SMALL if strong else ANY


def feasible(
    known: Mapping[str, int], constraints: list[Constraint], view: Mapping[str, str], *, strong: bool
) -> dict[str, Intervals]:
    """Every value each hidden cell can take, given what is shown (`view`: code → "<5" | "×"; other
    cells shown exactly) and all sums. Exact: the sums form a tree and sets of intervals are closed
    under sums and intersections. With `strong`, a "×" means 0 or ≥ 5 unless it hides a small count
    shown as "×" on purpose (the reader cannot tell those apart, so they get 0 or more)."""
    own = {c.total: c for c in constraints}
    parent = {p: c for c in constraints for p in c.parts}

    def dom(code: str) -> Intervals:
        text = view.get(code)
        if strong and text == HIDDEN_TEXT and 1 <= known[code] <= SMALL_MAX:
            return ANY  # a blurred small count
        return domain(text, known[code], strong=strong)

    below: dict[str, Intervals] = {}

    def sub(code: str) -> Intervals:
        if code not in below:
            result = dom(code)
            if code in own:
                result = intersect(result, add_all(sub(p) for p in own[code].parts))
            below[code] = result
        return below[code]

    whole: dict[str, Intervals] = {}

    def full(code: str) -> Intervals:
        if code not in whole:
            if code not in parent:
                whole[code] = sub(code)
            else:
                c = parent[code]
                siblings = add_all(sub(p) for p in c.parts if p != code)
                whole[code] = intersect(sub(code), subtract(full(c.total), siblings))
        return whole[code]

    result = {}
    for code in view:
        values = full(code)
        if not contains(values, known[code]):  # pragma: no cover - would be a bug in the arithmetic
            raise AssertionError(f"{code}={known[code]} outside {values}")
        result[code] = values
    return result


def normalise(spans: Iterable[tuple[float, float]]) -> Intervals:
    merged: list[list[float]] = []
    for lo, hi in sorted(s for s in spans if s[0] <= s[1]):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return tuple((lo, hi) for lo, hi in merged)


def add(a: Intervals, b: Intervals) -> Intervals:
    return normalise((x[0] + y[0], x[1] + y[1]) for x in a for y in b)


def add_all(sets: Iterable[Intervals]) -> Intervals:
    result: Intervals = ((0, 0),)
    for s in sets:
        result = add(result, s)
    return result


def subtract(a: Intervals, b: Intervals) -> Intervals:
    """{x − y}; lower bounds are finite here, so no ∞ − ∞."""
    return normalise((x[0] - y[1], x[1] - y[0]) for x in a for y in b)


def intersect(a: Intervals, b: Intervals) -> Intervals:
    return normalise((max(x[0], y[0]), min(x[1], y[1])) for x in a for y in b)


def contains(a: Intervals, value: int) -> bool:
    return any(lo <= value <= hi for lo, hi in a)


def size(a: Intervals) -> float:
    return sum(hi - lo + 1 for lo, hi in a)


# --- Reading a mapping -----------------------------------------------------------------------------
def values_of(mapping) -> dict[str, int]:
    """Figure code → count of a mapping (uses prefetched `figures` when there)."""
    return {f.code: f.value for f in mapping.figures.all()}


def table_for(mapping, *, full: bool) -> NeedsTable:
    return build_table(values_of(mapping), full=full)
