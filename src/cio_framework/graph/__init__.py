"""networkx views of a scenario's information landscape.

The model stays the source of truth: these graphs are derived on demand and
never stored. networkx is imported when a graph is built, not when
cio_framework is imported. The nodes and exchanges are those of
``LandscapeIndex`` (``cio_framework.graph._index``), which the analyses
use too, so a graph and an analysis never disagree on what joins what.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..config import require_valid
from ..model import Exchange, Scenario
from ._index import LandscapeIndex

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["VIEWS", "to_networkx"]

#: The graph views :func:`to_networkx` builds.
VIEWS = ("systems", "departments")


def _exchange_attributes(exchange: Exchange) -> dict[str, Any]:
    return {
        "exchange": exchange.key,
        "resources": list(exchange.resources),
        "via": exchange.via,
        "status": exchange.status.value,
        "mechanism": exchange.mechanism.value,
    }


def to_networkx(
    scenario: Scenario,
    *,
    view: str = "systems",
    include_planned: bool = False,
    include_inactive: bool = False,
) -> nx.MultiDiGraph[str] | nx.Graph[str]:
    """Build a networkx graph of the landscape.

    Parameters
    ----------
    scenario
        The scenario.
    view
        ``"systems"``: a :class:`networkx.MultiDiGraph` whose nodes are
        systems and platforms keyed by id, with their attributes (``kind``
        is ``"system"`` or ``"platform"``), and whose edges are exchanges
        keyed by exchange id (``from->to`` when it has none). An exchange
        ``via`` a platform gives two edges, ``from -> via`` and
        ``via -> to``, both keyed by the exchange.

        ``"departments"``: a :class:`networkx.Graph` of departments, joined
        when an exchange runs between their systems (a platform counts as
        its operator's); the edge attribute ``exchanges`` lists the
        exchanges and ``weight`` counts them.
    include_planned
        Include planned exchanges (live ones only by default).
    include_inactive
        Include planned and retired systems (in-use ones only by default).

    Returns
    -------
    networkx.MultiDiGraph or networkx.Graph

    Raises
    ------
    ValueError
        For an unknown view.

    Notes
    -----
    O(V + E).

    Examples
    --------
    >>> import cio_framework
    >>> g = to_networkx(cio_framework.builtin("pudong-2016"))
    >>> g.nodes["gov-cloud"]["kind"], g.nodes["epb-monitoring"]["department"]
    ('platform', 'epb')
    >>> d = to_networkx(cio_framework.builtin("pudong-2016"), view="departments")
    >>> d.has_edge("msb", "hpc")
    True
    """
    require_valid(scenario)
    import networkx as nx

    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    index = LandscapeIndex(
        scenario, include_planned=include_planned, include_inactive=include_inactive
    )
    systems, exchanges = index.in_use, index.live
    if view == "systems":
        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(name=scenario.name)
        for system in systems:
            graph.add_node(
                system.id,
                kind="system",
                name=system.name,
                department=system.department,
                hosted_on=system.hosted_on,
                status=system.status.value,
                users=system.users,
                annual_cost=system.annual_cost,
            )
        for platform in scenario.platforms:
            graph.add_node(
                platform.id, kind="platform", name=platform.name, operator=platform.operator
            )
        for exchange in exchanges:
            attributes = _exchange_attributes(exchange)
            if exchange.via is None:
                graph.add_edge(exchange.from_, exchange.to, key=exchange.key, **attributes)
            else:
                graph.add_edge(exchange.from_, exchange.via, key=exchange.key, leg=1, **attributes)
                graph.add_edge(exchange.via, exchange.to, key=exchange.key, leg=2, **attributes)
        return graph
    owner = {s.id: s.department for s in systems}
    operator = {p.id: p.operator for p in scenario.platforms}
    departments: nx.Graph[str] = nx.Graph(name=scenario.name)
    for department in scenario.departments:
        departments.add_node(department.id, name=department.name, pilot=department.pilot)
    for exchange in exchanges:
        ends = [exchange.from_, exchange.to]
        owners = {owner.get(e) or operator.get(e) for e in ends}
        owners.discard(None)
        found = sorted(o for o in owners if o is not None)
        for i, a in enumerate(found):
            for b in found[i + 1 :]:
                if departments.has_edge(a, b):
                    departments[a][b]["exchanges"].append(exchange.key)
                    departments[a][b]["weight"] += 1
                else:
                    departments.add_edge(a, b, exchanges=[exchange.key], weight=1)
    return departments
