"""YAML merge keys ``<<``, checked against a reference written from their definition.

What YAML's merge key defines (yaml.org/type/merge.html): a mapping's own
keys win over merged ones; of the mappings a ``<<`` names in a list, an
earlier one wins over a later one; and a merged mapping is itself merged
first (its own keys over what it merges). :func:`resolved` says that
recursively, on the structure the strategy drew. PyYAML is no reference
here: its ``flatten_mapping`` tells merged keys apart by the identity of
their strings, so which value wins depends on whether Python interned the
key (``k`` merges as YAML says, ``k0`` not).

The problem locator must place a key where the value the loader read is
written: both read the merges in one order
(:func:`cio_framework.config._yaml.merged_mappings`).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework.config._yaml import Locator

HEAD = "cio_framework: 2\nname: x\n"
KEYS = ("k0", "k1", "k2")

#: A mapping as the strategy draws it: its own keys and values, and the
#: numbers of the earlier mappings its ``<<`` names, in order.
Drawn = tuple[dict[str, int], list[int]]


def resolved(mappings: list[Drawn], number: int) -> dict[str, int]:
    """Mapping ``number`` as YAML's merge key defines it."""
    own, merges = mappings[number]
    result: dict[str, int] = {}
    for merged in reversed(merges):  # an earlier one overrides a later one
        result.update(resolved(mappings, merged))
    result.update(own)
    return result


@st.composite
def merge_files(draw: st.DrawFn) -> tuple[str, list[Drawn]]:
    """Anchored ``x-a`` mappings, each with some own keys (values unique in
    the file) and a ``<<`` of earlier anchors (repeats and diamonds
    allowed); the last one, ``x-node``, is not anchored."""
    count = draw(st.integers(1, 6))
    lines, mappings = [], []
    value = iter(range(10, 10_000))
    for number in range(count + 1):
        keys = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=3))
        own = {key: next(value) for key in keys}
        merges = draw(st.lists(st.integers(0, number - 1), max_size=4)) if number else []
        items = [f"{key}: {v}" for key, v in own.items()]
        if merges:
            aliases = [f"*a{m}" for m in merges]
            one = len(aliases) == 1 and draw(st.booleans())
            items.insert(
                draw(st.integers(0, len(items))),
                f"<<: {aliases[0] if one else '[' + ', '.join(aliases) + ']'}",
            )
        name = "x-node: " if number == count else f"x-a{number}: &a{number} "
        lines.append(name + "{" + ", ".join(items) + "}")
        mappings.append((own, merges))
    return HEAD + "\n".join(lines) + "\n", mappings


@settings(max_examples=300, deadline=None)
@given(merge_files())
def test_merged_values_are_those_yaml_defines(drawn: tuple[str, list[Drawn]]) -> None:
    text, mappings = drawn
    extensions = cio_framework.loads(text).extensions
    for number in range(len(mappings)):
        name = "x-node" if number == len(mappings) - 1 else f"x-a{number}"
        assert dict(extensions[name]) == resolved(mappings, number), name


@settings(max_examples=300, deadline=None)
@given(merge_files())
def test_a_key_is_placed_where_the_value_read_is_written(drawn: tuple[str, list[Drawn]]) -> None:
    text, mappings = drawn
    locator = Locator.from_text(text)
    lines = text.splitlines()
    for key, value in resolved(mappings, len(mappings) - 1).items():
        line, column = locator.position(("x-node", key))
        written = lines[line - 1][column - 1 :]
        assert written.startswith(str(value))
        assert not written[len(str(value))].isdigit()


def test_a_mapping_merged_by_an_earlier_one_wins_over_a_later_one() -> None:
    """``node`` merges ``m1`` then ``m2``, and ``m1`` merges ``m2`` first: ``a``
    is 2 (``m1``'s value, from ``m2``), not ``m3``'s 3 (found by reading the
    two walks of the merges side by side; the loader took 3)."""
    text = HEAD + (
        "x-m2: &m2 {a: 2}\nx-m3: &m3 {a: 3}\nx-m1: &m1 {<<: [*m2, *m3]}\nx-node: {<<: [*m1, *m2]}\n"
    )
    assert cio_framework.loads(text).extensions["x-node"]["a"] == 2
    assert Locator.from_text(text).position(("x-node", "a")) == (3, 15)
