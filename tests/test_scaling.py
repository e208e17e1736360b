"""No quadratic paths: work grows linearly with the number of systems and exchanges.

Operations are counted (Python function calls, with cProfile), not timed:
doubling the scenario must no more than about double the work of loading,
checking and every analysis.
"""

from __future__ import annotations

import cProfile
import pstats

import pytest

import cio_framework
from cio_framework.synth import synth_text

STAGES = {
    "load": lambda text: cio_framework.loads(text),
    "check": lambda s: cio_framework.check(s),
    "summarize": lambda s: cio_framework.summarize(s),
    "islands": lambda s: cio_framework.islands(s),
    "barriers": lambda s: cio_framework.barriers(s),
    "fault_zones": lambda s: cio_framework.fault_zones(s),
    "indicators": lambda s: cio_framework.indicators(s),
    "single_points_of_failure": lambda s: cio_framework.single_points_of_failure(s),
    "priorities": lambda s: cio_framework.priorities(s),
    "roadmap": lambda s: cio_framework.roadmap(s),
    "agenda": lambda s: cio_framework.agenda(s),
}


def calls(function, argument) -> int:
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        function(argument)
    finally:
        profiler.disable()
    return pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def sizes():
    texts = {n: synth_text(n, seed=11) for n in (5_000, 10_000)}
    scenarios = {n: cio_framework.loads(t) for n, t in texts.items()}
    return texts, scenarios


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_work_grows_linearly(sizes, stage):
    """From 5,000 to 10,000 systems (50,000 to 100,000 exchanges) the work at most ~doubles."""
    texts, scenarios = sizes
    function = STAGES[stage]
    small = calls(function, texts[5_000] if stage == "load" else scenarios[5_000])
    large = calls(function, texts[10_000] if stage == "load" else scenarios[10_000])
    assert large <= 2.4 * small, f"{stage}: {small} calls at 5k, {large} at 10k"


def test_a_quadratic_path_would_be_caught(sizes):
    """The measure above does flag a quadratic step (a pairwise look at departments)."""
    _, scenarios = sizes

    def quadratic(s):
        # for every system, scan every department: O(V * D), with D growing with V
        names = [d.id for d in s.departments]
        return sum(1 for system in s.systems for d in names if len(d) == len(system.department))

    small = calls(quadratic, scenarios[5_000])
    large = calls(quadratic, scenarios[10_000])
    assert large > 2.4 * small


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
    exchanges += [Exchange(from_=f"s{i}", to=f"s{(i + 1) % n}") for i in range(n)]
    exchanges += [Exchange(from_=f"s{i}", to=f"s{(i * 7 + 3) % n}") for i in range(2 * n)]
    return make_scenario(
        departments=departments,
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
        return len(caught.value.problems)

    small_text, large_text = broken(500), broken(1_000)
    assert load(large_text) > 1.5 * load(small_text) > 1_000
    small = calls(load, small_text)
    large = calls(load, large_text)
    assert large <= 2.4 * small, f"{small} calls at 500 systems, {large} at 1,000"
