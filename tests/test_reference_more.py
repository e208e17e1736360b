"""More analyses against independent references written from their documented
definitions (the module docstrings and docs/landscape.rst) alone, on
Hypothesis-generated scenarios: single points of failure, indicators,
candidate assessment; and results up to a renaming of ids."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from fractions import Fraction

import attrs
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
import reference
from cio_framework.model import (
    LOCAL,
    Ability,
    Body,
    BodyKind,
    Candidate,
    Criterion,
    Department,
    ExchangeStatus,
    Level,
    Meeting,
    Person,
    Role,
    Scenario,
)
from cio_framework.model.landscape import MAX_WEIGHT
from cio_framework.testing import landscapes, make_scenario, scenarios
from measure import best_times
from small_scenarios import departmental_cios

# -- single points of failure -------------------------------------------------


def ref_single_points(scenario) -> Counter:
    """Articulation points (with the number of parts their group falls into)
    and the exchanges that alone provide a bridge, as a multiset of
    ``(kind, id, parts)``; an exchange via a platform provides its two legs."""
    land = reference.landscape(scenario)
    nodes = set(land.graph.nodes)
    providers: dict[frozenset, set[int]] = {}
    for index, e in enumerate(scenario.exchanges):
        ends = [e.from_, e.to] + ([e.via] if e.via is not None else [])
        if e.status is not ExchangeStatus.LIVE or not all(n in nodes for n in ends):
            continue
        legs = [(e.from_, e.to)] if e.via is None else [(e.from_, e.via), (e.via, e.to)]
        for u, v in legs:
            if u != v:
                providers.setdefault(frozenset((u, v)), set()).add(index)
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(tuple(edge) for edge in providers)
    found: Counter = Counter()
    platforms = {p.id for p in scenario.platforms}
    for node in nodes:
        group = nx.node_connected_component(graph, node)
        rest = graph.subgraph(group - {node})
        parts = nx.number_connected_components(rest)
        if parts > 1:
            found["platform" if node in platforms else "system", node, parts] += 1
    bridges = {frozenset(b) for b in nx.bridges(graph)}
    for index, e in enumerate(scenario.exchanges):
        alone = [edge for edge, by in providers.items() if by == {index} and edge in bridges]
        if alone:
            found["exchange", e.key, 2] += 1
    return found


@settings(max_examples=150)
@given(landscapes(max_systems=8))
def test_single_points_match_the_definition(scenario):
    """Nodes and exchanges whose loss splits a group, from the definition."""
    report = cio_framework.single_points_of_failure(scenario)
    got = Counter((p.kind, p.id, p.parts) for p in report.points)
    assert got == ref_single_points(scenario)


# -- indicators -----------------------------------------------------------------


def share(part, whole, empty):
    return Fraction(part, whole) if whole else empty


@settings(max_examples=150)
@given(landscapes(max_systems=8))
def test_indicators_match_the_definition(scenario):
    """Each indicator from its documented meaning."""
    figures = cio_framework.indicators(scenario)
    in_use = [s for s in scenario.systems if s.in_use]
    platforms = {p.id for p in scenario.platforms}
    land = reference.landscape(scenario)
    reaching = {
        s.id
        for s in in_use
        if any(n in platforms for n in nx.node_connected_component(land.graph, s.id))
    }
    on_platform = [s for s in in_use if s.hosted_on != LOCAL and s.hosted_on in platforms]
    assert figures.systems_in_use == len(in_use)
    assert figures.platform_share == float(
        share(len(on_platform), len(in_use), figures.platform_share)
    )
    assert figures.connected_share == float(
        share(len(reaching), len(in_use), figures.connected_share)
    )
    catalogued = [r for r in scenario.resources if r.catalogued]
    assert figures.catalogue_coverage == float(share(len(catalogued), len(scenario.resources), 1))
    report = cio_framework.barriers(scenario)
    total = sum(Fraction(d.weight) for d in scenario.demands)
    unmet = sum(Fraction(b.weight) for b in report.barriers)
    if total:
        assert abs(figures.demands_met_share - float((total - unmet) / total)) < 1e-9
    islands = cio_framework.islands(scenario)
    assert figures.groups == len(islands.groups)
    assert figures.islands == len(islands.islands)
    assert figures.isolated_systems == len(islands.isolated_systems)
    assert figures.silos == len(islands.silos)
    assert figures.barriers == len(report.barriers)
    assert figures.fault_zones == len(reference.fault_zones(scenario))


# -- candidate assessment -----------------------------------------------------


@st.composite
def selections(draw):
    """A scenario with criteria and candidates for one or two roles, small
    integer weights and scores (so that ties are common) or any in range."""
    weights = st.integers(0, 4) | st.floats(0, 1e3, allow_nan=False)
    scores = st.integers(-3, 5) | st.floats(-100, 100, allow_nan=False)
    count = draw(st.integers(1, 4))
    criteria = [Criterion(id=f"k{i}", name=f"K{i}", weight=draw(weights)) for i in range(count)]
    people = [Person(id="lead", name="Lead")] + [Person(id=f"p{i}", name=f"P{i}") for i in range(5)]
    roles = departmental_cios(["a", "b"])
    candidates = []
    for _ in range(draw(st.integers(1, 6))):
        scored = draw(st.lists(st.sampled_from([c.id for c in criteria]), unique=True))
        candidates.append(
            Candidate(
                person=draw(st.sampled_from([p.id for p in people])),
                role=draw(st.sampled_from([r.id for r in roles])),
                scores={c: draw(scores) for c in scored},
            )
        )
    return make_scenario(
        people=people,
        departments=[Department(id=d, name=d.upper()) for d in "ab"],
        roles=roles,
        bodies=[],
        responsibilities=[],
        appraisals=[],
        criteria=criteria,
        candidates=candidates,
    )


def ref_totals(scenario, candidate):
    weights = {c.id: Fraction(c.weight) for c in scenario.criteria}
    total = sum(weights.values())
    scores = {c: Fraction(candidate.scores.get(c, 0)) for c in weights}
    if not total:
        return None
    return sum(weights[c] * scores[c] for c in weights) / total


def ref_flips(scenario, leader, runner):
    """The documented flip: every criterion with the smallest ``abs(delta)``,
    and that delta; ``None`` when there is none."""
    weights = {c.id: Fraction(c.weight) for c in scenario.criteria}
    d = {c: Fraction(leader.scores.get(c, 0)) - Fraction(runner.scores.get(c, 0)) for c in weights}
    lead = sum(weights[c] * d[c] for c in weights)
    options = {}
    for c in weights:
        if d[c] == 0:
            continue
        delta = -lead / d[c]
        if 0 < weights[c] + delta < MAX_WEIGHT:  # room for a change beyond it
            options[c] = delta
    if not options or lead == 0:
        return None
    best = min(abs(v) for v in options.values())
    return {c for c, v in options.items() if abs(v) == best}, best


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))


@settings(max_examples=300)
@given(selections())
def test_candidate_assessment_matches_the_definition(scenario):
    """Totals, ranking (roles by id, ties by person id) and flip, from docs/research.rst."""
    assessment = cio_framework.analysis.assess_candidates(scenario)
    roles = {r.role: r for r in assessment.roles}
    assert list(roles) == sorted({c.role for c in scenario.candidates})
    for role, result in roles.items():
        listed = [c for c in scenario.candidates if c.role == role]
        expected = [(ref_totals(scenario, c), c.person, c) for c in listed]
        assert len(result.ranking) == len(listed)
        if any(t is None for t, _, _ in expected):
            continue  # every weight 0: the mean is undefined
        ranked = sorted(expected, key=lambda e: (-e[0], e[1]))
        assert [r.person for r in result.ranking] == [c.person for _, _, c in ranked]
        for got, (total, _, c) in zip(result.ranking, ranked, strict=True):
            assert close(got.total, float(total))
            assert set(got.contributions) == set(c.scores)
        if len(ranked) < 2:
            assert result.flip is None
            continue
        (lt, _, leader), (rt, _, runner) = ranked[:2]
        flips = ref_flips(scenario, leader, runner) if lt != rt else None
        if flips is None:
            assert result.flip is None
        else:
            criteria, delta = flips
            assert result.flip is not None
            assert result.flip.criterion in criteria
            assert close(
                result.flip.weight_to - result.flip.weight_from,
                float(delta if result.flip.weight_to >= result.flip.weight_from else -delta),
            )


def test_no_flip_when_the_leader_is_as_good_on_every_criterion():
    """Lowering the one criterion that separates the two to 0 only levels
    them: no flip is offered."""
    scenario = make_scenario(
        people=[Person(id=p, name=p.upper()) for p in ("lead", "deputy", "a", "b")],
        criteria=[Criterion(id="k", name="K", weight=1), Criterion(id="m", name="M", weight=2)],
        candidates=[
            Candidate(person="a", role="epb-cio", scores={"k": 2, "m": 3}),
            Candidate(person="b", role="epb-cio", scores={"k": 1, "m": 3}),
        ],
    )
    (result,) = cio_framework.analysis.assess_candidates(scenario).roles
    assert [c.person for c in result.ranking] == ["a", "b"]
    assert result.flip is None


@pytest.mark.parametrize("reverse", [False, True])
def test_equal_totals_go_by_person_id(reverse):
    """Two candidates whose totals are equal (6/7) go by person id, in any
    order of the candidates, though adding their contributions rounds them
    differently."""
    criteria = [Criterion(id=f"k{i}", name=f"K{i}") for i in range(7)]
    scenario = make_scenario(
        people=[Person(id=p, name=p.upper()) for p in ("lead", "deputy", "a", "b")],
        criteria=criteria,
        candidates=[
            Candidate(person="a", role="epb-cio", scores={"k4": 2, "k5": 3, "k6": 1}),
            Candidate(person="b", role="epb-cio", scores={"k5": 3, "k6": 3}),
        ][:: -1 if reverse else 1],
    )
    (result,) = cio_framework.analysis.assess_candidates(scenario).roles
    assert [c.person for c in result.ranking] == ["a", "b"]
    assert result.flip is None


# -- governance summary -----------------------------------------------------------


def levelled(count):
    """``count`` custom levels, each with one role and one body."""
    return Scenario(
        name="Many levels",
        levels=[Level(id=f"l{i}", name=f"L{i}") for i in range(count)],
        roles=[Role(id=f"r{i}", title="R", level=f"l{i}") for i in range(count)],
        bodies=[
            Body(id=f"b{i}", name="B", kind=BodyKind.CIO_COMMITTEE, level=f"l{i}")
            for i in range(count)
        ],
    )


def test_a_summary_of_many_levels_takes_linear_time():
    """Each level's roles and bodies are found in one pass, not one pass a level."""
    small, large = levelled(500), levelled(8000)
    for scenario in (small, large):
        cio_framework.validate(scenario)
    fast, slow = best_times(cio_framework.summarize, small, large, factor=16, budget=1.0)
    assert slow / fast < 64, f"{slow / fast:.0f}x on 16x the levels"
    assert cio_framework.summarize(large).levels[7999].roles == ("r7999",)


WEIGHTS = [0.1, 0.2, 0.3, 1e-17, 0.7]


def weighed(weights):
    """Criteria of the given weights (0.1 and 0.3 business, the rest technical)
    and one candidate scoring 1 on each."""
    criteria = [
        Criterion(
            id=f"k{w}",
            name="K",
            weight=w,
            ability=Ability.BUSINESS if w in (0.1, 0.3) else Ability.TECHNICAL,
        )
        for w in weights
    ]
    return make_scenario(
        criteria=criteria,
        candidates=[Candidate(person="lead", role="epb-cio", scores={c.id: 1 for c in criteria})],
    )


@given(st.permutations(WEIGHTS))
def test_weight_shares_do_not_depend_on_the_order_of_the_criteria(weights):
    """The business and technical shares are the same whatever the order of
    the criteria."""
    summary = cio_framework.summarize(weighed(weights))
    total = math.fsum(WEIGHTS)
    assert summary.business_weight_share == math.fsum([0.1, 0.3]) / total
    assert summary.technical_weight_share == math.fsum([0.2, 1e-17, 0.7]) / total


@given(st.permutations(WEIGHTS))
def test_a_total_does_not_depend_on_the_order_of_the_criteria(weights):
    """A candidate scoring 1 on every criterion has the total 1, whatever the
    order of the criteria."""
    (result,) = cio_framework.analysis.assess_candidates(weighed(weights)).roles
    assert result.ranking[0].total == 1.0


# -- check messages ---------------------------------------------------------------


def test_a_proxy_finding_names_the_proxies_by_id_in_any_order():
    """The proxies of a meeting are a set: the finding names them by id, once each."""
    messages = set()
    for proxies in (["lead", "deputy"], ["deputy", "lead", "deputy"]):
        meeting = Meeting(body="regular", date=dt.date(2016, 8, 10), proxies=proxies)
        report = cio_framework.check(make_scenario(meetings=[meeting]))
        (finding,) = [f for f in report.findings if f.check == "proxy-attendance"]
        messages.add(finding.message)
    assert messages == {
        "At the meeting of 2016-08-10 deputy, lead sent a proxy instead of attending in person."
    }


def ref_reporting_depth(scenario):
    """The most reporting lines on a chain up from one role, each role
    counted once (a chain that comes back to a role ends there)."""
    parent = {r.id: r.reports_to for r in scenario.roles}
    longest = 0
    for start in parent:
        seen = [start]
        while parent.get(seen[-1]) is not None and parent[seen[-1]] not in seen:
            seen.append(parent[seen[-1]])
        longest = max(longest, len(seen) - 1)
    return longest


@settings(max_examples=100)
@given(scenarios(), st.randoms(use_true_random=False))
def test_reporting_depth_matches_the_definition_in_any_order(scenario, rnd):
    """The reporting depth is the longest chain, cycles included, whatever
    the order of the roles."""
    roles = list(scenario.roles)
    rnd.shuffle(roles)
    expected = ref_reporting_depth(scenario)
    assert cio_framework.summarize(scenario).reporting_depth == expected
    shuffled = attrs.evolve(scenario, roles=roles)
    assert cio_framework.summarize(shuffled).reporting_depth == expected


@pytest.mark.parametrize(
    "lines",
    [
        [("a", "b"), ("b", "a"), ("c", "a")],
        [("b", "a"), ("a", "b"), ("c", "a")],
        [("b", "c"), ("a", "b"), ("c", "a"), ("d", "a")],
    ],
)
def test_a_reporting_cycle_counts_each_role_once_in_any_order(lines):
    """c -> a -> b (-> a) is two lines and d -> a -> b -> c (-> a) three,
    whichever role comes first."""
    roles = [Role(id=r, title="R", level="support", reports_to=to) for r, to in lines]
    depth = cio_framework.summarize(Scenario(name="Cycle", roles=roles)).reporting_depth
    assert depth == len(lines) - 1
