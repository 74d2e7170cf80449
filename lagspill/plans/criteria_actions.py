"""A new version of a county's criteria set. Sets are never changed in place: assessments keep
the exact criteria they were made with, so a change is always a new set with copied criteria,
and the county's previous version of the line is retired."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lagspill.places.models import County

from .models import LANGUAGES, CriteriaSet, Criterion

COPIED_TEXTS = tuple(f"{field}_{language}" for field in ("text", "guidance") for language in LANGUAGES)


def county_slug(county: County) -> str:
    """One line of versions per county, whatever set each version started from."""
    return f"{county.number}-kriterier"


def next_version(slug: str) -> int:
    return (CriteriaSet.objects.filter(slug=slug).aggregate(Max("version"))["version__max"] or 0) + 1


def copy_criterion(criteria_set: CriteriaSet, base: Criterion, position: int, values: dict[str, Any]) -> Criterion:
    """A new row: code and scale from the base (scores keep their meaning), the rest as given."""
    return Criterion(
        criteria_set=criteria_set,
        code=base.code,
        position=position,
        weight=float(values["weight"]),
        levels=list(values["levels"]),
        scale=base.scale,
        **{name: values[name] for name in COPIED_TEXTS},
    )


def retire_in_use(county: County, slug: str, now: datetime.datetime) -> None:
    # One save per row (not .update()) so the change is in the history with the user.
    for previous in CriteriaSet.objects.filter(county=county, slug=slug, retired_at__isnull=True):
        previous.retired_at = now
        previous.save(update_fields=["retired_at"])


@transaction.atomic
def new_version(
    user: Any,
    county: County,
    names: dict[str, str],
    note: str,
    criteria: Sequence[tuple[Criterion, dict[str, Any]]],
) -> CriteriaSet:
    """Store a new version of the county's set with `criteria` (base criterion, new values), and
    retire the county's versions in use. All or nothing; the caller has validated the values."""
    if not any(values["weight"] for _base, values in criteria):
        raise ValidationError(_("Give at least one criterion a weight above 0."))
    County.objects.select_for_update().get(pk=county.pk)  # one new version per county at a time
    slug = county_slug(county)
    now = timezone.now()
    retire_in_use(county, slug, now)
    criteria_set = CriteriaSet.objects.create(
        slug=slug,
        version=next_version(slug),
        county=county,
        note=note.strip(),
        created_by=user,
        created_at=now,
        **{f"name_{language}": names[f"name_{language}"] for language in LANGUAGES},
    )
    kept = [(base, values) for base, values in criteria if values["weight"]]
    Criterion.objects.bulk_create(
        copy_criterion(criteria_set, base, position, values) for position, (base, values) in enumerate(kept, start=1)
    )
    return criteria_set
