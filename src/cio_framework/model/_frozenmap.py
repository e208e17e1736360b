"""An immutable, hashable mapping used for model fields such as RACI tables."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar, overload

K = TypeVar("K")
V = TypeVar("V")

__all__ = ["FrozenMap"]


class FrozenMap(Mapping[K, V], Generic[K, V]):
    """A read-only mapping that keeps insertion order and can be hashed.

    Equality follows :class:`dict`: order does not matter, and a
    ``FrozenMap`` equals a plain ``dict`` with the same items.

    Parameters
    ----------
    items
        A mapping or an iterable of ``(key, value)`` pairs.

    Examples
    --------
    >>> raci = FrozenMap({"epb-cio": "A", "cio-office": "C"})
    >>> raci["epb-cio"]
    'A'
    >>> raci == {"cio-office": "C", "epb-cio": "A"}
    True
    >>> hash(raci) == hash(FrozenMap([("cio-office", "C"), ("epb-cio", "A")]))
    True
    """

    __slots__ = ("_data", "_hash")

    _data: dict[K, V]
    _hash: int | None

    @overload
    def __init__(self) -> None: ...
    @overload
    def __init__(self, items: Mapping[K, V]) -> None: ...
    @overload
    def __init__(self, items: Iterable[tuple[K, V]]) -> None: ...
    def __init__(self, items: Any = ()) -> None:
        object.__setattr__(self, "_data", dict(items))
        object.__setattr__(self, "_hash", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("FrozenMap is immutable")

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            object.__setattr__(self, "_hash", hash(frozenset(self._data.items())))
        assert self._hash is not None
        return self._hash

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def to_dict(self) -> dict[K, V]:
        """A new, mutable :class:`dict` with the same items (a C-level copy).

        Examples
        --------
        >>> FrozenMap({"a": 1}).to_dict()
        {'a': 1}
        """
        return dict(self._data)

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[dict[K, V]]]:
        return (type(self), (self._data,))
