"""Changes to the yearly figures of Husbanken's instruments, each atomic. Views and the import call
these; the caller has checked access (`access.enters_instrument_use`). One active figure per
municipality, year and instrument: a second one is refused (`DuplicateUse`, naming the one to change),
and nothing is deleted: a figure is withdrawn or replaced, and history keeps every version."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lagspill.places.models import Municipality

from .models import InstrumentUse


class DuplicateUse(ValidationError):
    """There is already an active figure for this municipality, year and instrument: change that one."""

    def __init__(self, existing: InstrumentUse) -> None:
        super().__init__(
            _("There is already a figure for %(instrument)s in %(year)s. Change that figure instead.")
            % {"instrument": existing.get_instrument_display(), "year": existing.year},
            code="duplicate",
        )
        self.existing = existing


def check_figures(count: int | None, amount: Decimal | None, source: str) -> None:
    if count is None and amount is None:
        raise ValidationError(_("Give the number, the amount or both."))
    if not source.strip():
        raise ValidationError(_("Say where the figure comes from."))


def active_use(municipality: Municipality, year: int, instrument: str) -> InstrumentUse | None:
    return InstrumentUse.objects.active().filter(municipality=municipality, year=year, instrument=instrument).first()


@transaction.atomic
def enter_use(
    municipality: Municipality,
    *,
    year: int,
    instrument: str,
    count: int | None,
    amount: Decimal | None,
    source: str,
    by: Any,
) -> InstrumentUse:
    """A new figure; refused with `DuplicateUse` when the year already has an active one."""
    check_figures(count, amount, source)
    if existing := active_use(municipality, year, instrument):
        raise DuplicateUse(existing)
    use = InstrumentUse(
        municipality=municipality,
        year=year,
        instrument=instrument,
        count=count,
        amount=amount,
        source=source.strip(),
        created_by=by,
    )
    use.full_clean()
    try:
        with transaction.atomic():  # two people entering the same figure at once: the second is refused
            use.save()
    except IntegrityError:
        existing = active_use(municipality, year, instrument)
        if existing is None:
            raise
        raise DuplicateUse(existing) from None
    return use


@transaction.atomic
def change_use(use: InstrumentUse, *, count: int | None, amount: Decimal | None, source: str, by: Any) -> InstrumentUse:
    """Correct a figure in place; history keeps the earlier version and who changed it."""
    stored = InstrumentUse.objects.select_for_update().get(pk=use.pk)
    if stored.withdrawn_at is not None:
        raise ValidationError(_("The figure is withdrawn and can no longer be changed."))
    check_figures(count, amount, source)
    stored.count, stored.amount, stored.source = count, amount, source.strip()
    stored.full_clean()
    stored._history_user = by
    stored.save()
    return stored


@transaction.atomic
def withdraw_use(use: InstrumentUse, *, by: Any) -> InstrumentUse:
    """Withdraw a figure (kept, with its history); the year can then get a new one."""
    stored = InstrumentUse.objects.select_for_update().get(pk=use.pk)
    if stored.withdrawn_at is None:
        stored.withdrawn_at = timezone.now()
        stored._history_user = by
        stored.save(update_fields=["withdrawn_at"])
    return stored


@dataclass(frozen=True)
class NewFigure:
    municipality: Municipality
    year: int
    instrument: str
    count: int | None
    amount: Decimal | None
    source: str


@transaction.atomic
def replace_uses(figures: Iterable[NewFigure], *, by: Any) -> tuple[list[InstrumentUse], int]:
    """Store imported figures: an active figure for the same municipality, year and instrument is
    withdrawn first (kept in history), then the new ones are created. A fixed number of queries.
    Returns the new figures and how many were replaced."""
    figures = list(figures)
    keys = {(f.municipality.pk, f.year, f.instrument) for f in figures}
    candidates = InstrumentUse.objects.active().select_for_update()
    candidates = candidates.filter(
        municipality__in={f.municipality.pk for f in figures},
        year__in={f.year for f in figures},
        instrument__in={f.instrument for f in figures},
    )
    replaced = [u for u in candidates if (u.municipality_id, u.year, u.instrument) in keys]
    now = timezone.now()
    for use in replaced:
        use.withdrawn_at = now
    if replaced:
        bulk_update_with_history(replaced, InstrumentUse, ["withdrawn_at"], default_user=by)
    new = [
        InstrumentUse(
            municipality=f.municipality,
            year=f.year,
            instrument=f.instrument,
            count=f.count,
            amount=f.amount,
            source=f.source,
            created_by=by,
            created_at=now,
        )
        for f in figures
    ]
    created = bulk_create_with_history(new, InstrumentUse, default_user=by)
    return created, len(replaced)
