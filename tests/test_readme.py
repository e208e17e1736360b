"""The README's examples stay true to the code."""

from __future__ import annotations

import re
from pathlib import Path

import cio_framework

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_scenario_loads_and_is_analysed():
    """The YAML scenario in the README loads and gives the islands it promises."""
    text = README.read_text(encoding="utf-8")
    (block,) = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    scenario = cio_framework.loads(block)
    assert [g.systems for g in cio_framework.islands(scenario).islands] == [("epb-monitoring",)]
    best = cio_framework.priorities(scenario).priorities[0]
    assert best.kind == "provide_resource"
    assert "epb-cio" in best.accountable


def test_readme_commands_exist():
    """Every cio-framework command the README shows is a real command."""
    from cio_framework.cli import build_parser

    text = README.read_text(encoding="utf-8")
    commands = set(re.findall(r"^cio-framework (\w+)", text, flags=re.M))
    commands |= set(re.findall(r"&& cio-framework (\w+)", text))
    parser = build_parser()
    known = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert commands
    assert commands <= known
