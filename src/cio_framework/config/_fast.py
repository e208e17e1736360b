"""Compiled fast paths that structure well-formed elements.

A national catalogue holds a million exchanges, nearly all of them plain:
known keys, strings that name existing ids, enum values spelled right. For
each model class this module writes, once, a small function that accepts
exactly such a mapping and builds the instance, or returns :data:`MISS` at
the first thing it does not recognise. The careful structurer then handles
that element and explains what is wrong, so the fast path never has to.

The functions are generated from the class's field plans, the way attrs
writes ``__init__``: the generated source holds only field names and keys of
the model, never text from a scenario. Instances are built without calling
``__init__`` only when every validator and converter of the class is one
the generated code applies itself (:func:`~cio_framework.model._base.checked`,
``tuple_of``, ``extension_map``), the class has no ``__attrs_post_init__``
and every slot is a field; otherwise the function calls the class.

A reference is checked and *canonicalised* in one dictionary lookup
(:class:`Refs`): the field then holds the very string object of the id it
names. The analyses look ids up millions of times; with one object per id
those lookups compare by identity and touch one small, hot set of strings
instead of one string per mention spread over gigabytes.

``tests/test_fast_structure.py`` checks that both paths build equal values
with fields of the same types, and that the fast path accepts nothing the
careful path refuses.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable
from typing import Any
from unicodedata import is_normalized

import attrs

from .._util import slot_of, tuple_of
from ..model._base import MAX_ID_LENGTH, checked, cited_ids, extension_map, hidden_character
from ..model._frozenmap import FrozenMap
from ._plan import FieldPlan, plan_of

__all__ = ["MISS", "FastPath", "Refs", "fast_path"]

#: Returned by a fast path for anything it does not accept as it is.
MISS: Any = type("_Miss", (), {"__repr__": lambda self: "MISS", "__slots__": ()})()

#: ``fast(raw)``: the instance, or :data:`MISS`.
FastPath = Callable[[Any], Any]

_CONVERTERS = (None, tuple_of, extension_map)
_VALIDATORS = (None, checked)
_IMMUTABLE = (str, int, float, bool, type(None), tuple, FrozenMap, enum.Enum)
#: The largest integer every float holds exactly; beyond it ``float()`` rounds.
EXACT_INTEGERS = 2**53


class Refs:
    """The ids of one load, by collection, for checking references.

    :meth:`getter` gives, for a set of collections, the ``get`` of a
    dictionary from each of their ids to the id's own string object: one
    lookup both checks a reference and finds the canonical string.

    Examples
    --------
    >>> refs = Refs({"systems": ["a", "b"], "platforms": ["cloud"]})
    >>> get = refs.getter(("systems", "platforms"))
    >>> get("cloud"), get("zz")
    ('cloud', None)
    """

    __slots__ = ("_cache", "_named")

    def __init__(self, named: dict[str, list[str]]) -> None:
        self._named = named
        self._cache: dict[frozenset[str], Callable[[str], str | None]] = {}

    def getter(self, kinds: Iterable[str]) -> Callable[[str], str | None]:
        """``get`` of the id-to-itself dictionary of the collections ``kinds``."""
        key = frozenset(kinds)
        found = self._cache.get(key)
        if found is None:
            table: dict[str, str] = {}
            for kind in sorted(key):
                ids = self._named.get(kind, ())
                table.update(zip(ids, ids, strict=True))
            found = self._cache[key] = table.get
        return found

    def citations(self, kind: str) -> Callable[[str], bool]:
        """Whether a citation names only ids of ``kind`` (any text, while the
        load defines none of them).

        Examples
        --------
        >>> ok = Refs({"sources": ["article"]}).citations("sources")
        >>> ok("article ¶3"), ok("paper ¶3")
        (True, False)
        >>> Refs({}).citations("sources")("paper ¶3")
        True
        """
        ids = frozenset(self._named.get(kind, ()))
        if not ids:
            return _any_text
        return lambda text: all(cited in ids for cited in cited_ids(text))


_CACHE: dict[type, Callable[[Refs], FastPath] | None] = {}


def fast_path(cls: type) -> Callable[[Refs], FastPath] | None:
    """The fast path maker of ``cls``: call it with a load's :class:`Refs`.

    ``None`` for classes read another way (``from_plain``).

    Examples
    --------
    >>> from cio_framework.model import Platform
    >>> fast = fast_path(Platform)(Refs({}))
    >>> fast({"id": "cloud", "name": "Cloud"})
    Platform(id='cloud', name='Cloud')
    >>> fast({"id": "cloud", "name": 3})
    MISS
    """
    if cls not in _CACHE:
        _CACHE[cls] = _compile(cls)
    return _CACHE[cls]


def _bypass_init(cls: type) -> bool:
    """Whether instances may be built field by field, skipping ``__init__``.

    Only for slotted classes whose every slot is a field (no cached hash),
    with no ``__attrs_post_init__`` and only the validators and converters
    the generated code applies itself.
    """
    if hasattr(cls, "__attrs_post_init__"):
        return False
    fields = attrs.fields(cls)
    slots: set[str] = set()
    for klass in cls.__mro__:
        if klass is object:
            continue
        if "__slots__" not in klass.__dict__:
            return False
        declared = klass.__dict__["__slots__"]
        slots.update((declared,) if isinstance(declared, str) else declared)
    slots.discard("__weakref__")
    if slots != {a.name for a in fields}:
        return False
    return all(a.converter in _CONVERTERS and a.validator in _VALIDATORS for a in fields)


def _default(plan: FieldPlan, converter: Any) -> tuple[bool, Any]:
    """``(usable, value)``: the converted default, when it is immutable."""
    value = plan.default_value()
    if converter is not None:
        value = converter(value)
    return isinstance(value, _IMMUTABLE), value


class _Source:
    """The generated source of one class, with the names it uses."""

    def __init__(self) -> None:
        self.names: dict[str, Any] = {"MISS": MISS}
        self.refs: dict[str, tuple[str, ...]] = {}  # getter name: collections
        self.cites: dict[str, str] = {}  # citation checker name: collection
        self.lines: list[str] = []


def _compile(cls: type) -> Callable[[Refs], FastPath] | None:
    if not attrs.has(cls) or hasattr(cls, "from_plain"):
        return None  # classes read from plain values have their own reader
    plans = plan_of(cls)
    attributes = {a.name: a for a in attrs.fields(cls)}
    if not all(a.init for a in attributes.values()):
        return None
    source = _Source()
    names, body = source.names, source.lines
    out: list[tuple[str, str]] = []  # (attribute name, local variable)
    known = []
    for number, plan in enumerate(plans):
        attribute = attributes[plan.name]
        var = f"v{number}"
        if plan.name == "extensions":  # x- keys are not in KNOWN: they miss
            usable, value = _default(plan, attribute.converter)
            if not usable:
                return None
            names[f"D{number}"] = value
            body.append(f"{var} = D{number}")
            out.append((plan.name, var))
            continue
        known.append(plan.key)
        check = _check(plan, var, number, source)
        if plan.required:
            body.append(f"{var} = get({plan.key!r}, MISS)")
            body.append(f"if {var} is MISS: return MISS")
            body.extend(check)
        else:
            usable, value = _default(plan, attribute.converter)
            if not usable:
                return None
            names[f"D{number}"] = value
            body.append(f"{var} = get({plan.key!r}, D{number})")
            if check:  # the default itself needs no checking
                body.append(f"if {var} is not D{number}:")
                body.extend("    " + line for line in check)
        out.append((plan.name, var))
    names["KNOWN"] = frozenset(known)
    names["cls"] = cls
    if _bypass_init(cls):
        # each slot's own descriptor: quicker than object.__setattr__ by name,
        # and like it, not stopped by the class being frozen
        names["new"] = object.__new__
        body.append("self = new(cls)")
        for number, (name, var) in enumerate(out):
            names[f"S{number}"] = slot_of(cls, name).__set__
            body.append(f"S{number}(self, {var})")
        body.append("return self")
    else:
        # the class's own validators may still refuse: the careful path explains
        call = ", ".join(f"{attributes[name].alias}={var}" for name, var in out)
        body.append("try:")
        body.append(f"    return cls({call})")
        body.append("except (TypeError, ValueError):")
        body.append("    return MISS")
    text = "\n".join(
        [
            "def make(refs):",
            *(f"    {getter} = refs.getter({kinds!r})" for getter, kinds in source.refs.items()),
            *(f"    {name} = refs.citations({kind!r})" for name, kind in source.cites.items()),
            "    def fast(raw):",
            "        if type(raw) is not dict or not raw.keys() <= KNOWN: return MISS",
            "        get = raw.get",
            *("        " + line for line in body),
            "    return fast",
        ]
    )
    namespace = dict(names)
    exec(compile(text, f"<fast path of {cls.__qualname__}>", "exec"), namespace)
    make: Callable[[Refs], FastPath] = namespace["make"]
    make.__doc__ = text  # help() shows the generated code
    return make


def _check(plan: FieldPlan, var: str, number: int, source: _Source) -> list[str]:
    """Lines that accept ``var`` as it is, convert it, or return MISS."""
    spec, names = plan.spec, source.names
    opening = f"if {var} is not None:" if spec.optional else "if True:"
    if plan.check is not None or plan.key_check is not None:
        return [f"return MISS  # {plan.key}: checked by a function"]
    kind = spec.kind
    if kind == "str" and plan.is_id:
        # valid_id's rule for printable text, in any script: a printable
        # string holds no control character, line break or white space but
        # the ASCII space, so only that one can lead or trail; text beyond
        # ASCII must also show every character and be in NFC
        names["MAXLEN"] = MAX_ID_LENGTH
        reserved = ""
        if plan.reserved:
            names[f"RESERVED{number}"] = frozenset(plan.reserved)
            reserved = f" and {var} not in RESERVED{number}"
        names["HIDDEN"] = hidden_character
        names["NFC"] = is_normalized
        return [
            opening,
            f"    if not (type({var}) is str and {var} and {var}.isprintable()"
            f" and len({var}) <= MAXLEN and {var}[0] != ' ' and {var}[-1] != ' '{reserved}):"
            " return MISS",
            f"    if not {var}.isascii() and (HIDDEN({var}) or not NFC('NFC', {var})):",
            "        return MISS",
        ]
    if kind == "str" and plan.ref:
        getter = _getter(plan, number, source)
        lines = [opening, f"    if type({var}) is not str: return MISS"]
        lines.append(f"    found = {getter}({var})")
        if plan.literals:
            names[f"L{number}"] = frozenset(plan.literals)
            lines.append(f"    if found is None and {var} not in L{number}: return MISS")
            lines.append(f"    if found is not None: {var} = found")
        else:
            lines.append("    if found is None: return MISS")
            lines.append(f"    {var} = found")
        return lines
    if kind == "str" and plan.cites is not None:
        source.cites[f"C{number}"] = plan.cites
        return [opening, f"    if type({var}) is not str or not C{number}({var}): return MISS"]
    if kind in ("str", "bool"):
        return [opening, f"    if type({var}) is not {kind}: return MISS"]
    if kind == "enum":
        names[f"E{number}"] = {m.value: m for m in spec.cls}
        return [
            opening,
            f"    if type({var}) is not str: return MISS",
            f"    {var} = E{number}.get({var}, MISS)",
            f"    if {var} is MISS: return MISS",
        ]
    if kind in ("int", "float"):
        names["isfinite"] = math.isfinite
        names["EXACT"] = EXACT_INTEGERS
        lines = [opening]
        if kind == "int":
            lines.append(f"    if type({var}) is not int: return MISS")
        else:
            lines.append(f"    if type({var}) is int and -EXACT <= {var} <= EXACT:")
            lines.append(f"        {var} = float({var})")
            lines.append(f"    elif type({var}) is not float or not isfinite({var}): return MISS")
        bounds = _bounds(plan, var)
        if bounds:
            lines.append(f"    if {bounds}: return MISS")
        return lines
    item = spec.item
    if kind == "tuple" and item is not None and item.kind == "str" and not item.optional:
        lines = [
            opening,
            f"    if type({var}) is not list or not all(map(is_str, {var})): return MISS",
        ]
        if plan.ref and not plan.literals:
            getter = _getter(plan, number, source)
            lines.append(f"    {var} = tuple(map({getter}, {var}))")
            lines.append(f"    if None in {var}: return MISS")
        elif plan.ref:
            return [f"return MISS  # {plan.key}: references or literals take the careful path"]
        else:
            lines.append(f"    {var} = tuple({var})")
        names["is_str"] = _is_str
        return lines
    return [f"return MISS  # {plan.key}: {kind} values take the careful path"]


def _any_text(text: str) -> bool:
    return True


def _is_str(value: object) -> bool:
    return type(value) is str


def _getter(plan: FieldPlan, number: int, source: _Source) -> str:
    """Name of the reference getter for ``plan``'s collections."""
    assert plan.ref is not None
    name = f"R{number}"
    source.refs[name] = tuple(sorted(plan.ref))
    return name


def _bounds(plan: FieldPlan, var: str) -> str:
    """A condition true when ``var`` is out of the field's bounds."""
    parts = []
    if plan.minimum is not None:
        parts.append(f"{var} {'<=' if plan.exclusive_minimum else '<'} {plan.minimum!r}")
    if plan.maximum is not None:
        parts.append(f"{var} > {plan.maximum!r}")
    return " or ".join(parts)
