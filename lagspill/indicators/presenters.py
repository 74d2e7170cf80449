"""Shape query results for the monitor pages: tables (also the downloads) and chart rows."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.utils.translation import gettext as _

from lagspill.places.models import County, Municipality

from . import queries
from .derived import SIMILARITY_FEATURES
from .exports import Table
from .models import AreaLevel, IndexScore, Indicator, Unit, WeightSet
from .queries import COUNTRY, Point

NORWAY = "Norge"
GEOJSON = settings.BASE_DIR / "data" / "geo" / "Kommuner-S.valid.geojson"


def int_or_none(text: str | None) -> int | None:
    return int(text) if text and text.isdecimal() and len(text) == 4 else None


def unit_label(indicator: Indicator) -> str:
    return {
        Unit.COUNT: _("number"),
        Unit.PERCENT: _("per cent"),
        Unit.PER_100: _("per 100"),
        Unit.PER_1000: _("per 1000"),
        Unit.NOK: _("NOK"),
    }[Unit(indicator.unit)]


def value_cell(point: Point | None, decimals: int) -> Decimal | str | None:
    """The number as a table cell: rounded as on the page; the source's symbol when there is none."""
    if point is None:
        return None
    value = point.shown_value
    if value is None:
        return point.status or ".."
    return round(value, decimals)


def sources(indicators: list[Indicator]) -> list[str]:
    seen = dict.fromkeys(f"{i.source} ({i.licence})" if i.licence else i.source for i in indicators)
    return list(seen)


# ---------------------------------------------------------------- profile
def profile_table(municipality: Municipality, groups: list[queries.ThemeGroup]) -> Table:
    county = municipality.county.name
    table = Table(
        title=_("Living conditions in %(name)s") % {"name": municipality.name},
        columns=[
            _("Theme"),
            _("Indicator"),
            _("Unit"),
            _("Period"),
            municipality.name,
            county,
            _("Norway"),
            _("Comparison set (median)"),
            _("Compared with %(area)s") % {"area": county},
            _("Compared with Norway"),
        ],
    )
    shown = []
    for group in groups:
        for row in group.rows:
            shown.append(row.shown)
            last = row.latest
            decimals = row.shown.decimals
            table.rows.append(
                [
                    group.label,
                    row.shown.name,
                    unit_label(row.shown),
                    last.period if last else None,
                    value_cell(last, decimals),
                    value_cell(row.county, decimals),
                    value_cell(row.country, decimals),
                    value_cell(row.comparison, decimals),
                    verdict_text(row.versus_county, county),
                    verdict_text(row.versus_country, _("Norway")),
                ]
            )
    table.sources = sources(shown)
    return table


def verdict_text(comparison: object, area: str) -> str:
    from lagspill.lib.stats import Verdict

    verdict = getattr(comparison, "verdict", Verdict.NOT_TESTED)
    pooled = getattr(comparison, "pooled_years", 1) > 1
    text = {
        Verdict.BETTER: _("significantly better than %(area)s"),
        Verdict.WORSE: _("significantly worse than %(area)s"),
        Verdict.HIGHER: _("significantly higher than %(area)s"),
        Verdict.LOWER: _("significantly lower than %(area)s"),
        Verdict.SAME: _("not significantly different from %(area)s"),
        Verdict.NOT_TESTED: _("not tested"),
    }[verdict] % {"area": area}
    return f"{text} ({_('three years pooled')})" if pooled else text


# ---------------------------------------------------------------- one indicator over time
@dataclass
class Line:
    name: str
    points: list[Point]
    role: str  # "own", "county", "country" or "comparison"


def series_lines(municipality: Municipality, indicator: Indicator, comparison: list[str]) -> list[Line]:
    own = (AreaLevel.MUNICIPALITY, municipality.number)
    county = (AreaLevel.COUNTY, municipality.county.number)
    country = (AreaLevel.COUNTRY, COUNTRY)
    others = [(AreaLevel.MUNICIPALITY, c) for c in comparison]
    found = queries.series([indicator.code], [own, county, country, *others])
    names = queries.municipalities_by_number(comparison)
    lines = [
        Line(municipality.name, found.get((indicator.code, own), []), "own"),
        Line(municipality.county.name, found.get((indicator.code, county), []), "county"),
        Line(_("Norway"), found.get((indicator.code, country), []), "country"),
    ]
    lines += [
        Line(names[c].name, found.get((indicator.code, a), []), "comparison")
        for c, a in zip(comparison, others, strict=True)
    ]
    return [line for line in lines if line.points]


def series_table(municipality: Municipality, indicator: Indicator, lines: list[Line]) -> Table:
    periods = sorted({(p.year, p.period) for line in lines for p in line.points})
    table = Table(
        title=f"{indicator.name} – {municipality.name}",
        columns=[_("Period"), *[line.name for line in lines]],
        sources=sources([indicator]),
    )
    by_line = [{p.year: p for p in line.points} for line in lines]
    for year, period in periods:
        table.rows.append([period, *[value_cell(points.get(year), indicator.decimals) for points in by_line]])
    if any(p.weighted for line in lines for p in line.points):
        table.notes.append(_("Some figures include an estimated share of a municipality that was split."))
    return table


def chart_rows(lines: list[Line]) -> list[dict]:
    return [
        {"area": line.name, "year": p.year, "value": float(p.value) if p.value is not None else None}
        for line in lines
        for p in line.points
    ]


# ---------------------------------------------------------------- one indicator across municipalities
@dataclass
class Across:
    title: str
    year: int | None
    years: list[int]
    rows: list[tuple[Municipality, Point | None]]
    table: Table
    features: list[dict] = field(default_factory=list)
    bar_rows: list[dict] = field(default_factory=list)


def across(indicator: Indicator, county: County | None, year: int | None) -> Across:
    municipalities = list(
        (county.municipalities if county else Municipality.objects).select_related("county").order_by("number")
    )
    years, points = queries.across(indicator, [m.number for m in municipalities], year)
    chosen = year if year in years else (years[-1] if years else None)
    area = county.name if county else _("Norway")
    title = f"{indicator.name}, {area}" + (f" {chosen}" if chosen else "")
    rows = [(m, points.get(m.number)) for m in municipalities]
    table = Table(
        title=title,
        columns=[
            _("Municipality number"),
            _("Municipality"),
            _("Period"),
            f"{indicator.name} ({unit_label(indicator)})",
        ],
        sources=sources([indicator]),
    )
    for m, point in rows:
        table.rows.append([m.number, m.name, point.period if point else None, value_cell(point, indicator.decimals)])
    values = {m.number: float(p.value) if p and p.value is not None else None for m, p in rows}
    features = [
        {**feature, "properties": {"name": f["name"], "value": values.get(code)}}
        for code, feature in outlines().items()
        if code in values
        for f in [feature["properties"]]
    ]
    bar_rows = [{"area": m.name, "value": values[m.number]} for m, _p in rows if values[m.number] is not None]
    return Across(title, chosen, years, rows, table, features, bar_rows)


@cache
def outlines() -> dict[str, dict]:
    """Municipality outlines (Kartverket, simplified) by number, read once per process."""
    import json

    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    names = dict(Municipality.objects.values_list("number", "name"))
    return {
        f["properties"]["kommunenummer"]: {
            "type": "Feature",
            "geometry": f["geometry"],
            "properties": {"name": names.get(f["properties"]["kommunenummer"], f["properties"]["kommunenavn"])},
        }
        for f in data["features"]
    }


# ---------------------------------------------------------------- challenge index
def weight_sets_for(county: County) -> list[WeightSet]:
    sets = WeightSet.objects.filter(retired_at__isnull=True).filter(county__isnull=True) | WeightSet.objects.filter(
        retired_at__isnull=True, county=county
    )
    return sorted(sets, key=lambda w: (w.slug != WeightSet.STANDARD, w.name))


@dataclass
class IndexView:
    title: str
    year: int | None
    years: list[int]
    indicators: list[Indicator]
    rows: list[tuple[Municipality, IndexScore]]
    table: Table
    chart_rows: list[dict]


def index_view(weight_set: WeightSet, county: County, year: int | None) -> IndexView:
    years = queries.index_years(weight_set, county)
    chosen, scores = queries.index_table(weight_set, county, year)
    names = queries.municipalities_by_number(s.area_code for s in scores)
    used = [i for i in queries.indicators() if float(weight_set.weights.get(i.code, 0) or 0) > 0]
    title = _("Challenge index, %(county)s %(year)s") % {"county": county.name, "year": chosen or ""}
    table = Table(
        title=title,
        columns=[
            _("Rank in county"),
            _("Rank in Norway"),
            _("Municipality number"),
            _("Municipality"),
            _("Score"),
            _("Share of weights with data (%)"),
            *[_("Contribution: %(indicator)s") % {"indicator": i.name} for i in used],
        ],
        sources=sources(used),
        notes=[_("Weight set: %(name)s") % {"name": weight_set.name}],
    )
    rows = []
    chart = []
    for score in scores:
        municipality = names[score.area_code]
        rows.append((municipality, score))
        table.rows.append(
            [
                score.rank_county,
                score.rank_country,
                municipality.number,
                municipality.name,
                _round(score.score),
                round(100 * score.coverage),
                *[_round(score.contributions.get(i.code)) for i in used],
            ]
        )
        chart += [
            {"area": municipality.name, "indicator": i.name, "contribution": score.contributions[i.code]}
            for i in used
            if i.code in score.contributions
        ]
    return IndexView(title, chosen, years, used, rows, table, chart)


def _round(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(f"{value:.2f}")


def drivers(score: IndexScore, indicators: list[Indicator], count: int = 2) -> list[Indicator]:
    """The indicators that raise the score most."""
    by_code = {i.code: i for i in indicators}
    ranked = sorted(((v, c) for c, v in score.contributions.items() if v > 0 and c in by_code), reverse=True)
    return [by_code[c] for _v, c in ranked[:count]]


def similarity_feature_names() -> list[Indicator]:
    found = {i.code: i for i in Indicator.objects.filter(code__in=SIMILARITY_FEATURES)}
    return [found[c] for c in SIMILARITY_FEATURES if c in found]


NORWAY_LABEL = NORWAY
