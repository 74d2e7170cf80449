"""Template helpers for the monitor: numbers with units, sparklines, barometer verdicts."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from lagspill.indicators.models import Indicator, Unit
from lagspill.indicators.queries import Point
from lagspill.lib.stats import Comparison, Verdict
from lagspill.web.templatetags.lagspill import number

register = template.Library()

SPARK_WIDTH, SPARK_HEIGHT = 120, 28


@register.filter
def measure(value: Decimal | None, indicator: Indicator) -> str:
    """A value with its unit, in the active language's number format."""
    if value is None:
        return ""
    shown = number(value, indicator.decimals)
    return {
        Unit.PERCENT: f"{shown} %",
        Unit.PER_100: _("%(value)s per 100") % {"value": shown},
        Unit.PER_1000: _("%(value)s per 1000") % {"value": shown},
        Unit.NOK: f"{shown} kr",
    }.get(Unit(indicator.unit), shown)


@register.simple_tag
def sparkline(points: list[Point]) -> str:
    """A small line of the series (decorative: the numbers are on the indicator's page)."""
    values = [(p.year, float(p.value)) for p in points if p.value is not None]
    if len(values) < 2:
        return ""
    years = [y for y, _v in values]
    low, high = min(v for _y, v in values), max(v for _y, v in values)
    span_x, span_y = (years[-1] - years[0]) or 1, (high - low) or 1
    xs = [2 + (y - years[0]) / span_x * (SPARK_WIDTH - 4) for y, _v in values]
    ys = [SPARK_HEIGHT - 2 - (v - low) / span_y * (SPARK_HEIGHT - 4) for _y, v in values]
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {} {}" width="{}" height="{}" aria-hidden="true" focusable="false">'
        '<polyline points="{}"/></svg>',
        SPARK_WIDTH,
        SPARK_HEIGHT,
        SPARK_WIDTH,
        SPARK_HEIGHT,
        coords,
    )


VERDICT_CLASSES = {
    Verdict.BETTER: ("better", "▲"),
    Verdict.WORSE: ("worse", "▼"),
    Verdict.HIGHER: ("neutral", "↑"),
    Verdict.LOWER: ("neutral", "↓"),
    Verdict.SAME: ("same", "="),
    Verdict.NOT_TESTED: ("untested", "–"),
}


@register.simple_tag
def verdict(comparison: Comparison) -> str:
    """The barometer verdict in words, with a symbol; colour only repeats what the words say."""
    css, symbol = VERDICT_CLASSES[comparison.verdict]
    words = {
        Verdict.BETTER: _("Significantly better"),
        Verdict.WORSE: _("Significantly worse"),
        Verdict.HIGHER: _("Significantly higher"),
        Verdict.LOWER: _("Significantly lower"),
        Verdict.SAME: _("No significant difference"),
        Verdict.NOT_TESTED: _("Not tested"),
    }[comparison.verdict]
    pooled = _(" (three years pooled)") if comparison.pooled_years > 1 else ""
    return format_html(
        '<span class="verdict verdict--{}"><span aria-hidden="true">{}</span> {}{}</span>', css, symbol, words, pooled
    )


@register.filter
def cell(value: object) -> str:
    """A table cell: numbers in the language's format with the decimals they were rounded to."""
    if value is None or value == "":
        return "–"
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return number(value, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    if isinstance(value, int):
        return number(value)
    return str(value)


@register.simple_tag
def index_drivers(score: object, indicators: list[Indicator]) -> str:
    """The indicators that raise a municipality's index score most, in words."""
    from lagspill.indicators.presenters import drivers

    names = [i.name for i in drivers(score, indicators)]
    return ", ".join(names) if names else _("no indicator above the average")
