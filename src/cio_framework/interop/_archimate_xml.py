"""XML plumbing for :mod:`cio_framework.interop.archimate`.

Safe parsing with element positions, the reversible mapping between
scenario ids and ``xs:ID`` identifiers, texts that XML 1.0 can carry, and
the exchange format's concepts (elements and relationships with their
names, documentation and properties) read and written. Nothing here knows
the scenario model.
"""

from __future__ import annotations

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
    "NS",
    "PROPERTY_PREFIX",
    "RESERVED",
    "XSI",
    "Concept",
    "Located",
    "ParsedXml",
    "Reader",
    "Writer",
    "best_text",
    "decode_identifier",
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


@attrs.frozen(kw_only=True, eq=False)
class ParsedXml:
    """A parsed document: its root and each element's position."""

    root: Element
    positions: dict[Element, Located]


class _PositionedParser(DefusedXMLParser):
    """defusedxml's parser, refusing DTDs, entities and external references,
    recording where each element starts."""

    def __init__(self) -> None:
        super().__init__(forbid_dtd=True, forbid_entities=True, forbid_external=True)
        self.starts: dict[Element, tuple[int, int]] = {}
        expat = self.parser
        start = cast("Callable[[str, Any], Element]", expat.StartElementHandler)

        def recording_start(tag: str, attributes: Any) -> Element:
            element: Element = start(tag, attributes)
            self.starts[element] = (expat.CurrentLineNumber, expat.CurrentColumnNumber)
            return element

        expat.StartElementHandler = recording_start


def _position(lines: list[bytes], line: int, byte_column: int) -> Located:
    """The 1-based character column of a 0-based byte column."""
    if not 1 <= line <= len(lines):
        return Located(line=line, column=byte_column + 1, source_line=None)
    raw = lines[line - 1]
    column = len(raw[:byte_column].decode("utf-8", errors="replace")) + 1
    return Located(line=line, column=column, source_line=raw.decode("utf-8", errors="replace"))


def _at_offset(data: bytes, offset: int) -> Located:
    """The position of byte ``offset`` of ``data``."""
    before = data[:offset]
    line = before.count(b"\n") + 1
    return _position(data.split(b"\n"), line, offset - (before.rfind(b"\n") + 1))


def _encoding_problem(data: bytes, error: UnicodeDecodeError, file: str | None) -> Problem:
    at = _at_offset(data, error.start)
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
    can expand or read another file.
    """
    if isinstance(data, str):
        data = data.encode("utf-8", errors="surrogatepass")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return _encoding_problem(data, error, file)
    lines = data.split(b"\n")
    parser = _PositionedParser()
    try:
        parser.feed(text)
        root = parser.close()
    except ParseError as error:
        line, column = error.position
        at = _position(lines, line, column)
        message = str(error).split(":")[0]
        return Problem(
            message=f"the file is not well-formed XML: {message}",
            code="syntax",
            file=file,
            line=at.line,
            column=at.column,
            source_line=at.source_line,
        )
    except DefusedXmlException as error:
        doctype = data.find(b"<!DOCTYPE")
        at = (
            _at_offset(data, doctype)
            if doctype >= 0
            else _position(
                lines, parser.parser.CurrentLineNumber, parser.parser.CurrentColumnNumber
            )
        )
        return Problem(
            message=_REFUSED.get(type(error).__name__, "unsafe XML is refused"),
            code="unsafe-xml",
            file=file,
            line=at.line,
            column=at.column,
            source_line=at.source_line,
            hint="an exchange file needs no DTD or entities; remove the <!DOCTYPE ...> part",
            severity=Severity.ERROR,
        )
    positions = {e: _position(lines, *start) for e, start in parser.starts.items()}
    return ParsedXml(root=root, positions=positions)


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
        at = self.parsed.positions.get(node) if node is not None else None
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
        names: dict[str, str] = {}
        for node in self.parsed.root.iter(q("propertyDefinition")):
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
            at = reader.parsed.positions.get(earlier.node)
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
