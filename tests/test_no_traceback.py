"""No input and no environment makes the command line print a traceback (issue 12).

Each item of the issue's list has a test: an integer too large for a number
field or for Python, a next meeting after 9999-12-31, lone surrogates from
JSON, YAML 1.1 sexagesimal numbers, a closed or full standard output, Ctrl-C,
the HTML report of 500 nodes or more without scipy, and a bug anywhere (an
internal error: its own exit code and one line, never 1).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

import cio_framework
from cio_framework.cli import EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from cio_framework.data import builtin_text
from cio_framework.synth import synth_text

PUDONG = builtin_text("pudong-2016")


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def redirected(redirection, *argv, **kwargs):
    """Run ``python -m cio_framework ARGV`` in a subprocess, from a shell that
    applies ``redirection`` (``>&-`` closes standard output)."""
    command = ["sh", "-c", f'exec "$@" {redirection}', "sh", sys.executable, "-m", "cio_framework"]
    return subprocess.run(
        [*command, *map(str, argv)], text=True, timeout=120, check=False, **kwargs
    )


def pudong_json(**replace: str) -> str:
    """The Pudong scenario as JSON text, with strings replaced in the text."""
    text = json.dumps(_plain(), default=str)
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    return text


def _plain():
    return yaml.safe_load(PUDONG)


#: Where the first criterion's weight stands in the Pudong scenario: line:column.
WEIGHT_AT = f"{PUDONG[: PUDONG.index('    weight: 3')].count(chr(10)) + 1}:13"


# -- integers too large ------------------------------------------------------


@pytest.mark.parametrize("digits", [309, 400, 4301])
def test_huge_integer_in_number_field_is_a_located_problem(capsys, tmp_path, digits):
    """An integer of 309 or more digits in a number field is a located problem (already fixed)."""
    path = tmp_path / "big.yaml"
    path.write_text(PUDONG.replace("    weight: 3\n", f"    weight: {'9' * digits}\n", 1))
    code, out, _ = run(capsys, "validate", path)
    assert code == EXIT_INVALID
    assert f"{path}:{WEIGHT_AT}: error:" in out


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_integer_over_4300_digits_under_x_is_a_located_problem(capsys, tmp_path, fmt):
    """More than 4,300 digits is a located problem even under x- (already fixed)."""
    big = "9" * 4400
    if fmt == "yaml":
        path = tmp_path / "big.yaml"
        assert PUDONG.count("\ncio_framework: 2\n") == 1
        path.write_text(
            PUDONG.replace("\ncio_framework: 2\n", f"\ncio_framework: 2\nx-big: {big}\n")
        )
    else:
        path = tmp_path / "big.json"
        path.write_text(json.dumps({"x-big": 0, **_plain()}, default=str).replace("0", big, 1))
    code, out, _ = run(capsys, "validate", path)
    assert code == EXIT_INVALID
    assert "more than 4,300 digits" in out


# -- a next meeting after 9999-12-31 -----------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["agenda"],
        ["agenda", "--format", "json"],
        ["report"],
        ["report", "--format", "markdown"],
        ["report", "--format", "json"],
        ["report", "--format", "html"],
    ],
)
def test_next_meeting_after_the_calendar(capsys, tmp_path, argv):
    """A valid scenario whose next meeting falls after 9999-12-31: every report works."""
    path = tmp_path / "late.yaml"
    path.write_text(PUDONG.replace("date: 2016-11-15", "date: 9999-12-01"))
    code, out, err = run(capsys, *argv, path)
    assert code == EXIT_OK, err
    if argv == ["agenda"]:
        assert "(date not known)" in out
    if argv[-1] == "json" and argv[0] == "agenda":
        assert json.loads(out)["date"] is None


# -- lone surrogates from JSON -----------------------------------------------


def _surrogates(tmp_path: Path) -> Path:
    path = tmp_path / "s.json"
    path.write_text(
        pudong_json(
            **{
                '"Pudong New Area government CIO pilot (2016)"': '"Pudong \\ud800 \\udfff"',
                '"Wang Jing"': '"Wang \\udc80 Jing"',
                '"Environmental Protection Bureau"': '"EPB \\ud83d"',
            }
        ),
        encoding="utf-8",
    )
    return path


def test_lone_surrogate_at_output_file(capsys, tmp_path):
    """-o escapes a lone surrogate as standard output does (already fixed)."""
    target = tmp_path / "r.txt"
    code, _, err = run(capsys, "report", _surrogates(tmp_path), "-o", target)
    assert code == EXIT_OK, err
    assert target.read_text(encoding="utf-8").startswith("Pudong \\ud800 \\udfff\n")


def test_lone_surrogate_dumps_and_dump(tmp_path):
    """dumps() and dump() write a lone surrogate as the text \\udXXX, which reads back."""
    source = '{"cio_framework": 1, "name": "a\\ud800b", "x-\\udfff": ["\\udc80", {"\\ud83d": 1}]}'
    scenario = cio_framework.loads(source)
    text = cio_framework.dumps(scenario)
    # the same scenario, each surrogate's escape written out as text
    assert cio_framework.loads(text) == cio_framework.loads(source.replace("\\u", "\\\\u"))
    assert cio_framework.loads(text).name == "a\\ud800b"
    target = tmp_path / "out.yaml"
    cio_framework.dump(scenario, target)
    assert target.read_text(encoding="utf-8") == text


def test_lone_surrogate_in_html_report_with_pictures(capsys, tmp_path):
    """The HTML report draws a lone surrogate in a name as an escape (ids
    refuse surrogates, see test_hostile_values)."""
    pytest.importorskip("matplotlib")
    target = tmp_path / "r.html"
    code, _, err = run(capsys, "report", _surrogates(tmp_path), "--format", "html", "-o", target)
    assert code == EXIT_OK, err
    page = target.read_text(encoding="utf-8")
    assert page.count("<svg") == 3
    assert "Pudong \\ud800 \\udfff" in page


def test_lone_surrogate_in_pictures():
    """Each picture function draws a lone surrogate as an escape."""
    pytest.importorskip("matplotlib")
    from cio_framework.plot import figure_svg, plot_landscape, plot_org_chart, plot_priorities

    scenario = cio_framework.loads(_surrogates_text())
    for draw in (plot_landscape, plot_org_chart, plot_priorities):
        assert figure_svg(draw(scenario)).lstrip().startswith("<svg")


def _surrogates_text() -> str:
    return pudong_json(
        **{
            '"Wang Jing"': '"Wang \\udc80 Jing"',
            '"Environmental Protection Bureau"': '"EPB \\ud800"',
            '"Regular CIO meeting"': '"Regular \\udfff meeting"',
        }
    )


# -- YAML 1.1 sexagesimal numbers --------------------------------------------


def test_sexagesimal_integer_reads_and_dumps(tmp_path):
    """1:30:00 is YAML 1.1 for 5400; it loads and dumps back equal (already fixed)."""
    scenario = cio_framework.loads("cio_framework: 1\nname: N\nx-a: 1:30:00\nx-b: -1:30\n")
    assert dict(scenario.extensions) == {"x-a": 5400, "x-b": -90}
    assert cio_framework.loads(cio_framework.dumps(scenario)) == scenario


def test_long_sexagesimal_integer_is_a_located_problem_in_linear_time(capsys, tmp_path):
    """A sexagesimal integer too long to build is refused before it is built (already fixed)."""
    path = tmp_path / "s.yaml"
    path.write_text("cio_framework: 1\nname: N\nx-a: 1" + ":59" * 200_000 + "\n")
    start = time.perf_counter()
    code, out, _ = run(capsys, "validate", path)
    assert time.perf_counter() - start < 10
    assert code == EXIT_INVALID
    assert f"{path}:3:6: error: the integer has more than 4,300 digits" in out


@pytest.mark.parametrize("parts", [200, 100_000])
def test_sexagesimal_float_beyond_a_float_is_infinite_like_1e400(capsys, tmp_path, parts):
    """1:59:...:59.5 beyond a float's range loads as inf under x-, as 1e400 does."""
    value = "1" + ":59" * parts + ".5"
    scenario = cio_framework.loads(f"cio_framework: 1\nname: N\nx-a: {value}\nx-b: -{value}\n")
    assert dict(scenario.extensions) == {"x-a": float("inf"), "x-b": float("-inf")}
    path = tmp_path / "s.yaml"
    path.write_text(PUDONG.replace("    weight: 3\n", f"    weight: {value}\n", 1))
    code, out, _ = run(capsys, "validate", path)
    assert code == EXIT_INVALID
    assert f"{path}:{WEIGHT_AT}: error:" in out


def test_sexagesimal_float_in_range_is_unchanged():
    """A sexagesimal float within range is still PyYAML's value."""
    text = "cio_framework: 1\nname: N\nx-a: 1:30.5\nx-b: -190:20:30.15\n"
    scenario = cio_framework.loads(text)
    assert dict(scenario.extensions) == {"x-a": 90.5, "x-b": yaml.safe_load(text)["x-b"]}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("!!int abc", "an integer"),
        ("!!int ''", "an integer"),
        ("!!int 0x", "an integer"),
        ("!!float abc", "a number"),
        ("!!float ''", "a number"),
        ("!!bool maybe", "true or false"),
        ("!!timestamp soon", "a date YYYY-MM-DD"),
    ],
)
def test_explicit_tag_on_wrong_text_is_a_located_problem(capsys, tmp_path, value, expected):
    """An explicit !!int, !!float, !!bool or !!timestamp on text that is not one is located."""
    path = tmp_path / "s.yaml"
    path.write_text(f"cio_framework: 1\nname: N\nx-a: {value}\n")
    code, out, _ = run(capsys, "validate", path)
    assert code == EXIT_INVALID
    assert out.startswith(f"{path}:3:6: error: ")
    assert f" is not {expected}, as its tag !!" in out


@pytest.mark.parametrize(
    "value", ["!!int 1:30", "!!float 1", "!!bool yes", "!!timestamp 2016-05-16"]
)
def test_explicit_tag_on_right_text_still_reads(value):
    """An explicit tag on text that fits it reads as PyYAML reads it."""
    text = f"cio_framework: 1\nname: N\nx-a: {value}\n"
    assert cio_framework.loads(text).extensions["x-a"] == yaml.safe_load(text)["x-a"]


# -- standard output closed or full ------------------------------------------


def test_closed_standard_output():
    """With standard output closed a command says so in one line and exits 2."""
    result = redirected(">&-", "islands", "pudong-2016", stderr=subprocess.PIPE)
    assert result.returncode == EXIT_USAGE, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "cio-framework: error: cannot write standard output: it is closed"
    ]


def test_closed_standard_output_is_not_needed_with_output_file(tmp_path):
    """-o FILE works with standard output closed."""
    target = tmp_path / "r.txt"
    result = redirected(">&-", "report", "pudong-2016", "-o", target, stderr=subprocess.PIPE)
    assert result.returncode == EXIT_OK, result.stderr
    assert target.read_text(encoding="utf-8").startswith("Pudong")


def test_closed_standard_error():
    """With standard error closed the exit code still tells what happened."""
    result = redirected("2>&-", "validate", "no-such-file.yaml", stdout=subprocess.PIPE)
    assert result.returncode == EXIT_USAGE
    assert result.stdout == ""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("argv", [["example"], ["report", "--format", "html"]])
def test_full_standard_output(argv):
    """Standard output on a full device is one line and exit 2, not a traceback."""
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "cio_framework", *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == EXIT_USAGE, result.stderr
    assert result.stderr.splitlines() == [
        "cio-framework: error: cannot write standard output: No space left on device"
    ]


# -- Ctrl-C ------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_exits_130_quietly(tmp_path):
    """SIGINT during a long command: exit 130, no traceback, no partial output file."""
    scenario = tmp_path / "big.yaml"
    scenario.write_text(synth_text(6000, seed=1), encoding="utf-8")
    # The interpreter is told to start once the CLI is imported: a Ctrl-C
    # while Python imports the package is outside main().
    start = (
        "import sys; from cio_framework.cli import main; "
        "print('ready', file=sys.stderr, flush=True); sys.exit(main(sys.argv[1:]))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", start, "brokers", str(scenario), "--exact"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    assert process.stderr.readline() == "ready\n"
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert out == ""


def test_ctrl_c_in_process(capsys, monkeypatch):
    """KeyboardInterrupt anywhere in a command is exit 130 and nothing else."""

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("cio_framework.cli.islands", interrupted)
    code, out, err = run(capsys, "islands", "pudong-2016")
    assert (code, out, err) == (130, "", "")


# -- the HTML report of 500 nodes or more, without scipy ---------------------


def test_html_report_on_500_nodes_without_scipy(capsys, tmp_path, monkeypatch):
    """The HTML report draws a landscape of 500 nodes or more without scipy."""
    pytest.importorskip("matplotlib")
    from cio_framework.graph import to_networkx

    monkeypatch.setitem(sys.modules, "scipy", None)  # import scipy fails even if installed
    with pytest.raises(ImportError):
        import scipy  # noqa: F401
    path = tmp_path / "big.yaml"
    path.write_text(synth_text(560, seed=0), encoding="utf-8")
    assert to_networkx(cio_framework.load(path)).number_of_nodes() >= 500
    target = tmp_path / "r.html"
    code, _, err = run(capsys, "report", path, "--format", "html", "-o", target)
    assert code == EXIT_OK, err
    page = target.read_text(encoding="utf-8")
    # the page leaves a landscape this large out (its size is bounded) ...
    assert page.count("<svg") == 2
    assert "The landscape picture is left out" in page
    # ... and the picture itself is drawn all the same
    from cio_framework.plot import figure_svg, plot_landscape

    assert figure_svg(plot_landscape(cio_framework.load(path))).lstrip().startswith("<svg")


def test_large_landscape_layout_is_deterministic(monkeypatch):
    """From 500 nodes the landscape is laid out the same way every time, scipy or not."""
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    from cio_framework.plot import plot_landscape

    monkeypatch.setitem(sys.modules, "scipy", None)
    scenario = cio_framework.loads(synth_text(560, seed=3))
    first = plot_landscape(scenario, labels=False)
    second = plot_landscape(scenario, labels=False)
    offsets = [
        [c.get_offsets().tolist() for c in ax.collections if hasattr(c, "get_offsets")]
        for ax in (first, second)
    ]
    plt.close("all")
    assert offsets[0] == offsets[1]
    assert offsets[0]


# -- internal errors ---------------------------------------------------------


def test_internal_error_is_one_line_with_its_own_code(capsys, monkeypatch):
    """A bug is exit 70 and one line saying it is a bug and how to report it; never 1."""

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero\nsecond line \x1b[2J\u2028third")

    monkeypatch.setattr("cio_framework.cli.islands", broken)
    code, out, err = run(capsys, "islands", "pudong-2016")
    assert code == EXIT_INTERNAL == 70
    assert out == ""
    (line,) = err.splitlines()
    assert line.startswith("cio-framework: internal error (a bug): ZeroDivisionError: ")
    assert "\\x1b" in line
    assert "report" in line
    assert "CIO_FRAMEWORK_TRACEBACK=1" in line


def test_internal_error_traceback_on_request(capsys, monkeypatch):
    """CIO_FRAMEWORK_TRACEBACK=1 prints the traceback of an internal error too."""

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("cio_framework.cli.islands", broken)
    monkeypatch.setenv("CIO_FRAMEWORK_TRACEBACK", "1")
    code = main(["islands", "pudong-2016"])
    _, err = capsys.readouterr()
    assert code == EXIT_INTERNAL
    assert "Traceback" in err
    assert err.rstrip().splitlines()[-1].startswith("cio-framework: internal error (a bug)")


def test_out_of_memory_is_not_called_a_bug(capsys, monkeypatch):
    """MemoryError is exit 70 with its own message."""

    def hungry(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr("cio_framework.cli.islands", hungry)
    code, _, err = run(capsys, "islands", "pudong-2016")
    assert code == EXIT_INTERNAL
    assert err.splitlines() == ["cio-framework: error: out of memory"]
