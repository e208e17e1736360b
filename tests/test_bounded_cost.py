"""Bounded cost on hostile shapes (issue 12, section 5): priorities, candidates,
brokers and what-if variants.

Each shape is built at two sizes :data:`FACTOR` times apart. Work is counted
in Python function calls (cProfile), which a busy machine does not disturb,
and output in bytes, which does not vary at all: on the larger input both
may grow about :data:`FACTOR`-fold (linear code measures 7 to 8.5 here),
never the square of it (quadratic code measured 35 to 55). Loops that make
no calls (``while f"{id}-{n}" in taken``, a comprehension over every
exchange) are timed instead, best of 3, against :data:`TIME_BOUND`.
"""

from __future__ import annotations

import gc
import itertools
import json
import time
from collections.abc import Callable
from typing import Any

import pytest

import cio_framework
from cio_framework.model import Demand, Department, Exchange, Platform, Resource, System
from cio_framework.testing import make_scenario
from measure import calls

#: how much larger the large input is
FACTOR = 8
#: the most work or output may grow on an input FACTOR times larger
BOUND = 10.0
#: the most time may grow on an input FACTOR times larger (FACTOR ** 1.5):
#: linear code measures 8 to 15 on a busy machine, quadratic code 40 and more
TIME_BOUND = 24.0
#: the analyses behind ``priorities``, with and without a budget
PLANS = {"priorities": cio_framework.priorities, "roadmap": cio_framework.roadmap}


def grows_linearly(measure: Callable[[Any], float], build: Callable[[int], Any], n: int) -> str:
    """An empty string when ``measure`` grows at most :data:`BOUND`-fold from
    ``build(n)`` to ``build(FACTOR * n)``, else what it measured."""
    small, large = measure(build(n)), measure(build(FACTOR * n))
    if large <= BOUND * small:
        return ""
    return f"{small:,} at {n:,}, {large:,} at {FACTOR * n:,}: {large / small:.1f}x"


def best_time(function: Callable[[Any], Any], argument: Any, calls: int = 1) -> float:
    """Seconds per call of ``function(argument)``, the best of 3 runs of ``calls`` calls."""
    best = float("inf")
    for _ in range(3):
        gc.collect()
        start = time.perf_counter()
        for _ in range(calls):
            function(argument)
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def time_grows_linearly(function: Callable[[Any], Any], build: Callable[[int], Any], n: int) -> str:
    """An empty string when the time of ``function`` grows at most
    :data:`TIME_BOUND`-fold from ``build(n)`` to ``build(FACTOR * n)``; the
    small input is timed over FACTOR calls in a row, so both runs last about
    as long."""
    small, large = build(n), build(FACTOR * n)
    fast, slow = best_time(function, small, FACTOR), best_time(function, large)
    if slow <= TIME_BOUND * fast:
        return ""
    return f"{fast:.4f} s at {n:,}, {slow:.4f} s at {FACTOR * n:,}: {slow / fast:.1f}x"


def json_size(value: Any) -> int:
    return len(json.dumps(value.to_dict()))


def with_departments(*ids: str) -> list[Department]:
    return [*make_scenario().departments, *(Department(id=d, name=d.upper()) for d in ids)]


# -- 1. many demands of one department for one resource ----------------------------


def identical_demands(n: int) -> cio_framework.Scenario:
    """msb demands the resource r, held on an island, n times over."""
    return make_scenario(
        departments=with_departments("msb"),
        platforms=[Platform(id="cloud", name="Cloud")],
        systems=[
            System(id="a", name="A", department="epb"),
            System(id="b", name="B", department="msb"),
            System(id="h", name="H", department="epb"),
        ],
        exchanges=[Exchange(from_="h", to="cloud")],
        resources=[Resource(id="r", name="R", owner="epb", held_in="a")],
        demands=[Demand(by="msb", resource="r") for _ in range(n)],
    )


@pytest.mark.parametrize("analysis", list(PLANS))
def test_identical_demands_are_one_candidate_in_linear_work(analysis):
    """32,000 copies of one demand once took priorities 230 s: each was a
    candidate, and each copy's id was found by trying -2, -3 ... in turn."""
    report = cio_framework.priorities(identical_demands(1_000))
    assert [p.id for p in report.priorities if p.kind == "provide_resource"] == ["provide-r-to-msb"]
    problem = grows_linearly(lambda s: calls(PLANS[analysis], s), identical_demands, 500)
    assert not problem, problem
    problem = time_grows_linearly(PLANS[analysis], identical_demands, 1_000)
    assert not problem, problem


# -- 2. a department with many groups and many demands -----------------------------


def scattered_requester(n: int) -> cio_framework.Scenario:
    """x has n systems, each an island of its own, and demands n resources
    that p holds on the hub."""
    return make_scenario(
        departments=with_departments("p", "x"),
        platforms=[Platform(id="cloud", name="Cloud")],
        systems=[
            System(id="p1", name="P1", department="p"),
            *(System(id=f"x{i}", name=f"X{i}", department="x") for i in range(n)),
        ],
        exchanges=[Exchange(from_="p1", to="cloud")],
        resources=[Resource(id=f"r{i}", name=f"R{i}", owner="p", held_in="p1") for i in range(n)],
        demands=[Demand(by="x", resource=f"r{i}") for i in range(n)],
    )


@pytest.mark.parametrize("analysis", list(PLANS))
def test_a_scattered_requester_costs_linear_work_and_output(analysis):
    """Each demand's candidate connects x's main group, not all n of x's
    groups (which made building and scoring candidates groups x demands)."""
    report = cio_framework.priorities(scattered_requester(50))
    provide = next(p for p in report.priorities if p.id == "provide-r0-to-x")
    assert provide.factors["departments_reached"] == 1
    assert provide.factors["islands_merged"] == 1
    problem = grows_linearly(lambda s: calls(PLANS[analysis], s), scattered_requester, 100)
    assert not problem, problem
    problem = grows_linearly(lambda s: json_size(PLANS[analysis](s)), scattered_requester, 100)
    assert not problem, f"output: {problem}"


def shared_provider(n: int) -> cio_framework.Scenario:
    """An island of n systems in n departments holds a resource that n other
    departments, each with an island of one, demand."""
    owners = [f"o{i}" for i in range(n)]
    requesters = [f"q{i}" for i in range(n)]
    systems = [System(id="h", name="H", department="epb")]
    systems += [System(id=f"{d}s", name=d, department=d) for d in owners + requesters]
    exchanges = [Exchange(from_="h", to="cloud")]
    exchanges += [Exchange(from_=f"{a}s", to=f"{b}s") for a, b in itertools.pairwise(owners)]
    return make_scenario(
        departments=with_departments(*owners, *requesters),
        platforms=[Platform(id="cloud", name="Cloud")],
        systems=systems,
        exchanges=exchanges,
        resources=[Resource(id="r", name="R", owner="o0", held_in="o0s")],
        demands=[Demand(by=d, resource="r") for d in requesters],
    )


def test_a_provider_group_of_many_departments_costs_linear_work():
    """n candidates join the provider's island of n departments, each with
    another group: the departments reached are counted once per group, not
    once per candidate."""
    report = cio_framework.priorities(shared_provider(20))
    provide = next(p for p in report.priorities if p.id == "provide-r-to-q0")
    assert provide.factors["departments_reached"] == 21
    assert provide.groups == ("o0s", "q0s")
    problem = grows_linearly(lambda s: calls(cio_framework.priorities, s), shared_provider, 100)
    assert not problem, problem


# -- 3. one big island: its members listed once ------------------------------------


def big_island(n: int) -> cio_framework.Scenario:
    """The hub, and an island of n systems in n departments held together by
    3n point-to-point exchanges: 3n reroutes, every one of them joining the
    whole island."""
    departments = [f"d{i}" for i in range(n)]
    systems = [System(id="h", name="H", department="epb")]
    systems += [System(id=f"s{i}", name=f"S{i}", department=f"d{i}") for i in range(n)]
    exchanges = [Exchange(from_="h", to="cloud")]
    for step in (1, 7, 13):
        exchanges += [Exchange(from_=f"s{i}", to=f"s{(i + step) % n}") for i in range(n)]
    return make_scenario(
        departments=with_departments(*departments),
        platforms=[Platform(id="cloud", name="Cloud")],
        systems=systems,
        exchanges=exchanges,
    )


def printed(capsys, tmp_path, scenario: cio_framework.Scenario, *args: str) -> str:
    """What ``cio-framework ARGS PATH ...`` prints for ``scenario``."""
    from cio_framework.cli import main
    from cio_framework.config import dumps

    path = tmp_path / "s.yaml"
    path.write_text(dumps(scenario), encoding="utf-8")
    capsys.readouterr()
    assert main([args[0], str(path), *args[1:]]) == 0
    return capsys.readouterr().out


def test_the_json_of_a_big_island_lists_its_members_once(capsys, tmp_path):
    """Every reroute refers to the island by its id; the island's systems
    and departments are listed once, under groups (4,000 systems once printed
    709 MB)."""
    data = json.loads(printed(capsys, tmp_path, big_island(40), "priorities", "--format", "json"))
    reroutes = [p for p in data["priorities"] if p["kind"] == "reroute_exchange"]
    assert len(reroutes) == 120
    for item in data["priorities"]:
        assert set(item["groups"]) <= set(data["groups"])
        assert "systems" not in item
    for item in reroutes:  # about the departments at its ends only
        assert item["groups"] == ["s0"]
        assert len(item["departments"]) <= 2
        assert len(item["accountable"]) <= 2
    assert list(data["groups"]) == ["s0"]
    assert data["groups"]["s0"]["systems"] == sorted(f"s{i}" for i in range(40))
    problem = grows_linearly(
        lambda s: len(printed(capsys, tmp_path, s, "priorities", "--format", "json")),
        big_island,
        100,
    )
    assert not problem, f"output: {problem}"


@pytest.mark.parametrize("analysis", list(PLANS))
def test_a_big_island_costs_linear_work_and_output_in_python(analysis):
    """The report's and the roadmap's plain forms grow linearly too."""
    problem = grows_linearly(lambda s: json_size(PLANS[analysis](s)), big_island, 100)
    assert not problem, f"output: {problem}"
    problem = grows_linearly(lambda s: calls(PLANS[analysis], s), big_island, 100)
    assert not problem, problem


# -- 6. what-if variants -------------------------------------------------------------


def many_changes(n: int) -> cio_framework.Scenario:
    """n systems in n / 10 departments, n exchanges and n resources, with a
    what-if variant of about n changes of every kind."""
    from cio_framework.model import (
        Change,
        MergeDepartments,
        MoveSystem,
        SetShare,
        ShareType,
        WhatIf,
    )

    departments = [f"d{i}" for i in range(n // 10)]
    systems = [
        System(id=f"s{i}", name=f"S{i}", department=departments[i % len(departments)])
        for i in range(n)
    ]
    q = n // 8
    changes = [
        Change(add_exchange=Exchange(id=f"x{i}", from_=f"s{i}", to="cloud")) for i in range(q)
    ]
    changes += [Change(remove_exchange=f"e{i}") for i in range(q)]
    changes += [
        Change(move_system=MoveSystem(system=f"s{i}", to="cloud2", connect=True))
        for i in range(q, 3 * q)
    ]
    changes += [Change(retire_system=f"s{i}") for i in range(3 * q, 4 * q)]
    changes += [
        Change(set_share=SetShare(resource=f"r{i}", share=ShareType.UNCONDITIONAL))
        for i in range(q)
    ]
    changes += [
        Change(merge_departments=MergeDepartments(into=f"d{2 * i}", departments=(f"d{2 * i + 1}",)))
        for i in range(n // 40)
    ]
    scenario = make_scenario(
        departments=with_departments(*departments),
        platforms=[Platform(id="cloud", name="Cloud"), Platform(id="cloud2", name="Cloud 2")],
        systems=systems,
        exchanges=[Exchange(id=f"e{i}", from_=f"s{i}", to=f"s{(i + 1) % n}") for i in range(n)],
        resources=[
            Resource(id=f"r{i}", name=f"R{i}", owner=s.department, held_in=s.id)
            for i, s in enumerate(systems)
        ],
        scenarios=[WhatIf(id="w", changes=changes)],
    )
    assert not cio_framework.validate(scenario)  # checked once, here, not while timed
    return scenario


def apply_variant(scenario: cio_framework.Scenario) -> cio_framework.Scenario:
    return cio_framework.whatif(scenario, "w")


def test_a_variant_of_many_changes_is_applied_in_linear_time():
    """Each change used to rebuild the lists it touched (and move_system
    gathered every id of the scenario): changes x exchanges."""
    variant = apply_variant(many_changes(80))
    assert len(variant.exchanges) == 80 + 10 - 10 + 20
    assert len(variant.departments) == len(many_changes(80).departments) - 2
    problem = grows_linearly(lambda s: calls(apply_variant, s), many_changes, 200)
    assert not problem, problem
    problem = time_grows_linearly(apply_variant, many_changes, 500)
    assert not problem, problem


def many_removals(n: int) -> cio_framework.Scenario:
    """n systems in pairs joined by an exchange, and a what-if variant that
    removes every exchange and then every system: n / 2 + n removals."""
    from cio_framework.model import Change, WhatIf

    systems = [System(id=f"s{i}", name=f"S{i}", department="epb") for i in range(n)]
    exchanges = [Exchange(id=f"e{i}", from_=f"s{i}", to=f"s{i + 1}") for i in range(0, n, 2)]
    changes = [Change(remove_system=s.id) for s in systems]  # before what names them
    changes += [Change(remove_exchange=e.id) for e in exchanges if e.id is not None]
    scenario = make_scenario(
        systems=systems, exchanges=exchanges, scenarios=[WhatIf(id="w", changes=changes)]
    )
    assert not cio_framework.validate(scenario)
    return scenario


def test_a_variant_of_many_removals_is_applied_in_linear_time():
    """Each removal looked through the whole variant for what names the
    element: removals x elements (1,000 systems removed from 2,000: 34 s)."""
    variant = apply_variant(many_removals(40))
    assert variant.systems == ()
    assert variant.exchanges == ()
    problem = grows_linearly(lambda s: calls(apply_variant, s), many_removals, 100)
    assert not problem, problem


# -- 4. candidates against many criteria ---------------------------------------------


def many_criteria(n: int) -> cio_framework.Scenario:
    """n criteria and n candidates for one role, each scored on one criterion."""
    from cio_framework.model import Candidate, Criterion, Person

    base = make_scenario()
    return make_scenario(
        people=[*base.people, *(Person(id=f"p{i}", name=f"P{i}") for i in range(n))],
        criteria=[Criterion(id=f"c{i}", name=f"C{i}", weight=1) for i in range(n)],
        candidates=[
            Candidate(person=f"p{i}", role="epb-cio", scores={f"c{i}": 3}) for i in range(n)
        ],
    )


def test_candidates_against_many_criteria_cost_linear_work_and_output(capsys, tmp_path):
    """A candidate lists the contributions of the criteria it has a score
    for, and counts the others, naming the first few: listing every
    criterion for every candidate made the output candidates x criteria."""
    from cio_framework.analysis import assess_candidates
    from cio_framework.analysis.selection import MISSING_LISTED

    first = assess_candidates(many_criteria(40)).roles[0].ranking[0]
    assert dict(first.contributions) == {"c0": 3 / 40}
    assert first.missing_score_count == 39
    assert first.missing_scores == tuple(f"c{i}" for i in range(1, MISSING_LISTED + 1))
    problem = grows_linearly(lambda s: calls(assess_candidates, s), many_criteria, 50)
    assert not problem, problem
    problem = grows_linearly(lambda s: json_size(assess_candidates(s)), many_criteria, 50)
    assert not problem, f"output: {problem}"
    for form in ("text", "json"):
        problem = grows_linearly(
            lambda s: len(printed(capsys, tmp_path, s, "candidates", "--format", form)),  # noqa: B023
            many_criteria,
            50,
        )
        assert not problem, f"{form} output: {problem}"


def test_candidates_top_keeps_each_roles_best(capsys, tmp_path):
    """``candidates --top N`` prints each role's N best, as ``priorities --top`` does."""
    text = printed(capsys, tmp_path, many_criteria(40), "candidates", "--top", "2")
    assert text.splitlines() == [
        "epb-cio:",
        "  1. P0: 0.07 (c0 0.07)",
        "     no score for: c1, c2, c3, c4, c5, c6, c7, c8, c9, c10 and 29 more",
        "     no evidence for: c0",
        "  2. P1: 0.07 (c1 0.07)",
        "     no score for: c0, c2, c3, c4, c5, c6, c7, c8, c9, c10 and 29 more",
        "     no evidence for: c1",
    ]
    data = json.loads(
        printed(capsys, tmp_path, many_criteria(40), "candidates", "--top", "2", "--format", "json")
    )
    assert [c["person"] for c in data["roles"][0]["ranking"]] == ["p0", "p1"]


# -- 5. brokers: the exact guard weighs edges too ------------------------------------


def ring_lattice(n: int, k: int) -> cio_framework.Scenario:
    """n systems on a ring, each exchanging with the next k: n nodes, n k edges."""
    return make_scenario(
        systems=[System(id=f"s{i}", name=f"S{i}", department="epb") for i in range(n)],
        exchanges=[
            Exchange(from_=f"s{i}", to=f"s{(i + j) % n}") for i in range(n) for j in range(1, k + 1)
        ],
    )


def test_exact_betweenness_is_refused_on_a_dense_network_of_few_nodes(
    monkeypatch, capsys, tmp_path
):
    """Exact betweenness does work in nodes x (nodes + edges): with a limit
    of 100 nodes, a network of 100 nodes and 4,000 edges is refused (it was
    not: the guard counted nodes only), a ring of 100 nodes is not."""
    from cio_framework.analysis import centrality
    from cio_framework.cli import EXIT_USAGE, main
    from cio_framework.config import dumps
    from cio_framework.exceptions import TooLargeError

    monkeypatch.setattr(centrality, "EXACT_LIMIT", 100)
    dense = ring_lattice(100, 40)
    with pytest.raises(TooLargeError) as caught:
        cio_framework.brokers(dense)
    assert (caught.value.nodes, caught.value.limit) == (100, centrality.exact_limit(100, 4_000))
    assert caught.value.limit < 100
    assert cio_framework.brokers(dense, exact=True).sampled is None
    assert cio_framework.brokers(dense, sample=5).sampled == 5
    assert cio_framework.brokers(ring_lattice(100, 1)).sampled is None
    path = tmp_path / "dense.yaml"
    path.write_text(dumps(dense), encoding="utf-8")
    assert main(["brokers", str(path)]) == EXIT_USAGE
    assert "at this network's density" in capsys.readouterr().err


def test_the_exact_limit_falls_with_density():
    """EXACT_LIMIT nodes up to EXACT_DENSITY edges a node, then fewer: the
    work allowed stays that of EXACT_LIMIT nodes at that density."""
    from cio_framework.analysis.centrality import EXACT_DENSITY, EXACT_LIMIT, exact_limit

    assert exact_limit(EXACT_LIMIT, EXACT_LIMIT * EXACT_DENSITY) == EXACT_LIMIT
    assert exact_limit(1_000, 0) == EXACT_LIMIT
    allowed = EXACT_LIMIT * EXACT_LIMIT * (1 + EXACT_DENSITY)
    for density in (20, 50, 400):
        limit = exact_limit(1_000, 1_000 * density)
        assert limit * limit * (1 + density) <= allowed < (limit + 1) ** 2 * (1 + density)
