"""One jurisdiction of a scenario, as a scenario of its own.

Definition
----------
:func:`within` keeps, of a scenario with nested jurisdictions
(:mod:`cio_framework.graph.jurisdictions`), what belongs to one
jurisdiction ``J``:

- the departments, roles, bodies and platforms that belong to ``J`` (with
  ``below=True``: to ``J`` or a jurisdiction below it), and ``J`` itself
  (and those below it) among the jurisdictions, ``J`` without its parent;
- the levels of ``J`` (with ``below=True``, of those below it too) and
  the levels its roles and bodies are at, wherever they belong (a city may
  use its province's levels); a part that would have no level at all keeps
  the scenario level's first level;
- the systems, resources, exchanges, demands, matters, meetings,
  appraisals, responsibilities, candidates and what-ifs that can do without
  what is left out (the rule of
  ``keep_only``: a system goes with its
  department, an exchange with either end);
- the people, criteria and sources that what is kept refers to or cites.
  Notes, which are about the whole scenario, are left out.

The part's hub is ``J``'s (its own, else the nearest above it, when that
platform is kept); its check settings are the scenario's, then those of
each jurisdiction from the top down to ``J``; its ``name`` and
``jurisdiction`` are ``J``'s name.

Any analysis then runs on the part: islands, priorities, checks and
indicators *within* a jurisdiction are those of :func:`within`, and
:func:`split` gives every jurisdiction's part, to compare them.

Complexity
----------
O((V + R) · P + J log J) for one part, as ``keep_only``; :func:`split`
costs the same for all the parts together, since each part is cut from
the elements that may belong to it only.

Examples
--------
>>> from cio_framework.model import Department, Jurisdiction, Scenario, System
>>> s = Scenario(name="P", jurisdictions=[
...     Jurisdiction(id="prov", name="Province"),
...     Jurisdiction(id="city", name="City", parent="prov")],
...     departments=[Department(id="data", name="Data bureau", jurisdiction="prov"),
...                  Department(id="city-data", name="City data bureau", jurisdiction="city")],
...     systems=[System(id="a", name="A", department="data"),
...              System(id="b", name="B", department="city-data")])
>>> part = within(s, "city")
>>> [d.id for d in part.departments], [x.id for x in part.systems], part.jurisdiction
(['city-data'], ['b'], 'City')
>>> [d.id for d in within(s, "prov", below=True).departments]
['data', 'city-data']
"""

from __future__ import annotations

from typing import Any

import attrs

from ..config import require_valid
from ..exceptions import UnknownNameError
from ..graph.jurisdictions import JurisdictionTree
from ..model import COLLECTIONS, CheckSetting, Element, Scenario
from ._subset import keep_only, referenced

__all__ = ["split", "within"]

#: Collections whose elements belong to a jurisdiction themselves.
PLACED = frozenset({"departments", "roles", "bodies", "platforms", "levels", "jurisdictions"})

#: Collections kept only where what is kept refers to them.
_REFERRED = ("people", "criteria", "sources")


def within(scenario: Scenario, jurisdiction: str, *, below: bool = False) -> Scenario:
    """The part of ``scenario`` that belongs to one jurisdiction.

    Parameters
    ----------
    scenario
        A scenario with ``jurisdictions``.
    jurisdiction
        The jurisdiction's id.
    below
        Whether to keep the jurisdictions below it too.

    Returns
    -------
    Scenario
        The part (see the module's definition).

    Raises
    ------
    UnknownNameError
        When the scenario has no such jurisdiction.
    """
    require_valid(scenario)
    parts = _Parts(scenario)
    if jurisdiction not in parts.tree.parent:
        raise UnknownNameError(
            kind="jurisdiction", name=jurisdiction, known=parts.tree.jurisdictions
        )
    return parts.part(jurisdiction, below=below)


def split(scenario: Scenario) -> tuple[Scenario, ...]:
    """Each jurisdiction's own part (:func:`within`), each after its parent,
    children by id.

    Examples
    --------
    >>> from cio_framework.model import Jurisdiction, Scenario
    >>> s = Scenario(name="P", jurisdictions=[
    ...     Jurisdiction(id="prov", name="Province"),
    ...     Jurisdiction(id="city", name="City", parent="prov")])
    >>> [part.jurisdiction for part in split(s)]
    ['Province', 'City']
    """
    require_valid(scenario)
    parts = _Parts(scenario)
    return tuple(parts.part(j) for j in parts.tree.jurisdictions)


class _Parts:
    """What cutting a scenario into its jurisdictions' parts needs, worked
    out once: the elements that may belong to each jurisdiction's part (the
    placed ones, and those referring to something placed there), so that
    each part costs what it holds, not what the whole scenario holds."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.tree = tree = JurisdictionTree(scenario)
        #: Jurisdiction (None: the scenario level) to (position, collection,
        #: element) of the elements that may belong to its part.
        self.candidates: dict[str | None, list[tuple[int, str, Element]]] = {}
        self.referred: dict[str, dict[str, Element]] = {c: {} for c in _REFERRED}
        #: Level id to (position, level); the scenario level's levels in order.
        self.levels: dict[str, tuple[int, Element]] = {}
        self.shared: list[tuple[int, Element]] = []
        for position, (collection, element) in enumerate(scenario.elements()):
            if collection in _REFERRED:
                self.referred[collection][element.id] = element  # type: ignore[attr-defined]
            elif collection == "levels":
                self.levels[element.id] = (position, element)  # type: ignore[attr-defined]
                if tree.of(element.id) is None:  # type: ignore[attr-defined]
                    self.shared.append((position, element))
            if collection in PLACED:
                place = tree.of(element.id)  # type: ignore[attr-defined]
                self.candidates.setdefault(place, []).append((position, collection, element))
            elif collection not in _REFERRED and collection != "notes":
                places = {tree.of(i) for i in referenced(element) if tree.knows(i)}
                for place in places:
                    self.candidates.setdefault(place, []).append((position, collection, element))
        self.listed = {j.id: j for j in scenario.jurisdictions}
        #: Every id of the scenario: an id a part lacks is one left out.
        self.known = {
            element.id  # type: ignore[attr-defined]
            for _, element in scenario.elements()
            if isinstance(getattr(element, "id", None), str)
        }
        #: Jurisdiction to its check settings: the scenario's, then each
        #: jurisdiction's from the top down to it.
        self.checks: dict[str, dict[str, CheckSetting]] = {}
        for j in tree.jurisdictions:  # each after its parent
            up = tree.parent[j]
            above = self.checks[up] if up is not None else dict(scenario.checks)
            self.checks[j] = {**above, **self.listed[j].checks}

    def part(self, jurisdiction: str, *, below: bool = False) -> Scenario:
        """The part of ``jurisdiction`` (see the module's definition)."""
        tree = self.tree
        places = [jurisdiction]
        if below:
            places = [j for j in tree.jurisdictions if tree.is_within(j, jurisdiction)]
        inside: set[str | None] = set(places)
        chosen: dict[str, dict[int, Element]] = {}
        for place in places:
            for position, collection, element in self.candidates.get(place, ()):
                chosen.setdefault(collection, {})[position] = element
        levels = chosen.setdefault("levels", {})
        for collection in ("roles", "bodies"):
            for element in chosen.get(collection, {}).values():
                named = self.levels.get(element.level or "")  # type: ignore[attr-defined]
                if named is not None:
                    levels[named[0]] = named[1]
        if not levels and self.shared:
            levels[self.shared[0][0]] = self.shared[0][1]
        lists: dict[str, Any] = {
            c: [e for _, e in sorted(chosen.get(c, {}).items())]
            for c in COLLECTIONS
            if c not in _REFERRED
        }
        base = attrs.evolve(self.scenario, **lists)

        present = {
            element.id  # type: ignore[attr-defined]
            for _, element in base.elements()
            if isinstance(getattr(element, "id", None), str)
        }

        def keep(collection: str, element: Element) -> bool:
            if collection in PLACED and collection != "levels":
                return tree.of(element.id) in inside  # type: ignore[attr-defined]
            return True

        def absent(id: str) -> bool:
            return id in self.known and id not in present

        part, _ = keep_only(base, keep, absent=absent)
        named_ids = set(referenced(part.source))
        for _, element in part.elements():
            named_ids.update(referenced(element))
        kept: dict[str, Any] = {
            c: [e for i, e in self.referred[c].items() if i in named_ids] for c in _REFERRED
        }
        own = self.listed[jurisdiction]
        # the part's top has no parent, even one that is itself (a cycle)
        kept["jurisdictions"] = [
            attrs.evolve(j, parent=None) if j.id == jurisdiction else j for j in part.jurisdictions
        ]
        hub = tree.hub(jurisdiction)
        settings = part.priorities
        if hub is not None and any(p.id == hub for p in part.platforms):
            settings = attrs.evolve(settings, hub=hub)
        return attrs.evolve(
            part,
            **kept,
            name=own.name,
            jurisdiction=own.name,
            priorities=settings,
            checks=self.checks[jurisdiction],
        )
