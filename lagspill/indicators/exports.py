"""Tables as the pages show them, and the same tables as CSV or XLSX downloads.

A view builds one `Table` and both renders it and, with `?last-ned=csv|xlsx`, sends it, so a
download always holds exactly the page's numbers, followed by rows naming the sources.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
Cell = str | int | float | Decimal | None


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def filename(self, extension: str) -> str:
        return f"{slugify(self.title)[:80] or 'lagspill'}.{extension}"

    def footer(self) -> list[list[str]]:
        return [[_("Source: %(source)s") % {"source": s}] for s in self.sources] + [[n] for n in self.notes]


def requested_format(request: HttpRequest) -> str | None:
    fmt = request.GET.get("last-ned", "")
    return fmt if fmt in FORMATS else None


def download(table: Table, fmt: str) -> HttpResponse:
    body = as_csv(table) if fmt == "csv" else as_xlsx(table)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{table.filename(fmt)}"'
    return response


def plain(cell: Cell) -> Cell:
    """Missing stays empty, never 0; decimals keep their digits."""
    return "" if cell is None else cell


def as_csv(table: Table) -> bytes:
    """UTF-8 with BOM and `;`, which Norwegian spreadsheet programs open without asking."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([str(plain(c)).replace(".", ",") if isinstance(c, float | Decimal) else plain(c) for c in row])
    writer.writerow([])
    writer.writerows(table.footer())
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = slugify(table.title)[:31] or "Lagspill"
    sheet.append(table.columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([float(c) if isinstance(c, Decimal) else c for c in row])
    sheet.append([])
    for line in table.footer():
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
