"""Results do not depend on the order of the lists in a scenario."""

from __future__ import annotations

import json

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework.analysis.diff import diff
from cio_framework.config._plan import plan_of
from cio_framework.model import COLLECTIONS
from cio_framework.report import render_report
from cio_framework.testing import landscapes

#: Tuple fields of elements whose order carries no meaning: the lists of
#: references (a body's members, an exchange's resources, a matter's
#: supervision data and needs ...), each naming a set.
UNORDERED_FIELDS = {
    cls: tuple(p.name for p in plan_of(cls) if p.spec.kind == "tuple" and p.ref is not None)
    for cls in COLLECTIONS.values()
}


#: The collections whose order is not their meaning: every one but the
#: levels, listed from the top down.
UNORDERED_COLLECTIONS = [name for name in COLLECTIONS if name != "levels"]

#: Keys of a result that say where something is written (a finding's place
#: in its file, or its index in its collection), as a line number does.
PLACES = {"file", "line", "column", "path", "index"}


def reorder(scenario, draw):
    """Permute every collection, and the unordered lists inside elements."""
    changes = {}
    for name in UNORDERED_COLLECTIONS:
        items = list(getattr(scenario, name))
        items = [_reorder_inside(item, draw) for item in items]
        changes[name] = draw(st.permutations(items))
    return attrs.evolve(scenario, **changes)


def _reorder_inside(item, draw):
    fields = UNORDERED_FIELDS.get(type(item), ())
    return attrs.evolve(
        item, **{f: tuple(draw(st.permutations(list(getattr(item, f))))) for f in fields}
    )


def _without_places(value):
    if isinstance(value, dict):
        return {k: _without_places(v) for k, v in value.items() if k not in PLACES}
    if isinstance(value, list):
        return [_without_places(v) for v in value]
    return value


def outputs(scenario):
    """The JSON of every analysis and of the report (places left out)."""
    findings = [attrs.asdict(f) for f in cio_framework.check(scenario).findings]
    return json.dumps(
        {
            "report": _without_places(json.loads(render_report(scenario, "json"))),
            "summary": cio_framework.summarize(scenario).to_dict(),
            "findings": _without_places(findings),
            "single_points": cio_framework.single_points_of_failure(scenario).to_dict(),
            "candidates": cio_framework.analysis.assess_candidates(scenario).to_dict(),
            "islands": cio_framework.islands(scenario).to_dict(),
            "priorities": cio_framework.priorities(scenario).to_dict(),
            "roadmap": cio_framework.roadmap(scenario).to_dict(),
            "barriers": cio_framework.barriers(scenario).to_dict(),
            "agenda": cio_framework.agenda(scenario).to_dict(),
            "fault_zones": cio_framework.fault_zones(scenario).to_dict(),
            "indicators": cio_framework.indicators(scenario).to_dict(),
        },
        sort_keys=True,
        default=str,
    )


@settings(max_examples=150)
@given(landscapes(max_systems=8, explicit_hub=False), st.data())
def test_shuffling_every_list_changes_no_result(scenario, data):
    """Islands, priorities, roadmap, barriers and agenda JSON are identical
    after every list of the scenario is shuffled."""
    shuffled = reorder(scenario, data.draw)
    assert outputs(shuffled) == outputs(scenario)
    assert not diff(scenario, shuffled).changed


@settings(max_examples=50)
@given(landscapes(max_systems=8, explicit_hub=False))
def test_reversing_every_list_changes_no_result(scenario):
    """The same with every list reversed."""
    reversed_ = attrs.evolve(
        scenario, **{name: getattr(scenario, name)[::-1] for name in UNORDERED_COLLECTIONS}
    )
    assert outputs(reversed_) == outputs(scenario)


def test_pudong_reversed_gives_the_same_results():
    """Reversing Pudong's lists (its systems among them) changes nothing:
    the EPB island is connect-epb-approvals either way."""
    pudong = cio_framework.builtin("pudong-2016")
    reversed_ = attrs.evolve(
        pudong, **{name: getattr(pudong, name)[::-1] for name in UNORDERED_COLLECTIONS}
    )
    assert outputs(reversed_) == outputs(pudong)
    ids = [p.id for p in cio_framework.priorities(reversed_).priorities]
    assert "connect-epb-approvals" in ids
    top = [p.id for p in cio_framework.priorities(pudong).top(5)]
    steps = [s.integration.id for s in cio_framework.roadmap(pudong, limit=1).steps]
    assert steps == top[:1]


def test_colliding_candidate_ids_resolve_the_same_way_in_any_order():
    """provide-a-to-b-to-c names two candidates (resource a-to-b for c, and
    resource a for b-to-c); the suffix goes by subject, not by list order."""
    base = cio_framework.loads(
        "cio_framework: 1\nname: Collide\n"
        "departments:\n"
        "  - {id: c, name: C}\n  - {id: b-to-c, name: BC}\n  - {id: o, name: O}\n"
        "platforms: [{id: hub, name: Hub}]\n"
        "systems:\n"
        "  - {id: os, name: OS, department: o}\n"
        "  - {id: cs, name: CS, department: c}\n"
        "  - {id: bs, name: BS, department: b-to-c}\n"
        "  - {id: hs, name: HS, department: o}\n"
        "exchanges: [{from: hs, to: hub}]\n"
        "resources:\n"
        "  - {id: a-to-b, name: R1, owner: o, held_in: os}\n"
        "  - {id: a, name: R2, owner: o, held_in: os}\n"
        "demands:\n"
        "  - {by: c, resource: a-to-b}\n"
        "  - {by: b-to-c, resource: a}\n"
    )
    flipped = attrs.evolve(base, demands=base.demands[::-1], resources=base.resources[::-1])
    for scenario in (base, flipped):
        found = {
            p.id: p.explanation
            for p in cio_framework.priorities(scenario).priorities
            if p.kind == "provide_resource"
        }
        assert sorted(found) == ["provide-a-to-b-to-c", "provide-a-to-b-to-c-2"]
        # (a, b-to-c) sorts before (a-to-b, c): it keeps the plain id
        assert "R2" in found["provide-a-to-b-to-c"]
        assert "R1" in found["provide-a-to-b-to-c-2"]


def test_demands_for_one_resource_by_one_department_are_one_candidate():
    """Two demands of the msb for the same records make one integration whose
    demanded weight is both weights."""
    scenario = cio_framework.loads(
        "cio_framework: 1\nname: Two demands\n"
        "departments: [{id: msb, name: MSB}, {id: epb, name: EPB}]\n"
        "platforms: [{id: hub, name: Hub}]\n"
        "systems:\n"
        "  - {id: m, name: M, department: msb}\n  - {id: e, name: E, department: epb}\n"
        "exchanges: [{from: m, to: hub}]\n"
        "resources: [{id: r, name: Records, owner: epb, held_in: e}]\n"
        "demands:\n"
        "  - {by: msb, resource: r, purpose: credit, weight: 2}\n"
        "  - {by: msb, resource: r, purpose: licensing, weight: 3}\n"
    )
    found = [
        p for p in cio_framework.priorities(scenario).priorities if p.kind == "provide_resource"
    ]
    assert [p.id for p in found] == ["provide-r-to-msb"]
    assert found[0].factors["demand_weight_met"] == 5
    assert "for credit; licensing" in found[0].explanation


def test_an_exchange_id_that_reads_like_another_key_is_another_candidate():
    """An exchange with the id ``a->b`` from c to x, and one without an id from
    a to b, are two reroutes (they were merged into one, joining whichever
    group came first in the file); the one whose subject sorts later gets -2."""
    base = cio_framework.loads(
        "cio_framework: 1\nname: Keys\n"
        "departments: [{id: d, name: D}, {id: e, name: E}]\n"
        "platforms: [{id: hub, name: Hub}]\n"
        "systems:\n"
        "  - {id: a, name: A, department: d}\n  - {id: b, name: B, department: d}\n"
        "  - {id: c, name: C, department: e}\n  - {id: x, name: X, department: e}\n"
        "  - {id: h, name: H, department: d}\n"
        "exchanges:\n  - {from: h, to: hub}\n  - {id: a->b, from: c, to: x}\n"
        "  - {from: a, to: b}\n"
    )
    flipped = attrs.evolve(base, exchanges=base.exchanges[::-1])
    for scenario in (base, flipped):
        found = {
            p.id: (p.groups, p.factors["exchanges_rerouted"])
            for p in cio_framework.priorities(scenario).priorities
            if p.kind == "reroute_exchange"
        }
        assert found == {"reroute-a->b": (("a",), 1), "reroute-a->b-2": (("c",), 1)}


def test_a_finding_on_elements_sharing_a_key_is_graded_on_them_all():
    """Two appraisals of one department disagree, one sourced and one
    illustrative: the finding rests on both, in either order (it was graded
    on the last one listed)."""
    from cio_framework.model import Appraisal, EvidenceStatus
    from cio_framework.testing import make_scenario

    appraisals = [
        Appraisal(department="epb", includes_cio_work=True, source="article ¶3"),
        Appraisal(department="epb", includes_cio_work=False, illustrative=True),
    ]
    grades = set()
    for listed in (appraisals, appraisals[::-1]):
        report = cio_framework.check(
            make_scenario(source="", appraisals=listed), only=["appraisals-disagree"]
        )
        (finding,) = report.findings
        grades.add(finding.evidence.grade)
    assert grades == {EvidenceStatus.ILLUSTRATIVE}
