"""A fast path for plain YAML: build values straight from libyaml's events.

PyYAML's safe loader composes a node for every value and then constructs
Python objects from the nodes; for a catalogue of a million exchanges most of
the time goes there. This module reads libyaml's event stream and builds
dicts, lists and scalars directly, resolving plain scalars with the same YAML
1.1 rules (PyYAML's own resolver table and constructors), so the result
equals ``yaml.load(text, Loader=yaml.CSafeLoader)``.

Anchors and aliases are handled: an alias gives the very object its anchor
built, as PyYAML's constructor does (:func:`fast_parse` says whether a list
or mapping was aliased, so held in two places). The :class:`~cio_framework.Limits` are
enforced with the careful loader's counting (:func:`._yaml.parse_text`):

- depth is the number of lists and mappings that enclose a value, the
  document's own mapping included (scalars do not count); an alias counts
  where it stands plus the depth of its anchored value;
- the values aliases add are, for each alias, every scalar, key, list and
  mapping of the anchored value as if written out, aliases inside it
  expanded too.

Anything unusual (a tag, a merge key, a recursive, duplicate or undefined
anchor, a duplicate or non-scalar key, an impossible date, a syntax error, a
document over a limit, several documents) makes it give up and return
``None``; the caller then uses the careful node-based loader, which locates
every problem. Giving up is always safe, only slower.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml
from yaml import events
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from ._yaml import int_too_long

if TYPE_CHECKING:
    from ._yaml import Limits

__all__ = ["AVAILABLE", "fast_load", "fast_parse"]

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
            if tag == _INT and int_too_long(value):
                raise _GiveUp  # not built: the careful loader reports it
            try:
                built: Any = construct(ScalarNode(tag, value))
            except (ValueError, OverflowError):
                raise _GiveUp from None
            if tag == _INT and int_too_long(value, built):
                raise _GiveUp
            return built
    return value


def fast_load(text: str, limits: Limits) -> Any:
    """Build the single document of ``text`` from libyaml events.

    Returns the data, or ``None`` when the fast path gives up (including for
    an empty document, one over ``limits`` and a syntax error); then use the
    node-based loader.
    """
    return fast_parse(text, limits)[0]


def fast_parse(text: str, limits: Limits) -> tuple[Any, yaml.YAMLError | None, bool]:
    """``(data, None, aliased)`` as :func:`fast_load` gives the data, or
    ``(None, error, False)`` for the syntax error libyaml found before the
    fast path had any reason to give up (``(None, None, False)`` when it
    gave up). ``aliased`` says whether an alias named a list or a mapping,
    which the data then holds in two places.

    The node-based loader reads the same events from the same parser, and
    every problem it finds while composing them (undefined or duplicate
    anchors, several documents) makes the fast path give up first, so it
    would stop at this very error: the caller may report it without
    composing the document.
    """
    if not AVAILABLE:  # pragma: no cover - depends on the PyYAML build
        return None, None, False
    parser = CParser(text)
    try:
        data, aliased = _build(parser, limits.max_depth, limits.max_alias_expansion)
        return data, None, aliased
    except yaml.YAMLError as exc:
        return None, exc, False
    except (_GiveUp, RecursionError):
        return None, None, False
    finally:
        parser.dispose()


def _build(parser: Any, max_depth: int, max_added: int) -> tuple[Any, bool]:
    """The document's data, and whether an alias named a list or mapping."""
    get = parser.get_event
    scalar_event = events.ScalarEvent
    mapping_start = events.MappingStartEvent
    sequence_start = events.SequenceStartEvent
    mapping_end = events.MappingEndEvent
    sequence_end = events.SequenceEndEvent
    alias_event = events.AliasEvent
    plain = _plain
    resolvable = _RESOLVABLE
    first = get()  # StreamStart
    if type(first) is not events.StreamStartEvent:  # pragma: no cover - libyaml guarantees it
        raise _GiveUp
    if type(get()) is not events.DocumentStartEvent:
        raise _GiveUp  # empty stream
    stack: list[tuple[Any, Any, str | None]] = []  # (parent, its key, anchor of the child)
    current: Any = None
    key: Any = _NO_KEY
    root: Any = _NO_KEY
    anchors: dict[str, Any] = {}  # anchor: its value, once complete
    opened: set[str] = set()  # anchors of lists and mappings not yet complete
    measured: dict[int, tuple[int, int]] = {}  # id of an anchored value: (size, height)
    added = 0  # values the aliases add
    aliased = False  # whether an alias named a list or a mapping
    while True:
        event = get()
        kind = type(event)
        if kind is scalar_event:
            if event.tag is not None:
                raise _GiveUp
            text = event.value
            if event.implicit[0] and (not text or text[0] in resolvable):
                value = plain(text)
            else:
                value = text
            if event.anchor is not None:
                if event.anchor in anchors or event.anchor in opened:
                    raise _GiveUp  # a duplicate anchor: the careful loader reports it
                anchors[event.anchor] = value
        elif kind is mapping_start or kind is sequence_start:
            if event.tag is not None:
                raise _GiveUp
            anchor = event.anchor
            if anchor is not None:
                if anchor in anchors or anchor in opened:
                    raise _GiveUp
                opened.add(anchor)
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
            stack.append((current, key, anchor))
            if len(stack) > max_depth:
                raise _GiveUp
            current = new
            continue
        elif kind is mapping_end or kind is sequence_end:
            done = current
            current, key, anchor = stack.pop()
            if anchor is not None:
                opened.discard(anchor)
                anchors[anchor] = done
            continue
        elif kind is alias_event:
            value = anchors.get(event.anchor, _NO_KEY)
            if value is _NO_KEY:
                raise _GiveUp  # undefined, or recursive: inside its own anchor
            size, height = _measure(value, measured)
            aliased = aliased or type(value) is dict or type(value) is list
            added += size
            if added > max_added or len(stack) + height > max_depth:
                raise _GiveUp  # the careful loader refuses it, located
        elif kind is events.DocumentEndEvent:
            break
        else:
            raise _GiveUp  # pragma: no cover - libyaml sends nothing else
        if current is None:
            root = value
        elif type(current) is list:
            current.append(value)
        elif key is _NO_KEY:
            if type(value) is dict or type(value) is list:
                raise _GiveUp  # an aliased mapping or list used as a key
            if value in current or (
                not isinstance(value, (str, int, float, bool)) and value is not None
            ):
                raise _GiveUp  # duplicate or unusual key: let the careful loader report it
            key = value
        else:
            current[key] = value
            key = _NO_KEY
    if type(get()) is not events.StreamEndEvent:
        raise _GiveUp  # several documents
    if root is _NO_KEY:  # pragma: no cover - a document always has a root
        raise _GiveUp
    return root, aliased


def _measure(value: Any, measured: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """``(size, height)`` of a complete value, as the careful loader counts them.

    The size counts every scalar, key, list and mapping, aliases expanded;
    the height counts the lists and mappings on the longest path down (0 for
    a scalar). Values met before are looked up, so each is walked once.
    """
    kind = type(value)
    if kind is not dict and kind is not list:
        return 1, 0
    found = measured.get(id(value))
    if found is None:
        size, height = 1, 0
        items = value
        if kind is dict:
            size += len(value)  # the keys: scalars
            items = value.values()
        for item in items:
            item_size, item_height = _measure(item, measured)
            size += item_size
            height = max(height, item_height)
        found = measured[id(value)] = (size, height + 1)
    return found


class _NoKey:
    __slots__ = ()


_NO_KEY: Any = _NoKey()
