"""``LandscapeIndex`` against its definition, for every choice of options.

The reference reads the definition in the module docstring of
``cio_framework.graph._index`` and builds the network with networkx: in-use
systems (every system with ``include_inactive``) and platforms are nodes;
a live exchange (any exchange with ``include_planned``) whose ends and
``via`` platform are all nodes joins its ends, and its source to the
platform. Nothing is shared with the index's code.
"""

from __future__ import annotations

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from cio_framework.graph._index import LandscapeIndex
from cio_framework.model import Department, ExchangeStatus, System, SystemStatus
from cio_framework.testing import landscapes, make_scenario


def reference(scenario, planned: bool, inactive: bool):
    """(node ids, joining exchanges in scenario order, the networkx graph)."""
    systems = [s.id for s in scenario.systems if inactive or s.status is SystemStatus.IN_USE]
    nodes = set(systems) | {p.id for p in scenario.platforms}
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    joining = []
    for exchange in scenario.exchanges:
        if not planned and exchange.status is not ExchangeStatus.LIVE:
            continue
        ends = [exchange.from_, exchange.to] + ([exchange.via] if exchange.via else [])
        if not all(end in nodes for end in ends):
            continue
        joining.append(exchange)
        graph.add_edge(exchange.from_, exchange.to)
        if exchange.via:
            graph.add_edge(exchange.from_, exchange.via)
    return systems, joining, graph


def partition_of(labels: dict[str, str]) -> set[frozenset[str]]:
    blocks: dict[str, set[str]] = {}
    for node, label in labels.items():
        blocks.setdefault(label, set()).add(node)
    return {frozenset(b) for b in blocks.values()}


@given(landscapes(max_systems=10), st.booleans(), st.booleans())
def test_index_matches_the_definition(scenario, planned, inactive):
    index = LandscapeIndex(scenario, include_planned=planned, include_inactive=inactive)
    systems, joining, graph = reference(scenario, planned, inactive)
    assert [s.id for s in index.in_use] == systems
    assert index.nodes == set(graph.nodes)
    assert index.live == joining
    assert index.live_from == [e.from_ for e in joining]
    assert index.live_to == [e.to for e in joining]
    assert index.live_via == [e.via for e in joining]
    assert partition_of(index.labels) == {frozenset(c) for c in nx.connected_components(graph)}
    assert list(index.labels) == systems + [p.id for p in scenario.platforms]
    linked = {e.from_ for e in joining} | {e.to for e in joining}
    linked |= {e.via for e in joining if e.via}
    assert index.linked == linked
    components = index.components()
    assert {frozenset(m) for m in components.values()} == partition_of(index.labels)
    assert all(index.label(m) == label for label, ms in components.items() for m in ms)
    department_labels: dict[str, set[str]] = {}
    for system in scenario.systems:
        if system.id in index.nodes:
            department_labels.setdefault(system.department, set()).add(index.label(system.id))
    assert index.department_labels() == department_labels
    assert index.department_labels() is index.department_labels()  # computed once


@given(landscapes(max_systems=10))
def test_legs_are_the_edges_each_exchange_provides(scenario):
    index = LandscapeIndex(scenario)
    legs = index.live_legs()
    assert len(legs) == len(index.live)
    for exchange, provided in zip(index.live, legs, strict=True):
        if exchange.via is None:
            expected = [(exchange.from_, exchange.to)]
        else:
            expected = [(exchange.from_, exchange.via), (exchange.via, exchange.to)]
        assert list(provided) == [(u, v) for u, v in expected if u != v]


def test_department_names_fall_back_to_the_id():
    scenario = make_scenario(
        departments=[Department(id="epb", name="Environmental Protection Bureau")],
        systems=[System(id="s", name="S", department="ghost")],
    )
    index = LandscapeIndex(scenario)
    assert index.department_name("epb") == "Environmental Protection Bureau"
    assert index.department_name("ghost") == "ghost"
