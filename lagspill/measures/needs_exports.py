"""A needs mapping as CSV or XLSX, exactly as the reader's table shows it.

Exports read only the reader's `NeedsTable` (suppression.py): a hidden cell is written as its text
("<5" or "×"), never as a number, and a figure that is not mapped stays empty (never 0). Shown counts
are written as plain whole numbers so spreadsheets can add them up.
"""

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from lagspill.indicators import exports

from . import catalogue
from .suppression import (
    NEED_TOTAL,
    STOCK_TOTAL,
    TOTAL,
    VACANT_TOTAL,
    WAITING_TOTAL,
    NeedsTable,
    situation_total,
    stock_total,
)


def sections() -> list[tuple[str, list[str]]]:
    """(section key, codes) in the order of the overview: each situation with its total, the grand
    total, groups, need, waiting list and stock, each followed by its totals."""
    cat = catalogue.load()
    found = [
        (s.code, [f.code for f in cat.of_kind("situation") if f.parent == s.code] + [situation_total(s.code)])
        for s in cat.situations
    ]
    found.append(("total", [TOTAL]))
    found.append(("group", [f.code for f in cat.of_kind("group")]))
    found.append(("need", [f.code for f in cat.of_kind("need")] + [NEED_TOTAL]))
    found.append(("waiting", [f.code for f in cat.of_kind("waiting")] + [WAITING_TOTAL]))
    stock = [f.code for f in cat.of_kind("stock")]
    found.append(("stock", stock + [stock_total(d.code) for d in cat.dwellings] + [VACANT_TOTAL, STOCK_TOTAL]))
    return found


def section_label(key: str) -> str:
    cat = catalogue.load()
    situations = {s.code: s for s in cat.situations}
    if key in situations:
        return catalogue.label(situations[key])
    return {
        "total": _("All households"),
        "group": _("Groups"),
        "need": _("Need by dwelling type"),
        "waiting": _("Waiting list"),
        "stock": _("Municipal dwellings"),
    }[key]


def label_for(code: str, language: str | None = None) -> str:
    """The name of a figure or a total in `language` (or the active one)."""
    cat = catalogue.load()
    figures = cat.by_code()
    if code in figures:
        return catalogue.label(figures[code], language)
    with translation.override(language or translation.get_language()):
        situations = {situation_total(s.code): s for s in cat.situations}
        dwellings = {stock_total(d.code): d for d in cat.dwellings}
        if code in situations:
            return _("Total: %(situation)s") % {"situation": catalogue.label(situations[code], language)}
        if code in dwellings:
            return _("Municipal dwellings: %(type)s") % {"type": catalogue.label(dwellings[code], language)}
        return {
            TOTAL: _("All households in a disadvantaged situation"),
            NEED_TOTAL: _("Total need"),
            WAITING_TOTAL: _("Total on the waiting list"),
            VACANT_TOTAL: _("Vacant municipal dwellings"),
            STOCK_TOTAL: _("All municipal dwellings"),
        }[code]


def typed_rows(table: NeedsTable, language: str) -> list[list[str | int]]:
    """[code, section, label, count] per code; count is an int when shown, else the cell's text."""
    with translation.override(language):
        out: list[list[str | int]] = []
        for key, codes in sections():
            name = section_label(key)
            for code in codes:
                cell = table.cell(code)
                count: str | int = cell.value if not cell.hidden and cell.value is not None else cell.text
                out.append([code, name, label_for(code, language), count])
        return out


def rows(mapping_table: NeedsTable, language: str) -> list[list[str]]:
    """The table as rows of text: code, section, label and count ("<5", "×", "" or the number)."""
    return [[str(c) for c in row] for row in typed_rows(mapping_table, language)]


def columns() -> list[str]:
    return [_("code"), _("section"), _("figure"), _("count")]


def notes(table: NeedsTable) -> list[str]:
    found = [_("Counts of households; municipal dwellings are counts of dwellings. Empty: not mapped.")]
    if not table.full:
        found.append(_("<5: a count of 1–4 households, hidden to protect them."))
        found.append(_("×: hidden so that a small count cannot be worked out from the totals."))
    return found


def as_table(municipality, year: int, table: NeedsTable) -> exports.Table:
    language = translation.get_language() or "nb"
    title = _("Needs mapping %(municipality)s %(year)s") % {"municipality": municipality.name_plain, "year": year}
    return exports.Table(
        title=title,
        columns=columns(),
        rows=typed_rows(table, language),
        sources=[_("%(municipality)s municipality's needs mapping") % {"municipality": municipality.name_plain}],
        notes=notes(table),
    )


def csv_response(municipality, year: int, table: NeedsTable) -> HttpResponse:
    return exports.download(as_table(municipality, year, table), "csv")


def xlsx_response(municipality, year: int, table: NeedsTable) -> HttpResponse:
    return exports.download(as_table(municipality, year, table), "xlsx")
