"""Placing many elements at once: the batch paths agree with one at a time.

``validate`` places every finding in its file (docs/cli.rst, "validate"):
on a national catalogue a million of them, so it finds each file's list
once and reads the items from it (:meth:`LoadedScenario.positions`,
:meth:`JsonText.item_offsets`). These tests hold the batch paths to the
definition (each element at the opening of its item, 1-based line and
column as YAML counts them) and to the one-at-a-time paths, and the check
``confusable-ids`` and the fast :class:`Finding` constructor to what they
replace.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework import cli
from cio_framework.analysis import checks
from cio_framework.analysis.checks import Finding, Severity
from cio_framework.analysis.evidence import SOURCED, Basis, Evidence, EvidenceStatus
from cio_framework.config import load_document, loads_document, loads_lenient
from cio_framework.config._yaml import JsonText
from cio_framework.model._confusable import skeleton
from cio_framework.testing import landscapes

# -- a JSON text whose item offsets are known from writing it ---------------------------

SPACE = st.text(" \t\n", max_size=3)
SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=6)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


@attrs.define
class Written:
    """A JSON text and where it put each list and each item."""

    text: str = ""
    lists: dict[tuple[Any, ...], int] = attrs.Factory(dict)
    items: dict[tuple[Any, ...], int] = attrs.Factory(dict)

    def add(self, part: str) -> None:
        self.text += part


@st.composite
def written_documents(draw: st.DrawFn) -> Written:
    """An object of lists; some items are objects holding a list of their own
    (``{"inner": [...]}``), which a locator indexes when first asked."""
    out = Written()
    out.add(draw(SPACE) + "{")
    keys = draw(st.lists(st.text("abcxyz", min_size=1, max_size=3), unique=True, max_size=4))
    for n, key in enumerate(keys):
        out.add(
            ("," if n else "") + draw(SPACE) + json.dumps(key) + draw(SPACE) + ":" + draw(SPACE)
        )
        out.lists[(key,)] = len(out.text)
        out.add("[")
        for i in range(draw(st.integers(0, 5))):
            out.add(("," if i else "") + draw(SPACE))
            out.items[(key, i)] = len(out.text)
            if draw(st.booleans()):
                out.add(json.dumps(draw(VALUES)))
                continue
            out.add('{"inner":' + draw(SPACE))
            out.lists[(key, i, "inner")] = len(out.text)
            out.add("[")
            for k in range(draw(st.integers(0, 4))):
                out.add(("," if k else "") + draw(SPACE))
                out.items[(key, i, "inner", k)] = len(out.text)
                out.add(json.dumps(draw(VALUES)))
            out.add(draw(SPACE) + "]}")
        out.add(draw(SPACE) + "]")
    out.add(draw(SPACE) + "}" + draw(SPACE))
    return out


def line_column(text: str, offset: int) -> tuple[int, int]:
    """The definition: lines and columns counted from 1, breaks at ``\\n``."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


@settings(max_examples=150, deadline=None)
@given(written_documents(), st.lists(st.integers(-2, 7), max_size=8))
def test_item_offsets_are_where_the_items_were_written(doc: Written, asked: list[int]) -> None:
    found = JsonText(doc.text)
    for parent, at in doc.lists.items():
        expected = [doc.items.get((*parent, i), at) for i in asked]  # a missing item: its list
        assert found.item_offsets(parent, asked) == expected
        assert [found.offset((*parent, i)) for i in asked] == expected
        assert found.line_columns(expected) == [line_column(doc.text, o) for o in expected]


@settings(max_examples=60, deadline=None)
@given(written_documents(), st.lists(st.integers(0, 4), max_size=5))
def test_items_under_a_path_that_is_missing_are_placed_as_one_at_a_time(
    doc: Written, asked: list[int]
) -> None:
    found = JsonText(doc.text)
    for parent in [("nothing",), ("a", 99, "inner"), ("a", 0, "inner", 0, "deeper")]:
        assert found.item_offsets(parent, asked) == [found.offset((*parent, i)) for i in asked]


# -- elements of a scenario, in files ------------------------------------------------

HEADER = "cio_framework: 1\nname: Example\n"


def folder(tmp_path: Path) -> Path:
    """Three files; the second is JSON (JSON is YAML), placed by scanning its text."""
    (tmp_path / "a.yaml").write_text(
        HEADER + "departments: [{id: d, name: D}]\nsystems:\n"
        "  - {id: s1, name: S1, department: d}\n\n  - {id: s2, name: S2, department: d}\n"
    )
    (tmp_path / "b.yaml").write_text(
        '{"cio_framework": 1, "systems": [\n {"id": "s3", "name": "S3", "department": "d"},'
        '  {"id": "s4", "name": "S4", "department": "d"}],\n "roles": []}'
    )
    (tmp_path / "c.yaml").write_text(
        "cio_framework: 1\nsystems:\n- {id: s5, name: S5, department: d}\n"
    )
    return tmp_path


@pytest.fixture(scope="module")
def placing_folder(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return load_document(folder(tmp_path_factory.mktemp("placing")))


@given(asked=st.lists(st.integers(-1, 6), max_size=12))
def test_positions_across_files_are_each_position(placing_folder: Any, asked: list[int]) -> None:
    loaded = placing_folder
    assert loaded.positions("systems", asked) == [loaded.position("systems", i) for i in asked]
    assert [loaded.locate("systems", i)[:3] for i in asked] == [
        loaded.position("systems", i) for i in asked
    ]


def test_positions_across_files_are_where_the_items_are(tmp_path: Path) -> None:
    loaded = load_document(folder(tmp_path))
    a, b, c = (str(tmp_path / name) for name in ("a.yaml", "b.yaml", "c.yaml"))
    assert loaded.positions("systems", [4, 0, 2, 1, 3, 5, -1]) == [
        (c, 3, 3),
        (a, 5, 5),
        (b, 2, 2),
        (a, 7, 5),
        (b, 2, 50),
        (None, None, None),
        (None, None, None),
    ]
    assert loaded.positions("roles", [0]) == [(None, None, None)]
    assert loaded.positions("people", []) == []


def test_positions_of_a_lenient_load_skip_what_was_left_out() -> None:
    found = loads_lenient(
        HEADER + "departments: [{id: d, name: D}]\nsystems:\n"
        "  - {id: s1, name: S1, department: d}\n"
        "  - {id: s2, name: S2, department: nowhere}\n"
        "  - {id: s3, name: S3, department: d}\n",
        name="l.yaml",
    )
    loaded = found.document
    assert loaded is not None
    assert [s.id for s in loaded.scenario.systems] == ["s1", "s3"]
    assert loaded.positions("systems", [1, 0, 2]) == [
        ("l.yaml", 7, 5),
        ("l.yaml", 5, 5),
        (None, None, None),
    ]
    assert loaded.positions("systems", [1, 0]) == [loaded.locate("systems", i)[:3] for i in (1, 0)]
    # a list nothing was left out of, in the same file
    assert loaded.positions("departments", [0, 1]) == [("l.yaml", 3, 15), (None, None, None)]


# -- validate's lines ------------------------------------------------------------------------


def one_at_a_time(loaded: Any, findings: Any) -> str:
    """The lines as validate wrote them before placing findings together."""
    lines = []
    for finding in findings:
        file, line, column, _ = cli._finding_place(loaded, finding)
        where = ":".join([file or "<string>"] + [str(v) for v in (line, column) if v is not None])
        lines.append(f"{where}: {finding.severity.value}: {finding.message} [{finding.check}]\n")
    return "".join(lines)


def test_validate_lines_are_each_finding_placed(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "a.yaml").write_text(
        HEADER + "departments: [{id: d, name: D}, {id: e, name: E}]\n"
        "roles: [{id: cio, title: CIO, level: strategic}]\n"
        "platforms: [{id: hub, name: Hub}]\nsystems:\n"
        "  - {id: s1, name: S1, department: d}\n  - {id: s2, name: '', department: e}\n"
    )
    (tmp_path / "b.yaml").write_text(
        '{"cio_framework": 1, "systems": [{"id": "s3", "name": "S3", "department": "e"}],\n'
        ' "exchanges": [{"from": "s1", "to": "s2"},\n  {"from": "s2", "to": "s3"}, '
        '{"from": "s3", "to": "s1"}]}'
    )
    loaded = load_document(tmp_path)
    findings = cio_framework.check(loaded.scenario).findings
    assert {f.collection for f in findings} >= {"systems", "exchanges", None}
    expected = one_at_a_time(loaded, findings)
    assert cli._finding_lines(loaded, findings) == expected
    monkeypatch.setattr(cli, "_FINDINGS_AT_ONCE", 2)  # written in several batches
    assert cli.main(["validate", str(tmp_path)]) == 0
    assert capsys.readouterr().out == expected


# -- the fast paths of check ------------------------------------------------------------------

STATUSES = st.sampled_from(list(EvidenceStatus))
EVIDENCE = st.just(SOURCED) | st.builds(
    lambda status, key: Evidence(
        grade=status, weak=[Basis(collection="systems", key=key, status=status)]
    ),
    STATUSES,
    st.text(min_size=1, max_size=3),
)


@given(
    st.text(max_size=5),
    st.sampled_from(list(Severity)),
    st.text(max_size=8),
    st.lists(st.text(max_size=3), max_size=3).map(tuple),
    st.none() | st.sampled_from(["systems", "exchanges"]),
    st.none() | st.integers(0, 10),
    EVIDENCE,
    st.none() | st.text(max_size=3),
)
def test_a_finding_made_through_its_slots_is_the_finding(
    check: str,
    severity: Severity,
    message: str,
    ids: tuple[str, ...],
    collection: Any,
    index: Any,
    evidence: Evidence,
    place: Any,
) -> None:
    fields = {
        "check": check,
        "severity": severity,
        "message": message,
        "ids": ids,
        "collection": collection,
        "index": index,
        "evidence": evidence,
        "jurisdiction": place,
    }
    fast = checks._new_finding(**fields)
    made = Finding(**fields)
    assert fast == made
    assert attrs.asdict(fast, recurse=False) == attrs.asdict(made, recurse=False)


@settings(max_examples=40, deadline=None)
@given(landscapes(), st.sampled_from(["error", "warning", "info"]))
def test_checked_findings_are_the_values_their_constructor_makes(
    scenario: Any, raised: str
) -> None:
    """``check`` makes its findings through their slots: the same values
    ``Finding(...)`` makes of their fields, with a tuple of ids."""
    report = cio_framework.check(scenario, severities={"point-to-point-exchange": raised})
    for finding in report.findings:
        fields = attrs.asdict(finding, recurse=False)
        assert finding == Finding(**fields)
        assert type(fields["ids"]) is tuple


LETTERS = st.sampled_from(
    ["a", "e", "o", "p", "1", "\u0430", "\u0435", "\u03bf", "\u0440", "\uff45"]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.text(LETTERS, min_size=1, max_size=3), min_size=1, max_size=10, unique=True),
    st.integers(0, 10),
)
def test_confusable_ids_are_the_ids_sharing_a_skeleton(ids: list[str], split: int) -> None:
    # the definition, over every id: each group of two or more sharing a skeleton
    groups: dict[str, set[str]] = {}
    for id in ids:
        groups.setdefault(skeleton(id), set()).add(id)
    expected = sorted(tuple(sorted(group)) for group in groups.values() if len(group) > 1)
    text = json.dumps(
        {
            "cio_framework": 1,
            "name": "Look-alikes",
            "departments": [{"id": id, "name": "D"} for id in ids[:split]],
            "people": [{"id": id, "name": "P"} for id in ids[split:]],
        }
    )
    scenario = cio_framework.loads(text)
    found = [f.ids for f in cio_framework.check(scenario).findings if f.check == "confusable-ids"]
    assert sorted(found) == expected


@given(st.integers(0, 6), st.lists(st.integers(-2, 8), max_size=10), st.booleans())
def test_positions_in_one_file_are_the_lines_of_the_items(
    count: int, asked: list[int], as_json: bool
) -> None:
    # one system a line, from line 4 (YAML) or 2 (JSON), at column 5 (YAML) or 2 (JSON)
    systems = [{"id": f"s{i}", "name": "S", "department": "d"} for i in range(count)]
    if as_json:
        items = ",\n".join(" " + json.dumps(s) for s in systems)
        text = '{"cio_framework": 1, "name": "One", "systems": [\n' + items + "\n],\n"
        text += ' "departments": [{"id": "d", "name": "D"}]}\n'
        first, column = 2, 2
    else:
        text = HEADER + "departments: [{id: d, name: D}]\nsystems:\n"
        text += "".join(f"  - {json.dumps(s)}\n" for s in systems) or "  []\n"
        first, column = 5, 5
    loaded = loads_document(text, name="one")
    expected = [("one", first + i, column) if 0 <= i < count else (None, None, None) for i in asked]
    assert loaded.positions("systems", asked) == expected


@settings(max_examples=40, deadline=None)
@given(landscapes(), st.sampled_from(["error", "warning", "info"]))
def test_counts_are_the_findings_of_each_severity(scenario: Any, raised: str) -> None:
    report = cio_framework.check(scenario, severities={"point-to-point-exchange": raised})
    expected = {s.value: sum(1 for f in report.findings if f.severity is s) for s in Severity}
    assert report.counts() == expected
    assert sum(expected.values()) == len(report.findings)
