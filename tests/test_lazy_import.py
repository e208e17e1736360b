"""``import cio_framework`` imports nothing else; each public name on first use.

The package lists its public names three times by necessity: ``__all__``,
the map ``_WHERE`` that the lazy ``__getattr__`` reads, and the imports
type checkers see. These tests keep the three equal, check that each name
resolves to the object its module defines, and that importing the package
loads none of its modules.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import cio_framework

INIT = Path(cio_framework.__file__)


def _type_checking_imports() -> dict[str, str]:
    """Name to module (``.config`` ...) of the ``if TYPE_CHECKING:`` imports."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom)
                for alias in statement.names:
                    found[alias.asname or alias.name] = "." * statement.level + (
                        statement.module or ""
                    )
    return found


def test_the_three_lists_of_public_names_agree():
    lazy = dict(cio_framework._WHERE)
    assert _type_checking_imports() == lazy
    assert set(cio_framework.__all__) == set(lazy) | {"__version__"}
    assert len(cio_framework.__all__) == len(set(cio_framework.__all__))


@pytest.mark.parametrize("name", sorted(cio_framework._WHERE))
def test_each_name_is_the_object_its_module_defines(name):
    module = importlib.import_module(cio_framework._WHERE[name], "cio_framework")
    assert getattr(cio_framework, name) is getattr(module, name)
    assert name in dir(cio_framework)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'nothing_here'"):
        cio_framework.nothing_here  # noqa: B018


def test_importing_the_package_loads_none_of_its_modules():
    code = (
        "import sys, cio_framework\n"
        "print(sorted(m for m in sys.modules if m.startswith('cio_framework.')))\n"
        "import cio_framework.model\n"
        "print(cio_framework.model.System.__name__, cio_framework.analysis.islands.__name__)\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert shown == ["[]", "System islands"]
