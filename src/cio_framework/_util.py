"""Small helpers shared across layers."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any

__all__ = ["gc_paused", "tuple_of"]


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


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector; restore its previous state after.

    A context manager, and a decorator when called (``@gc_paused()``). The
    loaders and analyses allocate many small objects over a scenario that
    may hold millions; a collection would re-scan all of them for no gain
    (they make no reference cycles).

    Examples
    --------
    >>> import gc
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
