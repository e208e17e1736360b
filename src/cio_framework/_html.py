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

__all__ = ["escape", "records_html"]


def escape(text: object) -> str:
    r"""``text`` as HTML text: markup escaped, control characters shown.

    Examples
    --------
    >>> escape('<b title="x">\x1b[2J</b>')
    '&lt;b title=&quot;x&quot;&gt;\\x1b[2J&lt;/b&gt;'
    """
    return html.escape(visible(str(text)))


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if value is None:
        return ""
    return str(value)


def records_html(records: Sequence[Mapping[str, Any]], columns: Sequence[str], empty: str) -> str:
    """Render records as a small HTML table, or ``empty`` as a paragraph.

    Examples
    --------
    >>> records_html([{"a": 1, "b": "<x>"}], ["a", "b"], "none")
    '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>&lt;x&gt;</td></tr></tbody></table>'
    >>> records_html([], ["a"], "<none>")
    '<p>&lt;none&gt;</p>'
    """
    if not records:
        return f"<p>{escape(empty)}</p>"
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(_cell(r.get(c, '')))}</td>" for c in columns) + "</tr>"
        for r in records
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
