"""Errors stay bounded: aliased problems once, a cap per file, short excerpts, cheap JSON positions."""

from __future__ import annotations

import contextlib
import json
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework import ConfigError
from cio_framework.cli import main
from cio_framework.config import _fastyaml, _yaml
from cio_framework.exceptions import EXCERPT_WIDTH, MAX_TEXT, PROBLEMS_PER_FILE, Problem
from cio_framework.synth import synth_text
from measure import best_times

HEAD = "cio_framework: 1\nname: x\nroles: [{id: r, title: R, level: support}]\n"


def problems_of(text: str, name: str = "a.yaml") -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        cio_framework.loads(text, name=name)
    return caught.value


def aliased_meetings(meetings: int, items: int, *, aliased_scalar: bool = True) -> str:
    """Meetings that all alias one mapping whose attendees are a list of integers."""
    if aliased_scalar:
        values = "&b 3, " + ", ".join(["*b"] * (items - 1))
    else:
        values = ", ".join(["3"] * items)
    return (
        HEAD
        + f"x-list: &l [{values}]\nmeetings:\n"
        + "  - &m {date: 2016-05-16, convened_by: r, attendees: *l}\n"
        + "  - *m\n" * (meetings - 1)
    )


# -- 1. aliases and the cap per file -------------------------------------------


def test_a_bad_value_that_aliases_reach_many_times_is_reported_once() -> None:
    """One anchored bad value reached through 20,000 aliases is one problem that counts them."""
    err = problems_of(aliased_meetings(200, 100))
    (problem,) = err.problems
    assert (problem.line, problem.column, problem.code) == (4, 13, "wrong-type")
    assert "used in 20,000 places, through YAML aliases" in problem.message
    assert err.total == 1


def test_problems_beyond_the_cap_of_a_file_are_counted_on_one_line() -> None:
    """250 distinct problems: the first 100 are listed, a last line counts the other 150."""
    err = problems_of(aliased_meetings(3, 250, aliased_scalar=False))
    assert err.total == 250
    assert len(err.problems) == PROBLEMS_PER_FILE + 1
    listed, more = err.problems[:-1], err.problems[-1]
    assert [p.column for p in listed] == [13 + 3 * i for i in range(PROBLEMS_PER_FILE)]
    assert "used in 3 places" in listed[0].message
    assert (more.code, more.file, more.line) == ("truncated", "a.yaml", None)
    assert more.message == "and 150 more problems in this file"
    assert str(err).startswith("250 problems in scenario\n")


@pytest.mark.parametrize("argv", [["validate"], ["report"], ["islands"]])
def test_the_command_line_counts_every_problem_not_only_those_listed(
    tmp_path, capsys, argv
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(aliased_meetings(3, 250, aliased_scalar=False))
    assert main([*argv, str(path)]) == 1
    assert f"{path}: invalid (250 problems)" in capsys.readouterr().err


def test_the_cap_is_per_file(tmp_path) -> None:
    """Each file of a folder lists its own first problems and counts its own rest."""
    text = aliased_meetings(1, 120, aliased_scalar=False)
    (tmp_path / "a.yaml").write_text(text)
    (tmp_path / "b.yaml").write_text(text.replace(HEAD, "cio_framework: 1\n\n\n"))
    with pytest.raises(ConfigError) as caught:
        cio_framework.load(tmp_path)
    err = caught.value
    truncated = [p for p in err.problems if p.code == "truncated"]
    assert [(p.file, p.message) for p in truncated] == [
        (str(tmp_path / "a.yaml"), "and 20 more problems in this file"),
        (str(tmp_path / "b.yaml"), "and 20 more problems in this file"),
    ]
    assert err.problems[PROBLEMS_PER_FILE] is truncated[0]
    assert err.total == 240


def test_from_problems_keeps_problems_under_the_cap_as_they_are() -> None:
    """Distinct problems under the cap are listed unchanged, and counted."""
    problems = [
        Problem(message=f"bad {n}", code="bad-value", file="a.yaml", line=n) for n in range(5)
    ]
    err = ConfigError.from_problems(problems)
    assert err.problems == tuple(problems)
    assert err.total == 5


def test_validate_output_of_an_alias_bomb_of_problems_is_small(tmp_path, capsys) -> None:
    """The command line prints one line, not one per alias (242,250 before)."""
    path = tmp_path / "aliases.yaml"
    path.write_text(aliased_meetings(969, 250))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert len(out) < 1_000


# -- 3. excerpts of long lines and long values ----------------------------------


def one_line_json(middle: str, pairs: int = 2_000) -> str:
    """A scenario on one line: ``middle`` between two runs of extension keys."""
    before = ", ".join(f'"x-a{n}": {n}' for n in range(pairs))
    after = ", ".join(f'"x-b{n}": {n}' for n in range(pairs))
    return '{"cio_framework": 1, "name": "x", ' + before + ", " + middle + ", " + after + "}"


def test_a_long_source_line_is_shown_around_the_column() -> None:
    """A problem in the middle of a 40,000-character line shows 121 characters of it."""
    err = problems_of(one_line_json('"systems": 3'), "a.json")
    (problem,) = err.problems
    assert len(problem.source_line or "") > 40_000
    _, shown, caret = problem.render().split("\n")
    assert shown == "    …" + shown[5:-1] + "…"
    assert len(shown) == 4 + 2 * EXCERPT_WIDTH + 1 + 2
    assert caret.index("^") == 4 + 1 + EXCERPT_WIDTH
    assert shown[caret.index("^")] == "3"


def test_a_short_source_line_is_shown_whole() -> None:
    """Lines of up to 121 characters are shown as they are, caret under the column."""
    p = Problem(message="bad", code="bad-value", line=1, column=120, source_line="x" * 119 + "y")
    assert p.render().split("\n")[1:] == ["    " + "x" * 119 + "y", "    " + " " * 119 + "^"]


def test_str_of_an_error_in_single_line_json_is_bounded() -> None:
    """A hundred problems on one 50 kB line: str() shows excerpts, not the line a hundred times."""
    broken = ", ".join(f'"x-c{n}": 1' for n in range(100)).replace('"x-c', '"c')
    err = problems_of(one_line_json(broken), "a.json")
    assert err.total == 100
    assert len(err.problems[0].source_line or "") > 50_000
    assert len(str(err)) < 100_000  # was 100 times the line: 5 MB


LONG = "d" * 100_000
LONG_VALUES = {
    "reference": HEAD
    + f"departments: [{{id: d, name: D}}]\nsystems: [{{id: s, name: S, department: {LONG}}}]\n",
    "unknown key": HEAD + f"departments: [{{id: d, name: D, {LONG}: 1}}]\n",
    "unknown top-level key": HEAD + f"{LONG}: 1\n",
    "duplicate key": HEAD + f"x-a: {{{LONG}: 1, {LONG}: 2}}\n",
    "duplicate id": HEAD + f"departments: [{{id: {LONG}, name: D}}, {{id: {LONG}, name: E}}]\n",
    "unknown tag": HEAD + f"description: !{LONG} text\n",
    "wrong type in a map": HEAD + f"responsibilities: [{{id: x, raci: {{{LONG}: [1]}}}}]\n",
}


@pytest.mark.parametrize("text", LONG_VALUES.values(), ids=LONG_VALUES.keys())
def test_problems_quote_long_values_shortened(text: str) -> None:
    """No text of a problem echoes a value of 100,000 characters: each is cut."""
    for problem in problems_of(text).problems:
        for field in (problem.message, problem.hint, problem.expected, problem.got, problem.path):
            assert len(field or "") <= MAX_TEXT
        assert len(str(problem)) < 1_500
        assert "d" * 1_000 not in problem.render()


# -- 2. positions in JSON found by scanning the text ----------------------------


def _not_json(text: str) -> Any:
    raise _yaml.NotJson


@contextlib.contextmanager
def yaml_only() -> Iterator[None]:
    """JSON read and located as YAML: the careful loader and its node tree."""
    saved = _yaml._json_load, _yaml.JsonText
    _yaml._json_load, _yaml.JsonText = (lambda text: None), _not_json  # type: ignore[assignment]
    try:
        yield
    finally:
        _yaml._json_load, _yaml.JsonText = saved  # type: ignore[assignment]


def located(text: str) -> list[tuple[Any, ...]]:
    with pytest.raises(ConfigError) as caught:
        cio_framework.loads(text, name="a.json")
    return [(p.code, p.line, p.column, p.path, p.message, p.hint) for p in caught.value.problems]


DUPLICATES = {
    "top level": '{"cio_framework": 1, "name": "x", "name": "y"}',
    "in an element, with a dangling reference after it": (
        '{"cio_framework": 1, "name": "x",\n "departments": [{"id": "d", "name": "D"}],\n'
        ' "systems": [{"id": "s", "name": "S", "department": "d", "name": "T"},\n'
        '  {"id": "t", "name": "T", "department": "nowhere"}]}'
    ),
    "three times": '{"cio_framework": 1, "name": "x", "x-a": {"k": 1, "k": 2,\r\n "k": 3}}',
    "in the value of a repeated key": (
        '{"cio_framework": 1, "name": "x", "x-a": {"j": [1, {"i": 0, "i": 1}]},'
        ' "x-a": {"j": 1, "j": 2}}'
    ),
    "after line breaks YAML counts": (
        '{"cio_framework": 1, "name": "a\u2028b\x85c\u2029d", "x-é": {"😀": 1, "😀": 2}}'
    ),
}


@pytest.mark.parametrize("text", DUPLICATES.values(), ids=DUPLICATES.keys())
def test_duplicate_keys_in_json_are_located_as_the_yaml_loader_locates_them(text: str) -> None:
    """Scanning the JSON text finds the problems, positions and paths the node tree gives."""
    found = located(text)
    assert any(problem[0] == "duplicate-key" for problem in found)
    with yaml_only():
        assert located(text) == found


def _refuse_composing(*args: Any) -> Any:
    raise AssertionError("a JSON document was composed into YAML nodes")


@pytest.mark.parametrize(
    "text",
    [
        DUPLICATES["in an element, with a dangling reference after it"],
        one_line_json('"systems": 3'),
    ],
    ids=["duplicate key", "wrong type"],
)
def test_problems_in_json_are_located_without_composing_it(text: str, monkeypatch) -> None:
    """Neither a duplicate key nor a later problem composes the JSON into a node tree."""
    monkeypatch.setattr(_yaml, "_Loader", _refuse_composing)
    assert located(text)


def test_a_duplicate_key_in_big_json_costs_little_memory() -> None:
    """A 600 kB single-line JSON with one duplicate key: a few MB (87 MB when composed)."""
    text = synth_text(1_000, seed=1, format="json")
    at = text.rindex('{"id":')
    text = text[:at] + '{"id":"dup-x",' + text[at + 1 :]
    tracemalloc.start()
    try:
        (problem,) = problems_of(text, "a.json").problems
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problem.code == "duplicate-key"
    assert problem.column == at + len('{"id":"dup-x",') + 1
    assert peak < 30_000_000


json_keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=8)
json_strings = st.text(
    st.one_of(
        st.characters(
            codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff"
        ),
        st.sampled_from('\u2028\u2029\x85\r\n\t"\\'),
    ),
    max_size=8,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | json_strings,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(json_keys, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    data=st.dictionaries(json_keys, json_values, min_size=1, max_size=5),
    indent=st.sampled_from([None, 0, 2]),
    ascii_only=st.booleans(),
)
def test_json_positions_agree_with_the_yaml_node_tree(data, indent, ascii_only) -> None:
    """Every key and value, and every path that stops short, is where YAML's marks put it."""
    text = json.dumps(data, indent=indent, ensure_ascii=ascii_only)
    try:
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:  # libyaml refuses escaped surrogate pairs: "\\ud800\\udc00"
        assume(False)
    scanned = _yaml.Locator.from_text(text)
    composed = _yaml.Locator(root, text)
    for path, _ in _yaml._walk(composed._root, ()):
        for at in ("key", "value"):
            for probe in (path, (*path, "missing"), (*path, 99)):
                assert scanned.position(probe, at) == composed.position(probe, at), (probe, at)
    for line in range(text.count("\n") + 3):
        assert scanned.source_line(line) == composed.source_line(line)


SYNTAX = {
    "JSON without a comma": '{"cio_framework": 1, "name": "x" "systems": []}',
    "unclosed list": "cio_framework: 1\nname: x\nx-a: [1, 2\n",
    "undefined alias first": "cio_framework: 1\nname: *nowhere\nx-a: [1\n",
    "duplicate anchor first": "cio_framework: 1\nname: &a x\nx-b: &a y\nx-a: [1\n",
    "tab": "cio_framework: 1\nname: x\nroles:\n\t- {id: r}\n",
    "control character": "cio_framework: 1\nname: x\x07\n",
    "second document broken": "cio_framework: 1\nname: x\n---\nx-a: [1\n",
    "deep before the error": "cio_framework: 1\nx-d: " + "[" * 100 + "\n",
}


@pytest.mark.parametrize("text", SYNTAX.values(), ids=SYNTAX.keys())
def test_syntax_errors_found_by_the_fast_path_are_those_of_the_careful_loader(text: str) -> None:
    """The error the event parser meets first is the one composing the document meets."""
    found = located(text)
    saved = _fastyaml.fast_parse
    _fastyaml.fast_parse = lambda text, limits: (None, None, False)  # type: ignore[assignment]
    try:
        assert located(text) == found
    finally:
        _fastyaml.fast_parse = saved  # type: ignore[assignment]


def test_a_syntax_error_late_in_json_is_reported_without_composing(monkeypatch) -> None:
    """A missing comma at the end of a big JSON text is found by the event parser alone."""
    text = one_line_json('"systems": [] "x": 1')
    monkeypatch.setattr(_yaml, "_Loader", _refuse_composing)
    ((code, line, column, *_),) = located(text)
    assert (code, line, column) == ("syntax", 1, text.index('"x": 1') + 1)


# -- 4. hints quote what the file has ------------------------------------------

WRITTEN = {
    "on": "on",
    "yes": "yes",
    "Off   # a comment": "Off",
    "1_000": "1_000",
    "12:30": "12:30",
    "0x1F": "0x1F",
    "0o17": None,  # a string in YAML 1.1: no problem
    "1.50": "1.50",
    "190:20:30.15": "190:20:30.15",
    "2016-05-16 10:00:00 # noon": "2016-05-16 10:00:00",
    "!!int 12": "12",
    "&a ~": None,  # null: not a quoting matter
    "&a 1_0": "1_0",
}


@pytest.mark.parametrize(("value", "literal"), WRITTEN.items(), ids=WRITTEN.keys())
def test_the_quoting_hint_quotes_the_value_as_written(value: str, literal: str | None) -> None:
    """``id: on`` is told to write 'on', not 'true' (YAML's reading of it)."""
    text = f"cio_framework: 1\nname: x\ndepartments:\n  - id: {value}\n    name: D\n"
    try:
        cio_framework.loads(text)
    except ConfigError as err:
        (problem,) = err.problems
    else:
        assert literal is None
        return
    if literal is None:
        assert "in quotes" not in (problem.hint or "")
    else:
        assert (problem.hint or "").endswith(f"write it in quotes: '{literal}'")


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        (
            '{"cio_framework": 1, "name": 1e3}',
            'write it in double quotes: "1e3"',
        ),
        (
            "cio_framework: 1\nname: x\nx-i: &i 0x1F\nroles: [{id: r, title: R, level: support}]\n"
            "bodies: [{id: b, name: B, members: *i}]\n",
            "write a list, e.g. [0x1F]",
        ),
        (
            'cio_framework: 1\nname: !!int "0x1F"\n',
            "YAML read this as an integer; write it in quotes: '31'",
        ),
    ],
    ids=["JSON number", "list hint through an alias", "quoted text: the value YAML read"],
)
def test_other_hints_that_show_a_value_show_it_as_written(text: str, hint: str) -> None:
    """A JSON number and a list suggestion show the file's own text too; text
    that is no plain value leaves the hint as it was."""
    problems = problems_of(text).problems
    assert problems[-1].hint == hint


def test_capping_many_files_costs_linear_time() -> None:
    """Each truncated line was placed by a scan of every problem listed:
    quadratic in the number of files. 16x the files take about 16x the time."""

    def problems(files: int) -> list[Problem]:
        return [
            Problem(message="bad", code="bad-value", file=f"f{f}.yaml", line=line)
            for f in range(files)
            for line in (1, 2)
        ]

    small, large = problems(500), problems(8_000)
    err = ConfigError.from_problems(large, per_file=1)
    assert err.total == 16_000
    assert [p.code for p in err.problems[:4]] == ["bad-value", "truncated"] * 2
    fast, slow = best_times(
        lambda batch: ConfigError.from_problems(batch, per_file=1), small, large, factor=16
    )
    assert slow / fast < 64, f"{slow / fast:.0f}x"
