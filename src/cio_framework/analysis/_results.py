"""Helpers shared by result values: plain dicts, records and HTML tables."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

import attr

from .._html import records_html
from .._optional import require

__all__ = ["Plain", "Tabular", "json_ready", "plain_dict", "records_html", "require"]


def json_ready(instance: object, attribute: object, value: Any) -> Any:
    """attrs ``value_serializer``: enums to their values, dates to ISO text,
    read-only mappings to dicts."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping) and not isinstance(value, dict):
        return dict(value)
    return value


def plain_dict(value: Any) -> dict[str, Any]:
    """An attrs value as a JSON-ready dict: nested values too, lists for tuples."""
    result: dict[str, Any] = attr.asdict(
        value, retain_collection_types=False, value_serializer=json_ready
    )
    return result


class Plain:
    """Mixin for attrs result values: :meth:`to_dict` with JSON-ready values."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The value's fields as a JSON-ready dict (lists, not tuples)."""
        return plain_dict(self)


class Tabular:
    """Mixin for results with ``to_records()``: a pandas DataFrame on demand."""

    __slots__ = ()

    def to_records(self) -> list[dict[str, Any]]:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_dataframe(self) -> Any:
        """The records as a :class:`pandas.DataFrame` (needs the ``pandas`` extra).

        Raises
        ------
        MissingDependencyError
            When pandas is not installed.
        """
        pandas = require("pandas", "pandas")
        return pandas.DataFrame.from_records(self.to_records())
