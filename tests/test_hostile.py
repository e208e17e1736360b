"""Hostile and broken input: the library's own located error, bounded cost, nothing run."""

from __future__ import annotations

import contextlib
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cio_framework
from cio_framework import ConfigError, Limits
from cio_framework.testing import scenarios

HEAD = "cio_framework: 1\nname: x\n"


def bomb(levels: int, width: int = 9) -> str:
    lines = ["x-l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"x-l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    lines.append("x-top: [" + ", ".join([f"*l{levels - 1}"] * width) + "]")
    return HEAD + "\n".join(lines) + "\n"


# (name, text, expected code, expected line or None)
HOSTILE = [
    (
        "python object tag",
        HEAD + "description: !!python/object/apply:os.system ['true']\n",
        "unsafe-tag",
        3,
    ),
    ("python name tag", HEAD + "x-f: !!python/name:os.system\n", "unsafe-tag", 3),
    ("unknown local tag", HEAD + "description: !secret abc\n", "unsafe-tag", 3),
    ("billion laughs", bomb(9), "limit", None),
    ("recursive alias", HEAD + "x-r: &r [*r]\n", "limit", 3),
    ("deep flow sequence", HEAD + "x-d: " + "[" * 20000 + "]" * 20000 + "\n", "syntax", 3),
    ("deep flow mapping", HEAD + "x-d: " + "{a: " * 20000 + "1" + "}" * 20000 + "\n", "syntax", 3),
    (
        "deep block nesting",
        HEAD + "x-d:\n" + "".join(" " * i + "- \n" for i in range(1, 3000)),
        None,
        None,
    ),
    ("deep but parseable", HEAD + "x-d: " + "[" * 200 + "]" * 200 + "\n", "limit", 3),
    ("tabs", HEAD + "roles:\n\t- {id: r}\n", "syntax", 4),
    ("empty", "", "missing-field", None),
    ("comments only", "# nothing\n# here\n", "missing-field", None),
    ("top-level list", "- a\n- b\n", "wrong-type", 1),
    ("top-level scalar", "just text\n", "wrong-type", 1),
    ("two documents", HEAD + "---\n" + HEAD, "syntax", 3),
    ("non-string key", HEAD + "departments: [{id: d, name: D, 12: x}]\n", "wrong-type", 3),
    ("null key", HEAD + "departments: [{id: d, name: D, ~: x}]\n", "wrong-type", 3),
    ("NaN weight", HEAD + "criteria: [{id: c, name: C, weight: .nan}]\n", "bad-value", 3),
    (
        "infinite cost",
        HEAD
        + "departments: [{id: d, name: D}]\nsystems: [{id: s, name: S, department: d, annual_cost: .inf}]\n",
        "bad-value",
        4,
    ),
    ("negative weight", HEAD + "criteria: [{id: c, name: C, weight: -2}]\n", "bad-value", 3),
    (
        "negative demand weight",
        HEAD + "departments: [{id: d, name: D}]\nresources: [{id: r, name: R, owner: d}]\n"
        "demands: [{by: d, resource: r, weight: -1}]\n",
        "bad-value",
        5,
    ),
    ("impossible date", HEAD + "as_of: 2016-02-30\n", "bad-value", 3),
    ("very long id", HEAD + "people: [{id: " + "p" * 100_000 + "}]\n", "bad-value", 3),
    ("control character", HEAD + "description: \x07bell\n", "syntax", 3),
]


@pytest.mark.parametrize(("name", "text", "code", "line"), HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_yaml_gives_a_located_library_error(name, text, code, line):
    """Each hostile input raises ConfigError with the expected code and line, cheaply."""
    tracemalloc.start()
    try:
        with pytest.raises(ConfigError) as info:
            cio_framework.loads(text)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < 300_000_000
    problem = info.value.problems[0]
    if code is not None:
        assert problem.code == code, str(problem)
    if line is not None:
        assert problem.line == line, str(problem)
    assert problem.message


def test_non_utf8_bytes():
    """Bytes that are not UTF-8 give an encoding problem at the right place."""
    with pytest.raises(ConfigError) as info:
        cio_framework.loads(HEAD.encode() + b"description: \xff\xfe\n")
    assert (info.value.problems[0].code, info.value.problems[0].line) == ("encoding", 3)


def test_byte_order_mark_and_chinese_names_work():
    """A BOM is accepted and ids and names in Chinese work through load, checks and dump."""
    text = (
        "\ufeffcio_framework: 1\nname: 浦东新区\n"
        "people: [{id: 闵庆丰, name: 闵庆丰}]\n"
        "departments: [{id: 环保局, name: 环境保护局, pilot: true}]\n"
        "roles: [{id: 环保局cio, title: 部门首席信息官, level: support, kind: departmental_cio,"
        " department: 环保局, holder: 闵庆丰, concurrent_rank: deputy}]\n"
    )
    s = cio_framework.loads(text)
    assert s.roles[0].holder == "闵庆丰"
    findings = cio_framework.check(s).findings
    assert any("环保局" in f.message for f in findings)
    assert cio_framework.loads(cio_framework.dumps(s)) == s


def test_huge_scalar_is_fine_and_oversized_file_is_refused():
    """A large value loads; a file over max_bytes is refused with a hint."""
    big = HEAD.replace("name: x", "name: " + "x" * 2_000_000)
    assert len(cio_framework.loads(big).name) == 2_000_000
    with pytest.raises(ConfigError) as info:
        cio_framework.loads(big, limits=Limits(max_bytes=1_000_000))
    problem = info.value.problems[0]
    assert problem.code == "limit"
    assert "max_bytes" in problem.hint


def test_limits_can_be_raised():
    """A document over a limit loads when the caller raises it."""
    text = HEAD + "x-d: " + "[" * 100 + "]" * 100 + "\n"
    with pytest.raises(ConfigError):
        cio_framework.loads(text)
    assert cio_framework.loads(text, limits=Limits(max_depth=200)).name == "x"
    small_bomb = bomb(4, width=10)
    with pytest.raises(ConfigError):
        cio_framework.loads(small_bomb, limits=Limits(max_alias_expansion=1_000))
    assert cio_framework.loads(small_bomb).name == "x"


def test_limits_validate_themselves():
    """Limits must be positive whole numbers."""
    with pytest.raises(ValueError, match="max_depth"):
        Limits(max_depth=0)


def test_file_size_limit_is_checked_before_reading(tmp_path):
    """load() refuses an oversized file from its size alone."""
    path = tmp_path / "big.yaml"
    path.write_text(HEAD + "description: " + "d" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        cio_framework.load(path, limits=Limits(max_bytes=1000))
    assert info.value.problems[0].code == "limit"


SAFE = (ConfigError,)


@given(st.text(max_size=400))
def test_arbitrary_text_only_raises_config_error(text):
    """Any text either loads or raises ConfigError."""
    with contextlib.suppress(SAFE):
        cio_framework.loads(text)


@given(st.binary(max_size=400))
def test_arbitrary_bytes_only_raise_config_error(data):
    """Any bytes either load or raise ConfigError."""
    with contextlib.suppress(SAFE):
        cio_framework.loads(data)


YAMLISH = st.sampled_from(
    [
        *list(":-[]{},&*!|>'\"#%@` \n\t?"),
        "\n  ",
        ": ",
        "- ",
        "&a ",
        "*a",
        "!!str ",
        "~",
        "null",
        "1e9",
        ".nan",
        "---\n",
    ]
)


@st.composite
def mutated(draw):
    text = __import__("cio_framework").dumps(draw(scenarios(max_elements=3)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        if not text:
            break
        at = draw(st.integers(min_value=0, max_value=len(text)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate", "replace"]))
        if action == "insert":
            text = text[:at] + draw(YAMLISH) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(min_value=1, max_value=20)) :]
        elif action == "duplicate":
            lines = text.splitlines(keepends=True)
            i = draw(st.integers(min_value=0, max_value=max(len(lines) - 1, 0)))
            text = "".join(lines[: i + 1] + lines[i:])
        else:
            text = text[:at] + draw(YAMLISH) + text[at + 1 :]
    return text


@given(mutated())
def test_mutated_scenarios_only_raise_config_error(text):
    """Mutations of valid scenarios either load or raise ConfigError, always located."""
    try:
        cio_framework.loads(text)
    except ConfigError as err:
        problems = err.problems
    else:
        return
    assert problems
    for problem in problems:
        assert problem.message
        assert problem.code


def test_chinese_ids_through_reports_and_exports(tmp_path):
    """Ids and names in Chinese survive reports, JSON and every export format."""
    import io
    import json

    import networkx as nx

    from cio_framework.export import export_graph
    from cio_framework.report import render_report
    from cio_framework.report.html import render_html

    text = (
        "cio_framework: 1\nname: 浦东新区\n"
        "departments: [{id: 环保局, name: 环境保护局, pilot: true}, {id: 市场局, name: 市场监管局}]\n"
        "platforms: [{id: 政务云, name: 政务云数据中心}]\n"
        "systems: [{id: 监测系统, name: 污染源监测, department: 环保局},"
        " {id: 登记系统, name: 企业登记, department: 市场局}]\n"
        "exchanges: [{from: 登记系统, to: 政务云}]\n"
    )
    s = cio_framework.loads(text)
    assert [g.systems for g in cio_framework.islands(s).islands] == [("监测系统",)]
    assert "环境保护局" in render_report(s)
    groups = json.loads(render_report(s, "json"))["landscape"]["islands"]["groups"]
    assert ["监测系统"] in [group["systems"] for group in groups]
    page = render_html(s, pictures=False)
    assert "监测系统" in page
    assert "环境保护局" in page
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        back = reader(io.BytesIO(export_graph(s, fmt).encode("utf-8")))
        assert "监测系统" in back.nodes
    assert "监测系统" in json.dumps(json.loads(export_graph(s, "json")), ensure_ascii=False)
    assert '"监测系统"' in export_graph(s, "dot")
    assert cio_framework.priorities(s).priorities[0].id == "connect-监测系统"
