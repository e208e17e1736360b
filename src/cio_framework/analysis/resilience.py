"""Single points of failure in the live exchange network."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import attrs

from .._util import tuple_of
from ..config import require_valid
from ..graph._index import LandscapeIndex
from ..model import Scenario
from ._accel import rustworkx_graph
from ._results import Plain, Tabular, records_html

__all__ = ["SinglePoint", "SinglePointReport", "single_points_of_failure"]


@attrs.frozen(kw_only=True)
class SinglePoint(Plain):
    """A system, platform or exchange whose loss would split its group."""

    kind: str  # "system", "platform" or "exchange"
    id: str
    parts: int
    explanation: str


@attrs.frozen(kw_only=True)
class SinglePointReport(Tabular):
    """Nodes and exchanges whose loss splits a group."""

    points: tuple[SinglePoint, ...] = attrs.field(converter=tuple_of)

    @property
    def nodes(self) -> tuple[SinglePoint, ...]:
        """Systems and platforms that are single points of failure."""
        return tuple(p for p in self.points if p.kind != "exchange")

    @property
    def exchanges(self) -> tuple[SinglePoint, ...]:
        """Exchanges that are single points of failure."""
        return tuple(p for p in self.points if p.kind == "exchange")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"single_points_of_failure": [p.to_dict() for p in self.points]}

    def to_records(self) -> list[dict[str, Any]]:
        """One record per single point of failure."""
        return [p.to_dict() for p in self.points]

    def _repr_html_(self) -> str:
        return records_html(self.to_records(), ["kind", "id", "parts", "explanation"], "None.")


def _blocks_and_bridges(
    nodes: set[str], edges: set[frozenset[str]]
) -> tuple[list[set[str]], set[frozenset[str]]]:
    """Biconnected components (as node sets) and bridges of a simple graph.

    Uses rustworkx when it is installed (the ``fast`` extra; 50 to 120 times
    faster on these two passes), networkx otherwise. Both give the same sets.
    """
    pairs: list[tuple[str, str]] = [(a, b) for a, b in (sorted(edge) for edge in edges)]
    order = sorted(nodes)
    built = rustworkx_graph(order, pairs)
    if built is not None:
        rx, graph = built
        blocks: dict[int, set[str]] = {}
        for (u, v), block in rx.biconnected_components(graph).items():
            blocks.setdefault(block, set()).update((order[u], order[v]))
        bridges = {frozenset((order[u], order[v])) for u, v in rx.bridges(graph)}
        return list(blocks.values()), bridges
    import networkx as nx

    simple: nx.Graph[str] = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from(pairs)
    found = [set(cast("Iterable[str]", block)) for block in nx.biconnected_components(simple)]
    return found, {frozenset(edge) for edge in nx.bridges(simple)}


def single_points_of_failure(scenario: Scenario) -> SinglePointReport:
    """Find the systems, platforms and exchanges whose loss would split a group.

    A node is one when it is an articulation point of the live network; an
    exchange is one when an edge it alone provides is a bridge (parallel
    exchanges between the same two nodes back each other up). An exchange
    via a platform provides the two edges from its ends to the platform.

    Parameters
    ----------
    scenario
        The scenario.

    Returns
    -------
    SinglePointReport
        Systems, then platforms, then exchanges, each sorted by id (an
        exchange's :attr:`~cio_framework.model.Exchange.key`).

    Notes
    -----
    O((V + E) log V): biconnected components and bridges are linear
    depth-first searches (rustworkx when installed, networkx otherwise);
    the points found are sorted.

    Examples
    --------
    >>> from cio_framework.model import Exchange, System
    >>> from cio_framework.testing import make_scenario
    >>> s = make_scenario(
    ...     systems=[System(id=x, name=x.upper(), department="epb") for x in "abc"],
    ...     exchanges=[Exchange(from_="a", to="b"), Exchange(from_="b", to="c")],
    ... )
    >>> [(p.kind, p.id) for p in single_points_of_failure(s).points]
    [('system', 'b'), ('exchange', 'a->b'), ('exchange', 'b->c')]
    """
    require_valid(scenario)
    index = LandscapeIndex(scenario)
    edges: set[frozenset[str]] = set()
    providers: dict[frozenset[str], int] = {}  # how many exchanges provide each edge
    legs: list[list[frozenset[str]]] = []
    for pairs in index.live_legs():
        own = []
        for a, b in pairs:
            edge = frozenset((a, b))
            edges.add(edge)
            if edge not in own:
                own.append(edge)
                providers[edge] = providers.get(edge, 0) + 1
        legs.append(own)
    points = []
    # Removing a cut node leaves as many parts as there are blocks
    # (biconnected components) containing it: one linear pass for all nodes.
    blocks_of, bridges = _blocks_and_bridges(index.nodes, edges)
    blocks: dict[str, int] = {}
    for block in blocks_of:
        for member in block:
            blocks[member] = blocks.get(member, 0) + 1
    cut = {node for node, count in blocks.items() if count > 1}
    names = {
        **{s.id: s.name for s in scenario.systems},
        **{p.id: p.name for p in scenario.platforms},
    }
    in_use = sorted(s.id for s in index.in_use if s.id in cut)
    for node in in_use + sorted(node for node in index.platforms if node in cut):
        parts = blocks[node]
        kind = "system" if node in index.systems else "platform"
        points.append(
            SinglePoint(
                kind=kind,
                id=node,
                parts=parts,
                explanation=f"Losing {names[node]} would split its group into {parts} parts.",
            )
        )
    alone = {
        exchange.key
        for exchange, own in zip(index.live, legs, strict=True)
        if any(edge in bridges and providers[edge] == 1 for edge in own)
    }
    points.extend(
        SinglePoint(
            kind="exchange",
            id=key,
            parts=2,
            explanation=f"The exchange {key} is the only link between two parts of its group.",
        )
        for key in sorted(alone)
    )
    return SinglePointReport(points=points)
