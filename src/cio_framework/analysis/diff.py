"""What changed between two versions of a scenario, and what it changed in the analyses.

Definition
----------
Elements are matched by their key: the id, or for elements without one what
they are (``from->to`` of an exchange, ``by:resource`` of a demand; see
:func:`~cio_framework.analysis.evidence.element_key`). An element whose key
is in the new version only is *added*, in the old only *removed*; one in
both whose written data differs is *changed*, field by field (the data
:func:`~cio_framework.unstructure` gives: a field left at its default is
absent). Several elements sharing a key (two exchanges without an id between
the same systems) are compared as a multiset of their data.

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
    by integration id: *entered*, *left*, and *moved* (its rank changed);
indicators
    each indicator whose value changed, with both values.

Complexity
----------
O(n log n) in the size of the two scenarios, plus one run of each analysis
on each version.

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
import json
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .._util import tuple_of
from ..config import unstructure
from ..model import COLLECTIONS, Scenario
from ._results import Plain
from .connectivity import islands
from .evidence import element_key
from .faultzones import fault_zones
from .indicators import indicators
from .priorities import priorities
from .sharing import barriers

__all__ = [
    "DIFF_VERSION",
    "CollectionDiff",
    "ElementChange",
    "FieldChange",
    "IslandChange",
    "RankChange",
    "ScenarioDiff",
    "diff",
]

#: The version of :meth:`ScenarioDiff.to_dict`'s JSON document.
DIFF_VERSION = 1


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
    """An island closed, split, merged or new: the old islands and the new ones it concerns."""

    kind: str
    old: tuple[str, ...] = attrs.field(converter=tuple_of)
    new: tuple[str, ...] = attrs.field(converter=tuple_of)


@attrs.frozen(kw_only=True)
class RankChange(Plain):
    """A candidate integration's rank before and after (``None``: not a candidate)."""

    id: str
    old: int | None
    new: int | None


@attrs.frozen(kw_only=True)
class ScenarioDiff(Plain):
    """What changed between two versions of a scenario (see the module's definition)."""

    collections: tuple[CollectionDiff, ...] = attrs.field(converter=tuple_of)
    islands: tuple[IslandChange, ...] = attrs.field(converter=tuple_of)
    barriers_resolved: tuple[str, ...] = attrs.field(converter=tuple_of)
    barriers_new: tuple[str, ...] = attrs.field(converter=tuple_of)
    fault_zones_closed: tuple[str, ...] = attrs.field(converter=tuple_of)
    fault_zones_new: tuple[str, ...] = attrs.field(converter=tuple_of)
    priorities: tuple[RankChange, ...] = attrs.field(converter=tuple_of)
    indicators: tuple[FieldChange, ...] = attrs.field(converter=tuple_of)

    @property
    def changed(self) -> bool:
        """Whether anything differs (the elements: the analyses follow from them)."""
        return bool(self.collections)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document: ``kind`` ``"diff"``, its ``version``, then the fields."""
        return {"kind": "diff", "version": DIFF_VERSION, **super().to_dict()}


def diff(old: Scenario, new: Scenario) -> ScenarioDiff:
    """What changed from ``old`` to ``new`` (see the module's definition).

    Parameters
    ----------
    old, new
        Two versions of a scenario, both valid.
    """
    collections_ = [c for c in (_collection(name, old, new) for name in COLLECTIONS) if c]
    old_barriers = {f"{b.by}:{b.resource}" for b in barriers(old).barriers}
    new_barriers = {f"{b.by}:{b.resource}" for b in barriers(new).barriers}
    old_zones = {z.matter for z in fault_zones(old).zones}
    new_zones = {z.matter for z in fault_zones(new).zones}
    return ScenarioDiff(
        collections=collections_,
        islands=_islands(old, new),
        barriers_resolved=sorted(old_barriers - new_barriers),
        barriers_new=sorted(new_barriers - old_barriers),
        fault_zones_closed=sorted(old_zones - new_zones),
        fault_zones_new=sorted(new_zones - old_zones),
        priorities=_ranks(old, new),
        indicators=_indicators(old, new),
    )


# -- elements -------------------------------------------------------------------


def _by_key(name: str, scenario: Scenario) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for element in getattr(scenario, name):
        found[element_key(name, element)].append(unstructure(element))
    return found


def _collection(name: str, old: Scenario, new: Scenario) -> CollectionDiff | None:
    before, after = _by_key(name, old), _by_key(name, new)
    added = sorted(k for k in after if k not in before)
    removed = sorted(k for k in before if k not in after)
    changed = []
    for key in sorted(before.keys() & after.keys()):
        if len(before[key]) == 1 and len(after[key]) == 1:
            fields = _fields(before[key][0], after[key][0])
            if fields:
                changed.append(ElementChange(key=key, fields=fields))
        elif _multiset(before[key]) != _multiset(after[key]):
            changed.append(
                ElementChange(
                    key=key,
                    fields=[FieldChange(field="*", old=before[key], new=after[key])],
                )
            )
    if not (added or removed or changed):
        return None
    return CollectionDiff(collection=name, added=added, removed=removed, changed=changed)


def _fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    keys = list(dict.fromkeys([*before, *after]))
    return [
        FieldChange(field=k, old=before.get(k), new=after.get(k))
        for k in keys
        if before.get(k) != after.get(k) or (k in before) != (k in after)
    ]


def _multiset(items: Iterable[Mapping[str, Any]]) -> collections.Counter[str]:
    return collections.Counter(json.dumps(item, sort_keys=True) for item in items)


# -- analyses --------------------------------------------------------------------


def _islands(old: Scenario, new: Scenario) -> list[IslandChange]:
    before = {g.id: set(g.systems) for g in islands(old).islands}
    after_report = islands(new)
    after = {g.id: set(g.systems) for g in after_report.islands}
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


def _ranks(old: Scenario, new: Scenario) -> list[RankChange]:
    before = {p.id: rank for rank, p in enumerate(priorities(old).priorities, 1)}
    after = {p.id: rank for rank, p in enumerate(priorities(new).priorities, 1)}
    return [
        RankChange(id=key, old=before.get(key), new=after.get(key))
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    ]


def _indicators(old: Scenario, new: Scenario) -> list[FieldChange]:
    before, after = indicators(old).to_dict(), indicators(new).to_dict()
    return [
        FieldChange(field=k, old=before[k], new=after.get(k))
        for k in before
        if before[k] != after.get(k)
    ]
