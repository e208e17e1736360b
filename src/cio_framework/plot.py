"""Pictures of a scenario with matplotlib (the ``plot`` extra).

Each function draws on a given :class:`matplotlib.axes.Axes` (or a new
figure) and returns the axes, so notebooks can combine and restyle them.
:func:`figure_svg` turns a figure into self-contained SVG text.

Layout. Where things go is computed first, as data, from the sizes of the
texts to draw (``cio_framework._plot_layout``): nothing drawn overlaps
anything else. On a new figure everything is drawn at its natural size
(labels at 7 points) and the figure is made to fit, up to
:data:`MAX_INCHES` a side; on an ``ax`` of your own, or past that size,
the picture is scaled down as a whole, text included, so that it still
fits without overlaps. The landscape and the organisation chart have a
legend, to the right of the drawing; footnotes go below it.

Text. Text from a scenario is drawn as it is: never as mathematics (a
``$`` is a dollar sign) nor given to TeX, even with ``text.usetex`` on;
control characters and lone surrogates are drawn as escapes (``\\x1b``,
``\\ud800``). Chinese is drawn with an installed font that has it (Noto
Sans CJK, Source Han Sans, WenQuanYi, Microsoft YaHei, PingFang, SimHei
...); with none installed, each character no font has is written as its
code (``\\u6d66``) and a footnote says so, so that matplotlib never warns of
a missing glyph. Labels longer than :data:`LABEL_CHARS` characters end in
``…``.

The functions change no global state of matplotlib: no ``rcParams``, no
warning filters, no registered fonts. A new figure is a pyplot figure, open
until closed (``plt.close(figure)``); :func:`figure_svg` closes it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Set
from typing import Any

from . import _plot_frame, _plot_text
from ._escape import visible
from ._optional import require
from ._plot_layout import (
    Component,
    Leaf,
    Nest,
    Rect,
    flow_layout,
    landscape_layout,
)
from .analysis import islands, priorities
from .analysis.connectivity import IslandReport
from .analysis.priorities import PriorityReport
from .graph.jurisdictions import JurisdictionTree
from .model import FACTORS, Scenario

__all__ = [
    "LABEL_CHARS",
    "LABEL_NODES",
    "MAX_INCHES",
    "figure_svg",
    "plot_landscape",
    "plot_org_chart",
    "plot_priorities",
]

#: Characters of a label drawn (an id, a name); a longer one ends in ``…``.
LABEL_CHARS = 30
#: The landscape's nodes are labelled up to this many systems and
#: platforms; a larger landscape is drawn without labels, and says so.
LABEL_NODES = 1_000
#: The largest side of a new figure, in inches; a larger picture is scaled
#: down to fit.
MAX_INCHES = 50.0

#: Colours of the departments' systems, most systems first; a landscape of
#: more departments draws the rest in :data:`_OTHERS`.
_PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#a0cbe8",
    "#8cd17d",
)
_OTHERS = "#bab0ac"
#: Colours of the priority factors.
_FACTOR_COLOURS = (
    "#4e79a7",
    "#59a14f",
    "#9c755f",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#bab0ac",
    "#f28e2b",
    "#86bcb6",
)
_ISLAND = "#e15759"
#: How each kind of component's box is drawn: face, edge, edge width, style.
_AREA_STYLE = {
    "group": ("#f4f6f8", "#9aa5b1", 0.8, "-"),
    "island": ("#fdecea", _ISLAND, 1.6, "-"),
    "platforms": ("#ffffff", "#9aa5b1", 0.8, "--"),
}
_AREA_LEGEND = {
    "group": "group of systems that reaches a platform",
    "island": "information island: reaches no platform",
    "platforms": "platforms no system exchanges with",
}
_EXCHANGE = "#8a8a8a"

#: Sizes in points (at the natural size of a picture).
_LABEL_SIZE = _plot_frame.LABEL_SIZE
_NOTE_SIZE = _plot_frame.NOTE_SIZE
_SYSTEM = 10.0  # a system's marker
_PLATFORM = 13.0  # a platform's marker
_LABEL_GAP = 1.5  # between a marker and its label
_BOX_PAD = (6.0, 4.0)  # inside an organisation chart's box
_ROW_WIDTH = 900.0  # an organisation chart's row wraps past this


def _axes(ax: Any, size: tuple[float, float]) -> Any:
    """``ax``, or the axes of a new figure of ``size`` inches whose layout
    makes room for the labels, legend and notes around the axes."""
    require("matplotlib", "plot")
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


def _drawn(text: str) -> str:
    """``text`` as it may be drawn: controls shown as escapes (``\\x1b``), and
    lone surrogates (from a JSON ``\\ud800``), which no font can draw, as
    ``\\ud800``."""
    return visible(text).encode("utf-8", "backslashreplace").decode("utf-8")


def _clip(text: str, limit: int = LABEL_CHARS) -> str:
    """At most ``limit`` characters of ``text``, the last ``…`` if cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _one_line(text: str) -> str:
    """``text`` on one line: line breaks (and the Unicode line and paragraph
    separators) as spaces."""
    return (
        text.replace("\r\n", " ").replace("\n", " ").replace("\u2028", " ").replace("\u2029", " ")
    )


# -- the landscape -----------------------------------------------------------------------


def _components(
    report: IslandReport, kinds: Mapping[str, str], neighbours: Mapping[str, Set[str]]
) -> list[Component]:
    """The landscape's components: the groups of ``report`` (largest first,
    each island or not), then the nodes in no group (platforms no system
    exchanges with) together. O(V log V)."""
    parts: list[Component] = []
    placed: set[str] = set()
    for group in report.groups:
        members = [m for m in (*group.systems, *group.platforms) if m in kinds]
        parts.append(
            Component(group.id, members, group.platforms, "island" if group.is_island else "group")
        )
        placed.update(members)
    rest = sorted(n for n in kinds if n not in placed)
    if rest:
        roots = [n for n in rest if kinds[n] == "platform"]
        parts.append(Component(rest[0], rest, roots, "platforms"))
    return parts


#: How each kind of node is drawn: marker, size, edge colour, edge width.
_NODE_STYLE = {
    "system": ("o", _SYSTEM, "#ffffff", 0.8),
    "platform": ("s", _PLATFORM, "#000000", 1.5),
    "other": ("o", _SYSTEM, "#777777", 0.8),
}


def _kind(kind: str) -> str:
    return kind if kind in ("system", "platform") else "other"


def _department_colours(counts: Mapping[str, int]) -> tuple[dict[str, str], list[str]]:
    """A colour for each department (most systems first, then by id) and
    the departments beyond the palette, drawn in one grey. O(D log D)."""
    ordered = sorted(counts, key=lambda d: (-counts[d], d))
    if len(ordered) > len(_PALETTE):
        shown, others = ordered[: len(_PALETTE) - 1], ordered[len(_PALETTE) - 1 :]
    else:
        shown, others = ordered, []
    colours = {d: _PALETTE[n] for n, d in enumerate(shown)}
    colours.update(dict.fromkeys(others, _OTHERS))
    return colours, others


def plot_landscape(scenario: Scenario, *, ax: Any = None, labels: bool = True) -> Any:
    """Draw the landscape: each group of connected systems in a box of its own.

    Each group of systems that live exchanges connect
    (:func:`~cio_framework.analysis.islands`) is drawn in a box; the box of
    an information island (a group that reaches no platform) is red. No
    two boxes overlap. Inside a box the group's platforms stand at the top,
    then its systems in layers by how many exchanges away from a platform
    they are. Systems are circles coloured by department; platforms are
    white squares; exchanges are grey lines (an arc between two nodes of
    one line). Platforms no system exchanges with share a dashed box. The
    legend says what each colour and shape means; node ids label the nodes
    (up to :data:`LABEL_NODES` nodes), and no two labels overlap.

    The layout depends only on the ids and the exchanges, not on the order
    of the scenario's lists.

    Parameters
    ----------
    scenario
        The scenario.
    ax
        Axes to draw on; a new figure, sized to fit, when ``None``.
    labels
        Write node ids under the nodes.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    O((V + E) log V) for V systems and platforms and E exchanges, and at
    most one text a node.

    Examples
    --------
    >>> import cio_framework
    >>> ax = plot_landscape(cio_framework.builtin("pudong-2016"))
    >>> ax.get_title()
    'Information landscape: 4 groups, 3 islands'
    >>> legend = [t.get_text() for t in ax.get_legend().get_texts()]
    >>> legend[:3]
    ['system (its colour: its department)', 'shared platform', 'live exchange']
    """
    require("matplotlib", "plot")
    from matplotlib.patches import FancyBboxPatch

    from .graph import to_networkx

    graph = to_networkx(scenario)
    report = islands(scenario)
    kinds: dict[str, str] = {str(n): str(d.get("kind", "")) for n, d in graph.nodes(data=True)}
    neighbours: dict[str, set[str]] = {n: set() for n in kinds}
    for u, v in graph.edges():
        if u != v:
            neighbours[u].add(v)
            neighbours[v].add(u)
    owner = {
        str(n): str(d["department"]) for n, d in graph.nodes(data=True) if d.get("kind") == "system"
    }
    counts: dict[str, int] = {}
    for department in owner.values():
        counts[department] = counts.get(department, 0) + 1
    colours, others = _department_colours(counts)

    writer = _plot_frame.Writer()
    extras = _plot_frame.Extras(writer)
    show_labels = labels and len(kinds) <= LABEL_NODES
    if labels and not show_labels:
        extras.notes.append(
            f"Nodes are not labelled: {len(kinds):,} systems and platforms are more than "
            f"{LABEL_NODES:,}."
        )
    texts: dict[str, tuple[str, str]] = {}
    sizes: dict[str, tuple[float, float]] = {}
    for node in sorted(kinds):
        marker = _NODE_STYLE[_kind(kinds[node])][1]
        if show_labels:
            shown, path, (w, h) = writer.prepare(_clip(_one_line(_drawn(node))), _LABEL_SIZE)
            texts[node] = (shown, path)
            sizes[node] = (max(marker, w), marker + _LABEL_GAP + h)
        else:
            sizes[node] = (marker, marker)
    parts = _components(report, kinds, neighbours)
    layout = landscape_layout(parts, neighbours, sizes)

    if kinds:
        extras.add(
            _plot_frame.marker("o", "#cccccc", "#ffffff", _SYSTEM * 0.8),
            "system (its colour: its department)",
        )
        extras.add(
            _plot_frame.marker("s", "#ffffff", "#000000", _PLATFORM * 0.7), "shared platform"
        )
        extras.add(_plot_frame.line(_EXCHANGE, 1.0), "live exchange")
        for kind in ("group", "island", "platforms"):
            if any(part.kind == kind for part in parts):
                face, edge, width, style = _AREA_STYLE[kind]
                extras.add(_plot_frame.patch(face, edge, width, style), _AREA_LEGEND[kind])
        names = {d.id: d.name for d in scenario.departments}
        for department, colour in colours.items():
            if colour != _OTHERS:
                name = names.get(department) or department
                extras.add(_plot_frame.patch(colour, "none"), _clip(_one_line(_drawn(name))))
        if others:
            extras.add(_plot_frame.patch(_OTHERS, "none"), f"{len(others):,} other departments")
    else:
        extras.notes.append("No system or platform is in use: nothing to draw.")
    footnote = extras.footnote()
    ax, scale, legend_at, footnote_at = _plot_frame.frame(
        ax,
        (layout.width, layout.height),
        extras.legend_size(),
        footnote and footnote[2],
        max_inches=MAX_INCHES,
    )

    for part, rect in layout.areas:
        face, edge, width, style = _AREA_STYLE.get(part.kind, _AREA_STYLE["platforms"])
        ax.add_patch(
            FancyBboxPatch(
                (rect.x0, -rect.y1),
                rect.width,
                rect.height,
                boxstyle="round,pad=0,rounding_size=6",
                facecolor=face,
                edgecolor=edge,
                linewidth=width * scale,
                linestyle=style,
                zorder=0,
                label=f"_{part.kind}",
            )
        )
    centre = {
        node: (slot.centre[0], slot.y0 + _NODE_STYLE[_kind(kinds[node])][1] / 2)
        for node, slot in layout.slots.items()
    }
    xs: list[float] = []
    ys: list[float] = []
    for u, v in sorted({(min(u, v), max(u, v)) for u, v in graph.edges() if u != v}):
        start, end = centre[u], centre[v]
        if layout.lines[u] == layout.lines[v]:
            rise = min(abs(end[0] - start[0]) * 0.3, 3 * _SYSTEM + _LABEL_SIZE)
            _plot_frame.polyline(_plot_frame.arc(start, end, rise), xs, ys)
        else:
            _plot_frame.polyline([start, end], xs, ys)
    if xs:
        ax.plot(xs, ys, color=_EXCHANGE, linewidth=scale, zorder=1, label="_exchanges")
    by_kind: dict[str, list[str]] = {kind: [] for kind in _NODE_STYLE}
    for node in sorted(kinds):
        by_kind[_kind(kinds[node])].append(node)
    for kind, nodes in by_kind.items():
        if not nodes:
            continue
        shape, size, edge, edge_width = _NODE_STYLE[kind]
        ax.scatter(
            [centre[n][0] for n in nodes],
            [-centre[n][1] for n in nodes],
            s=(size * scale) ** 2,
            marker=shape,
            c=[
                colours.get(owner.get(n, ""), _OTHERS) if kind == "system" else "#ffffff"
                for n in nodes
            ],
            edgecolors=edge,
            linewidths=edge_width * scale,
            zorder=2,
            label=f"_{kind}",
        )
    for node, (shown, path) in texts.items():
        slot = layout.slots[node]
        ax.text(
            slot.centre[0],
            -(slot.y0 + _NODE_STYLE[_kind(kinds[node])][1] + _LABEL_GAP),
            shown,
            fontproperties=writer.font(path, _LABEL_SIZE * scale),
            parse_math=False,
            usetex=False,
            ha="center",
            va="top",
            zorder=3,
            label="_node-label",
            bbox={
                "boxstyle": "square,pad=0.1",
                "facecolor": "#ffffff",
                "alpha": 0.75,
                "linewidth": 0,
            },
        )
    extras.draw(ax, scale, legend_at, footnote_at, footnote)
    _plot_frame.title(
        ax, f"Information landscape: {len(report.groups)} groups, {len(report.islands)} islands"
    )
    return ax


# -- the organisation chart ----------------------------------------------------------------


def _chart_rows(
    scenario: Scenario, belongs: Any = None
) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """The chart's rows, top down: ``(level id, level name, items)``, each item
    ``(kind, id, text)`` with kind ``"role"`` or ``"body"``; names and texts
    as they may be drawn (escapes for controls, one line, clipped). With
    ``belongs``, a test of ids, only the roles and bodies it accepts, and
    only the rows that hold some.

    The scenario's levels come first, in their order, then any other level
    a role or body names, by id; a body without a level goes to the last
    level. In a row, items follow the order of what they report to (a
    role's ``reports_to``, a body's chair) in the rows above, then roles
    before bodies, then by id, so that reporting lines cross little and the
    chart does not depend on the order of the scenario's lists. A role's
    text is its id over its holder's name (or id, or ``(vacant)``); a body's
    its name.

    Notes
    -----
    O(n log n) for n roles and bodies.
    """
    levels = [level.id for level in scenario.levels]
    names = {level.id: level.name for level in scenario.levels}
    people = {p.id: p for p in scenario.people}
    last = levels[-1] if levels else ""
    items: dict[str, list[tuple[str, str, str, str | None]]] = {level: [] for level in levels}
    for role in scenario.roles:
        if belongs is not None and not belongs(role.id):
            continue
        holder = people.get(role.holder or "")
        who = "(vacant)" if role.holder is None else (holder.name if holder else "") or role.holder
        text = f"{_clip(_one_line(_drawn(role.id)))}\n{_clip(_one_line(_drawn(who)))}"
        items.setdefault(role.level, []).append(("role", role.id, text, role.reports_to))
    for body in scenario.bodies:
        if belongs is not None and not belongs(body.id):
            continue
        text = _clip(_one_line(_drawn(body.name or body.id)))
        items.setdefault(body.level or last, []).append(("body", body.id, text, body.chair))
    order = levels + sorted(set(items) - set(levels))
    if belongs is not None:
        order = [level for level in order if items[level]]
    rank: dict[str, int] = {}
    rows = []
    for level in order:
        row = _row_order(items[level], rank)
        for kind, item_id, _, _ in row:
            if kind == "role":
                rank.setdefault(item_id, len(rank))
        name = _clip(_one_line(_drawn(names.get(level) or level)))
        rows.append((level, name, [(k, i, t) for k, i, t, _ in row]))
    return rows


def _row_order(
    items: list[tuple[str, str, str, str | None]], rank: Mapping[str, int]
) -> list[tuple[str, str, str, str | None]]:
    """Items of one row in order: those whose superior is in a row above by
    the superior's place there (those with none after them), roles before
    bodies, then by id; each followed at once by the items that report to it
    within the row, in the same order. O(n log n)."""
    here = {item_id for kind, item_id, _, _ in items if kind == "role"}

    def key(item: tuple[str, str, str, str | None]) -> tuple[bool, int, bool, str]:
        superior = item[3] or ""
        return (superior not in rank, rank.get(superior, 0), item[0] == "body", item[1])

    ranked = sorted(items, key=key)
    below: dict[str, list[int]] = {}
    first = []
    for number, item in enumerate(ranked):
        superior = item[3]
        if superior is not None and superior in here and superior != item[1]:
            below.setdefault(superior, []).append(number)
        else:
            first.append(number)
    ordered: list[tuple[str, str, str, str | None]] = []
    done = [False] * len(ranked)
    # depth first, without recursion; a cycle of superiors within the row is
    # reached from none of `first`, and is taken up at its first item by key
    stack = list(reversed(first))
    restart = iter(range(len(ranked)))
    while len(ordered) < len(ranked):
        if not stack:
            stack.append(next(n for n in restart if not done[n]))
        number = stack.pop()
        if done[number]:
            continue
        done[number] = True
        item = ranked[number]
        ordered.append(item)
        if item[0] == "role":
            stack.extend(reversed(below.get(item[1], [])))
    return ordered


def _link(child: Rect, parent: Rect) -> list[tuple[float, float]]:
    """A reporting line's points: from the child's top to the parent's
    bottom (or the other way round), or an arc over both on one line. O(1)."""
    if child.y0 >= parent.y1:
        return [(child.centre[0], child.y0), (parent.centre[0], parent.y1)]
    if parent.y0 >= child.y1:
        return [(child.centre[0], child.y1), (parent.centre[0], parent.y0)]
    rise = min(abs(parent.centre[0] - child.centre[0]) * 0.25, 40.0) + 6.0
    return _plot_frame.arc((child.centre[0], child.y0), (parent.centre[0], parent.y0), rise)


#: Jurisdictions nested deeper than this are drawn inside their ancestor at
#: this depth, side by side, so that a long chain stays a readable picture.
MAX_NESTING = 6


class _Chart:
    """The organisation chart's groupings: level bands, and with
    jurisdictions, a box for each holding its own bands and the boxes of
    those below it (see :func:`plot_org_chart`)."""

    def __init__(self, scenario: Scenario, writer: Any) -> None:
        self.scenario = scenario
        self.writer = writer
        self.tree = JurisdictionTree(scenario)
        #: kind, id, text and font of each box, by the key of its Leaf.
        self.boxes: list[tuple[str, str, str, str]] = []
        #: Key, text and font of each level band and each jurisdiction box.
        self.bands: list[tuple[Any, str, str]] = []
        self.places: list[tuple[Any, str, str]] = []
        headers = [
            writer.prepare(level.name, _LABEL_SIZE + 1, bold=True) for level in scenario.levels
        ]
        self.header_w = max((size[0] for _, _, size in headers), default=0.0)

    def root(self) -> Nest:
        tree = self.tree
        if not tree.parent:
            return Nest(
                "chart", self._bands(None, None), direction="column", line_gap=8.0, stretch=True
            )
        children: list[Leaf | Nest] = self._bands(None, lambda i: tree.of(i) is None)
        tops = [self._place(j, 1) for j in tree.children(None)]
        children.append(Nest(("below", None), tops, max_width=2 * _ROW_WIDTH, gap=14.0))
        return Nest("chart", children, direction="column", line_gap=8.0)

    def _place(self, jurisdiction: str, depth: int) -> Nest:
        tree = self.tree
        members = {jurisdiction}
        if depth >= MAX_NESTING:
            members.update(j for j in tree.jurisdictions if tree.is_within(j, jurisdiction))
        children: list[Leaf | Nest] = self._bands(jurisdiction, lambda i: tree.of(i) in members)
        if depth < MAX_NESTING:
            below = [self._place(j, depth + 1) for j in tree.children(jurisdiction)]
            if below:
                children.append(
                    Nest(("below", jurisdiction), below, max_width=2 * _ROW_WIDTH, gap=14.0)
                )
        name = _clip(_one_line(_drawn(tree.names[jurisdiction])))
        shown, path, size = self.writer.prepare(name, _LABEL_SIZE + 2, bold=True)
        key = ("jurisdiction", jurisdiction)
        self.places.append((key, shown, path))
        return Nest(
            key,
            children,
            direction="column",
            line_gap=8.0,
            padding=6.0,
            header=size,
            header_side="top",
            stretch=True,
        )

    def _bands(self, place: str | None, belongs: Any) -> list[Leaf | Nest]:
        """The level bands of one place's roles and bodies."""
        writer = self.writer
        bands: list[Leaf | Nest] = []
        for number, (_, name, items) in enumerate(_chart_rows(self.scenario, belongs)):
            shown, path, (header_w, header_h) = writer.prepare(name, _LABEL_SIZE + 1, bold=True)
            leaves = []
            for kind, item_id, text in items:
                drawn, font, (w, h) = writer.prepare(text, _LABEL_SIZE)
                leaves.append(Leaf(len(self.boxes), w + 2 * _BOX_PAD[0], h + 2 * _BOX_PAD[1]))
                self.boxes.append((kind, item_id, drawn, font))
            key = ("level", place, number)
            self.bands.append((key, shown, path))
            bands.append(
                Nest(
                    key,
                    leaves,
                    max_width=max(_ROW_WIDTH, max((leaf.width for leaf in leaves), default=0.0)),
                    gap=10.0,
                    line_gap=18.0,
                    padding=5.0,
                    header=(max(self.header_w, header_w), header_h),
                )
            )
        return bands


def _caption(ax: Any, where: Rect, font: Any, text: str, label: str) -> None:
    """Draw a grouping's caption (a level's or a jurisdiction's name) at the
    left of its rectangle, vertically centred."""
    ax.text(
        where.x0,
        -where.centre[1],
        text,
        fontproperties=font,
        parse_math=False,
        usetex=False,
        ha="left",
        va="center",
        zorder=3,
        label=label,
    )


_ROLE_BOX = ("square,pad=0", "#e8f0fb")
_BODY_BOX = ("round,pad=0,rounding_size=5", "#fff5d6")
_LINE = "#555555"


def plot_org_chart(scenario: Scenario, *, ax: Any = None) -> Any:
    """Draw the organisation chart laid out by governance level.

    Each level is a band, top down, its name on the left; its roles
    (square boxes: id and holder) and bodies (rounded boxes) stand in
    lines that wrap, ordered so that each stands below what it reports to
    where it can. With jurisdictions, the scenario level's bands come
    first, then a box for each jurisdiction, named at its top, holding the
    bands of its own roles and bodies and, side by side, the boxes of the
    jurisdictions below it (nested up to ``MAX_NESTING`` deep; deeper ones
    are drawn in their ancestor's box). No two boxes overlap, nor any two
    texts. Reporting lines
    are solid, dotted lines dashed (an arc between boxes of one line); a
    legend says so.

    Parameters
    ----------
    scenario
        The scenario.
    ax
        Axes to draw on; a new figure, sized to fit, when ``None``.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    O(n log n + m) for n roles and bodies and m reporting and dotted lines.

    Examples
    --------
    >>> import cio_framework
    >>> ax = plot_org_chart(cio_framework.builtin("pudong-2016"))
    >>> len(ax.texts) >= len(cio_framework.builtin("pudong-2016").roles)
    True
    """
    require("matplotlib", "plot")
    from matplotlib.patches import FancyBboxPatch, Rectangle

    writer = _plot_frame.Writer()
    extras = _plot_frame.Extras(writer)
    chart = _Chart(scenario, writer)
    layout = flow_layout(chart.root())
    boxes = chart.boxes

    kinds = {kind for kind, _, _, _ in boxes}
    if "role" in kinds:
        extras.add(_plot_frame.patch(_ROLE_BOX[1], "#333333"), "role: id and holder")
    if "body" in kinds:
        extras.add(_plot_frame.patch(_BODY_BOX[1], "#333333"), "body")
    where = {(kind, item_id): layout.boxes[n] for n, (kind, item_id, _, _) in enumerate(boxes)}
    lines: dict[str, tuple[list[float], list[float]]] = {"-": ([], []), "--": ([], [])}
    for role in sorted(scenario.roles, key=lambda r: r.id):
        start = where.get(("role", role.id))
        targets = [(role.reports_to, "-"), *((d, "--") for d in sorted(role.dotted_lines))]
        for target, style in targets:
            end = where.get(("role", target or ""))
            if start is not None and end is not None and start is not end:
                _plot_frame.polyline(_link(start, end), *lines[style])
    if lines["-"][0]:
        extras.add(_plot_frame.line(_LINE, 1.2), "reports to")
    if lines["--"][0]:
        extras.add(_plot_frame.line(_LINE, 0.9, "--"), "dotted line")
    footnote = extras.footnote()
    ax, scale, legend_at, footnote_at = _plot_frame.frame(
        ax,
        (layout.width, layout.height),
        extras.legend_size(),
        footnote and footnote[2],
        max_inches=MAX_INCHES,
    )

    for key, shown, path in chart.places:
        area = layout.nests[key]
        ax.add_patch(
            Rectangle(
                (area.x0, -area.y1),
                area.width,
                area.height,
                facecolor="none",
                edgecolor="#7a869a",
                linewidth=1.0 * scale,
                zorder=0,
                label="_jurisdiction",
            )
        )
        _caption(
            ax,
            layout.headers[key],
            writer.font(path, (_LABEL_SIZE + 2) * scale),
            shown,
            "_jurisdiction-name",
        )
    for number, (key, shown, path) in enumerate(chart.bands):
        band = layout.nests[key]
        ax.add_patch(
            Rectangle(
                (band.x0, -band.y1),
                band.width,
                band.height,
                facecolor="#f6f7f9" if number % 2 == 0 else "#ffffff",
                edgecolor="none",
                zorder=0,
                label="_level",
            )
        )
        _caption(
            ax,
            layout.headers[key],
            writer.font(path, (_LABEL_SIZE + 1) * scale),
            shown,
            "_level-name",
        )
    for style, (xs, ys) in lines.items():
        if xs:
            ax.plot(
                xs,
                ys,
                linestyle=style,
                color=_LINE,
                linewidth=(1.2 if style == "-" else 0.9) * scale,
                zorder=1,
                label="_reports-to" if style == "-" else "_dotted-line",
            )
    for number, (kind, _, shown, path) in enumerate(boxes):
        rect = layout.boxes[number]
        boxstyle, face = _ROLE_BOX if kind == "role" else _BODY_BOX
        ax.add_patch(
            FancyBboxPatch(
                (rect.x0, -rect.y1),
                rect.width,
                rect.height,
                boxstyle=boxstyle,
                facecolor=face,
                edgecolor="#333333",
                linewidth=0.8 * scale,
                zorder=2,
                label=f"_{kind}",
            )
        )
        ax.text(
            rect.centre[0],
            -rect.centre[1],
            shown,
            fontproperties=writer.font(path, _LABEL_SIZE * scale),
            parse_math=False,
            usetex=False,
            ha="center",
            va="center",
            multialignment="center",
            zorder=3,
            label="_box-text",
        )
    extras.draw(ax, scale, legend_at, footnote_at, footnote)
    _plot_frame.title(ax, "Organisation chart (solid: reports to; dashed: dotted line)")
    return ax


# -- the priorities -------------------------------------------------------------------------


def plot_priorities(report: PriorityReport | Scenario, *, ax: Any = None, top: int = 10) -> Any:
    """Draw the top priorities as horizontal bars split by factor.

    Each bar stacks the weighted contribution of every factor; the cost
    goes to the left of zero. Priority ids label the bars (Chinese in a
    font that has it, as the other pictures).

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    O(n log n) for n priorities, and ``top`` bars drawn.

    Examples
    --------
    >>> import cio_framework
    >>> ax = plot_priorities(cio_framework.builtin("pudong-2016"), top=3)
    >>> len(ax.get_yticklabels())
    3
    """
    if isinstance(report, Scenario):
        report = priorities(report)
    chosen = list(report.top(top))[::-1]
    own = ax is None
    ax = _axes(ax, (10, 0.5 * max(len(chosen), 2) + 1.5))
    setter = _plot_text.Typesetter(_plot_text.cjk_font(), _plot_text.cjk_font(bold=True))
    names = list(range(len(chosen)))
    left_positive = [0.0] * len(chosen)
    for number, factor in enumerate(FACTORS):
        weight = report.weights.get(factor, 0.0)
        values = [weight * p.factors.get(factor, 0.0) for p in chosen]
        if factor == "cost":
            ax.barh(names, [-v for v in values], color="#bab0ac", label="cost (subtracted)")
            continue
        ax.barh(
            names,
            values,
            left=left_positive,
            color=_FACTOR_COLOURS[number % len(_FACTOR_COLOURS)],
            label=factor.replace("_", " "),
        )
        left_positive = [a + b for a, b in zip(left_positive, values, strict=True)]
    labels = [setter.prepare(_clip(_one_line(_drawn(p.id)), 60)) for p in chosen]
    ax.set_yticks(names, labels=[shown for shown, _ in labels])
    ticks = ax.get_yticklabels()
    _plot_frame.literal(ticks)
    for tick, (_, path) in zip(ticks, labels, strict=True):
        tick.set_fontproperties(setter.properties(path, tick.get_fontsize()))
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlabel("weighted contribution to the score")
    _plot_frame.title(ax, f"Top {len(chosen)} integration priorities")
    if own:  # beside the bars, the figure laid out to make room for it
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    else:
        ax.legend(fontsize=7, loc="best")
    if setter.escaped:
        ax.annotate(
            _plot_text.ESCAPE_NOTE,
            xy=(0, 0),
            xycoords="axes fraction",
            xytext=(0, -36),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=_NOTE_SIZE,
            color="#555555",
            annotation_clip=False,
            parse_math=False,
            usetex=False,
            label="_footnote",
        )
    return ax


def figure_svg(ax_or_figure: Any) -> str:
    """Self-contained SVG text of a figure (text drawn as paths), then closed.

    The text is the same for the same figure: it holds no date, and its
    ids are hashed from their content with a fixed salt.

    Examples
    --------
    >>> import cio_framework
    >>> svg = figure_svg(plot_priorities(cio_framework.builtin("pudong-2016"), top=2))
    >>> svg.lstrip().startswith("<svg")
    True
    """
    import matplotlib.pyplot as plt

    figure = getattr(ax_or_figure, "figure", ax_or_figure)
    buffer = io.StringIO()
    # no date, and ids hashed with a fixed salt: the same figure gives the same text
    with plt.rc_context({"svg.fonttype": "path", "svg.hashsalt": "cio-framework"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]
