"""Errors stay bounded: aliased problems once, a cap per file, short excerpts, cheap JSON positions."""

from __future__ import annotations

import pytest

import cio_framework
from cio_framework import ConfigError
from cio_framework.cli import main
from cio_framework.exceptions import PROBLEMS_PER_FILE, Problem

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
