"""Reading scenario files and folders into a :class:`~cio_framework.model.Scenario`."""

from __future__ import annotations

import bisect
import itertools
import operator
import os
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

import attrs

from ..exceptions import ConfigError, Problem
from ..model import (
    ADDED_BY_CHANGE,
    COLLECTIONS,
    DEFAULT_LEVELS,
    FORMAT_VERSION,
    READ_VERSIONS,
    Scenario,
)
from ..model._base import canonical_id
from ._extends import apply_extends, base_first, resolve_extends
from ._fast import MISS, Refs, fast_path
from ._packs import at_role_mappings, relabel_roles, resolve_uses
from ._plan import TypeSpec, plan_of
from ._read import read_texts, too_big
from ._structure import (
    SINGULAR,
    IdEntry,
    Structurer,
    describe_value,
    format_path,
    key_hint,
    key_text,
    nearest,
)
from ._yaml import DEFAULT_LIMITS, INVALID, Draft, Limits, Locator, Path, parse_text, written

__all__ = [
    "Files",
    "Kept",
    "LoadedScenario",
    "Locators",
    "SourceText",
    "build",
    "read_files",
    "read_sources",
]

VERSION_KEY = "cio_framework"


@attrs.frozen(kw_only=True)
class SourceText:
    """One scenario text and the name it is reported under.

    ``pack`` names the reference pack the text is, and ``roles`` maps the
    pack's placeholder role ids to the scenario's. ``base_of`` is the index
    of the file whose ``extends:`` the text is (part of) the base of.
    """

    name: str | None
    text: str
    pack: str | None = None
    roles: tuple[tuple[str, str], ...] = ()
    used_at: tuple[int, Path] | None = None
    base_of: int | None = None


@attrs.frozen(kw_only=True, eq=False)
class LoadedScenario:
    """A loaded scenario together with where each element came from.

    Use :meth:`locate` to turn an element back into ``file:line:column``, for
    instance to place a governance check finding in the file that caused it.
    """

    scenario: Scenario
    sources: tuple[SourceText, ...]
    origins: Origins
    _locators: Locators = attrs.field(
        default=attrs.Factory(lambda self: Locators(self.sources), takes_self=True),
        init=False,
        repr=False,
    )

    def locate(self, collection: str, index: int) -> tuple[str | None, int | None, int | None, str]:
        """``(file, line, column, path)`` of ``scenario.<collection>[index]``.

        Examples
        --------
        >>> from cio_framework.config import load_document
        >>> from cio_framework.data import builtin_path
        >>> loaded = load_document(builtin_path("pudong-2016"))
        >>> file, line, column, path = loaded.locate("roles", 0)
        >>> path
        '$.roles[0]'
        """
        origin = self.origins.get((collection, index))
        if origin is None:
            return None, None, None, f"$.{collection}[{index}]"
        return (*self.position(collection, index), format_path(origin[1]))

    def position(self, collection: str, index: int) -> tuple[str | None, int | None, int | None]:
        """``(file, line, column)`` of ``scenario.<collection>[index]``:
        :meth:`locate` without the path.

        Examples
        --------
        >>> from cio_framework.config import load_document
        >>> from cio_framework.data import builtin_path
        >>> loaded = load_document(builtin_path("pudong-2016"))
        >>> loaded.position("roles", 0) == loaded.locate("roles", 0)[:3]
        True
        """
        return self.positions(collection, (index,))[0]

    def position_within(
        self, collection: str, index: int, path: Path
    ) -> tuple[str | None, int | None, int | None]:
        """``(file, line, column)`` of ``path`` inside ``scenario.<collection>[index]``
        (the deepest part of it the file has, at worst the element itself).

        Examples
        --------
        >>> from cio_framework.config import load_document
        >>> from cio_framework.data import builtin_path
        >>> loaded = load_document(builtin_path("pudong-2016"))
        >>> file, line, column = loaded.position_within("scenarios", 0, ("changes", 0))
        >>> line > loaded.position("scenarios", 0)[1]
        True
        """
        origin = self.origins.get((collection, index))
        if origin is None:
            return None, None, None
        file_index, element = origin
        line, column = self._locators.where(file_index, (*element, *path))
        return self.sources[file_index].name, line, column

    def positions(
        self, collection: str, indices: Sequence[int]
    ) -> list[tuple[str | None, int | None, int | None]]:
        """:meth:`position` of ``scenario.<collection>[i]`` for each ``i`` of
        ``indices``, in their order: each file's list is found once for
        them all, so placing a million findings costs a lookup each.

        Examples
        --------
        >>> from cio_framework.config import load_document
        >>> from cio_framework.data import builtin_path
        >>> loaded = load_document(builtin_path("pudong-2016"))
        >>> loaded.positions("roles", [1, 0]) == [loaded.position("roles", i) for i in (1, 0)]
        True
        """
        found: list[tuple[str | None, int | None, int | None]] = []
        places = self.origins.places(collection, indices)
        for file_index, run in itertools.groupby(places, key=_file_of):  # runs from one file
            if file_index is None:
                found.extend((None, None, None) for _ in run)
                continue
            name = self.sources[file_index].name
            items = list(map(_ITEM, run))  # type: ignore[arg-type]  # no None in a run of a file
            lines = self._locators.item_positions(file_index, (collection,), items)
            found.extend([(name, line, column) for line, column in lines])
        return found


_ITEM = operator.itemgetter(1)


def _file_of(place: tuple[int, int] | None) -> int | None:
    """The file index of an :meth:`Origins.places` entry."""
    return None if place is None else place[0]


class Origins:
    """Which file and path each element of a loaded scenario came from.

    Kept as runs, one per file and collection, not as an entry per element:
    a load that succeeds keeps every item of every file, so item ``i`` of a
    run that starts at ``start`` is item ``i - start`` of that file's list.

    Examples
    --------
    >>> origins = Origins()
    >>> origins.add("systems", 0, 2, file_index=0)
    >>> origins.add("systems", 2, 3, file_index=1)
    >>> origins.get(("systems", 3)), origins.get(("systems", 5))
    ((1, ('systems', 1)), None)
    """

    __slots__ = ("_kept", "_runs")

    def __init__(self) -> None:
        self._runs: dict[str, tuple[list[int], list[int], list[int]]] = {}
        self._kept: Kept = {}

    def add(self, collection: str, start: int, count: int, file_index: int) -> None:
        """Record that items ``start .. start + count - 1`` come from one file."""
        if count <= 0:
            return
        starts, counts, files = self._runs.setdefault(collection, ([], [], []))
        starts.append(start)
        counts.append(count)
        files.append(file_index)

    def place(self, kept: Kept) -> None:
        """Record that the items were read from the positions ``kept`` names
        (the items of a list it does not name from every position)."""
        self._kept = kept

    def get(self, key: tuple[str, int]) -> tuple[int, Path] | None:
        """``(file index, path)`` of item ``key[1]`` of collection ``key[0]``."""
        collection, index = key
        found = self.places(collection, (index,))[0]
        return None if found is None else (found[0], (collection, found[1]))

    def places(self, collection: str, indices: Sequence[int]) -> list[tuple[int, int] | None]:
        """``(file index, index in that file's list)`` of each item of
        ``indices`` of ``collection`` (:meth:`get` of many at once)."""
        runs = self._runs.get(collection)
        if runs is None:
            return [None] * len(indices)
        starts, counts, files = runs
        kept = self._kept
        if len(starts) == 1 and starts[0] == 0 and kept.get(files[0], {}).get(collection) is None:
            file_index, count = files[0], counts[0]  # one file holds them all
            return [(file_index, i) if 0 <= i < count else None for i in indices]
        found: list[tuple[int, int] | None] = []
        for index in indices:
            at = bisect.bisect_right(starts, index) - 1
            if index < 0 or at < 0 or index >= starts[at] + counts[at]:
                found.append(None)
                continue
            position = index - starts[at]
            positions = kept.get(files[at], {}).get(collection)
            found.append((files[at], position if positions is None else positions[position]))
        return found


def read_sources(
    path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS
) -> tuple[list[SourceText], list[Problem]]:
    """Read a scenario file, or every ``.yaml``/``.yml`` file below a folder.

    :mod:`cio_framework.config._read` states which files a folder reads,
    how links are treated and how the size limit is enforced.
    """
    texts, problems = read_texts(path, max_bytes=limits.max_bytes)
    return [SourceText(name=name, text=text) for name, text in texts], problems


def build(
    sources: Sequence[SourceText],
    *,
    known_checks: Collection[str] = (),
    problems: Iterable[Problem] = (),
    limits: Limits = DEFAULT_LIMITS,
) -> LoadedScenario:
    """Parse, validate and merge scenario texts; raise one :class:`ConfigError`
    with every problem, or return the loaded scenario.

    The garbage collector is left alone (it is process-wide): a caller that
    loads a big scenario may pause it, see :func:`cio_framework.gc_paused`.
    """
    return _build(sources, known_checks=known_checks, problems=problems, limits=limits)


def _build(
    sources: Sequence[SourceText],
    *,
    known_checks: Collection[str],
    problems: Iterable[Problem],
    limits: Limits,
) -> LoadedScenario:
    files = read_files(sources, problems, limits)
    merged, origins, drafts = files.assemble(
        files.kept, known_checks=known_checks, limits=limits, release=True
    )
    if files.drafts or drafts or files.collected or not files.datas:
        raise files.error([*files.drafts, *drafts])
    scenario = Scenario(**merged)
    return LoadedScenario(scenario=scenario, sources=tuple(files.sources), origins=origins)


#: Which items of a file's lists are read: file index to collection to the
#: positions, in the file, of the items kept, in order. A list it does not
#: name is read whole.
Kept = dict[int, dict[str, list[int]]]


@attrs.define(eq=False)
class Files:
    """Scenario texts parsed, their ``uses:`` and ``extends:`` followed, not
    yet structured.

    ``datas`` maps the index of each file in ``sources`` to its data, bases
    first, each list holding every item its file holds; ``kept`` the items
    an extending file leaves in its bases' lists. ``drafts`` are the
    problems reading found, at their paths in the files (positions in the
    file, whatever is left out); ``collected`` those already located
    (files that cannot be read, syntax errors). ``private`` holds the
    indices of the scenario's own files whose lists nothing else holds (no
    YAML alias names a list or mapping in them).
    """

    sources: list[SourceText]
    datas: dict[int, dict[Any, Any]]
    kept: Kept
    drafts: list[tuple[int, Draft]]
    collected: list[Problem]
    private: frozenset[int] = frozenset()

    def assemble(
        self,
        kept: Kept,
        *,
        known_checks: Collection[str],
        limits: Limits,
        release: bool = False,
    ) -> tuple[dict[str, Any], Origins, list[tuple[int, Draft]]]:
        """Structure and merge the items ``kept`` keeps: the scenario's
        fields, where each element came from, and the problems, each at its
        path in its file. O(V + E) in the items kept.

        With ``release``, the collections' items of the :attr:`private`
        files are let go as they are structured (their list slots become
        ``None``), so that the parsed data and the model are not both held
        whole: a million exchanges' parsed mappings weigh more than their
        model. The files cannot be assembled again after that.
        """
        datas = _kept_items(self.datas, kept)
        drafts: list[tuple[int, Draft]] = []
        named: dict[str, list[str]] = {}
        ids = _collect_ids(datas, drafts, named)
        packs = {i for i, source in enumerate(self.sources) if source.pack is not None}
        merged, origins = _structure_all(
            datas,
            ids,
            known_checks,
            drafts,
            packs,
            max_depth=limits.max_depth,
            refs=Refs(named),
            release=self.private if release else frozenset(),
        )
        del named
        # a file that could not be read (a syntax error, say) may hold the name
        every_file_read = not self.collected and len(self.datas) == len(self.sources)
        if (
            datas
            and every_file_read
            and "name" not in merged
            and not any("name" in data for data in datas.values())
        ):
            drafts.append(
                (
                    min(datas),
                    Draft(
                        message="the scenario has no 'name'",
                        code="missing-field",
                        path=(),
                        expected="'name': a string",
                        hint="add 'name: ...' at the top level",
                    ),
                )
            )
        origins.place(kept)
        return merged, origins, [(i, _moved(draft, i, kept)) for i, draft in drafts]

    def error(self, drafts: Sequence[tuple[int, Draft]]) -> ConfigError:
        """The error listing ``drafts`` and the problems already located."""
        collected = list(self.collected)
        if not drafts and not collected:
            collected.append(Problem(message="no scenario files to load", code="io"))
        located = _finalize(self.sources, at_role_mappings(self.sources, drafts), collected)
        return ConfigError.from_problems(located)


def read_files(sources: Sequence[SourceText], problems: Iterable[Problem], limits: Limits) -> Files:
    """Parse scenario texts, following their ``uses:`` (reference packs, added
    to the sources) and ``extends:`` (bases, added too)."""
    collected: list[Problem] = list(problems)
    drafts: list[tuple[int, Draft]] = []
    datas: dict[int, dict[Any, Any]] = {}
    sources = list(sources)
    used: dict[str, tuple[tuple[str, str], ...]] = {}
    #: Base file index to the index of the file it is the base of, the
    #: ``remove:`` lists of extending files, and the real paths read.
    bases: dict[int, int] = {}
    removals: dict[int, tuple[Any, bool]] = {}
    extending: set[int] = set()
    read: set[str] = set()
    private: set[int] = set()
    index = -1
    while index + 1 < len(sources):
        index += 1
        source = sources[index]
        if len(source.text) > limits.max_bytes or (
            len(source.text) * 4 > limits.max_bytes
            and len(source.text.encode("utf-8", "surrogatepass")) > limits.max_bytes
        ):
            size = len(source.text.encode("utf-8", "surrogatepass"))
            collected.append(too_big(source.name, size, limits.max_bytes))
            continue
        parsed = parse_text(source.text, limits)
        if parsed.syntax_error is not None:
            message, line, column = parsed.syntax_error
            source_line = _line_of(source.text, line)
            hint = None
            if source_line is not None and "\t" in source_line[: max(column, 1)]:
                hint = "YAML does not allow tabs for indentation; indent with spaces"
            collected.append(
                Problem(
                    message=f"YAML syntax error: {message}",
                    code="syntax",
                    file=source.name,
                    line=line,
                    column=column,
                    source_line=source_line,
                    hint=hint,
                )
            )
            continue
        if parsed.drafts:
            locator = Locator(parsed.root, source.text)
            for draft in parsed.drafts:
                path = locator.path_of(draft.node) or ()
                drafts.append(
                    (index, attrs.evolve(draft, path=path, node=None, mark=draft.node.start_mark))
                )
            if any(draft.code == "limit" for draft in parsed.drafts):
                continue
        data = parsed.data
        if data is None:
            drafts.append(
                (
                    index,
                    Draft(
                        message="the file holds no scenario: it is empty or only comments",
                        code="missing-field",
                        path=(),
                        hint=f"start the file with '{VERSION_KEY}: {FORMAT_VERSION}'",
                    ),
                )
            )
            continue
        if data is INVALID:  # the document's own tag was refused: already reported
            continue
        if not isinstance(data, dict):
            drafts.append(
                (
                    index,
                    Draft(
                        message=f"a scenario file must be a mapping of keys to values, not {describe_value(data)}",
                        code="wrong-type",
                        path=(),
                        expected="a mapping",
                        got=describe_value(data),
                        hint=f"start the file with '{VERSION_KEY}: {FORMAT_VERSION}'",
                    ),
                )
            )
            continue
        _check_version(data, index, drafts)
        if source.pack is not None:
            data = _unpack(data, source, index, drafts)
        else:
            if "uses" in data:
                sources.extend(resolve_uses(data.pop("uses"), index, drafts, used))
            if "extends" in data:
                extending.add(index)
                if not read:
                    read.update(
                        os.path.realpath(s.name) for s in sources if s.name and _is_file(s.name)
                    )
                found = resolve_extends(
                    data.pop("extends"), source.name, index, drafts, read, limits.max_bytes
                )
                sources.extend(found)
            if "remove" in data:
                removals[index] = (data.pop("remove"), index in extending)
        if source.base_of is not None:
            bases[index] = source.base_of
        if source.pack is None and not parsed.shared:
            private.add(index)
        datas[index] = data
    kept: Kept = {}
    if bases or removals:
        lists = {
            (i, key): items
            for i, data in datas.items()
            for key, items in data.items()
            if key in COLLECTIONS and isinstance(items, list)
        }
        apply_extends(datas, bases, removals, drafts)
        datas = {i: datas[i] for i in base_first(list(datas), bases) if i in datas}
        kept = _put_back(datas, lists)
    _own_ids(datas)
    return Files(
        sources=sources,
        datas=datas,
        kept=kept,
        drafts=drafts,
        collected=collected,
        private=frozenset(private),
    )


def _own_ids(datas: dict[int, dict[Any, Any]]) -> None:
    """Give the id of each item of the parsed ``datas`` a string of its own,
    made while every string parsing made is still held.

    Parsing puts an item's id among the strings of its references. Those
    are freed once the elements hold the canonical ids, but each id, kept
    by its element, pins the block of freed strings around it: the
    allocator can reuse that memory for other short strings only. For a
    million exchanges that is a third of a gigabyte that the analyses
    cannot use. The copies are made before anything is freed (the
    originals are held until the last copy), so they lie together. O(V).
    """
    id_keys = _id_collections()
    originals: list[str] = []
    for data in datas.values():
        for collection, items in data.items():
            id_key = id_keys.get(collection) if isinstance(collection, str) else None
            if id_key is None or not isinstance(items, list):
                continue
            for item in items:
                value = item.get(id_key) if type(item) is dict else None
                if type(value) is str:
                    originals.append(value)
                    item[id_key] = value.join(_EMPTY_PAIR)  # a new string, equal


#: Joined by a string, a new string equal to it (``str(s)``, ``s[:]`` and
#: ``s + ""`` all give ``s`` itself).
_EMPTY_PAIR = ("", "")


def _put_back(datas: dict[int, dict[Any, Any]], lists: dict[tuple[int, str], list[Any]]) -> Kept:
    """Put back the whole lists that ``extends`` shortened in ``datas``; the
    positions of the items it kept. O(n) in the items."""
    kept: Kept = {}
    for (index, key), items in lists.items():
        data = datas.get(index)
        shortened = data.get(key) if data is not None else None
        if data is None or shortened is None or shortened is items:
            continue
        positions, at = [], 0
        for item in shortened:  # a subsequence of items: the same objects, in order
            while items[at] is not item:
                at += 1
            positions.append(at)
            at += 1
        data[key] = items
        kept.setdefault(index, {})[key] = positions
    return kept


def _kept_items(datas: dict[int, dict[Any, Any]], kept: Kept) -> dict[int, dict[Any, Any]]:
    """``datas`` with only the items ``kept`` keeps in the lists it names."""
    if not kept:
        return datas
    return {
        index: {**data, **{key: [data[key][p] for p in at] for key, at in kept[index].items()}}
        if index in kept
        else data
        for index, data in datas.items()
    }


def _moved(draft: Draft, index: int, kept: Kept) -> Draft:
    """``draft``, found in the items ``kept`` keeps of file ``index``, at its
    path in the file (and the place it refers to, in its file)."""
    if not kept:
        return draft
    path = _in_file(index, draft.path, kept)
    related = draft.related
    if related is not None:
        related = (related[0], _in_file(related[0], related[1], kept) or ())
    if path is draft.path and related == draft.related:
        return draft
    return attrs.evolve(draft, path=path, related=related)


def _in_file(index: int, path: Path | None, kept: Kept) -> Path | None:
    """``path`` in the items kept of file ``index``, as a path in the file."""
    lists = kept.get(index)
    if not lists or path is None or len(path) < 2 or not isinstance(path[0], str):
        return path
    at = lists.get(path[0])
    position = path[1]
    if at is None or not isinstance(position, int) or not 0 <= position < len(at):
        return path
    return (path[0], at[position], *path[2:])


def _unpack(
    data: dict[Any, Any], source: SourceText, index: int, drafts: list[tuple[int, Draft]]
) -> dict[Any, Any]:
    """Check a pack's header, drop it and rename its placeholder roles."""
    header = data.pop("pack", None)
    if not isinstance(header, dict):
        drafts.append(
            (
                index,
                Draft(
                    message="a reference pack needs a 'pack:' header", code="missing-field", path=()
                ),
            )
        )
        header = {}
    placeholders = header.get("roles") or []
    unknown = [k for k, _ in source.roles if k not in placeholders]
    if unknown and source.used_at is not None:
        at, path = source.used_at
        drafts.append(
            (
                at,
                Draft(
                    message=f"reference pack {source.pack!r} has no placeholder role "
                    + ", ".join(repr(u) for u in unknown),
                    code="unknown-key",
                    path=(*path, "roles"),
                    hint="its placeholder roles: " + (", ".join(placeholders) or "none"),
                ),
            )
        )
    return relabel_roles(data, dict(source.roles))


def _is_file(name: str | None) -> bool:
    """Whether a source name is a path (not ``<string>``, ``<pack:...>``)."""
    return name is not None and not name.startswith("<")


def _line_of(text: str, line: int) -> str | None:
    lines = text.splitlines()
    return lines[line - 1] if 1 <= line <= len(lines) else None


def _check_version(data: dict[Any, Any], index: int, drafts: list[tuple[int, Draft]]) -> None:
    if VERSION_KEY not in data:
        drafts.append(
            (
                index,
                Draft(
                    message=f"the file has no format version key '{VERSION_KEY}'",
                    code="version",
                    path=(),
                    expected=f"'{VERSION_KEY}: {FORMAT_VERSION}'",
                    hint=f"add '{VERSION_KEY}: {FORMAT_VERSION}' as the first line",
                ),
            )
        )
        return
    version = data[VERSION_KEY]
    if version is INVALID:
        return
    if isinstance(version, bool) or not isinstance(version, int):
        drafts.append(
            (
                index,
                Draft(
                    message=f"'{VERSION_KEY}' must be the whole number {FORMAT_VERSION} "
                    f"(or {READ_VERSIONS[0]}), not {describe_value(version)}",
                    code="version",
                    path=(VERSION_KEY,),
                    expected=str(FORMAT_VERSION),
                    got=describe_value(version),
                    hint=f"write '{VERSION_KEY}: {FORMAT_VERSION}'",
                ),
            )
        )
    elif version == 1:
        _check_version_1(data, index, drafts)
    elif version not in READ_VERSIONS:
        drafts.append(
            (
                index,
                Draft(
                    message=f"unsupported format version {version}; this library reads "
                    f"versions {READ_VERSIONS[0]} to {READ_VERSIONS[-1]}",
                    code="version",
                    path=(VERSION_KEY,),
                    expected=str(FORMAT_VERSION),
                    got=str(version),
                    hint="upgrade cio_framework"
                    if version > FORMAT_VERSION
                    else f"write '{VERSION_KEY}: {FORMAT_VERSION}'",
                ),
            )
        )


#: Collections whose elements have a ``jurisdiction`` field (format version 2).
_PLACED = ("departments", "roles", "bodies", "levels", "platforms")


def _check_version_1(data: dict[Any, Any], index: int, drafts: list[tuple[int, Draft]]) -> None:
    """A version-1 file may not use what version 2 added: jurisdictions,
    ``extends`` and ``remove``."""
    found: list[Path] = [(key,) for key in ("jurisdictions", "extends", "remove") if key in data]
    for name in _PLACED:
        items = data.get(name)
        if isinstance(items, list):
            found.extend(
                (name, n, "jurisdiction")
                for n, item in enumerate(items)
                if isinstance(item, dict) and "jurisdiction" in item
            )
    for path in found:
        drafts.append(
            (
                index,
                Draft(
                    message=f"'{path[-1]}' needs format version 2; the file is version 1",
                    code="version",
                    path=path,
                    at="key",
                    # not 'cio-framework upgrade': it rewrites only a file that loads
                    hint=f"write '{VERSION_KEY}: 2': version 2 has it and means the same otherwise",
                ),
            )
        )


def _id_collections() -> dict[str, str]:
    """Collection name to the key of its id field, for collections with ids."""
    result = {}
    for name, cls in COLLECTIONS.items():
        for plan in plan_of(cls):
            if plan.is_id:
                result[name] = plan.key
    return result


def _collect_ids(
    datas: dict[int, dict[Any, Any]],
    drafts: list[tuple[int, Draft]],
    named: dict[str, list[str]] | None = None,
) -> dict[str, IdEntry]:
    """Every id defined in the files, with the collection that defines it.

    A collection whose ids are all new and distinct (the usual case) is
    registered in one step, its entries sharing one :class:`IdEntry` whose
    path stops at the collection; the item's position is looked up only if
    a later duplicate needs to point at it. ``named``, when given, receives
    each collection's ids as the files spell them (the canonical strings the
    fast paths give references).
    """
    ids: dict[str, IdEntry] = {}
    if named is None:
        named = {}
    id_keys = _id_collections()
    if not any(isinstance(d.get("levels"), list) and d["levels"] for d in datas.values()):
        for level in DEFAULT_LEVELS:
            ids[level.id] = IdEntry(kind="levels", file_index=-1, path=())
            named.setdefault("levels", []).append(level.id)
    positions: dict[tuple[int, str], dict[str, int]] = {}

    def path_of(value: str, entry: IdEntry) -> Path:
        if len(entry.path) != 1:
            return entry.path
        key = (entry.file_index, entry.kind)
        if key not in positions:
            found: dict[str, int] = {}
            id_key = id_keys[entry.kind]
            for position, item in enumerate(datas[entry.file_index][entry.kind]):
                if isinstance(item, dict) and isinstance(item.get(id_key), str):
                    found.setdefault(canonical_id(item[id_key]), position)
            positions[key] = found
        return (entry.kind, positions[key][value], id_keys[entry.kind])

    for index, data in datas.items():
        for collection, items in data.items():
            id_key = id_keys.get(collection) if isinstance(collection, str) else None
            if id_key is None or not isinstance(items, list):
                continue
            values = [_id_of(item, id_key) for item in items]
            strings = [value for value in values if type(value) is str]
            fresh = dict.fromkeys(
                strings, IdEntry(kind=collection, file_index=index, path=(collection,))
            )
            if len(fresh) == len(strings) and fresh.keys().isdisjoint(ids):
                ids.update(fresh)
                named.setdefault(collection, []).extend(strings)
                continue
            for position, value in enumerate(values):
                if not isinstance(value, str):
                    continue
                path: Path = (collection, position, id_key)
                first = ids.get(value)
                if first is not None and first.file_index < 0:
                    drafts.append(
                        (
                            index,
                            Draft(
                                message=f"duplicate id {value!r}: it is the id of a default "
                                "governance level",
                                code="duplicate-id",
                                path=path,
                                hint="choose another id, or list your own levels under 'levels'",
                            ),
                        )
                    )
                    continue
                if first is not None:
                    first = attrs.evolve(first, path=path_of(value, first))
                    drafts.append(
                        (
                            index,
                            _duplicate_id(
                                value,
                                first,
                                path,
                                "ids must be unique across the whole scenario, all files included",
                            ),
                        )
                    )
                    continue
                ids[value] = IdEntry(kind=collection, file_index=index, path=path)
                named.setdefault(collection, []).append(value)
        _collect_whatif_ids(data, index, ids, drafts, path_of)
    return ids


def _id_of(item: Any, id_key: str) -> Any:
    """The id of a raw item, in its canonical form when it is a string."""
    value = item.get(id_key) if type(item) is dict else None
    return canonical_id(value) if type(value) is str else value


def _duplicate_id(value: str, first: IdEntry, path: Path, hint: str) -> Draft:
    """The problem of an id defined a second time, pointing at the first."""
    return Draft(
        message=f"duplicate id {value!r}: already used by the {SINGULAR[first.kind]} at {{related}}",
        code="duplicate-id",
        path=path,
        hint=hint,
        related=(first.file_index, first.path),
    )


def _collect_whatif_ids(
    data: dict[Any, Any],
    index: int,
    ids: dict[str, IdEntry],
    drafts: list[tuple[int, Draft]],
    path_of: Callable[[str, IdEntry], Path],
) -> None:
    """Register the ids of the elements that what-if variants add
    (:data:`~cio_framework.model.ADDED_BY_CHANGE`: exchanges, roles,
    departments, bodies, systems, platforms).

    A later change of the same variant may then name them (appoint to an
    added role, remove an added exchange), and an id that clashes with the
    scenario's is reported when loading, not when applying.
    """
    variants = data.get("scenarios")
    if not isinstance(variants, list):
        return
    for v, variant in enumerate(variants):
        changes = variant.get("changes") if isinstance(variant, dict) else None
        if not isinstance(changes, list):
            continue
        for c, change in enumerate(changes):
            if not isinstance(change, dict):
                continue
            for key, kind in ADDED_BY_CHANGE.items():
                value = _id_of(change.get(key), "id")
                if not isinstance(value, str):
                    continue
                path: Path = ("scenarios", v, "changes", c, key, "id")
                first = ids.get(value)
                if first is not None:
                    drafts.append(
                        (
                            index,
                            _duplicate_id(
                                value,
                                attrs.evolve(first, path=path_of(value, first)),
                                path,
                                f"an {SINGULAR[kind]} a what-if variant adds needs an id of its own"
                                if SINGULAR[kind][0] in "aeiou"
                                else f"a {SINGULAR[kind]} a what-if variant adds needs an id "
                                "of its own",
                            ),
                        )
                    )
                    continue
                ids[value] = IdEntry(kind=kind, file_index=index, path=path)


def _miss(raw: Any) -> Any:
    """The fast path of a class that has none."""
    return MISS


def _structure_all(
    datas: dict[int, dict[Any, Any]],
    ids: dict[str, IdEntry],
    known_checks: Collection[str],
    drafts: list[tuple[int, Draft]],
    packs: Collection[int] = (),
    *,
    max_depth: int = 64,
    refs: Refs,
    release: Collection[int] = frozenset(),
) -> tuple[dict[str, Any], Origins]:
    """Structure every file and merge them; a scenario's own settings win over
    a reference pack's (packs come after the files that use them).

    Elements go through their class's compiled fast path first (``refs``
    holds the ids it checks references against); what it does not accept
    goes through the careful :class:`Structurer`, which says what is wrong.
    The items of the files in ``release`` are let go once structured.
    """
    plans = {p.key: p for p in plan_of(Scenario)}
    merged: dict[str, Any] = {}
    first_set: dict[tuple[Any, ...], tuple[int, Path]] = {}
    lists: dict[str, list[Any]] = {name: [] for name in COLLECTIONS}
    origins = Origins()
    extensions: dict[str, Any] = {}
    listed = {index: bool(data.get("sources")) for index, data in datas.items()}
    scenario_lists = any(found for index, found in listed.items() if index not in packs)
    for index, data in datas.items():
        # citations name listed sources once the scenario, or the pack, lists any
        cites = listed[index] if index in packs else scenario_lists
        structurer = Structurer(ids, known_checks, max_depth, check_citations=cites)
        for key, raw in data.items():
            if key == VERSION_KEY:
                continue
            if isinstance(key, str) and key in COLLECTIONS:
                cls = COLLECTIONS[key]
                if raw is None or raw is INVALID:  # nothing, or already reported
                    continue
                if not isinstance(raw, list):
                    structurer.problem(
                        (key,),
                        f"'{key}' must be a list, not {describe_value(raw)}",
                        "wrong-type",
                        expected=f"a list of {key}",
                        got=describe_value(raw),
                        hint=f"write each {SINGULAR[key]} as an item starting with '- '",
                    )
                    continue
                make, target = fast_path(cls), lists[key]
                fast = make(refs) if make is not None else _miss
                start = len(target)
                let_go = index in release
                for position, item in enumerate(raw):
                    value = fast(item)
                    if value is MISS:
                        value = structurer.obj(cls, item, (key, position))
                    if value is not INVALID:
                        target.append(value)
                    if let_go:
                        raw[position] = None
                origins.add(key, start, len(target) - start, index)
                continue
            if isinstance(key, str) and key.startswith("x-"):
                frozen = structurer.value(TypeSpec(kind="any"), raw, (key,), None)
                if frozen is INVALID:
                    continue
                if key in extensions and index in packs:
                    continue
                if key in extensions and extensions[key] != frozen:
                    structurer.problem(
                        (key,),
                        f"'{key}' is set differently here and at {{related}}",
                        "conflict",
                        at="key",
                        hint="keep one value",
                        related=first_set[(key,)],
                    )
                    continue
                extensions[key] = frozen
                first_set.setdefault((key,), (index, (key,)))
                continue
            plan = plans.get(key) if isinstance(key, str) else None
            if plan is not None and plan.spec.kind == "map" and isinstance(raw, dict):
                value = structurer.value(plan.spec, raw, (key,), plan)
                if value is INVALID:
                    continue
                mapping = dict(merged.get(plan.name, {}))
                for item_key, item in value.items():
                    if item_key in mapping and index in packs:
                        continue  # the scenario's own setting wins over the pack's
                    if item_key in mapping and mapping[item_key] != item:
                        structurer.problem(
                            (key, item_key),
                            f"'{key}.{item_key}' is set differently here and at {{related}}",
                            "conflict",
                            at="key",
                            hint="keep one value",
                            related=first_set[(key, item_key)],
                        )
                        continue
                    mapping[item_key] = item
                    first_set.setdefault((key, item_key), (index, (key, item_key)))
                merged[plan.name] = mapping
                continue
            if plan is None or plan.name == "extensions":
                known = [k for k in plans if k != "extensions"]
                guess = nearest(key, known)
                structurer.problem(
                    (key,),
                    f"unknown top-level key {key!r}"
                    if isinstance(key, str)
                    else f"top-level keys must be strings, not {describe_value(key)}",
                    "unknown-key" if isinstance(key, str) else "wrong-type",
                    at="key",
                    hint=f"did you mean {guess!r}?"
                    if guess
                    else key_hint(key)
                    or "known keys: "
                    + ", ".join([*known, "uses"])
                    + "; extension keys start with 'x-'",
                    shown=None if isinstance(key, str) else key_text(key),
                )
                continue
            value = structurer.value(plan.spec, raw, (key,), plan)
            if value is INVALID:
                continue
            if plan.name in merged and merged[plan.name] != value:
                structurer.problem(
                    (key,),
                    f"'{key}' is set differently here and at {{related}}",
                    "conflict",
                    at="key",
                    hint="keep one value",
                    related=first_set[(key,)],
                )
                continue
            merged[plan.name] = value
            first_set.setdefault((key,), (index, (key,)))
        drafts.extend((index, d) for d in structurer.drafts)
    for name, items in lists.items():
        if items:
            merged[name] = tuple(items)
    if extensions:
        merged["extensions"] = extensions
    return merged, origins


class Locators:
    """A :class:`Locator` for each of ``sources``, made when first needed
    (making one parses its text again)."""

    __slots__ = ("_made", "_order", "_sources")

    def __init__(self, sources: Sequence[SourceText]) -> None:
        self._sources = sources
        self._made: dict[int, Locator] = {}
        self._order: dict[str | None, int] | None = None

    def of(self, index: int) -> Locator:
        """The locator of source ``index``."""
        if index not in self._made:
            self._made[index] = Locator.from_text(self._sources[index].text)
        return self._made[index]

    def where(self, index: int, path: Path, at: str = "value") -> tuple[int | None, int | None]:
        """1-based ``(line, column)`` of ``path`` in source ``index``; ``None``
        for what is unknown (index ``-1`` is the built-in levels)."""
        if index < 0:
            return None, None
        position = self.of(index).position(path, at)
        return position if position else (None, None)

    def item_positions(
        self, index: int, parent: Path, items: Sequence[int]
    ) -> list[tuple[int | None, int | None]]:
        """:meth:`where` of ``(*parent, item)`` for each of ``items``."""
        if index < 0:
            return [(None, None)] * len(items)
        places = self.of(index).item_positions(parent, items)
        return [place if place else (None, None) for place in places]

    def problem(self, index: int, draft: Draft) -> Problem:
        """``draft``, found in source ``index``, as a located problem."""
        path = draft.path or ()
        if draft.mark is not None:
            line, column = draft.mark.line + 1, draft.mark.column + 1
        else:
            line, column = self.where(index, path, draft.at)
        message = draft.message
        if draft.related is not None:
            rel_index, rel_path = draft.related
            rel_line, rel_column = self.where(rel_index, rel_path)
            rel_name = (
                (self._sources[rel_index].name or "<string>") if rel_index >= 0 else "<built-in>"
            )
            message = message.replace("{related}", f"{rel_name}:{rel_line}:{rel_column}")
        locator = self.of(index)
        source_line = locator.source_line(line) if line is not None else None
        return Problem(
            message=message,
            code=draft.code,
            file=self._sources[index].name,
            line=line,
            column=column,
            path=format_path(path),
            hint=written(draft, source_line, column, json=locator.is_json),
            expected=draft.expected,
            got=draft.got,
            source_line=source_line,
        )

    def in_order(self, problems: Iterable[Problem]) -> list[Problem]:
        """``problems`` in the order of their files, then of their positions."""
        if self._order is None:
            self._order = {source.name: i for i, source in enumerate(self._sources)}
        order = self._order
        return sorted(problems, key=lambda p: (order.get(p.file, -1), p.line or 0, p.column or 0))


def _finalize(
    sources: Sequence[SourceText],
    drafts: Sequence[tuple[int, Draft]],
    collected: list[Problem],
) -> list[Problem]:
    locators = Locators(sources)
    return locators.in_order([*collected, *(locators.problem(i, d) for i, d in drafts)])
