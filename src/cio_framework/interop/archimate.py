"""ArchiMate models in and out: the Open Exchange Format (OEF 3.x XML).

:func:`read_archimate` reads a model that Archi, BiZZdesign or another
tool exports in The Open Group's exchange format (namespace
``http://www.opengroup.org/xsd/archimate/3.0/``) into a scenario's file
shape; :func:`write_archimate` writes a scenario as an OEF 3.1 model that
Archi opens (*File > Import > Open Exchange XML Model*).

Mapping
-------
BusinessActor
    A department. Aggregation or Composition from one actor to another
    makes the first the second's ``parent``.
BusinessRole
    A role (its name is the ``title``). An Assignment from an actor gives
    its ``department``. Its ``level`` is the one a ``cio-framework:level``
    property names, else ``support``, the departmental one of the default
    levels (one warning says how many roles took it). The model's
    ``cio-framework:levels`` property, which the writer sets for a
    scenario with levels of its own, replaces the default levels (a role
    without a level then takes ``support`` if there is one, else the
    lowest).
ApplicationComponent
    A system. Its ``department`` is the actor joined to it by an
    Assignment (actor to component), a Serving (either way) or an
    Association (either way). A component without one is given the
    department ``unassigned``, which the import invents and marks
    ``illustrative``, with a warning at the component. A Realization from
    a platform element gives its ``hosted_on``.
Node, Device, SystemSoftware, TechnologyService
    A platform; a type other than Node is kept as ``x-archimate-type``.
    An Association or Assignment from an actor gives its ``operator``.
DataObject
    A resource. An Access from a component gives ``held_in``; its
    ``owner`` is the actor joined by an Association, else the department
    of the system it is held in, else ``unassigned`` (with a warning).
Flow, Serving and Triggering
    An exchange from source to target, with the relationship's identifier
    as its id (the writer's ``cf.a.N`` stands for an exchange without
    one) and its name as ``x-archimate-name``: a Flow between any two
    systems or platforms, a Serving or Triggering between two components.
Properties and documentation
    A property named ``cio-framework:KEY`` holds the JSON value of the
    element's key ``KEY`` (what the writer puts there: a system's
    ``status``, an exchange's ``resources``), or of an extension key
    ``x-...``; other properties are kept as ``x-archimate-properties:
    {name: value}``, the documentation as the ``note``. A
    ``cio-framework:`` property that names no key of its element (a
    misspelt ``cio-framework:pilott``) is kept so too, with an
    ``unknown-key`` warning that names the nearest key, and so is one
    whose prefix is spelt otherwise (``Cio-Framework:pilot``), with a
    warning that gives the spelling. The model's own are
    ``cio-framework:name`` and ``cio-framework:levels``; another is not
    read, with the same warnings.
Identifiers
    An identifier is the scenario id. The writer writes an id that is not
    an XML name as ``cf.x.`` and the id with each other character written
    ``_hex_``, which the reader turns back; identifiers starting ``cf.``
    are the writer's own (relationships and property definitions). An
    identifier that is no usable id (an invisible character) is read in
    that escaped form, with a warning.

Where several relationships give one key, the least id wins, with a
warning. Elements and relationships of other types, or between other kinds
of elements, are counted and left out, with one warning per type. A value
the loader refuses (an unknown ``status``, a reference to an element the
model lacks) is an error at its element and is left out. Views and
organizations are not read. Every problem is located in the file:
malformed XML, a file that is not UTF-8, any DTD or entity declaration
(refused, so nothing expands or reads another file) and elements nested
more than 256 levels deep are errors that stop the reading. Results do
not depend on the order of the file's elements.

Complexity
----------
Linear in the size of the file (reading) or of the scenario (writing),
plus sorting the elements by id, also for a file on one line: an element
keeps only the offset where it starts, and a problem is located (in
O(log n)) and its line decoded (once per line) only when reported.
Reading then checks the data by the loader's rules, once more for each
round of leaving out what they refuse (at most ten).

Examples
--------
>>> from cio_framework.interop.archimate import read_archimate_text, write_archimate
>>> model = '''<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"
...   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m1">
...   <name>Insurer</name>
...   <elements>
...     <element identifier="claims" xsi:type="BusinessActor"><name>Claims</name></element>
...     <element identifier="crm" xsi:type="ApplicationComponent"><name>CRM</name></element>
...     <element identifier="policy" xsi:type="DataObject"><name>Policy</name></element>
...   </elements>
...   <relationships>
...     <relationship identifier="r1" xsi:type="Serving" source="crm" target="claims"/>
...     <relationship identifier="r2" xsi:type="Access" source="crm" target="policy"/>
...   </relationships>
... </model>'''
>>> found = read_archimate_text(model)
>>> found.ok, found.counts["ApplicationComponent"], found.data["resources"]
(True, 1, [{'id': 'policy', 'name': 'Policy', 'held_in': 'crm', 'owner': 'claims'}])
>>> again = read_archimate_text(write_archimate(found.scenario()))
>>> again.data["systems"] == found.data["systems"]
True
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal
from xml.etree import ElementTree as ET
from xml.etree.ElementTree import Element

import attrs

from .._escape import xml_references
from ..config import structure, unstructure
from ..config._structure import nearest
from ..exceptions import ConfigError, Problem, Severity
from ..model import DEFAULT_LEVELS, Department, Platform, Resource, Role, Scenario, System
from ..model._base import META, id_problem
from ..model.landscape import Exchange
from ._archimate_xml import (
    ANONYMOUS,
    NS,
    PROPERTY_PREFIX,
    RESERVED,
    XSI,
    Concept,
    Reader,
    Writer,
    best_text,
    decode_identifier,
    encode_identifier,
    escape_id,
    from_json,
    parse_xml,
    q,
    safe_text,
    sub,
    to_json,
    unique_concepts,
    write_property_definitions,
)
from ._result import DATA_PATH, Imported, loader_problems

__all__ = ["read_archimate", "read_archimate_text", "write_archimate"]

#: The level given to roles that name no default level.
DEFAULT_ROLE_LEVEL = "support"
#: The id of the department the import invents for what has no owner.
UNASSIGNED = "unassigned"

_PLATFORM_TYPES = ("Node", "Device", "SystemSoftware", "TechnologyService")
_COLLECTION_OF_TYPE = {
    "BusinessActor": "departments",
    "BusinessRole": "roles",
    "ApplicationComponent": "systems",
    "DataObject": "resources",
    **dict.fromkeys(_PLATFORM_TYPES, "platforms"),
}
_TYPE_OF_COLLECTION = {
    "departments": "BusinessActor",
    "roles": "BusinessRole",
    "systems": "ApplicationComponent",
    "platforms": "Node",
    "resources": "DataObject",
}
_CLASSES: dict[str, type] = {
    "departments": Department,
    "roles": Role,
    "systems": System,
    "platforms": Platform,
    "resources": Resource,
    "exchanges": Exchange,
}
_ELEMENT_COLLECTIONS = ("departments", "roles", "systems", "platforms", "resources")
_COLLECTIONS = (*_ELEMENT_COLLECTIONS, "exchanges")
#: Keys that relationships carry, by collection.
_STRUCTURAL = {
    "departments": {"parent"},
    "roles": {"department"},
    "systems": {"department", "hosted_on"},
    "platforms": {"operator"},
    "resources": {"owner", "held_in"},
    "exchanges": {"from", "to"},
}
_NOT_WRITTEN = {"id", "tenures", "holder", "extensions"}

#: (relationship type, source collection, target collection) -> (the key it
#: sets, the end that holds the key). The other end is the value.
_KEY_RULES: dict[tuple[str, str, str], tuple[str, str]] = {
    ("Assignment", "departments", "roles"): ("department", "target"),
    ("Assignment", "departments", "systems"): ("department", "target"),
    ("Association", "departments", "systems"): ("department", "target"),
    ("Association", "systems", "departments"): ("department", "source"),
    ("Serving", "departments", "systems"): ("department", "target"),
    ("Serving", "systems", "departments"): ("department", "source"),
    ("Aggregation", "departments", "departments"): ("parent", "target"),
    ("Composition", "departments", "departments"): ("parent", "target"),
    ("Association", "departments", "platforms"): ("operator", "target"),
    ("Assignment", "departments", "platforms"): ("operator", "target"),
    ("Association", "platforms", "departments"): ("operator", "source"),
    ("Association", "departments", "resources"): ("owner", "target"),
    ("Association", "resources", "departments"): ("owner", "source"),
    ("Access", "systems", "resources"): ("held_in", "target"),
    ("Realization", "platforms", "systems"): ("hosted_on", "target"),
}
#: The relationship the writer uses for each structural key.
_WRITTEN_AS = {
    ("roles", "department"): "Assignment",
    ("systems", "department"): "Association",
    ("systems", "hosted_on"): "Realization",
    ("departments", "parent"): "Aggregation",
    ("platforms", "operator"): "Association",
    ("resources", "owner"): "Association",
    ("resources", "held_in"): "Access",
}
_EXCHANGE_ENDS = {"systems", "platforms"}


def _file_key(field: attrs.Attribute[Any]) -> str:
    info = field.metadata.get(META, {})
    return str(info.get("key") or field.name)


def _property_keys(collection: str) -> frozenset[str]:
    """The keys of a collection's elements that properties carry."""
    exported = set(_COLLECTIONS)
    keys = set()
    for field in attrs.fields(_CLASSES[collection]):
        refs = field.metadata.get(META, {}).get("ref") or ()
        if refs and not set(refs) <= exported and field.name != "level":
            continue
        keys.add(_file_key(field))
    return frozenset(keys - _NOT_WRITTEN - _STRUCTURAL[collection])


_PROPERTY_KEYS = {c: _property_keys(c) for c in _COLLECTIONS}
#: The model's own properties: ``cio-framework:name`` and ``cio-framework:levels``.
_MODEL_KEYS = frozenset({"name", "levels"})
_SINGULAR = {
    "departments": "a department",
    "roles": "a role",
    "systems": "a system",
    "platforms": "a platform",
    "resources": "a resource",
    "exchanges": "an exchange",
}
_NAME_KEY = {c: "title" if c == "roles" else "name" for c in _COLLECTIONS}
_DEFAULT_LEVEL_IDS = tuple(level.id for level in DEFAULT_LEVELS)


# --------------------------------------------------------------------- reading


@attrs.define
class _Found:
    """What the reading gathers before it becomes the file shape."""

    records: dict[str, dict[str, dict[str, Any]]] = attrs.field(
        factory=lambda: {c: {} for c in _COLLECTIONS}
    )
    nodes: dict[tuple[str, str], Element] = attrs.Factory(dict)
    collection_of: dict[str, str] = attrs.Factory(dict)
    scenario_id: dict[str, str] = attrs.Factory(dict)
    candidates: dict[tuple[str, str, str], dict[str, Element]] = attrs.Factory(
        lambda: defaultdict(dict)
    )
    #: ``(from, to)`` of each exchange without an id to the key of the first
    #: one, made when first needed (see :func:`_node_of`).
    unnamed_ends: dict[tuple[Any, Any], str] | None = None


def _scenario_id(reader: Reader, concept: Concept, collection: str) -> str | None:
    """The scenario id of an identifier, or ``None`` (with an error) when
    none can be made."""
    reserved = ("local",) if collection == "platforms" else ()
    decoded = decode_identifier(concept.identifier)
    if id_problem(decoded, reserved) is None:
        return decoded
    escaped = escape_id(concept.identifier)
    why = id_problem(decoded, reserved)
    if id_problem(escaped, reserved) is None:
        reader.problem(
            concept.node,
            f"identifier {concept.identifier!r} is not a usable id ({why[0] if why else ''}); "
            f"read as {escaped!r}",
        )
        return escaped
    reader.problem(
        concept.node,
        f"identifier {concept.identifier!r} is not a usable id; the {concept.type} is left out",
        severity=Severity.ERROR,
    )
    return None


def _unknown_property(
    reader: Reader, node: Element, name: str, known: Iterable[str], what: str, fate: str
) -> None:
    """An ``unknown-key`` warning at ``node``: property ``name`` has the
    tool's prefix but names no key of ``known`` (the keys of ``what``)."""
    guess = nearest(name[len(PROPERTY_PREFIX) :], sorted(known))
    reader.problem(
        node,
        f"property {name!r} names no key of {what}; {fate}",
        code="unknown-key",
        hint=f"did you mean {PROPERTY_PREFIX + guess!r}?"
        if guess
        else "known: " + ", ".join(PROPERTY_PREFIX + k for k in sorted(known)),
    )


def _misspelt_prefix(reader: Reader, node: Element, name: str, fate: str) -> None:
    """An ``unknown-key`` warning at ``node`` when property ``name`` has the
    tool's prefix spelt otherwise (``Cio-Framework:``, ``cio_framework :``),
    so that it is not silently taken for another tool's property."""
    head, colon, key = name.partition(":")
    if not colon or name.startswith(PROPERTY_PREFIX):
        return
    if head.strip().casefold().replace("_", "-") + ":" != PROPERTY_PREFIX:
        return
    reader.problem(
        node,
        f"property {name!r} is not the tool's own: its prefix is spelt {PROPERTY_PREFIX!r}; {fate}",
        code="unknown-key",
        hint=f"did you mean {PROPERTY_PREFIX + key.strip()!r}?",
    )


def _apply_properties(
    reader: Reader, record: dict[str, Any], collection: str, concept: Concept
) -> None:
    """Set ``record``'s keys from the ``cio-framework:`` properties; keep
    the others as ``x-archimate-properties``, with a warning for one of the
    tool's own that names no key of the collection, or whose prefix is
    misspelt."""
    foreign: dict[str, str] = {}
    for name, text in concept.properties.items():
        key = name[len(PROPERTY_PREFIX) :] if name.startswith(PROPERTY_PREFIX) else None
        if key is None or not (key.startswith("x-") or key in _PROPERTY_KEYS[collection]):
            _misspelt_prefix(reader, concept.node, name, "kept as an ArchiMate property")
            if key is not None:
                what = f"{_SINGULAR[collection]} ({concept.type})"
                fate = "kept as an ArchiMate property"
                known = _PROPERTY_KEYS[collection]
                _unknown_property(reader, concept.node, name, known, what, fate)
            foreign[name] = text
            continue
        try:
            record[key] = from_json(text)
        except ValueError:
            reader.problem(
                concept.node,
                f"property {name!r} does not hold a JSON value; kept as an ArchiMate property",
            )
            foreign[name] = text
    if foreign:
        kept = record.get("x-archimate-properties")
        record["x-archimate-properties"] = {**(kept if isinstance(kept, dict) else {}), **foreign}


def _element_record(reader: Reader, concept: Concept, collection: str, sid: str) -> dict[str, Any]:
    record: dict[str, Any] = {"id": sid, _NAME_KEY[collection]: concept.name or ""}
    if concept.documentation:
        record["note"] = concept.documentation
    if collection == "platforms" and concept.type != "Node":
        record["x-archimate-type"] = concept.type
    _apply_properties(reader, record, collection, concept)
    return record


def _read_elements(reader: Reader, concepts: Iterable[Concept], found: _Found) -> None:
    others: dict[str, list[Concept]] = defaultdict(list)
    for concept in concepts:
        collection = _COLLECTION_OF_TYPE.get(concept.type)
        if collection is None:
            others[concept.type].append(concept)
            continue
        sid = _scenario_id(reader, concept, collection)
        if sid is None:
            continue
        found.collection_of[concept.identifier] = collection
        found.scenario_id[concept.identifier] = sid
        found.records[collection][sid] = _element_record(reader, concept, collection, sid)
        found.nodes[collection, sid] = concept.node
    for kind, left in sorted(others.items()):
        reader.problem(
            left[0].node,
            f"{len(left)} element(s) of type {kind} are not read: the scenario has no such kind",
            code="not-mapped",
        )


def _read_exchange(reader: Reader, concept: Concept, ends: tuple[str, str], found: _Found) -> None:
    record: dict[str, Any] = {"from": ends[0], "to": ends[1]}
    if not concept.identifier.startswith(ANONYMOUS):
        sid = _scenario_id(reader, concept, "exchanges")
        if sid is None:
            return
        record["id"] = sid
    if concept.name:
        record["x-archimate-name"] = concept.name
    if concept.documentation:
        record["note"] = concept.documentation
    _apply_properties(reader, record, "exchanges", concept)
    key = record.get("id") or f"{ANONYMOUS}{concept.identifier}"
    found.records["exchanges"][key] = record
    found.nodes["exchanges", key] = concept.node


def _relationship_meaning(
    concept: Concept, kinds: tuple[str, str]
) -> tuple[str, str] | Literal["exchange"] | None:
    """The key a relationship gives (and the end holding it), ``"exchange"``,
    or ``None`` when the mapping gives it no meaning."""
    rule = _KEY_RULES.get((concept.type, *kinds))
    if rule is not None:
        return rule
    if (concept.type == "Flow" and set(kinds) <= _EXCHANGE_ENDS) or (
        concept.type in ("Serving", "Triggering") and kinds == ("systems", "systems")
    ):
        return "exchange"
    return None


def _read_relationships(
    reader: Reader, concepts: Iterable[Concept], known: set[str], found: _Found
) -> None:
    unread: dict[str, list[Concept]] = defaultdict(list)
    for concept in concepts:
        missing = [e for e in (concept.source, concept.target) if e not in known]
        if missing:
            reader.problem(
                concept.node,
                f"{concept.type} relationship {concept.identifier!r} joins {missing[0]!r}, "
                "which is no element or relationship of the model; it is left out",
                code="dangling-reference",
            )
            continue
        source, target = str(concept.source), str(concept.target)
        kinds = (found.collection_of.get(source, ""), found.collection_of.get(target, ""))
        meaning = _relationship_meaning(concept, kinds)
        ids = (found.scenario_id.get(source, ""), found.scenario_id.get(target, ""))
        if meaning == "exchange":
            _read_exchange(reader, concept, ids, found)
        elif meaning is not None:
            key, holder = meaning
            held, value = (ids[1], ids[0]) if holder == "target" else ids
            holder_kind = kinds[1] if holder == "target" else kinds[0]
            found.candidates[holder_kind, held, key].setdefault(value, concept.node)
        else:
            unread[concept.type].append(concept)
    for kind, left in sorted(unread.items()):
        reader.problem(
            left[0].node,
            f"{len(left)} {kind} relationship(s) are not read (such as {left[0].identifier!r}): "
            "the mapping gives no meaning to the elements they join",
            code="not-mapped",
        )


def _settle_keys(reader: Reader, found: _Found) -> None:
    """Give each key its value from the relationships: the least id when
    several are given."""
    for (collection, held, key), values in sorted(found.candidates.items()):
        record = found.records[collection].get(held)
        if record is None:
            continue
        chosen = min(values)
        record[key] = chosen
        if len(values) > 1:
            reader.problem(
                found.nodes[collection, held],
                f"{held!r} has {len(values)} candidates for {key!r} "
                f"({', '.join(sorted(values))}); the least id, {chosen!r}, is taken",
                code="ambiguous",
            )


def _read_levels(reader: Reader, root: Element, value: Any) -> list[dict[str, Any]] | None:
    """The scenario's levels from the model's ``cio-framework:levels``
    property, or ``None`` (the default levels)."""
    if value is None:
        return None
    try:
        structure({"cio_framework": 2, "name": "levels", "levels": value})
    except ConfigError as error:
        reader.problem(
            root,
            f"the model's levels cannot be read ({error.problems[0].message}); "
            "the default levels are used",
            code="bad-value",
            severity=Severity.ERROR,
        )
        return None
    return list(value)


def _settle_levels(reader: Reader, found: _Found, level_ids: Sequence[str]) -> None:
    """Give each role a level of ``level_ids``: its own, else ``support``
    (or the lowest level when there is no ``support``)."""
    fallback = DEFAULT_ROLE_LEVEL if DEFAULT_ROLE_LEVEL in level_ids else level_ids[-1]
    defaulted = []
    for sid, record in sorted(found.records["roles"].items()):
        level = record.get("level")
        if level in level_ids:
            continue
        if level is not None:
            reader.problem(
                found.nodes["roles", sid],
                f"role {sid!r} names level {level!r}, which is not a level of the model; "
                f"it is read as {fallback!r}",
            )
        else:
            defaulted.append(sid)
        record["level"] = fallback
    if defaulted:
        reader.problem(
            found.nodes["roles", defaulted[0]],
            f"{len(defaulted)} role(s) name no governance level ({', '.join(defaulted[:5])}"
            f"{', ...' if len(defaulted) > 5 else ''}); they are read at level {fallback!r}",
            code="default",
            hint="add a property 'cio-framework:level' with a JSON string such as \"strategic\"",
        )


def _unassigned_id(found: _Found) -> str:
    taken = {sid for records in found.records.values() for sid in records}
    candidate, number = UNASSIGNED, 1
    while candidate in taken:
        number += 1
        candidate = f"{UNASSIGNED}-{number}"
    return candidate


def _settle_owners(reader: Reader, found: _Found) -> None:
    """Give systems and resources without a department the invented one."""
    unassigned = _unassigned_id(found)
    used = False
    systems = found.records["systems"]
    for sid, record in sorted(systems.items()):
        if "department" not in record:
            record["department"] = unassigned
            used = True
            reader.problem(
                found.nodes["systems", sid],
                f"application component {sid!r} has no business actor assigned to, serving or "
                f"associated with it; it is given the invented department {unassigned!r}",
                code="unassigned",
            )
    for sid, record in sorted(found.records["resources"].items()):
        if "owner" in record:
            continue
        holder = systems.get(record.get("held_in", ""))
        if holder is not None:
            record["owner"] = holder["department"]
            continue
        record["owner"] = unassigned
        used = True
        reader.problem(
            found.nodes["resources", sid],
            f"data object {sid!r} has no owner (an associated actor) and is accessed by no "
            f"component; it is given the invented department {unassigned!r}",
            code="unassigned",
        )
    if used:
        found.records["departments"][unassigned] = {
            "id": unassigned,
            "name": "Unassigned",
            "illustrative": True,
            "note": "Invented by the ArchiMate import for the systems and data objects that "
            "no business actor owns in the model.",
        }


def _exchange_order(record: Mapping[str, Any]) -> tuple[str, str, str, str]:
    return (str(record.get("id", "")), record["from"], record["to"], to_json(record))


def _file_shape(name: str, description: str | None, found: _Found) -> dict[str, Any]:
    data: dict[str, Any] = {"cio_framework": 2, "name": name}
    if description:
        data["description"] = description
    for collection in _COLLECTIONS:
        records = found.records[collection]
        if collection == "exchanges":
            ordered = sorted(records, key=lambda k: _exchange_order(records[k]))
        else:
            ordered = sorted(records)
        if ordered:
            data[collection] = [records[k] for k in ordered]
    return data


def _validate(reader: Reader, data: dict[str, Any], found: _Found) -> dict[str, Any]:
    """Check ``data`` by the loader's rules; leave out what breaks them,
    with an error at its element, until the rest loads."""
    for _ in range(10):
        try:
            structure(data)
            return data
        except ConfigError as error:
            dropped: set[tuple[str, int, str | None]] = set()
            for problem in error.problems:
                match = DATA_PATH.match(problem.path)
                if match is None or match.group(1) not in _COLLECTIONS:
                    reader.problem(
                        None, problem.message, code=problem.code, severity=Severity.ERROR
                    )
                    continue
                collection, index, key = match.group(1), int(match.group(2)), match.group(3)
                record = data[collection][index]
                node = _node_of(found, collection, record)
                # a structural key's element goes with it (_without)
                only_key = key and key in record and key not in _STRUCTURAL[collection] | {"id"}
                what = f"key {key!r}" if only_key else "element"
                reader.problem(
                    node,
                    f"{problem.message}; the {what} is left out",
                    code=problem.code,
                    hint=problem.hint,
                    severity=Severity.ERROR,
                )
                dropped.add((collection, index, key if key and key in record else None))
            if not dropped:
                return data
            data = _without(data, dropped)
    return data


def _without(data: dict[str, Any], dropped: set[tuple[str, int, str | None]]) -> dict[str, Any]:
    removed = {(c, i) for c, i, k in dropped if k is None or k in _STRUCTURAL[c] | {"id"}}
    result = dict(data)
    for collection in _COLLECTIONS:
        if collection not in data:
            continue
        kept = []
        for index, record in enumerate(data[collection]):
            if (collection, index) in removed:
                continue
            keys = {k for c, i, k in dropped if c == collection and i == index}
            kept.append({k: v for k, v in record.items() if k not in keys})
        result[collection] = kept
    return result


def _read(data: bytes | str, *, file: str | None, name: str | None, fallback: str) -> Imported:
    parsed = parse_xml(data, file)
    if isinstance(parsed, Problem):
        return Imported(data={"cio_framework": 2, "name": name or fallback}, problems=[parsed])
    reader = Reader(parsed, file)
    root = parsed.root
    if root.tag != q("model"):
        reader.problem(
            root,
            f"the root element is {root.tag!r}, not an ArchiMate 3.x exchange <model>",
            code="syntax",
            hint=f"an OEF 3.x model has <model xmlns={NS!r}>",
            severity=Severity.ERROR,
        )
        return Imported(
            data={"cio_framework": 2, "name": name or fallback}, problems=reader.problems
        )
    names = reader.property_names()
    elements = list(reader.concepts("elements", "element", names))
    relationships = list(reader.concepts("relationships", "relationship", names))
    counts: dict[str, int] = defaultdict(int)
    for concept in (*elements, *relationships):
        counts[concept.type] += 1
    elements, relationships = unique_concepts(reader, elements, relationships)
    found = _Found()
    _read_elements(reader, elements, found)
    known = {c.identifier for c in (*elements, *relationships)}
    _read_relationships(reader, relationships, known, found)
    _settle_keys(reader, found)
    model = _model_properties(reader, root, names)
    levels = _read_levels(reader, root, model.get("levels"))
    _settle_levels(reader, found, [lv["id"] for lv in levels] if levels else _DEFAULT_LEVEL_IDS)
    _settle_owners(reader, found)
    model_name = model["name"] if isinstance(model.get("name"), str) else best_text(root, "name")
    chosen = name if name is not None else model_name if model_name is not None else fallback
    shape = _file_shape(chosen, best_text(root, "documentation"), found)
    if levels:
        shape["levels"] = levels
    shape = _validate(reader, shape, found)
    # what _validate left (it stops after ten rounds) is reported, never lost
    more, built = loader_problems(shape, lambda problem: _placed(reader, shape, found, problem))
    return Imported(data=shape, problems=[*reader.problems, *more], counts=counts, built=built)


def _node_of(found: _Found, collection: str, record: Mapping[str, Any]) -> Element | None:
    """The XML element a record of ``collection`` was read from."""
    node = found.nodes.get((collection, record.get("id", "")))
    if node is None and collection == "exchanges":  # an exchange without id
        if found.unnamed_ends is None:  # one pass, however many problems ask
            found.unnamed_ends = {}
            for key, other in found.records["exchanges"].items():
                if "id" not in other:
                    found.unnamed_ends.setdefault((other.get("from"), other.get("to")), key)
        first = found.unnamed_ends.get((record.get("from"), record.get("to")))
        return None if first is None else found.nodes.get(("exchanges", first))
    return node


def _placed(reader: Reader, data: Mapping[str, Any], found: _Found, problem: Problem) -> Problem:
    """``problem``, found at a path in ``data``, located at the XML element
    its element was read from; as it is when it is about no element."""
    match = DATA_PATH.match(problem.path)
    items = data.get(match.group(1)) if match is not None else None
    if match is None or not isinstance(items, list) or int(match.group(2)) >= len(items):
        return problem
    node = _node_of(found, match.group(1), items[int(match.group(2))])
    at = reader.parsed.position(node)
    if at is None:
        return attrs.evolve(problem, file=reader.file)
    return attrs.evolve(
        problem, file=reader.file, line=at.line, column=at.column, source_line=at.source_line
    )


def _model_properties(reader: Reader, root: Element, names: Mapping[str, str]) -> dict[str, Any]:
    """The JSON values of the model's own ``cio-framework:`` properties,
    with a warning for one that is unknown or holds no JSON value."""
    found: dict[str, Any] = {}
    holder = root.find(q("properties"))
    for prop in holder.findall(q("property")) if holder is not None else ():
        name = names.get(prop.get("propertyDefinitionRef", ""), "")
        if not name.startswith(PROPERTY_PREFIX):
            _misspelt_prefix(reader, prop, name, "it is not read")
            continue
        key = name[len(PROPERTY_PREFIX) :]
        if key not in _MODEL_KEYS:
            _unknown_property(reader, prop, name, _MODEL_KEYS, "the model", "it is not read")
            continue
        try:
            found[key] = from_json(best_text(prop, "value") or "")
        except ValueError:
            reader.problem(prop, f"property {name!r} does not hold a JSON value; it is not read")
    return found


def read_archimate(path: str | Path, *, name: str | None = None) -> Imported:
    """Read an ArchiMate model in the Open Exchange Format.

    Parameters
    ----------
    path
        The ``.xml`` file, as Archi's *Export > Model to Open Exchange File*
        writes it.
    name
        The scenario's name; by default the model's name, else the file's
        stem.

    Returns
    -------
    Imported
        The scenario in its file shape, every problem located in the file,
        and the number of elements and relationships of each ArchiMate type.

    Examples
    --------
    >>> found = read_archimate("no-such-model.xml")
    >>> found.ok, found.problems[0].code
    (False, 'io')
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        problem = Problem(
            message=f"the file cannot be read: {error.strerror or error}",
            code="io",
            file=str(path),
        )
        return Imported(data={"cio_framework": 2, "name": name or path.stem}, problems=[problem])
    return _read(data, file=str(path), name=name, fallback=path.stem)


def read_archimate_text(text: str | bytes, *, name: str | None = None) -> Imported:
    """Read an ArchiMate exchange model given as text or bytes.

    Like :func:`read_archimate`; problems name no file.

    Examples
    --------
    >>> read_archimate_text("<model").problems[0].code
    'syntax'
    """
    return _read(text, file=None, name=name, fallback="ArchiMate model")


# --------------------------------------------------------------------- writing


def _properties_of(record: Mapping[str, Any], collection: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in record.items():
        if (
            key == "x-archimate-properties"
            and isinstance(value, Mapping)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
        ):
            found.update(value)
            continue
        if key in ("x-archimate-type", "x-archimate-name"):
            continue
        if key.startswith("x-") or (key in _PROPERTY_KEYS[collection] and key not in _NAMED):
            try:
                found[PROPERTY_PREFIX + key] = to_json(value)
            except (TypeError, ValueError):
                continue
    return found


_NAMED = {"name", "title", "note"}


def _relationship_id(kind: str, source: str, target: str) -> str:
    digest = hashlib.sha256(f"{kind}\0{source}\0{target}".encode()).hexdigest()[:24]
    return f"{RESERVED}r.{digest}"


def _structural(data: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(type, source id, target id) of the relationships for keys."""
    for (collection, key), kind in _WRITTEN_AS.items():
        for record in data.get(collection, ()):
            value = record.get(key)
            if value is None or (key == "hosted_on" and value == "local"):
                continue
            yield kind, value, record["id"]


def _element_type(collection: str, record: Mapping[str, Any]) -> str:
    chosen = record.get("x-archimate-type")
    if collection == "platforms" and chosen in _PLATFORM_TYPES:
        return str(chosen)
    return _TYPE_OF_COLLECTION[collection]


def _texts(name_key: str, name: Any, note: Any) -> list[tuple[str, str, str | None]]:
    """The (tag, key, text) of a name and a documentation."""
    return [
        ("name", name_key, name if isinstance(name, str) else None),
        ("documentation", "note", note if isinstance(note, str) else None),
    ]


def write_archimate(scenario: Scenario) -> str:
    """Write a scenario's departments, roles and landscape as an OEF 3.1 model.

    The mapping is :mod:`this module's <cio_framework.interop.archimate>`,
    run backwards: each department, role, system, platform (a Node unless
    ``x-archimate-type`` names another platform type) and resource is an
    element, each key that joins two of them a relationship (Assignment for
    a role's department; Association for a system's department, a
    platform's operator and a resource's owner; Realization for
    ``hosted_on``; Access for ``held_in``; Aggregation for ``parent``), each
    exchange a Flow. Other keys are ``cio-framework:KEY`` properties with
    JSON values; a role's holder, tenures and keys that name people,
    jurisdictions or sources are not written, nor are ``x-`` values that
    JSON cannot hold. Texts that XML 1.0 cannot carry are written with
    U+FFFD and kept exactly in a ``cio-framework:name`` (or ``title``,
    ``note``) property. Everything is built with ElementTree, so no text
    can add markup.

    Returns
    -------
    str
        The XML document.

    Examples
    --------
    >>> from cio_framework.testing import make_scenario
    >>> text = write_archimate(make_scenario())
    >>> text.splitlines()[1][:60]
    '<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" x'
    >>> read_archimate_text(text).counts["BusinessRole"]
    2
    """
    data = unstructure(scenario)
    writer = Writer()
    root = ET.Element(
        "model",
        {
            "xmlns": NS,
            "xmlns:xsi": XSI,
            "identifier": f"{RESERVED}m.{hashlib.sha256(scenario.name.encode()).hexdigest()[:24]}",
        },
    )
    sub(root, "name", safe_text(scenario.name))
    if scenario.description:
        sub(root, "documentation", safe_text(scenario.description))
    writer.properties(root, _model_properties_of(scenario, data))
    elements = sub(root, "elements")
    for collection in _ELEMENT_COLLECTIONS:
        for record in sorted(data.get(collection, ()), key=lambda r: str(r["id"])):
            writer.concept(
                elements,
                "element",
                {
                    "identifier": encode_identifier(record["id"]),
                    "xsi:type": _element_type(collection, record),
                },
                _texts(
                    _NAME_KEY[collection], record.get(_NAME_KEY[collection], ""), record.get("note")
                ),
                _properties_of(record, collection),
            )
    relationships = sub(root, "relationships")
    for kind, source, target in sorted(set(_structural(data))):
        sub(
            relationships,
            "relationship",
            identifier=_relationship_id(kind, source, target),
            source=encode_identifier(source),
            target=encode_identifier(target),
            **{"xsi:type": kind},
        )
    _write_exchanges(writer, relationships, data.get("exchanges", ()))
    if not len(elements):
        root.remove(elements)
    if not len(relationships):
        root.remove(relationships)
    write_property_definitions(root, writer.property_ids)
    ET.indent(root)
    # DEL, C1 and bidi controls as references: the same text, printable
    document = xml_references(ET.tostring(root, encoding="unicode"))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + document + "\n"


def _model_properties_of(scenario: Scenario, data: Mapping[str, Any]) -> dict[str, str]:
    """The model's own properties: an unsafe name, the levels when not the default."""
    found = {}
    if safe_text(scenario.name) != scenario.name:
        found[PROPERTY_PREFIX + "name"] = to_json(scenario.name)
    if "levels" in data:
        levels = [
            {k: v for k, v in level.items() if k != "jurisdiction" and _jsonable(v)}
            for level in data["levels"]
        ]
        found[PROPERTY_PREFIX + "levels"] = to_json(levels)
    return found


def _jsonable(value: Any) -> bool:
    try:
        to_json(value)
    except (TypeError, ValueError):
        return False
    return True


def _write_exchanges(
    writer: Writer, parent: Element, exchanges: Iterable[Mapping[str, Any]]
) -> None:
    anonymous = 0
    for record in sorted(exchanges, key=_exchange_order):
        if "id" in record:
            identifier = encode_identifier(record["id"])
        else:
            anonymous += 1
            identifier = f"{ANONYMOUS}{anonymous}"
        texts = _texts("x-archimate-name", record.get("x-archimate-name"), record.get("note"))
        writer.concept(
            parent,
            "relationship",
            {
                "identifier": identifier,
                "source": encode_identifier(record["from"]),
                "target": encode_identifier(record["to"]),
                "xsi:type": "Flow",
            },
            texts,
            _properties_of(record, "exchanges"),
        )
