"""The default criteria set, as data (`criteria.toml`), checked and loaded into the database.

A shipped version is never changed in place: a change to the file needs a new `version`, so
assessments made against the old version keep the criteria they were made with.
"""

import tomllib
from pathlib import Path
from typing import Any

from django.db import transaction

from .models import LANGUAGES, SCALE, CriteriaSet, Criterion, Level

PATH = Path(__file__).with_name("criteria.toml")


class CriteriaError(ValueError):
    """The criteria file breaks a rule; the message names the criterion and the field."""


def read(path: Path = PATH) -> dict[str, Any]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for key in ("slug", "version", "name", "criterion"):
        if key not in data:
            raise CriteriaError(f"missing {key}")
    check_languages("name", data["name"])
    codes = [c.get("code") for c in data["criterion"]]
    if len(set(codes)) != len(codes):
        raise CriteriaError("duplicate criterion codes")
    for criterion in data["criterion"]:
        check(criterion)
    return data


def check_languages(where: str, texts: dict[str, Any]) -> None:
    if set(texts) != set(LANGUAGES):
        raise CriteriaError(f"{where}: needs exactly nb, nn and en")


def check(criterion: dict[str, Any]) -> None:
    code = criterion.get("code", "?")
    for key in ("text", "guidance", "scale"):
        check_languages(f"{code}.{key}", criterion.get(key, {}))
    if any(len(meanings) != len(SCALE) for meanings in criterion["scale"].values()):
        raise CriteriaError(f"{code}.scale: needs one meaning for each score 0–3")
    unknown = set(criterion.get("levels", [])) - set(Level.values)
    if unknown or not criterion.get("levels"):
        raise CriteriaError(f"{code}.levels: unknown or empty {sorted(unknown)}")
    if not 0 < float(criterion.get("weight", 1)) <= 10:
        raise CriteriaError(f"{code}.weight: must be above 0 and at most 10")


def criterion_fields(item: dict[str, Any], position: int) -> dict[str, Any]:
    values: dict[str, Any] = {
        "position": position,
        "levels": item["levels"],
        "weight": float(item.get("weight", 1)),
        "scale": item["scale"],
    }
    for language in LANGUAGES:
        values[f"text_{language}"] = item["text"][language]
        values[f"guidance_{language}"] = item["guidance"][language]
    return values


@transaction.atomic
def sync(path: Path = PATH) -> CriteriaSet:
    """Load the shipped version if it is not there yet; an existing version is left as it is."""
    data = read(path)
    names = {f"name_{language}": data["name"][language] for language in LANGUAGES}
    criteria_set, created = CriteriaSet.objects.get_or_create(
        slug=data["slug"], version=data["version"], defaults=names
    )
    if created:
        Criterion.objects.bulk_create(
            Criterion(criteria_set=criteria_set, code=item["code"], **criterion_fields(item, position))
            for position, item in enumerate(data["criterion"], start=1)
        )
    return criteria_set
