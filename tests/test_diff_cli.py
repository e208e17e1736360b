"""cio-framework diff OLD NEW: text, Markdown and JSON; exit 0 same, 1 different, 2 trouble."""

from __future__ import annotations

import datetime as dt
import json

import attrs
import pytest

import cio_framework
from cio_framework.analysis.diff import diff
from cio_framework.cli import main
from cio_framework.report.diff import render_diff


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def a_month_later(old, name="EPB monitoring v2"):
    """The Pudong scenario connected to the cloud, a system renamed, as of a month later."""
    new = cio_framework.whatif(old, "connect-epb")
    systems = tuple(
        attrs.evolve(s, name=name) if s.id == "epb-monitoring" else s for s in new.systems
    )
    return attrs.evolve(new, systems=systems, as_of=dt.date(2017, 1, 1))


@pytest.fixture
def versions(tmp_path):
    old = cio_framework.builtin("pudong-2016")
    new = a_month_later(old)
    paths = tmp_path / "old.yaml", tmp_path / "new.json"
    paths[0].write_text(cio_framework.dumps(old), encoding="utf-8")
    paths[1].write_text(cio_framework.dumps(new, format="json"), encoding="utf-8")
    return old, new, *map(str, paths)


@pytest.mark.parametrize("format", ["text", "markdown", "json"])
def test_same_versions_exit_0(capsys, versions, format):
    """A version against itself (one YAML, one JSON of the same data): exit 0, nothing differs."""
    old, _, old_path, _ = versions
    same = old_path.replace("old.yaml", "same.json")
    with open(same, "w", encoding="utf-8") as handle:
        handle.write(cio_framework.dumps(old, format="json"))
    code, out, err = run(capsys, "diff", old_path, same, "--format", format)
    assert (code, err) == (0, "")
    if format == "json":
        assert json.loads(out) == diff(old, old).to_dict()
    else:
        assert out == "No differences.\n"


def test_text_counts_first_then_details(capsys, versions):
    """The text starts with the counts (data, then effect), then lists each change; exit 1."""
    *_, old_path, new_path = versions
    code, out, err = run(capsys, "diff", old_path, new_path)
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == (
        "Summary: the scenario's as_of changed; 1 system changed; 1 exchange added; "
        "2 what-if scenarios removed."
    )
    assert lines[1].startswith(
        "Effect: 1 island closed (epb-approvals); 1 barrier resolved (epb:enterprise-registry); "
    )
    assert 'Scenario:\n  as_of "2016-12-01" -> "2017-01-01"\n' in out
    assert '  changed epb-monitoring: name "Pollution source monitoring system" -> ' in out
    assert "Islands:\n  closed epb-approvals\n" in out
    assert "Barriers:\n  resolved epb:enterprise-registry\n" in out


def test_markdown_has_headings_and_lists(capsys, versions):
    """Markdown: the counts in bold-labelled paragraphs, then a heading and a list per topic."""
    *_, old_path, new_path = versions
    code, out, _ = run(capsys, "diff", old_path, new_path, "--format", "markdown")
    assert code == 1
    assert out.startswith("**Summary:** the scenario's as\\_of changed; ")
    assert "\n\n**Effect:** 1 island closed (epb-approvals); " in out
    assert "\n## Islands\n- closed epb-approvals\n" in out


def test_json_is_the_diff_document(capsys, versions):
    """--format json prints ScenarioDiff.to_dict(), as render_diff writes it; exit 1."""
    old, new, old_path, new_path = versions
    code, out, _ = run(capsys, "diff", old_path, new_path, "--format", "json")
    assert code == 1
    found = diff(old, new)
    assert out == render_diff(found, "json")
    document = json.loads(out)
    assert document == found.to_dict()
    assert (document["kind"], document["version"]) == ("diff", 1)
    assert document["islands"] == [{"kind": "closed", "old": ["epb-approvals"], "new": []}]


def test_a_missing_file_is_trouble(capsys, versions, tmp_path):
    """A path that does not exist: exit 2, the path named on stderr, no traceback."""
    *_, old_path, _ = versions
    missing = str(tmp_path / "nowhere.yaml")
    code, out, err = run(capsys, "diff", old_path, missing)
    assert (code, out) == (2, "")
    assert "nowhere.yaml" in err
    assert "Traceback" not in err


def test_an_invalid_version_is_trouble_with_located_errors(capsys, versions, tmp_path):
    """An invalid scenario: exit 2, each problem at file:line:column; both versions checked."""
    *_, old_path, _ = versions
    bad = tmp_path / "bad.yaml"
    bad.write_text("cio_framework: 2\nname: x\nsystems:\n  - {id: s, name: S, department: nope}\n")
    code, out, err = run(capsys, "diff", str(bad), str(bad))
    assert (code, out) == (2, "")
    assert err.count("bad.yaml:4:") == 2
    assert "Traceback" not in err
    code, _, err = run(capsys, "diff", old_path, str(bad))
    assert code == 2
    assert "bad.yaml:4:" in err


NASTY = "<b>**x**</b> \x1b[2J\u202e"


def test_scenario_text_is_escaped_in_markdown_and_text(capsys, versions, tmp_path):
    """A system named with HTML, Markdown and terminal controls is shown, not acted on."""
    old, *_ = versions
    new = a_month_later(old, name=NASTY)
    path = tmp_path / "nasty.json"
    path.write_text(cio_framework.dumps(new, format="json"), encoding="utf-8")
    old_path = versions[2]
    _, markdown, _ = run(capsys, "diff", old_path, str(path), "--format", "markdown")
    assert "<b>" not in markdown
    assert "**x**" not in markdown
    assert "&lt;b&gt;\\*\\*x\\*\\*&lt;/b&gt;" in markdown
    _, text, _ = run(capsys, "diff", old_path, str(path))
    _, as_json, _ = run(capsys, "diff", old_path, str(path), "--format", "json")
    for out in (markdown, text, as_json):
        assert "\x1b" not in out
        assert "\u202e" not in out
    assert "\\x1b[2J" in text or "\\u001b[2J" in text
    (systems,) = (c for c in json.loads(as_json)["collections"] if c["collection"] == "systems")
    assert systems["changed"][0]["fields"][0]["new"] == NASTY


def test_a_version_1_file_and_its_version_2_form_do_not_differ(capsys, tmp_path):
    """The format version is how a file is written, not what it says: exit 0."""
    old = cio_framework.builtin("pudong-2016")
    v2 = tmp_path / "v2.yaml"
    v2.write_text(cio_framework.dumps(old), encoding="utf-8")
    v1 = tmp_path / "v1.yaml"
    v1.write_text(cio_framework.dumps(old).replace("cio_framework: 2", "cio_framework: 1", 1))
    code, out, err = run(capsys, "diff", str(v1), str(v2))
    assert (code, out, err) == (0, "No differences.\n", "")
