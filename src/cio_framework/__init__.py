"""cio_framework: model a government's CIO system and find its information islands.

The public API in brief:

- :func:`load`, :func:`loads`, :func:`dump`, :func:`dumps` read and write
  scenarios as YAML or JSON; :func:`structure` and :func:`unstructure`
  turn plain data in the file shape into a scenario and back;
  :func:`load_lenient`, :func:`loads_lenient` and
  :func:`structure_lenient` leave out what cannot be read, and say what
  and why;
- :func:`builtin` loads a built-in scenario such as ``"pudong-2016"``;
- :func:`validate` checks a scenario built or changed in Python by the
  loader's rules (every analysis refuses an invalid one with
  :class:`InvalidScenarioError`);
- :func:`check` runs the governance checks, :func:`summarize` describes the
  structure;
- :func:`islands`, :func:`barriers`, :func:`fault_zones`,
  :func:`indicators`, :func:`priorities`, :func:`roadmap` and :func:`agenda`
  analyse the information landscape (:func:`brokers`, betweenness, is the
  one opt-in analysis that is not linear); :func:`whatif` applies a what-if
  variant and :func:`compare_variant` diffs it against the baseline;
  :func:`at_date` gives the scenario at a date (role holders from their
  tenures); :func:`within` gives one jurisdiction of a scenario with nested
  jurisdictions as a scenario of its own;
- :func:`to_networkx` builds graphs of the landscape;
- :func:`output_schema` gives the JSON Schema of each kind of JSON document
  the results' ``to_dict()`` and the command line write
  (:data:`OUTPUT_KINDS`, with their versions);
- :func:`gc_paused` pauses the garbage collector around a big run, an
  explicit opt-in: no library call changes process-wide state by itself;
- :mod:`cio_framework.model` holds the typed model.

Examples
--------
>>> import cio_framework
>>> scenario = cio_framework.builtin("pudong-2016")
>>> sum(d.pilot for d in scenario.departments)
9
>>> cio_framework.check(scenario).ok
True
>>> len(cio_framework.islands(scenario).islands)
3
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Each public name to the module that defines it. ``import cio_framework``
#: imports none of them: each is imported on first use (PEP 562), so that a
#: command or a script pays only for what it uses.
_WHERE: dict[str, str] = {
    "OUTPUT_KINDS": "._contracts",
    "output_schema": "._contracts",
    "gc_paused": "._util",
    "CheckReport": ".analysis",
    "Finding": ".analysis",
    "GovernanceSummary": ".analysis",
    "agenda": ".analysis",
    "at_date": ".analysis",
    "barriers": ".analysis",
    "brokers": ".analysis",
    "check": ".analysis",
    "compare_variant": ".analysis",
    "fault_zones": ".analysis",
    "indicators": ".analysis",
    "islands": ".analysis",
    "priorities": ".analysis",
    "roadmap": ".analysis",
    "single_points_of_failure": ".analysis",
    "summarize": ".analysis",
    "whatif": ".analysis",
    "within": ".analysis",
    "InvalidScenarioError": ".config",
    "Limits": ".config",
    "dump": ".config",
    "dumps": ".config",
    "load": ".config",
    "load_lenient": ".config",
    "loads": ".config",
    "loads_lenient": ".config",
    "structure": ".config",
    "structure_lenient": ".config",
    "unstructure": ".config",
    "validate": ".config",
    "BUILTIN_SCENARIOS": ".data",
    "builtin": ".data",
    "CioFrameworkError": ".exceptions",
    "ConfigError": ".exceptions",
    "Problem": ".exceptions",
    "Severity": ".exceptions",
    "TooLargeError": ".exceptions",
    "UnknownNameError": ".exceptions",
    "to_networkx": ".graph",
    "Scenario": ".model",
}

#: The subpackages that ``cio_framework.<name>`` reaches without importing it first.
_SUBPACKAGES = frozenset({"analysis", "config", "data", "exceptions", "graph", "model"})

if TYPE_CHECKING:  # the same names, for type checkers and editors
    from ._contracts import OUTPUT_KINDS, output_schema
    from ._util import gc_paused
    from .analysis import (
        CheckReport,
        Finding,
        GovernanceSummary,
        agenda,
        at_date,
        barriers,
        brokers,
        check,
        compare_variant,
        fault_zones,
        indicators,
        islands,
        priorities,
        roadmap,
        single_points_of_failure,
        summarize,
        whatif,
        within,
    )
    from .config import (
        InvalidScenarioError,
        Limits,
        dump,
        dumps,
        load,
        load_lenient,
        loads,
        loads_lenient,
        structure,
        structure_lenient,
        unstructure,
        validate,
    )
    from .data import BUILTIN_SCENARIOS, builtin
    from .exceptions import (
        CioFrameworkError,
        ConfigError,
        Problem,
        Severity,
        TooLargeError,
        UnknownNameError,
    )
    from .graph import to_networkx
    from .model import Scenario

__all__ = [
    "BUILTIN_SCENARIOS",
    "OUTPUT_KINDS",
    "CheckReport",
    "CioFrameworkError",
    "ConfigError",
    "Finding",
    "GovernanceSummary",
    "InvalidScenarioError",
    "Limits",
    "Problem",
    "Scenario",
    "Severity",
    "TooLargeError",
    "UnknownNameError",
    "__version__",
    "agenda",
    "at_date",
    "barriers",
    "brokers",
    "builtin",
    "check",
    "compare_variant",
    "dump",
    "dumps",
    "fault_zones",
    "gc_paused",
    "indicators",
    "islands",
    "load",
    "load_lenient",
    "loads",
    "loads_lenient",
    "output_schema",
    "priorities",
    "roadmap",
    "single_points_of_failure",
    "structure",
    "structure_lenient",
    "summarize",
    "to_networkx",
    "unstructure",
    "validate",
    "whatif",
    "within",
]


def __getattr__(name: str) -> Any:
    """Import a public name, or a subpackage, on first use."""
    if name in _SUBPACKAGES:
        return importlib.import_module(f".{name}", __name__)
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_SUBPACKAGES})
