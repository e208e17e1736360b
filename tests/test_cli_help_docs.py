"""The help texts docs/cli.rst shows are the command line's own.

Every ``.. code-block:: text`` block of docs/cli.rst that starts with
``usage: cio-framework`` is compared with what ``--help`` prints for that
command (or for the program), at a terminal width of 80 columns, line by
line, so that an option added to the parser cannot be missing from the
page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cio_framework.cli import build_parser

CLI_RST = Path(__file__).resolve().parents[1] / "docs" / "cli.rst"


def _help_blocks() -> list[tuple[str, list[str]]]:
    lines = CLI_RST.read_text(encoding="utf-8").split("\n")
    blocks = []
    for number, line in enumerate(lines):
        if line.strip() != ".. code-block:: text":
            continue
        body = []
        for text in lines[number + 2 :]:
            if text and not text.startswith("   "):
                break
            body.append(text[3:].rstrip())
        while body and not body[-1]:
            body.pop()
        if body and body[0].startswith("usage: cio-framework"):
            match = re.match(r"usage: cio-framework (\S+)", body[0])
            blocks.append((match.group(1) if match else "", body))
    return blocks


BLOCKS = _help_blocks()


def test_every_command_has_its_help_on_the_page():
    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(getattr(a, "choices", None), dict)]
    documented = {name for name, _ in BLOCKS}
    assert set(commands.choices) <= documented
    assert "[-h]" in documented  # the program's own usage line


@pytest.mark.parametrize(("name", "body"), BLOCKS, ids=[name for name, _ in BLOCKS])
def test_help_block_matches_the_parser(name, body, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(getattr(a, "choices", None), dict)]
    shown = commands.choices.get(name, parser)
    printed = [line.rstrip() for line in shown.format_help().rstrip("\n").split("\n")]
    assert body == printed
