"""Small helpers shared across layers."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

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


_P = ParamSpec("_P")
_R = TypeVar("_R")


def gc_paused(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorator: pause the cyclic garbage collector while ``function`` runs.

    The analyses allocate many small objects over a scenario that may hold
    millions; a collection would re-scan all of them for no gain (they make
    no reference cycles). The collector's previous state is restored.
    """

    @functools.wraps(function)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper
