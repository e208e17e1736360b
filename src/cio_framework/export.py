"""Export the landscape graphs for Gephi, yEd, Graphviz or JavaScript tools."""

from __future__ import annotations

import json
from typing import Any

from .graph import to_networkx
from .model import Scenario

__all__ = ["EXPORT_FORMATS", "export_graph"]

#: Formats :func:`export_graph` writes.
EXPORT_FORMATS = ("graphml", "gexf", "json", "dot")


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value


def _sanitised(graph: Any) -> Any:
    """A copy whose attributes GraphML and GEXF accept: no None, no lists."""
    copy = graph.copy()
    for _, data in copy.nodes(data=True):
        for key in [k for k, v in data.items() if v is None]:
            del data[key]
        data.update({k: _flat(v) for k, v in data.items()})
    edges = copy.edges(keys=True, data=True) if copy.is_multigraph() else copy.edges(data=True)
    for *_, data in edges:
        for key in [k for k, v in data.items() if v is None]:
            del data[key]
        data.update({k: _flat(v) for k, v in data.items()})
    return copy


def _quote(text: object) -> str:
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _dot(graph: Any) -> str:
    directed = graph.is_directed()
    arrow = "->" if directed else "--"
    lines = [f"{'digraph' if directed else 'graph'} {_quote(graph.graph.get('name', 'cio'))} {{"]
    for node, data in graph.nodes(data=True):
        shape = "box" if data.get("kind") == "platform" else "ellipse"
        lines.append(f"  {_quote(node)} [label={_quote(data.get('name', node))}, shape={shape}];")
    edges = graph.edges(keys=True, data=True) if graph.is_multigraph() else graph.edges(data=True)
    for edge in edges:
        a, b, data = edge[0], edge[1], edge[-1]
        label = data.get("exchange") or ", ".join(data.get("exchanges", []))
        style = ", style=dashed" if data.get("status") == "planned" else ""
        lines.append(f"  {_quote(a)} {arrow} {_quote(b)} [label={_quote(label)}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


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
        For an unknown format or view.

    Notes
    -----
    GraphML and GEXF accept no missing or list values: missing attributes
    are left out and lists are joined with commas.

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
    if format == "json":
        data = nx.node_link_data(graph, edges="edges")
        return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    if format == "dot":
        return _dot(graph)
    clean = _sanitised(graph)
    if format == "graphml":
        return "\n".join(nx.generate_graphml(clean)) + "\n"
    return "\n".join(nx.generate_gexf(clean)) + "\n"
