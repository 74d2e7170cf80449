"""The coverage matrix: which departments (and which outside organisations) sit in which arenas,
and whether the social housing work sits in a single department.

Rules (the Nordland project's lesson: the work held only where it had meeting places across
departments):
- Rows are the municipality's departments (`continuity.models.Department`, read from the seats'
  roles; every department is listed, so gaps show) and then each organisation with a seat (the user
  organisation, Husbanken, the County Governor) as its own row. Organisation seats are not
  departments and never count towards the department rules below.
- Columns are the open arenas shown; only seats current on `today` count.
- **Single department**: all current role seats of all the open arenas shown sit in one department
  (and there is at least one role seat). Then the work as a whole is not anchored across
  departments, and the page warns.
- **Narrow arena**: an open arena whose current role seats (at least one) all sit in one department.
  Such an arena is listed under the warning too, even if other arenas are broader.
"""

from dataclasses import dataclass, field

from lagspill.continuity.models import Department
from lagspill.organisations.models import Kind

from .models import Arena


@dataclass
class Row:
    label: str
    is_organisation: bool
    cells: list[int]  # seats per arena, in the order of `Coverage.arenas`

    @property
    def total(self) -> int:
        return sum(self.cells)


@dataclass
class Coverage:
    arenas: list[Arena]
    rows: list[Row]
    single_department: str | None = None  # the department's name when the work sits in only one
    narrow: list[tuple[Arena, str]] = field(default_factory=list)  # (arena, its only department)

    @property
    def department_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.is_organisation]

    @property
    def departments_taking_part(self) -> int:
        return sum(1 for r in self.department_rows if r.total)


def build(arenas: list[Arena]) -> Coverage:
    """`arenas` are open arenas with `current_members` prefetched (role and organisation selected)."""
    seats = {a.pk: getattr(a, "current_members", []) for a in arenas}
    rows = _department_rows(arenas, seats) + _organisation_rows(arenas, seats)
    result = Coverage(arenas=arenas, rows=rows)
    all_departments = {m.role.department for a in arenas for m in seats[a.pk] if m.role_id}
    if len(all_departments) == 1:
        result.single_department = Department(all_departments.pop()).label
    for arena in arenas:
        departments = {m.role.department for m in seats[arena.pk] if m.role_id}
        if len(departments) == 1:
            result.narrow.append((arena, Department(departments.pop()).label))
    return result


def _department_rows(arenas: list[Arena], seats: dict) -> list[Row]:
    rows = []
    for department in Department:
        cells = [sum(1 for m in seats[a.pk] if m.role_id and m.role.department == department) for a in arenas]
        if department != Department.OTHER or any(cells):
            rows.append(Row(str(department.label), False, cells))
    return rows


def _organisation_rows(arenas: list[Arena], seats: dict) -> list[Row]:
    organisations = {m.organisation.pk: m.organisation for a in arenas for m in seats[a.pk] if m.organisation_id}
    order = {kind: i for i, kind in enumerate(Kind.values)}
    rows = []
    for organisation in sorted(organisations.values(), key=lambda o: (order.get(o.kind, 99), o.name)):
        cells = [sum(1 for m in seats[a.pk] if m.organisation_id == organisation.pk) for a in arenas]
        label = f"{organisation.name} ({organisation.get_kind_display()})"
        rows.append(Row(label, True, cells))
    return rows
