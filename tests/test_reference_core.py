"""Islands, priorities and the roadmap against independent references
(``tests/reference.py``), written from the documented definitions."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
import reference
from cio_framework.model import (
    Department,
    Exchange,
    ExchangeStatus,
    Matter,
    Platform,
    PrioritySettings,
    System,
    SystemStatus,
)
from cio_framework.testing import landscapes

TOLERANCE = 1e-9


def close(a: float, b: Fraction) -> bool:
    return math.isclose(a, float(b), rel_tol=1e-9, abs_tol=TOLERANCE)


def unbudgeted(scenario):
    return attrs.evolve(scenario, priorities=attrs.evolve(scenario.priorities, budget=None))


# -- islands ------------------------------------------------------------------


@settings(max_examples=300)
@given(landscapes(max_systems=10, explicit_hub=False))
def test_islands_match_the_reference(scenario):
    """Groups, islands, isolated systems, silos and unused platforms are those
    of networkx components built from the definition."""
    assert cio_framework.islands(scenario).to_dict() == reference.islands(scenario)


def landscape(**changes):
    """Departments a, b; systems a1, a2 (a) and b1 (b); platforms hub, spare."""
    base = {
        "name": "Reference cases",
        "departments": [Department(id="a", name="A"), Department(id="b", name="B")],
        "platforms": [Platform(id="hub", name="Hub"), Platform(id="spare", name="Spare")],
        "systems": [
            System(id="a1", name="A1", department="a"),
            System(id="a2", name="A2", department="a"),
            System(id="b1", name="B1", department="b"),
        ],
        "priorities": PrioritySettings(hub="hub"),
    }
    base.update(changes)
    return cio_framework.Scenario(**base)


@pytest.mark.parametrize(
    "exchanges",
    [
        pytest.param([Exchange(from_="a1", to="b1", via="spare")], id="platform-only-as-via"),
        pytest.param([Exchange(from_="a1", to="a2")], id="silo"),
        pytest.param(
            [Exchange(from_="a1", to="a2"), Exchange(from_="a2", to="hub")], id="silo-left"
        ),
        pytest.param(
            [Exchange(from_="a1", to="a2"), Exchange(from_="b1", to="a1")], id="silo-entered"
        ),
        pytest.param([Exchange(from_="a1", to="a2", via="hub")], id="inside-through-platform"),
        pytest.param([Exchange(from_="a1", to="a1")], id="self-loop"),
        pytest.param(
            [Exchange(from_="a1", to="a1"), Exchange(from_="a1", to="a2")], id="self-loop-and-silo"
        ),
        pytest.param(
            [Exchange(from_="a1", to="a1"), Exchange(from_="a2", to="hub")], id="self-loop-and-out"
        ),
        pytest.param([Exchange(from_="a1", to="a2", status=ExchangeStatus.PLANNED)], id="planned"),
        pytest.param([Exchange(from_="hub", to="spare")], id="platform-to-platform"),
        pytest.param([Exchange(from_="b1", to="a2"), Exchange(from_="a1", to="hub")], id="order"),
    ],
)
def test_islands_cases(exchanges):
    """Hand-picked cases of each clause of the definition."""
    scenario = landscape(exchanges=exchanges)
    assert cio_framework.islands(scenario).to_dict() == reference.islands(scenario)


def test_a_self_loop_makes_no_silo():
    """A department's only exchange inside it runs from a system to itself:
    it links no two systems, so the department is no silo (it was)."""
    report = cio_framework.islands(landscape(exchanges=[Exchange(from_="a1", to="a1")]))
    assert report.silos == ()
    assert report.isolated_systems == ("a2", "b1")
    both = [Exchange(from_="a1", to="a1"), Exchange(from_="a2", to="a1")]
    assert cio_framework.islands(landscape(exchanges=both)).silos == ("a",)


def test_a_platform_used_only_as_via_is_used():
    """An exchange through a platform uses it, though it is neither end."""
    report = cio_framework.islands(
        landscape(exchanges=[Exchange(from_="a1", to="b1", via="spare")])
    )
    assert report.unused_platforms == ("hub",)


def test_retired_systems_are_in_no_group():
    """A retired system is no node: its exchanges join nothing."""
    systems = [
        System(id="a1", name="A1", department="a", status=SystemStatus.RETIRED),
        System(id="a2", name="A2", department="a"),
        System(id="b1", name="B1", department="b"),
    ]
    scenario = landscape(systems=systems, exchanges=[Exchange(from_="a1", to="a2")])
    report = cio_framework.islands(scenario)
    assert report.to_dict() == reference.islands(scenario)
    assert report.isolated_systems == ("a2", "b1")


# -- priorities ---------------------------------------------------------------


@settings(max_examples=250)
@given(landscapes(max_systems=8, explicit_hub=False))
def test_priorities_match_the_reference(scenario):
    """Every candidate, its kind, cost, factors and score are the reference's,
    and the ranking is by score, then kind, then id."""
    report = cio_framework.priorities(scenario)
    plan = reference.planning(scenario)
    assert report.hub == plan.hub
    expected = {c.id: c for c in plan.candidates}
    assert {p.id for p in report.priorities} == set(expected)
    for found in report.priorities:
        candidate = expected[found.id]
        assert found.kind == candidate.kind
        assert close(found.cost, candidate.cost)
        wanted = reference.factors(plan, [candidate])
        for factor, value in wanted.items():
            assert close(found.factors[factor], value), (found.id, factor)
        assert close(found.score, reference.value(plan, [candidate]))
    keys = [(-p.score, reference.KIND_RANK[p.kind], p.id) for p in report.priorities]
    assert keys == sorted(keys)


def test_a_department_reached_through_two_groups_counts_once():
    """Closing the fault zone of a (a1 - c1) and b (b1 - c2) joins both
    groups: c, in both, is one department reached. 2 islands × 3 + 4 systems
    × 1 + 3 departments × 2 + 1 fault zone × 5 − cost 2 = 19."""
    scenario = landscape(
        departments=[Department(id=d, name=d.upper()) for d in "abc"],
        systems=[
            System(id="a1", name="A1", department="a"),
            System(id="b1", name="B1", department="b"),
            System(id="c1", name="C1", department="c"),
            System(id="c2", name="C2", department="c"),
        ],
        exchanges=[Exchange(from_="a1", to="c1"), Exchange(from_="b1", to="c2")],
        matters=[Matter(id="m", name="Matter", approved_by="a", supervised_by="b")],
    )
    plan = cio_framework.roadmap(scenario, limit=1)
    step = plan.steps[0]
    assert step.integration.id == "close-m"
    assert step.integration.groups == ("a1", "b1")
    assert step.factors["departments_reached"] == 3
    assert step.gain == 19


def test_the_default_hub_ties_go_to_the_least_id():
    """Two platforms whose groups are equal: the hub is the least id."""
    exchanges = [Exchange(from_="a1", to="spare"), Exchange(from_="b1", to="hub")]
    for order in (exchanges, exchanges[::-1]):
        for platforms in (landscape().platforms, landscape().platforms[::-1]):
            scenario = landscape(
                exchanges=order, platforms=platforms, priorities=PrioritySettings()
            )
            assert cio_framework.priorities(scenario).hub == "hub"


def test_a_self_loop_is_no_reroute():
    """An exchange from a system to itself is not offered for rerouting."""
    scenario = landscape(exchanges=[Exchange(id="loop", from_="a1", to="a1")])
    assert not [
        p for p in cio_framework.priorities(scenario).priorities if p.kind == "reroute_exchange"
    ]


# -- roadmap ------------------------------------------------------------------


def check_roadmap_against_plain_greedy(scenario, budget):
    """Follow the roadmap's picks in the reference: each is a best candidate
    that fits, its gain is the exact marginal value, and the roadmap stops
    only when nothing that fits adds a positive score."""
    plan = reference.planning(scenario)
    result = cio_framework.roadmap(scenario, budget=budget)
    by_id = {c.id: c for c in plan.candidates}
    picked: list = []
    left = None if budget is None else Fraction(budget)
    for step in result.steps:
        options = reference.greedy_step(plan, picked, left)
        best_gain, best = options[0]
        candidate = by_id[step.integration.id]
        exact = reference.gain(plan, picked, candidate)
        assert exact > 0
        assert step.gain > 0
        assert close(step.gain, exact)
        assert exact >= best_gain - Fraction(TOLERANCE)  # a best pick, up to rounding
        if len(options) == 1 or options[1][0] < best_gain - Fraction(TOLERANCE):
            assert candidate.id == best.id  # a clear best
        picked.append(candidate)
        if left is not None:
            left -= candidate.cost
            assert left >= -Fraction(TOLERANCE)
    remaining = reference.greedy_step(plan, picked, left)
    assert not remaining or remaining[0][0] <= Fraction(TOLERANCE)
    assert close(result.total_gain, reference.value(plan, picked))


@settings(max_examples=200)
@given(landscapes(max_systems=8, explicit_hub=False), st.none() | st.integers(0, 6))
def test_roadmap_matches_plain_greedy(scenario, budget):
    """The lazy roadmap picks what plain greedy, re-scoring every candidate
    after every pick from a value computed from scratch, picks."""
    check_roadmap_against_plain_greedy(unbudgeted(scenario), budget)


def test_roadmap_ties_break_by_kind_then_id():
    """Equal marginal scores: the roadmap takes the candidate priorities()
    ranks first (kind, then id), whatever the order of the lists."""
    systems = [System(id=f"s{i}", name=f"S{i}", department="a") for i in range(4)]
    for order in (systems, systems[::-1]):
        scenario = landscape(systems=order, exchanges=[Exchange(from_="b1", to="hub")])
        scenario = attrs.evolve(
            scenario, systems=(*scenario.systems, System(id="b1", name="B1", department="b"))
        )
        plan = cio_framework.roadmap(scenario, limit=2)
        ranked = cio_framework.priorities(scenario)
        assert [s.integration.id for s in plan.steps] == ["connect-s0", "connect-s1"]
        assert next(p.id for p in ranked.top(2)) == "connect-s0"


@settings(max_examples=120)
@given(landscapes(max_systems=6, explicit_hub=True), st.integers(1, 3))
def test_greedy_gains_at_least_the_classic_share_of_the_best(scenario, k):
    """With cost weighted 0 and k picks, the roadmap gains at least
    1 − 1/e of the most any k candidates gain (brute force, ≤ 8 candidates)."""
    scenario = unbudgeted(scenario)
    plan = reference.planning(scenario, weights={"cost": 0})
    if len(plan.candidates) > 8:
        return
    result = cio_framework.roadmap(scenario, weights={"cost": 0}, limit=k)
    best = reference.best_subset(plan, k)
    assert Fraction(result.total_gain) >= (1 - Fraction(1) / Fraction(math.e)) * best - Fraction(
        TOLERANCE
    )
    by_id = {c.id: c for c in plan.candidates}
    picked = [by_id[s.integration.id] for s in result.steps]
    assert close(result.total_gain, reference.value(plan, picked))
    # gains never increase from one pick to the next
    gains = [s.gain for s in result.steps]
    assert all(a >= b - TOLERANCE for a, b in itertools.pairwise(gains))
