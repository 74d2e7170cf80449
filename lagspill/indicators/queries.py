"""Read-only queries for the monitor pages. Each page needs a fixed number of queries, whatever
the number of indicators: observations for all indicators of the areas shown come in one query."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from lagspill.lib import stats
from lagspill.places.models import County, Municipality

from .models import AreaLevel, IndexScore, Indicator, Neighbours, Observation, Status, Theme, WeightSet

COUNTRY = "0"
POOL_YEARS = 3


@dataclass(frozen=True)
class Point:
    year: int
    period: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    status: str
    reason: str
    weighted: bool

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def shown_value(self) -> Decimal | None:
        """SSB's "-" means exactly zero; the other symbols mean there is no number."""
        return Decimal(0) if self.status == Status.ZERO_NIL else self.value


Area = tuple[str, str]  # (level, code)
SeriesMap = dict[tuple[str, Area], list[Point]]  # (indicator code, area) → points by year


def series(
    indicator_codes: Iterable[str] | None, areas: Iterable[Area], years: Iterable[int] | None = None
) -> SeriesMap:
    """Current points of the given indicators (all when None) for the given areas (and only the
    given years, when given), in one query."""
    where = Q()
    for level, code in areas:
        where |= Q(area_level=level, area_code=code)
    rows = Observation.objects.filter(where, is_current=True)
    if indicator_codes is not None:
        rows = rows.filter(indicator__code__in=list(indicator_codes))
    if years is not None:
        rows = rows.filter(year__in=sorted(set(years)))
    found: SeriesMap = defaultdict(list)
    columns = ("indicator__code", "area_level", "area_code", "year", "period", "value", "numerator", "denominator")
    for row in rows.order_by("year").values_list(*columns, "status", "status_reason", "weighted"):
        code, level, area, *point = row
        found[(code, (level, area))].append(Point(*point))
    return found


def latest(points: list[Point] | None) -> Point | None:
    return points[-1] if points else None


def at_year(points: list[Point] | None, year: int) -> Point | None:
    return next((p for p in points or [] if p.year == year), None)


def share(point: Point | None) -> float | None:
    if point is None or point.numerator is None or not point.denominator:
        return None
    return float(point.numerator) / float(point.denominator)


def pooled_share(points: list[Point] | None, years: set[int]) -> float | None:
    chosen = [p for p in points or [] if p.year in years and p.numerator is not None and p.denominator]
    if len(chosen) != len(years):
        return None
    return float(sum(p.numerator for p in chosen)) / float(sum(p.denominator for p in chosen))


def barometer(indicator: Indicator, own: list[Point] | None, reference: list[Point] | None) -> stats.Comparison:
    """The municipality against a reference area (county or country), FHI-style, pooling small counts."""
    last = latest(own)
    if not indicator.proportion or last is None or last.numerator is None:
        return stats.Comparison(stats.Verdict.NOT_TESTED, None, None, 1)
    triples = [(p.year, _f(p.numerator), _f(p.denominator)) for p in own or []]
    single = stats.compare_pooled(triples, share(at_year(reference, last.year)), indicator.polarity)
    if single.pooled_years == 1:
        return single
    years = {last.year - i for i in range(POOL_YEARS)}
    return stats.compare_pooled(triples, pooled_share(reference, years), indicator.polarity)


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@dataclass
class ProfileRow:
    indicator: Indicator
    shown: Indicator  # the indicator whose values are shown (the count indicator in counts mode)
    own: list[Point]
    county: Point | None
    country: Point | None
    comparison: Point | None  # median of the comparison set for the same year
    versus_county: stats.Comparison
    versus_country: stats.Comparison

    @property
    def latest(self) -> Point | None:
        return latest(self.own)

    @property
    def has_data(self) -> bool:
        return any(p.value is not None or p.status for p in self.own)


@dataclass
class ThemeGroup:
    theme: str
    label: str
    rows: list[ProfileRow] = field(default_factory=list)


def indicators() -> list[Indicator]:
    return list(Indicator.objects.all())


def comparison_codes(municipality: Municipality, choice: str) -> list[str]:
    """The comparison set: similar municipalities (default) or the rest of the county."""
    if choice == "fylke":
        return [
            n for n in municipality.county.municipalities.values_list("number", flat=True) if n != municipality.number
        ]
    found = Neighbours.objects.filter(area_code=municipality.number).values_list("codes", flat=True).first()
    return list(found or [])


def median_point(points: list[Point | None]) -> Point | None:
    values = sorted(p.value for p in points if p is not None and p.value is not None)
    if not values:
        return None
    middle = len(values) // 2
    value = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
    first = next(p for p in points if p is not None)
    return Point(first.year, first.period, value, None, None, "", "", False)


def profile(municipality: Municipality, counts: bool, comparison: list[str]) -> list[ThemeGroup]:
    """Every indicator by theme with the municipality's series, county, country and comparison set."""
    catalogue = indicators()
    by_code = {i.code: i for i in catalogue}
    own_area = (AreaLevel.MUNICIPALITY, municipality.number)
    county_area = (AreaLevel.COUNTY, municipality.county.number)
    country_area = (AreaLevel.COUNTRY, COUNTRY)
    comparison_areas = [(AreaLevel.MUNICIPALITY, c) for c in comparison]
    found = series(None, [own_area, county_area, country_area])
    if comparison_areas:  # the comparison set is shown for the municipality's latest years only
        own_years = {points[-1].year for (_code, area), points in found.items() if area == own_area and points}
        found.update(series(None, comparison_areas, own_years))
    shown_as_counts = {i.counts for i in catalogue if i.counts}
    groups = {t: ThemeGroup(t, str(label)) for t, label in Theme.choices}
    for indicator in catalogue:
        if indicator.code in shown_as_counts:
            continue  # shown in its share's row when the reader switches to counts
        shown = by_code[indicator.counts] if counts and indicator.counts else indicator
        own = found.get((shown.code, own_area), [])
        own_series = found.get((indicator.code, own_area))
        year = own[-1].year if own else None
        groups[indicator.theme].rows.append(
            ProfileRow(
                indicator=indicator,
                shown=shown,
                own=own,
                county=_same_year(found.get((shown.code, county_area)), year),
                country=_same_year(found.get((shown.code, country_area)), year),
                comparison=median_point([_same_year(found.get((shown.code, a)), year) for a in comparison_areas]),
                versus_county=barometer(indicator, own_series, found.get((indicator.code, county_area))),
                versus_country=barometer(indicator, own_series, found.get((indicator.code, country_area))),
            )
        )
    return [g for g in groups.values() if g.rows]


def _same_year(points: list[Point] | None, year: int | None) -> Point | None:
    return at_year(points, year) if year is not None else latest(points)


POINT_COLUMNS = ("year", "period", "value", "numerator", "denominator", "status", "status_reason", "weighted")


def across(indicator: Indicator, codes: list[str], year: int | None) -> tuple[list[int], dict[str, Point]]:
    """The years with figures, and each municipality's point in the chosen year (default the newest)."""
    rows = Observation.objects.filter(
        indicator=indicator, area_level=AreaLevel.MUNICIPALITY, area_code__in=codes, is_current=True
    )
    years = sorted(set(rows.values_list("year", flat=True).distinct()))
    if not years:
        return [], {}
    chosen = year if year in years else years[-1]
    found = rows.filter(year=chosen).values_list("area_code", *POINT_COLUMNS)
    return years, {code: Point(*point) for code, *point in found}


def municipalities_by_number(numbers: Iterable[str]) -> dict[str, Municipality]:
    return Municipality.objects.in_bulk(list(numbers), field_name="number")


def index_table(weight_set: WeightSet, county: County, year: int | None) -> tuple[int | None, list[IndexScore]]:
    scores = IndexScore.objects.filter(weight_set=weight_set, county_code=county.number)
    years = sorted(set(scores.values_list("year", flat=True)))
    if not years:
        return None, []
    chosen = year if year in years else years[-1]
    rows = list(scores.filter(year=chosen).order_by("rank_county", "area_code"))
    return chosen, rows


def index_years(weight_set: WeightSet, county: County) -> list[int]:
    return sorted(
        set(IndexScore.objects.filter(weight_set=weight_set, county_code=county.number).values_list("year", flat=True))
    )
