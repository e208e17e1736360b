"""Brokers: the systems and platforms most exchange paths run through.

Betweenness centrality is the one analysis here that is not linear: exact
betweenness costs O(V (V + E)) (Brandes' algorithm), hours on a national
landscape. It is therefore opt-in: :func:`brokers` refuses an exact run
whose work, nodes × (nodes + edges), exceeds that of
``EXACT_LIMIT`` nodes with
``EXACT_DENSITY`` edges each, unless asked with ``exact=True``, and
``sample=K`` estimates it from ``K`` source nodes in O(K (V + E)).
"""

from __future__ import annotations

import math
from typing import Any

import attrs

from .._contracts import document
from .._util import tuple_of
from ..config import require_valid
from ..exceptions import TooLargeError
from ..graph._index import LandscapeIndex
from ..model import Scenario
from ._accel import rustworkx_graph
from ._arguments import check_count
from ._results import Plain, Tabular, records_html

__all__ = [
    "EXACT_DENSITY",
    "EXACT_LIMIT",
    "Broker",
    "BrokerReport",
    "TooLargeError",
    "brokers",
    "exact_limit",
]

#: Largest number of nodes for which :func:`brokers` computes exact
#: betweenness without being asked to, in a network of at most
#: ``EXACT_DENSITY`` edges a node; fewer in a denser one (see
#: ``exact_limit``).
EXACT_LIMIT = 20_000
#: Edges a node at which ``EXACT_LIMIT`` nodes are allowed: the work
#: allowed, nodes × (nodes + edges), is that of EXACT_LIMIT nodes with this
#: many edges each (networkx needs about 18 s for 3,000 nodes and 9,000
#: edges on a 2-core machine, so up to about 40 minutes for the work
#: allowed; rustworkx about 60 times less).
EXACT_DENSITY = 10


@attrs.frozen(kw_only=True)
class Broker(Plain):
    """A system or platform and the share of shortest exchange paths through it."""

    kind: str  # "system" or "platform"
    id: str
    name: str
    department: str | None
    score: float


@attrs.frozen(kw_only=True)
class BrokerReport(Tabular):
    """Nodes by betweenness, highest first; nodes no path runs through are left out."""

    brokers: tuple[Broker, ...] = attrs.field(converter=tuple_of)
    nodes: int
    #: Source nodes sampled, or ``None`` for the exact value.
    sampled: int | None
    #: ``"networkx"`` or ``"rustworkx"``.
    backend: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON document ``brokers``, printed by ``cio-framework brokers --format json``."""
        return document(
            "brokers",
            {
                "nodes": self.nodes,
                "sampled": self.sampled,
                "backend": self.backend,
                "brokers": [b.to_dict() for b in self.brokers],
            },
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One record per broker."""
        return [b.to_dict() for b in self.brokers]

    def _repr_html_(self) -> str:
        return records_html(
            self.to_records(), ["kind", "id", "name", "department", "score"], "No brokers."
        )


def _edges(index: LandscapeIndex) -> set[tuple[str, str]]:
    """The simple undirected edges of the live landscape, each a sorted pair."""
    return {(u, v) if u < v else (v, u) for legs in index.live_legs() for u, v in legs}


def exact_limit(nodes: int, edges: int) -> int:
    """The most nodes :func:`brokers` computes exact betweenness for, unasked,
    in a network with the density of one of ``nodes`` nodes and ``edges``
    edges.

    Brandes' algorithm does work in nodes × (nodes + edges): a network may
    have ``EXACT_LIMIT`` nodes, or as many as keep that work within that
    of EXACT_LIMIT nodes with ``EXACT_DENSITY`` edges each, whichever is
    fewer. A network is refused when it has more nodes than its limit.

    Examples
    --------
    >>> exact_limit(20_000, 100_000), exact_limit(10_000, 500_000)
    (20000, 9288)
    """
    work = EXACT_LIMIT * EXACT_LIMIT * (1 + EXACT_DENSITY)
    if nodes == 0:
        return EXACT_LIMIT
    return min(EXACT_LIMIT, math.isqrt(work * nodes // (nodes + edges)))


def _exact_rustworkx(nodes: list[str], edges: set[tuple[str, str]]) -> dict[str, float] | None:
    built = rustworkx_graph(nodes, sorted(edges))
    if built is None:
        return None
    rx, graph = built
    scores = rx.betweenness_centrality(graph, normalized=True)
    return {nodes[i]: float(scores[i]) for i in range(len(nodes))}


def brokers(
    scenario: Scenario,
    *,
    sample: int | None = None,
    seed: int = 0,
    exact: bool = False,
    top: int | None = None,
) -> BrokerReport:
    """Rank systems and platforms by betweenness on the live exchange network.

    A broker sits on many shortest paths between other systems: if it stops
    exchanging, data between them must take longer routes or none. Scores
    are normalised betweenness centrality, from 0 to 1, on the undirected
    network of live exchanges between in-use systems and platforms.

    Parameters
    ----------
    scenario
        The scenario.
    sample
        Estimate from this many source nodes, chosen with ``seed``: O(K (V + E)).
        ``None`` computes the exact value.
    seed
        Seed of the sample; the same seed gives the same estimate.
    exact
        Compute the exact value even above the limit (see ``exact_limit``).
    top
        Keep only this many brokers.

    Returns
    -------
    BrokerReport
        Brokers with a positive score (rounded to 12 decimal places),
        highest first, ties by id.

    Raises
    ------
    TooLargeError
        Exact betweenness was asked of more nodes than ``exact_limit``
        allows for the network's density without ``exact=True``: of more than
        ``EXACT_LIMIT`` nodes, or of fewer in a
        network with more than ``EXACT_DENSITY`` edges a node.
    TypeError
        ``sample`` or ``top`` is not a whole number (a bool included).
    ValueError
        ``sample`` or ``top`` is below 1.

    Notes
    -----
    Exact: O(V (V + E)) (Brandes), computed by rustworkx when it is installed (the
    ``fast`` extra, about 60 times faster than networkx and multi-threaded),
    by networkx otherwise. Sampled: networkx's estimator, O(K (V + E)).

    Examples
    --------
    >>> from cio_framework.model import Exchange, System
    >>> from cio_framework.testing import make_scenario
    >>> s = make_scenario(
    ...     systems=[System(id=x, name=x.upper(), department="epb") for x in "abc"],
    ...     exchanges=[Exchange(from_="a", to="b"), Exchange(from_="b", to="c")],
    ... )
    >>> [(b.id, b.score) for b in brokers(s).brokers]
    [('b', 1.0)]
    """
    require_valid(scenario)
    check_count("sample", sample)
    check_count("top", top)
    if sample is not None and sample < 1:
        raise ValueError(f"sample must be at least 1, not {sample}")
    if top is not None and top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    index = LandscapeIndex(scenario)
    nodes = [s.id for s in index.in_use] + list(index.platforms)
    edges = _edges(index)
    limit = exact_limit(len(nodes), len(edges))
    if sample is None and len(nodes) > limit and not exact:
        raise TooLargeError(nodes=len(nodes), limit=limit)
    scores: dict[str, float] | None = None
    backend = "networkx"
    if sample is None or sample >= len(nodes):
        scores = _exact_rustworkx(nodes, edges)
        if scores is not None:
            backend = "rustworkx"
    if scores is None:
        import networkx as nx

        graph: nx.Graph[str] = nx.Graph()
        graph.add_nodes_from(nodes)
        graph.add_edges_from(sorted(edges))
        k = None if sample is None or sample >= len(nodes) else sample
        scores = nx.betweenness_centrality(graph, k=k, seed=seed, normalized=True)
    sampled = sample if sample is not None and sample < len(nodes) else None
    found = []
    for node in nodes:
        # rounded: rustworkx sums in parallel, so equal scores may differ in
        # the last bits from run to run; rounding keeps ties (ordered by id) stable
        score = round(scores[node], 12)
        if score <= 0:
            continue
        system = index.systems.get(node)
        owner: str | None
        if system is not None:
            kind, name, owner = "system", system.name, system.department
        else:
            platform = index.platforms[node]
            kind, name, owner = "platform", platform.name, platform.operator
        found.append(Broker(kind=kind, id=node, name=name, department=owner, score=score))
    found.sort(key=lambda b: (-b.score, b.id))
    if top is not None:
        found = found[:top]
    return BrokerReport(brokers=found, nodes=len(nodes), sampled=sampled, backend=backend)
