"""How each model class maps to configuration: keys, types, references.

Both the structurer (YAML data to model) and the dumper (model to YAML data)
read these plans, so the two directions cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import types
import typing
from typing import Any

import attrs

from ..model import Element
from ..model._base import META
from ..model._frozenmap import FrozenMap

__all__ = ["FieldPlan", "TypeSpec", "plan_of"]


@attrs.frozen(kw_only=True)
class TypeSpec:
    """A field's type, reduced to what configuration cares about.

    ``kind`` is one of ``str``, ``int``, ``float``, ``bool``, ``date``,
    ``enum``, ``tuple``, ``map``, ``object``, ``any``.
    """

    kind: str
    optional: bool = False
    cls: Any = None
    item: TypeSpec | None = None

    def describe(self, plural: bool = False) -> str:
        """Plain-words description: ``"a list of strings"``.

        Examples
        --------
        >>> TypeSpec(kind="tuple", item=TypeSpec(kind="str")).describe()
        'a list of strings'
        """
        if self.kind in _WORDS:
            return _WORDS[self.kind][plural]
        if self.kind == "enum":
            return "one of " + ", ".join(repr(m.value) for m in self.cls)
        if self.kind in ("tuple", "map"):
            assert self.item is not None
            head = {
                "tuple": ("a list of ", "lists of "),
                "map": ("a mapping of keys to ", "mappings of keys to "),
            }
            return head[self.kind][plural] + self.item.describe(plural=True)
        if self.cls is not None and hasattr(self.cls, "__config_describe__"):
            return str(self.cls.__config_describe__)
        return "mappings" if plural else "a mapping"


_WORDS = {
    "str": ("a string", "strings"),
    "int": ("a whole number", "whole numbers"),
    "float": ("a number", "numbers"),
    "bool": ("true or false", "true or false values"),
    "date": ("a date YYYY-MM-DD", "dates YYYY-MM-DD"),
    "any": ("any value", "any values"),
}


@attrs.frozen(kw_only=True)
class FieldPlan:
    """One field of a model class as configuration sees it."""

    name: str
    key: str
    spec: TypeSpec
    required: bool
    default: Any
    doc: str
    ref: tuple[str, ...] | None
    key_ref: tuple[str, ...] | None
    minimum: float | None
    maximum: float | None
    exclusive_minimum: bool
    is_id: bool
    inherited: bool
    check: Any = None
    literals: tuple[str, ...] = ()
    key_check: Any = None
    reserved: tuple[str, ...] = ()
    cites: str | None = None

    def default_value(self) -> Any:
        """The default, with factories called."""
        if isinstance(self.default, attrs.Factory):  # type: ignore[arg-type]
            return self.default.factory()
        return self.default


def _spec(tp: Any) -> TypeSpec:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(members) != 1:  # pragma: no cover - the model uses no such unions
            raise TypeError(f"unsupported union {tp!r}")
        inner = _spec(members[0])
        return attrs.evolve(inner, optional=True)
    if tp is str:
        return TypeSpec(kind="str")
    if tp is bool:
        return TypeSpec(kind="bool")
    if tp is int:
        return TypeSpec(kind="int")
    if tp is float:
        return TypeSpec(kind="float")
    if tp is dt.date:
        return TypeSpec(kind="date")
    if tp is Any:
        return TypeSpec(kind="any")
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return TypeSpec(kind="enum", cls=tp)
    if origin is tuple:
        args = typing.get_args(tp)
        return TypeSpec(kind="tuple", item=_spec(args[0]))
    if origin is FrozenMap:
        args = typing.get_args(tp)
        return TypeSpec(kind="map", item=_spec(args[1]))
    if isinstance(tp, type) and attrs.has(tp):
        return TypeSpec(kind="object", cls=tp)
    raise TypeError(f"unsupported field type {tp!r}")  # pragma: no cover


_PLANS: dict[type, tuple[FieldPlan, ...]] = {}


def plan_of(cls: type) -> tuple[FieldPlan, ...]:
    """The configuration plan of an attrs model class, cached.

    Examples
    --------
    >>> from cio_framework.model import Role
    >>> [f.key for f in plan_of(Role)][:4]
    ['id', 'title', 'kind', 'level']
    """
    cached = _PLANS.get(cls)
    if cached is not None:
        return cached
    hints = typing.get_type_hints(cls)
    own = set(inspect.get_annotations(cls))
    plans = []
    for attribute in attrs.fields(cls):
        meta = attribute.metadata.get(META, {})
        plans.append(
            FieldPlan(
                name=attribute.name,
                key=meta.get("key") or attribute.name,
                spec=_spec(hints[attribute.name]),
                required=attribute.default is attrs.NOTHING,
                default=attribute.default,
                doc=meta.get("doc", ""),
                ref=meta.get("ref"),
                key_ref=meta.get("key_ref"),
                minimum=meta.get("minimum"),
                maximum=meta.get("maximum"),
                exclusive_minimum=bool(meta.get("exclusive_minimum")),
                is_id=bool(meta.get("is_id")),
                check=meta.get("check"),
                literals=meta.get("literals") or (),
                key_check=meta.get("key_check"),
                reserved=meta.get("reserved") or (),
                cites=meta.get("cites"),
                inherited=attribute.name not in own and issubclass(cls, Element),
            )
        )
    result = _PLANS[cls] = tuple(plans)
    return result
