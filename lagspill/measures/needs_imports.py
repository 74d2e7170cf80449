"""CSV import of needs mappings, all or nothing, and the mapping template.

The file has the header `år;kode;antall` (`,` also works as separator; UTF-8 with or without BOM; an
optional fourth column `beskrivelse`, as in the template, is ignored). One row per figure: the year,
a figure code from `needs.toml` and the count. An empty count means "not mapped" and the row is
skipped, so the blank template imports nothing. Every row is checked before anything is stored: an
unknown code, a count that is not a whole number or is negative, a year outside 1990–2100 or a code
given twice for a year is an error on that row, and then nothing is stored.

A year in the file replaces that year's figures: codes not given for it are removed from the mapping
(their values stay in the history). The mapping's note and published status are kept.
"""

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lagspill.places.models import Municipality
from lagspill.web.dates import FIRST_YEAR, LAST_YEAR

from . import catalogue, needs_actions
from .models import NeedsMapping

COLUMNS = ("år", "kode", "antall")
DESCRIPTION = "beskrivelse"
HEADER_ALIASES = {"ar": "år", "aar": "år", "year": "år", "code": "kode", "count": "antall", "description": DESCRIPTION}
MAX_COUNT = needs_actions.MAX_COUNT
THOUSANDS_SPACES = (" ", "\u00a0", "\u202f")
FILE = 0  # RowError.line for a problem with the whole file


@dataclass(frozen=True)
class RowError:
    line: int  # 1 is the header; 0 the whole file
    message: str

    def __str__(self) -> str:
        if self.line == FILE:
            return self.message
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportResult:
    rows: dict[int, dict[str, int]] = field(default_factory=dict)  # year → code → count
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def parse(file_bytes: bytes, municipality: Municipality | None = None) -> ImportResult:
    """Read and check the whole file; `rows` holds what would be stored, `errors` every problem."""
    result = ImportResult()
    try:
        text = file_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append(RowError(FILE, _("The file is not UTF-8 text.")))
        return result
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        result.errors.append(RowError(FILE, _("The file is empty.")))
        return result
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [HEADER_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in next(reader)]
    if tuple(header[:3]) != COLUMNS or any(h not in ("", DESCRIPTION) for h in header[3:]):
        result.errors.append(
            RowError(1, _("The first line must be the header %(header)s.") % {"header": ";".join(COLUMNS)})
        )
        return result
    known = catalogue.load().by_code()
    seen: dict[tuple[int, str], int] = {}
    for line, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        row, problems = check_row(line, raw, known, seen)
        result.errors += [RowError(line, message) for message in problems]
        if row is not None:
            year, code, count = row
            result.rows.setdefault(year, {})[code] = count
    if result.errors:
        result.rows = {}
    return result


def check_row(
    line: int, raw: list[str], known: dict[str, Any], seen: dict[tuple[int, str], int]
) -> tuple[tuple[int, str, int] | None, list[str]]:
    """(year, code, count) of one row, None when the count is empty or the row is wrong."""
    cells = [c.strip() for c in raw] + ["", "", ""]
    year_text, code, count_text = cells[:3]
    problems = []
    year = whole_number(year_text)
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        problems.append(
            _("the year “%(year)s” is not a year between %(first)s and %(last)s.")
            % {"year": year_text, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    if code not in known:
        problems.append(_("unknown code “%(code)s”.") % {"code": code})
    elif year is not None:
        if (year, code) in seen:
            problems.append(
                _("the code “%(code)s” is given twice for %(year)s (also on line %(other)s).")
                % {"code": code, "year": year, "other": seen[(year, code)]}
            )
        else:
            seen[(year, code)] = line
    count = None
    if count_text:
        count = whole_number(count_text)
        if count is None:
            problems.append(_("the count “%(count)s” is not a whole number.") % {"count": count_text})
        elif count < 0:
            problems.append(_("the count cannot be negative."))
        elif count > MAX_COUNT:
            problems.append(_("the count cannot be more than %(max)s.") % {"max": MAX_COUNT})
    if problems or count is None:
        return None, problems
    return (year, code, count), []


def whole_number(text: str) -> int | None:
    for space in THOUSANDS_SPACES:
        text = text.replace(space, "")
    text = text.replace("\u2212", "-")  # a minus sign copied from a table
    try:
        return int(text, 10)
    except ValueError:
        return None


@transaction.atomic
def import_mapping(municipality: Municipality, result: ImportResult, by: Any) -> list[NeedsMapping]:
    """Store every year of the file or nothing. Raises `ValidationError` when the file has errors or
    no counts."""
    if result.errors:
        raise ValidationError([str(e) for e in result.errors])
    if not result.rows:
        raise ValidationError(_("The file has no counts: fill in the column antall."))
    all_codes = [f.code for f in catalogue.figures()]
    mappings = []
    for year in sorted(result.rows):
        existing = NeedsMapping.objects.active().filter(municipality=municipality, year=year).first()
        values: dict[str, int | None] = dict.fromkeys(all_codes)
        values.update(result.rows[year])
        mappings.append(
            needs_actions.save_mapping(
                municipality,
                year,
                values,
                note=existing.note if existing else "",
                is_public=existing.is_public if existing else False,
                by=by,
            )
        )
    return mappings


def template_csv(year: int | None = None) -> str:
    """The mapping template: every code with its bokmål label and an empty count (BOM for Excel)."""
    year = year or timezone.localdate().year
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([*COLUMNS, DESCRIPTION])
    for figure in catalogue.figures():
        writer.writerow([year, figure.code, "", catalogue.label(figure, "nb")])
    return "\ufeff" + out.getvalue()
