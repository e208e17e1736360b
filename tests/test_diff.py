"""diff(old, new): what changed between two versions, and in the analyses."""

from __future__ import annotations

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework.analysis.diff import diff
from cio_framework.model import Exchange, System
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
