"""The organisation chart draws nested jurisdictions as nested boxes.

Checked as geometry on what matplotlib renders: each jurisdiction's box
holds the boxes of its own roles and bodies and the boxes of the
jurisdictions below it; boxes of jurisdictions side by side do not overlap;
no two role or body boxes overlap.
"""

from __future__ import annotations

import itertools

import pytest

import cio_framework
from cio_framework.graph.jurisdictions import JurisdictionTree
from cio_framework.model import Jurisdiction, Level, Role, Scenario

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from cio_framework.plot import MAX_NESTING, plot_org_chart  # noqa: E402

#: Pixels of slack when comparing extents.
SLACK = 0.5


def extent(artist, renderer):
    box = artist.get_window_extent(renderer)
    return (box.x0, box.y0, box.x1, box.y1)


def holds(outer, inner):
    return (
        outer[0] - SLACK <= inner[0]
        and outer[1] - SLACK <= inner[1]
        and inner[2] <= outer[2] + SLACK
        and inner[3] <= outer[3] + SLACK
    )


def meet(a, b):
    return min(a[2], b[2]) - max(a[0], b[0]) > SLACK and min(a[3], b[3]) - max(a[1], b[1]) > SLACK


def geometry(scenario):
    """Jurisdiction id to its box, and each role's or body's id to its box."""
    ax = plot_org_chart(scenario)
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    by_name = {j.name: j.id for j in scenario.jurisdictions}
    frames = [p for p in ax.patches if p.get_label() == "_jurisdiction"]
    names = [t for t in ax.texts if t.get_label() == "_jurisdiction-name"]
    places = {
        by_name[name.get_text()]: extent(frame, renderer)
        for frame, name in zip(frames, names, strict=True)
    }
    boxes = [p for p in ax.patches if p.get_label() in ("_role", "_body")]
    texts = [t for t in ax.texts if t.get_label() == "_box-text"]
    bodies = {b.name: b.id for b in scenario.bodies}
    items = {}
    for box, text in zip(boxes, texts, strict=True):
        first = text.get_text().split("\n")[0]
        if first.endswith("\u2026"):  # a long name, clipped
            (first,) = [name for name in bodies if name.startswith(first[:-1])]
        items[bodies.get(first, first)] = extent(box, renderer)
    plt.close(ax.figure)
    return places, items


def test_the_province_chart_nests_its_jurisdictions():
    scenario = cio_framework.builtin("guangdong-cdo-2021")
    tree = JurisdictionTree(scenario)
    places, items = geometry(scenario)
    assert set(places) == {"gd", "zq", "duanzhou", "gz"}
    assert set(items) == {r.id for r in scenario.roles} | {b.id for b in scenario.bodies}
    for item, box in items.items():
        place = tree.of(item)
        assert place is not None
        for j in tree.path(place):  # inside its own box and every box above it
            assert holds(places[j], box), (item, j)
        for other in set(places) - set(tree.path(place)):
            assert not holds(places[other], box), (item, other)
    for child, parent in tree.parent.items():
        if parent is not None:
            assert holds(places[parent], places[child])
    assert not meet(places["zq"], places["gz"])  # side by side, apart
    for (a, ra), (b, rb) in itertools.combinations(items.items(), 2):
        assert not meet(ra, rb), (a, b)


def test_a_deep_chain_is_nested_up_to_the_limit():
    """A chain of 12 jurisdictions draws: boxes nest MAX_NESTING deep, the
    deeper ones are drawn inside the deepest box, every role once."""
    depth = 12
    scenario = Scenario(
        name="Chain",
        levels=[Level(id="l", name="Level")],
        jurisdictions=[
            Jurisdiction(id=f"j{i}", name=f"J{i}", parent=f"j{i - 1}" if i else None)
            for i in range(depth)
        ],
        roles=[Role(id=f"r{i}", title="R", level="l", jurisdiction=f"j{i}") for i in range(depth)],
    )
    places, items = geometry(scenario)
    assert len(places) == MAX_NESTING
    assert set(items) == {f"r{i}" for i in range(depth)}
    deepest = places[f"j{MAX_NESTING - 1}"]
    for i in range(MAX_NESTING - 1, depth):
        assert holds(deepest, items[f"r{i}"])
    for (a, ra), (b, rb) in itertools.combinations(items.items(), 2):
        assert not meet(ra, rb), (a, b)


def test_without_jurisdictions_there_are_no_jurisdiction_boxes():
    places, items = geometry(cio_framework.builtin("pudong-2016"))
    assert places == {}
    assert items
