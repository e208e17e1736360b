"""Where the pictures put things: positions as data, nothing drawn.

The functions here are pure. They take sizes in points and the relations
between the things to place, and return rectangles; :mod:`cio_framework.plot`
measures the text, calls them, and draws at the places they return. Nothing
here imports matplotlib, so a layout can be checked without rendering.

Coordinates: ``x`` grows to the right and ``y`` downwards from the top-left
corner ``(0, 0)`` of the picture (the way rows are read); the drawing turns
``y`` the other way up.

Two layouts:

* :func:`landscape_layout`: each group of connected systems (an island or a
  group that reaches a platform) in a rectangle of its own, the rectangles
  packed in shelves so that no two meet; inside a rectangle, the nodes in
  layers by distance from the group's platforms.
* :func:`flow_layout`: boxes in rows that wrap, inside groupings that can
  hold further groupings (the organisation chart: a column of levels, each
  a row of roles and bodies; a jurisdiction inside a level later).

Every rectangle returned is disjoint from its siblings' (they may touch no
edge: a ``gap`` separates them), and lies inside its parent's.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence, Set

import attrs

from ._util import tuple_of

__all__ = [
    "Component",
    "FlowLayout",
    "LandscapeLayout",
    "Leaf",
    "Nest",
    "Rect",
    "flow_layout",
    "landscape_layout",
    "layers",
    "shelf_pack",
]


@attrs.frozen
class Rect:
    """An axis-parallel rectangle: left ``x0``, top ``y0``, right ``x1``, bottom ``y1``.

    ``y`` grows downwards, so ``y0 <= y1``.

    Examples
    --------
    >>> a, b = Rect(0, 0, 10, 5), Rect(10, 0, 20, 5)
    >>> a.overlaps(b), a.overlaps(Rect(9, 4, 12, 8))
    (False, True)
    >>> a.width, a.height, a.centre
    (10, 5, (5.0, 2.5))
    """

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        """``x1 - x0``."""
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        """``y1 - y0``."""
        return self.y1 - self.y0

    @property
    def centre(self) -> tuple[float, float]:
        """The centre ``(x, y)``."""
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    def overlaps(self, other: Rect) -> bool:
        """Whether the two interiors meet (rectangles that only touch do not)."""
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def contains(self, other: Rect) -> bool:
        """Whether ``other`` lies inside this rectangle (edges included)."""
        return (
            self.x0 <= other.x0
            and other.x1 <= self.x1
            and self.y0 <= other.y0
            and other.y1 <= self.y1
        )

    def shifted(self, dx: float, dy: float) -> Rect:
        """The rectangle moved by ``(dx, dy)``."""
        return Rect(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)


def _breaks(widths: Sequence[float], limit: float, gap: float) -> list[tuple[int, int]]:
    """Split ``widths`` into lines no wider than ``limit`` (a wider item is a
    line of its own): ``(start, stop)`` index pairs. O(n)."""
    lines: list[tuple[int, int]] = []
    start, used = 0, 0.0
    for index, width in enumerate(widths):
        if index > start and used + gap + width > limit:
            lines.append((start, index))
            start, used = index, width
        else:
            used = width if index == start else used + gap + width
    if widths:
        lines.append((start, len(widths)))
    return lines


def shelf_pack(
    sizes: Sequence[tuple[float, float]], *, width: float, gap: float
) -> tuple[list[Rect], float, float]:
    """Place rectangles of ``sizes`` in order, left to right in shelves.

    A shelf holds rectangles until the next would make it wider than
    ``width`` (a wider rectangle has a shelf of its own); the next shelf
    starts ``gap`` below the tallest of the one above. Rectangles on a
    shelf are ``gap`` apart and top-aligned.

    Returns
    -------
    (rectangles, total width, total height)

    Notes
    -----
    O(n). No two rectangles overlap: shelves are disjoint horizontal bands,
    and on a shelf the rectangles are disjoint intervals.

    Examples
    --------
    >>> rects, w, h = shelf_pack([(4, 2), (4, 3), (5, 1)], width=10, gap=1)
    >>> [(r.x0, r.y0) for r in rects], w, h
    ([(0.0, 0.0), (5.0, 0.0), (0.0, 4.0)], 9.0, 5.0)
    """
    rects: list[Rect] = []
    total_w = total_h = 0.0
    top = 0.0
    for start, stop in _breaks([w for w, _ in sizes], width, gap):
        x = 0.0
        shelf = 0.0
        for w, h in sizes[start:stop]:
            rects.append(Rect(x, top, x + w, top + h))
            x += w + gap
            shelf = max(shelf, h)
        total_w = max(total_w, x - gap)
        total_h = top + shelf
        top += shelf + gap
    return rects, total_w, total_h


# -- the landscape --------------------------------------------------------------------


@attrs.frozen
class Component:
    """Nodes drawn together in one rectangle: a group of connected systems.

    Parameters
    ----------
    key
        A name for the component (a group's id).
    members
        Its nodes.
    roots
        Where its layers start (its platforms); when empty, the member of
        most neighbours (the least id among equals).
    kind
        What it is, for the drawing: ``"group"``, ``"island"``,
        ``"platforms"`` (platforms no system reaches) or ``"other"``.
    """

    key: str
    members: tuple[str, ...] = attrs.field(converter=tuple_of)
    roots: tuple[str, ...] = attrs.field(default=(), converter=tuple_of)
    kind: str = "group"


@attrs.frozen
class LandscapeLayout:
    """Where :func:`landscape_layout` puts each node and each component.

    Parameters
    ----------
    width, height
        The size of the whole picture, in points.
    slots
        Each node's rectangle (its marker and its label), by node.
    areas
        Each component with its rectangle, in the order given.
    lines
        The line each node is on (nodes of one line share a top edge), by
        node: two nodes on the same line are joined by an arc rather than
        a straight line through the nodes between them.
    """

    width: float
    height: float
    slots: Mapping[str, Rect]
    areas: tuple[tuple[Component, Rect], ...]
    lines: Mapping[str, int]


def layers(
    members: Sequence[str], roots: Sequence[str], neighbours: Mapping[str, Set[str]]
) -> list[list[str]]:
    """The members of a component in layers by distance from ``roots``.

    Layer 0 holds the roots (or, with none, the member with most
    neighbours, the least id among equals); layer ``k`` the members ``k``
    steps away. Within a layer the members are ordered by the mean place
    of their neighbours in the layer above (a barycentre pass, which keeps
    lines short and uncrossed in trees), then by id. Members that cannot
    be reached start a new layer of their own the same way. Neighbours
    outside ``members`` are ignored. The result does not depend on the
    order of ``members`` or of the neighbour sets.

    Notes
    -----
    O((V + E) log V) for V members and E links among them: a breadth-first
    search, then one sort per layer.

    Examples
    --------
    >>> links = {"hub": {"a", "b"}, "a": {"hub", "c"}, "b": {"hub"}, "c": {"a"}, "z": set()}
    >>> layers(["c", "b", "a", "hub", "z"], ["hub"], links)
    [['hub'], ['a', 'b'], ['c'], ['z']]
    """
    inside = set(members)
    seen: set[str] = set()
    result: list[list[str]] = []
    first = sorted(set(roots) & inside)
    # where a further layer 0 starts: most neighbours first, then the least id
    candidates = iter(sorted(inside, key=lambda m: (-len(neighbours.get(m, set()) & inside), m)))

    while len(seen) < len(inside):
        layer = first or [next(m for m in candidates if m not in seen)]
        first = []
        seen.update(layer)
        while layer:
            result.append(layer)
            place = {node: index for index, node in enumerate(layer)}
            following = {
                other
                for node in layer
                for other in neighbours.get(node, ())
                if other in inside and other not in seen
            }
            seen.update(following)

            def barycentre(node: str, place: dict[str, int] = place) -> tuple[float, str]:
                above = [place[o] for o in neighbours.get(node, ()) if o in place]
                return (sum(above) / len(above) if above else math.inf, node)

            layer = sorted(following, key=barycentre)
    return result


def _component_layout(
    component: Component,
    neighbours: Mapping[str, Set[str]],
    sizes: Mapping[str, tuple[float, float]],
    *,
    gap: float,
    layer_gap: float,
    aspect: float,
) -> tuple[dict[str, Rect], dict[str, int], float, float]:
    """Slots of one component relative to its top-left corner, each node's
    line, and the component's width and height. O((V + E) log V)."""
    ordered = layers(component.members, component.roots, neighbours)
    widest = max((sizes[m][0] for m in component.members), default=0.0)
    area = sum((sizes[m][0] + gap) * (sizes[m][1] + gap) for m in component.members)
    limit = max(widest, math.sqrt(area * aspect))
    rows: list[list[str]] = []
    starts_layer: list[bool] = []
    for layer in ordered:
        for number, (begin, end) in enumerate(_breaks([sizes[m][0] for m in layer], limit, gap)):
            rows.append(layer[begin:end])
            starts_layer.append(number == 0)
    widths = [sum(sizes[m][0] for m in row) + gap * (len(row) - 1) for row in rows]
    width = max(widths, default=0.0)
    slots: dict[str, Rect] = {}
    line: dict[str, int] = {}
    top = 0.0
    for number, (row, row_width) in enumerate(zip(rows, widths, strict=True)):
        if number:
            top += layer_gap if starts_layer[number] else gap
        x = (width - row_width) / 2
        height = max(sizes[m][1] for m in row)
        for node in row:
            w, h = sizes[node]
            slots[node] = Rect(x, top, x + w, top + h)
            line[node] = number
            x += w + gap
        top += height
    return slots, line, width, top


def landscape_layout(
    components: Sequence[Component],
    neighbours: Mapping[str, Set[str]],
    sizes: Mapping[str, tuple[float, float]],
    *,
    gap: float = 8.0,
    layer_gap: float = 16.0,
    padding: float = 8.0,
    spacing: float = 14.0,
    aspect: float = 1.8,
) -> LandscapeLayout:
    """Lay out a landscape: each component in a rectangle of its own.

    Inside its rectangle a component's nodes stand in :func:`layers`, each
    layer in lines (centred, ``gap`` apart) no wider than about
    ``sqrt(aspect * area)`` of the component, layers ``layer_gap`` apart,
    ``padding`` from the rectangle's edge. The rectangles are then placed
    with :func:`shelf_pack`, in the order given, ``spacing`` apart, in
    shelves about ``sqrt(aspect * total area)`` wide.

    Parameters
    ----------
    components
        The components; every node is in exactly one.
    neighbours
        The nodes each node is linked to (both ways).
    sizes
        Each node's ``(width, height)`` in points: its marker and label.

    Returns
    -------
    LandscapeLayout

    Notes
    -----
    O((V + E) log V) for V nodes and E links. No two component rectangles
    overlap (they are ``spacing`` apart), every slot lies inside its
    component's rectangle, and no two slots overlap (they are ``gap``
    apart): the layout places each slot once, in disjoint lines.

    Examples
    --------
    >>> links = {"cloud": {"a", "b"}, "a": {"cloud"}, "b": {"cloud"}, "x": set()}
    >>> parts = [Component("a", ["a", "b", "cloud"], ["cloud"]), Component("x", ["x"], kind="island")]
    >>> layout = landscape_layout(parts, links, {n: (20.0, 10.0) for n in links})
    >>> [(part.key, rect) for part, rect in layout.areas]
    [('a', Rect(x0=0.0, y0=0.0, x1=64.0, y1=52.0)), ('x', Rect(x0=0.0, y0=66.0, x1=36.0, y1=92.0))]
    >>> layout.slots["cloud"], layout.lines["a"] == layout.lines["b"]
    (Rect(x0=22.0, y0=8.0, x1=42.0, y1=18.0), True)
    """
    inner: list[tuple[dict[str, Rect], dict[str, int], float, float]] = []
    for component in components:
        inner.append(
            _component_layout(
                component, neighbours, sizes, gap=gap, layer_gap=layer_gap, aspect=aspect
            )
        )
    boxes = [(w + 2 * padding, h + 2 * padding) for _, _, w, h in inner]
    area = sum((w + spacing) * (h + spacing) for w, h in boxes)
    limit = max(max((w for w, _ in boxes), default=0.0), math.sqrt(area * aspect))
    placed, width, height = shelf_pack(boxes, width=limit, gap=spacing)
    slots: dict[str, Rect] = {}
    lines: dict[str, int] = {}
    count = 0
    for (local, line, _, _), rect in zip(inner, placed, strict=True):
        for node, slot in local.items():
            slots[node] = slot.shifted(rect.x0 + padding, rect.y0 + padding)
            lines[node] = count + line[node]
        count += max(line.values(), default=-1) + 1
    return LandscapeLayout(
        width=width,
        height=height,
        slots=slots,
        areas=tuple(zip(components, placed, strict=True)),
        lines=lines,
    )


# -- boxes in rows, in groupings that nest ------------------------------------------------


@attrs.frozen
class Leaf:
    """A box of a fixed size: a role, a body.

    Parameters
    ----------
    key
        Its name in the result (any hashable value, unique in the layout).
    width, height
        Its size in points.
    """

    key: Hashable
    width: float
    height: float


@attrs.frozen
class Nest:
    """A grouping of boxes and of further groupings: a level, a jurisdiction.

    Parameters
    ----------
    key
        Its name in the result (any hashable value, unique in the layout).
    children
        What it holds, in order: :class:`Leaf` and :class:`Nest` values.
    direction
        ``"row"``: children left to right, in lines that wrap past
        ``max_width`` (each line centred); ``"column"``: one child a line.
    max_width
        The widest a line of a row grows before it wraps.
    gap
        Space between children on a line, and between the header and the
        children.
    line_gap
        Space between lines.
    padding
        Space between the edge and what is inside.
    header
        The ``(width, height)`` of a caption (a level's name), or ``None``.
    header_side
        ``"left"`` of the children (vertically centred), or ``"top"``.
    stretch
        Give every child grouping the width of the widest, so that the
        captions of a column of rows line up and each row centres its
        lines on the same axis.
    """

    key: Hashable
    children: tuple[Leaf | Nest, ...] = attrs.field(converter=tuple_of)
    direction: str = attrs.field(default="row", validator=attrs.validators.in_(("row", "column")))
    max_width: float = math.inf
    gap: float = 8.0
    line_gap: float = 8.0
    padding: float = 0.0
    header: tuple[float, float] | None = None
    header_side: str = attrs.field(default="left", validator=attrs.validators.in_(("left", "top")))
    stretch: bool = False


@attrs.frozen
class FlowLayout:
    """Where :func:`flow_layout` puts each box, grouping and caption.

    Parameters
    ----------
    width, height
        The size of the whole layout, in points.
    boxes
        Each :class:`Leaf`'s rectangle, by key.
    nests
        Each :class:`Nest`'s rectangle, by key.
    headers
        Each caption's rectangle, by the key of its :class:`Nest`.
    """

    width: float
    height: float
    boxes: Mapping[Hashable, Rect]
    nests: Mapping[Hashable, Rect]
    headers: Mapping[Hashable, Rect]


@attrs.frozen
class _Sized:
    """A node with its size, its children sized, and its lines."""

    node: Leaf | Nest
    width: float
    height: float
    children: tuple[_Sized, ...] = ()
    lines: tuple[tuple[int, int], ...] = ()
    content: tuple[float, float] = (0.0, 0.0)


def _size(node: Leaf | Nest) -> _Sized:
    """Sizes bottom-up. O(n) for n nodes below ``node``."""
    if isinstance(node, Leaf):
        return _Sized(node=node, width=node.width, height=node.height)
    children = tuple(_size(child) for child in node.children)
    widths = [c.width for c in children]
    if node.direction == "row":
        lines = _breaks(widths, node.max_width, node.gap)
    else:
        lines = [(i, i + 1) for i in range(len(children))]
    content_w = max(
        (sum(widths[a:b]) + node.gap * (b - a - 1) for a, b in lines),
        default=0.0,
    )
    content_h = sum(max(c.height for c in children[a:b]) for a, b in lines)
    content_h += node.line_gap * max(len(lines) - 1, 0)
    width, height = _outer(node, content_w, content_h)
    return _Sized(
        node=node,
        width=width,
        height=height,
        children=children,
        lines=tuple(lines),
        content=(content_w, content_h),
    )


def _outer(node: Nest, content_w: float, content_h: float) -> tuple[float, float]:
    """A grouping's size around content of the given size."""
    pad = 2 * node.padding
    if node.header is None:
        return content_w + pad, content_h + pad
    header_w, header_h = node.header
    between = node.gap if node.children else 0.0
    if node.header_side == "left":
        return header_w + between + content_w + pad, max(header_h, content_h) + pad
    return max(header_w, content_w) + pad, header_h + between + content_h + pad


@attrs.frozen
class _Placed:
    """The rectangles found so far."""

    boxes: dict[Hashable, Rect] = attrs.Factory(dict)
    nests: dict[Hashable, Rect] = attrs.Factory(dict)
    headers: dict[Hashable, Rect] = attrs.Factory(dict)


def _place(sized: _Sized, x: float, y: float, width: float, out: _Placed) -> None:
    """Rectangles top-down, the node given ``width`` (at least its own).
    O(n) for n nodes below ``sized``."""
    node = sized.node
    rect = Rect(x, y, x + width, y + sized.height)
    if isinstance(node, Leaf):
        out.boxes[node.key] = rect
        return
    out.nests[node.key] = rect
    left, top = x + node.padding, y + node.padding
    content_w, content_h = sized.content
    area_w = width - (sized.width - content_w)  # the room the content is given
    if node.header is not None:
        header_w, header_h = node.header
        inner_h = sized.height - 2 * node.padding
        if node.header_side == "left":
            hy = top + (inner_h - header_h) / 2
            out.headers[node.key] = Rect(left, hy, left + header_w, hy + header_h)
            left += header_w + node.gap
            top += (inner_h - content_h) / 2
        else:
            out.headers[node.key] = Rect(left, top, left + header_w, top + header_h)
            top += header_h + node.gap
    stretch = node.stretch and node.direction == "column"
    children = sized.children
    for a, b in sized.lines:
        line = children[a:b]
        line_h = max(c.height for c in line)
        given = [area_w if stretch and isinstance(c.node, Nest) else c.width for c in line]
        used = sum(given) + node.gap * (len(line) - 1)
        cx = left + (area_w - used) / 2
        for child, child_w in zip(line, given, strict=True):
            _place(child, cx, top + (line_h - child.height) / 2, child_w, out)
            cx += child_w + node.gap
        top += line_h + node.line_gap


def flow_layout(root: Nest) -> FlowLayout:
    """Lay out boxes in rows inside groupings that may nest.

    Each grouping is sized from what it holds (bottom-up), then placed
    (top-down): a row puts its children left to right in lines that wrap
    past its ``max_width``, each line centred and its children centred on
    the line; a column one child a line. A caption stands left of or above
    the children.

    Returns
    -------
    FlowLayout
        Rectangles of every box, grouping and caption; ``root`` at ``(0, 0)``.

    Notes
    -----
    O(n) for n boxes and groupings. Siblings never overlap (lines are
    disjoint bands; on a line children are ``gap`` apart), a caption never
    overlaps its grouping's children, and every rectangle lies inside its
    parent's, however deep the groupings nest.

    Examples
    --------
    >>> level = Nest("top", [Leaf("a", 30, 10), Leaf("b", 30, 10)], max_width=50,
    ...              header=(20, 8))
    >>> layout = flow_layout(Nest("chart", [level], direction="column"))
    >>> layout.boxes["a"], layout.boxes["b"]
    (Rect(x0=28.0, y0=0.0, x1=58.0, y1=10.0), Rect(x0=28.0, y0=18.0, x1=58.0, y1=28.0))
    >>> layout.headers["top"], (layout.width, layout.height)
    (Rect(x0=0.0, y0=10.0, x1=20.0, y1=18.0), (58.0, 28.0))
    """
    sized = _size(root)
    out = _Placed()
    _place(sized, 0.0, 0.0, sized.width, out)
    return FlowLayout(
        width=sized.width,
        height=sized.height,
        boxes=out.boxes,
        nests=out.nests,
        headers=out.headers,
    )
