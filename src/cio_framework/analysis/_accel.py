"""The optional compiled graph back end: rustworkx (the ``fast`` extra)."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["rustworkx_graph"]


def rustworkx_graph(
    nodes: Sequence[str], pairs: Iterable[tuple[str, str]]
) -> tuple[Any, Any] | None:
    """``(rustworkx, graph)``: an undirected graph whose node ``i`` is
    ``nodes[i]``, with an edge per pair; ``None`` when rustworkx is not installed.

    Examples
    --------
    >>> built = rustworkx_graph(["a", "b"], [("a", "b")])
    >>> built is None or built[1].num_edges() == 1
    True
    """
    try:
        rx: Any = importlib.import_module("rustworkx")
    except ImportError:
        return None
    position = {node: i for i, node in enumerate(nodes)}
    graph = rx.PyGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from_no_data([(position[a], position[b]) for a, b in pairs])
    return rx, graph
