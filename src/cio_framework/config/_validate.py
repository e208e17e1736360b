"""Checking a scenario built in Python by the loader's own rules.

A scenario built with ``Scenario(...)`` or changed with ``attrs.evolve``
has been through the model's constructors only: they check the form of an
element's own id and a few bounds, not references, uniqueness or types.
:func:`validate` writes the scenario out as the plain data a YAML file
would hold (:func:`~._dump.scenario_to_plain`) and runs that data through
the careful loader (:mod:`._load`, :mod:`._structure`), so there is one
statement of every rule. Problems are located by path
(``$.systems[3].department``), not by file and line.

The marker
----------
The loader's scenarios, and those :func:`validate` passes, are *marked* as
checked: their ``id()`` is kept in :data:`_CHECKED` with a weak reference,
whose callback drops the entry when the scenario is freed, so the registry
holds only live scenarios. A mark is never carried over: ``attrs.evolve``
and ``Scenario(...)`` make new objects, which start unmarked. Nothing is
hashed (hashing a scenario hashes every element of it).

:func:`require_valid` is the guard every public analysis calls first: a
marked scenario costs one dictionary lookup, an unmarked one is validated
once and then marked, or refused with :class:`InvalidScenarioError`.
"""

from __future__ import annotations

import enum
import weakref
from typing import Any

import attrs

from ..exceptions import ConfigError, Problem
from ..model import CHECK_INFO, Scenario
from ._dump import scenario_to_plain
from ._fast import Refs
from ._load import _check_version, _collect_ids, _structure_all
from ._plan import plan_of
from ._structure import describe_value, format_path
from ._yaml import DEFAULT_LIMITS, Draft, Path

__all__ = ["InvalidScenarioError", "is_checked", "mark_checked", "require_valid", "validate"]


#: Problems that ``str()`` of an :class:`InvalidScenarioError` shows; all
#: of them are in its ``problems``.
SHOWN_PROBLEMS = 100


class InvalidScenarioError(ConfigError):
    """A scenario built or changed in Python breaks the rules of the format.

    Raised by every analysis given such a scenario (see
    :func:`cio_framework.validate`). It is a
    :class:`~cio_framework.ConfigError`, and so a :class:`ValueError`:
    ``problems`` holds the problems the loader reports for the
    scenario's YAML, each located by its path (``$.systems[3].department``)
    instead of by file and line. ``str()`` shows one line per problem, for
    the first 100 of them, and counts the rest.

    Examples
    --------
    >>> err = InvalidScenarioError([Problem(message="unknown department 'epd'",
    ...     code="dangling-reference", path="$.systems[0].department",
    ...     hint="did you mean 'epb'?")])
    >>> print(err)
    1 problem in a scenario built in Python
    $.systems[0].department: error: unknown department 'epd' [dangling-reference] (did you mean 'epb'?)
    """

    def __str__(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in a scenario built in Python"
        lines = [head, *(_line(p) for p in self.problems[:SHOWN_PROBLEMS])]
        if count > SHOWN_PROBLEMS:
            lines.append(f"... and {count - SHOWN_PROBLEMS:,} more (all are in .problems)")
        return "\n".join(lines)


def _line(problem: Problem) -> str:
    text = f"{problem.path}: {problem.severity.value}: {problem.message} [{problem.code}]"
    return f"{text} ({problem.hint})" if problem.hint else text


class _Mark(weakref.ref[Scenario]):
    """A weak reference to a valid scenario that knows its registry key."""

    __slots__ = ("key",)

    key: int


#: ``id(scenario)`` to a weak reference to it, for the live scenarios known
#: to be valid. An entry goes when its scenario is freed.
_CHECKED: dict[int, _Mark] = {}


def _forget(mark: _Mark) -> None:
    """The weak reference's callback: its scenario is being freed.

    The address cannot be reused before the callback returns, so the entry
    is the scenario's own unless it was marked again since.
    """
    if _CHECKED.get(mark.key) is mark:
        _CHECKED.pop(mark.key, None)


def mark_checked(scenario: Scenario) -> None:
    """Record that ``scenario``, this very object, is valid.

    For the loader's scenarios and those :func:`validate` passes; a private
    helper of the library, not a way to skip validation.
    """
    mark = _Mark(scenario, _forget)
    mark.key = id(scenario)
    _CHECKED[mark.key] = mark


def is_checked(scenario: object) -> bool:
    """Whether ``scenario`` itself, this very object, is marked as valid."""
    ref = _CHECKED.get(id(scenario))
    return ref is not None and ref() is scenario


def validate(scenario: Scenario) -> tuple[Problem, ...]:
    """Every problem of a scenario by the rules of the format, located by path.

    A scenario built with ``Scenario(...)`` or changed with
    ``attrs.evolve`` has not been through the loader. ``validate``
    checks it by the loader's own rules: ids unique across the scenario and
    well formed, every reference naming an element of the right kind, every
    value of the right type and within its bounds. It finds exactly what
    ``loads(dumps(scenario))`` would report, with paths instead of lines,
    and also a value of a type the loader would not build (the text
    ``"retired"`` where the model has ``SystemStatus.RETIRED``).

    Every public analysis validates a scenario it has not seen before and
    raises :class:`InvalidScenarioError` on a problem; a valid scenario is
    remembered (by identity, as long as it lives), so it is validated once.
    Scenarios from the loader are known to be valid and never validated
    again.

    Parameters
    ----------
    scenario
        The scenario to check.

    Returns
    -------
    tuple of Problem
        Empty when the scenario is valid. Each problem has ``path``,
        ``code``, ``message`` and usually a ``hint``; ``file`` and ``line``
        are ``None``.

    Notes
    -----
    O((V + E) log V) time for a scenario of V elements and E references,
    about the time of loading it without the YAML parsing; constant time for
    a scenario already known to be valid.

    Examples
    --------
    >>> import attrs, cio_framework
    >>> from cio_framework.model import Exchange
    >>> base = cio_framework.builtin("pudong-2016")
    >>> cio_framework.validate(base)
    ()
    >>> broken = attrs.evolve(base, exchanges=[*base.exchanges,
    ...                                         Exchange(from_="epb-monitoring", to="nowhere")])
    >>> for problem in cio_framework.validate(broken):
    ...     print(problem.path, problem.code, problem.message)
    $.exchanges[11].to dangling-reference unknown system or platform 'nowhere'
    """
    expect_scenario(scenario)
    if is_checked(scenario):
        return ()
    problems = _problems(scenario)
    if not problems:
        mark_checked(scenario)
    return problems


def expect_scenario(value: object) -> None:
    """Raise :class:`TypeError` when ``value`` is not a
    :class:`~cio_framework.model.Scenario` (a dict, a path, ``None``).

    Examples
    --------
    >>> expect_scenario({"name": "x"})
    Traceback (most recent call last):
    ...
    TypeError: expected a Scenario (from cio_framework.load, loads, structure or builtin), not dict
    """
    if not isinstance(value, Scenario):
        raise TypeError(
            "expected a Scenario (from cio_framework.load, loads, structure or builtin), "
            f"not {type(value).__name__}"
        )


def require_valid(scenario: Scenario) -> None:
    """Raise :class:`InvalidScenarioError` unless ``scenario`` is valid.

    The guard at the entry of every public analysis: constant time for a
    scenario that is marked, one validation otherwise.
    """
    if is_checked(scenario):
        return
    problems = validate(scenario)
    if problems:
        raise InvalidScenarioError(problems)


def _problems(scenario: Scenario) -> tuple[Problem, ...]:
    plain = scenario_to_plain(scenario)
    datas: dict[int, dict[Any, Any]] = {0: plain}
    drafts: list[tuple[int, Draft]] = []
    _check_version(plain, 0, drafts)
    named: dict[str, list[str]] = {}
    ids = _collect_ids(datas, drafts, named)
    merged, _ = _structure_all(
        datas,
        ids,
        tuple(CHECK_INFO),
        drafts,
        max_depth=DEFAULT_LIMITS.max_depth,
        refs=Refs(named),
    )
    if drafts:
        return tuple(_problem(draft) for _, draft in drafts)
    return tuple(_differences(scenario, Scenario(**merged)))


def _problem(draft: Draft) -> Problem:
    message = draft.message
    if draft.related is not None:
        file_index, path = draft.related
        message = message.replace(
            "{related}", format_path(path) if file_index >= 0 else "<built-in>"
        )
    return Problem(
        message=message,
        code=draft.code,
        path=format_path(draft.path or ()),
        hint=draft.hint,
        expected=draft.expected,
        got=draft.got,
    )


def _differences(scenario: Scenario, rebuilt: Scenario) -> list[Problem]:
    """Where ``scenario`` holds a value the loader would build differently:
    a string where the model has an enumeration, a list where it has a tuple
    of elements."""
    if rebuilt == scenario:
        return []
    found: list[Problem] = []
    _diff(scenario, rebuilt, (), found)
    return found


def _diff(value: Any, wanted: Any, path: Path, found: list[Problem]) -> None:
    if value == wanted:
        return
    if attrs.has(type(wanted)) and type(value) is type(wanted):
        for plan in plan_of(type(wanted)):
            name = plan.name
            _diff(getattr(value, name), getattr(wanted, name), (*path, plan.key), found)
        return
    if isinstance(wanted, tuple) and isinstance(value, tuple) and len(value) == len(wanted):
        for index, (item, want) in enumerate(zip(value, wanted, strict=True)):
            _diff(item, want, (*path, index), found)
        return
    what = f"'{path[-1]}'" if path and isinstance(path[-1], str) else "this item"
    if isinstance(value, str) and isinstance(wanted, str):  # a reference, normalised
        found.append(
            Problem(
                message=f"{what} names an id in another Unicode form than NFC",
                code="bad-value",
                path=format_path(path),
                hint=f"write {wanted!r}, the form the id takes",
            )
        )
        return
    expected = type(wanted).__name__
    hint = f"write {expected}.{wanted.name}" if isinstance(wanted, enum.Enum) else None
    found.append(
        Problem(
            message=f"{what} must be a {expected}, not {describe_value(value)}",
            code="wrong-type",
            path=format_path(path),
            expected=expected,
            got=describe_value(value),
            hint=hint,
        )
    )
