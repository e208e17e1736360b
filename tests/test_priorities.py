"""Integration priorities, the roadmap and the next meeting's agenda."""

from __future__ import annotations

import itertools

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cio_framework
from cio_framework.analysis import CHECKS
from cio_framework.model import (
    FACTORS,
    ApprovalStatus,
    Body,
    BodyKind,
    Demand,
    Department,
    Exchange,
    Matter,
    Platform,
    PrioritySettings,
    Resource,
    ResourceCategory,
    Role,
    RoleKind,
    ShareType,
    System,
)
from cio_framework.testing import landscapes
from small_scenarios import departmental_cios, three_departments


def scenario(**changes):
    """Departments a, b, c each with a CIO; hub; a1 on the hub, b1 and c1 islands."""
    return three_departments(**changes)


def by_id(report):
    return {p.id: p for p in report.priorities}


def test_island_candidates_and_factors():
    """Each island gets a candidate with its factors, accountable CIOs and decider."""
    report = cio_framework.priorities(scenario())
    assert report.hub == "hub"
    candidate = by_id(report)["connect-b1"]
    assert candidate.kind == "connect_island"
    assert candidate.factors["islands_merged"] == 1
    assert candidate.factors["systems_reached"] == 1
    assert candidate.factors["departments_reached"] == 1
    assert candidate.cost == 1
    assert set(candidate.factors) == set(FACTORS)
    assert candidate.accountable == ("b-cio", "a-cio")
    assert candidate.decided_by == "committee"
    assert candidate.explanation.startswith("Connect the island of 1 system of B to Hub")


def test_score_is_the_weighted_sum_of_factors():
    """score = sum of weight * factor, with cost subtracted."""
    s = scenario()
    for item in cio_framework.priorities(s).priorities:
        expected = sum(
            (-1 if f == "cost" else 1) * s.priorities.weight(f) * v for f, v in item.factors.items()
        )
        assert item.score == pytest.approx(expected)


def test_weights_from_yaml_change_the_ranking():
    """Weights under priorities: change scores; unknown factors are refused."""
    s = scenario(priorities=PrioritySettings(weights={"islands_merged": 100}))
    assert by_id(cio_framework.priorities(s))["connect-b1"].score > 100
    with pytest.raises(ValueError, match="unknown priority factor"):
        PrioritySettings(weights={"beauty": 1})
    with pytest.raises(ValueError, match="unknown priority factor"):
        cio_framework.priorities(s, weights={"beauty": 1})


def test_weights_are_validated_in_yaml():
    """An unknown factor under priorities.weights is a located config error."""
    text = "cio_framework: 1\nname: x\npriorities:\n  weights: {islands_merge: 2}\n"
    with pytest.raises(cio_framework.ConfigError) as info:
        cio_framework.loads(text)
    (problem,) = info.value.problems
    assert (problem.line, problem.code) == (4, "unknown-key")
    assert "islands_merge" in problem.message


def test_provide_resource_candidate():
    """An unmet demand yields a candidate that connects and fixes what it lacks."""
    s = scenario(
        resources=[
            Resource(
                id="r",
                name="Records",
                owner="b",
                held_in="b1",
                share=ShareType.CONDITIONAL,
                legal_basis="law",
                catalogued=False,
            )
        ],
        demands=[Demand(by="a", resource="r", weight=4, purpose="credit")],
    )
    candidate = by_id(cio_framework.priorities(s))["provide-r-to-a"]
    assert candidate.kind == "provide_resource"
    # three things lacking: connected provider, agreement, catalogue entry; all supplied
    assert candidate.factors["demand_weight_met"] == pytest.approx(4)
    assert candidate.cost == pytest.approx(1 + 0.5 + 0.25)
    assert "conclude a sharing agreement" in candidate.explanation
    assert "catalogue the resource" in candidate.explanation
    assert candidate.accountable == ("b-cio", "a-cio")


def test_unshared_resource_gets_no_candidate():
    """A resource whose share type is none cannot be provided by an integration."""
    s = scenario(
        resources=[
            Resource(
                id="r", name="R", owner="b", held_in="b1", share=ShareType.NONE, legal_basis="x"
            )
        ],
        demands=[Demand(by="a", resource="r")],
    )
    assert "provide-r-to-a" not in by_id(cio_framework.priorities(s))


def test_close_fault_zone_candidate():
    """A fault zone yields a candidate connecting both sides; the committee decides."""
    s = scenario(matters=[Matter(id="m", name="Permit", approved_by="b", supervised_by="c")])
    candidate = by_id(cio_framework.priorities(s))["close-m"]
    assert candidate.factors["fault_zones_closed"] == 1
    assert candidate.factors["islands_merged"] == 2
    assert set(candidate.accountable) == {"b-cio", "c-cio"}
    assert candidate.decided_by == "committee"


def test_reroute_candidate():
    """A point-to-point exchange yields a reroute candidate."""
    s = scenario(
        exchanges=[Exchange(from_="a1", to="hub"), Exchange(id="p2p", from_="b1", to="c1")]
    )
    candidate = by_id(cio_framework.priorities(s))["reroute-p2p"]
    assert candidate.factors["exchanges_rerouted"] == 1
    assert candidate.cost == 0.5


def test_base_resources_freed():
    """Connecting the holder of a base resource frees it."""
    s = scenario(
        resources=[
            Resource(id="r", name="R", owner="b", held_in="b1", category=ResourceCategory.BASE)
        ]
    )
    assert by_id(cio_framework.priorities(s))["connect-b1"].factors["base_resources_freed"] == 1


def test_no_platform_no_candidates():
    """Without a platform there is nothing to connect to, and the report says so."""
    report = cio_framework.priorities(scenario(platforms=[], exchanges=[]))
    assert report.priorities == ()
    assert "no shared platform" in report.note


def test_single_department_is_decided_by_its_cio():
    """When one department is concerned, its CIO decides."""
    s = scenario(platforms=[Platform(id="hub", name="Hub")])
    assert by_id(cio_framework.priorities(s))["connect-b1"].decided_by == "b-cio"


def test_two_departments_without_a_group_to_join_are_decided_by_the_committee():
    """A reroute between two departments whose systems are already on the hub
    joins no group; its two departments still make it the committee's."""
    s = scenario(
        platforms=[Platform(id="hub", name="Hub")],
        exchanges=[
            Exchange(from_="a1", to="hub"),
            Exchange(from_="b1", to="hub"),
            Exchange(from_="c1", to="hub"),
            Exchange(from_="b1", to="c1"),
        ],
    )
    (candidate,) = cio_framework.priorities(s).priorities
    assert (candidate.id, candidate.departments) == ("reroute-b1->c1", ("b", "c"))
    assert (candidate.accountable, candidate.decided_by) == (("b-cio", "c-cio"), "committee")


def test_roadmap_respects_budget_and_recomputes():
    """The roadmap stays within budget and does not pay twice for the same island."""
    s = scenario(
        resources=[Resource(id="r", name="R", owner="b", held_in="b1")],
        demands=[Demand(by="a", resource="r", weight=1)],
    )
    plan = cio_framework.roadmap(s, budget=2)
    assert plan.total_cost <= 2
    picked = [step.integration.id for step in plan.steps]
    assert len(picked) == len(set(picked))
    assert not {"connect-b1", "provide-r-to-a"} <= set(picked)


def test_roadmap_zero_budget_picks_nothing():
    """A budget of zero buys nothing."""
    assert cio_framework.roadmap(scenario(), budget=0).steps == ()


def test_roadmap_without_budget_connects_every_island():
    """With no budget, the roadmap connects every island worth connecting."""
    plan = cio_framework.roadmap(scenario())
    assert {step.integration.id for step in plan.steps} == {"connect-b1", "connect-c1"}


@given(landscapes(), st.one_of(st.none(), st.floats(min_value=0, max_value=6)))
def test_roadmap_gains_never_increase(s, budget):
    """Each pick adds no more than the one before it, and the budget holds."""
    plan = cio_framework.roadmap(s, budget=budget)
    gains = [step.gain for step in plan.steps]
    assert all(later <= earlier + 1e-9 for earlier, later in itertools.pairwise(gains))
    assert all(g > 0 for g in gains)
    if budget is not None:
        assert plan.total_cost <= budget + 1e-9


@given(landscapes())
def test_priorities_sorted_best_first(s):
    """Priorities come best first and every factor is reported."""
    report = cio_framework.priorities(s)
    scores = [p.score for p in report.priorities]
    assert scores == sorted(scores, reverse=True)
    assert all(set(p.factors) == set(FACTORS) for p in report.priorities)


@given(landscapes())
def test_an_integration_names_each_department_and_officer_once(s):
    """``departments`` list each once, and so does ``accountable`` where each
    department has an officer of its own, as here: it names one officer per
    department concerned, the hub's operator added once. (With
    jurisdictions, two departments answering through one officer name it
    twice: tests/test_jurisdictions.py holds that to its reference.)"""
    for p in cio_framework.priorities(s).priorities:
        assert len(set(p.departments)) == len(p.departments), p
        assert len(set(p.accountable)) == len(p.accountable), p


def test_the_hub_operator_at_one_end_of_a_reroute_is_accountable_once():
    """A reroute between the hub operator's system and another department's
    names the operator's CIO once, in the order of its departments."""
    s = scenario(exchanges=[Exchange(from_="a1", to="hub"), Exchange(id="x", from_="b1", to="a1")])
    reroute = by_id(cio_framework.priorities(s))["reroute-x"]
    assert reroute.departments == ("a", "b")
    assert reroute.accountable == ("a-cio", "b-cio")


def test_providing_a_resource_rests_on_its_open_demands():
    """A demand that lacks only a catalogue entry credits reaching no group
    or department: the candidate meeting it still rests on it, and says so."""
    s = scenario(
        source="study",  # everything else sourced
        exchanges=[Exchange(from_="a1", to="hub"), Exchange(from_="b1", to="hub")],
        resources=[Resource(id="r", name="Records", owner="a", held_in="a1", catalogued=False)],
        demands=[Demand(by="b", resource="r", illustrative=True)],
    )
    candidate = by_id(cio_framework.priorities(s))["provide-r-to-b"]
    assert candidate.groups == ()
    assert candidate.evidence.grade.value == "illustrative"
    assert [(b.collection, b.key) for b in candidate.evidence.weak] == [("demands", "b:r")]


def test_one_department_joining_a_shared_group_is_decided_above_it():
    """A reroute between two systems of one department, whose group it puts
    on the hub holds another department's system too, concerns both: it is
    decided by the committee, not by the department's CIO alone."""
    s = scenario(
        platforms=[Platform(id="hub", name="Hub")],  # no operator to concern
        systems=[
            System(id="a1", name="A1", department="a"),
            System(id="b1", name="B1", department="b"),
            System(id="b2", name="B2", department="b"),
            System(id="c1", name="C1", department="c"),
        ],
        exchanges=[
            Exchange(from_="a1", to="hub"),
            Exchange(from_="b1", to="c1"),
            Exchange(id="x", from_="b1", to="b2"),
        ],
    )
    candidate = by_id(cio_framework.priorities(s))["reroute-x"]
    assert candidate.departments == ("b",)
    assert candidate.accountable == ("b-cio",)
    assert candidate.decided_by == "committee"


def test_pudong_priorities_start_with_the_free_trade_zone_fault_zone():
    """In Pudong, closing the free-trade-zone fault zone comes first."""
    report = cio_framework.priorities(cio_framework.builtin("pudong-2016"))
    best = report.priorities[0]
    assert best.id == "close-ftz-environmental-approval"
    assert best.decided_by == "cio-committee"
    assert "epb-cio" in best.accountable


def test_agenda_takes_one_or_two_issues():
    """The agenda proposes at most the body's maximum of major issues."""
    proposal = cio_framework.agenda(cio_framework.builtin("pudong-2016"))
    assert proposal.body == "regular-meeting"
    assert proposal.convenor == "district-cio"
    assert len(proposal.items) == 2
    assert proposal.items[0].source == "check"
    assert proposal.items[1].source == "priority"
    assert proposal.date.isoformat() == "2017-01-15"


def test_agenda_without_findings_uses_priorities():
    """With every check off, the agenda is the top priorities, best first."""
    s = attrs.evolve(scenario(), checks=dict.fromkeys(CHECKS, "off"))
    proposal = cio_framework.agenda(s, items=2)
    best = [p.id for p in cio_framework.priorities(s).top(2)]
    assert [i.source for i in proposal.items] == ["priority", "priority"]
    assert [i.ids[0] for i in proposal.items] == best


def test_agenda_starts_with_the_widest_failing_check():
    """With failing checks, the first item is the check with the most findings."""
    s = scenario(checks={"reporting-top-not-strategic": "off"})
    proposal = cio_framework.agenda(s, items=1)
    (item,) = proposal.items
    assert item.source == "check"
    assert item.title == "Appraisal that leaves out CIO work (3 cases)"
    assert set(item.ids) == {"a", "b", "c"}


# -- the rules of roadmap() and priorities(), case by case -------------------------
# In scenario(), connect-b1 and connect-c1 each score 3 + 1 + 2 - 1 = 5 and
# cost 1; equal scores go by id.


def test_roadmap_limit_counts_steps():
    s = scenario()
    assert [step.integration.id for step in cio_framework.roadmap(s, limit=1).steps] == [
        "connect-b1"
    ]
    empty = cio_framework.roadmap(s, limit=0)
    assert (empty.steps, empty.total_cost, empty.total_gain) == ((), 0.0, 0.0)
    assert len(cio_framework.roadmap(s, limit=5).steps) == 2


def test_a_budget_spent_exactly_still_buys():
    s = scenario()
    assert len(cio_framework.roadmap(s, budget=2).steps) == 2
    assert len(cio_framework.roadmap(s, budget=1.99).steps) == 1
    assert cio_framework.roadmap(s, budget=1.99).total_cost == 1


def test_steps_that_gain_less_than_one_are_still_taken():
    weights = dict.fromkeys(FACTORS, 0.0) | {"systems_reached": 0.5}
    plan = cio_framework.roadmap(scenario(), weights=weights)
    assert [step.gain for step in plan.steps] == [0.5, 0.5]
    assert plan.total_gain == 1.0


def test_the_scenarios_budget_applies_unless_one_is_given():
    s = scenario(priorities=PrioritySettings(budget=1))
    assert cio_framework.roadmap(s).budget == 1
    assert len(cio_framework.roadmap(s).steps) == 1
    assert len(cio_framework.roadmap(s, budget=2).steps) == 2


def test_weights_given_override_the_scenarios_one_by_one():
    s = scenario(priorities=PrioritySettings(weights={"islands_merged": 10}))
    report = cio_framework.priorities(s, weights={"systems_reached": 7})
    assert dict(report.weights) == {
        **{f: PrioritySettings().weight(f) for f in FACTORS},
        "islands_merged": 10,
        "systems_reached": 7,
    }
    assert by_id(report)["connect-b1"].score == 10 + 7 + 2 - 1
    plan = cio_framework.roadmap(s, weights={"systems_reached": 7}, limit=1)
    assert plan.steps[0].gain == 10 + 7 + 2 - 1


def test_who_decides_without_a_committee():
    """No CIO Committee: the district CIO decides for several departments;
    several committees: the least id; roles that are not departmental CIOs
    of a department are never accountable."""
    district = Role(id="district-cio", title="CIO", kind=RoleKind.DISTRICT_CIO, level="strategic")
    stray = [
        Role(
            id="a-aide", title="Aide", kind=RoleKind.SUPPORT_TEAM, level="support", department="b"
        ),
    ]
    roles = [*scenario().roles, district, *stray]
    s = scenario(bodies=[], roles=roles)
    candidate = by_id(cio_framework.priorities(s))["connect-b1"]
    assert (candidate.accountable, candidate.decided_by) == (("b-cio", "a-cio"), "district-cio")
    committees = [
        Body(id=i, name=i, kind=BodyKind.CIO_COMMITTEE, chair="a-cio") for i in ("zeta", "alpha")
    ]
    s = scenario(bodies=committees, roles=roles)
    assert by_id(cio_framework.priorities(s))["connect-b1"].decided_by == "alpha"
    nobody = scenario(bodies=[], roles=[r for r in roles if r.kind is not RoleKind.DISTRICT_CIO])
    assert by_id(cio_framework.priorities(nobody))["connect-b1"].decided_by is None


def test_an_unknown_factor_is_named_with_the_known_ones():
    with pytest.raises(ValueError, match="beauty") as info:
        cio_framework.priorities(scenario(), weights={"beauty": 1})
    assert str(info.value) == ("unknown priority factor 'beauty'; known: " + ", ".join(FACTORS))


def test_a_pick_puts_every_group_it_joins_on_the_hub():
    """b, c and d have five islands of one system each; a side's main group
    is its least: close-m1 joins b1 and c1 (score 17.5, the first pick);
    connect-d1 then closes m2 too (7.5, a connection ranked before a
    closing on equal scores), and the roadmap connects the twelve islands
    left, never b1, c1 or d1 again."""
    departments = [Department(id=d, name=d.upper()) for d in "abcd"]
    roles = departmental_cios("abcd")
    systems = [System(id="a1", name="A1", department="a")] + [
        System(id=f"{d}{i}", name=f"{d}{i}", department=d) for d in "bcd" for i in range(1, 6)
    ]
    matters = [
        Matter(id="m1", name="M1", approved_by="b", supervised_by="c"),
        Matter(id="m2", name="M2", approved_by="b", supervised_by="d"),
    ]
    s = scenario(departments=departments, roles=roles, systems=systems, matters=matters)
    plan = cio_framework.roadmap(s)
    assert [(step.integration.id, step.gain) for step in plan.steps] == [
        ("close-m1", 6 + 2 + 4 + 7.5 - 2),
        ("connect-d1", 3 + 1 + 2 + 2.5 - 1),
        *((f"connect-{d}{i}", 3 + 1 - 1) for d in "bcd" for i in range(2, 6)),
    ]
    assert plan.steps[0].integration.groups == ("b1", "c1")
    assert plan.total_cost == 2 + 1 + 12


@pytest.mark.parametrize("names", [("b1", "b2"), ("b2", "b1")])
def test_a_main_group_is_chosen_by_what_it_is_not_by_its_name(names):
    """b has two groups of one system each: ``platform`` (b's own platform,
    off the hub, so no island) and ``lone`` (an island). Closing b's fault
    zone through ``lone`` merges an island too, so b's main group is
    ``lone`` whichever of the two systems has the lesser id (a CI run found
    the least id deciding, and the score changing with the names)."""
    platform, lone = names
    s = scenario(
        platforms=[Platform(id="hub", name="Hub", operator="a"), Platform(id="own", name="Own")],
        systems=[
            System(id="a1", name="A1", department="a"),
            System(id=platform, name="On its platform", department="b"),
            System(id=lone, name="Alone", department="b"),
            System(id="c1", name="C1", department="c"),
        ],
        exchanges=[Exchange(from_="a1", to="hub"), Exchange(from_=platform, to="own")],
        matters=[Matter(id="m", name="M", approved_by="b", supervised_by="c")],
    )
    (close,) = [p for p in cio_framework.priorities(s).priorities if p.kind == "close_fault_zone"]
    assert close.groups == tuple(sorted((lone, "c1")))
    assert close.factors["islands_merged"] == 2
    assert close.factors["systems_reached"] == 2


def test_the_default_hub_is_in_the_group_with_most_systems_then_most_platforms():
    """Groups of two systems each: one with the platforms p1 and p2, one with
    the platform a0 alone; the hub is p1 (more platforms beat a lesser id).
    A group of three systems with the platform z beats both."""
    platforms = [Platform(id=p, name=p.upper()) for p in ("a0", "p1", "p2", "z")]
    systems = [System(id=f"{d}{i}", name=f"{d}{i}", department=d) for d in "abc" for i in (1, 2, 3)]
    exchanges = [
        Exchange(from_="a1", to="a0"),
        Exchange(from_="a2", to="a0"),
        Exchange(from_="b1", to="p1"),
        Exchange(from_="b2", to="p2"),
        Exchange(from_="b1", to="b2"),
    ]
    s = scenario(platforms=platforms[:3], systems=systems, exchanges=exchanges)
    assert cio_framework.priorities(s).hub == "p1"
    bigger = [*exchanges, *(Exchange(from_=f"c{i}", to="z") for i in (1, 2, 3))]
    s = scenario(platforms=platforms, systems=systems, exchanges=bigger)
    assert cio_framework.priorities(s).hub == "z"


def test_closing_a_fault_zone_names_the_approver_then_the_supervisor():
    """The accountable CIOs of close-MATTER are the approving side's, then the
    supervising side's, whatever their ids."""
    s = scenario(matters=[Matter(id="m", name="Permit", approved_by="c", supervised_by="b")])
    candidate = by_id(cio_framework.priorities(s))["close-m"]
    assert candidate.accountable == ("c-cio", "b-cio")
    assert candidate.departments == ("c", "b")


def test_a_score_worked_out_before_the_last_pick_is_worked_out_again():
    """close-m1 (b, c: 17.5) is picked first; close-m2 (c, d) then drops to
    6.5 and connect-d1 (7.5) is picked; close-m2 now joins nothing and costs
    2, so the roadmap stops. A roadmap that took close-m2's 6.5, worked out
    before connect-d1 was picked, as current would pick it too."""
    departments = [Department(id=d, name=d.upper()) for d in "abcd"]
    systems = [
        System(id="a1", name="A1", department="a"),
        *(System(id=f"{d}1", name=f"{d}1", department=d) for d in "bcd"),
    ]
    matters = [
        Matter(id="m1", name="M1", approved_by="b", supervised_by="c"),
        Matter(id="m2", name="M2", approved_by="c", supervised_by="d"),
    ]
    s = scenario(departments=departments, systems=systems, matters=matters)
    plan = cio_framework.roadmap(s)
    assert [(step.integration.id, step.gain) for step in plan.steps] == [
        ("close-m1", 6 + 2 + 4 + 7.5 - 2),
        ("connect-d1", 3 + 1 + 2 + 2.5 - 1),
    ]


def test_an_island_of_two_departments_is_explained_with_both():
    s = scenario(exchanges=[Exchange(from_="a1", to="hub"), Exchange(from_="b1", to="c1")])
    explanation = by_id(cio_framework.priorities(s))["connect-b1"].explanation
    assert explanation.startswith("Connect the island of 2 systems of B, C to Hub: ")


def test_roadmap_checks_its_budget_and_limit():
    with pytest.raises(ValueError, match="budget"):
        cio_framework.roadmap(scenario(), budget=-1)
    with pytest.raises(ValueError, match="limit"):
        cio_framework.roadmap(scenario(), limit=-1)


def test_a_reroute_concerns_the_departments_at_its_two_ends():
    """c1 -> c2 runs inside c, in a group that b1 joins too: it is about c,
    its ends' department; c's CIO and the hub operator a's are accountable,
    and as b is concerned too, the committee decides. Its group, listed
    once in the report, names b."""
    s = scenario(
        systems=[*scenario().systems, System(id="c2", name="C2", department="c")],
        exchanges=[
            Exchange(from_="a1", to="hub"),
            Exchange(from_="b1", to="c1"),
            Exchange(from_="c1", to="c2"),
        ],
    )
    report = cio_framework.priorities(s)
    candidate = by_id(report)["reroute-c1->c2"]
    assert candidate.departments == ("c",)
    assert candidate.accountable == ("c-cio", "a-cio")
    assert candidate.decided_by == "committee"
    assert candidate.groups == ("b1",)
    assert report.groups["b1"].departments == ("b", "c")
    assert report.groups["b1"].systems == ("b1", "c1", "c2")


@given(landscapes(max_systems=8))
def test_the_groups_of_a_priority_report_are_the_islands_groups(scenario):
    """Each group a candidate refers to is the group islands() reports under
    the same id: same systems, platforms, departments and platform link."""
    by_group = {group.id: group for group in cio_framework.islands(scenario).groups}
    for group_id, group in cio_framework.priorities(scenario).groups.items():
        assert group == by_group[group_id]


@given(landscapes())
def test_explained_candidates_are_the_values_their_constructor_makes(scenario):
    """Explaining makes each candidate through its slots (a million at
    national scale): the same value ``Integration(...)`` makes of its
    fields, with a tuple in every tuple field."""
    report = cio_framework.priorities(scenario)
    for made in report.priorities:
        fields = attrs.asdict(made, recurse=False)
        assert made == type(made)(**fields)
        for name in ("accountable", "groups", "departments"):
            assert type(fields[name]) is tuple, name
        assert all(isinstance(fields[name], str) for name in ("id", "kind", "explanation"))


def test_providing_to_a_department_joins_the_group_holding_most_of_its_systems():
    """A requester off the hub is reached through its main group: the one
    holding most of its systems in use (c2 and c3), not the larger count of
    groups nor the least id (c1 alone)."""
    s = scenario(
        systems=[
            *scenario().systems,
            System(id="c2", name="C2", department="c"),
            System(id="c3", name="C3", department="c"),
        ],
        exchanges=[Exchange(from_="a1", to="hub"), Exchange(from_="c2", to="c3")],
        resources=[
            Resource(id="r", name="R", owner="a", held_in="a1", share=ShareType.UNCONDITIONAL)
        ],
        demands=[Demand(by="c", resource="r")],
    )
    candidate = by_id(cio_framework.priorities(s))["provide-r-to-c"]
    assert candidate.groups == ("c2",)
    assert candidate.factors["systems_reached"] == 2


@pytest.mark.parametrize(
    ("approval", "registered_by", "part"),
    [
        (ApprovalStatus.REQUIRED, None, "approves"),
        (ApprovalStatus.FILING, None, "receives the filings"),
        (ApprovalStatus.CANCELLED, "b", "registers"),
    ],
)
def test_closing_a_fault_zone_says_what_the_recording_department_does(
    approval, registered_by, part
):
    """The department that records a matter is named with what it does
    there, by the state of the approval; the supervisor supervises."""
    s = scenario(
        matters=[
            Matter(
                id="m",
                name="Permit",
                approved_by="b",
                supervised_by="c",
                approval=approval,
                registered_by=registered_by,
            )
        ]
    )
    explanation = by_id(cio_framework.priorities(s))["close-m"].explanation
    assert explanation.startswith(
        f"Close the fault zone of Permit by connecting B ({part}) and C (supervises) through Hub: "
    )
