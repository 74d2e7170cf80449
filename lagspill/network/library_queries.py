"""Page data for the experience library: the searched and filtered list (a page of results with their
tags and a snippet), the filter choices, a practice's contact and documents, and its history. Every
page reads a fixed number of queries, whatever the number of practices, tags, documents or changes."""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lagspill.continuity.models import Holding, Role
from lagspill.organisations import access
from lagspill.places.models import County

from . import search
from .library_forms import TAG_FIELDS
from .models import TAG_CHOICES, Practice, PracticeDocument, PracticeTag, TagKind

PAGE_SIZE = 20
SNIPPET = 240
HISTORY_LIMIT = 200
LONG_TEXT = 80


def visible_practices(user: Any) -> QuerySet[Practice]:
    """The practices this user may see (withdrawn ones are left out of lists)."""
    return access.visible(user, Practice.objects.active()).select_related("municipality", "county")


def filter_choices(user: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """All counties, and the municipalities with practices this user may see (two queries)."""
    counties = [(c.number, c.name) for c in County.objects.order_by("name")]
    rows = (
        access.visible(user, Practice.objects.active())
        .filter(municipality__isnull=False)
        .order_by()
        .values_list("municipality__number", "municipality__name")
        .distinct()
    )
    return counties, sorted(rows, key=lambda row: row[1])


@dataclass
class Listing:
    page: Page
    words: list[str]
    searched: bool


def listing(user: Any, chosen: dict[str, Any], page_number: Any) -> Listing:
    """The visible practices matching the filters and the search, best match first (newest first
    without a search), one page at a time with their tags: three queries."""
    rows = visible_practices(user)
    if "fylke" in chosen:
        rows = rows.filter(county__number=chosen["fylke"])
    if "kommune" in chosen:
        rows = rows.filter(municipality__number=chosen["kommune"])
    for kind, name in TAG_FIELDS.items():
        if name in chosen:
            tagged = PracticeTag.objects.filter(kind=kind, code=chosen[name]).values("practice")
            rows = rows.filter(pk__in=tagged)
    text = chosen.get("q", "")
    if text:
        rows = search.search(rows, text)
    page = Paginator(rows.prefetch_related("tags"), PAGE_SIZE).get_page(page_number)
    words = search.words(text)
    for practice in page.object_list:
        practice.snippet = snippet(practice, words)
    return Listing(page, words, bool(text))


def snippet(practice: Practice, words: list[str], length: int = SNIPPET) -> SafeString:
    """A piece of the practice's text around the first word searched for, the words marked."""
    text = " ".join(" ".join(t for t in (practice.summary, practice.result, practice.lessons) if t).split())
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None
    found = pattern.search(text) if pattern else None
    start = 0
    if found and found.start() > length // 3:
        start = text.rfind(" ", 0, found.start() - length // 4) + 1
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    part = text[start:end]
    pieces = pattern.split(part) if pattern else [part]
    matches = pattern.findall(part) if pattern else []
    html = escape(pieces[0]) + "".join(
        f"<mark>{escape(m)}</mark>{escape(rest)}" for m, rest in zip(matches, pieces[1:], strict=False)
    )
    return mark_safe(("…" if start else "") + html + ("…" if end < len(text) else ""))  # noqa: S308 (escaped above)


@dataclass
class TagLink:
    text: str
    query: str  # the library filtered by this tag


def grouped_tags(tags: list[PracticeTag]) -> list[tuple[str, list[TagLink]]]:
    """The tags by kind, in the order of the kinds, with their labels in the reader's language."""
    return [
        (kind.label, [TagLink(t.label, urlencode({TAG_FIELDS[kind]: t.code})) for t in tags if t.kind == kind])
        for kind in TagKind
        if any(t.kind == kind for t in tags)
    ]


# One practice


@dataclass
class Contact:
    role: Role | None
    sees_holders: bool = False
    holders: list[tuple[str, str]] = field(default_factory=list)  # name, e-mail


def contact(user: Any, practice: Practice, today: datetime.date) -> Contact:
    """The contact role's name for everyone; who holds it today only for those who see the
    municipality's working material."""
    role = practice.contact_role
    if role is None:
        return Contact(None)
    if not access.sees_municipality_private(user, role.municipality):
        return Contact(role)
    holdings = Holding.objects.on(today).filter(role=role).select_related("person").order_by("starts_on", "pk")
    people = [(h.person.display_name, "" if h.person.anonymised_at else h.person.email) for h in holdings if h.person]
    return Contact(role, True, people)


def documents(practice: Practice, with_withdrawn: bool) -> list[PracticeDocument]:
    """The practice's documents; withdrawn ones only for those who may change it."""
    rows = PracticeDocument.objects.filter(practice=practice).order_by("uploaded_at", "pk")
    return list(rows if with_withdrawn else rows.filter(withdrawn_at__isnull=True))


# History: who changed what, when


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    when: datetime.datetime
    who: Any
    created: bool
    fields: list[FieldChange]


def history_fields() -> dict[str, str]:
    return {
        "title": _("Title"),
        "summary": _("What was done"),
        "result": _("Result"),
        "lessons": _("What others should know"),
        "year": _("Year"),
        "contact_role": _("Contact role"),
        "visibility": _("Who may see it"),
        "withdrawn_at": _("Withdrawn"),
    }


def shown(record: Any, name: str) -> str:
    """A field's value as a person reads it, in the page's language."""
    display = getattr(record, f"get_{name}_display", None)
    value = display() if display else getattr(record, name)
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, Model):
        return str(getattr(value, "display_name", value))
    text = " ".join(str(value).split())
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"


def tag_label(kind: str, code: str) -> str:
    choices = TAG_CHOICES.get(kind)
    return str(dict(choices.choices).get(code, code)) if choices else code


def _practice_changes(practice: Practice) -> list[Change]:
    rows = practice.history.select_related("history_user", "contact_role").order_by("-history_date", "-history_id")
    records = list(rows[: HISTORY_LIMIT + 1])
    labels = history_fields()
    found = []
    for index, record in enumerate(records[:HISTORY_LIMIT]):
        before = records[index + 1] if index + 1 < len(records) else None
        if before is None:
            found.append(Change(record.history_date, record.history_user, True, []))
            continue
        changed = [
            FieldChange(label, shown(before, name), shown(record, name))
            for name, label in labels.items()
            if shown(before, name) != shown(record, name)
        ]
        if changed:  # a save without a visible change (a document added) is left out
            found.append(Change(record.history_date, record.history_user, False, changed))
    return found


def _tag_changes(practice: Practice) -> list[Change]:
    rows = PracticeTag.history.filter(practice_id=practice.pk).select_related("history_user")
    found = []
    for record in rows.order_by("-history_date", "-history_id")[:HISTORY_LIMIT]:
        if record.history_type not in ("+", "-"):
            continue
        label = str(TagKind(record.kind).label) if record.kind in TagKind.values else record.kind
        value = tag_label(record.kind, record.code)
        change = FieldChange(label, "–", value) if record.history_type == "+" else FieldChange(label, value, "–")
        found.append(Change(record.history_date, record.history_user, False, [change]))
    return found


def _document_changes(practice: Practice, with_withdrawn: bool) -> list[Change]:
    """Documents added and withdrawn; a withdrawn document's title only for those who may change
    the practice (for everyone else it is gone, as in the list of documents)."""
    rows = PracticeDocument.history.filter(practice_id=practice.pk).select_related("history_user")
    if not with_withdrawn:
        rows = rows.exclude(id__in=PracticeDocument.objects.filter(practice=practice, withdrawn_at__isnull=False))
    found = []
    for record in rows.order_by("-history_date", "-history_id")[:HISTORY_LIMIT]:
        if record.history_type == "+":
            change = FieldChange(_("Document"), "–", record.title)
        elif record.history_type == "~" and record.withdrawn_at is not None:
            change = FieldChange(_("Document"), record.title, _("withdrawn"))
        else:
            continue
        found.append(Change(record.history_date, record.history_user, False, [change]))
    return found


def changes(practice: Practice, with_withdrawn: bool = False) -> list[Change]:
    """Who changed what and when, newest first: the practice's fields, its tags and its documents
    (three queries, at most `HISTORY_LIMIT` versions of each)."""
    found = _practice_changes(practice) + _tag_changes(practice) + _document_changes(practice, with_withdrawn)
    return sorted(found, key=lambda change: change.when, reverse=True)
