"""Reports as XLSX workbooks (openpyxl): one sheet per section, with the figures the PDF shows.

    from lagspill.reports import xlsx
    body = xlsx.workbook([
        ("Plans", ["Level", "Plan", "Maturity"], [["Housing plan", "Boligplan 2025–2030", 43]], ["Source: …"]),
        xlsx.Sheet("Gap", columns, rows, notes, blocks=[xlsx.Block("All types", columns2, rows2)]),
    ])
    return pdf.xlsx_response(body, name)

A sheet is `(title, columns, rows, notes)` or a `Sheet` (the same, plus further tables below the first,
each a `Block` with its own caption and column headings). Headings are bold; the notes (sources,
explanations) come after the figures, below an empty row.

Cells: numbers stay numbers (a `Decimal` becomes a float, so a spreadsheet can compute with it), dates
stay dates, text stays text: a suppressed count is the text "<5" or "×", never a number. `None` is an
empty cell (no figure: never written as 0). Text that a spreadsheet would run as a formula ("=…") is
stored as text, and characters XML cannot hold are dropped.
"""

import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

Cell = str | int | float | Decimal | datetime.date | None

MAX_TITLE = 31  # Excel's limit for a sheet name
MAX_WIDTH = 60  # characters: longer text wraps
BOLD = Font(bold=True)
_NOT_IN_TITLES = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Block:
    """A further table on a sheet, below the ones before it."""

    caption: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]


@dataclass
class Sheet:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    notes: Sequence[str] = ()
    blocks: Sequence[Block] = field(default_factory=list)


def workbook(sheets: Iterable[Sheet | tuple]) -> bytes:
    """The sheets as an XLSX file. Each item is a `Sheet` or a tuple `(title, columns, rows, notes)`."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for item in sheets:
        sheet = item if isinstance(item, Sheet) else Sheet(*item)
        write_sheet(book.create_sheet(sheet_title(sheet.title, used)), sheet)
    if not book.worksheets:
        book.create_sheet("Lagspill")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    widths: dict[int, int] = {}
    if sheet.columns:
        _heading(ws, sheet.columns, widths)
        ws.freeze_panes = "A2"
    _rows(ws, sheet.rows, widths)
    for block in sheet.blocks:
        ws.append([])
        ws.append([clean(block.caption)])
        ws.cell(ws.max_row, 1).font = BOLD
        _heading(ws, block.columns, widths)
        _rows(ws, block.rows, widths)
    if sheet.notes:
        if sheet.columns or sheet.rows or sheet.blocks:
            ws.append([])
        for note in sheet.notes:
            ws.append([clean(note)])
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), MAX_WIDTH)


def _heading(ws: Worksheet, columns: Sequence[str], widths: dict[int, int]) -> None:
    ws.append([clean(str(c)) for c in columns])
    for index, cell in enumerate(ws[ws.max_row], start=1):
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths[index] = max(widths.get(index, 0), min(len(str(cell.value or "")), 30))


def _rows(ws: Worksheet, rows: Sequence[Sequence[Cell]], widths: dict[int, int]) -> None:
    for row in rows:
        ws.append([value(c) for c in row])
        for index, cell in enumerate(ws[ws.max_row], start=1):
            if isinstance(cell.value, str):
                if cell.data_type == "f":  # "=…" typed by a person is text, never a formula
                    cell.data_type = "s"
                if len(cell.value) > MAX_WIDTH:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif isinstance(cell.value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            shown = 16 if isinstance(cell.value, datetime.date) else len(str(cell.value or ""))
            widths[index] = max(widths.get(index, 0), shown)


def value(cell: Cell) -> str | int | float | datetime.date | None:
    if isinstance(cell, Decimal):
        return float(cell)
    if isinstance(cell, datetime.datetime) and cell.tzinfo is not None:
        return timezone.localtime(cell).replace(tzinfo=None)  # Excel has no time zones: local time, as shown
    if isinstance(cell, str):
        return clean(cell)
    if cell is None or isinstance(cell, int | float | datetime.date):
        return cell
    return clean(str(cell))  # lazy translations and other objects with a text form


def clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(text))


def sheet_title(title: str, used: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\ characters, at most 31 characters."""
    base = _NOT_IN_TITLES.sub("-", clean(title)).strip("' ")[:MAX_TITLE] or "Lagspill"
    name, n = base, 1
    while name.casefold() in used:
        n += 1
        suffix = f" ({n})"
        name = base[: MAX_TITLE - len(suffix)] + suffix
    used.add(name.casefold())
    return name
