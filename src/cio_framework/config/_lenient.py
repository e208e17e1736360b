"""Lenient structuring: a scenario from data, without what cannot be read.

Definition
----------
An *element* is an item of one of the scenario's collections
(``$.systems[3]``). Structuring leniently leaves out every element with a
problem of its own (a bad value, a missing field, an unknown reference),
then every element that names one left out (a system of a department left
out), and so on until what is left loads; the result is that scenario, the
problems that left each element out (with the element's path in the
original data), and the paths of the elements left out. A problem that is
about no element (a top-level key, the version, the priority settings)
cannot be resolved by leaving something out: it is raised.

Complexity
----------
O(d (V + E)) for data whose bad elements have chains of dependents at most
``d`` long: each round is one structuring of the data, and removes at least
the elements of the next link. Most data takes one or two rounds.

Examples
--------
>>> from cio_framework.config import structure
>>> found = salvage({"cio_framework": 2, "name": "Example",
...     "departments": [{"id": "bad"}], "notes": [{"id": "n", "text": "kept"}]}, structure)
>>> found.dropped, [n.id for n in found.scenario.notes]
(('$.departments[0]',), ['n'])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ..exceptions import ConfigError, Problem
from ..model import COLLECTIONS, Scenario

__all__ = ["Lenient", "salvage"]

#: The element a problem's path is in, and the rest of the path.
_ELEMENT = re.compile(r"^\$\.(\w+)\[(\d+)\](.*)$", re.DOTALL)


@attrs.frozen(kw_only=True)
class Lenient:
    """A scenario read leniently.

    Parameters
    ----------
    scenario
        What could be read: the data without the elements left out.
    problems
        Why each element was left out, at its path in the original data.
    dropped
        The paths of the elements left out, in the order of the
        collections, then of their position (``$.systems[3]``).
    """

    scenario: Scenario
    problems: tuple[Problem, ...]
    dropped: tuple[str, ...]


def salvage(data: Mapping[str, Any], strict: Callable[[dict[str, Any]], Scenario]) -> Lenient:
    """Build a scenario from ``data`` with ``strict`` (which raises
    :class:`ConfigError` with every problem), leaving out the elements that
    cannot be read and those that depend on them (the module's definition).

    Raises
    ------
    ConfigError
        When a problem is about no element, with every problem found.
    """
    kept = {key: list(range(len(data[key]))) for key in COLLECTIONS if _is_list(data.get(key))}
    problems: list[Problem] = []
    dropped: set[tuple[str, int]] = set()
    while True:
        current = {**data, **{key: [data[key][i] for i in kept[key]] for key in kept}}
        try:
            scenario = strict(current)
        except ConfigError as exc:
            bad = _elements_of(exc.problems, kept, problems)
            if bad is None:
                raise ConfigError.from_problems([*problems, *exc.problems]) from None
            dropped |= bad
            kept = {key: [i for i in kept[key] if (key, i) not in bad] for key in kept}
            continue
        order = list(COLLECTIONS)
        ranked = sorted(dropped, key=lambda element: (order.index(element[0]), element[1]))
        paths = tuple(f"$.{key}[{index}]" for key, index in ranked)
        return Lenient(scenario=scenario, problems=tuple(problems), dropped=paths)


def _is_list(value: Any) -> bool:
    return isinstance(value, list)


def _elements_of(
    found: tuple[Problem, ...], kept: dict[str, list[int]], problems: list[Problem]
) -> set[tuple[str, int]] | None:
    """The elements (collection, original index) ``found`` is about, each
    problem added to ``problems`` at its original path; ``None`` when one is
    about no element."""
    bad: set[tuple[str, int]] = set()
    for problem in found:
        if problem.code == "truncated":
            continue  # a count of problems not shown: later rounds show them
        match = _ELEMENT.match(problem.path)
        if match is None or match.group(1) not in kept:
            return None
        key, index, rest = match.group(1), int(match.group(2)), match.group(3)
        if index >= len(kept[key]):
            return None
        original = kept[key][index]
        bad.add((key, original))
        problems.append(attrs.evolve(problem, path=f"$.{key}[{original}]{rest}"))
    return bad or None
