"""The pictures' layout: nothing drawn on top of anything else, checked as geometry.

Two kinds of checks. The pure layout functions (``cio_framework._plot_layout``)
are checked on the rectangles they return, for any sizes and any nesting
(Hypothesis), against definitions written here: two rectangles overlap when
their interiors meet. The drawn pictures are checked on what matplotlib would
render: the window extents of the texts (``get_window_extent`` with the
figure's renderer) and of the boxes, at the size a new figure gets, on the
built-in scenarios and on generated ones. Then the fonts: Chinese drawn with
a CJK font when one is found, escapes and a footnote without one, and never
a warning; and no trace left on the process.
"""

from __future__ import annotations

import itertools
import logging
import math
import warnings

import attrs
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework._escape import UNSAFE
from cio_framework._plot_layout import (
    Component,
    Leaf,
    Nest,
    Rect,
    flow_layout,
    landscape_layout,
    layers,
    shelf_pack,
)
from cio_framework.graph import to_networkx
from cio_framework.model import (
    Body,
    Department,
    Exchange,
    Level,
    Person,
    Platform,
    Role,
    System,
)
from cio_framework.synth import synth_text
from cio_framework.testing import landscapes, make_scenario, scenarios
from measure import calls

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from cio_framework import _plot_text, plot  # noqa: E402
from cio_framework.plot import (  # noqa: E402
    figure_svg,
    plot_landscape,
    plot_org_chart,
    plot_priorities,
)

# -- definitions written here ------------------------------------------------------------


#: Rounding in sums of floats: rectangles closer than this only touch.
EPSILON = 1e-9


def meet(a: Rect, b: Rect) -> bool:
    """Whether the interiors of two rectangles meet (touching edges do not)."""
    return (
        max(a.x0, b.x0) < min(a.x1, b.x1) - EPSILON and max(a.y0, b.y0) < min(a.y1, b.y1) - EPSILON
    )


def inside(outer: Rect, inner: Rect, slack: float = 1e-9) -> bool:
    return (
        outer.x0 - slack <= inner.x0
        and inner.x1 <= outer.x1 + slack
        and outer.y0 - slack <= inner.y0
        and inner.y1 <= outer.y1 + slack
    )


def meeting_pairs(rects):
    """Index pairs of rectangles whose interiors meet."""
    return [(i, j) for (i, a), (j, b) in itertools.combinations(enumerate(rects), 2) if meet(a, b)]


# -- the pure layout: rectangles -------------------------------------------------------------


def test_rectangles_that_touch_do_not_overlap():
    """Rect.overlaps is true when interiors meet, false when edges only touch."""
    a = Rect(0, 0, 10, 10)
    assert a.overlaps(Rect(9, 9, 20, 20))
    assert not a.overlaps(Rect(10, 0, 20, 10))
    assert not a.overlaps(Rect(0, 10, 10, 20))
    assert not a.overlaps(Rect(11, 11, 12, 12))
    assert a.contains(Rect(1, 1, 10, 10))
    assert not a.contains(Rect(1, 1, 11, 10))


sizes_st = st.tuples(
    st.floats(min_value=0.5, max_value=300, allow_nan=False),
    st.floats(min_value=0.5, max_value=80, allow_nan=False),
)


@settings(max_examples=100, deadline=None)
@given(
    sizes=st.lists(sizes_st, max_size=40),
    width=st.floats(min_value=1, max_value=1000),
    gap=st.floats(min_value=0, max_value=20),
)
def test_shelf_pack_places_disjoint_rectangles_of_the_sizes_given(sizes, width, gap):
    """Shelf packing keeps each size, overlaps nothing, and wraps shelves at the width."""
    rects, total_w, total_h = shelf_pack(sizes, width=width, gap=gap)
    for rect, size in zip(rects, sizes, strict=True):
        assert (rect.width, rect.height) == pytest.approx(size)
    assert meeting_pairs(rects) == []
    for rect in rects:
        assert rect.x0 >= 0
        assert rect.y0 >= 0
        assert rect.x1 <= total_w + 1e-6
        assert rect.y1 <= total_h + 1e-6
        # a shelf is at most `width` wide, unless one rectangle alone is wider
        assert rect.x0 == 0 or rect.x1 <= width + 1e-6


# -- the pure layout: layers -----------------------------------------------------------------


@st.composite
def connected_graphs(draw, max_nodes=25):
    """A connected undirected graph on nodes n0..nk (a random tree plus extra links)."""
    count = draw(st.integers(min_value=1, max_value=max_nodes))
    nodes = [f"n{i}" for i in range(count)]
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for i in range(1, count):
        graph.add_edge(nodes[i], nodes[draw(st.integers(min_value=0, max_value=i - 1))])
    pairs = st.tuples(st.sampled_from(nodes), st.sampled_from(nodes))
    graph.add_edges_from((a, b) for a, b in draw(st.lists(pairs, max_size=count)) if a != b)
    return graph


def neighbour_sets(graph):
    return {n: set(graph[n]) for n in graph}


@settings(max_examples=100, deadline=None)
@given(graph=connected_graphs(), data=st.data())
def test_layers_are_distances_from_the_roots(graph, data):
    """In a connected component, a node's layer is its distance from the nearest root."""
    nodes = sorted(graph)
    roots = data.draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=3, unique=True))
    found = layers(nodes, roots, neighbour_sets(graph))
    distance = nx.multi_source_dijkstra_path_length(graph, set(roots))
    assert sorted(itertools.chain.from_iterable(found)) == nodes
    for depth, layer in enumerate(found):
        assert {distance[n] for n in layer} == {depth}


@settings(max_examples=60, deadline=None)
@given(graph=connected_graphs(), seed=st.randoms(use_true_random=False))
def test_layers_do_not_depend_on_the_order_of_the_input(graph, seed):
    """Shuffling the members, the roots and the neighbour sets gives the same layers."""
    nodes = sorted(graph)
    roots = nodes[:2]
    expected = layers(nodes, roots, neighbour_sets(graph))
    shuffled = nodes[:]
    seed.shuffle(shuffled)
    links = {}
    for node in shuffled:
        others = sorted(graph[node])
        seed.shuffle(others)
        links[node] = set(others)
    assert layers(shuffled, roots[::-1], links) == expected


def test_layers_without_roots_start_at_the_most_linked_member():
    """With no root, layer 0 is the member with most neighbours; unreachable members follow."""
    links = {"a": {"b"}, "b": {"a", "c"}, "c": {"b"}, "x": set(), "y": set()}
    assert layers(["y", "x", "c", "b", "a"], [], links) == [["b"], ["a", "c"], ["x"], ["y"]]


def test_layers_order_a_layer_under_its_neighbours_above():
    """Within a layer, nodes follow the places of their neighbours in the layer above."""
    links = {
        "hub": {"a", "z"},
        "a": {"hub", "z2"},
        "z": {"hub", "a2"},
        "a2": {"z"},
        "z2": {"a"},
    }
    assert layers(sorted(links), ["hub"], links) == [["hub"], ["a", "z"], ["z2", "a2"]]


# -- the pure layout: the landscape ----------------------------------------------------------


@st.composite
def landscapes_as_data(draw):
    """Components (connected graphs) with node sizes, as landscape_layout takes them."""
    count = draw(st.integers(min_value=0, max_value=8))
    components, links, sizes = [], {}, {}
    for number in range(count):
        graph = nx.relabel_nodes(
            draw(connected_graphs(max_nodes=12)), lambda n, k=number: f"c{k}-{n}"
        )
        members = sorted(graph)
        roots = draw(st.lists(st.sampled_from(members), max_size=2, unique=True))
        kind = "group" if roots else "island"
        components.append(Component(f"c{number}", members, roots, kind))
        links.update(neighbour_sets(graph))
        for node in members:
            sizes[node] = draw(sizes_st)
    return components, links, sizes


@settings(max_examples=100, deadline=None)
@given(data=landscapes_as_data())
def test_landscape_layout_never_overlaps(data):
    """Component boxes are disjoint; each node's slot keeps its size, lies in its
    component's box, and meets no other slot."""
    components, links, sizes = data
    result = landscape_layout(components, links, sizes)
    boxes = [rect for _, rect in result.areas]
    assert [c for c, _ in result.areas] == components
    assert meeting_pairs(boxes) == []
    slots = []
    for component, box in result.areas:
        for node in component.members:
            slot = result.slots[node]
            assert (slot.width, slot.height) == pytest.approx(sizes[node])
            assert inside(box, slot)
            slots.append(slot)
    assert meeting_pairs(slots) == []
    assert all(inside(Rect(0, 0, result.width, result.height), b) for b in boxes)


def test_landscape_layout_keeps_lines_apart():
    """Nodes of one line share a top edge; nodes of different lines do not share a line number."""
    links = {"hub": {"a", "b", "c"}, "a": {"hub"}, "b": {"hub"}, "c": {"hub"}}
    result = landscape_layout(
        [Component("a", ["a", "b", "c", "hub"], ["hub"])], links, dict.fromkeys(links, (10.0, 10.0))
    )
    assert result.lines["a"] == result.lines["b"] == result.lines["c"] != result.lines["hub"]
    assert result.slots["a"].y0 == result.slots["b"].y0 > result.slots["hub"].y1


# -- the pure layout: boxes in nested groupings ------------------------------------------------


def nests(depth=3):
    """Nested groupings of leaves, with unique keys given afterwards."""
    leaf = st.builds(
        Leaf,
        st.none(),
        st.floats(min_value=0.5, max_value=300),
        st.floats(min_value=0.5, max_value=80),
    )
    if depth == 0:
        return leaf
    child = st.one_of(leaf, nests(depth - 1))
    return st.builds(
        Nest,
        st.none(),
        st.lists(child, max_size=6),
        direction=st.sampled_from(["row", "column"]),
        max_width=st.one_of(st.just(math.inf), st.floats(min_value=1, max_value=500)),
        gap=st.floats(min_value=0, max_value=20),
        line_gap=st.floats(min_value=0, max_value=20),
        padding=st.floats(min_value=0, max_value=10),
        header=st.one_of(st.none(), sizes_st),
        header_side=st.sampled_from(["left", "top"]),
        stretch=st.booleans(),
    )


def keyed(node, counter=None):
    """The tree with keys 0, 1, 2, ... in preorder."""
    counter = counter if counter is not None else itertools.count()
    key = next(counter)
    if isinstance(node, Leaf):
        return attrs.evolve(node, key=key)
    return attrs.evolve(node, key=key, children=[keyed(c, counter) for c in node.children])


def walk(node):
    yield node
    if isinstance(node, Nest):
        for child in node.children:
            yield from walk(child)


@settings(max_examples=150, deadline=None)
@given(tree=nests().map(lambda n: keyed(Nest(None, [n]))))
def test_flow_layout_never_overlaps_however_deep(tree):
    """Every box keeps its size; siblings are disjoint; each child and caption lies
    in its grouping; no caption meets its grouping's children; no two boxes meet."""
    result = flow_layout(tree)
    rect = {**result.boxes, **result.nests}
    assert rect[tree.key] == Rect(0, 0, result.width, result.height)
    for node in walk(tree):
        if isinstance(node, Leaf):
            assert (rect[node.key].width, rect[node.key].height) == pytest.approx(
                (node.width, node.height)
            )
            continue
        children = [rect[c.key] for c in node.children]
        assert meeting_pairs(children) == []
        assert all(inside(rect[node.key], c, 1e-6) for c in children)
        if node.header is not None:
            header = result.headers[node.key]
            assert (header.width, header.height) == pytest.approx(node.header)
            assert inside(rect[node.key], header, 1e-6)
            assert not any(meet(header, c) for c in children)
        else:
            assert node.key not in result.headers
    assert meeting_pairs(list(result.boxes.values())) == []


def test_flow_layout_wraps_a_row_and_centres_its_lines():
    """A row wraps past max_width and centres each line in the row's width."""
    row = Nest("row", [Leaf(i, 40, 10) for i in range(5)], max_width=100, gap=10)
    result = flow_layout(row)
    assert [result.boxes[i].y0 for i in range(5)] == [0, 0, 18, 18, 36]
    assert result.width == 90
    assert result.boxes[4].x0 == 25  # alone on its line, centred


def test_a_stretched_column_lines_up_its_rows_captions():
    """In a stretched column, every row is as wide as the widest, so captions line up."""
    narrow = Nest("a", [Leaf("x", 10, 10)], header=(30, 8))
    wide = Nest("b", [Leaf("y", 200, 10)], header=(30, 8))
    result = flow_layout(Nest("chart", [narrow, wide], direction="column", stretch=True))
    assert result.nests["a"].width == result.nests["b"].width
    assert result.headers["a"].x0 == result.headers["b"].x0 == 0
    assert result.boxes["x"].centre[0] == pytest.approx(result.boxes["y"].centre[0])


# -- the pure layout: cost ---------------------------------------------------------------------


def star(n):
    hub = "hub"
    links = {hub: {f"s{i}" for i in range(n)}, **{f"s{i}": {hub} for i in range(n)}}
    return [Component("s0", sorted(links), [hub])], links, dict.fromkeys(links, (40.0, 20.0))


def chain(n):
    nodes = [f"s{i:06d}" for i in range(n)]
    links = {m: set() for m in nodes}
    for a, b in itertools.pairwise(nodes):
        links[a].add(b)
        links[b].add(a)
    return [Component(nodes[0], nodes, [])], links, dict.fromkeys(nodes, (40.0, 20.0))


def islands_only(n):
    nodes = [f"s{i:06d}" for i in range(n)]
    return (
        [Component(m, [m], kind="island") for m in nodes],
        {m: set() for m in nodes},
        dict.fromkeys(nodes, (40.0, 20.0)),
    )


@pytest.mark.parametrize("shape", [star, chain, islands_only])
def test_landscape_layout_work_grows_about_linearly(shape):
    """Twice the nodes cost at most 2.4 times the Python calls (O((V + E) log V))."""

    def run(n):
        return calls(lambda args: landscape_layout(*args), shape(n))

    assert run(4_000) <= 2.4 * run(2_000)


def test_flow_layout_work_grows_linearly():
    """Twice the boxes, in rows that wrap and nested groupings, cost at most 2.2 times the calls."""

    def chart(n):
        rows = [
            Nest(r, [Leaf((r, i), 50, 20) for i in range(n // 10)], max_width=500)
            for r in range(10)
        ]
        return Nest("chart", [Nest("inner", rows, direction="column", stretch=True)])

    assert calls(flow_layout, chart(4_000)) <= 2.2 * calls(flow_layout, chart(2_000))


# -- drawn pictures ---------------------------------------------------------------------------

#: Window extents (pixels) closer than this count as touching, not overlapping.
TOLERANCE = 0.5


def window(artist, renderer) -> Rect:
    box = artist.get_window_extent(renderer)
    return Rect(box.x0, box.y0, box.x1, box.y1)


def shrunk(rect: Rect) -> Rect:
    return Rect(rect.x0 + TOLERANCE, rect.y0 + TOLERANCE, rect.x1 - TOLERANCE, rect.y1 - TOLERANCE)


def overlapping(named):
    """Pairs of ``(name, rect)`` whose rectangles overlap by more than TOLERANCE."""
    named = [(n, shrunk(r)) for n, r in named]
    return [(a, b) for (a, ra), (b, rb) in itertools.combinations(named, 2) if meet(ra, rb)]


def drawn_texts(ax, renderer):
    """Every non-empty text of the picture with its extent: the axes' texts,
    the legend's, the title."""
    texts = [t for t in ax.texts if t.get_text()]
    if ax.axison:
        texts += [t for t in ax.get_yticklabels() + ax.get_xticklabels() if t.get_text()]
    legend = ax.get_legend()
    if legend is not None:
        texts += [t for t in legend.get_texts() if t.get_text()]
    texts.append(ax.title)
    return [(t.get_text(), window(t, renderer)) for t in texts]


def patches(ax, *labels):
    return [p for p in ax.patches if p.get_label() in labels]


def renderer_of(ax):
    figure = ax.figure
    figure.canvas.draw()
    return figure.canvas.get_renderer()


def assert_no_text_overlaps(ax):
    renderer = renderer_of(ax)
    assert overlapping(drawn_texts(ax, renderer)) == []


@pytest.fixture(scope="module")
def pudong():
    return cio_framework.builtin("pudong-2016")


@pytest.fixture(scope="module")
def federal():
    return cio_framework.builtin("us-federal")


@pytest.fixture(scope="module")
def synthetic():
    return {
        n: cio_framework.loads(synth_text(n, seed=4, exchanges_per_system=2)) for n in (60, 250)
    }


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_island_boxes_never_overlap(pudong):
    """Pudong's three islands and its connected group are four boxes, no two
    overlapping, the islands' red; every node label lies in one box."""
    ax = plot_landscape(pudong)
    renderer = renderer_of(ax)
    islands = patches(ax, "_island")
    groups = patches(ax, "_group")
    assert len(islands) == 3
    assert len(groups) == 1
    assert {matplotlib.colors.to_hex(p.get_edgecolor()) for p in islands} == {"#e15759"}
    boxes = [(i, window(p, renderer)) for i, p in enumerate(islands + groups)]
    assert overlapping(boxes) == []
    for text in ax.texts:
        if text.get_label() == "_node-label":
            extent = window(text, renderer)
            assert sum(inside(box, extent, TOLERANCE) for _, box in boxes) == 1, text.get_text()


def test_every_node_is_drawn_in_its_groups_box(pudong):
    """Each system is placed inside the box of the group islands() puts it in."""
    graph = to_networkx(pudong)
    report = cio_framework.islands(pudong)
    kinds = {n: d["kind"] for n, d in graph.nodes(data=True)}
    links = {n: set(graph.to_undirected()[n]) - {n} for n in graph}
    parts = plot._components(report, kinds, links)
    result = landscape_layout(parts, links, dict.fromkeys(kinds, (30.0, 20.0)))
    box = {part.key: rect for part, rect in result.areas}
    for group in report.groups:
        for system in group.systems:
            assert inside(box[group.id], result.slots[system])


@pytest.mark.parametrize("name", ["pudong-2016", "us-federal"])
@pytest.mark.parametrize("draw", [plot_landscape, plot_org_chart, plot_priorities])
def test_no_two_texts_overlap_on_the_built_in_scenarios(name, draw):
    """At the size a new figure gets, no two texts (labels, legend, title) overlap."""
    assert_no_text_overlaps(draw(cio_framework.builtin(name)))


@pytest.mark.parametrize("size", [60, 250])
def test_no_two_labels_overlap_on_synthetic_landscapes(synthetic, size):
    """On synthetic landscapes of 60 and 250 systems no two texts overlap, nor two boxes."""
    ax = plot_landscape(synthetic[size])
    assert_no_text_overlaps(ax)
    renderer = ax.figure.canvas.get_renderer()
    boxes = patches(ax, "_island", "_group", "_platforms")
    assert overlapping([(i, window(p, renderer)) for i, p in enumerate(boxes)]) == []


def test_a_picture_on_small_axes_is_scaled_without_overlaps(synthetic):
    """On axes of one's own too small for the natural size, text shrinks with the
    picture: still no overlaps, and labels smaller than 7 points."""
    _, (left, right) = plt.subplots(1, 2, figsize=(8, 4))
    plot_landscape(synthetic[60], ax=left)
    plot_org_chart(cio_framework.builtin("us-federal"), ax=right)
    for ax in (left, right):
        assert_no_text_overlaps(ax)
    labels = [t for t in left.texts if t.get_label() == "_node-label"]
    assert labels
    assert max(t.get_fontsize() for t in labels) < 7


@settings(max_examples=15, deadline=None)
@given(scenario=landscapes(max_systems=10))
def test_generated_landscapes_draw_without_overlaps_or_warnings(scenario):
    """Any generated landscape: no overlapping texts or boxes, and no warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plot_landscape(scenario)
        renderer = renderer_of(ax)
        texts = drawn_texts(ax, renderer)
        assert overlapping(texts) == []
        boxes = patches(ax, "_island", "_group", "_platforms")
        assert overlapping([(i, window(p, renderer)) for i, p in enumerate(boxes)]) == []
    assert not [t for t, _ in texts if UNSAFE.search(t)], "a raw control character drawn"
    plt.close("all")


def org_chart_geometry(ax):
    """(box extents, box texts with extents, every text) of a drawn chart."""
    renderer = renderer_of(ax)
    boxes = [window(p, renderer) for p in patches(ax, "_role", "_body")]
    texts = [t for t in ax.texts if t.get_label() == "_box-text"]
    return boxes, [(t.get_text(), window(t, renderer)) for t in texts], renderer


@pytest.mark.parametrize("name", ["pudong-2016", "us-federal"])
def test_org_chart_boxes_never_overlap(name):
    """No two boxes of the chart overlap, and each box's text lies inside it."""
    scenario = cio_framework.builtin(name)
    boxes, texts, _ = org_chart_geometry(plot_org_chart(scenario))
    assert len(boxes) == len(scenario.roles) + len(scenario.bodies) == len(texts)
    assert overlapping(list(enumerate(boxes))) == []
    for box, (text, extent) in zip(boxes, texts, strict=True):
        assert inside(box, extent, TOLERANCE), text


def crowded_chart(roles=40):
    """Many roles with long ids in one level, wrapping, reporting in chains."""
    people = [Person(id=f"p{i}", name=f"Person number {i} with a long name") for i in range(roles)]
    return make_scenario(
        people=people,
        roles=[
            Role(
                id=f"a-rather-long-role-identifier-{i}",
                title="R",
                level="support" if i else "strategic",
                holder=f"p{i}",
                reports_to=f"a-rather-long-role-identifier-{i // 3}" if i else None,
                dotted_lines=[f"a-rather-long-role-identifier-{(i * 7) % roles}"],
            )
            for i in range(roles)
        ],
        bodies=[Body(id=f"b{i}", name=f"Body {i} " * 5) for i in range(6)],
    )


def test_a_crowded_org_chart_wraps_without_overlaps():
    """A level of 40 wide boxes wraps into lines; no boxes or texts overlap."""
    scenario = crowded_chart()
    ax = plot_org_chart(scenario)
    boxes, _, _ = org_chart_geometry(ax)
    assert overlapping(list(enumerate(boxes))) == []
    assert len({round(b.y0) for b in boxes}) > 4  # rows wrapped
    assert_no_text_overlaps(ax)


@settings(max_examples=12, deadline=None)
@given(scenario=scenarios(max_elements=8))
def test_generated_org_charts_draw_without_overlaps_or_warnings(scenario):
    """Any generated scenario's chart: no overlapping boxes or texts, and no warning
    (whatever Unicode its names hold)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plot_org_chart(scenario)
        boxes, _, renderer = org_chart_geometry(ax)
        assert overlapping(list(enumerate(boxes))) == []
        texts = drawn_texts(ax, renderer)
        assert overlapping(texts) == []
    assert not [t for t, _ in texts if UNSAFE.search(t)], "a raw control character drawn"
    plt.close("all")


def test_org_chart_draws_level_names_on_one_line_with_controls_escaped():
    """A level name's line breaks become spaces and its control characters escapes."""
    scenario = make_scenario(
        levels=[Level(id="strategic", name="Top\nlevel \x1b[2J"), Level(id="support", name="")]
    )
    names = [name for _, name, _ in plot._chart_rows(scenario)]
    assert names == ["Top level \\x1b[2J", "support"]


def test_org_chart_puts_a_role_below_what_it_reports_to():
    """Within a level, roles follow the order of their superiors above; a role whose
    superior is in its own level comes right after it."""
    scenario = make_scenario(
        roles=[
            Role(id="top", title="T", level="strategic"),
            Role(id="z-boss", title="B", level="executive", reports_to="top"),
            Role(id="a-boss", title="B", level="executive", reports_to="top"),
            Role(id="a-1", title="S", level="support", reports_to="z-boss"),
            Role(id="b-1", title="S", level="support", reports_to="a-boss"),
            Role(id="b-2", title="S", level="support", reports_to="b-1"),
            Role(id="c-1", title="S", level="support", reports_to="a-boss"),
        ],
        bodies=[],
    )
    rows = {level: [i for _, i, _ in items] for level, _, items in plot._chart_rows(scenario)}
    assert rows["executive"] == ["a-boss", "z-boss"]
    assert rows["support"] == ["b-1", "b-2", "c-1", "a-1"]


def test_org_chart_rows_ignore_list_order(pudong):
    """Reversing the scenario's lists gives the same rows."""
    reversed_lists = attrs.evolve(
        pudong, roles=pudong.roles[::-1], bodies=pudong.bodies[::-1], people=pudong.people[::-1]
    )
    assert plot._chart_rows(reversed_lists) == plot._chart_rows(pudong)


def test_landscape_ignores_list_order(pudong):
    """Reversing the scenario's lists draws every node and label at the same place."""

    def placed(scenario):
        ax = plot_landscape(scenario)
        texts = sorted((t.get_text(), t.get_position()) for t in ax.texts)
        offsets = [c.get_offsets().tolist() for c in ax.collections]
        plt.close(ax.figure)
        return texts, offsets

    reversed_lists = attrs.evolve(
        pudong,
        systems=pudong.systems[::-1],
        platforms=pudong.platforms[::-1],
        exchanges=pudong.exchanges[::-1],
        departments=pudong.departments[::-1],
    )
    assert placed(reversed_lists) == placed(pudong)


# -- the legend -------------------------------------------------------------------------------


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_landscape_legend_says_what_shapes_and_colours_mean(pudong):
    """The legend names systems, platforms, exchanges, groups, islands and each department."""
    ax = plot_landscape(pudong)
    entries = legend_texts(ax)
    assert entries[:5] == [
        "system (its colour: its department)",
        "shared platform",
        "live exchange",
        "group of systems that reaches a platform",
        "information island: reaches no platform",
    ]
    drawn = {s.department for s in pudong.systems if s.in_use}
    names = [d.name for d in pudong.departments if d.id in drawn]
    assert sorted(entries[5:]) == sorted(plot._clip(n) for n in names)


def test_landscape_legend_colours_match_the_systems(pudong):
    """Each department's legend colour is the colour of its systems' markers."""
    ax = plot_landscape(pudong)
    legend = ax.get_legend()
    handles = getattr(legend, "legend_handles", None) or legend.legendHandles
    colour = {
        t.get_text(): matplotlib.colors.to_hex(h.get_facecolor())
        for t, h in zip(legend.get_texts(), handles, strict=True)
        if isinstance(h, Patch)
    }
    systems = next(c for c in ax.collections if c.get_label() == "_system")
    faces = [matplotlib.colors.to_hex(f) for f in systems.get_facecolors()]
    in_use = sorted(s.id for s in pudong.systems if s.in_use)
    by_id = {s.id: s for s in pudong.systems}
    names = {d.id: d.name for d in pudong.departments}
    for system, face in zip(in_use, faces, strict=True):
        assert colour[plot._clip(names[by_id[system].department])] == face


def test_many_departments_share_one_legend_entry():
    """Past ten departments, the nine with most systems get colours, the rest one grey entry."""
    departments = [Department(id=f"d{i:02d}", name=f"Dept {i}") for i in range(14)]
    systems = [
        System(id=f"s{i:02d}-{k}", name="S", department=f"d{i:02d}")
        for i in range(14)
        for k in range(1 + (i < 3))
    ]
    base = make_scenario().departments
    ax = plot_landscape(make_scenario(departments=[*base, *departments], systems=systems))
    entries = legend_texts(ax)
    assert "5 other departments" in entries
    assert [e for e in entries if e.startswith("Dept")] == [f"Dept {i}" for i in range(9)]


def test_empty_landscape_says_so(federal):
    """A scenario without systems draws no legend and a note saying there is nothing."""
    ax = plot_landscape(federal)
    assert ax.get_legend() is None
    assert any("nothing to draw" in t.get_text() for t in ax.texts)


def test_org_chart_legend(pudong):
    """The chart's legend names roles, bodies and both kinds of line."""
    assert legend_texts(plot_org_chart(pudong)) == [
        "role: id and holder",
        "body",
        "reports to",
        "dotted line",
    ]


def test_large_landscapes_drop_labels_and_say_so(monkeypatch, synthetic):
    """Past LABEL_NODES nodes, no node is labelled, and a footnote says why."""
    monkeypatch.setattr(plot, "LABEL_NODES", 50)
    ax = plot_landscape(synthetic[60])
    assert not [t for t in ax.texts if t.get_label() == "_node-label"]
    assert any("are not labelled" in t.get_text() for t in ax.texts)


# -- fonts ------------------------------------------------------------------------------------

CHINESE = "浦东新区环境保护局"


def chinese_scenario():
    """Departments, systems, a platform, people, a level and a body named in Chinese."""
    return make_scenario(
        levels=[Level(id="strategic", name="战略决策"), Level(id="support", name="职能部门支撑")],
        people=[Person(id="lead", name="王静"), Person(id="deputy", name="闵庆丰")],
        departments=[
            Department(id="district", name="浦东新区政府"),
            Department(id="epb", name=CHINESE, pilot=True),
        ],
        platforms=[Platform(id="政务云", name="政务云")],
        systems=[
            System(id="环保监测", name="环保监测系统", department="epb"),
            System(id="审批", name="审批", department="epb"),
            System(id="孤岛", name="孤岛", department="district"),
        ],
        exchanges=[Exchange(from_="环保监测", to="政务云"), Exchange(from_="审批", to="政务云")],
        bodies=[Body(id="meeting", name="首席信息官例会", level="strategic")],
    )


def fake_cjk_font(path, chars):
    """A TrueType font, family "Noto Sans CJK SC", whose every glyph is a box,
    covering printable ASCII, the ellipsis and ``chars``."""
    fontbuilder = pytest.importorskip("fontTools.fontBuilder")
    pens = pytest.importorskip("fontTools.pens.ttGlyphPen")
    codes = sorted({ord(c) for c in chars} | set(range(0x20, 0x7F)) | {0x2026})
    names = [".notdef", *(f"u{c:04X}" for c in codes)]
    builder = fontbuilder.FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({c: f"u{c:04X}" for c in codes})

    def box():
        pen = pens.TTGlyphPen(None)
        pen.moveTo((100, 0))
        pen.lineTo((100, 700))
        pen.lineTo((800, 700))
        pen.lineTo((800, 0))
        pen.closePath()
        return pen.glyph()

    builder.setupGlyf({name: box() for name in names})
    builder.setupHorizontalMetrics(dict.fromkeys(names, (900, 100)))
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "Noto Sans CJK SC", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.save(str(path))
    return str(path)


def all_chinese_text(scenario) -> str:
    texts = [scenario.name, *(lv.name for lv in scenario.levels)]
    texts += [p.name or "" for p in scenario.people]
    texts += [d.name for d in scenario.departments]
    texts += [s.id for s in scenario.systems] + [p.id for p in scenario.platforms]
    texts += [b.name for b in scenario.bodies]
    return "".join(texts)


def chinese_texts(ax):
    """Texts of the picture holding a CJK character (legend and tick labels included)."""
    texts = list(ax.texts) + list(ax.get_yticklabels())
    if ax.get_legend() is not None:
        texts += ax.get_legend().get_texts()
    return [t for t in texts if any("\u4e00" <= c <= "\u9fff" for c in t.get_text())]


@pytest.mark.parametrize("draw", [plot_landscape, plot_org_chart, plot_priorities])
def test_without_a_cjk_font_chinese_is_escaped_with_a_footnote_and_no_warning(monkeypatch, draw):
    """With no CJK font found, Chinese is written as \\u escapes, a footnote says so,
    and drawing (to the screen and to SVG) warns of no missing glyph."""
    monkeypatch.setattr(_plot_text, "cjk_font", lambda bold=False: None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = draw(chinese_scenario())
        ax.figure.canvas.draw()
        texts = [t.get_text() for t in ax.texts]
        assert chinese_texts(ax) == []
        assert _plot_text.ESCAPE_NOTE in texts
        figure_svg(ax)


def test_escapes_name_the_characters(monkeypatch):
    """The escapes are the characters' codes, as Python writes them."""
    monkeypatch.setattr(_plot_text, "cjk_font", lambda bold=False: None)
    ax = plot_landscape(chinese_scenario())
    labels = {t.get_text() for t in ax.texts if t.get_label() == "_node-label"}
    assert "\\u653f\\u52a1\\u4e91" in labels  # 政务云
    legend = legend_texts(ax)
    assert "".join(f"\\u{ord(c):04x}" for c in CHINESE) in legend


@pytest.mark.parametrize("draw", [plot_landscape, plot_org_chart, plot_priorities])
def test_a_cjk_font_draws_chinese_when_one_is_found(monkeypatch, tmp_path, draw):
    """With a CJK font found, every Chinese text is drawn as it is in that font,
    no escape or footnote appears, and nothing warns."""
    scenario = chinese_scenario()
    font = fake_cjk_font(tmp_path / "cjk.ttf", all_chinese_text(scenario))
    monkeypatch.setattr(_plot_text, "cjk_font", lambda bold=False: font)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = draw(scenario)
        ax.figure.canvas.draw()
        found = chinese_texts(ax)
        assert found
        for text in found:
            assert str(text.get_fontproperties().get_file()) == font, text.get_text()
        texts = [t.get_text() for t in ax.texts]
        assert not any("\\u" in t for t in texts)
        assert _plot_text.ESCAPE_NOTE not in texts
    if draw is plot_landscape:
        assert "政务云" in texts
        assert CHINESE in legend_texts(ax)
    if draw is plot_org_chart:
        assert "district-cio\n王静" in texts
        assert "首席信息官例会" in texts


def test_text_the_cjk_font_lacks_is_escaped_only_where_it_lacks(monkeypatch, tmp_path):
    """Characters neither font has are escaped; the rest of the text stays as it is."""
    font = fake_cjk_font(tmp_path / "cjk.ttf", "浦东")
    setter = _plot_text.Typesetter(font)
    assert setter.prepare("浦东 abc") == ("浦东 abc", font)
    assert not setter.escaped
    assert setter.prepare("浦东新") == ("浦东\\u65b0", font)
    assert setter.escaped
    shown, path = setter.prepare("plain ascii")
    assert shown == "plain ascii"
    assert path != font


def test_pick_cjk_font_prefers_the_listed_order_and_ignores_input_order():
    """The earliest family in CJK_FAMILIES wins, a regular upright face first, whatever the order."""
    fonts = [
        ("DejaVu Sans", "/f/dejavu.ttf", 400, "normal"),
        ("SimHei", "/f/simhei.ttf", 400, "normal"),
        ("WenQuanYi Zen Hei", "/f/wqy.ttc", 400, "normal"),
        ("wenquanyi zen hei", "/f/wqy-italic.ttc", 400, "italic"),
        ("WenQuanYi Zen Hei", "/f/wqy-bold.ttc", "bold", "normal"),
    ]
    for order in itertools.permutations(fonts):
        assert _plot_text.pick_cjk_font(order) == "/f/wqy.ttc"
        assert _plot_text.pick_cjk_font(order, bold=True) == "/f/wqy-bold.ttc"
    assert _plot_text.pick_cjk_font(fonts[:1]) is None


def test_cjk_font_is_looked_up_in_matplotlibs_font_list(monkeypatch):
    """cjk_font reads matplotlib's font list; a listed CJK family is found."""
    from matplotlib import font_manager

    entry = font_manager.FontEntry(fname="/nowhere/simhei.ttf", name="SimHei")
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [entry])
    assert _plot_text.cjk_font() == "/nowhere/simhei.ttf"
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    assert _plot_text.cjk_font() is None


# -- no trace on the process ---------------------------------------------------------------------


def test_drawing_leaves_no_trace_on_the_process(capsys, caplog, monkeypatch, tmp_path):
    """Drawing every picture, with and without a CJK font, then writing SVG, leaves
    rcParams and the warning filters as they were, prints and logs nothing, and
    leaves no figure open once written."""
    scenarios_drawn = [cio_framework.builtin("pudong-2016"), chinese_scenario()]
    font = fake_cjk_font(tmp_path / "cjk.ttf", all_chinese_text(scenarios_drawn[1]))
    plt.close("all")
    rc = dict(matplotlib.rcParams)
    filters = list(warnings.filters)
    with caplog.at_level(logging.DEBUG, logger="matplotlib"):
        for found in (None, font):
            monkeypatch.setattr(_plot_text, "cjk_font", lambda bold=False, f=found: f)
            for scenario in scenarios_drawn:
                for draw in (plot_landscape, plot_org_chart, plot_priorities):
                    figure_svg(draw(scenario))
    assert dict(matplotlib.rcParams) == rc
    assert list(warnings.filters) == filters
    assert plt.get_fignums() == []
    assert capsys.readouterr() == ("", "")
    assert [r for r in caplog.records if r.levelno >= logging.INFO] == []


def test_drawing_with_usetex_on_keeps_text_literal(pudong):
    """With text.usetex on, no text of the pictures (title, legend, labels) goes to TeX."""
    with matplotlib.rc_context({"text.usetex": True}):
        for draw in (plot_landscape, plot_org_chart):
            ax = draw(pudong)
            texts = [*ax.texts, *ax.get_legend().get_texts(), ax.title]
            assert not any(t.get_usetex() for t in texts)
            plt.close(ax.figure)


def test_new_figures_fit_the_drawing(pudong):
    """A new figure is at least as large as the drawing at scale 1: labels at 7 points."""
    ax = plot_landscape(pudong)
    sizes = {t.get_fontsize() for t in ax.texts if t.get_label() == "_node-label"}
    assert sizes == {7.0}


def test_layout_module_does_not_import_matplotlib():
    """The layout module is pure: importing it pulls in no matplotlib."""
    import subprocess
    import sys

    code = "import sys; import cio_framework._plot_layout; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
