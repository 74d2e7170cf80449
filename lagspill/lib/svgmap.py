"""Turn GeoJSON polygons (WGS84) into SVG path data for small, accessible choropleth-free maps.

Uses a spherical transverse Mercator around a central meridian (15° E, as UTM zone 33, the zone
Kartverket uses for national maps), so Norway looks as people know it. Pure functions only.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Point = tuple[float, float]
Ring = Sequence[Sequence[float]]
CENTRAL_MERIDIAN = 15.0


def project(lon: float, lat: float, lon0: float = CENTRAL_MERIDIAN) -> Point:
    """Spherical transverse Mercator; returns (x east, y north) in earth radii."""
    lam = math.radians(lon - lon0)
    phi = math.radians(lat)
    b = math.cos(phi) * math.sin(lam)
    x = 0.5 * math.log((1 + b) / (1 - b))
    y = math.atan2(math.tan(phi), math.cos(lam))
    return x, y


def polygons(geometry: dict) -> list[list[Ring]]:
    """The polygons of a Polygon or MultiPolygon geometry, each a list of rings."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "GeometryCollection":
        return [p for g in geometry["geometries"] for p in polygons(g)]
    return []


def projected_rings(geometry: dict) -> list[list[Point]]:
    return [[project(x, y) for x, y, *_ in ring] for poly in polygons(geometry) for ring in poly]


@dataclass(frozen=True)
class Frame:
    """Maps projected coordinates into an SVG viewBox of a given width, north up."""

    min_x: float
    min_y: float
    max_x: float
    max_y: float
    width: float = 1000.0

    @classmethod
    def around(cls, rings: Iterable[list[Point]], width: float = 1000.0) -> "Frame":
        xs, ys = [], []
        for ring in rings:
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
        return cls(min(xs), min(ys), max(xs), max(ys), width)

    @property
    def scale(self) -> float:
        return self.width / max(self.max_x - self.min_x, 1e-12)  # one point still gets a frame

    @property
    def height(self) -> float:
        return (self.max_y - self.min_y) * self.scale

    @property
    def viewbox(self) -> str:
        return f"0 0 {self.width:.0f} {math.ceil(self.height):.0f}"

    def to_svg(self, point: Point) -> Point:
        x, y = point
        return (x - self.min_x) * self.scale, (self.max_y - y) * self.scale


def ring_path(ring: list[Point], frame: Frame, min_step: float = 0.6) -> str:
    """SVG path data for one ring; drops vertices closer than `min_step` units to the last kept."""
    kept: list[Point] = []
    for point in (frame.to_svg(p) for p in ring):
        if not kept or math.dist(point, kept[-1]) >= min_step:
            kept.append(point)
    if len(kept) < 3:
        return ""
    head, *tail = kept
    return f"M{head[0]:.1f} {head[1]:.1f}" + "".join(f"L{x:.1f} {y:.1f}" for x, y in tail) + "Z"


def geometry_path(rings: list[list[Point]], frame: Frame, min_step: float = 0.6) -> str:
    """SVG path data for all rings of a geometry (draw with fill-rule evenodd for holes)."""
    return "".join(ring_path(ring, frame, min_step) for ring in rings)
