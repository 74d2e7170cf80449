"""The needs overview's figures, read from `needs.toml` (the data, with its documentation).

`figures()` lists every figure a mapping can hold; `label(item)` gives its name in the reader's
language. Totals are not stored: see `suppression.py` for how they are derived and protected.
"""

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

PATH = Path(__file__).with_name("needs.toml")
KINDS = ("situation", "group", "need", "waiting", "stock")
ENTRY_KEYS = ("situation", "dwelling", "status")


@dataclass(frozen=True)
class Entry:
    """A situation, a dwelling type or a stock status: a code with labels."""

    code: str
    labels: dict[str, str] = field(hash=False, compare=False)


@dataclass(frozen=True)
class Figure:
    code: str
    kind: str
    labels: dict[str, str] = field(hash=False, compare=False)
    parent: str = ""  # situation figures: the situation
    dwelling: str = ""  # need, waiting, stock: the dwelling type
    status: str = ""  # stock: the status
    suppress: bool = True  # household counts are protected; dwelling counts are not


@dataclass(frozen=True)
class Catalogue:
    situations: tuple[Entry, ...]
    dwellings: tuple[Entry, ...]
    statuses: tuple[Entry, ...]
    figures: tuple[Figure, ...]

    def by_code(self) -> dict[str, Figure]:
        return {f.code: f for f in self.figures}

    def of_kind(self, kind: str) -> list[Figure]:
        return [f for f in self.figures if f.kind == kind]


def label(item: Entry | Figure, language: str | None = None) -> str:
    language = (language or get_language() or "nb")[:2]
    return item.labels.get(language) or item.labels["nb"]


@cache
def load(path: Path = PATH) -> Catalogue:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = {key: tuple(Entry(e["code"], e["label"]) for e in data[key]) for key in ENTRY_KEYS}
    figures = tuple(
        Figure(
            code=f["code"],
            kind=f["kind"],
            labels=f["label"],
            parent=f.get("parent", ""),
            dwelling=f.get("dwelling", ""),
            status=f.get("status", ""),
            suppress=f.get("suppress", True),
        )
        for f in data["figure"]
    )
    catalogue = Catalogue(entries["situation"], entries["dwelling"], entries["status"], figures)
    check(catalogue)
    return catalogue


def check(catalogue: Catalogue) -> None:
    """Fail loudly on a broken file: unique codes, known kinds, parents, dwelling types and statuses."""
    codes = [f.code for f in catalogue.figures]
    if len(codes) != len(set(codes)):
        raise ValueError("needs.toml: figure codes must be unique")
    situations = {s.code for s in catalogue.situations}
    dwellings = {d.code for d in catalogue.dwellings}
    statuses = {s.code for s in catalogue.statuses}
    for f in catalogue.figures:
        if f.kind not in KINDS:
            raise ValueError(f"needs.toml: {f.code} has unknown kind {f.kind}")
        if f.kind == "situation" and f.parent not in situations:
            raise ValueError(f"needs.toml: {f.code} has unknown situation {f.parent}")
        if f.kind in ("need", "waiting", "stock") and f.dwelling not in dwellings:
            raise ValueError(f"needs.toml: {f.code} has unknown dwelling type {f.dwelling}")
        if f.kind == "stock" and f.status not in statuses:
            raise ValueError(f"needs.toml: {f.code} has unknown status {f.status}")
        if set(f.labels) != {"nb", "nn", "en"}:
            raise ValueError(f"needs.toml: {f.code} needs labels in nb, nn and en")


def figures() -> tuple[Figure, ...]:
    return load().figures
