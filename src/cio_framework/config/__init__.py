"""Reading and writing scenarios as YAML.

The four public functions follow the :mod:`json` and :mod:`tomllib`
convention: :func:`load` and :func:`loads` read, :func:`dump` and
:func:`dumps` write. Reading is safe (no YAML tag constructs an object) and
reports every problem of every file at once in a :class:`~cio_framework.ConfigError`.
:func:`validate` checks a scenario built or changed in Python by the same
rules.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import attrs

from ..exceptions import ConfigError, Problem
from ..model import CHECK_INFO, Scenario
from ._dump import data_to_json, to_json, to_yaml, unstructure, write_atomic
from ._lenient import Dropped, Lenient, salvage
from ._load import LoadedScenario, SourceText, build, read_files, read_sources
from ._packs import available_packs, pack_text
from ._read import decode, too_big
from ._schema import SCHEMA_ID, json_schema
from ._upgrade import upgrade_text
from ._validate import (
    InvalidScenarioError,
    expect_scenario,
    mark_checked,
    require_valid,
    validate,
)
from ._yaml import DEFAULT_LIMITS, HAVE_LIBYAML, Limits

__all__ = [
    "DEFAULT_LIMITS",
    "HAVE_LIBYAML",
    "SCHEMA_ID",
    "Dropped",
    "InvalidScenarioError",
    "Lenient",
    "Limits",
    "LoadedScenario",
    "available_packs",
    "dump",
    "dumps",
    "json_schema",
    "load",
    "load_document",
    "load_lenient",
    "loads",
    "loads_document",
    "loads_lenient",
    "pack_text",
    "require_valid",
    "structure",
    "structure_lenient",
    "unstructure",
    "upgrade_text",
    "validate",
]


def _known_checks() -> tuple[str, ...]:
    return tuple(CHECK_INFO)


def load_document(path: str | os.PathLike[str], *, limits: Limits | None = None) -> LoadedScenario:
    """Load a scenario file or folder, keeping where each element came from.

    Parameters
    ----------
    path
        A YAML or JSON file, or a folder whose ``.yaml`` and ``.yml`` files
        (searched recursively, in sorted order) are merged into one scenario.
    limits
        Bounds on file size, nesting and alias expansion; :class:`Limits`
        documents the defaults.

    Returns
    -------
    LoadedScenario
        The scenario and a map back to file, line and column.

    Raises
    ------
    ConfigError
        With every problem found, each located.
    """
    limits = limits or DEFAULT_LIMITS
    sources, problems = read_sources(path, limits)
    return _checked(build(sources, known_checks=_known_checks(), problems=problems, limits=limits))


def loads_document(
    text: str | bytes, *, name: str | None = None, limits: Limits | None = None
) -> LoadedScenario:
    """Like :func:`load_document`, for a text; ``name`` is used in messages."""
    limits = limits or DEFAULT_LIMITS
    sources, problems = _text_sources(text, name, limits)
    return _checked(build(sources, known_checks=_known_checks(), problems=problems, limits=limits))


def _text_sources(
    text: str | bytes, name: str | None, limits: Limits
) -> tuple[list[SourceText], list[Problem]]:
    """The one source a text is (``bytes`` decoded as UTF-8), or the problem
    that it cannot be read."""
    if isinstance(text, bytes):
        if len(text) > limits.max_bytes:
            return [], [too_big(name, len(text), limits.max_bytes)]
        decoded, problem = decode(text, name)
        if problem is not None:
            return [], [problem]
        text = decoded
    if not isinstance(text, str):
        raise TypeError(f"loads() takes str or bytes, not {type(text).__name__}")
    return [SourceText(name=name, text=text)], []


def _checked(loaded: LoadedScenario) -> LoadedScenario:
    """Mark the loader's scenario as valid, so that no analysis validates it again."""
    mark_checked(loaded.scenario)
    return loaded


def load(path: str | os.PathLike[str], *, limits: Limits | None = None) -> Scenario:
    """Load a scenario from a YAML file or a folder of YAML files.

    Parameters
    ----------
    path
        A file, or a folder whose YAML files are merged; ids must be unique
        across all of them.
    limits
        Bounds on file size, nesting and alias expansion; :class:`Limits`
        documents the defaults.

    Returns
    -------
    Scenario

    Raises
    ------
    ConfigError
        Listing every problem with file, line, column, YAML path and hint.

    Examples
    --------
    >>> import cio_framework
    >>> from cio_framework.data import builtin_path
    >>> s = cio_framework.load(builtin_path("pudong-2016"))
    >>> s.name
    'Pudong New Area government CIO pilot (2016)'
    """
    return load_document(path, limits=limits).scenario


def loads(text: str | bytes, *, name: str | None = None, limits: Limits | None = None) -> Scenario:
    """Load a scenario from YAML text.

    Parameters
    ----------
    text
        The YAML document (``bytes`` are decoded as UTF-8).
    name
        Shown as the file name in problems; ``<string>`` by default.
    limits
        Bounds on size, nesting and alias expansion (see :class:`Limits`).

    Examples
    --------
    >>> import cio_framework
    >>> s = cio_framework.loads('''
    ... cio_framework: 2
    ... name: Example
    ... departments:
    ...   - {id: epb, name: Environmental Protection Bureau, pilot: true}
    ... ''')
    >>> s.departments[0].pilot
    True
    """
    return loads_document(text, name=name, limits=limits).scenario


#: The formats :func:`dumps` writes, and the suffixes :func:`dump` knows them by.
FORMATS = {"yaml": (".yaml", ".yml"), "json": (".json",)}


def structure(data: Any, *, name: str | None = None) -> Scenario:
    """Build a scenario from data in the file shape, by the loader's rules.

    ``data`` is what a scenario file holds: a mapping with the version key
    ``cio_framework``, ``name`` and the collections, of plain dicts, lists,
    strings, numbers, booleans and ``None``; dates may be strings or
    :class:`datetime.date` values. :func:`unstructure` gives it back.

    Parameters
    ----------
    data
        The scenario's data.
    name
        Shown as the file name in problems; none by default.

    Raises
    ------
    ConfigError
        With every problem at once, each located by its path in ``data``
        (``$.systems[3].department``).

    Examples
    --------
    >>> import cio_framework
    >>> s = cio_framework.structure({"cio_framework": 2, "name": "Example",
    ...     "departments": [{"id": "epb", "name": "Environmental Protection Bureau"}]})
    >>> s.departments[0].name
    'Environmental Protection Bureau'
    >>> cio_framework.structure(cio_framework.unstructure(s)) == s
    True
    """
    text = _data_text(data, name)
    try:
        return loads(text, name=name)
    except ConfigError as exc:
        raise ConfigError.from_problems(_unplaced(exc.problems, name)) from None


def _data_text(data: Any, name: str | None) -> str:
    """``data`` as JSON text, or the problem that it is not plain data."""
    try:
        return data_to_json(data)
    except (TypeError, ValueError) as exc:
        problem = Problem(message=f"the data cannot be read: {exc}", code="wrong-type", file=name)
        raise ConfigError.from_problems([problem]) from None


def _unplaced(problems: Iterable[Problem], name: str | None) -> tuple[Problem, ...]:
    """``problems`` found in the JSON text of data, without their lines: the
    text is the library's own, its lines mean nothing to the caller."""
    return tuple(
        attrs.evolve(p, file=name, line=None, column=None, source_line=None) for p in problems
    )


def structure_lenient(data: Any, *, name: str | None = None) -> Lenient:
    """Build a scenario from data in the file shape, leaving out what cannot be read.

    Every element (an item of a collection, such as ``$.systems[3]``) with a
    problem is left out, then every element that names one left out, until
    the rest loads (:func:`load_lenient` reads files so). The result holds
    that scenario, the problems that left each element out (at its path in
    ``data``) and the elements left out, each with its path, what it is and
    why: nothing is lost silently. It costs one structuring of the data for
    each link of the longest chain of dependents left out (a department,
    its systems, their exchanges: three), so O(d (V + E)) for chains ``d``
    long.

    Raises
    ------
    ConfigError
        When a problem is about no element (a top-level key, the version,
        the priority settings): leaving elements out cannot resolve it.

    Examples
    --------
    >>> import cio_framework
    >>> found = cio_framework.structure_lenient({"cio_framework": 2, "name": "Example",
    ...     "departments": [{"id": "epb", "name": "EPB"}, {"id": "bad"}],
    ...     "systems": [{"id": "mon", "name": "Monitoring", "department": "bad"},
    ...                 {"id": "reg", "name": "Registry", "department": "epb"}]})
    >>> [s.id for s in found.scenario.systems]
    ['reg']
    >>> for gone in found.dropped:
    ...     print(gone.path, gone.element, "-", gone.reason)
    $.departments[1] department 'bad' - department is missing the required key 'name' [missing-field]
    $.systems[0] system 'mon' - depends on department 'bad'
    >>> for problem in found.problems:
    ...     print(problem.path, problem.code)
    $.departments[1] missing-field
    $.systems[0].department dangling-reference
    """
    text = _data_text(data, name)
    try:
        found = loads_lenient(text, name=name)
    except ConfigError as exc:
        raise ConfigError.from_problems(_unplaced(exc.problems, name)) from None
    dropped = tuple(
        attrs.evolve(d, file=name, line=None, column=None, problems=_unplaced(d.problems, name))
        for d in found.dropped
    )
    return Lenient(
        scenario=found.scenario, problems=_unplaced(found.problems, name), dropped=dropped
    )


def load_lenient(path: str | os.PathLike[str], *, limits: Limits | None = None) -> Lenient:
    """Load a scenario file or folder, leaving out what cannot be read.

    Every element (an item of a collection, such as a system) with a
    problem of its own is left out, then every element that names one left
    out (the systems of a department left out, their exchanges), until the
    rest loads. Nothing is lost silently: the result holds that scenario,
    every problem, located in the file the element came from, and each
    element left out with its file, line, column and why.

    Parameters
    ----------
    path
        A file, or a folder whose YAML files are merged, as for :func:`load`.
    limits
        Bounds on file size, nesting and alias expansion (see :class:`Limits`).

    Returns
    -------
    Lenient
        ``scenario``, ``problems``, ``dropped``
        (:class:`~cio_framework.config.Dropped`) and
        ``document`` (where each element kept came from).

    Raises
    ------
    ConfigError
        When a problem is about no element (a file that cannot be read, a
        YAML syntax error, the version, a top-level key): leaving elements
        out cannot resolve it. It lists every problem, as :func:`load`'s.

    Notes
    -----
    The files are read and parsed once; each round structures what is
    kept, O(V + E), and removes the next link of the chains of dependents,
    so O(d (V + E)) for chains at most ``d`` long.

    Examples
    --------
    >>> import cio_framework, pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.yaml").write_text(
    ...     "cio_framework: 2\\nname: City\\ndepartments:\\n"
    ...     "  - {id: epb, name: EPB}\\n  - {id: bad}\\n")
    >>> _ = (folder / "b.yaml").write_text(
    ...     "cio_framework: 2\\nsystems:\\n"
    ...     "  - {id: reg, name: Registry, department: epb}\\n"
    ...     "  - {id: mon, name: Monitoring, department: bad}\\n")
    >>> found = cio_framework.load_lenient(folder)
    >>> [s.id for s in found.scenario.systems]
    ['reg']
    >>> for gone in found.dropped:
    ...     print(pathlib.Path(gone.file).name, gone.line, gone.column, gone.element, gone.reason)
    a.yaml 5 5 department 'bad' department is missing the required key 'name' [missing-field]
    b.yaml 4 5 system 'mon' depends on department 'bad'
    """
    limits = limits or DEFAULT_LIMITS
    sources, problems = read_sources(path, limits)
    return _lenient(sources, problems, limits)


def loads_lenient(
    text: str | bytes, *, name: str | None = None, limits: Limits | None = None
) -> Lenient:
    """Like :func:`load_lenient`, for YAML text; ``name`` is used in messages.

    Examples
    --------
    >>> import cio_framework
    >>> found = cio_framework.loads_lenient('''
    ... cio_framework: 2
    ... name: Example
    ... platforms:
    ...   - {id: hub, name: Hub}
    ... systems:
    ...   - {id: mon, name: Monitoring, department: nowhere}
    ... exchanges:
    ...   - {from: mon, to: hub}
    ... ''', name="city.yaml")
    >>> for gone in found.dropped:
    ...     print(gone)
    city.yaml:7:5: left out: system 'mon': unknown department 'nowhere' [dangling-reference]
    city.yaml:9:5: left out: exchange $.exchanges[0]: depends on system 'mon'
    """
    limits = limits or DEFAULT_LIMITS
    sources, problems = _text_sources(text, name, limits)
    return _lenient(sources, problems, limits)


def _lenient(sources: list[SourceText], problems: list[Problem], limits: Limits) -> Lenient:
    files = read_files(sources, problems, limits)
    found = salvage(files, known_checks=_known_checks(), limits=limits)
    mark_checked(found.scenario)
    return found


def dumps(scenario: Scenario, *, format: Literal["yaml", "json"] = "yaml") -> str:
    """Serialise a scenario to YAML or JSON text that :func:`loads` reads back equal.

    JSON is much the quicker to write and to read back; YAML the easier to
    read and edit.

    Examples
    --------
    >>> import cio_framework
    >>> s = cio_framework.loads("cio_framework: 2\\nname: Example\\n")
    >>> print(cio_framework.dumps(s), end="")
    cio_framework: 2
    name: Example
    >>> print(cio_framework.dumps(s, format="json"), end="")
    {
     "cio_framework": 2,
     "name": "Example"
    }
    >>> cio_framework.loads(cio_framework.dumps(s, format="json")) == s
    True
    """
    expect_scenario(scenario)
    if format == "json":
        return to_json(scenario)
    if format == "yaml":
        return to_yaml(scenario)
    raise ValueError(f"unknown format {format!r}; use 'yaml' or 'json'")


def dump(
    scenario: Scenario,
    path: str | os.PathLike[str],
    *,
    format: Literal["yaml", "json"] | None = None,
) -> None:
    """Write a scenario to a YAML or JSON file, atomically.

    The format is ``format``, else chosen by the file's suffix: ``.json`` is
    JSON, anything else YAML. The text goes to a temporary file in the same
    folder that is then renamed over ``path``, so an interrupted write never
    leaves half a scenario.
    """
    if format is None:
        format = "json" if Path(path).suffix.lower() in FORMATS["json"] else "yaml"
    write_atomic(Path(path), dumps(scenario, format=format))
