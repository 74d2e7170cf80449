"""CSV upload of a municipality's own figures: read, check every row, then store all or nothing.

`parse` is pure apart from reading the catalogue and the municipality numbers: it collects every
error with the row number a spreadsheet shows (header = row 1) and the column name, so a person
can fix the whole file at once. Only a file without errors reaches `import_rows`, which stores it
as one new data version in one transaction.
"""

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lagspill.places.models import Municipality

from . import derived, pipeline
from .models import AreaLevel, DataVersion, Indicator, Observation, SourceKind, Unit

MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000
FIRST_YEAR = 2000
INDICATOR, MUNICIPALITY, YEAR, VALUE, NUMERATOR, DENOMINATOR = COLUMNS = (
    "indikator",
    "kommunenummer",
    "år",
    "verdi",
    "teller",
    "nevner",
)
REQUIRED = (INDICATOR, MUNICIPALITY, YEAR, VALUE)
FIGURES = (VALUE, NUMERATOR, DENOMINATOR)
ALIASES = {"aar": YEAR}  # "år" typed without the letter å
DUPLICATE_KEY = f"{INDICATOR}, {MUNICIPALITY}, {YEAR}"
DELIMITERS = ";\t,"  # Norwegian Excel writes ";"; the first one found in the header wins
# Spaces people and spreadsheets put between thousands: space, no-break, narrow no-break, thin, figure.
THOUSANDS = dict.fromkeys(map(ord, " \u00a0\u202f\u2009\u2007"), None)
DIGITS = re.compile(r"[0-9]+")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
MAX_INTEGER_DIGITS = 14  # Observation's DecimalField(max_digits=18, decimal_places=4)
PLACES = Decimal("0.0001")
SCALE = {Unit.PERCENT: 100, Unit.PER_100: 100, Unit.PER_1000: 1000}


@dataclass(frozen=True)
class RowError:
    """One problem: `row` as a spreadsheet numbers it (None for the whole file), `column` by header name."""

    row: int | None
    column: str
    message: str


@dataclass(frozen=True)
class Row:
    row: int
    indicator: Indicator
    year: int
    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    checksum: str = ""
    file_name: str = ""


@dataclass(frozen=True)
class ImportResult:
    version: DataVersion
    stored: int
    created: bool  # False: the same file was uploaded before, nothing changed


def source_for(municipality: Municipality) -> str:
    return f"csv:{municipality.number}"


def this_year() -> int:
    return timezone.localdate().year


def csv_indicators() -> QuerySet[Indicator]:
    return Indicator.objects.filter(source_kind=SourceKind.CSV)


def earlier_uploads(municipality: Municipality) -> QuerySet[DataVersion]:
    versions = DataVersion.objects.filter(source=source_for(municipality)).select_related("loaded_by")
    return versions.annotate(rows=Count("observations")).order_by("-loaded_at", "-pk")


# ---------------------------------------------------------------- the template
def template_csv(municipality: Municipality) -> bytes:
    """Header and one row per CSV indicator for last year; the BOM makes Excel read it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    for indicator in csv_indicators():
        writer.writerow([indicator.code, municipality.number, this_year() - 1, "", "", ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# ---------------------------------------------------------------- reading a file
def parse_upload(upload: UploadedFile, municipality: Municipality) -> Parsed:
    """Refuse an oversized file before reading it into memory."""
    name = (upload.name or "")[:300]
    if (upload.size or 0) > MAX_BYTES:
        return Parsed(errors=[file_error(_("The file is larger than 1 MB."))], file_name=name)
    return parse(upload.read(), municipality, name)


def parse(data: bytes, municipality: Municipality, file_name: str = "") -> Parsed:
    parsed = Parsed(checksum=hashlib.sha256(data).hexdigest(), file_name=file_name)
    records, error = read_records(data)
    if error:
        parsed.errors.append(error)
        return parsed
    columns, parsed.errors = read_header(records[0])
    if not parsed.errors:
        parsed.rows, parsed.errors = read_rows(records, columns, municipality)
    return parsed


def file_error(message: str) -> RowError:
    return RowError(None, "", message)


def read_records(data: bytes) -> tuple[list[list[str]], RowError | None]:
    if len(data) > MAX_BYTES:
        return [], file_error(_("The file is larger than 1 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], file_error(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."))
    if not text.strip():
        return [], file_error(_("The file is empty."))
    if "\x00" in text:
        return [], file_error(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."))
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text)))
    except csv.Error:
        return [], file_error(_("The file could not be read as CSV."))
    while records and is_blank(records[-1]):
        records.pop()
    return records, None


def delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return next((d for d in DELIMITERS if d in header), ";")


def is_blank(record: list[str]) -> bool:
    return not any(cell.strip() for cell in record)


def read_header(header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    """Column name → position; names are matched without regard to case or surrounding spaces."""
    names = [ALIASES.get(n, n) for n in (cell.strip().lower() for cell in header)]
    columns = {name: names.index(name) for name in COLUMNS if name in names}
    errors = [
        RowError(1, name, _("The column “%(column)s” is missing.") % {"column": name})
        for name in REQUIRED
        if name not in columns
    ]
    errors += [
        RowError(1, name, _("The column “%(column)s” appears more than once.") % {"column": name})
        for name in COLUMNS
        if names.count(name) > 1
    ]
    return columns, errors


def read_rows(
    records: list[list[str]], columns: dict[str, int], municipality: Municipality
) -> tuple[list[Row], list[RowError]]:
    if len(records) - 1 > MAX_ROWS:
        message = _("The file has %(count)s rows; at most %(max)s can be uploaded at once.")
        return [], [file_error(message % {"count": len(records) - 1, "max": MAX_ROWS})]
    checker = RowChecker(municipality)
    rows = []
    for number, record in enumerate(records[1:], start=2):
        cells = {name: cell(record, position) for name, position in columns.items()}
        if any(cells.get(name) for name in FIGURES):  # rows without figures (as in the template) are skipped
            row = checker.check(number, cells)
            rows += [row] if row else []
    if not rows and not checker.errors:
        checker.errors.append(file_error(_("The file has no figures: every row after the header is empty.")))
    return rows, checker.errors


def cell(record: list[str], position: int) -> str:
    return record[position].strip() if position < len(record) else ""


# ---------------------------------------------------------------- checking one row
class RowChecker:
    """Checks rows one by one and remembers every error, and which series each earlier row gave."""

    def __init__(self, municipality: Municipality) -> None:
        self.municipality = municipality
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self.numbers = set(Municipality.objects.values_list("number", flat=True))
        self.first_row: dict[tuple[str, str, int], int] = {}
        self.errors: list[RowError] = []
        self.row = 0

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.row, column, message))

    def check(self, row: int, cells: dict[str, str]) -> Row | None:
        self.row, errors_before = row, len(self.errors)
        indicator = self.indicator(cells[INDICATOR])
        number = self.municipality_number(cells[MUNICIPALITY])
        year = self.year(cells[YEAR])
        if indicator and number and year:
            self.unique(indicator.code, number, year)
        figures_before = len(self.errors)
        figures = {name: self.number(name, cells.get(name, "")) for name in FIGURES}
        figures_read = len(self.errors) == figures_before
        value = self.value(indicator, figures) if indicator and figures_read else None
        if len(self.errors) > errors_before or indicator is None or year is None or value is None:
            return None
        return Row(row, indicator, year, value, figures[NUMERATOR], figures[DENOMINATOR])

    def indicator(self, code: str) -> Indicator | None:
        indicator = self.indicators.get(code.lower())
        if not code:
            self.error(INDICATOR, _("The indicator is missing."))
        elif indicator is None:
            self.error(INDICATOR, _("“%(code)s” is not an indicator in the catalogue.") % {"code": code})
        elif indicator.source_kind != SourceKind.CSV:
            self.error(INDICATOR, _("“%(code)s” is not open for CSV upload.") % {"code": code})
        else:
            return indicator
        return None

    def municipality_number(self, text: str) -> str | None:
        # Excel drops the leading zero of numbers such as 0301 (Oslo).
        number = text.zfill(4) if DIGITS.fullmatch(text) and len(text) == 3 else text
        if not number:
            self.error(MUNICIPALITY, _("The municipality number is missing."))
        elif number not in self.numbers:
            self.error(MUNICIPALITY, _("“%(number)s” is not a municipality number.") % {"number": text})
        elif number != self.municipality.number:
            message = _("Only figures for %(name)s (%(own)s) can be uploaded here, not for %(number)s.")
            self.error(
                MUNICIPALITY, message % {"name": self.municipality, "own": self.municipality.number, "number": number}
            )
        else:
            return number
        return None

    def year(self, text: str) -> int | None:
        last = this_year()
        if not text:
            self.error(YEAR, _("The year is missing."))
        elif not DIGITS.fullmatch(text):
            self.error(YEAR, _("“%(text)s” is not a year.") % {"text": text})
        elif not FIRST_YEAR <= int(text) <= last:
            message = _("The year must be between %(first)s and %(last)s.")
            self.error(YEAR, message % {"first": FIRST_YEAR, "last": last})
        else:
            return int(text)
        return None

    def number(self, column: str, text: str) -> Decimal | None:
        try:
            number = parse_number(text)
        except ValueError:
            self.error(column, _("“%(text)s” is not a number.") % {"text": text})
            return None
        if number is not None and number < 0:
            self.error(column, _("The number cannot be negative."))
            return None
        return number

    def unique(self, code: str, number: str, year: int) -> None:
        first = self.first_row.setdefault((code, number, year), self.row)
        if first != self.row:
            message = _("The same indicator, municipality and year are already in row %(row)s.")
            self.error(DUPLICATE_KEY, message % {"row": first})

    def value(self, indicator: Indicator, figures: dict[str, Decimal | None]) -> Decimal | None:
        """The value as given, or for a proportion computed from numerator and denominator."""
        numerator, denominator = figures[NUMERATOR], figures[DENOMINATOR]
        both = numerator is not None and denominator is not None
        if indicator.proportion and both and numerator > denominator:
            self.error(NUMERATOR, _("The numerator cannot be larger than the denominator."))
        elif figures[VALUE] is not None:
            return figures[VALUE]
        elif indicator.proportion and both:
            return self.share(indicator, numerator, denominator)
        elif indicator.proportion:
            self.error(VALUE, _("Give a value, or both numerator and denominator."))
        else:
            self.error(VALUE, _("The value is missing."))
        return None

    def share(self, indicator: Indicator, numerator: Decimal, denominator: Decimal) -> Decimal | None:
        if denominator == 0:
            self.error(DENOMINATOR, _("The denominator must be larger than zero to compute the value."))
            return None
        return (numerator / denominator * SCALE.get(indicator.unit, 1)).quantize(PLACES, ROUND_HALF_UP)


def parse_number(text: str) -> Decimal | None:
    """A number written the Norwegian or the English way: "1 234,5", "1234.5", "−3". Empty → None."""
    cleaned = text.translate(THOUSANDS).replace("\u2212", "-").replace(",", ".")
    if not cleaned:
        return None
    if not NUMBER.fullmatch(cleaned) or len(cleaned.lstrip("-").split(".")[0]) > MAX_INTEGER_DIGITS:
        raise ValueError(text)
    try:
        return Decimal(cleaned).quantize(PLACES, ROUND_HALF_UP)
    except InvalidOperation as error:
        raise ValueError(text) from error


# ---------------------------------------------------------------- storing
def import_rows(
    municipality: Municipality,
    rows: Sequence[Row],
    user: Any,
    *,
    checksum: str | None = None,
    file_name: str = "",
) -> ImportResult:
    """Store checked rows as one new data version, then re-mark current and latest figures.

    The checksum (of the file's bytes, from `parse`) makes uploading the same file twice a no-op.
    """
    with transaction.atomic():
        version, created = DataVersion.objects.get_or_create(
            source=source_for(municipality),
            checksum=checksum or rows_checksum(rows),
            defaults={"description": file_name[:300], "loaded_by": user},
        )
        if not created:
            return ImportResult(version, 0, created=False)
        Observation.objects.bulk_create(observations(municipality, rows, version))
        pipeline.mark_current()
        derived.compute_index()  # the uploaded figures may belong to indicators of the index
    return ImportResult(version, len(rows), created=True)


def observations(municipality: Municipality, rows: Iterable[Row], version: DataVersion) -> list[Observation]:
    return [
        Observation(
            indicator=row.indicator,
            version=version,
            area_level=AreaLevel.MUNICIPALITY,
            area_code=municipality.number,
            period=str(row.year),
            year=row.year,
            value=row.value,
            numerator=row.numerator,
            denominator=row.denominator,
        )
        for row in rows
    ]


def rows_checksum(rows: Iterable[Row]) -> str:
    """For callers without a file: the same rows give the same checksum."""
    text = "\n".join(f"{r.indicator.code};{r.year};{r.value};{r.numerator};{r.denominator}" for r in rows)
    return hashlib.sha256(text.encode()).hexdigest()
