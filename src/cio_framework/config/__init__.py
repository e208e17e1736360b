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
from pathlib import Path

from ..model import CHECK_INFO, Scenario
from ._dump import to_yaml, unstructure, write_atomic
from ._load import LoadedScenario, SourceText, build, read_sources
from ._packs import available_packs, pack_text
from ._read import decode, too_big
from ._schema import SCHEMA_ID, json_schema
from ._upgrade import upgrade_text
from ._validate import InvalidScenarioError, mark_checked, require_valid, validate
from ._yaml import DEFAULT_LIMITS, HAVE_LIBYAML, Limits

__all__ = [
    "DEFAULT_LIMITS",
    "HAVE_LIBYAML",
    "SCHEMA_ID",
    "InvalidScenarioError",
    "Limits",
    "LoadedScenario",
    "available_packs",
    "dump",
    "dumps",
    "json_schema",
    "load",
    "load_document",
    "loads",
    "loads_document",
    "pack_text",
    "require_valid",
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
        A YAML file, or a folder whose ``.yaml`` and ``.yml`` files (searched
        recursively, in sorted order) are merged into one scenario.

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
    if isinstance(text, bytes):
        if len(text) > limits.max_bytes:
            return build([], problems=[too_big(name, len(text), limits.max_bytes)])
        decoded, problem = decode(text, name)
        if problem is not None:
            return build([], problems=[problem])
        text = decoded
    if not isinstance(text, str):
        raise TypeError(f"loads() takes str or bytes, not {type(text).__name__}")
    return _checked(
        build([SourceText(name=name, text=text)], known_checks=_known_checks(), limits=limits)
    )


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


def dumps(scenario: Scenario) -> str:
    """Serialise a scenario to YAML text that :func:`loads` reads back equal.

    Examples
    --------
    >>> import cio_framework
    >>> s = cio_framework.loads("cio_framework: 2\\nname: Example\\n")
    >>> print(cio_framework.dumps(s), end="")
    cio_framework: 2
    name: Example
    >>> cio_framework.loads(cio_framework.dumps(s)) == s
    True
    """
    return to_yaml(scenario)


def dump(scenario: Scenario, path: str | os.PathLike[str]) -> None:
    """Write a scenario to a YAML file, atomically.

    The text goes to a temporary file in the same folder that is then renamed
    over ``path``, so an interrupted write never leaves half a scenario.
    """
    write_atomic(Path(path), to_yaml(scenario))
