"""Imports run one way: from a layer only to the layers below it.

Layers, lowest first (a module may import its own layer and those below):

0. base: ``exceptions`` and the private top-level modules (``_util``,
   ``_html``, ``_progress``, any other ``_name``), which import nothing of
   the library but each other;
1. ``model``;
2. ``config`` (YAML to model and back) and ``interop`` (other formats:
   tables, Backstage catalogues, ArchiMate models, in and out);
3. ``data``, the built-in scenarios and packs: it loads them through
   ``config``;
4. ``graph``, views derived from the model;
5. ``analysis``;
6. ``report``, ``plot``, ``export``, and the two producers of inputs,
   ``synth`` (synthetic scenario texts) and ``testing`` (factories and
   Hypothesis strategies): the library itself never imports them, only
   the command line and users' tests do, so they may use any analysis;
7. ``cli``, ``__main__`` and the package's own ``__init__``, which gathers
   the public names of every layer.

Every ``import`` and ``from ... import`` counts, at the top of a module or
inside a function, under ``if TYPE_CHECKING`` or not, absolute or relative.
"""

from __future__ import annotations

import ast
from pathlib import Path

import cio_framework
from cio_framework.analysis.checks import CHECKS
from cio_framework.model import CHECK_INFO

PACKAGE = "cio_framework"
ROOT = Path(cio_framework.__file__).parent

LAYERS = {
    "exceptions": 0,
    "model": 1,
    "config": 2,
    "interop": 2,
    "data": 3,
    "graph": 4,
    "analysis": 5,
    "report": 6,
    "plot": 6,
    "export": 6,
    "synth": 6,
    "testing": 6,
    "cli": 7,
    "__main__": 7,
    "": 7,  # the package's __init__
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def layer(module: str) -> int:
    """The layer of a module of the package, by its first component."""
    parts = module.split(".")
    assert parts[0] == PACKAGE, module
    top = parts[1] if len(parts) > 1 else ""
    if top in LAYERS:
        return LAYERS[top]
    if top.startswith("_") and top != "__main__":
        return 0  # private base modules: _util, _html, _progress, ...
    raise AssertionError(f"{module}: no layer; add it to LAYERS and the docstring")


def is_package(module: str) -> bool:
    relative = module.split(".")[1:]
    return (ROOT.joinpath(*relative) / "__init__.py").exists()


def imported(module: str, tree: ast.Module) -> list[tuple[int, str]]:
    """``(line, module)`` of every import of the package in ``tree``."""
    package = module if is_package(module) else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                # "from . import config" imports the module cio_framework.config
                sub = f"{target}.{alias.name}"
                is_module = (
                    is_package(sub)
                    or (ROOT.joinpath(*sub.split(".")[1:-1]))
                    .joinpath(sub.split(".")[-1] + ".py")
                    .exists()
                )
                found.append((node.lineno, sub if is_module else target))
    return sorted((line, name) for line, name in found if name.split(".")[0] == PACKAGE)


def backward_imports() -> list[str]:
    wrong = []
    for path in sorted(ROOT.rglob("*.py")):
        module = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, target in imported(module, tree):
            if layer(target) > layer(module):
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {module} imports {target}")
    return wrong


def test_imports_run_only_from_higher_layers_to_lower_ones():
    """No module imports one of a higher layer, not even inside a function."""
    assert backward_imports() == []


def test_the_checker_sees_imports_inside_functions_and_relative_ones():
    """The checker resolves relative imports and looks inside functions."""
    tree = ast.parse(
        "def f():\n    from ..analysis.checks import CHECKS\n"
        "def g():\n    from .. import report\n"
        "import cio_framework.cli\n"
    )
    found = [name for _, name in imported(f"{PACKAGE}.model.scenario", tree)]
    assert found == [f"{PACKAGE}.analysis.checks", f"{PACKAGE}.report", f"{PACKAGE}.cli"]
    assert all(layer(name) > layer(f"{PACKAGE}.model.scenario") for name in found)


def test_every_module_has_a_layer():
    """A new top-level module must be placed in a layer (and in the docstring)."""
    for path in ROOT.rglob("*.py"):
        layer(module_name(path))


def test_the_check_registry_of_the_model_and_the_checks_of_the_analysis_agree():
    """Every check id the model knows has a check function, and no other."""
    assert list(CHECKS) == list(CHECK_INFO)
    for check_id, info in CHECK_INFO.items():
        rule = CHECKS[check_id]
        assert (rule.id, rule.severity, rule.title, rule.description) == (
            info.id,
            info.severity,
            info.title,
            info.description,
        )
