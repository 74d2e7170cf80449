"""The catalogue of roles in social housing work (`roles.toml`), read once and checked.

Each entry: a key, the department, whether it is elected or may have several holders, its name
and responsibilities in bokmål, nynorsk and English, and the anchoring package a new holder gets
(`package`: template keys from `anchoring.py`, in order).
"""

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import get_language

from .models import Department

CATALOGUE_FILE = Path(__file__).with_name("roles.toml")
LANGUAGES = ("nb", "nn", "en")


@dataclass(frozen=True)
class Entry:
    key: str
    department: str
    elected: bool
    single_holder: bool
    names: dict[str, str]
    responsibilities_by_language: dict[str, str]
    package: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.names.get(get_language() or "nb") or self.names["nb"]

    @property
    def responsibilities(self) -> str:
        texts = self.responsibilities_by_language
        return texts.get(get_language() or "nb") or texts["nb"]


class CatalogueError(ValueError):
    pass


def parse(text: str) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for raw in tomllib.loads(text).get("role", []):
        entry = _entry(raw)
        if entry.key in entries:
            raise CatalogueError(f"role {entry.key!r} is listed twice")
        entries[entry.key] = entry
    return entries


def _entry(raw: dict) -> Entry:
    key = raw.get("key", "")
    if not key or raw.get("department") not in Department.values:
        raise CatalogueError(f"role {key!r}: needs a key and a known department")
    for field in ("name", "responsibilities"):
        if set(raw.get(field, {})) != set(LANGUAGES):
            raise CatalogueError(f"role {key!r}: {field} must be given in {', '.join(LANGUAGES)}")
    return Entry(
        key=key,
        department=raw["department"],
        elected=bool(raw.get("elected", False)),
        single_holder=bool(raw.get("single_holder", True)),
        names=dict(raw["name"]),
        responsibilities_by_language=dict(raw["responsibilities"]),
        package=tuple(raw.get("package", ())),
    )


@functools.cache
def catalogue() -> dict[str, Entry]:
    return parse(CATALOGUE_FILE.read_text(encoding="utf-8"))
