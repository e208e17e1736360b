"""Optional dependencies (the extras), imported when first needed."""

from __future__ import annotations

from typing import Any

from .exceptions import MissingDependencyError

__all__ = ["require"]


def require(module: str, extra: str) -> Any:
    """Import an optional dependency or raise :class:`MissingDependencyError`."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(module=module, extra=extra) from None
