"""The indexes of one scenario that several landscape analyses start from.

Definition
----------
:class:`Shared` holds, for one scenario, the landscape network's index
(:class:`~cio_framework.graph._index.LandscapeIndex`), the jurisdiction
tree, the evidence index and the place of every component of the network
(:class:`GroupPlace`: its jurisdiction, whether a platform serves it, and
whether it holds the hub of an *unlinked* jurisdiction, as
:mod:`cio_framework.analysis.connectivity` defines them). Each is built on
first use and then kept, so analyses run together on one :class:`Shared`
build each index once.

A :class:`Shared` is private to the analyses that are handed it; nothing
in it is changed after it is built.

Complexity
----------
Each index is built once, in O((V + E) α(V) + J log J).

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
>>> shared = Shared(s)
>>> shared.index is shared.index
True
>>> sorted(place.island for place in shared.places.values())
[False, True]
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import attrs

from ..graph._index import LandscapeIndex
from ..graph.jurisdictions import JurisdictionTree
from ..model import Scenario
from .evidence import Evidence, EvidenceIndex, group_evidence

__all__ = ["GroupPlace", "Shared", "group_places", "unlinked_jurisdictions"]


class Shared:
    """The indexes of one (valid) scenario, each built on first use."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario

    @functools.cached_property
    def index(self) -> LandscapeIndex:
        """The landscape network's index."""
        return LandscapeIndex(self.scenario)

    @functools.cached_property
    def tree(self) -> JurisdictionTree:
        """The jurisdiction tree."""
        return JurisdictionTree(self.scenario)

    @functools.cached_property
    def grades(self) -> EvidenceIndex:
        """The evidence status of every element."""
        return EvidenceIndex(self.scenario)

    @functools.cached_property
    def group_grades(self) -> dict[str, Evidence]:
        """The evidence grade of each component, by label."""
        return group_evidence(self.index, self.grades)

    @functools.cached_property
    def places(self) -> dict[str, GroupPlace]:
        """The place of each component, by label."""
        return group_places(self.index, self.tree, self.unlinked)

    @functools.cached_property
    def unlinked(self) -> list[str]:
        """The unlinked jurisdictions, by id."""
        return unlinked_jurisdictions(self.index, self.tree)


@attrs.frozen
class GroupPlace:
    """Where a component of the landscape stands (as
    :mod:`cio_framework.analysis.connectivity` defines it)."""

    #: Its lowest common jurisdiction; ``None`` at the scenario level.
    jurisdiction: str | None
    #: Whether a platform in it serves it.
    served: bool
    #: Whether it holds the hub of an unlinked jurisdiction.
    unlinked: bool

    @property
    def island(self) -> bool:
        """Whether it is an island: not served, or off the hub above."""
        return not self.served or self.unlinked


def group_places(
    index: LandscapeIndex, tree: JurisdictionTree, unlinked: Iterable[str]
) -> dict[str, GroupPlace]:
    """Each component's :class:`GroupPlace`, given the ``unlinked``
    jurisdictions; a component without systems is at the jurisdiction of its
    platforms and counts as served."""
    off = {index.label(tree.hub(j)) for j in unlinked}  # type: ignore[arg-type]
    places = {}
    for label, members in index.components().items():
        systems = [m for m in members if m in index.systems]
        platforms = [m for m in members if m in index.platforms]
        if systems:
            place = tree.common(tree.of(index.systems[s].department) for s in systems)
            served = any(tree.is_within(place, tree.of(p)) for p in platforms)
        else:
            place, served = tree.common(tree.of(p) for p in platforms), True
        places[label] = GroupPlace(jurisdiction=place, served=served, unlinked=label in off)
    return places


def unlinked_jurisdictions(index: LandscapeIndex, tree: JurisdictionTree) -> list[str]:
    """Jurisdictions with a hub of their own that is not in the group of the
    hub of the jurisdiction above them, by id."""
    found = []
    for j in tree.jurisdictions:
        up = tree.parent[j]
        own, above = tree.hub(j), tree.hub(up)
        if own is None or above is None or own == above:
            continue
        if index.label(own) != index.label(above):
            found.append(j)
    return sorted(found)
