"""cio_framework: model a government's CIO system and check its governance.

The public API in brief:

- :func:`load`, :func:`loads`, :func:`dump`, :func:`dumps` read and write
  scenarios as YAML;
- :func:`builtin` loads a built-in scenario such as ``"pudong-2016"``;
- :func:`check` runs the governance checks, :func:`summarize` describes the
  structure;
- :mod:`cio_framework.model` holds the typed model.

Examples
--------
>>> import cio_framework
>>> scenario = cio_framework.builtin("pudong-2016")
>>> sum(d.pilot for d in scenario.departments)
9
>>> cio_framework.check(scenario).ok
True
"""

from __future__ import annotations

from .analysis import CheckReport, Finding, GovernanceSummary, check, summarize
from .config import dump, dumps, load, loads
from .data import BUILTIN_SCENARIOS, builtin
from .exceptions import CioFrameworkError, ConfigError, Problem, Severity, UnknownNameError
from .model import Scenario

__version__ = "0.1.0"

__all__ = [
    "BUILTIN_SCENARIOS",
    "CheckReport",
    "CioFrameworkError",
    "ConfigError",
    "Finding",
    "GovernanceSummary",
    "Problem",
    "Scenario",
    "Severity",
    "UnknownNameError",
    "__version__",
    "builtin",
    "check",
    "dump",
    "dumps",
    "load",
    "loads",
    "summarize",
]
