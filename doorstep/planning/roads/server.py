"""A client for a routing server's table API (OSRM or Valhalla), standard library only.

Off unless configured (see `travel_matrix_provider`). Large requests are cut into blocks of at
most `block_size` sources × `block_size` targets: with the default 50, an OSRM request carries
100 coordinates (osrm-routed's default `--max-table-size`) and a Valhalla one 2,500 pairs.
The server snaps each point to its own road network and prices the trip from there; unlike
`RoadNetwork`, no walk is added, and `snap_km` is the server's own snapping distance where it
reports one (OSRM's waypoints), else 0.
"""

from __future__ import annotations

import json
import math
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from doorstep.planning.roads.matrix import FloatArray, Point, TravelMatrix

ServerKind = Literal["osrm", "valhalla"]
SERVER_KINDS: tuple[ServerKind, ...] = ("osrm", "valhalla")
_BODY_EXCERPT = 300


class RoutingServerError(Exception):
    """The routing server could not be reached, answered an error, or gave an unusable table."""


@dataclass(frozen=True)
class TableClient:
    """Travel matrices from an OSRM (`/table/v1/{profile}/...`) or Valhalla
    (`/sources_to_targets`) server at `base_url`.

    `profile` is OSRM's profile in the URL (e.g. "driving") or Valhalla's costing (e.g. "auto");
    empty picks the usual one for driving."""

    kind: ServerKind
    base_url: str
    timeout_s: float = 30.0
    block_size: int = 50
    profile: str = ""
    user_agent: str = field(default="doorstep-planner", repr=False)

    def __post_init__(self) -> None:
        if self.kind not in SERVER_KINDS:
            raise ValueError(f"routing server kind must be one of {SERVER_KINDS}, got {self.kind!r}")
        parsed = urllib.parse.urlsplit(self.base_url)
        # Only http(s): urlopen would otherwise read file:// and other schemes.
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"routing server URL must be http(s)://host[:port][/path], got {self.base_url!r}")
        if not (self.timeout_s > 0 and self.block_size >= 1):
            raise ValueError("timeout_s must be positive and block_size at least 1")
        if not self.profile:
            object.__setattr__(self, "profile", "driving" if self.kind == "osrm" else "auto")

    def matrix(self, points: Sequence[Point]) -> TravelMatrix:
        """Minutes and km between `points` ((lat, lon) pairs), one request per block of pairs."""
        locations = [(float(lat), float(lon)) for lat, lon in points]
        if not locations:
            raise ValueError("no points")
        for lat, lon in locations:
            if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
                raise ValueError(f"not a (lat, lon) point: {(lat, lon)}")
        count = len(locations)
        durations = np.zeros((count, count), dtype=np.float64)
        distances = np.zeros((count, count), dtype=np.float64)
        snap_km = np.zeros(count, dtype=np.float64)
        blocks = [range(start, min(start + self.block_size, count)) for start in range(0, count, self.block_size)]
        for sources in blocks:
            for targets in blocks:
                block = self._osrm_block if self.kind == "osrm" else self._valhalla_block
                minutes, km, source_snap = block([locations[i] for i in sources], [locations[j] for j in targets])
                durations[np.ix_(sources, targets)] = minutes
                distances[np.ix_(sources, targets)] = km
                if source_snap is not None:
                    snap_km[sources.start:sources.stop] = source_snap
                self._check_reachable(minutes, km, sources, targets)
        np.fill_diagonal(durations, 0.0)
        np.fill_diagonal(distances, 0.0)
        return TravelMatrix(durations_min=durations, distances_km=distances, snap_km=snap_km)

    # --- OSRM -------------------------------------------------------------------------------

    def _osrm_block(self, sources: list[Point], targets: list[Point]) -> tuple[FloatArray, FloatArray, FloatArray]:
        coordinates = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in [*sources, *targets])
        query = urllib.parse.urlencode({
            "sources": ";".join(str(i) for i in range(len(sources))),
            "destinations": ";".join(str(len(sources) + j) for j in range(len(targets))),
            "annotations": "duration,distance",
        }, safe=";,")
        url = f"{self.base_url.rstrip('/')}/table/v1/{urllib.parse.quote(self.profile)}/{coordinates}?{query}"
        body = self._call(self._request(url))
        if body.get("code") != "Ok":
            raise RoutingServerError(f"OSRM answered {body.get('code')!r}: {body.get('message', '')}")
        seconds = _grid(body, "durations", len(sources), len(targets))
        metres = _grid(body, "distances", len(sources), len(targets))
        waypoints = body.get("sources")
        snap = None
        if isinstance(waypoints, list) and len(waypoints) == len(sources):
            snap = np.array([_number(w.get("distance", 0.0) if isinstance(w, dict) else 0.0, "sources.distance")
                             for w in waypoints]) / 1000.0
        return seconds / 60.0, metres / 1000.0, (snap if snap is not None else np.zeros(len(sources)))

    # --- Valhalla ---------------------------------------------------------------------------

    def _valhalla_block(self, sources: list[Point], targets: list[Point]) -> tuple[FloatArray, FloatArray, None]:
        payload = {
            "sources": [{"lat": lat, "lon": lon} for lat, lon in sources],
            "targets": [{"lat": lat, "lon": lon} for lat, lon in targets],
            "costing": self.profile,
            "units": "kilometers",
        }
        body = self._call(self._request(f"{self.base_url.rstrip('/')}/sources_to_targets",
                                        json_body=json.dumps(payload).encode()))
        table = body.get("sources_to_targets")
        if isinstance(table, dict):  # concise form (verbose=false, Valhalla ≥ 3.5)
            seconds = _grid(table, "durations", len(sources), len(targets))
            km = _grid(table, "distances", len(sources), len(targets))
        elif isinstance(table, list):  # verbose form: rows of {"time", "distance", ...}
            if len(table) != len(sources) or any(not isinstance(row, list) or len(row) != len(targets)
                                                 for row in table):
                raise RoutingServerError(f"Valhalla table is not {len(sources)}×{len(targets)}")
            seconds = _grid({"t": [[_cell(c, "time") for c in row] for row in table]}, "t",
                            len(sources), len(targets))
            km = _grid({"d": [[_cell(c, "distance") for c in row] for row in table]}, "d",
                       len(sources), len(targets))
        else:
            raise RoutingServerError(f"Valhalla answer has no sources_to_targets: {_excerpt(body)}")
        return seconds / 60.0, km, None

    # --- HTTP -------------------------------------------------------------------------------

    def _request(self, url: str, *, json_body: bytes | None = None) -> urllib.request.Request:
        headers = {"Accept": "application/json", "User-Agent": self.user_agent}
        if json_body is not None:
            headers["Content-Type"] = "application/json"
        # The scheme is checked to be http(s) in __post_init__.
        return urllib.request.Request(url, data=json_body, headers=headers,  # noqa: S310
                                      method="GET" if json_body is None else "POST")

    def _call(self, request: urllib.request.Request) -> dict[str, Any]:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:  # noqa: S310
                raw = response.read()
        except urllib.error.HTTPError as error:
            detail = error.read()[:_BODY_EXCERPT].decode(errors="replace")
            raise RoutingServerError(f"{self.kind} server answered HTTP {error.code}: {detail}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise RoutingServerError(f"{self.kind} server at {self.base_url} unreachable: {error}") from error
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise RoutingServerError(f"{self.kind} server answered something that is not JSON: "
                                     f"{raw[:_BODY_EXCERPT]!r}") from error
        if not isinstance(body, dict):
            raise RoutingServerError(f"{self.kind} server answered JSON that is not an object: {_excerpt(body)}")
        return body

    @staticmethod
    def _check_reachable(minutes: FloatArray, km: FloatArray, sources: range, targets: range) -> None:
        unreachable = [(sources[i], targets[j]) for i, j in np.argwhere(np.isnan(minutes) | np.isnan(km))
                       if sources[i] != targets[j]]
        if unreachable:
            source, target = unreachable[0]
            raise RoutingServerError(f"no route from point {source} to point {target} "
                                     f"({len(unreachable)} unreachable pair(s) in this block)")


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise RoutingServerError(f"{what} is not a non-negative number: {value!r}")
    return float(value)


def _cell(cell: object, key: str) -> object:
    if not isinstance(cell, dict):
        raise RoutingServerError(f"Valhalla table cell is not an object: {_excerpt(cell)}")
    return cell.get(key)


def _grid(body: dict[str, Any], key: str, rows: int, columns: int) -> FloatArray:
    """`body[key]` as a rows × columns array; null (no route) becomes NaN for the caller to name."""
    grid = body.get(key)
    if not isinstance(grid, list) or len(grid) != rows or any(
            not isinstance(row, list) or len(row) != columns for row in grid):
        raise RoutingServerError(f"answer's {key!r} is not a {rows}×{columns} table: {_excerpt(grid)}")
    return np.array([[math.nan if value is None else _number(value, key) for value in row] for row in grid],
                    dtype=np.float64).reshape(rows, columns)


def _excerpt(value: object) -> str:
    return json.dumps(value)[:_BODY_EXCERPT]


def parse_server_setting(value: str) -> tuple[ServerKind, str]:
    """`"osrm:http://host:5000"` → ("osrm", "http://host:5000")."""
    kind, separator, url = value.strip().partition(":")
    kind = kind.strip().lower()
    if not separator or kind not in SERVER_KINDS:
        raise ValueError(f"DOORSTEP_ROUTING_SERVER must be 'osrm:<url>' or 'valhalla:<url>', got {value!r}")
    return ("osrm" if kind == "osrm" else "valhalla"), url.strip()
