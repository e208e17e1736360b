"""A fast path for plain YAML: build values straight from libyaml's events.

PyYAML's safe loader composes a node for every value and then constructs
Python objects from the nodes; for a catalogue of a million exchanges most of
the time goes there. This module reads libyaml's event stream and builds
dicts, lists and scalars directly, resolving plain scalars with the same YAML
1.1 rules (PyYAML's own resolver table and constructors), so the result
equals ``yaml.load(text, Loader=yaml.CSafeLoader)``.

It handles the common case only. Anything unusual (a tag, an anchor or
alias, a merge key, a duplicate or non-scalar key, an impossible date, a
syntax error, deep nesting, several documents) makes it give up and return
``None``; the caller then uses the careful node-based loader, which locates
every problem. Giving up is always safe, only slower.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml import events
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

__all__ = ["AVAILABLE", "fast_load"]

CParser: Any
try:
    import yaml._yaml as _libyaml

    CParser = _libyaml.CParser
    AVAILABLE = True
except ImportError:  # pragma: no cover - depends on the PyYAML build
    CParser = None
    AVAILABLE = False

_RESOLVERS: dict[Any, list[tuple[str, Any]]] = Resolver.yaml_implicit_resolvers
_ANY_FIRST = _RESOLVERS.get(None, [])
#: First characters of plain scalars that may mean something other than a string.
_RESOLVABLE = frozenset(k for k in _RESOLVERS if k)
if _ANY_FIRST:  # pragma: no cover - a resolver for every first character: no shortcut
    AVAILABLE = False
_CONSTRUCTOR = SafeConstructor()
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SCALAR_TAGS = {
    _BOOL: _CONSTRUCTOR.construct_yaml_bool,
    _INT: _CONSTRUCTOR.construct_yaml_int,
    _FLOAT: _CONSTRUCTOR.construct_yaml_float,
    _TIMESTAMP: _CONSTRUCTOR.construct_yaml_timestamp,
}


class _GiveUp(Exception):
    """The fast path does not handle this document."""


def _plain(value: str) -> Any:
    """Resolve and construct a plain (unquoted, untagged) scalar."""
    for tag, regexp in _RESOLVERS.get(value[0] if value else "", ()):
        if regexp.match(value):
            if tag == _NULL:
                return None
            construct = _SCALAR_TAGS.get(tag)
            if construct is None:  # merge ('<<') and value ('=') keys
                raise _GiveUp
            try:
                return construct(ScalarNode(tag, value))
            except (ValueError, OverflowError):
                raise _GiveUp from None
    return value


def fast_load(text: str, max_depth: int) -> Any:
    """Build the single document of ``text`` from libyaml events.

    Returns the data, or ``None`` when the fast path gives up (including for
    an empty document); then use the node-based loader.
    """
    if not AVAILABLE:  # pragma: no cover - depends on the PyYAML build
        return None
    parser = CParser(text)
    try:
        return _build(parser, max_depth)
    except (_GiveUp, yaml.YAMLError, RecursionError):
        return None
    finally:
        parser.dispose()


def _build(parser: Any, max_depth: int) -> Any:
    get = parser.get_event
    scalar_event = events.ScalarEvent
    mapping_start = events.MappingStartEvent
    sequence_start = events.SequenceStartEvent
    mapping_end = events.MappingEndEvent
    sequence_end = events.SequenceEndEvent
    plain = _plain
    resolvable = _RESOLVABLE
    first = get()  # StreamStart
    if type(first) is not events.StreamStartEvent:  # pragma: no cover - libyaml guarantees it
        raise _GiveUp
    if type(get()) is not events.DocumentStartEvent:
        raise _GiveUp  # empty stream
    stack: list[tuple[Any, Any]] = []
    current: Any = None
    key: Any = _NO_KEY
    root: Any = _NO_KEY
    while True:
        event = get()
        kind = type(event)
        if kind is scalar_event:
            if event.anchor is not None or event.tag is not None:
                raise _GiveUp
            text = event.value
            if event.implicit[0] and (not text or text[0] in resolvable):
                value = plain(text)
            else:
                value = text
            if current is None:
                root = value
            elif type(current) is list:
                current.append(value)
            elif key is _NO_KEY:
                if value in current or (
                    not isinstance(value, (str, int, float, bool)) and value is not None
                ):
                    raise _GiveUp  # duplicate or unusual key: let the careful loader report it
                key = value
            else:
                current[key] = value
                key = _NO_KEY
            continue
        if kind is mapping_start or kind is sequence_start:
            if event.anchor is not None or event.tag is not None:
                raise _GiveUp
            new: Any = {} if kind is mapping_start else []
            if current is None:
                root = new
            elif type(current) is list:
                current.append(new)
            elif key is _NO_KEY:
                raise _GiveUp  # a mapping or list used as a key
            else:
                current[key] = new
                key = _NO_KEY
            stack.append((current, key))
            if len(stack) > max_depth:
                raise _GiveUp
            current = new
            continue
        if kind is mapping_end or kind is sequence_end:
            current, key = stack.pop()
            continue
        if kind is events.DocumentEndEvent:
            break
        raise _GiveUp  # aliases and anything else
    if type(get()) is not events.StreamEndEvent:
        raise _GiveUp  # several documents
    if root is _NO_KEY:  # pragma: no cover - a document always has a root
        raise _GiveUp
    return root


class _NoKey:
    __slots__ = ()


_NO_KEY: Any = _NoKey()
