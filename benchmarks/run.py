"""Benchmark cio_framework against the floors of the standard YAML and JSON stacks.

For each shape of landscape (:data:`SHAPES`, the shapes of
:func:`cio_framework.synth.synth_text`: synth's, many small departments, one
dominant island, demand-heavy) and each size it writes a synthetic scenario
(YAML and JSON, 10 exchanges per system), then, in this one process, runs
every stage ``--repeat`` times (3 by default), round by round so that the
noise of a shared machine falls on every stage alike:

- the YAML floor: ``yaml.load(text, Loader=yaml.CSafeLoader)`` with the
  garbage collector paused, plus networkx connected components on the
  exchanges;
- the JSON floor: ``json.loads(text)`` of the same scenario written as JSON,
  with the garbage collector paused, plus the same networkx components;
- ``cio-framework islands`` (YAML and JSON), ``cio-framework validate``
  (JSON, against ``islands`` on JSON) and ``cio-framework priorities`` (JSON;
  as text, and as ``--format json``) end to end, in this process;
- ``cio-framework diff`` (JSON) end to end, in this process, between the
  scenario and a version of it a month later (:func:`month_later`: 1% of
  the exchanges dropped, as many added, 1% of the systems renamed),
  against ``cio-framework islands`` on JSON;
- cio_framework's stages: load (YAML and JSON), islands, barriers,
  priorities and the roadmap, each timed on its own; the priorities
  *ranking* alone (``priorities(scenario, top=0)``: every candidate scored
  and ranked, none explained), and the full ``priorities --format json``
  output of the loaded scenario (every candidate explained, written as the
  command writes it), against the ranking; writing the scenario as CSV
  tables (in memory), and importing those tables from a folder (read and
  built into a scenario), compared with loading the JSON;
- loading the YAML with one anchor and a few aliases added
  (:func:`anchored`), against loading the plain YAML.

Both floors get the text already read into memory; the commands read their
file themselves. Peak memory (resident set) of the floors and of the
commands is measured once each in a fresh process, after all the timings
(a child started from this big process would slow the next stage).

It prints each stage's median time with the minimum and maximum of its
runs, its ratio to its own floor (YAML stages to the YAML floor, JSON stages
to the JSON floor, and JSON stages also to the YAML floor), its peak memory
and that peak's ratio to its floor's peak, in one table per shape and size;
then whether each documented target (:data:`TARGETS`, the table
docs/performance.md repeats) is met, at each size and shape. With
``--check`` a missed target makes the exit status 1. Run::

    python benchmarks/run.py --check --shapes all --sizes 10000 100000

``--target-scale 0.01`` makes every target a hundred times tighter, to see
``--check`` fail; ``--targets`` prints the table of targets and exits.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import attrs
import networkx as nx
import yaml

import cio_framework
from cio_framework.cli import _rank
from cio_framework.cli import main as cli_main
from cio_framework.interop.tables import read_tables, write_tables
from cio_framework.model import Exchange
from cio_framework.synth import SHAPES as SYNTH_SHAPES
from cio_framework.synth import synth_text

# --------------------------------------------------------------------------
# What is measured


@dataclass(frozen=True)
class Stage:
    """One timed stage: its key, label, and the floor it is compared with."""

    key: str
    label: str
    floor: str  # key of the floor it is compared with ("" for the floors)


STAGES: tuple[Stage, ...] = (
    Stage("floor-yaml", "YAML floor: CSafeLoader (gc paused) + nx components", ""),
    Stage("floor-json", "JSON floor: json.loads (gc paused) + nx components", ""),
    Stage("islands-yaml", "cio-framework islands, YAML (in process)", "floor-yaml"),
    Stage("islands-json", "cio-framework islands, JSON (in process)", "floor-json"),
    Stage("validate-json", "cio-framework validate, JSON (in process)", "floor-json"),
    Stage("priorities-json", "cio-framework priorities, JSON (in process)", "floor-json"),
    Stage(
        "priorities-json-output",
        "cio-framework priorities --format json (in process)",
        "floor-json",
    ),
    Stage("diff-json", "cio-framework diff, JSON (in process)", "floor-json"),
    Stage("load-json", "load JSON", "floor-json"),
    Stage("load-yaml-anchored", "load YAML with an anchor and aliases", "floor-yaml"),
    Stage("load-yaml", "load YAML", "floor-yaml"),
    Stage("islands", "islands (loaded scenario)", "floor-yaml"),
    Stage("barriers", "barriers (loaded scenario)", "floor-yaml"),
    Stage("priorities", "priorities (loaded scenario)", "floor-yaml"),
    Stage("priorities-ranking", "priorities ranking, top=0 (loaded scenario)", "floor-yaml"),
    Stage(
        "priorities-output",
        "priorities, full JSON output (loaded scenario)",
        "floor-yaml",
    ),
    Stage("roadmap", "roadmap, no budget (loaded scenario)", "floor-yaml"),
    Stage("export-csv", "export tables, CSV (write_tables, in memory)", "floor-json"),
    Stage("import-csv", "import tables, CSV folder (read_tables + scenario)", "floor-json"),
)
STAGE = {stage.key: stage for stage in STAGES}
FLOOR_NAMES = {"floor-yaml": "the YAML floor", "floor-json": "the JSON floor"}


@dataclass(frozen=True)
class Measure:
    """The runs of one stage: seconds of each run, and peak memory if measured."""

    seconds: tuple[float, ...]
    peak: int | None = None  # bytes

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def low(self) -> float:
        return min(self.seconds)

    @property
    def high(self) -> float:
        return max(self.seconds)


# --------------------------------------------------------------------------
# Targets: the one table; docs/performance.md repeats it (a test checks)


@dataclass(frozen=True)
class Target:
    """A documented target: ``stage``'s time (or peak memory) against a floor.

    ``against`` is a floor's (or another stage's) key, or ``""`` for a bound
    in seconds (in gigabytes, 10**9 bytes, for peak memory). A target
    applies from ``from_size`` systems: below, a run lasts a fraction of a
    second and fixed costs (argument parsing, each command's setup, the
    timer's noise on a shared machine) weigh more than the work measured, so
    the verdict is printed for information and ``--check`` ignores it.
    """

    id: str
    stage: str
    measure: str  # "time" or "memory"
    against: str
    bound: float
    note: str = ""
    from_size: int = 10_000

    def describe(self, scale: float = 1.0) -> str:
        bound = self.bound * scale
        if not self.against:
            return f"≤ {bound:g} GB peak memory" if self.measure == "memory" else f"≤ {bound:g} s"
        what = "time" if self.measure == "time" else "peak memory"
        against = FLOOR_NAMES.get(self.against) or f"“{STAGE[self.against].label}”"
        return f"≤ {bound:g}× {against}'s {what}"


TARGETS: tuple[Target, ...] = (
    Target("islands-yaml-time", "islands-yaml", "time", "floor-yaml", 0.7, "round 1"),
    Target("islands-yaml-memory", "islands-yaml", "memory", "floor-yaml", 0.5, "round 1"),
    Target("islands-json-vs-yaml-floor", "islands-json", "time", "floor-yaml", 0.3, "round 1"),
    Target(
        "islands-json-time",
        "islands-json",
        "time",
        "floor-json",
        2.0,
        "what held before issue 15, which tightens it to 1.2×",
    ),
    Target("diff-json-time", "diff-json", "time", "islands-json", 2.0, "issue 14"),
    Target(
        "priorities-beyond-loading",
        "priorities",
        "time",
        "",
        10.0,
        "round 1",
        from_size=100_000,
    ),
    Target("import-csv-vs-load-json", "import-csv", "time", "load-json", 2.0, "issue 14"),
    # issue 15, "scale, round 2": every shape of landscape
    Target("islands-yaml-time-issue15", "islands-yaml", "time", "floor-yaml", 0.5, "issue 15"),
    Target("islands-yaml-memory-issue15", "islands-yaml", "memory", "floor-yaml", 0.3, "issue 15"),
    Target("islands-json-time-issue15", "islands-json", "time", "floor-json", 1.2, "issue 15"),
    Target(
        "islands-json-vs-yaml-floor-issue15",
        "islands-json",
        "time",
        "floor-yaml",
        0.2,
        "issue 15",
    ),
    Target(
        "priorities-ranking-beyond-loading",
        "priorities-ranking",
        "time",
        "",
        5.0,
        "issue 15",
        from_size=100_000,
    ),
    Target(
        "priorities-output-vs-ranking",
        "priorities-output",
        "time",
        "priorities-ranking",
        2.0,
        "issue 15",
    ),
    Target(
        "validate-json-time",
        "validate-json",
        "time",
        "islands-json",
        1.5,
        "issue 15",
        from_size=100_000,
    ),
    Target(
        "validate-json-memory",
        "validate-json",
        "memory",
        "",
        1.0,
        "issue 15",
        from_size=100_000,
    ),
    Target("yaml-anchors", "load-yaml-anchored", "time", "load-yaml", 1.1, "issue 15"),
)


def targets_table(targets: Sequence[Target] = TARGETS) -> str:
    """The targets as a Markdown table, as docs/performance.md shows them.

    Examples
    --------
    >>> print(targets_table(TARGETS[:1]))
    | target | stage | bound | from | origin |
    |---|---|---|---|---|
    | `islands-yaml-time` | cio-framework islands, YAML (in process) | ≤ 0.7× the YAML floor's time | 10,000 systems | round 1 |
    """
    lines = ["| target | stage | bound | from | origin |", "|---|---|---|---|---|"]
    for target in targets:
        label = STAGE[target.stage].label
        lines.append(
            f"| `{target.id}` | {label} | {target.describe()} | "
            f"{target.from_size:,} systems | {target.note} |"
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class Verdict:
    """One target at one size: the value measured, the bound, and whether it holds."""

    target: Target
    size: int
    shape: str
    value: float | None  # ratio, or seconds; None when not measured
    bound: float

    @property
    def applies(self) -> bool:
        """Whether the target applies at this size (``--check`` counts it)."""
        return self.size >= self.target.from_size

    @property
    def missed(self) -> bool:
        """Measured, applicable, and above the bound."""
        return self.applies and self.value is not None and self.value > self.bound

    def __str__(self) -> str:
        where = f"{self.size:,} systems ({self.shape})"
        if self.value is None:
            return f"not measured  {self.target.id} at {where}: memory runs skipped"
        status = ("MISSED" if self.missed else "met   ") if self.applies else "(info)"
        unit = "×" if self.target.against else " GB" if self.target.measure == "memory" else " s"
        bound = self.target.describe(self.bound / self.target.bound)
        text = f"{status}  {self.target.id} at {where}: {self.value:.2f}{unit}, target {bound}"
        if not self.applies:
            text += f" (applies from {self.target.from_size:,} systems)"
        return text


def check(
    results: dict[tuple[int, str], dict[str, Measure]],
    targets: Iterable[Target] = TARGETS,
    *,
    scale: float = 1.0,
) -> list[Verdict]:
    """Each target at each measured size and shape (medians, peaks measured once).

    ``results`` maps ``(size, shape)`` to each stage's :class:`Measure`;
    ``scale`` multiplies every bound (below 1 tightens them).

    Examples
    --------
    >>> runs = {
    ...     "floor-yaml": Measure((10.0, 11.0, 12.0), peak=1000),
    ...     "islands-yaml": Measure((5.0, 9.0, 6.0), peak=400),
    ... }
    >>> verdicts = check({(10_000, "synth"): runs}, TARGETS[:2])
    >>> [(v.target.id, v.value, v.missed) for v in verdicts]
    [('islands-yaml-time', 0.5454545454545454, False), ('islands-yaml-memory', 0.4, False)]
    >>> [v.missed for v in check({(10_000, "synth"): runs}, TARGETS[:2], scale=0.5)]
    [True, True]
    >>> [v.missed for v in check({(1_000, "synth"): runs}, TARGETS[:2], scale=0.5)]
    [False, False]
    """
    verdicts = []
    targets = tuple(targets)
    for (size, shape), measures in results.items():
        for target in targets:
            measure = measures[target.stage]
            value: float | None
            if target.measure == "memory" and not target.against:
                value = None if measure.peak is None else measure.peak / 1e9
            elif target.measure == "memory":
                floor_peak = measures[target.against].peak
                value = (
                    None if measure.peak is None or not floor_peak else measure.peak / floor_peak
                )
            elif target.against:
                value = measure.median / measures[target.against].median
            else:
                value = measure.median
            verdicts.append(Verdict(target, size, shape, value, target.bound * scale))
    return verdicts


# --------------------------------------------------------------------------
# The floors and the commands


def components(data: dict[str, Any]) -> int:
    """Connected components of systems and exchanges, as networkx computes them."""
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(s["id"] for s in data["systems"])
    graph.add_edges_from((e["from"], e["to"]) for e in data["exchanges"])
    return nx.number_connected_components(graph)


def _paused(parse: Callable[[], Any]) -> Any:
    enabled = gc.isenabled()
    gc.disable()
    try:
        return parse()
    finally:
        if enabled:
            gc.enable()


def paused(step: Callable[[], Any]) -> Callable[[], Any]:
    """``step`` run inside :func:`cio_framework.gc_paused`."""
    return cio_framework.gc_paused()(step)


def yaml_floor(text: str) -> int:
    return components(_paused(lambda: yaml.load(text, Loader=yaml.CSafeLoader)))


def json_floor(text: str) -> int:
    return components(_paused(lambda: json.loads(text)))


def cli(argv: list[str], ok: tuple[int, ...] = (0,)) -> int:
    """Run the command line in this process, its output thrown away; an
    exit status not in ``ok`` is an error (a failed command is not timed)."""
    messages = io.StringIO()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = sink, messages
        try:
            code = cli_main(argv)
        finally:
            sys.stdout, sys.stderr = saved
    if code not in ok:
        raise RuntimeError(f"cio-framework {' '.join(argv)}: exit {code}\n{messages.getvalue()}")
    return code


_CHILD = """
import gc, sys
kind, path = sys.argv[1], sys.argv[2]
if kind.startswith("floor"):
    import json, yaml, networkx as nx
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    gc.disable()
    data = yaml.load(text, Loader=yaml.CSafeLoader) if kind == "floor-yaml" else json.loads(text)
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


def month_later(scenario: cio_framework.Scenario, share: float = 0.01) -> cio_framework.Scenario:
    """``scenario`` a month later: of its exchanges, ``share`` dropped and as
    many added between systems drawn at random; ``share`` of its systems
    renamed. The same scenario gives the same version.

    Examples
    --------
    >>> old = cio_framework.loads(synth_text(200, seed=1))
    >>> new = month_later(old)
    >>> len(new.exchanges) == len(old.exchanges), new.exchanges == old.exchanges
    (True, False)
    >>> sum(a.name != b.name for a, b in zip(old.systems, new.systems))
    2
    """
    rng = random.Random(len(scenario.systems))
    count = max(1, round(len(scenario.exchanges) * share))
    dropped = set(rng.sample(range(len(scenario.exchanges)), count))
    kept = [e for i, e in enumerate(scenario.exchanges) if i not in dropped]
    ids = [s.id for s in scenario.systems]
    added = [Exchange(from_=rng.choice(ids), to=rng.choice(ids)) for _ in range(count)]
    renamed = set(rng.sample(ids, max(1, round(len(ids) * share))))
    systems = [
        attrs.evolve(s, name=f"{s.name} (renamed)") if s.id in renamed else s
        for s in scenario.systems
    ]
    return attrs.evolve(scenario, systems=tuple(systems), exchanges=(*kept, *added))


def _shape(name: str) -> Callable[[int, str], str]:
    return lambda size, format: synth_text(size, seed=size, format=format, shape=name)


# Shapes of landscape: each writes a scenario of ``size`` systems, seeded by
# its size (synth's, many small departments, one dominant island, demand-heavy)
SHAPES: dict[str, Callable[[int, str], str]] = {name: _shape(name) for name in SYNTH_SHAPES}


def anchored(text: str, aliases: int = 5) -> str:
    """Synth's YAML ``text`` with one anchor and a few aliases added: an
    anchored ``x-`` mapping at the top, aliased once, and an anchored
    ``source`` text on the first system, reused by ``aliases`` aliases on
    the next ones.

    Examples
    --------
    >>> text = anchored(synth_text(20, seed=1))
    >>> lines = text.splitlines()
    >>> lines[1]
    'x-benchmark: &shared {note: anchored by benchmarks/run.py, aliases: 1}'
    >>> first = lines.index("systems:") + 1
    >>> lines[first][:57], lines[first + 1][:30]
    ('  - {source: &invented Invented for the benchmark, id: s0', '  - {source: *invented, id: s1')
    >>> s = cio_framework.loads(text)
    >>> [system.source for system in s.systems[:7]].count("Invented for the benchmark")
    6
    >>> s.extensions["x-benchmark-again"] == s.extensions["x-benchmark"]
    True
    """
    first, rest = text.split("\n", 1)
    extension = (
        "x-benchmark: &shared {note: anchored by benchmarks/run.py, aliases: 1}\n"
        "x-benchmark-again: *shared\n"
    )
    head, found, body = rest.partition("\nsystems:\n")
    if not found:
        raise ValueError("no systems in the text")
    lines = body.split("\n", aliases + 1)
    item = "  - {"
    for number, line in enumerate(lines[: aliases + 1]):
        if not line.startswith(item):
            raise ValueError(f"not a system: {line!r}")
        source = "*invented," if number else "&invented Invented for the benchmark,"
        lines[number] = f"{item}source: {source} {line[len(item) :]}"
    return f"{first}\n{extension}{head}{found}" + "\n".join(lines)


def run(size: int, shape: str, folder: str, *, repeat: int, memory: bool) -> dict[str, Measure]:
    """Every stage at one size, ``repeat`` rounds; peak memory afterwards."""
    yaml_path = os.path.join(folder, f"{shape}-{size}.yaml")
    json_path = os.path.join(folder, f"{shape}-{size}.json")
    later_path = os.path.join(folder, f"{shape}-{size}-later.json")
    anchored_path = os.path.join(folder, f"{shape}-{size}-anchored.yaml")
    for path, format in ((yaml_path, "yaml"), (json_path, "json")):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(SHAPES[shape](size, format))
    with open(yaml_path, encoding="utf-8") as handle:
        plain = handle.read()
    with open(anchored_path, "w", encoding="utf-8") as handle:
        handle.write(anchored(plain))
    del plain
    with open(later_path, "w", encoding="utf-8") as handle:
        handle.write(cio_framework.dumps(month_later(cio_framework.load(json_path)), format="json"))
    texts = {}
    for key, path in (("floor-yaml", yaml_path), ("floor-json", json_path)):
        with open(path, encoding="utf-8") as handle:
            texts[key] = handle.read()

    csv_folder = os.path.join(folder, f"{shape}-{size}-csv")
    os.mkdir(csv_folder)
    for name, content in write_tables(cio_framework.load(json_path)).items():
        with open(os.path.join(csv_folder, name), "wb") as handle:
            handle.write(content)
    held: dict[str, Any] = {}

    def load_yaml() -> None:
        held.pop("scenario", None)
        held["scenario"] = cio_framework.load(yaml_path)

    steps: dict[str, Callable[[], Any]] = {
        "floor-yaml": lambda: yaml_floor(texts["floor-yaml"]),
        "floor-json": lambda: json_floor(texts["floor-json"]),
        # the commands before the library stages, while this process holds no
        # scenario, as a command run on its own would
        "islands-yaml": lambda: cli(["islands", yaml_path]),
        "islands-json": lambda: cli(["islands", json_path]),
        "validate-json": lambda: cli(["validate", json_path]),
        "priorities-json": lambda: cli(["priorities", json_path]),
        "priorities-json-output": lambda: cli(["priorities", json_path, "--format", "json"]),
        # diff exits 1 when the versions differ, as diff(1) does
        "diff-json": lambda: cli(["diff", json_path, later_path, "--format", "json"], (0, 1)),
        # the library stages as a script that opts in to pausing the
        # collector would run them (no library call pauses it by itself)
        "load-json": paused(lambda: cio_framework.load(json_path)),
        "load-yaml-anchored": paused(lambda: cio_framework.load(anchored_path)),
        "load-yaml": paused(load_yaml),
        "islands": paused(lambda: cio_framework.islands(held["scenario"])),
        "barriers": paused(lambda: cio_framework.barriers(held["scenario"])),
        "priorities": paused(lambda: cio_framework.priorities(held["scenario"])),
        "priorities-ranking": paused(lambda: cio_framework.priorities(held["scenario"], top=0)),
        # what the command does once the scenario is loaded: rank, explain
        # every candidate, write the JSON (to the buffer the command uses)
        "priorities-output": paused(
            lambda: _rank(
                argparse.Namespace(budget=None, top=None, format="json"),
                held["scenario"],
                io.StringIO(),
            )
        ),
        "roadmap": paused(lambda: cio_framework.roadmap(held["scenario"])),
        "export-csv": paused(lambda: write_tables(held["scenario"])),
        "import-csv": paused(lambda: read_tables(csv_folder).scenario()),
    }
    seconds: dict[str, list[float]] = {stage.key: [] for stage in STAGES}
    for _ in range(repeat):
        for stage in STAGES:
            gc.collect()  # each stage starts without the previous one's garbage
            start = time.perf_counter()
            steps[stage.key]()
            seconds[stage.key].append(time.perf_counter() - start)
        held.clear()  # the next round's commands run with nothing held
    peaks: dict[str, int] = {}
    if memory:
        # after every timing: starting a child process from this big one marks
        # its pages copy-on-write, and the faults would slow the next stage
        children = {
            "floor-yaml": ("floor-yaml", yaml_path),
            "floor-json": ("floor-json", json_path),
            "islands-yaml": ("islands", yaml_path),
            "islands-json": ("islands", json_path),
            "validate-json": ("validate", json_path),
            "priorities-json": ("priorities", json_path),
        }
        peaks = {key: peak_rss(*child) for key, child in children.items()}
    return {key: Measure(tuple(runs), peaks.get(key)) for key, runs in seconds.items()}


# --------------------------------------------------------------------------
# Printing


def table(size: int, shape: str, measures: dict[str, Measure]) -> str:
    """The measures at one size as a text table."""
    head = (
        f"{'stage':<52} {'median s':>9} {'min':>7} {'max':>7} {'x floor':>8} "
        f"{'x YAML fl':>9} {'peak MB':>8} {'x floor':>8}"
    )
    lines = [f"\n{size:,} systems, {size * 10:,} exchanges ({shape}); median of runs", head]
    for stage in STAGES:
        m = measures[stage.key]
        ratio = yaml_ratio = peak = peak_ratio = "-"
        if stage.floor:
            ratio = f"{m.median / measures[stage.floor].median:.2f}"
            if stage.floor == "floor-json":
                yaml_ratio = f"{m.median / measures['floor-yaml'].median:.2f}"
        if m.peak is not None:
            peak = f"{m.peak / 1e6:.1f}"
            floor_peak = measures[stage.floor].peak if stage.floor else None
            if floor_peak:
                peak_ratio = f"{m.peak / floor_peak:.2f}"
        lines.append(
            f"{stage.label:<52} {m.median:9.3f} {m.low:7.3f} {m.high:7.3f} {ratio:>8} "
            f"{yaml_ratio:>9} {peak:>8} {peak_ratio:>8}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument(
        "--shapes",
        nargs="+",
        default=["synth"],
        choices=[*SHAPES, "all"],
        help=f"shapes of landscape ({', '.join(SHAPES)}); 'all' for every one",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, metavar="N", help="runs per stage (median; default 3)"
    )
    parser.add_argument(
        "--no-memory", action="store_true", help="skip the peak-memory runs in fresh processes"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a documented target is missed"
    )
    parser.add_argument(
        "--target-scale",
        type=float,
        default=1.0,
        metavar="F",
        help="multiply every target's bound by F (0.01 shows --check failing)",
    )
    parser.add_argument(
        "--targets", action="store_true", help="print the table of targets and exit"
    )
    args = parser.parse_args(argv)
    if args.targets:
        print(targets_table())
        return 0
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    shapes = list(SHAPES) if "all" in args.shapes else list(dict.fromkeys(args.shapes))
    print(
        f"python {sys.version.split()[0]}, cio_framework {cio_framework.__version__}, "
        f"PyYAML {yaml.__version__} (libyaml: {yaml.__with_libyaml__}), networkx {nx.__version__}; "
        f"{args.repeat} runs per stage"
    )
    results: dict[tuple[int, str], dict[str, Measure]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for shape in shapes:
            for size in args.sizes:
                measures = run(size, shape, folder, repeat=args.repeat, memory=not args.no_memory)
                results[size, shape] = measures
                print(table(size, shape, measures), flush=True)
    return report(check(results, scale=args.target_scale), strict=args.check)


def report(verdicts: Sequence[Verdict], *, strict: bool) -> int:
    """Print each verdict; the exit status: 1 when ``strict`` and a target is missed.

    Examples
    --------
    >>> runs = {"floor-yaml": Measure((10.0,)), "islands-yaml": Measure((8.0,))}
    >>> verdicts = check({(10_000, "synth"): runs}, TARGETS[:1])
    >>> report(verdicts, strict=True)
    <BLANKLINE>
    Targets:
    MISSED  islands-yaml-time at 10,000 systems (synth): 0.80×, target ≤ 0.7× the YAML floor's time
    <BLANKLINE>
    1 target(s) missed: islands-yaml-time at 10,000 systems (synth)
    1
    """
    scales = {round(v.bound / v.target.bound, 12) for v in verdicts}
    scaled = f" (bounds scaled by {scales.pop():g})" if scales and scales != {1.0} else ""
    print(f"\nTargets{scaled}:")
    for verdict in verdicts:
        print(verdict)
    missed = [v for v in verdicts if v.missed]
    if missed:
        print(
            f"\n{len(missed)} target(s) missed: "
            + ", ".join(f"{v.target.id} at {v.size:,} systems ({v.shape})" for v in missed)
        )
    return 1 if strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
