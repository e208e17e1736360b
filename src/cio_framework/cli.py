"""The ``cio-framework`` command line: a thin layer over the library.

Exit codes: 0 success (a valid scenario), 1 an invalid scenario or failing
checks, 2 a usage error (bad arguments, a path that does not exist, an output
file that cannot or must not be written, such as the scenario itself, or a
standard output that is closed or full), 70 an internal error (a bug in
cio_framework, or out of memory), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import io
import itertools
import json
import math
import operator
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, NoReturn, cast

import attrs

from . import __version__
from ._contracts import OUTPUT_KINDS, document, output_schema
from ._escape import json_safe, markdown, one_line, visible
from ._progress import progress
from ._util import counted as _count
from ._util import gc_paused
from .analysis import (
    CHECKS,
    CheckReport,
    Evidence,
    Finding,
    WhatIfError,
    agenda,
    assess_candidates,
    at_date,
    check,
    compare_jurisdictions,
    compare_variant,
    islands,
    priorities,
    roadmap,
    sourced_only,
    whatif,
    within,
)
from .analysis.centrality import EXACT_DENSITY, EXACT_LIMIT, brokers
from .analysis.diff import diff
from .analysis.jurisdictions import MEASURES, SHARE_MEASURES
from .analysis.priorities import Integration
from .analysis.selection import CandidateScore
from .config import (
    DEFAULT_LIMITS,
    Lenient,
    LoadedScenario,
    available_packs,
    dumps,
    json_schema,
    load_document,
    load_lenient,
    loads_document,
    loads_lenient,
    pack_text,
    upgrade_text,
)
from .config._dump import OutputRefusedError, refuse_inputs, write_atomic
from .config._load import SourceText, build
from .config._read import read_stream, too_big
from .config._structure import SINGULAR
from .data import BUILTIN_SCENARIOS, builtin_path, builtin_text
from .exceptions import (
    CioFrameworkError,
    ConfigError,
    Severity,
    TooLargeError,
    UnknownNameError,
    location,
)
from .export import EXPORT_FORMATS, export_graph
from .graph import VIEWS
from .interop import Imported
from .interop._carried import CARRIED, left_out
from .model import FORMAT_VERSION, Scenario
from .model.landscape import MAX_AMOUNT
from .report import FORMATS, Locate, render_problems, render_report, titled
from .report.diff import DIFF_FORMATS, render_diff
from .synth import SHAPES as SYNTH_SHAPES
from .synth import synth_text

__all__ = [
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "build_parser",
    "main",
    "run",
]

#: What ``export`` writes besides the graph: the whole scenario, in another format.
SCENARIO_EXPORTS = ("csv", "xlsx", "backstage", "archimate")
#: What ``import`` reads.
IMPORT_KINDS = ("tables", "backstage", "archimate")

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
#: A bug (``EX_SOFTWARE`` of sysexits.h), or out of memory: never 1, which
#: means an invalid scenario.
EXIT_INTERNAL = 70
#: Interrupted by Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130
#: Standard output's reader went away before the command finished writing
#: (128 + SIGPIPE, as shells report a command the broken pipe stopped): the
#: command's own result is unknown, so it is never 0.
EXIT_BROKEN_PIPE = 141
#: Set this environment variable to see an internal error's traceback too.
TRACEBACK_VARIABLE = "CIO_FRAMEWORK_TRACEBACK"
#: Names a built-in scenario even where a file of the same name exists.
BUILTIN_PREFIX = "builtin:"
#: A PATH that reads the scenario from standard input, and its name in problems.
STDIN_PATH = "-"
STDIN_NAME = "<stdin>"
#: The values of ``--evidence``: every element, or the sourced ones only.
EVIDENCE_CHOICES = ("all", "sourced")


class UsageError(CioFrameworkError):
    """Bad command-line usage; becomes exit code 2.

    ``usage`` is the command's usage text, printed on the lines after the
    message (the message alone is made one line).
    """

    def __init__(self, message: str, usage: str = "") -> None:
        super().__init__(message)
        self.usage = usage


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: error: {message}", self.format_usage().strip())


def _evidence_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--evidence",
        choices=EVIDENCE_CHOICES,
        default="all",
        help="'sourced' computes on sourced elements only, leaving out what is illustrative, "
        "inferred or unsourced (default: all)",
    )


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else _bad_date(text)
    except ValueError:
        return _bad_date(text)


def _bad_date(text: str) -> NoReturn:
    raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD")


def _as_of_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--as-of",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the scenario as it stood on that date: role holders from their tenures, "
        "meetings and scorecards after it left out",
    )


def _jurisdiction_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--jurisdiction",
        default=None,
        metavar="ID",
        help="compute within one jurisdiction of a scenario with nested jurisdictions: its "
        "own departments, roles, bodies, platforms and what depends on them",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``cio-framework``."""
    parser = _Parser(
        prog="cio-framework",
        description="Model a government CIO system and check its governance.",
        epilog="PATH is a scenario file or folder, a built-in scenario by name "
        f"({', '.join(BUILTIN_SCENARIOS)}; write {BUILTIN_PREFIX}NAME when a file of that "
        f"name exists here), or {STDIN_PATH} for standard input.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    validate = commands.add_parser(
        "validate",
        help="check scenario files and report every problem",
        description="Validate scenarios (files, folders or built-in names). Exit 0 if valid, "
        "1 if invalid (with --lenient too), 2 on a usage error.",
    )
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.add_argument(
        "--strict", action="store_true", help="treat governance warnings as failures too"
    )
    validate.add_argument(
        "--no-checks", action="store_true", help="validate the format only, skip governance checks"
    )
    validate.add_argument(
        "--lenient",
        action="store_true",
        help="also show what lenient loading would leave out: each element with a problem and "
        "each that names one left out, located, with why (governance checks run only on a "
        "scenario that loads whole)",
    )

    report = commands.add_parser(
        "report",
        help="print the governance summary and checks",
        description="Print the governance report of a scenario (the built-in "
        f"{BUILTIN_SCENARIOS[0]!r} by default).",
    )
    report.add_argument(
        "path", nargs="?", default=BUILTIN_PREFIX + BUILTIN_SCENARIOS[0], metavar="PATH"
    )
    report.add_argument("--format", choices=FORMATS, default="text")
    _evidence_option(report)
    _as_of_option(report)
    _jurisdiction_option(report)
    report.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of stdout (- is stdout)"
    )

    example = commands.add_parser(
        "example",
        help="print a built-in scenario's (or reference pack's) YAML as a starting point",
        description="Print the YAML of a built-in scenario or of a reference pack.",
    )
    example.add_argument("name", nargs="?", default=BUILTIN_SCENARIOS[0], metavar="NAME")
    example.add_argument("--list", action="store_true", help="list the built-in scenarios")
    example.add_argument(
        "--packs", action="store_true", help="list the reference packs scenarios can use"
    )

    islands_cmd = commands.add_parser(
        "islands",
        help="find the information islands of a scenario's landscape",
        description="Groups of systems connected by live exchanges, and which of them are "
        "islands (reach no shared platform).",
    )
    islands_cmd.add_argument("path", metavar="PATH")
    islands_cmd.add_argument("--format", choices=("text", "json"), default="text")
    _evidence_option(islands_cmd)
    _as_of_option(islands_cmd)
    _jurisdiction_option(islands_cmd)

    brokers_cmd = commands.add_parser(
        "brokers",
        help="rank systems and platforms by betweenness (opt-in: not linear)",
        description="Systems and platforms that most shortest exchange paths run through. "
        "Exact betweenness costs time in nodes x (nodes + links): it is refused above "
        f"{EXACT_LIMIT:,} nodes, or fewer in a network of more than {EXACT_DENSITY} links a "
        "node, unless --exact is given; --sample K estimates it from K source nodes instead.",
    )
    brokers_cmd.add_argument("path", metavar="PATH")
    brokers_cmd.add_argument(
        "--sample", type=_positive_int, default=None, metavar="K", help="estimate from K sources"
    )
    brokers_cmd.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")
    brokers_cmd.add_argument(
        "--exact", action="store_true", help="compute exactly even above the limit"
    )
    brokers_cmd.add_argument(
        "--top", type=_positive_int, default=20, metavar="N", help="keep the N highest (default 20)"
    )
    brokers_cmd.add_argument("--format", choices=("text", "json"), default="text")

    ranked = commands.add_parser(
        "priorities",
        help="rank integrations, or plan them under a budget",
        description="Rank candidate integrations, best first, each with its factors, "
        "explanation and accountable CIOs. With --budget, pick a roadmap greedily "
        "within the budget, re-scoring after each pick.",
    )
    ranked.add_argument("path", metavar="PATH")
    ranked.add_argument("--top", type=_positive_int, default=None, metavar="N")
    ranked.add_argument("--budget", type=_non_negative_float, default=None, metavar="X")
    ranked.add_argument("--format", choices=("text", "json"), default="text")
    _evidence_option(ranked)
    _as_of_option(ranked)
    _jurisdiction_option(ranked)

    whatif = commands.add_parser(
        "whatif",
        help="apply a what-if variant and compare it with the baseline",
        description="Apply one of the scenario's what-if variants (under 'scenarios:') and "
        "show how islands, barriers, indicators and priorities change.",
    )
    whatif.add_argument("path", metavar="PATH")
    whatif.add_argument("whatif", metavar="SCENARIO_ID")
    whatif.add_argument("--format", choices=("text", "json"), default="text")

    agenda_cmd = commands.add_parser(
        "agenda",
        help="propose the major issues of the next regular CIO meeting",
        description="Propose one or two major issues for the next regular CIO meeting from "
        "failing checks and the top integration priorities.",
    )
    agenda_cmd.add_argument("path", metavar="PATH")
    agenda_cmd.add_argument("--format", choices=("text", "json"), default="text")
    agenda_cmd.add_argument(
        "--body",
        default=None,
        metavar="ID",
        help="the body whose meeting it is; by default the top regular meeting. Each issue "
        "goes to the regular meeting of its jurisdiction, or of the nearest one above it",
    )
    _evidence_option(agenda_cmd)
    _as_of_option(agenda_cmd)

    compare_cmd = commands.add_parser(
        "compare",
        help="compare the CIO structures of several scenarios side by side",
        description="Profile two or more scenarios (files, folders or built-in names) side by "
        "side: levels, roles per level, span of control, reporting depth, concurrent posts, "
        "committees, RACI coverage, selection weights, failing checks and landscape indicators. "
        "Given one scenario with nested jurisdictions, compare its jurisdictions.",
    )
    compare_cmd.add_argument("paths", nargs="+", metavar="PATH")
    compare_cmd.add_argument("--format", choices=("text", "markdown", "json"), default="text")

    export_cmd = commands.add_parser(
        "export",
        help="export the landscape graph (GraphML, GEXF, JSON, DOT) or the scenario "
        "(CSV, XLSX, Backstage, ArchiMate)",
        description="Write the landscape graph for Gephi and yEd (graphml), Gephi (gexf), for "
        "JavaScript tools (json, networkx node-link) or for Graphviz (dot); or the whole "
        "scenario as tables (csv: a new folder of CSV files; xlsx: a workbook), as a Backstage "
        "catalogue (backstage: a new folder) or as an ArchiMate exchange-format model "
        "(archimate). Folders and workbooks need -o.",
    )
    export_cmd.add_argument("path", metavar="PATH")
    export_cmd.add_argument(
        "--format", choices=EXPORT_FORMATS + SCENARIO_EXPORTS, default="graphml"
    )
    export_cmd.add_argument("--view", choices=VIEWS, default="systems")
    export_cmd.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="write to OUT instead of stdout (- is stdout); a new folder for csv and backstage",
    )

    diff_cmd = commands.add_parser(
        "diff",
        help="what changed between two versions of a scenario, and in its analyses",
        description="Compare two versions of a scenario: the elements added, removed and "
        "changed (field by field), the islands closed, split, merged and new, the barriers "
        "and fault zones resolved and new, the priorities that entered, left or moved, and "
        "the indicators. Exit code 0 when nothing differs, 1 when something does, 2 on "
        "trouble, as diff(1).",
    )
    diff_cmd.add_argument("old", metavar="OLD")
    diff_cmd.add_argument("new", metavar="NEW")
    diff_cmd.add_argument("--format", choices=DIFF_FORMATS, default="text")

    import_cmd = commands.add_parser(
        "import",
        help="make a scenario from tables, a Backstage catalogue or an ArchiMate model",
        description="Read a folder of CSV files or an XLSX workbook (tables), Backstage "
        "catalogue files and the Locations they name (backstage), or an ArchiMate Open "
        "Exchange Format file (archimate), and write the scenario as YAML, or as JSON to a "
        ".json file or with --format json. Every problem is reported with its file and "
        "place; when any is an error, nothing is written (exit code 1), unless --lenient "
        "leaves out what has errors and what depends on it.",
    )
    import_cmd.add_argument("kind", choices=IMPORT_KINDS)
    import_cmd.add_argument("paths", nargs="+", metavar="PATH")
    import_cmd.add_argument("--name", help="the scenario's name, when the input gives none")
    import_cmd.add_argument(
        "--lenient",
        action="store_true",
        help="on errors, write the scenario without what has them and what depends on it",
    )
    import_cmd.add_argument(
        "--format", choices=("yaml", "json"), default=None, help="yaml unless -o ends in .json"
    )
    import_cmd.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of stdout (- is stdout)"
    )

    assess_cmd = commands.add_parser(
        "candidates",
        help="rank candidates for CIO roles against the weighted criteria",
        description="Rank each role's candidates by weighted criteria, show each criterion's "
        "contribution, flag missing evidence and the smallest weight change that swaps the top two.",
    )
    assess_cmd.add_argument("path", metavar="PATH")
    assess_cmd.add_argument("--role", metavar="ROLE_ID")
    assess_cmd.add_argument(
        "--top", type=_positive_int, default=None, metavar="N", help="keep each role's N best"
    )
    assess_cmd.add_argument("--format", choices=("text", "json"), default="text")

    synth = commands.add_parser(
        "synth",
        help="write a synthetic scenario of any size (for benchmarks and stress tests)",
        description="Write a valid, realistic synthetic scenario: departments of uneven size, "
        "platforms, exchanges with a heavy-tailed degree distribution, isolated systems, "
        "point-to-point links, resources, demands and matters; --shape picks another shape "
        "of landscape. The same seed gives the same file.",
    )
    synth.add_argument("--systems", type=_positive_int, required=True, metavar="N")
    synth.add_argument("--seed", type=int, default=0, metavar="S")
    synth.add_argument("--exchanges-per-system", type=_positive_int, default=10, metavar="K")
    synth.add_argument(
        "--shape",
        choices=SYNTH_SHAPES,
        default="synth",
        metavar="SHAPE",
        help="synth (default); small-departments: many departments of 2 to 5 systems, few "
        "platforms; dominant-island: 90%% of the systems in one island; demand-heavy: 3 "
        "demands and 1 resource per system",
    )
    synth.add_argument(
        "--format",
        choices=("yaml", "json"),
        default=None,
        help="default: json when FILE ends in .json, else yaml",
    )
    synth.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of stdout (- is stdout)"
    )

    schema_cmd = commands.add_parser(
        "schema",
        help="print the JSON Schema of the scenario format or of a JSON output",
        description="Print the JSON Schema (draft 2020-12) of a scenario file (generated from "
        "the model, for editors such as yaml-language-server) or of one kind of JSON document "
        "the commands print: every such document starts with its 'kind' and 'version'.",
    )
    schema_cmd.add_argument(
        "kind",
        nargs="?",
        default="scenario",
        choices=("scenario", *OUTPUT_KINDS),
        metavar="KIND",
        help="scenario (the default), or the kind of output: " + ", ".join(OUTPUT_KINDS),
    )
    schema_cmd.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of stdout (- is stdout)"
    )

    upgrade = commands.add_parser(
        "upgrade",
        help="rewrite a scenario file or folder to the current format version",
        description=f"Rewrite a scenario to format version {FORMAT_VERSION}: only the number "
        "after 'cio_framework:' changes in each file, so comments and layout stay. The "
        "upgraded scenario is checked to equal the original before anything is written. A "
        "file goes to standard output or to -o FILE; a folder needs -o NEW_FOLDER, which is "
        "created. The input is never rewritten.",
    )
    upgrade.add_argument("path", metavar="PATH")
    upgrade.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="write to OUT: a file (- is stdout), or for a folder a new folder",
    )

    checks = commands.add_parser(
        "checks",
        help="list the governance checks",
        description="List every governance check with its id and default severity.",
    )
    checks.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _shorten(items: Sequence[str], most: int) -> str:
    """Join ``items``, naming at most ``most`` and counting the rest."""
    if len(items) <= most:
        return ", ".join(items)
    return ", ".join(items[:most]) + f" and {len(items) - most:,} more"


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a finite number, 0 or more")
    if value > MAX_AMOUNT:
        raise argparse.ArgumentTypeError(f"{text!r} must be at most 2**53 ({MAX_AMOUNT:,.0f})")
    return value


def _resolve(path: str) -> str | None:
    """The file or folder a PATH argument names; ``None`` for standard input.

    A bare built-in name that is also a file or folder here is refused as
    ambiguous: ``./NAME`` names the file, ``builtin:NAME`` the built-in.
    """
    if path == STDIN_PATH:
        return None
    name = path.removeprefix(BUILTIN_PREFIX)
    if name != path or path in BUILTIN_SCENARIOS:
        if name not in BUILTIN_SCENARIOS:
            raise UsageError(
                f"cio-framework: error: no built-in scenario '{one_line(name)}'{_known()}"
            )
        if name == path and os.path.lexists(path):
            raise UsageError(
                f"cio-framework: error: {path!r} names both a file here and a built-in scenario; "
                f"write ./{path} for the file or {BUILTIN_PREFIX}{path} for the built-in"
            )
        return os.fspath(builtin_path(name))
    if not os.path.lexists(path):
        raise UsageError(
            f"cio-framework: error: no such file or directory: {one_line(path)}{_known()}"
        )
    return path


def _known() -> str:
    return f"; built-in scenarios: {', '.join(BUILTIN_SCENARIOS)}"


def _load(path: str) -> LoadedScenario:
    resolved = _resolve(path)
    if resolved is None:
        return _load_stdin(DEFAULT_LIMITS.max_bytes)
    return load_document(resolved)


def _load_stdin(max_bytes: int) -> LoadedScenario:
    """The scenario on standard input, of at most ``max_bytes`` bytes."""
    return loads_document(_stdin_bytes(max_bytes), name=STDIN_NAME)


def _stdin_bytes(max_bytes: int) -> bytes:
    """Standard input, of at most ``max_bytes`` bytes."""
    if sys.stdin is None:
        raise UsageError("cio-framework: error: standard input is closed; name a file instead of -")
    data = read_stream(sys.stdin.buffer, max_bytes)
    if len(data) > max_bytes:
        raise ConfigError([too_big(STDIN_NAME, None, max_bytes)])
    return data


def _load_lenient(path: str) -> Lenient:
    """The scenario at ``path`` without what cannot be read (:func:`load_lenient`)."""
    resolved = _resolve(path)
    if resolved is None:
        data = _stdin_bytes(DEFAULT_LIMITS.max_bytes)
        return loads_lenient(data, name=STDIN_NAME)
    return load_lenient(resolved)


def _locator(loaded: LoadedScenario) -> Locate:
    return functools.partial(_finding_place, loaded)


def _finding_place(
    loaded: LoadedScenario, finding: Finding
) -> tuple[str | None, int | None, int | None, str]:
    """``(file, line, column, path)`` of the element a finding is placed
    at; the first file and ``$`` when it names none."""
    if finding.collection is None or finding.index is None:
        return _first_file(loaded), None, None, "$"
    return loaded.locate(finding.collection, finding.index)


def _first_file(loaded: LoadedScenario) -> str | None:
    """Where a finding that names no element is placed: the first file."""
    return loaded.sources[0].name if loaded.sources else None


def _finding_positions(
    loaded: LoadedScenario, findings: Sequence[Finding]
) -> list[tuple[str | None, int | None, int | None]]:
    """``(file, line, column)`` of each finding, as :func:`_finding_place`
    places it (without its path); each run of findings placed in one
    collection is placed together."""
    found: list[tuple[str | None, int | None, int | None]] = []
    for collection, group in itertools.groupby(findings, key=_COLLECTION):
        run = list(group)
        indices = list(map(_INDEX, run))
        if collection is None or None in indices:
            found.extend(_finding_place(loaded, finding)[:3] for finding in run)
        else:
            found.extend(loaded.positions(collection, indices))
    return found


_COLLECTION = operator.attrgetter("collection")
_INDEX = operator.attrgetter("index")


def _finding_lines(loaded: LoadedScenario, findings: Sequence[Finding]) -> str:
    """``file:line:column: severity: message [check]`` of each finding, a line each."""
    lines = []
    for finding, (file, line, column) in zip(
        findings, _finding_positions(loaded, findings), strict=True
    ):
        where = file or "<string>"
        if line is not None:
            where = f"{where}:{line}" if column is None else f"{where}:{line}:{column}"
        lines.append(f"{where}: {finding.severity._value_}: {finding.message} [{finding.check}]")
    text = "\n".join(lines)
    # a line break that standard output would keep inside a finding (rare);
    # the other breaks are controls it shows as escapes
    if text.count("\n") != len(lines) - 1 or "\u2028" in text or "\u2029" in text:
        text = "\n".join(map(one_line, lines))  # cannot forge a line of its own
    return text + "\n" if lines else ""


def _finding_record(loaded: LoadedScenario, finding: Finding) -> dict[str, object]:
    """A finding as ``validate --format json`` lists it, beside the problems."""
    file, line, column, yaml_path = _finding_place(loaded, finding)
    return {
        "file": file,
        "line": line,
        "column": column,
        "path": yaml_path,
        "severity": finding.severity.value,
        "code": finding.check,
        "message": finding.message,
        "hint": None,
        "expected": None,
        "got": None,
    }


#: Findings placed and written together by ``validate``'s text output: a
#: batch is cheaper to place, and a million findings are never all held
#: as lines at once.
_FINDINGS_AT_ONCE = 4096


def _validate(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    failed = False
    records: list[dict[str, object]] = []
    for path in args.paths:
        _resolve(path)  # a usage error before anything is printed
    for path in args.paths:
        try:
            if args.lenient:
                found = _load_lenient(path)
                if found.dropped or found.document is None:  # files always have a document
                    failed = True
                    _write_left_out(path, found, args.format, records, stdout, stderr)
                    continue
                loaded = found.document
            else:
                loaded = _load(path)
        except ConfigError as err:
            failed = True
            if args.format == "json":
                records.extend(p.to_dict() for p in err.problems)
            else:
                stdout.write(render_problems(err.problems))
                stderr.write(f"{one_line(path)}: invalid ({_count(err.total, 'problem')})\n")
            continue
        report = (
            CheckReport(findings=(), checks_run=()) if args.no_checks else check(loaded.scenario)
        )
        if args.format == "json":
            records.extend(_finding_record(loaded, finding) for finding in report.findings)
        else:
            findings = report.findings
            for start in range(0, len(findings), _FINDINGS_AT_ONCE):
                stdout.write(_finding_lines(loaded, findings[start : start + _FINDINGS_AT_ONCE]))
        counts = report.counts()
        bad = counts["error"] > 0 or (args.strict and counts["warning"] > 0)
        failed = failed or bad
        if args.format != "json":
            verdict = "invalid" if bad else "valid"
            stderr.write(
                f"{one_line(path)}: {verdict} ({_count(counts['error'], 'error')}, "
                f"{_count(counts['warning'], 'warning')}, {_count(counts['info'], 'note')})\n"
            )
    if args.format == "json":
        if args.lenient:  # every record says whether it is an element left out
            records = [{**record, "dropped": record.get("dropped", False)} for record in records]
        _json(document("validation", {"problems": records}), stdout)
    return EXIT_INVALID if failed else EXIT_OK


def _write_left_out(
    path: str,
    found: Lenient,
    format: str,
    records: list[dict[str, object]],
    stdout: IO[str],
    stderr: IO[str],
) -> None:
    """The problems of a scenario read leniently, and what it leaves out:
    as records for ``--format json``, else as lines and a summary."""
    if format == "json":
        records.extend(p.to_dict() for p in found.problems)
        records.extend(gone.to_dict() for gone in found.dropped)
        return
    stdout.write(render_problems(found.problems))
    stdout.write("".join(f"{visible(str(gone))}\n" for gone in found.dropped))
    stderr.write(
        f"{one_line(path)}: {_count(len(found.dropped), 'element')} would be left out "
        f"({_count(len(found.problems), 'problem')})\n"
    )


def _report(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    loaded = _load_or_report(
        args.path,
        stderr,
        quiet=True,
        evidence=args.evidence,
        as_of=args.as_of,
        jurisdiction=args.jurisdiction,
    )
    if loaded is None:
        return EXIT_INVALID
    # positions in the files hold for the scenario as loaded, not for a part of it
    whole = args.evidence == "all" and args.as_of is None and args.jurisdiction is None
    locate = _locator(loaded) if whole else None
    text = render_report(loaded.scenario, args.format, locate=locate)
    _emit(text, args.output, stdout, stderr, inputs=_inputs(args.path, loaded))
    return EXIT_OK


def _inputs(path: str, loaded: LoadedScenario) -> list[str]:
    """The scenario file or folder a command read, and every file it read."""
    resolved = _resolve(path)
    names = [] if resolved is None else [resolved]
    return names + [s.name for s in loaded.sources if s.name is not None]


def _emit(
    text: str | bytes,
    output: str | None,
    stdout: IO[str],
    stderr: IO[str],
    *,
    sized: bool = False,
    inputs: Sequence[str] = (),
) -> None:
    """Write ``text`` to ``output``, or to stdout when it is None or ``-``.

    A regular file is replaced atomically, a FIFO or device written to; a
    link to nothing, a hard-linked file, a block device or one of ``inputs``
    is refused (see :func:`~cio_framework.config._dump.write_atomic`).
    """
    if output == "":  # -o "$OUT" with OUT unset: not standard output by surprise
        raise UsageError(
            "cio-framework: error: -o was given an empty file name: name a file, "
            "or - for standard output"
        )
    if output is None or output == "-":
        assert isinstance(text, str), "bytes go to files only"
        stdout.write(text)
        return
    try:
        write_atomic(output, text, inputs=inputs, errors="backslashreplace")
    except OutputRefusedError as exc:
        raise UsageError(f"cio-framework: error: {exc}") from exc
    except BrokenPipeError:
        raise  # a FIFO's reader went away, as when standard output is piped into head
    except OSError as exc:
        raise UsageError(
            f"cio-framework: error: cannot write {output}: {exc.strerror or exc}"
        ) from exc
    data = text if isinstance(text, bytes) else text.encode("utf-8", "backslashreplace")
    size = f" ({len(data):,} bytes)" if sized else ""
    stderr.write(f"wrote {one_line(output)}{size}\n")


def _load_or_report(
    path: str,
    stderr: IO[str],
    *,
    quiet: bool = False,
    evidence: str = "all",
    as_of: dt.date | None = None,
    jurisdiction: str | None = None,
) -> LoadedScenario | None:
    """The scenario at ``path``, or ``None`` once its problems are written;
    with ``as_of``, as it stood on that date (:func:`at_date`); with
    ``evidence="sourced"``, its sourced elements only (said on stderr); with
    ``jurisdiction``, that jurisdiction's own part (:func:`within`)."""
    try:
        with progress(stderr, f"loading {one_line(path)}", enabled=not quiet):
            loaded = _load(path)
    except ConfigError as err:
        stderr.write(render_problems(err.problems))
        stderr.write(f"{one_line(path)}: invalid ({_count(err.total, 'problem')})\n")
        return None
    if as_of is not None:
        loaded = attrs.evolve(loaded, scenario=at_date(loaded.scenario, as_of))
    if jurisdiction is not None:
        try:
            loaded = attrs.evolve(loaded, scenario=within(loaded.scenario, jurisdiction))
        except UnknownNameError as err:
            raise UsageError(f"cio-framework: error: {visible(str(err))}") from None
    if evidence == "all":
        return loaded
    reduced, left_out = sourced_only(loaded.scenario)
    stderr.write(
        f"evidence: computing on sourced elements only; {_count(len(left_out), 'element')} "
        "left out (illustrative, inferred, unsourced, or needing one of those)\n"
    )
    return attrs.evolve(loaded, scenario=reduced)


def _json(data: object, stdout: IO[str]) -> None:
    stdout.write(json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")


def _json_rows(
    data: dict[str, object],
    rows: str,
    stdout: IO[str],
    row_texts: Iterable[str] | None = None,
) -> None:
    """Write ``data`` as indented JSON, except that each item of the list
    under ``rows`` takes one line.

    The items are encoded by the standard library's C encoder, which does not
    indent: a national scenario has hundreds of thousands of candidate
    integrations, and the indenting encoder, written in Python, took longer
    than ranking them. ``row_texts``, when given, are the items' texts as
    that encoder writes them (:func:`_integration_texts`). The items are
    written :data:`_ROWS_AT_ONCE` at a time, never all held as one text.
    """
    encode = _ROW_ENCODER.encode
    separator = "{\n"
    for name, value in data.items():
        key = json.dumps(name, ensure_ascii=False)
        if name == rows and isinstance(value, list) and value:
            texts = iter(map(encode, value) if row_texts is None else row_texts)
            stdout.write(json_safe(f"{separator}  {key}: [\n"))
            between = ""
            while batch := list(itertools.islice(texts, _ROWS_AT_ONCE)):
                stdout.write(json_safe(between + "    " + ",\n    ".join(batch)))
                between = ",\n"
            stdout.write("\n  ]")
        else:
            # JSON strings hold no raw line breaks: every one is the layout's
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            stdout.write(json_safe(f"{separator}  {key}: {text}"))
        separator = ",\n"
    stdout.write("{\n\n}\n" if separator == "{\n" else "\n}\n")


#: Rows :func:`_json_rows` encodes and writes together.
_ROWS_AT_ONCE = 4096


#: The encoder of one line of :func:`_json_rows`.
_ROW_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _integration_texts(integrations: Sequence[Integration]) -> Iterator[str]:
    """Each integration's JSON form (:meth:`Integration.to_dict`) as
    :data:`_ROW_ENCODER` writes it, without making the form.

    A million candidates are written at national scale, and thousands share
    one factors map and one :class:`Evidence` object: each shared object is
    encoded once. An integration whose fields are not of the types
    :func:`priorities` makes (a finite float score and cost, strings, tuples
    of strings) is encoded the careful way, through its form.
    """
    known: dict[int, str] = {}  # the integrations hold every value encoded

    def shared(value: Any) -> str:
        text = known[id(value)] = _ROW_ENCODER.encode(value.to_dict())
        return text

    def graded(evidence: Evidence) -> str:
        """:meth:`Evidence.to_dict` encoded; its bases are shared too."""
        if type(evidence.more) is not bool:
            raise TypeError("not a bool")
        bases = ", ".join([known.get(id(basis)) or shared(basis) for basis in evidence.weak])
        text = known[id(evidence)] = (
            f'{{"grade": {_quoted(evidence.grade._value_)}, "summary": {_quoted(str(evidence))}, '
            f'"not_sourced": [{bases}], "more": {"true" if evidence.more else "false"}}}'
        )
        return text

    quoted = _quoted
    for item in integrations:
        score, cost = item.score, item.cost
        try:
            if type(score) is not float or type(cost) is not float:
                raise TypeError("not a float")
            if not (math.isfinite(score) and math.isfinite(cost)):
                raise ValueError("not finite")
            factors = known.get(id(item.factors)) or shared(item.factors)
            evidence = known.get(id(item.evidence)) or graded(item.evidence)
            decided_by = "null" if item.decided_by is None else quoted(item.decided_by)
            place = "null" if item.jurisdiction is None else quoted(item.jurisdiction)
            # the keys and separators of _ROW_ENCODER, in to_dict's order
            text = (
                f'{{"id": {quoted(item.id)}, "kind": {quoted(item.kind)}, '
                f'"score": {score!r}, "factors": {factors}, '
                f'"explanation": {quoted(item.explanation)}, '
                f'"accountable": [{", ".join(map(quoted, item.accountable))}], '
                f'"decided_by": {decided_by}, "jurisdiction": {place}, "cost": {cost!r}, '
                f'"groups": [{", ".join(map(quoted, item.groups))}], '
                f'"departments": [{", ".join(map(quoted, item.departments))}], '
                f'"evidence": {evidence}}}'
            )
        except (TypeError, ValueError, AttributeError):
            text = _ROW_ENCODER.encode(item.to_dict())
        yield text


#: A string as :data:`_ROW_ENCODER` quotes it (not ASCII-only).
_quoted: Callable[[str], str] = json.encoder.encode_basestring


def _islands(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    loaded = _load_or_report(
        args.path,
        stderr,
        quiet=args.format == "json",
        evidence=args.evidence,
        as_of=args.as_of,
        jurisdiction=args.jurisdiction,
    )
    if loaded is None:
        return EXIT_INVALID
    with progress(stderr, "finding islands", enabled=args.format != "json"):
        report = islands(loaded.scenario)
    if args.format == "json":
        _json(report.to_dict(), stdout)
        return EXIT_OK
    names = {d.id: d.name for d in loaded.scenario.departments}
    places = {j.id: j.name for j in loaded.scenario.jurisdictions}
    stdout.write(
        f"{_count(len(report.groups), 'group')}, {_count(len(report.islands), 'island')}, "
        f"{_count(len(report.isolated_systems), 'isolated system')}\n"
    )
    for number, group in enumerate(report.groups, 1):
        state = "reaches " + ", ".join(group.platforms) if group.platforms else "ISLAND"
        if group.unlinked:
            state = f"ISLAND: {state}, not the hub above"
        elif group.platforms and group.is_island:
            which = "which does not" if len(group.platforms) == 1 else "which do not"
            state = f"ISLAND: {state}, {which} serve it"
        departments = _shorten([one_line(names.get(d, d)) for d in group.departments], 6)
        if places:
            place = one_line(places.get(group.jurisdiction or "", "scenario level"))
            departments = f"{place}: {departments}"
        graded = "" if group.evidence.sourced else f"\n   evidence: {visible(str(group.evidence))}"
        stdout.write(f"{number}. [{state}] {departments}: {_shorten(group.systems, 12)}{graded}\n")
    if report.silos:
        stdout.write("Departmental silos: " + ", ".join(report.silos) + "\n")
    if report.unused_platforms:
        stdout.write(
            "Platforms nothing exchanges with: " + ", ".join(report.unused_platforms) + "\n"
        )
    if report.unlinked_jurisdictions:
        stdout.write(
            "Jurisdictions whose hub does not reach the hub above them: "
            + ", ".join(report.unlinked_jurisdictions)
            + "\n"
        )
    return EXIT_OK


def _brokers(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    loaded = _load_or_report(args.path, stderr, quiet=args.format == "json")
    if loaded is None:
        return EXIT_INVALID
    what = f"estimating betweenness from {args.sample} sources" if args.sample else "betweenness"
    try:
        with progress(stderr, what, enabled=args.format != "json"):
            report = brokers(
                loaded.scenario, sample=args.sample, seed=args.seed, exact=args.exact, top=args.top
            )
    except TooLargeError as err:
        raise UsageError(
            f"cio-framework: error: {args.path}: exact betweenness on {err.nodes:,} nodes "
            f"would take hours (the limit is {err.limit:,} nodes at this network's density); "
            "use --sample K (for example --sample 100) to estimate it, or --exact to run it "
            "anyway"
        ) from None
    if args.format == "json":
        _json(report.to_dict(), stdout)
        return EXIT_OK
    how = (
        f"estimated from {report.sampled:,} of {report.nodes:,} nodes, seed {args.seed}"
        if report.sampled
        else f"exact, {report.nodes:,} nodes"
    )
    stdout.write(f"Brokers by betweenness ({how}):\n")
    if not report.brokers:
        stdout.write("No broker: no system or platform lies between two others.\n")
    for rank, broker in enumerate(report.brokers, 1):
        owner = f", {broker.department}" if broker.department else ""
        stdout.write(
            f"{rank}. [{broker.score:.4f}] {broker.id} ({broker.kind}{owner}): "
            f"{one_line(broker.name)}\n"
        )
    return EXIT_OK


def _priorities(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    loaded = _load_or_report(
        args.path,
        stderr,
        quiet=args.format == "json",
        evidence=args.evidence,
        as_of=args.as_of,
        jurisdiction=args.jurisdiction,
    )
    if loaded is None:
        return EXIT_INVALID
    scenario = loaded.scenario
    buffer = io.StringIO()  # printed after the progress line is gone
    with progress(stderr, "ranking integrations", enabled=args.format != "json"):
        code = _rank(args, scenario, buffer)
    stdout.write(buffer.getvalue())
    return code


def _rank(args: argparse.Namespace, scenario: Scenario, stdout: IO[str]) -> int:
    if args.budget is not None:
        plan = roadmap(scenario, budget=args.budget, limit=args.top)
        if args.format == "json":
            _json_rows(plan.to_dict(), "steps", stdout)
            return EXIT_OK
        picked = [(step.integration, step.gain) for step in plan.steps]
        hub = plan.hub
    else:
        report = priorities(scenario, top=args.top)
        if args.format == "json":
            # each candidate is written by _integration_texts, not from its form
            data = report.to_dict_with(list(report.priorities))
            _json_rows(data, "priorities", stdout, _integration_texts(report.priorities))
            return EXIT_OK
        picked = [(p, p.score) for p in report.priorities]
        hub = report.hub
        if report.note is not None and hub is not None:  # groups no candidate joins
            stdout.write(f"Note: {one_line(report.note)}\n")
    if not picked:
        within = f" within the budget of {args.budget:g}" if args.budget is not None else ""
        stdout.write(f"No integration to suggest{within}.\n")
        if hub is None:
            stdout.write("The scenario has no shared platform: add one under 'platforms'.\n")
        return EXIT_OK
    _write_integrations(picked, scenario, stdout)
    if args.budget is not None:
        stdout.write(f"Total cost {plan.total_cost:g} of a budget of {args.budget:g}.\n")
    return EXIT_OK


def _write_integrations(
    picked: Sequence[tuple[Integration, float]], scenario: Scenario, stdout: IO[str]
) -> None:
    """Each integration, best first, with what it earns at that point: its
    explanation, who is accountable, who decides, and its evidence."""
    named = titled(scenario)
    places = {j.id: j.name for j in scenario.jurisdictions}
    for rank, (item, score) in enumerate(picked, 1):
        accountable = ", ".join(map(named, item.accountable)) or "no departmental CIO"
        decider = named(item.decided_by) if item.decided_by else "nobody"
        where = f" ({places[item.jurisdiction]})" if item.jurisdiction in places else ""
        stdout.write(
            f"{rank}. [{score:.2f}] {item.id} ({item.kind})\n"
            f"   {one_line(item.explanation)}\n"
            + one_line(f"   Accountable: {accountable}; decided by {decider}{where}.")
            + "\n"
        )
        if not item.evidence.sourced:
            stdout.write(f"   Evidence: {item.evidence}\n")


def _whatif(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    loaded = _load_or_report(args.path, stderr)
    if loaded is None:
        return EXIT_INVALID
    base = loaded.scenario
    try:
        changed = whatif(base, args.whatif)
    except UnknownNameError as err:
        raise UsageError(f"cio-framework: error: {err}") from None
    except WhatIfError as err:  # placed at the change, or the variant, that does not fit
        where = _whatif_place(loaded, args.whatif, err.change)
        stderr.write(f"{one_line(f'{where}: error: {err} [whatif]')}\n")
        return EXIT_INVALID
    result = compare_variant(base, changed, whatif=args.whatif)
    if args.format == "json":
        _json(result.to_dict(), stdout)
        return EXIT_OK
    stdout.write(f"What-if {args.whatif!r} against the baseline\n")
    changes = result.indicator_changes()
    if not changes:
        stdout.write("No indicator changes.\n")
    for name, (before, after) in changes.items():
        shown = [f"{v:.0%}" if isinstance(v, float) else str(v) for v in (before, after)]
        stdout.write(f"  {name}: {shown[0]} -> {shown[1]}\n")
    for label, values in (
        ("Islands before", result.islands_before),
        ("Islands after", result.islands_after),
    ):
        stdout.write(f"{label}: {'; '.join(', '.join(g) for g in values) or 'none'}\n")
    stdout.write(f"Barriers resolved: {', '.join(result.barriers_resolved) or 'none'}\n")
    stdout.write(f"Barriers added: {', '.join(result.barriers_added) or 'none'}\n")
    stdout.write(f"Top priorities before: {', '.join(result.priorities_before) or 'none'}\n")
    stdout.write(f"Top priorities after: {', '.join(result.priorities_after) or 'none'}\n")
    stdout.write(f"Check findings resolved: {'; '.join(result.findings_resolved) or 'none'}\n")
    stdout.write(f"Check findings added: {'; '.join(result.findings_added) or 'none'}\n")
    return EXIT_OK


def _whatif_place(loaded: LoadedScenario, variant: str, change: int | None) -> str:
    """``file:line:column`` of a what-if variant's change (or of the variant)."""
    ids = [w.id for w in loaded.scenario.scenarios]
    index = ids.index(variant)  # whatif() found it
    path = ("changes", change) if change is not None else ()
    return location(*loaded.position_within("scenarios", index, path))


def _agenda(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    loaded = _load_or_report(args.path, stderr, evidence=args.evidence, as_of=args.as_of)
    if loaded is None:
        return EXIT_INVALID
    try:
        proposal = agenda(loaded.scenario, body=args.body)
    except UnknownNameError as err:
        raise UsageError(f"cio-framework: error: {visible(str(err))}") from None
    if args.format == "json":
        _json(proposal.to_dict(), stdout)
        return EXIT_OK
    when = proposal.date.isoformat() if proposal.date else "date not known"
    named = titled(loaded.scenario)
    body = one_line(named(proposal.body)) if proposal.body else "the CIOs"
    convenor = one_line(named(proposal.convenor)) if proposal.convenor else "nobody"
    stdout.write(f"Next regular meeting of {body} ({when}), convened by {convenor}:\n")
    for number, item in enumerate(proposal.items, 1):
        stdout.write(f"{number}. {one_line(item.title)}\n   {one_line(item.reason)}\n")
        if not item.evidence.sourced:
            stdout.write(f"   Evidence: {visible(str(item.evidence))}\n")
    if not proposal.items:
        stdout.write("Nothing major to discuss.\n")
    return EXIT_OK


def _compare(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    for path in args.paths:
        _resolve(path)  # a usage error before anything is printed
    scenarios = []
    for path in args.paths:
        loaded = _load_or_report(path, stderr)
        if loaded is None:
            return EXIT_INVALID
        scenarios.append(loaded.scenario)
    one = len(scenarios) == 1 and scenarios[0].jurisdictions
    result = compare_jurisdictions(scenarios[0] if one else scenarios)
    if args.format == "json":
        _json(result.to_dict(), stdout)
        return EXIT_OK
    names = [f"[{n}] {one_line(p.name)}" for n, p in enumerate(result.profiles, 1)]
    rows: list[tuple[str, list[str]]] = []
    for key, label in MEASURES.items():
        cells = []
        for profile in result.profiles:
            value = getattr(profile, key)
            if value is None:
                cells.append("-")
            elif key in SHARE_MEASURES:
                cells.append(f"{value:.0%}")
            elif isinstance(value, float):
                cells.append(f"{value:.2f}")
            elif isinstance(value, tuple):
                cells.append(", ".join(str(v) for v in value))
            else:
                cells.append(str(value))
            grade = profile.evidence.get(key)
            if value is not None and grade is not None and not grade.sourced:
                cells[-1] += " *"
        rows.append((label, cells))
    graded = any("*" in cell for _, cells in rows for cell in cells)
    legend = (
        "* rests partly on illustrative, inferred or unsourced elements "
        "(--format json lists them)\n"
    )
    if args.format == "markdown":
        heads = [f"[{n}] {markdown(p.name)}" for n, p in enumerate(result.profiles, 1)]
        stdout.write("| Measure | " + " | ".join(heads) + " |\n")
        stdout.write("|---|" + "---|" * len(names) + "\n")
        for label, cells in rows:
            shown = [c if c == "-" else markdown(c) for c in cells]  # "-": no value
            stdout.write(f"| {label} | " + " | ".join(shown) + " |\n")
        if graded:
            stdout.write("\n" + markdown(legend))
        return EXIT_OK
    for name in names:
        stdout.write(name + "\n")
    width = max(len(label) for label, _ in rows)
    columns = [
        max(len(f"[{n}]"), *(len(cells[n - 1]) for _, cells in rows))
        for n in range(1, len(names) + 1)
    ]
    head = "  ".join(f"[{n}]".ljust(w) for n, w in enumerate(columns, 1))
    stdout.write(f"{'':<{width}}  {head}".rstrip() + "\n")
    for label, cells in rows:
        line = "  ".join(c.ljust(w) for c, w in zip(cells, columns, strict=True))
        stdout.write(f"{label:<{width}}  {line}".rstrip() + "\n")
    if graded:
        stdout.write(legend)
    return EXIT_OK


def _export(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    if args.format in ("csv", "backstage", "xlsx") and (not args.output or args.output == "-"):
        what = "a workbook" if args.format == "xlsx" else "a folder of files"
        raise UsageError(f"cio-framework: error: --format {args.format} writes {what}: give -o")
    if args.format in ("csv", "backstage") and os.path.lexists(args.output):
        raise UsageError(f"cio-framework: error: {one_line(args.output)} exists: name a new folder")
    loaded = _load_or_report(args.path, stderr)
    if loaded is None:
        return EXIT_INVALID
    inputs = _inputs(args.path, loaded)
    scenario = loaded.scenario
    # the formats' modules are imported when asked for: most commands read
    # YAML or JSON only, and every megabyte counts at national scale
    from .interop.archimate import write_archimate
    from .interop.backstage import write_backstage
    from .interop.tables import write_tables

    if args.format in ("csv", "backstage"):
        files = write_tables(scenario) if args.format == "csv" else write_backstage(scenario)
        _write_new_folder(files, args.output, inputs)
        stderr.write(f"wrote {one_line(args.output)} ({_count(len(files), 'file')})\n")
        _say_left_out(args.format, scenario, stderr)
    elif args.format == "xlsx":
        _emit(
            write_tables(scenario, "xlsx")["scenario.xlsx"],
            args.output,
            stdout,
            stderr,
            inputs=inputs,
        )
    elif args.format == "archimate":
        _emit(write_archimate(scenario), args.output, stdout, stderr, inputs=inputs)
        _say_left_out(args.format, scenario, stderr)
    else:
        text = export_graph(scenario, args.format, view=args.view)
        _emit(text, args.output, stdout, stderr, inputs=inputs)
    return EXIT_OK


def _say_left_out(format: str, scenario: Scenario, stderr: IO[str]) -> None:
    """A line naming what an export ``format`` does not carry, if anything."""
    if format not in CARRIED:
        return
    gone = left_out(scenario, CARRIED[format])
    if gone:
        shown = ", ".join(
            f"{count} {SINGULAR.get(name, name) if count == 1 else name}"
            for name, count in gone.items()
        )
        stderr.write(
            f"not written (the {format} format has no place for them): {shown}; "
            "a scenario read back from it lacks them\n"
        )


def _write_new_folder(files: Mapping[str, str | bytes], output: str, inputs: list[str]) -> None:
    """Write ``files`` (relative name to contents) to the new folder ``output``.

    A folder inside an input is refused before anything is made; a write
    that fails removes what this call made, so a refused or failed write
    leaves nothing behind.
    """
    try:
        refuse_inputs(output, inputs)
        os.mkdir(output)  # fails if anything is there: nothing is replaced
    except OutputRefusedError as exc:
        raise UsageError(f"cio-framework: error: {exc}") from None
    except OSError as exc:
        raise UsageError(
            f"cio-framework: error: cannot make {one_line(output)}: {exc.strerror or exc}"
        ) from None
    made: list[str] = [output]  # folders, then files, in the order made
    try:
        for name, content in sorted(files.items()):
            target = os.path.join(output, name)
            _make_folders(os.path.dirname(target), made)
            try:
                write_atomic(target, content, inputs=inputs)
            except (OutputRefusedError, OSError) as exc:
                raise UsageError(
                    f"cio-framework: error: cannot write {one_line(target)}: {exc}"
                ) from exc
            made.append(target)
    except BaseException:
        _remove_made(made)
        raise


def _make_folders(folder: str, made: list[str]) -> None:
    """Make ``folder`` and the folders above it that are missing, noting each in ``made``."""
    missing = []
    while not os.path.isdir(folder):
        missing.append(folder)
        folder = os.path.dirname(folder)
    for path in reversed(missing):
        os.mkdir(path)
        made.append(path)


def _remove_made(made: list[str]) -> None:
    """Remove what ``made`` lists, last first (files, then their folders)."""
    for path in reversed(made):
        with contextlib.suppress(OSError):
            if os.path.isdir(path) and not os.path.islink(path):
                os.rmdir(path)  # only if empty: nothing this call did not make
            else:
                os.unlink(path)


def _diff(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    old = _load_or_report(args.old, stderr)
    new = _load_or_report(args.new, stderr)  # the problems of both are reported
    if old is None or new is None:
        return EXIT_USAGE  # trouble, as diff(1) says it
    result = diff(old.scenario, new.scenario)
    stdout.write(render_diff(result, args.format))
    return EXIT_INVALID if result.changed else EXIT_OK


def _import(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    if args.kind != "backstage" and len(args.paths) > 1:
        raise UsageError(f"cio-framework: error: import {args.kind} reads one PATH")
    found = _imported(args.kind, args.paths, args.name)
    stderr.write(render_problems(found.problems))
    shown = one_line(" ".join(args.paths))
    read = ", ".join(f"{count} {visible(kind)}" for kind, count in found.counts.items())
    errors = sum(1 for p in found.problems if p.severity is Severity.ERROR)
    salvaged = None
    if not errors or args.lenient:
        # a problem about no element, reported above, leaves nothing to leave out
        with contextlib.suppress(ConfigError):
            salvaged = found.salvage()
    if salvaged is None:
        stderr.write(
            f"{shown}: not imported ({_count(errors, 'error')}; read {read or 'nothing'})\n"
        )
        return EXIT_INVALID
    scenario = salvaged.scenario
    as_json = args.format == "json" or (
        args.format is None and (args.output or "").lower().endswith(".json")
    )
    text = dumps(scenario, format="json" if as_json else "yaml")
    inputs = list(args.paths)
    if args.kind == "backstage":  # Locations read files anywhere in the folders given
        inputs += [
            p if os.path.isdir(p) else os.path.dirname(os.path.abspath(p)) for p in args.paths
        ]
    _emit(text, args.output, stdout, stderr, inputs=inputs)
    warnings = len(found.problems) - errors
    if not errors:  # everything read is imported
        stderr.write(f"{shown}: imported ({read}; {_count(warnings, 'warning')})\n")
        return EXIT_OK
    # --lenient: what was read is not all imported; say what is
    sizes = [(key, len(getattr(scenario, key))) for key in found.data if key in SINGULAR]
    kept = ", ".join(f"{n} {SINGULAR[key] if n == 1 else key}" for key, n in sizes)
    stderr.write(
        f"{shown}: imported {kept or 'nothing'} (read {read or 'nothing'}; "
        f"{_count(warnings, 'warning')}; {_count(errors, 'error')}: "
        "what each is about is left out)\n"
    )
    return EXIT_OK


def _imported(kind: str, paths: list[str], name: str | None) -> Imported:
    # imported when asked for, as the formats ``export`` writes
    from .interop.archimate import read_archimate
    from .interop.backstage import read_backstage
    from .interop.tables import read_tables

    if kind == "tables":
        return read_tables(paths[0], name=name)
    if kind == "archimate":
        return read_archimate(paths[0], name=name)
    return read_backstage(paths, name=name)


def _candidates(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    loaded = _load_or_report(args.path, stderr)
    if loaded is None:
        return EXIT_INVALID
    try:
        result = assess_candidates(loaded.scenario, role=args.role)
    except UnknownNameError as err:
        raise UsageError(f"cio-framework: error: {err}") from None
    if args.top is not None:
        result = result.top(args.top)
    if args.format == "json":
        _json(result.to_dict(), stdout)
        return EXIT_OK
    names = {p.id: p.display_name for p in loaded.scenario.people}
    if not result.roles:
        stdout.write("No candidates in the scenario.\n")
    for role in result.roles:
        stdout.write(f"{role.role}:\n")
        for rank, candidate in enumerate(role.ranking, 1):
            _write_candidate(rank, candidate, names, stdout)
        if role.flip is not None:
            stdout.write(f"  Sensitivity: {one_line(role.flip.explanation)}\n")
    return EXIT_OK


def _write_candidate(
    rank: int, candidate: CandidateScore, names: dict[str, str], stdout: IO[str]
) -> None:
    """A candidate's lines: its total, the contribution of each criterion it
    has a score for, and what it lacks (the criteria without a score counted,
    the first few named)."""
    parts = ", ".join(f"{k} {v:.2f}" for k, v in candidate.contributions.items())
    stdout.write(
        f"  {rank}. {one_line(names.get(candidate.person, candidate.person))}: "
        f"{candidate.total:.2f}" + (f" ({parts})\n" if parts else "\n")
    )
    if candidate.missing_score_count:
        more = candidate.missing_score_count - len(candidate.missing_scores)
        stdout.write(
            f"     no score for: {', '.join(candidate.missing_scores)}"
            + (f" and {more:,} more\n" if more else "\n")
        )
    if candidate.missing_evidence:
        stdout.write(f"     no evidence for: {', '.join(candidate.missing_evidence)}\n")


def _synth(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    fmt = args.format or ("json" if (args.output or "").endswith(".json") else "yaml")
    try:
        text = synth_text(
            args.systems,
            seed=args.seed,
            format=fmt,
            exchanges_per_system=args.exchanges_per_system,
            shape=args.shape,
        )
    except ValueError as exc:  # a size beyond the limits
        raise UsageError(f"cio-framework: error: synth: {exc}") from None
    _emit(text, args.output, stdout, stderr, sized=True)
    return EXIT_OK


def _schema(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    if args.output in OUTPUT_KINDS and args.kind == "scenario":
        raise UsageError(
            f"cio-framework: error: -o/--output names the file to write; for the schema of "
            f"the {args.output} output, write: cio-framework schema {args.output}"
        )
    schema = json_schema() if args.kind == "scenario" else output_schema(args.kind)
    text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    _emit(text, args.output, stdout, stderr)
    return EXIT_OK


def _example(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    if args.list or args.packs:
        for name in available_packs() if args.packs else BUILTIN_SCENARIOS:
            stdout.write(name + "\n")
        return EXIT_OK
    if args.name in BUILTIN_SCENARIOS:
        stdout.write(builtin_text(args.name))
        return EXIT_OK
    if args.name in available_packs():
        stdout.write(pack_text(args.name))
        return EXIT_OK
    raise UsageError(
        f"cio-framework: error: unknown built-in scenario or pack {args.name!r}; "
        f"scenarios: {', '.join(BUILTIN_SCENARIOS)}; packs: {', '.join(available_packs())}"
    )


def _upgrade(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    resolved = _resolve(args.path)
    folder = resolved is not None and os.path.isdir(resolved)
    if folder and (not args.output or args.output == "-"):
        raise UsageError(
            "cio-framework: error: upgrading a folder needs -o NEW_FOLDER: the input is never "
            "rewritten"
        )
    if folder and os.path.lexists(args.output):
        raise UsageError(f"cio-framework: error: {one_line(args.output)} exists: name a new folder")
    loaded = _load_or_report(args.path, stderr, quiet=True)
    if loaded is None:
        return EXIT_INVALID
    # the scenario's own files: not the packs it uses, nor the base it extends
    own = [s for s in loaded.sources if s.pack is None and s.base_of is None]
    try:
        upgraded = [attrs.evolve(s, text=upgrade_text(s.text)) for s in own]
    except ValueError as exc:  # what the upgrade cannot rewrite alone
        raise UsageError(
            f"cio-framework: error: cannot upgrade {one_line(args.path)}: {exc}"
        ) from None
    # read back under the same names, so that 'extends' resolves as before
    if dumps(build(upgraded).scenario) != dumps(loaded.scenario):  # pragma: no cover
        raise UsageError(
            "cio-framework: error: the upgrade would change the scenario; nothing written"
        )
    if folder:
        assert resolved is not None
        _write_folder(resolved, upgraded, args.output, _inputs(args.path, loaded))
    else:
        (source,) = upgraded
        _emit(source.text, args.output, stdout, stderr, inputs=_inputs(args.path, loaded))
    changed = sum(1 for old, new in zip(own, upgraded, strict=True) if old.text != new.text)
    stderr.write(
        f"{one_line(args.path)}: {changed} of {_count(len(own), 'file')} upgraded to format "
        f"version {FORMAT_VERSION}\n"
    )
    return EXIT_OK


def _write_folder(folder: str, sources: list[SourceText], output: str, inputs: list[str]) -> None:
    """Write ``sources``, files of ``folder``, to the new folder ``output``,
    at the same relative paths."""
    files = {os.path.relpath(source.name or "", folder): source.text for source in sources}
    _write_new_folder(files, output, inputs)


def _checks(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    if args.format == "json":
        checks = [
            {
                "id": c.id,
                "severity": c.severity.value,
                "title": c.title,
                "description": c.description,
            }
            for c in CHECKS.values()
        ]
        _json(document("checks", {"checks": checks}), stdout)
        return EXIT_OK
    width = max(len(c.id) for c in CHECKS.values())
    for c in CHECKS.values():
        stdout.write(f"{c.id:<{width}}  {c.severity.value:<7}  {c.title}\n")
    return EXIT_OK


_COMMANDS = {
    "validate": _validate,
    "report": _report,
    "islands": _islands,
    "brokers": _brokers,
    "priorities": _priorities,
    "whatif": _whatif,
    "agenda": _agenda,
    "compare": _compare,
    "export": _export,
    "import": _import,
    "diff": _diff,
    "candidates": _candidates,
    "schema": _schema,
    "synth": _synth,
    "example": _example,
    "checks": _checks,
    "upgrade": _upgrade,
}


class _Shown(io.TextIOBase):
    """A text stream that shows control characters as escapes (``\\x1b``).

    Nothing a command prints to standard output is a terminal control, so
    whatever a scenario holds is shown, not acted on, even where a command
    prints its text unescaped.
    """

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(visible(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def writable(self) -> bool:
        return True


#: Commands whose standard output is a file's text (a scenario, an export, a
#: schema): into a pipe or a file it is written as it is, as ``-o`` writes it.
_FILE_COMMANDS = frozenset({"example", "export", "import", "schema", "synth", "upgrade"})


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    """Run a parsed command, writing to the given streams; return the exit code.

    Standard output shows control characters as escapes (``\\x1b``): what a
    command prints comes from a scenario, and is never a terminal control.
    A command that prints a file's text (``upgrade``, ``import``, ``export``
    ...) prints it unchanged when standard output is not a terminal: the
    bytes piped or redirected are those ``-o`` would write, and escaping
    them would change the data (a carriage return of a CRLF file, a name's
    U+202E).
    """
    given = [*(getattr(args, "paths", None) or ()), args.path if "path" in args else None]
    given += [getattr(args, "old", None), getattr(args, "new", None)]
    if given.count(STDIN_PATH) > 1:
        raise UsageError(
            f"cio-framework: error: standard input ({STDIN_PATH}) is read once: "
            "name a file for the other scenario"
        )
    if args.command in _FILE_COMMANDS and not stdout.isatty():
        return _COMMANDS[args.command](args, stdout, stderr)
    shown = cast(IO[str], _Shown(stdout))
    return _COMMANDS[args.command](args, shown, stderr)


#: Characters written to standard output at a time (see _Stdout.write).
_CHUNK = 1 << 16


class _Stdout(io.TextIOBase):
    """Standard output whose failure is a usage error, not a traceback.

    ``None`` (the descriptor was closed before Python started) and an
    :class:`OSError` on write or flush (a full disk, an I/O error) become
    :class:`UsageError`; a :class:`BrokenPipeError` (the reader went away, as
    with ``| head``) passes through.
    """

    def __init__(self, stream: IO[str] | None) -> None:
        self._stream = stream
        self.failed = False

    def _fail(self, reason: str) -> NoReturn:
        self.failed = True
        raise UsageError(f"cio-framework: error: cannot write standard output: {reason}")

    def write(self, text: str) -> int:
        if self._stream is None:
            self._fail("it is closed")
        try:
            if len(text) <= _CHUNK:
                return self._stream.write(text)
            # in pieces: one write of a whole document into a pipe whose
            # reader has gone can end without an error, the rest lost
            for start in range(0, len(text), _CHUNK):
                self._stream.write(text[start : start + _CHUNK])
            return len(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            self._fail(exc.strerror or str(exc))

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            self._fail(exc.strerror or str(exc))

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    def writable(self) -> bool:
        return True


def _discard_stdout() -> None:
    """Point the process's standard output at the null device.

    After a failed write, text is still buffered; without this, Python's own
    flush at exit fails again and prints a message of its own.
    """
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, sys.stdout.fileno())
        finally:
            os.close(null)


def _say(stderr: IO[str], line: str) -> None:
    """Write one line to stderr; if even that fails, the exit code has to do."""
    with contextlib.suppress(OSError, ValueError):
        stderr.write(line + "\n")
        stderr.flush()


def _internal_error(exc: Exception) -> str:
    """The one line that reports a bug."""
    try:
        detail = visible(str(exc))
    except Exception:  # an exception whose message itself fails
        detail = ""
    for brk in "\n\t\u2028\u2029":  # one line, whatever the message holds
        detail = detail.replace(brk, brk.encode("unicode_escape").decode("ascii"))
    if len(detail) > 200:
        detail = detail[:199] + "…"
    what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return (
        f"cio-framework: internal error (a bug): {what}; please report it with the command, "
        f"the scenario and the version ({__version__}); {TRACEBACK_VARIABLE}=1 shows the "
        "traceback"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``cio-framework``; returns the exit code.

    Errors become a message on stderr and an exit code, never a traceback:
    an invalid scenario is 1, a usage error 2 (standard output closed or full
    included), an internal error (a bug) 70 with one line saying so, Ctrl-C
    130 with nothing printed, and 141 when standard output's reader went
    away before the command finished (``| head``).

    Examples
    --------
    >>> main(["example", "--list"])
    pudong-2016
    us-federal
    guangdong-cdo-2021
    0
    """
    stderr: IO[str] = sys.stderr if sys.stderr is not None else io.StringIO()
    for stream in (sys.stdout, stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")
    stdout = _Stdout(sys.stdout)
    parser = build_parser()
    # A command runs briefly over data that lives until it ends: cyclic garbage
    # collection would only re-scan that data, so it is paused for the run.
    if argv is not None:  # a path given as a pathlib.Path is its text
        argv = [os.fspath(a) if isinstance(a, os.PathLike) else a for a in argv]
    try:
        args = parser.parse_args(argv)
        with gc_paused():
            code = run(args, cast(IO[str], stdout), stderr)
        stdout.flush()
        return code
    except UsageError as err:
        if stdout.failed and sys.stdout is not None:
            _discard_stdout()
        _say(stderr, one_line(str(err)))  # one line, whatever a path holds
        if err.usage:
            _say(stderr, visible(err.usage))
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except BrokenPipeError:  # output piped into head, which stopped reading
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return EXIT_BROKEN_PIPE
    except CioFrameworkError as err:
        _say(stderr, f"cio-framework: error: {visible(str(err))}")
        return EXIT_INVALID
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except MemoryError:
        _say(stderr, "cio-framework: error: out of memory")
        return EXIT_INTERNAL
    except Exception as exc:  # a bug: no input may cause one
        if os.environ.get(TRACEBACK_VARIABLE):
            with contextlib.suppress(OSError, ValueError):
                traceback.print_exc(file=stderr)
        _say(stderr, _internal_error(exc))
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
