"""Nested jurisdictions, checked against an independent reference.

The reference (``tests/reference_jurisdictions.py``) is written from the
documented definitions, not from the code; these tests draw random valid
scenarios with nested jurisdictions (random forests, sometimes parent
cycles) and compare the library with it, then check a hand-made province
with two cities whose expected values are worked out by hand.
"""

from __future__ import annotations

import collections
import datetime as dt

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cio_framework
import reference_jurisdictions as ref
from cio_framework.analysis import agenda, check, islands, priorities
from cio_framework.analysis.agenda import forums
from cio_framework.analysis.checks import CHECKS
from cio_framework.analysis.priorities import deciders
from cio_framework.analysis.scope import split, within
from cio_framework.exceptions import Severity
from cio_framework.graph.jurisdictions import JurisdictionTree
from cio_framework.model import (
    COLLECTIONS,
    DEFAULT_LEVELS,
    LOCAL,
    ApprovalStatus,
    Body,
    BodyKind,
    CheckSetting,
    Demand,
    Department,
    Exchange,
    ExchangeStatus,
    IssueRange,
    Jurisdiction,
    Level,
    Matter,
    Meeting,
    Person,
    Platform,
    PrioritySettings,
    Resource,
    ResourceCategory,
    Role,
    RoleFunction,
    RoleGrade,
    RoleKind,
    RoleScope,
    Scenario,
    ShareType,
    System,
    SystemStatus,
)
from reference import landscape

#: Jurisdiction ids: their id order differs from the order they are drawn in.
JURISDICTION_IDS = ("prov", "city-b", "city-a", "dist", "agency", "bureau", "north", "south")

#: Checks that often have findings in the drawn scenarios, for settings.
SETTABLE_CHECKS = (
    "vacant-role",
    "pilot-without-cio",
    "point-to-point-exchange",
    "body-without-chair",
    "regular-meeting-missing",
    "jurisdiction-cycle",
    "exchange-self-loop",
    "cio-not-deputy",
    "reporting-top-not-strategic",
    "appraisal-excludes-cio",
)

SETTINGS = st.sampled_from(list(CheckSetting))

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SLOW_PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _ids(draw, prefix: str, count: int) -> list[str]:
    """``count`` ids with ``prefix``, whose id order is not the drawing order."""
    return [f"{prefix}{k}" for k in draw(st.permutations(range(count)))]


def _maybe(draw, pool, none_weight: int = 1):
    """None or one of ``pool`` (None ``none_weight`` times out of len + weight)."""
    if not pool:
        return None
    return draw(st.sampled_from([None] * none_weight + list(pool)))


def _check_settings(draw, max_size: int) -> dict:
    return draw(st.dictionaries(st.sampled_from(SETTABLE_CHECKS), SETTINGS, max_size=max_size))


@st.composite
def nested_scenarios(draw, jurisdiction_count=(1, 8), role_count=(0, 7)) -> Scenario:
    """A valid version-2 scenario with 1 to 8 jurisdictions (a random
    forest, sometimes with parent cycles), elements placed in random
    jurisdictions or at the scenario level, a small landscape, hubs, CIO
    committees, regular meetings, jurisdiction officers, ``decided_by`` and
    per-jurisdiction check settings. ``jurisdiction_count`` and
    ``role_count`` bound the numbers of jurisdictions and roles."""
    n = draw(st.integers(*jurisdiction_count))
    jids = list(draw(st.permutations(JURISDICTION_IDS)))[:n]
    cyclic = draw(st.integers(min_value=0, max_value=4)) == 0
    parents = {}
    for i, j in enumerate(jids):
        if cyclic:
            parents[j] = _maybe(draw, jids)  # anything, itself included
        else:
            parents[j] = _maybe(draw, jids[:i])  # a forest: only earlier ones
    # where elements go (None: the scenario level): every jurisdiction, with
    # one or two busy ones more often, so that several committees, officers
    # and meetings often share a jurisdiction
    busy = draw(st.lists(st.sampled_from(jids), min_size=1, max_size=2, unique=True))
    place_pool = [*jids, *busy, *busy, *busy]

    people = _ids(draw, "u", draw(st.integers(min_value=0, max_value=3)))
    departments = _ids(draw, "d", draw(st.integers(min_value=1, max_value=6)))
    roles = _ids(draw, "r", draw(st.integers(*role_count)))
    bodies = _ids(draw, "b", draw(st.integers(min_value=0, max_value=5)))
    platforms = _ids(draw, "p", draw(st.integers(min_value=0, max_value=4)))
    systems = _ids(draw, "s", draw(st.integers(min_value=0, max_value=8)))
    resources = _ids(draw, "res", draw(st.integers(min_value=0, max_value=3)))
    extra_levels = _ids(draw, "lv", draw(st.integers(min_value=0, max_value=2)))

    levels = [
        *DEFAULT_LEVELS,
        *(
            Level(id=lv, name=f"Level {lv}", jurisdiction=_maybe(draw, place_pool))
            for lv in extra_levels
        ),
    ]
    level_ids = [lv.id for lv in levels]

    jurisdictions = [
        Jurisdiction(
            id=j,
            name=f"Jurisdiction {j}",
            parent=parents[j],
            hub=_maybe(draw, platforms),
            decided_by=_maybe(draw, bodies + roles, none_weight=3 * len(bodies + roles) + 1),
            checks=_check_settings(draw, 2) if draw(st.booleans()) else {},
        )
        for j in jids
    ]
    department_list = [
        Department(
            id=d,
            name=f"Department {d}",
            jurisdiction=draw(st.sampled_from([None, *place_pool])),
            pilot=draw(st.booleans()),
            parent=_maybe(draw, departments, none_weight=3 * len(departments)),
        )
        for d in departments
    ]
    officer_functions = [RoleFunction.CIO, RoleFunction.CDO, RoleFunction.CDIO, RoleFunction.CISO]
    other_functions = [RoleFunction.OFFICE, RoleFunction.HEAD, RoleFunction.OTHER]
    role_list = []
    for r in roles:
        mode = draw(st.sampled_from(["officer", "officer", "departmental", "other", "kind"]))
        kind, function, scope = RoleKind.OTHER, None, None
        if mode == "officer":  # a chief officer for a whole jurisdiction
            function, scope = draw(st.sampled_from(officer_functions)), RoleScope.JURISDICTION
        elif mode == "departmental":
            function = draw(st.sampled_from(officer_functions))
            scope = draw(st.sampled_from([RoleScope.DEPARTMENT, RoleScope.UNIT]))
        elif mode == "other":
            function = draw(st.sampled_from(other_functions + officer_functions))
            scope = draw(st.sampled_from([None, *RoleScope]))
        else:  # function and scope from the version-1 kind
            kind = draw(st.sampled_from(RoleKind))
        role_list.append(
            Role(
                id=r,
                title=f"Role {r}",
                kind=kind,
                function=function,
                scope=scope,
                grade=draw(st.sampled_from(RoleGrade)),
                level=draw(st.sampled_from(level_ids)),
                department=_maybe(draw, departments),
                jurisdiction=_maybe(draw, place_pool, none_weight=len(place_pool)),
                holder=_maybe(draw, people),
                reports_to=_maybe(draw, roles, none_weight=len(roles)),
            )
        )
    body_list = []
    for b in bodies:
        kind = draw(
            st.sampled_from(
                [
                    BodyKind.CIO_COMMITTEE,
                    BodyKind.CIO_COMMITTEE,
                    BodyKind.REGULAR_MEETING,
                    BodyKind.REGULAR_MEETING,
                    BodyKind.EXPERT_ADVISORY,
                    BodyKind.OTHER,
                ]
            )
        )
        body_list.append(
            Body(
                id=b,
                name=f"Body {b}",
                kind=kind,
                level=_maybe(draw, level_ids, none_weight=2 * len(level_ids)),
                jurisdiction=draw(st.sampled_from([None, *place_pool])),
                chair=_maybe(draw, roles),
                members=draw(st.lists(st.sampled_from(roles), max_size=2, unique=True))
                if roles
                else [],
                meets_every_months=draw(st.sampled_from([None, 1, 2, 3])),
                issues_per_meeting=draw(
                    st.sampled_from(
                        [None, IssueRange(minimum=1, maximum=1), IssueRange(minimum=1, maximum=3)]
                    )
                ),
            )
        )
    meetings = [
        Meeting(
            body=draw(st.sampled_from(bodies)),
            date=dt.date(2020, 1, 1) + dt.timedelta(days=draw(st.integers(0, 400))),
            issues=["issue"] * draw(st.integers(min_value=0, max_value=3)),
        )
        for _ in range(draw(st.integers(min_value=0, max_value=3)) if bodies else 0)
    ]
    # a jurisdiction's hub is often run by one of its own departments
    served_by = {p: [j.id for j in jurisdictions if j.hub == p] for p in platforms}
    platform_list = []
    for p in platforms:
        own = [d.id for d in department_list if d.jurisdiction in served_by[p]]
        local = bool(own) and draw(st.booleans())
        platform_list.append(
            Platform(
                id=p,
                name=f"Platform {p}",
                operator=draw(st.sampled_from(own)) if local else _maybe(draw, departments),
                jurisdiction=_maybe(draw, place_pool, none_weight=len(place_pool)),
            )
        )
    system_list = [
        System(
            id=x,
            name=f"System {x}",
            department=draw(st.sampled_from(departments)),
            hosted_on=draw(st.sampled_from([LOCAL, LOCAL, *platforms])),
            status=draw(
                st.sampled_from(
                    [SystemStatus.IN_USE] * 4 + [SystemStatus.PLANNED, SystemStatus.RETIRED]
                )
            ),
        )
        for x in systems
    ]
    nodes = systems + platforms
    exchanges = []
    if nodes:
        for k in range(draw(st.integers(min_value=0, max_value=10))):
            exchanges.append(
                Exchange(
                    id=draw(st.sampled_from([f"e{k}", None])),
                    from_=draw(st.sampled_from(nodes)),
                    to=draw(st.sampled_from(nodes)),
                    via=_maybe(draw, platforms, none_weight=2 * len(platforms)),
                    status=draw(
                        st.sampled_from([ExchangeStatus.LIVE] * 4 + [ExchangeStatus.PLANNED])
                    ),
                )
            )
    # a jurisdiction's hub is often linked to the nearest hub above it
    own_hub = {j.id: j.hub for j in jurisdictions}
    for j in jids:
        seen, up = {j}, parents[j]
        while up is not None and up not in seen and own_hub[up] is None:
            seen.add(up)
            up = parents[up]
        above = own_hub[up] if up is not None and up not in seen else None
        if own_hub[j] is not None and above is not None and draw(st.booleans()):
            exchanges.append(Exchange(from_=own_hub[j], to=above))
    resource_list = [
        Resource(
            id=r,
            name=f"Resource {r}",
            owner=draw(st.sampled_from(departments)),
            held_in=_maybe(draw, systems),
            category=draw(st.sampled_from(ResourceCategory)),
            share=draw(st.sampled_from([ShareType.UNCONDITIONAL, ShareType.CONDITIONAL])),
            legal_basis="Art. 1",
            catalogued=draw(st.booleans()),
        )
        for r in resources
    ]
    demands = [
        Demand(
            by=draw(st.sampled_from(departments)),
            resource=draw(st.sampled_from(resources)),
            weight=draw(st.sampled_from([1.0, 2.0])),
            agreement=draw(st.booleans()),
        )
        for _ in range(draw(st.integers(min_value=0, max_value=3)) if resources else 0)
    ]
    matters = [
        Matter(
            id=f"m{k}",
            name=f"Matter {k}",
            approved_by=draw(st.sampled_from(departments)),
            supervised_by=draw(st.sampled_from(departments)),
            approval=draw(st.sampled_from(ApprovalStatus)),
            registered_by=_maybe(draw, departments),
            supervision_data=draw(st.lists(st.sampled_from(resources), max_size=1))
            if resources
            else [],
        )
        for k in range(draw(st.integers(min_value=0, max_value=2)))
    ]
    configured_hub = None
    if platforms and draw(st.integers(min_value=0, max_value=4)) == 0:
        configured_hub = draw(st.sampled_from(platforms))
    scenario = Scenario(
        name="Nested",
        jurisdictions=jurisdictions,
        levels=levels,
        people=[Person(id=u, name=f"Person {u}") for u in people],
        departments=department_list,
        roles=role_list,
        bodies=body_list,
        meetings=meetings,
        platforms=platform_list,
        systems=system_list,
        resources=resource_list,
        exchanges=exchanges,
        demands=demands,
        matters=matters,
        priorities=PrioritySettings(hub=configured_hub),
        checks=_check_settings(draw, 2) if draw(st.booleans()) else {},
    )
    assert scenario.format_version == 2
    problems = cio_framework.validate(scenario)
    assert problems == (), problems
    return scenario


#: Scenarios, and governance-heavy ones (few jurisdictions, many roles)
#: where several chief officers often share a jurisdiction.
mixed_scenarios = st.one_of(
    nested_scenarios(), nested_scenarios(jurisdiction_count=(1, 3), role_count=(4, 12))
)


def reversed_scenario(s: Scenario) -> Scenario:
    """Every collection of the scenario in reverse order, but the levels:
    a scenario lists them from the top down, so their order has a meaning
    (reversed, ``reporting-top-not-strategic`` rightly finds other roles)."""
    return attrs.evolve(
        s, **{name: getattr(s, name)[::-1] for name in COLLECTIONS if name != "levels"}
    )


def element_ids(s: Scenario) -> list[str]:
    return [e.id for _, e in s.elements() if getattr(e, "id", None) is not None]


def finding_key(f):
    return (f.check, f.severity.value, f.message, tuple(f.ids), f.jurisdiction)


def _setting_severity(setting, check_id):
    """The severity a setting gives, ``None`` for off."""
    if setting is None:
        return CHECKS[check_id].severity
    value = setting.value if isinstance(setting, (CheckSetting, Severity)) else setting
    return None if value == "off" else Severity(value)


# -- the tree -------------------------------------------------------------------


@PROPERTY
@given(nested_scenarios())
def test_every_element_is_placed_as_defined(s):
    tree = JurisdictionTree(s)
    for id in element_ids(s):
        assert tree.of(id) == ref.place(s, id), id
    assert tree.of("no-such-element") is None
    for j in s.jurisdictions:
        assert tree.parent[j.id] == ref.parent_of(s, j.id), j.id
        assert tree.hub(j.id) == ref.hub(s, j.id), j.id
        assert tree.path(j.id) == tuple(ref.ancestors(s, j.id))
    assert tree.hub(None) is None
    assert ref.topdown_ok(s, tree.jurisdictions)


@PROPERTY
@given(nested_scenarios(), st.data())
def test_common_and_is_within_follow_the_definition(s, data):
    tree = JurisdictionTree(s)
    places = [None, *(j.id for j in s.jurisdictions)]
    for inner in places:
        for outer in places:
            assert tree.is_within(inner, outer) == ref.is_within(s, inner, outer), (inner, outer)
            assert tree.common([inner, outer]) == ref.common(s, [inner, outer]), (inner, outer)
    assert tree.common([]) is None
    for _ in range(5):
        chosen = data.draw(st.lists(st.sampled_from(places), min_size=1, max_size=5))
        assert tree.common(chosen) == ref.common(s, chosen), chosen
        assert tree.common(reversed(chosen)) == tree.common(chosen)


@PROPERTY
@given(mixed_scenarios)
def test_who_decides_and_where_each_jurisdiction_meets(s):
    """The deciders (``priorities.deciders``) and the forums
    (``agenda.forums``) of every jurisdiction and of the scenario level."""
    tree = JurisdictionTree(s)
    places = [None, *(j.id for j in s.jurisdictions)]
    found = deciders(s, tree)
    assert {p: found[p] for p in places} == {p: ref.decider(s, p) for p in places}
    for chosen in [None, *(b.id for b in s.bodies)]:
        found = forums(s, tree, chosen)
        assert {p: found[p] for p in places} == ref.forums(s, chosen), chosen


# -- islands ----------------------------------------------------------------------


def _check_islands_against_reference(s):
    report = islands(s)
    expected = ref.groups(s)
    assert sorted(g.id for g in report.groups) == sorted(expected)
    for g in report.groups:
        want = expected[g.id]
        assert g.systems == want.systems
        assert g.platforms == want.platforms
        assert g.departments == want.departments
        assert g.jurisdiction == want.jurisdiction, g.id
        assert g.connected_to_platform == want.served, g.id
        assert g.unlinked == want.unlinked, g.id
        assert g.is_island == want.island, g.id
    assert sorted(g.id for g in report.islands) == sorted(
        g.id for g in expected.values() if g.island
    )
    assert list(report.unlinked_jurisdictions) == ref.unlinked(s)
    return report


@PROPERTY
@given(nested_scenarios())
def test_groups_their_jurisdiction_islands_and_unlinked_jurisdictions(s):
    _check_islands_against_reference(s)


# -- priorities --------------------------------------------------------------------


@SLOW_PROPERTY
@given(mixed_scenarios)
def test_integrations_are_placed_and_decided_where_their_departments_meet(s):
    report = priorities(s)
    assert report.hub == ref.main_hub(s)
    decider_of = {None: ref.decider(s, None)}
    decider_of.update({j.id: ref.decider(s, j.id) for j in s.jurisdictions})
    for integration in report.priorities:
        owners = ref.integration_owners(s, integration.kind, integration.departments)
        where = ref.common(s, [ref.place(s, d) for d in owners])
        # the hub it connects to, named in its explanation ("... to HUB: gains")
        word = {"connect_island": " to ", "reroute_exchange": " onto "}.get(integration.kind)
        if word is not None:
            hub = ref.hub_for(s, integration.departments)
            (hub_name,) = [p.name for p in s.platforms if p.id == hub]
            assert f"{word}{hub_name}: " in integration.explanation, integration
        assert integration.jurisdiction == where, integration.id
        expected_accountable = tuple(
            a for a in (ref.accountable_for(s, d) for d in owners) if a is not None
        )
        assert tuple(integration.accountable) == expected_accountable, integration.id
        # the departments concerned: its own, the hub operator, those of
        # the groups it joins
        concerned = set(integration.departments)
        operator = ref.hub_operator(s, integration.departments)
        if operator is not None:
            concerned.add(operator)
        for group in integration.groups:
            concerned.update(report.groups[group].departments)
        if len(concerned) > 1:
            assert integration.decided_by == decider_of[where], integration.id
        else:
            (only,) = concerned
            assert integration.decided_by == ref.accountable_for(s, only), integration.id


@SLOW_PROPERTY
@given(nested_scenarios())
def test_connections_concern_the_island_and_its_hub(s):
    """A connect_island candidate is about a group of the reference that is
    an island (holds no platform serving it, or holds a jurisdiction's hub
    off the main hub: the hub of an unlinked jurisdiction, or of a
    jurisdiction in another tree), and its departments are the group's."""
    report = priorities(s)
    groups = ref.groups(s)
    main = ref.main_hub(s)
    component = ref.components(s)
    hubs = {ref.hub(s, j.id) for j in s.jurisdictions} - {None}
    for integration in report.priorities:
        if integration.kind != "connect_island":
            continue
        (group,) = integration.groups
        want = groups[group]
        assert integration.departments == want.departments
        assert integration.id == f"connect-{group}" or integration.id.startswith(
            f"connect-{group}-"
        )
        off_main = any(h in want.platforms for h in hubs) and main not in component[want.id]
        assert want.island or off_main, integration.id


@SLOW_PROPERTY
@given(nested_scenarios())
def test_no_integration_leaves_what_it_joins_an_island(s):
    """Joining an integration's groups to the main hub's group makes a group
    that a platform of it serves (the reference's definition of islands):
    no suggested step turns a connected group into an island. A group that
    could join only so is named in the report's note instead."""
    report = priorities(s)
    main = ref.main_hub(s)
    if main is None:
        return
    land = landscape(s)
    component = ref.components(s)
    groups = ref.groups(s)
    core = set(component[main])
    for integration in report.priorities:
        if not integration.groups:
            continue  # it joins nothing (a reroute inside the hub's group)
        members = core.union(*(component[g] for g in integration.groups))
        departments = {land.systems[m] for m in members if m in land.systems}
        where = ref.common(s, [ref.place(s, d) for d in departments])
        platforms = [m for m in members if m in land.platforms]
        assert any(ref.serves(s, p, where) for p in platforms), integration.id
    beyond = []
    for group in groups.values():
        if main in component[group.systems[0]]:
            continue
        members = core | set(component[group.systems[0]])
        departments = {land.systems[m] for m in members if m in land.systems}
        where = ref.common(s, [ref.place(s, d) for d in departments])
        if not any(ref.serves(s, m, where) for m in members if m in land.platforms):
            beyond.append(group.id)
    if beyond:
        assert report.note is not None
        assert f"joins {len(beyond)} group" in report.note
        assert all(g in report.note for g in sorted(beyond)[:5])
        assert not {g for i in report.priorities for g in i.groups} & set(beyond)


def _served_after(s, main, component, groups_joined, core):
    """Whether the group made by joining ``groups_joined`` (group ids) to
    ``core`` (nodes) is served, by the reference's definition; and that group."""
    land = landscape(s)
    members = core.union(*(component[g] for g in groups_joined))
    departments = {land.systems[m] for m in members if m in land.systems}
    where = ref.common(s, [ref.place(s, d) for d in departments])
    served = any(ref.serves(s, m, where) for m in members if m in land.platforms)
    return served or not departments, members


@SLOW_PROPERTY
@given(nested_scenarios())
def test_no_roadmap_step_leaves_what_it_joins_an_island(s):
    """Each step of the roadmap, taken in order, leaves the hub's group as
    grown so far served, unless it joins no group (reference definition)."""
    plan = cio_framework.roadmap(s)
    main = ref.main_hub(s)
    if main is None:
        return
    component = ref.components(s)
    core = set(component[main])
    for step in plan.steps:
        if not step.integration.groups:
            continue
        served, core = _served_after(s, main, component, step.integration.groups, core)
        assert served, step.integration.id


#: Two jurisdictions side by side; the hub's group holds two platforms, one
#: of each, and no system.
SIDE_BY_SIDE = """\
cio_framework: 2
name: t
jurisdictions:
  - {id: prov, name: Province}
  - {id: city, name: City, hub: c-plat}
departments:
  - {id: c-data, name: City data, jurisdiction: city}
  - {id: p-data, name: Prov data, jurisdiction: prov}
platforms:
  - {id: c-plat, name: City platform, operator: c-data}
  - {id: p-plat, name: Prov platform, operator: p-data}
systems:
  - {id: c-sys, name: City sys, department: c-data}
  - {id: p-sys, name: Prov sys, department: p-data}
exchanges:
  - {id: e0, from: c-plat, to: p-plat}
"""


def test_the_roadmap_asks_again_once_the_hubs_group_holds_a_system():
    """Joined alone to the hub's group (two platforms, no system), the city's
    system and the province's are each served; once one is taken the group
    belongs to its jurisdiction, and taking the other would put it at the
    scenario level, which no platform serves: the roadmap takes one only."""
    s = cio_framework.loads(SIDE_BY_SIDE)
    assert {p.id for p in priorities(s).priorities} == {"connect-c-sys", "connect-p-sys"}
    steps = cio_framework.roadmap(s).steps
    assert len(steps) == 1
    main = ref.main_hub(s)
    component = ref.components(s)
    served, _ = _served_after(s, main, component, steps[0].integration.groups, set(component[main]))
    assert served


#: A province and a city; the city's platform is the hub (see the tests below).
PROVINCE_AND_CITY = """\
cio_framework: 2
name: t
jurisdictions:
  - {id: prov, name: Province}
  - {id: city, name: City, parent: prov}
departments:
  - {id: c-data, name: City data, jurisdiction: city}
  - {id: c-psb, name: City PSB, jurisdiction: city}
  - {id: p-data, name: Prov data, jurisdiction: prov}
  - {id: p-hr, name: Prov HR, jurisdiction: prov}
  - {id: p-eco, name: Prov Eco, jurisdiction: prov}
platforms:
  - {id: c-plat, name: City platform, operator: c-data}
  - {id: p-plat, name: Prov platform, operator: p-data}
systems:
  - {id: c-sys, name: City sys, department: c-psb}
  - {id: p-a, name: Prov A, department: p-hr}
  - {id: p-b, name: Prov B, department: p-eco}
resources:
  - {id: res-b, name: Res B, owner: p-eco, held_in: p-b, category: base}
exchanges:
  - {id: e1, from: c-sys, to: c-plat}
  - {id: e2, from: p-b, to: p-plat}
demands:
  - {by: REQUESTER, resource: res-b, purpose: x, weight: 3}
priorities: {hub: c-plat}
"""


def test_a_group_joins_with_one_that_brings_a_platform_serving_both():
    """p-a alone would make a province group on the city's hub: no
    connect-p-a. Joined with p-b, whose group holds the province's platform,
    it is served: the demand of p-a's department is still met."""
    s = cio_framework.loads(PROVINCE_AND_CITY.replace("REQUESTER", "p-hr"))
    ids = [p.id for p in priorities(s).priorities]
    assert ids == ["provide-res-b-to-p-hr"]
    assert priorities(s).note is None  # p-a is joined, by that candidate


def test_the_roadmap_takes_a_group_once_a_pick_lets_it_join():
    """After the city takes the province's resource, the province platform
    is on the hub's group, and connecting p-a no longer makes an island."""
    s = cio_framework.loads(PROVINCE_AND_CITY.replace("REQUESTER", "c-psb"))
    assert [p.id for p in priorities(s).priorities] == ["provide-res-b-to-c-psb"]
    assert "p-a" in priorities(s).note
    steps = [step.integration.id for step in cio_framework.roadmap(s, budget=10).steps]
    assert steps == ["provide-res-b-to-c-psb", "connect-p-a"]


def test_a_step_that_joins_nothing_new_is_taken_on_an_island_hub():
    """The hub's own group is an island of the province (the city's platform
    cannot serve its province department): steps that join no other group
    change no group, and the roadmap takes them as priorities lists them."""
    s = cio_framework.loads(
        "cio_framework: 2\nname: t\njurisdictions:\n"
        "  - {id: prov, name: Province}\n  - {id: city, name: City, parent: prov}\n"
        "departments:\n  - {id: c-data, name: City data, jurisdiction: city}\n"
        "  - {id: c-psb, name: City PSB, jurisdiction: city}\n"
        "  - {id: p-hr, name: Prov HR, jurisdiction: prov}\n"
        "platforms: [{id: c-plat, name: City platform, operator: c-data}]\n"
        "systems:\n  - {id: c-sys, name: City sys, department: c-psb}\n"
        "  - {id: p-x, name: Prov X, department: p-hr}\n"
        "resources:\n"
        "  - {id: r1, name: R1, owner: c-psb, held_in: c-sys, category: base,"
        " share: conditional, legal_basis: L}\n"
        "  - {id: r2, name: R2, owner: p-hr, held_in: p-x, category: base,"
        " share: conditional, legal_basis: L}\n"
        "exchanges:\n  - {id: e1, from: c-sys, to: c-plat}\n  - {id: e2, from: p-x, to: c-plat}\n"
        "demands:\n  - {by: p-hr, resource: r1, purpose: x, weight: 3}\n"
        "  - {by: c-psb, resource: r2, purpose: y, weight: 2}\n"
        "priorities: {hub: c-plat}\n"
    )
    assert islands(s).groups[0].is_island
    listed = [p.id for p in priorities(s).priorities]
    steps = [step.integration.id for step in cio_framework.roadmap(s, budget=100).steps]
    assert listed == ["provide-r1-to-p-hr", "provide-r2-to-c-psb"]
    assert steps == listed


# -- checks ------------------------------------------------------------------------


def _unset(s: Scenario) -> Scenario:
    """The scenario without any check setting."""
    return attrs.evolve(
        s,
        checks={},
        jurisdictions=[attrs.evolve(j, checks={}) for j in s.jurisdictions],
    )


def _expected_findings(s, call=None):
    """Every finding with its severity and jurisdiction by the reference,
    from the findings of the scenario without settings (default severities)."""
    expected = collections.Counter()
    for f in check(_unset(s)).findings:
        assert f.severity is CHECKS[f.check].severity
        where = ref.finding_jurisdiction(s, f.ids)
        assert f.jurisdiction == where, f
        severity = _setting_severity(ref.check_setting(s, f.check, where, call), f.check)
        if severity is not None:
            expected[(f.check, severity.value, f.message, tuple(f.ids), where)] += 1
    return expected


@PROPERTY
@given(nested_scenarios())
def test_findings_take_the_nearest_setting_up_the_tree(s):
    report = check(s)
    assert collections.Counter(map(finding_key, report.findings)) == _expected_findings(s)


@PROPERTY
@given(
    nested_scenarios(),
    st.dictionaries(
        st.sampled_from(SETTABLE_CHECKS),
        st.sampled_from(["error", "warning", "info", "off"]),
        max_size=3,
    ),
)
def test_the_calls_severities_come_first(s, call):
    report = check(s, severities=call)
    assert collections.Counter(map(finding_key, report.findings)) == _expected_findings(s, call)


@PROPERTY
@given(nested_scenarios())
def test_check_within_a_jurisdiction_keeps_its_own_findings(s):
    everything = check(s)
    for j in s.jurisdictions:
        own = check(s, jurisdiction=j.id)
        assert list(own.findings) == [f for f in everything.findings if f.jurisdiction == j.id]


# -- agenda ----------------------------------------------------------------------


@SLOW_PROPERTY
@given(nested_scenarios())
def test_each_body_discusses_its_own_jurisdictions_issues(s):
    findings = check(s).findings
    ranked = priorities(s).priorities
    assert agenda(s).body == ref.forums(s)[None]
    for body in s.bodies:
        forum = ref.forums(s, chosen=body.id)
        assert forum[ref.place(s, body.id)] == body.id
        proposal = agenda(s, body=body.id)
        assert proposal.body == body.id
        count = body.issues_per_meeting.maximum if body.issues_per_meeting else 2
        ours = [
            f
            for f in findings
            if f.severity is not Severity.INFO and forum[f.jurisdiction] == body.id
        ]
        items = list(proposal.items)
        assert len(items) <= count
        if ours and count > 0:
            first = items.pop(0)
            assert first.source == "check"
            by_check = collections.defaultdict(list)
            for f in ours:
                by_check[f.check].append(f)
            name = min(
                by_check,
                key=lambda c: (-max(f.severity.rank for f in by_check[c]), -len(by_check[c]), c),
            )
            assert first.ids == tuple(sorted({i for f in by_check[name] for i in f.ids}))
            assert first.title.startswith(CHECKS[name].title + " (")
            room = count - 1
        else:
            room = count
        assert all(item.source == "priority" for item in items)
        wanted = [p.id for p in ranked if p.score > 0 and forum[p.jurisdiction] == body.id][
            : max(room, 0)
        ]
        assert [item.ids[0] for item in items] == wanted


# -- one jurisdiction's part --------------------------------------------------------


@SLOW_PROPERTY
@given(nested_scenarios(), st.booleans())
def test_within_keeps_what_belongs_to_the_jurisdiction(s, below):
    for j in s.jurisdictions:
        part = within(s, j.id, below=below)
        assert cio_framework.validate(part) == ()
        kept = ref.within_kept(s, j.id, below=below)
        for collection, ids in kept.items():
            assert {e.id for e in getattr(part, collection)} == ids, (j.id, collection)
        for collection in ("departments", "roles", "bodies", "platforms"):
            for e in getattr(part, collection):
                where = ref.place(s, e.id)
                if below:
                    assert where is not None, (j.id, e.id)
                    assert ref.is_within(s, where, j.id), (j.id, e.id)
                else:
                    assert where == j.id, (j.id, collection, e.id)
        departments = {d.id for d in part.departments}
        assert all(x.department in departments for x in part.systems)
        (top,) = [x for x in part.jurisdictions if x.id == j.id]
        assert top.parent is None
        assert part.name == part.jurisdiction == j.name
        assert dict(part.checks) == ref.merged_checks(s, j.id)
        own_hub = ref.hub(s, j.id)
        if own_hub is not None and own_hub in kept["platforms"]:
            assert part.priorities.hub == own_hub


@SLOW_PROPERTY
@given(nested_scenarios())
def test_islands_within_a_jurisdiction_are_those_of_its_part(s):
    for j in s.jurisdictions:
        part = within(s, j.id)
        scoped = islands(s, jurisdiction=j.id)
        assert scoped.to_dict() == islands(part).to_dict()
        assert scoped.to_dict() == _check_islands_against_reference(part).to_dict()


@PROPERTY
@given(nested_scenarios())
def test_split_gives_one_part_per_jurisdiction_top_down(s):
    parts = split(s)
    names = {j.name: j.id for j in s.jurisdictions}
    order = [names[part.jurisdiction] for part in parts]
    assert len(order) == len(s.jurisdictions)
    assert ref.topdown_ok(s, order)
    assert order == list(JurisdictionTree(s).jurisdictions)
    for j, part in zip(order, parts, strict=True):
        assert part == within(s, j)


# -- order independence ----------------------------------------------------------


@SLOW_PROPERTY
@given(nested_scenarios())
def test_reversing_every_list_changes_no_result(s):
    r = reversed_scenario(s)
    assert islands(r).to_dict() == islands(s).to_dict()
    assert priorities(r).to_dict() == priorities(s).to_dict()
    assert collections.Counter(map(finding_key, check(r).findings)) == collections.Counter(
        map(finding_key, check(s).findings)
    )
    assert agenda(r).to_dict() == agenda(s).to_dict()
    for body in s.bodies:
        assert agenda(r, body=body.id).to_dict() == agenda(s, body=body.id).to_dict()
    for j in s.jurisdictions:
        assert islands(r, jurisdiction=j.id).to_dict() == islands(s, jurisdiction=j.id).to_dict()


# -- a province with two cities, by hand ---------------------------------------------


def province() -> Scenario:
    """A province and two cities. City A's hub is not linked to the
    province's; city B's is. City B has an island of two of its own
    departments; city A a one-system island; a city-A bureau demands a
    city-B resource."""
    return Scenario(
        name="Province",
        jurisdictions=[
            Jurisdiction(
                id="prov", name="Province", hub="prov-hub", checks={"vacant-role": "error"}
            ),
            Jurisdiction(id="city-a", name="City A", parent="prov", hub="a-hub"),
            Jurisdiction(
                id="city-b",
                name="City B",
                parent="prov",
                hub="b-hub",
                checks={"vacant-role": "info"},
            ),
        ],
        people=[Person(id="li", name="Li"), Person(id="wang", name="Wang")],
        departments=[
            Department(id="prov-data", name="Provincial data administration", jurisdiction="prov"),
            Department(id="a-data", name="City A data bureau", jurisdiction="city-a"),
            Department(id="a-health", name="City A health bureau", jurisdiction="city-a"),
            Department(id="b-data", name="City B data bureau", jurisdiction="city-b"),
            Department(id="b-health", name="City B health bureau", jurisdiction="city-b"),
        ],
        roles=[
            Role(
                id="prov-cdo",
                title="Provincial CDO",
                level="strategic",
                function=RoleFunction.CDO,
                scope=RoleScope.JURISDICTION,
                department="prov-data",
                holder="li",
            ),
            # vacant: a city-A finding, an error by the province's setting
            Role(
                id="a-cdo",
                title="City A CDO",
                level="strategic",
                function=RoleFunction.CDO,
                scope=RoleScope.JURISDICTION,
                jurisdiction="city-a",
            ),
            # vacant: a city-B finding, info by city B's own setting
            Role(
                id="b-cdo",
                title="City B CDO",
                level="strategic",
                function=RoleFunction.CDO,
                scope=RoleScope.JURISDICTION,
                jurisdiction="city-b",
            ),
            # vacant, at the scenario level: off by the scenario's setting
            Role(id="adviser", title="Adviser", level="advisory"),
        ],
        bodies=[
            Body(
                id="prov-committee",
                name="Provincial CIO committee",
                kind=BodyKind.CIO_COMMITTEE,
                jurisdiction="prov",
                chair="prov-cdo",
            ),
            Body(
                id="a-committee",
                name="City A CIO committee",
                kind=BodyKind.CIO_COMMITTEE,
                jurisdiction="city-a",
                chair="a-cdo",
            ),
            Body(
                id="b-committee",
                name="City B CIO committee",
                kind=BodyKind.CIO_COMMITTEE,
                jurisdiction="city-b",
                chair="b-cdo",
            ),
            Body(
                id="prov-meeting",
                name="Provincial regular meeting",
                kind=BodyKind.REGULAR_MEETING,
                jurisdiction="prov",
                chair="prov-cdo",
            ),
            Body(
                id="a-meeting",
                name="City A regular meeting",
                kind=BodyKind.REGULAR_MEETING,
                jurisdiction="city-a",
                chair="a-cdo",
            ),
        ],
        platforms=[
            Platform(id="prov-hub", name="Provincial platform", operator="prov-data"),
            Platform(id="a-hub", name="City A platform", operator="a-data"),
            Platform(id="b-hub", name="City B platform", operator="b-data"),
        ],
        systems=[
            System(id="prov-sys", name="Provincial system", department="prov-data"),
            System(id="a-sys1", name="City A data system", department="a-data"),
            System(id="a-sys2", name="City A health system", department="a-health"),
            System(id="b-sys", name="City B registry", department="b-data"),
            System(id="b-sys2", name="City B data system", department="b-data"),
            System(id="b-sys3", name="City B health system", department="b-health"),
        ],
        resources=[
            Resource(id="b-records", name="City B records", owner="b-data", held_in="b-sys"),
        ],
        exchanges=[
            Exchange(id="prov-link", from_="prov-sys", to="prov-hub"),
            Exchange(id="b-link", from_="b-sys", to="b-hub"),
            Exchange(id="b-up", from_="b-hub", to="prov-hub"),
            Exchange(id="a-link", from_="a-sys1", to="a-hub"),
            Exchange(id="b-p2p", from_="b-sys2", to="b-sys3"),
        ],
        demands=[Demand(by="a-health", resource="b-records")],
        checks={"vacant-role": "off"},
    )


def test_province_is_valid_and_placed():
    s = province()
    assert cio_framework.validate(s) == ()
    tree = JurisdictionTree(s)
    assert [tree.of(i) for i in ("prov-hub", "a-hub", "b-sys", "a-cdo", "prov-cdo", "adviser")] == [
        "prov",
        "city-a",
        "city-b",
        "city-a",
        "prov",
        None,
    ]
    assert tree.common(["city-a", "city-b"]) == "prov"
    assert tree.common(["city-a", None]) is None
    assert tree.hub("city-a") == "a-hub"


def test_province_islands():
    report = islands(province())
    got = {
        g.id: (g.systems, g.jurisdiction, g.connected_to_platform, g.unlinked)
        for g in report.groups
    }
    assert got == {
        # the province's hub with city B's, linked: the province's group
        "b-sys": (("b-sys", "prov-sys"), "prov", True, False),
        # city A's own hub serves city A's group, but does not reach the
        # province's hub: an island of the province
        "a-sys1": (("a-sys1",), "city-a", True, True),
        "a-sys2": (("a-sys2",), "city-a", False, False),
        "b-sys2": (("b-sys2", "b-sys3"), "city-b", False, False),
    }
    assert sorted(g.id for g in report.islands) == ["a-sys1", "a-sys2", "b-sys2"]
    assert report.unlinked_jurisdictions == ("city-a",)
    within_a = islands(province(), jurisdiction="city-a")
    assert {g.id: g.connected_to_platform for g in within_a.groups} == {
        "a-sys1": True,
        "a-sys2": False,
    }
    assert within_a.unlinked_jurisdictions == ()


def test_province_decisions():
    report = priorities(province())
    assert report.hub == "prov-hub"
    by_id = {p.id: p for p in report.priorities}
    # city B's island of two departments connects to city B's hub (linked to
    # the province's), operated by city B: decided by city B's committee
    b_island = by_id["connect-b-sys2"]
    assert (b_island.jurisdiction, b_island.decided_by) == ("city-b", "b-committee")
    # the same for the point-to-point exchange inside city B
    reroute = by_id["reroute-b-p2p"]
    assert (reroute.jurisdiction, reroute.decided_by) == ("city-b", "b-committee")
    # city A's hub does not reach the province's: city A's island connects to
    # the province's hub, so the province decides, not city A's committee
    a_island = by_id["connect-a-sys2"]
    assert (a_island.jurisdiction, a_island.decided_by) == ("prov", "prov-committee")
    # city A's hub group is an island of the province
    a_hub_group = by_id["connect-a-sys1"]
    assert (a_hub_group.jurisdiction, a_hub_group.decided_by) == ("prov", "prov-committee")
    # a city-A bureau's demand on a city-B bureau: decided by the province
    demand = by_id["provide-b-records-to-a-health"]
    assert demand.departments == ("b-data", "a-health")
    assert (demand.jurisdiction, demand.decided_by) == ("prov", "prov-committee")


def test_province_checks():
    s = province()
    vacant = {
        f.ids[0]: (f.severity.value, f.jurisdiction)
        for f in check(s).findings
        if f.check == "vacant-role"
    }
    assert vacant == {"a-cdo": ("error", "city-a"), "b-cdo": ("info", "city-b")}
    in_a = check(s, jurisdiction="city-a").findings
    assert [f.ids for f in in_a if f.check == "vacant-role"] == [("a-cdo",)]
    assert all(f.jurisdiction == "city-a" for f in in_a)
    overridden = check(s, severities={"vacant-role": "warning"})
    assert sorted(f.ids[0] for f in overridden.findings if f.check == "vacant-role") == [
        "a-cdo",
        "adviser",
        "b-cdo",
    ]


def test_province_agendas():
    s = province()
    # scenario level: no meeting of its own; the province is the highest
    # jurisdiction with one
    assert agenda(s).body == "prov-meeting"
    a_items = agenda(s, body="a-meeting", items=5).items
    # city A's own issues only: its vacant CDO (an error), no integration
    # (city A's island connects to the province's hub: the province's issue)
    assert [(i.source, i.ids) for i in a_items] == [("check", ("a-cdo",))]
    prov_items = agenda(s, body="prov-meeting", items=10).items
    priorities_discussed = [i.ids[0] for i in prov_items if i.source == "priority"]
    # city B has no meeting: its issues go to the province's
    assert "connect-b-sys2" in priorities_discussed
    assert "connect-a-sys2" in priorities_discussed
    assert "provide-b-records-to-a-health" in priorities_discussed


def test_province_within_and_split():
    s = province()
    part = within(s, "city-a")
    assert [d.id for d in part.departments] == ["a-data", "a-health"]
    assert [p.id for p in part.platforms] == ["a-hub"]
    assert part.priorities.hub == "a-hub"
    assert dict(part.checks) == {"vacant-role": CheckSetting.ERROR}
    assert [p.jurisdiction for p in split(s)] == ["Province", "City A", "City B"]
    with pytest.raises(cio_framework.exceptions.UnknownNameError):
        within(s, "nowhere")


def test_within_drops_a_self_parent():
    """``within``: "J itself ... among the jurisdictions, J without its
    parent", also when J is its own parent (a cycle of length one): the part
    then has no ``jurisdiction-cycle`` finding."""
    s = Scenario(name="x", jurisdictions=[Jurisdiction(id="a", name="A", parent="a")])
    part = within(s, "a")
    assert part.jurisdictions[0].parent is None
    assert [f for f in check(part).findings if f.check == "jurisdiction-cycle"] == []


def test_a_finding_about_the_scenario_level_and_a_city_is_at_the_scenario_level():
    """A finding's jurisdiction is the lowest common jurisdiction of the
    placed elements it names: ``None`` when one of them is at the scenario
    level, whatever the others; people are passed over."""
    s = Scenario(
        name="Cycle",
        jurisdictions=[
            Jurisdiction(id="prov", name="Province"),
            Jurisdiction(id="city", name="City", parent="prov"),
        ],
        people=[Person(id="li", name="Li")],
        roles=[
            Role(id="top", title="Top", level="strategic", holder="li", reports_to="low"),
            Role(
                id="low",
                title="Low",
                level="strategic",
                holder="li",
                reports_to="top",
                jurisdiction="city",
            ),
            Role(
                id="city-only",
                title="City only",
                level="strategic",
                holder="li",
                reports_to="city-only",
                jurisdiction="city",
            ),
        ],
    )
    found = {f.ids: f.jurisdiction for f in check(s).findings if f.check == "reporting-cycle"}
    assert found == {("low", "top"): None, ("city-only",): "city"} or found == {
        ("top", "low"): None,
        ("city-only",): "city",
    }


def test_province_check_counts_by_jurisdiction_scenario_level_first_then_by_id():
    """counts_by_jurisdiction: the scenario level first, then each
    jurisdiction with findings in order of its id; the rows add up to the
    report's counts."""
    report = check(province())
    by_place = report.counts_by_jurisdiction()
    places = [f.jurisdiction for f in report.findings]
    expected = sorted(set(places), key=lambda place: (place is not None, place or ""))
    assert list(by_place) == expected
    assert len(expected) >= 3
    assert expected[0] is None
    for place, row in by_place.items():
        for severity, count in row.items():
            assert count == sum(
                1
                for f in report.findings
                if f.jurisdiction == place and f.severity.value == severity
            )


def test_unknown_jurisdiction_of_a_check_names_the_known_ones():
    from cio_framework.exceptions import UnknownNameError

    s = province()
    with pytest.raises(UnknownNameError) as caught:
        check(s, jurisdiction="city-c")
    error = caught.value
    assert (error.kind, error.name) == ("jurisdiction", "city-c")
    assert set(error.known) == set(JurisdictionTree(s).jurisdictions)
    assert "city-a" in error.known


@pytest.mark.parametrize(
    ("count", "named"),
    [(5, "5 groups (s1, s2, s3, s4, s5)"), (7, "7 groups (s1, s2, s3, s4, s5 and 2 more)")],
)
def test_the_note_names_the_groups_no_candidate_joins_and_what_helps(count, named):
    """Province systems, each its own group, cannot join the city's hub: the
    note names the first five by id, counts the rest, and says what would
    let them join."""
    text = (
        "cio_framework: 2\nname: t\njurisdictions:\n  - {id: a, name: A}\n"
        "  - {id: b, name: B, parent: a}\ndepartments:\n  - {id: d1, name: D1, jurisdiction: a}\n"
        "  - {id: d2, name: D2, jurisdiction: b}\nplatforms:\n  - {id: p, name: P, operator: d2}\n"
        "systems:\n  - {id: s0, name: S0, department: d2}\n"
        + "".join(f"  - {{id: s{i}, name: S{i}, department: d1}}\n" for i in range(count, 0, -1))
        + "exchanges:\n  - {from: s0, to: p}\n"
    )
    report = priorities(cio_framework.loads(text))
    assert report.priorities == ()
    assert report.note == (
        f"No integration joins {named} to P: no platform of "
        "its group serves the jurisdiction they would share, so they would make an island. "
        "Join a platform that serves that jurisdiction to the hub's group, or make such a "
        "platform the hub (hub: under 'priorities')."
    )


def test_a_body_whose_jurisdiction_ranks_below_others_still_gets_its_priorities():
    """City B's committee discusses city B's priorities, though the best
    ones of the province belong to others: those are passed over, not an
    end to the list."""
    s = province()
    ranked = priorities(s).priorities
    forum = ref.forums(s, chosen="b-committee")
    wanted = [p.id for p in ranked if p.score > 0 and forum[p.jurisdiction] == "b-committee"]
    assert ranked[0].id not in wanted  # the case: the best is another body's
    items = agenda(s, body="b-committee", items=len(ranked) + 1).items
    assert [i.ids[0] for i in items if i.source == "priority"] == wanted
    assert "reroute-b-p2p" in wanted
