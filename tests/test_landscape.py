"""Landscape analyses: islands, barriers, fault zones, single points of failure, indicators."""

from __future__ import annotations

import random

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cio_framework
from cio_framework.analysis import BarrierReason
from cio_framework.model import (
    ApprovalStatus,
    Demand,
    Department,
    Exchange,
    ExchangeStatus,
    Matter,
    Platform,
    Resource,
    ShareType,
    System,
    SystemStatus,
)
from cio_framework.testing import landscapes, make_scenario, relabel


def landscape(**changes):
    """Departments a, b, c; platform hub; systems a1 a2 (dept a), b1 (b), c1 (c)."""
    base = {
        "departments": [Department(id=d, name=d.upper()) for d in "abc"],
        "roles": [],
        "bodies": [],
        "responsibilities": [],
        "appraisals": [],
        "platforms": [Platform(id="hub", name="Hub")],
        "systems": [
            System(id="a1", name="A1", department="a"),
            System(id="a2", name="A2", department="a"),
            System(id="b1", name="B1", department="b"),
            System(id="c1", name="C1", department="c"),
        ],
    }
    base.update(changes)
    return make_scenario(**base)


def group_sets(report):
    return {frozenset(g.systems) for g in report.groups}


def test_islands_group_by_live_exchanges():
    """Live exchanges join systems; a group reaching the platform is not an island."""
    s = landscape(exchanges=[Exchange(from_="a1", to="hub"), Exchange(from_="b1", to="c1")])
    report = cio_framework.islands(s)
    assert group_sets(report) == {frozenset({"a1"}), frozenset({"a2"}), frozenset({"b1", "c1"})}
    assert [g.systems for g in report.islands] == [("b1", "c1"), ("a2",)]
    assert report.group_of("a1").connected_to_platform


def test_via_platform_joins_both_ends_to_it():
    """An exchange via a platform connects both ends and the platform."""
    s = landscape(exchanges=[Exchange(from_="a1", to="b1", via="hub")])
    group = cio_framework.islands(s).group_of("a1")
    assert set(group.systems) == {"a1", "b1"}
    assert group.platforms == ("hub",)


def test_planned_exchanges_and_inactive_systems_connect_nothing():
    """Planned exchanges and exchanges with retired systems do not join groups."""
    systems = [
        System(id="a1", name="A1", department="a"),
        System(id="old", name="Old", department="a", status=SystemStatus.RETIRED),
        System(id="b1", name="B1", department="b"),
    ]
    s = landscape(
        systems=systems,
        exchanges=[
            Exchange(from_="a1", to="b1", status=ExchangeStatus.PLANNED),
            Exchange(from_="a1", to="old"),
            Exchange(from_="old", to="b1"),
        ],
    )
    report = cio_framework.islands(s)
    assert group_sets(report) == {frozenset({"a1"}), frozenset({"b1"})}
    assert set(report.isolated_systems) == {"a1", "b1"}


def test_isolated_systems_silos_and_unused_platforms():
    """Isolated systems, departmental silos and unused platforms are reported."""
    s = landscape(
        platforms=[Platform(id="hub", name="Hub"), Platform(id="spare", name="Spare")],
        exchanges=[Exchange(from_="a1", to="a2"), Exchange(from_="b1", to="hub")],
    )
    report = cio_framework.islands(s)
    assert report.isolated_systems == ("c1",)
    assert report.silos == ("a",)
    assert report.unused_platforms == ("spare",)


def test_islands_json_contract():
    """to_dict has groups with an id, systems, platforms, connected_to_platform
    and the evidence: here every element is unsourced."""
    s = landscape(exchanges=[Exchange(id="a1-hub", from_="a1", to="hub")])
    data = cio_framework.islands(s).to_dict()
    unsourced = [
        ("departments", "a"),
        ("exchanges", "a1-hub"),
        ("platforms", "hub"),
        ("systems", "a1"),
    ]
    assert data["groups"][0] == {
        "id": "a1",
        "systems": ["a1"],
        "platforms": ["hub"],
        "departments": ["a"],
        "connected_to_platform": True,
        "jurisdiction": None,
        "unlinked": False,
        "evidence": {
            "grade": "unsourced",
            "summary": "partly unsourced: "
            + ", ".join(f"{collection} {key}" for collection, key in unsourced),
            "not_sourced": [
                {"collection": collection, "key": key, "status": "unsourced"}
                for collection, key in unsourced
            ],
            "more": False,
        },
    }


@given(landscapes())
def test_groups_partition_the_in_use_systems(scenario):
    """Every in-use system is in exactly one group; no other system is in any."""
    report = cio_framework.islands(scenario)
    members = [s for g in report.groups for s in g.systems]
    assert sorted(members) == sorted(s.id for s in scenario.systems if s.in_use)


@given(landscapes(), st.data())
def test_adding_a_live_exchange_never_adds_groups(scenario, data):
    """A new live exchange can merge groups but never split them."""
    nodes = [s.id for s in scenario.systems] + [p.id for p in scenario.platforms]
    if not nodes:
        return
    a = data.draw(st.sampled_from(nodes))
    b = data.draw(st.sampled_from(nodes))
    before = cio_framework.islands(scenario)
    after = cio_framework.islands(
        attrs.evolve(scenario, exchanges=(*scenario.exchanges, Exchange(from_=a, to=b)))
    )
    assert len(after.groups) <= len(before.groups)
    assert len(after.islands) <= len(before.islands)


def canonical(scenario, back):
    """Results of every landscape analysis, as order-free values in original ids."""
    islands = cio_framework.islands(scenario)
    ranked = cio_framework.priorities(scenario)
    return {
        "groups": {
            (frozenset(back[s] for s in g.systems), frozenset(back[p] for p in g.platforms))
            for g in islands.groups
        },
        "isolated": {back[s] for s in islands.isolated_systems},
        "silos": {back[d] for d in islands.silos},
        "barriers": sorted(
            (back[b.by], back[b.resource], b.weight, tuple(r.value for r in b.reasons))
            for b in cio_framework.barriers(scenario).barriers
        ),
        "zones": {back[z.matter] for z in cio_framework.fault_zones(scenario).zones},
        "indicators": cio_framework.indicators(scenario),
        "priorities": sorted(
            (p.kind, round(p.score, 6), tuple(sorted(back[d] for d in p.departments)))
            for p in ranked.priorities
        ),
        "hub": back.get(ranked.hub, ranked.hub),
    }


def all_ids(scenario):
    found = set()
    for _, element in scenario.elements():
        if getattr(element, "id", None):
            found.add(element.id)
    return found


@given(landscapes(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_id_names_or_order(scenario, rnd):
    """Relabelling every id and shuffling every list leaves the results unchanged."""
    ids = sorted(all_ids(scenario))
    new = [f"n{i}" for i in range(len(ids))]
    rnd.shuffle(new)
    mapping = dict(zip(ids, new, strict=True))
    renamed = relabel(scenario, mapping)
    shuffled = {}
    for name in (
        "departments",
        "systems",
        "platforms",
        "resources",
        "exchanges",
        "demands",
        "matters",
    ):
        items = list(getattr(renamed, name))
        rnd.shuffle(items)
        shuffled[name] = items
    renamed = attrs.evolve(renamed, **shuffled)
    back = {v: k for k, v in mapping.items()}
    identity = {i: i for i in ids}
    assert canonical(renamed, back) == canonical(scenario, identity)


def sharing(**changes):
    resource = Resource(id="r", name="R", owner="a", held_in="a1", **changes.pop("resource", {}))
    demand = Demand(**{"by": "b", "resource": "r", **changes.pop("demand", {})})
    exchanges = changes.pop(
        "exchanges", [Exchange(from_="a1", to="hub"), Exchange(from_="b1", to="hub")]
    )
    return landscape(resources=[resource], demands=[demand], exchanges=exchanges, **changes)


def reasons_of(scenario):
    return [list(b.reasons) for b in cio_framework.barriers(scenario).barriers]


def test_connected_unconditional_demand_is_met():
    """A catalogued, unconditional resource on a path to the requester is met."""
    report = cio_framework.barriers(sharing())
    assert report.barriers == ()
    assert report.met == ("b:r",)
    assert report.met_share == 1.0


def test_barrier_no_path():
    """No exchange path is a barrier."""
    s = sharing(exchanges=[Exchange(from_="a1", to="hub"), Exchange(from_="b1", to="c1")])
    assert reasons_of(s) == [[BarrierReason.NO_PATH]]


def test_barrier_provider_isolated():
    """A holding system that exchanges with nothing is a barrier."""
    s = sharing(exchanges=[Exchange(from_="b1", to="hub")])
    assert reasons_of(s) == [[BarrierReason.PROVIDER_ISOLATED]]


def test_barrier_not_shared_and_not_catalogued():
    """Share type none and a missing catalogue entry are both reasons."""
    s = sharing(resource={"share": ShareType.NONE, "catalogued": False, "legal_basis": "law"})
    assert reasons_of(s) == [[BarrierReason.NOT_CATALOGUED, BarrierReason.NOT_SHARED]]


def test_barrier_conditional_without_agreement():
    """A conditional resource needs an agreement; with one, the demand is met."""
    s = sharing(resource={"share": ShareType.CONDITIONAL, "legal_basis": "law"})
    assert reasons_of(s) == [[BarrierReason.CONDITIONAL_WITHOUT_AGREEMENT]]
    agreed = sharing(
        resource={"share": ShareType.CONDITIONAL, "legal_basis": "law"}, demand={"agreement": True}
    )
    assert reasons_of(agreed) == []


def test_barrier_requester_without_system():
    """A requester with no system in use cannot receive data."""
    s = sharing(
        demand={"by": "c"},
        systems=[
            System(id="a1", name="A1", department="a"),
            System(id="b1", name="B1", department="b"),
        ],
    )
    assert reasons_of(s) == [[BarrierReason.REQUESTER_WITHOUT_SYSTEM]]


def test_barrier_weights_and_explanation():
    """Barriers carry the demand weight and a sentence naming both departments."""
    s = sharing(demand={"weight": 3}, exchanges=[])
    (barrier,) = cio_framework.barriers(s).barriers
    assert barrier.weight == 3
    assert barrier.explanation.startswith("B cannot get R from A:")


def test_fault_zone_when_no_path():
    """A matter between departments with no information path is a fault zone."""
    s = landscape(
        exchanges=[Exchange(from_="a1", to="hub")],
        matters=[
            Matter(id="m1", name="Permit", approved_by="a", supervised_by="b"),
            Matter(id="m2", name="Own", approved_by="a", supervised_by="a"),
        ],
    )
    zones = cio_framework.fault_zones(s).zones
    assert [z.matter for z in zones] == ["m1"]
    assert "Permit" in zones[0].explanation


def test_fault_zone_report_forms():
    """The report's JSON form lists each zone and counts every matter; its
    records are one a zone, lists as lists and the grade as its sentence;
    its HTML table shows the documented columns, or says there is none."""
    s = landscape(
        exchanges=[Exchange(from_="a1", to="hub")],
        matters=[
            Matter(id="m1", name="Permit", approved_by="a", supervised_by="b"),
            Matter(id="m2", name="Own", approved_by="a", supervised_by="a"),
        ],
    )
    report = cio_framework.fault_zones(s)
    (zone,) = report.zones
    assert report.to_dict() == {"fault_zones": [zone.to_dict()], "matters": 2}
    (record,) = report.to_records()
    assert set(record) == set(zone.to_dict())  # the zone's fields, no others
    assert record["matter"] == "m1"
    assert (record["needs"], record["missing"]) == ([], [])
    assert record["evidence"] == str(zone.evidence)
    assert "matters m1" in record["evidence"]  # the sentence names what is weak
    html = report._repr_html_()
    header = "".join(
        f"<th>{c}</th>"
        for c in ("matter", "approved_by", "supervised_by", "approval", "explanation")
    )
    assert f"<tr>{header}</tr>" in html
    assert "<td>m1</td><td>a</td><td>b</td><td>required</td>" in html
    none = cio_framework.fault_zones(attrs.evolve(s, matters=s.matters[1:]))
    assert none._repr_html_() == "<p>No fault zones.</p>"
    assert none.to_dict() == {"fault_zones": [], "matters": 1}


def test_fault_zone_explanations_name_what_is_missing_and_why():
    """The department without a system in use is the one named; each reason
    a resource does not reach the supervisor is given, joined by '; '; a
    registering department is kept on the zone."""
    s = landscape(
        departments=[Department(id=d, name=d.upper()) for d in "abcd"],
        resources=[Resource(id="r", name="R", owner="c", held_in="c1")],
        matters=[
            Matter(
                id="m1", name="Permit", approved_by="c", supervised_by="d", supervision_data=["r"]
            ),
            Matter(id="m2", name="Licence", approved_by="d", supervised_by="b"),
            Matter(
                id="m3",
                name="Filing",
                approved_by="a",
                supervised_by="b",
                approval=ApprovalStatus.CANCELLED,
                registered_by="d",
            ),
        ],
    )
    zones = {z.matter: z for z in cio_framework.fault_zones(s).zones}
    assert zones["m1"].explanation == (
        "Permit: D supervises it but does not get R (r): the system holding it exchanges "
        "with nothing; the supervising department has no system in use."
    )
    assert zones["m2"].explanation.endswith("but D has no information system in use.")
    assert zones["m3"].registered_by == "d"
    assert zones["m3"].explanation.endswith("but D has no information system in use.")


def test_no_fault_zone_when_connected():
    """Departments on the same group share a path: no fault zone."""
    s = landscape(
        exchanges=[Exchange(from_="a1", to="hub"), Exchange(from_="b1", to="hub")],
        matters=[Matter(id="m1", name="Permit", approved_by="a", supervised_by="b")],
    )
    assert cio_framework.fault_zones(s).zones == ()


def test_single_points_of_failure():
    """Cut systems and bridge exchanges are found; parallel exchanges back each other up."""
    s = landscape(
        exchanges=[
            Exchange(id="e1", from_="a1", to="hub"),
            Exchange(id="e2", from_="hub", to="b1"),
            Exchange(id="e3", from_="hub", to="b1"),
            Exchange(id="e4", from_="b1", to="c1"),
        ]
    )
    points = cio_framework.single_points_of_failure(s)
    assert {(p.kind, p.id, p.parts) for p in points.nodes} == {
        ("platform", "hub", 2),
        ("system", "b1", 2),
    }
    assert {p.id for p in points.exchanges} == {"e1", "e4"}


def test_indicators():
    """Indicators count platform hosting, connection, catalogue and demand."""
    s = sharing(
        systems=[
            System(id="a1", name="A1", department="a", hosted_on="hub"),
            System(id="a2", name="A2", department="a"),
            System(id="b1", name="B1", department="b"),
            System(id="c1", name="C1", department="c"),
        ]
    )
    figures = cio_framework.indicators(s)
    assert figures.systems_in_use == 4
    assert figures.platform_share == 0.25
    assert figures.connected_share == 0.5
    assert figures.islands == 2
    assert figures.demands_met_share == 1.0


def test_to_networkx_systems_view():
    """The systems view is a MultiDiGraph keyed by ids, via exchanges as two legs."""
    s = landscape(exchanges=[Exchange(id="e", from_="a1", to="b1", via="hub", resources=[])])
    g = cio_framework.to_networkx(s)
    assert g.nodes["a1"]["kind"] == "system"
    assert g.nodes["hub"]["kind"] == "platform"
    assert sorted((u, v, k) for u, v, k in g.edges(keys=True)) == [
        ("a1", "hub", "e"),
        ("hub", "b1", "e"),
    ]


def test_to_networkx_departments_view():
    """The department view joins departments whose systems exchange."""
    s = landscape(exchanges=[Exchange(from_="a1", to="b1"), Exchange(from_="a2", to="b1")])
    g = cio_framework.to_networkx(s, view="departments")
    assert g["a"]["b"]["weight"] == 2
    assert not g.has_edge("a", "c")


def test_to_networkx_is_consistent_with_islands():
    """Weak components of the systems view match the island groups."""
    import networkx as nx

    rnd = random.Random(3)
    systems = [System(id=f"s{i}", name=f"S{i}", department="a") for i in range(30)]
    exchanges = [
        Exchange(from_=f"s{rnd.randrange(30)}", to=f"s{rnd.randrange(30)}") for _ in range(20)
    ]
    s = landscape(systems=systems, exchanges=exchanges)
    g = cio_framework.to_networkx(s)
    components = {frozenset(c) - {"hub"} for c in nx.weakly_connected_components(g)} - {frozenset()}
    assert components == group_sets(cio_framework.islands(s))


def test_unknown_view_is_refused():
    """An unknown view raises ValueError."""
    import pytest

    with pytest.raises(ValueError, match="unknown view"):
        cio_framework.to_networkx(landscape(), view="people")


@pytest.mark.parametrize("name", ["pudong-2016", "us-federal", "guangdong-cdo-2021"])
def test_relabel_renames_the_sources_citations_name(name):
    """Renaming every id, sources included, renames the ids that citations
    name too: the renamed built-in is as valid as the original, and finds
    as much."""
    from cio_framework.model import COLLECTIONS

    scenario = cio_framework.builtin(name)
    ids = {getattr(e, "id", None) for c in COLLECTIONS for e in getattr(scenario, c)} - {None}
    renamed = relabel(scenario, {i: f"z-{i}" for i in ids})
    assert cio_framework.validate(renamed) == ()
    assert "z-" + scenario.sources[0].id in renamed.source
    checks = [(f.check, f.severity) for f in cio_framework.check(scenario).findings]
    assert sorted(checks) == sorted(
        (f.check, f.severity) for f in cio_framework.check(renamed).findings
    )
