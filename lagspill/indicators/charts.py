"""Charts and maps as Vega-Lite specs (built with Altair), drawn twice: on the server and in the page.

Every builder returns a plain Vega-Lite dict (the data inline, as lists of dicts), which is used twice:

* **On the server**, `to_svg(spec)` renders it with vl-convert (a bundled Vega/Vega-Lite in Rust's
  Deno runtime; no network, no browser). Pages show that SVG first, so a reader without JavaScript,
  a print-out and a PDF all get the chart.
* **In the page**, `static/js/charts.js` replaces the SVG with vega-embed's interactive rendering
  (tooltips) of the same spec. Versions: vl-convert 1.9 bundles Vega 6.2 / Vega-Lite 6.4; the page
  uses the vendored Vega 6.4 / Vega-Lite 6.5 (`static/vendor/VERSIONS.md`); both read the v6 specs
  Altair writes.

Content-Security-Policy (`script-src 'self'; style-src 'self'; img-src 'self' data:`):

* The server SVG goes into the page as ``<img src="data:image/svg+xml;base64,…" alt="…">``, not
  inline. vl-convert's SVG has no ``<style>`` element or ``style`` attribute today, but as an image it
  would not matter if a later version added one: an SVG image is a separate, script-less document
  that the page's style-src does not govern. It also keeps the ids vega writes (``clip1`` …) from
  colliding when a page has several charts, and gives screen readers one plain ``alt`` text (the
  figures are in the table that follows every chart). ``img-src data:`` is allowed already.
* The spec reaches the browser as ``<script type="application/json">`` (Django's ``json_script``),
  which is data, not script. charts.js uses vega's CSP-safe expression interpreter (``ast: true``)
  instead of ``new Function``, ``defaultStyle: false`` and vega-tooltip's ``disableDefaultStyle``
  (its CSS is the vendored ``vendor/vega-embed/vega-tooltip.css``), so nothing injects a
  ``<style>`` element; vega and vega-tooltip position things through the CSSOM (``el.style.x = …``),
  which CSP allows.

Conventions: every chart has a title and axis titles; numbers follow the active language
(``config.locale``: 10 748,5 in Norwegian, 10,748.5 in English) through d3 ``format`` strings; the
colours are the Okabe–Ito palette (colour-blind safe) minus its two lightest colours, so every
line and mark keeps a 3:1 contrast with the white background; what colour tells is also told
another way (line width, markers, dash patterns, a bold label, tooltips and the data table).

Rendering cost: the first vl-convert call in a process starts its JavaScript engine (~0.7 s); after
that a chart takes tens of milliseconds (a map of all municipalities a few hundred). `to_svg` caches
each SVG under the SHA-256 of the canonical spec JSON plus the vl-convert version: in this process
(a small LRU, so a warm page makes no cache query either) and in Django's cache (shared by all
processes, survives restarts).
"""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import itertools
import json
import math
import re
import threading
from collections import OrderedDict
from typing import Any

import altair as alt
import vl_convert
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lagspill.lib import svgmap

# Okabe & Ito (2008), without orange #E69F00 and sky blue #56B4E9 (below 3:1 on white), then two of
# Paul Tol's colours. The first colour is the highlight.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#882255", "#999933", "#332288"]
HIGHLIGHT = PALETTE[0]
MUTED = "#8c8c8c"  # the other bars next to a highlighted one (3.4:1 on white)
NO_DATA = "#bdbdbd"
TEXT = "#1e2b3c"
# Dash patterns per line (the highlight is solid), so the lines differ in more than colour.
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4], [10, 4], [2, 4, 6, 4], [12, 2]]
# Arial's metrics everywhere: vl-convert measures text with Liberation Sans (bundled, Arial-compatible)
# and the browser draws the <img> with its own fonts; Windows and macOS have Arial, Linux has
# Liberation Sans. (With the site's system-ui stack, labels measured on the server could be cut off.)
FONT = 'Arial, "Liberation Sans", Helvetica, sans-serif'
WIDTH = 640  # fits the content column; the page scales the image down on narrow screens
MAP_WIDTH, MAP_HEIGHT = 420, 520

# d3-format locales: Norwegian uses a decimal comma and a no-break space between thousands
# (as the `number` template filter does); English as in en-GB.
NUMBER_LOCALES = {
    "nb": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"]},
    "nn": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["NOK\u00a0", ""]},
}
VALUE_FORMAT = ",.1f"  # grouped, one decimal: 10 748,0 / 0,4 (pass ",d" for counts)
# (axes leave the format to vega, which picks the decimals from the tick step, in the same locale)

VL_CONVERT_VERSION = vl_convert.__version__
CACHE_TIMEOUT = 60 * 60 * 24 * 30  # keys are content hashes: an entry never goes stale
_LOCAL_MAX_BYTES = 16 * 1024 * 1024


def _language() -> str:
    return (get_language() or "nb").split("-")[0]


def _config() -> dict[str, Any]:
    return {
        "locale": {"number": NUMBER_LOCALES.get(_language(), NUMBER_LOCALES["nb"])},
        "font": FONT,
        "background": "white",
        "padding": {"left": 5, "top": 5, "bottom": 5, "right": 16},  # room for a slightly wider font
        "title": {"anchor": "start", "fontSize": 16, "fontWeight": 600, "color": TEXT, "offset": 12},
        "axis": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": TEXT, "titleColor": TEXT},
        "legend": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": TEXT, "titleColor": TEXT},
        "view": {"stroke": None},
    }


# Each builder has two halves. The chart's structure is made by Altair from hashable arguments (titles,
# the order of the areas, the language…) and kept in an LRU: Altair checks every encoding against the
# Vega-Lite schema, ~40 ms a chart, which a page shown again should not pay. The data go in afterwards
# as named datasets (Altair would also copy and walk inline data: half a second for a national map).
_structure = functools.lru_cache(maxsize=512)


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec = chart.to_dict(validate=False)
    spec["config"] = {**spec.get("config", {}), **_config()}
    return spec


def _with_data(structure: dict[str, Any], **datasets: list) -> dict[str, Any]:
    spec = copy.deepcopy(structure)
    spec["datasets"] = datasets
    return spec


def _title(text: str) -> alt.TitleParams:
    return alt.TitleParams(text=text)


TABLE = alt.Data(name="table")


def time_series(
    rows: list[dict], *, title: str, y_title: str, highlight: str, value_format: str = VALUE_FORMAT
) -> dict[str, Any]:
    """Lines over years, one per area; the highlighted area thick, with point markers and a name label.

    `rows`: dicts with `area` (name), `year` (int), `value` (float or None: a gap in the line).
    """
    areas = list(dict.fromkeys(r["area"] for r in rows))
    others = sorted((a for a in areas if a != highlight), key=str.casefold)
    domain = ([highlight] if highlight in areas else []) + others
    data = [
        {"area": r["area"], "year": int(r["year"]), "value": r["value"], "highlight": r["area"] == highlight}
        for r in rows
    ]
    shown = [r for r in data if r["highlight"] and r["value"] is not None]
    if shown:  # name the highlighted line at its last value, so it is found without telling colours apart
        max(shown, key=lambda r: r["year"])["label"] = True
    return _with_data(_time_series(title, y_title, tuple(domain), value_format, _language()), table=data)


@_structure
def _time_series(title: str, y_title: str, domain: tuple[str, ...], value_format: str, language: str) -> dict:
    legend = alt.Legend(title=_("Area"), orient="bottom", direction="vertical", symbolType="stroke", symbolSize=400)
    base = alt.Chart(TABLE).encode(
        x=alt.X(
            "year:Q",
            title=_("Year"),
            scale=alt.Scale(zero=False, nice=False),
            axis=alt.Axis(format="d", tickMinStep=1),
        ),
        y=alt.Y("value:Q", title=y_title),
        color=alt.Color(
            "area:N",
            title=_("Area"),
            scale=alt.Scale(domain=list(domain), range=_cycle(PALETTE, len(domain))),
            legend=legend,
        ),
        strokeDash=alt.StrokeDash(
            "area:N",
            title=_("Area"),
            scale=alt.Scale(domain=list(domain), range=_cycle(DASHES, len(domain))),
            legend=legend,
        ),
        tooltip=[
            alt.Tooltip("area:N", title=_("Area")),
            alt.Tooltip("year:Q", title=_("Year"), format="d"),
            alt.Tooltip("value:Q", title=y_title, format=value_format),
        ],
    )
    lines = base.transform_filter("!datum.highlight").mark_line(strokeWidth=1.5)
    main = base.transform_filter("datum.highlight").mark_line(
        strokeWidth=3.5, point=alt.OverlayMarkDef(size=50, filled=True)
    )
    label = (
        alt.Chart(TABLE)
        .transform_filter("datum.label")
        .mark_text(align="left", dx=8, fontWeight="bold", fontSize=12, color=HIGHLIGHT)
        .encode(x="year:Q", y="value:Q", text="area:N")
    )
    return _spec(alt.layer(lines, main, label).properties(title=_title(title), width=WIDTH, height=320))


def ranked_bars(
    rows: list[dict], *, title: str, x_title: str, highlight: str | None = None, value_format: str = VALUE_FORMAT
) -> dict[str, Any]:
    """Horizontal bars, largest first, each labelled with its value; the highlighted area is coloured,
    outlined and its name bold. Rows without a value are left out (the table beside shows them).

    `rows`: dicts with `area` and `value` (float or None).
    """
    data = sorted(
        (
            {"area": r["area"], "value": r["value"], "highlight": r["area"] == highlight}
            for r in rows
            if r["value"] is not None
        ),
        key=lambda r: (-r["value"], r["area"].casefold()),
    )
    order = tuple(r["area"] for r in data)
    return _with_data(_ranked_bars(title, x_title, highlight, order, value_format, _language()), table=data)


@_structure
def _ranked_bars(
    title: str, x_title: str, highlight: str | None, order: tuple[str, ...], value_format: str, language: str
) -> dict:
    is_highlight = alt.datum.highlight
    bold_label = alt.condition(f"datum.value === {_js_string(highlight or '')}", alt.value(700), alt.value(400))
    base = alt.Chart(TABLE).encode(
        y=alt.Y("area:N", sort=list(order), title=None, axis=alt.Axis(labelFontWeight=bold_label, labelLimit=220)),
        tooltip=[alt.Tooltip("area:N", title=_("Area")), alt.Tooltip("value:Q", title=x_title, format=value_format)],
    )
    bars = base.mark_bar(height={"band": 0.75}).encode(
        x=alt.X("value:Q", title=x_title),
        color=alt.condition(is_highlight, alt.value(HIGHLIGHT), alt.value(MUTED if highlight else HIGHLIGHT)),
        stroke=alt.condition(is_highlight, alt.value("#000000"), alt.value(None)),
        strokeWidth=alt.condition(is_highlight, alt.value(2), alt.value(0)),
    )
    labels = (
        base.transform_calculate(label_x="max(datum.value, 0)")
        .mark_text(align="left", dx=4, fontSize=12, color=TEXT)
        .encode(x="label_x:Q", text=alt.Text("value:Q", format=value_format))
    )
    return _spec(alt.layer(bars, labels).properties(title=_title(title), width=WIDTH - 200, height=alt.Step(22)))


def choropleth(
    features: list[dict], *, title: str, legend_title: str, value_format: str = VALUE_FORMAT, classes: int = 5
) -> dict[str, Any]:
    """Areas shaded by value in `classes` quantile classes of a sequential blue scheme; areas without a
    value grey, with a "no data" legend entry. Transverse Mercator around 15° E (as Kartverket's maps),
    fitted to the areas.

    `features`: GeoJSON Feature dicts (WGS84, either ring orientation) with `properties` {name, value
    (float or None)}. Coordinates are rounded to what the map can show (half a pixel: 0.01° for all of
    Norway, 0.001° for a county) and the rings wound the way d3-geo reads them (outer rings clockwise:
    the other way round a ring means "the whole globe except this area").
    """
    no_data = _("no data")
    digits = _digits_for(features, MAP_WIDTH, MAP_HEIGHT)
    data = []
    for f in features:
        value = f["properties"].get("value")
        properties = {"name": f["properties"]["name"], "value": value}
        if value is None:
            properties["status"] = no_data  # the "no data" layer's legend entry
        geometry = _d3_geometry(f["geometry"], digits)
        if geometry is not None:
            data.append({"type": "Feature", "geometry": geometry, "properties": properties})
    missing = any("status" in f["properties"] for f in data)
    return _with_data(_choropleth(title, legend_title, value_format, classes, missing, _language()), table=data)


@_structure
def _choropleth(title: str, legend_title: str, value_format: str, classes: int, missing: bool, language: str) -> dict:
    base = alt.Chart(TABLE).project(type="transverseMercator", rotate=[-15, 0, 0])
    outline = {"stroke": "#ffffff", "strokeWidth": 0.5}
    square = {"orient": "right", "symbolType": "square", "symbolSize": 200}
    with_value = (
        base.transform_filter("isValid(datum.properties.value)")
        .mark_geoshape(**outline)
        .encode(
            color=alt.Color(
                "properties.value:Q",
                title=legend_title,
                scale=alt.Scale(type="quantile", scheme={"name": "blues", "count": classes, "extent": [0.25, 1]}),
                legend=alt.Legend(format=value_format, **square),
            ),
            tooltip=[
                alt.Tooltip("properties.name:N", title=_("Area")),
                alt.Tooltip("properties.value:Q", title=legend_title, format=value_format),
            ],
        )
    )
    layers = [with_value]
    if missing:
        layers.append(
            base.transform_filter("!isValid(datum.properties.value)")
            .mark_geoshape(**outline)
            .encode(
                color=alt.Color(
                    "properties.status:N",
                    scale=alt.Scale(domain=[_("no data")], range=[NO_DATA]),
                    legend=alt.Legend(title=None, **square),
                ),
                tooltip=[
                    alt.Tooltip("properties.name:N", title=_("Area")),
                    alt.Tooltip("properties.status:N", title=legend_title),
                ],
            )
        )
    chart = alt.layer(*layers).resolve_scale(color="independent")
    return _spec(chart.properties(title=_title(title), width=MAP_WIDTH, height=MAP_HEIGHT))


def contributions(rows: list[dict], *, title: str, value_format: str = VALUE_FORMAT) -> dict[str, Any]:
    """What each indicator adds to (or, when negative, takes from) an area's score: one stacked bar per
    area, highest total first; a black tick marks the total, written at the right end of the bar.

    `rows`: dicts with `area`, `indicator` (name) and `contribution` (float, may be negative; None = 0).
    """
    totals: dict[str, float] = {}
    right: dict[str, float] = {}
    for r in rows:
        c = r["contribution"] or 0.0
        totals[r["area"]] = totals.get(r["area"], 0.0) + c
        right[r["area"]] = right.get(r["area"], 0.0) + max(c, 0.0)
    order = sorted(totals, key=lambda a: (-totals[a], a.casefold()))
    indicators = list(dict.fromkeys(r["indicator"] for r in rows))
    rank = {name: i for i, name in enumerate(indicators)}
    data = [
        {
            "area": r["area"],
            "indicator": r["indicator"],
            "contribution": r["contribution"] or 0.0,
            "rank": rank[r["indicator"]],
        }
        for r in rows
    ]
    total_rows = [{"area": a, "total": totals[a], "label_x": max(right[a], totals[a], 0.0)} for a in order]
    structure = _contributions(title, tuple(order), tuple(indicators), value_format, _language())
    return _with_data(structure, table=data, totals=total_rows, zero=[{"x": 0}])


@_structure
def _contributions(
    title: str, order: tuple[str, ...], indicators: tuple[str, ...], value_format: str, language: str
) -> dict:
    y = alt.Y("area:N", sort=list(order), title=None, axis=alt.Axis(labelLimit=220))
    bars = (
        alt.Chart(TABLE)
        .mark_bar(height={"band": 0.75}, stroke="#ffffff", strokeWidth=1)
        .encode(
            y=y,
            x=alt.X("contribution:Q", title=_("Contribution to the score"), stack="zero"),
            color=alt.Color(
                "indicator:N",
                title=_("Indicator"),
                scale=alt.Scale(domain=list(indicators), range=_cycle(PALETTE, len(indicators))),
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400),
            ),
            order=alt.Order("rank:Q"),
            tooltip=[
                alt.Tooltip("area:N", title=_("Area")),
                alt.Tooltip("indicator:N", title=_("Indicator")),
                alt.Tooltip("contribution:Q", title=_("Contribution"), format=value_format),
            ],
        )
    )
    total = alt.Chart(alt.Data(name="totals")).encode(
        y=y,
        tooltip=[alt.Tooltip("area:N", title=_("Area")), alt.Tooltip("total:Q", title=_("Score"), format=value_format)],
    )
    ticks = total.mark_tick(color="#000000", thickness=3, size=20).encode(x="total:Q")
    labels = total.mark_text(align="left", dx=6, fontSize=12, fontWeight="bold", color=TEXT).encode(
        x="label_x:Q", text=alt.Text("total:Q", format=value_format)
    )
    zero = alt.Chart(alt.Data(name="zero")).mark_rule(color=TEXT).encode(x="x:Q")
    chart = alt.layer(bars, zero, ticks, labels)
    return _spec(chart.properties(title=_title(title), width=WIDTH - 200, height=alt.Step(24)))


# ---- server rendering ---------------------------------------------------------------------------


def spec_digest(spec: dict) -> str:
    """SHA-256 of the canonical JSON of `spec` and the renderer's version: the cache key of its SVG."""
    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(f"vl-convert {VL_CONVERT_VERSION}\n{canonical}".encode()).hexdigest()


class _LocalCache:
    """A small LRU of SVGs in this process, bounded by their total size."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, str] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def set(self, key: str, value: str) -> None:
        if len(value) > self.max_bytes // 4:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self._bytes -= len(old) if old is not None else 0
            self._items[key] = value
            self._bytes += len(value)
            while self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


_local = _LocalCache(_LOCAL_MAX_BYTES)


def to_svg(spec: dict, *, digest: str | None = None) -> str:
    """The chart as an SVG document, rendered by vl-convert once per spec (cached, see the module doc).

    `digest`: `spec_digest(spec)` if the caller has it already (hashing a big map takes milliseconds).
    """
    key = "charts:svg:" + (digest or spec_digest(spec))
    svg = _local.get(key)
    if svg is None:
        svg = cache.get(key)
        if svg is None:
            # allowed_base_urls=[]: a spec cannot make the server fetch anything (data is inline)
            svg = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
            cache.set(key, svg, CACHE_TIMEOUT)
        _local.set(key, svg)
    return svg


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


_SVG_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')


def svg_size(svg: str) -> tuple[int, int] | None:
    """Width and height of the SVG's root element, for the <img> that shows it."""
    match = _SVG_SIZE.search(svg[:2000])
    return (math.ceil(float(match[1])), math.ceil(float(match[2]))) if match else None


# ---- helpers --------------------------------------------------------------------------------------


def _cycle(values: list, n: int) -> list:
    return [values[i % len(values)] for i in range(max(n, 1))]


def _js_string(text: str) -> str:
    """A string literal for a Vega expression (JSON's escaping is valid there)."""
    return json.dumps(text)


def _digits_for(features: list[dict], width: int, height: int) -> int:
    """Decimals that keep coordinates within half a pixel on a `width` × `height` map fitted to `features`."""
    points = [p for f in features for polygon in svgmap.polygons(f["geometry"]) for p in polygon[0]]
    if not points:
        return 3
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    shrink = math.cos(math.radians((max(lats) + min(lats)) / 2))  # a degree of longitude is shorter up north
    degrees_per_pixel = max((max(lats) - min(lats)) / height, (max(lons) - min(lons)) * shrink / width, 1e-6)
    return min(5, max(2, math.ceil(-math.log10(degrees_per_pixel / 2))))


def _d3_geometry(geometry: dict, digits: int) -> dict | None:
    """A (Multi)Polygon rounded to `digits` decimals and wound for d3-geo (outer rings clockwise,
    holes anticlockwise); rings that rounding collapses are dropped. None if nothing is left."""
    polygons = []
    for polygon in svgmap.polygons(geometry):
        rings = []
        for i, ring in enumerate(polygon):
            points = [[round(p[0], digits), round(p[1], digits)] for p in ring]
            points = [p for j, p in enumerate(points) if j == 0 or p != points[j - 1]]
            area = _signed_area(points)
            if len(points) < 4 or area == 0:
                if i == 0:
                    break  # the outer ring is gone: so is the polygon
                continue
            outer = i == 0
            if (area > 0) == outer:  # anticlockwise outer ring or clockwise hole: turn it round
                points.reverse()
            rings.append(points)
        if rings:
            polygons.append(rings)
    if not polygons:
        return None
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def _signed_area(ring: list[list[float]]) -> float:
    """Shoelace area in degrees² (x east, y north): positive when the ring runs anticlockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2
