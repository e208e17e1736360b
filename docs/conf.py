"""Sphinx configuration for the cio_framework documentation.

Build the HTML pages and run the examples in the pages with::

    sphinx-build -b html -n -W docs docs/_build/html
    sphinx-build -b doctest docs docs/_build/doctest

The HTML pages need the ``docs`` extra (Sphinx, the Furo theme and
myst-parser, which includes CHANGELOG.md); with it alone, the API page
cannot document cio_framework.testing, which imports Hypothesis, and that
warning fails ``-W``. The examples of research.rst, notebook.rst and some
how-to guides use pandas and matplotlib. Install the package with
``pip install -e '.[test,docs]'`` (the test extra brings every optional
dependency) for both.

_ext/cio_config_reference.py generates the configuration reference
(reference.rst) from the model when the pages are built.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from typing import Any

# Document the checkout, installed or not; the local extensions are in _ext.
sys.path.insert(0, os.path.abspath("../src"))
sys.path.insert(0, os.path.abspath("_ext"))

project = "cio_framework"
author = "cio_framework developers"
copyright = "cio_framework developers"

import cio_framework  # noqa: E402 - needs the path above

release = cio_framework.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    # Markdown, used only to include CHANGELOG.md (changelog.md).
    "myst_parser",
    # The configuration reference, generated from the model (reference.rst).
    "cio_config_reference",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}

exclude_patterns = ["_build"]

# -- HTML -------------------------------------------------------------------

html_theme = "furo"
html_title = f"cio_framework {release}"

# -- autodoc and napoleon ---------------------------------------------------

napoleon_numpy_docstring = True
napoleon_google_docstring = False

autodoc_member_order = "bysource"

# -- doctest ----------------------------------------------------------------

# Only the ``.. doctest::`` blocks of these pages are run here. The examples
# in docstrings rely on their module's globals and are run by pytest
# (``--doctest-modules``, see pyproject.toml) instead.
doctest_test_doctest_blocks = ""

# -- nitpicky mode (sphinx-build -n) ------------------------------------------

# Each entry is a reference that cannot resolve; keep the list short and say
# why. Intersphinx is not used (builds must work offline), so the standard
# library and Hypothesis have no targets here.
nitpick_ignore = [
    # Standard library types in signatures.
    ("py:class", "os.PathLike"),
    ("py:class", "pathlib.Path"),
    ("py:class", "argparse.ArgumentParser"),
    ("py:class", "argparse.Namespace"),
    ("py:class", "collections.abc.Callable"),
    ("py:class", "collections.abc.Collection"),
    ("py:class", "collections.abc.Iterable"),
    ("py:class", "collections.abc.Iterator"),
    ("py:class", "collections.abc.Mapping"),
    ("py:class", "collections.abc.Sequence"),
    ("py:class", "datetime.date"),
    # ``dt.date``: model modules annotate with ``import datetime as dt``
    # under postponed annotations, and the attrs-generated ``__init__``
    # keeps that string unresolved in Meeting's and Scenario's signatures.
    ("py:class", "dt.date"),
    # Standard library modules named in the cio_framework.config docstring.
    ("py:mod", "json"),
    ("py:mod", "tomllib"),
    # Third-party types: in cio_framework.testing's return annotations, and
    # networkx's graph classes in to_networkx's docstring and in its return
    # annotation, which is written ``nx.MultiDiGraph[str] | nx.Graph[str]``
    # (networkx is imported only under TYPE_CHECKING, so the alias stays).
    ("py:class", "hypothesis.strategies.SearchStrategy"),
    ("py:class", "networkx.MultiDiGraph"),
    ("py:class", "networkx.Graph"),
    ("py:class", "nx.MultiDiGraph"),
    ("py:class", "nx.Graph"),
    # Optional third-party types (the dataframe and plot extras): pandas
    # in to_dataframe of the result values, matplotlib in cio_framework.plot.
    ("py:class", "pandas.DataFrame"),
    ("py:class", "matplotlib.axes.Axes"),
    # FrozenMap's bases show its private type variables: Mapping[K, V].
    ("py:class", "cio_framework.model._frozenmap.K"),
    ("py:class", "cio_framework.model._frozenmap.V"),
    # Scenario.get's overload shows its private type variable: type[_E].
    ("py:class", "cio_framework.model.scenario._E"),
    # EvidenceIndex.weak keeps its argument's element type: list[_E].
    ("py:class", "cio_framework.analysis.evidence._E"),
    # LoadedScenario's sources and origins are typed with SourceText and
    # Origins (config._load), which are not public; the signature shows
    # them by their short names.
    ("py:class", "cio_framework.config._load.SourceText"),
    ("py:class", "cio_framework.config._load.Origins"),
    ("py:class", "SourceText"),
    ("py:class", "Origins"),
]

# -- one description per object ---------------------------------------------

# The API page describes each object once, under one public name (see the
# top of api.rst). Two hooks fill the gaps this leaves:
#
# * autodoc reads a constant's ``#:`` comment only from the module named in
#   the directive, so a re-exported constant (``cio_framework.model.FACTORS``,
#   defined in model.landscape) would show the docstring of ``tuple``;
#   _constant_doc takes the comment from the module that defines it;
# * a reference through another public name of a documented function,
#   class or constant (``cio_framework.analysis.islands``, documented as
#   ``cio_framework.islands``) resolves to where it is documented. Objects
#   are matched by identity, so numbers, strings and the like (which may be
#   shared by unrelated names) are left out.

_MISSING = object()


def _import(name: str) -> Any:
    """The object a dotted name refers to, or _MISSING."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute, _MISSING)
            if found is _MISSING:
                break
        return found
    return _MISSING


def _constant_doc(app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]) -> None:
    if what != "data":
        return
    short = name.rpartition(".")[2]
    from sphinx.errors import PycodeError
    from sphinx.pycode import ModuleAnalyzer

    for module_name, module in sorted(sys.modules.items()):
        if not module_name.startswith("cio_framework") or getattr(module, short, None) is not obj:
            continue
        try:
            comment = ModuleAnalyzer.for_module(module_name).find_attr_docs().get(("", short))
        except PycodeError:  # a module without source has no comments
            continue
        if comment:
            lines[:] = list(comment)
            return
    lines[:] = []  # not the docstring of the value's type


_DOCUMENTED: dict[int, str] = {}


def _identifiable(obj: Any) -> bool:
    return obj is not _MISSING and not isinstance(obj, (int, float, str, bytes, type(None)))


def _other_name(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    if node.get("refdomain") != "py":
        return None
    domain = env.get_domain("py")
    if not _DOCUMENTED:
        for name, entry in domain.objects.items():
            if entry.aliased or entry.objtype not in ("function", "class", "exception", "data"):
                continue
            documented = _import(name)
            if _identifiable(documented) and not inspect.ismodule(documented):
                _DOCUMENTED.setdefault(id(documented), name)
    target = node["reftarget"]
    module = node.get("py:module")
    for name in ([f"{module}.{target}"] if module else []) + [target]:
        if not name.startswith("cio_framework."):
            continue
        found = _import(name)
        if not _identifiable(found):
            continue
        where = _DOCUMENTED.get(id(found))
        if where is not None and where != name:
            return domain.resolve_xref(
                env, node["refdoc"], app.builder, node["reftype"], where, node, contnode
            )
    return None


def setup(app: Any) -> None:
    app.connect("builder-inited", lambda app: _DOCUMENTED.clear())
    app.connect("autodoc-process-docstring", _constant_doc)
    app.connect("missing-reference", _other_name)
