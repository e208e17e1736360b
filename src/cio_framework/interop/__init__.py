"""Other formats in and out: spreadsheets, Backstage catalogues, ArchiMate models.

Each importer reads its format into an :class:`Imported`, the scenario's
data in its file shape with every problem located in the source files;
each exporter writes a scenario back. This package sits beside
:mod:`cio_framework.config`: it knows the model and the file format, and
no analysis.
"""

from __future__ import annotations

from ._result import Imported

__all__ = ["Imported"]
