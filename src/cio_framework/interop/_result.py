"""What an importer returns: a scenario's data, and every problem found.

Importers (:mod:`~cio_framework.interop.tables`,
:mod:`~cio_framework.interop.backstage`,
:mod:`~cio_framework.interop.archimate`) read another format into the
scenario's own file shape, the mapping that a YAML or JSON scenario file
holds (``cio_framework: 2``, ``name``, ``departments``, ...). They never
stop at the first problem: an :class:`Imported` holds everything that could
be read, and every problem located in the source files (file, line, column,
or the cell), errors and warnings alike. :meth:`Imported.scenario` turns the
data into a :class:`~cio_framework.model.Scenario` by the loader's rules.

Complexity
----------
O(1) to make; :meth:`Imported.scenario` costs what loading the same data
costs.

Examples
--------
>>> from cio_framework.interop import Imported
>>> found = Imported(data={"cio_framework": 2, "name": "Empty"}, counts={"Group": 0})
>>> found.ok, found.scenario().name
(True, 'Empty')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from ..config import Lenient, structure, structure_lenient
from ..exceptions import ConfigError, Problem, Severity
from ..model import Scenario
from ..model._frozenmap import FrozenMap

__all__ = ["DATA_PATH", "Imported", "loader_problems"]

#: A problem's path in an importer's data: its collection, index, and key
#: (``$.systems[3].hosted_on``, or ``$.systems[3]['a key']``: group 4).
DATA_PATH = re.compile(r"^\$\.(\w+)\[(\d+)\](?:\.([^.\[]+)|\[['\"](.+?)['\"]\])?")

#: Locates a problem found at a path in the data (``$.systems[3].hosted_on``)
#: in the source files; gives it back as it is when it cannot.
Place = Callable[[Problem], Problem]


def _problems(value: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(value)


def _counts(value: Mapping[str, int]) -> FrozenMap[str, int]:
    return FrozenMap(sorted(value.items()))


@attrs.frozen(kw_only=True)
class Imported:
    """The result of an import.

    Parameters
    ----------
    data
        The scenario in its file shape: what a scenario file would hold.
    problems
        Every problem found, located in the source files. An error means
        that something was left out of ``data`` (an element, a field), or
        that ``data`` breaks a rule of the format there (an unknown
        department: :meth:`salvage` leaves such elements out); a warning
        that something was read in a way worth checking (kept as ``x-``
        data, or mapped by a default).
    counts
        How many entities of each kind, in the source format's own words
        (``Component``, ``ApplicationComponent``, ``systems.csv``), were
        read.
    """

    data: Mapping[str, Any]
    problems: tuple[Problem, ...] = attrs.field(default=(), converter=_problems)
    counts: FrozenMap[str, int] = attrs.field(factory=dict, converter=_counts)
    #: What the importer already built from ``data`` (by :meth:`salvage`'s
    #: rules), so that asking for the scenario does not build it again.
    _built: Lenient | None = attrs.field(default=None, eq=False, repr=False, alias="built")

    @property
    def ok(self) -> bool:
        """Whether no problem is an error."""
        return not any(p.severity is Severity.ERROR for p in self.problems)

    def scenario(self) -> Scenario:
        """The data as a scenario, by the loader's rules.

        Raises
        ------
        ConfigError
            When the data breaks a rule of the format; each problem names
            its path in the data (``$.systems[3].department``).
        """
        built = self._built
        if built is not None and not built.dropped:
            return built.scenario  # the strict build of the same data: it left nothing out
        return structure(self.data)

    def salvage(self) -> Lenient:
        """The data as a scenario without the elements that break a rule of
        the format and those that depend on them
        (:func:`~cio_framework.structure_lenient`).

        Raises
        ------
        ConfigError
            When a problem is about no element (a top-level key).
        """
        return self._built if self._built is not None else structure_lenient(self.data)


def loader_problems(data: Mapping[str, Any], place: Place) -> tuple[list[Problem], Lenient | None]:
    """The problems the loader finds with an importer's ``data``, and what it
    built (``None`` when a problem is about no element).

    Every importer gives its data to this function, so that no element is
    left out without a problem saying so: each element that breaks a rule
    of the format, and each that names one left out, is left out by
    :meth:`Imported.salvage` (:func:`~cio_framework.structure_lenient`),
    and each of its problems is an error, located by ``place`` and ending
    with what is left out (``...; system 'mon' is left out``). A problem
    about no element (a top-level key) cannot be resolved so: it is
    located and returned as it is.

    Complexity
    ----------
    What :func:`~cio_framework.structure_lenient` costs, plus ``place``
    for each problem.
    """
    try:
        built = structure_lenient(data)
    except ConfigError as exc:
        return [place(problem) for problem in exc.problems], None
    found = []
    for gone in built.dropped:
        for problem in gone.problems:
            placed = place(problem)
            message = f"{placed.message}; {gone.element} is left out"
            found.append(attrs.evolve(placed, message=message, severity=Severity.ERROR))
    return found, built
