"""CSV import of Husbanken instrument figures for the municipalities of one county, all or nothing.

Columns: `kommunenummer;år;virkemiddel;antall;beløp;kilde` (also `,`-separated; UTF-8 with or without
BOM). `virkemiddel` is an instrument code as in `models.Instrument` (startlan, tilskudd-utleie …);
`antall` and `beløp` are whole numbers (spaces between thousands allowed), either may be empty but not
both; `kilde` says where the figure comes from. Every row is checked before anything is stored: an
unknown municipality or one outside the county, an unknown instrument, a number that is not a whole
number or is negative, a year outside 1990–2100, the same municipality, year and instrument twice,
no figure, or no source gives an error for that row, and then nothing is stored. An active figure
for the same municipality, year and instrument is replaced (withdrawn and kept in history).
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from lagspill.places.models import County, Municipality
from lagspill.web.dates import FIRST_YEAR, LAST_YEAR

from . import instrument_actions as actions
from .models import HUSBANKEN_INSTRUMENTS, InstrumentUse

COLUMNS = ("kommunenummer", "år", "virkemiddel", "antall", "beløp", "kilde")
CODES = {i.value for i in HUSBANKEN_INSTRUMENTS}
MAX_COUNT = 2_147_483_647  # the largest number the count column holds
MAX_AMOUNT = 10**14 - 1  # 14 digits of whole kroner
MAX_SOURCE = 300
THOUSANDS = re.compile(r"[\s\u00a0\u202f]")


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        if not self.line:
            return self.message
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class ImportFailed(ValueError):
    """The file is refused; `errors` lists what is wrong, row by row (line 0: the whole file)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def template_csv(county: County, year: int | None = None) -> bytes:
    """The header and one empty row per municipality and instrument for last year, to fill in. Left
    empty, every row is refused (no figure), so the template itself can never be stored as data."""
    year = year or datetime.date.today().year - 1
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    for number in county.municipalities.order_by("number").values_list("number", flat=True):
        for instrument in HUSBANKEN_INSTRUMENTS:
            writer.writerow([number, year, instrument.value, "", "", ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def read_rows(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed([RowError(0, _("The file is not UTF-8 text."))]) from error
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    if [c for c in COLUMNS if c not in header]:
        message = _("The file must have the columns %(columns)s.") % {"columns": ";".join(COLUMNS)}
        raise ImportFailed([RowError(1, message)])
    reader.fieldnames = header
    rows = [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    rows = [row for row in rows if any(row.values())]  # blank lines are not rows
    if not rows:
        raise ImportFailed([RowError(0, _("The file has no rows."))])
    return rows


def whole_number(raw: str, column: str, largest: int) -> tuple[int | None, str | None]:
    """An empty cell is None (unknown, not zero); otherwise a whole number from 0 to `largest`."""
    text = THOUSANDS.sub("", raw)
    if not text:
        return None, None
    if re.fullmatch(r"-\d+", text):
        return None, _("“%(column)s” cannot be negative.") % {"column": column}
    if not text.isdecimal() or not text.isascii():
        return None, _("“%(column)s” must be a whole number, not “%(value)s”.") % {"column": column, "value": raw}
    if int(text) > largest:
        return None, _("“%(column)s” is too large.") % {"column": column}
    return int(text), None


def check_year(raw: str) -> tuple[int | None, str | None]:
    if not (raw.isdecimal() and raw.isascii()):
        return None, _("“år” must be a year, not “%(value)s”.") % {"value": raw}
    if not FIRST_YEAR <= int(raw) <= LAST_YEAR:
        return None, _("the year must be between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
    return int(raw), None


def check_row(
    line: int, raw: dict[str, str], county: County, municipalities: dict[str, Municipality]
) -> tuple[actions.NewFigure | None, list[RowError]]:
    messages = []
    number = raw.get("kommunenummer", "")
    municipality = municipalities.get(number)
    if municipality is None:
        messages.append(_("unknown municipality number “%(number)s”.") % {"number": number})
    elif municipality.county_id != county.pk:
        messages.append(
            _("%(municipality)s is not in %(county)s.") % {"municipality": municipality.name, "county": county.name}
        )
    year, problem = check_year(raw.get("år", ""))
    messages += [problem] if problem else []
    instrument = raw.get("virkemiddel", "").lower()
    if instrument not in CODES:
        messages.append(
            _("unknown instrument “%(code)s” (use one of %(codes)s).")
            % {"code": raw.get("virkemiddel", ""), "codes": ", ".join(i.value for i in HUSBANKEN_INSTRUMENTS)}
        )
    count, problem_count = whole_number(raw.get("antall", ""), "antall", MAX_COUNT)
    messages += [problem_count] if problem_count else []
    amount, problem_amount = whole_number(raw.get("beløp", ""), "beløp", MAX_AMOUNT)
    messages += [problem_amount] if problem_amount else []
    if count is None and amount is None and not problem_count and not problem_amount:
        messages.append(_("give “antall”, “beløp” or both."))
    source = raw.get("kilde", "")
    if not source:
        messages.append(_("say where the figure comes from in “kilde”."))
    elif len(source) > MAX_SOURCE:
        messages.append(_("“kilde” is longer than %(max)s characters.") % {"max": MAX_SOURCE})
    if messages:
        return None, [RowError(line, m) for m in messages]
    figure = actions.NewFigure(
        municipality, year, instrument, count, None if amount is None else Decimal(amount), source
    )
    return figure, []


def check(county: County, data: bytes) -> list[actions.NewFigure]:
    """Every row checked (one query for the municipalities named); raises `ImportFailed`."""
    raws = read_rows(data)
    numbers = {raw.get("kommunenummer", "") for raw in raws}
    municipalities = {m.number: m for m in Municipality.objects.filter(number__in=sorted(numbers))}
    figures, errors, seen = [], [], {}
    for line, raw in enumerate(raws, start=2):  # line 1 is the header
        figure, row_errors = check_row(line, raw, county, municipalities)
        errors += row_errors
        if figure is None:
            continue
        key = (figure.municipality.number, figure.year, figure.instrument)
        if key in seen:
            errors.append(
                RowError(
                    line, _("the same municipality, year and instrument as line %(other)s.") % {"other": seen[key]}
                )
            )
            continue
        seen[key] = line
        figures.append(figure)
    if errors:
        raise ImportFailed(errors)
    return figures


def import_uses(county: County, data: bytes, *, by: Any) -> tuple[list[InstrumentUse], int]:
    """Store every row or none (raises `ImportFailed`). Returns the new figures and how many replaced others."""
    return actions.replace_uses(check(county, data), by=by)
