"""Evidence grades: what each finding rests on, and how well it is supported.

Definition
----------
Every element of a scenario has a status (:class:`EvidenceStatus`), from
best to worst: *sourced*, *inferred*, *unsourced*, *illustrative*. It is the
element's own mark (:attr:`Element.evidence_status
<cio_framework.model.Element.evidence_status>`), except that an element with no
citation of its own counts as sourced when the scenario names a ``source``
for the whole of it.

A finding (an island, a barrier, a fault zone, an integration, a roadmap
step, an agenda item, a check finding) *rests on* the elements its analysis
documents for it. Its :class:`Evidence` grade is the worst status among
them, with the elements that are not sourced listed by collection, key
and status (at most :data:`MAX_LISTED` of them, the least first; ``more``
says when there are others). A finding that rests on nothing is sourced.

:func:`sourced_only` keeps the sourced elements of a scenario only, so that
every analysis can be run on what the sources state (``--evidence
sourced``).

Complexity
----------
:class:`EvidenceIndex` is built in O(V) for V elements (one C-level pass
reads each element's marks; only those not sourced are kept); grading a finding
that rests on k elements costs O(k + m log m) with m ≤ k weak ones;
:meth:`Evidence.combine` of n grades costs O(n · MAX_LISTED);
:meth:`EvidenceIndex.weak_names` O(W) for W elements not sourced.
:func:`sourced_only` is O((V + R) log V) for R references.

Examples
--------
>>> from cio_framework.model import Department, Demand, Resource, System
>>> from cio_framework.testing import make_scenario
>>> s = make_scenario(
...     systems=[System(id="a", name="A", department="epb", source="article ¶3")],
...     resources=[Resource(id="r", name="R", owner="epb", held_in="a",
...                         illustrative=True)],
...     demands=[Demand(by="district", resource="r")],
... )
>>> grade = EvidenceIndex(s).of(ids=["a", "r"])
>>> grade.grade.value, [(b.collection, b.key) for b in grade.weak]
('illustrative', [('resources', 'r')])
>>> print(grade)
partly illustrative: resources r
"""

from __future__ import annotations

import heapq
import operator
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import attrs

from .._util import slot_maker, tuple_of
from ..graph._index import LandscapeIndex
from ..model import COLLECTIONS, Element, EvidenceStatus, Scenario
from ._results import Plain
from ._subset import keep_only

__all__ = [
    "MAX_LISTED",
    "SOURCED",
    "Basis",
    "Evidence",
    "EvidenceIndex",
    "element_key",
    "sourced_only",
]

#: The most elements an :class:`Evidence` lists by name.
MAX_LISTED = 10


def element_key(collection: str, element: Element) -> str:
    """The key that names an element in evidence: its id, or for elements
    without one, what they are (``from->to`` of an exchange, ``by:resource``
    of a demand, ``department`` of an appraisal, ``person:role`` of a
    candidate, ``body@date`` of a meeting).

    Examples
    --------
    >>> from cio_framework.model import Demand
    >>> element_key("demands", Demand(by="msb", resource="penalties"))
    'msb:penalties'
    """
    found = getattr(element, "id", None)
    if isinstance(found, str):
        return found
    if collection in ("exchanges", "demands"):
        return str(element.key)  # type: ignore[attr-defined]
    if collection == "candidates":
        return f"{element.person}:{element.role}"  # type: ignore[attr-defined]
    if collection == "meetings":
        held_by = element.body or element.convened_by or "meeting"  # type: ignore[attr-defined]
        return f"{held_by}@{element.date.isoformat()}"  # type: ignore[attr-defined]
    if collection == "appraisals":
        return str(element.department)  # type: ignore[attr-defined]
    return collection  # pragma: no cover - every collection without ids is named above


@attrs.frozen(kw_only=True)
class Basis(Plain):
    """An element a finding rests on that is not sourced."""

    collection: str
    key: str
    status: EvidenceStatus

    @property
    def order(self) -> tuple[str, str, str]:
        """The sort key of listings, collection then key then status."""
        return (self.collection, self.key, self.status.value)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``collection``, ``key`` and ``status`` (its value).

        Examples
        --------
        >>> Basis(collection="roles", key="r", status=EvidenceStatus.INFERRED).to_dict()
        {'collection': 'roles', 'key': 'r', 'status': 'inferred'}
        """
        return {"collection": self.collection, "key": self.key, "status": self.status._value_}


@attrs.frozen(kw_only=True)
class Evidence(Plain):
    """The evidence grade of one finding.

    Parameters
    ----------
    grade
        The worst status among the elements the finding rests on.
    weak
        The elements that are not sourced, by collection, key and status
        value, at most :data:`MAX_LISTED`.
    more
        Whether further elements that are not sourced exist beyond ``weak``.
    """

    grade: EvidenceStatus
    weak: tuple[Basis, ...] = attrs.field(converter=tuple_of, default=())
    more: bool = False

    @property
    def sourced(self) -> bool:
        """Whether every element the finding rests on is sourced."""
        return self.grade is _SOURCED_STATUS

    def __str__(self) -> str:
        if self.sourced:
            return "sourced"
        named = ", ".join(f"{b.collection} {b.key}" for b in self.weak)
        return f"partly {self.grade.value}: {named}{', ...' if self.more else ''}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``grade``, ``summary`` (the text ``str()`` gives),
        ``not_sourced`` (collection, key, status) and ``more``."""
        return {
            "grade": self.grade._value_,
            "summary": str(self),
            "not_sourced": [b.to_dict() for b in self.weak],
            "more": self.more,
        }

    @classmethod
    def combine(cls, grades: Iterable[Evidence]) -> Evidence:
        """The grade of a finding resting on everything ``grades`` rest on.

        Examples
        --------
        >>> a = Evidence(grade=EvidenceStatus.INFERRED,
        ...              weak=[Basis(collection="roles", key="r",
        ...                          status=EvidenceStatus.INFERRED)])
        >>> str(Evidence.combine([a, SOURCED, a]))
        'partly inferred: roles r'
        """
        if isinstance(grades, (list, tuple)) and len(grades) == 2:
            found = _pair(grades[0], grades[1])
            if found is not None:
                return found
        worst, rank = _SOURCED_STATUS, _RANK[_SOURCED_STATUS._value_]
        # one entry per listing key (collection, key, status), read without
        # Python-level calls: thousands of findings combine shared grades
        weak: dict[tuple[str, str, str], Basis] = {}
        more = False
        for grade in grades:
            status = grade.grade
            if status is not worst and _RANK[status._value_] > rank:
                worst, rank = status, _RANK[status._value_]
            for b in grade.weak:
                weak[b.collection, b.key, b.status._value_] = b
            if grade.more:
                more = True
        return _graded(worst, weak, more)


def _pair(first: Evidence, second: Evidence) -> Evidence | None:
    """:meth:`Evidence.combine` of two grades listing two elements between
    them, or ``None`` when they list more: most integrations at national
    scale combine the grades of exactly two departments, each listing one."""
    weak = first.weak + second.weak
    if len(weak) > 2:
        return None
    worst, other = first.grade, second.grade
    if other is not worst and _RANK[other._value_] > _RANK[worst._value_]:
        worst = other
    if worst is _SOURCED_STATUS:
        return SOURCED
    if len(weak) == 2:
        x, y = weak
        x_key = (x.collection, x.key, x.status._value_)
        y_key = (y.collection, y.key, y.status._value_)
        if x_key == y_key:
            weak = (x,)
        elif y_key < x_key:
            weak = (y, x)
    return _new_evidence(grade=worst, weak=weak, more=first.more or second.more)


def _listing_order(basis: Basis) -> tuple[str, str, str]:
    return basis.order


#: The grade of a finding that rests on sourced elements only.
SOURCED = Evidence(grade=EvidenceStatus.SOURCED)


def _keyed(bases: Iterable[Basis]) -> dict[tuple[str, str, str], Basis]:
    """Each of ``bases`` by its listing key (:attr:`Basis.order`), read
    without a Python-level call per element."""
    return {(b.collection, b.key, b.status._value_): b for b in bases}


def _graded(worst: EvidenceStatus, weak: dict[tuple[str, str, str], Basis], more: bool) -> Evidence:
    """The grade ``worst`` listing the least of ``weak`` (by listing key)."""
    if worst is _SOURCED_STATUS:
        return SOURCED
    # what Evidence(...) makes, without its converter: a million
    # candidates at national scale are each graded
    if len(weak) <= MAX_LISTED:
        return _new_evidence(
            grade=worst, weak=tuple(map(weak.__getitem__, sorted(weak))), more=more
        )
    # a few dozen keys sort quicker in C than a heap keeps the least
    least = sorted(weak) if len(weak) <= _SORTED_UP_TO else heapq.nsmallest(MAX_LISTED, weak)
    return _new_evidence(
        grade=worst, weak=tuple(map(weak.__getitem__, least[:MAX_LISTED])), more=True
    )


#: Up to this many listing keys, :func:`_graded` sorts them all.
_SORTED_UP_TO = 64
#: An enum member read from its class costs a Python-level lookup.
_SOURCED_STATUS = EvidenceStatus.SOURCED
_UNSOURCED_STATUS = EvidenceStatus.UNSOURCED
#: ``Evidence(...)`` made through its slots.
_new_evidence = slot_maker(Evidence)


#: Status (by value: an enum member hashes through a Python-level call) to
#: its rank, read without calling the property.
_RANK = {status._value_: status.rank for status in EvidenceStatus}
_MARKS = operator.attrgetter("illustrative", "inferred", "source")
#: Status by code, and code by value; code 0 is "sourced, not kept".
_STATUS_OF_CODE = (_SOURCED_STATUS, *EvidenceStatus)
_CODE = {status._value_: code for code, status in enumerate(_STATUS_OF_CODE) if code}
_E = TypeVar("_E", bound=Element)


class EvidenceIndex:
    """The status of every element of one scenario, for grading findings.

    Elements with ids are found by id (ids are unique across a scenario);
    others are passed as ``(collection, element)`` pairs. Only the elements
    that are not sourced are kept: a finding's grade depends on them alone.
    """

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.covered = bool(scenario.source and scenario.source.strip())
        #: Id of an element that is not sourced to its collection and status.
        self._by_id: dict[str, tuple[str, EvidenceStatus]] = {}
        #: (collection, key) of elements without an id, not sourced, to each
        #: status among them: each is listed, as for elements with ids.
        self._by_key: dict[tuple[str, str], list[EvidenceStatus]] = {}
        #: Every id to its collection, built when :meth:`of_id` is first asked.
        self._collection_of: dict[str, str] | None = None
        #: Each basis made, by collection, key and status: findings share them.
        self._bases: dict[tuple[str, str, str], Basis] = {}
        #: Collection to a status code (:data:`_CODE`) by position, for the
        #: collections with elements not sourced: one byte an element.
        self._codes: dict[str, bytearray] = {}
        for collection in COLLECTIONS:
            elements = getattr(scenario, collection)
            positions = self._weak_positions(elements)
            if positions:
                codes = self._codes[collection] = bytearray(len(elements))
            for position in positions:
                element = elements[position]
                status = self.status(element)
                codes[position] = _CODE[status._value_]
                found = getattr(element, "id", None)
                if isinstance(found, str):
                    self._by_id[found] = (collection, status)
                    continue
                key = (collection, element_key(collection, element))
                statuses = self._by_key.get(key)
                if statuses is None:
                    self._by_key[key] = [status]
                elif status not in statuses:
                    statuses.append(status)

    def status(self, element: Element) -> EvidenceStatus:
        """The element's status in this scenario (see the module's definition)."""
        status = element.evidence_status
        if status is _UNSOURCED_STATUS and self.covered:
            return _SOURCED_STATUS
        return status

    def weak(self, elements: Sequence[_E]) -> list[_E]:
        """The ``elements`` that are not sourced, in their order."""
        return list(map(elements.__getitem__, self._weak_positions(elements)))

    def _weak_positions(self, elements: Sequence[Element]) -> list[int]:
        """The positions of the ``elements`` that are not sourced, in order.

        One C-level pass reads the three fields the status depends on; a
        million sourced exchanges cost no call of :meth:`status`.
        """
        covered = self.covered
        return [
            position
            for position, (illustrative, inferred, source) in enumerate(map(_MARKS, elements))
            if illustrative or inferred or not (covered or (source and source.strip()))
        ]

    def of_id(self, id: str) -> tuple[str, EvidenceStatus] | None:
        """The collection and status of the element with this id, if any."""
        weak = self._by_id.get(id)
        if weak is not None:
            return weak
        if self._collection_of is None:
            self._collection_of = {
                element.id: collection
                for collection in COLLECTIONS
                for element in getattr(self.scenario, collection)
                if isinstance(getattr(element, "id", None), str)
            }
        collection = self._collection_of.get(id)
        return None if collection is None else (collection, _SOURCED_STATUS)

    def weak_names(self, collection: str) -> frozenset[str]:
        """The ids of the elements that are not sourced, with the keys
        (:func:`element_key`) of the elements of ``collection`` without an id
        that are not sourced.

        A finding resting on ``ids`` and on elements of ``collection`` named
        by ``keys`` is sourced when none of them is here: one C-level test
        instead of a call of :meth:`of`, for a million candidates.

        Examples
        --------
        >>> from cio_framework.model import Exchange, System
        >>> from cio_framework.testing import make_scenario
        >>> s = make_scenario(
        ...     source="the article",
        ...     systems=[System(id="a", name="A", department="epb"),
        ...              System(id="b", name="B", department="epb", inferred=True)],
        ...     exchanges=[Exchange(from_="a", to="b", illustrative=True)],
        ... )
        >>> sorted(EvidenceIndex(s).weak_names("exchanges"))
        ['a->b', 'b']
        """
        return frozenset(self._by_id).union(key for kind, key in self._by_key if kind == collection)

    def _basis(self, collection: str, key: str, status: EvidenceStatus) -> Basis:
        """The basis of one element that is not sourced, made once."""
        listing = (collection, key, status._value_)  # an enum member hashes slowly
        found = self._bases.get(listing)
        if found is None:
            found = self._bases[listing] = Basis(collection=collection, key=key, status=status)
        return found

    def of(
        self,
        *,
        ids: Iterable[str] = (),
        keys: Iterable[tuple[str, str]] = (),
        elements: Iterable[tuple[str, Element]] = (),
        at: Iterable[tuple[str, int]] = (),
    ) -> Evidence:
        """The grade of a finding resting on the elements ``ids`` name (ids
        of nothing, such as ``local``, are ignored), on the elements without
        an id that ``keys`` name by ``(collection, key)`` (:func:`element_key`),
        on ``elements``, and on the elements ``at`` places by collection and
        position in the scenario's list (as a check's finding does)."""
        worst = _SOURCED_STATUS
        weak: list[Basis] = []
        made = self._basis
        for id in ids:
            found = self._by_id.get(id)
            if found is not None and found[1] is not _SOURCED_STATUS:
                weak.append(made(found[0], id, found[1]))
        for collection, key in keys:
            statuses = self._by_key.get((collection, key))
            if statuses is not None:
                weak.extend([made(collection, key, status) for status in statuses])
                continue
            found = self._by_id.get(key)
            if found is not None and found[0] == collection and found[1] is not _SOURCED_STATUS:
                weak.append(made(collection, key, found[1]))
        for collection, element in elements:
            status = self.status(element)
            if status is not _SOURCED_STATUS:
                weak.append(made(collection, element_key(collection, element), status))
        for collection, position in at:
            codes = self._codes.get(collection)
            if codes is not None and codes[position]:  # read without a call: a million findings
                element = getattr(self.scenario, collection)[position]
                status = _STATUS_OF_CODE[codes[position]]
                weak.append(made(collection, element_key(collection, element), status))
        if not weak:  # most findings of a sourced scenario
            return SOURCED
        for basis in weak:
            if _RANK[basis.status._value_] > _RANK[worst._value_]:
                worst = basis.status
        return _graded(worst, _keyed(weak), False)


def group_evidence(index: LandscapeIndex, grades: EvidenceIndex) -> dict[str, Evidence]:
    """The grade of each connected group of ``index`` (the landscape's
    internal index), by component label.

    A group rests on its systems and platforms, their departments and the
    live exchanges that join them (not a system's exchange with itself).
    O(V + E) over the index.
    """
    exchanges: dict[str, list[tuple[str, Element]]] = {}
    labels = index.labels
    for exchange in grades.weak(index.live):  # the sourced ones change no grade
        if exchange.from_ != exchange.to or exchange.via is not None:  # a self-loop joins nothing
            exchanges.setdefault(labels[exchange.from_], []).append(("exchanges", exchange))
    result = {}
    for label, members in index.components().items():
        departments = {index.systems[m].department for m in members if m in index.systems}
        result[label] = grades.of(ids=[*members, *departments], elements=exchanges.get(label, ()))
    return result


# -- keeping the sourced elements only -------------------------------------------


def sourced_only(scenario: Scenario) -> tuple[Scenario, tuple[Basis, ...]]:
    """The scenario with its sourced elements only, and what was left out.

    An element is left out when it is not sourced (see the module's
    definition), or when a reference it cannot do without (one with no
    default, such as a system's department, or a default that names
    something, such as ``hosted_on: local``) names an element left out. Optional references to
    left-out elements are cleared and lists lose them, in nested values (a
    delegation) too. Sources and levels are kept; a
    what-if variant is kept whole when it names no left-out element (its
    changes included), and left out otherwise.

    Returns
    -------
    tuple
        The reduced scenario and every element left out, by (collection, key).

    Notes
    -----
    O((V + R) · P) for V elements, R references and P passes, where P is one
    more than the longest chain of required references (a few: a demand
    needs a resource, which needs a department).

    Examples
    --------
    >>> from cio_framework.model import Department, System
    >>> from cio_framework.testing import make_scenario
    >>> s = make_scenario(
    ...     source="a study",
    ...     departments=[Department(id="epb", name="EPB", illustrative=True)],
    ...     systems=[System(id="a", name="A", department="epb")],
    ... )
    >>> reduced, left_out = sourced_only(s)
    >>> [(b.collection, b.key) for b in left_out]
    [('appraisals', 'epb'), ('departments', 'epb'), ('systems', 'a')]
    >>> reduced.get("epb-cio").department is None  # an optional reference, emptied
    True
    """
    index = EvidenceIndex(scenario)
    reduced, dropped = keep_only(
        scenario,
        lambda collection, element: (
            collection in _KEPT_WHOLE or index.status(element) is _SOURCED_STATUS
        ),
    )
    left_out = [_basis(c, element, index.status(element)) for c, element in dropped]
    return reduced, tuple(sorted(left_out, key=_listing_order))


#: Collections that sourced_only keeps whole (what-ifs unless they name a
#: left-out element).
_KEPT_WHOLE = frozenset({"sources", "levels", "jurisdictions"})


def _basis(collection: str, element: Element, status: EvidenceStatus) -> Basis:
    return Basis(collection=collection, key=element_key(collection, element), status=status)
