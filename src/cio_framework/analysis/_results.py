"""Helpers shared by result values: records and HTML tables for notebooks."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

__all__ = ["records_html"]


def records_html(records: Sequence[dict[str, Any]], columns: Sequence[str], empty: str) -> str:
    """Render records as a small HTML table (for ``_repr_html_``).

    Examples
    --------
    >>> records_html([{"a": 1, "b": "<x>"}], ["a", "b"], "none")
    '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>&lt;x&gt;</td></tr></tbody></table>'
    """
    if not records:
        return f"<p>{html.escape(empty)}</p>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(r.get(c, '')))}</td>" for c in columns) + "</tr>"
        for r in records
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
