"""Charts: the Vega-Lite specs the builders make, the server SVG (cached) and the {% vega_chart %} tag."""

import base64
import json
import re
from collections.abc import Iterator

import pytest
import vl_convert
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema import load_schema
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext
from pytest_django.fixtures import Settings

from lagspill.indicators import charts

SCHEMA = load_schema()

ROWS = [
    {"area": area, "year": year, "value": None if (area == "Askøy" and year == 2019) else 100.0 + i * 10 + year - 2015}
    for i, area in enumerate(["Bergen", "Askøy", "Vestland", "Hele landet"])
    for year in range(2015, 2024)
]


def square(x: float, y: float, anticlockwise: bool = True) -> dict:
    """A 1° square as a GeoJSON polygon, wound as RFC 7946 says (anticlockwise) unless told otherwise."""
    ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
    return {"type": "Polygon", "coordinates": [ring if anticlockwise else ring[::-1]]}


FEATURES = [
    {"type": "Feature", "geometry": square(5, 60), "properties": {"name": "Vestland", "value": 3.5}},
    {"type": "Feature", "geometry": square(10, 60, anticlockwise=False), "properties": {"name": "Oslo", "value": 7.25}},
    {"type": "Feature", "geometry": square(15, 68), "properties": {"name": "Nordland", "value": None}},
]


@pytest.fixture(autouse=True)
def _norwegian_and_fresh_cache(settings: Settings) -> Iterator[None]:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    charts._local.clear()
    with translation.override("nb"):
        yield
    charts._local.clear()


def layers(spec: dict) -> list[dict]:
    return spec["layer"]


def valid(spec: dict) -> dict:
    """The spec passes the Vega-Lite JSON schema (the version Altair writes) and says which one it is."""
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    validate_jsonschema(spec, SCHEMA)
    json.dumps(spec, allow_nan=False)  # plain JSON, as json_script and the cache key need
    return spec


def test_time_series() -> None:
    spec = valid(charts.time_series(ROWS, title="Bostøtte", y_title="Per 1000", highlight="Bergen"))
    assert spec["title"]["text"] == "Bostøtte"
    others, main, label = layers(spec)
    encoding = spec["encoding"] if "encoding" in spec else others["encoding"]
    assert encoding["x"]["field"] == "year" and encoding["x"]["title"]
    assert encoding["y"]["field"] == "value" and encoding["y"]["title"] == "Per 1000"
    # the highlight comes first in the colour and dash scales: the first colour, a solid line
    assert encoding["color"]["scale"]["domain"][0] == "Bergen"
    assert encoding["color"]["scale"]["range"][0] == charts.HIGHLIGHT
    assert encoding["strokeDash"]["scale"]["range"][0] == [1, 0]
    assert encoding["color"]["legend"]["title"]
    # thicker, with markers, and named by a label at its last value
    assert main["mark"]["strokeWidth"] > others["mark"]["strokeWidth"]
    assert main["mark"]["point"] and "point" not in others["mark"]
    assert label["mark"]["type"] == "text"
    table = spec["datasets"]["table"]
    assert [r for r in table if r.get("label")] == [
        {"area": "Bergen", "year": 2023, "value": 108.0, "highlight": True, "label": True}
    ]
    assert {r["area"] for r in table if r["highlight"]} == {"Bergen"}
    assert any(r["value"] is None for r in table)  # a gap stays a gap
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_ranked_bars_sorted_with_highlight() -> None:
    rows = [{"area": "Askøy", "value": 2.0}, {"area": "Voss", "value": 9.5}, {"area": "Modalen", "value": None}]
    rows.append({"area": "Bergen", "value": 4.0})
    spec = valid(charts.ranked_bars(rows, title="Leietakere", x_title="Prosent", highlight="Bergen"))
    bars, labels = layers(spec)
    assert [r["area"] for r in spec["datasets"]["table"]] == ["Voss", "Bergen", "Askøy"]
    y = spec["encoding"]["y"] if "encoding" in spec else bars["encoding"]["y"]
    assert y["sort"] == ["Voss", "Bergen", "Askøy"]
    assert bars["encoding"]["x"]["title"] == "Prosent"
    assert bars["encoding"]["color"]["condition"]["value"] == charts.HIGHLIGHT
    assert bars["encoding"]["strokeWidth"]["condition"]["value"] > 0  # outlined, not only coloured
    assert y["axis"]["labelFontWeight"]["condition"] == {"test": 'datum.value === "Bergen"', "value": 700}  # bold name
    assert labels["mark"]["type"] == "text"


def test_choropleth_no_data_and_winding() -> None:
    spec = valid(charts.choropleth(FEATURES, title="Fylker", legend_title="Andel (%)"))
    assert spec["title"]["text"] == "Fylker"
    assert spec["resolve"]["scale"]["color"] == "independent"
    values, no_data = layers(spec)
    assert spec.get("projection", values.get("projection"))["type"] == "transverseMercator"
    colour = values["encoding"]["color"]
    assert colour["field"] == "properties.value" and colour["scale"]["type"] == "quantile"
    assert colour["title"] == "Andel (%)"
    no_data_label = gettext("no data")
    assert no_data["encoding"]["color"]["scale"] == {"domain": [no_data_label], "range": [charts.NO_DATA]}
    table = spec["datasets"]["table"]
    assert [f["properties"].get("status") for f in table] == [None, None, no_data_label]
    # d3-geo wants outer rings clockwise, whichever way they came in
    for feature in table:
        assert charts._signed_area(feature["geometry"]["coordinates"][0]) < 0


def test_choropleth_without_missing_values_has_no_no_data_entry() -> None:
    spec = valid(charts.choropleth(FEATURES[:2], title="Fylker", legend_title="Andel"))
    assert len(layers(spec)) == 1


def test_contributions_sorted_by_total() -> None:
    rows = [
        {"area": "Askøy", "indicator": "Lavinntekt", "contribution": 1.0},
        {"area": "Askøy", "indicator": "Trangbodd", "contribution": -2.0},
        {"area": "Bergen", "indicator": "Lavinntekt", "contribution": 0.5},
        {"area": "Bergen", "indicator": "Trangbodd", "contribution": 0.25},
    ]
    spec = valid(charts.contributions(rows, title="Indeks"))
    bars = layers(spec)[0]
    assert bars["encoding"]["y"]["sort"] == ["Bergen", "Askøy"]
    assert bars["encoding"]["x"]["stack"] == "zero" and bars["encoding"]["x"]["title"]
    assert bars["encoding"]["color"]["field"] == "indicator"
    assert spec["datasets"]["totals"] == [
        {"area": "Bergen", "total": 0.75, "label_x": 0.75},
        {"area": "Askøy", "total": -1.0, "label_x": 1.0},
    ]


def test_builders_return_independent_specs() -> None:
    """The chart structure is cached; each call still gets its own dict with its own data."""
    first = charts.ranked_bars([{"area": "A", "value": 1.0}], title="T", x_title="X")
    first["layer"][0]["mark"]["type"] = "changed"
    second = charts.ranked_bars([{"area": "A", "value": 2.0}], title="T", x_title="X")
    assert second["layer"][0]["mark"]["type"] == "bar"
    assert second["datasets"]["table"][0]["value"] == 2.0


def test_number_locale_follows_the_language() -> None:
    with translation.override("en"):
        spec = charts.ranked_bars([{"area": "A", "value": 1.0}], title="T", x_title="X")
    assert spec["config"]["locale"]["number"]["decimal"] == "."


def test_to_svg_renders_and_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = charts.time_series(ROWS, title="Bostøtte i Bergen", y_title="Per 1000", highlight="Bergen")
    calls = []
    render = vl_convert.vegalite_to_svg

    def counting(*args: object, **kwargs: object) -> str:
        calls.append(1)
        return render(*args, **kwargs)

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", counting)
    svg = charts.to_svg(spec)
    assert svg.startswith("<svg") and "Bostøtte i Bergen" in svg
    assert "<style" not in svg and "<script" not in svg
    assert charts.to_svg(spec) == svg  # this process's LRU
    charts._local.clear()
    assert charts.to_svg(json.loads(json.dumps(spec))) == svg  # Django's cache, equal spec
    assert len(calls) == 1
    charts.to_svg({**spec, "title": {"text": "Noe annet"}})
    assert len(calls) == 2


def test_svg_numbers_in_norwegian() -> None:
    svg = charts.to_svg(charts.ranked_bars([{"area": "Bergen", "value": 10748.5}], title="T", x_title="X"))
    assert ">10\u00a0748,5</text>" in svg


def test_spec_digest_is_canonical() -> None:
    a = {"b": 1, "a": [1, 2]}
    assert charts.spec_digest(a) == charts.spec_digest({"a": [1, 2], "b": 1})
    assert charts.spec_digest(a) != charts.spec_digest({"a": [2, 1], "b": 1})


TAG = Template("{% load charts %}{% for spec in specs %}{% vega_chart spec label=label %}{% endfor %}")


def render_tag(specs: list[dict], label: str = "Bostøtte, 2015–2023", **request_headers: str) -> str:
    request = RequestFactory().get("/", headers=request_headers)
    return TAG.render(Context({"specs": specs, "label": label, "request": request}))


def test_tag_renders_figure_image_and_spec() -> None:
    spec = charts.time_series(
        ROWS, title='Bostøtte </script><script>alert("x")</script>', y_title="Y", highlight="Bergen"
    )
    html = render_tag([spec])
    assert html.count("<figure") == 1
    assert '<figcaption class="chart__caption">Bostøtte, 2015–2023</figcaption>' in html
    image = re.search(r'<img class="chart__image"\s+src="data:image/svg\+xml;base64,([^"]+)"\s+alt="([^"]+)"', html)
    assert image, html[:500]
    assert image[2] == gettext("%(label)s. See the table below for the figures.") % {"label": "Bostøtte, 2015–2023"}
    assert "<svg" in base64.b64decode(image[1]).decode()
    holder = re.search(r'data-vega-spec="([^"]+)"', html)[1]
    data = re.search(rf'<script id="{holder}" type="application/json">(.*?)</script>', html, re.S)
    assert data
    client_spec = json.loads(data[1])
    assert client_spec["title"]["text"].startswith("Bostøtte </script>")
    assert client_spec["description"] == image[2]  # the interactive chart gets the same name
    # nothing the CSP would block or that could run: no inline style, every script external or JSON
    assert "style=" not in html and "<style" not in html
    assert '<script>alert("x")' not in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'type="application/json"' in tag or re.search(r'src="/static/[^"]+"\s+defer', tag), tag


def test_tag_loads_scripts_once_a_page_in_order() -> None:
    spec = charts.ranked_bars([{"area": "A", "value": 1.0}], title="T", x_title="X")
    html = render_tag([spec, spec])
    assert html.count("<figure") == 2
    ids = re.findall(r'<figure class="chart" id="([^"]+)"', html)
    assert len(set(ids)) == 2  # the same chart twice still has unique ids
    sources = re.findall(r'<script\s+src="/static/([^"]+)"\s+defer>', html)
    assert sources == [
        "vendor/vega/vega.min.js",
        "vendor/vega-lite/vega-lite.min.js",
        "vendor/vega-interpreter/vega-interpreter.js",
        "vendor/vega-embed/vega-embed.min.js",
        "js/charts.js",
    ]
    assert html.count("vega-tooltip.css") == 1
    for path in [*sources, "vendor/vega-embed/vega-tooltip.css"]:
        assert finders.find(path), path


def test_tag_without_scripts_for_htmx_and_without_request() -> None:
    spec = charts.ranked_bars([{"area": "A", "value": 1.0}], title="T", x_title="X")
    assert "<script src=" not in render_tag([spec], HX_Request="true")
    html = TAG.render(Context({"specs": [spec], "label": "T"}))
    assert "<figure" in html and "<script src=" not in html


def test_vendored_interpreter_is_csp_safe() -> None:
    source = (settings.BASE_DIR / "lagspill/static/vendor/vega-interpreter/vega-interpreter.js").read_text()
    assert "Function(" not in source and "eval(" not in source
    assert "globalThis.vegaInterpreter" in source
