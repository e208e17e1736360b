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
    """Pause Python's cyclic garbage collector; restore its previous state after.

    An explicit opt-in for scripts that run big analyses: the collector is
    process-wide, so pausing it pauses it for every thread, and no library
    call of cio_framework ever does it by itself. The command line does it
    for the run of a command, which owns its process. Loading and analysing
    a scenario of millions of elements makes millions of small objects and
    no reference cycles: each collection re-scans all of them for nothing,
    which costs a large scenario up to a third of its time
    (docs/performance.md).

    A context manager, and a decorator when called (``@gc_paused()``).

    Examples
    --------
    >>> import gc
    >>> import cio_framework
    >>> with cio_framework.gc_paused():
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
