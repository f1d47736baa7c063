"""A plan's routes as an inline SVG map, drawn on the server: works offline, no JavaScript library.

Points are projected with Web Mercator (the projection of slippy-map tiles) onto one uniform scale,
so that when a tile server is configured (`DOORSTEP_MAP_TILE_URL`, e.g.
"https://tile.example/{z}/{x}/{y}.png") its tiles can be laid under the routes in the same frame.
Without one (the default, and the demo) the map is drawn on a plain background.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

TEAM_COLOURS = ("#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#ad1457", "#4e342e")
TILE_SIZE = 256
MAX_ZOOM = 19
MAX_LATITUDE = 85.05112878


@dataclass(frozen=True)
class MapStop:
    lat: float
    lon: float
    label: str  # the number drawn in the marker
    title: str  # shown on hover / read by screen readers


@dataclass(frozen=True)
class MapRoute:
    name: str
    colour: str
    base: tuple[float, float] | None
    stops: Sequence[MapStop]


@dataclass(frozen=True)
class MapPoint:
    lat: float
    lon: float
    title: str


def team_colour(index: int) -> str:
    return TEAM_COLOURS[index % len(TEAM_COLOURS)]


def mercator(lat: float, lon: float) -> tuple[float, float]:
    """World coordinates in [0, 1] × [0, 1], y down, as tiles number them."""
    lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))
    x = (lon + 180.0) / 360.0
    sine = math.sin(math.radians(lat))
    y = 0.5 - math.log((1 + sine) / (1 - sine)) / (4 * math.pi)
    return x, y


@dataclass(frozen=True)
class Frame:
    """Which part of the world the map shows and how it is scaled to the SVG's units."""

    left: float
    top: float
    scale: float  # SVG units per world unit, the same on both axes
    width: float
    height: float

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        x, y = mercator(lat, lon)
        return (x - self.left) * self.scale, (y - self.top) * self.scale


def frame_for(points: Sequence[tuple[float, float]], *, width: float = 800, min_height: float = 320,
              max_height: float = 720, padding: float = 0.08, min_span: float = 2e-5) -> Frame:
    """The smallest frame showing every (lat, lon), with a margin, at one scale for x and y."""
    world = [mercator(lat, lon) for lat, lon in points] or [mercator(0.0, 0.0)]
    xs, ys = [x for x, _ in world], [y for _, y in world]
    span_x = max(max(xs) - min(xs), min_span)
    span_y = max(max(ys) - min(ys), min_span)
    span_x, span_y = span_x * (1 + 2 * padding), span_y * (1 + 2 * padding)
    height = max(min_height, min(max_height, width * span_y / span_x))
    scale = min(width / span_x, height / span_y)
    centre_x, centre_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return Frame(left=centre_x - width / scale / 2, top=centre_y - height / scale / 2, scale=scale, width=width,
                 height=height)


@dataclass(frozen=True)
class Tile:
    z: int
    x: int
    y: int
    left: float  # in SVG units
    top: float
    size: float


def tiles_for(frame: Frame) -> list[Tile]:
    """The slippy-map tiles covering the frame, at the zoom whose pixels are closest to the SVG's units
    (rounded down: a tile is shown at least at its own size, so its labels stay readable)."""
    zoom = max(0, min(MAX_ZOOM, math.floor(math.log2(frame.scale / TILE_SIZE))))
    count = 2 ** zoom
    size = frame.scale / count
    first_x = max(0, math.floor(frame.left * count))
    last_x = min(count - 1, math.floor((frame.left + frame.width / frame.scale) * count))
    first_y = max(0, math.floor(frame.top * count))
    last_y = min(count - 1, math.floor((frame.top + frame.height / frame.scale) * count))
    return [Tile(z=zoom, x=x, y=y, left=(x / count - frame.left) * frame.scale,
                 top=(y / count - frame.top) * frame.scale, size=size)
            for x in range(first_x, last_x + 1) for y in range(first_y, last_y + 1)]


def _number(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class RenderedMap:
    svg: SafeString
    outside: int  # cases left out that lie too far from the routes to be drawn


def _near(frame: Frame, lat: float, lon: float) -> bool:
    x, y = frame.point(lat, lon)
    return -frame.width <= x <= 2 * frame.width and -frame.height <= y <= 2 * frame.height


def route_map(routes: Sequence[MapRoute], left_out: Sequence[MapPoint], *, title: str, tile_url: str = "",
              width: float = 800) -> RenderedMap:
    """Each route a coloured line from its base through its numbered stops back to base; cases left
    out as grey crosses; tiles underneath when `tile_url` is set.

    The map is framed on the routes: a case left out far away (often the very reason it was left
    out) would otherwise shrink every route to a dot, so it is drawn only when it lies within a
    frame's width or height of the routes, and counted otherwise."""
    points = [point for route in routes for point in ([route.base] if route.base else [])]
    points += [(stop.lat, stop.lon) for route in routes for stop in route.stops]
    if points:
        near = [point for point in left_out if _near(frame_for(points, width=width), point.lat, point.lon)]
    else:
        near = list(left_out)
    frame = frame_for(points + [(point.lat, point.lon) for point in near], width=width)
    marker = max(9.0, min(14.0, width / 60))
    parts = [f'<svg class="plan-map" viewBox="0 0 {_number(frame.width)} {_number(frame.height)}" '
             f'xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             f'<rect class="map-ground" x="0" y="0" width="{_number(frame.width)}" height="{_number(frame.height)}"/>']
    if tile_url:
        parts.append('<g class="map-tiles">')
        for tile in tiles_for(frame):
            href = tile_url.replace("{z}", str(tile.z)).replace("{x}", str(tile.x)).replace("{y}", str(tile.y))
            parts.append(f'<image href="{escape(href)}" x="{_number(tile.left)}" y="{_number(tile.top)}" '
                         f'width="{_number(tile.size)}" height="{_number(tile.size)}" preserveAspectRatio="none"/>')
        parts.append("</g>")
    for point in near:
        x, y = frame.point(point.lat, point.lon)
        arm = marker * 0.6
        parts.append(f'<g class="map-left-out"><title>{escape(point.title)}</title>'
                     f'<path d="M{_number(x - arm)},{_number(y - arm)}L{_number(x + arm)},{_number(y + arm)}'
                     f'M{_number(x - arm)},{_number(y + arm)}L{_number(x + arm)},{_number(y - arm)}"/></g>')
    for route in routes:
        line = ([route.base] if route.base else []) + [(stop.lat, stop.lon) for stop in route.stops] + (
            [route.base] if route.base else [])
        projected = [frame.point(lat, lon) for lat, lon in line]
        colour = escape(route.colour)
        parts.append(f'<g class="map-route" data-team="{escape(route.name)}"><title>{escape(route.name)}</title>')
        if len(projected) > 1:
            path = "".join(("M" if index == 0 else "L") + f"{_number(x)},{_number(y)}"
                           for index, (x, y) in enumerate(projected))
            parts.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="3" '
                         f'stroke-linejoin="round" stroke-opacity=".85"/>')
        if route.base:
            x, y = frame.point(*route.base)
            parts.append(f'<rect class="map-base" x="{_number(x - marker * .7)}" y="{_number(y - marker * .7)}" '
                         f'width="{_number(marker * 1.4)}" height="{_number(marker * 1.4)}" fill="{colour}"/>')
        for stop in route.stops:
            x, y = frame.point(stop.lat, stop.lon)
            parts.append(f'<g class="map-stop"><title>{escape(stop.title)}</title>'
                         f'<circle cx="{_number(x)}" cy="{_number(y)}" r="{_number(marker)}" fill="{colour}"/>'
                         f'<text x="{_number(x)}" y="{_number(y)}" dy=".35em" text-anchor="middle">'
                         f"{escape(stop.label)}</text></g>")
        parts.append("</g>")
    parts.append("</svg>")
    svg = mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
    return RenderedMap(svg=svg, outside=len(left_out) - len(near))


@dataclass(frozen=True)
class LiveMarker:
    lat: float
    lon: float
    label: str
    title: str
    colour: str
    alarm: bool = False  # an open SOS or hostile alert: drawn as a red ring
    label_below: bool = False  # an alert's label goes under its marker, clear of the team's above it


def live_map(routes: Sequence[MapRoute], markers: Sequence[LiveMarker], *, title: str, tile_url: str = "",
             width: float = 800) -> SafeString:
    """The supervisor's live board: the day's routes faintly, each team's last position as a labelled
    marker in its colour, and alarms as red rings. Framed on everything shown."""
    points = [(stop.lat, stop.lon) for route in routes for stop in route.stops]
    points += [(marker.lat, marker.lon) for marker in markers]
    frame = frame_for(points, width=width, min_height=280, max_height=520)
    size = max(9.0, min(14.0, width / 60))
    parts = [f'<svg class="plan-map live-map" viewBox="0 0 {_number(frame.width)} {_number(frame.height)}" '
             f'xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             f'<rect class="map-ground" x="0" y="0" width="{_number(frame.width)}" height="{_number(frame.height)}"/>']
    if tile_url:
        for tile in tiles_for(frame):
            href = tile_url.replace("{z}", str(tile.z)).replace("{x}", str(tile.x)).replace("{y}", str(tile.y))
            parts.append(f'<image href="{escape(href)}" x="{_number(tile.left)}" y="{_number(tile.top)}" '
                         f'width="{_number(tile.size)}" height="{_number(tile.size)}" preserveAspectRatio="none"/>')
    for route in routes:
        colour = escape(route.colour)
        for stop in route.stops:
            x, y = frame.point(stop.lat, stop.lon)
            parts.append(f'<g class="map-stop live-stop"><title>{escape(stop.title)}</title>'
                         f'<circle cx="{_number(x)}" cy="{_number(y)}" r="{_number(size * .45)}" fill="{colour}" '
                         f'fill-opacity=".35"/></g>')
    for marker in markers:
        x, y = frame.point(marker.lat, marker.lon)
        colour = escape(marker.colour)
        ring = (f'<circle class="alarm-ring" cx="{_number(x)}" cy="{_number(y)}" r="{_number(size * 1.8)}" '
                f'fill="none" stroke="#c62828" stroke-width="4"/>') if marker.alarm else ""
        parts.append(f'<g class="live-marker{" alarm" if marker.alarm else ""}"><title>{escape(marker.title)}</title>'
                     f'{ring}<circle cx="{_number(x)}" cy="{_number(y)}" r="{_number(size)}" fill="{colour}" '
                     f'stroke="#fff" stroke-width="2"/><text x="{_number(x)}" '
                     f'y="{_number(y + size * 2.6 if marker.label_below else y - size * 1.4)}" '
                     f'text-anchor="middle" class="live-label">{escape(marker.label)}</text></g>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
