"""Export the landscape graphs for Gephi, yEd, Graphviz or JavaScript tools.

Each node carries the analyses' results beside its own attributes, so that
a graph tool can colour by them:

``evidence``
    the grade of the element itself: ``sourced``, ``inferred``,
    ``unsourced`` or ``illustrative`` (see :doc:`/evidence`);
``group``, ``island`` (systems view)
    the stable id of the group of connected systems the node is in, and
    whether that group is an information island
    (:func:`~cio_framework.islands`); a node in no group (a system not in
    use, a platform no system reaches) has neither;
``islands`` (departments view)
    how many island groups hold the department's systems.

Cost: linear in the landscape (one :func:`~cio_framework.islands` run).
"""

from __future__ import annotations

import json
from typing import Any

from ._contracts import document
from ._escape import dot_id, dot_label, json_safe, xml_text
from .analysis import islands
from .analysis.evidence import EvidenceIndex
from .graph import to_networkx
from .model import Scenario

__all__ = ["EXPORT_FORMATS", "export_graph"]

#: Formats :func:`export_graph` writes.
EXPORT_FORMATS = ("graphml", "gexf", "json", "dot")


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    return xml_text(value) if isinstance(value, str) else value


def _clean(data: dict[str, Any]) -> None:
    for key in [k for k, v in data.items() if v is None]:
        del data[key]
    data.update({k: _flat(v) for k, v in data.items()})


def _sanitised(graph: Any) -> Any:
    """A copy that GraphML and GEXF accept: no None, no lists, and every
    text (ids included) as XML allows it (:func:`~cio_framework._escape.xml_text`)."""
    import networkx as nx

    mapping = {node: xml_text(node) for node in graph if xml_text(node) != node}
    if len(set(mapping.values()) | (set(graph) - set(mapping))) < len(graph):
        raise ValueError("two ids are the same once their control characters are escaped")
    copy = nx.relabel_nodes(graph, mapping, copy=True) if mapping else graph.copy()
    _clean(copy.graph)
    for _, data in copy.nodes(data=True):
        _clean(data)
    edges = copy.edges(keys=True, data=True) if copy.is_multigraph() else copy.edges(data=True)
    for *_, data in edges:
        _clean(data)
    return copy


def _dot(graph: Any) -> str:
    directed = graph.is_directed()
    arrow = "->" if directed else "--"
    lines = [f"{'digraph' if directed else 'graph'} {dot_id(graph.graph.get('name', 'cio'))} {{"]
    for node, data in graph.nodes(data=True):
        shape = "box" if data.get("kind") == "platform" else "ellipse"
        lines.append(
            f"  {dot_id(node)} [label={dot_label(data.get('name', node))}, shape={shape}];"
        )
    edges = graph.edges(keys=True, data=True) if graph.is_multigraph() else graph.edges(data=True)
    for edge in edges:
        a, b, data = edge[0], edge[1], edge[-1]
        label = data.get("exchange") or ", ".join(data.get("exchanges", []))
        style = ", style=dashed" if data.get("status") == "planned" else ""
        lines.append(f"  {dot_id(a)} {arrow} {dot_id(b)} [label={dot_label(label)}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _annotate(graph: Any, scenario: Scenario, view: str) -> None:
    """Add the analyses' results to the nodes of ``graph`` (see the module's notes)."""
    grades = EvidenceIndex(scenario)
    for node, data in graph.nodes(data=True):
        found = grades.of_id(node)
        if found is not None:
            data["evidence"] = found[1].value
    report = islands(scenario)
    if view == "departments":
        counts: dict[str, int] = {}
        for group in report.islands:
            for department in group.departments:
                counts[department] = counts.get(department, 0) + 1
        for node, data in graph.nodes(data=True):
            data["islands"] = counts.get(node, 0)
        return
    for group in report.groups:
        for member in (*group.systems, *group.platforms):
            if member in graph:
                graph.nodes[member]["group"] = group.id
                graph.nodes[member]["island"] = group.is_island


def export_graph(
    scenario: Scenario,
    format: str = "graphml",
    *,
    view: str = "systems",
    include_planned: bool = True,
) -> str:
    """Write a landscape graph as text.

    Parameters
    ----------
    scenario
        The scenario.
    format
        ``"graphml"`` (opens in Gephi and yEd), ``"gexf"`` (Gephi), ``"json"``
        (networkx node-link data) or ``"dot"`` (Graphviz).
    view
        ``"systems"`` or ``"departments"``, as for :func:`~cio_framework.to_networkx`.
    include_planned
        Include planned exchanges (drawn dashed in DOT); on by default so the
        export shows the whole picture.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        For an unknown format or view; for GraphML and GEXF, when two ids
        would be the same once written (one holds a bidi override, the
        other its escape spelled out: ``x\\u202e`` and ``x\\\\u202e``).

    Notes
    -----
    GraphML and GEXF accept no missing or list values: missing attributes
    are left out and lists are joined with commas. XML cannot hold most
    control characters at all: in ids and texts, those and the bidi
    overrides are written as escapes (``\\x1b``, ``\\u202e``), so that the
    file always parses. In DOT, ids are written as they are (a backslash
    once: ``"a\\b"``) and labels so that Graphviz shows them as they are;
    JSON keeps every text exactly.

    Examples
    --------
    >>> import cio_framework
    >>> text = export_graph(cio_framework.builtin("pudong-2016"), "dot")
    >>> text.splitlines()[0]
    'digraph "Pudong New Area government CIO pilot (2016)" {'
    """
    import networkx as nx

    if format not in EXPORT_FORMATS:
        raise ValueError(
            f"unknown export format {format!r}; choose one of {', '.join(EXPORT_FORMATS)}"
        )
    graph = to_networkx(scenario, view=view, include_planned=include_planned)
    _annotate(graph, scenario, view)
    if format == "json":
        data = document("graph", nx.node_link_data(graph, edges="edges"))
        return json_safe(json.dumps(data, ensure_ascii=False, indent=2, default=str)) + "\n"
    if format == "dot":
        return _dot(graph)
    clean = _sanitised(graph)
    if format == "graphml":
        return "\n".join(nx.generate_graphml(clean)) + "\n"
    return "\n".join(nx.generate_gexf(clean)) + "\n"
