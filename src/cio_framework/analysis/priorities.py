"""Integration priorities: which integrations to do first, and why.

Every candidate integration connects groups of systems to the *hub*, the
shared platform integrations go through (by default the hub of the highest
jurisdiction that has one, then the least jurisdiction id; in a scenario
without jurisdictions, the platform whose group has the most systems, then
the most platforms, then the least id), and may also conclude a sharing
agreement or catalogue a resource. The groups *on the hub* are those
joined to it.

In a scenario with nested jurisdictions (:mod:`cio_framework.graph.jurisdictions`)
a candidate connects to the hub of the lowest common jurisdiction of its
departments, or of the nearest jurisdiction above it, whose group holds
the main hub (the main hub when none does): a district island goes to its
city's hub. A group holding an unlinked jurisdiction's hub is an island
too, of the government above (see :func:`~cio_framework.analysis.islands`).
Who is accountable and who decides is described under :class:`Integration`.

The candidates, each named after what it is about:

``connect-SYSTEM``
    connects an island (a group holding no platform that serves it, or a
    jurisdiction's hub off the main hub; see
    :func:`~cio_framework.analysis.islands`) to the hub; named after the
    island's id, the least id of its systems;
``provide-RESOURCE-to-DEPARTMENT``
    meets the unmet demands of a department for a resource (several such
    demands are one integration): connects the group holding the resource
    and the requester's *main group* to the hub where they are not on it;
``close-MATTER``
    closes the fault zone of an approval matter (see
    :mod:`~cio_framework.analysis.faultzones`): connects each group holding
    some of its missing supervision data (the main group of the department
    recording it, when the approval or registration records are missing),
    and the supervisor's main group, where they are not on the hub. When
    that makes more than two groups, there is one candidate per group
    holding missing data, each with the supervisor's main group, named
    ``close-MATTER-from-GROUP`` after that group's id;
``reroute-EXCHANGE``
    moves a point-to-point exchange onto the hub, named after its key, the
    exchange's id or ``from->to`` (exchanges without an id between the same
    two systems move together).

A department's main group is the group holding most of its in-use systems,
then the larger group, then the one whose joining alone would earn most
(its score, then its factors in the order below), then the one with the
least id: one group is enough to reach a department, and a canonical one,
chosen by what it is, whatever the order of the scenario's lists or the
names of its ids (only groups that earn exactly alike are told apart by
id). So every candidate joins at most two groups, and names
them by their stable ids (the least id of their systems, as
:func:`~cio_framework.analysis.islands` does); a report lists each group's
members once, in its ``groups``, however many candidates join it.

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
    fault zones closed, split the same way: a zone lacks a connected group
    for each group holding missing supervision data, a reached department
    for the department recording it (when the records are missing) and a
    reached supervisor; one share each. A zone that no integration can close
    (missing data in no system in use, or a supervisor or recording
    department without one) earns nothing;
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

Complexity: O((V + E) α(V) + R + D + M + C log C) for C candidates. A
group's credits, with those of the departments it reaches, are added up
once (per pick, in a roadmap), so a candidate is scored in constant time
plus, when it joins two groups, the smaller of their department counts
(once per pair of groups).
"""

from __future__ import annotations

import bisect
import collections
import functools
import heapq
import math
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import attrs

from .._contracts import document
from .._util import counted, slot_maker, tuple_of
from ..config import require_valid
from ..graph.jurisdictions import JurisdictionTree
from ..model import (
    FACTORS,
    ApprovalStatus,
    BodyKind,
    Demand,
    Element,
    Matter,
    Platform,
    PrioritySettings,
    ResourceCategory,
    Role,
    RoleGrade,
    Scenario,
)
from ..model._frozenmap import FrozenMap
from ._arguments import check_count, check_roadmap_arguments
from ._results import Tabular, records_html
from ._shared import Shared
from .connectivity import Group
from .evidence import SOURCED, Evidence
from .faultzones import gaps
from .sharing import BarrierReason, _demand_reasons

__all__ = [
    "KINDS",
    "Integration",
    "PriorityReport",
    "Roadmap",
    "RoadmapStep",
    "deciders",
    "groups_dict",
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
        Role ids of the departmental CIOs of ``departments``, then the hub
        operator's for a connection or a reroute. In a scenario with
        jurisdictions, a department without a chief officer of its own
        answers through the chief officer of its jurisdiction (for the whole
        of it), or of the nearest jurisdiction above that has one.
    decided_by
        The body or role that decides: when several departments are
        concerned (its own, the hub operator's for a connection or a
        reroute, and those of the groups it joins), the decider of their
        lowest common jurisdiction (its
        ``decided_by``, else its CIO committee, else its chief officer,
        else the decider above it); when one department is, its CIO.
    groups
        Stable ids of the groups it joins to the hub, by id; the report's
        ``groups`` lists their members.
    departments
        The departments it is about: the island's for a connection, the
        resource's owner and the requester, the departments holding a fault
        zone's missing supervision data (the approver, when the approval
        records are missing) then the supervisor, or the departments at the
        ends of a rerouted exchange.
    evidence
        The grade of what it rests on: the groups it joins (their systems,
        platforms, departments and exchanges), the departments it is about,
        the demands and matters that credit reaching either, and its
        subject (the island's first system by id; the resource, the
        requester and its open demands; the matter, with the first system
        by id of the group a split fault zone is closed for; or every
        exchange of the rerouted exchange's key, with its two systems).
    jurisdiction
        Where it is decided: the lowest common jurisdiction of
        ``departments`` and, for a connection or a reroute, the hub's
        operator; ``None`` at the scenario level.
    """

    id: str
    kind: str
    score: float
    factors: FrozenMap[str, float]
    cost: float
    explanation: str
    accountable: tuple[str, ...] = attrs.field(converter=tuple_of)
    decided_by: str | None
    groups: tuple[str, ...] = attrs.field(converter=tuple_of)
    departments: tuple[str, ...] = attrs.field(converter=tuple_of)
    evidence: Evidence
    jurisdiction: str | None = None

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
            "jurisdiction": self.jurisdiction,
            "cost": self.cost,
            "groups": list(self.groups),
            "departments": list(self.departments),
            "evidence": self.evidence.to_dict(),
        }


def groups_dict(
    groups: Mapping[str, Group], integrations: Iterable[Integration]
) -> dict[str, dict[str, Any]]:
    """The groups ``integrations`` join, by id, each in its JSON form (as
    :func:`~cio_framework.analysis.islands` gives it): the members of a
    group are listed once, however many integrations join it."""
    wanted = sorted({group for integration in integrations for group in integration.groups})
    return {group: groups[group].to_dict() for group in wanted}


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
    #: The groups the candidates join, by their stable ids.
    groups: FrozenMap[str, Group] = attrs.field(factory=FrozenMap)

    def top(self, n: int) -> tuple[Integration, ...]:
        """The ``n`` best candidates."""
        return self.priorities[:n]

    def to_dict(self) -> dict[str, Any]:
        """The JSON document ``priorities`` (what ``cio-framework priorities
        --format json`` prints): ``hub``, ``weights``, ``note``,
        ``priorities`` best first, and the ``groups`` they join, by id."""
        return self.to_dict_with([p.to_dict() for p in self.priorities])

    def to_dict_with(self, rows: list[Any]) -> dict[str, Any]:
        """The document :meth:`to_dict` gives, with ``rows`` in place of the
        candidates' JSON forms: for a writer that encodes each candidate
        itself (the command line writes a million of them at national scale).

        Examples
        --------
        >>> import cio_framework
        >>> report = priorities(cio_framework.builtin("pudong-2016"))
        >>> report.to_dict_with([p.to_dict() for p in report.priorities]) == report.to_dict()
        True
        """
        return document(
            "priorities",
            {
                "hub": self.hub,
                "weights": dict(self.weights),
                "note": self.note,
                "priorities": rows,
                "groups": groups_dict(self.groups, self.priorities),
            },
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One record per candidate, factors as columns."""
        return [
            {
                "rank": i + 1,
                "id": p.id,
                "kind": p.kind,
                "score": round(p.score, 3),
                **dict(p.factors),
                "accountable": list(p.accountable),
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
        """The JSON form, shaped as the value: the ``integration`` (as
        :meth:`Integration.to_dict`), then ``gain``, ``factors`` and
        ``cumulative_cost``."""
        return {
            "integration": self.integration.to_dict(),
            "gain": self.gain,
            "factors": self.factors.to_dict(),
            "cumulative_cost": self.cumulative_cost,
        }

    def to_record(self) -> dict[str, Any]:
        """The step as one flat record: what it does, gains and costs."""
        return {
            "id": self.integration.id,
            "kind": self.integration.kind,
            "gain": self.gain,
            "cost": self.integration.cost,
            "cumulative_cost": self.cumulative_cost,
            "explanation": self.integration.explanation,
            "evidence": str(self.integration.evidence),
            **self.factors.to_dict(),
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
    #: The groups the picked integrations join, by their stable ids.
    groups: FrozenMap[str, Group] = attrs.field(factory=FrozenMap)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document ``roadmap`` (what ``cio-framework priorities
        --budget B --format json`` prints): the ``hub``, the budget and
        totals, the ``steps`` in order, and the ``groups`` they join, by id."""
        return document(
            "roadmap",
            {
                "hub": self.hub,
                "budget": self.budget,
                "total_cost": self.total_cost,
                "total_gain": self.total_gain,
                "steps": [s.to_dict() for s in self.steps],
                "groups": groups_dict(self.groups, (s.integration for s in self.steps)),
            },
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One flat record per step, the marginal factors as columns."""
        return [{"step": i + 1, **step.to_record()} for i, step in enumerate(self.steps)]

    def _repr_html_(self) -> str:
        return records_html(
            self.to_records(),
            ["step", "id", "gain", "cost", "cumulative_cost", "explanation"],
            "Nothing to do.",
        )


class _Candidate(NamedTuple):
    """A candidate integration while it is planned (a tuple: hundreds of
    thousands are made at national scale)."""

    id: str
    kind: str
    #: What the candidate is about, canonical: it names the candidate.
    subject: tuple[str, ...]
    #: The labels of the groups (at most two) it joins, none on the hub today.
    joins: frozenset[str]
    #: Requirement keys (agreements, catalogue entries) only such candidates supply.
    fixes: tuple[tuple[str, ...], ...]
    #: How many point-to-point exchanges it moves onto the hub.
    reroutes: int
    cost: float
    #: The departments it is about (see :class:`Integration`).
    departments: tuple[str, ...]


class _WorkedOut(dict[str, Evidence]):
    """Each key's value, worked out by ``make`` when first looked up: looking
    up a known key calls no Python-level function."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[str], Evidence]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: str) -> Evidence:
        found = self[key] = self._make(key)
        return found


def _credit_grade(
    shared: Shared, crediting: Mapping[str, list[tuple[str, Element]]], key: str
) -> Evidence:
    """The grade of a group (by label) or department, with the demands and
    matters that credit reaching it (kept in ``_Planner.credit_grades``)."""
    own = shared.grades.of(ids=(key,), elements=crediting.get(key, ()))
    group = shared.group_grades.get(key)
    return Evidence.combine([own] if group is None else [own, group])


class _Worth(NamedTuple):
    """What a candidate earns, shared by the candidates alike."""

    score: float
    #: The factor values, one shared map per distinct set of values.
    factors: FrozenMap[str, float]
    #: The end of its explanation: what it gains and what it costs, in words.
    ending: str


#: How each kind of candidate is named after its subject.
_BASE_IDS: dict[str, Callable[[tuple[str, ...]], str]] = {
    "connect_island": lambda subject: f"connect-{subject[0]}",
    "provide_resource": lambda subject: f"provide-{subject[0]}-to-{subject[1]}",
    "close_fault_zone": lambda subject: (
        f"close-{subject[0]}" if len(subject) == 1 else f"close-{subject[0]}-from-{subject[1]}"
    ),
    "reroute_exchange": lambda subject: f"reroute-{subject[0]}",
}
_KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}
_ID = operator.attrgetter("id")


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


def _exact(values: Iterable[float]) -> list[float]:
    """Non-overlapping partial sums whose exact total is that of ``values``
    (Shewchuk's algorithm, the one behind :func:`math.fsum`).

    ``math.fsum`` of them and of more values rounds the exact total of all
    the values, so a sum worked out once and reused gives the same result,
    to the last bit, as adding every value up again.
    """
    partials: list[float] = []
    for value in values:
        x, i = value, 0
        for y in partials:
            if abs(x) < abs(y):
                x, y = y, x
            high = x + y
            low = y - (high - x)
            if low:
                partials[i] = low
                i += 1
            x = high
        partials[i:] = [x]
    return partials


class _CandidateBuilder:
    """Builds candidates for a planner and names them."""

    def __init__(self, planner: _Planner) -> None:
        self.planner = planner
        self.found: list[_Candidate] = []
        #: One shared set per distinct answer (thousands of reroutes join one group).
        self._joined: dict[frozenset[str], frozenset[str]] = {}
        #: That set for each ``joins`` asked for (the hub's groups do not
        #: change while candidates are built).
        self._joined_by_joins: dict[tuple[str, ...], frozenset[str]] = {}

    def make(
        self,
        kind: str,
        subject: tuple[str, ...],
        joins: Iterable[str],
        *,
        fixes: tuple[tuple[str, ...], ...] = (),
        reroutes: int = 0,
        extra_cost: float = 0.0,
        departments: tuple[str, ...] = (),
    ) -> None:
        """Add a candidate that joins the groups ``joins`` not yet on the hub.
        Joining costs ``connection_cost`` a group unless the candidate
        reroutes exchanges, which puts their group on the hub as part of the
        move."""
        joined = self.joined(tuple(joins))
        cost = extra_cost
        if not reroutes:
            cost += len(joined) * self.planner.settings.connection_cost
        self.found.append(
            _Candidate(
                _BASE_IDS[kind](subject), kind, subject, joined, fixes, reroutes, cost, departments
            )
        )

    def joined(self, asked: tuple[str, ...]) -> frozenset[str]:
        """The groups of ``asked`` not yet on the hub, one shared set per answer."""
        joined = self._joined_by_joins.get(asked)
        if joined is None:
            core = self.planner.core
            found = frozenset(label for label in asked if label not in core)
            joined = self._joined_by_joins[asked] = self._joined.setdefault(found, found)
        return joined

    def named(self) -> list[_Candidate]:
        """The candidates, a colliding id given ``-2``, ``-3`` ... in the order
        of the candidates' subjects, so that the same candidate gets the same
        id however the scenario is written.

        Linear: the numbers of one id go up, never back, and a number is
        skipped only when ``ID-N`` is another candidate's id, which happens
        for one ``ID`` only (its text before the last ``-``).
        """
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
                named.append(candidate._replace(id=f"{base}-{number}"))
        return named


_GRADE_RANK = {grade: rank for rank, grade in enumerate(RoleGrade)}
_UNSET = object()


def _officer_rank(role: Role) -> tuple[int, str]:
    """Principals first, then deputies, then executive officers; by id."""
    return (_GRADE_RANK[role.grade], role.id)


class _Planner:
    """Baseline facts and the evolving state of the greedy roadmap."""

    def __init__(self, shared: Shared, settings: PrioritySettings) -> None:
        self.shared = shared
        self.scenario = scenario = shared.scenario
        self.settings = settings
        self.weights = {factor: settings.weight(factor) for factor in FACTORS}
        self.index = index = shared.index
        self.components = index.components()
        self.size = {
            label: sum(1 for m in members if m in index.systems)
            for label, members in self.components.items()
        }
        self.tree = tree = shared.tree
        self.places = places = shared.places
        #: Whether a component is an island (see connectivity.islands).
        self.island = {label: places[label].island for label in self.components}
        self.hub = self._pick_hub()
        self.core: set[str] = set()
        self.dept_labels = index.department_labels()
        self.depts_of: dict[str, set[str]] = {}
        for system in index.in_use:
            self.depts_of.setdefault(index.label(system.id), set()).add(system.department)
        self.reached: set[str] = set()
        #: Label or department to the demands and matters that credit reaching it.
        self.crediting: dict[str, list[tuple[str, Element]]] = {}
        #: Group label or department to :func:`_credit_grade`, worked out
        #: once (bound to what it reads, not to the planner: a bound method
        #: kept here would make a cycle that only the collector frees).
        self.credit_grades = _WorkedOut(functools.partial(_credit_grade, shared, self.crediting))
        self._reach_cache: dict[tuple[frozenset[str], tuple[str, ...]], Evidence] = {}
        #: What a reroute's own grade may rest on that is not sourced (its
        #: subject is the exchange's key and its two systems).
        self.weak_names = shared.grades.weak_names("exchanges")
        self.matters = {m.id: m for m in scenario.matters}
        #: Department to its accountable officer: of its departmental chief
        #: officers (CIO, CDO ...), a principal before a deputy or executive,
        #: then the least id.
        self.cios: dict[str, str] = {}
        for role in sorted(scenario.roles, key=_officer_rank):
            if role.is_departmental_officer and role.department is not None:
                self.cios.setdefault(role.department, role.id)
        # in a jurisdiction, a department without one answers through the
        # chief officer of its jurisdiction, or of the nearest one above
        officers = _jurisdiction_officers(scenario, tree)
        nearest: dict[str | None, str | None] = {None: None}
        for j in tree.jurisdictions:  # top down: a parent before its children
            nearest[j] = officers.get(j) or nearest[tree.parent[j]]
        for department in scenario.departments:
            officer = nearest[tree.of(department.id)]
            if department.id not in self.cios and officer is not None:
                self.cios[department.id] = officer
        #: Jurisdiction (``None``: the scenario level) to who decides the
        #: integrations there that concern several departments.
        self.deciders = deciders(scenario, tree)
        self._places: dict[tuple[str, ...], str | None] = {}
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
        #: Factor values (in FACTORS order) to their read-only map and words.
        self._worded: dict[tuple[float, ...], tuple[FrozenMap[str, float], str]] = {}
        #: Picks so far: what is worked out for a state is kept with its version.
        self.version = 0
        self._group_credits: dict[str, tuple[int, dict[str, list[float]]]] = {}
        self._overlaps: dict[tuple[str, str], tuple[int, dict[str, list[float]]]] = {}
        #: Label to the group's stable id, the least id of its systems.
        self.ids = {
            label: min(m for m in members if m in index.systems)
            for label, members in self.components.items()
            if self.size[label]
        }
        #: Groups joined (by label) to their stable ids, least first.
        self.group_ids: dict[frozenset[str], tuple[str, ...]] = {}
        #: Department off the hub to the label of its main group (see the
        #: module's notes).
        self.home: dict[str, str] = {}
        #: Jurisdiction to the hub its candidates connect to (see hub_for).
        self.hubs: dict[str | None, str | None] = {None: self.hub}
        #: Groups that, joined alone to the hub's group, would leave it an
        #: island (see :meth:`joinable`); the note names those no kept
        #: candidate joins.
        self.beyond: frozenset[str] = frozenset()
        #: Group label to the jurisdictions of its platforms (with jurisdictions).
        self._homes: dict[str, set[str | None]] = {}
        if tree.parent:
            for platform in index.platforms:
                self._homes.setdefault(index.label(platform), set()).add(tree.of(platform))
        #: The jurisdiction of the hub's group as joined so far, and those of
        #: its platforms (with jurisdictions; see :meth:`joinable`).
        self._core_place: Any = _UNSET
        self._core_homes: set[str | None] = set()
        if self.hub is not None:
            self.core.add(index.label(self.hub))
            self.hubs = self._reachable_hubs()
            self.beyond = self._beyond_hub()
            self.reached = {d for d, labels in self.dept_labels.items() if labels & self.core}
            self._credits()
            self.home = self._main_groups()

    # -- baseline ---------------------------------------------------------------

    def _pick_hub(self) -> str | None:
        """The configured hub, else the hub of the highest jurisdiction that
        has one (then the least id), else the platform whose group has the
        most systems, then the most platforms, then the least id."""
        if self.settings.hub is not None:
            return self.settings.hub
        tree, index = self.tree, self.index
        hubs = [(tree.depth[j], j, tree.hub(j)) for j in tree.jurisdictions if tree.hub(j)]
        if hubs:
            return min(hubs)[2]

        def rank(platform: str) -> tuple[int, int, str]:
            label = index.label(platform)
            platforms = sum(1 for m in self.components[label] if m in index.platforms)
            return (-self.size[label], -platforms, platform)

        return min(index.platforms, key=rank, default=None)

    def place(self, departments: tuple[str, ...]) -> str | None:
        """The lowest common jurisdiction of ``departments``."""
        if not self.tree.parent:
            return None  # no jurisdictions: everything is at the scenario level
        found = self._places.get(departments, _UNSET)
        if found is _UNSET:
            tree = self.tree
            found = self._places[departments] = tree.common(map(tree.of, departments))
        return found  # type: ignore[return-value]

    def hub_for(self, departments: tuple[str, ...]) -> str:
        """The hub a candidate about ``departments`` connects to: the hub of
        their lowest common jurisdiction, or of the nearest one above it,
        whose group holds the main hub; else the main hub (there is one: no
        hub, no candidates)."""
        return self.hubs.get(self.place(departments)) or self.hub  # type: ignore[return-value]

    def _reachable_hubs(self) -> dict[str | None, str | None]:
        """Jurisdiction to its own hub when that hub's group holds the main
        hub, else to the one found so above it, top down."""
        tree, index, core = self.tree, self.index, self.core
        found: dict[str | None, str | None] = {None: self.hub}
        for j in tree.jurisdictions:
            own = tree.hub(j)
            linked = own is not None and index.label(own) in core
            found[j] = own if linked else found[tree.parent[j]]
        return found

    def _beyond_hub(self) -> frozenset[str]:
        """The groups that, joined alone to the hub's group, would leave it
        an island (see :meth:`joinable`); empty without jurisdictions."""
        if not self.tree.parent:
            return frozenset()
        self._core_place = self._place_joined(_UNSET, self.core)
        self._core_homes = {h for label in self.core for h in self._homes.get(label, ())}
        return frozenset(
            label
            for label in self.components
            if label not in self.core and self.size[label] and not self.joinable((label,))
        )

    def joinable(self, labels: Iterable[str]) -> bool:
        """Whether joining the groups ``labels`` to the hub's group leaves a
        group that one of its platforms serves (connectivity's definition:
        a group belongs to the lowest common jurisdiction of its systems'
        departments, and a platform serves its own jurisdiction and every
        one below it). Always true without jurisdictions; O(k + P) for k
        groups whose platforms lie in P jurisdictions."""
        tree = self.tree
        labels = tuple(labels)
        if not tree.parent or not labels:
            return True  # no jurisdictions, or no group joined: nothing changes
        joined = self._place_joined(self._core_place, labels)
        if joined is _UNSET:
            return True  # no system: nothing to serve
        homes = self._core_homes.union(*(self._homes.get(label, ()) for label in labels))
        return any(tree.is_within(joined, home) for home in homes)

    def can_take(self, candidate: _Candidate) -> bool:
        """Whether picking ``candidate`` now joins the hub's group to no
        group that the two would leave an island (:meth:`joinable` of the
        groups it joins not yet on the hub).

        Once the hub's group holds a system, a true answer stays true as
        the roadmap picks: each pick moves the group's jurisdiction up the
        path above it and adds platforms, and the jurisdiction the
        candidate's groups would share with it is then the higher of the
        two, both on that path, each served. While the group holds no
        system it has no jurisdiction, and a first pick may put it on
        another branch (a city's, when the candidate's groups belong to
        the province): the roadmap asks again before it takes one it
        scored earlier."""
        if not self.tree.parent:
            return True
        joins = candidate.joins - self.core
        if len(joins) == 1 and not self.version:  # the baseline: worked out once
            return joins.isdisjoint(self.beyond)
        return self.joinable(joins)

    def _place_joined(self, place: Any, labels: Iterable[str]) -> Any:
        """The jurisdiction of a group at ``place`` (``_UNSET``: holding no
        system) joined with the groups ``labels``: the lowest common
        jurisdiction of their systems' departments; ``_UNSET`` if none has
        a system."""
        places = [self.places[label].jurisdiction for label in labels if self.size[label]]
        if place is not _UNSET:
            places.append(place)
        return self.tree.common(places) if places else _UNSET

    def _main_groups(self) -> dict[str, str]:
        """Each department's main group, for the departments off the hub: the
        group holding most of its in-use systems, then the larger, then the
        one whose joining earns most (its score, then its factors in FACTORS
        order), then the one with the least id. Connecting it reaches the
        department: one group, chosen by what it is, whatever the order of
        the scenario's lists or the names of its ids, however many groups
        the department has. Called once the credits are counted."""
        labels = self.index.labels
        counts = collections.Counter(
            (s.department, labels[s.id])
            for s in self.index.in_use
            if s.department not in self.reached
        )
        best: dict[str, tuple[tuple[Any, ...], str]] = {}
        for (department, label), count in counts.items():
            rank = (-count, -self.size[label], *self._joining_worth(label), self.ids[label])
            found = best.get(department)
            if found is None or rank < found[0]:
                best[department] = (rank, label)
        return {department: label for department, (_, label) in best.items()}

    def _joining_worth(self, label: str) -> tuple[float, ...]:
        """What joining the group labelled ``label`` alone earns now, negated
        to sort first when most: its score, then its factors."""
        values = {
            factor: math.fsum(found) for factor, found in self._credits_of([label], ()).items()
        }
        factors = [values.get(factor, 0.0) for factor in FACTORS if factor != "cost"]
        return (-self.score(values), *(-value for value in factors))

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
                if need[0] in ("label", "department"):
                    self.crediting.setdefault(need[1], []).append(("demands", demand))
                if need[0] == "label":
                    _add(labels, need[1], "demand_weight_met", share)
                elif need[0] == "department":
                    _add(departments, need[1], "demand_weight_met", share)
                else:
                    requirements.setdefault(need, []).append(share)
        for matter in self.scenario.matters:
            sides = self._open_sides(matter)
            for side in sides:
                self.crediting.setdefault(side, []).append(("matters", matter))
                table = labels if side in self.components else departments
                _add(table, side, "fault_zones_closed", 1.0 / len(sides))
        self.label_credit = _totals(labels)
        self.dept_credit = _totals(departments)
        self.requirement_credit = {key: math.fsum(v) for key, v in requirements.items()}

    def evidence(self, candidate: _Candidate) -> Evidence:
        """The grade of what ``candidate`` rests on (see :class:`Integration`)."""
        reach = self._reach_grade(candidate.joins, candidate.departments)
        subject: list[tuple[str, Element]] = []
        keys: list[tuple[str, str]] = []
        if candidate.kind == "provide_resource":
            pair = (candidate.subject[0], candidate.subject[1])
            subject = [("demands", d) for d in self.open_demands.get(pair, ())]
        elif candidate.kind == "reroute_exchange":
            if self.weak_names.isdisjoint(candidate.subject):
                return reach  # its exchange and systems are sourced
            keys = [("exchanges", candidate.subject[0])]
        own = self.shared.grades.of(ids=candidate.subject, keys=keys, elements=subject)
        return reach if own is SOURCED else Evidence.combine([own, reach])

    def _reach_grade(self, joins: frozenset[str], departments: tuple[str, ...]) -> Evidence:
        """The grade of the groups ``joins`` and the ``departments``, with
        what credits reaching them; worked out once for each pair (thousands
        of reroutes inside one group share it)."""
        key = (joins, departments)
        found = self._reach_cache.get(key)
        if found is None:
            credit = self.credit_grades.__getitem__
            parts = list(map(credit, sorted(joins))) if joins else []
            parts.extend(map(credit, departments))
            found = self._reach_cache[key] = Evidence.combine(parts)
        return found

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
        """What closing a matter's fault zone still needs, each once: the
        label of each group holding missing supervision data that is not on
        the hub, then the recording department (when the records are
        missing) and the supervisor when not yet reached. Empty when there is
        no fault zone, or none an integration can close (see the module's
        notes). Labels and department ids never clash: ids are unique."""
        found = list(gaps(self.index, matter))
        if not found or not all(gap.connectable for gap in found):
            return []
        sides: list[str] = []
        for gap in found:
            if gap.resource is None:
                sides.append(gap.recorded_by or "")  # connectable: a department
            else:
                holder = self.index.resources[gap.resource].held_in or ""
                sides.append(self.index.label(holder))
        sides.append(matter.supervised_by)
        core, reached = self.core, self.reached
        return [side for side in dict.fromkeys(sides) if side not in core and side not in reached]

    def _sources(self, matter: Matter, group: str | None = None) -> tuple[str, ...]:
        """The departments that hold a matter's missing supervision data
        (in the group labelled ``group`` only, when given), in the order of
        its gaps: the recording department, or the departments of the
        systems holding the missing resources."""
        index = self.index
        found = []
        for gap in gaps(index, matter):
            if gap.resource is None:
                found.append(gap.recorded_by or "")
                continue
            holder = index.resources[gap.resource].held_in or ""
            if group is None or index.label(holder) == group:
                found.append(index.systems[holder].department)
        return tuple(dict.fromkeys(found))

    def _close(self, found: _CandidateBuilder, matter: Matter, sides: list[str]) -> None:
        """The candidates closing a matter's fault zone: one joining the groups
        ``sides`` need, or, when they are more than two, one per group holding
        missing data, with the supervisor's main group (the module's notes)."""
        supervisor = matter.supervised_by
        groups = {side: side if side in self.components else self.home[side] for side in sides}
        if len(set(groups.values())) <= 2:
            departments = tuple(dict.fromkeys((*self._sources(matter), supervisor)))
            found.make("close_fault_zone", (matter.id,), groups.values(), departments=departments)
            return
        home = groups.get(supervisor)
        for side, group in groups.items():
            if side == supervisor:
                continue
            sources = self._sources(matter, group if side in self.components else None)
            found.make(
                "close_fault_zone",
                (matter.id, self.ids[group]),
                [group] if home is None else [group, home],
                departments=tuple(dict.fromkeys((*sources, supervisor))),
            )

    # -- candidates ---------------------------------------------------------------

    def candidates(self) -> list[_Candidate]:
        """Every candidate (in no particular order)."""
        if self.hub is None:
            return []
        found = _CandidateBuilder(self)
        for label in self.components:
            if self.island[label] and self.size[label] and label not in self.core:
                departments = tuple(sorted(self.depts_of[label]))
                found.make("connect_island", (self.ids[label],), (label,), departments=departments)
        for pair, needs in self.open_needs.items():
            self._provide(found, pair, needs)
        for matter in self.scenario.matters:
            sides = self._open_sides(matter)
            if sides:
                self._close(found, matter, sides)
        self._reroutes(found)
        return found.named()

    def _provide(
        self, found: _CandidateBuilder, pair: tuple[str, str], needs: set[tuple[str, ...]]
    ) -> None:
        """The candidate meeting the open demands of ``pair`` (resource, requester)."""
        resource_id, by = pair
        joins = [need[1] for need in needs if need[0] == "label"]
        if ("department", by) in needs:
            joins.append(self.home[by])
        fixes = sorted(need for need in needs if need[0] in ("agreement", "catalogue"))
        settings = self.settings
        found.make(
            "provide_resource",
            pair,
            joins,
            fixes=tuple(fixes),
            extra_cost=math.fsum(
                settings.agreement_cost if fix[0] == "agreement" else settings.catalogue_cost
                for fix in fixes
            ),
            departments=tuple(dict.fromkeys((self.index.resources[resource_id].owner, by))),
        )

    def _reroutes(self, found: _CandidateBuilder) -> None:
        """One candidate per point-to-point exchange between two systems, but
        exchanges without an id between the same two systems are moved
        together, as one candidate. A candidate's subject is the exchange's
        key, then its two systems: an id that reads like another exchange's
        ``from->to`` names a different candidate. The bulk of the candidates
        at scale: tuples are shared wherever they can be."""
        index = self.index
        labels = index.labels
        #: System to its department, read without touching the system.
        department = {key: system.department for key, system in index.systems.items()}
        live, ids = index.live, list(map(_ID, index.live))
        ends = (index.live_from, index.live_to, index.live_via)
        # exchanges without an id between the same two systems move together
        same = [
            (a, b)
            for exchange_id, a, b, via in zip(ids, *ends, strict=True)
            if exchange_id is None
            and via is None
            and a != b
            and a in department
            and b in department
        ]
        counts = None if len(set(same)) == len(same) else collections.Counter(same)
        reroute_cost = float(self.settings.reroute_cost)
        # what found.make does, without its keyword arguments and cost of
        # joining (a reroute's group joins the hub by the move), and the
        # candidate made in C: 750,000 times
        name, kind, add = _BASE_IDS["reroute_exchange"], "reroute_exchange", found.found.append
        joined_by_label: dict[str, frozenset[str]] = {}
        new = tuple.__new__
        for exchange, exchange_id, a, b, via in zip(live, ids, *ends, strict=True):
            if via is not None or a == b or a not in department or b not in department:
                continue
            count = 1
            if counts is not None and exchange_id is None:
                count = counts[a, b]
                if not count:
                    continue  # moved with the first exchange between a and b
                counts[a, b] = 0
            x, y = department[a], department[b]
            departments = (x, y) if x < y else (y, x) if y < x else (x,)
            subject = (exchange_id or exchange.key, a, b)
            label = labels[a]
            joined = joined_by_label.get(label)
            if joined is None:
                joined = joined_by_label[label] = found.joined((label,))
            cost = reroute_cost * count
            candidate = (name(subject), kind, subject, joined, (), count, cost, departments)
            add(new(_Candidate, candidate))

    # -- evaluation -----------------------------------------------------------------

    def evaluate(self, candidate: _Candidate) -> dict[str, float]:
        """Factor values the candidate adds to the current state, each added
        up exactly (the order of groups and departments cannot change it)."""
        values = dict.fromkeys(FACTORS, 0.0)
        core = self.core
        labels = [label for label in candidate.joins if label not in core]
        if labels or candidate.fixes:
            for factor, found in self._credits_of(labels, candidate.fixes).items():
                values[factor] = math.fsum(found) + 0.0  # never -0.0
        if candidate.reroutes:  # a candidate is evaluated no more once picked
            values["exchanges_rerouted"] = float(candidate.reroutes)
        values["cost"] = candidate.cost
        return values

    def _credits_of(
        self, labels: list[str], fixes: tuple[tuple[str, ...], ...]
    ) -> dict[str, list[float]]:
        """Every credit that joining ``labels`` (at most two groups) and
        supplying ``fixes`` earns now, by factor: each group's credits with
        those of the departments it reaches, less those of the departments
        both groups reach, counted twice."""
        parts: dict[str, list[float]] = {}
        found = [self._group_credit(label) for label in labels]
        if len(labels) == 2:
            found.append(self._overlap(labels[0], labels[1]))
        for credits in found:
            for factor, values in credits.items():
                parts.setdefault(factor, []).extend(values)
        for key in fixes:
            if key not in self.done:
                parts.setdefault("demand_weight_met", []).append(self.requirement_credit[key])
        return parts

    def _group_credit(self, label: str) -> dict[str, list[float]]:
        """A group's credits and those of the departments it reaches now, by
        factor, each as exact partial sums; worked out once per state."""
        cached = self._group_credits.get(label)
        if cached is not None and cached[0] == self.version:
            return cached[1]
        # every group not on the hub when credits were counted has a row
        credits = [self.label_credit[label]]
        reached = self.reached
        credits += [self.dept_credit[d] for d in self.depts_of.get(label, ()) if d not in reached]
        found = {
            factor: _exact(row[factor] for row in credits if factor in row) for factor in FACTORS
        }
        result = {factor: values for factor, values in found.items() if values}
        self._group_credits[label] = (self.version, result)
        return result

    def _overlap(self, first: str, second: str) -> dict[str, list[float]]:
        """The credits, negated, of the departments not yet reached that both
        groups reach; worked out once per state, in time proportional to the
        smaller group's departments."""
        key = (first, second) if first < second else (second, first)
        cached = self._overlaps.get(key)
        if cached is not None and cached[0] == self.version:
            return cached[1]
        some, other = self.depts_of.get(first, set()), self.depts_of.get(second, set())
        if len(other) < len(some):
            some, other = other, some
        both = [d for d in some if d in other and d not in self.reached]
        result: dict[str, list[float]] = {}
        for department in both:
            for factor, value in self.dept_credit[department].items():
                if value:
                    result.setdefault(factor, []).append(-value)
        self._overlaps[key] = (self.version, result)
        return result

    def worth(self, values: dict[str, float]) -> _Worth:
        """What a candidate with these factor ``values`` earns: its score, its
        factors as a read-only map and the end of its explanation, the last
        two made once for each distinct set of values (thousands of
        reroutes have the same)."""
        key = tuple(values.values())  # always in FACTORS order, cost included
        found = self._worded.get(key)
        if found is None:
            ending = f": {_gains(values)}, for an estimated cost of {values['cost']:g}."
            found = self._worded[key] = (FrozenMap(values), ending)
        return _Worth(self.score(values), *found)

    def score(self, values: dict[str, float]) -> float:
        """The weighted sum of the factors, cost subtracted (in FACTORS order)."""
        weights = self.weights
        total = 0.0
        for factor, value in values.items():
            if value:
                total += -weights[factor] * value if factor == "cost" else weights[factor] * value
        return total

    def apply(self, candidate: _Candidate) -> bool:
        """Record a pick: its groups are on the hub, its requirements
        supplied. Return whether the hub's group's jurisdiction rose or it
        now holds platforms of another jurisdiction: candidates that would
        have made an island (see :meth:`can_take`) may be taken now."""
        joined = candidate.joins - self.core
        before = (self._core_place, len(self._core_homes))
        for label in joined:
            self.core.add(label)
            self.reached |= self.depts_of.get(label, set())
            self._core_homes |= self._homes.get(label, set())
        if joined and self.tree.parent:
            self._core_place = self._place_joined(self._core_place, joined)
        self.done.update(candidate.fixes)
        self.version += 1
        return (self._core_place, len(self._core_homes)) != before

    def group(self, label: str) -> Group:
        """The group of ``label``, named by its stable id, members by id."""
        members = self.components[label]
        systems = self.index.systems
        place = self.places[label]
        return Group(
            id=self.ids[label],
            systems=sorted(m for m in members if m in systems),
            platforms=sorted(m for m in members if m in self.index.platforms),
            departments=sorted(self.depts_of[label]),
            connected_to_platform=place.served,
            jurisdiction=place.jurisdiction,
            unlinked=place.unlinked,
            evidence=self.shared.group_grades[label],
        )


_GAIN_WORDS = {
    "islands_merged": "island{s} merged",
    "systems_reached": "system{s} reached",
    "departments_reached": "department{s} reached",
    "demand_weight_met": "demanded weight met",
    "fault_zones_closed": "fault zone{s} closed",
    "base_resources_freed": "base resource{s} freed",
    "exchanges_rerouted": "exchange{s} rerouted",
}


def _explain(planner: _Planner, candidate: _Candidate, hub: str, ending: str) -> str:
    """What ``candidate`` does, through the platform named ``hub``, then ``ending``."""
    index = planner.index
    if candidate.kind == "connect_island":
        names = [index.department_name(d) for d in candidate.departments]
        size = sum(planner.size[label] for label in candidate.joins)
        what = (
            f"Connect the island of {size} system"
            f"{'s' if size != 1 else ''} of {', '.join(names)} to {hub}"
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
        *sources, supervisor = candidate.departments
        parts = [f"{index.department_name(d)} ({_part(matter, d)})" for d in sources]
        parts.append(f"{index.department_name(supervisor)} (supervises)")
        what = (
            f"Close the fault zone of {matter.name} by connecting "
            f"{', '.join(parts[:-1])} and {parts[-1]} through {hub}"
        )
    elif candidate.reroutes == 1:
        what = f"Move the point-to-point exchange {candidate.subject[0]} onto {hub}"
    else:
        what = (
            f"Move the {candidate.reroutes} point-to-point exchanges "
            f"{candidate.subject[0]} onto {hub}"
        )
    return what + ending


def _gains(values: dict[str, float]) -> str:
    """What a candidate's factor ``values`` gain, in words: "1 island merged,
    4 systems reached" (never empty: a candidate always adds something when
    it is explained)."""
    gains = []
    for factor, template in _GAIN_WORDS.items():
        value = values[factor]  # every factor is present
        if value:
            plural = "" if value == 1 else "s"
            gains.append(f"{value:g} {template.format(s=plural)}")
    return ", ".join(gains)


def _part(matter: Matter, department: str) -> str:
    """What ``department``, holding some of a matter's missing supervision
    data, does in the matter, in words."""
    if department == matter.recorded_by:
        return {
            ApprovalStatus.REQUIRED: "approves",
            ApprovalStatus.FILING: "receives the filings",
            ApprovalStatus.CANCELLED: "registers",
        }[matter.approval]
    if department == matter.approved_by:
        return "approves" if matter.approval is ApprovalStatus.REQUIRED else "approved"
    if department == matter.registered_by:
        return "registers"
    return "holds supervision data"


def _governance(
    planner: _Planner, candidate: _Candidate, hub: Platform
) -> tuple[tuple[str, ...], str | None, str | None]:
    """The CIOs accountable for a candidate, who decides it and where: the
    lowest common jurisdiction of the departments concerned, and when there
    are several, the decider there. ``hub`` is the candidate's hub."""
    owners = candidate.departments  # each once: every kind's are made so
    operator = hub.operator
    if operator is not None and operator not in owners and candidate.kind in _ON_HUB:
        owners = (*owners, operator)
    cios = planner.cios
    accountable = tuple([cios[d] for d in owners if d in cios])
    place = planner.place(owners)
    joins = candidate.joins
    if len(owners) > 1 or (joins and _several(planner, owners, joins)):
        return accountable, planner.deciders[place], place
    return accountable, accountable[0] if accountable else None, place


#: The kinds of candidate that put a group on a hub, whose operator is concerned.
_ON_HUB = frozenset({"connect_island", "reroute_exchange"})


def _jurisdiction_officers(scenario: Scenario, tree: JurisdictionTree) -> dict[str | None, str]:
    """Each jurisdiction's chief officer for the whole of it (``None``: of
    the scenario level), where it has one: a principal before a deputy or
    executive officer, then the least id."""
    officers: dict[str | None, str] = {}
    for role in sorted(scenario.roles, key=_officer_rank):
        if role.is_jurisdiction_officer:
            officers.setdefault(tree.of(role.id), role.id)
    return officers


def deciders(scenario: Scenario, tree: JurisdictionTree) -> dict[str | None, str | None]:
    """Who decides in each jurisdiction, and at the scenario level (``None``):
    the jurisdiction's ``decided_by``, else its CIO committee (the least id),
    else its chief officer for the whole jurisdiction (a principal, then a
    deputy, then an executive officer; then the least id), else whoever
    decides above it."""
    committees: dict[str | None, str] = {}
    for body in sorted(scenario.bodies, key=lambda b: b.id):
        if body.kind is BodyKind.CIO_COMMITTEE:
            committees.setdefault(tree.of(body.id), body.id)
    officers = _jurisdiction_officers(scenario, tree)
    chosen = {j.id: j.decided_by for j in scenario.jurisdictions}
    found: dict[str | None, str | None] = {None: committees.get(None, officers.get(None))}
    for j in tree.jurisdictions:  # top down: a parent is decided before its children
        own = chosen[j] or committees.get(j) or officers.get(j)
        found[j] = own if own is not None else found[tree.parent[j]]
    return found


def _several(planner: _Planner, owners: tuple[str, ...], joins: Iterable[str]) -> bool:
    """Whether more than one department is concerned: ``owners`` and those
    of the groups ``joins``, without listing a large group's departments."""
    seen = set(owners)
    for label in joins:
        departments = planner.depts_of.get(label, set())
        if len(seen) > 1 or len(departments) > 1:
            return True
        seen |= departments
    return len(seen) > 1


def _settings(scenario: Scenario, weights: dict[str, float] | None) -> PrioritySettings:
    settings = scenario.priorities
    if weights:
        settings = attrs.evolve(settings, weights={**settings.weights, **weights})
    return settings


def _integration(planner: _Planner, candidate: _Candidate, worth: _Worth) -> Integration:
    """The candidate explained, made through the slots of :class:`Integration`
    (every tuple is one already): a million are explained at national scale."""
    hub = planner.index.platforms[planner.hub_for(candidate.departments)]
    accountable, decided_by, place = _governance(planner, candidate, hub)
    return _new_integration(
        jurisdiction=place,
        id=candidate.id,
        kind=candidate.kind,
        score=worth.score,
        factors=worth.factors,
        cost=candidate.cost,
        explanation=_explain(planner, candidate, hub.name, worth.ending),
        accountable=accountable,
        decided_by=decided_by,
        groups=_group_ids(planner, candidate.joins),
        departments=candidate.departments,
        evidence=planner.evidence(candidate),
    )


_new_integration = slot_maker(Integration)


def _group_ids(planner: _Planner, joins: frozenset[str]) -> tuple[str, ...]:
    """The stable ids of the groups ``joins``, least first (a reroute joins none)."""
    if not joins:
        return ()
    found = planner.group_ids.get(joins)
    if found is None:  # thousands of reroutes join one group
        found = planner.group_ids[joins] = tuple(sorted([planner.ids[label] for label in joins]))
    return found


def _groups(planner: _Planner, candidates: Iterable[_Candidate]) -> FrozenMap[str, Group]:
    """The groups ``candidates`` join, by stable id, each listed once."""
    labels = {label for candidate in candidates for label in candidate.joins}
    found = sorted((planner.ids[label], label) for label in labels)
    return FrozenMap((group_id, planner.group(label)) for group_id, label in found)


def priorities(
    scenario: Scenario, *, weights: dict[str, float] | None = None, top: int | None = None
) -> PriorityReport:
    """Rank the candidate integrations of a scenario, best first.

    Parameters
    ----------
    scenario
        The scenario; its ``priorities:`` settings give weights, costs and the hub.
    weights
        Factor weights overriding the scenario's (see :data:`~cio_framework.model.FACTORS`).
    top
        Keep the ``top`` best candidates only (every candidate is still
        scored and ranked; only the kept ones are explained and graded).
        All of them by default.

    Returns
    -------
    PriorityReport
        Every candidate scored against today's landscape, best first (ties by
        kind, then id), or the ``top`` best.

    Raises
    ------
    TypeError, ValueError
        For an unknown factor in ``weights``, or a ``top`` that is not a
        whole number of 0 or more.

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
    check_count("top", top)
    for name in weights or {}:
        if name not in FACTORS:
            raise ValueError(f"unknown priority factor {name!r}; known: {', '.join(FACTORS)}")
    return priorities_of(Shared(scenario), weights=weights, top=top)[0]


def priorities_of(
    shared: Shared, *, weights: dict[str, float] | None = None, top: int | None = None
) -> tuple[PriorityReport, tuple[str, ...]]:
    """:func:`priorities` of a valid scenario's
    :class:`~cio_framework.analysis._shared.Shared` indexes, with the ids of
    every candidate, best first (also those ``top`` leaves out)."""
    settings = _settings(shared.scenario, weights)
    planner = _Planner(shared, settings)
    note = None
    if planner.hub is None:
        note = (
            "The scenario has no shared platform: add one under 'platforms' to plan integrations."
        )
    ranked = _ranked(planner)
    if planner.hub is not None and planner.beyond:
        left = planner.beyond.difference(*(c.joins for c, _ in ranked))
        note = _beyond_note(planner, left) if left else None
    kept = ranked if top is None else ranked[:top]
    effective = FrozenMap({f: settings.weight(f) for f in FACTORS})
    report = PriorityReport(
        priorities=[_integration(planner, c, worth) for c, worth in kept],
        hub=planner.hub,
        weights=effective,
        note=note,
        groups=_groups(planner, (c for c, _ in kept)),
    )
    return report, tuple(c.id for c, _ in ranked)


def _now_takeable(
    planner: _Planner,
    candidates: Sequence[_Candidate],
    waiting: list[int],
    heap: list[tuple[float, int, int]],
    version: int,
) -> list[int]:
    """Put on ``heap`` the waiting candidates the roadmap can now take, each
    scored as things stand; return those still waiting. Called only when a
    pick raised the hub's group's jurisdiction or added platforms of another
    jurisdiction to it: at most once per jurisdiction."""
    still = []
    for position in waiting:
        candidate = candidates[position]
        if planner.can_take(candidate):
            values = planner.evaluate(candidate)
            heapq.heappush(heap, (-planner.score(values), position, version))
        else:
            still.append(position)
    return still


def _beyond_note(planner: _Planner, left: Iterable[str]) -> str:
    """What the report says of the groups ``left``, that no candidate joins
    because joining them would make an island (see :meth:`_Planner.joinable`)."""
    groups = sorted(planner.ids[label] for label in left)
    shown = ", ".join(groups[:5]) + (f" and {len(groups) - 5} more" if len(groups) > 5 else "")
    hub = planner.index.platforms[planner.hub].name  # type: ignore[index]
    return (
        f"No integration joins {counted(len(groups), 'group')} ({shown}) to {hub}: no "
        "platform of its group serves the jurisdiction they would share, so they would "
        "make an island. Join a platform that serves that jurisdiction to the hub's "
        "group, or make such a platform the hub (hub: under 'priorities')."
    )


def _ranked(planner: _Planner) -> list[tuple[_Candidate, _Worth]]:
    """Every candidate with what it earns, best first: by score, then kind,
    then id."""
    scored = []
    # candidates that join, fix, move and cost the same (thousands of
    # reroutes inside one group) are worth the same: evaluated once
    known: dict[tuple[Any, ...], _Worth] = {}
    candidates = planner.candidates()
    if planner.tree.parent:  # with jurisdictions: none that would make an island
        candidates = [c for c in candidates if planner.can_take(c)]
    for candidate in candidates:
        alike = (candidate.joins, candidate.fixes, candidate.reroutes, candidate.cost)
        worth = known.get(alike)
        if worth is None:
            worth = known[alike] = planner.worth(planner.evaluate(candidate))
        scored.append((-worth.score, _KIND_RANK[candidate.kind], candidate.id, candidate, worth))
    # ids are unique: tuples compare in C, and never reach the candidate
    scored.sort()
    return [(candidate, worth) for _, _, _, candidate, worth in scored]


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
    planner = _Planner(Shared(scenario), settings)
    candidates = planner.candidates()
    candidates.sort(key=lambda c: (_KIND_RANK[c.kind], c.id))
    heap: list[tuple[float, int, int]] = []
    version = 0
    #: Candidates that would make an island now, until a pick widens what the
    #: hub's group serves (see _Planner.can_take); positions, in order.
    waiting: list[int] = []
    # candidates come by kind, then id: on equal scores the position decides
    for position, candidate in enumerate(candidates):
        if planner.can_take(candidate):
            heap.append((-planner.score(planner.evaluate(candidate)), position, version))
        else:
            waiting.append(position)
    heapq.heapify(heap)
    steps: list[RoadmapStep] = []
    picked: list[_Candidate] = []
    spent = 0.0
    total_gain = 0.0
    while heap and (limit is None or len(steps) < limit):
        negative, position, evaluated_at = heapq.heappop(heap)
        candidate = candidates[position]
        if budget is not None and spent + candidate.cost > budget + 1e-9:
            continue  # the budget only shrinks: it can never fit again
        if evaluated_at != version:
            if not planner.can_take(candidate):  # the hub's group took a place since
                bisect.insort(waiting, position)
                continue
            values = planner.evaluate(candidate)
            heapq.heappush(heap, (-planner.score(values), position, version))
            continue
        gain = -negative
        if gain <= 0:
            break
        worth = planner.worth(planner.evaluate(candidate))
        integration = _integration(planner, candidate, worth)
        picked.append(candidate)
        version += 1
        if planner.apply(candidate) and waiting:  # what can_take reads changed
            waiting = _now_takeable(planner, candidates, waiting, heap, version)
        spent += candidate.cost
        total_gain += gain
        steps.append(
            RoadmapStep(
                integration=integration,
                gain=gain,
                factors=worth.factors,
                cumulative_cost=spent,
            )
        )
    return Roadmap(
        steps=steps,
        budget=budget,
        total_cost=spent,
        total_gain=total_gain,
        hub=planner.hub,
        groups=_groups(planner, picked),
    )
