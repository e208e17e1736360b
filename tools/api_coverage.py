"""Check that the API reference describes every public name.

A public name is one in the ``__all__`` of a public module (no part of its
dotted name starts with ``_``). It is described when the Sphinx inventory of
a built HTML reference (``objects.inv``) holds it under that module, under
the module that defines it, or under one of the packages that re-export it
(``cio_framework``, ``cio_framework.analysis``, ``cio_framework.model``,
``cio_framework.config``; see the note at the top of docs/api.rst). Run
after ``sphinx-build -b html docs OUT``::

    python tools/api_coverage.py OUT

Exit 0 when every public name is described; 1 with the missing ones listed.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

from sphinx.util.inventory import InventoryFile

import cio_framework

#: Packages whose re-exports stand for a name defined elsewhere.
EXPORTERS = (
    "cio_framework",
    "cio_framework.analysis",
    "cio_framework.model",
    "cio_framework.config",
    "cio_framework.analysis.checks",
)


def described(html: Path) -> set[str]:
    """Every object name the inventory of the built reference holds."""
    with (html / "objects.inv").open("rb") as handle:
        inventory = InventoryFile.load(handle, "", lambda base, target: target)
    return {name for entries in inventory.values() for name in entries}


def public_modules() -> list[str]:
    """``cio_framework`` and every submodule without a private part, sorted."""
    found = pkgutil.walk_packages(cio_framework.__path__, "cio_framework.")
    names = [m.name for m in found if not any(p.startswith("_") for p in m.name.split("."))]
    return ["cio_framework", *sorted(names)]


def missing(names: set[str]) -> dict[str, list[str]]:
    """Each public module's ``__all__`` names that ``names`` does not hold."""
    found: dict[str, list[str]] = {}
    for module_name in public_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            home = getattr(getattr(module, name, None), "__module__", None)
            places = {module_name, *EXPORTERS, *([home] if home else [])}
            if not {f"{place}.{name}" for place in places} & names:
                found.setdefault(module_name, []).append(name)
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tools/api_coverage.py HTML_DIR", file=sys.stderr)
        return 2
    gaps = missing(described(Path(argv[0])))
    for module_name, names in gaps.items():
        print(f"{module_name}: not in the API reference: {', '.join(names)}")
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
