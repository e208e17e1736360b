"""Pictures of a scenario with matplotlib (the ``plot`` extra).

Each function draws on a given :class:`matplotlib.axes.Axes` (or a new
figure) and returns the axes, so notebooks can combine and restyle them.
:func:`figure_svg` turns a figure into self-contained SVG text.

Text from a scenario is drawn as it is: never as mathematics (a ``$`` is a
dollar sign) nor given to TeX, even with ``text.usetex`` on; control
characters and lone surrogates are drawn as escapes (``\\x1b``, ``\\ud800``).
"""

from __future__ import annotations

import io
import math
from typing import Any

from ._escape import visible
from .analysis import islands, priorities
from .analysis._results import require
from .analysis.priorities import PriorityReport
from .model import FACTORS, Scenario

__all__ = ["figure_svg", "plot_landscape", "plot_org_chart", "plot_priorities"]

_PALETTE = [
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
]
_ISLAND = "#e15759"
#: From this many nodes networkx's spring layout needs scipy (which no extra
#: installs) and draws a hairball anyway: larger landscapes are drawn in rings.
_SPRING_LIMIT = 500


def _axes(ax: Any, size: tuple[float, float]) -> Any:
    require("matplotlib", "plot")
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=size)
    return new


def _drawn(text: str) -> str:
    """``text`` as it may be drawn: controls shown as escapes (``\\x1b``), and
    lone surrogates (from a JSON ``\\ud800``), which no font can draw, as
    ``\\ud800``."""
    return visible(text).encode("utf-8", "backslashreplace").decode("utf-8")


def _literal(texts: Any) -> None:
    """Draw each of ``texts`` as it is: no mathtext, no TeX."""
    for text in texts:
        text.set_parse_math(False)
        text.set_usetex(False)


def plot_landscape(scenario: Scenario, *, ax: Any = None, labels: bool = True) -> Any:
    """Draw the landscape: systems coloured by group, islands and platforms highlighted.

    Islands are drawn in red with a thick outline; platforms are squares.
    Up to 499 nodes the layout is force-directed (networkx's spring layout,
    seeded); from 500 nodes, where that needs scipy, platforms stand on an
    inner ring and systems on an outer ring, group by group, so the picture
    is the same with or without scipy.

    Parameters
    ----------
    scenario
        The scenario.
    ax
        Axes to draw on; a new figure when ``None``.
    labels
        Write node ids next to the nodes.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import cio_framework
    >>> ax = plot_landscape(cio_framework.builtin("pudong-2016"))
    >>> ax.get_title()
    'Information landscape: 4 groups, 3 islands'
    """
    import networkx as nx

    from .graph import to_networkx

    ax = _axes(ax, (9, 7))
    graph = to_networkx(scenario).to_undirected(as_view=False)
    report = islands(scenario)
    colour: dict[str, str] = {}
    island_nodes: set[str] = set()
    for number, group in enumerate(report.groups):
        shade = _ISLAND if group.is_island else _PALETTE[number % len(_PALETTE)]
        for member in (*group.systems, *group.platforms):
            colour[member] = shade
        if group.is_island:
            island_nodes.update(group.systems)
    simple = nx.Graph(graph)
    systems = [n for n, d in graph.nodes(data=True) if d.get("kind") == "system"]
    platforms = [n for n, d in graph.nodes(data=True) if d.get("kind") == "platform"]
    if len(simple) < _SPRING_LIMIT:
        position = nx.spring_layout(simple, seed=7, k=1.5 / math.sqrt(max(len(simple), 1)))
    else:
        # group by group (largest first), then the rest, each by id
        placed = {n: i for i, g in enumerate(report.groups) for n in g.systems}
        inner = set(platforms)
        outer = sorted(
            (n for n in simple if n not in inner),
            key=lambda n: (placed.get(n, len(report.groups)), str(n)),
        )
        shells = [shell for shell in (sorted(platforms, key=str), outer) if shell]
        position = nx.shell_layout(simple, nlist=shells)
    nx.draw_networkx_edges(simple, position, ax=ax, edge_color="#999999", width=1.0)
    nx.draw_networkx_nodes(
        simple,
        position,
        nodelist=systems,
        ax=ax,
        node_size=320,
        node_color=[colour.get(n, "#cccccc") for n in systems],
        edgecolors=["#000000" if n in island_nodes else "#ffffff" for n in systems],
        linewidths=[2.5 if n in island_nodes else 1.0 for n in systems],
    )
    nx.draw_networkx_nodes(
        simple,
        position,
        nodelist=platforms,
        ax=ax,
        node_size=700,
        node_shape="s",
        node_color=[colour.get(n, "#cccccc") for n in platforms],
        edgecolors="#000000",
        linewidths=2.0,
    )
    if labels:
        spread = max((abs(y) for _, y in position.values()), default=1.0) or 1.0
        above = {node: (x, y + 0.06 * spread) for node, (x, y) in position.items()}
        drawn = nx.draw_networkx_labels(
            simple, above, labels={n: _drawn(str(n)) for n in simple}, ax=ax, font_size=7
        )
        _literal(drawn.values())
    ax.set_title(
        f"Information landscape: {len(report.groups)} groups, {len(report.islands)} islands"
    )
    ax.set_axis_off()
    return ax


def plot_org_chart(scenario: Scenario, *, ax: Any = None) -> Any:
    """Draw the organisation chart laid out by governance level.

    Roles are boxes in rows, one row per level from the top; solid
    reporting lines are solid, dotted lines dashed; bodies appear at their
    level as rounded boxes.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import cio_framework
    >>> ax = plot_org_chart(cio_framework.builtin("pudong-2016"))
    >>> len(ax.texts) >= len(cio_framework.builtin("pudong-2016").roles)
    True
    """
    levels = [level.id for level in scenario.levels]
    people = {p.id: p for p in scenario.people}
    rows: dict[str, list[tuple[str, str, str]]] = {level: [] for level in levels}
    for role in scenario.roles:
        holder = people.get(role.holder or "")
        who = (
            holder.name
            if holder is not None and holder.name
            else ("vacant" if role.holder is None else "")
        )
        rows.setdefault(role.level, []).append(("role", role.id, f"{role.id}\n{who}".strip()))
    for body in scenario.bodies:
        rows.setdefault(body.level or (levels[-1] if levels else ""), []).append(
            ("body", body.id, body.name)
        )
    widest_row = max((len(items) for items in rows.values()), default=1)
    ax = _axes(ax, (max(8.0, 1.5 * widest_row + 2), 1.6 * max(len(rows), 1) + 1))
    position: dict[str, tuple[float, float]] = {}
    widest = max((len(items) for items in rows.values()), default=1) or 1
    for depth, level in enumerate(rows):
        items = rows[level]
        for slot, (_, item_id, _) in enumerate(items):
            x = (slot + 0.5) * widest / max(len(items), 1)
            position[item_id] = (x, -depth)
    for role in scenario.roles:
        start = position.get(role.id)
        for target, style in [(role.reports_to, "-"), *((d, "--") for d in role.dotted_lines)]:
            end = position.get(target) if target else None
            if start and end:
                ax.plot(
                    [start[0], end[0]],
                    [start[1], end[1]],
                    linestyle=style,
                    color="#555555",
                    linewidth=1.2 if style == "-" else 0.9,
                    zorder=1,
                )
    for items in rows.values():
        for kind, item_id, title in items:
            x, y = position[item_id]
            title = _drawn(title)
            text = title if len(title) <= 30 else title[:28] + "…"
            ax.text(
                x,
                y,
                text,
                parse_math=False,
                usetex=False,
                ha="center",
                va="center",
                fontsize=7,
                zorder=2,
                bbox={
                    "boxstyle": "round,pad=0.4" if kind == "body" else "square,pad=0.4",
                    "facecolor": "#fff5d6" if kind == "body" else "#e8f0fb",
                    "edgecolor": "#333333",
                },
            )
    names = {level.id: level.name for level in scenario.levels}
    for depth, level in enumerate(rows):
        ax.text(
            -0.3,
            -depth,
            _drawn(names.get(level, level)),
            parse_math=False,
            usetex=False,
            ha="right",
            va="center",
            fontsize=8,
            fontweight="bold",
        )
    ax.set_xlim(-3.5, widest + 0.5)
    ax.set_ylim(-len(rows) + 0.4, 0.6)
    ax.set_title("Organisation chart (solid: reports to; dashed: dotted line)")
    ax.set_axis_off()
    return ax


def plot_priorities(report: PriorityReport | Scenario, *, ax: Any = None, top: int = 10) -> Any:
    """Draw the top priorities as horizontal bars split by factor.

    Each bar stacks the weighted contribution of every factor; the cost
    goes to the left of zero.

    Returns
    -------
    matplotlib.axes.Axes

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
    ax = _axes(ax, (10, 0.5 * max(len(chosen), 2) + 1.5))
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
            color=_PALETTE[number % len(_PALETTE)],
            label=factor.replace("_", " "),
        )
        left_positive = [a + b for a, b in zip(left_positive, values, strict=True)]
    ax.set_yticks(names, labels=[_drawn(p.id) for p in chosen])
    _literal(ax.get_yticklabels())
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlabel("weighted contribution to the score")
    ax.set_title(f"Top {len(chosen)} integration priorities")
    ax.legend(fontsize=7, loc="lower right")
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
