"""Sphinx configuration for the cio_framework documentation.

Build the HTML pages and run the examples in the pages with::

    sphinx-build -b html -n -W docs docs/_build/html
    sphinx-build -b doctest docs docs/_build/doctest
"""

from __future__ import annotations

import os
import sys

# Document the checkout, installed or not.
sys.path.insert(0, os.path.abspath("../src"))

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
]

exclude_patterns = ["_build"]

# -- HTML -------------------------------------------------------------------

html_theme = "alabaster"

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
    ("py:class", "collections.abc.Callable"),
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
    # Third-party type in cio_framework.testing's return annotations.
    ("py:class", "hypothesis.strategies.SearchStrategy"),
    # FrozenMap's bases show its private type variables: Mapping[K, V].
    ("py:class", "cio_framework.model._frozenmap.K"),
    ("py:class", "cio_framework.model._frozenmap.V"),
    # LoadedScenario's sources are typed with SourceText (config._load),
    # which is not public.
    ("py:class", "cio_framework.config._load.SourceText"),
    # valid_id's docstring refers to MAX_ID_LENGTH, whose ``#:`` comment is
    # in the private module model._base; autodoc does not document a
    # re-exported constant without a docstring, so there is no target.
    ("py:data", "MAX_ID_LENGTH"),
]
