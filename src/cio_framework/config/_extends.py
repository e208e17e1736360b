"""``extends:``: a scenario that starts from another and changes it.

A scenario file of format version 2 may name a *base* under ``extends:``,
for before-and-after studies:

- ``builtin:NAME``, a built-in scenario; or
- a relative path to a scenario file or folder, read from the extending
  file's folder. It may lead into that folder, below it, or, through one
  leading ``..``, into the folder above or a sibling folder; an absolute
  path, or one that leaves those places (through ``..`` or a link), is
  refused, so a scenario cannot make the loader read files its user did
  not put beside it. A scenario read from a string may extend built-ins
  only.

The base's files are read as if they were part of the scenario, before the
extending file, so problems in them are located in them. Then the extending
file, and the scenario's other files (those of its folder), win:

- an element whose id is also a base element's id *replaces* it (restate
  the whole element; it takes its place in the extending file's order,
  after the base's elements);
- ``levels``, an ordered list, replaces the base's levels as a whole;
- ``remove:`` lists ids of base elements to leave out (an id the base does
  not have is a ``dangling-reference``);
- a top-level setting (``name``, ``as_of``, ``priorities`` ...) replaces the
  base's, and ``checks`` and ``x-`` keys override the base's key by key;
- elements without an id (appraisals, demands, meetings ...) are added.

A base may extend another; a file read twice in one chain is a problem
(code ``io``).

Complexity: O(n) in the size of the files, one pass over the base's lists
per extending file.

Examples
--------
>>> import cio_framework
>>> after = cio_framework.loads('''
... cio_framework: 2
... extends: builtin:pudong-2016
... name: Pudong, the EPB connected
... remove: [epb-monitoring-cloud]
... exchanges:
...   - {id: epb-live, from: epb-monitoring, to: gov-cloud}
... ''')
>>> after.name, len(cio_framework.islands(after).islands)
('Pudong, the EPB connected', 2)
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

from ..model import COLLECTIONS
from ._plan import plan_of
from ._read import read_texts
from ._structure import describe_value
from ._yaml import Draft

__all__ = ["BUILTIN_PREFIX", "apply_extends", "base_first", "resolve_extends"]

#: How a base names a built-in scenario.
BUILTIN_PREFIX = "builtin:"

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _builtin_names() -> tuple[str, ...]:
    folder = resources.files("cio_framework.data").joinpath("scenarios")
    return tuple(
        sorted(e.name[: -len(".yaml")] for e in folder.iterdir() if e.name.endswith(".yaml"))
    )


def _builtin_path(name: str) -> str:
    return str(resources.files("cio_framework.data").joinpath("scenarios").joinpath(f"{name}.yaml"))


def _inside(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # different drives
        return False


def resolve_extends(
    raw: Any,
    name: str | None,
    index: int,
    drafts: list[tuple[int, Draft]],
    read: set[str],
    max_bytes: int,
) -> Iterator[Any]:
    """Check a file's ``extends:`` value and yield the base's sources,
    marked as the base of file ``index``; ``read`` holds the real paths of
    the files already read, for refusing a chain that comes back."""
    from ._load import SourceText

    def problem(message: str, code: str, hint: str | None = None) -> None:
        drafts.append((index, Draft(message=message, code=code, path=("extends",), hint=hint)))

    if not isinstance(raw, str) or not raw.strip():
        problem(
            f"'extends' must name a base scenario, not {describe_value(raw)}",
            "wrong-type",
            hint="write 'extends: builtin:pudong-2016' or a relative path such as 'before.yaml'",
        )
        return
    if raw.startswith(BUILTIN_PREFIX):
        base = raw[len(BUILTIN_PREFIX) :]
        known = _builtin_names()
        if not _NAME.match(base) or base not in known:
            problem(
                f"no built-in scenario {base!r}",
                "dangling-reference",
                hint="built-in scenarios: " + ", ".join(known),
            )
            return
        target = _builtin_path(base)
    else:
        local = _local_target(raw, name, problem)
        if local is None:
            return
        target = local
    real = os.path.realpath(target)
    if real in read:
        problem(
            f"the base {raw!r} is already part of this scenario: extends must not come back",
            "io",
            hint="remove one 'extends' of the chain",
        )
        return
    read.add(real)
    texts, problems = read_texts(target, max_bytes=max_bytes)
    for found in problems:
        problem(f"the base {raw!r} cannot be read: {found.message}", "io")
    for text_name, text in texts:
        read.add(os.path.realpath(text_name))
        yield SourceText(name=text_name, text=text, base_of=index)


def _local_target(raw: str, name: str | None, problem: Any) -> str | None:
    """The path a relative ``extends`` names, or ``None`` once refused."""
    if name is None or name.startswith("<"):
        problem(
            f"'extends: {raw}' names a file, and this scenario was not read from a file",
            "io",
            hint="extend a built-in ('builtin:NAME'), or load the scenario from its file",
        )
        return None
    parts = raw.replace("\\", "/").split("/")
    ups = 0
    while ups < len(parts) and parts[ups] == "..":
        ups += 1
    if os.path.isabs(raw) or ups > 1 or ".." in parts[ups:]:
        problem(
            f"'extends' must be a relative path beside this file, below it, in the folder "
            f"above or in a sibling folder, not {raw!r}",
            "io",
            hint="put the base beside the extending file",
        )
        return None
    here = os.path.dirname(os.path.realpath(name))
    allowed = os.path.dirname(here) if ups else here
    # lexical normalising is exact: "here" is a real path (no links in it),
    # and a ".." may only lead the relative path
    target = os.path.normpath(os.path.join(here, raw))
    real = os.path.realpath(target)
    if _inside(os.path.realpath(name), real):
        problem(
            f"the base {raw!r} holds this file: a scenario cannot extend itself",
            "io",
            hint="name a base beside this file, not a folder around it",
        )
        return None
    if not _inside(real, allowed):
        problem(
            f"the base {raw!r} leads outside the folders an extending file may read",
            "io",
            hint="put the base beside the extending file",
        )
        return None
    if not os.path.lexists(target):
        problem(f"no such base file or folder: {raw!r}", "io")
        return None
    return target


def _id_keys() -> dict[str, str]:
    """Collection name to the YAML key of its id field, for collections with ids."""
    return {
        name: plan.key for name, cls in COLLECTIONS.items() for plan in plan_of(cls) if plan.is_id
    }


#: Top-level keys whose mappings override a base's key by key.
_BY_KEY = ("checks",)


def apply_extends(
    datas: dict[int, dict[Any, Any]],
    bases: dict[int, int],
    removals: dict[int, tuple[Any, bool]],
    drafts: list[tuple[int, Draft]],
) -> None:
    """Let each extending file win over its bases (see the module): drop
    from the bases' data what the extending file replaces or removes.

    ``bases`` maps a base file's index to the index of the file it is the
    base of; ``removals`` a file's index to its ``remove:`` value and
    whether the file has an ``extends:`` (whose base may have failed to
    load, a problem reported already).
    """
    ids = _id_keys()
    # the scenario's own files (not bases) win over every base, as the
    # extending file does over its own bases
    top = [data for index, data in datas.items() if index not in bases]
    for extending in sorted({*bases.values(), *removals}):
        if extending not in datas:
            continue
        winners = [datas[extending], *(d for d in top if d is not datas[extending])]
        chain = _bases_of(extending, bases)
        raw, extends = removals.get(extending, (None, True))
        if not chain and not extends:
            drafts.append(
                (
                    extending,
                    Draft(
                        message="'remove' leaves out elements of a base, and this file "
                        "extends none",
                        code="unknown-key",
                        path=("remove",),
                        at="key",
                        hint="add 'extends: <base>', or drop 'remove'",
                    ),
                )
            )
            continue
        if not chain:
            continue  # the base did not load: its problem is reported
        replaced = {
            item[ids[key]]
            for own in winners
            for key, items in own.items()
            if key in ids and isinstance(items, list)
            for item in items
            if isinstance(item, dict) and isinstance(item.get(ids[key]), str)
        }
        own = _settings(winners)
        removed = _removed(raw, drafts, extending)
        removed_ids = set(removed.values())
        found: set[str] = set()
        for base in chain:
            data = datas.get(base)
            if data is None:
                continue
            for key in list(data):
                if key == "levels" and key in own:
                    del data[key]
                elif key in ids and isinstance(data[key], list):
                    kept = []
                    for item in data[key]:
                        element = item.get(ids[key]) if isinstance(item, dict) else None
                        if element in removed_ids:
                            found.add(element)
                        if element in replaced or element in removed_ids:
                            continue
                        kept.append(item)
                    data[key] = kept
                elif key in own and key not in ids:  # the version key too: harmless
                    overridden = own[key]
                    if overridden is not None and isinstance(data[key], dict):
                        data[key] = {k: v for k, v in data[key].items() if k not in overridden}
                    else:
                        del data[key]
        for position, element in removed.items():
            if element not in found:
                drafts.append(
                    (
                        extending,
                        Draft(
                            message=f"the base has no element {element!r} to remove",
                            code="dangling-reference",
                            path=("remove", position),
                        ),
                    )
                )


def _settings(winners: list[dict[Any, Any]]) -> dict[Any, set[Any] | None]:
    """The top-level keys the winning files set: for a mapping of
    :data:`_BY_KEY`, the set of its keys they set; for others, ``None``."""
    found: dict[Any, set[Any] | None] = {}
    for data in winners:
        for key, value in data.items():
            if key in _BY_KEY and isinstance(value, dict):
                found[key] = (found.get(key) or set()) | set(value)
            elif key not in found:
                found[key] = None
    return found


def base_first(indices: list[int], bases: dict[int, int]) -> list[int]:
    """``indices`` with each file's bases just before it, in their order."""
    below: dict[int, list[int]] = {}
    for base, of in bases.items():
        below.setdefault(of, []).append(base)
    order: list[int] = []

    def visit(index: int) -> None:
        for base in sorted(below.get(index, [])):
            visit(base)
        order.append(index)

    for index in indices:
        if index not in bases:
            visit(index)
    return order


def _bases_of(extending: int, bases: dict[int, int]) -> list[int]:
    """Every file ``extending`` is built on, directly or through its bases."""
    found: list[int] = []
    frontier = {extending}
    while frontier:
        frontier = {b for b, of in bases.items() if of in frontier} - set(found)
        found.extend(sorted(frontier))
    return found


def _removed(raw: Any, drafts: list[tuple[int, Draft]], index: int) -> dict[int, str]:
    """Position to id of a ``remove:`` list, problems reported."""
    if raw is None:
        return {}
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        drafts.append(
            (
                index,
                Draft(
                    message=f"'remove' must be a list of ids, not {describe_value(raw)}",
                    code="wrong-type",
                    path=("remove",),
                ),
            )
        )
        return {}
    return dict(enumerate(raw))
