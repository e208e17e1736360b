"""Safe YAML parsing that keeps positions and reports problems instead of raising.

The loader is PyYAML's safe loader (libyaml's C parser when present) with
these changes: duplicate mapping keys are recorded rather than silently
overwritten, unknown tags (including every ``!!python/...`` tag) become a
recorded problem instead of an object, and impossible dates, integers too
long to build and explicitly tagged text that is not what its tag says
(``!!float abc``) are recorded instead of aborting the load. A sexagesimal
float beyond a float's range (``1:59:...:59.5``) is infinite, as ``1e400``
is. The composed node tree is kept so that positions can be looked up
afterwards, only for the problems that need them.
"""

from __future__ import annotations

import array
import bisect
import itertools
import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable, Generator, Hashable, Iterable, Iterator, Sequence
from typing import Any, TypeAlias

import attrs
import yaml

__all__ = [
    "DEFAULT_LIMITS",
    "INVALID",
    "MAX_INT_DIGITS",
    "Draft",
    "Limits",
    "Locator",
    "ParsedFile",
    "clip",
    "int_too_long",
    "parse_text",
    "quote",
    "written",
]

try:  # libyaml's C parser when PyYAML was built with it
    _BaseLoader: Any = yaml.CSafeLoader
    HAVE_LIBYAML = True
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader
    HAVE_LIBYAML = False


class _Invalid:
    """Marker for a value whose problem was already recorded."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<invalid>"


#: The single marker object standing for an already-reported bad value.
INVALID: Any = _Invalid()

Segment = str | int
Path = tuple[Segment, ...]


@attrs.frozen(kw_only=True)
class Draft:
    """A problem found while parsing: a node or a path, not yet located."""

    message: str
    code: str
    path: Path | None = None
    at: str = "value"
    node: Any = None
    mark: Any = None
    hint: str | None = None
    expected: str | None = None
    got: str | None = None
    related: tuple[int, Path] | None = None
    #: The value as ``hint`` shows it, for a hint that asks to quote it:
    #: :func:`written` puts the file's own text of the value in its place.
    shown: str | None = None


#: Most characters of a value that a message quotes.
QUOTED = 60


def quote(value: object) -> str:
    """``repr(value)`` for a message, cut to :data:`QUOTED` characters: a
    message never echoes a long value of the file whole.

    Examples
    --------
    >>> quote("epb")
    "'epb'"
    >>> quote("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."
    """
    return clip(repr(value))


def clip(text: str, limit: int = QUOTED) -> str:
    """``text``, cut to ``limit`` characters with "..." when longer.

    Examples
    --------
    >>> clip("abcdef", 5)
    'ab...'
    """
    return text if len(text) <= limit else text[: limit - 3] + "..."


#: Where a plain scalar ends on its line: a comment, the next flow item, or
#: (for a key) the ``:`` and white space that start its value.
_PLAIN_END = re.compile(r"\s#|[,\]}]|:(?=\s|$)")


def written(
    draft: Draft, source_line: str | None, column: int | None, *, json: bool = False
) -> str | None:
    """The hint of ``draft``, showing the value as the file writes it.

    A hint that asks to quote a value YAML read as something other than
    text (``id: on`` read as true) must quote what was written, ``'on'``,
    not ``'true'``. The value's text is read from its line at its column,
    after any tag or anchor, up to a comment or the end of its flow item;
    when no such text is found the hint is left as it is. In a ``json``
    file the hint asks for double quotes, JSON's only ones, and names no
    YAML reading.

    Examples
    --------
    >>> draft = Draft(message="", code="wrong-type", hint="write it in quotes: 'true'", shown="true")
    >>> written(draft, "  - {id: on, name: D}   # on", 10)
    "write it in quotes: 'on'"
    >>> written(draft, "x: &a !!bool yes # comment", 4)
    "write it in quotes: 'yes'"
    >>> written(draft, '{"id": true, "name": "D"}', 8, json=True)
    'write it in double quotes: "true"'
    """
    hint, shown = draft.hint, draft.shown
    if hint is None or shown is None or source_line is None or column is None:
        return hint
    text = source_line[column - 1 :]
    while text[:1] in ("!", "&"):  # the value's tag or anchor
        text = text.partition(" ")[2].lstrip(" ")
    literal = _PLAIN_END.split(text, maxsplit=1)[0].strip()
    if not literal or literal[0] in "\"'[{*|>" or len(literal) > QUOTED:
        return hint
    if json and hint.endswith(f"write it in quotes: '{shown}'"):
        return f'write it in double quotes: "{literal}"'
    head, found, tail = hint.rpartition(shown)
    return head + literal + tail if found else hint


#: Most decimal digits an integer may have: Python's own default limit for
#: converting integers to and from decimal text.
MAX_INT_DIGITS = 4300
_INT_BOUND = 10**MAX_INT_DIGITS


def int_too_long(text: str, value: int | None = None) -> bool:
    """Whether an integer written as ``text`` (or, once built, ``value``) has
    more than :data:`MAX_INT_DIGITS` digits.

    The text is checked before the integer is built, so that no loader spends
    time on building one (sexagesimal ``1:0:0:...`` costs quadratic time);
    the value after, for bases other than ten.

    Examples
    --------
    >>> int_too_long("1_000"), int_too_long("9" * 5000), int_too_long("0x1", 16**4000)
    (False, True, True)
    """
    if value is not None:
        return not -_INT_BOUND < value < _INT_BOUND
    return len(text) > MAX_INT_DIGITS and len(text.replace("_", "")) > MAX_INT_DIGITS + 2


#: What PyYAML's scalar constructors raise for text their tag does not fit:
#: the implicit resolvers never send them such text, an explicit tag
#: (``!!float abc``, ``!!bool maybe``, ``!!int ''``) does.
_UNBUILT = (ValueError, LookupError, AttributeError, TypeError)


def _sexagesimal_float(text: str) -> float:
    """The value of a YAML 1.1 sexagesimal float (``-190:20:30.15``), computed
    in floats: linear time, and infinite beyond a float's range.

    Examples
    --------
    >>> _sexagesimal_float("1:30.5"), _sexagesimal_float("-1" + ":59" * 200 + ".5")
    (90.5, -inf)
    """
    digits = text.replace("_", "")
    sign = -1.0 if digits.startswith("-") else 1.0
    value = 0.0
    for part in digits.lstrip("+-").split(":"):
        value = value * 60 + float(part)
    return sign * value


#: The tag of YAML's merge key ``<<``.
_MERGE = "tag:yaml.org,2002:merge"


def _merge_values(mapping: yaml.MappingNode) -> Iterator[Any]:
    """The nodes the merge keys ``<<`` of ``mapping`` name, in order: each
    one's value, or each item of a list."""
    for key_node, value_node in mapping.value:
        if key_node.tag == _MERGE:
            many = isinstance(value_node, yaml.SequenceNode)
            yield from value_node.value if many else (value_node,)


def merged_mappings(node: yaml.MappingNode) -> Iterator[yaml.MappingNode]:
    """The mappings the merge keys ``<<`` of ``node`` bring in, the one whose
    keys win first, each once: as YAML defines merging, a mapping merged
    earlier (in a list, or by an earlier ``<<``) wins over one merged later,
    and a merged mapping is itself merged first (its own keys over what it
    merges in turn). That order is the depth-first preorder of the merges;
    a mapping met again, or merging one of those it is merged into, brings
    nothing new and is left out. What a merge key names that is no mapping
    is left out too. O(n) in the nodes the merges name.

    Both the loader (which value a key takes) and :func:`_member` (where
    that value is written) read the merges in this one order.

    Examples
    --------
    >>> root = yaml.compose("{a: &a {k: 1}, b: &b {<<: *a, k: 2}, c: {<<: [*a, *b]}}")
    >>> [[k.value for k, _ in m.value] for m in merged_mappings(root.value[2][1])]
    [['k'], ['<<', 'k']]
    """
    seen = {id(node)}
    stack = [node]
    while stack:
        mapping = stack.pop()
        if mapping is not node:
            if id(mapping) in seen:
                continue
            seen.add(id(mapping))
            yield mapping
        merges = [m for m in _merge_values(mapping) if isinstance(m, yaml.MappingNode)]
        stack.extend(reversed(merges))


class _Loader(_BaseLoader):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.drafts: list[Draft] = []

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):  # pragma: no cover - guarded by PyYAML
            return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]
        own: dict[Any, Any] = {}
        first_key_node: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self._key(key_node)
            if key is INVALID:
                continue
            if key in first_key_node:
                first_node = first_key_node[key]
                first = first_node.start_mark
                # '1' and 'true', '1' and '1.0': two spellings YAML reads as one key
                what = (
                    quote(key)
                    if first_node.value == key_node.value
                    else f"{quote(key_node.value)}, read as the same key as {quote(first_node.value)}"
                )
                self.drafts.append(
                    Draft(
                        message=f"duplicate key {what}; first given at line "
                        f"{first.line + 1}, column {first.column + 1}",
                        code="duplicate-key",
                        node=key_node,
                        hint="remove one of the two entries; only the first is read",
                    )
                )
                continue
            first_key_node[key] = key_node
            own[key] = self.construct_object(value_node, deep=deep)
        merged: dict[Any, Any] = {}
        for key_node, value_node in self._merged_pairs(node):
            key = self._key(key_node, report=False)
            if key is not INVALID and key not in own and key not in merged:
                merged[key] = self.construct_object(value_node, deep=deep)
        if not merged:
            return own
        merged.update(own)  # merged keys first, as PyYAML orders them
        return merged

    def _key(self, key_node: Any, *, report: bool = True) -> Any:
        """The key ``key_node`` holds, or :data:`INVALID` for one already
        reported (a refused tag, a bad date) or that is no plain value."""
        key = self.construct_object(key_node, deep=True)
        if key is INVALID:
            return INVALID
        if not isinstance(key, Hashable) or isinstance(key, (list, dict)):
            if report:
                self.drafts.append(
                    Draft(
                        message="a mapping key must be a plain string, not a "
                        + ("list" if isinstance(key_node, yaml.SequenceNode) else "mapping"),
                        code="wrong-type",
                        node=key_node,
                        expected="a string key",
                    )
                )
            return INVALID
        try:
            hash(key)
        except TypeError:  # unhashable despite the check above (a tuple of lists)
            return INVALID
        return key

    def _merged_pairs(self, node: yaml.MappingNode) -> list[tuple[Any, Any]]:
        """The key and value nodes the merge keys ``<<`` of ``node`` bring
        in, the one that wins first (:func:`merged_mappings`; the mapping's
        own keys win over all of them, and the caller sees to that). What a
        merge key of ``node`` names that is no mapping is reported (PyYAML
        would stop the whole file there), and each merged mapping is built
        on its own, so that its own problems (a duplicate key) are reported
        once, at it."""
        for value_node in _merge_values(node):
            if not isinstance(value_node, yaml.MappingNode):
                self._not_mergeable(value_node)
        pairs: list[tuple[Any, Any]] = []
        for mapping in merged_mappings(node):
            self.construct_object(mapping)
            pairs.extend((k, v) for k, v in mapping.value if k.tag != _MERGE)
        return pairs

    def _not_mergeable(self, node: Any) -> None:
        self.drafts.append(
            Draft(
                message=f"a merge key '<<' takes a mapping or a list of mappings, not a {node.id}",
                code="wrong-type",
                node=node,
                expected="a mapping or a list of mappings",
                got=node.id,
                hint="merge an anchored mapping: '<<: *name'",
            )
        )

    def construct_undefined(self, node: Any) -> Any:
        self.drafts.append(
            Draft(
                message=f"tag {quote(node.tag)} is not allowed; scenario files hold plain data only",
                code="unsafe-tag",
                node=node,
                hint="remove the tag",
                got=clip(node.tag),
            )
        )
        return INVALID

    def _not_a(self, node: Any, expected: str) -> Any:
        """Record that an explicitly tagged scalar is not what its tag says."""
        text = node.value if len(node.value) <= 40 else node.value[:39] + "…"
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self.drafts.append(
            Draft(
                message=f"{text!r} is not {expected}, as its tag {tag} says",
                code="bad-value",
                node=node,
                expected=expected,
                got=repr(text),
                hint=f"remove the tag {tag}, or write {expected}",
            )
        )
        return INVALID

    def construct_yaml_int(self, node: Any) -> Any:
        value: Any = INVALID
        if not int_too_long(node.value):
            try:
                value = super().construct_yaml_int(node)
            except _UNBUILT:
                # Python's own digit limit, else text that an explicit !!int
                # calls an integer
                if len(node.value) <= MAX_INT_DIGITS:
                    return self._not_a(node, "an integer")
        if value is INVALID or int_too_long(node.value, value):
            self.drafts.append(
                Draft(
                    message=f"the integer has more than {MAX_INT_DIGITS:,} digits",
                    code="bad-value",
                    node=node,
                    expected=f"an integer of at most {MAX_INT_DIGITS:,} digits",
                    got=f"{len(node.value):,} characters",
                    hint="write it in quotes to keep it as text",
                )
            )
            return INVALID
        return value

    def construct_yaml_float(self, node: Any) -> Any:
        try:
            return super().construct_yaml_float(node)
        except OverflowError:
            # Sexagesimal 1:59:...:59.5 beyond a float's range: PyYAML adds up
            # integer powers of 60, which cannot become floats. Computed in
            # floats instead it is infinite, as 1e400 is.
            return _sexagesimal_float(node.value)
        except _UNBUILT:  # only an explicit !!float gets here with such text
            return self._not_a(node, "a number")

    def construct_yaml_bool(self, node: Any) -> Any:
        try:
            return super().construct_yaml_bool(node)
        except _UNBUILT:  # only an explicit !!bool gets here with such text
            return self._not_a(node, "true or false")

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (AttributeError, IndexError, TypeError):  # an explicit !!timestamp
            return self._not_a(node, "a date YYYY-MM-DD")
        except (ValueError, OverflowError) as exc:
            self.drafts.append(
                Draft(
                    message=f"{quote(node.value)} is not a valid date: {exc}",
                    code="bad-value",
                    node=node,
                    expected="a date YYYY-MM-DD",
                    got=quote(node.value),
                )
            )
            return INVALID


_Loader.add_constructor(None, _Loader.construct_undefined)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor("tag:yaml.org,2002:bool", _Loader.construct_yaml_bool)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)


@attrs.frozen(kw_only=True)
class ParsedFile:
    """The result of parsing one YAML text.

    ``shared`` is false only when no list or mapping of ``data`` is held in
    two places (JSON, or YAML whose aliases name scalars alone): each may
    then be changed without changing another.
    """

    data: Any
    root: Any
    drafts: tuple[Draft, ...]
    syntax_error: tuple[str, int, int] | None = None
    shared: bool = True


@attrs.frozen(kw_only=True)
class Limits:
    """Bounds on what a scenario file may cost to load.

    Hostile or broken input (an alias bomb, a file nested thousands of levels
    deep, a file of gigabytes) is refused with a located problem instead of
    exhausting time or memory. Raise a limit by passing your own value, as in
    ``cio_framework.load(path, limits=Limits(max_bytes=500_000_000))``.

    Parameters
    ----------
    max_bytes
        Largest file accepted, in bytes (default 200 MB: a national
        catalogue of 100,000 systems and a million exchanges is about 80 MB).
    max_depth
        Deepest nesting of lists and mappings (default 64; a scenario needs
        about 8, extension data the rest): the number of lists and mappings
        enclosing a value, the document's own mapping included, so that
        ``a: 1`` has depth 1 and ``a: [[]]`` depth 3. An alias counts where
        it stands plus the depth of its anchored value. Every loader path
        counts the same way.
    max_alias_expansion
        Most values that aliases may add to a document when expanded
        (default 250,000): bounds "billion laughs" alias bombs. Values
        written out in full do not count.

    Examples
    --------
    >>> Limits().max_depth
    64
    """

    max_bytes: int = attrs.field(default=200_000_000)
    max_depth: int = attrs.field(default=64)
    max_alias_expansion: int = attrs.field(default=250_000)

    @max_bytes.validator
    @max_depth.validator
    @max_alias_expansion.validator
    def _positive(self, attribute: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{attribute.name} must be a whole number of 1 or more, not {value!r}")


#: The limits used when none are given.
DEFAULT_LIMITS = Limits()


def _too_deep(node: Any, limits: Limits) -> Draft:
    return Draft(
        message=f"the document is nested more than {limits.max_depth} levels deep",
        code="limit",
        node=node,
        hint="flatten the data; the limit can be raised with Limits(max_depth=...)",
    )


def _measure(root: Any, limits: Limits) -> Draft | None:
    """Check the composed node graph against the limits, without expanding it.

    Sizes and heights are computed bottom-up with memoisation, so an alias
    bomb costs time proportional to its distinct nodes, not its expansion.
    The depth of a node is the number of lists and mappings that enclose
    it, itself included (scalars do not count); the fast path
    (:mod:`._fastyaml`) counts the same way.
    """
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    parents: dict[int, int] = {}
    nodes: dict[int, Any] = {}
    on_path: set[int] = set()  # the lists and mappings enclosing the current node
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            size[key] = 1 + sum(size[id(c)] for c in children)
            height[key] = 1 + max((height[id(c)] for c in children), default=0)
            if height[key] > limits.max_depth:  # deeper through an alias
                return _too_deep(node, limits)
            continue
        if key in size:
            continue
        if isinstance(node, yaml.ScalarNode):
            size[key], height[key], nodes[key] = 1, 0, node
            continue
        if key in on_path:
            return Draft(
                message="a recursive alias: this value contains itself",
                code="limit",
                node=node,
                hint="an alias may not refer to a value that contains it",
            )
        on_path.add(key)
        nodes[key] = node
        stack.append((node, True))
        if len(on_path) > limits.max_depth:
            return _too_deep(node, limits)
        for child in _children(node):
            parents[id(child)] = parents.get(id(child), 0) + 1
            if id(child) not in size:
                stack.append((child, False))
    added = size[id(root)] - len(size)
    if added > limits.max_alias_expansion:
        shared = [k for k, count in parents.items() if count > 1]
        worst = max(shared, key=lambda k: size[k] * (parents[k] - 1))
        return Draft(
            message=f"aliases expand the document by {added:,} values, over the limit of "
            f"{limits.max_alias_expansion:,}",
            code="limit",
            node=nodes[worst],
            hint="an alias bomb? the limit can be raised with Limits(max_alias_expansion=...)",
        )
    return None


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def parse_text(text: str, limits: Limits = DEFAULT_LIMITS) -> ParsedFile:
    """Parse one YAML document safely, recording problems instead of raising.

    Returns the constructed data (with :data:`INVALID` where a value could not
    be built), the node tree for locating problems, and the problems found.
    A syntax error stops parsing; it is returned as ``(message, line, column)``
    with 1-based positions. A document over the :class:`Limits` is not
    constructed; its problem is returned instead.
    """
    if text.lstrip()[:1] == "{":
        loaded = _json_load(text)
        if loaded is not None:
            data, drafts = loaded
            return ParsedFile(data=data, root=None, drafts=drafts, shared=False)
    if HAVE_LIBYAML:
        from ._fastyaml import fast_parse

        fast, error, aliased = fast_parse(text, limits)
        if fast is not None:
            return ParsedFile(data=fast, root=None, drafts=(), shared=aliased)
        if error is not None:  # the node-based loader would stop at it too
            return _syntax_error(error, text)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        # Only unusual documents get here (the fast path took the rest), so
        # measuring them against the limits costs little.
        if root is not None:
            over = _measure(root, limits)
            if over is not None:
                return ParsedFile(data={}, root=root, drafts=(over,))
        data = loader.construct_document(root) if root is not None else None
    except RecursionError:
        return ParsedFile(
            data=None,
            root=None,
            drafts=(),
            syntax_error=(
                f"the document is nested too deeply (more than {limits.max_depth} levels)",
                1,
                1,
            ),
        )
    except yaml.YAMLError as exc:
        return _syntax_error(exc, text)
    finally:
        loader.dispose()
    return ParsedFile(data=data, root=root, drafts=tuple(loader.drafts))


def _syntax_error(exc: yaml.YAMLError, text: str) -> ParsedFile:
    """The parse result of a text YAML cannot read: its error, located."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or str(exc)
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        line = mark.line + 1 if mark is not None else 1
        column = mark.column + 1 if mark is not None else 1
    elif isinstance(exc, yaml.reader.ReaderError):  # characters YAML does not allow
        before = text[: exc.position]
        line = before.count("\n") + 1
        column = exc.position - (before.rfind("\n") + 1) + 1
        character = exc.character
        code = f"#x{ord(character):04x}" if isinstance(character, str) else repr(character)
        message = f"unacceptable character {code}: {exc.reason}"
    else:  # pragma: no cover - any other reader trouble
        message, line, column = str(exc), 1, 1
    return ParsedFile(data=None, root=None, drafts=(), syntax_error=(message, line, column))


class _Duplicate(Exception):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Duplicate
    return result


def _first_kept(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as the careful YAML loader builds it: a repeated key's
    first value kept."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        result.setdefault(key, value)
    return result


def _unique(pairs: list[tuple[str, Any]]) -> int:
    """Scanning hook: raise :class:`_Duplicate` for an object with a repeated key."""
    if len({key for key, _ in pairs}) != len(pairs):
        raise _Duplicate
    return 0


def _json_load(text: str) -> tuple[Any, tuple[Draft, ...]] | None:
    """Load a JSON document with the standard library: its data and the
    problems found (duplicate keys, located by scanning the text), or
    ``None`` to let the YAML loaders (JSON is YAML) decide and locate any
    problem, such as a syntax error.

    JSON has no aliases; deep nesting can only sit in extension data, whose
    structuring enforces ``max_depth``.
    """
    try:
        return json.loads(text, object_pairs_hook=_pairs), ()
    except _Duplicate:
        pass
    except (ValueError, RecursionError):
        return None
    try:
        data = json.loads(text, object_pairs_hook=_first_kept)
        return data, tuple(JsonText(text).duplicate_keys())
    except (ValueError, RecursionError, NotJson):  # pragma: no cover - loaded once already
        return None


class NotJson(Exception):
    """The text is not one JSON document: locate with the YAML node tree."""


#: Where YAML starts a new line (the breaks its marks count).
_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_NEWLINE = re.compile("\n")
#: JSON's white space (the standard library's own pattern).
_WHITE = re.compile(r"[ \t\n\r]*")
#: A comma between two members or items, with the white space around it.
_COMMA = re.compile(r"[ \t\n\r]*,[ \t\n\r]*")


def _after_space(text: str, pos: int) -> int:
    """The offset of the first character at or after ``pos`` that is not JSON white space."""
    match = _WHITE.match(text, pos)
    return match.end() if match else pos


#: Reads a JSON string from just after its opening quote: ``(text, end)``.
_STRING: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
#: Scans one JSON value for its end, validating it but keeping nothing of it
#: (an object becomes its size); and the same, raising on a repeated key.
_SKIP: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(
    json.JSONDecoder(object_pairs_hook=len)  # type: ignore[arg-type]
)
_CHECK: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(
    json.JSONDecoder(object_pairs_hook=_unique)  # type: ignore[arg-type]
)


@attrs.frozen(kw_only=True)
class Spot:
    """Stands in for a node of a document without a node tree (JSON): its
    path and the mark of its position, for :meth:`Locator.path_of`."""

    path: Path
    start_mark: Any


class JsonText:
    """Positions in a JSON text, found by scanning it, never composing it.

    The standard library's scanner skips each value (validating it and
    keeping nothing); only the objects and arrays a path goes through are
    indexed, each once. A text that is not one JSON document raises
    :class:`NotJson` when the object is made.

    Examples
    --------
    >>> doc = JsonText('{"a": 1,\\n "b": [true, {"c": null}]}')
    >>> doc.position(("b", 1, "c")), doc.position(("b", 1, "c"), "key")
    ((2, 20), (2, 15))
    >>> doc.position(("b", 7)), doc.source_line(2)
    ((2, 7), ' "b": [true, {"c": null}]}')
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: array.array[int] | None = None
        self._lines: dict[int, str | None] = {}
        self.root = _after_space(text, 0)
        if text[self.root : self.root + 1] != "{":
            raise NotJson
        self._index: dict[int, _Index] = {}
        # the root's lists are indexed as they are skipped: findings about
        # their items are what a locator is most often made for
        children, end = _drained(self._scan(self.root, self._skip_indexing))
        if _after_space(text, end) != len(text):
            raise NotJson
        self._index[self.root] = _members(children)

    def _skip_indexing(self, text: str, pos: int) -> tuple[None, int]:
        """A scanner for :meth:`_scan` that indexes each array it skips."""
        if text[pos] != "[":
            return None, _SKIP(text, pos)[1]
        self._index[pos], end = self._items(pos)
        return None, end

    def _items(self, start: int) -> tuple[array.array[int], int]:
        """The offset of each item of the array at ``start``, and its end:
        :meth:`_scan` without a Python-level step between two items."""
        text = self.text
        offsets: array.array[int] = array.array("q")
        add, skip, next_item = offsets.append, _SKIP, _COMMA.match
        pos = _after_space(text, start + 1)
        if text[pos : pos + 1] == "]":
            return offsets, pos + 1
        try:
            while True:
                add(pos)
                end = skip(text, pos)[1]
                comma = next_item(text, end)  # one match where most items end
                if comma is None:
                    return offsets, _closed(text, end, "]")
                pos = comma.end()
        except (ValueError, StopIteration, RecursionError):
            raise NotJson from None

    def _scan(self, start: int, scanner: Any) -> Generator[_Child, None, int]:
        """Each child of the object or array at ``start``, in order; returns
        the array's or object's end.

        Each child is ``(key or index, key offset or -1, value offset,
        refused)``; ``refused`` when ``scanner`` raised :class:`_Duplicate`
        on the value (with :data:`_CHECK`: it holds a repeated key). The
        children are yielded, not listed; an array is indexed by
        :meth:`_items`, without a tuple for each item.
        """
        text = self.text
        is_object = text[start] == "{"
        close = "}" if is_object else "]"
        count = 0
        next_item = _COMMA.match
        pos = _after_space(text, start + 1)
        if text[pos : pos + 1] == close:
            return pos + 1
        try:
            while True:
                key: str | int = count
                key_at = -1
                if is_object:
                    if text[pos : pos + 1] != '"':
                        raise NotJson
                    key_at = pos
                    key, pos = _STRING(text, pos + 1)
                    pos = _after_space(text, pos)
                    if text[pos : pos + 1] != ":":
                        raise NotJson
                    pos = _after_space(text, pos + 1)
                refused = False
                try:
                    end = scanner(text, pos)[1]
                except _Duplicate:
                    end, refused = _SKIP(text, pos)[1], True
                yield key, key_at, pos, refused
                count += 1
                comma = next_item(text, end)  # one match where most items end
                if comma is None:
                    return _closed(text, end, close)
                pos = comma.end()
        except (ValueError, StopIteration, RecursionError):
            raise NotJson from None

    def _children(self, start: int) -> _Index:
        found = self._index.get(start)
        if found is None:
            if self.text[start] == "[":
                found = self._index[start] = self._items(start)[0]
            else:
                found = self._index[start] = _members(self._scan(start, _SKIP))
        return found

    def _walk(self, path: Path) -> tuple[int, int, bool]:
        """``(value offset, key offset or -1, whole)`` of the deepest value
        on ``path`` that exists; ``whole`` when that is the path's own."""
        pos: int = self.root
        key_at = -1
        for segment in path:
            if self.text[pos] not in "{[":
                return pos, key_at, False
            index = self._children(pos)
            if isinstance(index, dict):
                found = index.get(segment if isinstance(segment, str) else str(segment))
                if found is None:
                    return pos, key_at, False
                key_at, pos = found
            elif isinstance(segment, int) and 0 <= segment < len(index):
                key_at, pos = -1, index[segment]
            else:
                return pos, key_at, False
        return pos, key_at, True

    def offset(self, path: Path, at: str = "value") -> int:
        """Offset of the key or value at ``path``; of the deepest value that
        exists when the path does not (as :meth:`Locator.position`)."""
        pos, key_at, whole = self._walk(path)
        return key_at if whole and at == "key" and key_at >= 0 else pos

    def item_offsets(self, parent: Path, items: Iterable[int]) -> list[int]:
        """:meth:`offset` of ``(*parent, item)`` for each of ``items``: the
        array at ``parent`` is found once, and each item read from its index.

        Examples
        --------
        >>> doc = JsonText('{"a": [1, 22, 333]}')
        >>> doc.item_offsets(("a",), [2, 0, 9]) == [doc.offset(("a", i)) for i in (2, 0, 9)]
        True
        """
        pos, _, whole = self._walk(parent)
        index = self._children(pos) if whole and self.text[pos] == "[" else None
        if index is None or isinstance(index, dict):
            return [self.offset((*parent, item)) for item in items]
        size = len(index)
        return [index[item] if 0 <= item < size else pos for item in items]

    def position(self, path: Path, at: str = "value") -> tuple[int, int]:
        """1-based ``(line, column)`` of the key or value at ``path``."""
        return self.line_column(self.offset(path, at))

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based ``(line, column)`` of ``offset``, counted as YAML counts."""
        return self.line_columns((offset,))[0]

    def line_columns(self, offsets: Iterable[int]) -> list[tuple[int, int]]:
        """:meth:`line_column` of each of ``offsets``."""
        starts = self._line_starts()
        found = []
        for offset in offsets:
            line = bisect.bisect_right(starts, offset)
            found.append((line, offset - starts[line - 1] + 1))
        return found

    def _line_starts(self) -> array.array[int]:
        if self._starts is None:
            text = self.text
            # most texts break lines with \n only, which is quicker to find
            rare = any(c in text for c in "\r\x85\u2028\u2029")
            breaks = (_BREAK if rare else _NEWLINE).finditer(text)
            self._starts = array.array("q", [0])
            self._starts.extend(m.end() for m in breaks)
        return self._starts

    def source_line(self, line: int) -> str | None:
        """The text of 1-based ``line``, or ``None`` when out of range."""
        if line not in self._lines:
            starts, text = self._line_starts(), self.text
            found = None
            if 1 <= line <= len(starts) and starts[line - 1] < len(text):
                end = len(text)
                if line < len(starts):
                    end = starts[line] - (
                        2 if text[starts[line] - 2 : starts[line]] == "\r\n" else 1
                    )
                found = text[starts[line - 1] : end]
            self._lines[line] = found
        return self._lines[line]

    def duplicate_keys(self) -> Iterator[Draft]:
        """A problem for each repeated key of each object, at the repeat.

        Only the objects and arrays that hold a repeated key are scanned
        again, so this costs about two readings of the text. As the YAML
        loader does, the value of a repeated key is not looked into.
        """
        stack: list[tuple[Path, int]] = [((), self.root)]
        while stack:
            path, start = stack.pop()
            first: dict[str | int, int] = {}
            for key, key_at, value_at, refused in self._scan(start, _CHECK):
                if key_at >= 0 and first.setdefault(key, key_at) != key_at:
                    # as in YAML, the value of a repeated key is not read
                    yield self._duplicate(path, str(key), key_at, first[key])
                elif refused:
                    stack.append(((*path, key), value_at))

    def _duplicate(self, path: Path, key: str, at: int, first: int) -> Draft:
        line, column = self.line_column(first)
        at_line, at_column = self.line_column(at)
        mark = yaml.Mark("<json>", at, at_line - 1, at_column - 1, None, 0)
        return Draft(
            message=f"duplicate key {quote(key)}; first given at line {line}, column {column}",
            code="duplicate-key",
            node=Spot(path=(*path, key), start_mark=mark),
            hint="remove one of the two entries; only the first is read",
        )


#: A child of a JSON object or array: key or index, key offset, value offset, refused.
_Child = tuple[str | int, int, int, bool]
#: An object's keys, each to its first key and value offsets; an array's
#: value offsets (8 bytes each, not an int object each).
_Index: TypeAlias = "dict[str, tuple[int, int]] | array.array[int]"


def _closed(text: str, end: int, close: str) -> int:
    """Where an object or array ends, when its last value ends at ``end``;
    :class:`NotJson` unless ``close`` comes next."""
    pos = _after_space(text, end)
    if text[pos : pos + 1] != close:
        raise NotJson
    return pos + 1


def _drained(children: Generator[_Child, None, int]) -> tuple[list[_Child], int]:
    """The children a :meth:`JsonText._scan` yields, and the end it returns."""
    found: list[_Child] = []
    while True:
        try:
            found.append(next(children))
        except StopIteration as stop:
            return found, stop.value


def _members(children: Iterable[_Child]) -> dict[str, tuple[int, int]]:
    """An object's index: each key to its own and its value's offsets (a
    repeated key: its first)."""
    keys: dict[str, tuple[int, int]] = {}
    for key, key_at, value_at, _ in children:
        keys.setdefault(str(key), (key_at, value_at))
    return keys


class Locator:
    """Find the position of a path, or the path of a node, in a node tree.

    Built only when a problem needs a position. A locator made
    :meth:`from_text` of a JSON document finds positions by scanning the
    text (:class:`JsonText`) and composes no node tree.
    """

    def __init__(self, root: Any, text: str, *, json_text: JsonText | None = None) -> None:
        self._root = root
        self._text = text
        self._json = json_text
        self._lines: list[str] | None = None
        self._paths: dict[int, Path] | None = None

    @property
    def is_json(self) -> bool:
        """Whether the text is a JSON document (located by scanning it)."""
        return self._json is not None

    def source_line(self, line: int) -> str | None:
        """The text of 1-based ``line``, or ``None`` when out of range."""
        if self._json is not None:
            return self._json.source_line(line)
        if self._lines is None:
            self._lines = self._text.splitlines()
        if 1 <= line <= len(self._lines):
            return self._lines[line - 1]
        return None

    def item_positions(
        self, parent: Path, items: Sequence[int]
    ) -> Sequence[tuple[int, int] | None]:
        """:meth:`position` of ``(*parent, item)`` for each of ``items``; in a
        JSON text, the array at ``parent`` is found once for them all."""
        if self._json is not None:
            return self._json.line_columns(self._json.item_offsets(parent, items))
        return [self.position((*parent, item)) for item in items]

    def position(self, path: Path, at: str = "value") -> tuple[int, int] | None:
        """1-based ``(line, column)`` of the key or value at ``path``.

        When the path does not fully exist (a missing key) the position of
        the deepest existing node is returned.
        """
        if self._json is not None:
            return self._json.position(path, at)
        node = self._root
        if node is None:
            return None
        key_node = None
        for segment in path:
            child = None
            child_key = None
            if isinstance(node, yaml.MappingNode):
                child_key, child = _member(node, segment)
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(segment, int)
                and 0 <= segment < len(node.value)
            ):
                child = node.value[segment]
            if child is None:
                break
            node, key_node = child, child_key
        else:
            if at == "key" and key_node is not None:
                node = key_node
        mark = node.start_mark
        return mark.line + 1, mark.column + 1

    def path_of(self, target: Any) -> Path | None:
        """The path of a node (by identity), or ``None`` when not found; a
        :class:`Spot` knows its own."""
        if isinstance(target, Spot):
            return target.path
        if self._paths is None:
            self._paths = {}
            for path, node in _walk(self._root, ()):
                self._paths.setdefault(id(node), path)
        return self._paths.get(id(target))

    @classmethod
    def from_text(cls, text: str) -> Locator:
        """A locator for ``text``: a scanner of a JSON document, else the
        document composed again (no construction)."""
        if text.lstrip()[:1] == "{":
            try:
                return cls(None, text, json_text=JsonText(text))
            except NotJson:
                pass
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        except yaml.YAMLError:
            root = None
        finally:
            loader.dispose()
        return cls(root, text)


#: Builds a key's value from its node, as the loader resolved it.
_KEY_VALUE = yaml.constructor.SafeConstructor()


def _member(node: yaml.MappingNode, segment: Segment) -> tuple[Any, Any]:
    """The key and value nodes of ``segment`` in the mapping ``node``, or
    ``(None, None)``: its own key (the first, as the loader keeps it), else
    the one a merge key ``<<`` brings in that the loader reads (the first in
    :func:`merged_mappings`' order)."""
    for mapping in itertools.chain((node,), merged_mappings(node)):
        for k, v in mapping.value:
            if k.tag != _MERGE and isinstance(k, yaml.ScalarNode) and _same_key(k, segment):
                return k, v
    return None, None


def _same_key(node: yaml.ScalarNode, segment: Segment) -> bool:
    """Whether the key ``node`` is the path ``segment``: its text, or the
    value YAML reads it as (``~`` is ``None``, ``yes`` is ``True``, ``5`` is 5)."""
    if node.value == segment:
        return True
    if isinstance(segment, str) or node.style:  # a quoted key is text (plain: None or '')
        return False
    try:
        value = _KEY_VALUE.construct_object(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        return bool(node.value == str(segment))
    return type(value) is type(segment) and bool(value == segment)


def _walk(node: Any, path: Path) -> Iterator[tuple[Path, Any]]:
    stack: list[tuple[Path, Any]] = [(path, node)]
    seen: set[int] = set()
    while stack:
        path, node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        yield path, node
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                segment: Segment = k.value if isinstance(k, yaml.ScalarNode) else "?"
                stack.append(((*path, segment), k))
                stack.append(((*path, segment), v))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                stack.append(((*path, i), item))
