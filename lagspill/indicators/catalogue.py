"""Read and check `catalogue.toml`, and turn its entries into `Indicator` field values."""

import tomllib
from pathlib import Path
from typing import Any

from .models import Polarity, SourceKind, Theme, Unit

PATH = Path(__file__).with_name("catalogue.toml")
LANGUAGES = ("nb", "nn", "en")
TEXTS = ("name", "definition", "numerator", "denominator", "rhythm")
POLARITIES = {
    "higher_worse": Polarity.HIGHER_WORSE,
    "neutral": Polarity.NEUTRAL,
    "higher_better": Polarity.HIGHER_BETTER,
}
REQUIRED = ("code", "theme", "unit", "polarity", "name", "definition", "rhythm", "source")


class CatalogueError(ValueError):
    """The catalogue file breaks a rule; the message names the entry and the field."""


def entries(path: Path = PATH) -> list[dict[str, Any]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    items = data.get("indicator", [])
    codes = [item.get("code") for item in items]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise CatalogueError(f"duplicate codes: {', '.join(duplicates)}")
    for item in items:
        check(item, set(codes))
    return items


def check(item: dict[str, Any], codes: set[str]) -> None:
    code = item.get("code", "?")
    for key in REQUIRED:
        if key not in item:
            raise CatalogueError(f"{code}: missing {key}")
    if item["theme"] not in Theme.values:
        raise CatalogueError(f"{code}: unknown theme {item['theme']!r}")
    if item["unit"] not in Unit.values:
        raise CatalogueError(f"{code}: unknown unit {item['unit']!r}")
    if item["polarity"] not in POLARITIES:
        raise CatalogueError(f"{code}: unknown polarity {item['polarity']!r}")
    if item["source"].get("kind") not in SourceKind.values:
        raise CatalogueError(f"{code}: unknown source kind {item['source'].get('kind')!r}")
    for text in TEXTS:
        if text in item and set(item[text]) != set(LANGUAGES):
            raise CatalogueError(f"{code}: {text} needs exactly nb, nn and en")
    if item.get("counts") and item["counts"] not in codes:
        raise CatalogueError(f"{code}: counts refers to unknown indicator {item['counts']!r}")
    if item["source"]["kind"] == "ssb" and not item["source"].get("table"):
        raise CatalogueError(f"{code}: an SSB source needs a table")


def fields(item: dict[str, Any], position: int) -> dict[str, Any]:
    """The `Indicator` field values for one catalogue entry."""
    source = item["source"]
    values: dict[str, Any] = {
        "position": position,
        "theme": item["theme"],
        "unit": item["unit"],
        "decimals": item.get("decimals", 0),
        "polarity": POLARITIES[item["polarity"]],
        "proportion": item.get("proportion", False),
        "counts": item.get("counts", ""),
        "source_kind": source["kind"],
        "source": source["attribution"],
        "source_url": source.get("url", ""),
        "licence": source.get("licence", ""),
        "source_spec": {k: v for k, v in source.items() if k not in {"kind", "attribution", "url", "licence"}},
        "index_weight": float(item.get("index_weight", 0)),
    }
    for text in TEXTS:
        for language in LANGUAGES:
            values[f"{text}_{language}"] = item.get(text, {}).get(language, "")
    return values
