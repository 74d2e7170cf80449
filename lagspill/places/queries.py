"""Read-only queries the place pages need; each returns what a template shows."""

from dataclasses import dataclass
from decimal import Decimal

from lagspill.indicators.models import AreaLevel, Observation, Status

from .models import County, Municipality

POPULATION = "population"


@dataclass(frozen=True)
class Figure:
    """A published figure; `value` is None when the source marks it missing or suppressed."""

    value: Decimal | None
    period: str
    source: str
    status: str

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


def latest_population(level: str, codes: list[str]) -> dict[str, Figure]:
    """Latest population per area code, one query."""
    rows = (
        Observation.objects.latest_for(POPULATION, level)
        .filter(area_code__in=codes)
        .values_list("area_code", "value", "period", "indicator__source", "status")
    )
    return {code: figure(value, period, source, status) for code, value, period, source, status in rows}


def figure(value: Decimal | None, period: str, source: str, status: str) -> Figure:
    """SSB's "-" means exactly zero: shown as 0, unlike the missing and suppressed symbols."""
    return Figure(Decimal(0) if status == Status.ZERO_NIL else value, period, source, status)


def county_municipalities(county: County) -> list[tuple[Municipality, Figure | None]]:
    municipalities = list(county.municipalities.order_by("number"))
    figures = latest_population(AreaLevel.MUNICIPALITY, [m.number for m in municipalities])
    return [(m, figures.get(m.number)) for m in municipalities]


def municipality_population(municipality: Municipality) -> Figure | None:
    return latest_population(AreaLevel.MUNICIPALITY, [municipality.number]).get(municipality.number)


def county_population(county: County) -> Figure | None:
    return latest_population(AreaLevel.COUNTY, [county.number]).get(county.number)
