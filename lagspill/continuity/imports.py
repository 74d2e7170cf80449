"""CSV import of role holders, all or nothing.

Columns: role (a catalogue key such as `boligkoordinator`, or the role's name as shown), name,
email, from, to (YYYY-MM-DD; `to` may be empty). A row with neither name nor e-mail is a vacancy.
Every row is checked before anything is stored: an unknown role, a bad date, an end before the
start, or an overlap (within the file, or with holdings already stored) in a role with one holder at
a time gives an error for that row, and then nothing is stored. Imported holdings are history: they
are stored as given and do not end other holdings or make anchoring packages.
"""

import csv
import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from lagspill.places.models import Municipality
from lagspill.web.dates import FIRST_YEAR, LAST_YEAR

from . import actions
from .catalogue import catalogue
from .models import Holding, Role

COLUMNS = ("role", "name", "email", "from", "to")
TEMPLATE_ROWS = (
    ("boligkoordinator", "Kari Nordmann", "kari.nordmann@kommune.no", "2021-01-01", "2023-06-30"),
    ("boligkoordinator", "", "", "2023-07-01", "2023-09-30"),
    ("boligkoordinator", "Ola Nordmann", "ola.nordmann@kommune.no", "2023-10-01", ""),
)


@dataclass(frozen=True)
class Row:
    line: int
    role: Role
    name: str
    email: str
    starts_on: datetime.date
    ends_on: datetime.date | None


class ImportFailed(ValueError):
    """The file is refused; `errors` lists what is wrong, row by row."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerows(TEMPLATE_ROWS)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def read_rows(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed([_("The file is not UTF-8 text.")]) from error
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportFailed([_("The file must have the columns %(columns)s.") % {"columns": ", ".join(COLUMNS)}])
    reader.fieldnames = header
    rows = [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    if not rows:
        raise ImportFailed([_("The file has no rows.")])
    return rows


def role_lookup(municipality: Municipality) -> dict[str, Role]:
    """A role by its catalogue key, its own name, or its catalogue name in any language (any case)."""
    roles = list(Role.objects.active().filter(municipality=municipality).select_related("municipality"))
    entries = catalogue()
    found: dict[str, Role] = {}
    for role in roles:
        entry = entries.get(role.kind)
        names = [role.name] if role.name else list(entry.names.values()) if entry else []
        found.update({name.strip().lower(): role for name in names})
    found.update({r.kind.lower(): r for r in roles if r.kind})
    return found


MAX_NAME = 200  # as Person.name
MAX_EMAIL = 254  # as Person.email


def parse_day(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def person_errors(line: int, name: str, email: str) -> list[str]:
    errors = []
    if len(name) > MAX_NAME:
        errors.append(_("Line %(line)s: the name is longer than %(max)s characters.") % {"line": line, "max": MAX_NAME})
    if len(email) > MAX_EMAIL:
        errors.append(
            _("Line %(line)s: the e-mail address is longer than %(max)s characters.") % {"line": line, "max": MAX_EMAIL}
        )
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("Line %(line)s: “%(email)s” is not an e-mail address.") % {"line": line, "email": email})
    return errors


def date_errors(line: int, raw: dict[str, str]) -> tuple[datetime.date | None, datetime.date | None, list[str]]:
    errors = []
    starts_on = parse_day(raw.get("from", ""))
    if starts_on is None:
        errors.append(_("Line %(line)s: “from” must be a date as YYYY-MM-DD.") % {"line": line})
    ends_on = parse_day(raw["to"]) if raw.get("to") else None
    if raw.get("to") and ends_on is None:
        errors.append(_("Line %(line)s: “to” must be a date as YYYY-MM-DD or empty.") % {"line": line})
    if any(day and not FIRST_YEAR <= day.year <= LAST_YEAR for day in (starts_on, ends_on)):
        errors.append(
            _("Line %(line)s: give dates between %(first)s and %(last)s.")
            % {"line": line, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    elif starts_on and ends_on and ends_on < starts_on:
        errors.append(_("Line %(line)s: the end date is before the start date.") % {"line": line})
    return starts_on, ends_on, errors


def check_row(line: int, raw: dict[str, str], roles: dict[str, Role]) -> tuple[Row | None, list[str]]:
    errors = []
    role = roles.get(raw.get("role", "").lower())
    if role is None:
        errors.append(_("Line %(line)s: unknown role “%(role)s”.") % {"line": line, "role": raw.get("role", "")})
    starts_on, ends_on, wrong_dates = date_errors(line, raw)
    name, email = raw.get("name", ""), raw.get("email", "").lower()
    errors += wrong_dates + person_errors(line, name, email)
    if errors:
        return None, errors
    return Row(line, role, name, email, starts_on, ends_on), []


def overlap_errors(rows: list[Row]) -> list[str]:
    """Overlaps in single-holder roles: between rows of the file, and with stored holdings."""
    errors = []
    roles = {r.role.pk: r.role for r in rows if r.role.single_holder}
    stored = Holding.objects.active().filter(role__in=list(roles)).select_related("person")
    for row in rows:
        if row.role.pk not in roles:
            continue
        for other in rows:
            same_role = other.line < row.line and other.role.pk == row.role.pk
            if same_role and actions.overlaps(row.starts_on, row.ends_on, other.starts_on, other.ends_on):
                errors.append(
                    _("Line %(line)s overlaps line %(other)s: the role has one holder at a time.")
                    % {"line": row.line, "other": other.line}
                )
        for holding in stored:
            if holding.role_id == row.role.pk and actions.overlaps(
                row.starts_on, row.ends_on, holding.starts_on, holding.ends_on
            ):
                errors.append(
                    _("Line %(line)s overlaps the stored holding of %(holder)s from %(start)s.")
                    % {"line": row.line, "holder": actions.holder_text(holding), "start": holding.starts_on}
                )
    return errors


def check(municipality: Municipality, data: bytes) -> list[Row]:
    raws = read_rows(data)
    roles = role_lookup(municipality)
    rows, errors = [], []
    for line, raw in enumerate(raws, start=2):  # line 1 is the header
        row, row_errors = check_row(line, raw, roles)
        errors += row_errors
        if row:
            rows.append(row)
    errors += overlap_errors(rows)
    if errors:
        raise ImportFailed(errors)
    return rows


@transaction.atomic
def import_holders(municipality: Municipality, data: bytes, *, by: Any) -> list[Holding]:
    """Store every row or none (raises `ImportFailed` with the row errors)."""
    rows = check(municipality, data)
    for role_pk in sorted({r.role.pk for r in rows}):
        Role.objects.select_for_update().get(pk=role_pk)
    errors = overlap_errors(rows)  # again, under the locks
    if errors:
        raise ImportFailed(errors)
    holdings = []
    for row in rows:
        person = None
        if row.name or row.email:
            name = row.name or row.email
            person = actions.person_for(municipality, name=name, email=row.email, by=by)
        holding = Holding(role=row.role, person=person, starts_on=row.starts_on, ends_on=row.ends_on, created_by=by)
        holding.save()
        holdings.append(holding)
    return holdings
