"""diff(old, new): what changed between two versions, and in the analyses."""

from __future__ import annotations

import json
import re

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework.analysis.diff import diff
from cio_framework.analysis.evidence import element_key
from cio_framework.config import unstructure
from cio_framework.config._plan import plan_of
from cio_framework.model import COLLECTIONS, Exchange, System
from cio_framework.testing import landscapes


@settings(max_examples=40, deadline=None)
@given(landscapes(max_systems=6))
def test_a_scenario_does_not_differ_from_itself(scenario):
    """diff(s, s) is empty, and does not depend on the order of the lists."""
    reordered = attrs.evolve(
        scenario,
        systems=scenario.systems[::-1],
        exchanges=scenario.exchanges[::-1],
        departments=scenario.departments[::-1],
    )
    found = diff(scenario, reordered)
    assert not found.changed
    assert found.collections == ()
    assert found.islands == ()
    assert found.priorities == ()


@settings(max_examples=40, deadline=None)
@given(landscapes(max_systems=6), landscapes(max_systems=6))
def test_added_one_way_is_removed_the_other(a, b):
    """What diff(a, b) adds, diff(b, a) removes; islands closed one way are new or merged back."""
    forward, backward = diff(a, b), diff(b, a)
    assert {(c.collection, k) for c in forward.collections for k in c.added} == {
        (c.collection, k) for c in backward.collections for k in c.removed
    }
    assert set(forward.barriers_new) == set(backward.barriers_resolved)
    assert set(forward.fault_zones_new) == set(backward.fault_zones_closed)
    assert {(r.id, r.old, r.new) for r in forward.priorities} == {
        (r.id, r.new, r.old) for r in backward.priorities
    }


def test_connecting_two_islands_merges_them():
    """Two single-system islands joined by a new exchange are one island, merged."""
    base = cio_framework.testing.make_scenario()
    systems = (
        System(id="a1", name="A1", department=base.departments[0].id),
        System(id="b1", name="B1", department=base.departments[0].id),
    )
    old = attrs.evolve(base, systems=systems, exchanges=())
    new = attrs.evolve(old, exchanges=(Exchange(from_="a1", to="b1"),))
    found = diff(old, new)
    assert [(i.kind, i.old, i.new) for i in found.islands] == [("merged", ("a1", "b1"), ("a1",))]
    (exchanges,) = found.collections
    assert (exchanges.collection, exchanges.added) == ("exchanges", ("a1->b1",))


def test_a_changed_field_is_reported_with_both_values():
    """A system renamed: one element changed, one field, old and new values."""
    old = cio_framework.builtin("pudong-2016")
    systems = tuple(
        attrs.evolve(s, name="Renamed") if s.id == "epb-monitoring" else s for s in old.systems
    )
    found = diff(old, attrs.evolve(old, systems=systems))
    (collection,) = found.collections
    (change,) = collection.changed
    assert change.key == "epb-monitoring"
    assert [(f.field, f.new) for f in change.fields] == [("name", "Renamed")]


def reference_island_changes(old, new):
    """The island changes from the module's definition, on the reference islands."""
    import reference

    def islands_of(scenario):
        return {
            g["id"]: set(g["systems"])
            for g in reference.islands(scenario)["groups"]
            if not g["connected_to_platform"]
        }

    before, after = islands_of(old), islands_of(new)
    found = set()
    for name, members in before.items():
        targets = {n for n, m in after.items() if m & members}
        if not targets:
            found.add(("closed", (name,), ()))
        elif len(targets) > 1:
            found.add(("split", (name,), tuple(sorted(targets))))
    for name, members in after.items():
        sources = {o for o, m in before.items() if m & members}
        if not sources:
            found.add(("new", (), (name,)))
        elif len(sources) > 1:
            found.add(("merged", tuple(sorted(sources)), (name,)))
    return found


@settings(max_examples=100, deadline=None)
@given(landscapes(max_systems=8), st.data())
def test_island_changes_match_the_reference(old, data):
    """Closed, split, merged and new islands are what the definition says,
    computed on the reference's islands, for a new version that keeps some
    of the old exchanges and adds others between the same systems."""
    ids = [s.id for s in old.systems] + [p.id for p in old.platforms]
    kept = (
        data.draw(st.lists(st.sampled_from(old.exchanges), unique_by=id)) if old.exchanges else []
    )
    added = []
    if ids:
        pairs = data.draw(
            st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=4)
        )
        added = [Exchange(from_=a, to=b) for a, b in pairs]
    new = attrs.evolve(old, exchanges=tuple(kept) + tuple(added), scenarios=())
    found = {(i.kind, i.old, i.new) for i in diff(old, new).islands}
    assert found == reference_island_changes(old, new)


# -- elements, against a reference written from the definition -------------------

MISSING = object()


def _canonical(value):
    return json.dumps(value, sort_keys=True)


def _groups(scenario, name):
    """Each key of a collection to the written data of its elements, one by
    one, a list of references (a set of ids) written in id order."""
    sets = {p.key for p in plan_of(COLLECTIONS[name]) if p.spec.kind == "tuple" and p.ref}
    found = {}
    for element in getattr(scenario, name):
        data = unstructure(element)
        for key in sets & data.keys():
            data[key] = sorted(data[key])
        found.setdefault(element_key(name, element), []).append(data)
    return found


def reference_element_changes(old, new):
    """(collection, change, key, field, old, new) rows from the module's
    definition: keys in one version only are added or removed; a key with one
    element on each side is changed in each field whose value differs or that
    one side lacks (a list of references compared as the set it names);
    several elements of one key are changed, in field ``*``, when the sorted
    canonical texts of their data differ."""
    rows = set()
    for name in COLLECTIONS:
        before, after = _groups(old, name), _groups(new, name)
        rows |= {(name, "added", k, None, None, None) for k in after.keys() - before.keys()}
        rows |= {(name, "removed", k, None, None, None) for k in before.keys() - after.keys()}
        for key in before.keys() & after.keys():
            a, b = before[key], after[key]
            if len(a) == 1 and len(b) == 1:
                for field in a[0].keys() | b[0].keys():
                    was, now = a[0].get(field, MISSING), b[0].get(field, MISSING)
                    if was != now:
                        shown = [None if v is MISSING else _canonical(v) for v in (was, now)]
                        rows.add((name, "changed", key, field, *shown))
                continue
            texts = sorted(map(_canonical, a)), sorted(map(_canonical, b))
            if texts[0] != texts[1]:
                rows.add((name, "changed", key, "*", *map(_canonical, texts)))
    return rows


def element_rows(found):
    """The same rows, read from a ScenarioDiff (in field ``*``, the canonical
    texts of the data in the order the diff gives them)."""
    rows = set()
    for c in found.collections:
        rows |= {(c.collection, "added", k, None, None, None) for k in c.added}
        rows |= {(c.collection, "removed", k, None, None, None) for k in c.removed}
        for e in c.changed:
            for f in e.fields:
                if f.field == "*":
                    old, new = (_canonical([_canonical(d) for d in v]) for v in (f.old, f.new))
                else:
                    old, new = (None if v is None else _canonical(v) for v in (f.old, f.new))
                rows.add((c.collection, "changed", e.key, f.field, old, new))
    return rows


@st.composite
def versions(draw, max_systems=6):
    """An old landscape (some exchanges without an id, some of them twice)
    and a later version of it: systems renamed, exchanges dropped, changed,
    added between its systems, and copied without an id (several exchanges
    of one key), demands dropped, as_of dropped."""
    old = draw(landscapes(max_systems=max_systems))
    # some exchanges without an id, some twice: keys with several elements
    unnamed = draw(st.booleans())
    exchanges = [attrs.evolve(e, id=None) if unnamed else e for e in old.exchanges]
    twice = draw(st.lists(st.sampled_from(exchanges), max_size=2)) if exchanges else []
    exchanges += [attrs.evolve(e, id=None) for e in twice]
    old = attrs.evolve(old, exchanges=tuple(exchanges), scenarios=())
    names = st.sampled_from(["", " v2", " <b>**x**</b>", "\x1b[31m"])
    systems = tuple(attrs.evolve(s, name=s.name + draw(names)) for s in old.systems)
    kept = draw(st.lists(st.sampled_from(old.exchanges), unique_by=id)) if old.exchanges else []
    notes = st.sampled_from([None, "moved to the cloud"])
    kept = [attrs.evolve(e, note=draw(notes)) for e in kept]
    copies = draw(st.lists(st.sampled_from(old.exchanges), max_size=3)) if old.exchanges else []
    copies = [attrs.evolve(e, id=None, note=draw(notes)) for e in copies]
    ids = [s.id for s in old.systems]
    pairs = (
        draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=3))
        if ids
        else []
    )
    added = [Exchange(from_=a, to=b) for a, b in pairs]
    demands = draw(st.lists(st.sampled_from(old.demands), unique_by=id)) if old.demands else []
    new = attrs.evolve(
        old,
        systems=systems,
        exchanges=(*kept, *copies, *added),
        demands=tuple(demands),
        scenarios=(),  # their changes may name exchanges dropped
        as_of=draw(st.sampled_from([old.as_of, None])),
    )
    return old, new


@settings(max_examples=100, deadline=None)
@given(versions())
def test_element_changes_match_the_reference(pair):
    """Added, removed and changed elements, field by field and as multisets of
    one key, are what the definition says."""
    old, new = pair
    found = diff(old, new)
    assert element_rows(found) == reference_element_changes(old, new)
    dates = [d.isoformat() if d else None for d in (old.as_of, new.as_of)]
    assert [(f.field, f.old, f.new) for f in found.fields] == (
        [("as_of", *dates)] if dates[0] != dates[1] else []
    )
    assert found.changed == bool(found.fields or found.collections)


@settings(max_examples=40, deadline=None)
@given(versions())
def test_a_diff_does_not_depend_on_the_order_of_the_lists(pair):
    """Reversing every list of both versions changes nothing in the diff."""
    old, new = pair

    def reversed_(s):
        return attrs.evolve(s, **{n: getattr(s, n)[::-1] for n in COLLECTIONS if n != "levels"})

    assert diff(reversed_(old), reversed_(new)) == diff(old, new)


# -- the analyses' deltas ---------------------------------------------------------
# The analyses have reference tests of their own; these check the diff layer:
# what it reports is what the definition makes of each version's results.


@settings(max_examples=60, deadline=None)
@given(versions())
def test_fault_zones_closed_and_new_match_the_reference(pair):
    """A fault zone is closed when the reference finds it in the old version
    only, new when in the new version only."""
    import reference

    old, new = pair
    before, after = set(reference.fault_zones(old)), set(reference.fault_zones(new))
    found = diff(old, new)
    assert found.fault_zones_closed == tuple(sorted(before - after))
    assert found.fault_zones_new == tuple(sorted(after - before))


@settings(max_examples=60, deadline=None)
@given(versions())
def test_barriers_resolved_and_new_are_by_requester_and_resource(pair):
    """A barrier is resolved when its requester:resource is a barrier of the
    old version only, new when of the new version only."""
    old, new = pair
    before, after = (
        {f"{b.by}:{b.resource}" for b in cio_framework.barriers(v).barriers} for v in (old, new)
    )
    found = diff(old, new)
    assert found.barriers_resolved == tuple(sorted(before - after))
    assert found.barriers_new == tuple(sorted(after - before))


@settings(max_examples=60, deadline=None)
@given(versions())
def test_priorities_entered_left_and_moved_by_rank(pair):
    """Each integration in one version only is listed (entered or left),
    and each of both versions that some other integration of both versions
    passed, or that passed one (moved), with its ranks (1 for the best)."""
    old, new = pair
    ranked = [[p.id for p in cio_framework.priorities(v).priorities] for v in (old, new)]
    before, after = ({key: i for i, key in enumerate(r, 1)} for r in ranked)
    both = before.keys() & after.keys()
    passed = {
        key
        for key in both
        for other in both
        if (before[key] < before[other]) != (after[key] < after[other])
    }
    expected = {
        (key, before.get(key), after.get(key)) for key in (before.keys() ^ after.keys()) | passed
    }
    found = diff(old, new).priorities
    assert {(r.id, r.old, r.new) for r in found} == expected
    assert [r.id for r in found] == sorted(r.id for r in found)
    for r in found:
        assert r.kind == ("entered" if r.old is None else "left" if r.new is None else "moved")


@settings(max_examples=60, deadline=None)
@given(versions())
def test_each_changed_indicator_is_listed_with_both_values(pair):
    """The indicators whose value differs, in the order of Indicators, old and new."""
    old, new = pair
    before, after = (attrs.asdict(cio_framework.indicators(v)) for v in (old, new))
    expected = [(k, before[k], after[k]) for k in before if before[k] != after[k]]
    assert [(f.field, f.old, f.new) for f in diff(old, new).indicators] == expected


def test_a_split_island_names_its_parts():
    """An island of three systems in a chain loses its middle link: split into two islands."""
    base = cio_framework.testing.make_scenario()
    dept = base.departments[0].id
    systems = tuple(System(id=i, name=i.upper(), department=dept) for i in ("a", "b", "c", "d"))
    chain = (Exchange(from_="a", to="b"), Exchange(from_="b", to="c"), Exchange(from_="c", to="d"))
    old = attrs.evolve(base, systems=systems, exchanges=chain)
    new = attrs.evolve(old, exchanges=(chain[0], chain[2]))
    found = diff(old, new)
    assert [(i.kind, i.old, i.new) for i in found.islands] == [("split", ("a",), ("a", "c"))]
    assert [(i.kind, i.old, i.new) for i in diff(new, old).islands] == [
        ("merged", ("a", "c"), ("a",))
    ]


def test_the_scenarios_own_fields_are_compared():
    """A new as_of alone is a change of the scenario's own fields."""
    old = cio_framework.builtin("pudong-2016")
    found = diff(old, attrs.evolve(old, as_of=None))
    assert [(f.field, f.old, f.new) for f in found.fields] == [("as_of", "2016-12-01", None)]
    assert found.changed
    assert found.collections == ()


def test_records_have_one_row_per_change_of_every_topic():
    """to_records(): the documented columns, one record per change, with
    the key each topic is named by and its old and new values or ranks."""
    from cio_framework.analysis.diff import (
        RECORD_COLUMNS,
        CollectionDiff,
        ElementChange,
        FieldChange,
        IslandChange,
        RankChange,
        ScenarioDiff,
    )

    found = ScenarioDiff(
        fields=[FieldChange(field="as_of", old="2016-12-01", new=None)],
        collections=[
            CollectionDiff(
                collection="systems",
                added=["s9"],
                removed=["s1", "s2"],
                changed=[
                    ElementChange(
                        key="s3",
                        fields=[
                            FieldChange(field="name", old="A", new="B"),
                            FieldChange(field="status", old=None, new="retired"),
                        ],
                    )
                ],
            )
        ],
        islands=[
            IslandChange(kind="closed", old=["a"], new=[]),
            IslandChange(kind="split", old=["b"], new=["b", "c"]),
            IslandChange(kind="merged", old=["e", "g"], new=["d"]),
            IslandChange(kind="new", old=[], new=["f"]),
        ],
        barriers_resolved=["msb:permits"],
        barriers_new=["epb:emissions"],
        fault_zones_closed=["licensing"],
        fault_zones_new=["inspection"],
        priorities=[
            RankChange(id="connect-x", old=None, new=2),
            RankChange(id="connect-y", old=3, new=None),
            RankChange(id="connect-z", old=4, new=1),
        ],
        indicators=[FieldChange(field="islands", old=3, new=2)],
    )
    rows = [tuple(record[c] for c in RECORD_COLUMNS) for record in found.to_records()]
    assert all(list(record) == list(RECORD_COLUMNS) for record in found.to_records())
    assert rows == [
        ("scenario", "changed", "", "as_of", "2016-12-01", None),
        ("systems", "added", "s9", None, None, None),
        ("systems", "removed", "s1", None, None, None),
        ("systems", "removed", "s2", None, None, None),
        ("systems", "changed", "s3", "name", "A", "B"),
        ("systems", "changed", "s3", "status", None, "retired"),
        ("islands", "closed", "a", None, ["a"], []),
        ("islands", "split", "b", None, ["b"], ["b", "c"]),
        ("islands", "merged", "d", None, ["e", "g"], ["d"]),
        ("islands", "new", "f", None, [], ["f"]),
        ("barriers", "resolved", "msb:permits", None, None, None),
        ("barriers", "new", "epb:emissions", None, None, None),
        ("fault_zones", "closed", "licensing", None, None, None),
        ("fault_zones", "new", "inspection", None, None, None),
        ("priorities", "entered", "connect-x", None, None, 2),
        ("priorities", "left", "connect-y", None, 3, None),
        ("priorities", "moved", "connect-z", None, 4, 1),
        ("indicators", "changed", "islands", None, 3, 2),
    ]
    html = found._repr_html_()
    assert html.count("<tr>") == len(rows) + 1  # a header row, then one per record
    assert "epb:emissions" in html
    assert ScenarioDiff()._repr_html_() == "<p>No differences.</p>"
    assert ScenarioDiff().to_records() == []
    many = ScenarioDiff(barriers_new=[f"b{i:03}" for i in range(250)])._repr_html_()
    assert len(re.findall(r"<td>b\d{3}</td>", many)) == 200  # the first 200 records,
    assert "b199" in many
    assert "b200" not in many
    assert "50 more rows" in many  # and how many more there are


def test_the_records_of_a_real_diff_name_what_changed():
    """A month's change of the built-in scenario: its records name the
    exchange removed and the island it leaves, as the diff's fields do."""
    old = cio_framework.builtin("pudong-2016")
    found = diff(old, attrs.evolve(old, exchanges=old.exchanges[1:]))
    records = found.to_records()
    assert {"topic": "exchanges", "change": "removed", "key": "oa-cloud"} in [
        {k: r[k] for k in ("topic", "change", "key")} for r in records
    ]
    islands = [r for r in records if r["topic"] == "islands"]
    assert [(r["change"], r["key"], r["old"], r["new"]) for r in islands] == [
        ("new", "gov-office-oa", [], ["gov-office-oa"])
    ]
    changed = sum(len(c.added) + len(c.removed) for c in found.collections)
    assert len([r for r in records if r["topic"] in COLLECTIONS]) == changed


def test_more_copies_of_the_same_exchange_is_a_change_of_its_key():
    """Exchanges without an id between the same systems share a key and are
    compared as a multiset: two equal copies becoming three is a change,
    listed in field '*' with the data of each copy (equal data, so the
    sort must not compare the dictionaries themselves)."""
    base = cio_framework.testing.make_scenario()
    dept = base.departments[0].id
    systems = (System(id="a", name="A", department=dept), System(id="b", name="B", department=dept))
    copy = Exchange(from_="a", to="b")
    old = attrs.evolve(base, systems=systems, exchanges=(copy, copy))
    new = attrs.evolve(old, exchanges=(copy, copy, copy))
    (exchanges,) = diff(old, new).collections
    key = element_key("exchanges", copy)
    assert (exchanges.added, exchanges.removed) == ((), ())
    (change,) = exchanges.changed
    assert change.key == key
    (field,) = change.fields
    data = {"from": "a", "to": "b"}
    assert (field.field, field.old, field.new) == ("*", [data, data], [data, data, data])
    assert diff(old, attrs.evolve(old, exchanges=(copy, copy))).collections == ()
