"""The tree of a scenario's jurisdictions, and where each element belongs.

Definition
----------
Each jurisdiction names its ``parent``; the jurisdictions form a forest.
A jurisdiction on a parent cycle (which the check ``jurisdiction-cycle``
reports) is taken as a top of its own, so the forest is always well
defined. An element belongs to:

- a department, body, level or jurisdiction: its own ``jurisdiction``
  (a jurisdiction: itself);
- a role: its ``jurisdiction``, else its department's;
- a platform: its ``jurisdiction``, else its operator's;
- a system: its department's; a resource: its owner's;

and to the *scenario level* (``None``) when that gives none. The scenario
level lies above every jurisdiction: the *lowest common jurisdiction* of
several is the deepest one that holds them all, ``None`` when one of them
is at the scenario level or they lie in different trees.

A platform *serves* a jurisdiction when it belongs to it or to one above it
(a scenario-level platform serves all). The *hub* of a jurisdiction is its
own ``hub``, else its parent's, up the tree.

Complexity
----------
Building: O(J log J + n) for J jurisdictions and n elements. Ancestry and
the lowest common jurisdiction of two: O(1) and O(log J) (an Euler tour and
binary lifting), so a deep chain of jurisdictions costs no more per query
than a flat one.

Examples
--------
>>> from cio_framework.model import Department, Jurisdiction, Scenario
>>> s = Scenario(name="P", jurisdictions=[
...     Jurisdiction(id="prov", name="Province"),
...     Jurisdiction(id="city-a", name="City A", parent="prov"),
...     Jurisdiction(id="city-b", name="City B", parent="prov")],
...     departments=[Department(id="a-data", name="A data bureau", jurisdiction="city-a"),
...                  Department(id="b-data", name="B data bureau", jurisdiction="city-b")])
>>> tree = JurisdictionTree(s)
>>> tree.of("a-data"), tree.common(["city-a", "city-b"]), tree.common(["city-a", None])
('city-a', 'prov', None)
>>> tree.path("city-b")
('city-b', 'prov')
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Scenario

__all__ = ["JurisdictionTree"]


class JurisdictionTree:
    """The jurisdictions of a scenario as a forest, with each element's place.

    Parameters
    ----------
    scenario
        The scenario. Its references are taken as valid.
    """

    def __init__(self, scenario: Scenario) -> None:
        listed = {j.id: j for j in scenario.jurisdictions}
        #: Jurisdiction id to its parent's id, ``None`` for a top.
        self.parent: dict[str, str | None] = _acyclic(
            {j: (item.parent if item.parent in listed else None) for j, item in listed.items()}
        )
        self.names = {j: item.name for j, item in listed.items()}
        self._euler()
        self._lift()
        hubs: dict[str, str | None] = {}
        for j in self._order:
            own = listed[j].hub
            up = self.parent[j]
            hubs[j] = own if own is not None else (hubs[up] if up is not None else None)
        self._hub = hubs
        self._place = self._places(scenario)

    def _places(self, scenario: Scenario) -> dict[str, str | None]:
        place: dict[str, str | None] = {j: j for j in self.parent}
        for level in scenario.levels:
            place[level.id] = level.jurisdiction
        for department in scenario.departments:
            place[department.id] = department.jurisdiction
        for body in scenario.bodies:
            place[body.id] = body.jurisdiction
        for role in scenario.roles:
            own = role.jurisdiction
            if own is None and role.department is not None:
                own = place.get(role.department)
            place[role.id] = own
        for platform in scenario.platforms:
            own = platform.jurisdiction
            if own is None and platform.operator is not None:
                own = place.get(platform.operator)
            place[platform.id] = own
        for system in scenario.systems:
            place[system.id] = place.get(system.department)
        for resource in scenario.resources:
            place[resource.id] = place.get(resource.owner)
        return place

    def _euler(self) -> None:
        """Entry and exit times of a depth-first walk, children by id."""
        children: dict[str | None, list[str]] = {}
        for j in sorted(self.parent):
            children.setdefault(self.parent[j], []).append(j)
        self._children = children
        self._in: dict[str, int] = {}
        self._out: dict[str, int] = {}
        self.depth: dict[str, int] = {}
        order: list[str] = []
        clock = 0
        for top in children.get(None, []):
            stack: list[tuple[str, bool]] = [(top, False)]
            while stack:
                j, done = stack.pop()
                if done:
                    self._out[j] = clock
                    clock += 1
                    continue
                self._in[j] = clock
                clock += 1
                up = self.parent[j]
                self.depth[j] = 0 if up is None else self.depth[up] + 1
                order.append(j)
                stack.append((j, True))
                stack.extend((child, False) for child in reversed(children.get(j, [])))
        #: Jurisdictions top down (each after its parent), children by id.
        self._order = order

    def _lift(self) -> None:
        """``self._up[k][j]``: the ancestor 2**k steps above ``j`` (or the top)."""
        first = {j: (up if up is not None else j) for j, up in self.parent.items()}
        table = [first]
        height = max(self.depth.values(), default=0)
        while (1 << len(table)) <= height:
            last = table[-1]
            table.append({j: last[last[j]] for j in last})
        self._up = table

    @property
    def jurisdictions(self) -> tuple[str, ...]:
        """Every jurisdiction id, top down, children by id."""
        return tuple(self._order)

    def children(self, jurisdiction: str | None) -> tuple[str, ...]:
        """The jurisdictions directly below one (below the scenario level: the tops)."""
        return tuple(self._children.get(jurisdiction, []))

    def of(self, id: str) -> str | None:
        """The jurisdiction an element belongs to; ``None`` for the scenario
        level and for ids that belong nowhere (people, exchanges ...)."""
        return self._place.get(id)

    def knows(self, id: str) -> bool:
        """Whether ``id`` is an element this tree places (at a jurisdiction
        or at the scenario level)."""
        return id in self._place

    def placed(self, ids: Iterable[str]) -> str | None:
        """The lowest common jurisdiction of the elements among ``ids`` that
        belong somewhere (ids of people, exchanges ... are passed over);
        ``None`` when none does."""
        if not self.parent:
            return None  # no jurisdictions: everything is at the scenario level
        place = self._place
        return self.common(place[i] for i in ids if i in place)

    def hub(self, jurisdiction: str | None) -> str | None:
        """The hub of a jurisdiction: its own, else the nearest above it."""
        return None if jurisdiction is None else self._hub.get(jurisdiction)

    def is_within(self, inner: str | None, outer: str | None) -> bool:
        """Whether ``inner`` is ``outer`` or lies below it; everything is
        within the scenario level (``outer=None``)."""
        if outer is None:
            return True
        if inner is None:
            return False
        return self._in[outer] <= self._in[inner] and self._out[inner] <= self._out[outer]

    def path(self, jurisdiction: str) -> tuple[str, ...]:
        """The jurisdiction, its parent, and so on up to its top."""
        found = [jurisdiction]
        while (up := self.parent[found[-1]]) is not None:
            found.append(up)
        return tuple(found)

    def common(self, jurisdictions: Iterable[str | None]) -> str | None:
        """The lowest common jurisdiction, ``None`` when there is none (or
        when nothing is given)."""
        result: str | None = None
        first = True
        for j in jurisdictions:
            if j is None:
                return None
            if first:
                result, first = j, False
                continue
            assert result is not None
            result = self._pair(result, j)
            if result is None:
                return None
        return result

    def _pair(self, a: str, b: str) -> str | None:
        if self.is_within(a, b):
            return b
        if self.is_within(b, a):
            return a
        for level in reversed(self._up):
            up = level[a]
            if not self.is_within(b, up):
                a = up
        top = self._up[0][a]
        return top if self.is_within(b, top) else None


def _acyclic(parent: dict[str, str | None]) -> dict[str, str | None]:
    """``parent`` with each jurisdiction on a cycle made a top."""
    state: dict[str, int] = {}  # 1 on the current walk, 2 done
    result = dict(parent)
    for start in sorted(parent):
        walk = []
        current: str | None = start
        while current is not None and not state.get(current):
            state[current] = 1
            walk.append(current)
            current = parent[current]
        if current is not None and state[current] == 1:
            for j in walk[walk.index(current) :]:
                result[j] = None
        for j in walk:
            state[j] = 2
    return result
