"""Reference implementations of the nested-jurisdiction definitions.

Written from the documented definitions only (the docstrings of
``cio_framework.model.jurisdictions``, ``cio_framework.graph.jurisdictions``,
``cio_framework.analysis.connectivity``, ``.scope``, ``.priorities``
(``Integration``, ``deciders``), ``.agenda`` (``agenda``, ``forums``) and
``.checks`` (``Finding``, ``check``)), sharing no code with
``cio_framework.graph`` or ``cio_framework.analysis``.

Everything is naive on purpose: parent chains are walked with plain loops,
ids are looked up by scanning lists, components come from networkx (through
the landscape network of :mod:`reference`).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from cio_framework.model import (
    KIND_MEANING,
    LOCAL,
    OFFICER_FUNCTIONS,
    BodyKind,
    RoleGrade,
    RoleScope,
    Scenario,
)
from reference import landscape

#: Collections whose elements belong somewhere (a jurisdiction or the
#: scenario level); ids of any other element (people, exchanges, meetings,
#: matters ...) belong nowhere.
PLACED_COLLECTIONS = (
    "jurisdictions",
    "levels",
    "departments",
    "bodies",
    "roles",
    "platforms",
    "systems",
    "resources",
)

#: Principals first, then deputies, then executive officers.
GRADE_ORDER = {RoleGrade.PRINCIPAL: 0, RoleGrade.DEPUTY: 1, RoleGrade.EXECUTIVE: 2}


# -- the tree -----------------------------------------------------------------


def _listed(s: Scenario) -> dict:
    return {j.id: j for j in s.jurisdictions}


def on_cycle(s: Scenario, j: str) -> bool:
    """Whether ``j`` lies on a cycle of ``parent`` references (itself included)."""
    parents = {x.id: x.parent for x in s.jurisdictions}
    current = parents[j]
    for _ in range(len(parents)):
        if current is None or current not in parents:
            return False
        if current == j:
            return True
        current = parents[current]
    return False


def parent_of(s: Scenario, j: str) -> str | None:
    """The parent in the forest: none for a top and for a jurisdiction on a
    parent cycle (taken as a top of its own)."""
    listed = _listed(s)
    up = listed[j].parent
    if up is None or up not in listed or on_cycle(s, j):
        return None
    return up


def ancestors(s: Scenario, j: str) -> list[str]:
    """``j``, its parent, its parent's parent ... up to its top."""
    chain = [j]
    while True:
        up = parent_of(s, chain[-1])
        if up is None:
            return chain
        assert up not in chain, "the forest has a cycle left"
        chain.append(up)


def depth(s: Scenario, j: str) -> int:
    return len(ancestors(s, j)) - 1


def is_within(s: Scenario, inner: str | None, outer: str | None) -> bool:
    """Whether ``inner`` is ``outer`` or lies below it; everything is within
    the scenario level (``None``), which is within no jurisdiction."""
    if outer is None:
        return True
    if inner is None:
        return False
    return outer in ancestors(s, inner)


def common(s: Scenario, places) -> str | None:
    """The lowest common jurisdiction: ``None`` when nothing is given, when
    one of them is the scenario level, or when they lie in different trees."""
    places = list(places)
    if not places or any(p is None for p in places):
        return None
    chains = [ancestors(s, p) for p in places]
    for candidate in chains[0]:  # from the lowest up: the first common is the deepest
        if all(candidate in chain for chain in chains):
            return candidate
    return None


def hub(s: Scenario, j: str | None) -> str | None:
    """Its own ``hub``, else its parent's, up the tree."""
    if j is None:
        return None
    listed = _listed(s)
    for a in ancestors(s, j):
        if listed[a].hub is not None:
            return listed[a].hub
    return None


def topdown_ok(s: Scenario, order) -> bool:
    """Whether ``order`` lists every jurisdiction once, each after its
    parent, and the children of each in id order."""
    order = list(order)
    if sorted(order) != sorted(j.id for j in s.jurisdictions):
        return False
    position = {j: i for i, j in enumerate(order)}
    for j in order:
        up = parent_of(s, j)
        if up is not None and position[up] > position[j]:
            return False
    siblings: dict = {}
    for j in order:
        siblings.setdefault(parent_of(s, j), []).append(j)
    return all(group == sorted(group) for group in siblings.values())


# -- where each element belongs ---------------------------------------------


def _find(s: Scenario, collection: str, id: str):
    for element in getattr(s, collection):
        if getattr(element, "id", None) == id:
            return element
    return None


def placeable(s: Scenario, id: str) -> bool:
    """Whether ``id`` names an element of a kind that belongs somewhere."""
    return any(_find(s, c, id) is not None for c in PLACED_COLLECTIONS)


def place(s: Scenario, id: str) -> str | None:
    """The jurisdiction the element ``id`` belongs to; ``None`` for the
    scenario level and for ids that belong nowhere."""
    if _find(s, "jurisdictions", id) is not None:
        return id
    for collection in ("levels", "departments", "bodies"):
        element = _find(s, collection, id)
        if element is not None:
            return element.jurisdiction
    role = _find(s, "roles", id)
    if role is not None:
        if role.jurisdiction is not None:
            return role.jurisdiction
        return place(s, role.department) if role.department is not None else None
    platform = _find(s, "platforms", id)
    if platform is not None:
        if platform.jurisdiction is not None:
            return platform.jurisdiction
        return place(s, platform.operator) if platform.operator is not None else None
    system = _find(s, "systems", id)
    if system is not None:
        return place(s, system.department)
    resource = _find(s, "resources", id)
    if resource is not None:
        return place(s, resource.owner)
    return None


def finding_jurisdiction(s: Scenario, ids) -> str | None:
    """The lowest common jurisdiction of the elements ``ids`` name that
    belong somewhere (ids of people, exchanges ... are passed over)."""
    return common(s, [place(s, i) for i in ids if placeable(s, i)])


# -- groups, islands, unlinked jurisdictions --------------------------------


@dataclass(frozen=True)
class RefGroup:
    id: str
    systems: tuple
    platforms: tuple
    departments: tuple
    jurisdiction: str | None
    served: bool
    #: Whether it holds the hub of an unlinked jurisdiction.
    unlinked: bool

    @property
    def island(self) -> bool:
        """No platform serves it, or it holds an unlinked jurisdiction's hub
        (an island of the government above)."""
        return not self.served or self.unlinked


def components(s: Scenario) -> dict:
    """Node of the landscape network to its component (a frozenset)."""
    graph = landscape(s).graph
    found = {}
    for members in nx.connected_components(graph):
        frozen = frozenset(members)
        for node in members:
            found[node] = frozen
    return found


def serves(s: Scenario, platform: str, where: str | None) -> bool:
    """A platform serves the jurisdiction it belongs to and every one below
    it; a scenario-level platform serves everything."""
    return is_within(s, where, place(s, platform))


def groups(s: Scenario) -> dict:
    """Group id (least system id) to its :class:`RefGroup`."""
    land = landscape(s)
    off = {_find(s, "jurisdictions", j).hub for j in unlinked(s)}
    found = {}
    for members in nx.connected_components(land.graph):
        systems = sorted(m for m in members if m in land.systems)
        if not systems:
            continue
        platforms = sorted(m for m in members if m in land.platforms)
        departments = sorted({land.systems[m] for m in systems})
        where = common(s, [place(s, d) for d in departments])
        served = any(serves(s, p, where) for p in platforms)
        found[systems[0]] = RefGroup(
            systems[0],
            tuple(systems),
            tuple(platforms),
            tuple(departments),
            where,
            served,
            unlinked=bool(off & set(platforms)),
        )
    return found


def unlinked(s: Scenario) -> list[str]:
    """Jurisdictions with a hub of their own that is not in the group of
    the hub of the jurisdiction above them, by id."""
    component = components(s)
    found = []
    for j in s.jurisdictions:
        own = j.hub
        if own is None:
            continue
        up = parent_of(s, j.id)
        above = hub(s, up)
        if above is None:
            continue
        if above not in component[own]:
            found.append(j.id)
    return sorted(found)


# -- who decides, who answers ------------------------------------------------


def _function(role):
    return role.function if role.function is not None else KIND_MEANING[role.kind][0]


def _scope(role):
    return role.scope if role.scope is not None else KIND_MEANING[role.kind][1]


def is_jurisdiction_officer(role) -> bool:
    return _function(role) in OFFICER_FUNCTIONS and _scope(role) is RoleScope.JURISDICTION


def is_departmental_officer(role) -> bool:
    return (
        _function(role) in OFFICER_FUNCTIONS
        and role.department is not None
        and _scope(role) in (RoleScope.DEPARTMENT, RoleScope.UNIT)
    )


def _best_officer(roles) -> str | None:
    ranked = sorted(roles, key=lambda r: (GRADE_ORDER[r.grade], r.id))
    return ranked[0].id if ranked else None


def committee(s: Scenario, where: str | None) -> str | None:
    """The CIO committee of a jurisdiction (or of the scenario level), least id."""
    ids = sorted(
        b.id for b in s.bodies if b.kind is BodyKind.CIO_COMMITTEE and place(s, b.id) == where
    )
    return ids[0] if ids else None


def chief_officer(s: Scenario, where: str | None) -> str | None:
    """The chief officer for the whole of a jurisdiction (or scenario level)."""
    return _best_officer(
        [r for r in s.roles if is_jurisdiction_officer(r) and place(s, r.id) == where]
    )


def decider(s: Scenario, where: str | None) -> str | None:
    """Who decides in a jurisdiction: its ``decided_by``, else its CIO
    committee, else its chief officer, else whoever decides above it (above
    a top: the scenario level's committee, else its chief officer)."""
    if where is None:
        return committee(s, None) or chief_officer(s, None)
    own = _listed(s)[where].decided_by or committee(s, where) or chief_officer(s, where)
    if own is not None:
        return own
    return decider(s, parent_of(s, where))


def accountable_for(s: Scenario, department: str) -> str | None:
    """A department's own chief officer, else the chief officer of its
    jurisdiction, or of the nearest jurisdiction above that has one."""
    own = _best_officer(
        [r for r in s.roles if is_departmental_officer(r) and r.department == department]
    )
    if own is not None:
        return own
    where = place(s, department)
    if where is None:
        return None
    for a in ancestors(s, where):
        officer = chief_officer(s, a)
        if officer is not None:
            return officer
    return None


# -- hubs of the priorities ---------------------------------------------------


def main_hub(s: Scenario) -> str | None:
    """The configured hub, else the hub of the highest jurisdiction that has
    one (then the least jurisdiction id), else the platform whose group has
    the most systems, then the most platforms, then the least id."""
    if s.priorities.hub is not None:
        return s.priorities.hub
    with_hub = [(depth(s, j.id), j.id) for j in s.jurisdictions if hub(s, j.id) is not None]
    if with_hub:
        return hub(s, min(with_hub)[1])
    land = landscape(s)
    component = components(s)

    def rank(p: str):
        members = component[p]
        return (
            -sum(1 for m in members if m in land.systems),
            -sum(1 for m in members if m in land.platforms),
            p,
        )

    return min(land.platforms, key=rank, default=None)


def hub_for(s: Scenario, departments) -> str | None:
    """The hub of the departments' lowest common jurisdiction, or of the
    nearest jurisdiction above it, whose group holds the main hub; else the
    main hub."""
    main = main_hub(s)
    if main is None:
        return None
    core = components(s)[main]
    where = common(s, [place(s, d) for d in departments])
    if where is not None:
        for a in ancestors(s, where):
            h = hub(s, a)
            if h is not None and h in core:
                return h
    return main


def hub_operator(s: Scenario, departments) -> str | None:
    h = hub_for(s, departments)
    platform = _find(s, "platforms", h) if h is not None else None
    return platform.operator if platform is not None else None


def integration_owners(s: Scenario, kind: str, departments) -> list[str]:
    """The departments an integration's jurisdiction is the lowest common
    jurisdiction of: its departments and, for a connection or a reroute,
    the hub's operator."""
    owners = list(departments)
    if kind in ("connect_island", "reroute_exchange"):
        operator = hub_operator(s, departments)
        if operator is not None:
            owners.append(operator)
    return list(dict.fromkeys(owners))


def integration_jurisdiction(s: Scenario, kind: str, departments) -> str | None:
    return common(s, [place(s, d) for d in integration_owners(s, kind, departments)])


# -- forums -------------------------------------------------------------------


def meeting_bodies(s: Scenario) -> list:
    """The regular meetings, or, when there are none, the bodies that meet
    at an interval."""
    regular = [b for b in s.bodies if b.kind is BodyKind.REGULAR_MEETING]
    return regular or [b for b in s.bodies if b.meets_every_months is not None]


def forums(s: Scenario, chosen: str | None = None) -> dict:
    """Jurisdiction (``None``: the scenario level) to the body that
    discusses its issues: its own regular meeting (least id; a ``chosen``
    body is its jurisdiction's meeting whatever its kind), else the forum of
    the jurisdiction above it. The scenario level's forum is its own
    meeting, else that of the highest jurisdiction that has one (then the
    least body id)."""

    def own(where: str | None) -> str | None:
        if chosen is not None and place(s, chosen) == where:
            return chosen
        ids = sorted(b.id for b in meeting_bodies(s) if place(s, b.id) == where)
        return ids[0] if ids else None

    top = own(None)
    if top is None:
        placed = [(depth(s, j.id), own(j.id)) for j in s.jurisdictions if own(j.id) is not None]
        top = min(placed)[1] if placed else None
    found = {None: top}
    for j in s.jurisdictions:
        for a in ancestors(s, j.id):
            meeting = own(a)
            if meeting is not None:
                found[j.id] = meeting
                break
        else:
            found[j.id] = top
    return found


# -- check settings -------------------------------------------------------------


def check_setting(s: Scenario, check: str, where: str | None, call=None):
    """The setting of ``check`` for a finding in ``where``, first found: the
    call's ``severities``; the ``checks`` of ``where``, then of each
    jurisdiction above it; the scenario's ``checks``. ``None``: the check's
    own severity. Values are ``CheckSetting`` members (or the call's
    strings)."""
    if call and check in call:
        return call[check]
    if where is not None:
        listed = _listed(s)
        for a in ancestors(s, where):
            if check in listed[a].checks:
                return listed[a].checks[check]
    return s.checks.get(check)


# -- one jurisdiction's part ---------------------------------------------------


def within_kept(s: Scenario, j: str, below: bool = False) -> dict:
    """Ids of the departments, roles, bodies, platforms, levels,
    jurisdictions and systems :func:`within` must keep."""

    def inside(where: str | None) -> bool:
        if below:
            return where is not None and is_within(s, where, j)
        return where == j

    departments = {d.id for d in s.departments if inside(place(s, d.id))}
    platforms = {p.id for p in s.platforms if inside(place(s, p.id))}
    roles = [r for r in s.roles if inside(place(s, r.id))]
    bodies = [b for b in s.bodies if inside(place(s, b.id))]
    # the levels of J (and below) and those its roles and bodies are at,
    # wherever they belong; a part left with no level at all keeps the
    # scenario level's first level (the docstring says "a part whose roles
    # and bodies name no level"; read as "that would have no level": a
    # part's own levels are enough, as the library does)
    used = {r.level for r in roles} | {b.level for b in bodies if b.level is not None}
    levels = {lv.id for lv in s.levels if inside(place(s, lv.id)) or lv.id in used}
    if not levels:
        first = next((lv.id for lv in s.levels if place(s, lv.id) is None), None)
        if first is not None:
            levels.add(first)
    return {
        "jurisdictions": {x.id for x in s.jurisdictions if inside(x.id)},
        "levels": levels,
        "departments": departments,
        "bodies": {b.id for b in bodies},
        "platforms": platforms,
        "roles": {r.id for r in roles},
        # a system cannot do without its department, nor its hosting
        "systems": {
            x.id
            for x in s.systems
            if x.department in departments and (x.hosted_on == LOCAL or x.hosted_on in platforms)
        },
    }


def merged_checks(s: Scenario, j: str) -> dict:
    """The scenario's check settings, then those of each jurisdiction from
    the top down to ``j``."""
    listed = _listed(s)
    found = dict(s.checks)
    for a in reversed(ancestors(s, j)):
        found.update(listed[a].checks)
    return found
