"""Private helpers of :mod:`cio_framework.interop.backstage`.

Reading a catalogue file into located entity documents, Backstage's rules
for names and entity references, and the names an export gives to ids.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import attrs
import yaml

from ..config._dump import _Dumper, escape_bidi  # the safe dumper; unusual line breaks quoted
from ..config._yaml import INVALID, Limits, Locator, _Loader, _measure
from ..exceptions import Problem, Severity
from ..model import DEFAULT_LEVELS, LOCAL
from ..model._base import id_problem
from ._carried import CARRIED, cut_keys

__all__ = [
    "CANONICAL_KINDS",
    "DEFAULT_NAMESPACE",
    "RESERVED",
    "Document",
    "Key",
    "export_names",
    "is_valid_name",
    "parse_documents",
    "parse_ref",
]

#: The namespace of an entity that names none (Backstage's ``DEFAULT_NAMESPACE``).
DEFAULT_NAMESPACE = "default"

#: The built-in kinds, by their lower-case form, as Backstage spells them.
CANONICAL_KINDS = {
    k.lower(): k
    for k in ("API", "Component", "Domain", "Group", "Location", "Resource", "System", "Template")
} | {"user": "User"}

#: Ids an imported element may not take as they are: the default levels' ids
#: and ``local`` (``hosted_on: local``). Such an entity's id takes its kind.
RESERVED = frozenset({LOCAL, *(level.id for level in DEFAULT_LEVELS)})

#: ``(kind, namespace, name)`` in lower case: Backstage compares all three so.
Key = tuple[str, str, str]

# Backstage's validators (KubernetesValidatorFunctions): an object name, a
# namespace (a DNS label) and a kind. The name rule that the descriptor format
# documents is stricter (no two separators in a row); exports keep to it.
_NAME = re.compile(r"(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_STRICT_NAME = re.compile(r"[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*")
_NAMESPACE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_KIND = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_MAX_NAME = 63


def is_valid_name(text: object) -> bool:
    """Whether ``text`` is a name Backstage accepts (at most 63 characters).

    Examples
    --------
    >>> is_valid_name("team-a"), is_valid_name("team a"), is_valid_name("x" * 64)
    (True, False, False)
    """
    return isinstance(text, str) and len(text) <= _MAX_NAME and bool(_NAME.fullmatch(text))


def is_valid_namespace(text: object) -> bool:
    """Whether ``text`` is a namespace Backstage accepts (a DNS label)."""
    return isinstance(text, str) and len(text) <= _MAX_NAME and bool(_NAMESPACE.fullmatch(text))


def is_valid_api_version(text: object) -> bool:
    """Whether ``text`` is an apiVersion Backstage accepts: ``[group/]version``."""
    if not isinstance(text, str):
        return False
    group, _, version = text.rpartition("/")
    if group and not (
        len(group) <= 253 and all(_NAMESPACE.fullmatch(part) for part in group.split("."))
    ):
        return False
    return 1 <= len(version) <= _MAX_NAME and version.isascii() and version.isalnum()


def is_valid_kind(text: object) -> bool:
    """Whether ``text`` is a kind Backstage accepts."""
    return isinstance(text, str) and len(text) <= _MAX_NAME and bool(_KIND.fullmatch(text))


def parse_ref(ref: object, *, default_kind: str | None, default_namespace: str) -> Key | str:
    """The key an entity reference names, or why it names none.

    A reference is ``[kind:][namespace/]name`` or a mapping with ``name`` and
    optional ``kind`` and ``namespace`` (Backstage's ``parseEntityRef``): a
    ``/`` before the first ``:`` makes the whole start part of the name's
    namespace, and the defaults fill what is left out.

    Examples
    --------
    >>> parse_ref("team-a", default_kind="Group", default_namespace="ops")
    ('group', 'ops', 'team-a')
    >>> parse_ref("User:default/Jo", default_kind="Group", default_namespace="ops")
    ('user', 'default', 'jo')
    >>> parse_ref("petstore", default_kind=None, default_namespace="default")
    'names no kind, and this field has no default kind: write kind:name'
    """
    if isinstance(ref, Mapping):
        kind, namespace, name = ref.get("kind"), ref.get("namespace"), ref.get("name")
    elif isinstance(ref, str):
        colon, slash = ref.find(":"), ref.find("/")
        if slash != -1 and slash < colon:
            colon = -1
        kind = ref[:colon] if colon != -1 else None
        namespace = ref[colon + 1 : slash] if slash != -1 else None
        name = ref[max(colon + 1, slash + 1) :]
        if "" in (kind, namespace, name):
            return "is not of the form [kind:][namespace/]name"
    else:
        return "is not a string"
    kind = default_kind if kind is None else kind
    namespace = default_namespace if namespace is None else namespace
    if kind is None:
        return "names no kind, and this field has no default kind: write kind:name"
    if not all(isinstance(part, str) and part for part in (kind, namespace, name)):
        return "is not of the form [kind:][namespace/]name"
    return (str(kind).lower(), str(namespace).lower(), str(name).lower())


# -- reading documents -------------------------------------------------------


class _CatalogLoader(_Loader):
    """The safe loader, with YAML 1.2's scalars where Backstage's parser
    differs from PyYAML's: ``yes``, ``no``, ``on`` and ``off`` are text, and
    so are dates."""

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = {
        first: [
            (tag, rx)
            for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
        ]
        for first, resolvers in _Loader.yaml_implicit_resolvers.items()
    }


_CatalogLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@attrs.frozen(kw_only=True, eq=False)
class Document:
    """One YAML document of a catalogue file, with what locates its parts."""

    file: str | None
    data: Any
    node: Any
    lines: tuple[str, ...]

    def position(self, path: Iterable[str | int], *, at_key: bool = False) -> tuple[int, int]:
        """1-based ``(line, column)`` of the value (or key) at ``path``; the
        deepest part of the path that exists when the rest does not."""
        found = Locator(self.node, "").position(tuple(path), "key" if at_key else "value")
        return found if found is not None else (1, 1)

    def problem(
        self,
        path: Iterable[str | int],
        message: str,
        *,
        code: str,
        severity: Severity = Severity.WARNING,
        hint: str | None = None,
        at_key: bool = False,
    ) -> Problem:
        """A problem located at ``path`` of this document."""
        segments = list(path)
        line, column = self.position(segments, at_key=at_key)
        return Problem(
            message=message,
            code=code,
            file=self.file,
            line=line,
            column=column,
            path=_json_path(segments),
            hint=hint,
            source_line=self.lines[line - 1] if line <= len(self.lines) else None,
            severity=severity,
        )


def _json_path(segments: list[str | int]) -> str:
    return "$" + "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in segments)


def parse_documents(
    text: str, file: str | None, limits: Limits
) -> tuple[list[Document], list[Problem]]:
    """Every document of a YAML text, and the problems found reading it.

    A document over the limits (an alias bomb, too deep) is left out with
    an error at the node that breaks them; a syntax error ends the file.
    Each document costs time linear in its text: aliases are measured, not
    expanded, before anything is built.
    """
    lines = tuple(text.splitlines())
    documents: list[Document] = []
    problems: list[Problem] = []
    loader = _CatalogLoader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            doc = Document(file=file, data=None, node=node, lines=lines)
            over = _measure(node, limits)
            if over is not None:
                problems.append(_at_mark(doc, over.node, over.message, over.code, over.hint))
                continue
            loader.drafts = []
            data = loader.construct_document(node)
            for draft in loader.drafts:
                problems.append(_at_mark(doc, draft.node, draft.message, draft.code, draft.hint))
            documents.append(attrs.evolve(doc, data=_without_invalid(data)))
    except RecursionError:
        problems.append(
            Problem(message="the document is nested too deeply", code="limit", file=file)
        )
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        message = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line = mark.line + 1 if mark is not None else 1
        column = mark.column + 1 if mark is not None else 1
        problems.append(
            Problem(
                message=f"YAML syntax: {message}",
                code="syntax",
                file=file,
                line=line,
                column=column,
                source_line=lines[line - 1] if line <= len(lines) else None,
            )
        )
    finally:
        loader.dispose()
    return documents, problems


def _at_mark(doc: Document, node: Any, message: str, code: str, hint: str | None) -> Problem:
    mark = node.start_mark if node is not None else None
    line = mark.line + 1 if mark is not None else 1
    column = mark.column + 1 if mark is not None else 1
    return Problem(
        message=message,
        code=code,
        file=doc.file,
        line=line,
        column=column,
        hint=hint,
        source_line=doc.lines[line - 1] if line <= len(doc.lines) else None,
    )


def _without_invalid(value: Any) -> Any:
    """``value`` with every value the loader could not build left out (each
    already has its problem)."""
    if isinstance(value, dict):
        return {k: _without_invalid(v) for k, v in value.items() if v is not INVALID}
    if isinstance(value, list):
        return [_without_invalid(v) for v in value if v is not INVALID]
    return value


# -- names for an export -----------------------------------------------------

_HASH = 12


def _encoded(identifier: str, digits: int) -> str:
    """A strict Backstage name for ``identifier``: its letters and digits
    (accents dropped, other characters as ``-``) and a hash of the whole id."""
    ascii_text = unicodedata.normalize("NFKD", identifier).encode("ascii", "ignore").decode()
    slug = "-".join(re.findall(r"[A-Za-z0-9]+", ascii_text))[: _MAX_NAME - digits - 1]
    slug = slug.rstrip("-") or "id"
    return f"{slug}-{hashlib.sha256(identifier.encode()).hexdigest()[:digits]}"


def export_names(ids: Iterable[str]) -> dict[str, str]:
    """A Backstage name for each id of one kind, distinct in lower case.

    An id that is a name by the descriptor format's rule, and the only id
    of the kind with its lower-case form, is its own name; every other id
    gets :func:`_encoded`, lengthened until distinct. The result depends on
    the set of ids, not their order.

    Examples
    --------
    >>> names = export_names(["epb", "EPB", "环保局", "a b"])
    >>> names["epb"] != names["EPB"], names["a b"].startswith("a-b-")
    (True, True)
    >>> export_names(["team-a"])
    {'team-a': 'team-a'}
    """
    unique = sorted(set(ids))
    lowered: dict[str, int] = {}
    for identifier in unique:
        lowered[identifier.lower()] = lowered.get(identifier.lower(), 0) + 1
    names: dict[str, str] = {}
    taken: set[str] = set()
    for identifier in unique:
        if (
            len(identifier) <= _MAX_NAME
            and _STRICT_NAME.fullmatch(identifier)
            and lowered[identifier.lower()] == 1
        ):
            names[identifier] = identifier
            taken.add(identifier.lower())
    for identifier in unique:
        if identifier in names:
            continue
        digits = _HASH
        name = _encoded(identifier, digits)
        while name.lower() in taken and digits < 56:
            digits += 4
            name = _encoded(identifier, digits)
        names[identifier] = name
        taken.add(name.lower())
    return names


# -- entities ----------------------------------------------------------------

#: The annotation that gives an entity's id in the scenario.
ANNOTATION_ID = "cio-framework.io/id"
#: The annotation (YAML) that sets or, as ``null``, removes element fields.
ANNOTATION_FIELDS = "cio-framework.io/fields"
#: The annotation (YAML) that lists an entity's exchanges in full.
ANNOTATION_EXCHANGES = "cio-framework.io/exchanges"
#: The annotation of a Location that names the scenario.
ANNOTATION_NAME = "cio-framework.io/scenario-name"

#: The kinds mapped, in the order in which they keep a shared id, with the
#: scenario collection each becomes.
COLLECTIONS = {
    "group": "departments",
    "user": "people",
    "component": "systems",
    "resource": "platforms",
    "api": "resources",
}

#: Keys whose values are references, set from the entity's own fields only.
REFERENCE_KEYS = {
    "departments": ("id", "parent"),
    "people": ("id", "x-backstage-memberOf"),
    "systems": ("id", "department"),
    "platforms": ("id", "operator"),
    "resources": ("id", "owner", "held_in"),
}

SPEC_FIELDS = {
    "group": {"type", "profile", "parent", "children", "members"},
    "user": {"profile", "memberOf"},
    "component": {
        "type",
        "lifecycle",
        "owner",
        "system",
        "subcomponentOf",
        "providesApis",
        "consumesApis",
        "dependsOn",
        "dependencyOf",
    },
    "resource": {"type", "owner", "dependsOn", "dependencyOf", "system"},
    "api": {"type", "lifecycle", "owner", "system", "definition"},
}
_KEPT_SPEC = ("system", "subcomponentOf")
_KEPT_METADATA = ("tags", "labels", "links")
_METADATA_FIELDS = {
    "name",
    "namespace",
    "title",
    "description",
    "annotations",
    "uid",
    "etag",
    *_KEPT_METADATA,
}
_TOP_FIELDS = {"apiVersion", "kind", "metadata", "spec", "relations", "status"}
_STATUS = {"production": None, "experimental": "planned", "deprecated": "retired"}


@attrs.frozen(kw_only=True, eq=False)
class Entity:
    """A valid entity: its kind as Backstage spells it, key, name and body."""

    kind: str
    key: Key
    name: str
    body: Mapping[str, Any]
    doc: Document

    @property
    def spec(self) -> Mapping[str, Any]:
        spec = self.body.get("spec")
        return spec if isinstance(spec, Mapping) else {}

    def annotation(self, key: str) -> object:
        annotations = self.body["metadata"].get("annotations")
        return annotations.get(key) if isinstance(annotations, Mapping) else None

    def refs(self, field: str) -> list[tuple[list[str | int], object]]:
        """``(path, reference)`` of each reference of a spec field."""
        value = self.spec.get(field)
        if value is None:
            return []
        if isinstance(value, list):
            return [(["spec", field, i], ref) for i, ref in enumerate(value)]
        return [(["spec", field], value)]


def text_of(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def local_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """The element fields an entity gives by itself, references aside.

    The reader and the writer share it: an export puts in the fields
    annotation whatever differs from what this derives.
    """
    kind = str(body.get("kind", "")).lower()
    metadata: Mapping[str, Any] = _mapping(body.get("metadata"))
    spec: Mapping[str, Any] = _mapping(body.get("spec"))
    profile: Mapping[str, Any] = _mapping(spec.get("profile"))
    fields: dict[str, Any] = {}
    name = text_of(profile.get("displayName")) if kind in ("group", "user") else None
    name = name if name is not None else text_of(metadata.get("title"))
    if name is None and kind != "user":
        name = text_of(metadata.get("name"))
    if name is not None:
        fields["name"] = name
    if text_of(metadata.get("description")) is not None:
        fields["note"] = metadata["description"]
    if kind == "group" and text_of(spec.get("type")) is not None:
        fields["kind"] = spec["type"]
    lifecycle = spec.get("lifecycle")
    if kind == "component" and isinstance(lifecycle, str) and lifecycle in _STATUS:
        if _STATUS[lifecycle] is not None:
            fields["status"] = _STATUS[lifecycle]
    elif kind in ("component", "api") and lifecycle is not None:
        fields["x-backstage-lifecycle"] = lifecycle
    if kind in ("component", "resource", "api") and spec.get("type") is not None:
        fields["x-backstage-type"] = spec["type"]
    for key in _KEPT_METADATA:
        if metadata.get(key) is not None:
            fields[f"x-backstage-{key}"] = metadata[key]
    known = SPEC_FIELDS.get(kind, set())
    for key, value in spec.items():
        if isinstance(key, str) and value is not None and (key in _KEPT_SPEC or key not in known):
            fields[f"x-backstage-{key}"] = value
    return fields


def read_entity(doc: Document, problems: list[Problem]) -> Entity | None:
    """The entity of a document, or ``None`` (an error says why, if any)."""
    body = doc.data
    if body is None:
        return None

    def refuse(
        path: list[str | int], message: str, code: str = "bad-value", hint: str | None = None
    ) -> None:
        """Record why the entity is left out."""
        problems.append(
            doc.problem(
                path,
                f"{message}; the entity is left out",
                code=code,
                severity=Severity.ERROR,
                hint=hint,
            )
        )

    if not isinstance(body, dict):
        refuse([], "an entity is a mapping", "wrong-type")
        return None
    for key in ("apiVersion", "kind", "metadata"):
        if key not in body:
            refuse([], f"the entity has no {key}", "missing-field")
            return None
    if not is_valid_api_version(body["apiVersion"]):
        refuse(["apiVersion"], f"apiVersion {_q(body['apiVersion'])} is not valid")
        return None
    if not is_valid_kind(body["kind"]):
        refuse(["kind"], f"kind {_q(body['kind'])} is not valid")
        return None
    metadata = body["metadata"]
    if not isinstance(metadata, dict):
        refuse(["metadata"], "metadata is not a mapping", "wrong-type")
        return None
    if "name" not in metadata:
        refuse(["metadata"], "the entity has no metadata.name", "missing-field")
        return None
    if not is_valid_name(metadata["name"]):
        refuse(
            ["metadata", "name"],
            f"{_q(metadata['name'])} is not a Backstage name",
            hint="at most 63 letters and digits, separated by one of - _ .",
        )
        return None
    namespace = metadata.get("namespace", DEFAULT_NAMESPACE)
    if not is_valid_namespace(namespace):
        refuse(["metadata", "namespace"], f"namespace {_q(namespace)} is not valid")
        return None
    if not isinstance(body.get("spec", {}), dict):
        refuse(["spec"], "spec is not a mapping", "wrong-type")
        return None
    for key in body:
        if key not in _TOP_FIELDS:
            problems.append(
                doc.problem(
                    [key], f"unknown field {_q(key)}, not read", code="unknown-key", at_key=True
                )
            )
    for key in metadata:
        if key not in _METADATA_FIELDS:
            problems.append(
                doc.problem(
                    ["metadata", key],
                    f"unknown metadata field {_q(key)}, not read",
                    code="unknown-key",
                    at_key=True,
                )
            )
    kind = str(CANONICAL_KINDS.get(body["kind"].lower(), body["kind"]))
    name = metadata["name"]
    return Entity(
        kind=kind, key=(kind.lower(), namespace, name.lower()), name=name, body=body, doc=doc
    )


def _q(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return repr(text if len(text) <= 60 else text[:59] + "…")


def describe(key: Key) -> str:
    """A key as Backstage writes a full reference: ``kind:namespace/name``."""
    return f"{CANONICAL_KINDS.get(key[0], key[0])}:{key[1]}/{key[2]}"


def canonical(value: Any) -> str:
    """A text that is equal for equal data whatever the order of its mappings."""
    if isinstance(value, Mapping):
        items = sorted((canonical(k), canonical(v)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    return f"{type(value).__name__}:{value!r}"


def unique_entities(entities: list[Entity], problems: list[Problem]) -> list[Entity]:
    """One entity per key: of several, the least by name and content (an error
    for each other)."""
    by_key: dict[Key, list[Entity]] = {}
    for entity in entities:
        by_key.setdefault(entity.key, []).append(entity)
    kept = []
    for same in by_key.values():
        if len(same) > 1:
            same.sort(key=lambda e: (e.name, canonical(e.body)))
        kept.append(same[0])
        first = same[0].doc
        line, column = first.position(["metadata", "name"])
        for other in same[1:]:
            problems.append(
                other.doc.problem(
                    ["metadata", "name"],
                    f"{describe(other.key)} is defined twice; the one at "
                    f"{first.file or '<string>'}:{line}:{column} is kept and this one left out",
                    code="duplicate-id",
                    severity=Severity.ERROR,
                    hint="an entity's kind, namespace and name (in any case) must be unique",
                )
            )
    return sorted(kept, key=lambda e: e.key)


def assign_ids(entities: list[Entity], problems: list[Problem]) -> dict[Key, str]:
    """The scenario id of each mapped entity (see the module's Definition)."""
    shared: dict[str, list[Entity]] = {}
    for entity in entities:
        base = (
            entity.name if entity.key[1] == DEFAULT_NAMESPACE else f"{entity.key[1]}/{entity.name}"
        )
        shared.setdefault(base, []).append(entity)
    order = list(COLLECTIONS)
    derived: dict[Key, str] = {}
    for base, same in shared.items():
        same.sort(key=lambda e: order.index(e.key[0]))
        for i, entity in enumerate(same):
            plain = i == 0 and base not in RESERVED
            derived[entity.key] = base if plain else f"{entity.key[0]}:{base}"
    claims: dict[str, list[Entity]] = {}
    for entity in entities:
        claimed = entity.annotation(ANNOTATION_ID)
        if claimed is None:
            continue
        if not isinstance(claimed, str) or id_problem(claimed) is not None:
            problems.append(_annotation_problem(entity, ANNOTATION_ID, "is not a valid id"))
            continue
        claims.setdefault(claimed, []).append(entity)
    taken = set(derived.values())
    ids = dict(derived)
    for claimed, same in claims.items():
        if len(same) == 1 and (claimed not in taken or derived[same[0].key] == claimed):
            ids[same[0].key] = claimed
            continue
        for entity in same:
            problems.append(_annotation_problem(entity, ANNOTATION_ID, f"{_q(claimed)} is taken"))
    return ids


def _annotation_problem(entity: Entity, key: str, why: str) -> Problem:
    return entity.doc.problem(
        ["metadata", "annotations", key],
        f"annotation {key} {why}; it is not used",
        code="bad-value",
    )


# -- writing -------------------------------------------------------------------

#: The ``apiVersion`` of the entities written.
API_VERSION = "backstage.io/v1alpha1"

#: The kind each scenario collection is written as.
KIND_OF = {
    "departments": "Group",
    "people": "User",
    "systems": "Component",
    "platforms": "Resource",
    "resources": "API",
}


def dump_all(documents: list[dict[str, Any]]) -> str:
    text: str = yaml.dump_all(
        documents, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )
    return escape_bidi(text)


def make_entity(kind: str, metadata: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """An entity of ``kind`` as written."""
    return {"apiVersion": API_VERSION, "kind": kind, "metadata": metadata, "spec": spec}


def flow(value: Any) -> str:
    """``value`` as one line of YAML, for an annotation."""
    text: str = yaml.dump(
        value, Dumper=_Dumper, default_flow_style=True, allow_unicode=True, width=2**30
    )
    return escape_bidi(text.strip())


class Writer:
    """The entities of one scenario's elements."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.names = {c: export_names(e["id"] for e in data.get(c, [])) for c in KIND_OF}
        self.children: dict[str, list[str]] = {}
        for d in data.get("departments", []):
            if "parent" in d:
                self.children.setdefault(d["parent"], []).append(self.ref("departments", d["id"]))
        self.apis: dict[str, list[str]] = {}
        for r in data.get("resources", []):
            if "held_in" in r:
                self.apis.setdefault(r["held_in"], []).append(self.ref("resources", r["id"]))
        self.exchanges: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for e in data.get("exchanges", []):
            self.exchanges.setdefault(e["from"], {}).setdefault(e["to"], []).append(e)
        self.node_collection = {s["id"]: "systems" for s in data.get("systems", [])}
        self.node_collection.update({p["id"]: "platforms" for p in data.get("platforms", [])})

    def ref(self, collection: str, identifier: str) -> str:
        return f"{KIND_OF[collection].lower()}:default/{self.names[collection][identifier]}"

    def entity(self, collection: str, element: Mapping[str, Any]) -> dict[str, Any]:
        """The entity of one element: native fields, then annotations for the rest."""
        identifier = element["id"]
        name = self.names[collection][identifier]
        metadata: dict[str, Any] = {"name": name}
        if element.get("name") is not None:
            metadata["title"] = element["name"]
        if isinstance(element.get("note"), str):
            metadata["description"] = element["note"]
        spec: dict[str, Any] = getattr(self, f"_{collection}")(element)
        body = make_entity(KIND_OF[collection], metadata, spec)
        annotations: dict[str, str] = {}
        if name != identifier or identifier in RESERVED:
            annotations[ANNOTATION_ID] = identifier
        fields = _fields_to_keep(collection, element, local_fields(body))
        if fields:
            annotations[ANNOTATION_FIELDS] = flow(fields)
        exchanges = self._exchange_items(identifier)
        if exchanges:
            annotations[ANNOTATION_EXCHANGES] = flow(exchanges)
        if annotations:
            metadata["annotations"] = annotations
        return body

    def _departments(self, d: Mapping[str, Any]) -> dict[str, Any]:
        spec: dict[str, Any] = {"type": d.get("kind", "department")}
        if "parent" in d:
            spec["parent"] = self.ref("departments", d["parent"])
        spec["children"] = sorted(self.children.get(d["id"], []))
        return spec

    def _people(self, p: Mapping[str, Any]) -> dict[str, Any]:
        groups = p.get("x-backstage-memberOf", [])
        known = self.names["departments"]
        refs = {self.ref("departments", g) for g in groups if isinstance(g, str) and g in known}
        return {"memberOf": sorted(refs)}

    def _systems(self, s: Mapping[str, Any]) -> dict[str, Any]:
        lifecycle = {"planned": "experimental", "retired": "deprecated"}.get(
            s.get("status", ""), s.get("x-backstage-lifecycle", "production")
        )
        spec: dict[str, Any] = {
            "type": s.get("x-backstage-type", "service"),
            "lifecycle": lifecycle,
            "owner": self.ref("departments", s["department"]),
        }
        if s["id"] in self.apis:
            spec["providesApis"] = sorted(self.apis[s["id"]])
        return self._depends(s["id"], spec)

    def _platforms(self, p: Mapping[str, Any]) -> dict[str, Any]:
        spec: dict[str, Any] = {"type": p.get("x-backstage-type", "platform")}
        if "operator" in p:
            spec["owner"] = self.ref("departments", p["operator"])
        return self._depends(p["id"], spec)

    def _resources(self, r: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "type": r.get("x-backstage-type", "cio-framework-resource"),
            "lifecycle": r.get("x-backstage-lifecycle", "production"),
            "owner": self.ref("departments", r["owner"]),
            "definition": "An information resource of a cio_framework scenario.",
        }

    def _depends(self, identifier: str, spec: dict[str, Any]) -> dict[str, Any]:
        targets = self.exchanges.get(identifier, {})
        if targets:
            spec["dependsOn"] = sorted(self.ref(self.node_collection[t], t) for t in targets)
        return spec

    def _exchange_items(self, identifier: str) -> list[dict[str, Any]]:
        """The exchanges from ``identifier`` that a bare ``dependsOn`` does not say."""
        items = []
        for to, exchanges in sorted(self.exchanges.get(identifier, {}).items()):
            if exchanges == [{"from": identifier, "to": to}]:
                continue
            ref = self.ref(self.node_collection[to], to)
            for e in exchanges:
                items.append({"to": ref, **{k: v for k, v in e.items() if k not in ("from", "to")}})
        return items


def _fields_to_keep(
    collection: str, element: Mapping[str, Any], derived: Mapping[str, Any]
) -> dict[str, Any]:
    """What the fields annotation must set (or, as ``None``, remove) so that
    reading the entity gives the element back."""
    # keys set from the entity itself, and references to what a catalogue
    # does not carry (a department's jurisdiction): the export says so
    skip = {*REFERENCE_KEYS[collection], *cut_keys(collection, CARRIED["backstage"])}
    fields = {
        k: v
        for k, v in element.items()
        if k not in skip and not (k in derived and _same(derived[k], v))
    }
    fields.update({k: None for k in derived if k not in element and k not in skip})
    return fields


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b
