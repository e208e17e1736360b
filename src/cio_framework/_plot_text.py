"""Text in the pictures: a font that draws every character, and its size.

matplotlib draws a character its font lacks as an empty box and warns
(``Glyph ... missing from font(s) DejaVu Sans``); its default font has no
Chinese. So each text of a picture is given, through its own font
properties, the first of these fonts that draws all its characters:

1. the font matplotlib would use by default (``rcParams`` as they are);
2. an installed font that draws Chinese, found by :func:`cjk_font` among
   the fonts matplotlib knows (Noto Sans CJK, Source Han Sans, WenQuanYi,
   Microsoft YaHei, PingFang, SimHei ...: :data:`CJK_FAMILIES`).

When neither draws every character, the characters the better of them
lacks are written as escapes (``\\u6d66``), the way Python writes them, and
the picture says so in a footnote (:data:`ESCAPE_NOTE`). So a picture
never warns, and never shows a box where a character was.

Nothing here changes ``rcParams``, the warning filters or any other state
of the process: fonts are looked up, never registered, and each text gets
its own :class:`~matplotlib.font_manager.FontProperties`. matplotlib is
imported inside the functions, so this module imports without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "CJK_FAMILIES",
    "ESCAPE_NOTE",
    "MEASURE_DPI",
    "Measure",
    "Typesetter",
    "cjk_font",
    "escape_char",
    "pick_cjk_font",
]

#: Font families that draw Chinese, best first: simplified Chinese ones,
#: then traditional, Japanese and Korean ones (which draw the same Han
#: characters), then wide fallbacks.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "SimHei",
    "Heiti SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK HK",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Noto Sans TC",
    "Source Han Sans TC",
    "Source Han Sans TW",
    "Source Han Sans HK",
    "Source Han Sans",
    "Source Han Sans JP",
    "Source Han Sans K",
    "Microsoft JhengHei",
    "PingFang TC",
    "PingFang HK",
    "Noto Sans JP",
    "Noto Sans KR",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "SimSun",
    "Arial Unicode MS",
)

#: The footnote of a picture in which some characters are written as escapes.
ESCAPE_NOTE = (
    "\\uXXXX: a character that no installed font draws, written as its code; "
    "to see Chinese, install a CJK font such as Noto Sans CJK (fonts-noto-cjk)."
)

#: Text is measured at this resolution, fine enough that rounding to pixels
#: (which narrows or widens text drawn at a low resolution) does not count.
MEASURE_DPI = 720

_WEIGHTS = {"thin": 100, "extralight": 200, "light": 300, "normal": 400, "regular": 400}
_WEIGHTS |= {"book": 400, "medium": 500, "semibold": 600, "demibold": 600, "bold": 700}
_WEIGHTS |= {"extrabold": 800, "heavy": 900, "black": 900}


def _weight(value: object) -> int:
    if isinstance(value, int | float):
        return int(value)
    return _WEIGHTS.get(str(value).lower().replace(" ", "").replace("-", ""), 400)


def pick_cjk_font(
    fonts: Iterable[tuple[str, str, object, str]], *, bold: bool = False
) -> str | None:
    """The file of the best font for Chinese among ``fonts``, or ``None``.

    Parameters
    ----------
    fonts
        ``(family name, file, weight, style)`` of each font, as matplotlib's
        font list has them.
    bold
        Prefer a bold face (the nearest weight to 700), else a regular one.

    Notes
    -----
    O(F) for F fonts. The best is the family earliest in
    :data:`CJK_FAMILIES` (names compared without case), then an upright
    face, then the nearest weight, then the least file name: the same
    whatever the order of ``fonts``.

    Examples
    --------
    >>> pick_cjk_font([("DejaVu Sans", "/f/DejaVuSans.ttf", 400, "normal"),
    ...                ("SimHei", "/f/simhei.ttf", 400, "normal"),
    ...                ("Noto Sans CJK SC", "/f/NotoSansCJK-Bold.ttc", 700, "normal"),
    ...                ("Noto Sans CJK SC", "/f/NotoSansCJK-Regular.ttc", 400, "normal")])
    '/f/NotoSansCJK-Regular.ttc'
    >>> pick_cjk_font([("DejaVu Sans", "/f/DejaVuSans.ttf", 400, "normal")]) is None
    True
    """
    rank = {name.casefold(): number for number, name in enumerate(CJK_FAMILIES)}
    target = 700 if bold else 400
    best: tuple[tuple[int, bool, int, str], str] | None = None
    for name, path, weight, style in fonts:
        place = rank.get(name.casefold())
        if place is None:
            continue
        key = (place, style != "normal", abs(_weight(weight) - target), path)
        if best is None or key < best[0]:
            best = (key, path)
    return None if best is None else best[1]


def cjk_font(*, bold: bool = False) -> str | None:
    """The file of an installed font that draws Chinese, or ``None``.

    Looks through the fonts matplotlib has found on the system
    (``matplotlib.font_manager.fontManager``) with :func:`pick_cjk_font`;
    registers nothing and changes no setting.

    Notes
    -----
    O(F) for F installed fonts.
    """
    from matplotlib import font_manager

    return pick_cjk_font(
        ((f.name, f.fname, f.weight, f.style) for f in font_manager.fontManager.ttflist),
        bold=bold,
    )


def escape_char(char: str) -> str:
    """How a character no font draws is written: its Python escape. O(1).

    Examples
    --------
    >>> print(escape_char("浦"), escape_char("\\t"), escape_char("\\U0001f600"))
    \\u6d66 \\x09 \\U0001f600
    """
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


class Typesetter:
    """Chooses, for each text of one picture, a font that draws all of it.

    Parameters
    ----------
    cjk
        The file of a font that draws Chinese (:func:`cjk_font`), or ``None``.
    cjk_bold
        The same in bold, or ``None`` (then the regular one).

    Attributes
    ----------
    escaped
        Whether some text had characters no font draws, written as escapes.
    """

    def __init__(self, cjk: str | None, cjk_bold: str | None = None) -> None:
        from matplotlib import font_manager

        regular = font_manager.findfont(font_manager.FontProperties())
        bold = font_manager.findfont(font_manager.FontProperties(weight="bold"))
        self._fonts = {
            False: _distinct([regular, cjk]),
            True: _distinct([bold, cjk_bold or cjk]),
        }
        self.escaped = False

    def prepare(self, text: str, *, bold: bool = False) -> tuple[str, str]:
        """``(text to draw, font file)``: the first font that draws every
        character of ``text`` (line breaks aside), or else the one that
        lacks fewest, the characters it lacks written as escapes.

        Notes
        -----
        O(len(text)) lookups in each font's character map.
        """
        from matplotlib import font_manager

        chars = set(text) - {"\n"}
        fallback: tuple[str, set[str]] | None = None
        for path in self._fonts[bold]:
            font = font_manager.get_font(path)
            missing = {c for c in chars if not font.get_char_index(ord(c))}
            if not missing:
                return text, path
            if fallback is None or len(missing) < len(fallback[1]):
                fallback = (path, missing)
        assert fallback is not None  # there is always the default font
        path, missing = fallback
        self.escaped = True
        return "".join(escape_char(c) if c in missing else c for c in text), path

    @staticmethod
    def properties(path: str, size: float) -> Any:
        """Font properties naming the file ``path`` at ``size`` points."""
        from matplotlib.font_manager import FontProperties

        return FontProperties(fname=path, size=size)


def _distinct(paths: Sequence[str | None]) -> list[str]:
    found: list[str] = []
    for path in paths:
        if path is not None and path not in found:
            found.append(path)
    return found


class Measure:
    """Sizes of texts and legends in points, measured off-screen.

    A private figure of its own (not pyplot's) at :data:`MEASURE_DPI`;
    nothing is drawn and nothing outside it changes.
    """

    def __init__(self) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self._figure = Figure(figsize=(1, 1), dpi=MEASURE_DPI)
        self._renderer = FigureCanvasAgg(self._figure).get_renderer()  # type: ignore[no-untyped-call]
        self._axes: Any = None

    def _points(self, extent: Any) -> tuple[float, float]:
        scale = 72 / MEASURE_DPI
        return float(extent.width) * scale, float(extent.height) * scale

    def text(self, text: str, properties: Any) -> tuple[float, float]:
        """``(width, height)`` of ``text`` drawn with ``properties``.

        Notes
        -----
        O(len(text)).
        """
        from matplotlib.text import Text

        drawn = Text(0, 0, text, fontproperties=properties, parse_math=False, usetex=False)
        drawn.set_figure(self._figure)
        return self._points(drawn.get_window_extent(self._renderer))

    def legend(
        self, handles: Sequence[Any], labels: Sequence[str], fonts: Sequence[Any], **options: Any
    ) -> tuple[float, float]:
        """``(width, height)`` of a legend of ``handles`` and ``labels``,
        each label in its font. O(number of entries)."""
        if self._axes is None:
            self._axes = self._figure.add_axes((0, 0, 1, 1))
        legend = self._axes.legend(handles, labels, **options)
        literal_legend(legend, fonts)
        size = self._points(legend.get_window_extent(self._renderer))
        legend.remove()
        return size


def literal_legend(legend: Any, fonts: Sequence[Any]) -> None:
    """Draw each label of ``legend`` as it is (no mathtext, no TeX) in its
    font. O(entries)."""
    for text, font in zip(legend.get_texts(), fonts, strict=True):
        text.set_parse_math(False)
        text.set_usetex(False)
        text.set_fontproperties(font)
