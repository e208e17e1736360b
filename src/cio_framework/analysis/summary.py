"""A summary of a scenario's governance structure."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import attrs

from .._util import by_id, tuple_of
from ..config import require_valid
from ..model import OFFICER_FUNCTIONS, Ability, Role, RoleFunction, Scenario
from ._results import Tabular, plain_dict, records_html

__all__ = ["BodySummary", "GovernanceSummary", "LevelSummary", "summarize"]

#: Role functions that are chief-officer posts proper: the officers and their offices.
CIO_FUNCTIONS = OFFICER_FUNCTIONS | {RoleFunction.OFFICE}


def _is_cio_post(role: Role) -> bool:
    return role.effective_function in CIO_FUNCTIONS


@attrs.frozen(kw_only=True)
class LevelSummary:
    """Roles and bodies at one governance level."""

    id: str
    name: str
    roles: tuple[str, ...] = attrs.field(converter=tuple_of)
    bodies: tuple[str, ...] = attrs.field(converter=tuple_of)


@attrs.frozen(kw_only=True)
class BodySummary:
    """A body in brief."""

    id: str
    name: str
    kind: str
    chair: str | None
    members: int
    meets_every_months: float | None
    meetings_held: int


@attrs.frozen(kw_only=True)
class GovernanceSummary(Tabular):
    """Key figures of a CIO governance structure.

    Examples
    --------
    >>> import cio_framework
    >>> s = cio_framework.summarize(cio_framework.builtin("pudong-2016"))
    >>> s.pilot_departments, s.pilots_with_cio, s.reporting_depth
    (9, 9, 1)
    >>> s.business_weight_share > s.technical_weight_share
    True
    """

    name: str
    jurisdiction: str | None
    levels: tuple[LevelSummary, ...] = attrs.field(converter=tuple_of)
    departments: int
    pilot_departments: int
    pilots_with_cio: int
    roles: int
    vacant_roles: int
    cio_posts: int
    concurrent_share: float
    reporting_depth: int
    max_span_of_control: int
    bodies: tuple[BodySummary, ...] = attrs.field(converter=tuple_of)
    meetings: int
    meetings_with_proxies: int
    responsibilities: int
    single_accountable: int
    appraised_departments: int
    criteria: int
    business_weight_share: float
    technical_weight_share: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (nested values as dicts and lists)."""
        return plain_dict(self)

    def to_records(self) -> list[dict[str, Any]]:
        """One ``{"measure", "value"}`` record per scalar figure."""
        return [
            {"measure": key, "value": value}
            for key, value in self.to_dict().items()
            if not isinstance(value, (list, tuple, dict))
        ]

    def _repr_html_(self) -> str:
        return records_html(self.to_records(), ["measure", "value"], "Empty summary.")


def _depth(scenario: Scenario) -> tuple[int, int]:
    """Longest solid reporting chain (in lines, each role counted once: a
    chain that comes back to a role ends there) and widest span of control."""
    parent = {role.id: role.reports_to for role in scenario.roles}
    #: The number of roles on the chain up from each role, each counted once.
    roles_up: dict[str, int] = {}
    for start in parent:
        chain: list[str] = []
        on_chain: dict[str, int] = {}
        current: str | None = start
        while current is not None and current in parent and current not in roles_up:
            if current in on_chain:  # a cycle: each of its roles reaches all of it
                cycle = chain[on_chain[current] :]
                for role_id in cycle:
                    roles_up[role_id] = len(cycle)
                del chain[on_chain[current] :]
                break
            on_chain[current] = len(chain)
            chain.append(current)
            current = parent[current]
        above = roles_up.get(current, 0) if current is not None else 0
        for role_id in reversed(chain):
            above += 1
            roles_up[role_id] = above
    spans: dict[str, int] = {}
    for boss in parent.values():
        if boss is not None:
            spans[boss] = spans.get(boss, 0) + 1
    return max(roles_up.values(), default=1) - 1, max(spans.values(), default=0)


def _ids_by_level(elements: Iterable[Any]) -> dict[str, tuple[str, ...]]:
    """The ids of ``elements`` (roles or bodies) at each level, sorted."""
    found: dict[str, list[str]] = {}
    for element in elements:
        found.setdefault(element.level, []).append(element.id)
    return {level: tuple(sorted(ids)) for level, ids in found.items()}


def summarize(scenario: Scenario) -> GovernanceSummary:
    """Summarise the governance structure of a scenario.

    Parameters
    ----------
    scenario
        The scenario to summarise.

    Returns
    -------
    GovernanceSummary
        The levels in the scenario's order (top first: that order is what
        levels mean), each with its roles and bodies sorted by id; the
        bodies sorted by id. Nothing depends on the order of any other list
        in the scenario.

    Notes
    -----
    O(n log n) in the number of elements (the sorting); reporting depth is
    computed with one memoised walk per role.
    """
    require_valid(scenario)
    roles_at = _ids_by_level(scenario.roles)
    bodies_at = _ids_by_level(scenario.bodies)
    levels = [
        LevelSummary(
            id=level.id,
            name=level.name,
            roles=roles_at.get(level.id, ()),
            bodies=bodies_at.get(level.id, ()),
        )
        for level in scenario.levels
    ]
    held: dict[str, int] = {}
    for meeting in scenario.meetings:
        if meeting.body is not None:
            held[meeting.body] = held.get(meeting.body, 0) + 1
    bodies = [
        BodySummary(
            id=b.id,
            name=b.name,
            kind=b.kind.value,
            chair=b.chair,
            members=len(b.members),
            meets_every_months=b.meets_every_months,
            meetings_held=held.get(b.id, 0),
        )
        for b in by_id(scenario.bodies)
    ]
    cio_departments = {r.department for r in scenario.roles if r.is_departmental_officer}
    pilots = [d for d in scenario.departments if d.pilot]
    cio_posts = [r for r in scenario.roles if _is_cio_post(r)]
    concurrent = [r for r in cio_posts if r.concurrent_post or r.concurrent_rank]
    depth, span = _depth(scenario)
    # fsum: the correctly rounded sum, the same in any order of the criteria
    total_weight = math.fsum(c.weight for c in scenario.criteria)

    def share(*abilities: Ability) -> float:
        if not total_weight:
            return 0.0
        picked = math.fsum(c.weight for c in scenario.criteria if c.ability in abilities)
        return picked / total_weight

    return GovernanceSummary(
        name=scenario.name,
        jurisdiction=scenario.jurisdiction,
        levels=levels,
        departments=len(scenario.departments),
        pilot_departments=len(pilots),
        pilots_with_cio=sum(1 for d in pilots if d.id in cio_departments),
        roles=len(scenario.roles),
        vacant_roles=sum(1 for r in scenario.roles if r.holder is None),
        cio_posts=len(cio_posts),
        concurrent_share=len(concurrent) / len(cio_posts) if cio_posts else 0.0,
        reporting_depth=depth,
        max_span_of_control=span,
        bodies=bodies,
        meetings=len(scenario.meetings),
        meetings_with_proxies=sum(1 for m in scenario.meetings if m.proxies),
        responsibilities=len(scenario.responsibilities),
        single_accountable=sum(1 for r in scenario.responsibilities if len(r.accountable) == 1),
        appraised_departments=len(
            {a.department for a in scenario.appraisals if a.includes_cio_work}
        ),
        criteria=len(scenario.criteria),
        business_weight_share=share(Ability.BUSINESS),
        technical_weight_share=share(Ability.TECHNICAL),
    )
