"""Small HTML tables for Jupyter's rich display, below every other layer.

The model (a scenario's ``_repr_html_``) and the reports both render tables
here; every header and cell is escaped, its control characters shown as
escapes (:func:`cio_framework._escape.visible`).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from ._escape import visible

__all__ = ["clip", "escape", "records_html"]


def escape(text: object) -> str:
    r"""``text`` as HTML text: markup escaped, control characters shown.

    Examples
    --------
    >>> escape('<b title="x">\x1b[2J</b>')
    '&lt;b title=&quot;x&quot;&gt;\\x1b[2J&lt;/b&gt;'
    """
    return html.escape(visible(str(text)))


def clip(text: str, chars: int | None) -> str:
    """``text``, or its first ``chars`` characters and a count of the rest.

    Examples
    --------
    >>> clip("abcdef", 4), clip("abc", 4), clip("abc", None)
    ('abcd… (2 more characters)', 'abc', 'abc')
    """
    if chars is None or len(text) <= chars:
        return text
    return f"{text[:chars]}… ({len(text) - chars:,} more characters)"


def _cell(value: Any, chars: int | None = None) -> str:
    """A value as the text of a cell: a list's items joined for reading."""
    if isinstance(value, float):
        return f"{value:.4g}"
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return clip(", ".join(_cell(item) for item in value), chars)
    return clip(str(value), chars)


def records_html(
    records: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    empty: str,
    *,
    limit: int | None = None,
    cell_chars: int | None = None,
) -> str:
    """Render records as a small HTML table, or ``empty`` as a paragraph.

    Parameters
    ----------
    records
        One mapping per row; a column a record lacks is an empty cell.
    columns
        The keys shown, in order, as the header.
    empty
        The text shown instead of a table when there are no records.
    limit
        Show at most this many rows, then one row that counts the rest
        (``… and 1,234 more rows``); all rows when ``None``.
    cell_chars
        Cut a cell's text after this many characters, saying how many are
        left out; whole cells when ``None``.

    Returns
    -------
    str
        The table's HTML, every header and cell escaped.

    Notes
    -----
    Linear in the size of the rows shown, so with ``limit`` and
    ``cell_chars`` set the table's size is bounded, whatever the records.

    Examples
    --------
    >>> records_html([{"a": 1, "b": "<x>"}], ["a", "b"], "none")
    '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>&lt;x&gt;</td></tr></tbody></table>'
    >>> records_html([], ["a"], "<none>")
    '<p>&lt;none&gt;</p>'
    >>> records_html([{"a": "abcdef"}, {"a": 2}, {"a": 3}], ["a"], "", limit=1, cell_chars=3)
    '<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>abc… (3 more characters)</td></tr><tr><td colspan="1">… and 2 more rows</td></tr></tbody></table>'
    """
    if not records:
        return f"<p>{escape(empty)}</p>"
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    shown = records if limit is None else records[:limit]
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{escape(_cell(r.get(c, ''), cell_chars))}</td>" for c in columns)
        + "</tr>"
        for r in shown
    )
    if len(records) > len(shown):
        hidden = len(records) - len(shown)
        rows += (
            f'<tr><td colspan="{len(columns)}">… and {hidden:,} more '
            f"row{'s' if hidden != 1 else ''}</td></tr>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
