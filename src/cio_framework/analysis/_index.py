"""Shared, linear-time indexing of a scenario's information landscape.

Every landscape analysis starts from the same facts: which systems are in
use, which live exchanges connect what, and the resulting component labels.
:class:`LandscapeIndex` computes them once with a union-find.
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

    Notes
    -----
    Near-constant amortised time per operation (inverse Ackermann). The hot
    loop of :class:`LandscapeIndex` inlines the same two steps.
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


class LandscapeIndex:
    """Component labels of the live landscape and lookups the analyses share.

    Nodes are in-use systems and all platforms. A live exchange connects its
    two ends, and its ``via`` platform, when all of them are nodes; exchanges
    touching a planned or retired system connect nothing.

    Notes
    -----
    Built in O((V + E) α(V)) time with a union-find.
    """

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.departments = {d.id: d for d in scenario.departments}
        self.systems: dict[str, System] = {s.id: s for s in scenario.systems}
        self.platforms = {p.id: p for p in scenario.platforms}
        self.resources = {r.id: r for r in scenario.resources}
        self.in_use = [s for s in scenario.systems if s.in_use]
        self.nodes: set[str] = {s.id for s in self.in_use} | set(self.platforms)
        self.uf = UnionFind(itertools.chain((s.id for s in self.in_use), self.platforms))
        parent, size = self.uf._parent, self.uf._size
        nodes, live_status = self.nodes, ExchangeStatus.LIVE
        # one C-level pass reads what is needed of every exchange; the rest
        # works on those rows (a million exchanges do not fit in a cache)
        exchanges = scenario.exchanges
        rows = list(map(_ROW, exchanges))
        keep = [
            status is live_status and a in nodes and b in nodes and (via is None or via in nodes)
            for status, a, b, via in rows
        ]
        if all(keep):
            live, kept = list(exchanges), rows
        else:
            live = list(itertools.compress(exchanges, keep))
            kept = list(itertools.compress(rows, keep))
        #: Live exchanges whose ends (and platform) are all nodes.
        self.live: list[Exchange] = live
        #: The ends and platform of each live exchange, parallel to :attr:`live`.
        self.live_from: list[str] = list(map(_SECOND, kept))
        self.live_to: list[str] = list(map(_THIRD, kept))
        self.live_via: list[str | None] = list(map(_FOURTH, kept))
        del rows, kept
        froms, tos, vias = self.live_from, self.live_to, self.live_via
        # an exchange through a platform joins its source to the platform too
        through = [(a, via) for a, via in zip(froms, vias, strict=True) if via is not None]
        for a, b in itertools.chain(zip(froms, tos, strict=True), through):
            # union-find inlined for the hot loop: path halving, union by size
            while (up := parent[a]) != a:
                parent[a] = a = parent[up]
            while (up := parent[b]) != b:
                parent[b] = b = parent[up]
            if a != b:
                if size[a] < size[b]:
                    a, b = b, a
                parent[b] = a
                size[a] += size[b]
        #: Nodes some live exchange touches (an end, or the platform it runs through).
        self.linked: set[str] = set(froms)
        self.linked.update(tos)
        self.linked.update(via for _, via in through)
        find = self.uf.find
        #: Component label of every node (in-use systems, then platforms).
        self.labels: dict[str, str] = {node: find(node) for node in parent}
        self._department_labels: dict[str, set[str]] | None = None

    def live_legs(self) -> list[tuple[tuple[str, str], ...]]:
        """The edges each live exchange provides, parallel to :attr:`live`:
        ``((from, to),)``, or ``((from, via), (via, to))`` through a platform;
        a leg from a node to itself is left out."""
        return [
            tuple((u, v) for u, v in (((a, b),) if via is None else ((a, via), (via, b))) if u != v)
            for a, b, via in zip(self.live_from, self.live_to, self.live_via, strict=True)
        ]

    def label(self, node: str) -> str:
        """The component label of an in-use system or a platform."""
        return self.labels[node]

    def components(self) -> dict[str, list[str]]:
        """Component label to its nodes, systems in scenario order then platforms."""
        groups: dict[str, list[str]] = {}
        for node, label in self.labels.items():
            groups.setdefault(label, []).append(node)
        return groups

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

    def platform_labels(self) -> set[str]:
        """Labels of the components that hold a platform."""
        return {self.labels[p] for p in self.platforms}
