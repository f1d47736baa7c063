"""Driving times over an OpenStreetMap road network: shortest paths on a sparse graph.

Pure (no Django). `RoadNetwork.from_pbf` reads the drivable ways of an `.osm.pbf` extract with
pyrosm, prices every road segment in minutes and keeps the largest strongly connected part, so
that every node reaches every other. `RoadNetwork.matrix` snaps points to their nearest node and
runs Dijkstra (scipy.sparse.csgraph) from each distinct snapped node.

Speeds (km/h, by `maxspeed` or road class) and one-way rules are read from the tags in osm.py,
whose docstring has the table.

Snapping: a point joins the road at its nearest node (great-circle), and the walk between the
point and that node is priced at `WALK_SPEED_KMH` and added to the durations (and its length to
the distances) of every pair it is in, so a point far from any road is never made cheap.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from doorstep.planning.roads.matrix import FloatArray, Point, TravelMatrix, haversine_km
from doorstep.planning.roads.osm import (
    DEFAULT_SPEEDS_KMH,
    IntArray,
    RoadNetworkError,
    helsinki_pbf_path,
    read_drivable_edges,
    speed_table,
)

__all__ = ["DEFAULT_SPEEDS_KMH", "MAX_SNAP_KM", "WALK_SPEED_KMH", "RoadNetwork", "RoadNetworkError", "SnappedPoint",
           "helsinki_pbf_path"]

WALK_SPEED_KMH = 5.0
# Farther than this from every node, a point is taken to be outside the extract, not a long walk.
MAX_SNAP_KM = 5.0

# Bump when the cached arrays change meaning, so an old cache is never read as a new one.
_CACHE_FORMAT = 1
# Dijkstra and the path lengths keep a few (sources x nodes) arrays per batch: ~40 bytes a cell.
_BATCH_CELLS = 8_000_000


@dataclass(frozen=True)
class SnappedPoint:
    """Where a point joins the network: its nearest node and the walk to it."""

    node: int
    lat: float
    lon: float
    distance_km: float


def _unit_vectors(lat: npt.ArrayLike, lon: npt.ArrayLike) -> FloatArray:
    """Points on the unit sphere: the chord between two is monotone in their great-circle distance,
    so a KD-tree over these finds the truly nearest node anywhere on Earth."""
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi))).astype(np.float64)


def _readonly(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.setflags(write=False)
    return array


class RoadNetwork:
    """A directed road graph, strongly connected, with minutes and kilometres on its edges.

    Build it with `from_pbf` (an OSM extract) or `from_edges` (arrays); the constructor takes the
    already-cleaned arrays that those (and the on-disk cache) produce."""

    def __init__(
        self,
        *,
        node_lat: FloatArray,
        node_lon: FloatArray,
        tails: IntArray,
        heads: IntArray,
        minutes: FloatArray,
        km: FloatArray,
    ) -> None:
        node_count = len(node_lat)
        if node_count < 2 or len(node_lon) != node_count:
            raise RoadNetworkError("a road network needs at least two nodes")
        self._node_lat = _readonly(np.asarray(node_lat, dtype=np.float64))
        self._node_lon = _readonly(np.asarray(node_lon, dtype=np.float64))
        self._tails = _readonly(np.asarray(tails, dtype=np.int64))
        self._heads = _readonly(np.asarray(heads, dtype=np.int64))
        self._minutes = _readonly(np.asarray(minutes, dtype=np.float64))
        self._km = _readonly(np.asarray(km, dtype=np.float64))
        # Edges are sorted by (tail, head) and unique, so these keys are sorted: a searchsorted
        # finds an edge, and CSR data lines up with the edge arrays.
        self._edge_keys = self._tails * node_count + self._heads
        if np.any(np.diff(self._edge_keys) <= 0):
            raise RoadNetworkError("edges must be unique and sorted by (tail, head); use RoadNetwork.from_edges")
        indptr = np.concatenate(([0], np.cumsum(np.bincount(self._tails, minlength=node_count))))
        self._graph = csr_matrix((self._minutes, self._heads, indptr), shape=(node_count, node_count))
        self._tree = cKDTree(_unit_vectors(self._node_lat, self._node_lon))

    # --- building ---------------------------------------------------------------------------

    @classmethod
    def from_edges(
        cls,
        *,
        node_lat: npt.ArrayLike,
        node_lon: npt.ArrayLike,
        tails: npt.ArrayLike,
        heads: npt.ArrayLike,
        minutes: npt.ArrayLike,
        km: npt.ArrayLike,
    ) -> RoadNetwork:
        """A network from directed edges between node indices: drops self-loops, keeps the fastest
        of parallel edges and only the largest strongly connected component (renumbering nodes)."""
        lat, lon = np.asarray(node_lat, dtype=np.float64), np.asarray(node_lon, dtype=np.float64)
        tail, head = np.asarray(tails, dtype=np.int64), np.asarray(heads, dtype=np.int64)
        # A zero weight would read as "no edge" to a sparse graph: a duplicate node is 1 µmin away.
        minute = np.maximum(np.asarray(minutes, dtype=np.float64), 1e-6)
        kilometre = np.asarray(km, dtype=np.float64)
        keep = tail != head
        tail, head, minute, kilometre = tail[keep], head[keep], minute[keep], kilometre[keep]
        order = np.lexsort((minute, head, tail))
        tail, head, minute, kilometre = tail[order], head[order], minute[order], kilometre[order]
        first = np.ones(len(tail), dtype=bool)
        first[1:] = (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])
        tail, head, minute, kilometre = tail[first], head[first], minute[first], kilometre[first]
        if len(tail) == 0:
            raise RoadNetworkError("no drivable road segments")

        node_count = len(lat)
        graph = csr_matrix((minute, (tail, head)), shape=(node_count, node_count))
        _, labels = connected_components(graph, directed=True, connection="strong")
        largest = np.bincount(labels).argmax()
        kept = labels == largest
        new_index = np.full(node_count, -1, dtype=np.int64)
        new_index[kept] = np.arange(int(kept.sum()))
        inside = kept[tail] & kept[head]
        # Renumbering is monotone, so the (tail, head) order survives.
        return cls(
            node_lat=lat[kept],
            node_lon=lon[kept],
            tails=new_index[tail[inside]],
            heads=new_index[head[inside]],
            minutes=minute[inside],
            km=kilometre[inside],
        )

    @classmethod
    def from_pbf(
        cls,
        path: str | os.PathLike[str],
        *,
        speeds: Mapping[str, float] | None = None,
        bounding_box: Sequence[float] | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
    ) -> RoadNetwork:
        """The drivable network of an `.osm.pbf` extract, optionally cut to `bounding_box`
        (min_lon, min_lat, max_lon, max_lat).

        With `cache_dir`, the cleaned graph is saved there as `.npz` on the first load and read
        back on the next (keyed by the file's path, size and modification time, the speeds and
        the box), which skips pyrosm entirely."""
        pbf = Path(path).resolve()
        if not pbf.is_file():
            raise RoadNetworkError(f"no such OSM extract: {pbf}")
        table = speed_table(speeds)
        box = None if bounding_box is None else [float(value) for value in bounding_box]
        if box is not None and (len(box) != 4 or box[0] >= box[2] or box[1] >= box[3]):
            raise ValueError("bounding_box is (min_lon, min_lat, max_lon, max_lat)")

        cache_file = None
        if cache_dir is not None:
            stat = pbf.stat()
            key = json.dumps([_CACHE_FORMAT, str(pbf), stat.st_size, stat.st_mtime_ns, sorted(table.items()), box])
            digest = hashlib.sha256(key.encode()).hexdigest()[:20]
            cache_file = Path(cache_dir) / f"roads-{pbf.name.split('.')[0]}-{digest}.npz"
            if cache_file.is_file():
                return cls._from_npz(cache_file)

        edges = read_drivable_edges(pbf, speeds=table, bounding_box=box)
        network = cls.from_edges(node_lat=edges.node_lat, node_lon=edges.node_lon, tails=edges.tails,
                                 heads=edges.heads, minutes=edges.minutes, km=edges.km)
        if cache_file is not None:
            network._save_npz(cache_file)
        return network

    # --- cache ------------------------------------------------------------------------------

    def _save_npz(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so a concurrent reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                np.savez(stream, node_lat=self._node_lat, node_lon=self._node_lon, tails=self._tails,
                         heads=self._heads, minutes=self._minutes, km=self._km)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @classmethod
    def _from_npz(cls, path: Path) -> RoadNetwork:
        with np.load(path, allow_pickle=False) as data:
            return cls(node_lat=data["node_lat"], node_lon=data["node_lon"], tails=data["tails"],
                       heads=data["heads"], minutes=data["minutes"], km=data["km"])

    # --- reading ----------------------------------------------------------------------------

    @property
    def node_count(self) -> int:
        return len(self._node_lat)

    @property
    def edge_count(self) -> int:
        return len(self._tails)

    @property
    def node_lat(self) -> FloatArray:
        return self._node_lat

    @property
    def node_lon(self) -> FloatArray:
        return self._node_lon

    @property
    def edge_tails(self) -> IntArray:
        return self._tails

    @property
    def edge_heads(self) -> IntArray:
        return self._heads

    @property
    def edge_minutes(self) -> FloatArray:
        return self._minutes

    @property
    def edge_km(self) -> FloatArray:
        return self._km

    @property
    def top_speed_kmh(self) -> float:
        """The fastest any edge is driven: straight line / this is a lower bound on any duration."""
        return float(np.max(self._km / self._minutes) * 60.0)

    def has_edge(self, tail: int, head: int) -> bool:
        key = tail * self.node_count + head
        position = int(np.searchsorted(self._edge_keys, key))
        return position < len(self._edge_keys) and int(self._edge_keys[position]) == key

    def snap(self, lat: float, lon: float) -> SnappedPoint:
        """The node nearest to (lat, lon) and the great-circle distance to it."""
        nodes, distances = self._snap_many(np.array([[lat, lon]], dtype=np.float64))
        node = int(nodes[0])
        return SnappedPoint(node=node, lat=float(self._node_lat[node]), lon=float(self._node_lon[node]),
                            distance_km=float(distances[0]))

    def _snap_many(self, points: FloatArray) -> tuple[IntArray, FloatArray]:
        _, nodes = self._tree.query(_unit_vectors(points[:, 0], points[:, 1]))
        nodes = np.asarray(nodes, dtype=np.int64)
        return nodes, haversine_km(points[:, 0], points[:, 1], self._node_lat[nodes], self._node_lon[nodes])

    def matrix(self, points: Sequence[Point], *, max_snap_km: float = MAX_SNAP_KM) -> TravelMatrix:
        """Driving minutes and km between `points` ((lat, lon) pairs), fastest path, with each
        point's walk to its node (at `WALK_SPEED_KMH`) added at both ends; 0 between equal points.
        A point farther than `max_snap_km` from every node is refused: it is off the extract."""
        array = _points_array(points)
        nodes, snap_km = self._snap_many(array)
        far = np.flatnonzero(snap_km > max_snap_km)
        if len(far):
            first = int(far[0])
            raise RoadNetworkError(
                f"point {first} {tuple(array[first].tolist())} is {snap_km[first]:.1f} km from the nearest road "
                f"node ({len(far)} point(s) beyond {max_snap_km} km): outside the extract?")
        unique_nodes, position = np.unique(nodes, return_inverse=True)
        node_minutes, node_km = self._node_matrix(unique_nodes)

        walk_min = snap_km / WALK_SPEED_KMH * 60.0
        durations = walk_min[:, None] + node_minutes[np.ix_(position, position)] + walk_min[None, :]
        distances = snap_km[:, None] + node_km[np.ix_(position, position)] + snap_km[None, :]
        same_point = (array[:, None, 0] == array[None, :, 0]) & (array[:, None, 1] == array[None, :, 1])
        durations[same_point] = 0.0
        distances[same_point] = 0.0
        return TravelMatrix(durations_min=durations, distances_km=distances, snap_km=snap_km)

    def _node_matrix(self, nodes: IntArray) -> tuple[FloatArray, FloatArray]:
        """Minutes (fastest path) and the km of that path between every pair of `nodes`."""
        count = len(nodes)
        minutes = np.empty((count, count), dtype=np.float64)
        km = np.empty((count, count), dtype=np.float64)
        batch = max(1, _BATCH_CELLS // self.node_count)
        for start in range(0, count, batch):
            sources = nodes[start:start + batch]
            # scipy's Dijkstra has no early stop at a set of targets; batching bounds its memory.
            times, predecessors = dijkstra(self._graph, directed=True, indices=sources, return_predecessors=True)
            minutes[start:start + batch] = times[:, nodes]
            km[start:start + batch] = self._path_km(predecessors, nodes)
        if not np.all(np.isfinite(minutes)):
            raise RoadNetworkError("unreachable pair in a strongly connected network")  # a broken invariant
        return minutes, km

    def _path_km(self, predecessors: npt.NDArray[np.int32], targets: IntArray) -> FloatArray:
        """The length of each source's fastest path to each target. Pointer doubling over the
        predecessor trees: after k rounds every node knows the km of the 2^k edges above it, so
        it takes log2(depth) vectorised rounds, each no costlier than a pass over Dijkstra's
        output (walking back hop by hop from the targets cost one numpy round per hop)."""
        rows, node_count = predecessors.shape
        parent = predecessors.astype(np.int64)
        has_parent = parent >= 0  # -9999 at each source and at nodes it cannot reach
        own = np.broadcast_to(np.arange(node_count, dtype=np.int64), (rows, node_count))
        above_km = np.zeros((rows, node_count), dtype=np.float64)
        edge = np.searchsorted(self._edge_keys, parent[has_parent] * node_count + own[has_parent])
        above_km[has_parent] = self._km[edge]
        pointer = np.where(has_parent, parent, own)  # a root points at itself and adds 0 km
        while True:
            further = np.take_along_axis(pointer, pointer, axis=1)
            if np.array_equal(further, pointer):
                return above_km[:, targets]
            above_km += np.take_along_axis(above_km, pointer, axis=1)
            pointer = further

def _points_array(points: Sequence[Point]) -> FloatArray:
    array = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if len(array) == 0:
        raise ValueError("no points")
    bad = ~np.isfinite(array).all(axis=1) | (np.abs(array[:, 0]) > 90) | (np.abs(array[:, 1]) > 180)
    if bad.any():
        raise ValueError(f"not a (lat, lon) point: {tuple(array[int(np.argmax(bad))])}")
    return array

