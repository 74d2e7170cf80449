"""Load counties, municipalities, map outlines and the code crosswalk from the built-in files.

Idempotent: rows are upserted by their numbers, so running it again changes nothing.
"""

import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from lagspill.lib import svgmap
from lagspill.lib.text import search_key

from .models import CodeChange, County, Municipality

DATA_DIR = settings.BASE_DIR / "data"
MUNICIPALITIES_CSV = DATA_DIR / "kommuner" / "kommuner_2024.csv"
CROSSWALK_CSV = DATA_DIR / "kommuner" / "kommunenummer_crosswalk_2005_2026_to_2024.csv"
MUNICIPALITY_GEOJSON = DATA_DIR / "geo" / "Kommuner-S.valid.geojson"
COUNTY_GEOJSON = DATA_DIR / "geo" / "Fylker-S.geojson"


@dataclass(frozen=True)
class LoadSummary:
    counties: int
    municipalities: int
    code_changes: int


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_geometries(path: Path, key: str) -> dict[str, dict]:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return {f["properties"][key]: f["geometry"] for f in features}


def parse_official_names(text: str) -> list[dict[str, str]]:
    """ "Sortland (Norwegian);Suortá (Northern Sami)" → [{name, language}, …]."""
    names = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, _, language = part.rpartition(" (")
        names.append({"name": name or part, "language": language.rstrip(")") if name else ""})
    return names


def county_rows(rows: list[dict[str, str]], outlines: dict[str, dict]) -> list[County]:
    counties = {r["fylkesnummer"]: (r["fylkesnavn"], r["fylkesnavn_kort"]) for r in rows}
    rings = {number: svgmap.projected_rings(outlines[number]) for number in counties}
    frame = svgmap.Frame.around((ring for rs in rings.values() for ring in rs), width=600)
    return [
        County(
            number=number,
            name=name,
            name_plain=plain,
            outline_path=svgmap.geometry_path(rings[number], frame, min_step=1.5),
            outline_viewbox=frame.viewbox,
        )
        for number, (name, plain) in sorted(counties.items())
    ]


def municipality_rows(
    rows: list[dict[str, str]], geometries: dict[str, dict], counties: dict[str, County]
) -> list[Municipality]:
    by_county: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_county[row["fylkesnummer"]].append(row)
    result = []
    for county_number, members in by_county.items():
        rings = {r["kommunenummer"]: svgmap.projected_rings(geometries[r["kommunenummer"]]) for r in members}
        frame = svgmap.Frame.around(ring for rs in rings.values() for ring in rs)
        counties[county_number].map_viewbox = frame.viewbox
        result.extend(
            municipality(r, counties[county_number], svgmap.geometry_path(rings[r["kommunenummer"]], frame))
            for r in members
        )
    return result


def municipality(row: dict[str, str], county: County, path: str) -> Municipality:
    names = parse_official_names(row["offisielle_navn"])
    plain = row["kommunenavn_norsk"] or row["kommunenavn"].split(" - ")[0]
    return Municipality(
        number=row["kommunenummer"],
        name=row["kommunenavn"],
        name_plain=plain,
        official_names=names,
        sami_administrative_area=row["samisk_forvaltningsomrade"] == "True",
        county=county,
        search_text=search_key(row["kommunenavn"], plain, *(n["name"] for n in names)),
        map_path=path,
    )


def code_changes(rows: list[dict[str, str]]) -> list[CodeChange]:
    return [
        CodeChange(
            year=int(r["year"]),
            original_number=r["kommunenummer_original"],
            current_number=r["kommunenummer_2024"],
            weight=Decimal(r["weighting"]),
        )
        for r in rows
    ]


@transaction.atomic
def load_places() -> LoadSummary:
    rows = read_csv(MUNICIPALITIES_CSV)
    counties = county_rows(rows, read_geometries(COUNTY_GEOJSON, "fylkesnummer"))
    by_number = {c.number: c for c in counties}
    municipalities = municipality_rows(rows, read_geometries(MUNICIPALITY_GEOJSON, "kommunenummer"), by_number)
    County.objects.bulk_create(
        counties,
        update_conflicts=True,
        unique_fields=["number"],
        update_fields=["name", "name_plain", "outline_path", "outline_viewbox", "map_viewbox"],
    )
    saved = {c.number: c for c in County.objects.all()}
    for m in municipalities:
        m.county = saved[m.county.number]
    Municipality.objects.bulk_create(
        municipalities,
        update_conflicts=True,
        unique_fields=["number"],
        update_fields=[
            "name",
            "name_plain",
            "official_names",
            "sami_administrative_area",
            "county",
            "search_text",
            "map_path",
        ],
    )
    changes = code_changes(read_csv(CROSSWALK_CSV))
    CodeChange.objects.bulk_create(
        changes,
        update_conflicts=True,
        unique_fields=["year", "original_number", "current_number"],
        update_fields=["weight"],
    )
    return LoadSummary(len(counties), len(municipalities), len(changes))
