"""No quadratic paths: time grows about linearly with the number of systems and exchanges.

Each loader path and each linear analysis is timed at two sizes sixteen
times apart (best of at least 3 runs, see :func:`best_times`), and the
ratio of the two times per call must stay under :data:`BOUND`. On the
project's shared 2-core machine, busy with other work, linear code measures
11 to 37 (a big input costs more per element: it no longer fits the
caches); a plain quadratic loop measures 260 to 340, and a quadratic mutant
of ``islands()`` (``x in list`` over the linked systems, with its linear
work around it) 150 to 230. The canary, a plain ``x in list`` inside a loop
over the input (a C-level loop that counting Python calls cannot see),
checks that the helper flags it.

The scenarios have 2 exchanges per system rather than synth's 10, so that a
quadratic loop over systems is not drowned by the linear work on exchanges
at sizes a test can afford.

Two more checks count Python function calls (cProfile) instead, for shapes
that once made priorities and the loader's hints quadratic: a big island,
and a file full of dangling references. The last tests check the
benchmark's targets: ``benchmarks/run.py --check`` fails on a missed one,
and docs/performance.md lists the same table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import cio_framework
from cio_framework.config import _fastyaml, _load
from cio_framework.report import render_report
from cio_framework.synth import SHAPES, synth_text
from measure import best_times, calls

#: the sizes timed: systems, with EXCHANGES exchanges each (the slower
#: loader paths are timed at a half or a quarter of these, the same factor apart)
SMALL, LARGE = 500, 8_000
EXCHANGES = 2
FACTOR = LARGE // SMALL
#: the largest ratio of the two times accepted for a factor of 16 in size
#: (16 ** 1.5): linear code measures 11 to 37, quadratic code 150 and more
BOUND = 64.0

ANALYSES: dict[str, Callable[[Any], Any]] = {
    "check": cio_framework.check,
    "islands": cio_framework.islands,
    "barriers": cio_framework.barriers,
    "fault_zones": cio_framework.fault_zones,
    "single_points_of_failure": cio_framework.single_points_of_failure,
    "indicators": cio_framework.indicators,
    "priorities": cio_framework.priorities,
    "roadmap": cio_framework.roadmap,
    "agenda": cio_framework.agenda,
    "report": render_report,
}


def _no_fast_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send YAML to the careful, node-based parser (as an anchor or a tag would)."""
    monkeypatch.setattr(_fastyaml, "fast_load", lambda text, max_depth: None)


def _no_fast_structuring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build every element through the careful structurer."""
    monkeypatch.setattr(_load, "fast_path", lambda cls: None)


LOADERS: dict[str, tuple[str, int, Callable[[pytest.MonkeyPatch], None] | None]] = {
    # name: (format, divisor of the sizes, what sends the load down this path)
    "yaml fast path": ("yaml", 2, None),
    "json": ("json", 1, None),
    "yaml careful parser": ("yaml", 4, _no_fast_parse),
    "json careful structuring": ("json", 2, _no_fast_structuring),
}


def growth(function: Callable[[Any], Any], small: Any, large: Any) -> str | None:
    """``None`` when the time grows about linearly from ``small`` to ``large``
    (inputs :data:`FACTOR` times apart), else a message saying how it grew."""
    fast, slow = best_times(function, small, large, factor=FACTOR, budget=1.0)
    ratio = slow / fast
    if ratio < BOUND:
        return None
    return (
        f"{slow:.3f} s on an input {FACTOR}x larger, against {fast:.3f} s: {ratio:.1f}x, "
        f"over the {BOUND:g}x accepted for linear growth"
    )


@pytest.fixture(scope="module")
def texts() -> dict[tuple[str, int], str]:
    """Synthetic scenarios as YAML and JSON text, at every size a test times."""
    sizes = {n // d for n in (SMALL, LARGE) for _, d, _ in LOADERS.values()}
    return {
        (f, n): synth_text(n, seed=11, format=f, exchanges_per_system=EXCHANGES)
        for f in ("yaml", "json")
        for n in sizes
    }


@pytest.fixture(scope="module")
def scenarios(texts) -> dict[int, cio_framework.Scenario]:
    """The synthetic scenarios at the two sizes, loaded."""
    return {n: cio_framework.loads(texts["json", n]) for n in (SMALL, LARGE)}


@pytest.mark.parametrize("path", list(LOADERS))
def test_loading_time_grows_linearly(texts, monkeypatch, path):
    """Each loader path takes at most about linearly more time on a scenario 16x larger."""
    format, divisor, setup = LOADERS[path]
    if setup is not None:
        setup(monkeypatch)
    small, large = texts[format, SMALL // divisor], texts[format, LARGE // divisor]
    problem = growth(cio_framework.loads, small, large)
    assert problem is None, f"loading, {path}: {problem}"


@pytest.mark.parametrize("analysis", list(ANALYSES))
def test_analysis_time_grows_linearly(scenarios, analysis):
    """Each linear analysis, and the report, takes at most about linearly more time on 16x."""
    problem = growth(ANALYSES[analysis], scenarios[SMALL], scenarios[LARGE])
    assert problem is None, f"{analysis}: {problem}"


def test_a_quadratic_loop_is_flagged(scenarios):
    """The canary: ``x in list`` inside a loop over the input (a C-level quadratic loop)."""

    def quadratic(scenario: cio_framework.Scenario) -> int:
        ids = [system.id for system in reversed(scenario.systems)]
        return sum(1 for system in scenario.systems if system.id in ids)

    assert growth(quadratic, scenarios[SMALL], scenarios[LARGE]) is not None


def test_a_linear_loop_is_not_flagged(scenarios):
    """The other side of the bound: the same loop with a set is accepted.

    Run 20 times per call: once, it takes 50 microseconds on the small
    scenario, and on a busy machine the best of such short timings measured
    ratios of 38 to 44 (and once over 64) where 20 rounds measure 23 to 26.
    """

    def linear(scenario: cio_framework.Scenario) -> int:
        found = 0
        for _ in range(20):
            ids = {system.id for system in reversed(scenario.systems)}
            found += sum(1 for system in scenario.systems if system.id in ids)
        return found

    assert growth(linear, scenarios[SMALL], scenarios[LARGE]) is None


# --------------------------------------------------------------------------
# Counted, not timed: shapes that once made priorities and hints quadratic


STAGES = {
    "islands": lambda s: cio_framework.islands(s),
    "priorities": lambda s: cio_framework.priorities(s),
    "roadmap": lambda s: cio_framework.roadmap(s),
    "agenda": lambda s: cio_framework.agenda(s),
}


def _big_island(n: int):
    """A hub with one system, and an island of ``n`` systems in ten departments
    held together by 3n point-to-point exchanges: every exchange is a reroute
    candidate whose group is the whole island."""
    from cio_framework.model import Department, Exchange, Platform, System
    from cio_framework.testing import make_scenario

    departments = [Department(id=f"d{i}", name=f"D{i}") for i in range(10)]
    systems = [System(id="hub-user", name="Hub user", department="d0")]
    systems += [System(id=f"s{i}", name=f"S{i}", department=f"d{i % 10}") for i in range(n)]
    exchanges = [Exchange(from_="hub-user", to="cloud")]
    # a ring and two chords per system, every end one of the island's systems
    # (the chords used to name s{n}..s{2n-1}, which do not exist: the
    # analyses dropped those exchanges silently; they now refuse the scenario)
    for step in (1, 7, 13):
        exchanges += [Exchange(from_=f"s{i}", to=f"s{(i + step) % n}") for i in range(n)]
    return make_scenario(
        departments=[*make_scenario().departments, *departments],
        platforms=[Platform(id="cloud", name="Cloud")],
        systems=systems,
        exchanges=exchanges,
    )


@pytest.mark.parametrize("stage", ["priorities", "roadmap", "islands", "agenda"])
def test_a_big_island_costs_no_more_per_exchange(stage):
    """Candidates inside one large group share its systems and departments:
    doubling the island at most ~doubles the work."""
    function = STAGES[stage]
    small = calls(function, _big_island(1_000))
    large = calls(function, _big_island(2_000))
    assert large <= 2.4 * small, f"{stage}: {small} calls at 1k, {large} at 2k"


def test_many_dangling_references_are_reported_in_linear_work():
    """Every system renamed: each exchange names unknown ids. Hints ("did you
    mean") are searched once per unknown id and for a bounded number of ids,
    so doubling the scenario at most ~doubles the work of reporting it."""
    import re

    def broken(n: int) -> str:
        return re.sub(r"id: s(\d+)", r"id: sys\1", synth_text(n, seed=3))

    def load(text: str) -> int:
        with pytest.raises(cio_framework.ConfigError) as caught:
            cio_framework.loads(text)
        return caught.value.total

    small_text, large_text = broken(500), broken(1_000)
    assert load(large_text) > 1.5 * load(small_text) > 1_000
    small = calls(load, small_text)
    large = calls(load, large_text)
    assert large <= 2.4 * small, f"{small} calls at 500 systems, {large} at 1,000"


# --------------------------------------------------------------------------
# The benchmark's targets


def _benchmark():
    """benchmarks/run.py as a module (the benchmarks folder is not a package)."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"
    spec = importlib.util.spec_from_file_location("cio_framework_benchmark", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _measures(bench, peaks=None, **seconds):
    """Made-up measurements of every stage at which every target is met, with
    ``seconds`` (keys with ``_`` for ``-``) and ``peaks`` (bytes) overriding."""
    times = {stage.key: 1.0 for stage in bench.STAGES}
    times.update(
        {
            "floor-yaml": 30.0,
            "floor-json": 5.0,
            "islands-yaml": 12.0,  # 0.4x the YAML floor
            "islands-json": 5.5,  # 1.1x the JSON floor, 0.18x the YAML floor
            "validate-json": 7.0,  # 1.27x islands on JSON
            "diff-json": 9.0,  # 1.64x islands on JSON
            "load-json": 4.0,
            "import-csv": 6.0,  # 1.5x loading JSON
            "priorities": 8.0,
            "priorities-ranking": 4.0,
            "priorities-output": 7.0,  # 1.75x the ranking
            "load-yaml": 10.0,
            "load-yaml-anchored": 10.5,  # 1.05x the plain load
        }
    )
    times.update({key.replace("_", "-"): value for key, value in seconds.items()})
    memory = {"floor-yaml": 1_800, "islands-yaml": 500, "validate-json": 900_000_000}
    memory.update(peaks or {})
    return {
        key: bench.Measure((value * 0.9, value, value * 1.2), peak=memory.get(key))
        for key, value in times.items()
    }


def test_check_passes_when_every_target_is_met(capsys):
    """On measurements that meet every target, ``--check`` exits 0."""
    bench = _benchmark()
    verdicts = bench.check({(100_000, "synth"): _measures(bench)})
    assert [v.target.id for v in verdicts] == [t.id for t in bench.TARGETS]
    assert not any(v.missed for v in verdicts)
    assert bench.report(verdicts, strict=True) == 0


def test_check_fails_on_a_missed_target(capsys):
    """Islands on JSON at 2.75x the JSON floor misses round 1's target and issue 15's:
    ``--check`` exits 1 and names both."""
    bench = _benchmark()
    verdicts = bench.check({(100_000, "synth"): _measures(bench, floor_json=2.0)})
    missed = ["islands-json-time", "islands-json-time-issue15"]
    assert [v.target.id for v in verdicts if v.missed] == missed
    assert bench.report(verdicts, strict=True) == 1
    assert (
        "2 target(s) missed: islands-json-time at 100,000 systems (synth), "
        "islands-json-time-issue15 at 100,000 systems (synth)"
    ) in capsys.readouterr().out
    assert bench.report(verdicts, strict=False) == 0


def test_check_uses_the_median_of_the_runs():
    """A target is judged on the median run, not the best or the worst: 0.6x the YAML
    floor misses issue 15's 0.5x only (the best run would miss neither, the worst both)."""
    bench = _benchmark()
    measures = _measures(bench)
    measures["islands-yaml"] = bench.Measure((1.0, 18.0, 40.0), peak=500)  # median 0.6x
    verdicts = bench.check({(100_000, "synth"): measures})
    assert [v.target.id for v in verdicts if v.missed] == ["islands-yaml-time-issue15"]


def test_target_scale_tightens_every_target():
    """``--target-scale 0.01`` makes measurements that meet every target miss them all."""
    bench = _benchmark()
    verdicts = bench.check({(100_000, "synth"): _measures(bench)}, scale=0.01)
    assert all(v.missed for v in verdicts)


def test_targets_apply_from_their_size():
    """Below a target's size its verdict is printed for information and never fails."""
    bench = _benchmark()
    verdicts = bench.check({(1_000, "synth"): _measures(bench)}, scale=0.01)
    assert not any(v.missed for v in verdicts)
    assert all("applies from" in str(v) for v in verdicts)


def test_the_documentation_lists_the_benchmark_targets():
    """docs/performance.md shows the script's table of targets, word for word."""
    from pathlib import Path

    bench = _benchmark()
    page = (Path(__file__).resolve().parents[1] / "docs" / "performance.md").read_text("utf-8")
    assert bench.targets_table() in page


#: for each of issue 15's targets, made-up measurements that miss it and no other
ISSUE_15_MISSES: dict[str, dict[str, Any]] = {
    "islands-yaml-time-issue15": {"islands_yaml": 18.0},  # 0.6x the YAML floor
    "islands-yaml-memory-issue15": {"peaks": {"islands-yaml": 700}},  # 0.39x
    "islands-json-time-issue15": {"floor_json": 4.5},  # 1.22x the JSON floor
    "islands-json-vs-yaml-floor-issue15": {"floor_yaml": 25.0},  # 0.22x the YAML floor
    "priorities-ranking-beyond-loading": {"priorities_ranking": 5.5},  # 5.5 s
    "priorities-output-vs-ranking": {"priorities_output": 9.0},  # 2.25x the ranking
    "validate-json-time": {"validate_json": 9.0},  # 1.64x islands on JSON
    "validate-json-memory": {"peaks": {"validate-json": 1_200_000_000}},  # 1.2 GB
    "yaml-anchors": {"load_yaml_anchored": 12.0},  # 1.2x the plain YAML load
}


def test_every_issue_15_target_has_a_missing_case():
    """The cases below cover every target labelled issue 15, and those exist."""
    bench = _benchmark()
    assert {t.id for t in bench.TARGETS if t.note == "issue 15"} == set(ISSUE_15_MISSES)


@pytest.mark.parametrize("target", list(ISSUE_15_MISSES))
def test_check_fails_on_each_missed_issue_15_target(capsys, target):
    """Measurements that miss one of issue 15's targets make ``--check`` exit 1 naming it."""
    bench = _benchmark()
    verdicts = bench.check({(100_000, "synth"): _measures(bench, **ISSUE_15_MISSES[target])})
    assert [v.target.id for v in verdicts if v.missed] == [target]
    assert bench.report(verdicts, strict=True) == 1
    assert f"1 target(s) missed: {target} at 100,000 systems (synth)" in capsys.readouterr().out


def test_issue_15_bounds_are_the_issues():
    """Issue 15's bounds: islands on YAML 0.5x time and 0.3x memory, on JSON 1.2x and 0.2x
    the YAML floor; the ranking 5 s and the JSON output 2x it; validate 1.5x islands and
    1 GB from 100,000 systems; anchors 1.1x; and round 1's targets are kept."""
    bench = _benchmark()
    targets = {t.id: t for t in bench.TARGETS}
    bounds = {
        "islands-yaml-time-issue15": ("islands-yaml", "time", "floor-yaml", 0.5, 10_000),
        "islands-yaml-memory-issue15": ("islands-yaml", "memory", "floor-yaml", 0.3, 10_000),
        "islands-json-time-issue15": ("islands-json", "time", "floor-json", 1.2, 10_000),
        "islands-json-vs-yaml-floor-issue15": ("islands-json", "time", "floor-yaml", 0.2, 10_000),
        "priorities-ranking-beyond-loading": ("priorities-ranking", "time", "", 5.0, 100_000),
        "priorities-output-vs-ranking": (
            "priorities-output",
            "time",
            "priorities-ranking",
            2.0,
            10_000,
        ),
        "validate-json-time": ("validate-json", "time", "islands-json", 1.5, 100_000),
        "validate-json-memory": ("validate-json", "memory", "", 1.0, 100_000),
        "yaml-anchors": ("load-yaml-anchored", "time", "load-yaml", 1.1, 10_000),
        "priorities-beyond-loading": ("priorities", "time", "", 10.0, 100_000),
        "islands-yaml-time": ("islands-yaml", "time", "floor-yaml", 0.7, 10_000),
    }
    for id, bound in bounds.items():
        t = targets[id]
        assert (t.stage, t.measure, t.against, t.bound, t.from_size) == bound, id


def test_targets_are_judged_per_shape(capsys):
    """A target missed on one shape only is reported at that shape, and fails ``--check``."""
    bench = _benchmark()
    results = {
        (100_000, "synth"): _measures(bench),
        (100_000, "dominant-island"): _measures(bench, islands_yaml=18.0),
    }
    verdicts = bench.check(results)
    assert len(verdicts) == 2 * len(bench.TARGETS)
    missed = [(v.target.id, v.shape) for v in verdicts if v.missed]
    assert missed == [("islands-yaml-time-issue15", "dominant-island")]
    assert bench.report(verdicts, strict=True) == 1
    assert (
        "MISSED  islands-yaml-time-issue15 at 100,000 systems (dominant-island): 0.60×"
        in capsys.readouterr().out
    )


def test_the_100k_targets_do_not_apply_at_10k():
    """The ranking's 5 s, validate's 1.5x and its 1 GB are missed at 100,000 systems but
    only printed for information at 10,000."""
    bench = _benchmark()
    slow = _measures(
        bench,
        priorities_ranking=6.0,
        priorities_output=9.0,
        validate_json=9.0,
        peaks={"validate-json": 2_000_000_000},
    )
    ids = ["priorities-ranking-beyond-loading", "validate-json-time", "validate-json-memory"]
    at_100k = bench.check({(100_000, "synth"): slow})
    assert [v.target.id for v in at_100k if v.missed] == ids
    at_10k = bench.check({(10_000, "synth"): slow})
    assert not any(v.missed for v in at_10k)
    info = [str(v) for v in at_10k if v.target.id in ids]
    assert all(t.startswith("(info)") and "applies from 100,000 systems" in t for t in info)
    assert "validate-json-memory at 10,000 systems (synth): 2.00 GB, target ≤ 1 GB" in info[-1]


def test_a_memory_target_without_memory_runs_is_not_measured():
    """With ``--no-memory`` (no peaks), memory targets say so and do not fail ``--check``."""
    bench = _benchmark()
    measures = {k: bench.Measure(m.seconds) for k, m in _measures(bench).items()}
    verdicts = bench.check({(100_000, "synth"): measures})
    memory = [v for v in verdicts if v.target.measure == "memory"]
    assert [v.target.id for v in memory] == [
        "islands-yaml-memory",
        "islands-yaml-memory-issue15",
        "validate-json-memory",
    ]
    assert all(v.value is None and not v.missed for v in memory)
    assert all(str(v).startswith("not measured") for v in memory)


def test_the_benchmark_has_every_shape_of_synth():
    """``SHAPES`` holds synth's four shapes, each writing synth_text's scenario seeded by its size."""
    from cio_framework.synth import SHAPES

    bench = _benchmark()
    assert (
        list(bench.SHAPES)
        == list(SHAPES)
        == [
            "synth",
            "small-departments",
            "dominant-island",
            "demand-heavy",
        ]
    )
    for name, write in bench.SHAPES.items():
        for format in ("yaml", "json"):
            assert write(50, format) == synth_text(50, seed=50, format=format, shape=name)


def test_shapes_all_prints_a_table_per_shape_and_checks_each(monkeypatch, capsys):
    """``--shapes all --check`` runs every shape, prints its table, and fails on a
    target one shape misses (the stages are made up, not run)."""
    bench = _benchmark()
    ran = []

    def made_up(size, shape, folder, *, repeat, memory):
        ran.append((size, shape, repeat, memory))
        slow = {"load_yaml_anchored": 20.0} if shape == "demand-heavy" else {}
        return _measures(bench, **slow)

    monkeypatch.setattr(bench, "run", made_up)
    argv = ["--shapes", "all", "--sizes", "10000", "--repeat", "3", "--check"]
    assert bench.main(argv) == 1
    assert ran == [(10_000, shape, 3, True) for shape in bench.SHAPES]
    out = capsys.readouterr().out
    for shape in bench.SHAPES:
        assert f"10,000 systems, 100,000 exchanges ({shape}); median of runs" in out
    assert "1 target(s) missed: yaml-anchors at 10,000 systems (demand-heavy)" in out
    assert bench.main(["--shapes", "synth", "--sizes", "10000", "--check"]) == 0


def test_anchored_yaml_loads_as_the_plain_scenario_plus_its_own_elements():
    """The anchored text differs from the plain one by its anchors and aliases only:
    six systems gain the aliased source, two x- keys the aliased mapping."""
    import attrs

    bench = _benchmark()
    text = synth_text(300, seed=2)
    changed = bench.anchored(text)
    assert changed.count("&") == 2
    assert changed.count("*invented") == 5
    assert changed.count("*shared") == 1
    plain, anchored = cio_framework.loads(text), cio_framework.loads(changed)
    sources = [s.source for s in anchored.systems]
    assert sources[:6] == ["Invented for the benchmark"] * 6
    assert set(sources[6:]) == {None}
    assert anchored.extensions["x-benchmark"] == anchored.extensions["x-benchmark-again"]
    unanchored = attrs.evolve(
        anchored,
        systems=[attrs.evolve(s, source=None) for s in anchored.systems],
        extensions={},
    )
    assert cio_framework.dumps(unanchored) == cio_framework.dumps(plain)


@pytest.mark.parametrize("shape", SHAPES)
def test_synth_time_grows_linearly(shape):
    """Writing each shape takes at most about linearly more time on 16x the systems."""
    from functools import partial

    write = partial(synth_text, exchanges_per_system=EXCHANGES, shape=shape)
    problem = growth(write, SMALL, LARGE)
    assert problem is None, f"synth_text, {shape}: {problem}"
