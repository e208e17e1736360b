"""What an export format carries of a scenario, and what it leaves out.

ArchiMate and Backstage have a place for part of a scenario only: its
organisation and its landscape. The export writes the collections its
format *carries* (:data:`CARRIED`) and says what it leaves out, so that
nobody learns it from a scenario read back without its people, bodies or
meetings.

Definitions:

* a collection is *left out* by a format when the scenario holds elements
  of it and the format does not carry it; the levels count only when they
  are not the default ones (every scenario has levels, and reading gives
  the default ones back);
* a key of an element is *cut* when it refers to elements and every
  collection it may refer to is not carried: written, it would name
  elements the read-back scenario does not have (a department's
  ``jurisdiction`` in a Backstage catalogue).

Complexity
----------
:func:`left_out`: O(C) for C collections. :func:`cut_keys`: O(F) for the F
fields of one element class, once per class and format.

Examples
--------
>>> import cio_framework
>>> gone = left_out(cio_framework.builtin("pudong-2016"), CARRIED["backstage"])
>>> gone["bodies"], "systems" in gone
(3, False)
>>> sorted(cut_keys("departments", CARRIED["backstage"]))
['jurisdiction']
"""

from __future__ import annotations

import functools

from ..config._plan import plan_of
from ..model import COLLECTIONS, DEFAULT_LEVELS, Scenario

__all__ = ["CARRIED", "cut_keys", "left_out"]

#: Export format to the collections it carries: written, and read back.
CARRIED: dict[str, frozenset[str]] = {
    "archimate": frozenset(
        {"levels", "departments", "roles", "platforms", "systems", "resources", "exchanges"}
    ),
    "backstage": frozenset(
        {"people", "departments", "platforms", "systems", "resources", "exchanges"}
    ),
}


def left_out(scenario: Scenario, carried: frozenset[str]) -> dict[str, int]:
    """Collection to how many of its elements an export carrying ``carried``
    leaves out, for each collection it leaves out (in the model's order)."""
    gone = {}
    for name in COLLECTIONS:
        elements = getattr(scenario, name)
        if name in carried or not elements:
            continue
        if name == "levels" and tuple(elements) == tuple(DEFAULT_LEVELS):
            continue
        gone[name] = len(elements)
    return gone


@functools.cache
def cut_keys(collection: str, carried: frozenset[str]) -> frozenset[str]:
    """The keys of ``collection``'s elements that refer only to collections
    not in ``carried``."""
    return frozenset(
        plan.key
        for plan in plan_of(COLLECTIONS[collection])
        if plan.ref and not set(plan.ref) & carried
    )
