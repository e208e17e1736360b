"""The command line, driven through main(argv)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_framework.cli import main
from cio_framework.data import builtin_path

from .conftest import yaml_text

BROKEN = """\
cio_framework: 1
name: Broken
departments:
  - {id: epb, name: EPB, pilot: true}
roles:
  - {id: epb-cio, title: CIO, level: suport, department: epb}
"""

WARNED = """\
cio_framework: 1
name: Warned
departments:
  - {id: epb, name: EPB}
roles:
  - {id: cio, title: CIO, level: strategic}
"""


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_report_defaults_to_pudong(capsys):
    """report without a path prints the built-in Pudong report."""
    code, out, _ = run(capsys, "report")
    assert code == 0
    assert out.startswith("Pudong New Area government CIO pilot (2016)")
    assert "Wang Jing" in out
    assert "0 errors, 4 warnings" in out
    assert "Integration priorities" in out


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_report_formats(capsys, fmt):
    """report renders text, Markdown and JSON."""
    code, out, _ = run(capsys, "report", "--format", fmt)
    assert code == 0
    if fmt == "json":
        data = json.loads(out)
        assert data["summary"]["pilot_departments"] == 9
    elif fmt == "markdown":
        assert out.startswith("# Pudong")
        assert "| Criterion | Weight | Ability |" in out


def test_report_to_file(capsys, tmp_path):
    """report -o writes the file and says so on stderr."""
    target = tmp_path / "r.md"
    code, out, err = run(capsys, "report", "--format", "markdown", "-o", str(target))
    assert code == 0
    assert out == ""
    assert target.read_text(encoding="utf-8").startswith("# Pudong")
    assert "wrote" in err


def test_report_on_invalid_file(capsys, write):
    """report on an invalid scenario prints the problems and exits 1."""
    path = write("b.yaml", BROKEN)
    code, _, err = run(capsys, "report", str(path))
    assert code == 1
    assert f"{path}:6:38: error: unknown level 'suport'" in err


def test_validate_valid(capsys):
    """A valid scenario exits 0."""
    code, out, err = run(capsys, "validate", str(builtin_path("pudong-2016")))
    assert code == 0
    assert all(": warning: " in line for line in out.splitlines())
    assert "valid (0 errors" in err


def test_validate_invalid_prints_located_problems(capsys, write):
    """An invalid scenario exits 1 with file:line:col: severity: message [id]."""
    path = write("b.yaml", BROKEN)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert out.splitlines() == [
        f"{path}:6:38: error: unknown level 'suport' [dangling-reference] (did you mean 'support'?)"
    ]


def test_validate_json(capsys, write):
    """--format json prints the validation document: its problems, each with the documented keys."""
    path = write("b.yaml", BROKEN)
    code, out, _ = run(capsys, "validate", "--format", "json", str(path))
    assert code == 1
    data = json.loads(out)
    assert (data["kind"], data["version"]) == ("validation", 1)
    (item,) = data["problems"]
    assert {"file", "line", "column", "path", "severity", "message", "hint"} <= set(item)
    assert (item["line"], item["column"], item["path"]) == (6, 38, "$.roles[0].level")
    assert item["severity"] == "error"
    assert item["hint"] == "did you mean 'support'?"


def test_validate_reports_check_findings_with_location(capsys, write):
    """Governance findings are placed at the element's line; warnings do not fail."""
    path = write("w.yaml", WARNED)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0
    assert f"{path}:6:5: warning: Role CIO (cio) is vacant: name its holder. [vacant-role]" in out


def test_validate_strict_fails_on_warnings(capsys, write):
    """--strict turns warnings into failure."""
    path = write("w.yaml", WARNED)
    code, _, _ = run(capsys, "validate", "--strict", str(path))
    assert code == 1


def test_validate_several_paths(capsys, write):
    """Several paths are validated; any invalid one makes the exit code 1."""
    good = builtin_path("pudong-2016")
    bad = write("b.yaml", BROKEN)
    code, out, err = run(capsys, "validate", str(good), str(bad))
    assert code == 1
    assert "suport" in out
    assert [line.split(": ", 1)[1].split()[0] for line in err.splitlines()] == ["valid", "invalid"]


def test_validate_builtin_name(capsys):
    """A built-in scenario name is accepted where a path is expected."""
    code, _, _ = run(capsys, "validate", "pudong-2016")
    assert code == 0


def test_missing_path_is_a_usage_error(capsys, tmp_path):
    """A path that does not exist exits 2 with a message, no traceback."""
    code, out, err = run(capsys, "validate", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert out == ""
    assert "no such file or directory" in err
    assert "Traceback" not in err


def test_bad_arguments_are_a_usage_error(capsys):
    """Unknown options and commands exit 2."""
    assert run(capsys, "validate")[0] == 2
    assert run(capsys, "frobnicate")[0] == 2
    code, _, err = run(capsys, "report", "--format", "pdf")
    assert code == 2
    assert "invalid choice" in err


def test_bad_arguments_are_followed_by_the_usage_lines(capsys):
    """The message is one line, and the usage follows on lines of its own (not as a \\n)."""
    code, _, err = run(capsys, "priorities", "pudong-2016", "--top", "0", "--format", "json")
    assert code == 2
    lines = err.splitlines()
    assert lines[0] == "cio-framework priorities: error: argument --top: '0' must be 1 or more"
    assert lines[1].startswith("usage: cio-framework priorities [-h]")
    assert "\\n" not in err


def test_no_command_is_a_usage_error(capsys):
    """Running without a command exits 2."""
    assert run(capsys)[0] == 2


def test_help_exits_zero(capsys):
    """--help prints usage and exits 0."""
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "validate" in out


def test_example_prints_builtin_yaml(capsys, tmp_path):
    """example prints YAML that validates."""
    code, out, _ = run(capsys, "example")
    assert code == 0
    target = tmp_path / "mine.yaml"
    target.write_text(out, encoding="utf-8")
    assert run(capsys, "validate", str(target))[0] == 0


def test_example_unknown_name(capsys):
    """An unknown example name is a usage error with the known names."""
    code, _, err = run(capsys, "example", "atlantis")
    assert code == 2
    assert "pudong-2016" in err


def test_checks_lists_every_check(capsys):
    """checks lists ids and severities."""
    code, out, _ = run(capsys, "checks", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["kind"], data["version"]) == ("checks", 1)
    ids = [c["id"] for c in data["checks"]]
    assert "proxy-attendance" in ids
    assert "raci-accountable" in ids


def test_python_dash_m(tmp_path):
    """python -m cio_framework works and returns the exit code."""
    bad = tmp_path / "b.yaml"
    bad.write_text(yaml_text(BROKEN), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "cio_framework", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "suport" in result.stdout


def test_hostile_yaml_gives_no_traceback(capsys, write):
    """A python tag in a scenario is an error, not code execution or a traceback."""
    path = write("h.yaml", "cio_framework: 1\nname: !!python/object/apply:os.getcwd []\n")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert "unsafe-tag" in out


def test_islands_text(capsys):
    """islands prints the groups and marks the islands."""
    code, out, _ = run(capsys, "islands", "pudong-2016")
    assert code == 0
    assert out.startswith("4 groups, 3 islands, 1 isolated system")
    assert "[ISLAND] Environmental Protection Bureau: epb-approvals, epb-monitoring" in out


def test_islands_json_contract(capsys):
    """islands --format json prints groups of systems, platforms, connected_to_platform."""
    code, out, _ = run(capsys, "islands", "pudong-2016", "--format", "json")
    assert code == 0
    data = json.loads(out)
    for group in data["groups"]:
        assert isinstance(group["systems"], list)
        assert isinstance(group["platforms"], list)
        assert isinstance(group["connected_to_platform"], bool)
    assert sum(not g["connected_to_platform"] for g in data["groups"]) == 3


def test_priorities_json_contract(capsys):
    """priorities --format json lists id, kind, score, factors, explanation, accountable."""
    code, out, _ = run(capsys, "priorities", "pudong-2016", "--format", "json", "--top", "3")
    assert code == 0
    items = json.loads(out)["priorities"]
    assert len(items) == 3
    for item in items:
        assert {"id", "kind", "score", "factors", "explanation", "accountable"} <= set(item)
        assert isinstance(item["factors"], dict)
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)


def test_priorities_budget(capsys):
    """priorities --budget plans a roadmap within the budget."""
    code, out, _ = run(capsys, "priorities", "pudong-2016", "--budget", "3", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["kind"], data["hub"]) == ("roadmap", "gov-cloud")
    assert data["total_cost"] <= 3
    assert [s["integration"]["id"] for s in data["steps"]] == [
        "close-ftz-environmental-approval",
        "connect-ctc-projects",
    ]


@pytest.mark.parametrize("extra", [[], ["--budget", "3"], ["--top", "1"]])
def test_priorities_json_has_one_candidate_per_line(capsys, extra):
    """The JSON is the library's document, each candidate (or step) on one line."""
    import attrs

    import cio_framework
    from cio_framework.cli import _json_rows

    code, out, _ = run(capsys, "priorities", "pudong-2016", "--format", "json", *extra)
    assert code == 0
    data = json.loads(out)
    pudong = cio_framework.builtin("pudong-2016")
    if "--budget" in extra:
        expected = cio_framework.roadmap(pudong, budget=3).to_dict()
        rows_key, start = "steps", '    {"integration": '
    else:
        report = cio_framework.priorities(pudong)
        if "--top" in extra:
            report = attrs.evolve(report, priorities=report.priorities[:1])
        expected = report.to_dict()
        rows_key, start = "priorities", '    {"id": '
    assert data == expected
    rows = [line for line in out.splitlines() if line.startswith(start)]
    assert len(rows) == len(data[rows_key]) > 0
    for row, item in zip(rows, data[rows_key], strict=True):
        assert json.loads(row.rstrip(",")) == item
    # the same writer, on nested values and an empty list
    import io

    buffer = io.StringIO()
    sample = {"a": {"b": [1, "x\ny"], "c": None}, "rows": [], "d": "é"}
    _json_rows(sample, "rows", buffer)
    assert json.loads(buffer.getvalue()) == sample
    assert buffer.getvalue() == json.dumps(sample, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize(
    "bad", [["--top", "0"], ["--budget", "-1"], ["--budget", "nan"], ["--top", "x"]]
)
def test_priorities_bad_options(capsys, bad):
    """Bad --top or --budget values are usage errors."""
    code, _, err = run(capsys, "priorities", "pudong-2016", *bad)
    assert code == 2
    assert "Traceback" not in err


def test_whatif_text_and_json(capsys):
    """whatif compares a variant with the baseline."""
    code, out, _ = run(capsys, "whatif", "pudong-2016", "connect-epb")
    assert code == 0
    assert "islands: 3 -> 2" in out
    code, out, _ = run(capsys, "whatif", "pudong-2016", "connect-epb", "--format", "json")
    data = json.loads(out)
    assert data["indicators"]["islands"] == {"before": 3, "after": 2}


def test_whatif_unknown_id(capsys):
    """An unknown what-if id is a usage error naming the known ones."""
    code, _, err = run(capsys, "whatif", "pudong-2016", "nope")
    assert code == 2
    assert "connect-epb" in err


def test_agenda(capsys):
    """agenda proposes the next meeting's issues."""
    code, out, _ = run(capsys, "agenda", "pudong-2016")
    assert code == 0
    assert out.startswith(
        "Next regular meeting of Regular CIO meeting (regular-meeting) (2017-01-15), "
        "convened by District-level CIO (district-cio):"
    )


def test_landscape_commands_on_invalid_file(capsys, write):
    """Landscape commands on an invalid file print located problems and exit 1."""
    path = write("b.yaml", BROKEN)
    for command in ("islands", "priorities", "agenda"):
        code, _, err = run(capsys, command, str(path))
        assert code == 1
        assert ":6:38: error:" in err


def test_synth_is_deterministic_and_valid(capsys, tmp_path):
    """synth writes the same valid scenario for the same seed, YAML or JSON."""
    assert main(["synth", "--systems", "40", "--seed", "7"]) == 0
    first = capsys.readouterr().out
    assert main(["synth", "--systems", "40", "--seed", "7"]) == 0
    assert capsys.readouterr().out == first
    target = tmp_path / "s.json"
    assert main(["synth", "--systems", "40", "--seed", "7", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("{")
    assert main(["validate", "--no-checks", str(target)]) == 0
    from cio_framework import load, loads

    assert loads(first) == load(target)


def test_progress_never_reaches_pipes(capsys):
    """Progress goes to a terminal only: captured stderr holds no progress line."""
    assert main(["islands", "pudong-2016"]) == 0
    assert "…" not in capsys.readouterr().err


def test_progress_shows_on_a_terminal():
    """On a terminal, a slow step shows a progress line that is erased afterwards."""
    import io
    import time

    from cio_framework._progress import progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    with progress(stream, "loading big.yaml", delay=0.05):
        time.sleep(0.3)
    written = stream.getvalue()
    assert "loading big.yaml …" in written
    assert written.endswith("\r")


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(), st.text(max_size=4), st.dictionaries(st.text(max_size=3), st.none())
        ),
        max_size=12,
    ),
    st.integers(min_value=0, max_value=2),
    st.sampled_from([1, 2, 5]),
)
def test_json_rows_writes_the_documented_layout_a_batch_at_a_time(rows, copies, batch):
    """Written in batches, the document is the documented layout: each
    value but the rows indented by two, each row on a line of its own (the
    compact encoding), the rows separated by commas across batches."""
    import io
    from unittest import mock

    from cio_framework import cli

    rows = rows * (copies + 1)
    data = {"kind": "x", "rows": rows, "after": {"é": [1, None]}}

    def layout(name, value):
        key = json.dumps(name, ensure_ascii=False)
        if name == "rows" and value:
            lines = [f"    {json.dumps(r, ensure_ascii=False)}" for r in value]
            return f"  {key}: [\n" + ",\n".join(lines) + "\n  ]"
        text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        return f"  {key}: {text}"

    expected = "{\n" + ",\n".join(layout(k, v) for k, v in data.items()) + "\n}\n"
    buffer = io.StringIO()
    with mock.patch.object(cli, "_ROWS_AT_ONCE", batch):
        cli._json_rows(data, "rows", buffer)
    assert buffer.getvalue() == cli.json_safe(expected)
    assert json.loads(buffer.getvalue()) == data


def test_integration_rows_are_the_encoded_forms_whatever_the_values():
    """The command writes each candidate without making its form; for any
    value, also those the careful way alone can write (a score that is not
    finite, an integer cost, text in any script), the row is the encoded
    form."""
    import math

    import attrs

    import cio_framework
    from cio_framework.analysis.evidence import SOURCED
    from cio_framework.cli import _ROW_ENCODER, _integration_texts

    made = cio_framework.priorities(cio_framework.builtin("pudong-2016")).priorities
    odd = [
        attrs.evolve(made[0], score=math.nan),
        attrs.evolve(made[0], score=-math.inf, cost=2),
        attrs.evolve(made[0], id="连接-\u202e\x85", explanation='"quoted"\n\\', evidence=SOURCED),
        attrs.evolve(made[0], decided_by=None, jurisdiction="j", accountable=["a", "b"]),
        attrs.evolve(made[0], score=True),
        attrs.evolve(made[0], evidence=attrs.evolve(made[0].evidence, more=True)),
        attrs.evolve(made[0], evidence=attrs.evolve(made[0].evidence, more=1)),
    ]
    assert not made[0].evidence.sourced  # its bases are written
    integrations = [*made, *odd]
    texts = list(_integration_texts(integrations))
    assert texts == [_ROW_ENCODER.encode(i.to_dict()) for i in integrations]


@pytest.mark.parametrize(
    ("argv", "finished"),
    [
        (["validate", "BROKEN"], 1),  # an invalid scenario's problems are written last
        (["diff", "pudong-2016", "us-federal"], 1),  # versions that differ
        (["islands", "pudong-2016"], 0),
    ],
)
def test_a_reader_gone_away_is_never_success(argv, finished, tmp_path):
    """Standard output whose reader has gone away: 141, as a shell reports a
    command a broken pipe stopped, whatever the command would have said."""
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    argv = [str(broken) if a == "BROKEN" else a for a in argv]
    command = [sys.executable, "-m", "cio_framework", *argv]
    assert subprocess.run(command, capture_output=True, check=False).returncode == finished
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        process.stdout.close()  # the reader goes away before anything is written
        err = process.stderr.read()
        assert process.wait() == 141
    assert err == b""


def test_islands_counts_are_written_in_the_singular_for_one(capsys):
    code, out, _ = run(capsys, "islands", "pudong-2016")
    assert code == 0
    assert out.splitlines()[0] == "4 groups, 3 islands, 1 isolated system"


@pytest.mark.parametrize(
    "argv", [["diff", "-", "-"], ["validate", "-", "pudong-2016", "-"], ["compare", "-", "-"]]
)
def test_standard_input_named_twice_is_a_usage_error(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert "standard input (-) is read once" in err


def test_problems_merged_at_one_place_name_aliases_only_in_yaml():
    from cio_framework.exceptions import ConfigError, Problem

    def merged(file):
        same = [Problem(message="bad", code="bad-value", file=file, line=1)] * 2
        (problem,) = ConfigError.from_problems(same).problems
        return problem.message

    assert "YAML aliases" in merged("a.yaml")
    assert merged("model.xml") == "bad (2 times here)"


def test_an_empty_roadmap_names_its_budget(capsys):
    code, out, _ = run(capsys, "priorities", "pudong-2016", "--budget", "0")
    assert code == 0
    assert out == "No integration to suggest within the budget of 0.\n"


def test_a_reader_gone_after_a_few_bytes_of_a_large_document_is_never_success():
    """A document written at once (synth, an export, JSON) into a reader that
    stops after a few bytes: 141, not 0 with the rest silently lost."""
    command = [sys.executable, "-m", "cio_framework", "synth", "--systems", "3000"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert len(process.stdout.read(100)) == 100
        process.stdout.close()
        process.stderr.read()
        assert process.wait() == 141


def test_a_file_name_cannot_forge_a_line_of_validate(tmp_path, capsys):
    fake = "forged.yaml: valid (0 errors, 0 warnings, 0 notes)"
    for body in (BROKEN, WARNED):
        path = tmp_path / f"x\n{fake}\n.yaml"
        path.write_text(body, encoding="utf-8")
        main(["validate", str(path)])
        out, err = capsys.readouterr()
        lines = (out + err).splitlines()
        assert fake not in lines
        assert all(line.startswith(str(path).split("\n")[0]) for line in lines), lines
