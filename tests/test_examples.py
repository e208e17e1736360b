"""The examples run: scripts as subprocesses, the notebook through a real Jupyter kernel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize("script", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.name)
def test_example_script_runs(script, tmp_path):
    """Each example script exits 0 and prints something."""
    result = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip()


def documented_output(page: str, command: str) -> list[str]:
    """The lines a docs page shows ``command`` printing, in its console block."""
    lines = (EXAMPLES.parent / "docs" / page).read_text(encoding="utf-8").splitlines()
    start = lines.index(f"   $ {command}") + 1
    shown = []
    for line in lines[start:]:
        if (line and not line.startswith("   ")) or line.startswith("   $ "):
            break
        shown.append(line[3:])
    while shown and not shown[-1]:
        shown.pop()
    return shown


def test_the_quickstart_script_prints_what_the_quickstart_shows(tmp_path):
    """docs/quickstart.rst shows the whole output of examples/quickstart.py."""
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "quickstart.py")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        check=True,
    )
    printed = [line.rstrip() for line in result.stdout.rstrip("\n").splitlines()]
    assert printed == documented_output("quickstart.rst", "python examples/quickstart.py")


def test_expected_examples_exist():
    """The examples the documentation promises are there."""
    names = {p.name for p in EXAMPLES.iterdir()}
    assert {
        "quickstart.py",
        "what_if.py",
        "compare_jurisdictions.py",
        "explore_pudong.ipynb",
    } <= names


def test_notebook_runs_in_a_kernel(tmp_path):
    """The notebook runs top to bottom in a Jupyter kernel without errors."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(EXAMPLES / "explore_pudong.ipynb", as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o for o in outputs if "text/html" in o.get("data", {})]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert html, "results render as HTML tables"
    assert len(images) >= 3, "the three pictures are drawn"
