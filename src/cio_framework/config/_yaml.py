"""Safe YAML parsing that keeps positions and reports problems instead of raising.

The loader is PyYAML's safe loader (libyaml's C parser when present) with
three changes: duplicate mapping keys are recorded rather than silently
overwritten, unknown tags (including every ``!!python/...`` tag) become a
recorded problem instead of an object, and impossible dates are recorded
instead of aborting the load. The composed node tree is kept so that
positions can be looked up afterwards, only for the problems that need
them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Any

import attrs
import yaml

__all__ = ["INVALID", "Draft", "Locator", "ParsedFile", "parse_text"]

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


class _Loader(_BaseLoader):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.drafts: list[Draft] = []

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):  # pragma: no cover - guarded by PyYAML
            return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]
        self.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        first_key_node: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable) or isinstance(key, (list, dict)):
                self.drafts.append(
                    Draft(
                        message="a mapping key must be a plain string, not a "
                        + ("list" if isinstance(key_node, yaml.SequenceNode) else "mapping"),
                        code="wrong-type",
                        node=key_node,
                        expected="a string key",
                    )
                )
                continue
            try:
                seen = key in first_key_node
            except TypeError:  # unhashable despite the check above
                seen = False
            if seen:
                first = first_key_node[key].start_mark
                self.drafts.append(
                    Draft(
                        message=f"duplicate key {key!r}; first given at line "
                        f"{first.line + 1}, column {first.column + 1}",
                        code="duplicate-key",
                        node=key_node,
                        hint="remove one of the two entries; YAML keeps only one",
                    )
                )
                continue
            first_key_node[key] = key_node
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_undefined(self, node: Any) -> Any:
        self.drafts.append(
            Draft(
                message=f"tag {node.tag!r} is not allowed; scenario files hold plain data only",
                code="unsafe-tag",
                node=node,
                hint="remove the tag",
                got=node.tag,
            )
        )
        return INVALID

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            self.drafts.append(
                Draft(
                    message=f"{node.value!r} is not a valid date: {exc}",
                    code="bad-value",
                    node=node,
                    expected="a date YYYY-MM-DD",
                    got=repr(node.value),
                )
            )
            return INVALID


_Loader.add_constructor(None, _Loader.construct_undefined)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)


@attrs.frozen(kw_only=True)
class ParsedFile:
    """The result of parsing one YAML text."""

    data: Any
    root: Any
    drafts: tuple[Draft, ...]
    syntax_error: tuple[str, int, int] | None = None


def parse_text(text: str) -> ParsedFile:
    """Parse one YAML document safely, recording problems instead of raising.

    Returns the constructed data (with :data:`INVALID` where a value could not
    be built), the node tree for locating problems, and the problems found.
    A syntax error stops parsing; it is returned as ``(message, line, column)``
    with 1-based positions.
    """
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or str(exc)
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        line = mark.line + 1 if mark is not None else 1
        column = mark.column + 1 if mark is not None else 1
        return ParsedFile(data=None, root=None, drafts=(), syntax_error=(message, line, column))
    except yaml.YAMLError as exc:  # reader errors: unprintable characters
        return ParsedFile(data=None, root=None, drafts=(), syntax_error=(str(exc), 1, 1))
    finally:
        loader.dispose()
    return ParsedFile(data=data, root=root, drafts=tuple(loader.drafts))


class Locator:
    """Find the position of a path, or the path of a node, in a node tree.

    Built only when a problem needs a position.
    """

    def __init__(self, root: Any, text: str) -> None:
        self._root = root
        self._lines = text.splitlines()
        self._paths: dict[int, Path] | None = None

    def source_line(self, line: int) -> str | None:
        """The text of 1-based ``line``, or ``None`` when out of range."""
        if 1 <= line <= len(self._lines):
            return self._lines[line - 1]
        return None

    def position(self, path: Path, at: str = "value") -> tuple[int, int] | None:
        """1-based ``(line, column)`` of the key or value at ``path``.

        When the path does not fully exist (a missing key) the position of
        the deepest existing node is returned.
        """
        node = self._root
        if node is None:
            return None
        key_node = None
        for segment in path:
            child = None
            child_key = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and _same_key(k.value, segment):
                        child, child_key = v, k
                        break
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
        """The path of a node (by identity), or ``None`` when not found."""
        if self._paths is None:
            self._paths = {}
            for path, node in _walk(self._root, ()):
                self._paths.setdefault(id(node), path)
        return self._paths.get(id(target))

    @classmethod
    def from_text(cls, text: str) -> Locator:
        """Compose ``text`` again (no construction) and build a locator."""
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        except yaml.YAMLError:
            root = None
        finally:
            loader.dispose()
        return cls(root, text)


def _same_key(node_value: str, segment: Segment) -> bool:
    return node_value == segment or node_value == str(segment)


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
