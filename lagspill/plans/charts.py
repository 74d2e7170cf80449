"""Planning maturity over time, as a Vega-Lite line (the monitor's chart builders, same conventions)."""

from typing import Any

from django.utils.translation import gettext as _

from lagspill.indicators import charts
from lagspill.places.models import Municipality

from .models import Maturity


def maturity(series: list[Maturity], municipality: Municipality) -> dict[str, Any]:
    rows = [{"area": municipality.name_plain, "year": m.year, "value": m.score} for m in series]
    title = _("Planning maturity, %(municipality)s") % {"municipality": municipality.name_plain}
    return charts.time_series(
        rows, title=title, y_title=_("Maturity (0–100)"), highlight=municipality.name_plain, value_format=",.0f"
    )
