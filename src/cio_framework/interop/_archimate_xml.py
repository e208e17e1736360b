"""XML plumbing for :mod:`cio_framework.interop.archimate`.

Safe parsing with element positions, the reversible mapping between
scenario ids and ``xs:ID`` identifiers, texts that XML 1.0 can carry, and
the exchange format's concepts (elements and relationships with their
names, documentation and properties) read and written. Nothing here knows
the scenario model.

Positions
---------
Parsing records the byte offset where each element starts, and an index of
where lines start (a line ends at a line feed, a carriage return, or both,
as in XML);
a line and column, and the text of the line, are worked out only for an
element a problem is about. Each line is decoded once, however many
problems it holds, and :meth:`~cio_framework.exceptions.Problem.render`
shows a long one only around the column. Elements nested more than
:data:`MAX_DEPTH` deep stop the parsing with a ``limit`` error.

Complexity
----------
Parsing is linear in the size of the file; locating a problem costs
O(log lines) plus at most one block of :data:`_BLOCK` bytes (and the first
time a line is shown, decoding it). Walks of the tree are iterative.
"""

from __future__ import annotations

import array
import bisect
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, cast
from xml.etree import ElementTree as ET
from xml.etree.ElementTree import Element

import attrs
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from ..exceptions import Problem, Severity

__all__ = [
    "ANONYMOUS",
    "MAX_DEPTH",
    "NS",
    "PROPERTY_PREFIX",
    "RESERVED",
    "XSI",
    "Concept",
    "Lines",
    "Located",
    "ParsedXml",
    "Reader",
    "Writer",
    "best_text",
    "decode_identifier",
    "descendants",
    "encode_identifier",
    "escape_id",
    "from_json",
    "parse_xml",
    "q",
    "safe_text",
    "sub",
    "to_json",
    "unique_concepts",
    "write_property_definitions",
]

#: The prefix of the properties that hold a scenario key's JSON value.
PROPERTY_PREFIX = "cio-framework:"
#: The namespace of the ArchiMate 3.x Open Exchange Format.
NS = "http://www.opengroup.org/xsd/archimate/3.0/"
#: The XML Schema instance namespace (``xsi:type``).
XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: Identifiers the library writes start with this: a scenario id that does
#: too is written escaped.
RESERVED = "cf."
#: Escaped scenario ids: ``cf.x.`` followed by :func:`_escape`'s form.
ESCAPED = RESERVED + "x."
#: Relationships written for exchanges without an id.
ANONYMOUS = RESERVED + "a."
#: Most levels of elements a file may nest (the root ``<model>`` is level 1).
#: Archi's exports nest fewer than 20 (a view's nodes inside nodes, folders
#: inside folders); a file nested deeper is refused with a ``limit`` error.
MAX_DEPTH = 256

_KEPT = re.compile(r"[A-Za-z0-9-]")
_ESCAPE = re.compile(r"_([0-9a-f]{1,6})_")
# NCName as XML 1.0 (fifth edition) defines it, without the colon.
_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
    "\U00010000-\U000effff"
)
_NCNAME = re.compile(f"[{_START}][{_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*")
# Characters XML 1.0 cannot carry, and a carriage return, which parsing
# turns into a line feed.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(value: str) -> str:
    return "".join(c if _KEPT.fullmatch(c) else f"_{ord(c):x}_" for c in value)


def _unescape(value: str) -> str | None:
    """The text :func:`_escape` made ``value`` from, or ``None`` when
    ``value`` is not exactly its form."""
    parts: list[str] = []
    position = 0
    for match in _ESCAPE.finditer(value):
        parts.append(value[position : match.start()])
        parts.append(chr(int(match.group(1), 16)) if int(match.group(1), 16) < 0x110000 else "")
        position = match.end()
    parts.append(value[position:])
    text = "".join(parts)
    return text if text and _escape(text) == value else None


def _plain(value: str) -> bool:
    return _NCNAME.fullmatch(value) is not None and not value.startswith(RESERVED)


def encode_identifier(value: str) -> str:
    """The ``xs:ID`` that stands for scenario id ``value``.

    An id that is an XML name (and does not start with ``cf.``) is written
    as it is; any other is ``cf.x.`` followed by the id with every
    character but ASCII letters, digits and ``-`` written ``_hex_``.

    Examples
    --------
    >>> encode_identifier("epb-cio"), encode_identifier("epb cio"), encode_identifier("1st")
    ('epb-cio', 'cf.x.epb_20_cio', 'cf.x.1st')
    """
    return value if _plain(value) else ESCAPED + _escape(value)


def decode_identifier(value: str) -> str:
    """The scenario id that identifier ``value`` stands for.

    Undoes :func:`encode_identifier`; any other identifier is the id itself.

    Examples
    --------
    >>> decode_identifier("cf.x.epb_20_cio"), decode_identifier("id-4f2a")
    ('epb cio', 'id-4f2a')
    """
    if value.startswith(ESCAPED):
        text = _unescape(value[len(ESCAPED) :])
        if text is not None and not _plain(text):
            return text
    return value


def escape_id(value: str) -> str:
    """``value`` with every character but ASCII letters, digits and ``-``
    written ``_hex_``: a usable id for an identifier that is not one."""
    return _escape(value)


def safe_text(value: str) -> str:
    """``value`` with the characters XML 1.0 cannot carry (and carriage
    returns) replaced by U+FFFD."""
    return _UNSAFE.sub("\ufffd", value)


def to_json(value: Any) -> str:
    """``value`` as JSON text that XML 1.0 carries unchanged."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)
    return re.sub("[\ud800-\udfff\ufffe\uffff\x7f]", lambda m: f"\\u{ord(m.group()):04x}", text)


def from_json(text: str) -> Any:
    """The value of :func:`to_json`'s text; raises ``ValueError``."""
    return json.loads(text)


@attrs.frozen(kw_only=True)
class Located:
    """Where an XML element starts, 1-based, and its source line."""

    line: int
    column: int
    source_line: str | None

    def problem(self, file: str | None, message: str, code: str, **more: Any) -> Problem:
        """A problem placed here, in ``file``."""
        return Problem(
            message=message,
            code=code,
            file=file,
            line=self.line,
            column=self.column,
            source_line=self.source_line,
            **more,
        )


# A line ends at \n, \r\n or \r, as XML (and expat, counting lines) has it.
_BREAK = re.compile(rb"\r\n?|\n")
# UTF-8 continuation bytes: a text's characters are its other bytes.
_CONTINUATION = bytes(range(0x80, 0xC0))
# Bytes per block of the index of characters before each block.
_BLOCK = 4096


class Lines:
    r"""Positions in UTF-8 ``data``: the line and character column of a
    byte offset, and the text of a line.

    The line starts are found once (linear in ``data``); so are, for a text
    that is not ASCII, the characters before each :data:`_BLOCK` bytes.
    Each line's text is decoded when first asked for, and kept.

    Examples
    --------
    >>> lines = Lines("a\r\nb\u00e9c<x/>\rd".encode())
    >>> at = lines.locate(7)  # the "<", after "b", "\u00e9" (two bytes), "c"
    >>> at.line, at.column, at.source_line == "b\u00e9c<x/>"
    (2, 4, True)
    >>> lines.locate(12)
    Located(line=3, column=1, source_line='d')
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.starts = array.array("q", [0])
        self.starts.extend(m.end() for m in _BREAK.finditer(data))
        self._ascii = data.isascii()
        self._blocks: array.array[int] | None = None
        self._texts: dict[int, str | None] = {}

    def _characters(self, offset: int) -> int:
        """The characters (bytes that start one) before byte ``offset``."""
        if self._ascii:
            return offset
        data = self.data
        if self._blocks is None:
            self._blocks = array.array("q")
            count = 0
            for start in range(0, len(data) + 1, _BLOCK):
                self._blocks.append(count)
                count += len(data[start : start + _BLOCK].translate(None, _CONTINUATION))
        block = offset // _BLOCK
        before = data[block * _BLOCK : offset].translate(None, _CONTINUATION)
        return self._blocks[block] + len(before)

    def source_line(self, line: int) -> str | None:
        """The text of 1-based ``line``, or ``None`` when out of range."""
        if line not in self._texts:
            text = None
            if 1 <= line <= len(self.starts):
                end = self.starts[line] if line < len(self.starts) else len(self.data)
                raw = self.data[self.starts[line - 1] : end].rstrip(b"\r\n")
                text = raw.decode("utf-8", errors="replace")
            self._texts[line] = text
        return self._texts[line]

    def locate(self, offset: int) -> Located:
        """The 1-based line and column of byte ``offset``, and its line."""
        offset = min(max(offset, 0), len(self.data))
        line = bisect.bisect_right(self.starts, offset)
        column = self._characters(offset) - self._characters(self.starts[line - 1]) + 1
        return Located(line=line, column=column, source_line=self.source_line(line))


@attrs.frozen(kw_only=True, eq=False)
class ParsedXml:
    """A parsed document: its root, the byte offset where each element
    starts, and the index of its lines."""

    root: Element
    offsets: dict[Element, int]
    lines: Lines

    def position(self, node: Element | None) -> Located | None:
        """Where ``node`` starts, or ``None`` for an element not parsed."""
        offset = self.offsets.get(node) if node is not None else None
        return None if offset is None else self.lines.locate(offset)


class _TooDeep(Exception):
    """Raised inside the parser at the element one level past
    :data:`MAX_DEPTH`; holds the byte offset where it starts."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


class _PositionedParser(DefusedXMLParser):
    """defusedxml's parser, refusing DTDs, entities and external references,
    recording where each element starts, and refusing elements nested more
    than :data:`MAX_DEPTH` deep."""

    def __init__(self) -> None:
        super().__init__(forbid_dtd=True, forbid_entities=True, forbid_external=True)
        self.offsets: dict[Element, int] = {}
        expat = self.parser
        start = cast("Callable[[str, Any], Element]", expat.StartElementHandler)
        end = cast("Callable[[str], Element]", expat.EndElementHandler)
        depth = 0

        def recording_start(tag: str, attributes: Any) -> Element:
            nonlocal depth
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooDeep(expat.CurrentByteIndex)
            element: Element = start(tag, attributes)
            self.offsets[element] = expat.CurrentByteIndex
            return element

        def counting_end(tag: str) -> Element:
            nonlocal depth
            depth -= 1
            return end(tag)

        expat.StartElementHandler = recording_start
        expat.EndElementHandler = counting_end


def _release(expat: Any) -> None:
    """Drop an expat parser's handlers: they refer back to it (through the
    standard library's XMLParser, whose methods they are, and our closures),
    a cycle that would keep the whole tree until the collector runs."""
    for name in _HANDLERS:
        if getattr(expat, name, None) is not None:
            setattr(expat, name, None)


#: The expat handlers an XMLParser sets (see _release).
_HANDLERS = (
    "StartElementHandler",
    "EndElementHandler",
    "StartNamespaceDeclHandler",
    "EndNamespaceDeclHandler",
    "CharacterDataHandler",
    "CommentHandler",
    "ProcessingInstructionHandler",
    "DefaultHandlerExpand",
    "DefaultHandler",
    "StartDoctypeDeclHandler",
    "EntityDeclHandler",
    "UnparsedEntityDeclHandler",
    "ExternalEntityRefHandler",
    "XmlDeclHandler",
)


def _encoding_problem(data: bytes, error: UnicodeDecodeError, file: str | None) -> Problem:
    at = Lines(data).locate(error.start)
    return Problem(
        message=f"the file is not valid UTF-8: byte 0x{data[error.start]:02x} cannot start "
        "or continue a character",
        code="encoding",
        file=file,
        line=at.line,
        column=at.column,
        hint="save the model as UTF-8 (Archi writes UTF-8)",
    )


_REFUSED = {
    "DTDForbidden": "a document type declaration (DTD) is refused: it could declare "
    "entities that expand without end or read other files",
    "EntitiesForbidden": "an entity declaration is refused",
    "ExternalReferenceForbidden": "a reference to an external entity is refused",
}


def parse_xml(data: bytes | str, file: str | None) -> ParsedXml | Problem:
    """Parse ``data`` safely, or return the one problem that stops it.

    The text must be UTF-8 (a byte-order mark is allowed); a DTD, an
    entity declaration or an external reference is refused, so nothing
    can expand or read another file; elements nested more than
    :data:`MAX_DEPTH` deep are refused.

    Examples
    --------
    >>> deep = "<a>" * (MAX_DEPTH + 1) + "</a>" * (MAX_DEPTH + 1)
    >>> problem = parse_xml(deep, None)
    >>> problem.code, problem.line, problem.column
    ('limit', 1, 769)
    """
    if isinstance(data, str):
        data = data.encode("utf-8", errors="surrogatepass")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return _encoding_problem(data, error, file)
    lines = Lines(data)
    parser = _PositionedParser()
    expat = parser.parser
    try:
        parser.feed(text)
        root = parser.close()
    except _TooDeep as deep:
        return lines.locate(deep.offset).problem(
            file,
            f"the file nests elements more than {MAX_DEPTH} levels deep",
            "limit",
            hint="an ArchiMate exchange file nests far fewer; this one is not read",
        )
    except ParseError as error:
        if expat.ErrorByteIndex >= 0:
            at = lines.locate(expat.ErrorByteIndex)
        else:  # expat counts columns in characters, from 0
            line, column = error.position
            at = Located(line=line, column=column + 1, source_line=lines.source_line(line))
        message = str(error).split(":")[0]
        return at.problem(file, f"the file is not well-formed XML: {message}", "syntax")
    except DefusedXmlException as error:
        doctype = data.find(b"<!DOCTYPE")
        return lines.locate(doctype if doctype >= 0 else expat.CurrentByteIndex).problem(
            file,
            _REFUSED.get(type(error).__name__, "unsafe XML is refused"),
            "unsafe-xml",
            hint="an exchange file needs no DTD or entities; remove the <!DOCTYPE ...> part",
            severity=Severity.ERROR,
        )
    finally:
        _release(expat)
    return ParsedXml(root=root, offsets=parser.offsets, lines=lines)


# ------------------------------------------------- reading and writing concepts


@attrs.frozen(kw_only=True, eq=False)
class Concept:
    """An element or relationship as the file gives it."""

    identifier: str
    type: str
    node: Element
    name: str | None
    documentation: str | None
    properties: dict[str, str]
    source: str | None = None
    target: str | None = None


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def descendants(root: Element, tag: str) -> Iterator[Element]:
    """The elements ``tag`` below ``root``, in document order.

    :meth:`Element.iter` of the pure-Python ElementTree (which defusedxml
    builds) recurses once per level; this walk keeps its own stack.

    Examples
    --------
    >>> root = ET.fromstring("<a><b><b/></b><c><b/></c></a>")
    >>> [len(b) for b in descendants(root, "b")]
    [1, 0, 0]
    """
    stack = [iter(root)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        if node.tag == tag:
            yield node
        stack.append(iter(node))


def best_text(node: Element, tag: str) -> str | None:
    """The text of ``node``'s child ``tag``: one without a language, else
    an English one, else the first."""
    found = node.findall(q(tag))
    if not found:
        return None
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    ranked = sorted(
        range(len(found)),
        key=lambda i: (
            found[i].get(lang) is not None,
            not (found[i].get(lang) or "").lower().startswith("en"),
            i,
        ),
    )
    return found[ranked[0]].text or ""


class Reader:
    """One reading of one document: the problems found so far."""

    def __init__(self, parsed: ParsedXml, file: str | None) -> None:
        self.parsed = parsed
        self.file = file
        self.problems: list[Problem] = []

    def problem(
        self,
        node: Element | None,
        message: str,
        *,
        code: str = "bad-value",
        hint: str | None = None,
        severity: Severity = Severity.WARNING,
    ) -> None:
        at = self.parsed.position(node)
        self.problems.append(
            Problem(
                message=message,
                code=code,
                file=self.file,
                line=at.line if at else None,
                column=at.column if at else None,
                source_line=at.source_line if at else None,
                hint=hint,
                severity=severity,
            )
        )

    def property_names(self) -> dict[str, str]:
        """Each property definition's identifier to its name."""
        names: dict[str, str] = {}
        for node in descendants(self.parsed.root, q("propertyDefinition")):
            identifier = node.get("identifier")
            if identifier is not None:
                names[identifier] = best_text(node, "name") or identifier
        return names

    def properties(self, node: Element, names: Mapping[str, str]) -> dict[str, str]:
        found: dict[str, str] = {}
        holder = node.find(q("properties"))
        for prop in holder.findall(q("property")) if holder is not None else ():
            ref = prop.get("propertyDefinitionRef", "")
            if ref not in names:
                self.problem(
                    prop,
                    f"property definition {ref!r} does not exist; the property is named by it",
                    code="dangling-reference",
                )
            found[names.get(ref, ref)] = best_text(prop, "value") or ""
        return found

    def concepts(self, container: str, tag: str, names: Mapping[str, str]) -> Iterator[Concept]:
        holder = self.parsed.root.find(q(container))
        for node in holder.findall(q(tag)) if holder is not None else ():
            kind = (node.get(f"{{{XSI}}}type") or "").rpartition(":")[2]
            identifier = node.get("identifier")
            if not kind or not identifier:
                missing = "xsi:type" if not kind else "identifier"
                self.problem(
                    node, f"an {tag} without {missing} is left out", severity=Severity.ERROR
                )
                continue
            yield Concept(
                identifier=identifier,
                type=kind,
                node=node,
                name=best_text(node, "name"),
                documentation=best_text(node, "documentation"),
                properties=self.properties(node, names),
                source=node.get("source"),
                target=node.get("target"),
            )


def unique_concepts(
    reader: Reader, elements: list[Concept], relationships: list[Concept]
) -> tuple[list[Concept], list[Concept]]:
    """Leave out every concept whose identifier an earlier one has."""
    first: dict[str, Concept] = {}
    for concept in (*elements, *relationships):
        earlier = first.setdefault(concept.identifier, concept)
        if earlier is not concept:
            at = reader.parsed.position(earlier.node)
            reader.problem(
                concept.node,
                f"identifier {concept.identifier!r} is used again (first at line "
                f"{at.line if at else '?'}); this {concept.type} is left out",
                code="duplicate-id",
                severity=Severity.ERROR,
            )
    kept = {id(c) for c in first.values()}
    return [c for c in elements if id(c) in kept], [c for c in relationships if id(c) in kept]


def sub(parent: Element, tag: str, text: str | None = None, **attributes: str) -> Element:
    node = ET.SubElement(parent, tag, attributes)
    if text is not None:
        node.text = text
    return node


@attrs.define
class Writer:
    """Builds the document; keeps the property names it uses."""

    property_ids: dict[str, str] = attrs.Factory(dict)

    def properties(self, parent: Element, values: Mapping[str, str]) -> None:
        if not values:
            return
        holder = sub(parent, "properties")
        for name, value in values.items():
            ref = self.property_ids.setdefault(name, f"{RESERVED}p.{len(self.property_ids) + 1}")
            sub(sub(holder, "property", propertyDefinitionRef=ref), "value", safe_text(value))

    def concept(
        self,
        parent: Element,
        tag: str,
        attributes: Mapping[str, str],
        texts: Iterable[tuple[str, str, str | None]],
        properties: dict[str, str],
    ) -> None:
        """Write one element or relationship; ``texts`` holds (tag, key,
        text) for its name and documentation."""
        node = sub(parent, tag, **attributes)
        for tag_name, key, text in texts:
            if text is None:
                continue
            sub(node, tag_name, safe_text(text))
            if safe_text(text) != text:
                properties[PROPERTY_PREFIX + key] = to_json(text)
        self.properties(node, dict(sorted(properties.items())))


def write_property_definitions(root: Element, property_ids: Mapping[str, str]) -> None:
    if not property_ids:
        return
    holder = sub(root, "propertyDefinitions")
    for name, identifier in property_ids.items():
        definition = sub(holder, "propertyDefinition", identifier=identifier, type="string")
        sub(definition, "name", safe_text(name))
