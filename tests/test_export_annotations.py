"""Graph exports carry the analyses' results as node attributes."""

from __future__ import annotations

import io
import json

import networkx as nx
from hypothesis import given, settings

import cio_framework
import reference
from cio_framework.export import export_graph
from cio_framework.testing import landscapes


def graph_of(scenario, format, view="systems"):
    text = export_graph(scenario, format, view=view)
    if format == "json":
        return nx.node_link_graph(json.loads(text), edges="edges")
    return nx.read_graphml(io.BytesIO(text.encode("utf-8")))


@settings(max_examples=60, deadline=None)
@given(landscapes(max_systems=8))
def test_nodes_carry_group_island_and_evidence_as_the_reference_finds_them(scenario):
    """Every system and platform of a group has that group's id and island
    flag (the reference's islands, written from the definition), and every
    node its own evidence grade."""
    expected = reference.islands(scenario)
    for format in ("json", "graphml"):
        graph = graph_of(scenario, format)
        for group in expected["groups"]:
            for member in group["systems"] + group["platforms"]:
                data = graph.nodes[member]
                assert data["group"] == group["id"]
                assert data["island"] == (not group["connected_to_platform"])
        grouped = {m for g in expected["groups"] for m in g["systems"] + g["platforms"]}
        for node, data in graph.nodes(data=True):
            status = scenario.get(node).evidence_status.value
            if status == "unsourced" and (scenario.source or "").strip():
                status = "sourced"  # the scenario's own source covers it (docs/evidence.rst)
            assert data["evidence"] == status
            if node not in grouped:
                assert "group" not in data


def test_departments_count_their_islands():
    """In the departments view each department counts the island groups
    holding its systems (Pudong: three islands, one of them of two departments)."""
    scenario = cio_framework.builtin("pudong-2016")
    graph = graph_of(scenario, "json", view="departments")
    counts = {}
    for group in cio_framework.islands(scenario).islands:
        for department in group.departments:
            counts[department] = counts.get(department, 0) + 1
    assert {n: d["islands"] for n, d in graph.nodes(data=True) if d["islands"]} == counts
    assert sum(counts.values()) == 4
