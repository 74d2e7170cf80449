"""Read-only queries the place pages need; each returns what a template shows."""

from dataclasses import dataclass
from decimal import Decimal

from lagspill.indicators.models import AreaLevel, Observation

from .models import County, Municipality

POPULATION = "population"


@dataclass(frozen=True)
class Figure:
    value: Decimal
    period: str
    source: str


def latest_population(level: str, codes: list[str]) -> dict[str, Figure]:
    """Latest population per area code, one query."""
    rows = (
        Observation.objects.latest_for(POPULATION, level)
        .filter(area_code__in=codes, status="")
        .values_list("area_code", "value", "period", "indicator__source")
    )
    return {code: Figure(value, period, source) for code, value, period, source in rows}


def county_municipalities(county: County) -> list[tuple[Municipality, Figure | None]]:
    municipalities = list(county.municipalities.order_by("number"))
    figures = latest_population(AreaLevel.MUNICIPALITY, [m.number for m in municipalities])
    return [(m, figures.get(m.number)) for m in municipalities]


def municipality_population(municipality: Municipality) -> Figure | None:
    return latest_population(AreaLevel.MUNICIPALITY, [municipality.number]).get(municipality.number)


def county_population(county: County) -> Figure | None:
    return latest_population(AreaLevel.COUNTY, [county.number]).get(county.number)
