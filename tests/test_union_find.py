"""The landscape index's union-find, against its documented contract.

``UnionFind`` documents disjoint sets with path halving and union by size;
``union_all`` is ``union`` written out for the hot loop, so the two must
build the same sets. The reference partition is networkx's connected
components of the same pairs. Union by size bounds every tree's height by
log2 of its size, which is what keeps ``find`` near-constant; the height is
read off the parent pointers without compressing them.
"""

from __future__ import annotations

import math

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from cio_framework.graph._index import UnionFind

ITEMS = [f"n{i}" for i in range(12)]
pairs = st.lists(st.tuples(st.sampled_from(ITEMS), st.sampled_from(ITEMS)), max_size=30)


def partition(uf: UnionFind, items) -> set[frozenset[str]]:
    sets: dict[str, set[str]] = {}
    for item in items:
        sets.setdefault(uf.find(item), set()).add(item)
    return {frozenset(s) for s in sets.values()}


def reference(items, edges) -> set[frozenset[str]]:
    graph = nx.Graph()
    graph.add_nodes_from(items)
    graph.add_edges_from(edges)
    return {frozenset(c) for c in nx.connected_components(graph)}


def height(uf: UnionFind, item: str) -> int:
    """Steps from ``item`` to its root, read without path halving."""
    parent = uf._parent
    steps = 0
    while parent[item] != item:
        item = parent[item]
        steps += 1
    return steps


def sizes_and_heights_hold(uf: UnionFind, items) -> None:
    for block in partition(uf, items):
        root = uf.find(next(iter(block)))
        assert uf._size[root] == len(block)
        bound = math.floor(math.log2(len(block)))
        assert all(height(uf, item) <= bound for item in block)


@given(pairs)
def test_union_builds_the_components(edges):
    uf = UnionFind(ITEMS)
    merged = 0
    for a, b in edges:
        merged += uf.union(a, b)
    assert partition(uf, ITEMS) == reference(ITEMS, edges)
    # each True merged two sets: the count of sets fell by one
    assert len(ITEMS) - merged == len(reference(ITEMS, edges))
    sizes_and_heights_hold(uf, ITEMS)


@given(pairs)
def test_union_all_builds_what_union_builds(edges):
    one_by_one, at_once = UnionFind(ITEMS), UnionFind(ITEMS)
    for a, b in edges:
        one_by_one.union(a, b)
    at_once.union_all(edges)
    assert partition(at_once, ITEMS) == partition(one_by_one, ITEMS) == reference(ITEMS, edges)
    sizes_and_heights_hold(at_once, ITEMS)


def test_union_by_size_keeps_trees_shallow():
    """Joining singletons to a growing set, from either side, never deepens
    it past one step; merging equal sets repeatedly gives height log2(n)."""
    for flipped in (False, True):
        uf = UnionFind(ITEMS)
        for item in ITEMS[1:]:
            uf.union(*((item, ITEMS[0]) if flipped else (ITEMS[0], item)))
        assert max(height(uf, item) for item in ITEMS) == 1
        assert uf._size[uf.find(ITEMS[0])] == len(ITEMS)
    items = [f"m{i}" for i in range(16)]
    uf = UnionFind(items)
    width = 1
    while width < len(items):
        uf.union_all((items[i], items[i + width]) for i in range(0, len(items), 2 * width))
        width *= 2
    assert max(height(uf, item) for item in items) == 4


def test_add_contains_and_labels():
    uf = UnionFind(["a"])
    assert "a" in uf
    assert "b" not in uf
    uf.add("b")
    assert "b" in uf
    assert uf.find("b") == "b"
    uf.union("a", "b")
    uf.add("b")  # already present: its set is kept
    assert uf.find("b") == uf.find("a")
    assert uf._size[uf.find("a")] == 2
    uf.add("c")
    labels = uf.labels()
    assert list(labels) == ["a", "b", "c"]  # the order items were added
    assert labels["a"] == labels["b"] != labels["c"] == "c"
    assert uf.union("a", "a") is False
    assert uf.union("c", "a") is True
    assert uf.union("b", "c") is False
