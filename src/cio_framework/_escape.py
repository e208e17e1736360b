"""Scenario text made inert for each kind of output, below every other layer.

A scenario's names, ids and notes are data. Whatever writes them out (the
reports, the graph exports, the pictures, the command line) passes them
through one function of this module for its kind of output, so that no text
from a scenario is ever taken as markup, a formula or a terminal control:

* :func:`visible` shows control characters and bidirectional overrides as
  escapes (``\\x1b``, ``\\u202e``): plain text and terminals;
* :func:`one_line` does the same and shows line breaks too, for outputs
  of one line per item (``file:line:column: severity: message``);
* :func:`json_safe` does the same inside JSON text, the JSON way;
* :func:`markdown` escapes Markdown (and the HTML it allows);
* :func:`xml_text` keeps XML well-formed;
* :func:`dot_id` and :func:`dot_label` quote Graphviz DOT strings.
"""

from __future__ import annotations

import re

__all__ = [
    "BIDI",
    "SURROGATE",
    "dot_id",
    "dot_label",
    "json_safe",
    "markdown",
    "one_line",
    "u_escape",
    "visible",
    "xml_references",
    "xml_text",
]

# The character ranges the patterns below are made of: the C0 controls but
# tab and line feed; DEL and the C1 controls; the bidi embeddings, overrides
# and isolates; the surrogates (alone, as no UTF-8 text can hold one).
_C0 = "\x00-\x08\x0b-\x1f"
_DEL_C1 = "\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_SURROGATES = "\ud800-\udfff"

#: Characters a terminal may act on, or that reorder the text shown around
#: them: C0 controls but tab and line feed, DEL, C1 controls, and the
#: bidirectional embeddings, overrides and isolates (U+202A-U+202E,
#: U+2066-U+2069).
UNSAFE = re.compile(f"[{_C0}{_DEL_C1}{_BIDI}]")

#: The bidi embeddings, overrides and isolates (in :data:`UNSAFE` too): YAML
#: and XML take them for printable text, yet a terminal shows the text
#: around them in another order than it is written.
BIDI = re.compile(f"[{_BIDI}]")

#: A lone surrogate: a JSON escape (``"\\ud800"``) makes one, but no UTF-8
#: text can hold it.
SURROGATE = re.compile(f"[{_SURROGATES}]")


def u_escape(match: re.Match[str]) -> str:
    """The ``\\uNNNN`` escape of the character ``match`` found, as JSON and
    YAML's double-quoted scalars write one."""
    return f"\\u{ord(match.group()):04x}"


#: Characters XML 1.0 does not allow at all, not even as references, beyond
#: the controls of :data:`UNSAFE`: lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile(f"[{_SURROGATES}\ufffe\uffff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with each control character and bidi override shown as an escape.

    Tab and line feed stay; every other C0 control, DEL, each C1 control and
    the bidirectional embeddings, overrides and isolates become ``\\xNN`` or
    ``\\uNNNN`` as Python writes them. What a terminal would act on (clear
    the screen, move the cursor, reverse the following text) is shown
    instead.

    Examples
    --------
    >>> print(visible("\\x1b[2J cleared? no"))
    \\x1b[2J cleared? no
    >>> print(visible("abc\\u202edef\\x00"))
    abc\\u202edef\\x00
    >>> visible("two\\nlines\\tand a tab, 中文")
    'two\\nlines\\tand a tab, 中文'
    """
    if _plain(text):
        return text
    return UNSAFE.sub(_escape, text)


#: Line breaks :func:`visible` keeps, shown by :func:`one_line` as escapes
#: (line feed, and the line and paragraph separators that
#: :meth:`str.splitlines` and some viewers break at).
_BREAKS = str.maketrans({"\n": "\\n", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def one_line(text: str) -> str:
    """``text`` as :func:`visible` shows it, its line breaks shown as escapes too.

    An output of one line per item (a problem, a finding) stays one line per
    item whatever a scenario's names hold: a name cannot forge a line of its
    own. The other line breaks (carriage return, form feed, NEL) are
    controls :func:`visible` already shows.

    Examples
    --------
    >>> print(one_line("Bureau\\nforged.yaml: valid\\r"))
    Bureau\\nforged.yaml: valid\\x0d
    """
    return visible(text).translate(_BREAKS)


#: What :func:`json_safe` escapes: what :data:`UNSAFE` matches, and lone
#: surrogates, which no UTF-8 text can hold.
_JSON_UNSAFE = re.compile(f"[{_C0}{_DEL_C1}{_BIDI}{_SURROGATES}]")


def json_safe(text: str) -> str:
    """JSON text with the raw C1 controls, DEL, bidi overrides and lone
    surrogates escaped.

    :func:`json.dumps` with ``ensure_ascii=False`` escapes the C0 controls
    but writes DEL, the C1 controls, the bidi overrides and lone surrogates
    (which only a JSON escape such as ``"\\ud800"`` in a scenario file
    makes, and which UTF-8 cannot encode) as they are.
    Outside its strings JSON text is plain ASCII, so each of them is in a
    string and its ``\\uNNNN`` escape decodes to the same value: the data is
    unchanged, and the text is safe on a terminal.

    Examples
    --------
    >>> import json
    >>> text = json_safe(json.dumps({"name": "a\\u202eb\\x85"}, ensure_ascii=False))
    >>> print(text)
    {"name": "a\\u202eb\\u0085"}
    >>> json.loads(text)["name"] == "a\\u202eb\\x85"
    True
    """
    if _plain(text):
        return text
    return _JSON_UNSAFE.sub(u_escape, text)


def _plain(text: str) -> bool:
    """Whether ``text`` is printable ASCII, tabs and line feeds only: nothing
    :data:`UNSAFE` matches."""
    return text.isascii() and not text.encode("ascii").translate(None, _PLAIN_ASCII)


#: The ASCII characters :data:`UNSAFE` leaves alone: the printable ones,
#: tab and line feed. Checking a text for others with ``bytes.translate`` is
#: several times faster than searching it with the pattern, which matters on
#: the hundreds of megabytes a national catalogue's priorities come to.
_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n"


#: Markdown's inline punctuation, escaped with a backslash; ``&``, ``<`` and
#: ``>`` become entities so that no HTML (tags, autolinks) can form. ``$``
#: starts mathematics on GitHub, ``|`` ends a table cell.
_MARKDOWN = str.maketrans(
    {
        **{c: "\\" + c for c in "\\`*_[]|#$~"},
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "\n": " ",
        "\u2028": " ",  # the line and paragraph separators: line breaks to some
        "\u2029": " ",  # renderers, and to every str.splitlines()
    }
)

#: What starts a block at the beginning of a list item: a list marker, a
#: thematic break (``---``), an ordered list's number (``1.``, ``2)``).
_BLOCK_START = re.compile(
    r"[-+](?=[ \t]|$)"  # a bullet
    r"|-(?=(?:[ \t]*-){2,}[ \t]*$)"  # a thematic break
    r"|\d{1,9}(?=[.)](?:[ \t]|$))"  # an ordered list's number
)


def markdown(text: str) -> str:
    """``text`` as Markdown (CommonMark and GitHub's) that shows it literally.

    Inline punctuation is backslash-escaped, ``& < >`` become entities (so no
    raw HTML or autolink forms), a line break becomes a space (what a soft
    break shows, and no new block can start), a leading list marker or
    number is escaped, and control characters are made :func:`visible`.
    The result fits in a table cell, a list item or a heading.

    Examples
    --------
    >>> print(markdown("<script>alert(1)</script>"))
    &lt;script&gt;alert(1)&lt;/script&gt;
    >>> print(markdown("[x](javascript:alert(1)) a|b *c* $5 and $6"))
    \\[x\\](javascript:alert(1)) a\\|b \\*c\\* \\$5 and \\$6
    >>> print(markdown("line\\nbreak"))
    line break
    >>> print(markdown("- not a list"), markdown("2016. not a list"), markdown("10.00 -3"))
    \\- not a list 2016\\. not a list 10.00 -3
    """
    escaped = visible(text).translate(_MARKDOWN).strip()
    start = _BLOCK_START.match(escaped)
    if start is not None:
        end = start.end()
        if start.group()[0].isdigit():
            return escaped[:end] + "\\" + escaped[end:]
        return "\\" + escaped
    return escaped


#: What :func:`xml_references` writes as character references: DEL, the C1
#: controls and the bidi controls, which XML carries but a terminal acts on.
_XML_CONTROLS = re.compile(f"[{_DEL_C1}{_BIDI}]")


def xml_references(document: str) -> str:
    """A serialised XML ``document`` with DEL, the C1 controls and the bidi
    controls written as character references (``&#x202E;``).

    Such a character can only be in an element's text or an attribute's
    value, where its reference means the same character: a parser reads
    the same document, and printing it acts on nothing.

    Examples
    --------
    >>> xml_references('<name a="\u202e1">x\x9b31m</name>')
    '<name a="&#x202E;1">x&#x9B;31m</name>'
    """
    if document.isascii() and "\x7f" not in document:
        return document
    return _XML_CONTROLS.sub(_reference, document)


def _reference(match: re.Match[str]) -> str:
    return f"&#x{ord(match.group()):X};"


def xml_text(text: str) -> str:
    """``text`` as XML 1.0 allows it in an element or an attribute.

    XML forbids the C0 controls but tab, line feed and carriage return, even
    as character references, and lone surrogates, U+FFFE and U+FFFF: a file
    holding one does not parse. Those become escapes, as do the controls and
    bidi overrides :func:`visible` shows (a carriage return too, which a
    parser would turn into a line feed); the XML writer still escapes ``&``,
    ``<`` and quotes.

    Examples
    --------
    >>> xml_text("a\\x00b\\x1bc\\ud800")
    'a\\\\x00b\\\\x1bc\\\\ud800'
    >>> xml_text("<kept for the writer> & 中文")
    '<kept for the writer> & 中文'
    """
    return _NOT_XML.sub(_escape, visible(text))


#: A run of backslashes that a DOT lexer would read with what follows it:
#: before a quote (``\\"`` is an escaped quote), before a line break (a
#: continuation line) or at the end (it would escape the closing quote).
_DOT_BACKSLASHES = re.compile(r'\\+(?=["\n]|$)')


def dot_id(text: object) -> str:
    """A quoted DOT ID naming ``text``.

    In a quoted DOT string only ``\\"`` is an escape: every other backslash
    stands for itself, so an id ``a\\b`` is written ``"a\\b"``. A run of
    backslashes just before a quote, a line break or the end cannot be
    written as itself; it is doubled, which keeps ids apart and every edge
    on its node (the label shows the name).

    Examples
    --------
    >>> print(dot_id("a\\\\b"), dot_id('say "hi"'), dot_id("x\\x1b"))
    "a\\b" "say \\"hi\\"" "x\\x1b"
    """
    escaped = _DOT_BACKSLASHES.sub(lambda m: m.group() * 2, visible(str(text)))
    return '"' + escaped.replace('"', '\\"') + '"'


def dot_label(text: object) -> str:
    """A quoted DOT label showing ``text`` as it is.

    Graphviz reads labels as escape strings, where ``\\\\`` is a backslash,
    ``\\n`` a line break and ``\\N``, ``\\G``... are replaced by names: each
    backslash is doubled, each line break written ``\\n``, each quote
    ``\\"``.

    Examples
    --------
    >>> print(dot_label("a\\\\b \\\\N"), dot_label("two\\nlines"), dot_label('"q"'))
    "a\\\\b \\\\N" "two\\nlines" "\\"q\\""
    """
    escaped = visible(str(text)).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
