"""Changes to needs mappings, each atomic: save a year's figures, publish or unpublish, withdraw.
Views, the import and the demo call these; the caller has checked access. Bad input raises
`ValidationError` with a message in the reader's language, and then nothing is stored. The user doing
the change is recorded in the history (`by`), also outside a request; a figure that is removed leaves
its earlier values in the history."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lagspill.places.models import Municipality
from lagspill.web.dates import FIRST_YEAR, LAST_YEAR
from lagspill.web.templatetags.lagspill import number

from . import catalogue
from .models import NeedsFigure, NeedsMapping

MAX_COUNT = 1_000_000


def check_year(year: int) -> None:
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            _("The year must be between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )


def check_values(values: Mapping[str, int | None]) -> None:
    """Known codes and whole numbers from 0 (None means "not mapped")."""
    known = catalogue.load().by_code()
    for code, value in values.items():
        if code not in known:
            raise ValidationError(_("There is no figure “%(code)s” in the needs mapping.") % {"code": code})
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(_("“%(code)s” must be a whole number.") % {"code": code})
        if not 0 <= value <= MAX_COUNT:
            raise ValidationError(
                _("“%(code)s” must be between 0 and %(max)s.") % {"code": code, "max": number(MAX_COUNT)}
            )


def check_open(mapping: NeedsMapping) -> None:
    if mapping.withdrawn_at is not None:
        raise ValidationError(_("The mapping is withdrawn and can no longer be changed."))


def active_mapping(municipality: Municipality, year: int) -> NeedsMapping | None:
    """The year's active mapping, its row locked until the transaction ends."""
    return NeedsMapping.objects.active().select_for_update().filter(municipality=municipality, year=year).first()


@transaction.atomic
def save_mapping(
    municipality: Municipality,
    year: int,
    values: Mapping[str, int | None],
    *,
    note: str = "",
    is_public: bool = False,
    by: Any,
    is_demo: bool = False,
    create_only: bool = False,
) -> NeedsMapping:
    """Create or update the active mapping of `year`. A code with a number sets that figure; a code with
    None removes it ("not mapped"); codes not given are left as they are. With `create_only` (the
    new-mapping form) a year that has an active mapping is refused, checked under the lock, so a
    mapping someone else has just made is never overwritten."""
    check_year(year)
    check_values(values)
    # One writer per municipality at a time, so two first saves of a year cannot both create a mapping.
    Municipality.objects.select_for_update().filter(pk=municipality.pk).exists()
    mapping = active_mapping(municipality, year)
    if create_only and mapping is not None:
        raise ValidationError(
            _("There is already a mapping for %(year)s. Change that one instead.") % {"year": year}, code="taken"
        )
    if mapping is None:
        mapping = NeedsMapping(municipality=municipality, year=year, created_by=by, is_demo=is_demo)
    if mapping.pk is None or (mapping.note, mapping.is_public) != (note, is_public):
        mapping.note, mapping.is_public = note, is_public
        mapping._history_user = by
        mapping.save()
    save_figures(mapping, values, by)
    return mapping


def save_figures(mapping: NeedsMapping, values: Mapping[str, int | None], by: Any) -> None:
    stored = {f.code: f for f in NeedsFigure.objects.filter(mapping=mapping, code__in=list(values))}
    for code, value in values.items():
        figure = stored.get(code)
        if value is None:
            if figure is not None:
                figure._history_user = by
                figure.delete()
        elif figure is None:
            figure = NeedsFigure(mapping=mapping, code=code, value=value)
            figure._history_user = by
            figure.save()
        elif figure.value != value:
            figure.value = value
            figure._history_user = by
            figure.save(update_fields=["value"])


def locked(mapping: NeedsMapping) -> NeedsMapping:
    return NeedsMapping.objects.select_for_update().get(pk=mapping.pk)


@transaction.atomic
def withdraw_mapping(mapping: NeedsMapping, by: Any) -> NeedsMapping:
    """The mapping is kept with its figures and history, hidden from everyone but its municipality; a new
    mapping of the same year can then be entered."""
    stored = locked(mapping)
    check_open(stored)
    stored.withdrawn_at = timezone.now()
    stored._history_user = by
    stored.save(update_fields=["withdrawn_at"])
    mapping.withdrawn_at = stored.withdrawn_at
    return mapping


@transaction.atomic
def publish_mapping(mapping: NeedsMapping, public: bool, by: Any) -> NeedsMapping:
    """Open the mapping to everyone (small numbers stay hidden) or take it back to the municipality."""
    stored = locked(mapping)
    check_open(stored)
    if stored.is_public != public:
        stored.is_public = public
        stored._history_user = by
        stored.save(update_fields=["is_public"])
    mapping.is_public = stored.is_public
    return mapping
