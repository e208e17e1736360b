"""Integration priorities: which integrations to do first, and why.

Every candidate integration connects groups of systems to the *hub*, the
shared platform integrations go through (by default the platform whose
group has the most systems), and may also conclude a sharing agreement or
catalogue a resource. Its score is a weighted sum of explicit factors:

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
    earned whole by connecting the requester);
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
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from typing import Any

import attrs

from .._util import gc_paused, tuple_of
from ..model import (
    FACTORS,
    BodyKind,
    PrioritySettings,
    ResourceCategory,
    RoleKind,
    Scenario,
)
from ..model._frozenmap import FrozenMap
from ._index import LandscapeIndex
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
    joins: frozenset[str]
    fixes: tuple[tuple[str, float], ...]  # (requirement key, credit) only this candidate supplies
    reroutes: int
    cost: float
    systems: tuple[str, ...]
    departments: tuple[str, ...]
    subject: str


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
        for role in scenario.roles:
            if role.kind is RoleKind.DEPARTMENTAL_CIO and role.department is not None:
                self.cios.setdefault(role.department, role.id)
        committee = next((b.id for b in scenario.bodies if b.kind is BodyKind.CIO_COMMITTEE), None)
        if committee is None:
            committee = next(
                (r.id for r in scenario.roles if r.kind is RoleKind.DISTRICT_CIO), None
            )
        #: Who decides integrations that concern several departments.
        self.committee = committee
        self.label_credit: dict[str, dict[str, float]] = {}
        self.dept_credit: dict[str, dict[str, float]] = {}
        self.done: set[str] = set()
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
        systems, then the most platforms; remaining ties go to the platform
        listed first."""
        if self.settings.hub is not None:
            return self.settings.hub
        best: tuple[int, int, str] | None = None
        for platform in self.scenario.platforms:
            label = self.index.label(platform.id)
            platforms = sum(1 for m in self.components[label] if m in self.index.platforms)
            key = (self.size.get(label, 0), platforms, platform.id)
            if best is None or key[:2] > best[:2]:
                best = key
        return best[2] if best else None

    def groups_of(self, department: str) -> list[str]:
        """The labels of a department's groups that are not yet on the hub.

        Connecting a department connects all of them: a canonical choice
        that does not depend on ids or list order.
        """
        return sorted(
            label for label in self.dept_labels.get(department, ()) if label not in self.core
        )

    def _add(self, table: dict[str, dict[str, float]], key: str, factor: str, value: float) -> None:
        row = table.setdefault(key, {})
        row[factor] = row.get(factor, 0.0) + value

    def _credits(self) -> None:
        index = self.index
        for label in self.components:
            if label in self.core:
                continue
            self._add(self.label_credit, label, "systems_reached", self.size[label])
            if self.island[label] and self.size[label]:
                self._add(self.label_credit, label, "islands_merged", 1.0)
        for department in self.dept_labels:
            if department not in self.reached:
                self._add(self.dept_credit, department, "departments_reached", 1.0)
        for resource in self.scenario.resources:
            holder = index.systems.get(resource.held_in or "")
            if resource.category is ResourceCategory.BASE and holder is not None and holder.in_use:
                label = index.label(holder.id)
                if label not in self.core:
                    self._add(self.label_credit, label, "base_resources_freed", 1.0)
        self.demand_fixes: dict[str, list[tuple[str, float]]] = {}
        for position, demand in enumerate(self.scenario.demands):
            reasons = set(_demand_reasons(index, demand))
            if not reasons or BarrierReason.NOT_SHARED in reasons:
                continue
            resource = index.resources[demand.resource]
            holder = index.systems.get(resource.held_in or "")
            if reasons & {
                BarrierReason.NO_HOLDING_SYSTEM,
                BarrierReason.PROVIDER_NOT_IN_USE,
                BarrierReason.REQUESTER_WITHOUT_SYSTEM,
            }:
                continue
            needs: list[tuple[str, str]] = []  # (where, key)
            if reasons & _CONNECTIVITY and holder is not None:
                label = index.label(holder.id)
                if label not in self.core:
                    needs.append(("label:" + label, "provider"))
                if demand.by not in self.reached:
                    needs.append(("dept:" + demand.by, "requester"))
            fixes = []
            if BarrierReason.CONDITIONAL_WITHOUT_AGREEMENT in reasons:
                fixes.append("agreement")
            if BarrierReason.NOT_CATALOGUED in reasons:
                fixes.append("catalogue")
            total = len(needs) + len(fixes)
            if not total:
                continue
            share = demand.weight / total
            for where, _ in needs:
                kind, key = where.split(":", 1)
                table = self.label_credit if kind == "label" else self.dept_credit
                self._add(table, key, "demand_weight_met", share)
            self.demand_fixes[str(position)] = [
                (f"demand:{position}:{fix}", share) for fix in fixes
            ]
        labels = self.dept_labels
        for matter in self.scenario.matters:
            a, b = matter.approved_by, matter.supervised_by
            if a == b or labels.get(a, set()) & labels.get(b, set()):
                continue
            if a not in labels or b not in labels:
                continue
            sides = [d for d in (a, b) if d not in self.reached]
            for side in sides:
                self._add(self.dept_credit, side, "fault_zones_closed", 1.0 / len(sides))

    # -- candidates ---------------------------------------------------------------

    def candidates(self) -> list[_Candidate]:
        if self.hub is None:
            return []
        index, settings = self.index, self.settings
        found: list[_Candidate] = []
        used: set[str] = set()

        def unique(base: str) -> str:
            name, n = base, 2
            while name in used:
                name, n = f"{base}-{n}", n + 1
            used.add(name)
            return name

        # Candidates that join the same groups share their systems and
        # departments: a large group's members are listed once, not once per
        # exchange inside it.
        joined_members: dict[
            frozenset[str], tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]
        ] = {frozenset(): ((), (), frozenset())}

        def group_members(
            joined: frozenset[str],
        ) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
            found_members = joined_members.get(joined)
            if found_members is None:
                systems = tuple(
                    m for j in sorted(joined) for m in self.components[j] if m in index.systems
                )
                departments = tuple(dict.fromkeys(index.systems[s].department for s in systems))
                found_members = (systems, departments, frozenset(departments))
                joined_members[joined] = found_members
            return found_members

        with_extra: dict[
            tuple[frozenset[str], tuple[str, ...]], tuple[tuple[str, ...], tuple[str, ...]]
        ] = {}

        def involved(
            joined: frozenset[str], extra: tuple[str, ...]
        ) -> tuple[tuple[str, ...], tuple[str, ...]]:
            """Systems and departments of the joined groups, then those of
            ``extra`` not among them: one shared pair of tuples per distinct
            question, so that governance is decided once per tuple too."""
            key = (joined, extra)
            found_pair = with_extra.get(key)
            if found_pair is None:
                systems, departments, known = group_members(joined)
                more = tuple(d for d in dict.fromkeys(extra) if d not in known)
                found_pair = (systems, (*departments, *more) if more else departments)
                with_extra[key] = found_pair
            return found_pair

        def make(
            kind: str, base: str, joins: Iterable[str | None], subject: str, **extra: Any
        ) -> None:
            joined = frozenset(j for j in joins if j is not None and j not in self.core)
            fixes = tuple(extra.pop("fixes", ()))
            reroutes = int(extra.pop("reroutes", 0))
            join_cost = 0.0 if reroutes else len(joined) * settings.connection_cost
            cost = join_cost + float(extra.pop("cost", 0.0))
            systems, departments = involved(joined, tuple(extra.pop("departments", ())))
            found.append(
                _Candidate(
                    id=unique(base),
                    kind=kind,
                    joins=joined,
                    fixes=fixes,
                    reroutes=reroutes,
                    cost=cost,
                    systems=systems,
                    departments=departments,
                    subject=subject,
                )
            )

        for label, members in self.components.items():
            if self.island[label] and self.size[label] and label not in self.core:
                first = next(m for m in members if m in index.systems)
                make("connect_island", f"connect-{first}", [label], first)
        for position, demand in enumerate(self.scenario.demands):
            key = str(position)
            reasons = set(_demand_reasons(index, demand))
            if key not in self.demand_fixes and not (reasons & _CONNECTIVITY):
                continue
            if BarrierReason.NOT_SHARED in reasons or not reasons:
                continue
            resource = index.resources[demand.resource]
            holder = index.systems.get(resource.held_in or "")
            if holder is None or not holder.in_use:
                continue
            joins: list[str | None] = []
            if reasons & _CONNECTIVITY:
                joins = [index.label(holder.id)]
                if demand.by not in self.reached:
                    joins.extend(self.groups_of(demand.by))
            fixes = self.demand_fixes.get(key, [])
            extra_cost = sum(
                settings.agreement_cost if name.endswith(":agreement") else settings.catalogue_cost
                for name, _ in fixes
            )
            make(
                "provide_resource",
                f"provide-{demand.resource}-to-{demand.by}",
                joins,
                str(position),
                fixes=fixes,
                cost=extra_cost,
                departments=[resource.owner, demand.by],
            )
        labels = self.dept_labels
        for matter in self.scenario.matters:
            a, b = matter.approved_by, matter.supervised_by
            if a == b or labels.get(a, set()) & labels.get(b, set()):
                continue
            if a not in labels or b not in labels:
                continue
            joins = [label for d in (a, b) if d not in self.reached for label in self.groups_of(d)]
            make("close_fault_zone", f"close-{matter.id}", joins, matter.id, departments=[a, b])
        # Point-to-point exchanges, the bulk of the candidates at scale: what
        # make() does, specialised (the same joins, costs and departments).
        hub_label = index.label(self.hub)
        systems, node_labels, core = index.systems, index.labels, self.core
        reroute_cost = float(settings.reroute_cost)
        single: dict[str, frozenset[str]] = {}
        for exchange, a, b, via in zip(
            index.live, index.live_from, index.live_to, index.live_via, strict=True
        ):
            if via is not None or a == b or a not in systems or b not in systems:
                continue
            label = node_labels[a]
            if label == hub_label or label in core:
                joined: frozenset[str] = frozenset()
            else:
                joined = single.get(label) or single.setdefault(label, frozenset((label,)))
            group_systems, departments = involved(
                joined, (systems[a].department, systems[b].department)
            )
            key = exchange.key
            found.append(
                _Candidate(
                    id=unique(f"reroute-{key}"),
                    kind="reroute_exchange",
                    joins=joined,
                    fixes=(),
                    reroutes=1,
                    cost=reroute_cost,
                    systems=group_systems,
                    departments=departments,
                    subject=key,
                )
            )
        return found

    # -- evaluation -----------------------------------------------------------------

    def evaluate(self, candidate: _Candidate) -> dict[str, float]:
        """Factor values the candidate adds to the current state."""
        values = dict.fromkeys(FACTORS, 0.0)
        new_departments: set[str] = set()
        for label in candidate.joins:
            if label in self.core:
                continue
            for factor, value in self.label_credit.get(label, {}).items():
                values[factor] += value
            new_departments |= self.depts_of.get(label, set()) - self.reached
        for department in new_departments:
            for factor, value in self.dept_credit.get(department, {}).items():
                values[factor] += value
        for name, share in candidate.fixes:
            if name not in self.done:
                values["demand_weight_met"] += share
        if candidate.reroutes and candidate.subject not in self.done:
            values["exchanges_rerouted"] += candidate.reroutes
        values["cost"] = candidate.cost
        return values

    def frozen(self, values: dict[str, float]) -> FrozenMap[str, float]:
        """``values`` as a read-only map, one shared object per distinct set of
        values (thousands of reroutes have the same factors)."""
        key = tuple(values.values())  # always in FACTORS order
        found = self._factor_maps.get(key)
        if found is None:
            found = self._factor_maps[key] = FrozenMap(values)
        return found

    def score(self, values: dict[str, float]) -> float:
        weights = self.weights
        total = 0.0
        for factor, value in values.items():
            if value:
                total += -weights[factor] * value if factor == "cost" else weights[factor] * value
        return total

    def apply(self, candidate: _Candidate) -> None:
        for label in candidate.joins:
            if label in self.core:
                continue
            self.core.add(label)
            self.reached |= self.depts_of.get(label, set())
        for name, _ in candidate.fixes:
            self.done.add(name)
        if candidate.reroutes:
            self.done.add(candidate.subject)


def _label(scenario_index: LandscapeIndex, department: str) -> str:
    found = scenario_index.departments.get(department)
    return found.name if found is not None else department


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
    hub = index.platforms[planner.hub].name if planner.hub else "the hub"
    if candidate.kind == "connect_island":
        names = [_label(index, d) for d in candidate.departments]
        what = (
            f"Connect the island of {len(candidate.systems)} system"
            f"{'s' if len(candidate.systems) != 1 else ''} of {', '.join(names)} to {hub}"
        )
    elif candidate.kind == "provide_resource":
        demand = planner.scenario.demands[int(candidate.subject)]
        resource = index.resources[demand.resource]
        parts = []
        if candidate.joins:
            parts.append(f"connect to {hub}")
        if any(name.endswith(":agreement") for name, _ in candidate.fixes):
            parts.append("conclude a sharing agreement")
        if any(name.endswith(":catalogue") for name, _ in candidate.fixes):
            parts.append("catalogue the resource")
        how = " and ".join(parts) or "share it"
        purpose = f" for {demand.purpose}" if demand.purpose else ""
        what = (
            f"Provide {resource.name} from {_label(index, resource.owner)} to "
            f"{_label(index, demand.by)}{purpose} ({how})"
        )
    elif candidate.kind == "close_fault_zone":
        matter = planner.matters[candidate.subject]
        what = (
            f"Close the fault zone of {matter.name} by connecting "
            f"{_label(index, matter.approved_by)} (approves) and "
            f"{_label(index, matter.supervised_by)} (supervises) through {hub}"
        )
    else:
        what = f"Move the point-to-point exchange {candidate.subject} onto {hub}"
    gains = []
    for factor, template in _GAIN_WORDS.items():
        value = values.get(factor, 0.0)
        if value:
            plural = "" if value == 1 else "s"
            gains.append(f"{value:g} {template.format(s=plural)}")
    outcome = ", ".join(gains) if gains else "no measurable gain"
    return f"{what}: {outcome}, for an estimated cost of {candidate.cost:g}."


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


@gc_paused
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


@gc_paused
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

    Notes
    -----
    Lazy greedy evaluation (CELF): candidates sit in a heap keyed by their
    last score, and only the top one is re-scored; because scores are
    submodular, a re-scored top that stays on top is the true best. Typical
    cost is O(C log C) for C candidates.

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
    settings = _settings(scenario, weights)
    if budget is None:
        budget = settings.budget
    planner = _Planner(scenario, settings)
    candidates = planner.candidates()
    heap: list[tuple[float, int, int]] = []
    version = 0
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
