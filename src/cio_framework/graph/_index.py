"""Linear-time index of a scenario's information landscape.

Definition
----------
The *landscape network* has a node for every in-use system and every
platform. A live exchange whose two ends, and its ``via`` platform when it
has one, are all nodes joins its ends, and joins its source to the
platform it runs through; an exchange that touches a planned or retired
system joins nothing. Direction is ignored. The *components* of this
network are the groups the analyses talk about.

:class:`LandscapeIndex` computes, once, what every landscape analysis and
:func:`~cio_framework.graph.to_networkx` start from: the nodes, the
exchanges that join them and the component of every node.

Complexity
----------
O((V + E) α(V)) with a union-find (path halving, union by size).

Examples
--------
>>> from cio_framework.model import Exchange, Platform, System
>>> from cio_framework.testing import make_scenario
>>> s = make_scenario(
...     platforms=[Platform(id="cloud", name="Cloud")],
...     systems=[System(id="a", name="A", department="epb"),
...              System(id="b", name="B", department="epb")],
...     exchanges=[Exchange(from_="a", to="cloud")],
... )
>>> index = LandscapeIndex(s)
>>> index.label("a") == index.label("cloud"), index.label("b") == index.label("a")
(True, False)
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable

from ..model import Exchange, ExchangeStatus, Scenario, System

__all__ = ["LandscapeIndex", "UnionFind"]

_ROW = operator.attrgetter("status", "from_", "to", "via")
_SECOND = operator.itemgetter(1)
_THIRD = operator.itemgetter(2)
_FOURTH = operator.itemgetter(3)


class UnionFind:
    """Disjoint sets over hashable items, with path halving and union by size.

    Examples
    --------
    >>> uf = UnionFind(["a", "b", "c"])
    >>> uf.union("a", "b")
    True
    >>> uf.find("a") == uf.find("b"), uf.find("a") == uf.find("c")
    (True, False)
    >>> uf.union("b", "a")
    False
    >>> uf.union_all([("b", "c")])
    >>> uf.find("c") == uf.find("a")
    True

    Notes
    -----
    Near-constant amortised time per operation (inverse Ackermann).
    """

    __slots__ = ("_parent", "_size")

    def __init__(self, items: Iterable[str] = ()) -> None:
        self._parent: dict[str, str] = {item: item for item in items}
        self._size: dict[str, int] = dict.fromkeys(self._parent, 1)

    def add(self, item: str) -> None:
        """Add ``item`` as a set of its own (no-op when present)."""
        if item not in self._parent:
            self._parent[item] = item
            self._size[item] = 1

    def __contains__(self, item: object) -> bool:
        return item in self._parent

    def find(self, item: str) -> str:
        """The representative of ``item``'s set."""
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: str, b: str) -> bool:
        """Merge the sets of ``a`` and ``b``; ``True`` when they were apart."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self._size[ra] < self._size[rb]:
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._size[ra] += self._size[rb]
        return True

    def union_all(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Merge the sets of every pair: :meth:`union` in one loop, with
        :meth:`find` written out (the hot loop of a national catalogue)."""
        parent, size = self._parent, self._size
        for a, b in pairs:
            while (up := parent[a]) != a:
                parent[a] = a = parent[up]
            while (up := parent[b]) != b:
                parent[b] = b = parent[up]
            if a != b:
                if size[a] < size[b]:
                    a, b = b, a
                parent[b] = a
                size[a] += size[b]

    def labels(self) -> dict[str, str]:
        """Every item's representative, in the order the items were added."""
        find = self.find
        return {item: find(item) for item in self._parent}


class LandscapeIndex:
    """Nodes, joining exchanges and component labels of a landscape.

    Parameters
    ----------
    scenario
        The scenario.
    include_planned
        Let planned exchanges join too (live ones only by default).
    include_inactive
        Make planned and retired systems nodes too (in-use ones only by
        default).

    Notes
    -----
    Built in O((V + E) α(V)) time.
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        include_planned: bool = False,
        include_inactive: bool = False,
    ) -> None:
        self.departments = {d.id: d for d in scenario.departments}
        self.systems: dict[str, System] = {s.id: s for s in scenario.systems}
        self.platforms = {p.id: p for p in scenario.platforms}
        self.resources = {r.id: r for r in scenario.resources}
        #: The systems that are nodes, in scenario order.
        self.in_use = [s for s in scenario.systems if include_inactive or s.in_use]
        self.nodes: set[str] = {s.id for s in self.in_use} | set(self.platforms)
        self.uf = UnionFind(itertools.chain((s.id for s in self.in_use), self.platforms))
        self._select(scenario.exchanges, None if include_planned else ExchangeStatus.LIVE)
        froms, tos, vias = self.live_from, self.live_to, self.live_via
        # an exchange through a platform joins its source to the platform too
        through = [(a, via) for a, via in zip(froms, vias, strict=True) if via is not None]
        self.uf.union_all(itertools.chain(zip(froms, tos, strict=True), through))
        #: Nodes some joining exchange touches (an end, or the platform it runs through).
        self.linked: set[str] = set(froms)
        self.linked.update(tos)
        self.linked.update(via for _, via in through)
        #: Component label of every node (nodes in scenario order, then platforms).
        self.labels: dict[str, str] = self.uf.labels()
        self._department_labels: dict[str, set[str]] | None = None
        self._components: dict[str, list[str]] | None = None

    def _select(self, exchanges: tuple[Exchange, ...], status: ExchangeStatus | None) -> None:
        """Keep the exchanges that join nodes (of ``status``, any when ``None``)."""
        nodes = self.nodes
        # one C-level pass reads what is needed of every exchange; the rest
        # works on those rows (a million exchanges do not fit in a cache)
        rows = list(map(_ROW, exchanges))
        keep = [
            (status is None or state is status)
            and a in nodes
            and b in nodes
            and (via is None or via in nodes)
            for state, a, b, via in rows
        ]
        if all(keep):
            live, kept = list(exchanges), rows
        else:
            live = list(itertools.compress(exchanges, keep))
            kept = list(itertools.compress(rows, keep))
        #: The exchanges that join nodes (live ones by default), in scenario order.
        self.live: list[Exchange] = live
        #: The ends and platform of each exchange in :attr:`live`, parallel to it.
        self.live_from: list[str] = list(map(_SECOND, kept))
        self.live_to: list[str] = list(map(_THIRD, kept))
        self.live_via: list[str | None] = list(map(_FOURTH, kept))

    def live_legs(self) -> list[tuple[tuple[str, str], ...]]:
        """The edges each live exchange provides, parallel to :attr:`live`:
        ``((from, to),)``, or ``((from, via), (via, to))`` through a platform;
        a leg from a node to itself is left out."""
        return [
            tuple((u, v) for u, v in (((a, b),) if via is None else ((a, via), (via, b))) if u != v)
            for a, b, via in zip(self.live_from, self.live_to, self.live_via, strict=True)
        ]

    def department_name(self, department: str) -> str:
        """A department's name, or its id when the scenario does not declare it."""
        found = self.departments.get(department)
        return found.name if found is not None else department

    def label(self, node: str) -> str:
        """The component label of a node."""
        return self.labels[node]

    def components(self) -> dict[str, list[str]]:
        """Component label to its nodes, systems in scenario order then platforms
        (computed once: the analyses sharing this index read it, none changes it).

        Labels are internal: they depend on the order exchanges are read in,
        so nothing a user sees may be named after them.
        """
        if self._components is None:
            groups: dict[str, list[str]] = {}
            for node, label in self.labels.items():
                groups.setdefault(label, []).append(node)
            self._components = groups
        return self._components

    def department_labels(self) -> dict[str, set[str]]:
        """Department id to the labels of the components its in-use systems are in
        (computed once)."""
        if self._department_labels is None:
            labels = self.labels
            result: dict[str, set[str]] = {}
            for system in self.in_use:
                result.setdefault(system.department, set()).add(labels[system.id])
            self._department_labels = result
        return self._department_labels
