"""Evidence: sources, element statuses, finding grades and --evidence sourced."""

from __future__ import annotations

import json

import attrs
import networkx as nx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import cio_framework
import reference
from cio_framework.analysis import EvidenceIndex, sourced_only
from cio_framework.analysis.evidence import MAX_LISTED, Basis, Evidence, element_key
from cio_framework.analysis.evidence import SOURCED as SOURCED_GRADE
from cio_framework.cli import main
from cio_framework.model import (
    COLLECTIONS,
    Demand,
    EvidenceStatus,
    Exchange,
    Resource,
    ResourceCategory,
    ShareType,
    Source,
    System,
)
from cio_framework.testing import landscapes
from small_scenarios import three_departments

#: What a strategy may make of an element: its marks.
MARKS = (
    {},
    {"source": "paper ¶1"},
    {"illustrative": True},
    {"inferred": True},
    {"inferred": True, "source": "paper ¶2"},
)


@st.composite
def marked(draw, scenario):
    """``scenario`` with random evidence marks on every element, and maybe a
    scenario-wide source."""
    changes = {}
    for name in COLLECTIONS:
        if name == "levels":
            continue
        changes[name] = [
            attrs.evolve(item, **draw(st.sampled_from(MARKS))) for item in getattr(scenario, name)
        ]
    source = draw(st.sampled_from([None, "", "the whole study"]))
    return attrs.evolve(scenario, source=source, **changes)


def marked_landscapes():
    return landscapes(max_systems=8, explicit_hub=True).flatmap(marked)


# -- element statuses --------------------------------------------------------------


def test_status_follows_the_marks_illustrative_first():
    """illustrative wins over inferred, inferred over a citation; no citation is unsourced."""
    system = System(id="a", name="A", department="d")
    assert system.evidence_status is EvidenceStatus.UNSOURCED
    assert attrs.evolve(system, source="x").evidence_status is EvidenceStatus.SOURCED
    assert attrs.evolve(system, source="  ").evidence_status is EvidenceStatus.UNSOURCED
    both = attrs.evolve(system, source="x", inferred=True, illustrative=True)
    assert both.evidence_status is EvidenceStatus.ILLUSTRATIVE
    assert attrs.evolve(both, illustrative=False).evidence_status is EvidenceStatus.INFERRED


@given(
    landscapes(max_systems=8).flatmap(marked),
    st.sampled_from([{"source": "  "}, {"source": "\t"}, {}]),
)
def test_the_fast_filter_keeps_exactly_the_elements_not_sourced(scenario, blank):
    """``EvidenceIndex.weak`` (one C-level read of the marks) agrees with
    :meth:`~EvidenceIndex.status`, element by element, and ``of_id`` gives
    every id its collection and status, the sourced ones included."""
    systems = [attrs.evolve(s, **blank) if i % 2 else s for i, s in enumerate(scenario.systems)]
    scenario = attrs.evolve(scenario, systems=systems)
    index = EvidenceIndex(scenario)
    for name in COLLECTIONS:
        elements = list(getattr(scenario, name))
        careful = [e for e in elements if index.status(e) is not EvidenceStatus.SOURCED]
        assert index.weak(elements) == careful
        for element in elements:
            if isinstance(getattr(element, "id", None), str):
                assert index.of_id(element.id) == (name, index.status(element))
    assert index.of_id("no-such-element") is None


@given(landscapes(max_systems=8).flatmap(marked))
def test_an_element_placed_by_position_is_graded_as_the_element(scenario):
    """``of(at=...)`` (a byte per element, read without a call, as checks
    grade a million findings) grades the element at that position as
    ``of(elements=...)`` grades the element itself, alone and with ids."""
    index = EvidenceIndex(scenario)
    ids = [e.id for e in scenario.systems[:2]]
    for name in COLLECTIONS:
        for position, element in enumerate(getattr(scenario, name)):
            status = index.status(element)
            alone = index.of(at=[(name, position)])
            assert alone == index.of(elements=[(name, element)])
            expected = (
                []
                if status is EvidenceStatus.SOURCED
                else [Basis(collection=name, key=element_key(name, element), status=status)]
            )
            assert (alone.grade, list(alone.weak)) == (status, expected)
            assert index.of(ids=ids, at=[(name, position)]) == index.of(
                ids=ids, elements=[(name, element)]
            )


@given(landscapes(max_systems=8).flatmap(marked), st.data())
def test_weak_names_hold_every_name_a_grade_could_find_weak(scenario, data):
    """A finding resting on ids and on exchanges named by key is sourced
    exactly when none of its names is among ``weak_names("exchanges")``:
    every such name is an element not sourced, and no other name is."""
    index = EvidenceIndex(scenario)
    weak = index.weak_names("exchanges")
    names = [e.id for name in COLLECTIONS for e in getattr(scenario, name) if hasattr(e, "id")]
    names += [element_key("exchanges", e) for e in scenario.exchanges]
    names = sorted({n for n in names if isinstance(n, str)} | {"no-such-element"})
    for name in names:
        grade = index.of(ids=[name], keys=[("exchanges", name)])
        assert (name in weak) == (not grade.sourced), name
    chosen = data.draw(st.lists(st.sampled_from(names), max_size=3))
    grade = index.of(ids=chosen, keys=[("exchanges", n) for n in chosen])
    assert grade.sourced == weak.isdisjoint(chosen)


def test_scenario_source_covers_unsourced_elements_only():
    """A scenario-wide source makes unsourced elements sourced, never illustrative ones."""
    scenario = three_departments(
        source="study",
        systems=[
            System(id="a1", name="A1", department="a"),
            System(id="b1", name="B1", department="b", illustrative=True),
        ],
    )
    index = EvidenceIndex(scenario)
    assert index.of(ids=["a1"]).sourced
    assert index.of(ids=["b1"]).grade is EvidenceStatus.ILLUSTRATIVE


def test_combine_takes_the_worst_and_caps_the_list():
    """Combining grades keeps the worst status and lists at most MAX_LISTED elements."""
    weak = [
        Evidence(
            grade=EvidenceStatus.INFERRED,
            weak=[Basis(collection="systems", key=f"s{i:02}", status=EvidenceStatus.INFERRED)],
        )
        for i in range(MAX_LISTED + 3)
    ]
    bad = Evidence(
        grade=EvidenceStatus.ILLUSTRATIVE,
        weak=[Basis(collection="demands", key="x", status=EvidenceStatus.ILLUSTRATIVE)],
    )
    combined = Evidence.combine([*weak, bad])
    assert combined.grade is EvidenceStatus.ILLUSTRATIVE
    assert len(combined.weak) == MAX_LISTED
    assert combined.more
    assert combined.weak[0].key == "x"  # demands sort before systems
    assert Evidence.combine([]).sourced


STATUS_ORDER = ["sourced", "inferred", "unsourced", "illustrative"]  # best to worst, as documented

bases = st.builds(
    Basis,
    collection=st.sampled_from(["systems", "demands", "roles"]),
    key=st.sampled_from(["a", "b", "c", "d"]),
    status=st.sampled_from([s for s in EvidenceStatus if s is not EvidenceStatus.SOURCED]),
)
grades = st.builds(
    Evidence,
    grade=st.sampled_from(list(EvidenceStatus)),
    weak=st.lists(bases, max_size=6),
    more=st.booleans(),
)


def assert_combined_by_definition(parts, combined):
    """``combined`` against the definition of combining ``parts``, written
    here: the worst status; every distinct element listed (collection, key,
    status), in that order, the first MAX_LISTED; ``more`` when there were
    others; sourced when the worst is sourced."""
    worst = max((p.grade.value for p in parts), key=STATUS_ORDER.index, default="sourced")
    assert combined.grade.value == worst
    if worst == "sourced":
        assert combined == SOURCED_GRADE
        return
    every = sorted({(b.collection, b.key, b.status.value) for p in parts for b in p.weak})
    assert [(b.collection, b.key, b.status.value) for b in combined.weak] == every[:MAX_LISTED]
    assert combined.more == (any(p.more for p in parts) or len(every) > MAX_LISTED)


@settings(max_examples=300, deadline=None)
@given(st.lists(grades, max_size=6))
def test_combine_follows_its_definition(parts):
    """Evidence.combine against the definition, written here."""
    assert_combined_by_definition(parts, Evidence.combine(parts))
    assert_combined_by_definition(parts, Evidence.combine(iter(parts)))


few_bases = st.lists(bases, max_size=2)
few_grades = st.builds(
    Evidence, grade=st.sampled_from(list(EvidenceStatus)), weak=few_bases, more=st.booleans()
)


@settings(max_examples=300, deadline=None)
@given(few_grades, few_grades, st.sampled_from([list, tuple, iter]))
def test_combine_of_two_grades_follows_its_definition(first, second, container):
    """Two grades listing two elements between them (the pair path of
    :meth:`Evidence.combine`, taken for a list or a tuple: most integrations
    combine two departments) follow the same definition as any other
    combination, their bases in any order, repeated or not."""
    parts = container([first, second])
    assert_combined_by_definition([first, second], Evidence.combine(parts))


@settings(max_examples=50, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(min_value=7, max_value=12))
def test_combine_of_many_grades_lists_the_least_of_all(random, count):
    """Beyond a few dozen elements :func:`Evidence.combine` keeps the least
    by a heap instead of sorting them all: the same definition holds."""
    keys = list(range(count * MAX_LISTED))  # 70 to 120 distinct elements
    random.shuffle(keys)
    parts = []
    for part in range(count):
        status = random.choice([EvidenceStatus.INFERRED, EvidenceStatus.ILLUSTRATIVE])
        chunk = keys[part * MAX_LISTED : (part + 1) * MAX_LISTED]
        weak = [Basis(collection="systems", key=f"s{k:03}", status=status) for k in chunk]
        parts.append(Evidence(grade=status, weak=weak))
    every = sorted({(b.collection, b.key, b.status.value) for p in parts for b in p.weak})
    combined = Evidence.combine(parts)
    assert [(b.collection, b.key, b.status.value) for b in combined.weak] == every[:MAX_LISTED]
    assert combined.more


def test_findings_about_one_element_share_its_basis():
    s = three_departments()
    s = attrs.evolve(s, systems=[attrs.evolve(x, illustrative=True) for x in s.systems])
    index = EvidenceIndex(s)
    system = s.systems[0].id
    first, second = index.of(ids=[system]), index.of(ids=[system, s.systems[1].id])
    assert first.weak[0] == Basis(
        collection="systems", key=system, status=EvidenceStatus.ILLUSTRATIVE
    )
    assert first.weak[0] is second.weak[0]  # made once, however many findings


# -- citations and sources ---------------------------------------------------------

CITED = """\
cio_framework: 1
name: Cited
sources:
  - {id: paper, title: A paper, date: 2016-11-24, language: en}
  - {id: law, title: A law, year: 2016, translation_of: paper}
departments:
  - {id: a, name: A, source: "paper ¶3"}
  - {id: b, name: B, source: "law art. 5; paper ¶4"}
"""


def test_sources_load_and_citations_name_them():
    """Sources load with their fields; citations naming them are accepted."""
    scenario = cio_framework.loads(CITED)
    assert scenario.sources[0] == Source(
        id="paper", title="A paper", date=__import__("datetime").date(2016, 11, 24), language="en"
    )
    assert scenario.sources[1].translation_of == "paper"
    assert scenario.get("b").source == "law art. 5; paper ¶4"


@pytest.mark.parametrize("fast", [True, False], ids=["plain", "careful"])
def test_unknown_source_in_a_citation_is_located_with_a_hint(fast):
    """A citation naming no listed source is an error at its line, with the nearest id."""
    text = CITED.replace('source: "paper ¶3"', 'source: "papr ¶3"')
    if not fast:  # an unknown key sends the element down the careful path
        text = text.replace("{id: a, name: A,", "{id: a, name: A, pilot: maybe,")
    with pytest.raises(cio_framework.ConfigError) as raised:
        cio_framework.loads(text, name="cited.yaml")
    problems = [p for p in raised.value.problems if "papr" in p.message]
    assert len(problems) == 1
    problem = problems[0]
    assert problem.line == 7
    assert problem.path.endswith("departments[0].source")
    assert "paper" in (problem.hint or "")


def test_citations_are_free_text_while_no_source_is_listed():
    """Without a sources list, any citation text is accepted, as in version 1 files."""
    text = CITED.split("sources:")[0] + "departments:\n  - {id: a, name: A, source: anything}\n"
    assert cio_framework.loads(text).get("a").source == "anything"


def test_a_source_id_is_an_id_like_any_other():
    """A source id may not repeat another element's id."""
    text = CITED.replace("{id: law,", "{id: a,").replace("law art. 5", "a art. 5")
    with pytest.raises(cio_framework.ConfigError, match="duplicate id 'a'"):
        cio_framework.loads(text)


# -- finding grades against the reference ------------------------------------------


@settings(max_examples=60)
@given(marked_landscapes())
def test_group_grades_match_the_reference(scenario):
    """Each group's grade is that of its systems, platforms, departments and
    joining exchanges, by the documented definition."""
    assert cio_framework.islands(scenario).to_dict() == reference.islands(scenario)


def barrier_basis(scenario, demand):
    """What a barrier rests on: the demand, its resource, the two departments
    and the system holding the resource."""
    resource = next(r for r in scenario.resources if r.id == demand.resource)
    wanted = {resource.owner, demand.by, resource.held_in, resource.id}
    found = [("demands", demand.key, demand)]
    for name in ("departments", "systems", "resources"):
        found += [(name, e.id, e) for e in getattr(scenario, name) if e.id in wanted]
    return found


@settings(max_examples=60)
@given(marked_landscapes())
def test_barrier_grades_match_the_reference(scenario):
    """Each barrier's grade is that of its demand, resource, holder and departments."""
    demands = {d.key: d for d in scenario.demands}
    assume(len(demands) == len(scenario.demands))  # a barrier names its demand by key
    report = cio_framework.barriers(scenario)
    for barrier in report.barriers:
        expected = reference.evidence(scenario, barrier_basis(scenario, demands[barrier.demand]))
        assert barrier.to_dict()["evidence"] == expected


@settings(max_examples=50)
@given(marked_landscapes())
def test_an_integration_rests_on_the_groups_it_joins(scenario):
    """Every element not sourced of a joined group shows in the integration's grade."""
    report = cio_framework.priorities(scenario)
    for integration in report.priorities:
        grade = integration.evidence
        for group_id in integration.groups:
            group = report.groups[group_id].evidence
            assert grade.grade.rank >= group.grade.rank
            if not grade.more:
                assert set(group.weak) <= set(grade.weak)


class _NamesEverything(frozenset):
    """A ``weak_names`` answer that sends every reroute down :meth:`EvidenceIndex.of`."""

    def isdisjoint(self, other):
        return False


@st.composite
def rerouting_landscapes(draw):
    """A small landscape of one of synth's shapes (hundreds of reroutes),
    its systems and exchanges marked at random, some exchanges without an id."""
    from cio_framework.synth import SHAPES, synth_text

    shape, seed = draw(st.sampled_from(SHAPES)), draw(st.integers(0, 2**16))
    scenario = cio_framework.loads(synth_text(20, shape=shape, seed=seed))
    random = draw(st.randoms(use_true_random=False))
    # few marks: a reroute's exchange and systems are then often all sourced
    odds = draw(st.sampled_from([0.0, 0.05, 0.3]))

    def mark(element):
        return (
            attrs.evolve(element, **random.choice(MARKS[1:])) if random.random() < odds else element
        )

    exchanges = [
        attrs.evolve(mark(e), id=e.id if random.random() < 0.5 else None)
        for e in scenario.exchanges
    ]
    systems = [mark(s) for s in scenario.systems]
    departments = [mark(d) for d in scenario.departments]
    return attrs.evolve(scenario, exchanges=exchanges, systems=systems, departments=departments)


@settings(max_examples=30, deadline=None)
@given(rerouting_landscapes())
def test_a_reroute_graded_without_a_call_is_graded_as_by_one(scenario):
    """The integrations' grades are the same whether a reroute's own grade
    is found sourced by ``weak_names`` alone or always worked out by
    :meth:`EvidenceIndex.of` (the careful path)."""
    fast = cio_framework.priorities(scenario).to_dict()
    assert any(p["kind"] == "reroute_exchange" for p in fast["priorities"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(EvidenceIndex, "weak_names", lambda self, collection: _NamesEverything())
        careful = cio_framework.priorities(scenario).to_dict()
    assert fast == careful


@settings(max_examples=30, deadline=None)
@given(rerouting_landscapes())
def test_a_reroute_rests_on_its_exchange_systems_departments_and_groups(scenario):
    """With nothing to credit reaching a group or a department (no demands,
    no matters), a reroute's grade is, by the documented definition, that of
    its subject (every exchange of its key, and its two systems), the
    departments at its ends and the groups it joins (their systems,
    platforms, departments and joining exchanges)."""
    scenario = attrs.evolve(scenario, demands=[], matters=[])
    land = reference.landscape(scenario)
    components = {}
    for component in nx.connected_components(land.graph):
        members = [n for n in component if n in land.systems]
        if members:
            components[min(members)] = component
    of_key = {}
    for exchange in scenario.exchanges:
        of_key.setdefault(element_key("exchanges", exchange), []).append(exchange)
    systems = {s.id: s for s in scenario.systems}
    departments = {d.id: d for d in scenario.departments}
    checked = 0
    for integration in cio_framework.priorities(scenario).priorities:
        key = integration.id.removeprefix("reroute-")
        if integration.kind != "reroute_exchange" or key not in of_key:
            continue  # an id told apart by a number names no key
        moved = of_key[key]
        ends = {moved[0].from_, moved[0].to}
        rests_on = [("exchanges", key, e) for e in moved]
        rests_on += [("systems", s, systems[s]) for s in sorted(ends)]
        rests_on += [("departments", d, departments[d]) for d in integration.departments]
        for group in integration.groups:
            rests_on += reference._group_basis(scenario, land, components[group])
        expected = reference.evidence(scenario, rests_on)
        assert integration.to_dict()["evidence"] == expected, integration.id
        checked += 1
    assert checked


@settings(max_examples=40)
@given(marked_landscapes())
def test_a_wholly_sourced_scenario_grades_every_finding_sourced(scenario):
    """Clearing every mark and citing a source makes every finding sourced."""
    clean = {
        name: [
            attrs.evolve(e, illustrative=False, inferred=False, source="s")
            for e in getattr(scenario, name)
        ]
        for name in COLLECTIONS
    }
    scenario = attrs.evolve(scenario, **clean)
    graded = [g.evidence for g in cio_framework.islands(scenario).groups]
    graded += [b.evidence for b in cio_framework.barriers(scenario).barriers]
    graded += [p.evidence for p in cio_framework.priorities(scenario).priorities]
    graded += [f.evidence for f in cio_framework.check(scenario).findings]
    assert all(g.sourced for g in graded)


def test_check_findings_rest_on_what_they_name():
    """A point-to-point exchange marked illustrative grades its check finding illustrative."""
    scenario = three_departments(
        source="study",
        systems=[
            System(id="a1", name="A1", department="a"),
            System(id="a2", name="A2", department="a"),
        ],
        exchanges=[Exchange(id="p2p", from_="a1", to="a2", illustrative=True)],
    )
    found = [f for f in cio_framework.check(scenario).findings if "p2p" in f.ids]
    assert found
    assert all(f.evidence.grade is EvidenceStatus.ILLUSTRATIVE for f in found)
    assert found[0].to_dict()["evidence"]["not_sourced"] == [
        {"collection": "exchanges", "key": "p2p", "status": "illustrative"}
    ]


# -- keeping the sourced elements only ---------------------------------------------


def kept_by_definition(scenario):
    """The (collection, key) of every element sourced_only keeps, by a fixpoint
    over the documented rule: sourced, and every reference that cannot be
    emptied (no default, or a default naming something) kept."""
    index = EvidenceIndex(scenario)
    alive = {
        (name, cio_framework.analysis.element_key(name, e)): e
        for name in COLLECTIONS
        for e in getattr(scenario, name)
        if name in ("sources", "levels") or index.status(e) is EvidenceStatus.SOURCED
    }
    all_ids = {getattr(e, "id", None) for name in COLLECTIONS for e in getattr(scenario, name)}
    while True:
        ids = {getattr(e, "id", None) for e in alive.values()}
        gone = all_ids - ids
        dead = [
            key
            for key, e in alive.items()
            if key[0] not in ("sources", "levels", "scenarios")
            and any(
                getattr(e, a.name) in gone
                for a in attrs.fields(type(e))
                if (a.default is attrs.NOTHING or isinstance(a.default, str))
                and a.metadata.get("cio_framework", {}).get("ref")
                and isinstance(getattr(e, a.name), str)
            )
        ]
        if not dead:
            return set(alive)
        for key in dead:
            del alive[key]


@settings(max_examples=50)
@given(marked_landscapes())
def test_sourced_only_keeps_exactly_what_the_rule_keeps(scenario):
    """The reduced scenario is valid, holds sourced elements only, and keeps
    every element the rule keeps."""
    reduced, left_out = sourced_only(scenario)
    cio_framework.validate(reduced)
    assert not cio_framework.validate(reduced)
    kept = {
        (name, cio_framework.analysis.element_key(name, e))
        for name in COLLECTIONS
        for e in getattr(reduced, name)
        if name != "scenarios"
    }
    expected = {key for key in kept_by_definition(scenario) if key[0] != "scenarios"}
    assert kept == expected
    index = EvidenceIndex(reduced)
    assert all(
        index.status(e) is EvidenceStatus.SOURCED
        for name in COLLECTIONS
        if name not in ("sources", "levels", "scenarios")
        for e in getattr(reduced, name)
    )
    keys = [
        (name, cio_framework.analysis.element_key(name, e))
        for name in COLLECTIONS
        for e in getattr(scenario, name)
    ]
    shared = {key for key in keys if keys.count(key) > 1}  # exchanges a->b without ids
    assert {(b.collection, b.key) for b in left_out}.isdisjoint(kept - shared)


def test_sourced_only_drops_an_invented_demand_and_its_barrier():
    """The invented demand's barrier disappears when computing on sourced elements."""
    scenario = three_departments(
        source="study",
        systems=[
            System(id="a1", name="A1", department="a"),
            System(id="b1", name="B1", department="b"),
        ],
        resources=[Resource(id="r", name="R", owner="a", held_in="a1")],
        demands=[Demand(by="b", resource="r", illustrative=True)],
    )
    assert cio_framework.barriers(scenario).barriers
    reduced, left_out = sourced_only(scenario)
    assert not cio_framework.barriers(reduced).barriers
    assert [(b.collection, b.key) for b in left_out] == [("demands", "b:r")]


# -- command line ----------------------------------------------------------------------


def test_report_marks_findings_on_illustrative_data(capsys):
    """The built-in Pudong report marks the findings that rest on illustrative data."""
    assert main(["report", "builtin:pudong-2016"]) == 0
    text = capsys.readouterr().out
    assert "Evidence: " in text
    assert "[partly illustrative: " in text


def test_evidence_sourced_says_what_it_left_out(capsys):
    """--evidence sourced computes on sourced elements and says so on stderr."""
    assert main(["priorities", "builtin:pudong-2016", "--evidence", "sourced"]) == 0
    captured = capsys.readouterr()
    assert "computing on sourced elements only" in captured.err
    assert "illustrative" not in captured.out


def test_json_outputs_carry_the_grade(capsys):
    """Every priority in the JSON output has its evidence."""
    assert main(["priorities", "builtin:pudong-2016", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    grades = {p["evidence"]["grade"] for p in data["priorities"]}
    assert grades <= {"sourced", "inferred", "unsourced", "illustrative"}
    assert "illustrative" in grades


@settings(max_examples=50)
@given(marked_landscapes())
def test_fault_zone_grades_match_the_reference(scenario):
    """Each fault zone's grade is that of its matter, departments, needed
    resources and the systems holding the missing ones."""
    matters = {m.id: m for m in scenario.matters}
    elements = {
        e.id: (name, e)
        for name in COLLECTIONS
        for e in getattr(scenario, name)
        if isinstance(getattr(e, "id", None), str)
    }
    for zone in cio_framework.fault_zones(scenario).zones:
        matter = matters[zone.matter]
        wanted = {
            matter.id,
            matter.approved_by,
            matter.supervised_by,
            matter.registered_by,
            *matter.supervision_data,
            *matter.needs,
        }
        for missing in zone.missing:
            wanted.add(next(r.held_in for r in scenario.resources if r.id == missing))
        basis = [(elements[i][0], i, elements[i][1]) for i in wanted if i in elements]
        assert zone.to_dict()["evidence"] == reference.evidence(scenario, basis)


def test_an_override_does_not_raise_a_finding_on_invented_data():
    """A pack or scenario override raises a finding to error only when it is not illustrative."""
    resources = [
        Resource(
            id="base",
            name="Base",
            owner="a",
            category=ResourceCategory.BASE,
            share=ShareType.CONDITIONAL,
        )
    ]
    scenario = three_departments(source="study", resources=resources)
    raised = {"base-resource-not-unconditional": "error"}
    (finding,) = cio_framework.check(scenario, only=raised, severities=raised).findings
    assert finding.severity is cio_framework.Severity.ERROR
    invented = attrs.evolve(scenario, resources=[attrs.evolve(resources[0], illustrative=True)])
    (finding,) = cio_framework.check(invented, only=raised, severities=raised).findings
    assert finding.severity is cio_framework.Severity.WARNING
    lowered = {"base-resource-not-unconditional": "info"}
    (finding,) = cio_framework.check(invented, only=lowered, severities=lowered).findings
    assert finding.severity is cio_framework.Severity.INFO


def test_pudong_with_the_sharing_pack_stays_valid():
    """The 2016 sharing measures' pack does not make the built-in's invented base resource an error."""
    text = cio_framework.data.builtin_text("pudong-2016").replace(
        "cio_framework: 1\n", "cio_framework: 1\nuses: [china-2016-sharing]\n", 1
    )
    assert cio_framework.check(cio_framework.loads(text)).ok


def expected_content(element, gone):
    """The element with its references to ``gone`` removed, by the documented rule."""
    changes = {}
    for a in attrs.fields(type(element)):
        info = a.metadata.get("cio_framework", {})
        value = getattr(element, a.name)
        if attrs.has(type(value)):
            changes[a.name] = expected_content(value, gone)
        if not (info.get("ref") or info.get("key_ref")):
            continue
        if isinstance(value, str) and value in gone:
            changes[a.name] = None
        elif isinstance(value, tuple):
            changes[a.name] = tuple(v for v in value if v not in gone)
        elif isinstance(value, cio_framework.model.FrozenMap):
            changes[a.name] = {k: v for k, v in value.items() if k not in gone}
    return attrs.evolve(element, **changes)


@settings(max_examples=60)
@given(cio_framework.testing.scenarios())
def test_sourced_only_clears_references_to_what_it_left_out(scenario):
    """Kept elements lose exactly their references to left-out elements: lists
    and RACI letters drop them, optional references are emptied; sources and
    the what-if variants naming nothing left out are kept."""
    reduced, left_out = sourced_only(scenario)
    assert not cio_framework.validate(reduced)
    assert reduced.sources == scenario.sources
    before = {
        e.id: e
        for name in COLLECTIONS
        for e in getattr(scenario, name)
        if isinstance(getattr(e, "id", None), str)
    }
    after = {
        e.id
        for name in COLLECTIONS
        for e in getattr(reduced, name)
        if isinstance(getattr(e, "id", None), str)
    }
    gone = set(before) - after  # the ids left out (keys of elements without one are not ids)
    assert gone <= {b.key for b in left_out}
    for name in COLLECTIONS:
        if name in ("sources", "levels", "scenarios"):
            continue
        for element in getattr(reduced, name):
            found = getattr(element, "id", None)
            if isinstance(found, str):
                assert element == expected_content(before[found], gone)
    variants = {v.id for v in reduced.scenarios}
    for variant in scenario.scenarios:
        named = set(_all_refs(variant))
        assert (variant.id in variants) == named.isdisjoint(gone)


def _all_refs(value):
    """Every id an attrs value, or one nested in it, refers to."""
    if isinstance(value, tuple):
        for item in value:
            yield from _all_refs(item)
        return
    if not attrs.has(type(value)):
        return
    for a in attrs.fields(type(value)):
        field = getattr(value, a.name)
        info = a.metadata.get("cio_framework", {})
        if info.get("ref") or info.get("key_ref"):
            for n in (
                field if isinstance(field, (tuple, cio_framework.model.FrozenMap)) else (field,)
            ):
                if isinstance(n, str):
                    yield n
        else:
            yield from _all_refs(field)


def test_element_keys_name_elements_without_ids():
    """Elements without an id are named by what they are, as documented."""
    import datetime as dt

    from cio_framework.analysis.evidence import element_key
    from cio_framework.model import Appraisal, Candidate, Meeting

    key = element_key
    assert key("exchanges", Exchange(from_="a", to="b")) == "a->b"
    assert key("exchanges", Exchange(id="x", from_="a", to="b")) == "x"
    assert key("demands", Demand(by="d", resource="r")) == "d:r"
    assert key("candidates", Candidate(person="p", role="r")) == "p:r"
    day = dt.date(2016, 5, 16)
    assert key("meetings", Meeting(date=day, body="b", convened_by="c")) == "b@2016-05-16"
    assert key("meetings", Meeting(date=day, convened_by="c")) == "c@2016-05-16"
    assert key("meetings", Meeting(date=day)) == "meeting@2016-05-16"
    assert key("appraisals", Appraisal(department="d", includes_cio_work=True)) == "d"


def test_keys_find_every_element_without_an_id_of_the_key():
    """A key shared by exchanges without ids grades as the worst of them and
    lists each of their statuses, as the definition lists elements (by
    collection, key and status); a key of the wrong collection, or of
    nothing, is ignored."""
    scenario = three_departments(
        source="study",
        systems=[
            System(id="a1", name="A1", department="a"),
            System(id="a2", name="A2", department="a"),
        ],
        exchanges=[
            Exchange(from_="a1", to="a2", inferred=True),
            Exchange(from_="a1", to="a2", illustrative=True),
            Exchange(id="named", from_="a2", to="a1", inferred=True),
        ],
    )
    index = EvidenceIndex(scenario)
    grade = index.of(keys=[("exchanges", "a1->a2")])
    assert grade.grade is EvidenceStatus.ILLUSTRATIVE
    assert [(b.key, b.status) for b in grade.weak] == [
        ("a1->a2", EvidenceStatus.ILLUSTRATIVE),
        ("a1->a2", EvidenceStatus.INFERRED),
    ]
    assert grade == index.of(elements=[("exchanges", e) for e in scenario.exchanges[:2]])
    both = index.of(keys=[("exchanges", "a1->a2"), ("exchanges", "named")])
    assert [(b.key, b.status) for b in both.weak] == [
        ("a1->a2", EvidenceStatus.ILLUSTRATIVE),
        ("a1->a2", EvidenceStatus.INFERRED),
        ("named", EvidenceStatus.INFERRED),
    ]
    assert index.of(keys=[("exchanges", "named")]).grade is EvidenceStatus.INFERRED
    assert index.of(keys=[("systems", "named"), ("exchanges", "zz")]).sourced
    assert index.of_id("named") == ("exchanges", EvidenceStatus.INFERRED)
    assert index.of_id("a1") == ("systems", EvidenceStatus.SOURCED)


def test_combine_keeps_more_and_sourced_alone_is_sourced():
    """A grade that had more elements than it listed keeps saying so when combined."""
    basis = Basis(collection="systems", key="s", status=EvidenceStatus.UNSOURCED)
    many = Evidence(grade=EvidenceStatus.UNSOURCED, weak=[basis], more=True)
    combined = Evidence.combine([SOURCED_GRADE, many])
    assert combined.more
    assert combined.grade is EvidenceStatus.UNSOURCED
    assert str(combined) == "partly unsourced: systems s, ..."
    assert Evidence.combine([SOURCED_GRADE, SOURCED_GRADE]) is SOURCED_GRADE


def _priorities_json_both_ways(scenario):
    """``priorities --format json``'s text, and the generic writer's text of
    the same document (every row encoded on its own)."""
    import argparse
    import io

    from cio_framework.cli import _json_rows, _rank

    generic = io.StringIO()
    _json_rows(cio_framework.priorities(scenario).to_dict(), "priorities", generic)
    written = io.StringIO()
    _rank(argparse.Namespace(budget=None, top=None, format="json"), scenario, written)
    return written.getvalue(), generic.getvalue()


@settings(max_examples=40, deadline=None)
@given(marked_landscapes())
def test_priorities_json_encodes_shared_evidence_as_each_row_would(scenario):
    """The command encodes an evidence object shared by several candidates
    once: its text is the one encoding every row on its own gives."""
    written, generic = _priorities_json_both_ways(scenario)
    assert written == generic


@pytest.mark.parametrize("shape", ["dominant-island", "synth"])
def test_priorities_json_with_much_shared_evidence(shape):
    """On synth's landscapes many candidates share an evidence object (the
    case the command's writer is for), and the text is still the same."""
    from cio_framework.synth import synth_text

    scenario = cio_framework.loads(synth_text(300, shape=shape, seed=3))
    candidates = cio_framework.priorities(scenario).priorities
    shared = len(candidates) - len({id(c.evidence) for c in candidates})
    assert shared > len(candidates) // 4
    assert any(not c.evidence.sourced for c in candidates)
    written, generic = _priorities_json_both_ways(scenario)
    assert written == generic
