"""Changes to the experience library, each atomic: share a practice, change it, withdraw it, add and
withdraw its documents. Views, the demo and tests call these; the caller has checked access (who may
share for the county, who may change the practice). Rules a person can break (a municipality of
another county, a role of another municipality, a withdrawn practice) raise `ValidationError` with a
message, and then nothing is stored. The user doing the change is recorded in the history (`by`).

Tags are rows (`PracticeTag`, with history): a tag taken off is deleted, and its history keeps who
took it off and when. Practices and documents are never deleted, only withdrawn.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lagspill.organisations.models import Kind, Organisation
from lagspill.places.models import County, Municipality

from . import files
from .models import TAG_CHOICES, Practice, PracticeDocument, PracticeTag, Visibility

TEXTS = ("title", "summary", "result", "lessons")
FIELDS = (*TEXTS, "year", "contact_role", "visibility")
Tag = tuple[str, str]


def check_open(practice: Practice) -> None:
    if practice.withdrawn_at is not None:
        raise ValidationError(_("The practice is withdrawn and can no longer be changed."))


def check_place(organisation: Organisation, county: County, municipality: Municipality | None) -> None:
    """A municipality shares its own practices; a County Governor those of its county; Husbanken any county's.
    The municipality, when given, lies in the county."""
    if organisation.kind not in (Kind.MUNICIPALITY, Kind.COUNTY_GOVERNOR, Kind.HOUSING_BANK):
        raise ValidationError(_("Only a municipality, a County Governor or Husbanken shares practices."))
    if organisation.kind == Kind.MUNICIPALITY and municipality != organisation.municipality:
        raise ValidationError(_("A municipality shares its own practices: choose the municipality itself."))
    if organisation.kind == Kind.COUNTY_GOVERNOR and county.pk != organisation.county_id:
        raise ValidationError(_("A County Governor shares practices of its own county."))
    if municipality is not None and municipality.county_id != county.pk:
        raise ValidationError(_("The municipality is not in the county chosen."))


def check_fields(practice: Practice, changed: list[str]) -> None:
    if not practice.title.strip():
        raise ValidationError(_("Give the practice a title."))
    if not practice.summary.strip():
        raise ValidationError(_("Write what was done."))
    if practice.visibility not in Visibility.values:
        raise ValidationError(_("Choose who may see the practice."))
    # A role kept from before is not checked again (it may have been retired since); a new one must be active.
    role = practice.contact_role if "contact_role" in changed else None
    if role is not None and (role.municipality_id != practice.municipality_id or role.retired_at):
        raise ValidationError(_("Choose one of the municipality's own active roles as contact."))


def check_tags(tags: Iterable[Tag]) -> set[Tag]:
    found = set(tags)
    for kind, code in found:
        choices = TAG_CHOICES.get(kind)
        if choices is None or code not in choices.values:
            raise ValidationError(_("Choose tags from the lists."))
    return found


def _assign(practice: Practice, data: dict[str, Any], by: Any) -> list[str]:
    """Set the given fields on `practice` and check them; the names of the fields that changed."""
    data = {name: (data[name] or "").strip() if name in TEXTS else data[name] for name in FIELDS if name in data}
    changed = [name for name, value in data.items() if getattr(practice, name) != value]
    for name in changed:
        setattr(practice, name, data[name])
    check_fields(practice, changed)
    practice._history_user = by
    return changed


def _set_tags(practice: Practice, tags: set[Tag], by: Any) -> bool:
    """Add the tags not there and delete those taken off; whether anything changed."""
    existing = {(t.kind, t.code): t for t in practice.tags.all()}
    for key in tags - existing.keys():
        tag = PracticeTag(practice=practice, kind=key[0], code=key[1])
        tag._history_user = by
        tag.save()
    for key in existing.keys() - tags:
        tag = existing[key]
        tag._history_user = by
        tag.delete()
    return existing.keys() != tags


@transaction.atomic
def create_practice(
    data: dict[str, Any],
    *,
    organisation: Organisation,
    county: County,
    municipality: Municipality | None,
    by: Any,
    is_demo: bool = False,
) -> Practice:
    """A new practice from the form's data (`tags` as (kind, code) pairs)."""
    check_place(organisation, county, municipality)
    tags = check_tags(data.get("tags") or [])
    practice = Practice(
        organisation=organisation, county=county, municipality=municipality, created_by=by, is_demo=is_demo
    )
    _assign(practice, data, by)
    practice.save()
    _set_tags(practice, tags, by)
    return practice


def locked(practice: Practice) -> Practice:
    """The practice's row locked until the transaction ends: two changes run one after the other."""
    return Practice.objects.select_for_update().get(pk=practice.pk)


@transaction.atomic
def update_practice(practice: Practice, data: dict[str, Any], *, by: Any) -> Practice:
    """Save the changed fields and tags; each change is kept in the history."""
    stored = locked(practice)
    check_open(stored)
    changed = _assign(stored, data, by)
    tags_changed = "tags" in data and _set_tags(stored, check_tags(data["tags"]), by)
    if changed or tags_changed:
        stored.updated_at = timezone.now()
        stored.save(update_fields=[*changed, "updated_at"])
    for name in (*FIELDS, "updated_at"):
        setattr(practice, name, getattr(stored, name))
    return practice


@transaction.atomic
def withdraw_practice(practice: Practice, *, by: Any) -> Practice:
    """The practice is kept with its documents and history, shown as withdrawn to those who may change it."""
    stored = locked(practice)
    check_open(stored)
    stored.withdrawn_at = timezone.now()
    stored._history_user = by
    stored.save(update_fields=["withdrawn_at"])
    practice.withdrawn_at = stored.withdrawn_at
    return practice


@transaction.atomic
def add_document(practice: Practice, *, title: str, upload: UploadedFile, by: Any) -> PracticeDocument:
    """A checked upload (`files.UploadField`) stored under our own name, with the uploader's file name."""
    stored = locked(practice)
    check_open(stored)
    title = " ".join((title or "").split()) or (upload.name or "")[:200]
    if not title:
        raise ValidationError(_("Give the document a title."))
    document = PracticeDocument(practice=stored, title=title[:200], uploaded_by=by)
    files.store(document, upload)
    document._history_user = by
    document.save()
    stored.updated_at = timezone.now()
    stored._history_user = by
    stored.save(update_fields=["updated_at"])
    return document


@transaction.atomic
def withdraw_document(document: PracticeDocument, *, by: Any) -> PracticeDocument:
    """The document is kept (and still downloadable for those who may change the practice)."""
    stored = PracticeDocument.objects.select_for_update().get(pk=document.pk)
    check_open(Practice.objects.get(pk=stored.practice_id))
    if stored.withdrawn_at is not None:
        raise ValidationError(_("The document is withdrawn already."))
    stored.withdrawn_at = timezone.now()
    stored._history_user = by
    stored.save(update_fields=["withdrawn_at"])
    document.withdrawn_at = stored.withdrawn_at
    return document
