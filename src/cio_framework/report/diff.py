"""What changed between two versions, as text, Markdown or JSON.

:func:`render_diff` writes a :class:`~cio_framework.analysis.ScenarioDiff`
for a reader who has to act on it: first the counts (the data that changed,
then what that changed in the analyses, naming the islands, barriers and
fault zones when there are few), then every change, one per line. The JSON
is :meth:`~cio_framework.analysis.ScenarioDiff.to_dict`.

Whatever comes from a scenario (ids, keys, values) is escaped for the
output: its control characters and bidirectional overrides are shown as
escapes (``\\x1b``), and in Markdown its punctuation and HTML are escaped,
so that no name is taken as markup or a terminal control.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .._escape import json_safe, markdown, visible
from ..analysis.diff import CollectionDiff, ElementChange, FieldChange, ScenarioDiff

__all__ = ["DIFF_FORMATS", "NAMED", "VALUE_CHARS", "render_diff"]

#: Output formats of :func:`render_diff`.
DIFF_FORMATS = ("text", "markdown", "json")

#: The summary names the islands, barriers or fault zones of one kind of
#: change when there are at most this many; above, it counts them.
NAMED = 3

#: Characters of a field's value shown in text and Markdown (JSON has all).
VALUE_CHARS = 80

#: Collections whose names do not follow the rules of :func:`_noun`.
_NOUNS = {
    "people": ("person", "people"),
    "criteria": ("criterion", "criteria"),
    "scenarios": ("what-if scenario", "what-if scenarios"),
}


def render_diff(result: ScenarioDiff, format: str = "text") -> str:
    """Render a diff: counts first, then each change; or its JSON document.

    Parameters
    ----------
    result
        What :func:`~cio_framework.analysis.diff.diff` found.
    format
        ``"text"``, ``"markdown"`` or ``"json"``.

    Examples
    --------
    >>> import cio_framework
    >>> from cio_framework.analysis.diff import diff
    >>> old = cio_framework.builtin("pudong-2016")
    >>> new = cio_framework.whatif(old, "connect-epb")
    >>> text = render_diff(diff(old, new))
    >>> print(text.split("\\n\\n")[0])
    Summary: 1 exchange added; 2 what-if scenarios removed.
    Effect: 1 island closed (epb-approvals); 1 barrier resolved (epb:enterprise-registry); 2 priorities left, 8 moved; 6 indicators changed.
    >>> text.split("\\n\\n")[1].splitlines()
    ['Exchanges:', '  added epb-monitoring-cloud-live']
    >>> print(render_diff(diff(old, old)), end="")
    No differences.
    """
    if format not in DIFF_FORMATS:
        raise ValueError(f"unknown format {format!r}; choose one of {', '.join(DIFF_FORMATS)}")
    if format == "json":
        return json_safe(json.dumps(result.to_dict(), ensure_ascii=False, indent=2)) + "\n"
    md = format == "markdown"
    if not result.changed:
        return "No differences.\n"
    shown: Callable[[str], str] = markdown if md else visible
    lines = _summary(result, shown, md=md)
    for title, items in _sections(result, shown):
        if items:
            lines.extend(["", f"## {title}" if md else f"{title}:"])
            lines.extend(("- " if md else "  ") + item for item in items)
    return "\n".join(lines) + "\n"


# -- the summary -----------------------------------------------------------------


def _summary(result: ScenarioDiff, shown: Callable[[str], str], *, md: bool) -> list[str]:
    data = [_collection_counts(c) for c in result.collections]
    if result.fields:
        data.insert(0, _own_fields(result, shown))
    ranks: dict[str, list[str]] = {"entered": [], "left": [], "moved": []}
    for rank in result.priorities:
        ranks[rank.kind].append(rank.id)
    effect = [
        part
        for part in (
            _counts("island", _island_names(result), shown),
            _counts(
                "barrier", {"resolved": result.barriers_resolved, "new": result.barriers_new}, shown
            ),
            _counts(
                "fault zone",
                {"closed": result.fault_zones_closed, "new": result.fault_zones_new},
                shown,
            ),
            _counts("priority", ranks, None),
            _counts("indicator", {"changed": [f.field for f in result.indicators]}, None),
        )
        if part
    ] or ["no change in islands, barriers, fault zones, priorities or indicators"]
    label = "**{}:**" if md else "{}:"
    return [
        f"{label.format('Summary')} {'; '.join(data)}.",
        *([""] if md else []),
        f"{label.format('Effect')} {'; '.join(effect)}.",
    ]


def _own_fields(result: ScenarioDiff, shown: Callable[[str], str]) -> str:
    """``the scenario's as_of changed``; a count when there are many."""
    if len(result.fields) > NAMED:
        return f"{len(result.fields)} fields of the scenario changed"
    return f"the scenario's {', '.join(shown(f.field) for f in result.fields)} changed"


def _collection_counts(change: CollectionDiff) -> str:
    """``2 exchanges added, 1 removed``: the noun with the first count only."""
    parts = [
        (len(keys), verb)
        for keys, verb in (
            (change.added, "added"),
            (change.removed, "removed"),
            (change.changed, "changed"),
        )
        if keys
    ]
    words = [f"{n} {v}" for n, v in parts]
    words[0] = f"{parts[0][0]} {_noun(change.collection, parts[0][0])} {parts[0][1]}"
    return ", ".join(words)


def _island_names(result: ScenarioDiff) -> dict[str, list[str]]:
    """Each kind of island change to the islands it names (the old island
    for ``closed`` and ``split``, the new one for ``merged`` and ``new``)."""
    found: dict[str, list[str]] = {}
    for change in result.islands:
        names = change.old if change.kind in ("closed", "split") else change.new
        found.setdefault(change.kind, []).append(names[0])
    return found


def _counts(
    noun: str, kinds: Mapping[str, Sequence[str]], shown: Callable[[str], str] | None
) -> str:
    """``1 island closed (a), 2 new (b, c)``: the noun with the first count
    only, and the names, ``shown``, when there are few; ``""`` for none."""
    words: list[str] = []
    for kind, names in kinds.items():
        if names:
            named = shown is not None and len(names) <= NAMED
            listed = f" ({', '.join(map(shown, names))})" if named and shown else ""
            head = f"{_count(len(names), noun)} " if not words else f"{len(names)} "
            words.append(f"{head}{kind}{listed}")
    return ", ".join(words)


# -- the details ------------------------------------------------------------------


def _sections(result: ScenarioDiff, shown: Callable[[str], str]) -> list[tuple[str, list[str]]]:
    sections = [("Scenario", [_field(f, shown) for f in result.fields])]
    for change in result.collections:
        title = _noun(change.collection, 2)
        sections.append((title[0].upper() + title[1:], _elements(change, shown)))
    islands = []
    for i in result.islands:
        old, new = " + ".join(map(shown, i.old)), " + ".join(map(shown, i.new))
        islands.append(
            {"closed": f"closed {old}", "new": f"new {new}"}.get(
                i.kind, f"{i.kind} {old} into {new}"
            )
        )
    sections.append(("Islands", islands))
    sections.append(
        (
            "Barriers",
            [f"resolved {shown(b)}" for b in result.barriers_resolved]
            + [f"new {shown(b)}" for b in result.barriers_new],
        )
    )
    sections.append(
        (
            "Fault zones",
            [f"closed {shown(z)}" for z in result.fault_zones_closed]
            + [f"new {shown(z)}" for z in result.fault_zones_new],
        )
    )
    sections.append(("Priorities", _ranks(result, shown)))
    sections.append(("Indicators", [_indicator(f, shown) for f in result.indicators]))
    return sections


def _elements(change: CollectionDiff, shown: Callable[[str], str]) -> list[str]:
    return (
        [f"added {shown(k)}" for k in change.added]
        + [f"removed {shown(k)}" for k in change.removed]
        + [_changed(e, shown) for e in change.changed]
    )


def _changed(change: ElementChange, shown: Callable[[str], str]) -> str:
    if [f.field for f in change.fields] == ["*"]:
        (many,) = change.fields
        counts = f"{len(many.old)} elements with this key -> {len(many.new)}, data differ"
        return f"changed {shown(change.key)}: {counts}"
    return f"changed {shown(change.key)}: " + "; ".join(_field(f, shown) for f in change.fields)


def _field(change: FieldChange, shown: Callable[[str], str]) -> str:
    return f"{shown(change.field)} {_value(change.old, shown)} -> {_value(change.new, shown)}"


def _value(value: Any, shown: Callable[[str], str]) -> str:
    if value is None:
        return "absent"
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > VALUE_CHARS:
        text = text[: VALUE_CHARS - 1] + "…"
    return shown(text)


def _ranks(result: ScenarioDiff, shown: Callable[[str], str]) -> list[str]:
    """Entered by new rank, left by old rank, moved by new rank."""
    entered = sorted((r.new, r.id) for r in result.priorities if r.old is None and r.new)
    left = sorted((r.old, r.id) for r in result.priorities if r.new is None and r.old)
    moved = sorted((r.new, r.old, r.id) for r in result.priorities if r.old and r.new)
    return (
        [f"entered {shown(i)} at rank {n}" for n, i in entered]
        + [f"left {shown(i)}, was rank {o}" for o, i in left]
        + [f"moved {shown(i)} from rank {o} to {n}" for n, o, i in moved]
    )


def _indicator(change: FieldChange, shown: Callable[[str], str]) -> str:
    old, new = change.old, change.new
    if isinstance(old, float) and isinstance(new, float):
        for digits in range(16):
            shown_old, shown_new = f"{old:.{digits}%}", f"{new:.{digits}%}"
            if shown_old != shown_new:
                break
        return f"{shown(change.field)}: {shown_old} -> {shown_new}"
    return f"{shown(change.field)}: {old} -> {new}"


# -- words ---------------------------------------------------------------------------


def _noun(collection: str, count: int) -> str:
    """A collection's element, singular or plural: ``1 exchange``, ``2 people``."""
    if collection in _NOUNS:
        one, many = _NOUNS[collection]
    else:
        many = collection.replace("_", " ")
        one = many[:-3] + "y" if many.endswith("ies") else many[:-1]
    return one if count == 1 else many


def _plural(noun: str, count: int) -> str:
    if count == 1:
        return noun
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


def _count(count: int, noun: str) -> str:
    return f"{count} {_plural(noun, count)}"
