"""Reading the HTML tables of ``_repr_html_`` in tests."""

from __future__ import annotations

from html.parser import HTMLParser


class _Table(HTMLParser):
    """Reads a ``records_html`` table: its header cells and body rows."""

    def __init__(self) -> None:
        super().__init__()
        self.header: list[str] = []
        self.rows: list[list[str]] = []
        self.paragraphs: list[str] = []
        self._cell: list[str] | None = None
        self._tag = ""

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "tr" and self._tag != "thead":
            self.rows.append([])
        if tag in ("thead", "tbody"):
            self._tag = tag
        if tag in ("th", "td", "p"):
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._cell is None or tag not in ("th", "td", "p"):
            return
        text = "".join(self._cell)
        self._cell = None
        if tag == "th":
            self.header.append(text)
        elif tag == "td":
            self.rows[-1].append(text)
        else:
            self.paragraphs.append(text)


def table(html: str) -> _Table:
    parser = _Table()
    parser.feed(html)
    parser.close()
    return parser
