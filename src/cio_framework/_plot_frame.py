"""The frame of a picture: texts measured, legend and footnotes placed, axes fitted.

:mod:`cio_framework.plot` lays a picture out in points (its drawing, then a
legend to the right and footnotes below); :func:`frame` fits axes to it and
says at what scale to draw, so that text and markers, which matplotlib
sizes in points, keep to the places the layout gave them. Only
:mod:`cio_framework.plot` imports this module; matplotlib is imported
inside the functions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from . import _plot_text

__all__ = [
    "LABEL_SIZE",
    "NOTE_SIZE",
    "Extras",
    "Writer",
    "arc",
    "frame",
    "line",
    "literal",
    "marker",
    "new_axes",
    "patch",
    "polyline",
    "slack",
    "title",
]

#: Sizes in points at the natural size of a picture: labels, footnotes.
LABEL_SIZE = 7.0
NOTE_SIZE = 6.5
#: Space around everything, and between the drawing, its legend and its
#: footnotes, in points.
MARGIN = 6.0
SPACE = 14.0
#: Rounding in text measurement (hinting at low resolutions widens or
#: narrows text a little): each measured size is enlarged this much.
SLACK = (1.08, 2.0)
#: Room above a new figure's axes for the title, and around them, in points.
TITLE_ROOM = 30.0
EDGE_ROOM = 8.0
#: The smallest new figure, in inches.
MIN_SIZE = (6.5, 2.5)

#: Makes a legend handle for a scale (markers and lines shrink with it).
Handle = Callable[[float], Any]


def literal(texts: Any) -> None:
    """Draw each of ``texts`` as it is: no mathtext, no TeX."""
    for text in texts:
        text.set_parse_math(False)
        text.set_usetex(False)


def slack(size: tuple[float, float]) -> tuple[float, float]:
    """A measured ``(width, height)`` enlarged by :data:`SLACK`."""
    factor, extra = SLACK
    return size[0] * factor + extra, size[1] * factor + extra


class Writer:
    """Texts of one picture: each in a font that draws it, measured."""

    def __init__(self) -> None:
        self.setter = _plot_text.Typesetter(_plot_text.cjk_font(), _plot_text.cjk_font(bold=True))
        self.measure = _plot_text.Measure()

    def prepare(
        self, text: str, size: float, *, bold: bool = False
    ) -> tuple[str, str, tuple[float, float]]:
        """``(text to draw, font file, (width, height))``: ``text`` in a font
        that draws it (:meth:`~cio_framework._plot_text.Typesetter.prepare`),
        measured at ``size`` points with :func:`slack`. O(len(text))."""
        shown, path = self.setter.prepare(text, bold=bold)
        return shown, path, slack(self.measure.text(shown, self.setter.properties(path, size)))

    def font(self, path: str, size: float) -> Any:
        """Font properties for the file ``path`` at ``size`` points."""
        return self.setter.properties(path, size)


class Extras:
    """A picture's legend (entries drawn from a scale) and footnotes."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        self.entries: list[tuple[Handle, str, str]] = []  # (make handle, text, font file)
        self.notes: list[str] = []

    def add(self, make: Handle, label: str) -> None:
        """A legend entry: ``label`` (scenario text prepared already) by its handle."""
        shown, path = self.writer.setter.prepare(label)
        self.entries.append((make, shown, path))

    def legend_options(self, scale: float) -> dict[str, Any]:
        """Options of the legend at ``scale``."""
        return {
            "fontsize": LABEL_SIZE * scale,
            "frameon": True,
            "borderaxespad": 0.0,
            "loc": "upper left",
        }

    def legend_size(self) -> tuple[float, float] | None:
        """The legend's ``(width, height)`` in points at scale 1, or ``None``
        without entries. O(entries)."""
        if not self.entries:
            return None
        handles = [make(1.0) for make, _, _ in self.entries]
        labels = [text for _, text, _ in self.entries]
        fonts = [self.writer.font(path, LABEL_SIZE) for _, _, path in self.entries]
        size = self.writer.measure.legend(handles, labels, fonts, **self.legend_options(1.0))
        return slack(size)

    def footnote(self) -> tuple[str, str, tuple[float, float]] | None:
        """The footnotes as one text ``(text, font file, size)``, or ``None``.

        Call it once, after every text of the picture is prepared: it adds
        :data:`~cio_framework._plot_text.ESCAPE_NOTE` when one of them had
        to be written with escapes. O(length of the notes).
        """
        if self.writer.setter.escaped:
            self.notes.append(_plot_text.ESCAPE_NOTE)
        if not self.notes:
            return None
        shown, path, size = self.writer.prepare("\n".join(self.notes), NOTE_SIZE)
        return shown, path, size

    def draw(
        self,
        ax: Any,
        scale: float,
        legend_at: tuple[float, float],
        footnote_at: tuple[float, float],
        footnote: tuple[str, str, tuple[float, float]] | None,
    ) -> None:
        """Draw the legend and the footnotes at ``scale``, their top-left
        corners at the places :func:`frame` gave. O(entries)."""
        if self.entries:
            legend = ax.legend(
                [make(scale) for make, _, _ in self.entries],
                [text for _, text, _ in self.entries],
                bbox_to_anchor=(legend_at[0], -legend_at[1]),
                bbox_transform=ax.transData,
                **self.legend_options(scale),
            )
            _plot_text.literal_legend(
                legend,
                [self.writer.font(path, LABEL_SIZE * scale) for _, _, path in self.entries],
            )
        if footnote is not None:
            shown, path, _ = footnote
            ax.text(
                footnote_at[0],
                -footnote_at[1],
                shown,
                fontproperties=self.writer.font(path, NOTE_SIZE * scale),
                parse_math=False,
                usetex=False,
                ha="left",
                va="top",
                color="#555555",
                label="_footnote",
            )


def frame(
    ax: Any,
    drawing: tuple[float, float],
    legend: tuple[float, float] | None,
    footnote: tuple[float, float] | None,
    *,
    max_inches: float,
) -> tuple[Any, float, tuple[float, float], tuple[float, float]]:
    """Axes fitted to a drawing of ``drawing`` points with its legend at its
    right and its footnotes below: ``(axes, scale, legend's top-left,
    footnotes' top-left)``, in the drawing's coordinates (``y`` down).

    On a new figure (``ax`` is ``None``) the figure is made to fit at scale
    1, up to ``max_inches`` a side; on given axes, or past that size,
    ``scale`` is below 1 and everything drawn in points (text, markers,
    line widths) is to be drawn that much smaller. O(1).
    """
    width, height = drawing
    legend_w, legend_h = legend or (0.0, 0.0)
    legend_x = width + SPACE if legend and width else 0.0
    right = max(width, legend_x + legend_w)
    body = max(height, legend_h)
    foot_y = body + SPACE if footnote and body else 0.0
    right = max(right, footnote[0] if footnote else 0.0)
    bottom = foot_y + footnote[1] if footnote else body
    total_w, total_h = right + 2 * MARGIN, bottom + 2 * MARGIN
    if ax is None:
        ax = new_axes(total_w, total_h, max_inches)
    figure = ax.get_figure()
    box = ax.get_position()
    room_w = box.width * figure.get_figwidth() * 72
    room_h = box.height * figure.get_figheight() * 72
    scale = min(1.0, room_w / total_w, room_h / total_h)
    ax.set_xlim(-MARGIN, right + MARGIN)
    ax.set_ylim(-(bottom + MARGIN), MARGIN)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()
    return ax, scale, (legend_x, 0.0), (0.0, foot_y)


def new_axes(width: float, height: float, max_inches: float) -> Any:
    """Axes of ``width`` x ``height`` points on a new pyplot figure, with room
    for the title, each side at most ``max_inches``."""
    import matplotlib.pyplot as plt

    limit = max_inches * 72
    fig_w = min(max(width + 2 * EDGE_ROOM, MIN_SIZE[0] * 72), limit)
    fig_h = min(max(height + EDGE_ROOM + TITLE_ROOM, MIN_SIZE[1] * 72), limit)
    figure = plt.figure(figsize=(fig_w / 72, fig_h / 72))
    return figure.add_axes(
        (
            EDGE_ROOM / fig_w,
            EDGE_ROOM / fig_h,
            1 - 2 * EDGE_ROOM / fig_w,
            1 - (EDGE_ROOM + TITLE_ROOM) / fig_h,
        )
    )


def title(ax: Any, text: str) -> None:
    """Set the title of ``ax``, drawn as it is."""
    ax.set_title(text)
    literal([ax.title])


def polyline(points: Sequence[tuple[float, float]], xs: list[float], ys: list[float]) -> None:
    """Append ``points`` (drawing coordinates, ``y`` down) to a NaN-separated
    line: one Line2D draws many lines. O(len(points))."""
    for x, y in points:
        xs.append(x)
        ys.append(-y)
    xs.append(math.nan)
    ys.append(math.nan)


def arc(
    start: tuple[float, float], end: tuple[float, float], rise: float
) -> list[tuple[float, float]]:
    """A quadratic curve from ``start`` to ``end`` bowing ``rise`` upwards
    (``y`` down), as 13 points. O(1)."""
    (x0, y0), (x2, y2) = start, end
    x1, y1 = (x0 + x2) / 2, min(y0, y2) - rise
    points = []
    for step in range(13):
        t = step / 12
        a, b, c = (1 - t) ** 2, 2 * t * (1 - t), t * t
        points.append((a * x0 + b * x1 + c * x2, a * y0 + b * y1 + c * y2))
    return points


def marker(shape: str, face: str, edge: str, size: float) -> Handle:
    """A legend handle: a marker."""

    def make(scale: float) -> Any:
        from matplotlib.lines import Line2D

        return Line2D(
            [],
            [],
            linestyle="",
            marker=shape,
            markersize=size * scale,
            markerfacecolor=face,
            markeredgecolor=edge,
            markeredgewidth=scale,
        )

    return make


def patch(face: str, edge: str, width: float = 0.8, style: Any = "-") -> Handle:
    """A legend handle: a filled box."""

    def make(scale: float) -> Any:
        from matplotlib.patches import Patch

        return Patch(facecolor=face, edgecolor=edge, linewidth=width * scale, linestyle=style)

    return make


def line(colour: str, width: float, style: Any = "-") -> Handle:
    """A legend handle: a line."""

    def make(scale: float) -> Any:
        from matplotlib.lines import Line2D

        return Line2D([], [], color=colour, linewidth=width * scale, linestyle=style)

    return make
