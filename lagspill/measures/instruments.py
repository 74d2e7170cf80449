"""Husbanken's instruments per municipality and year, as rates people can compare: number per 1000
inhabitants and kroner per inhabitant, against the county and the similar municipalities, and a
before/after view of a chosen period.

The population is the monitor's `population` indicator (1 January of the same year, SSB 07459). A
figure that is missing stays missing, never zero: the county's rate is the sum over the municipalities
that have a figure that year divided by their population, and every aggregate names the
municipalities it includes. Each page reads its rows in a fixed number of queries (uses, population,
names, neighbours), whatever the number of years, instruments and municipalities.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lagspill.indicators import queries as monitor
from lagspill.indicators.models import AreaLevel, Indicator, Observation
from lagspill.organisations import access
from lagspill.places.models import County, Municipality

from .models import HUSBANKEN_INSTRUMENTS, Instrument, InstrumentUse

POPULATION = "population"
SSB_STARTLAN = "startlaan_per_1000"
COUNT, AMOUNT = "count", "amount"
# A number is shown per 1000 inhabitants, an amount in kroner per inhabitant.
SCALE = {COUNT: Decimal(1000), AMOUNT: Decimal(1)}

# What `InstrumentUse.count` counts for each instrument.
COUNT_LABELS = {
    Instrument.STARTLAN: gettext_lazy("loans"),
    Instrument.RENTAL_GRANT: gettext_lazy("rental dwellings"),
    Instrument.INVESTMENT_GRANT: gettext_lazy("nursing-home places and care dwellings"),
    Instrument.HOUSING_ALLOWANCE: gettext_lazy("households"),
    Instrument.ADAPTATION_GRANT: gettext_lazy("grants"),
    Instrument.COMPETENCE_GRANT: gettext_lazy("grants"),
}


def rate(value: Any, population: Decimal | None, measure: str) -> Decimal | None:
    """Number per 1000 inhabitants or amount per inhabitant; None when either part is missing."""
    if value is None or not population:
        return None
    return Decimal(value) * SCALE[measure] / population


# ---- the stored figures ---------------------------------------------------------------------------


@dataclass
class Figures:
    """The active figures of some municipalities, their population by year, and their names."""

    uses: dict[tuple[str, int, str], InstrumentUse]
    population: dict[tuple[str, int], Decimal]
    names: dict[str, str]

    def use(self, number: str, year: int, instrument: str) -> InstrumentUse | None:
        return self.uses.get((number, year, instrument))

    def value(self, number: str, year: int, instrument: str, measure: str) -> Any:
        use = self.use(number, year, instrument)
        return getattr(use, measure) if use else None

    def rate(self, number: str, year: int, instrument: str, measure: str) -> Decimal | None:
        return rate(self.value(number, year, instrument, measure), self.population.get((number, year)), measure)

    def years(self, numbers: Iterable[str], instrument: str) -> list[int]:
        wanted = set(numbers)
        return sorted({y for (n, y, i) in self.uses if n in wanted and i == instrument})


def population(numbers: Iterable[str], years: Iterable[int]) -> dict[tuple[str, int], Decimal]:
    """The monitor's current population of each municipality and year (one query)."""
    rows = Observation.objects.filter(
        indicator__code=POPULATION,
        area_level=AreaLevel.MUNICIPALITY,
        is_current=True,
        area_code__in=sorted(set(numbers)),
        year__in=sorted(set(years)),
        value__isnull=False,
    ).values_list("area_code", "year", "value")
    return {(code, year): value for code, year, value in rows}


def load(user: Any, municipalities: Iterable[Municipality], *, year: int | None = None) -> Figures:
    """The active figures of these municipalities (one year, or all), with population: two queries."""
    names = {m.number: m.name for m in municipalities}
    rows = InstrumentUse.objects.active().filter(municipality__number__in=sorted(names))
    if year is not None:
        rows = rows.filter(year=year)
    rows = access.visible(user, rows).select_related("municipality", "created_by")
    uses = {(u.municipality.number, u.year, u.instrument): u for u in rows}
    years = {y for (_n, y, _i) in uses}
    found = population(names, years) if uses else {}
    return Figures(uses, found, names)


# ---- aggregates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Aggregate:
    """A rate over a set of municipalities, with the names of those that had a figure."""

    rate: Decimal | None
    included: tuple[str, ...]
    of: int

    @property
    def count(self) -> int:
        return len(self.included)


def pooled(figures: Figures, numbers: list[str], year: int, instrument: str, measure: str) -> Aggregate:
    """The sum of the figures of the municipalities that have one (and a population) that year,
    divided by their population: the county's rate. Municipalities without a figure are left out."""
    total, people, included = Decimal(0), Decimal(0), []
    for number in numbers:
        value, inhabitants = figures.value(number, year, instrument, measure), figures.population.get((number, year))
        if value is not None and inhabitants:
            total, people = total + value, people + inhabitants
            included.append(figures.names[number])
    return Aggregate(rate(total, people, measure) if included else None, tuple(included), len(numbers))


def averaged(figures: Figures, numbers: list[str], year: int, instrument: str, measure: str) -> Aggregate:
    """The plain average of the rates of the municipalities that have one that year: the similar
    municipalities' figure (each counts once, whatever its size)."""
    rates = [(figures.names[n], figures.rate(n, year, instrument, measure)) for n in numbers]
    found = [(name, value) for name, value in rates if value is not None]
    mean = sum(value for _name, value in found) / len(found) if found else None
    return Aggregate(mean, tuple(name for name, _value in found), len(numbers))


# ---- one municipality ----------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    year: int
    use: InstrumentUse
    population: Decimal | None
    per_1000: Decimal | None
    per_inhabitant: Decimal | None
    county_per_1000: Aggregate
    county_per_inhabitant: Aggregate
    similar_per_1000: Aggregate
    similar_per_inhabitant: Aggregate


@dataclass
class Section:
    """One instrument's yearly figures in the municipality."""

    instrument: str
    label: str
    count_label: str
    rows: list[YearRow] = field(default_factory=list)


@dataclass(frozen=True)
class ChartRow:
    year: int
    own: Decimal | None
    county: Aggregate
    similar: Aggregate


@dataclass
class Overview:
    municipality: Municipality
    county_numbers: list[str]
    similar_numbers: list[str]
    figures: Figures
    sections: list[Section]
    startlan: list[ChartRow]

    @property
    def similar_names(self) -> list[str]:
        return [self.figures.names[n] for n in self.similar_numbers]


def comparison_set(municipality: Municipality) -> tuple[list[Municipality], list[str], list[str]]:
    """The county's municipalities and the similar ones (the monitor's precomputed neighbours):
    two queries. Returns the municipalities, the county's numbers and the similar numbers."""
    similar = monitor.comparison_codes(municipality, "lignende")
    rows = list(Municipality.objects.filter(Q(county_id=municipality.county_id) | Q(number__in=similar)))
    known = {m.number for m in rows}
    county = sorted(m.number for m in rows if m.county_id == municipality.county_id)
    return rows, county, [n for n in similar if n in known]


def overview(user: Any, municipality: Municipality) -> Overview:
    """Every instrument's yearly figures with rates, the county and the similar municipalities, and the
    startlån series for the chart (four queries)."""
    municipalities, county, similar = comparison_set(municipality)
    figures = load(user, municipalities)
    own = municipality.number
    sections = []
    for instrument in HUSBANKEN_INSTRUMENTS:
        section = Section(instrument.value, str(instrument.label), str(COUNT_LABELS[instrument]))
        for year in figures.years([own], instrument):
            section.rows.append(year_row(figures, own, county, similar, year, instrument))
        sections.append(section)
    startlan = [
        ChartRow(
            year,
            figures.rate(own, year, Instrument.STARTLAN, COUNT),
            pooled(figures, county, year, Instrument.STARTLAN, COUNT),
            averaged(figures, similar, year, Instrument.STARTLAN, COUNT),
        )
        for year in figures.years([own, *county, *similar], Instrument.STARTLAN)
    ]
    startlan = [r for r in startlan if r.own is not None or r.county.rate is not None or r.similar.rate is not None]
    return Overview(municipality, county, similar, figures, sections, startlan)


def year_row(figures: Figures, own: str, county: list[str], similar: list[str], year: int, instrument: str) -> YearRow:
    return YearRow(
        year=year,
        use=figures.use(own, year, instrument),
        population=figures.population.get((own, year)),
        per_1000=figures.rate(own, year, instrument, COUNT),
        per_inhabitant=figures.rate(own, year, instrument, AMOUNT),
        county_per_1000=pooled(figures, county, year, instrument, COUNT),
        county_per_inhabitant=pooled(figures, county, year, instrument, AMOUNT),
        similar_per_1000=averaged(figures, similar, year, instrument, COUNT),
        similar_per_inhabitant=averaged(figures, similar, year, instrument, AMOUNT),
    )


def chart_rows(overview: Overview, county_name: str, similar_label: str) -> list[dict]:
    """The startlån series for `charts.time_series`: the municipality, the county and the similar average."""
    rows = []
    for row in overview.startlan:
        for area, value in (
            (overview.municipality.name, row.own),
            (county_name, row.county.rate),
            (similar_label, row.similar.rate),
        ):
            rows.append({"area": area, "year": row.year, "value": None if value is None else round(float(value), 2)})
    return rows


# ---- the monitor's startlån indicator (SSB 13277) --------------------------------------------------


@dataclass(frozen=True)
class SsbRow:
    year: int
    period: str
    own: Decimal | None
    county: Decimal | None


@dataclass(frozen=True)
class SsbSeries:
    indicator: Indicator | None
    rows: list[SsbRow]


def ssb_startlan(municipality: Municipality) -> SsbSeries:
    """The monitor's `startlaan_per_1000` for the municipality and its county (two queries)."""
    indicator = Indicator.objects.filter(code=SSB_STARTLAN).first()
    if indicator is None:
        return SsbSeries(None, [])
    own = (AreaLevel.MUNICIPALITY, municipality.number)
    county = (AreaLevel.COUNTY, municipality.county.number)
    found = monitor.series([SSB_STARTLAN], [own, county])
    county_points = {p.year: p for p in found.get((SSB_STARTLAN, county), [])}
    rows = [
        SsbRow(p.year, p.period, p.shown_value, getattr(county_points.get(p.year), "shown_value", None))
        for p in found.get((SSB_STARTLAN, own), [])
    ]
    return SsbSeries(indicator, rows)


# ---- before and after ----------------------------------------------------------------------------


def periods(first: int, last: int) -> tuple[list[int], list[int]]:
    """The chosen period and the same number of years just before it."""
    length = last - first + 1
    return list(range(first - length, first)), list(range(first, last + 1))


@dataclass(frozen=True)
class Change:
    """The change from one period to the next, told in words ("up 40 %")."""

    before: Decimal | None
    after: Decimal | None

    @property
    def percent(self) -> int | None:
        if self.before is None or self.after is None or not self.before:
            return None
        share = (self.after - self.before) * 100 / self.before
        return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def text(self) -> str:
        if self.before is None or self.after is None:
            return _("not enough data")
        if self.before == self.after:
            return _("unchanged")
        if not self.before:
            return _("up from zero")
        percent = self.percent
        if percent == 0:
            return _("about unchanged")
        if percent > 0:
            return _("up %(percent)s %%") % {"percent": number_format(percent)}
        return _("down %(percent)s %%") % {"percent": number_format(-percent)}


@dataclass(frozen=True)
class Period:
    """One measure in one period: the total, the average per year and the rate, or the years missing."""

    years: tuple[int, ...]
    total: Decimal | None
    per_year: Decimal | None
    rate: Decimal | None
    missing: tuple[int, ...]
    included: tuple[int, int] | None = None  # fewest and most municipalities in a year (county)


def own_period(figures: Figures, number: str, years: list[int], instrument: str, measure: str) -> Period:
    """Sum and average per year; the rate is the period's sum over the sum of its yearly populations
    (the average yearly rate, weighted by population). Any year without a figure: not enough data."""
    values = [figures.value(number, y, instrument, measure) for y in years]
    people = [figures.population.get((number, y)) for y in years]
    missing = tuple(y for y, v, p in zip(years, values, people, strict=True) if v is None or not p)
    if missing:
        return Period(tuple(years), None, None, None, missing)
    total = sum((Decimal(v) for v in values), Decimal(0))
    return Period(tuple(years), total, total / len(years), rate(total, sum(people), measure), ())


def county_period(figures: Figures, numbers: list[str], years: list[int], instrument: str, measure: str) -> Period:
    """The county's rate over the period: the municipalities with a figure each year, summed over years."""
    total, people, missing, counts = Decimal(0), Decimal(0), [], []
    for year in years:
        included = [
            (figures.value(n, year, instrument, measure), figures.population[(n, year)])
            for n in numbers
            if figures.value(n, year, instrument, measure) is not None and figures.population.get((n, year))
        ]
        if not included:
            missing.append(year)
            continue
        counts.append(len(included))
        total += sum(Decimal(v) for v, _p in included)
        people += sum(p for _v, p in included)
    if missing:
        return Period(tuple(years), None, None, None, tuple(missing))
    return Period(tuple(years), total, total / len(years), rate(total, people, measure), (), (min(counts), max(counts)))


@dataclass(frozen=True)
class Line:
    """One row of the before/after table: what is measured, before, after and the change."""

    label: str
    before: Period
    after: Period
    attribute: str  # "total", "per_year" or "rate"
    decimals: int
    unit: str  # "kr" or ""

    @property
    def before_value(self) -> Decimal | None:
        return getattr(self.before, self.attribute)

    @property
    def after_value(self) -> Decimal | None:
        return getattr(self.after, self.attribute)

    @property
    def change(self) -> Change:
        return Change(self.before_value, self.after_value)


@dataclass
class BeforeAfter:
    instrument: str
    label: str
    lines: list[Line]

    @property
    def has_data(self) -> bool:
        return any(line.before_value is not None or line.after_value is not None for line in self.lines)


def before_after(overview: Overview, first: int, last: int) -> list[BeforeAfter]:
    """Per instrument: the municipality's number and amount (total, per year, rate) and the county's
    rates in the period before and the chosen period. Computed from the figures already loaded."""
    before, after = periods(first, last)
    figures, own, county = overview.figures, overview.municipality.number, overview.county_numbers
    result = []
    for instrument in HUSBANKEN_INSTRUMENTS:
        own_count = [own_period(figures, own, years, instrument, COUNT) for years in (before, after)]
        own_amount = [own_period(figures, own, years, instrument, AMOUNT) for years in (before, after)]
        county_count = [county_period(figures, county, years, instrument, COUNT) for years in (before, after)]
        county_amount = [county_period(figures, county, years, instrument, AMOUNT) for years in (before, after)]
        lines = [
            Line(_("Number in total"), *own_count, "total", 0, ""),
            Line(_("Number per year"), *own_count, "per_year", 1, ""),
            Line(_("Number per 1000 inhabitants per year"), *own_count, "rate", 1, ""),
            Line(_("Amount in total"), *own_amount, "total", 0, "kr"),
            Line(_("Amount per year"), *own_amount, "per_year", 0, "kr"),
            Line(_("Amount per inhabitant per year"), *own_amount, "rate", 0, "kr"),
            Line(_("County: number per 1000 inhabitants per year"), *county_count, "rate", 1, ""),
            Line(_("County: amount per inhabitant per year"), *county_amount, "rate", 0, "kr"),
        ]
        result.append(BeforeAfter(instrument.value, str(instrument.label), lines))
    return result


# ---- the county ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountyRow:
    municipality: Municipality
    population: Decimal | None
    startlan: InstrumentUse | None
    startlan_per_1000: Decimal | None
    uses: list[InstrumentUse | None]  # in the order of HUSBANKEN_INSTRUMENTS

    @property
    def sources(self) -> list[InstrumentUse]:
        return [u for u in self.uses if u is not None]


@dataclass
class CountyOverview:
    county: County
    years: list[int]
    year: int | None
    rows: list[CountyRow]
    startlan: Aggregate | None
    amounts: list[tuple[Decimal | None, int]]  # per instrument: the sum of the amounts given, and by how many


def county_years(user: Any, county: County) -> list[int]:
    rows = access.visible(user, InstrumentUse.objects.active().filter(municipality__county=county))
    return sorted(set(rows.values_list("year", flat=True)), reverse=True)


def county_overview(user: Any, county: County, year: int | None, years: list[int] | None = None) -> CountyOverview:
    """One row per municipality for one year (default the latest with figures): four queries
    (three when the caller passes the `years` with figures)."""
    years = county_years(user, county) if years is None else years
    chosen = year if year in years else (years[0] if years else None)
    municipalities = list(county.municipalities.order_by("number"))
    if chosen is None:
        rows = [CountyRow(m, None, None, None, [None] * len(HUSBANKEN_INSTRUMENTS)) for m in municipalities]
        return CountyOverview(county, years, None, rows, None, [])
    figures = load(user, municipalities, year=chosen)
    numbers = [m.number for m in municipalities]
    rows = [
        CountyRow(
            m,
            figures.population.get((m.number, chosen)),
            figures.use(m.number, chosen, Instrument.STARTLAN),
            figures.rate(m.number, chosen, Instrument.STARTLAN, COUNT),
            [figures.use(m.number, chosen, i) for i in HUSBANKEN_INSTRUMENTS],
        )
        for m in municipalities
    ]
    amounts = []
    for instrument in HUSBANKEN_INSTRUMENTS:
        given = [figures.value(n, chosen, instrument, AMOUNT) for n in numbers]
        given = [a for a in given if a is not None]
        amounts.append((sum(given) if given else None, len(given)))
    startlan = pooled(figures, numbers, chosen, Instrument.STARTLAN, COUNT)
    return CountyOverview(county, years, chosen, rows, startlan, amounts)
