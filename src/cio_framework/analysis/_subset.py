"""Part of a scenario: what is kept, and what must go with what is left out.

Definition
----------
:func:`keep_only` keeps the elements a predicate accepts. An element the
predicate accepts is still left out when a reference it cannot do without
(one with no default, such as a system's department, or a default that
names something, such as ``hosted_on: local``) names an element left out;
optional references to left-out elements are cleared and lists lose them,
in nested values (a delegation) too. A what-if variant is kept whole when
it names no left-out element (its changes included), and left out
otherwise; the predicate is not asked about variants.

Complexity
----------
O((V + R) · P) for V elements, R references and P passes, where P is one
more than the longest chain of required references (a few: a demand needs
a resource, which needs a department).

Examples
--------
>>> from cio_framework.model import Department, System
>>> from cio_framework.testing import make_scenario
>>> s = make_scenario(systems=[System(id="a", name="A", department="epb")])
>>> part, dropped = keep_only(s, lambda collection, element: collection != "departments")
>>> [collection for collection, element in dropped]
['departments', 'departments', 'appraisals', 'systems']
>>> part.get("epb-cio").department is None  # an optional reference, emptied
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from ..model import COLLECTIONS, Element, Scenario
from ..model._base import META, cited_ids

__all__ = ["keep_only", "referenced"]


def keep_only(
    scenario: Scenario,
    keep: Callable[[str, Element], bool],
    *,
    absent: Callable[[str], bool] | None = None,
) -> tuple[Scenario, list[tuple[str, Element]]]:
    """The scenario with the elements ``keep(collection, element)`` accepts,
    less those that cannot do without a left-out one (see the module).

    ``absent`` tells of ids left out beforehand, that ``scenario`` no longer
    holds but its elements may still name (a part cut from a larger
    scenario): references to them go as references to left-out elements do.

    Returns
    -------
    tuple
        The reduced scenario, and the ``(collection, element)`` pairs left
        out, in the scenario's order within each pass.
    """
    gone = _Gone(absent)
    dropped: list[tuple[str, Element]] = []
    current: dict[str, Any] = {}
    for collection in COLLECTIONS:
        if collection == "scenarios":
            continue
        elements = []
        for element in getattr(scenario, collection):
            if keep(collection, element):
                elements.append(element)
            else:
                _drop(collection, element, gone, dropped)
        current[collection] = elements
    changed = True
    while changed:
        changed = False
        for collection, elements in current.items():
            kept = []
            for element in elements:
                cleaned = _cleaned(element, gone)
                if cleaned is None:
                    changed = True
                    _drop(collection, element, gone, dropped)
                else:
                    kept.append(cleaned)
            current[collection] = kept
    variants = []
    for variant in scenario.scenarios:
        if _names_any(variant, gone):
            dropped.append(("scenarios", variant))
        else:
            variants.append(variant)
    current["scenarios"] = variants
    settings = _cleaned(scenario.priorities, gone)
    reduced = attrs.evolve(
        scenario, **current, priorities=settings if settings is not None else scenario.priorities
    )
    return reduced, dropped


class _Gone:
    """Ids left out: those dropped so far, and those ``absent`` tells of."""

    def __init__(self, absent: Callable[[str], bool] | None) -> None:
        self.dropped: set[str] = set()
        self.absent = absent

    def add(self, id: str) -> None:
        self.dropped.add(id)

    def __contains__(self, id: object) -> bool:
        if id in self.dropped:
            return True
        return self.absent is not None and isinstance(id, str) and self.absent(id)


def _drop(
    collection: str, element: Element, gone: _Gone, dropped: list[tuple[str, Element]]
) -> None:
    dropped.append((collection, element))
    if isinstance(getattr(element, "id", None), str):
        gone.add(element.id)  # type: ignore[attr-defined]


def _refs(element: Any) -> Iterable[tuple[str, Any, bool]]:
    """``(attribute name, value, required)`` of each reference field of an
    element (scalar, tuple or mapping keys)."""
    for attribute in attrs.fields(type(element)):
        info = attribute.metadata.get(META, {})
        if info.get("ref") or info.get("key_ref"):
            # a scalar reference that cannot be emptied: no default, or a
            # default that names something (hosted_on: local)
            yield (
                attribute.name,
                getattr(element, attribute.name),
                attribute.default is attrs.NOTHING or isinstance(attribute.default, str),
            )


def _cleaned(element: Any, gone: _Gone) -> Any:
    """The element without references to ``gone``, or ``None`` when a
    reference it cannot do without is gone."""
    changes: dict[str, Any] = {}
    for name, value, required in _refs(element):
        if isinstance(value, str):
            if value in gone:
                if required:
                    return None
                changes[name] = None
        elif isinstance(value, tuple):
            kept = tuple(v for v in value if not (isinstance(v, str) and v in gone))
            if len(kept) != len(value):
                changes[name] = kept
        elif isinstance(value, Mapping) and any(key in gone for key in value):
            changes[name] = {k: v for k, v in value.items() if k not in gone}
    for attribute in attrs.fields(type(element)):
        value = getattr(element, attribute.name)
        if attrs.has(type(value)):  # a nested value, such as a delegation
            cleaned = _cleaned(value, gone)
            if cleaned is None:
                if attribute.default is not None:
                    return None
                changes[attribute.name] = None
            elif cleaned is not value:
                changes[attribute.name] = cleaned
    return attrs.evolve(element, **changes) if changes else element


def _names_any(value: Any, gone: _Gone) -> bool:
    """Whether an attrs value, or one nested in it, refers to an id in ``gone``."""
    if isinstance(value, tuple):
        return any(_names_any(item, gone) for item in value)
    if not attrs.has(type(value)):
        return False
    for attribute in attrs.fields(type(value)):
        field = getattr(value, attribute.name)
        info = attribute.metadata.get(META, {})
        if info.get("ref") or info.get("key_ref"):
            named = field if isinstance(field, (tuple, Mapping)) else (field,)
            if any(isinstance(n, str) and n in gone for n in named):
                return True
        elif _names_any(field, gone):
            return True
    return False


def referenced(value: Any) -> Iterable[str]:
    """Every id an attrs value, or one nested in it, refers to, and the
    source ids its ``source`` citations name."""
    if isinstance(value, tuple):
        for item in value:
            yield from referenced(item)
        return
    if not attrs.has(type(value)):
        return
    for attribute in attrs.fields(type(value)):
        field = getattr(value, attribute.name)
        info = attribute.metadata.get(META, {})
        if info.get("ref") or info.get("key_ref"):
            named = field if isinstance(field, (tuple, Mapping)) else (field,)
            yield from (n for n in named if isinstance(n, str))
        elif info.get("cites") and isinstance(field, str):
            yield from cited_ids(field)
        else:
            yield from referenced(field)
