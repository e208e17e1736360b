"""Small helpers shared across layers."""

from __future__ import annotations

from typing import Any

__all__ = ["tuple_of"]


def tuple_of(value: Any) -> tuple[Any, ...]:
    """attrs converter: any iterable except a string, as a tuple.

    Examples
    --------
    >>> tuple_of(["a", "b"])
    ('a', 'b')
    >>> tuple_of("ab")
    Traceback (most recent call last):
    ...
    TypeError: expected a list, not a string
    """
    if isinstance(value, str):
        raise TypeError("expected a list, not a string")
    return tuple(value)
