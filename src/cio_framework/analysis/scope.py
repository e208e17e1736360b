"""One jurisdiction of a scenario, as a scenario of its own.

Definition
----------
:func:`within` keeps, of a scenario with nested jurisdictions
(:mod:`cio_framework.graph.jurisdictions`), what belongs to one
jurisdiction ``J``:

- the departments, roles, bodies and platforms that belong to ``J`` (with
  ``below=True``: to ``J`` or a jurisdiction below it), and ``J`` itself
  (and those below it) among the jurisdictions, ``J`` without its parent;
- the levels of ``J``, of the jurisdictions above it and of the scenario
  level (a city may use its province's levels), and with ``below=True``
  those below it;
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
O((V + R) · P + J log J), as ``keep_only``.

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
from ..model import CheckSetting, Element, Scenario
from ._subset import keep_only, referenced

__all__ = ["split", "within"]

#: Collections whose elements belong to a jurisdiction themselves.
PLACED = frozenset({"departments", "roles", "bodies", "platforms"})

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
    tree = JurisdictionTree(scenario)
    if jurisdiction not in tree.parent:
        raise UnknownNameError(kind="jurisdiction", name=jurisdiction, known=tree.jurisdictions)

    def inside(place: str | None) -> bool:
        if below:
            return place is not None and tree.is_within(place, jurisdiction)
        return place == jurisdiction

    def keep(collection: str, element: Element) -> bool:
        if collection == "jurisdictions":
            return inside(element.id)  # type: ignore[attr-defined]
        if collection == "levels":
            place = tree.of(element.id)  # type: ignore[attr-defined]
            return tree.is_within(jurisdiction, place) or inside(place)
        if collection in PLACED:
            return inside(tree.of(element.id))  # type: ignore[attr-defined]
        return collection != "notes"

    part, _ = keep_only(scenario, keep)
    named = set(referenced(part.source))
    for collection, element in part.elements():
        if collection not in _REFERRED:
            named.update(referenced(element))
    kept: dict[str, Any] = {c: [e for e in getattr(part, c) if e.id in named] for c in _REFERRED}
    own = next(j for j in scenario.jurisdictions if j.id == jurisdiction)
    hub = tree.hub(jurisdiction)
    settings = part.priorities
    if hub is not None and any(p.id == hub for p in part.platforms):
        settings = attrs.evolve(settings, hub=hub)
    checks: dict[str, CheckSetting] = dict(scenario.checks)
    listed = {j.id: j for j in scenario.jurisdictions}
    for place in reversed(tree.path(jurisdiction)):
        checks.update(listed[place].checks)
    return attrs.evolve(
        part, **kept, name=own.name, jurisdiction=own.name, priorities=settings, checks=checks
    )


def split(scenario: Scenario) -> tuple[Scenario, ...]:
    """Each jurisdiction's own part (:func:`within`), top down, children by id.

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
    return tuple(within(scenario, j) for j in JurisdictionTree(scenario).jurisdictions)
