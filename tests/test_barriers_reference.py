"""``barriers`` against a reference written from its documented definition.

The reference below reads only the documentation: ``barriers``' docstring
("a demand is met when its resource is catalogued, its share type allows
this use (unconditional, or conditional with an agreement) and the system
holding it is linked by live exchanges to a system of the requesting
department (or the requester owns the resource)") and the text of each
:class:`~cio_framework.analysis.BarrierReason`. Links are worked out with
networkx on the landscape network of ``tests/reference.py``, not with the
library's union-find.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction

import attrs
import networkx as nx
from hypothesis import example, given
from hypothesis import strategies as st

import cio_framework
import reference
from cio_framework.analysis import BarrierReason
from cio_framework.model import (
    Demand,
    Department,
    Exchange,
    ExchangeStatus,
    Platform,
    Resource,
    Scenario,
    ShareType,
    System,
    SystemStatus,
)
from cio_framework.testing import landscapes
from html_tables import table

R = BarrierReason


def reference_reasons(
    scenario: Scenario, land: reference.Landscape, demand: Demand
) -> set[BarrierReason]:
    """Every reason ``demand`` is not met, after the documented definition, on
    the reference's landscape network (in-use systems and platforms, joined
    by live exchanges)."""
    resource = next(r for r in scenario.resources if r.id == demand.resource)
    if resource.owner == demand.by:
        return set()
    reasons = set()
    if not resource.catalogued:
        reasons.add(R.NOT_CATALOGUED)  # "the resource is not in the catalogue"
    if resource.share is ShareType.NONE:
        reasons.add(R.NOT_SHARED)  # "its share type is 'none'"
    if resource.share is ShareType.CONDITIONAL and not demand.agreement:
        reasons.add(R.CONDITIONAL_WITHOUT_AGREEMENT)
    holder = next((s for s in scenario.systems if s.id == resource.held_in), None)
    mine = {system for system, department in land.systems.items() if department == demand.by}
    if not mine:
        reasons.add(R.REQUESTER_WITHOUT_SYSTEM)  # "has no system in use"
    if holder is None:
        reasons.add(R.NO_HOLDING_SYSTEM)  # "no system is recorded as holding it"
    elif holder.status is not SystemStatus.IN_USE:
        reasons.add(R.PROVIDER_NOT_IN_USE)  # "the system holding it is not in use"
    elif holder.id not in land.touched and holder.department != demand.by:
        # "the system holding it exchanges with nothing" (a requester's own
        # system needs no exchange to reach itself)
        reasons.add(R.PROVIDER_ISOLATED)
    elif mine and not nx.node_connected_component(land.graph, holder.id) & mine:
        # "no exchange path links the holding system to the requester's systems"
        reasons.add(R.NO_PATH)
    return reasons


@st.composite
def demanding(draw: st.DrawFn) -> Scenario:
    """A landscape of up to four departments with many demands between them:
    every reason, alone and together, and every way of being met."""
    departments = [f"d{i}" for i in range(draw(st.integers(2, 4)))]
    systems = [
        System(
            id=f"s{i}",
            name=f"S{i}",
            department=draw(st.sampled_from(departments)),
            status=draw(st.sampled_from([SystemStatus.IN_USE] * 3 + list(SystemStatus))),
        )
        for i in range(draw(st.integers(2, 7)))
    ]
    platforms = [Platform(id=f"p{i}", name=f"P{i}") for i in range(draw(st.integers(0, 2)))]
    nodes = [s.id for s in systems] + [p.id for p in platforms]
    resources = [
        Resource(
            id=f"r{i}",
            name=f"R{i}",
            owner=draw(st.sampled_from(departments)),
            held_in=draw(st.sampled_from([None, *(s.id for s in systems)])),
            share=draw(st.sampled_from(ShareType)),
            legal_basis="Art. 1",
            catalogued=draw(st.booleans()),
        )
        for i in range(draw(st.integers(1, 3)))
    ]
    exchanges = [
        Exchange(
            id=f"e{i}",
            from_=draw(st.sampled_from(nodes)),
            to=draw(st.sampled_from(nodes)),
            via=draw(st.none() | st.sampled_from([p.id for p in platforms])) if platforms else None,
            status=draw(st.sampled_from([ExchangeStatus.LIVE] * 2 + list(ExchangeStatus))),
        )
        for i in range(draw(st.integers(1, 8)))
    ]
    demands = [
        Demand(
            id=f"q{i}",
            by=draw(st.sampled_from(departments)),
            resource=draw(st.sampled_from([r.id for r in resources])),
            agreement=draw(st.booleans()),
            weight=draw(st.sampled_from([1.0, 0.5, 2.0, 3.0])),
        )
        for i in range(draw(st.integers(1, 6)))
    ]
    return Scenario(
        name="Demands",
        departments=[Department(id=d, name=d.upper()) for d in departments],
        systems=systems,
        platforms=platforms,
        resources=resources,
        exchanges=exchanges,
        demands=demands,
    )


def no_path_and_own_isolated_holder() -> Scenario:
    """d1 asks for r0, held in s0 that exchanges with s1 only; d0 asks for r1,
    held in its own s3 that exchanges with nothing; d1 asks three times as
    much for r2, which no system holds (the heavier barrier comes first)."""
    return Scenario(
        name="No path",
        departments=[Department(id="d0", name="D0"), Department(id="d1", name="D1")],
        systems=[
            System(id="s0", name="S0", department="d0"),
            System(id="s1", name="S1", department="d0"),
            System(id="s2", name="S2", department="d1"),
            System(id="s3", name="S3", department="d0"),
        ],
        resources=[
            Resource(id="r0", name="R0", owner="d0", held_in="s0"),
            Resource(id="r1", name="R1", owner="d1", held_in="s3"),
            Resource(id="r2", name="R2", owner="d0"),
        ],
        exchanges=[Exchange(from_="s0", to="s1")],
        demands=[
            Demand(by="d1", resource="r0"),
            Demand(by="d0", resource="r1"),
            Demand(by="d1", resource="r2", weight=3),
        ],
    )


@given(landscapes() | demanding())
@example(no_path_and_own_isolated_holder())
def test_barriers_match_the_definition(scenario):
    """Each unmet demand has exactly the reasons the definition gives, in the
    order the reasons are declared; every other demand is listed as met.
    (Demands without an id may share their key: compared as multisets.)"""
    land = reference.landscape(scenario)
    expected = [(d.key, reference_reasons(scenario, land, d)) for d in scenario.demands]
    report = cio_framework.barriers(scenario)
    assert sorted((b.demand, sorted(r.value for r in b.reasons)) for b in report.barriers) == (
        sorted((key, sorted(r.value for r in reasons)) for key, reasons in expected if reasons)
    )
    for barrier in report.barriers:
        assert list(barrier.reasons) == [r for r in R if r in barrier.reasons]
    assert sorted(report.met) == sorted(key for key, reasons in expected if not reasons)


# -- the whole report -------------------------------------------------------------------

#: What each reason says in an explanation (``barriers``' wording, pinned).
SAYS = {
    R.NOT_CATALOGUED: "the resource is not in the catalogue",
    R.NOT_SHARED: "its share type is 'none'",
    R.CONDITIONAL_WITHOUT_AGREEMENT: (
        "it is shared conditionally and no sharing agreement covers this use"
    ),
    R.NO_HOLDING_SYSTEM: "no system is recorded as holding it",
    R.PROVIDER_NOT_IN_USE: "the system holding it is not in use",
    R.PROVIDER_ISOLATED: "the system holding it exchanges with nothing",
    R.REQUESTER_WITHOUT_SYSTEM: "the requesting department has no system in use",
    R.NO_PATH: "no exchange path links the holding system to the requester's systems",
}


def reference_report(scenario: Scenario) -> dict:
    """``BarrierReport.to_dict()`` after the documentation: every unmet demand
    heaviest first (then by demand key), its provider (the resource's owner),
    its reasons, an explanation naming both departments, and the grade of
    what it rests on (the demand, the resource, the system holding it and
    the two departments); the met demands' keys sorted; the share of the
    demanded weight that is met (1 when nothing is demanded)."""
    land = reference.landscape(scenario)
    by_id = {
        e.id: (collection, e)
        for collection in ("departments", "systems", "resources")
        for e in getattr(scenario, collection)
    }

    def name(department: str) -> str:
        found = by_id.get(department)
        return found[1].name if found else department

    barriers, met, met_weight = [], [], Fraction(0)
    for demand in scenario.demands:
        reasons = [r for r in R if r in reference_reasons(scenario, land, demand)]
        if not reasons:
            met.append(demand.key)
            met_weight += Fraction(demand.weight)
            continue
        resource = by_id[demand.resource][1]
        ids = (resource.id, resource.owner, demand.by, resource.held_in)
        rests_on = [(*by_id[i][:1], i, by_id[i][1]) for i in ids if i in by_id]
        because = "; ".join(SAYS[r] for r in reasons)
        barriers.append(
            {
                "demand": demand.key,
                "by": demand.by,
                "resource": resource.id,
                "provider": resource.owner,
                "weight": demand.weight,
                "reasons": [r.value for r in reasons],
                "explanation": (
                    f"{name(demand.by)} cannot get {resource.name} from "
                    f"{name(resource.owner)}: {because}."
                ),
                "evidence": reference.evidence(
                    scenario, [*rests_on, ("demands", demand.key, demand)]
                ),
            }
        )
    barriers.sort(key=lambda b: (-b["weight"], b["demand"], b["explanation"]))
    total = sum((Fraction(d.weight) for d in scenario.demands), Fraction(0))
    return {
        "barriers": barriers,
        "met": sorted(met),
        "met_share": float(met_weight / total) if total else 1.0,
    }


@given(landscapes() | demanding())
@example(no_path_and_own_isolated_holder())
def test_report_matches_the_definition(scenario):
    """The whole report, as JSON, is what the documentation says it is (the
    share met within rounding: the library divides two exactly rounded sums)."""
    found = json.loads(json.dumps(cio_framework.barriers(scenario).to_dict()))
    expected = reference_report(scenario)
    assert math.isclose(found.pop("met_share"), expected.pop("met_share"), rel_tol=1e-12)
    assert found == expected


def test_records_and_table():
    """A record per barrier: its JSON form with the reasons as values and the
    evidence as its summary; the table shows demand, requester, resource,
    reasons and explanation, or says that every demand is met."""
    report = cio_framework.barriers(no_path_and_own_isolated_holder())
    unheld, unlinked = report.barriers
    assert report.to_records() == [
        {
            **unheld.to_dict(),
            "reasons": ["no_holding_system"],
            "evidence": "partly unsourced: demands d1:r2, departments d0, departments d1, "
            "resources r2",
        },
        {
            **unlinked.to_dict(),
            "reasons": ["no_path"],
            "evidence": "partly unsourced: demands d1:r0, departments d0, departments d1, "
            "resources r0, systems s0",
        },
    ]
    shown = table(report._repr_html_())
    assert shown.header == ["demand", "by", "resource", "reasons", "explanation"]
    assert shown.rows == [
        ["d1:r2", "d1", "r2", "no_holding_system", unheld.explanation],
        ["d1:r0", "d1", "r0", "no_path", unlinked.explanation],
    ]
    empty = table(cio_framework.barriers(attrs.evolve(BASE_FOR_TABLE, demands=[]))._repr_html_())
    assert empty.paragraphs == ["Every demand is met."]


BASE_FOR_TABLE = no_path_and_own_isolated_holder()
