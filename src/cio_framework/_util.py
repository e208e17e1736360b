"""Small helpers shared across layers."""

from __future__ import annotations

import contextlib
import gc
import operator
import types
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar, cast

import attrs

__all__ = ["by_id", "counted", "gc_paused", "slot_maker", "slot_of", "tuple_of"]

_T = TypeVar("_T")


def by_id(elements: Iterable[_T]) -> list[_T]:
    """``elements`` (with an ``id`` each) sorted by id, in code-point order:
    what a result lists in this order does not depend on the order of a
    scenario's lists.

    Examples
    --------
    >>> from types import SimpleNamespace as Element
    >>> [e.id for e in by_id([Element(id="b"), Element(id="a"), Element(id="B")])]
    ['B', 'a', 'b']
    """
    return sorted(elements, key=operator.attrgetter("id"))


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


def slot_of(cls: type, name: str) -> Any:
    """The member descriptor of slot ``name``, from the class that declares it.

    Its ``__set__`` sets the slot without ``object.__setattr__``'s lookup by
    name, and like it, is not stopped by the class being frozen.

    Examples
    --------
    >>> import attrs
    >>> @attrs.frozen
    ... class Point:
    ...     x: int
    >>> p = Point(1)
    >>> slot_of(Point, "x").__set__(p, 2)
    >>> p
    Point(x=2)
    """
    for klass in cls.__mro__:
        if name in klass.__dict__:
            descriptor = klass.__dict__[name]
            if not isinstance(descriptor, types.MemberDescriptorType):
                raise TypeError(f"{cls.__name__}.{name} is not a slot")
            return descriptor
    raise TypeError(f"{cls.__name__} has no slot {name!r}")


def slot_maker(cls: type[_T]) -> Callable[..., _T]:
    """A function making an instance of the slotted attrs class ``cls``
    through its slots, from a keyword argument for each field.

    It runs no converter, validator or default: each value must already be
    what ``cls(...)`` would store. For the analyses that make a million
    values at national scale, it takes about half the time of ``cls(...)``.
    The generated source holds the class's field names and nothing else.

    Examples
    --------
    >>> import attrs
    >>> @attrs.frozen
    ... class Point:
    ...     x: int
    ...     y: int
    >>> make = slot_maker(Point)
    >>> make(x=1, y=2) == Point(1, 2)
    True
    """
    names = [a.name for a in attrs.fields(cast("type[attrs.AttrsInstance]", cls))]
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    lines = [f"def make(*, {', '.join(names)}):", "    made = new(cls)"]
    for number, name in enumerate(names):
        namespace[f"S{number}"] = slot_of(cls, name).__set__
        lines.append(f"    S{number}(made, {name})")
    lines.append("    return made")
    exec(compile("\n".join(lines), f"<slot maker of {cls.__qualname__}>", "exec"), namespace)
    make: Callable[..., _T] = namespace["make"]
    return make


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, in the plural unless ``n`` is 1.

    The plural is ``noun`` with an ``s``, or ``plural`` when given.

    Examples
    --------
    >>> counted(1, "problem"), counted(2, "problem")
    ('1 problem', '2 problems')
    >>> counted(1, "body", "bodies"), counted(0, "body", "bodies")
    ('1 body', '0 bodies')
    """
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {plural if plural is not None else noun + 's'}"
