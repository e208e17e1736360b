"""Information islands: groups of systems connected by live exchanges.

Definition
----------
Take the landscape network (``cio_framework.graph._index``): in-use
systems and platforms as nodes, joined by live exchanges (an exchange
``via`` a platform joins its source to the platform as well). A *group* is
a connected component holding at least one system; it is an *information
island* when it holds no platform that serves it. A group belongs to the
lowest common jurisdiction of its systems' departments, and a platform
serves the jurisdiction it belongs to and every one below it
(:mod:`cio_framework.graph.jurisdictions`); in a scenario without
jurisdictions every platform serves every group. A jurisdiction is
*unlinked* when it has a hub of its own and that hub is not in the group
of the hub of the jurisdiction above it (its parent's own, or the nearest
above that). A group holding an unlinked jurisdiction's hub is an island
too: its systems reach their own hub, and still form an island of the
government above. A system no live exchange touches is
*isolated*; a platform no live exchange touches (as an end or as ``via``) is
*unused*. A department is a *silo* when it has a live point-to-point
exchange between two different systems of its own and no live exchange that
leaves it (one that runs through a platform, or whose other end is another
department's system or a platform). A point-to-point exchange from a system
to itself neither makes a silo nor leaves one (the check
``exchange-self-loop`` reports it).

Every list in the result is in a canonical order that does not depend on
the order of the scenario's lists: groups largest first, then by id; the
members of a group, and every other list, by id. A group's id is the least
id (in code-point order) of its systems, so it names the same group however
the scenario is written.

Complexity
----------
O((V + E) α(V) + V log V + J log J): a union-find, then sorting.
"""

from __future__ import annotations

import itertools
import operator
from typing import Any

import attrs

from .._contracts import document
from .._util import tuple_of
from ..config import require_valid
from ..graph._index import LandscapeIndex
from ..model import Scenario
from ._results import Plain, Tabular, plain_dict, records_html
from ._shared import Shared
from .evidence import Evidence
from .scope import within

__all__ = ["Group", "IslandReport", "islands"]


@attrs.frozen(kw_only=True)
class Group(Plain):
    """A group of systems and platforms connected by live exchanges.

    Parameters
    ----------
    id
        The group's stable id: the least of its system ids.
    systems
        In-use system ids, by id.
    platforms
        Platform ids in the group, by id.
    departments
        Departments owning the systems, by id.
    connected_to_platform
        Whether the group holds a shared platform that serves it; a group
        that does not is an information island.
    unlinked
        Whether the group holds the hub of an unlinked jurisdiction: its
        systems reach their jurisdiction's hub, but that hub does not reach
        the hub above, and the group is an island of the government above.
    jurisdiction
        The lowest common jurisdiction of its departments; ``None`` at the
        scenario level (always, in a scenario without jurisdictions).
    evidence
        The grade of what the group rests on: its systems, platforms,
        departments and the live exchanges that join them.
    """

    id: str
    systems: tuple[str, ...] = attrs.field(converter=tuple_of)
    platforms: tuple[str, ...] = attrs.field(converter=tuple_of)
    departments: tuple[str, ...] = attrs.field(converter=tuple_of)
    connected_to_platform: bool
    jurisdiction: str | None = None
    unlinked: bool = False
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the fields, the evidence as :meth:`~cio_framework.analysis.evidence.Evidence.to_dict`."""
        return {**plain_dict(self), "evidence": self.evidence.to_dict()}

    @property
    def is_island(self) -> bool:
        """Whether the group reaches no shared platform that serves it, or
        is off the hub above (``unlinked``)."""
        return not self.connected_to_platform or self.unlinked


@attrs.frozen(kw_only=True)
class IslandReport(Tabular):
    """Where a landscape is connected and where it falls apart into islands.

    Examples
    --------
    >>> import cio_framework
    >>> from cio_framework.analysis import islands
    >>> report = islands(cio_framework.builtin("pudong-2016"))
    >>> len(report.groups) >= len(report.islands)
    True
    """

    groups: tuple[Group, ...] = attrs.field(converter=tuple_of)
    isolated_systems: tuple[str, ...] = attrs.field(converter=tuple_of)
    silos: tuple[str, ...] = attrs.field(converter=tuple_of)
    unused_platforms: tuple[str, ...] = attrs.field(converter=tuple_of)
    #: Jurisdictions whose own hub is not in the group of the hub above them.
    unlinked_jurisdictions: tuple[str, ...] = attrs.field(converter=tuple_of, default=())

    @property
    def islands(self) -> tuple[Group, ...]:
        """The groups that reach no shared platform."""
        return tuple(g for g in self.groups if g.is_island)

    def group_of(self, system: str) -> Group | None:
        """The group holding an in-use system, or ``None``."""
        return next((g for g in self.groups if system in g.systems), None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document ``islands``, printed by ``cio-framework islands --format json``."""
        return document(
            "islands",
            {
                "groups": [g.to_dict() for g in self.groups],
                "islands": len(self.islands),
                "isolated_systems": list(self.isolated_systems),
                "silos": list(self.silos),
                "unused_platforms": list(self.unused_platforms),
                "unlinked_jurisdictions": list(self.unlinked_jurisdictions),
            },
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One record per group."""
        return [
            {
                "group": g.id,
                "systems": list(g.systems),
                "platforms": list(g.platforms),
                "departments": list(g.departments),
                "size": len(g.systems),
                "connected_to_platform": g.connected_to_platform,
                "unlinked": g.unlinked,
                "jurisdiction": g.jurisdiction,
                "evidence": str(g.evidence),
            }
            for g in self.groups
        ]

    def _repr_html_(self) -> str:
        return records_html(
            self.to_records(),
            ["group", "size", "connected_to_platform", "departments", "systems", "platforms"],
            "No systems in use.",
        )


def islands(scenario: Scenario, *, jurisdiction: str | None = None) -> IslandReport:
    """Find the groups of connected systems and the islands among them.

    Groups are connected over live exchanges between in-use systems and
    platforms; direction is ignored and a platform joins everything that
    exchanges with it (an exchange ``via`` a platform joins both ends to
    it). Every in-use system is in exactly one group.

    Parameters
    ----------
    scenario
        The scenario.
    jurisdiction
        A jurisdiction's id: find the islands within it, on its own part
        (:func:`~cio_framework.analysis.scope.within`) measured against its
        own hub. By default, the whole scenario, across jurisdictions.

    Returns
    -------
    IslandReport
        Groups largest first (ties by id), isolated systems (no live
        exchange at all), departmental silos (departments whose systems
        exchange only among themselves) and platforms nothing exchanges
        with; see the module's definition. Lists are sorted by id.

    Notes
    -----
    O((V + E) α(V) + V log V): a union-find over systems and platforms.

    Examples
    --------
    >>> from cio_framework.model import Department, Exchange, Platform, System
    >>> from cio_framework.testing import make_scenario
    >>> s = make_scenario(
    ...     platforms=[Platform(id="cloud", name="Cloud")],
    ...     systems=[System(id="a", name="A", department="epb"),
    ...              System(id="b", name="B", department="epb"),
    ...              System(id="c", name="C", department="district")],
    ...     exchanges=[Exchange(from_="a", to="cloud"), Exchange(from_="c", to="c")],
    ... )
    >>> report = islands(s)
    >>> [(g.id, g.systems, g.connected_to_platform) for g in report.groups]
    [('a', ('a',), True), ('b', ('b',), False), ('c', ('c',), False)]
    >>> report.isolated_systems
    ('b',)
    """
    require_valid(scenario)
    if jurisdiction is not None:
        return islands(within(scenario, jurisdiction))
    return islands_of(Shared(scenario))


def islands_of(shared: Shared) -> IslandReport:
    """:func:`islands` of a valid scenario's :class:`~cio_framework.analysis._shared.Shared` indexes."""
    index = shared.index
    grades = shared.group_grades
    places = shared.places
    groups = []
    for label, members in index.components().items():
        systems = sorted(m for m in members if m in index.systems)
        if not systems:
            continue
        place = places[label]
        groups.append(
            Group(
                id=systems[0],
                systems=systems,
                platforms=sorted(m for m in members if m in index.platforms),
                departments=sorted({index.systems[s].department for s in systems}),
                connected_to_platform=place.served,
                jurisdiction=place.jurisdiction,
                unlinked=place.unlinked,
                evidence=grades[label],
            )
        )
    groups.sort(key=lambda g: (-len(g.systems), g.id))
    linked = index.linked
    isolated = sorted(s.id for s in index.in_use if s.id not in linked)
    unused = sorted(p for p in index.platforms if p not in linked)
    return IslandReport(
        groups=groups,
        isolated_systems=isolated,
        silos=_silos(index),
        unused_platforms=unused,
        unlinked_jurisdictions=shared.unlinked,
    )


def _silos(index: LandscapeIndex) -> list[str]:
    """Departments whose systems exchange, but only among themselves.

    An exchange is inside a department when both ends are two of its systems
    and it runs through no platform; a self-loop is neither inside nor
    outward; every other exchange takes each department it touches outside.
    Counted with C-level passes over the live exchanges.
    """
    department = {s.id: s.department for s in index.in_use}
    get = department.get
    # a platform has no department: get() gives None for it
    owner_from = list(map(get, index.live_from))
    owner_to = list(map(get, index.live_to))
    direct = [v is None for v in index.live_via]
    same = list(map(operator.eq, owner_from, owner_to))
    within = list(map(operator.and_, same, direct))
    # a self-loop stays within its department without linking two systems
    two_systems = map(operator.ne, index.live_from, index.live_to)
    inside = set(itertools.compress(owner_from, map(operator.and_, within, two_systems)))
    outward = list(map(operator.not_, within))
    outside = set(itertools.compress(owner_from, outward))
    outside.update(itertools.compress(owner_to, outward))
    # an exchange between two platforms is no department's (None)
    return sorted(d for d in inside - outside if d is not None)
