#!/usr/bin/env python
"""Mutation testing of the core modules with mutmut 3 (docs/development.md).

Run every module of tools/mutation.toml, or some, then print the score::

    pip install -e '.[test]' mutmut==3.8.1
    nice -n 15 python tools/mutation.py run
    nice -n 15 python tools/mutation.py run connectivity priorities
    python tools/mutation.py report --survivors survivors.txt

Each module is mutated in a directory of its own, ``build/mutation/NAME``
(``--workdir``), holding a fresh copy of ``src/`` and ``tests/``, a
``pyproject.toml`` written for the run, and mutmut's ``mutants/``. mutmut
first runs the module's tests once, tracing which tests call which function;
then, for each mutant, it runs only the tests that call the mutated function,
in a process forked for that mutant, stopping at the first failure. One
worker (``--max-children 1``): the project's machines have two cores.

``run`` starts from scratch unless ``--resume`` is given; ``--resume`` keeps
mutmut's results (it retests only the functions whose source changed) and
with ``--mutants PATTERN`` retests the mutants named, for instance the
survivors of a function after a new test::

    python tools/mutation.py run connectivity --resume \\
        --mutants 'cio_framework.analysis.connectivity.x__silos__mutmut_*'

``--sample N`` checks a random sample of N mutants per module (``--seed``).

The score is mutmut's: (killed + timeout) / (mutants checked). "no tests"
(no test of the module calls the function) and "suspicious" count as not
killed.

mutmut 3 skips every function with a decorator other than ``staticmethod``
and ``classmethod``. This script lets it mutate the functions whose
decorators are all in ``allow_decorators`` (tools/mutation.toml): the
decorators stay on the trampoline mutmut puts in the function's place, and
are left off the original's and the mutants' copies, which the trampoline
calls. It does so by wrapping two functions of
``mutmut.mutation.file_mutation``, hence the pinned mutmut version.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - mutmut brings toml on 3.10
    import toml as tomllib

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "mutation.toml"
PLUGIN = HERE / "mutation_plugin.py"
PLUGIN_NAME = "cio_mutation_plugin"

DETECTED = ("killed", "timeout")
ORDER = ("killed", "timeout", "survived", "no tests", "suspicious", "segfault", "skipped")


# -- mutmut, with decorated functions allowed -------------------------------


def _allow_decorators(allowed: frozenset[str]) -> None:
    """Let mutmut mutate the functions whose decorators are all ``allowed``."""
    import libcst as cst
    from libcst.metadata import PositionProvider
    from mutmut.mutation import file_mutation as fm

    def final_name(decorator: cst.BaseExpression) -> str:
        while isinstance(decorator, cst.Call):
            decorator = decorator.func
        if isinstance(decorator, cst.Attribute):
            return decorator.attr.value
        return decorator.value if isinstance(decorator, cst.Name) else ""

    def is_allowed(node: cst.CSTNode) -> bool:
        return (
            isinstance(node, cst.FunctionDef)
            and bool(node.decorators)
            and all(final_name(d.decorator) in allowed for d in node.decorators)
        )

    skip = fm.MutationVisitor._skip_node_and_children

    def _skip_node_and_children(self: Any, node: cst.CSTNode) -> bool:
        if not is_allowed(node):
            return skip(self, node)
        # what mutmut does for an undecorated function
        position = self.get_metadata(PositionProvider, node, None)
        if position and position.start.line in self._ignored_node_lines:
            self.ignored_functions.add(node.name.value)
            return True
        return node.name.value in fm.NEVER_MUTATE_FUNCTION_NAMES

    arrange = fm.function_trampoline_arrangement

    def function_trampoline_arrangement(function: Any, mutants: Any, class_name: Any) -> Any:
        declarations, methods, assignments, names = arrange(function, mutants, class_name)
        if is_allowed(function):
            trampoline, *copies = methods
            methods = [trampoline] + [c.with_changes(decorators=[]) for c in copies]
        return declarations, methods, assignments, names

    fm.MutationVisitor._skip_node_and_children = _skip_node_and_children
    fm.function_trampoline_arrangement = function_trampoline_arrangement


def _mutmut(argv: list[str]) -> int:
    """Run mutmut's command line (in the current directory), patched."""
    settings = _load_config()["mutmut"]
    _allow_decorators(frozenset(settings["allow_decorators"]))
    from mutmut.__main__ import cli

    return int(cli.main(args=argv, prog_name="mutmut", standalone_mode=False) or 0)


# -- configuration and the work directory -----------------------------------


def _load_config() -> dict[str, Any]:
    with open(CONFIG, "rb") as f:
        return tomllib.load(f)


def _check_mutmut(version: str) -> None:
    try:
        found = importlib.metadata.version("mutmut")
    except importlib.metadata.PackageNotFoundError:
        sys.exit(f"mutmut is not installed: pip install mutmut=={version}")
    if found != version:
        sys.exit(f"mutmut {found} is installed; this script needs mutmut=={version}")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def _pytest_options(root: Path) -> dict[str, Any]:
    """The project's pytest options, without its doctests and test paths."""
    with open(root / "pyproject.toml", "rb") as f:
        options = dict(tomllib.load(f)["tool"]["pytest"]["ini_options"])
    options.pop("testpaths", None)
    options["addopts"] = [
        a for a in options.get("addopts", []) if not a.startswith("--doctest")
    ] + ["-p", "no:cacheprovider"]
    return options


def _tests(root: Path, module: dict[str, Any]) -> list[str]:
    """The test files of a module's run: its own, then the common ones."""
    common = [t for t in _load_config()["mutmut"].get("common_tests", []) if (root / t).is_file()]
    return list(dict.fromkeys([*module["tests"], *common]))


def _prepare(root: Path, work: Path, name: str, module: dict[str, Any], fresh: bool) -> None:
    settings = _load_config()["mutmut"]
    if fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", "*.egg-info")
    for part in ("src", "tests"):
        if (work / part).exists():
            shutil.rmtree(work / part)
        shutil.copytree(root / part, work / part, ignore=ignore)
    shutil.copy2(PLUGIN, work / f"{PLUGIN_NAME}.py")
    mutmut = {
        "source_paths": ["src"],
        "only_mutate": [module["path"]],
        "pytest_add_cli_args": ["-p", PLUGIN_NAME, "--hypothesis-profile=mutation"],
        "pytest_add_cli_args_test_selection": _tests(root, module),
        "also_copy": [f"{PLUGIN_NAME}.py"],
        "use_git_change_detection": False,
        "on_dependency_change": "ignore",
        "timeout_constant": float(settings["timeout_constant"]),
        "timeout_multiplier": float(settings["timeout_multiplier"]),
        "process_isolation": settings["process_isolation"],
    }
    lines = [f"# Written by tools/mutation.py for the module {name}; do not edit.", ""]
    for table, values in (
        ("tool.pytest.ini_options", _pytest_options(root)),
        ("tool.mutmut", mutmut),
    ):
        lines.append(f"[{table}]")
        lines.extend(f"{key} = {_toml_value(value)}" for key, value in values.items())
        lines.append("")
    (work / "pyproject.toml").write_text("\n".join(lines), encoding="utf-8")


def _all_mutant_names(work: Path, module: dict[str, Any]) -> list[str]:
    """The names mutmut gives the module's mutants (computed the way it does)."""
    code = (
        "import sys, json; sys.path.insert(0, sys.argv[1]);"
        "import mutation; mutation._allow_decorators(frozenset(json.loads(sys.argv[2])));"
        "from pathlib import Path;"
        "from mutmut.mutation.file_mutation import mutate_file_contents;"
        "from mutmut.utils.format_utils import get_mutant_name;"
        "p = Path(sys.argv[3]);"
        "m = mutate_file_contents(str(p), p.read_text());"
        "print(json.dumps([get_mutant_name(p, n) for n in m.mutant_names]))"
    )
    allowed = json.dumps(_load_config()["mutmut"]["allow_decorators"])
    out = subprocess.run(
        [sys.executable, "-c", code, str(HERE), allowed, module["path"]],
        cwd=work,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return list(json.loads(out))


# -- results -----------------------------------------------------------------


def _status_by_mutant(work: Path, module: dict[str, Any]) -> tuple[dict[str, str], int]:
    """The status of each mutant checked, and the number of mutants made."""
    from mutmut.stats import status_by_exit_code

    meta = work / "mutants" / (module["path"] + ".meta")
    if not meta.exists():
        return {}, 0
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return {k: status_by_exit_code[v] for k, v in codes.items() if v is not None}, len(codes)


def _def_lines(source: str) -> dict[str, tuple[int, int]]:
    """First and last line of each function and method, by mutmut's key
    (the first is the ``def`` line)."""
    import ast

    found: dict[str, tuple[int, int]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found[f"x_{node.name}"] = (node.lineno, node.end_lineno or node.lineno)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    key = f"x\u01c1{node.name}\u01c1{item.name}"
                    found[key] = (item.lineno, item.end_lineno or item.lineno)
    return found


_HUNK = re.compile(r"^@@ -(\d+)")


def _mutated_line(diff: str, span: tuple[int, int], source_lines: list[str]) -> int:
    """The line of the original file that a function-relative diff changes.

    mutmut's diff numbers the lines of the function's copy from 1; the copy
    starts at its ``def`` (or at comments above it). The first removed line
    is looked up in the function's span, nearest to where the numbers put it.
    """
    first_line, last_line = span
    orig_line = 0
    def_at = None
    removed = None
    for line in diff.splitlines()[2:]:
        hunk = _HUNK.match(line)
        if hunk:
            orig_line = int(hunk.group(1))
            continue
        if line.startswith("+"):
            continue
        text = line[1:]
        if def_at is None and re.match(r"(async\s+)?def ", text):
            def_at = orig_line
        if line.startswith("-") and removed is None:
            removed = (orig_line, text.strip())
        orig_line += 1
    if removed is None or not first_line:
        return first_line
    estimate = first_line + removed[0] - (def_at or 1)
    matches = [
        n for n in range(first_line, last_line + 1) if source_lines[n - 1].strip() == removed[1]
    ]
    return min(matches, key=lambda n: abs(n - estimate)) if matches else estimate


def _survivors(
    work: Path, module: dict[str, Any], statuses: dict[str, str]
) -> list[dict[str, Any]]:
    """Each mutant not killed: its line in the original file and its diff."""
    names = sorted((k for k, s in statuses.items() if s not in DETECTED), key=_natural)
    if not names:
        return []
    code = (
        "import sys, json; sys.path.insert(0, sys.argv[1]);"
        "import mutation; mutation._allow_decorators(frozenset(json.loads(sys.argv[2])));"
        "from mutmut.mutation.diff_apply import get_diff_for_mutant;"
        "names = json.loads(sys.stdin.read());"
        "print(json.dumps({n: get_diff_for_mutant(n, path=sys.argv[3]) for n in names}))"
    )
    allowed = json.dumps(_load_config()["mutmut"]["allow_decorators"])
    out = subprocess.run(
        [sys.executable, "-c", code, str(HERE), allowed, module["path"]],
        cwd=work,
        input=json.dumps(names),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    diffs = json.loads(out)
    source = (work / module["path"]).read_text(encoding="utf-8")
    def_lines = _def_lines(source)
    source_lines = source.splitlines()
    found = []
    for name in names:
        function = name.rpartition(".")[2].partition("__mutmut_")[0]
        diff = diffs[name]
        line = _mutated_line(diff, def_lines.get(function, (0, 0)), source_lines)
        changes = [d for d in diff.splitlines()[2:] if d[:1] in "+-"]
        found.append({"mutant": name, "status": statuses[name], "line": line, "diff": changes})
    found.sort(key=lambda s: (s["line"], _natural(s["mutant"])))
    return found


def _natural(name: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name))


def _summary(statuses: dict[str, str]) -> dict[str, int]:
    counts = dict.fromkeys(ORDER, 0)
    for status in statuses.values():
        counts[status] = counts.get(status, 0) + 1
    return counts


def _score(counts: dict[str, int]) -> tuple[int, int, float]:
    checked = sum(n for s, n in counts.items() if s != "skipped")
    detected = sum(counts.get(s, 0) for s in DETECTED)
    return detected, checked, (100.0 * detected / checked if checked else 0.0)


# -- commands ----------------------------------------------------------------


def _selected(config: dict[str, Any], names: list[str], root: Path) -> dict[str, dict[str, Any]]:
    """The modules named (all by default), with the path and tests found in ``root``."""
    modules = config["modules"]
    unknown = [n for n in names if n not in modules]
    if unknown:
        sys.exit(f"unknown module(s) {', '.join(unknown)}; known: {', '.join(modules)}")
    found = {}
    for name in names or modules:
        module = dict(modules[name])
        paths = [module["path"]] if isinstance(module["path"], str) else module["path"]
        existing = [p for p in paths if (root / p).is_file()]
        if not existing:
            sys.exit(f"{name}: none of {', '.join(paths)} is in {root}")
        module["path"] = existing[0]
        missing = [t for t in module["tests"] if not (root / t).is_file()]
        if missing:
            print(f"{name}: not in this checkout, left out: {', '.join(missing)}")
        module["tests"] = [t for t in module["tests"] if t not in missing]
        found[name] = module
    return found


def _run(args: argparse.Namespace) -> int:
    config = _load_config()
    _check_mutmut(config["mutmut"]["version"])
    if os.nice(0) < 15:
        os.nice(15 - os.nice(0))
    root, workdir = args.root.resolve(), args.workdir.resolve()
    env = dict(os.environ, PYTHONHASHSEED="0", CIO_MUTATION_EXAMPLES=str(args.examples))
    env.pop("MUTANT_UNDER_TEST", None)
    failed = 0
    for name, module in _selected(config, args.modules, root).items():
        work = workdir / name
        _prepare(root, work, name, module, fresh=not args.resume)
        names: list[str] = list(args.mutants)
        if args.sample:
            every = _all_mutant_names(work, module)
            names = sorted(random.Random(args.seed).sample(every, min(args.sample, len(every))))
            print(f"{name}: checking {len(names)} of {len(every)} mutants (seed {args.seed})")
        print(f"== {name}: {module['path']}", flush=True)
        start = time.monotonic()
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "_mutmut",
            "run",
            "--max-children",
            "1",
        ]
        done = subprocess.run(command + names, cwd=work, env=env)
        seconds = time.monotonic() - start
        if done.returncode:
            print(f"{name}: mutmut exited with {done.returncode}", file=sys.stderr)
            failed += 1
        (work / "timing.json").write_text(
            json.dumps(
                {
                    "seconds": round(seconds, 1),
                    "sample": args.sample,
                    "seed": args.seed,
                    "examples": args.examples,
                    "mutants": names or None,
                }
            ),
            encoding="utf-8",
        )
        print(f"== {name}: {seconds / 60:.1f} min", flush=True)
    _report(args)
    return 1 if failed else 0


def _report(args: argparse.Namespace) -> int:
    config = _load_config()
    root, workdir = args.root.resolve(), args.workdir.resolve()
    rows = []
    total = dict.fromkeys(ORDER, 0)
    listing: list[str] = []
    made_in_all = 0
    estimated_killed = 0.0
    for name, module in _selected(config, args.modules, root).items():
        work = workdir / name
        statuses, made = _status_by_mutant(work, module)
        if not statuses:
            print(f"{name}: no results in {work}")
            continue
        counts = _summary(statuses)
        for status, n in counts.items():
            total[status] = total.get(status, 0) + n
        timing = work / "timing.json"
        minutes = (
            json.loads(timing.read_text())["seconds"] / 60 if timing.exists() else float("nan")
        )
        _, checked, score = _score(counts)
        made_in_all += made
        estimated_killed += score / 100 * made
        rows.append((name, counts, minutes, f"{checked}/{made}"))
        if args.survivors:
            survivors = _survivors(work, module, statuses)
            sample = f" (a sample of the {made} mutants)" if checked < made else ""
            listing.append(
                f"## {module['path']}: {len(survivors)} not killed of {checked} checked"
                f"{sample} ({score:.1f} % killed)\n"
            )
            for s in survivors:
                listing.append(f"{module['path']}:{s['line']}: {s['status']}: {s['mutant']}")
                listing.extend(f"    {d}" for d in s["diff"])
            listing.append("")
    print(
        f"{'module':<14}{'checked':>11}{'killed':>8}{'timeout':>8}{'survived':>9}"
        f"{'no tests':>9}{'other':>6}{'score':>9}{'minutes':>9}"
    )
    checked_in_all = sum(n for s, n in total.items() if s != "skipped")
    rows.append(("total", total, sum(r[2] for r in rows), f"{checked_in_all}/{made_in_all}"))
    for name, counts, minutes, checked_of in rows:
        other = counts.get("suspicious", 0) + counts.get("segfault", 0)
        _, checked, score = _score(counts)
        print(
            f"{name:<14}{checked_of:>11}{counts['killed']:>8}{counts['timeout']:>8}"
            f"{counts['survived']:>9}{counts['no tests']:>9}{other:>6}{score:>8.1f}%{minutes:>9.1f}"
        )
    if made_in_all and checked_in_all < made_in_all:
        print(
            "some modules were sampled: over all the mutants made, each module's score "
            f"weighted by its number of mutants, {100 * estimated_killed / made_in_all:.1f}% killed"
        )
    if args.survivors:
        Path(args.survivors).write_text("\n".join(listing) + "\n", encoding="utf-8")
        print(f"survivors written to {args.survivors}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_mutmut"]:
        return _mutmut(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=HERE.parent, help="the checkout to test")
    parser.add_argument("--workdir", type=Path, default=None, help="default: ROOT/build/mutation")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="mutate modules and run their tests")
    run.add_argument("modules", nargs="*", help="names in tools/mutation.toml (default: all)")
    run.add_argument("--resume", action="store_true", help="keep earlier results")
    run.add_argument(
        "--mutants", nargs="+", default=[], help="only these mutants (mutmut patterns)"
    )
    run.add_argument("--sample", type=int, default=0, help="check N random mutants per module")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--survivors", help="also write the mutants not killed to this file")
    run.add_argument(
        "--examples",
        type=int,
        default=None,
        help="Hypothesis examples per property test (default: tools/mutation.toml)",
    )
    passthrough = commands.add_parser(
        "mutmut", help="run a mutmut command (show, results, browse) in a module's directory"
    )
    passthrough.add_argument("module")
    passthrough.add_argument("arguments", nargs=argparse.REMAINDER)
    report = commands.add_parser("report", help="print the scores of the last runs")
    report.add_argument("modules", nargs="*")
    report.add_argument("--survivors", help="also write the mutants not killed to this file")
    args = parser.parse_args(argv)
    if args.workdir is None:
        args.workdir = args.root / "build" / "mutation"
    if args.command == "mutmut":
        work = args.workdir.resolve() / args.module
        command = [sys.executable, str(Path(__file__).resolve()), "_mutmut", *args.arguments]
        return subprocess.run(command, cwd=work).returncode
    if args.command == "run":
        if args.examples is None:
            args.examples = _load_config()["mutmut"]["hypothesis_examples"]
        return _run(args)
    return _report(args)


if __name__ == "__main__":
    sys.exit(main())
