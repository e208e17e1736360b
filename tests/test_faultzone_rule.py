"""The fault-zone rule: a supervisor without its supervision data, checked
against a reference written from the definition in
``cio_framework.analysis.faultzones``."""

from __future__ import annotations

import random
from collections import deque

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework.model import (
    ApprovalStatus,
    Change,
    Department,
    Exchange,
    ExchangeStatus,
    Matter,
    MergeDepartments,
    Platform,
    PrioritySettings,
    Resource,
    Scenario,
    System,
    SystemStatus,
    WhatIf,
)
from cio_framework.testing import landscapes
from small_scenarios import three_departments

# -- the reference ------------------------------------------------------------

RECORDS = "(records)"


def reference_zones(scenario: Scenario) -> dict[str, tuple[str, ...]]:
    """Matter id to what of its supervision data does not reach its
    supervisor (resource ids sorted, or ``(RECORDS,)``), from the documented
    definition: breadth-first search over in-use systems and platforms
    joined by live exchanges whose ends (and platform) are all such nodes."""
    in_use = {s.id: s.department for s in scenario.systems if s.status is SystemStatus.IN_USE}
    nodes = set(in_use) | {p.id for p in scenario.platforms}
    adjacent: dict[str, set[str]] = {node: set() for node in nodes}
    for e in scenario.exchanges:
        ends = [e.from_, e.to, *([e.via] if e.via else [])]
        if e.status is ExchangeStatus.LIVE and all(end in nodes for end in ends):
            for end in ends[1:]:  # from joins to, and the platform it runs through
                adjacent[e.from_].add(end)
                adjacent[end].add(e.from_)

    def reachable(start: str) -> set[str]:
        seen, queue = {start}, deque([start])
        while queue:
            for nxt in adjacent[queue.popleft()]:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def systems_of(department: str | None) -> list[str]:
        return [s for s, d in in_use.items() if d == department]

    def joined(sources: list[str], department: str) -> bool:
        targets = set(systems_of(department))
        return any(reachable(s) & targets for s in sources)

    resources = {r.id: r for r in scenario.resources}
    zones = {}
    for m in scenario.matters:
        supervisor = m.supervised_by
        listed = set(m.supervision_data) | set(m.needs)
        if listed:
            missing = []
            for rid in listed:
                r = resources[rid]
                held = [r.held_in] if r.held_in in in_use else []
                if r.owner != supervisor and not joined(held, supervisor):
                    missing.append(rid)
            if missing:
                zones[m.id] = tuple(sorted(missing))
            continue
        if m.approval is ApprovalStatus.REQUIRED:
            keeper = m.approved_by
        elif m.approval is ApprovalStatus.FILING:
            keeper = m.registered_by or m.approved_by
        else:
            keeper = m.registered_by
        if keeper != supervisor and (keeper is None or not joined(systems_of(keeper), supervisor)):
            zones[m.id] = (RECORDS,)
    return zones


def found_zones(scenario: Scenario) -> dict[str, tuple[str, ...]]:
    return {z.matter: z.missing or (RECORDS,) for z in cio_framework.fault_zones(scenario).zones}


@settings(max_examples=300, deadline=None)
@given(landscapes(max_systems=8, explicit_hub=False))
def test_fault_zones_match_the_reference(scenario):
    """Every zone and its missing data are the reference's, on generated landscapes."""
    assert found_zones(scenario) == reference_zones(scenario)


@settings(max_examples=100, deadline=None)
@given(landscapes(max_systems=8, explicit_hub=False), st.randoms(use_true_random=False))
def test_fault_zones_do_not_depend_on_list_order(scenario, rng):
    """Shuffling the scenario's lists changes no zone, nor the order they are listed in."""
    shuffled = attrs.evolve(
        scenario,
        **{
            name: rng.sample(list(getattr(scenario, name)), len(getattr(scenario, name)))
            for name in ("systems", "exchanges", "resources", "matters")
        },
    )
    assert cio_framework.fault_zones(shuffled) == cio_framework.fault_zones(scenario)


# -- cases --------------------------------------------------------------------


def two_bureaus(*matters, exchanges=(), resources=None):
    """Bureaus a (system a1) and b (system b1), unconnected unless ``exchanges``;
    resource ra held in a1, rb held in b1."""
    return Scenario(
        name="Two bureaus",
        departments=[Department(id="a", name="A"), Department(id="b", name="B")],
        systems=[
            System(id="a1", name="A1", department="a"),
            System(id="b1", name="B1", department="b"),
        ],
        resources=resources
        if resources is not None
        else [
            Resource(id="ra", name="Approvals", owner="a", held_in="a1"),
            Resource(id="rb", name="Registry", owner="b", held_in="b1"),
        ],
        exchanges=list(exchanges),
        matters=list(matters),
    )


def matter(**changes):
    base = {"id": "m", "name": "Permit", "approved_by": "a", "supervised_by": "b"}
    return Matter(**{**base, **changes})


def test_differing_approver_and_supervisor_is_not_a_zone_when_the_data_arrives():
    """The supervisor keeps the registry it supervises with: no fault zone,
    though the approver's systems exchange nothing with its own."""
    s = two_bureaus(matter(supervision_data=["rb"]))
    assert cio_framework.fault_zones(s).zones == ()


def test_supervisor_without_the_data_is_a_zone():
    """The approvals held in the approver's system do not reach the supervisor."""
    (zone,) = cio_framework.fault_zones(two_bureaus(matter(supervision_data=["ra"]))).zones
    assert (zone.matter, zone.needs, zone.missing) == ("m", ("ra",), ("ra",))
    assert zone.explanation == (
        "Permit: B supervises it but does not get Approvals (ra): the system holding it "
        "exchanges with nothing."
    )


def test_an_exchange_delivering_the_data_closes_the_zone():
    """A live exchange from the holding system to the supervisor's closes the zone;
    a planned one does not."""
    planned = Exchange(from_="a1", to="b1", status=ExchangeStatus.PLANNED)
    assert found_zones(two_bureaus(matter(needs=["ra"]), exchanges=[planned])) == {"m": ("ra",)}
    live = Exchange(from_="a1", to="b1")
    assert found_zones(two_bureaus(matter(needs=["ra"]), exchanges=[live])) == {}


def test_needs_count_as_supervision_data():
    """The former key needs is read and counts like supervision_data."""
    text = """
cio_framework: 1
name: Old file
departments: [{id: a, name: A}, {id: b, name: B}]
systems: [{id: a1, name: A1, department: a}, {id: b1, name: B1, department: b}]
resources: [{id: rb, name: Registry, owner: b, held_in: b1}]
matters: [{id: m, name: Permit, approved_by: a, supervised_by: b, needs: [rb]}]
"""
    s = cio_framework.loads(text)
    assert s.matters[0].supervision_resources == ("rb",)
    assert cio_framework.fault_zones(s).zones == ()


def test_the_supervisor_owns_its_data_without_any_system():
    """Data the supervising department owns reaches it, systems or not."""
    s = two_bureaus(
        matter(supervision_data=["rc"]),
        resources=[Resource(id="rc", name="Complaints", owner="b")],
    )
    assert cio_framework.fault_zones(s).zones == ()


def test_records_of_an_approval_still_required_are_the_approvers():
    """Without listed data, the approval records kept by the approver must
    reach the supervisor: the rule of the earlier versions."""
    (zone,) = cio_framework.fault_zones(two_bureaus(matter())).zones
    assert zone.missing == ()
    assert zone.explanation == (
        "Permit: approved by A, supervised by B, but their systems are in different groups "
        "with no exchange between them."
    )
    assert (
        cio_framework.fault_zones(
            two_bureaus(matter(), exchanges=[Exchange(from_="a1", to="b1")])
        ).zones
        == ()
    )


def test_a_cancelled_approval_registered_nowhere_leaves_the_supervisor_without_data():
    """Once the approval is cancelled and nobody registers the matter, even the
    former approver, supervising it, has nothing to supervise with."""
    (zone,) = cio_framework.fault_zones(
        two_bureaus(matter(supervised_by="a", approval=ApprovalStatus.CANCELLED))
    ).zones
    assert zone.approval is ApprovalStatus.CANCELLED
    assert zone.explanation == (
        "Permit: the approval by A was cancelled and no department registers the matter, "
        "so A, which supervises it, gets no approval or registration data."
    )


def test_a_cancelled_approval_registered_by_the_supervisor_is_no_zone():
    """The supervisor that registers the matter itself has its registrations."""
    s = two_bureaus(matter(approval=ApprovalStatus.CANCELLED, registered_by="b"))
    assert cio_framework.fault_zones(s).zones == ()


def test_a_filing_goes_to_the_approver_by_default():
    """A filing without registered_by is filed with the former approver, whose
    records must reach the supervisor; one filed with the supervisor is no zone."""
    (zone,) = cio_framework.fault_zones(two_bureaus(matter(approval=ApprovalStatus.FILING))).zones
    assert zone.explanation.startswith(
        "Permit: filed with A since the approval by A was turned into a filing, supervised by B"
    )
    s = two_bureaus(matter(approval=ApprovalStatus.FILING, registered_by="b"))
    assert cio_framework.fault_zones(s).zones == ()


def test_a_supervisor_without_systems_gets_no_records():
    """A supervising department with no system in use cannot receive the records."""
    s = attrs.evolve(
        two_bureaus(matter(approval=ApprovalStatus.CANCELLED, registered_by="a")),
        systems=[
            System(id="a1", name="A1", department="a"),
            System(id="b1", name="B1", department="b", status=SystemStatus.RETIRED),
        ],
    )
    (zone,) = cio_framework.fault_zones(s).zones
    assert zone.explanation == (
        "Permit: registered by A since the approval by A was cancelled, supervised by B, "
        "but B has no information system in use."
    )


def test_zones_are_listed_by_matter_id():
    """Zones come by matter id, whatever the order of the matters."""
    s = two_bureaus(matter(id="z"), matter(id="m"), matter(id="q", supervised_by="a"))
    assert [z.matter for z in cio_framework.fault_zones(s).zones] == ["m", "z"]


def test_missing_resources_are_listed_by_id():
    """The missing resources of a zone, and the explanation's items, come by id."""
    resources = [
        Resource(id="r2", name="Second", owner="a", held_in="a1"),
        Resource(id="r1", name="First", owner="a"),
    ]
    s = two_bureaus(matter(supervision_data=["r2", "r1"]), resources=resources)
    (zone,) = cio_framework.fault_zones(s).zones
    assert zone.missing == ("r1", "r2")
    assert zone.explanation == (
        "Permit: B supervises it but does not get First (r1): no system is recorded as "
        "holding it; Second (r2): the system holding it exchanges with nothing."
    )


def test_share_types_do_not_decide():
    """A resource not shared still reaches the supervisor when an exchange carries it:
    whether it may be given is the barriers' question."""
    from cio_framework.model import ShareType

    resources = [
        Resource(
            id="ra",
            name="Approvals",
            owner="a",
            held_in="a1",
            share=ShareType.NONE,
            legal_basis="Secrecy law",
            catalogued=False,
        ),
    ]
    s = two_bureaus(
        matter(supervision_data=["ra"]),
        resources=resources,
        exchanges=[Exchange(from_="a1", to="b1")],
    )
    assert cio_framework.fault_zones(s).zones == ()


def test_merging_departments_follows_the_registering_department():
    """A what-if merge moves registered_by to the surviving department."""
    s = attrs.evolve(
        two_bureaus(matter(approval=ApprovalStatus.CANCELLED, registered_by="a")),
        departments=[Department(id=d, name=d.upper()) for d in "abc"],
        scenarios=[
            WhatIf(
                id="w",
                changes=[Change(merge_departments=MergeDepartments(into="c", departments=["a"]))],
            )
        ],
    )
    after = cio_framework.whatif(s, "w")
    assert after.matters[0].registered_by == "c"
    cio_framework.validate(after)


# -- priorities ---------------------------------------------------------------


def with_hub(**changes):
    """Departments a, b, c (CIOs, committee); the hub holds a1; b1 and c1 are islands."""
    return three_departments(**changes)


def by_id(scenario):
    return {p.id: p for p in cio_framework.priorities(scenario).priorities}


def test_an_integration_delivering_the_supervision_data_closes_the_zone():
    """The close candidate connects the group holding the data and the
    supervisor; it closes one zone, and the scenario with that connection
    made has none."""
    resources = [Resource(id="rb", name="Filings", owner="b", held_in="b1")]
    m = Matter(
        id="m",
        name="Permit",
        approved_by="a",
        supervised_by="c",
        approval=ApprovalStatus.FILING,
        registered_by="b",
        supervision_data=["rb"],
    )
    s = with_hub(resources=resources, matters=[m])
    found = by_id(s)
    close = found["close-m"]
    assert close.factors["fault_zones_closed"] == 1
    assert close.groups == ("b1", "c1")
    assert close.departments == ("b", "c")
    assert close.explanation.startswith(
        "Close the fault zone of Permit by connecting B (receives the filings) and C (supervises) "
        "through Hub"
    )
    # connecting either island earns its share of the zone
    assert found["connect-b1"].factors["fault_zones_closed"] == 0.5
    assert found["connect-c1"].factors["fault_zones_closed"] == 0.5
    done = attrs.evolve(
        s, exchanges=[*s.exchanges, Exchange(from_="b1", to="hub"), Exchange(from_="c1", to="hub")]
    )
    assert cio_framework.fault_zones(done).zones == ()
    assert not any(p.kind == "close_fault_zone" for p in cio_framework.priorities(done).priorities)


def test_a_zone_with_data_already_on_the_hub_needs_the_supervisor_only():
    """Data held on the hub's group reaches the supervisor once it is connected:
    the zone's one share goes to the supervisor."""
    resources = [Resource(id="ra", name="Approvals", owner="a", held_in="a1")]
    m = Matter(id="m", name="Permit", approved_by="a", supervised_by="c", supervision_data=["ra"])
    found = by_id(with_hub(resources=resources, matters=[m]))
    assert found["close-m"].groups == ("c1",)
    assert found["connect-c1"].factors["fault_zones_closed"] == 1
    assert found["connect-b1"].factors["fault_zones_closed"] == 0


def test_a_zone_no_integration_can_close_earns_nothing():
    """Missing data held in no system: no candidate closes the zone, and no
    other candidate is credited for it."""
    resources = [Resource(id="rx", name="Paper files", owner="b")]
    m = Matter(id="m", name="Permit", approved_by="b", supervised_by="c", supervision_data=["rx"])
    s = with_hub(resources=resources, matters=[m])
    assert cio_framework.fault_zones(s).zones[0].missing == ("rx",)
    found = by_id(s)
    assert "close-m" not in found
    assert all(p.factors["fault_zones_closed"] == 0 for p in found.values())


def one_system_each(letters: str, *, holding: str, on_hub: str, matter: Matter) -> Scenario:
    """Departments named by ``letters``, each with one system (``a1`` ...);
    the departments ``holding`` hold a resource each (``rb`` ...) in it, and
    those ``on_hub`` are connected to the hub."""
    return Scenario(
        name="One system each",
        departments=[Department(id=d, name=d.upper()) for d in letters],
        platforms=[Platform(id="hub", name="Hub")],
        systems=[System(id=f"{d}1", name=f"{d.upper()}1", department=d) for d in letters],
        resources=[
            Resource(id=f"r{d}", name=f"R{d.upper()}", owner=d, held_in=f"{d}1") for d in holding
        ],
        exchanges=[Exchange(from_=f"{d}1", to="hub") for d in on_hub],
        matters=[matter],
        priorities=PrioritySettings(hub="hub"),
    )


def test_missing_data_in_many_groups_gives_one_candidate_per_group():
    """Data missing in two groups besides the supervisor's makes three groups:
    one candidate per group holding data, each with the supervisor's group."""
    m = Matter(
        id="m", name="Permit", approved_by="b", supervised_by="d", supervision_data=["rb", "rc"]
    )
    s = one_system_each("abcd", holding="bc", on_hub="a", matter=m)
    found = by_id(s)
    assert "close-m" not in found
    first, second = found["close-m-from-b1"], found["close-m-from-c1"]
    assert (first.groups, second.groups) == (("b1", "d1"), ("c1", "d1"))
    # three shares: the two data groups and the supervisor
    assert first.factors["fault_zones_closed"] == pytest.approx(2 / 3)
    assert first.departments == ("b", "d")
    assert first.explanation.startswith(
        "Close the fault zone of Permit by connecting B (approves) and D (supervises)"
    )
    assert second.explanation.startswith(
        "Close the fault zone of Permit by connecting C (holds supervision data) and D (supervises)"
    )


def test_a_split_zone_whose_supervisor_is_reached_joins_each_data_group_alone():
    """Data missing in three groups while the supervisor is on the hub: one
    candidate per group holding data, each joining that group only."""
    m = Matter(
        id="m",
        name="Permit",
        approved_by="b",
        supervised_by="d",
        supervision_data=["rb", "rc", "re"],
    )
    s = one_system_each("abcde", holding="bce", on_hub="ad", matter=m)
    found = by_id(s)
    closing = {i: p for i, p in found.items() if p.kind == "close_fault_zone"}
    assert sorted(closing) == ["close-m-from-b1", "close-m-from-c1", "close-m-from-e1"]
    for group in ("b1", "c1", "e1"):
        candidate = closing[f"close-m-from-{group}"]
        assert candidate.groups == (group,)
        assert candidate.cost == 1
        assert candidate.departments == (group[0], "d")


@pytest.mark.parametrize("seed", range(3))
def test_priorities_credit_zones_as_the_reference(seed):
    """Random small landscapes: the zones the priorities credit are the
    reference's zones (a smoke test beside tests/test_reference_core.py)."""
    rng = random.Random(seed)
    departments = [Department(id=d, name=d.upper()) for d in "abcd"]
    systems = [System(id=f"{d}1", name=d, department=d) for d in "abcd"]
    resources = [Resource(id=f"r{d}", name=d, owner=d, held_in=f"{d}1") for d in "abcd"]
    matters = [
        Matter(
            id=f"m{i}",
            name=f"M{i}",
            approved_by=rng.choice("abcd"),
            supervised_by=rng.choice("abcd"),
            supervision_data=rng.sample([r.id for r in resources], rng.randint(0, 2)),
        )
        for i in range(4)
    ]
    s = Scenario(
        name="Random",
        departments=departments,
        platforms=[Platform(id="hub", name="Hub")],
        systems=systems,
        resources=resources,
        exchanges=[Exchange(from_="a1", to="hub")],
        matters=matters,
        priorities=PrioritySettings(hub="hub"),
    )
    closes = {
        p.id.split("-")[1]
        for p in cio_framework.priorities(s).priorities
        if p.kind == "close_fault_zone"
    }
    assert closes == set(reference_zones(s))
