"""Road travel for the planner: adapters that turn lat/lon points into the contract's `matrix`.

- `RoadNetwork` (network.py): shortest paths over an OpenStreetMap extract (pyrosm + scipy).
- `TableClient` (server.py): an OSRM or Valhalla server's table API (standard library only).
- `scenario_with_road_matrix` (scenario.py): a `haversine` scenario → a `matrix` scenario.

All off unless configured: `travel_matrix_provider(settings)` returns None when neither
`DOORSTEP_ROUTING_SERVER` nor `DOORSTEP_ROAD_PBF` is set, and the caller keeps haversine.
Nothing here imports Django; settings come in as a plain mapping.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING

from doorstep.planning.roads.matrix import Point, TravelMatrix, TravelMatrixProvider
from doorstep.planning.roads.scenario import scenario_with_road_matrix
from doorstep.planning.roads.server import RoutingServerError, TableClient, parse_server_setting

if TYPE_CHECKING:
    from doorstep.planning.roads.network import RoadNetwork

__all__ = [
    "Point",
    "RoutingServerError",
    "TableClient",
    "TravelMatrix",
    "TravelMatrixProvider",
    "scenario_with_road_matrix",
    "travel_matrix_provider",
]


def travel_matrix_provider(settings_like: Mapping[str, object]) -> TravelMatrixProvider | None:
    """The configured road-travel provider, or None (keep haversine).

    - `DOORSTEP_ROUTING_SERVER = "osrm:http://host:5000"` or `"valhalla:http://host:8002"` → a
      `TableClient` (optional `DOORSTEP_ROUTING_TIMEOUT_S`, default 30); it wins over a PBF.
    - `DOORSTEP_ROAD_PBF = "/path/region.osm.pbf"` → a `RoadNetwork` (optional
      `DOORSTEP_ROAD_CACHE_DIR` for its parsed-graph cache). Loaded once per process and path.
    """
    server = settings_like.get("DOORSTEP_ROUTING_SERVER")
    if server:
        kind, url = parse_server_setting(str(server))
        timeout = settings_like.get("DOORSTEP_ROUTING_TIMEOUT_S") or 30.0
        if not isinstance(timeout, int | float | str):
            raise ValueError(f"DOORSTEP_ROUTING_TIMEOUT_S must be a number of seconds, got {timeout!r}")
        return TableClient(kind=kind, base_url=url, timeout_s=float(timeout))
    pbf = settings_like.get("DOORSTEP_ROAD_PBF")
    if pbf:
        cache_dir = settings_like.get("DOORSTEP_ROAD_CACHE_DIR")
        return _road_network(str(pbf), str(cache_dir) if cache_dir else None)
    return None


@functools.lru_cache(maxsize=4)
def _road_network(pbf: str, cache_dir: str | None) -> RoadNetwork:
    from doorstep.planning.roads.network import RoadNetwork  # numpy/scipy only when a PBF is configured

    return RoadNetwork.from_pbf(pbf, cache_dir=cache_dir)
