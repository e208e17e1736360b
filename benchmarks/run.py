"""Benchmark cio_framework against the floor of the standard YAML stack.

For each size it writes a synthetic scenario (YAML and JSON, 10 exchanges
per system), then, in this one process:

- the floor: ``yaml.load(text, Loader=yaml.CSafeLoader)`` with the garbage
  collector paused, plus networkx connected components on the exchanges;
- ``cio-framework islands`` (YAML and JSON) and ``cio-framework
  priorities`` end to end, run in this process right after the floor;
- cio_framework's stages: load (YAML and JSON), islands, barriers,
  priorities and the roadmap, each timed on its own;
- peak memory (resident set) of the floor and of the commands, each run
  again in a fresh process so the measures do not mix, after all the
  timings (a child started from this process would slow the next stage).

It prints each stage's time, its ratio to the floor's time, and its peak
memory with the ratio to the floor's peak. Run::

    python benchmarks/run.py --sizes 1000 10000 100000

CI runs ``--sizes 1000`` only, as a smoke test.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import networkx as nx
import yaml

import cio_framework
from cio_framework.cli import main as cli_main
from cio_framework.synth import synth_text


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def cli(argv: list[str]) -> int:
    """Run the command line in this process, its output thrown away."""
    with open(os.devnull, "w", encoding="utf-8") as sink:
        saved = sys.stdout
        sys.stdout = sink
        try:
            return cli_main(argv)
        finally:
            sys.stdout = saved


def floor(text: str) -> int:
    enabled = gc.isenabled()
    gc.disable()
    try:
        data = yaml.load(text, Loader=yaml.CSafeLoader)
    finally:
        if enabled:
            gc.enable()
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(s["id"] for s in data["systems"])
    graph.add_edges_from((e["from"], e["to"]) for e in data["exchanges"])
    return nx.number_connected_components(graph)


_CHILD = """
import gc, sys
kind, path = sys.argv[1], sys.argv[2]
if kind == "floor":
    import yaml, networkx as nx
    gc.disable()
    with open(path, encoding="utf-8") as handle:
        data = yaml.load(handle.read(), Loader=yaml.CSafeLoader)
    gc.enable()
    graph = nx.Graph()
    graph.add_nodes_from(s["id"] for s in data["systems"])
    graph.add_edges_from((e["from"], e["to"]) for e in data["exchanges"])
    nx.number_connected_components(graph)
else:
    import os
    from cio_framework.cli import main
    sys.stdout = open(os.devnull, "w")
    main([kind, path])
# VmHWM is this process's own peak (ru_maxrss would carry the parent's over exec)
with open("/proc/self/status", encoding="ascii") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
print(peak, file=sys.stderr)
"""


def peak_rss(kind: str, path: str) -> int:
    """Peak resident memory, in bytes, of a fresh process running one stage."""
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, kind, path],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stderr.strip().splitlines()[-1]) * 1024


def run(size: int, folder: str, memory: bool) -> list[tuple[str, float, int | None]]:
    yaml_path = os.path.join(folder, f"synth-{size}.yaml")
    json_path = os.path.join(folder, f"synth-{size}.json")
    with open(yaml_path, "w", encoding="utf-8") as handle:
        handle.write(synth_text(size, seed=size))
    with open(json_path, "w", encoding="utf-8") as handle:
        handle.write(synth_text(size, seed=size, format="json"))
    with open(yaml_path, encoding="utf-8") as handle:
        text = handle.read()

    rows: list[tuple[str, float, int | None]] = []
    children: dict[int, tuple[str, str]] = {}

    def stage(name: str, function: Callable[[], Any], child: tuple[str, str] | None = None) -> Any:
        gc.collect()  # each stage starts without the previous one's garbage
        seconds, result = timed(function)
        if child is not None:
            children[len(rows)] = child
        rows.append((name, seconds, None))
        return result

    stage(
        "floor: CSafeLoader (gc paused) + nx components",
        lambda: floor(text),
        ("floor", yaml_path),
    )
    # the commands first, while this process holds nothing else, as a
    # command run on its own would
    stage(
        "cio-framework islands, YAML (in process)",
        lambda: cli(["islands", yaml_path]),
        ("islands", yaml_path),
    )
    stage(
        "cio-framework islands, JSON (in process)",
        lambda: cli(["islands", json_path]),
        ("islands", json_path),
    )
    stage(
        "cio-framework priorities, JSON (in process)",
        lambda: cli(["priorities", json_path]),
        ("priorities", json_path),
    )
    stage("load JSON", lambda: cio_framework.load(json_path))
    scenario = stage("load YAML", lambda: cio_framework.load(yaml_path))
    stage("islands", lambda: cio_framework.islands(scenario))
    stage("barriers", lambda: cio_framework.barriers(scenario))
    stage("priorities", lambda: cio_framework.priorities(scenario))
    stage("roadmap (no budget)", lambda: cio_framework.roadmap(scenario))
    # Peak memory is measured after every stage is timed: starting a child
    # process from this big one marks its pages copy-on-write, and the faults
    # that follow would slow whichever stage came next.
    if memory:
        for row, child in children.items():
            name, seconds, _ = rows[row]
            rows[row] = (name, seconds, peak_rss(*child))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument(
        "--no-memory", action="store_true", help="skip the peak-memory runs in fresh processes"
    )
    args = parser.parse_args(argv)
    print(
        f"python {sys.version.split()[0]}, cio_framework {cio_framework.__version__}, "
        f"PyYAML {yaml.__version__} (libyaml: {yaml.__with_libyaml__}), networkx {nx.__version__}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            rows = run(size, folder, memory=not args.no_memory)
            base_time, base_peak = rows[0][1], rows[0][2]
            print(f"\n{size:,} systems, {size * 10:,} exchanges")
            print(f"{'stage':<50} {'seconds':>9} {'x floor':>8} {'peak MB':>9} {'x floor':>8}")
            for name, seconds, peak in rows:
                memory = f"{peak / 1e6:9.1f}" if peak is not None else f"{'-':>9}"
                memory_ratio = (
                    f"{peak / base_peak:8.2f}" if peak is not None and base_peak else f"{'-':>8}"
                )
                print(
                    f"{name:<50} {seconds:9.2f} {seconds / base_time:8.2f} {memory} {memory_ratio}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
