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

__version__ = "0.1.0"

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
