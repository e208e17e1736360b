"""The console sessions in the documentation show what the command line prints.

Where the blocks come from
--------------------------
Every ``.. code-block:: console`` directive in ``docs/**/*.rst`` and every
fenced code block marked ``console`` in ``README.md`` (the README has none
today: its ``sh`` blocks list commands without output). Each block is one
pytest parameter, with an id such as ``cli.rst:233`` (the file, relative to
``docs/``, or ``README.md``, and the line of the directive or fence).

A block is a series of commands, each a line starting with ``$ `` and
followed by its documented output: the lines up to the next command or the
end of the block.

Which commands run
------------------
A command runs in-process through :func:`cio_framework.cli.main`, in an
empty temporary directory (so a built-in name never resolves to a stray
file), with standard output and standard error captured together into one
stream, in the order they are written, as a terminal shows them. A command is
skipped, by the first of these rules that applies, with that reason:

1. it is not a ``cio-framework`` command (``pip``, ``jupyter``, ``python``,
   ``sh`` ...). ``echo $?`` is the exception: it is checked against the exit
   code of the command before it, and skipped if that command was skipped;
2. it uses a pipe or a redirection (``|``, ``>``, ``<``);
3. it writes a file (``-o``/``--output``);
4. it reads a user file: a ``PATH`` argument that is not a built-in scenario
   (``my.yaml``, ``my-district``, ``national.json``, ``epb-candidates.yaml``
   ...); commands without a ``PATH`` (``checks``, ``example --list``,
   ``report``, which defaults to ``pudong-2016``) run;
5. its documented output shows timing or progress (an elapsed time in
   seconds, as the progress line on a terminal shows). Progress lines go to a
   terminal only, so the captured runs never print one.

A block runs its commands that are not skipped; a block in which every
command is skipped is reported as skipped, with each command's reason. The
test ``test_skipped_commands`` lists every skipped command with its reason,
and fails if a command is skipped that is not in the expected list, so that
a new block, or a parsing mistake, cannot go unchecked silently.

How output is compared
----------------------
The documented output is the block's text, less the block's indentation. It
is compared with the captured output line by line, exactly, except that

* trailing whitespace of each line is ignored, and so are blank lines at the
  end of a command's output (reStructuredText cannot show them);
* a line that is only ``...`` matches any run of lines, none included;
* ``...`` within a line matches any text within that line (for example the
  directory of the installed package in ``.../cio_framework/data/...``).

A command with no documented output must print nothing. To show a command
without its output, follow it with a ``...`` line.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cio_framework.cli import UsageError, build_parser, main
from cio_framework.data import BUILTIN_SCENARIOS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"

#: Commands skipped on purpose, as (file, command, reason key), in the order
#: of the files and blocks. A command skipped and not listed here, or listed
#: and no longer skipped, fails ``test_skipped_commands``.
EXPECTED_SKIPS = [
    ("cli.rst", "cio-framework validate --lenient city", "user file"),
    ("cli.rst", "cio-framework report pudong-2016 --format html -o pudong.html", "writes"),
    ("cli.rst", "cio-framework example > my.yaml", "pipe"),
    ("cli.rst", "cio-framework export pudong-2016 --format dot | head", "pipe"),
    ("cli.rst", "cio-framework export pudong-2016 -o pudong.graphml", "writes"),
    ("cli.rst", "cio-framework candidates epb-candidates.yaml", "user file"),
    ("cli.rst", "cio-framework candidates epb-candidates.yaml --role cio-office", "user file"),
    ("cli.rst", "cio-framework schema -o cio-framework.schema.json", "writes"),
    ("cli.rst", "cio-framework upgrade city.yaml -o city-v2.yaml", "writes"),
    ("cli.rst", "cio-framework synth --systems 100000 --seed 1 -o national.json", "writes"),
    ("cli.rst", "cio-framework islands national.json", "user file"),
    ("configuration.rst", "cio-framework validate my-district", "user file"),
    ("editor.rst", "cio-framework schema -o cio-framework.schema.json", "writes"),
    (
        "howto/budget.rst",
        "cio-framework priorities pudong-2016 --budget 3 --format json > plan.json",
        "pipe",
    ),
    ("howto/ci.rst", "sh validate-scenarios.sh", "not cio-framework"),
    ("howto/ci.rst", "echo $?", "after a skipped command"),
    ("howto/compare.rst", "cio-framework compare pudong-2016 us-federal my-district", "user file"),
    (
        "howto/compare.rst",
        "cio-framework compare pudong-2016 us-federal --format markdown > comparison.md",
        "pipe",
    ),
    ("howto/folders.rst", "cio-framework validate my-district", "user file"),
    (
        "howto/jurisdiction.rst",
        "cio-framework example > city.yaml              # the Pudong pilot",
        "pipe",
    ),
    (
        "howto/jurisdiction.rst",
        "cio-framework example us-federal > city.yaml   # a US federal agency",
        "pipe",
    ),
    (
        "howto/notebook.rst",
        "pip install 'cio_framework[pandas,plot]' jupyterlab",
        "not cio-framework",
    ),
    ("howto/notebook.rst", "jupyter lab", "not cio-framework"),
    ("howto/notebook.rst", "pip install -e '.[plot,pandas,notebook]'", "not cio-framework"),
    ("howto/notebook.rst", "jupyter execute examples/explore_pudong.ipynb", "not cio-framework"),
    ("howto/province.rst", "cio-framework example guangdong-cdo-2021 > province.yaml", "pipe"),
    ("howto/province.rst", "cio-framework upgrade city.yaml -o city-v2.yaml", "writes"),
    ("howto/province.rst", "cio-framework upgrade my-district/ -o my-district-v2/", "writes"),
    ("quickstart.rst", "pip install .", "not cio-framework"),
    ("quickstart.rst", "cio-framework example > my.yaml", "pipe"),
    ("quickstart.rst", "cio-framework validate my.yaml", "user file"),
    ("quickstart.rst", "cio-framework validate my.yaml", "user file"),
    ("quickstart.rst", "echo $?", "after a skipped command"),
    ("quickstart.rst", "cio-framework validate my.yaml", "user file"),
    ("quickstart.rst", "echo $?", "after a skipped command"),
    ("quickstart.rst", "python examples/quickstart.py", "not cio-framework"),
    ("research.rst", "pip install 'cio_framework[pandas,plot]'", "not cio-framework"),
]

_REASONS = {
    "not cio-framework": "not a cio-framework command",
    "after a skipped command": "echo $? after a skipped command",
    "pipe": "uses a pipe or a redirection",
    "writes": "writes a file (-o/--output)",
    "user file": "reads a user file",
    "timing": "its output shows timing or progress",
}

#: An elapsed time as the progress line shows it ("loading x … 3 s"), or a
#: duration in a sentence.
_TIMING = re.compile(r"…\s*\d+ s\b|\b\d+(\.\d+)? ?(ms|seconds?)\b")


@dataclass
class Command:
    line: int  # in the documentation file
    text: str  # after "$ "
    output: list[str] = field(default_factory=list)


@dataclass
class Block:
    id: str
    commands: list[Command]


def _console_blocks_rst(path: Path, name: str) -> list[Block]:
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        match = re.match(r"^(\s*)\.\. code-block:: console\s*$", lines[i])
        if not match:
            i += 1
            continue
        outer = len(match.group(1))
        start = i + 1
        j = start
        while j < len(lines) and (
            not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > outer
        ):
            j += 1
        body = [(n + 1, lines[n]) for n in range(start, j)]
        blocks.append(Block(f"{name}:{i + 1}", _commands(body)))
        i = j
    return blocks


def _console_blocks_markdown(path: Path, name: str) -> list[Block]:
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```console":
            i += 1
            continue
        j = i + 1
        while j < len(lines) and lines[j].strip() != "```":
            j += 1
        body = [(n + 1, lines[n]) for n in range(i + 1, j)]
        blocks.append(Block(f"{name}:{i + 1}", _commands(body)))
        i = j + 1
    return blocks


def _commands(body: list[tuple[int, str]]) -> list[Command]:
    """Split a block's numbered lines into commands and their output."""
    texts = [text for _, text in body if text.strip()]
    indent = min((len(t) - len(t.lstrip()) for t in texts), default=0)
    commands: list[Command] = []
    for number, text in body:
        text = text[indent:].rstrip()
        if text.startswith("$ "):
            commands.append(Command(number, text[2:].strip()))
        elif commands:
            commands[-1].output.append(text)
        elif text:
            raise AssertionError(f"line {number}: output before the first command: {text!r}")
    for command in commands:
        while command.output and not command.output[-1]:
            command.output.pop()
    return commands


def _all_blocks() -> list[Block]:
    blocks = []
    for path in sorted(DOCS.rglob("*.rst")):
        if "_build" in path.parts:
            continue
        blocks.extend(_console_blocks_rst(path, path.relative_to(DOCS).as_posix()))
    blocks.extend(_console_blocks_markdown(README, README.name))
    return blocks


BLOCKS = _all_blocks()


def _skip_reason(command: Command, previous_skipped: bool | None) -> str | None:
    """The key of the reason to skip ``command`` (see the module docstring), or None."""
    tokens = shlex.split(command.text, comments=True)
    if tokens == ["echo", "$?"]:
        return "after a skipped command" if previous_skipped in (True, None) else None
    if not tokens or tokens[0] != "cio-framework":
        return "not cio-framework"
    if any(t in {"|", ">", ">>", "<", "2>", "2>&1"} or t.startswith(("|", ">")) for t in tokens):
        return "pipe"
    args = tokens[1:]
    if any(a in {"-o", "--output"} or a.startswith("--output=") for a in args):
        return "writes"
    try:
        parsed = build_parser().parse_args(args)
    except (UsageError, SystemExit):
        parsed = None  # a usage error reads no file: it runs
    if parsed is not None:
        paths = list(getattr(parsed, "paths", None) or [])
        if getattr(parsed, "path", None) is not None:
            paths.append(parsed.path)
        if any(p.removeprefix("builtin:") not in BUILTIN_SCENARIOS for p in paths):
            return "user file"
    if any(_TIMING.search(line) for line in command.output):
        return "timing"
    return None


def _plan(block: Block) -> list[tuple[Command, str | None]]:
    """Each command of ``block`` with the key of its skip reason, or None."""
    plan = []
    previous: bool | None = None
    for command in block.commands:
        reason = _skip_reason(command, previous)
        plan.append((command, reason))
        previous = reason is not None
    return plan


def _pattern(expected: list[str]) -> re.Pattern[str]:
    """The documented lines as a regular expression over the captured text."""
    parts = []
    for line in expected:
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append("[^\n]*".join(map(re.escape, line.split("..."))) + r"\n")
    return re.compile("".join(parts))


def _normalise(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` lines match the documented ``expected`` lines."""
    text = "".join(line + "\n" for line in _normalise("\n".join(actual)))
    return _pattern(_normalise("\n".join(expected))).fullmatch(text) is not None


def _run(command: str) -> tuple[int, str]:
    argv = shlex.split(command, comments=True)[1:]
    stream = io.StringIO()
    with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
        code = main(argv)
    return code, stream.getvalue()


@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_console_block(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The block's commands print what the documentation shows."""
    monkeypatch.chdir(tmp_path)
    plan = _plan(block)
    if all(reason is not None for _, reason in plan):
        pytest.skip(
            "; ".join(f"{c.text!r}: {_REASONS[reason or '']}" for c, reason in plan),
        )
    code = None
    for command, reason in plan:
        if reason is not None:
            continue
        if command.text.split() == ["echo", "$?"]:
            actual = [str(code)]
        else:
            code, out = _run(command.text)
            actual = _normalise(out)
            assert not list(tmp_path.iterdir()), f"$ {command.text} wrote a file"
        if not matches(command.output, actual):
            diff = "\n".join(
                difflib.unified_diff(
                    command.output, actual, "documented", "printed", lineterm="", n=2
                )
            )
            pytest.fail(f"line {command.line}: $ {command.text}\n{diff}", pytrace=False)


def test_skipped_commands() -> None:
    """Exactly the expected commands are skipped, each for its expected reason."""
    skipped = [
        (block.id.rsplit(":", 1)[0], command.text, reason)
        for block in BLOCKS
        for command, reason in _plan(block)
        if reason is not None
    ]
    assert skipped == EXPECTED_SKIPS


def test_some_blocks_are_checked() -> None:
    """The parser finds the blocks: most of them run something."""
    checked = [b.id for b in BLOCKS if any(r is None for _, r in _plan(b))]
    assert len(checked) >= 20, checked


@pytest.mark.parametrize(
    ("expected", "actual", "ok"),
    [
        (["a", "b"], ["a", "b  "], True),
        (["a", "b"], ["a", "c"], False),
        (["a", "b"], ["a"], False),
        (["a", "..."], ["a"], True),
        (["a", "...", "z"], ["a", "b", "c", "z"], True),
        (["a", "...", "z"], ["a", "b", "c"], False),
        (["x: .../data/f.yaml:1"], ["x: /usr/lib/cio/data/f.yaml:1"], True),
        (["x: .../data/f.yaml:1"], ["x: /usr/lib/cio/data/g.yaml:1"], False),
        (["a.b"], ["axb"], False),
        ([], [], True),
        ([], ["something"], False),
    ],
)
def test_matching_rule(expected: list[str], actual: list[str], ok: bool) -> None:
    """The comparison rule of the module docstring."""
    assert matches(expected, actual) is ok
