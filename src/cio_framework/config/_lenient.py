"""Lenient loading: a scenario without what cannot be read.

Definition
----------
An *element* is an item of one of the scenario's collections in one file
(``$.systems[3]`` of ``b.yaml``). Loading leniently leaves out every
element with a problem of its own (a bad value, a missing field, an
unknown reference, a duplicate id), then every element that names one left
out (a system of a department left out), and so on until what is left
loads; the result is that scenario, the problems that left each element
out (located in the element's own file) and the elements left out, each
with its file, line, column and what it depends on. A problem that is
about no element (a top-level key, the version, the priority settings, a
file that cannot be read or parsed) cannot be resolved by leaving
something out: it is raised, with every problem found.

An element that an ``extends:`` file replaces or removes is no part of
the scenario before anything is left out; one left out does not bring the
base's element back.

Complexity
----------
The files are read and parsed once. Each round structures what is kept,
O(V + E), and removes at least the elements of the next link of the
chains of dependents, so the whole costs O(d (V + E)) for chains at most
``d`` long (a department, its systems, their exchanges: three). Most
scenarios take one or two rounds.

Examples
--------
>>> from cio_framework.config import loads_lenient
>>> found = loads_lenient('''
... cio_framework: 2
... name: Example
... departments:
...   - {id: bad}
... notes:
...   - {id: n, text: kept}
... ''', name="example.yaml")
>>> [str(d) for d in found.dropped], [n.id for n in found.scenario.notes]
(["example.yaml:5:5: left out: department 'bad': department is missing the required key 'name' [missing-field]"], ['n'])
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

import attrs

from ..exceptions import Problem
from ..exceptions import location as place
from ..model import COLLECTIONS, Scenario
from ..model._base import canonical_id
from ._load import Files, Kept, LoadedScenario, Locators, _id_collections, _id_of
from ._structure import SINGULAR, format_path
from ._yaml import Draft, Limits, Path

__all__ = ["Dropped", "Lenient", "salvage"]

#: An element: the index of its file, its collection, its position in the file's list.
Element = tuple[int, str, int]


@attrs.frozen(kw_only=True)
class Dropped:
    """An element left out by lenient loading: where it is, and why.

    Parameters
    ----------
    collection
        The collection it is an item of, such as ``"systems"``.
    id
        Its id; ``None`` for an element without one (a demand, an exchange
        with no ``id``) or whose id cannot be read.
    file, line, column
        Where the element starts in its own file (for a folder, the file
        it came from); ``None`` when unknown, as for data
        (:func:`~cio_framework.structure_lenient`).
    path
        Its path in its file: ``$.systems[3]``.
    problems
        The problems that left it out: its own, or its references to
        elements left out before it.
    depends_on
        The elements left out before it that it names, as ``(collection,
        id)`` pairs; empty when it was left out for a problem of its own.

    Examples
    --------
    >>> from cio_framework.exceptions import Problem
    >>> why = Problem(message="unknown department 'bad'", code="dangling-reference",
    ...               file="b.yaml", line=4, column=30, path="$.systems[0].department")
    >>> gone = Dropped(collection="systems", id="mon", file="b.yaml", line=4, column=5,
    ...                path="$.systems[0]", problems=(why,),
    ...                depends_on=(("departments", "bad"),))
    >>> print(gone)
    b.yaml:4:5: left out: system 'mon': depends on department 'bad'
    """

    collection: str
    id: str | None
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str
    problems: tuple[Problem, ...]
    depends_on: tuple[tuple[str, str], ...] = ()

    @property
    def location(self) -> str:
        """``file:line:column`` (parts that are unknown are left out)."""
        return place(self.file, self.line, self.column)

    @property
    def element(self) -> str:
        """The element's kind and id, as in ``system 'mon'``, or its kind
        and path for one without an id (``demand $.demands[0]``)."""
        what = SINGULAR.get(self.collection, self.collection)
        return f"{what} {self.id!r}" if self.id is not None else f"{what} {self.path}"

    @property
    def reason(self) -> str:
        """Why the element is left out, as in ``depends on department
        'bad'``, or its first problem (and how many more)."""
        if self.depends_on:
            return "depends on " + ", ".join(
                f"{SINGULAR.get(collection, collection)} {id!r}"
                for collection, id in self.depends_on
            )
        if not self.problems:
            return "left out"
        first = self.problems[0]
        more = len(self.problems) - 1
        return f"{first.message} [{first.code}]" + (f" (and {more} more)" if more else "")

    def __str__(self) -> str:
        return f"{self.location}: left out: {self.element}: {self.reason}"

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready record in the shape of :meth:`Problem.to_dict
        <cio_framework.exceptions.Problem.to_dict>` (code ``left-out``, severity
        ``info``: the problems are the errors), with ``dropped`` true,
        ``collection``, ``id`` and ``depends_on``."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "severity": "info",
            "code": "left-out",
            "message": f"{self.element} is left out: {self.reason}",
            "hint": None,
            "expected": None,
            "got": None,
            "dropped": True,
            "collection": self.collection,
            "id": self.id,
            "depends_on": [{"collection": c, "id": i} for c, i in self.depends_on],
        }


@attrs.frozen(kw_only=True)
class Lenient:
    """A scenario read leniently.

    Parameters
    ----------
    scenario
        What could be read: the scenario without the elements left out.
    problems
        Every problem that left an element out, located in its file, in
        the order of the files, then of the lines.
    dropped
        The elements left out, in the order of the collections, then of
        the files, then of their positions.
    document
        Where each element of ``scenario`` came from
        (:meth:`LoadedScenario.locate
        <cio_framework.config.LoadedScenario.locate>`); ``None`` for data
        (:func:`~cio_framework.structure_lenient`). Not compared.
    """

    scenario: Scenario
    problems: tuple[Problem, ...]
    dropped: tuple[Dropped, ...]
    document: LoadedScenario | None = attrs.field(default=None, eq=False, repr=False)


def salvage(files: Files, *, known_checks: Collection[str], limits: Limits) -> Lenient:
    """Structure ``files`` leaving out the elements that cannot be read and
    those that depend on them (the module's definition).

    Raises
    ------
    ConfigError
        When a problem is about no element, with every problem found.
    """
    kept = _every_item(files)
    found: dict[Element, list[tuple[int, Draft]]] = {}
    rounds: dict[Element, int] = {}
    pending = list(files.drafts)  # what parsing found joins the first round
    round = 0
    while True:
        round += 1
        merged, origins, drafts = files.assemble(kept, known_checks=known_checks, limits=limits)
        drafts = [*pending, *drafts]
        pending = []
        if not drafts and not files.collected and files.datas:
            break
        elements = [_element_of(files, index, draft) for index, draft in drafts]
        # a round that finds no element not yet left out cannot progress:
        # never the case (what is left out is no longer structured), but the
        # loop ends whatever happens
        if files.collected or not files.datas or None in elements or rounds.keys() >= {*elements}:
            raise files.error([*(d for ds in found.values() for d in ds), *drafts])
        for element, draft in zip(elements, drafts, strict=True):
            if element is not None:  # always, checked above
                found.setdefault(element, []).append(draft)
                rounds.setdefault(element, round)
        kept = _without(kept, elements)
    scenario = Scenario(**merged)
    document = LoadedScenario(scenario=scenario, sources=tuple(files.sources), origins=origins)
    problems, dropped = _left_out(files, found, rounds)
    return Lenient(scenario=scenario, problems=problems, dropped=dropped, document=document)


def _every_item(files: Files) -> Kept:
    """Every item of every list of ``files`` (those ``extends`` keeps of a base's)."""
    return {
        index: {
            key: files.kept.get(index, {}).get(key) or list(range(len(items)))
            for key, items in data.items()
            if key in COLLECTIONS and isinstance(items, list)
        }
        for index, data in files.datas.items()
    }


def _without(kept: Kept, elements: Iterable[Element | None]) -> Kept:
    """``kept`` without ``elements``. O(n) in the items kept."""
    out: dict[int, dict[str, set[int]]] = {}
    for element in elements:
        if element is None:
            continue
        index, key, position = element
        out.setdefault(index, {}).setdefault(key, set()).add(position)
    return {
        index: {
            key: [p for p in at if p not in out[index][key]]
            if index in out and key in out[index]
            else at
            for key, at in lists.items()
        }
        for index, lists in kept.items()
    }


def _element_of(files: Files, index: int, draft: Draft) -> Element | None:
    """The element a problem is in, ``None`` when it is about no element."""
    path = draft.path or ()
    if len(path) < 2 or not isinstance(path[0], str) or path[0] not in COLLECTIONS:
        return None
    position = path[1]
    items = files.datas.get(index, {}).get(path[0])
    if type(position) is not int or not isinstance(items, list):
        return None
    return (index, path[0], position) if 0 <= position < len(items) else None


def _left_out(
    files: Files, found: dict[Element, list[tuple[int, Draft]]], rounds: dict[Element, int]
) -> tuple[tuple[Problem, ...], tuple[Dropped, ...]]:
    """Every problem, and each element left out, located."""
    locators = Locators(files.sources)
    id_keys = _id_collections()
    gone: dict[str, tuple[str, int]] = {}
    for element, round in rounds.items():
        index, key, position = element
        id = _id_of(files.datas[index][key][position], id_keys.get(key, "id"))
        if isinstance(id, str):
            gone.setdefault(id, (key, round))
    file_order = {index: n for n, index in enumerate(files.datas)}
    collection_order = {key: n for n, key in enumerate(COLLECTIONS)}
    dropped = []
    for element in sorted(found, key=lambda e: (collection_order[e[1]], file_order[e[0]], e[2])):
        index, key, position = element
        item = files.datas[index][key][position]
        id = _id_of(item, id_keys.get(key, "id"))
        line, column = locators.where(index, (key, position))
        dropped.append(
            Dropped(
                collection=key,
                id=id if isinstance(id, str) else None,
                file=files.sources[index].name,
                line=line,
                column=column,
                path=format_path((key, position)),
                problems=tuple(
                    locators.in_order(locators.problem(i, d) for i, d in found[element])
                ),
                depends_on=_depends_on(item, found[element], gone, rounds[element]),
            )
        )
    problems = locators.in_order(p for d in dropped for p in d.problems)
    return tuple(problems), tuple(dropped)


def _depends_on(
    item: Any,
    drafts: Sequence[tuple[int, Draft]],
    gone: dict[str, tuple[str, int]],
    round: int,
) -> tuple[tuple[str, str], ...]:
    """The elements left out before ``round`` that ``item``'s dangling
    references name."""
    named: dict[tuple[str, str], None] = {}
    for _, draft in drafts:
        if draft.code != "dangling-reference" or draft.path is None:
            continue
        for id in _names_at(item, draft.path[2:], draft.at):
            collection, when = gone.get(id, ("", round))
            if when < round:
                named[(collection, id)] = None
    return tuple(named)


def _names_at(item: Any, path: Path, at: str) -> list[str]:
    """The id a dangling reference at ``path`` in ``item`` names: the last
    key of the path for a reference written as a mapping's key (``at`` is
    ``"key"``: a RACI map's keys name roles), else the value there. (A
    field's name is no reference: an element whose id happens to be
    ``approved_by`` is not named by every ``approved_by`` field.)"""
    if at == "key":
        names = [path[-1]] if path and isinstance(path[-1], str) else []
    else:
        value = _value_at(item, path)
        names = [value] if isinstance(value, str) else []
    return [canonical_id(name) for name in names]


def _value_at(item: Any, path: Path) -> Any:
    """The value at ``path`` in ``item``; ``None`` when there is none."""
    value = item
    for segment in path:
        if isinstance(value, dict):
            value = value.get(segment)
        elif isinstance(value, list) and type(segment) is int and 0 <= segment < len(value):
            value = value[segment]
        else:
            return None
    return value
