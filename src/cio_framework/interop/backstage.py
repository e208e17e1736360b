"""Backstage software catalogues in and out.

A Backstage catalogue (backstage.io) describes software as entities, one
YAML document each, in ``catalog-info.yaml``-style files. Each entity has
``apiVersion``, ``kind``, ``metadata`` (``name``, optional ``namespace``,
``title``, ``description``, ``annotations``) and a ``spec``.
:func:`read_backstage` reads such files into a scenario's file shape;
:func:`write_backstage` writes a scenario as such files.

Definition
----------
Group
    A department: ``title`` (or ``spec.profile.displayName``, else the
    name) is its name, ``spec.type`` its kind, ``spec.parent`` its parent.
    A group that only another group's ``spec.children`` names takes that
    group as parent (the least id when several do, with a warning).
User
    A person: ``spec.profile.displayName`` (or ``title``) is the name; the
    groups of ``spec.memberOf`` and of the groups' ``spec.members`` are kept
    as ``x-backstage-memberOf`` (department ids, sorted).
Component
    A system of the department that ``spec.owner`` names. An owner that is
    a User gives the user's group; of several groups the least id, with a
    warning. ``spec.lifecycle`` ``experimental`` is ``planned``,
    ``deprecated`` is ``retired``, anything else in use.
Resource
    A platform, operated by the department of ``spec.owner``.
API
    An information resource owned by ``spec.owner``'s department and held
    in the system of the component whose ``spec.providesApis`` names it (the
    least system id when several do, with a warning).
Exchanges
    A component that consumes an API gets the API's resource from the
    system that provides it (an exchange from the provider to the
    consumer); ``spec.dependsOn`` of a component or resource is an exchange
    from it to the system or platform it depends on, and ``spec.dependencyOf``
    one the other way. Exchanges between the same two ends merge.
References
    ``[kind:][namespace/]name`` as Backstage's ``parseEntityRef`` reads
    it: the field's default kind (``Group`` for owners, parents, children
    and memberOf, ``User`` for members, ``API`` for providesApis and
    consumesApis, none for dependsOn) and the referring entity's namespace.
    Kinds, namespaces and names compare in lower case.
Ids
    An entity of the ``default`` namespace has its name as id, others
    ``namespace/name``. When two kinds share such an id, Group keeps it,
    then User, Component, Resource, API; the others, and the ids the format
    reserves (``local``, the levels' ids), take ``kind:`` in front
    (``api:petstore``). An annotation ``cio-framework.io/id`` gives the id
    itself: that is how an export keeps ids that are no Backstage names.
Other data
    ``description`` is the note; ``spec.type``, an unknown ``lifecycle``,
    ``spec.system``, ``subcomponentOf``, ``tags``, ``labels``, ``links``
    and unknown ``spec`` fields (with a warning) are kept as
    ``x-backstage-<field>``. The annotation ``cio-framework.io/fields``
    (YAML) sets or (as ``null``) removes fields; ``cio-framework.io/exchanges``
    lists the exchanges behind a ``dependsOn`` in full. Other kinds
    (System, Domain, Template ...) are counted and warned about.
Locations
    ``spec.target`` and ``spec.targets`` of a Location are followed when
    they are relative file paths, from the Location's folder, to a file
    inside the folder of a file given (or a folder given). URLs, absolute
    paths, globs, paths or links leading outside are refused with a warning;
    each file is read once, so cycles end.

Problems are located ``file:line:column``. An invalid entity (no
``apiVersion``, ``kind`` or ``metadata.name``, a name Backstage refuses, a
second entity of the same kind, namespace and name) is an error and left
out; so is a component or API without a department. A reference to nothing
is a warning, and what it would make is left out. An element that breaks a
rule of the scenario format (an unknown key or a bad value in the fields
annotation, a reference to an element left out) is an error, located at the
key inside the annotation when it is written there as it is, else at the
field or entity it comes from; :meth:`Imported.salvage
<cio_framework.interop.Imported.salvage>` leaves it out. The result depends
on neither the order of files, nor of documents, nor of lists.

:func:`write_backstage` writes a ``catalog-info.yaml`` Location and one file
per kind (``apiVersion: backstage.io/v1alpha1``, everything in the
``default`` namespace). An id that is no name by the descriptor format
(letters and digits separated by one of ``-_.``, at most 63) or that
differs from another only in case is written as its letters and digits and
a 12-digit SHA-256 prefix, with the id in ``cio-framework.io/id``; what the
native fields cannot say goes into ``cio-framework.io/fields``. Reading the
files back gives the same departments, people, systems, platforms,
resources and exchanges.

Complexity
----------
Linear in the size of the files read (aliases are measured, not expanded),
plus O(E log E) to sort the E entities.

Examples
--------
>>> import pathlib, tempfile
>>> from cio_framework.interop.backstage import read_backstage
>>> with tempfile.TemporaryDirectory() as folder:
...     root = pathlib.Path(folder)
...     _ = (root / "catalog-info.yaml").write_text(
...         "apiVersion: backstage.io/v1alpha1\\nkind: Location\\n"
...         "metadata: {name: all}\\nspec: {targets: [./org.yaml, ../elsewhere.yaml]}\\n")
...     _ = (root / "org.yaml").write_text(
...         "apiVersion: backstage.io/v1alpha1\\nkind: Group\\n"
...         "metadata: {name: epb, title: Environmental Protection Bureau}\\n"
...         "spec: {type: bureau, children: []}\\n---\\n"
...         "apiVersion: backstage.io/v1alpha1\\nkind: Component\\n"
...         "metadata: {name: monitoring}\\n"
...         "spec: {type: service, lifecycle: experimental, owner: epb}\\n")
...     found = read_backstage([root / "catalog-info.yaml"])
>>> dict(found.counts)
{'Component': 1, 'Group': 1, 'Location': 1}
>>> found.data["systems"]
[{'id': 'monitoring', 'name': 'monitoring', 'department': 'epb', 'status': 'planned', 'x-backstage-type': 'service'}]
>>> [(p.line, p.column, p.severity.value) for p in found.problems]
[(4, 30, 'warning')]
>>> found.scenario().departments[0].kind
'bureau'
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import yaml

from ..config import DEFAULT_LIMITS, Limits, unstructure
from ..config._read import decode, read_file, read_texts
from ..config._yaml import parse_text
from ..exceptions import Problem, Severity
from ..model import Scenario
from ._backstage_refs import (
    ANNOTATION_EXCHANGES,
    ANNOTATION_FIELDS,
    ANNOTATION_NAME,
    CANONICAL_KINDS,
    COLLECTIONS,
    REFERENCE_KEYS,
    SPEC_FIELDS,
    Document,
    Entity,
    Key,
    Writer,
    assign_ids,
    canonical,
    describe,
    dump_all,
    local_fields,
    make_entity,
    parse_documents,
    parse_ref,
    read_entity,
    unique_entities,
)
from ._result import DATA_PATH, Imported, loader_problems

__all__ = ["read_backstage", "read_backstage_text", "write_backstage"]

_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//|\\\\)")
_GLOB = re.compile(r"[*?\[]")


def read_backstage(
    paths: Sequence[str | os.PathLike[str]],
    *,
    name: str | None = None,
    limits: Limits | None = None,
) -> Imported:
    """Read Backstage catalogue files, following their Location entities.

    Parameters
    ----------
    paths
        Catalogue files, or folders whose ``.yaml`` and ``.yml`` files are
        all read.
    name
        The scenario's name; by default the ``cio-framework.io/scenario-name``
        annotation of a Location, else ``Backstage catalogue``.
    limits
        Bounds on each file's size, nesting and aliases.

    Returns
    -------
    Imported
        The scenario's data, every problem located, and the valid entities
        read per kind (``Component``, ``Group``, ...; an invalid entity or a
        second copy of one is not counted).

    Notes
    -----
    A Location may lead to any file inside the folder of one of the
    ``paths`` (a folder given is its own such folder), whichever path led
    to it, so that the result does not depend on the order of ``paths``.

    Examples
    --------
    >>> found = read_backstage(["no-such-catalog.yaml"])
    >>> found.ok, found.problems[0].code
    (False, 'io')
    """
    if isinstance(paths, (str, os.PathLike)):  # one path, not a sequence of characters
        paths = [paths]
    reader = _Reader(limits or DEFAULT_LIMITS, [Path(p) for p in paths])
    for path in paths:
        reader.add(Path(path))
    return build_data(reader.documents, reader.problems, name)


def read_backstage_text(
    text: str,
    *,
    name: str | None = None,
    file: str | None = None,
    limits: Limits | None = None,
) -> Imported:
    """Read the entities of one catalogue text; its Locations are not followed.

    Parameters
    ----------
    text
        One or more YAML documents.
    name
        The scenario's name, as for :func:`read_backstage`.
    file
        The name problems give as their file.
    limits
        Bounds on nesting and aliases.

    Examples
    --------
    >>> found = read_backstage_text(
    ...     "apiVersion: backstage.io/v1alpha1\\nkind: User\\n"
    ...     "metadata: {name: jo, namespace: ops}\\nspec: {memberOf: []}\\n")
    >>> found.data["people"]
    [{'id': 'ops/jo'}]
    """
    documents, problems = parse_documents(text, file, limits or DEFAULT_LIMITS)
    for doc in documents:
        for path, _ in _location_targets(doc):
            problems.append(
                doc.problem(path, "not followed: a text's Locations are not read", code="io")
            )
    return build_data(documents, problems, name)


class _Reader:
    """Reads catalogue files and follows their Locations, each file once."""

    def __init__(self, limits: Limits, given: list[Path]) -> None:
        self.limits = limits
        self.roots = [_root_of(p) for p in given]
        self.seen: set[Path] = set()
        self.real: dict[str | None, Path] = {}
        self.documents: list[Document] = []
        self.problems: list[Problem] = []

    def add(self, path: Path) -> None:
        """Read a file given, or every catalogue file of a folder given."""
        texts, problems = read_texts(path, max_bytes=self.limits.max_bytes)
        self.problems.extend(problems)
        for file, text in texts:
            real = Path(os.path.realpath(file))
            if real not in self.seen:
                self.seen.add(real)
                self._parse(file, real, text)

    def _parse(self, file: str, real: Path, text: str) -> None:
        self.real[file] = real
        documents, problems = parse_documents(text, file, self.limits)
        self.documents.extend(documents)
        self.problems.extend(problems)
        for doc in documents:
            for path, target in _location_targets(doc):
                self._follow(doc, path, target)

    def _follow(self, doc: Document, path: list[str | int], target: object) -> None:
        """Read the file a Location target names, if it may be read."""
        refused = _refusal(target)
        if refused is None:
            assert isinstance(target, str)
            lexical = Path(os.path.normpath(self.real[doc.file].parent / target))
            if not self._inside(lexical):
                refused = "its path leads outside the catalogue's folder"
            else:
                try:
                    real = Path(os.path.realpath(lexical, strict=True))
                except OSError as exc:
                    if _optional(doc):
                        return
                    refused = f"it cannot be read: {exc.strerror or exc}"
                else:
                    if not self._inside(real):
                        refused = "it is a link that leads outside the catalogue's folder"
        if refused is not None:
            self.problems.append(
                doc.problem(
                    path,
                    f"Location target {_quoted(target)} not followed: {refused}",
                    code="io",
                    hint="name a file inside the folder by a relative path such as ./org.yaml",
                )
            )
            return
        if real in self.seen:
            return
        self.seen.add(real)
        shown = os.path.normpath(os.path.join(os.path.dirname(doc.file or ""), str(target)))
        data, problem = read_file(real, shown, max_bytes=self.limits.max_bytes, no_follow=True)
        if problem is None:
            assert data is not None
            text, problem = decode(data, shown)
        if problem is not None:
            self.problems.append(problem)
            return
        self._parse(shown, real, text)

    def _inside(self, path: Path) -> bool:
        return any(root == path or root in path.parents for root in self.roots)


def _root_of(path: Path) -> Path:
    real = Path(os.path.realpath(path))
    return real if real.is_dir() else real.parent


def _refusal(target: object) -> str | None:
    """Why a Location target is refused before looking at the disk, if it is."""
    if not isinstance(target, str) or not target:
        return "it is not a path"
    if _URL.match(target):
        return "it is a URL; only relative file paths are read"
    if os.path.isabs(target) or target.startswith(("/", "\\")):
        return "it is an absolute path"
    if _GLOB.search(target):
        return "it is a glob pattern"
    return None


def _quoted(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return repr(text if len(text) <= 60 else text[:59] + "…")


def _location_targets(doc: Document) -> list[tuple[list[str | int], object]]:
    """``(path, target)`` of each target of a Location document."""
    body = doc.data
    if not isinstance(body, Mapping) or str(body.get("kind", "")).lower() != "location":
        return []
    spec = body.get("spec")
    if not isinstance(spec, Mapping):
        return []
    found: list[tuple[list[str | int], object]] = []
    if "target" in spec:
        found.append((["spec", "target"], spec["target"]))
    targets = spec.get("targets")
    if isinstance(targets, list):
        found.extend((["spec", "targets", i], t) for i, t in enumerate(targets))
    return found


def _optional(doc: Document) -> bool:
    spec = doc.data.get("spec") if isinstance(doc.data, Mapping) else None
    return isinstance(spec, Mapping) and spec.get("presence") == "optional"


# -- mapping -------------------------------------------------------------------

_EXCHANGE_FIELDS = {"id", "resources", "via", "status", "mechanism", "source", "note"}
_EXCHANGE_FIELDS |= {"illustrative", "inferred"}


def build_data(documents: list[Document], problems: list[Problem], name: str | None) -> Imported:
    """The scenario data of the documents read, with every problem."""
    problems = list(problems)
    entities = [e for doc in documents if (e := read_entity(doc, problems)) is not None]
    entities = unique_entities(entities, problems)
    counts: dict[str, int] = {}
    for entity in entities:
        counts[entity.kind] = counts.get(entity.kind, 0) + 1
    catalogue = _Catalogue(entities, problems)
    data = catalogue.data(name)
    found, built = loader_problems(data, lambda problem: catalogue.place(data, problem))
    problems.extend(found)
    problems.sort(key=lambda p: (p.file or "", p.line or 0, p.column or 0, p.code, p.message))
    return Imported(data=data, problems=problems, counts=counts, built=built)


class _Catalogue:
    """The mapping of one catalogue's entities to a scenario's elements."""

    def __init__(self, entities: list[Entity], problems: list[Problem]) -> None:
        self.problems = problems
        self.entities = entities
        self.by_key = {e.key: e for e in entities}
        self.of = {k: [e for e in entities if e.key[0] == k] for k in COLLECTIONS}
        for entity in entities:
            if entity.key[0] not in COLLECTIONS and entity.key[0] != "location":
                self.warn(
                    entity,
                    ["kind"],
                    f"kind {entity.kind} is not mapped; the entity is counted and left out",
                    code="not-mapped",
                )
        self.ids = assign_ids([e for e in entities if e.key[0] in COLLECTIONS], problems)
        self.node: dict[Key, str] = {}  # systems and platforms
        self.resource_of: dict[Key, str] = {}
        self.holder: dict[Key, str] = {}
        self.groups_of: dict[Key, set[Key]] = {}
        #: The entity each element comes from, by collection and id, and
        #: the fields its fields annotation set.
        self.origin: dict[tuple[str, str], tuple[Entity, Mapping[str, Any]]] = {}
        #: Where each exchange comes from: the entity and the path of the
        #: reference (or annotation) that made it, by its two ends.
        self.exchange_origin: dict[tuple[str, str], tuple[Entity, list[str | int]]] = {}

    def warn(
        self,
        entity: Entity,
        path: list[str | int],
        message: str,
        *,
        code: str,
        severity: Severity = Severity.WARNING,
        at_key: bool = False,
    ) -> None:
        self.problems.append(
            entity.doc.problem(path, message, code=code, severity=severity, at_key=at_key)
        )

    def resolve(
        self,
        entity: Entity,
        path: list[str | int],
        ref: object,
        default_kind: str | None,
        *,
        then: str,
        severity: Severity = Severity.WARNING,
    ) -> Entity | None:
        """The entity a reference names, or ``None`` with a problem."""
        key = parse_ref(ref, default_kind=default_kind, default_namespace=entity.key[1])
        if isinstance(key, str):
            self.warn(
                entity,
                path,
                f"reference {ref!r} {key}; {then}",
                code="bad-value",
                severity=severity,
            )
            return None
        found = self.by_key.get(key)
        if found is None:
            self.warn(
                entity,
                path,
                f"{describe(key)} is not in the catalogue; {then}",
                code="dangling-reference",
                severity=severity,
            )
        return found

    def data(self, name: str | None) -> dict[str, Any]:
        self.memberships()
        result: dict[str, Any] = {"cio_framework": 2, "name": name or self.scenario_name()}
        collections = {
            "departments": self.departments(),
            "people": self.people(),
            "platforms": self.platforms(),
        }
        collections["systems"] = self.systems(collections["platforms"])
        collections["resources"] = self.resources()
        collections["exchanges"] = self.exchanges(collections)
        for key in ("departments", "people", "systems", "platforms", "resources", "exchanges"):
            if collections[key]:
                result[key] = collections[key]
        return result

    def scenario_name(self) -> str:
        names = {
            e.annotation(ANNOTATION_NAME)
            for e in self.entities
            if e.key[0] == "location" and isinstance(e.annotation(ANNOTATION_NAME), str)
        }
        return str(names.pop()) if len(names) == 1 else "Backstage catalogue"

    def memberships(self) -> None:
        """Each user's groups: its memberOf and the groups listing it as member."""
        for user in self.of["user"]:
            groups = self.groups_of.setdefault(user.key, set())
            for path, ref in user.refs("memberOf"):
                group = self.resolve(user, path, ref, "Group", then="the membership is left out")
                if group is not None and self.is_kind(user, path, group, "group"):
                    groups.add(group.key)
        for group in self.of["group"]:
            for path, ref in group.refs("members"):
                member = self.resolve(group, path, ref, "User", then="the membership is left out")
                if member is not None and self.is_kind(group, path, member, "user"):
                    self.groups_of[member.key].add(group.key)

    def is_kind(self, entity: Entity, path: list[str | int], target: Entity, kind: str) -> bool:
        if target.key[0] == kind:
            return True
        self.warn(
            entity,
            path,
            f"{path[1]} names a {target.kind}, not a {CANONICAL_KINDS[kind]}; it is left out",
            code="wrong-kind",
        )
        return False

    def element(self, entity: Entity, collection: str, **refs: Any) -> dict[str, Any]:
        """An element: id, the entity's own fields, ``refs``, then the annotation."""
        own = local_fields(entity.body)
        element: dict[str, Any] = {"id": self.ids[entity.key]}
        if "name" in own:
            element["name"] = own.pop("name")
        element.update(refs)
        element.update(own)
        for key in entity.spec:
            if isinstance(key, str) and key not in SPEC_FIELDS[entity.key[0]]:
                self.warn(
                    entity,
                    ["spec", key],
                    f"unknown spec field {key!r} of a {entity.kind}, kept as x-backstage-{key}",
                    code="unknown-key",
                    at_key=True,
                )
        fields = self.annotation_value(entity, ANNOTATION_FIELDS, Mapping)
        for key, value in (fields or {}).items():
            if key in REFERENCE_KEYS[collection] or not isinstance(key, str):
                self.warn(
                    entity,
                    ["metadata", "annotations", ANNOTATION_FIELDS],
                    f"the annotation may not set {key!r}; it is left out",
                    code="bad-value",
                )
            elif value is None:
                element.pop(key, None)
            else:
                element[key] = value
        self.origin[(collection, element["id"])] = (entity, fields or {})
        return element

    def place(self, data: Mapping[str, Any], problem: Problem) -> Problem:
        """``problem``, found by the loader at a path in ``data``, located
        in the catalogue: at the key in the fields annotation that set it,
        at the native field it comes from, else at the entity; as it is
        when it is about no element."""
        match = DATA_PATH.match(problem.path)
        items = data.get(match.group(1)) if match is not None else None
        if match is None or not isinstance(items, list) or int(match.group(2)) >= len(items):
            return problem
        collection, record, key = match.group(1), items[int(match.group(2))], match.group(3)
        if collection == "exchanges":
            made = self.exchange_origin.get((record.get("from"), record.get("to")))
            if made is None:
                return problem
            entity, path = made
            line, column = entity.doc.position(path)
        else:
            origin = self.origin.get((collection, record.get("id")))
            if origin is None:
                return problem
            entity, fields = origin
            if key in fields:
                path = ["metadata", "annotations", ANNOTATION_FIELDS]
                line, column = _key_in_annotation(entity, key) or entity.doc.position(path)
            else:
                path = _NATIVE.get((collection, key or ""), [])
                line, column = entity.doc.position(path)
        lines = entity.doc.lines
        return attrs.evolve(
            problem,
            file=entity.doc.file,
            line=line,
            column=column,
            source_line=lines[line - 1] if line <= len(lines) else None,
        )

    def annotation_value(self, entity: Entity, key: str, kind: type) -> Any:
        """The YAML value of an annotation, when it is one of ``kind``."""
        text = entity.annotation(key)
        if text is None:
            return None
        parsed = parse_text(text) if isinstance(text, str) else None
        if (
            parsed is None
            or parsed.syntax_error
            or parsed.drafts
            or not isinstance(parsed.data, kind)
        ):
            self.warn(
                entity,
                ["metadata", "annotations", key],
                f"annotation {key} is not YAML {kind.__name__.lower()} data; it is not used",
                code="bad-value",
            )
            return None
        return parsed.data

    def departments(self) -> list[dict[str, Any]]:
        claims: dict[Key, list[tuple[Entity, list[str | int]]]] = {}
        for group in self.of["group"]:
            for path, ref in group.refs("children"):
                child = self.resolve(group, path, ref, "Group", then="it is not read as a child")
                if child is not None and self.is_kind(group, path, child, "group"):
                    claims.setdefault(child.key, []).append((group, path))
        found = []
        for group in self.of["group"]:
            parent = self.parent(group, claims.get(group.key, []))
            refs = {"parent": self.ids[parent.key]} if parent is not None else {}
            found.append(self.element(group, "departments", **refs))
        return _sorted(found)

    def parent(self, group: Entity, claims: list[tuple[Entity, list[str | int]]]) -> Entity | None:
        """A group's parent: its own spec.parent, else the group listing it as child."""
        parent = None
        for path, ref in group.refs("parent"):
            parent = self.resolve(group, path, ref, "Group", then="the parent is left out")
            if parent is not None and not self.is_kind(group, path, parent, "group"):
                parent = None
        claimed = sorted(
            {p.key: (p, path) for p, path in claims}.values(), key=lambda c: self.ids[c[0].key]
        )
        if parent is None and claimed:
            parent = claimed[0][0]
            if len(claimed) > 1:
                self.warn(
                    group,
                    ["metadata", "name"],
                    f"{len(claimed)} groups list this group "
                    f"as a child; {self.ids[parent.key]!r}, the least id, is its parent",
                    code="ambiguous",
                )
        for other, path in claimed:
            if parent is not None and other.key != parent.key:
                self.warn(
                    other,
                    path,
                    f"lists {self.ids[group.key]!r} as a child, but its "
                    f"parent is {self.ids[parent.key]!r}",
                    code="conflict",
                )
        if parent is not None and parent.key == group.key:
            self.warn(
                group,
                ["spec", "parent"],
                "a group is not its own parent; left out",
                code="bad-value",
            )
            return None
        return parent

    def people(self) -> list[dict[str, Any]]:
        found = []
        for user in self.of["user"]:
            groups = sorted(self.ids[g] for g in self.groups_of.get(user.key, ()))
            refs = {"x-backstage-memberOf": groups} if groups else {}
            found.append(self.element(user, "people", **refs))
        return _sorted(found)

    def department_of(self, entity: Entity, severity: Severity, then: str) -> str | None:
        """The department of an entity's owner: a group, or a user's group."""
        refs = entity.refs("owner")
        if len(refs) != 1:
            self.warn(
                entity,
                ["spec", "owner"] if refs else ["spec"],
                f"the {entity.kind} needs one spec.owner; {then}",
                code="missing-field",
                severity=severity,
            )
            return None
        path, ref = refs[0]
        owner = self.resolve(entity, path, ref, "Group", then=then, severity=severity)
        if owner is None:
            return None
        if owner.key[0] == "group":
            return self.ids[owner.key]
        groups = sorted(self.ids[g] for g in self.groups_of.get(owner.key, ()))
        if owner.key[0] != "user" or not groups:
            what = "a User of no group" if owner.key[0] == "user" else f"a {owner.kind}"
            self.warn(
                entity,
                path,
                f"the owner is {what}, so no department; {then}",
                code="dangling-reference",
                severity=severity,
            )
            return None
        if len(groups) > 1:
            self.warn(
                entity,
                path,
                f"the owner, a User, is a member of {len(groups)} groups; "
                f"the department is {groups[0]!r}, the least id",
                code="ambiguous",
            )
        return groups[0]

    def platforms(self) -> list[dict[str, Any]]:
        found = []
        for resource in self.of["resource"]:
            refs = {}
            if resource.refs("owner"):
                operator = self.department_of(
                    resource, Severity.WARNING, "the platform has no operator"
                )
                refs = {"operator": operator} if operator is not None else {}
            found.append(self.element(resource, "platforms", **refs))
            self.node[resource.key] = found[-1]["id"]
        return _sorted(found)

    def systems(self, platforms: list[dict[str, Any]]) -> list[dict[str, Any]]:
        hosts = {p["id"] for p in platforms} | {"local"}
        found = []
        for component in self.of["component"]:
            department = self.department_of(component, Severity.ERROR, "the component is left out")
            if department is None:
                continue
            system = self.element(component, "systems", department=department)
            if not _one_of(system.get("hosted_on", "local"), hosts):
                self.warn(
                    component,
                    ["metadata", "annotations", ANNOTATION_FIELDS],
                    f"hosted_on {system.pop('hosted_on')!r} is no platform; left out",
                    code="dangling-reference",
                )
            found.append(system)
            self.node[component.key] = system["id"]
        return _sorted(found)

    def resources(self) -> list[dict[str, Any]]:
        providers: dict[Key, set[str]] = {}
        for component in self.of["component"]:
            if component.key not in self.node:
                continue
            for path, ref in component.refs("providesApis"):
                api = self.resolve(component, path, ref, "API", then="it is not held there")
                if api is not None and self.is_kind(component, path, api, "api"):
                    providers.setdefault(api.key, set()).add(self.node[component.key])
        found = []
        for api in self.of["api"]:
            owner = self.department_of(api, Severity.ERROR, "the API is left out")
            if owner is None:
                continue
            held = sorted(providers.get(api.key, ()))
            refs = {"owner": owner, **({"held_in": held[0]} if held else {})}
            if len(held) > 1:
                self.warn(
                    api,
                    ["metadata", "name"],
                    f"{len(held)} components provide this API; "
                    f"it is held in {held[0]!r}, the least system id",
                    code="ambiguous",
                )
            found.append(self.element(api, "resources", **refs))
            self.resource_of[api.key] = found[-1]["id"]
            if held:
                self.holder[api.key] = held[0]
        return _sorted(found)

    def exchanges(self, collections: Mapping[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
        native: dict[tuple[str, str], set[str]] = {}
        for component in self.of["component"]:
            if component.key in self.node:
                self.consumed(component, native)
        for entity in [*self.of["component"], *self.of["resource"]]:
            if entity.key in self.node:
                self.dependencies(entity, native)
        detailed: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for entity in [*self.of["component"], *self.of["resource"]]:
            if entity.key in self.node:
                self.listed(entity, native, collections, detailed)
        found = []
        for (source, target), carried in native.items():
            if (source, target) in detailed:
                found.extend(detailed[(source, target)])
                continue
            exchange: dict[str, Any] = {"from": source, "to": target}
            if carried:
                exchange["resources"] = sorted(carried)
            found.append(exchange)
        return sorted(found, key=lambda e: (e.get("id") or "", e["from"], e["to"], canonical(e)))

    def consumed(self, component: Entity, native: dict[tuple[str, str], set[str]]) -> None:
        """Exchanges from the providers of the APIs a component consumes."""
        me = self.node[component.key]
        for path, ref in component.refs("consumesApis"):
            api = self.resolve(component, path, ref, "API", then="no exchange is made")
            if api is None or not self.is_kind(component, path, api, "api"):
                continue
            holder = self.holder.get(api.key)
            if holder is None:
                self.warn(
                    component,
                    path,
                    f"no component provides {describe(api.key)}; no exchange is made",
                    code="dangling-reference",
                )
            elif holder != me:
                self.exchange_origin.setdefault((holder, me), (component, path))
                carried = native.setdefault((holder, me), set())
                if api.key in self.resource_of:
                    carried.add(self.resource_of[api.key])

    def dependencies(self, entity: Entity, native: dict[tuple[str, str], set[str]]) -> None:
        """Exchanges of dependsOn (to the dependency) and dependencyOf (from it)."""
        me = self.node[entity.key]
        for field in ("dependsOn", "dependencyOf"):
            for path, ref in entity.refs(field):
                target = self.resolve(entity, path, ref, None, then="no exchange is made")
                if target is None:
                    continue
                other = self.node.get(target.key)
                if other is None:
                    self.warn(
                        entity,
                        path,
                        f"{field} names {describe(target.key)}, which is no "
                        "system or platform; no exchange is made",
                        code="wrong-kind",
                    )
                    continue
                pair = (me, other) if field == "dependsOn" else (other, me)
                self.exchange_origin.setdefault(pair, (entity, path))
                native.setdefault(pair, set())

    def listed(
        self,
        entity: Entity,
        native: Mapping[tuple[str, str], set[str]],
        collections: Mapping[str, list[dict[str, Any]]],
        detailed: dict[tuple[str, str], list[dict[str, Any]]],
    ) -> None:
        """The exchanges the exchanges annotation lists in full."""
        items = self.annotation_value(entity, ANNOTATION_EXCHANGES, list)
        if not items:
            return
        path: list[str | int] = ["metadata", "annotations", ANNOTATION_EXCHANGES]
        resources = {r["id"] for r in collections["resources"]}
        platforms = {p["id"] for p in collections["platforms"]}
        me = self.node[entity.key]
        for item in items:
            target = None
            if isinstance(item, Mapping) and "to" in item:
                target = self.resolve(entity, path, item["to"], None, then="it is left out")
            pair = (me, self.node.get(target.key, "")) if target is not None else None
            if pair is None or pair not in native:
                self.warn(
                    entity,
                    path,
                    "an exchange listed matches no dependsOn; left out",
                    code="dangling-reference",
                )
                continue
            exchange = {"from": pair[0], "to": pair[1]}
            for key, value in item.items():
                if key == "to":
                    continue
                if key == "resources" and isinstance(value, list):
                    value = [r for r in value if _one_of(r, resources)]
                    if len(value) != len(item["resources"]):
                        self.warn(
                            entity,
                            path,
                            "an exchange carries resources not in the catalogue; they are left out",
                            code="dangling-reference",
                        )
                elif key == "via" and not _one_of(value, platforms):
                    self.warn(
                        entity,
                        path,
                        f"via {value!r} is no platform; left out",
                        code="dangling-reference",
                    )
                    continue
                elif key not in _EXCHANGE_FIELDS and not str(key).startswith("x-"):
                    self.warn(
                        entity,
                        path,
                        f"unknown exchange field {key!r}; left out",
                        code="unknown-key",
                    )
                    continue
                exchange[key] = value
            detailed.setdefault(pair, []).append(exchange)
            self.exchange_origin[pair] = (entity, path)


#: The native field of an entity that an element's field comes from.
_NATIVE: dict[tuple[str, str], list[str | int]] = {
    ("departments", "parent"): ["spec", "parent"],
    ("departments", "kind"): ["spec", "type"],
    ("departments", "name"): ["metadata", "title"],
    ("people", "name"): ["spec", "profile", "displayName"],
    ("systems", "department"): ["spec", "owner"],
    ("systems", "status"): ["spec", "lifecycle"],
    ("systems", "name"): ["metadata", "title"],
    ("systems", "note"): ["metadata", "description"],
    ("platforms", "operator"): ["spec", "owner"],
    ("platforms", "name"): ["metadata", "title"],
    ("resources", "owner"): ["spec", "owner"],
    ("resources", "name"): ["metadata", "title"],
}


def _key_in_annotation(entity: Entity, key: str) -> tuple[int, int] | None:
    """1-based ``(line, column)`` of ``key`` as a mapping key in the text of
    the fields annotation, when it is written there as it is."""
    node = entity.doc.node
    for segment in ("metadata", "annotations", ANNOTATION_FIELDS):
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((v for k, v in node.value if getattr(k, "value", None) == segment), None)
    if not isinstance(node, yaml.ScalarNode):
        return None
    start, end = node.start_mark, node.end_mark
    written = re.compile(rf"(?<![\w.-])['\"]?{re.escape(key)}['\"]?\s*:")
    for index in range(start.line, min(end.line + 1, len(entity.doc.lines))):
        text = entity.doc.lines[index]
        begin = start.column if index == start.line else 0
        stop = end.column if index == end.line else len(text)
        found = written.search(text, begin, stop)
        if found is not None:
            column = found.start() + (1 if found.group(0)[0] in "'\"" else 0)
            return index + 1, column + 1
    return None


def _one_of(value: object, ids: set[str]) -> bool:
    return isinstance(value, str) and value in ids


def _sorted(elements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(elements, key=lambda e: e["id"])


# -- writing -------------------------------------------------------------------

_FILES = (
    ("org.yaml", ("departments", "people")),
    ("components.yaml", ("systems",)),
    ("resources.yaml", ("platforms",)),
    ("apis.yaml", ("resources",)),
)


def write_backstage(scenario: Scenario) -> dict[str, str]:
    """Write a scenario's landscape as Backstage catalogue files.

    Parameters
    ----------
    scenario
        The scenario; its departments, people, systems, platforms,
        resources and exchanges are written.

    Returns
    -------
    dict
        Relative file name to YAML text: ``catalog-info.yaml`` (a Location
        of the other files), ``org.yaml`` (Groups and Users),
        ``components.yaml``, ``resources.yaml`` (platforms) and
        ``apis.yaml`` (information resources), the empty ones left out.

    Examples
    --------
    >>> from cio_framework.testing import make_scenario
    >>> files = write_backstage(make_scenario())
    >>> sorted(files)
    ['catalog-info.yaml', 'org.yaml']
    >>> read_backstage_text(files["org.yaml"]).data["departments"][1]
    {'id': 'epb', 'name': 'Environmental Protection Bureau', 'parent': 'district', 'pilot': True}
    """
    data = unstructure(scenario)
    writer = Writer(data)
    files: dict[str, str] = {}
    for file, collections in _FILES:
        documents = [writer.entity(c, e) for c in collections for e in data.get(c, [])]
        if documents:
            files[file] = dump_all(documents)
    location = make_entity(
        "Location",
        {"name": "cio-framework-catalog", "annotations": {ANNOTATION_NAME: scenario.name}},
        {"type": "file", "targets": [f"./{file}" for file in files]},
    )
    return {"catalog-info.yaml": dump_all([location]), **files}
