"""Small household counts in the needs mapping cannot be read or worked out by anyone outside the
municipality: exact examples, a subtraction attack, and a property test that plays the attacker by
enumerating every assignment of the hidden cells consistent with what is shown."""

import itertools
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from lagspill.measures import catalogue
from lagspill.measures.suppression import (
    HIDDEN_TEXT,
    SMALL_TEXT,
    Cell,
    NeedsTable,
    active_constraints,
    build_table,
    household_constraints,
    with_totals,
)

U, R = "uten-bolig", "risiko"


def texts(table: NeedsTable) -> dict[str, str]:
    return {code: cell.text for code, cell in table.cells.items() if cell.reason != "missing"}


# --- Exact examples --------------------------------------------------------------------------------
def test_a_small_count_and_its_smallest_sibling_are_hidden() -> None:
    table = build_table({"uten-bolig.uten-tak": 3, "uten-bolig.midlertidig": 10, "risiko.utkastelse": 7}, full=False)
    assert texts(table) == {
        "uten-bolig.uten-tak": SMALL_TEXT,
        "uten-bolig.midlertidig": HIDDEN_TEXT,
        "risiko.utkastelse": "7",
        "situasjon:uten-bolig": "13",
        "situasjon:risiko": "7",
        "total": "20",
    }
    small, other = table.cell("uten-bolig.uten-tak"), table.cell("uten-bolig.midlertidig")
    assert (small.value, small.hidden, small.reason) == (None, True, "small")
    assert (other.value, other.hidden, other.reason) == (None, True, "secondary")


def test_the_owner_sees_every_number() -> None:
    table = build_table({"uten-bolig.uten-tak": 3, "uten-bolig.midlertidig": 10}, full=True)
    assert table.full and not table.suppressed
    assert table.cell("uten-bolig.uten-tak").value == 3
    assert table.cell("situasjon:uten-bolig").value == 13
    assert all(not c.hidden for c in table.cells.values())


def test_the_smallest_non_zero_part_is_hidden_before_a_larger_one_and_before_zeros() -> None:
    values = {"risiko.utkastelse": 2, "risiko.uten-kontrakt": 0, "risiko.boutgifter": 9, "uten-bolig.uten-tak": 6}
    table = build_table(values, full=False)
    assert table.cell("risiko.utkastelse").text == SMALL_TEXT
    assert table.cell("risiko.boutgifter").text == HIDDEN_TEXT
    assert table.cell("risiko.uten-kontrakt").text == "0"


def test_two_small_counts_that_pin_each_other_hide_their_total() -> None:
    # 8 = "<5" + "<5" would give 4 + 4: the total is hidden as well.
    table = build_table({"uten-bolig.uten-tak": 4, "uten-bolig.midlertidig": 4}, full=False)
    assert table.cell("situasjon:uten-bolig").hidden
    assert table.cell("total").hidden


def test_a_secondary_cross_that_would_be_read_as_at_least_five_is_protected() -> None:
    # 6 = "<5" + "×": a reader who knows that × is never 1–4 gets 1 + 5 unless more is hidden.
    values = {"uten-bolig.uten-tak": 1, "uten-bolig.midlertidig": 5, "risiko.utkastelse": 20}
    table = build_table(values, full=False)
    assert table.cell("situasjon:uten-bolig").hidden
    assert table.cell("situasjon:risiko").hidden  # else total − risiko gives the situation total back
    assert table.cell("total").text == "26"


def test_small_counts_that_add_up_to_a_small_total_are_not_pinned() -> None:
    # 4 = 1 + 1 + 1 + 1, all "<5": four parts of at least 1 and a total of at most 4 would give all.
    values = {f"uten-bolig.{c}": 1 for c in ("uten-tak", "midlertidig", "utskrivning", "mottak")}
    table = build_table(values, full=False)
    assert all(table.cell(code).hidden for code in values)
    assert HIDDEN_TEXT in {table.cell(code).text for code in values}


def test_a_hidden_situation_total_is_protected_in_the_grand_total() -> None:
    values = {"uten-bolig.uten-tak": 2, "risiko.utkastelse": 12, "uegnet.standard": 30}
    table = build_table(values, full=False)
    assert table.cell("situasjon:uten-bolig").text == SMALL_TEXT
    assert table.cell("situasjon:risiko").hidden  # the smallest other situation
    assert table.cell("risiko.utkastelse").hidden  # and then inside that situation
    assert table.cell("situasjon:uegnet").text == "30"
    assert table.cell("total").text == "44"


def test_groups_get_primary_suppression_only_and_dwellings_none() -> None:
    values = {"gruppe.unge": 2, "gruppe.flyktninger": 9, "bestand.akutt.ledig": 1, "bestand.akutt.i-bruk": 3}
    table = build_table(values, full=False)
    assert table.cell("gruppe.unge").text == SMALL_TEXT
    assert table.cell("gruppe.flyktninger").text == "9"
    assert table.cell("bestand.akutt.ledig").text == "1"
    assert table.cell("bestand:akutt").value == 4
    assert table.cell("bestand:ledig").value == 1


def test_not_mapped_is_empty_never_zero_and_totals_sum_only_mapped_parts() -> None:
    table = build_table({"behov.ordinaer": 12, "behov.akutt": 0}, full=False)
    assert table.cell("behov.tilpasset") == table.cell("no-such-code")
    assert (table.cell("behov.tilpasset").value, table.cell("behov.tilpasset").text) == (None, "")
    assert table.cell("behov.tilpasset").reason == "missing"
    assert table.cell("behov:total").value == 12
    assert table.cell("total").reason == "missing"
    assert table.cell("behov.akutt").text == "0"


def test_zero_is_shown() -> None:
    table = build_table({"uten-bolig.uten-tak": 0, "uten-bolig.midlertidig": 0}, full=False)
    assert not table.suppressed
    assert table.cell("situasjon:uten-bolig").text == "0"


# --- The subtraction attack ------------------------------------------------------------------------
def subtraction_attack(table: NeedsTable, values: dict[str, int]) -> list[str]:
    """Cells an outsider gets back by subtracting the shown parts from a shown total (or adding shown
    parts up to a hidden total)."""
    recovered = []
    for c in active_constraints(with_totals(values)):
        hidden = [code for code in c.cells if table.cell(code).hidden]
        if len(hidden) != 1:
            continue
        if hidden[0] == c.total:
            guess = sum(table.cell(p).value for p in c.parts)
        else:
            guess = table.cell(c.total).value - sum(table.cell(p).value for p in c.parts if p != hidden[0])
        recovered.append(f"{hidden[0]}={guess}")
    return recovered


def test_subtraction_never_gives_a_hidden_value_back() -> None:
    examples = [
        {"uten-bolig.uten-tak": 3, "uten-bolig.midlertidig": 10, "risiko.utkastelse": 7},
        {"uten-bolig.uten-tak": 2, "risiko.utkastelse": 12, "uegnet.standard": 30},
        {"behov.ordinaer": 20, "behov.tilpasset": 1, "behov.tjenester": 6, "behov.akutt": 0},
        {"venteliste.ordinaer": 4, "venteliste.akutt": 9},
        {f.code: 3 for f in catalogue.figures()},
        {f.code: i % 7 for i, f in enumerate(catalogue.figures())},
    ]
    for values in examples:
        table = build_table(values, full=False)
        assert table.suppressed
        assert subtraction_attack(table, values) == [], values


# --- The attacker, by enumeration ------------------------------------------------------------------
SUBS = {
    U: ["uten-bolig.uten-tak", "uten-bolig.midlertidig", "uten-bolig.mottak"],
    R: [f.code for f in catalogue.load().of_kind("situation") if f.parent == R][:3],
}
NEEDS = [f.code for f in catalogue.load().of_kind("need")]


@dataclass(frozen=True)
class Seen:
    """What the outsider is shown (`table`), with the true values (`known`) for the checks only."""

    table: NeedsTable
    known: dict[str, int]

    def cell(self, code: str) -> Cell:
        return self.table.cell(code)


def options(table: Seen, code: str, upper: int, *, strong: bool) -> list[int]:
    """Values an outsider allows for one cell, up to `upper`. The strong outsider knows that "×" hides
    a count of 0 or at least 5, and cannot tell the rare small count shown as "×" from the rest."""
    cell = table.cell(code)
    if not cell.hidden:
        return [cell.value] if cell.value <= upper else []
    if cell.text == SMALL_TEXT:
        return [v for v in range(1, 5) if v <= upper]
    if strong and not 1 <= table.known[code] <= 4:  # "×" is never 1–4, except a small count shown as "×"
        return [v for v in range(upper + 1) if v == 0 or v >= 5]
    return list(range(upper + 1))


def upper_bound(table: Seen, code: str, above: int) -> int:
    cell = table.cell(code)
    if not cell.hidden:
        return min(cell.value, above)
    return min(4, above) if cell.text == SMALL_TEXT else above


def tuples_by_sum(table: Seen, parts: list[str], upper: int, *, strong: bool) -> dict[int, list[tuple]]:
    """Every assignment of `parts` with a sum of at most `upper`, grouped by sum (backtracking)."""
    found: dict[int, list[tuple]] = {}
    domains = [options(table, p, upper, strong=strong) for p in parts]

    def walk(i: int, chosen: tuple, total: int) -> None:
        if i == len(parts):
            found.setdefault(total, []).append(chosen)
            return
        for v in domains[i]:
            if total + v <= upper:
                walk(i + 1, (*chosen, v), total + v)

    walk(0, (), 0)
    return found


def solve(table: Seen, parent: str, children: dict[str, list[str]], window: int, *, strong: bool):
    """Feasible values of every cell of a two-level tree parent = Σ child totals, child = Σ leaves
    (`children` maps a child total to its leaves; a leaf child maps to [])."""
    top = upper_bound(table, parent, window)
    per_child = {}
    for child, leaves in children.items():
        bound = upper_bound(table, child, top)
        if leaves:
            sums = tuples_by_sum(table, leaves, bound, strong=strong)
            allowed = set(options(table, child, bound, strong=strong))
            per_child[child] = {s: t for s, t in sums.items() if s in allowed}
        else:
            per_child[child] = {v: [()] for v in options(table, child, bound, strong=strong)}
    feasible: dict[str, set[int]] = {code: set() for code in [parent, *children, *itertools.chain(*children.values())]}
    parent_ok = set(options(table, parent, top, strong=strong))
    names = list(children)
    for combo in itertools.product(*(per_child[c] for c in names)):
        if sum(combo) not in parent_ok:
            continue
        feasible[parent].add(sum(combo))
        for child, value in zip(names, combo, strict=True):
            feasible[child].add(value)
            for chosen in per_child[child][value]:
                for leaf, v in zip(children[child], chosen, strict=True):
                    feasible[leaf].add(v)
    return feasible


def attack(values: dict[str, int], table: NeedsTable, *, strong: bool) -> dict[str, set[int]]:
    known = with_totals(values)
    window = max(known.values(), default=0) + 2  # a search window: found values are real solutions
    seen = Seen(table, known)
    found: dict[str, set[int]] = {}
    situations = {f"situasjon:{s}": [c for c in SUBS[s] if c in known] for s in SUBS}
    situations = {s: leaves for s, leaves in situations.items() if leaves}
    if situations:
        found.update(solve(seen, "total", situations, window, strong=strong))
    needs = {c: [] for c in NEEDS if c in known}
    if needs:
        found.update(solve(seen, "behov:total", needs, window, strong=strong))
    return {code: vals for code, vals in found.items() if table.cell(code).hidden}


count = st.one_of(st.none(), st.integers(0, 12))
mappings = st.fixed_dictionaries({code: count for code in SUBS[U] + SUBS[R] + NEEDS}).map(
    lambda d: {k: v for k, v in d.items() if v is not None}
)


@settings(max_examples=300)
@given(mappings)
def test_no_hidden_cell_can_be_pinned_by_an_attacker(values: dict[str, int]) -> None:
    table = build_table(values, full=False)
    known = with_totals(values)
    assert subtraction_attack(table, values) == []
    for strong in (False, True):
        for code, feasible in attack(values, table, strong=strong).items():
            assert known[code] in feasible, (code, strong)
            assert len(feasible) >= 2, (code, feasible, strong, texts(table))


@settings(max_examples=100)
@given(mappings)
def test_primary_suppression_hides_every_count_of_one_to_four(values: dict[str, int]) -> None:
    table = build_table(values, full=False)
    for code, value in with_totals(values).items():
        cell = table.cell(code)
        if 1 <= value <= 4:
            assert cell.hidden and cell.value is None and cell.text in (SMALL_TEXT, HIDDEN_TEXT)
        if not cell.hidden:
            assert cell.value == value
    full = build_table(values, full=True)
    assert {c: full.cell(c).value for c in with_totals(values)} == with_totals(values)


def test_the_constraints_cover_the_catalogue() -> None:
    parts = {p for c in household_constraints() for p in c.parts}
    situation_figures = {f.code for f in catalogue.load().of_kind("situation")}
    assert situation_figures <= parts


all_counts = st.fixed_dictionaries({f.code: count for f in catalogue.figures()}).map(
    lambda d: {k: v for k, v in d.items() if v is not None}
)


@settings(max_examples=150)
@given(all_counts)
def test_the_whole_catalogue_resists_subtraction(values: dict[str, int]) -> None:
    table = build_table(values, full=False)
    assert subtraction_attack(table, values) == []
    for code, value in with_totals(values).items():
        if 1 <= value <= 4 and code in {f.code for f in catalogue.figures() if f.suppress}:
            assert table.cell(code).hidden
