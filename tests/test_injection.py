"""Hostile scenario text comes out of every writer as text, never as markup,
formulas, mathematics or terminal control.

The scenarios are built in Python, so they hold what a file loader would
refuse (control characters in names). Each writer's output is read back by
an independent checker: a tiny Markdown reader, the standard library's XML
parser, a DOT string reader written from the DOT language's rules, the
Text objects matplotlib draws, and the bytes the command line prints.
"""

from __future__ import annotations

import doctest
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework import cli
from cio_framework._escape import UNSAFE, json_safe, visible
from cio_framework.config import LoadedScenario
from cio_framework.config._load import Origins
from cio_framework.exceptions import Problem
from cio_framework.export import _sanitised, export_graph
from cio_framework.model import (
    Candidate,
    Criterion,
    Department,
    Exchange,
    Note,
    Person,
    Platform,
    System,
    valid_id,
)
from cio_framework.report import render_problems, render_report
from cio_framework.report.html import render_html
from cio_framework.testing import make_scenario

HOSTILE = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "a|b",
    "line\nbreak",
    "\x1b[2J",
    "\x00",
    "\u202e",
    "$\\foo$",
    "$5 and $6",
    "a\\b",
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
]

#: What must never reach a terminal: C0 controls but tab and line feed, DEL,
#: C1 controls and the bidi embeddings, overrides and isolates.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def hostile_id(number: int, text: str) -> str:
    """The hostile text itself where the model accepts it as an id (no
    control characters, no bidi overrides or other hidden characters)."""
    return text if valid_id(text) is None else f"h{number}"


def shown(text: str) -> str:
    """How a control character or bidi override is shown: Python's escape."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return FORBIDDEN.sub(escape, text)


def hostile_scenario():
    """Every hostile text as a department, a system, a criterion, a note and a
    person's name; systems chained in pairs, half of them on a platform."""
    departments = [Department(id=f"d{i}", name=text, pilot=True) for i, text in enumerate(HOSTILE)]
    systems = [
        System(id=hostile_id(i, text), name=text, department=f"d{i}")
        for i, text in enumerate(HOSTILE)
    ]
    ids = [s.id for s in systems]
    exchanges = [Exchange(from_=ids[i], to=ids[i + 1]) for i in range(0, len(ids) - 1, 2)]
    exchanges += [Exchange(from_=ids[i], to="hub") for i in range(0, len(ids), 4)]
    base = make_scenario()
    return make_scenario(
        name=" ".join(HOSTILE),
        jurisdiction=HOSTILE[0],
        source=HOSTILE[1],
        people=[
            Person(id="lead", name=HOSTILE[4] + HOSTILE[7]),
            Person(id="deputy", name=HOSTILE[8] + HOSTILE[6]),
        ],
        departments=[*base.departments, *departments],
        platforms=[Platform(id="hub", name="\u202ehub" + HOSTILE[7])],
        systems=systems,
        exchanges=exchanges,
        criteria=[Criterion(id=f"c{i}", name=text, weight=i + 1) for i, text in enumerate(HOSTILE)],
        notes=[Note(id=f"n{i}", text=text, source=text) for i, text in enumerate(HOSTILE)],
        candidates=[
            Candidate(person=person, role="epb-cio", scores={"c4": 3, "c7": 2})
            for person in ("lead", "deputy")
        ],
    )


@pytest.fixture(scope="module")
def scenario():
    return hostile_scenario()


def no_controls(text: str) -> None:
    found = FORBIDDEN.findall(text)
    assert not found, f"raw control characters written: {found!r}"


# -- Markdown ---------------------------------------------------------------------


def unescaped(char: str, line: str) -> int:
    """How many times ``char`` occurs in ``line`` not escaped by a backslash."""
    count, escaped = 0, False
    for c in line:
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == char:
            count += 1
    return count


def check_markdown(text: str) -> None:
    """No HTML, no link, no mathematics, no broken table, no stray block."""
    no_controls(text)
    assert "<" not in text, "raw HTML or an autolink"
    assert not re.search(r"(?<!\\)\]\(", text), "a link"
    for line in text.splitlines():
        assert unescaped("$", line) == 0, f"mathematics: {line!r}"
        assert not line.startswith("break"), "a line break from a name started a line"
    table: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            widths = {unescaped("|", row) for row in table}
            assert len(widths) == 1, f"table rows of different widths: {table}"
            table = []


def test_markdown_report_shows_scenario_text_as_text(scenario):
    """The Markdown report escapes HTML, links, pipes, line breaks, dollars, controls."""
    text = render_report(scenario, "markdown")
    check_markdown(text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "| a\\|b |" in text  # a criterion's name keeps its cell
    assert "line break" in text
    assert "\\$5 and \\$6" in text


def test_markdown_compare_table_keeps_its_columns(scenario, monkeypatch, capsys):
    """``compare --format markdown`` escapes scenario names in its header."""
    code, out, err = run_cli(
        monkeypatch, capsys, scenario, "compare", "x", "y", "--format", "markdown"
    )
    assert code == 0
    check_markdown(out)
    no_controls(err)


# -- plain text ---------------------------------------------------------------------


def test_text_report_shows_controls_as_escapes(scenario):
    """The text report writes each control character as its escape."""
    text = render_report(scenario, "text")
    no_controls(text)
    assert "\\x1b[2J" in text
    assert "\\u202e" in text


def test_text_report_keeps_each_finding_on_one_line(scenario):
    """A name's line break is shown as \\n in the text report: no name starts a line."""
    text = render_report(scenario, "text")
    assert [line for line in text.splitlines() if line.startswith("break")] == []
    assert "line\\nbreak" in text
    findings = [line for line in text.splitlines() if line.startswith("* error: ")]
    assert any("line\\nbreak" in line and line.endswith("]") for line in findings)


def test_problems_show_controls_as_escapes():
    """A problem's message, expected and got are shown, not acted on."""
    problem = Problem(message="bad \x1b[2J name \u202e", code="bad-value", got="\x9b31m")
    text = render_problems([problem])
    no_controls(text)
    assert "\\x1b[2J" in text


@pytest.mark.parametrize("writer", ["report", "problems", "dumps"])
def test_json_keeps_the_text_and_escapes_it(scenario, writer):
    """JSON output decodes to the exact text, with no raw C1 or bidi character."""
    if writer == "dumps":
        text = cio_framework.dumps(scenario, format="json")
        assert json.loads(text)["name"] == scenario.name
        assert json.loads(text) == cio_framework.unstructure(scenario)
    elif writer == "report":
        text = render_report(scenario, "json")
        assert json.loads(text)["scenario"]["name"] == scenario.name
    else:
        problem = Problem(message="x\u202ey\x85", code="bad-value")
        text = render_problems([problem], "json")
        assert json.loads(text)[0]["message"] == "x\u202ey\x85"
    no_controls(text)


@pytest.mark.parametrize("writer", ["report", "export", "dumps"])
def test_json_writes_a_lone_surrogate_as_its_escape(writer):
    """A lone surrogate (a JSON file's "\\ud800") is written as its escape:
    the JSON text encodes as UTF-8 and decodes to the same name."""
    scenario = make_scenario(name="a\ud800b")
    if writer == "report":
        text = render_report(scenario, "json")
        name = json.loads(text.encode("utf-8"))["scenario"]["name"]
    elif writer == "export":
        text = export_graph(scenario, "json")
        name = json.loads(text.encode("utf-8"))["graph"]["name"]
    else:
        text = cio_framework.dumps(scenario, format="json")
        name = json.loads(text.encode("utf-8"))["name"]
    assert name == "a\ud800b"


def test_html_report_escapes_markup_and_controls(scenario):
    """The HTML report escapes markup and shows control characters as escapes."""
    page = render_html(scenario, pictures=False)
    no_controls(page)
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


# -- graph exports ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_parse_and_keep_the_text(scenario, fmt):
    """GraphML and GEXF parse; each name reads back as itself, controls as escapes."""
    text = export_graph(scenario, fmt)
    root = ET.fromstring(text.encode("utf-8"))
    values = {element.text for element in root.iter()} | {
        value for element in root.iter() for value in element.attrib.values()
    }
    for system in scenario.systems:
        assert shown(system.name) in values, system.name
        assert shown(system.id) in values, system.id
    no_controls(text)


def test_ids_refuse_what_xml_would_escape():
    """No id holds a control character or bidi override, so no two ids of a
    scenario can be written the same in GraphML or GEXF..."""
    for text in ("x\u202e", "x\x1b", "x\u2066"):
        assert valid_id(text) is not None
        with pytest.raises(ValueError, match="an id must not contain"):
            System(id=text, name="one", department="d")


def test_xml_sanitising_refuses_nodes_that_would_merge():
    """... and the XML writers' guard still refuses a graph built by hand
    whose node names would merge once escaped."""
    graph = nx.DiGraph()
    graph.add_nodes_from(["x\u202e", "x\\u202e"])
    with pytest.raises(ValueError, match="same once"):
        _sanitised(graph)


def test_json_export_decodes_to_the_names(scenario):
    """The node-link JSON export decodes to the exact names, printable as it is."""
    text = export_graph(scenario, "json")
    data = json.loads(text)
    names = {node.get("name") for node in data["nodes"]}
    assert {s.name for s in scenario.systems} <= names
    no_controls(text)


def dot_strings(text: str) -> list[str]:
    """The quoted strings of DOT text, as Graphviz's lexer reads them.

    In a quoted DOT string only ``\\"`` is an escape; every other backslash
    stands for itself, and a backslash before a line break continues the
    line.
    """
    found: list[str] = []
    i = 0
    while i < len(text):
        if text[i] != '"':
            i += 1
            continue
        i += 1
        value: list[str] = []
        while text[i] != '"':
            if text[i] == "\\" and text[i + 1] == '"':
                value.append('"')
                i += 2
            elif text[i] == "\\" and text[i + 1] == "\\":
                value.append("\\\\")
                i += 2
            elif text[i] == "\\" and text[i + 1] == "\n":
                i += 2
            else:
                value.append(text[i])
                i += 1
        found.append("".join(value))
        i += 1
    return found


def label_text(escstring: str) -> str:
    """What Graphviz shows for a label: ``\\\\`` a backslash, ``\\n`` a line break."""
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), escstring)


def test_dot_writes_a_backslash_in_an_id_once():
    """An id ``a\\b`` is written ``"a\\b"`` (DOT keeps backslashes in ids),
    its label ``"a\\\\b"`` (labels read ``\\\\`` as one backslash)."""
    scenario = make_scenario(
        departments=[*make_scenario().departments, Department(id="d", name="D")],
        systems=[
            System(id="a\\b", name="a\\b", department="d"),
            System(id="c", name='say "hi"', department="d"),
        ],
        exchanges=[Exchange(from_="a\\b", to="c")],
    )
    lines = export_graph(scenario, "dot").splitlines()
    assert '  "a\\b" [label="a\\\\b", shape=ellipse];' in lines
    assert '  "c" [label="say \\"hi\\"", shape=ellipse];' in lines
    assert '  "a\\b" -> "c" [label="a\\\\b->c"];' in lines


def test_dot_strings_read_back_as_ids_and_names(scenario):
    """Every id reads back from the DOT text as itself, every label as its name."""
    text = export_graph(scenario, "dot")
    no_controls(text)
    strings = dot_strings(text)
    for system in scenario.systems:
        assert shown(system.id) in strings
        assert shown(system.name) in {label_text(s) for s in strings}


def one_system(name: str):
    return make_scenario(
        departments=[*make_scenario().departments, Department(id="d", name="D")],
        systems=[System(id="s", name=name, department="d")],
        criteria=[Criterion(id="c", name=name)],
        notes=[Note(id="n", text=name)],
    )


@settings(max_examples=60, deadline=None)
@given(name=st.text(min_size=1, max_size=30))
def test_any_name_reads_back_from_every_export(name):
    """Whatever a name holds, GraphML and GEXF parse and DOT labels read back."""
    scenario = one_system(name)
    expected = re.sub("[\ufffe\uffff]", lambda m: f"\\u{ord(m.group()):04x}", shown(name))
    for fmt in ("graphml", "gexf"):
        root = ET.fromstring(export_graph(scenario, fmt).encode("utf-8"))
        values = {e.text for e in root.iter()} | {v for e in root.iter() for v in e.attrib.values()}
        assert expected in values
    labels = {label_text(s) for s in dot_strings(export_graph(scenario, "dot"))}
    assert shown(name) in labels


@settings(max_examples=60, deadline=None)
@given(name=st.text(min_size=1, max_size=30))
def test_any_name_leaves_markdown_and_text_intact(name):
    """Whatever a name holds, the Markdown report keeps its structure and
    neither report carries a control character."""
    scenario = one_system(name)
    check_markdown(render_report(scenario, "markdown"))
    no_controls(render_report(scenario, "text"))


# -- pictures -------------------------------------------------------------------------


def drawn_texts(ax):
    yield ax.title
    yield from ax.texts
    yield from ax.get_yticklabels()
    yield from ax.get_xticklabels()


@pytest.mark.parametrize("kind", ["landscape", "org_chart", "priorities"])
def test_pictures_draw_names_literally(scenario, kind):
    """Names are drawn as they are: no mathtext, no TeX, no crash on ``$\\foo$``."""
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cio_framework import plot

    draw = getattr(plot, f"plot_{kind}")
    with matplotlib.rc_context({"text.usetex": False}):
        ax = draw(scenario)
        ax.figure.canvas.draw()  # mathtext would raise on \foo here
        texts = [t for t in drawn_texts(ax) if t.get_text()]
        for text in texts:
            if "$" in text.get_text():
                assert not text.get_parse_math(), text.get_text()
                assert not text.get_usetex(), text.get_text()
            no_controls(text.get_text())
        written = {t.get_text() for t in texts}
        plt.close(ax.figure)
    dollars = [t for t in written if "$" in t]
    assert dollars, "a name with a dollar is drawn"
    if kind == "landscape":
        assert "$\\foo$" in written
        assert "$5 and $6" in written


def test_pictures_are_not_tex_even_when_usetex_is_on(scenario):
    """With ``text.usetex`` set, scenario text is still not given to TeX."""
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cio_framework.plot import plot_landscape, plot_org_chart

    with matplotlib.rc_context({"text.usetex": True}):
        for draw in (plot_landscape, plot_org_chart):
            ax = draw(scenario)
            for text in ax.texts:
                assert not text.get_usetex(), text.get_text()
            plt.close(ax.figure)


# -- spreadsheets ------------------------------------------------------------------------


def test_docs_show_how_to_keep_formulas_out_of_a_spreadsheet():
    """The recipe in docs/notebook.rst runs: formulas quoted, numbers kept."""
    pytest.importorskip("pandas")
    page = (Path(__file__).parents[1] / "docs" / "notebook.rst").read_text(encoding="utf-8")
    assert ".. _spreadsheet-safe:" in page
    section = page.split(".. _spreadsheet-safe:")[1].split("\nPictures\n")[0]
    globs = {"pudong": cio_framework.builtin("pudong-2016")}
    test = doctest.DocTestParser().get_doctest(
        section, globs, "spreadsheet-safe", "docs/notebook.rst", 0
    )
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0
    assert runner.tries >= 10
    assert "'=HYPERLINK" in section
    assert ",-3" in section


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_scenario_tables_hold_no_formula(scenario, fmt):
    """export --format csv|xlsx writes no cell a spreadsheet would run as a formula."""
    import csv

    from cio_framework.interop.tables import write_tables

    if fmt == "xlsx":
        openpyxl = pytest.importorskip("openpyxl")
    cells: list[object] = []
    for content in write_tables(scenario, fmt).values():
        if fmt == "csv":
            cells += [c for row in csv.reader(io.StringIO(content.decode("utf-8"))) for c in row]
        else:
            book = openpyxl.load_workbook(io.BytesIO(content))
            cells += [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    texts = [c for c in cells if isinstance(c, str)]
    assert '\'=HYPERLINK("http://x")' in texts
    assert [c for c in texts if c[:1] in ("=", "+", "-", "@", "\t", "\r")] == []


# -- the command line ------------------------------------------------------------------


def run_cli(monkeypatch, capsys, scenario, *argv):
    """Run the command line with every path (``x``, ``y``) loading ``scenario``."""
    loaded = LoadedScenario(scenario=scenario, sources=(), origins=Origins())
    monkeypatch.setattr(cli, "_load", lambda path: loaded)
    real = __file__  # a path that exists; what it holds is never read
    code = cli.main([real if a in ("x", "y") else a for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


COMMANDS = [
    ("validate", "x"),
    ("report", "x"),
    ("report", "x", "--format", "markdown"),
    ("report", "x", "--format", "json"),
    ("report", "x", "--format", "html"),
    ("islands", "x"),
    ("islands", "x", "--format", "json"),
    ("brokers", "x"),
    ("priorities", "x"),
    ("priorities", "x", "--format", "json"),
    ("priorities", "x", "--budget", "100"),
    ("agenda", "x"),
    ("compare", "x", "y"),
    ("compare", "x", "y", "--format", "json"),
    ("candidates", "x"),
    ("export", "x", "--format", "dot"),
    ("export", "x", "--format", "graphml"),
    ("export", "x", "--format", "gexf"),
    ("export", "x", "--format", "json"),
    ("export", "x", "--format", "json", "--view", "departments"),
]


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_command_line_prints_no_control_characters(scenario, monkeypatch, capsys, argv):
    """What a command prints holds no control character from the scenario."""
    code, out, err = run_cli(monkeypatch, capsys, scenario, *argv)
    assert code in (0, 1), err
    no_controls(out)
    no_controls(err)
    if "json" in argv:
        json.loads(out)


TEXT_COMMANDS = [argv for argv in COMMANDS if "--format" not in argv and argv[0] != "export"]


@pytest.mark.parametrize("argv", TEXT_COMMANDS, ids=" ".join)
def test_a_name_starts_no_line_of_a_command(scenario, monkeypatch, capsys, argv):
    """A name's line break is shown as \\n: no name starts a line a command prints."""
    code, out, _ = run_cli(monkeypatch, capsys, scenario, *argv)
    assert code in (0, 1)
    assert [line for line in out.splitlines() if line.startswith("break")] == []


def test_command_line_on_a_hostile_file(tmp_path, capsys):
    """A file with control characters in its names: whether it loads or its
    problems are listed, nothing printed holds a raw control character."""
    from cio_framework.config import to_yaml

    path = tmp_path / "hostile.yaml"
    path.write_text(to_yaml(hostile_scenario()), encoding="utf-8")
    for argv in (["validate", str(path)], ["report", str(path)], ["islands", str(path)]):
        cli.main(argv)
        out, err = capsys.readouterr()
        no_controls(out)
        no_controls(err)


def test_errors_show_controls_as_escapes(monkeypatch, capsys):
    """An error message naming hostile text is printed with escapes."""
    code = cli.main(["report", "no-such-\x1b[2J-file"])
    _, err = capsys.readouterr()
    assert code == 2
    no_controls(err)
    assert "\\x1b[2J" in err


def test_run_escapes_what_a_command_prints(scenario, monkeypatch):
    """``run`` (not only ``main``) escapes what a command writes to stdout."""
    out, err = io.StringIO(), io.StringIO()
    loaded = LoadedScenario(scenario=scenario, sources=(), origins=Origins())
    monkeypatch.setattr(cli, "_load", lambda path: loaded)
    args = cli.build_parser().parse_args(["islands", __file__])
    assert cli.run(args, out, err) == 0
    no_controls(out.getvalue())
    no_controls(err.getvalue())
    assert "\\x1b[2J" in out.getvalue()


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(max_codepoint=0x7F),
            st.sampled_from("\x85\x9f\u202a\u202e\u2066\u2069é中"),
        ),
        max_size=40,
    )
)
def test_json_safe_fast_path_agrees_with_the_pattern(text):
    """json_safe's and visible's check of plain ASCII text escapes exactly
    what the pattern escapes: every ASCII control but tab and line feed, DEL,
    C1, bidi."""
    expected = UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    assert json_safe(text) == expected

    # and visible the same, the plain-text way (\xNN below U+0100)
    def shown_as(code: int) -> str:
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    shown = UNSAFE.sub(lambda m: shown_as(ord(m.group())), text)
    assert visible(text) == shown


LINE_BREAKS = ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\x0b", "\x0c"]


@pytest.mark.parametrize("brk", LINE_BREAKS)
def test_a_name_cannot_forge_a_line_of_validate(tmp_path, capsys, brk):
    """``validate`` prints one line per finding or problem: a name holding a
    line break and a fake verdict does not start a line of its own."""
    fake = "forged.yaml: valid (0 errors, 0 warnings, 0 notes)"
    name = json.dumps(f"Bureau{brk}{fake}{brk}")  # JSON's escapes are YAML's
    good = tmp_path / "good.yaml"
    good.write_text(
        f"cio_framework: 2\nname: F\ndepartments:\n  - {{id: d, name: {name}, pilot: true}}\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.yaml"  # a problem, not a finding, also names it
    bad.write_text(good.read_text(encoding="utf-8") + "  - {id: d, name: x}\n", encoding="utf-8")
    for path in (good, bad):
        assert cli.main(["validate", str(path)]) == 1
        out, _ = capsys.readouterr()
        lines = out.splitlines()  # splitlines breaks at every one of LINE_BREAKS
        assert lines, out
        assert all(line.startswith(f"{path}:") for line in lines), lines


def test_a_problem_is_one_line_whatever_its_message_holds():
    problem = Problem(message="a\nb\u2028c", code="bad-value", hint="d\ne", file="f\ng.yaml")
    assert len(str(problem).splitlines()) == 1
    assert len(render_problems([problem]).splitlines()) == 1


class Terminal(io.StringIO):
    """A standard output that says it is a terminal."""

    def isatty(self) -> bool:
        return True


HOSTILE_FILE = (
    "cio_framework: 1\r\nname: x\r\ndepartments:\r\n"
    '  - {id: msb, name: "Market \u202eSupervision\\x85 Bureau\\r"}\r\n'
    "systems:\r\n  - {id: s, name: S, department: msb}\r\n"
)


@pytest.mark.parametrize(
    "argv",
    [
        ["upgrade", "IN"],
        ["export", "IN", "--format", "archimate"],
        ["import", "tables", "TABLES"],
    ],
    ids=" ".join,
)
def test_a_file_printed_to_a_pipe_is_the_file_written(tmp_path, argv):
    """Into a pipe or a file, a command printing a file's text prints what
    ``-o`` writes, byte for byte; on a terminal, it is shown escaped."""
    source = tmp_path / "in.yaml"
    source.write_bytes(HOSTILE_FILE.encode("utf-8"))
    tables = tmp_path / "tables"
    assert cli.main(["export", str(source), "--format", "csv", "-o", str(tables)]) == 0
    argv = [{"IN": str(source), "TABLES": str(tables)}.get(a, a) for a in argv]
    target = tmp_path / "out"
    assert cli.main([*argv, "-o", str(target)]) == 0
    written = target.read_bytes().decode("utf-8")
    if argv[0] == "upgrade":  # the file's own text: it holds what a terminal is shown escaped
        assert visible(written) != written
    else:  # written anew: its controls are escapes or references already
        no_controls(written)
    for stream, expected in ((io.StringIO(), written), (Terminal(), visible(written))):
        args = cli.build_parser().parse_args(argv)
        assert cli.run(args, stream, io.StringIO()) == 0
        assert stream.getvalue() == expected
    no_controls(visible(written))


@pytest.mark.parametrize("writer", ["yaml", "archimate", "backstage"])
def test_scenario_files_hold_no_raw_control_and_read_back_the_same(scenario, writer):
    """The YAML, ArchiMate and Backstage writers write DEL, the C1 controls
    and the bidi controls as escapes or character references, never raw (a
    terminal showing the file would act on them), and reading the file gives
    the same text back."""
    from cio_framework.interop.archimate import read_archimate_text, write_archimate
    from cio_framework.interop.backstage import read_backstage_text, write_backstage

    if writer == "yaml":
        texts = [cio_framework.dumps(scenario)]
        names = {d.id: d.name for d in cio_framework.loads(texts[0]).departments}
    elif writer == "archimate":
        texts = [write_archimate(scenario)]
        names = {d["id"]: d["name"] for d in read_archimate_text(texts[0]).data["departments"]}
    else:
        files = write_backstage(scenario)
        texts = list(files.values())
        read = read_backstage_text(files["org.yaml"])
        names = {d["id"]: d["name"] for d in read.data["departments"]}
    for text in texts:
        no_controls(text)
    assert {d.id: d.name for d in scenario.departments if d.id in names} == names
    assert "\u202e" in names.values()
