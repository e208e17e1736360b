"""A strict load lets each parsed item go once it is structured, so that the
parsed data and the model are never both held whole, and it never lets go
of a list that something else in the file also holds (a YAML alias)."""

from __future__ import annotations

import json

import pytest

import cio_framework
from cio_framework.config._load import COLLECTIONS, SourceText, read_files
from cio_framework.config._yaml import DEFAULT_LIMITS

YAML = """cio_framework: 2
name: x
departments:
  - {id: a, name: A}
  - {id: b, name: B}
systems:
  - {id: s, name: S, department: a}
  - {id: t, name: T, department: b}
exchanges:
  - {from: s, to: t}
"""
JSON = json.dumps(
    {
        "cio_framework": 2,
        "name": "x",
        "departments": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "systems": [
            {"id": "s", "name": "S", "department": "a"},
            {"id": "t", "name": "T", "department": "b"},
        ],
        "exchanges": [{"from": "s", "to": "t"}],
    }
)


def files_of(text: str):
    return read_files([SourceText(name="s.yaml", text=text)], (), DEFAULT_LIMITS)


def collection_items(files) -> list[object]:
    return [
        item
        for data in files.datas.values()
        for key, items in data.items()
        if key in COLLECTIONS
        for item in items
    ]


@pytest.mark.parametrize("text", [YAML, JSON], ids=["yaml", "json"])
def test_a_strict_assembly_lets_every_item_go(text):
    files = files_of(text)
    assert files.private == {0}
    assert len(collection_items(files)) == 5
    merged, _, drafts = files.assemble(
        files.kept, known_checks=(), limits=DEFAULT_LIMITS, release=True
    )
    assert drafts == []
    assert collection_items(files) == [None] * 5
    assert cio_framework.model.Scenario(**merged) == cio_framework.loads(text)


@pytest.mark.parametrize("text", [YAML, JSON], ids=["yaml", "json"])
def test_an_assembly_that_may_run_again_keeps_them(text):
    """Lenient loading assembles the same files more than once."""
    files = files_of(text)
    first, _, _ = files.assemble(files.kept, known_checks=(), limits=DEFAULT_LIMITS)
    assert None not in collection_items(files)
    again, _, _ = files.assemble(files.kept, known_checks=(), limits=DEFAULT_LIMITS)
    assert again == first


ALIASED = {
    "collection then extension": (
        "cio_framework: 2\nname: x\ndepartments: &d\n  - {id: a, name: A}\n"
        "  - {id: b, name: B}\nx-copy: *d\n"
    ),
    "extension then collection": (
        "cio_framework: 2\nname: x\nx-copy: &d\n  - {id: a, name: A}\n"
        "  - {id: b, name: B}\ndepartments: *d\nx-again: *d\n"
    ),
    "inside an item": (
        "cio_framework: 2\nname: x\ndepartments: &d\n  - {id: a, name: A}\n"
        "  - {id: b, name: B}\nsystems:\n  - {id: s, name: S, department: a, x-d: *d}\n"
    ),
}


@pytest.mark.parametrize("text", ALIASED.values(), ids=ALIASED.keys())
def test_a_list_an_alias_also_names_is_kept(text):
    """An alias holds the collection's list in a second place: it is read
    whole there, not as the slots a strict load let go."""
    assert files_of(text).private == frozenset()
    scenario = cio_framework.loads(text)
    expected = ({"id": "a", "name": "A"}, {"id": "b", "name": "B"})
    values = [*scenario.extensions.values()]
    values += [v for s in scenario.systems for v in s.extensions.values()]
    assert values
    assert all(value == expected for value in values)
    assert [d.id for d in scenario.departments] == ["a", "b"]


def test_an_alias_of_a_scalar_shares_nothing():
    text = "cio_framework: 2\nname: &n x\ndepartments:\n  - {id: a, name: *n}\n"
    files = files_of(text)
    assert files.private == {0}
    assert cio_framework.loads(text).departments[0].name == "x"


def test_a_pack_is_never_let_go():
    """A pack's data is the package's own: it is read again by other loads."""
    text = (
        "cio_framework: 2\nname: x\nuses: [iso-38500]\n"
        "bodies:\n  - {id: board, name: Board, kind: leading_group}\n"
    )
    files = files_of(text)
    assert len(files.sources) > 1
    assert files.private == {0}
