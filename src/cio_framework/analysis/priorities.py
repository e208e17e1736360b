"""Integration priorities: which integrations to do first, and why.

Every candidate integration connects groups of systems to the *hub*, the
shared platform integrations go through (by default the platform whose
group has the most systems, then the most platforms, then the least id),
and may also conclude a sharing agreement or catalogue a resource. The
candidates, each named after what it is about:

``connect-SYSTEM``
    connects an island to the hub; named after the island's id, the least
    id of its systems;
``provide-RESOURCE-to-DEPARTMENT``
    meets the unmet demands of a department for a resource (several such
    demands are one integration);
``close-MATTER``
    closes the fault zone of an approval matter;
``reroute-EXCHANGE``
    moves a point-to-point exchange onto the hub, named after its key, the
    exchange's id or ``from->to`` (exchanges without an id between the same
    two systems move together).

A candidate's *subject* is what it is about: the island's id; the resource
and the department; the matter; the exchange's key and its two systems.
Should two candidates get the same id (an exchange whose id reads
``a->b``, and one without an id from ``a`` to ``b``), the one whose subject
sorts later gets ``-2`` (then ``-3`` ...). Its score is a weighted sum of explicit
factors:

``islands_merged``
    island groups it joins to the hub;
``systems_reached``
    in-use systems it joins to the hub;
``departments_reached``
    departments that get their first system on the hub;
``demand_weight_met``
    demanded weight it supplies. An unmet demand lacks some of: a connected
    provider, a connected requester, a sharing agreement, a catalogue entry.
    Its weight is split evenly among what it lacks, and an integration earns
    the shares it supplies (a demand lacking only a connected requester is
    earned whole by connecting the requester). Cataloguing a resource
    supplies the catalogue share of every demand for it;
``fault_zones_closed``
    fault zones closed, split the same way between the approving and the
    supervising side;
``base_resources_freed``
    base resources whose holding system it joins to the hub;
``exchanges_rerouted``
    point-to-point exchanges it moves onto the hub;
``cost``
    its estimated cost, subtracted.

Splitting shares this way makes the benefit *submodular*: what a candidate
adds never grows as other integrations are done. Each candidate's cost is
estimated once, against today's landscape, so its score never grows either.
Hence the greedy roadmap's gains never increase from one pick to the next,
and lazy re-evaluation picks exactly what plain greedy would. Greedy is a
heuristic here: with costs subtracted and a budget, it carries no
approximation guarantee (the (1 - 1/e) bound holds for the benefit alone
under a limit on the number of picks). A cost stays what it was estimated
at even when an earlier pick has already made part of the connection, so a
roadmap's total cost is an upper bound.

Ties are broken the same way everywhere: equal scores by kind (in the order
of :data:`KINDS`), then by id, in :func:`priorities`, :func:`roadmap`, the
agenda and the command line. Credits are added up exactly
(``math.fsum``), so no result depends on the order of the scenario's
lists.

Complexity: O((V + E) α(V) + C log C) for C candidates, with each
candidate scored in time proportional to the groups and departments it
joins.
"""

from __future__ import annotations

import collections
import heapq
import math
from collections.abc import Iterable
from typing import Any

import attrs

from .._util import tuple_of
from ..config import require_valid
from ..graph._index import LandscapeIndex
from ..model import (
    FACTORS,
    BodyKind,
    Demand,
    Matter,
    PrioritySettings,
    ResourceCategory,
    RoleKind,
    Scenario,
)
from ..model._frozenmap import FrozenMap
from ._arguments import check_roadmap_arguments
from ._results import Tabular, records_html
from .sharing import BarrierReason, _demand_reasons

__all__ = [
    "KINDS",
    "Integration",
    "PriorityReport",
    "Roadmap",
    "RoadmapStep",
    "priorities",
    "roadmap",
]

#: Kinds of candidate integration.
KINDS = ("connect_island", "provide_resource", "close_fault_zone", "reroute_exchange")

_CONNECTIVITY = {
    BarrierReason.NO_PATH,
    BarrierReason.PROVIDER_ISOLATED,
}
#: Reasons no integration can remove.
_UNFIXABLE = {
    BarrierReason.NOT_SHARED,
    BarrierReason.NO_HOLDING_SYSTEM,
    BarrierReason.PROVIDER_NOT_IN_USE,
    BarrierReason.REQUESTER_WITHOUT_SYSTEM,
}


@attrs.frozen(kw_only=True)
class Integration:
    """A candidate integration with its score and the reasons for it.

    Parameters
    ----------
    id
        Stable identifier, such as ``provide-emissions-to-msb``.
    kind
        One of :data:`KINDS`.
    score
        Weighted sum of the factors (cost subtracted).
    factors
        Factor name to its (unweighted) value, every factor present.
    cost
        Estimated cost, in the scenario's cost units.
    explanation
        One sentence a civil servant can act on.
    accountable
        Role ids of the departmental CIOs at both ends.
    decided_by
        The body that decides (the CIO Committee when departments differ),
        or the role that decides when one department is concerned.
    systems, departments
        What the integration connects.
    """

    id: str
    kind: str
    score: float
    factors: FrozenMap[str, float]
    cost: float
    explanation: str
    accountable: tuple[str, ...] = attrs.field(converter=tuple_of)
    decided_by: str | None
    systems: tuple[str, ...] = attrs.field(converter=tuple_of)
    departments: tuple[str, ...] = attrs.field(converter=tuple_of)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form printed by ``cio-framework priorities --format json``."""
        return {
            "id": self.id,
            "kind": self.kind,
            "score": self.score,
            "factors": self.factors.to_dict(),
            "explanation": self.explanation,
            "accountable": list(self.accountable),
            "decided_by": self.decided_by,
            "cost": self.cost,
            "systems": list(self.systems),
            "departments": list(self.departments),
        }


@attrs.frozen(kw_only=True)
class PriorityReport(Tabular):
    """Candidate integrations, best first.

    Examples
    --------
    >>> import cio_framework
    >>> report = priorities(cio_framework.builtin("pudong-2016"))
    >>> [p.score for p in report.priorities] == sorted(
    ...     (p.score for p in report.priorities), reverse=True)
    True
    """

    priorities: tuple[Integration, ...] = attrs.field(converter=tuple_of)
    hub: str | None
    weights: FrozenMap[str, float]
    note: str | None = None

    def top(self, n: int) -> tuple[Integration, ...]:
        """The ``n`` best candidates."""
        return self.priorities[:n]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``hub``, ``weights`` and ``priorities`` best first."""
        return {
            "hub": self.hub,
            "weights": dict(self.weights),
            "note": self.note,
            "priorities": [p.to_dict() for p in self.priorities],
        }

    def to_records(self) -> list[dict[str, Any]]:
        """One record per candidate, factors as columns."""
        return [
            {
                "rank": i + 1,
                "id": p.id,
                "kind": p.kind,
                "score": round(p.score, 3),
                **dict(p.factors),
                "accountable": ", ".join(p.accountable),
                "decided_by": p.decided_by,
                "explanation": p.explanation,
            }
            for i, p in enumerate(self.priorities)
        ]

    def _repr_html_(self) -> str:
        return records_html(
            self.to_records(),
            ["rank", "id", "kind", "score", "cost", "explanation"],
            "No candidates.",
        )


@attrs.frozen(kw_only=True)
class RoadmapStep:
    """One pick of the roadmap: the integration and what it adds at that point."""

    integration: Integration
    gain: float
    factors: FrozenMap[str, float]
    cumulative_cost: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "id": self.integration.id,
            "kind": self.integration.kind,
            "gain": self.gain,
            "factors": self.factors.to_dict(),
            "cost": self.integration.cost,
            "cumulative_cost": self.cumulative_cost,
            "explanation": self.integration.explanation,
        }


@attrs.frozen(kw_only=True)
class Roadmap(Tabular):
    """A sequence of integrations picked greedily under a budget."""

    steps: tuple[RoadmapStep, ...] = attrs.field(converter=tuple_of)
    budget: float | None
    total_cost: float
    total_gain: float
    #: The platform integrations go through (``None`` when there is none).
    hub: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "budget": self.budget,
            "total_cost": self.total_cost,
            "total_gain": self.total_gain,
            "steps": [s.to_dict() for s in self.steps],
        }

    def to_records(self) -> list[dict[str, Any]]:
        """One record per step, the marginal factors as columns."""
        records = []
        for i, step in enumerate(self.steps):
            record = {"step": i + 1, **step.to_dict()}
            record.update(record.pop("factors"))
            records.append(record)
        return records

    def _repr_html_(self) -> str:
        return records_html(
            self.to_records(),
            ["step", "id", "gain", "cost", "cumulative_cost", "explanation"],
            "Nothing to do.",
        )


@attrs.frozen(kw_only=True)
class _Candidate:
    id: str
    kind: str
    #: What the candidate is about, canonical: it names the candidate.
    subject: tuple[str, ...]
    joins: frozenset[str]
    #: Requirement keys (agreements, catalogue entries) only such candidates supply.
    fixes: tuple[tuple[str, ...], ...]
    #: How many point-to-point exchanges it moves onto the hub.
    reroutes: int
    cost: float
    systems: tuple[str, ...]
    departments: tuple[str, ...]


#: How each kind of candidate is named after its subject.
_BASE_IDS = {
    "connect_island": lambda subject: f"connect-{subject[0]}",
    "provide_resource": lambda subject: f"provide-{subject[0]}-to-{subject[1]}",
    "close_fault_zone": lambda subject: f"close-{subject[0]}",
    "reroute_exchange": lambda subject: f"reroute-{subject[0]}",
}
_KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}


def _add(table: dict[str, dict[str, list[float]]], key: str, factor: str, value: float) -> None:
    """Record a credit; :func:`_totals` adds each list up exactly, so the
    order credits arrive in (the order of the scenario's lists) cannot change
    a total in its last bit."""
    table.setdefault(key, {}).setdefault(factor, []).append(value)


def _totals(table: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, float]]:
    return {
        key: {factor: math.fsum(values) for factor, values in row.items()}
        for key, row in table.items()
    }


class _CandidateBuilder:
    """Builds candidates for a planner and names them.

    Candidates that join the same groups share their tuples of systems and
    departments: a large group's members are listed once, not once per
    exchange inside it, and governance is decided once per tuple.
    """

    def __init__(self, planner: _Planner) -> None:
        self.planner = planner
        self.found: list[_Candidate] = []
        self._members: dict[frozenset[str], tuple[tuple[str, ...], frozenset[str]]] = {}
        self._involved: dict[
            tuple[frozenset[str], tuple[str, ...]], tuple[tuple[str, ...], tuple[str, ...]]
        ] = {}
        self._joined: dict[frozenset[str], frozenset[str]] = {}

    def members(self, joined: frozenset[str]) -> tuple[tuple[str, ...], frozenset[str]]:
        """The systems (by id) and departments of the joined groups."""
        found = self._members.get(joined)
        if found is None:
            planner = self.planner
            systems = planner.index.systems
            members = sorted(
                m for label in joined for m in planner.components[label] if m in systems
            )
            found = (tuple(members), frozenset(systems[s].department for s in members))
            self._members[joined] = found
        return found

    def involved(
        self, joined: frozenset[str], extra: tuple[str, ...]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Systems of the joined groups by id; the departments ``extra`` names
        (the sides of the integration, in their canonical order), then the
        joined groups' other departments by id."""
        key = (joined, extra)
        found = self._involved.get(key)
        if found is None:
            systems, departments = self.members(joined)
            found = (systems, tuple(dict.fromkeys((*extra, *sorted(departments)))))
            self._involved[key] = found
        return found

    def joined(self, labels: Iterable[str]) -> frozenset[str]:
        """The groups of ``labels`` not yet on the hub, one shared set per
        distinct answer."""
        core = self.planner.core
        found = frozenset(label for label in labels if label not in core)
        return self._joined.setdefault(found, found)

    def make(
        self,
        kind: str,
        subject: tuple[str, ...],
        joined: frozenset[str],
        *,
        fixes: tuple[tuple[str, ...], ...] = (),
        reroutes: int = 0,
        extra_cost: float = 0.0,
        departments: tuple[str, ...] = (),
    ) -> None:
        """Add a candidate that joins the groups ``joined`` (from
        :meth:`joined`) to the hub. Joining costs ``connection_cost`` a group
        unless the candidate reroutes exchanges, which puts their group on
        the hub as part of the move."""
        cost = extra_cost
        if not reroutes:
            cost += len(joined) * self.planner.settings.connection_cost
        systems, involved = self.involved(joined, departments)
        self.found.append(
            _Candidate(
                id=_BASE_IDS[kind](subject),
                kind=kind,
                subject=subject,
                joins=joined,
                fixes=fixes,
                reroutes=reroutes,
                cost=cost,
                systems=systems,
                departments=involved,
            )
        )

    def named(self) -> list[_Candidate]:
        """The candidates, a colliding id given ``-2``, ``-3`` ... in the order
        of the candidates' subjects, so that the same candidate gets the same
        id however the scenario is written."""
        if len({candidate.id for candidate in self.found}) == len(self.found):
            return self.found  # no collision: the common case, decided in one pass
        by_id: dict[str, list[_Candidate]] = {}
        for candidate in self.found:
            by_id.setdefault(candidate.id, []).append(candidate)
        taken = set(by_id)
        named = []
        for base, same in by_id.items():
            if len(same) > 1:
                same.sort(key=lambda c: (_KIND_RANK[c.kind], c.subject))
            named.append(same[0])
            number = 2
            for candidate in same[1:]:
                while f"{base}-{number}" in taken:
                    number += 1
                taken.add(f"{base}-{number}")
                named.append(attrs.evolve(candidate, id=f"{base}-{number}"))
        return named


class _Planner:
    """Baseline facts and the evolving state of the greedy roadmap."""

    def __init__(self, scenario: Scenario, settings: PrioritySettings) -> None:
        self.scenario = scenario
        self.settings = settings
        self.weights = {factor: settings.weight(factor) for factor in FACTORS}
        self.index = index = LandscapeIndex(scenario)
        self.components = index.components()
        self.size = {
            label: sum(1 for m in members if m in index.systems)
            for label, members in self.components.items()
        }
        self.island = {
            label: not any(m in index.platforms for m in members)
            for label, members in self.components.items()
        }
        self.hub = self._pick_hub()
        self.core: set[str] = set()
        self.dept_labels = index.department_labels()
        self.depts_of: dict[str, set[str]] = {}
        for system in index.in_use:
            self.depts_of.setdefault(index.label(system.id), set()).add(system.department)
        self.reached: set[str] = set()
        self.matters = {m.id: m for m in scenario.matters}
        self.cios: dict[str, str] = {}
        for role in sorted(scenario.roles, key=lambda r: r.id):
            if role.kind is RoleKind.DEPARTMENTAL_CIO and role.department is not None:
                self.cios.setdefault(role.department, role.id)
        committee = min(
            (b.id for b in scenario.bodies if b.kind is BodyKind.CIO_COMMITTEE), default=None
        )
        if committee is None:
            committee = min(
                (r.id for r in scenario.roles if r.kind is RoleKind.DISTRICT_CIO), default=None
            )
        #: Who decides integrations that concern several departments.
        self.committee = committee
        self.label_credit: dict[str, dict[str, float]] = {}
        self.dept_credit: dict[str, dict[str, float]] = {}
        #: Requirement key to the demand weight supplying it earns.
        self.requirement_credit: dict[tuple[str, ...], float] = {}
        #: (resource, requester) to the demands an integration could meet.
        self.open_demands: dict[tuple[str, str], list[Demand]] = {}
        #: (resource, requester) to everything those demands need.
        self.open_needs: dict[tuple[str, str], set[tuple[str, ...]]] = {}
        #: Requirements (agreements, catalogue entries) supplied by the picks so far.
        self.done: set[tuple[str, ...]] = set()
        self._factor_maps: dict[tuple[float, ...], FrozenMap[str, float]] = {}
        #: (departments, accountable, decided by), by id of the departments tuple.
        self.governance: dict[
            tuple[int, bool], tuple[tuple[str, ...], tuple[str, ...], str | None]
        ] = {}
        if self.hub is not None:
            self.core.add(index.label(self.hub))
            self.reached = {d for d, labels in self.dept_labels.items() if labels & self.core}
            self._credits()

    # -- baseline ---------------------------------------------------------------

    def _pick_hub(self) -> str | None:
        """The configured hub, else the platform whose group has the most
        systems, then the most platforms, then the least id."""
        if self.settings.hub is not None:
            return self.settings.hub
        index = self.index

        def rank(platform: str) -> tuple[int, int, str]:
            label = index.label(platform)
            platforms = sum(1 for m in self.components[label] if m in index.platforms)
            return (-self.size[label], -platforms, platform)

        return min(index.platforms, key=rank, default=None)

    def groups_of(self, department: str) -> list[str]:
        """The labels of a department's groups that are not yet on the hub.

        Connecting a department connects all of them: a canonical choice
        that does not depend on ids or list order.
        """
        return [label for label in self.dept_labels.get(department, ()) if label not in self.core]

    def _credits(self) -> None:
        index = self.index
        labels: dict[str, dict[str, list[float]]] = {}
        departments: dict[str, dict[str, list[float]]] = {}
        requirements: dict[tuple[str, ...], list[float]] = {}
        for label in self.components:
            if label in self.core:
                continue
            _add(labels, label, "systems_reached", self.size[label])
            if self.island[label] and self.size[label]:
                _add(labels, label, "islands_merged", 1.0)
        for department in self.dept_labels:
            if department not in self.reached:
                _add(departments, department, "departments_reached", 1.0)
        for resource in self.scenario.resources:
            holder = index.systems.get(resource.held_in or "")
            if resource.category is ResourceCategory.BASE and holder is not None and holder.in_use:
                label = index.label(holder.id)
                if label not in self.core:
                    _add(labels, label, "base_resources_freed", 1.0)
        for demand in self.scenario.demands:
            needs = self._demand_needs(demand)
            if needs is None:
                continue
            pair = (demand.resource, demand.by)
            self.open_demands.setdefault(pair, []).append(demand)
            self.open_needs.setdefault(pair, set()).update(needs)
            share = demand.weight / len(needs)
            for need in needs:
                if need[0] == "label":
                    _add(labels, need[1], "demand_weight_met", share)
                elif need[0] == "department":
                    _add(departments, need[1], "demand_weight_met", share)
                else:
                    requirements.setdefault(need, []).append(share)
        for matter in self.scenario.matters:
            sides = self._open_sides(matter)
            for side in sides:
                _add(departments, side, "fault_zones_closed", 1.0 / len(sides))
        self.label_credit = _totals(labels)
        self.dept_credit = _totals(departments)
        self.requirement_credit = {key: math.fsum(v) for key, v in requirements.items()}

    def _demand_needs(self, demand: Demand) -> list[tuple[str, ...]] | None:
        """What an integration could supply to meet ``demand``, each need a
        key: ``("label", L)`` for a provider's group to connect,
        ``("department", D)`` for a requester to reach, ``("agreement", R,
        D)`` and ``("catalogue", R)``; ``None`` when no integration can meet it."""
        index = self.index
        reasons = set(_demand_reasons(index, demand))
        if not reasons or reasons & _UNFIXABLE:
            return None
        resource = index.resources[demand.resource]
        holder = index.systems[resource.held_in or ""]
        needs: list[tuple[str, ...]] = []
        if reasons & _CONNECTIVITY:
            label = index.label(holder.id)
            if label not in self.core:
                needs.append(("label", label))
            if demand.by not in self.reached:
                needs.append(("department", demand.by))
        if BarrierReason.CONDITIONAL_WITHOUT_AGREEMENT in reasons:
            needs.append(("agreement", resource.id, demand.by))
        if BarrierReason.NOT_CATALOGUED in reasons:
            needs.append(("catalogue", resource.id))
        return needs or None

    def _open_sides(self, matter: Matter) -> list[str]:
        """The sides of a matter's fault zone not yet reached; empty when
        there is no fault zone an integration can close (one department
        does both, one has no system in use, or they already share a group)."""
        a, b = matter.approved_by, matter.supervised_by
        labels = self.dept_labels
        if a == b or a not in labels or b not in labels or labels[a] & labels[b]:
            return []
        return [d for d in (a, b) if d not in self.reached]

    # -- candidates ---------------------------------------------------------------

    def candidates(self) -> list[_Candidate]:
        """Every candidate (in no particular order)."""
        if self.hub is None:
            return []
        found = _CandidateBuilder(self)
        for label, members in self.components.items():
            if self.island[label] and self.size[label] and label not in self.core:
                first = min(m for m in members if m in self.index.systems)
                found.make("connect_island", (first,), found.joined((label,)))
        for (resource_id, by), needs in self.open_needs.items():
            resource = self.index.resources[resource_id]
            joins = [need[1] for need in needs if need[0] == "label"]
            if ("department", by) in needs:
                joins.extend(self.groups_of(by))
            fixes = sorted(need for need in needs if need[0] in ("agreement", "catalogue"))
            settings = self.settings
            found.make(
                "provide_resource",
                (resource_id, by),
                found.joined(joins),
                fixes=tuple(fixes),
                extra_cost=math.fsum(
                    settings.agreement_cost if fix[0] == "agreement" else settings.catalogue_cost
                    for fix in fixes
                ),
                departments=(resource.owner, by),
            )
        for matter in self.scenario.matters:
            sides = self._open_sides(matter)
            if sides:
                joins = [label for side in sides for label in self.groups_of(side)]
                found.make(
                    "close_fault_zone",
                    (matter.id,),
                    found.joined(joins),
                    departments=(matter.approved_by, matter.supervised_by),
                )
        self._reroutes(found)
        return found.named()

    def _reroutes(self, found: _CandidateBuilder) -> None:
        """One candidate per point-to-point exchange between two systems, but
        exchanges without an id between the same two systems are moved
        together, as one candidate. A candidate's subject is the exchange's
        key, then its two systems: an id that reads like another exchange's
        ``from->to`` names a different candidate. The bulk of the candidates
        at scale: rows and tuples are shared wherever they can be."""
        index = self.index
        systems, labels = index.systems, index.labels
        rows = [
            (exchange.id, exchange.key, a, b)
            for exchange, a, b, via in zip(
                index.live, index.live_from, index.live_to, index.live_via, strict=True
            )
            if via is None and a != b and a in systems and b in systems
        ]
        # exchanges without an id between the same two systems move together
        same = [(a, b) for exchange_id, _, a, b in rows if exchange_id is None]
        counts = None if len(set(same)) == len(same) else collections.Counter(same)
        reroute_cost = float(self.settings.reroute_cost)
        sides: dict[tuple[str, str], tuple[str, ...]] = {}
        groups: dict[str, frozenset[str]] = {}
        for exchange_id, key, a, b in rows:
            count = 1
            if counts is not None and exchange_id is None:
                count = counts[a, b]
                if not count:
                    continue  # moved with the first exchange between a and b
                counts[a, b] = 0
            pair = (systems[a].department, systems[b].department)
            departments = sides.get(pair)
            if departments is None:
                departments = sides[pair] = tuple(sorted(set(pair)))
            label = labels[a]
            joined = groups.get(label)
            if joined is None:
                joined = groups[label] = found.joined((label,))
            found.make(
                "reroute_exchange",
                (key, a, b),
                joined,
                reroutes=count,
                extra_cost=reroute_cost * count,
                departments=departments,
            )

    # -- evaluation -----------------------------------------------------------------

    def evaluate(self, candidate: _Candidate) -> dict[str, float]:
        """Factor values the candidate adds to the current state, each added
        up exactly (the order of groups and departments cannot change it)."""
        values = dict.fromkeys(FACTORS, 0.0)
        core = self.core
        labels = [label for label in candidate.joins if label not in core]
        if labels or candidate.fixes:
            for factor, found in self._credits_of(labels, candidate.fixes).items():
                values[factor] = math.fsum(found)
        if candidate.reroutes:  # a candidate is evaluated no more once picked
            values["exchanges_rerouted"] = float(candidate.reroutes)
        values["cost"] = candidate.cost
        return values

    def _credits_of(
        self, labels: list[str], fixes: tuple[tuple[str, ...], ...]
    ) -> dict[str, list[float]]:
        """Every credit that joining ``labels`` and supplying ``fixes`` earns
        now, by factor."""
        parts: dict[str, list[float]] = {}
        new_departments: set[str] = set()
        for label in labels:
            # every group not on the hub when credits were counted has a row
            for factor, value in self.label_credit[label].items():
                parts.setdefault(factor, []).append(value)
            new_departments |= self.depts_of.get(label, set()) - self.reached
        for department in new_departments:
            for factor, value in self.dept_credit[department].items():
                parts.setdefault(factor, []).append(value)
        for key in fixes:
            if key not in self.done:
                parts.setdefault("demand_weight_met", []).append(self.requirement_credit[key])
        return parts

    def frozen(self, values: dict[str, float]) -> FrozenMap[str, float]:
        """``values`` as a read-only map, one shared object per distinct set of
        values (thousands of reroutes have the same factors)."""
        key = tuple(values.values())  # always in FACTORS order
        found = self._factor_maps.get(key)
        if found is None:
            found = self._factor_maps[key] = FrozenMap(values)
        return found

    def score(self, values: dict[str, float]) -> float:
        """The weighted sum of the factors, cost subtracted (in FACTORS order)."""
        weights = self.weights
        total = 0.0
        for factor, value in values.items():
            if value:
                total += -weights[factor] * value if factor == "cost" else weights[factor] * value
        return total

    def apply(self, candidate: _Candidate) -> None:
        """Record a pick: its groups are on the hub, its requirements supplied."""
        for label in candidate.joins:
            if label in self.core:
                continue
            self.core.add(label)
            self.reached |= self.depts_of.get(label, set())
        self.done.update(candidate.fixes)


_GAIN_WORDS = {
    "islands_merged": "island{s} merged",
    "systems_reached": "system{s} reached",
    "departments_reached": "department{s} reached",
    "demand_weight_met": "demanded weight met",
    "fault_zones_closed": "fault zone{s} closed",
    "base_resources_freed": "base resource{s} freed",
    "exchanges_rerouted": "exchange{s} rerouted",
}


def _explain(planner: _Planner, candidate: _Candidate, values: dict[str, float]) -> str:
    index = planner.index
    hub = index.platforms[planner.hub].name  # type: ignore[index]  # no hub, no candidates
    if candidate.kind == "connect_island":
        names = [index.department_name(d) for d in candidate.departments]
        what = (
            f"Connect the island of {len(candidate.systems)} system"
            f"{'s' if len(candidate.systems) != 1 else ''} of {', '.join(names)} to {hub}"
        )
    elif candidate.kind == "provide_resource":
        resource_id, by = candidate.subject
        resource = index.resources[resource_id]
        parts = []
        if candidate.joins:
            parts.append(f"connect to {hub}")
        if any(fix[0] == "agreement" for fix in candidate.fixes):
            parts.append("conclude a sharing agreement")
        if any(fix[0] == "catalogue" for fix in candidate.fixes):
            parts.append("catalogue the resource")
        how = " and ".join(parts)  # never empty: each open need adds one of these
        demands = planner.open_demands[(resource_id, by)]
        purposes = sorted({d.purpose for d in demands if d.purpose})
        purpose = f" for {'; '.join(purposes)}" if purposes else ""
        what = (
            f"Provide {resource.name} from {index.department_name(resource.owner)} to "
            f"{index.department_name(by)}{purpose} ({how})"
        )
    elif candidate.kind == "close_fault_zone":
        matter = planner.matters[candidate.subject[0]]
        what = (
            f"Close the fault zone of {matter.name} by connecting "
            f"{index.department_name(matter.approved_by)} (approves) and "
            f"{index.department_name(matter.supervised_by)} (supervises) through {hub}"
        )
    elif candidate.reroutes == 1:
        what = f"Move the point-to-point exchange {candidate.subject[0]} onto {hub}"
    else:
        what = (
            f"Move the {candidate.reroutes} point-to-point exchanges "
            f"{candidate.subject[0]} onto {hub}"
        )
    gains = []
    for factor, template in _GAIN_WORDS.items():
        value = values[factor]  # every factor is present
        if value:
            plural = "" if value == 1 else "s"
            gains.append(f"{value:g} {template.format(s=plural)}")
    # never empty: a candidate always adds something when it is explained
    return f"{what}: {', '.join(gains)}, for an estimated cost of {candidate.cost:g}."


def _governance(planner: _Planner, departments: Iterable[str]) -> tuple[list[str], str | None]:
    departments = list(dict.fromkeys(departments))
    accountable = [planner.cios[d] for d in departments if d in planner.cios]
    if len(departments) > 1:
        return accountable, planner.committee
    return accountable, accountable[0] if accountable else None


def _settings(scenario: Scenario, weights: dict[str, float] | None) -> PrioritySettings:
    settings = scenario.priorities
    if weights:
        settings = attrs.evolve(settings, weights={**settings.weights, **weights})
    return settings


def _integration(planner: _Planner, candidate: _Candidate, values: dict[str, float]) -> Integration:
    with_operator = planner.hub is not None and candidate.kind in (
        "connect_island",
        "reroute_exchange",
    )
    # candidates share department tuples (see candidates()): decide once per tuple
    key = (id(candidate.departments), with_operator)
    cached = planner.governance.get(key)
    if cached is None or cached[0] is not candidate.departments:
        owners = list(candidate.departments)
        if with_operator:
            operator = planner.index.platforms[planner.hub].operator  # type: ignore[index]
            if operator is not None:
                owners.append(operator)
        chosen, decider = _governance(planner, owners)
        cached = planner.governance[key] = (candidate.departments, tuple(chosen), decider)
    _, accountable, decided_by = cached
    return Integration(
        id=candidate.id,
        kind=candidate.kind,
        score=planner.score(values),
        factors=planner.frozen(values),
        cost=candidate.cost,
        explanation=_explain(planner, candidate, values),
        accountable=accountable,
        decided_by=decided_by,
        systems=candidate.systems,
        departments=candidate.departments,
    )


def priorities(scenario: Scenario, *, weights: dict[str, float] | None = None) -> PriorityReport:
    """Rank the candidate integrations of a scenario, best first.

    Parameters
    ----------
    scenario
        The scenario; its ``priorities:`` settings give weights, costs and the hub.
    weights
        Factor weights overriding the scenario's (see :data:`~cio_framework.model.FACTORS`).

    Returns
    -------
    PriorityReport
        Every candidate scored against today's landscape, best first (ties by
        kind, then id).

    Notes
    -----
    O((V + E) α(V) + R + D + M) to index the landscape and build the
    candidates; each candidate is scored in time proportional to the groups
    and departments it joins.

    Examples
    --------
    >>> from cio_framework.model import Exchange, Platform, System
    >>> from cio_framework.testing import make_scenario
    >>> s = make_scenario(
    ...     platforms=[Platform(id="cloud", name="Cloud")],
    ...     systems=[System(id="a", name="A", department="district"),
    ...              System(id="b", name="B", department="epb")],
    ...     exchanges=[Exchange(from_="a", to="cloud")],
    ... )
    >>> best = priorities(s).priorities[0]
    >>> best.id, best.kind, best.accountable
    ('connect-b', 'connect_island', ('epb-cio',))
    >>> print(best.explanation)
    Connect the island of 1 system of Environmental Protection Bureau to Cloud: 1 island merged, 1 system reached, 1 department reached, for an estimated cost of 1.
    """
    require_valid(scenario)
    for name in weights or {}:
        if name not in FACTORS:
            raise ValueError(f"unknown priority factor {name!r}; known: {', '.join(FACTORS)}")
    settings = _settings(scenario, weights)
    planner = _Planner(scenario, settings)
    note = None
    if planner.hub is None:
        note = (
            "The scenario has no shared platform: add one under 'platforms' to plan integrations."
        )
    found = []
    for candidate in planner.candidates():
        values = planner.evaluate(candidate)
        found.append(_integration(planner, candidate, values))
    order = {kind: i for i, kind in enumerate(KINDS)}
    found.sort(key=lambda p: (-p.score, order[p.kind], p.id))
    effective = FrozenMap({f: settings.weight(f) for f in FACTORS})
    return PriorityReport(priorities=found, hub=planner.hub, weights=effective, note=note)


def roadmap(
    scenario: Scenario,
    *,
    budget: float | None = None,
    weights: dict[str, float] | None = None,
    limit: int | None = None,
) -> Roadmap:
    """Pick integrations greedily under a budget, re-scoring after each pick.

    Each step takes the candidate with the highest *marginal* score given
    the integrations already picked (whose cost fits what is left of the
    budget), until no candidate adds a positive score.

    Parameters
    ----------
    scenario
        The scenario.
    budget
        Total cost allowed; the scenario's ``priorities.budget`` by default,
        unlimited when neither is set.
    weights
        Factor weights overriding the scenario's.
    limit
        Stop after this many steps.

    Returns
    -------
    Roadmap

    Raises
    ------
    TypeError, ValueError
        For a budget that is not a finite number of 0 or more, or a limit
        that is not a whole number of 0 or more (as the command line).

    Notes
    -----
    Lazy greedy evaluation (CELF): candidates sit in a heap keyed by their
    last score, then by kind and id, and only the top one is re-scored;
    because scores are submodular, a re-scored top that stays on top is the
    true best, and among equal scores the one :func:`priorities` ranks first.
    Typical cost is O(C log C) for C candidates.

    Examples
    --------
    >>> import cio_framework
    >>> plan = roadmap(cio_framework.builtin("pudong-2016"), budget=3)
    >>> plan.total_cost <= 3
    True
    >>> gains = [step.gain for step in plan.steps]
    >>> gains == sorted(gains, reverse=True)
    True
    """
    check_roadmap_arguments(budget, limit)
    require_valid(scenario)
    settings = _settings(scenario, weights)
    if budget is None:
        budget = settings.budget
    planner = _Planner(scenario, settings)
    candidates = planner.candidates()
    candidates.sort(key=lambda c: (_KIND_RANK[c.kind], c.id))
    heap: list[tuple[float, int, int]] = []
    version = 0
    # candidates come by kind, then id: on equal scores the position decides
    for position, candidate in enumerate(candidates):
        heap.append((-planner.score(planner.evaluate(candidate)), position, version))
    heapq.heapify(heap)
    steps: list[RoadmapStep] = []
    spent = 0.0
    total_gain = 0.0
    while heap and (limit is None or len(steps) < limit):
        negative, position, evaluated_at = heapq.heappop(heap)
        candidate = candidates[position]
        if budget is not None and spent + candidate.cost > budget + 1e-9:
            continue  # the budget only shrinks: it can never fit again
        if evaluated_at != version:
            values = planner.evaluate(candidate)
            heapq.heappush(heap, (-planner.score(values), position, version))
            continue
        gain = -negative
        if gain <= 0:
            break
        values = planner.evaluate(candidate)
        integration = _integration(planner, candidate, values)
        planner.apply(candidate)
        version += 1
        spent += candidate.cost
        total_gain += gain
        steps.append(
            RoadmapStep(
                integration=integration,
                gain=gain,
                factors=FrozenMap(values),
                cumulative_cost=spent,
            )
        )
    return Roadmap(
        steps=steps, budget=budget, total_cost=spent, total_gain=total_gain, hub=planner.hub
    )
