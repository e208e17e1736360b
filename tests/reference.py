"""Reference implementations of the landscape analyses, written from the
documented definitions (docs/landscape.rst and the analyses' module
docstrings) and sharing no code with ``cio_framework.analysis`` or
``cio_framework.graph``.

They are slow and plain on purpose: networkx for components, exact rational
arithmetic (:class:`fractions.Fraction`) for every score, a value function
computed from scratch for every set of integrations, and greedy choice by
re-scoring every candidate after every pick.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction

import networkx as nx

from cio_framework.model import (
    FACTORS,
    ApprovalStatus,
    ExchangeStatus,
    ResourceCategory,
    Scenario,
    ShareType,
    SystemStatus,
)

KIND_RANK = {
    "connect_island": 0,
    "provide_resource": 1,
    "close_fault_zone": 2,
    "reroute_exchange": 3,
}


# -- islands ------------------------------------------------------------------


@dataclass
class Landscape:
    """The landscape network: in-use systems and platforms, live exchanges."""

    systems: dict[str, str]  # in-use system -> department
    platforms: set[str]
    graph: nx.Graph
    touched: set[str]
    joining: list  # live exchanges whose ends and platform are all nodes


def landscape(scenario: Scenario) -> Landscape:
    systems = {s.id: s.department for s in scenario.systems if s.status is SystemStatus.IN_USE}
    platforms = {p.id for p in scenario.platforms}
    nodes = set(systems) | platforms
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    touched: set[str] = set()
    joining = []
    for e in scenario.exchanges:
        ends = [e.from_, e.to] + ([e.via] if e.via is not None else [])
        if e.status is not ExchangeStatus.LIVE or not all(n in nodes for n in ends):
            continue
        joining.append(e)
        touched.update(ends)
        graph.add_edge(e.from_, e.to)
        if e.via is not None:
            graph.add_edge(e.from_, e.via)
    return Landscape(systems, platforms, graph, touched, joining)


# -- evidence -------------------------------------------------------------------

#: Statuses from best to worst (docs: "Evidence grades").
GRADES = ["sourced", "inferred", "unsourced", "illustrative"]


def status(scenario: Scenario, element) -> str:
    """An element's status, from the documented definition."""
    if element.illustrative:
        return "illustrative"
    if element.inferred:
        return "inferred"
    if (element.source or "").strip() or (scenario.source or "").strip():
        return "sourced"
    return "unsourced"


def evidence(scenario: Scenario, rests_on) -> dict:
    """The JSON form of the grade of a finding resting on ``rests_on``, a
    list of (collection, key, element) triples."""
    weak = sorted(
        {(c, k, status(scenario, e)) for c, k, e in rests_on if status(scenario, e) != "sourced"}
    )
    grade = max((w[2] for w in weak), key=GRADES.index, default="sourced")
    listed = weak[:10]
    more = len(weak) > 10
    summary = "sourced"
    if weak:
        named = ", ".join(f"{c} {k}" for c, k, _ in listed)
        summary = f"partly {grade}: {named}{', ...' if more else ''}"
    return {
        "grade": grade,
        "summary": summary,
        "not_sourced": [{"collection": c, "key": k, "status": g} for c, k, g in listed],
        "more": more,
    }


def _group_basis(scenario: Scenario, land: Landscape, component) -> list:
    """What a group rests on: its systems, platforms, their departments and
    the joining exchanges inside it, except a system's exchange with itself."""
    found = []
    for system in scenario.systems:
        if system.id in component and system.id in land.systems:
            found.append(("systems", system.id, system))
    for platform in scenario.platforms:
        if platform.id in component:
            found.append(("platforms", platform.id, platform))
    departments = {land.systems[m] for m in component if m in land.systems}
    for department in scenario.departments:
        if department.id in departments:
            found.append(("departments", department.id, department))
    for exchange in land.joining:
        loop = exchange.from_ == exchange.to and exchange.via is None
        if exchange.from_ in component and not loop:
            found.append(("exchanges", exchange.id or f"{exchange.from_}->{exchange.to}", exchange))
    return found


def islands(scenario: Scenario) -> dict:
    """The islands report as plain data, from the module's definition."""
    land = landscape(scenario)
    groups = []
    for component in nx.connected_components(land.graph):
        members = sorted(n for n in component if n in land.systems)
        if not members:
            continue
        platforms = sorted(n for n in component if n in land.platforms)
        groups.append(
            {
                "id": members[0],
                "systems": members,
                "platforms": platforms,
                "departments": sorted({land.systems[m] for m in members}),
                "connected_to_platform": bool(platforms),
                "jurisdiction": None,  # a scenario without jurisdictions: the scenario level
                "unlinked": False,
                "evidence": evidence(scenario, _group_basis(scenario, land, component)),
            }
        )
    groups.sort(key=lambda g: (-len(g["systems"]), g["id"]))
    inside: set[str] = set()
    outside: set[str] = set()
    for e in land.joining:
        a, b = land.systems.get(e.from_), land.systems.get(e.to)
        if e.via is None and a is not None and a == b:
            if e.from_ != e.to:  # a self-loop is between no two systems
                inside.add(a)
        else:
            outside.update(d for d in (a, b) if d is not None)
    return {
        "kind": "islands",  # the documented JSON document, version 1
        "version": 1,
        "groups": groups,
        "islands": sum(1 for g in groups if not g["connected_to_platform"]),
        "isolated_systems": sorted(s for s in land.systems if s not in land.touched),
        "silos": sorted(inside - outside),
        "unused_platforms": sorted(p for p in land.platforms if p not in land.touched),
        "unlinked_jurisdictions": [],
    }


# -- fault zones --------------------------------------------------------------

#: What stands for a matter's approval or registration records in a gap list.
RECORDS = "(records)"


def recorder(matter) -> str | None:
    """The department whose records are a matter's supervision data when it
    lists none (the definition in cio_framework.analysis.faultzones)."""
    if matter.approval is ApprovalStatus.REQUIRED:
        return matter.approved_by
    if matter.approval is ApprovalStatus.FILING:
        return matter.registered_by or matter.approved_by
    return matter.registered_by


def fault_zones(scenario: Scenario) -> dict[str, list[str]]:
    """Matter id to what of its supervision data does not reach its
    supervisor: resource ids, sorted, or ``[RECORDS]``; matters whose data
    all arrives are left out."""
    land = landscape(scenario)
    component = {n: frozenset(c) for c in nx.connected_components(land.graph) for n in c}
    of_department: dict[str, set] = {}
    for system, department in land.systems.items():
        of_department.setdefault(department, set()).add(component[system])
    resources = {r.id: r for r in scenario.resources}
    found = {}
    for matter in scenario.matters:
        supervisor = matter.supervised_by
        theirs = of_department.get(supervisor, set())
        listed = set(matter.supervision_data) | set(matter.needs)
        if listed:
            missing = []
            for rid in listed:
                resource = resources[rid]
                if resource.owner == supervisor:
                    continue
                holder = resource.held_in
                if holder in land.systems and component[holder] in theirs:
                    continue
                missing.append(rid)
            if missing:
                found[matter.id] = sorted(missing)
            continue
        keeper = recorder(matter)
        if keeper == supervisor:
            continue
        if keeper is not None and of_department.get(keeper, set()) & theirs:
            continue
        found[matter.id] = [RECORDS]
    return found


# -- priorities ---------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    id: str
    kind: str
    joins: frozenset  # components (frozensets of nodes) it joins to the hub
    fixes: frozenset  # requirement keys it supplies
    rerouted: int
    cost: Fraction
    subject: tuple


@dataclass
class Planning:
    """Everything the value function needs, computed from the definitions."""

    scenario: Scenario
    hub: str | None
    component: dict = field(default_factory=dict)  # node -> frozenset component
    core: frozenset = frozenset()
    reached: frozenset = frozenset()
    department_components: dict = field(default_factory=dict)
    demand_needs: list = field(default_factory=list)  # (share, needs)
    matter_sides: list = field(default_factory=list)  # sides not yet reached
    candidates: list = field(default_factory=list)
    weights: dict = field(default_factory=dict)


def _hub(scenario: Scenario, land: Landscape, component: dict) -> str | None:
    if scenario.priorities.hub is not None:
        return scenario.priorities.hub
    if not land.platforms:
        return None

    def rank(p: str) -> tuple:
        members = component[p]
        return (
            -sum(1 for m in members if m in land.systems),
            -sum(1 for m in members if m in land.platforms),
            p,
        )

    return min(land.platforms, key=rank)


def planning(scenario: Scenario, weights: dict | None = None) -> Planning:
    land = landscape(scenario)
    component = {}
    for members in nx.connected_components(land.graph):
        frozen = frozenset(members)
        for node in members:
            component[node] = frozen
    hub = _hub(scenario, land, component)
    settings = scenario.priorities
    plan = Planning(scenario=scenario, hub=hub, component=component)
    plan.weights = {f: Fraction((weights or {}).get(f, settings.weight(f))) for f in FACTORS}
    if hub is None:
        return plan
    plan.core = frozenset({component[hub]})
    for system, department in land.systems.items():
        plan.department_components.setdefault(department, set()).add(component[system])
    plan.reached = frozenset(
        d for d, comps in plan.department_components.items() if comps & plan.core
    )
    systems = {s.id: s for s in scenario.systems}
    resources = {r.id: r for r in scenario.resources}
    connection = Fraction(settings.connection_cost)

    provide: dict[tuple, dict] = {}
    for demand in scenario.demands:
        resource = resources[demand.resource]
        holder = systems.get(resource.held_in) if resource.held_in else None
        if demand.by == resource.owner or resource.share is ShareType.NONE:
            continue
        if holder is None or holder.status is not SystemStatus.IN_USE:
            continue
        if demand.by not in plan.department_components:
            continue
        needs = []
        if component[holder.id] not in plan.department_components[demand.by]:
            if component[holder.id] not in plan.core:
                needs.append(("component", component[holder.id]))
            if demand.by not in plan.reached:
                needs.append(("department", demand.by))
        if resource.share is ShareType.CONDITIONAL and not demand.agreement:
            needs.append(("agreement", resource.id, demand.by))
        if not resource.catalogued:
            needs.append(("catalogue", resource.id))
        if not needs:
            continue
        plan.demand_needs.append((Fraction(demand.weight) / len(needs), needs))
        entry = provide.setdefault(
            (resource.id, demand.by), {"joins": set(), "departments": set(), "fixes": set()}
        )
        for need in needs:
            if need[0] == "component":
                entry["joins"].add(need[1])
            elif need[0] == "department":
                entry["departments"].add(demand.by)
            else:
                entry["fixes"].add(need)
    found = []
    for members in set(component.values()):
        in_use = sorted(m for m in members if m in land.systems)
        if in_use and not members & land.platforms and members not in plan.core:
            found.append(
                Candidate(
                    f"connect-{in_use[0]}",
                    "connect_island",
                    frozenset({members}),
                    frozenset(),
                    0,
                    connection,
                    (in_use[0],),
                )
            )
    zones = fault_zones(scenario)
    closable = []
    for matter in scenario.matters:
        missing = zones.get(matter.id)
        if missing is None:
            continue
        supervisor = matter.supervised_by
        if supervisor not in plan.department_components:
            continue  # no integration reaches a supervisor without systems
        sides = set()
        if missing == [RECORDS]:
            keeper = recorder(matter)
            if keeper not in plan.department_components:
                continue
            if keeper not in plan.reached:
                sides.add(("department", keeper))
        else:
            holders = [systems.get(resources[rid].held_in or "") for rid in missing]
            if any(h is None or h.status is not SystemStatus.IN_USE for h in holders):
                continue
            sides |= {("component", component[h.id]) for h in holders} - {
                ("component", c) for c in plan.core
            }
        if supervisor not in plan.reached:
            sides.add(("department", supervisor))
        plan.matter_sides.append(sides)
        closable.append((matter, sides))

    # every need is known: a department's main component can be chosen by
    # what connecting it would earn
    def open_components(department: str) -> set:
        """The department's main component when it is not on the hub: the
        one holding most of its in-use systems, then the most in-use
        systems, then the one whose joining alone scores most, then has the
        greater factors (in FACTORS order), then the least system id.
        Connecting it reaches the department."""

        def rank(members: frozenset) -> tuple:
            in_use = [m for m in members if m in land.systems]
            own = sum(1 for m in in_use if land.systems[m] == department)
            alone = Candidate("", "", frozenset({members}), frozenset(), 0, Fraction(0), ())
            earned = factors(plan, [alone])
            worth = [-earned[f] for f in FACTORS if f != "cost"]
            return (-own, -len(in_use), -value(plan, [alone]), *worth, min(in_use))

        main = min(plan.department_components[department], key=rank)
        return set() if main in plan.core else {main}

    for (resource_id, by), entry in provide.items():
        joins = set(entry["joins"])
        for department in entry["departments"]:
            joins |= open_components(department)
        cost = connection * len(joins)
        for fix in entry["fixes"]:
            cost += Fraction(
                settings.agreement_cost if fix[0] == "agreement" else settings.catalogue_cost
            )
        found.append(
            Candidate(
                f"provide-{resource_id}-to-{by}",
                "provide_resource",
                frozenset(joins),
                frozenset(entry["fixes"]),
                0,
                cost,
                (resource_id, by),
            )
        )
    for matter, sides in closable:
        supervisor = matter.supervised_by
        groups = {}
        for side in sides:
            if side[0] == "component":
                groups[side] = {side[1]}
            else:
                groups[side] = open_components(side[1])
        joined = set().union(*groups.values())
        if len(joined) <= 2:
            found.append(
                Candidate(
                    f"close-{matter.id}",
                    "close_fault_zone",
                    frozenset(joined),
                    frozenset(),
                    0,
                    connection * len(joined),
                    (matter.id,),
                )
            )
            continue
        home = groups.get(("department", supervisor), set())
        for side, group in groups.items():
            if side[0] != "component":
                continue
            name = min(m for m in side[1] if m in land.systems)
            joins = group | home
            found.append(
                Candidate(
                    f"close-{matter.id}-from-{name}",
                    "close_fault_zone",
                    frozenset(joins),
                    frozenset(),
                    0,
                    connection * len(joins),
                    (matter.id, name),
                )
            )
    # one candidate per exchange; those without an id between the same two
    # systems are one candidate
    moves: dict[object, list] = {}
    for e in land.joining:
        if e.via is None and e.from_ != e.to and e.from_ in land.systems and e.to in land.systems:
            moves.setdefault(e.id or (e.from_, e.to), []).append(e)
    for exchanges in moves.values():
        first = exchanges[0]
        joins = {component[e.from_] for e in exchanges} - plan.core
        found.append(
            Candidate(
                f"reroute-{first.key}",
                "reroute_exchange",
                frozenset(joins),
                frozenset(),
                len(exchanges),
                Fraction(settings.reroute_cost) * len(exchanges),
                (first.key, first.from_, first.to),
            )
        )
    plan.candidates = _named(found)
    return plan


def _named(found: list[Candidate]) -> list[Candidate]:
    """Colliding ids numbered -2, -3 ... in the order of (kind, subject)."""
    by_id: dict[str, list[Candidate]] = {}
    for c in found:
        by_id.setdefault(c.id, []).append(c)
    taken = set(by_id)
    result = []
    for base, same in by_id.items():
        same.sort(key=lambda c: (KIND_RANK[c.kind], c.subject))
        result.append(same[0])
        n = 2
        for c in same[1:]:
            while f"{base}-{n}" in taken:
                n += 1
            taken.add(f"{base}-{n}")
            result.append(
                Candidate(f"{base}-{n}", c.kind, c.joins, c.fixes, c.rerouted, c.cost, c.subject)
            )
    return sorted(result, key=lambda c: (KIND_RANK[c.kind], c.id))


def factors(plan: Planning, picked: list[Candidate]) -> dict[str, Fraction]:
    """The factors of a set of integrations, from scratch."""
    joined = set().union(*(c.joins for c in picked)) - plan.core if picked else set()
    on_hub = set(plan.core) | joined
    reached = {d for d, comps in plan.department_components.items() if comps & on_hub}
    supplied = set().union(*(c.fixes for c in picked)) if picked else set()
    systems = {s.id: s for s in plan.scenario.systems}

    def in_use(members: frozenset) -> int:
        return sum(1 for m in members if m in systems and systems[m].status is SystemStatus.IN_USE)

    platforms = {p.id for p in plan.scenario.platforms}
    demand = Fraction(0)
    for share, needs in plan.demand_needs:
        for need in needs:
            if (
                (need[0] == "component" and need[1] in joined)
                or (need[0] == "department" and need[1] in reached)
                or need in supplied
            ):
                demand += share
    zones = Fraction(0)
    for sides in plan.matter_sides:
        for side in sides:
            if (side[0] == "component" and side[1] in joined) or (
                side[0] == "department" and side[1] in reached
            ):
                zones += Fraction(1, len(sides))
    base = 0
    for r in plan.scenario.resources:
        holder = systems.get(r.held_in) if r.held_in else None
        if (
            r.category is ResourceCategory.BASE
            and holder is not None
            and holder.status is SystemStatus.IN_USE
            and plan.component[holder.id] in joined
        ):
            base += 1
    return {
        "islands_merged": Fraction(sum(1 for c in joined if not c & platforms and in_use(c))),
        "systems_reached": Fraction(sum(in_use(c) for c in joined)),
        "departments_reached": Fraction(len(reached - plan.reached)),
        "demand_weight_met": demand,
        "fault_zones_closed": zones,
        "base_resources_freed": Fraction(base),
        "exchanges_rerouted": Fraction(sum(c.rerouted for c in picked)),
        "cost": sum((c.cost for c in picked), Fraction(0)),
    }


def value(plan: Planning, picked: list[Candidate]) -> Fraction:
    """The score of a set of integrations: weighted factors, cost subtracted."""
    found = factors(plan, picked)
    return sum(
        (-plan.weights[f] * v if f == "cost" else plan.weights[f] * v for f, v in found.items()),
        Fraction(0),
    )


def gain(plan: Planning, picked: list[Candidate], candidate: Candidate) -> Fraction:
    return value(plan, [*picked, candidate]) - value(plan, picked)


def greedy_step(
    plan: Planning, picked: list[Candidate], left: Fraction | None
) -> list[tuple[Fraction, Candidate]]:
    """Every candidate that fits, with its marginal gain, best first (ties
    by kind, then id)."""
    chosen = {c.id for c in picked}
    options = [
        (gain(plan, picked, c), c)
        for c in plan.candidates
        if c.id not in chosen and (left is None or c.cost <= left)
    ]
    options.sort(key=lambda pair: (-pair[0], KIND_RANK[pair[1].kind], pair[1].id))
    return options


def best_subset(plan: Planning, k: int) -> Fraction:
    """The most any ``k`` candidates gain together (brute force)."""
    best = Fraction(0)
    for size in range(1, k + 1):
        for subset in itertools.combinations(plan.candidates, size):
            best = max(best, value(plan, list(subset)))
    return best
