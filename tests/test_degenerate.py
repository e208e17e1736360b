"""Wrong results are not accepted silently (issue 12, section 6): numbers are
bounded so that no score overflows, degenerate structure is a finding, a
what-if never makes a duplicate exchange id, and agenda titles keep names
whole."""

from __future__ import annotations

import contextlib
import io
import json
import math
import unicodedata

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework import cli
from cio_framework.model import (
    COLLECTIONS,
    FACTORS,
    Candidate,
    Change,
    Criterion,
    Demand,
    Department,
    Exchange,
    Matter,
    MoveSystem,
    Platform,
    PrioritySettings,
    Resource,
    Role,
    System,
    WhatIf,
)
from cio_framework.model.landscape import MAX_AMOUNT, MAX_WEIGHT
from cio_framework.model.selection import MAX_SCORE
from cio_framework.testing import landscapes, make_scenario
from test_contracts import assert_valid

HEAD = "cio_framework: 1\nname: Bounds\n"

LANDSCAPE = (
    "departments: [{id: a, name: A}, {id: b, name: B}]\n"
    "platforms: [{id: hub, name: Hub}]\n"
    "systems:\n"
    "  - {id: a1, name: A1, department: a}\n"
    "  - {id: b1, name: B1, department: b}\n"
    "resources: [{id: r, name: R, owner: b, held_in: b1}]\n"
)


# -- 1. numbers are bounded; no output holds NaN or Infinity -----------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("priorities: {weights: {cost: 1.0e+308}}\n", 3),
        ("priorities: {weights: {islands_merged: 1.0e+7}}\n", 3),
        ("priorities: {connection_cost: 1.0e+308}\n", 3),
        ("priorities: {reroute_cost: 1.0e+19}\n", 3),
        ("priorities: {agreement_cost: 1.0e+308}\n", 3),
        ("priorities: {catalogue_cost: 1.0e+308}\n", 3),
        ("priorities: {budget: 1.0e+308}\n", 3),
        (LANDSCAPE + "demands: [{by: a, resource: r, weight: 1.0e+308}]\n", 9),
        ("criteria: [{id: c, name: C, weight: 1.0e+308}]\n", 3),
        (
            "people: [{id: p, name: P}]\nroles: [{id: x, title: X, level: strategic}]\n"
            "criteria: [{id: c, name: C}]\n"
            "candidates: [{person: p, role: x, scores: {c: 1.0e+308}}]\n",
            6,
        ),
        (
            "people: [{id: p, name: P}]\nroles: [{id: x, title: X, level: strategic}]\n"
            "criteria: [{id: c, name: C}]\n"
            "candidates: [{person: p, role: x, scores: {c: -1.0e+308}}]\n",
            6,
        ),
        ("bodies: [{id: m, name: M, meets_every_months: 1.0e+308}]\n", 3),
    ],
)
def test_numbers_beyond_their_bound_are_refused_at_their_line(text, line):
    """A weight, cost, budget, score or interval beyond its bound is a
    bad-value problem at its line (1e308 used to overflow scores to inf)."""
    with pytest.raises(cio_framework.ConfigError) as info:
        cio_framework.loads(HEAD + text)
    assert [(p.line, p.code) for p in info.value.problems] == [(line, "bad-value")]
    assert "at most" in str(info.value.problems[0].message) or "between" in str(
        info.value.problems[0].message
    )


def test_python_construction_refuses_the_same_numbers():
    """Building the model in Python applies the same bounds as the loader."""
    with pytest.raises(ValueError, match="at most"):
        PrioritySettings(weights={"cost": 1e308})
    with pytest.raises(ValueError, match="at most"):
        PrioritySettings(connection_cost=MAX_AMOUNT * 2)
    with pytest.raises(ValueError, match="at most"):
        Demand(by="a", resource="r", weight=MAX_WEIGHT * 2)
    with pytest.raises(ValueError, match="at most"):
        Criterion(id="c", name="C", weight=1e308)
    with pytest.raises(ValueError, match="between"):
        Candidate(person="p", role="x", scores={"c": -MAX_SCORE * 2})
    # the bounds themselves are accepted
    assert PrioritySettings(weights={"cost": MAX_WEIGHT}).weight("cost") == MAX_WEIGHT
    assert Demand(by="a", resource="r", weight=MAX_WEIGHT).weight == MAX_WEIGHT


def test_schema_states_the_bounds():
    """The JSON Schema gives the same maxima as the loader."""
    defs = cio_framework.config.json_schema()["$defs"]
    assert defs["Demand"]["properties"]["weight"]["maximum"] == MAX_WEIGHT
    assert defs["Criterion"]["properties"]["weight"]["maximum"] == MAX_WEIGHT
    assert defs["PrioritySettings"]["properties"]["budget"]["maximum"] == MAX_AMOUNT
    assert defs["PrioritySettings"]["properties"]["connection_cost"]["maximum"] == MAX_AMOUNT
    scores = defs["Candidate"]["properties"]["scores"]["additionalProperties"]
    assert (scores["minimum"], scores["maximum"]) == (-MAX_SCORE, MAX_SCORE)


def _strict(text):
    """Parse JSON, refusing NaN and Infinity (which are not JSON)."""

    def refuse(constant):
        raise AssertionError(f"{constant} in JSON output")

    return json.loads(text, parse_constant=refuse)


def _run(argv):
    """Standard output of a command run as ``main`` runs it (a what-if that
    does not fit, say, is an error message, not JSON)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.suppress(cio_framework.CioFrameworkError):
        cli.run(cli.build_parser().parse_args(argv), out, err)
    return out.getvalue()


_EXTREME_WEIGHTS = st.sampled_from([0.0, 5e-324, 1.0, MAX_WEIGHT]) | st.floats(0, MAX_WEIGHT)
_EXTREME_AMOUNTS = st.sampled_from([0.0, 5e-324, 1.0, MAX_AMOUNT]) | st.floats(0, MAX_AMOUNT)
_EXTREME_SCORES = st.sampled_from([-MAX_SCORE, -5e-324, 0.0, 5e-324, MAX_SCORE]) | st.floats(
    -MAX_SCORE, MAX_SCORE
)


@st.composite
def extreme_scenarios(draw):
    """A landscape and a selection with every number drawn up to its bound."""
    base = draw(landscapes(max_systems=5))
    weights = {f: draw(_EXTREME_WEIGHTS) for f in FACTORS if draw(st.booleans())}
    amounts = {
        name: draw(_EXTREME_AMOUNTS)
        for name in ("connection_cost", "reroute_cost", "agreement_cost", "catalogue_cost")
    }
    budget = draw(st.none() | _EXTREME_AMOUNTS)
    priorities = attrs.evolve(base.priorities, weights=weights, budget=budget, **amounts)
    demands = [attrs.evolve(d, weight=draw(_EXTREME_WEIGHTS)) for d in base.demands]
    governance = make_scenario()
    criteria = [
        Criterion(id=f"c{i}", name=f"C{i}", weight=draw(_EXTREME_WEIGHTS)) for i in range(3)
    ]
    candidates = [
        Candidate(
            person=person,
            role="epb-cio",
            scores={c.id: draw(_EXTREME_SCORES) for c in criteria},
        )
        for person in ("lead", "deputy")
    ]
    departments = {d.id: d for d in base.departments}
    for d in governance.departments:
        departments.setdefault(d.id, d)
    return attrs.evolve(
        base,
        people=governance.people,
        roles=governance.roles,
        departments=list(departments.values()),
        criteria=criteria,
        candidates=candidates,
        priorities=priorities,
        demands=demands,
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(extreme_scenarios())
def test_no_json_output_holds_nan_or_infinity(tmp_path_factory, scenario):
    """With every weight, cost, budget and score anywhere within its bounds,
    every JSON output of the command line is finite, strict JSON."""
    folder = tmp_path_factory.mktemp("extreme")
    path = folder / "s.yaml"
    path.write_text(cio_framework.dumps(scenario), encoding="utf-8")
    other = folder / "t.yaml"
    other.write_text(cio_framework.dumps(cio_framework.builtin("pudong-2016")), encoding="utf-8")
    p = str(path)
    commands = [
        ["validate", p, "--format", "json"],
        ["report", p, "--format", "json"],
        ["islands", p, "--format", "json"],
        ["brokers", p, "--format", "json"],
        ["priorities", p, "--format", "json"],
        ["priorities", p, "--format", "json", "--budget", "1e308"],
        ["agenda", p, "--format", "json"],
        ["compare", p, str(other), "--format", "json"],
        ["candidates", p, "--format", "json"],
        ["export", p, "--format", "json"],
        *(["whatif", "--format", "json", p, "--", w.id] for w in scenario.scenarios),
    ]
    for argv in commands:
        text = _run(argv)
        if text:
            data = _strict(text)
            assert_valid(data["kind"], data)  # and holds to its contract at the bounds


def test_no_score_is_nan_or_infinite_at_the_bounds():
    """At the largest accepted weights and amounts, every score and gain is finite."""
    scenario = attrs.evolve(
        cio_framework.builtin("pudong-2016"),
        priorities=PrioritySettings(
            hub="gov-cloud",
            weights=dict.fromkeys(FACTORS, MAX_WEIGHT),
            connection_cost=MAX_AMOUNT,
            reroute_cost=MAX_AMOUNT,
        ),
    )
    ranked = cio_framework.priorities(scenario)
    assert all(math.isfinite(p.score) for p in ranked.priorities)
    plan = cio_framework.roadmap(scenario)
    assert math.isfinite(plan.total_gain)
    assert math.isfinite(plan.total_cost)


def test_a_flip_never_asks_for_a_weight_beyond_the_bound():
    """When only an unbounded weight change would swap the top two candidates,
    there is no flip (it was 'from 1 to inf', Infinity in JSON)."""
    criteria = [Criterion(id=f"c{i}", name=f"C{i}") for i in range(3)]
    scenario = make_scenario(
        criteria=criteria,
        candidates=[
            Candidate(person="lead", role="epb-cio", scores={"c0": 1, "c1": 0, "c2": 1}),
            Candidate(person="deputy", role="epb-cio", scores={"c0": 0, "c1": 5e-324, "c2": 0}),
        ],
    )
    (role,) = cio_framework.analysis.assess_candidates(scenario).roles
    assert role.flip is None or role.flip.weight_to <= MAX_WEIGHT
    _strict(json.dumps(role.to_dict()))


def test_agenda_date_beyond_the_calendar_is_not_known():
    """A next meeting after the year 9999 is 'date not known', not a crash."""
    scenario = cio_framework.loads(
        HEAD + "bodies: [{id: m, name: M, kind: regular_meeting, meets_every_months: 1200}]\n"
        "meetings: [{body: m, date: 9990-01-01}]\n"
    )
    assert cio_framework.agenda(scenario).date is None


# -- 2. degenerate structure is a finding ------------------------------------


def _findings(scenario, check_id):
    return [f for f in cio_framework.check(scenario).findings if f.check == check_id]


#: What make_scenario's roles, bodies and appraisals are replaced with when
#: its departments or roles are (the analyses refuse references to nothing).
NO_GOVERNANCE = {"roles": [], "bodies": [], "responsibilities": [], "appraisals": []}


def _landscape(**changes):
    base = {
        # the governance of make_scenario names its own two departments
        "departments": [
            *make_scenario().departments,
            Department(id="a", name="A"),
            Department(id="b", name="B"),
        ],
        "platforms": [Platform(id="hub", name="Hub")],
        "systems": [
            System(id="a1", name="A1", department="a"),
            System(id="b1", name="B1", department="b"),
        ],
    }
    return make_scenario(**{**base, **changes})


def test_self_loop_exchange_is_a_finding_and_joins_nothing():
    """An exchange from a system to itself is a warning at its place, and the
    islands and priorities are those of the scenario without it."""
    loop = Exchange(id="loop", from_="a1", to="a1")
    without = _landscape(
        exchanges=[Exchange(from_="b1", to="hub")],
        resources=[Resource(id="r", name="R", owner="b", held_in="b1")],
        demands=[Demand(by="a", resource="r", weight=2)],
        matters=[Matter(id="m", name="M", approved_by="b", supervised_by="a", needs=["r"])],
    )
    with_loop = attrs.evolve(without, exchanges=[loop, *without.exchanges])
    (finding,) = _findings(with_loop, "exchange-self-loop")
    assert finding.severity is cio_framework.Severity.WARNING
    assert (finding.ids, finding.collection, finding.index) == (("loop", "a1"), "exchanges", 0)
    assert "a1" in finding.message
    assert "itself" in finding.message
    assert not _findings(without, "exchange-self-loop")
    assert cio_framework.islands(with_loop).groups == cio_framework.islands(without).groups
    for analysis in (
        cio_framework.priorities,
        cio_framework.roadmap,
        cio_framework.fault_zones,
        cio_framework.barriers,
    ):
        assert analysis(with_loop).to_dict() == analysis(without).to_dict()
    # a platform's exchange with itself too
    hub_loop = attrs.evolve(without, exchanges=[Exchange(from_="hub", to="hub")])
    (finding,) = _findings(hub_loop, "exchange-self-loop")
    assert finding.ids == ("hub->hub", "hub")


def test_via_equal_to_an_end_is_a_finding():
    """An exchange that runs via one of its own ends is a warning."""
    scenario = _landscape(
        exchanges=[
            Exchange(id="ok", from_="b1", to="hub"),
            Exchange(id="odd", from_="a1", to="hub", via="hub"),
        ]
    )
    (finding,) = _findings(scenario, "exchange-via-end")
    assert finding.severity is cio_framework.Severity.WARNING
    assert (finding.ids, finding.collection, finding.index) == (("odd", "hub"), "exchanges", 1)
    assert "via" in finding.message


def test_department_parent_cycle_is_an_error():
    """Departments that are their own ancestors are one error per cycle,
    named from the least id, in whatever order they are listed."""
    departments = [
        Department(id="c", name="C", parent="c"),
        Department(id="b", name="B", parent="a"),
        Department(id="a", name="A", parent="b"),
        Department(id="d", name="D", parent="a"),
    ]
    scenario = make_scenario(departments=departments, **NO_GOVERNANCE)
    found = _findings(scenario, "department-cycle")
    assert all(f.severity is cio_framework.Severity.ERROR for f in found)
    assert [(f.ids, f.index) for f in found] == [(("a", "b"), 2), (("c",), 0)]
    assert "a → b → a" in found[0].message
    flipped = attrs.evolve(scenario, departments=scenario.departments[::-1])
    assert [(f.ids, f.message) for f in _findings(flipped, "department-cycle")] == [
        (f.ids, f.message) for f in found
    ]
    assert not _findings(make_scenario(), "department-cycle")


def test_dotted_line_to_oneself_is_a_finding():
    """A role with a dotted line to itself is a warning."""
    base = make_scenario()
    roles = [attrs.evolve(r, dotted_lines=[r.id]) if r.id == "epb-cio" else r for r in base.roles]
    (finding,) = _findings(attrs.evolve(base, roles=roles), "dotted-line-to-self")
    assert finding.severity is cio_framework.Severity.WARNING
    assert (finding.ids, finding.collection, finding.index) == (("epb-cio",), "roles", 1)


def test_empty_required_name_is_a_finding():
    """A blank name or title (empty, or white space only) is a warning at its element."""
    base = make_scenario()
    scenario = attrs.evolve(
        base,
        name=" ",
        departments=[*base.departments, Department(id="x", name="")],
        roles=[*base.roles, Role(id="r", title="\u3000", level="support")],
    )
    found = _findings(scenario, "empty-name")
    assert all(f.severity is cio_framework.Severity.WARNING for f in found)
    assert [(f.collection, f.index, f.ids) for f in found] == [  # by the ids they name
        (None, None, ()),
        ("roles", 2, ("r",)),
        ("departments", 2, ("x",)),
    ]
    assert "title" in found[1].message
    assert not _findings(base, "empty-name")


@settings(max_examples=150, deadline=None)
@given(name=st.text(alphabet=" \u3000\u00a0\u200b\u2028\u2029\u200fa.中\u0301", max_size=5))
def test_empty_name_follows_its_definition(name):
    """A name is blank when every character is white space or invisible
    (Unicode categories Zs, Zl, Zp, Cc, Cf), written here from the check's
    definition: the department gets a finding exactly then."""
    blank = all(unicodedata.category(ch) in {"Zs", "Zl", "Zp", "Cc", "Cf"} for ch in name)
    base = make_scenario()
    try:
        department = Department(id="x", name=name)
    except (TypeError, ValueError):
        return  # a name the model refuses never reaches the check
    scenario = attrs.evolve(base, departments=[*base.departments, department])
    found = [f.ids for f in _findings(scenario, "empty-name")]
    assert found == ([("x",)] if blank else [])


def test_empty_name_in_yaml_is_reported_at_load():
    """An empty name read from YAML is a finding of validate, not silence."""
    scenario = cio_framework.loads(HEAD + 'departments: [{id: x, name: ""}]\n')
    (finding,) = _findings(scenario, "empty-name")
    assert finding.ids == ("x",)


def test_two_demands_for_the_same_department_and_resource_are_a_finding():
    """Two demands of one department for one resource are one warning that
    says their weights are added; the order of the demands does not matter."""
    text = (
        HEAD + LANDSCAPE + "demands:\n"
        "  - {by: a, resource: r, weight: 2, purpose: credit}\n"
        "  - {by: b, resource: r}\n"
        "  - {by: a, resource: r, weight: 3}\n"
    )
    scenario = cio_framework.loads(text)
    (finding,) = _findings(scenario, "duplicate-demand")
    assert finding.severity is cio_framework.Severity.WARNING
    assert (finding.ids, finding.collection, finding.index) == (("a:r", "a", "r"), "demands", 2)
    assert "2 demands" in finding.message
    assert "weight 5" in finding.message
    flipped = attrs.evolve(scenario, demands=scenario.demands[::-1])
    (again,) = _findings(flipped, "duplicate-demand")
    assert (again.ids, again.message) == (finding.ids, finding.message)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("pq"), st.sampled_from("rs")), max_size=6),
    st.lists(st.tuples(st.sampled_from("ab"), st.booleans()), max_size=5),
)
def test_duplicate_candidacies_and_disagreeing_appraisals_follow_their_definitions(
    candidacies, appraisals
):
    """One finding per (person, role) listed more than once, at its last
    candidacy; one per department whose appraisals say both, at its last."""
    scenario = _landscape(
        people=[cio_framework.model.Person(id=p, name=p.upper()) for p in "pq"],
        roles=[Role(id=r, title=r.upper(), level="support") for r in "rs"],
        criteria=[Criterion(id="k", name="K")],
        candidates=[Candidate(person=p, role=r) for p, r in candidacies],
        appraisals=[
            cio_framework.model.Appraisal(department=d, includes_cio_work=flag)
            for d, flag in appraisals
        ],
        bodies=[],
        responsibilities=[],
    )
    twice = {pair for pair in candidacies if candidacies.count(pair) > 1}
    assert {(f.ids, f.index) for f in _findings(scenario, "duplicate-candidacy")} == {
        (pair, max(i for i, c in enumerate(candidacies) if c == pair)) for pair in twice
    }
    split = {d for d, _ in appraisals if {f for e, f in appraisals if e == d} == {True, False}}
    assert {(f.ids, f.index) for f in _findings(scenario, "appraisals-disagree")} == {
        ((d,), max(i for i, (e, _) in enumerate(appraisals) if e == d)) for d in split
    }


def test_new_checks_are_listed_and_switchable():
    """Each new check is registered with its default severity and can be switched off."""
    expected = {
        "exchange-self-loop": "warning",
        "exchange-via-end": "warning",
        "department-cycle": "error",
        "dotted-line-to-self": "warning",
        "empty-name": "warning",
        "duplicate-demand": "warning",
        "duplicate-candidacy": "error",
        "appraisals-disagree": "warning",
    }
    assert {k: cio_framework.analysis.CHECKS[k].severity.value for k in expected} == expected
    scenario = make_scenario(
        departments=[Department(id="c", name="C", parent="c")], **NO_GOVERNANCE
    )
    report = cio_framework.check(scenario, severities={"department-cycle": "off"})
    assert "department-cycle" not in {f.check for f in report.findings}


NEW_CHECKS = (
    "department-cycle",
    "dotted-line-to-self",
    "empty-name",
    "exchange-self-loop",
    "exchange-via-end",
    "duplicate-demand",
    "duplicate-candidacy",
    "appraisals-disagree",
)


def test_new_findings_do_not_depend_on_the_order_of_lists():
    """Reversing every list of a scenario with every defect gives the same
    findings (check, severity, message, ids); only their places move."""
    text = (
        HEAD + "departments:\n"
        "  - {id: a, name: A, parent: b}\n  - {id: b, name: B, parent: a}\n"
        "  - {id: c, name: ' ', parent: c}\n"
        "platforms: [{id: hub, name: Hub}]\n"
        "systems:\n"
        "  - {id: a1, name: A1, department: a}\n  - {id: b1, name: B1, department: b}\n"
        "roles: [{id: r, title: R, level: strategic, dotted_lines: [r]}]\n"
        "exchanges:\n"
        "  - {from: a1, to: a1}\n  - {id: v, from: b1, to: hub, via: hub}\n"
        "resources: [{id: res, name: Res, owner: b, held_in: b1}]\n"
        "demands:\n  - {by: a, resource: res, purpose: x}\n  - {by: a, resource: res, purpose: y}\n"
        "people: [{id: p, name: P}]\ncriteria: [{id: k, name: K}]\n"
        "candidates:\n  - {person: p, role: r, scores: {k: 1}}\n  - {person: p, role: r}\n"
        "appraisals:\n  - {department: a, includes_cio_work: true}\n"
        "  - {department: a, includes_cio_work: false}\n"
    )
    scenario = cio_framework.loads(text)
    reversed_ = attrs.evolve(
        scenario, **{name: getattr(scenario, name)[::-1] for name in COLLECTIONS}
    )

    def seen(s):
        return sorted(
            (f.check, f.severity.value, f.message, f.ids)
            for f in cio_framework.check(s, only=NEW_CHECKS).findings
        )

    found = seen(scenario)
    assert {f[0] for f in found} == set(NEW_CHECKS)
    assert seen(reversed_) == found


def test_reporting_cycle_is_named_from_its_least_id_in_any_order():
    """A reporting cycle reads from its least role id, whichever role comes first."""
    roles = [
        Role(id="y", title="Y", level="strategic", reports_to="z"),
        Role(id="z", title="Z", level="strategic", reports_to="x"),
        Role(id="x", title="X", level="strategic", reports_to="y"),
    ]
    for order in (roles, roles[::-1]):
        (finding,) = _findings(
            make_scenario(roles=order, bodies=[], responsibilities=[]), "reporting-cycle"
        )
        assert "x → y → z → x" in finding.message
        assert finding.ids == ("x", "y", "z")
        assert finding.index == [r.id for r in order].index("x")


def test_built_in_scenarios_have_no_degenerate_structure():
    """Pudong and the US federal scenario raise none of the new findings."""
    new = set(NEW_CHECKS)
    for name in cio_framework.BUILTIN_SCENARIOS:
        found = {f.check for f in cio_framework.check(cio_framework.builtin(name)).findings}
        assert not found & new, name


# -- 3. what-if exchange ids ---------------------------------------------------


def _moves(*moves, exchanges=()):
    changes = [Change(move_system=MoveSystem(system=s, to=p)) for s, p in moves]
    return _landscape(
        platforms=[Platform(id="hub", name="Hub"), Platform(id="b-hub", name="B hub")],
        systems=[
            System(id="a1", name="A1", department="a"),
            System(id="a1-b", name="A1B", department="a"),
            System(id="b1", name="B1", department="b"),
        ],
        exchanges=list(exchanges),
        scenarios=[WhatIf(id="w", changes=changes)],
    )


def _ids(scenario):
    ids = [e.id for e in scenario.exchanges if e.id]
    assert len(ids) == len(set(ids)), ids
    every = [getattr(x, "id", None) for _, x in scenario.elements()]
    every = [i for i in every if i is not None]
    assert len(every) == len(set(every)), every
    return ids


def test_move_system_never_makes_a_duplicate_exchange_id():
    """Moving a system next to an exchange that already has the plain id
    gives the new link an id of its own, derived from its ends alone."""
    taken = Exchange(id="a1-hub-whatif", from_="b1", to="hub")
    scenario = _moves(("a1", "hub"), exchanges=[taken])
    after = cio_framework.whatif(scenario, "w")
    ids = _ids(after)
    assert len(ids) == 2
    (new,) = [e for e in after.exchanges if e.id != "a1-hub-whatif"]
    assert (new.from_, new.to) == ("a1", "hub")
    assert new.id.startswith("a1-hub-whatif-")
    # derived from what it is: the same id whatever else the scenario lists
    other = _moves(("a1", "hub"), exchanges=[Exchange(from_="b1", to="hub"), taken][::-1])
    assert new.id in _ids(cio_framework.whatif(other, "w"))


def test_ids_that_read_alike_do_not_collide():
    """System a1-b onto hub and system a1 onto b-hub both read a1-b-hub-whatif:
    the two links get two ids, the same in either order of the changes."""
    one = cio_framework.whatif(_moves(("a1-b", "hub"), ("a1", "b-hub")), "w")
    two = cio_framework.whatif(_moves(("a1", "b-hub"), ("a1-b", "hub")), "w")
    assert sorted(_ids(one)) == sorted(_ids(two))
    by_ends = {(e.from_, e.to): e.id for e in one.exchanges}
    assert by_ends == {(e.from_, e.to): e.id for e in two.exchanges}
    assert len(set(by_ends.values())) == 2


def test_moving_a_system_back_and_forth_adds_one_link():
    """Moving a system onto a platform, away and back again reuses the link."""
    after = cio_framework.whatif(_moves(("a1", "hub"), ("a1", "local"), ("a1", "hub")), "w")
    assert _ids(after) == ["a1-hub-whatif"]


def test_move_system_with_the_longest_ids_gives_a_valid_id():
    """Ends of 200 characters give a link id within the id length limit."""
    system, platform = "s" * 200, "p" * 200
    scenario = make_scenario(
        platforms=[Platform(id=platform, name="P")],
        systems=[System(id=system, name="S", department="epb")],
        scenarios=[
            WhatIf(id="w", changes=[Change(move_system=MoveSystem(system=system, to=platform))])
        ],
    )
    after = cio_framework.whatif(scenario, "w")
    (link,) = after.exchanges
    assert 0 < len(link.id) <= 200
    assert cio_framework.model.valid_id(link.id) is None


# -- 4. agenda titles ----------------------------------------------------------


def test_agenda_title_keeps_a_name_with_a_colon():
    """A priority's agenda title is its explanation before the gains, not
    before the first colon of a department's or resource's name."""
    scenario = cio_framework.loads(
        HEAD + "departments: [{id: a, name: 'Bureau: East'}, {id: b, name: 'Office: West'}]\n"
        "platforms: [{id: hub, name: Hub}]\n"
        "systems:\n"
        "  - {id: a1, name: A1, department: a}\n"
        "  - {id: b1, name: B1, department: b}\n"
        "exchanges: [{from: b1, to: hub}]\n"
        "resources: [{id: r, name: 'Records: 2016', owner: b, held_in: b1}]\n"
        "demands: [{by: a, resource: r, weight: 3}]\n"
        "checks: {regular-meeting-missing: 'off', pilot-without-cio: 'off'}\n"
    )
    items = [i for i in cio_framework.agenda(scenario, items=3).items if i.source == "priority"]
    assert items
    for item in items:
        assert item.reason.startswith(item.title + ": ")
        assert ":" not in item.reason[len(item.title) + 2 :]
    titles = " ".join(i.title for i in items)
    assert "Bureau: East" in titles
