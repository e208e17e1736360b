"""Reference packs: partial scenarios shipped with the package and pulled in by name.

A scenario file lists packs under ``uses:``, by name or as
``{pack: NAME, roles: {placeholder: role-id}}``. Loading merges each pack's
elements into the scenario as if it were one more file; the pack's
placeholder role ids (listed in its ``pack:`` header) are renamed to the
scenario's roles. The loaded scenario holds the pack's elements themselves,
so ``dump`` writes a self-contained scenario.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

import attrs

from ..model import COLLECTIONS
from ._plan import FieldPlan, plan_of
from ._structure import describe_value, nearest
from ._yaml import Draft

if TYPE_CHECKING:  # _load imports this module
    from ._load import SourceText

__all__ = [
    "PACK_PREFIX",
    "at_role_mappings",
    "available_packs",
    "pack_text",
    "relabel_roles",
    "resolve_uses",
]

#: File names of packs in problems: ``<pack:NAME>``.
PACK_PREFIX = "<pack:"


def available_packs() -> tuple[str, ...]:
    """Names of the packs shipped with the package.

    Examples
    --------
    >>> "pudong-selection" in available_packs()
    True
    """
    folder = resources.files("cio_framework.data").joinpath("packs")
    return tuple(
        sorted(
            entry.name[: -len(".yaml")]
            for entry in folder.iterdir()
            if entry.name.endswith(".yaml")
        )
    )


def pack_text(name: str) -> str:
    """The YAML text of a shipped pack."""
    return (
        resources.files("cio_framework.data")
        .joinpath("packs")
        .joinpath(f"{name}.yaml")
        .read_text(encoding="utf-8")
    )


_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def resolve_uses(
    raw: Any,
    index: int,
    drafts: list[tuple[int, Draft]],
    used: dict[str, tuple[tuple[str, str], ...]],
) -> Iterator[Any]:
    """Validate a file's ``uses:`` list and yield the pack sources to load."""
    from ._load import SourceText

    def problem(path: tuple[Any, ...], message: str, code: str, hint: str | None = None) -> None:
        drafts.append((index, Draft(message=message, code=code, path=("uses", *path), hint=hint)))

    if not isinstance(raw, list):
        problem((), f"'uses' must be a list of pack names, not {describe_value(raw)}", "wrong-type")
        return
    known = available_packs()
    for position, entry in enumerate(raw):
        roles: dict[str, str] = {}
        if isinstance(entry, dict):
            extra = set(entry) - {"pack", "roles"}
            for key in extra:
                problem(
                    (position, key),
                    f"unknown key {key!r} in a pack use",
                    "unknown-key",
                    hint="a pack use has 'pack' and 'roles'",
                )
            name = entry.get("pack")
            mapping = entry.get("roles", {})
            if not isinstance(mapping, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
            ):
                problem(
                    (position, "roles"),
                    "'roles' must map the pack's placeholder role ids to role ids",
                    "wrong-type",
                )
                continue
            roles = dict(mapping)
        else:
            name = entry
        if name is None and isinstance(entry, dict):
            problem((position,), "a pack use names its pack under 'pack'", "missing-field")
            continue
        if not isinstance(name, str):
            problem(
                (position,),
                f"a pack name must be a string such as 'pudong-selection', not {describe_value(name)}",
                "wrong-type",
            )
            continue
        if not _NAME.match(name):
            problem(
                (position,),
                f"{name!r} is no pack name: a pack is named by lower-case letters, digits and "
                "'-', such as 'pudong-selection' (not a path)",
                "bad-value",
            )
            continue
        if name not in known:
            guess = nearest(name, known)
            problem(
                (position,),
                f"unknown reference pack {name!r}",
                "dangling-reference",
                hint=f"did you mean {guess!r}?" if guess else "known packs: " + ", ".join(known),
            )
            continue
        mapping_key = tuple(sorted(roles.items()))
        if name in used:
            if used[name] != mapping_key:
                problem(
                    (position,),
                    f"reference pack {name!r} is already used with other roles",
                    "conflict",
                    hint="use each pack once, with one roles mapping",
                )
            continue
        used[name] = mapping_key
        yield SourceText(
            name=f"{PACK_PREFIX}{name}>",
            text=pack_text(name),
            pack=name,
            roles=mapping_key,
            used_at=(index, ("uses", position)),
        )


def relabel_roles(data: dict[Any, Any], roles: dict[str, str]) -> dict[Any, Any]:
    """Rename placeholder role ids in a pack's raw data (values and RACI keys),
    in the elements of every collection and in the mappings nested in them
    (such as a responsibility's ``delegation``)."""
    if not roles:
        return data
    for collection, cls in COLLECTIONS.items():
        items = data.get(collection)
        if not isinstance(items, list):
            continue
        plans = plan_of(cls)
        for item in items:
            if isinstance(item, dict):
                _relabel_item(item, plans, roles)
    return data


def _relabel_item(
    item: dict[Any, Any], plans: tuple[FieldPlan, ...], roles: dict[str, str]
) -> None:
    """:func:`relabel_roles` for one mapping read with ``plans``."""
    for plan in plans:
        value = item.get(plan.key)
        if value is None:
            continue
        if plan.ref and "roles" in plan.ref:
            if isinstance(value, str):
                item[plan.key] = roles.get(value, value)
            elif isinstance(value, list):
                item[plan.key] = [roles.get(v, v) if isinstance(v, str) else v for v in value]
        if plan.key_ref and "roles" in plan.key_ref and isinstance(value, dict):
            renamed: dict[Any, Any] = {}
            for k, v in value.items():
                new = roles.get(k, k) if isinstance(k, str) else k
                if new in renamed and isinstance(renamed[new], str) and isinstance(v, str):
                    renamed[new] = renamed[new] + v  # two placeholders, one role
                else:
                    renamed[new] = v
            item[plan.key] = renamed
        if (
            plan.spec.kind == "object"
            and isinstance(value, dict)
            and not hasattr(plan.spec.cls, "from_plain")
        ):
            _relabel_item(value, plan_of(plan.spec.cls), roles)


def at_role_mappings(
    sources: Sequence[SourceText], drafts: Iterable[tuple[int, Draft]]
) -> list[tuple[int, Draft]]:
    """``drafts`` with each unknown role a pack names because a ``roles:``
    mapping renamed its placeholder to it reported once, at that mapping in
    the file that uses the pack, instead of at every place in the pack that
    names the placeholder: the fix is the mapping's. ``sources`` are the
    loaded texts, by index. O(D + P) in the drafts and the placeholders
    mapped."""
    renamed: dict[int, dict[str, list[str]]] = {}  # pack index: target text: placeholders
    for index, source in enumerate(sources):
        if source.pack is not None and source.used_at is not None:
            for placeholder, target in source.roles:
                renamed.setdefault(index, {}).setdefault(describe_value(target), []).append(
                    placeholder
                )
    kept: list[tuple[int, Draft]] = []
    moved: dict[tuple[int, str], Draft] = {}
    for index, draft in drafts:
        placeholders = renamed.get(index, {}).get(draft.got or "")
        if draft.code != "dangling-reference" or not placeholders:
            kept.append((index, draft))
            continue
        for placeholder in placeholders:
            moved.setdefault((index, placeholder), draft)
    for (index, placeholder), draft in moved.items():
        used_at = sources[index].used_at
        assert used_at is not None  # only packs used from a file are renamed
        at, path = used_at
        kept.append((at, attrs.evolve(draft, path=(*path, "roles", placeholder), at="value")))
    return kept
