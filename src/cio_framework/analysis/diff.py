"""What changed between two versions of a scenario, and what it changed in the analyses.

Definition
----------
Elements are matched by their key: the id, or for elements without one what
they are (``from->to`` of an exchange, ``by:resource`` of a demand; see
:func:`~cio_framework.analysis.evidence.element_key`). An element whose key
is in the new version only is *added*, in the old only *removed*; one in
both whose written data differs is *changed*, field by field (the data
:func:`~cio_framework.unstructure` gives: a field left at its default is
absent). A list of references (a body's ``members``, an exchange's
``resources``, a matter's ``supervision_data`` ...) names a set: the same
ids in another order are the same data. Several elements sharing a key (two exchanges without an id between
the same systems) are compared as a multiset of their data: when the
multisets differ, the key is changed in one field ``*`` whose old and new
values are the lists of their data, sorted. The scenario's own fields
(``name``, ``as_of``, ``priorities``, ``checks`` ...) are compared the same
way; the format version (``cio_framework:``) is how the file is written,
not what it says, and is left out.

The analyses are compared by what they are about, never by position:

islands
    an island is named by its least system id (:func:`~cio_framework.islands`).
    An old island is *closed* when none of its systems that remain is in an
    island any more (or none remains); *split* when they are in two or more
    new islands. A new island is *merged* when it holds systems of two or
    more old islands, and *new* when it holds none of an old island's.
barriers
    by requester and resource: *resolved* (old only) and *new* (new only);
fault zones
    by matter: *closed* and *new*;
priorities
    by integration id: *entered*, *left*, and *moved*: a candidate of both
    versions that passed another candidate of both versions, or that one
    passed (a candidate pushed down only by one that entered above it did
    not move).
    Each is listed with its rank in each version's whole ranking;
indicators
    each indicator whose value changed, with both values.

Complexity
----------
O(n log n) in the size n of the two scenarios, plus one run of
:func:`~cio_framework.analysis.landscape` on each version: each analysis
once, on indexes built once per version.

Examples
--------
>>> import cio_framework
>>> from cio_framework.analysis.diff import diff
>>> old = cio_framework.builtin("pudong-2016")
>>> new = cio_framework.whatif(old, "connect-epb")
>>> changes = diff(old, new)
>>> changes.changed, [c.collection for c in changes.collections]
(True, ['exchanges', 'scenarios'])
>>> [(i.kind, i.old) for i in changes.islands]
[('closed', ('epb-approvals',))]
"""

from __future__ import annotations

import collections
import functools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from .._contracts import document
from .._util import tuple_of
from ..config import unstructure
from ..config._plan import plan_of
from ..model import COLLECTIONS, Element, Scenario
from ._results import Plain, Tabular, plain_dict, records_html
from .connectivity import IslandReport
from .evidence import element_key
from .landscape import landscape
from .sharing import BarrierReport

__all__ = [
    "RECORD_COLUMNS",
    "CollectionDiff",
    "ElementChange",
    "FieldChange",
    "IslandChange",
    "RankChange",
    "ScenarioDiff",
    "diff",
]

#: The columns of :meth:`~cio_framework.analysis.ScenarioDiff.to_records`.
RECORD_COLUMNS = ("topic", "change", "key", "field", "old", "new")


@attrs.frozen(kw_only=True)
class FieldChange(Plain):
    """One field of an element: its written value before and after (``None``: absent)."""

    field: str
    old: Any
    new: Any


@attrs.frozen(kw_only=True)
class ElementChange(Plain):
    """An element present in both versions whose data differs."""

    key: str
    fields: tuple[FieldChange, ...] = attrs.field(converter=tuple_of)


@attrs.frozen(kw_only=True)
class CollectionDiff(Plain):
    """The elements of one collection added, removed and changed, by key."""

    collection: str
    added: tuple[str, ...] = attrs.field(converter=tuple_of)
    removed: tuple[str, ...] = attrs.field(converter=tuple_of)
    changed: tuple[ElementChange, ...] = attrs.field(converter=tuple_of)


@attrs.frozen(kw_only=True)
class IslandChange(Plain):
    """An island ``closed``, ``split``, ``merged`` or ``new``: the old islands
    and the new ones it concerns, by island id."""

    kind: str
    old: tuple[str, ...] = attrs.field(converter=tuple_of)
    new: tuple[str, ...] = attrs.field(converter=tuple_of)


@attrs.frozen(kw_only=True)
class RankChange(Plain):
    """A candidate integration's rank before and after, in each version's
    whole ranking (1 for the best; ``None``: not a candidate)."""

    id: str
    old: int | None
    new: int | None

    @property
    def kind(self) -> str:
        """``"entered"`` (a candidate in the new version only), ``"left"``
        (in the old only) or ``"moved"``.

        Examples
        --------
        >>> [RankChange(id="x", old=o, new=n).kind for o, n in [(None, 2), (2, None), (2, 1)]]
        ['entered', 'left', 'moved']
        """
        if self.old is None:
            return "entered"
        return "left" if self.new is None else "moved"


@attrs.frozen(kw_only=True)
class ScenarioDiff(Tabular):
    """What changed between two versions of a scenario (see the module's definition).

    Parameters
    ----------
    fields
        The scenario's own fields that changed (``name``, ``as_of`` ...).
    collections
        One :class:`~cio_framework.analysis.diff.CollectionDiff` per collection with a change, in the
        order of :data:`~cio_framework.model.COLLECTIONS`.
    islands
        The islands closed and split (by old island id), then the islands
        merged and new (by new island id).
    barriers_resolved, barriers_new
        Barriers by ``requester:resource``, sorted.
    fault_zones_closed, fault_zones_new
        Fault zones by matter id, sorted.
    priorities
        The candidate integrations whose rank changed, by id.
    indicators
        The indicators whose value changed, in the order of
        :class:`~cio_framework.analysis.Indicators`.
    """

    fields: tuple[FieldChange, ...] = attrs.field(converter=tuple_of, default=())
    collections: tuple[CollectionDiff, ...] = attrs.field(converter=tuple_of, default=())
    islands: tuple[IslandChange, ...] = attrs.field(converter=tuple_of, default=())
    barriers_resolved: tuple[str, ...] = attrs.field(converter=tuple_of, default=())
    barriers_new: tuple[str, ...] = attrs.field(converter=tuple_of, default=())
    fault_zones_closed: tuple[str, ...] = attrs.field(converter=tuple_of, default=())
    fault_zones_new: tuple[str, ...] = attrs.field(converter=tuple_of, default=())
    priorities: tuple[RankChange, ...] = attrs.field(converter=tuple_of, default=())
    indicators: tuple[FieldChange, ...] = attrs.field(converter=tuple_of, default=())

    @property
    def changed(self) -> bool:
        """Whether anything differs in the data (the analyses follow from the data)."""
        return bool(self.fields or self.collections)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document: ``kind`` ``"diff"``, its ``version``, then the fields."""
        return document("diff", plain_dict(self))

    def to_records(self) -> list[dict[str, Any]]:
        """One record per change, with the columns of
        :data:`~cio_framework.analysis.diff.RECORD_COLUMNS`.

        ``topic`` is ``scenario``, a collection's name, ``islands``,
        ``barriers``, ``fault_zones``, ``priorities`` or ``indicators``;
        ``change`` says what happened (``added``, ``closed``, ``moved`` ...);
        ``key`` names the element, island, barrier, matter, integration or
        indicator; ``old`` and ``new`` are the values, island ids or ranks.

        Examples
        --------
        >>> found = ScenarioDiff(barriers_new=["msb:emissions"])
        >>> found.to_records()
        [{'topic': 'barriers', 'change': 'new', 'key': 'msb:emissions', 'field': None, 'old': None, 'new': None}]
        """
        return [dict(zip(RECORD_COLUMNS, row, strict=True)) for row in self._rows()]

    def _rows(self) -> Iterable[tuple[Any, ...]]:
        for f in self.fields:
            yield ("scenario", "changed", "", f.field, f.old, f.new)
        for c in self.collections:
            yield from ((c.collection, "added", k, None, None, None) for k in c.added)
            yield from ((c.collection, "removed", k, None, None, None) for k in c.removed)
            for e in c.changed:
                yield from (
                    (c.collection, "changed", e.key, f.field, f.old, f.new) for f in e.fields
                )
        for i in self.islands:
            key = (i.new if i.kind in ("merged", "new") else i.old)[0]
            yield ("islands", i.kind, key, None, list(i.old), list(i.new))
        for topic, kind, keys in (
            ("barriers", "resolved", self.barriers_resolved),
            ("barriers", "new", self.barriers_new),
            ("fault_zones", "closed", self.fault_zones_closed),
            ("fault_zones", "new", self.fault_zones_new),
        ):
            yield from ((topic, kind, k, None, None, None) for k in keys)
        for r in self.priorities:
            yield ("priorities", r.kind, r.id, None, r.old, r.new)
        for f in self.indicators:
            yield ("indicators", "changed", f.field, None, f.old, f.new)

    def _repr_html_(self) -> str:
        return records_html(self.to_records(), RECORD_COLUMNS, "No differences.", limit=200)


def diff(old: Scenario, new: Scenario) -> ScenarioDiff:
    """What changed from ``old`` to ``new`` (see the module's definition).

    Parameters
    ----------
    old, new
        Two versions of a scenario, both valid.

    Returns
    -------
    ScenarioDiff
        The changes; empty (``changed`` false) when the two versions hold
        the same data, whatever the order of their lists.

    Notes
    -----
    O(n log n) in the size n of the two scenarios, plus one run of
    :func:`~cio_framework.analysis.landscape` on each version (which ranks
    the candidate integrations without explaining them).

    Examples
    --------
    >>> import attrs, cio_framework
    >>> old = cio_framework.builtin("pudong-2016")
    >>> new = attrs.evolve(old, as_of=None, exchanges=old.exchanges[1:])
    >>> found = diff(old, new)
    >>> [(f.field, f.old, f.new) for f in found.fields]
    [('as_of', '2016-12-01', None)]
    >>> [(c.collection, c.removed) for c in found.collections]
    [('exchanges', ('oa-cloud',))]
    >>> [(i.kind, i.old, i.new) for i in found.islands]
    [('new', (), ('gov-office-oa',))]
    >>> found.changed, diff(old, old).changed
    (True, False)
    """
    before, after = landscape(old, top=0), landscape(new, top=0)
    old_barriers, new_barriers = _barrier_keys(before.barriers), _barrier_keys(after.barriers)
    old_zones = {z.matter for z in before.fault_zones.zones}
    new_zones = {z.matter for z in after.fault_zones.zones}
    return ScenarioDiff(
        fields=_fields(_own_fields(old), _own_fields(new)),
        collections=[c for name in COLLECTIONS if (c := _collection(name, old, new))],
        islands=_islands(before.islands, after.islands),
        barriers_resolved=sorted(old_barriers - new_barriers),
        barriers_new=sorted(new_barriers - old_barriers),
        fault_zones_closed=sorted(old_zones - new_zones),
        fault_zones_new=sorted(new_zones - old_zones),
        priorities=_ranks(before.ranking, after.ranking),
        indicators=_fields(before.indicators.to_dict(), after.indicators.to_dict()),
    )


# -- elements -------------------------------------------------------------------
#
# Equal model values write the same data, so only the elements that differ as
# values are written out (unstructured) and compared field by field.


def _own_fields(scenario: Scenario) -> dict[str, Any]:
    """The scenario's own fields as written, without its format version."""
    empty: dict[str, Any] = dict.fromkeys(COLLECTIONS, ())
    bare = attrs.evolve(scenario, **empty)
    return {
        k: v for k, v in unstructure(bare).items() if k not in COLLECTIONS and k != "cio_framework"
    }


def _by_key(name: str, scenario: Scenario) -> dict[str, list[Element]]:
    elements = getattr(scenario, name)
    keys = [element_key(name, element) for element in elements]
    found: dict[str, list[Element]] = {}
    for key, element in zip(keys, elements, strict=True):
        found.setdefault(key, []).append(element)
    return found


def _collection(name: str, old: Scenario, new: Scenario) -> CollectionDiff | None:
    if getattr(old, name) == getattr(new, name):
        return None
    before, after = _by_key(name, old), _by_key(name, new)
    added = sorted(after.keys() - before.keys())
    removed = sorted(before.keys() - after.keys())
    # most keys hold one equal element in both versions: compare those first
    differing = [key for key in before.keys() & after.keys() if before[key] != after[key]]
    changed = [
        ElementChange(key=key, fields=fields)
        for key in sorted(differing)
        if (fields := _element_fields(name, before[key], after[key]))
    ]
    if not (added or removed or changed):
        return None
    return CollectionDiff(collection=name, added=added, removed=removed, changed=changed)


def _element_fields(name: str, before: list[Element], after: list[Element]) -> list[FieldChange]:
    """The fields that differ between the elements of one key of collection
    ``name`` in each version."""
    if len(before) == 1 and len(after) == 1:
        if before[0] == after[0]:
            return []
        return _fields(_data(name, before[0]), _data(name, after[0]))
    if collections.Counter(before) == collections.Counter(after):
        return []
    old, new = _sorted_data(name, before), _sorted_data(name, after)
    if [text for text, _ in old] == [text for text, _ in new]:
        return []
    return [FieldChange(field="*", old=[d for _, d in old], new=[d for _, d in new])]


def _sorted_data(name: str, elements: Iterable[Element]) -> list[tuple[str, dict[str, Any]]]:
    """Each element's written data with its canonical JSON text, sorted by that text."""
    data = (_data(name, e) for e in elements)
    return sorted(((json.dumps(d, sort_keys=True), d) for d in data), key=_first)


def _data(name: str, element: Element) -> dict[str, Any]:
    """An element of collection ``name`` as written, each list of references
    sorted: the set it names, written one way."""
    data = unstructure(element)
    for key in _reference_lists(name):
        if isinstance(data.get(key), list):
            data[key] = sorted(data[key])  # ids: in code-point order
    return data


@functools.cache
def _reference_lists(name: str) -> frozenset[str]:
    """The keys of collection ``name``'s elements whose values are lists of references."""
    return frozenset(
        plan.key
        for plan in plan_of(COLLECTIONS[name])
        if plan.spec.kind == "tuple" and plan.ref is not None
    )


def _first(pair: tuple[str, Any]) -> str:
    return pair[0]


def _fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    """The keys whose values differ, or that one side lacks, in the order written."""
    keys = list(dict.fromkeys([*before, *after]))
    return [
        FieldChange(field=k, old=before.get(k), new=after.get(k))
        for k in keys
        if (k in before) != (k in after) or before[k] != after[k]
    ]


# -- analyses --------------------------------------------------------------------


def _barrier_keys(report: BarrierReport) -> set[str]:
    return {f"{b.by}:{b.resource}" for b in report.barriers}


def _islands(old: IslandReport, new: IslandReport) -> list[IslandChange]:
    before = {g.id: g.systems for g in old.islands}
    after = {g.id: g.systems for g in new.islands}
    island_of = {s: g for g, members in after.items() for s in members}
    was_in = {s: g for g, members in before.items() for s in members}
    found = []
    for group, members in sorted(before.items()):
        targets = sorted({island_of[s] for s in members if s in island_of})
        if not targets:
            found.append(IslandChange(kind="closed", old=[group], new=[]))
        elif len(targets) > 1:
            found.append(IslandChange(kind="split", old=[group], new=targets))
    for group, members in sorted(after.items()):
        sources = sorted({was_in[s] for s in members if s in was_in})
        if not sources:
            found.append(IslandChange(kind="new", old=[], new=[group]))
        elif len(sources) > 1:
            found.append(IslandChange(kind="merged", old=sources, new=[group]))
    return found


def _ranks(old: Sequence[str], new: Sequence[str]) -> list[RankChange]:
    """Entered, left, and moved: the candidates of both versions that passed
    another candidate of both versions, or that one passed. O(n log n)."""
    before = {key: rank for rank, key in enumerate(old, 1)}
    after = {key: rank for rank, key in enumerate(new, 1)}
    common = [key for key in old if key in after]  # in their old order
    ranks = [after[key] for key in common]
    # a candidate passed another (or was passed) when one of those ranked
    # above it before is below it now, or one of those below it is above
    moved: set[str] = set()
    highest = 0
    for key, rank in zip(common, ranks, strict=True):
        if highest > rank:
            moved.add(key)
        highest = max(highest, rank)
    lowest = math.inf
    for key, rank in zip(reversed(common), reversed(ranks), strict=True):
        if lowest < rank:
            moved.add(key)
        lowest = min(lowest, rank)
    return [
        RankChange(id=key, old=before.get(key), new=after.get(key))
        for key in sorted((before.keys() ^ after.keys()) | moved)
    ]
