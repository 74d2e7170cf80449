"""`{% vega_chart spec label=… %}`: a chart drawn on the server, made interactive in the browser.

    {% load charts %}
    {% vega_chart spec label=view.title %}
    <table>… the same figures …</table>

It renders `indicators/_chart.html`: a <figure> with the label as <figcaption>, the chart drawn on
the server (an <img> of the SVG, see `lagspill.indicators.charts`) and the spec as JSON data
(`json_script`). The first chart of a request also brings the scripts (deferred) and the tooltip
style sheet, so a page needs nothing else; `static/js/charts.js` then swaps each image for the
interactive vega-embed chart. Without JavaScript, or if vega fails, the image stays. Nothing is
loaded for renders without a request (PDFs, e-mails) or for htmx fragments (charts.js draws charts
that htmx swaps into a page that has the scripts already).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from lagspill.indicators import charts

register = template.Library()


@register.simple_tag(takes_context=True)
def vega_chart(context: template.Context, spec: dict, label: str, chart_id: str | None = None) -> SafeString:
    """A figure with `label` as caption, the server-drawn chart and the spec for the interactive one.

    `chart_id` (optional) is the figure's id; by default one made from the spec's hash, unique within
    the request.
    """
    digest = charts.spec_digest(spec)
    svg = charts.to_svg(spec, digest=digest)
    request: Any = context.get("request")
    chart_id = chart_id or _unique_id(request, f"chart-{digest[:12]}")
    alt = _("%(label)s. See the table below for the figures.") % {"label": str(label).rstrip(". ")}
    width, height = charts.svg_size(svg) or (None, None)
    return render_to_string(
        "indicators/_chart.html",
        {
            "chart_id": chart_id,
            "spec_id": f"{chart_id}-spec",
            "label": label,
            "alt": alt,
            "image": charts.svg_data_uri(svg),
            "width": width,
            "height": height,
            # the interactive chart's SVG gets the same accessible name as the image
            "spec": {**spec, "description": alt},
            "with_scripts": _first_chart(request),
        },
    )


def _unique_id(request: Any, base: str) -> str:
    """`base`, or `base-2`, `base-3`… when the same chart is on the page more than once."""
    if request is None:
        return base
    used: set[str] = request.__dict__.setdefault("_vega_chart_ids", set())
    chart_id, n = base, 1
    while chart_id in used:
        n += 1
        chart_id = f"{base}-{n}"
    used.add(chart_id)
    return chart_id


def _first_chart(request: Any) -> bool:
    """True once per full-page request: the chart that brings the scripts."""
    if request is None or request.headers.get("HX-Request") or request.__dict__.get("_vega_scripts"):
        return False
    request._vega_scripts = True
    return True
