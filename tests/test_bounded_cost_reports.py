"""Bounded cost on hostile shapes (issue 12, section 5): long chains and big reports.

Long chains
-----------
A reporting chain of 40,000 roles once took ``validate`` 260 s: a check
walked the chain from every role, O(n²) work. Every kind of chain (solid
reporting lines, a chain whose top is not strategic, a reporting cycle,
dotted lines, department parents, a parent cycle) is built here at two
sizes :data:`FACTOR` times apart, and each command's library call must do
about linearly more work on the larger one. Work is counted in Python
function calls (cProfile), which a busy machine does not disturb; one
timed test, for the issue's own example, catches loops that run in C.

The HTML report
---------------
At 10,000 systems the HTML page once took 237 s and weighed 23 MB: every
table in full and a picture of every system and exchange. Its tables now
show at most ``TABLE_ROWS`` rows, cells a bounded number of ids and
characters, and a picture too large to read is left out with a note; the
page for 8x the systems is at most about as large.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import cio_framework
from cio_framework.model import Department, Note, Role, Scenario
from cio_framework.report import html as html_report
from cio_framework.report import render_report
from cio_framework.report.html import render_html
from cio_framework.synth import synth_text
from measure import best_times, calls

#: the two sizes of a chain, FACTOR apart
SMALL, LARGE = 500, 4_000
FACTOR = LARGE // SMALL
#: the largest ratio of the counted calls accepted: linear work measures
#: about FACTOR, n log n work a little more, and the quadratic walks 40 to 64
CALL_BOUND = 2.0 * FACTOR


def _roles(n: int, *, top: str = "strategic", cycle: bool = False, dotted: bool = False):
    """``n`` roles, role i reporting to role i - 1 (or by dotted line only)."""
    roles = []
    for i in range(n):
        boss = f"r{i - 1}" if i else (f"r{n - 1}" if cycle else None)
        roles.append(
            Role(
                id=f"r{i}",
                title=f"Role {i}",
                level=top if i == 0 else "support",
                reports_to=("r0" if i else None) if dotted else boss,
                dotted_lines=[f"r{i - 1}"] if dotted and i else [],
            )
        )
    return roles


def _departments(n: int, *, cycle: bool = False):
    """``n`` departments, department i the child of department i - 1."""
    return [
        Department(
            id=f"d{i}",
            name=f"Department {i}",
            parent=f"d{i - 1}" if i else (f"d{n - 1}" if cycle else None),
        )
        for i in range(n)
    ]


SHAPES: dict[str, Callable[[int], Scenario]] = {
    "reporting chain": lambda n: Scenario(name="chain", roles=_roles(n)),
    "reporting chain under a support role": lambda n: Scenario(
        name="chain", roles=_roles(n, top="support")
    ),
    "reporting cycle": lambda n: Scenario(name="cycle", roles=_roles(n, cycle=True)),
    "dotted-line chain": lambda n: Scenario(name="dotted", roles=_roles(n, dotted=True)),
    "department chain": lambda n: Scenario(name="parents", departments=_departments(n)),
    "department cycle": lambda n: Scenario(name="parents", departments=_departments(n, cycle=True)),
}

COMMANDS: dict[str, Callable[[Scenario], Any]] = {
    "validate (checks)": cio_framework.check,
    "summary": cio_framework.summarize,
    "agenda": cio_framework.agenda,
    "report text": lambda s: render_report(s, "text"),
    "report markdown": lambda s: render_report(s, "markdown"),
    "report json": lambda s: render_report(s, "json"),
    "report html tables": lambda s: render_html(s, pictures=False),
}


@pytest.fixture(scope="module")
def chains() -> dict[tuple[str, int], Scenario]:
    """Each shape at both sizes, validated once (so that the counts are the command's own)."""
    built = {(shape, n): make(n) for shape, make in SHAPES.items() for n in (SMALL, LARGE)}
    for scenario in built.values():
        assert cio_framework.validate(scenario) == ()
    return built


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_long_chain_costs_linear_work(chains, shape, command):
    """A chain 8x longer costs each command at most about 8x the work."""
    function = COMMANDS[command]
    small = calls(function, chains[shape, SMALL])
    large = calls(function, chains[shape, LARGE])
    assert large <= CALL_BOUND * small, (
        f"{command} on a {shape}: {small:,} calls at {SMALL:,}, {large:,} at {LARGE:,}"
    )


#: the timed sizes, and the largest ratio of their times accepted
#: (test_scaling's bound for the same factor: linear code measures 11 to 37)
TIMED_SMALL, TIMED_LARGE = 1_000, 16_000
TIMED_FACTOR = TIMED_LARGE // TIMED_SMALL
TIME_BOUND = 64.0

TIMED = {
    # the example: a check walked the chain from every role
    ("validate (checks)", "reporting chain"),
    # the text report looked each role up by scanning every role, in a
    # generator that counted calls do not see
    ("report text", "dotted-line chain"),
    # the summary's depth walk asked "in chain" of a list: on a cycle, every
    # role walked the whole cycle with a scan at each step
    ("summary", "reporting cycle"),
}


@pytest.mark.parametrize(("command", "shape"), sorted(TIMED))
def test_a_long_chain_takes_linear_time(command, shape):
    """Timed, for loops that counting calls cannot see: a chain 16x longer
    takes at most about 16x the time (the quadratic code measured over 150)."""
    small, large = (SHAPES[shape](n) for n in (TIMED_SMALL, TIMED_LARGE))
    for scenario in (small, large):
        cio_framework.validate(scenario)
    fast, slow = best_times(COMMANDS[command], small, large, factor=TIMED_FACTOR)
    assert slow / fast < TIME_BOUND, (
        f"{command} on a {shape}: {slow:.3f} s at {TIMED_LARGE:,} against {fast:.4f} s "
        f"at {TIMED_SMALL:,}: {slow / fast:.0f}x"
    )


# --------------------------------------------------------------------------
# The HTML report: a page of bounded size


@pytest.fixture(scope="module")
def landscapes() -> dict[int, Scenario]:
    """Synthetic landscapes of 1,000 and 8,000 systems (2 exchanges each)."""
    return {
        n: cio_framework.loads(synth_text(n, seed=5, format="json", exchanges_per_system=2))
        for n in (1_000, 8_000)
    }


def test_the_html_page_does_not_grow_with_the_landscape(landscapes):
    """With pictures, the page for 8x the systems is at most twice as large, and
    under 400 bytes a system at 1,000 (it was 1,000 to 2,300)."""
    pytest.importorskip("matplotlib")
    small, large = (len(render_html(landscapes[n]).encode()) for n in (1_000, 8_000))
    assert small <= 400 * 1_000, f"{small:,} bytes at 1,000 systems"
    assert large <= 2 * small, f"{large:,} bytes at 8,000 systems against {small:,} at 1,000"


def test_a_landscape_too_large_to_draw_is_left_out_with_a_note(landscapes):
    """Above LANDSCAPE_NODES nodes the page has no landscape picture, and says why."""
    pytest.importorskip("matplotlib")
    page = render_html(landscapes[1_000])
    assert "Information landscape: each group" not in page
    assert "The landscape picture is left out: 1,0" in page
    assert "Integration priorities, split by factor" in page


def test_a_large_organisation_chart_is_left_out_with_a_note(chains):
    """A reporting chain of 4,000 roles: no chart of 4,000 boxes, a note instead,
    and a page of a few tens of kilobytes (it was 6 MB, drawn in 15 s)."""
    pytest.importorskip("matplotlib")
    page = render_html(chains["reporting chain", LARGE])
    assert "<figure>" not in page
    assert "The organisation chart is left out: 4,000 roles and bodies" in page
    assert len(page.encode()) <= 64_000


def test_a_small_organisation_chart_is_still_drawn():
    """Up to CHART_BOXES roles and bodies the chart is drawn."""
    pytest.importorskip("matplotlib")
    scenario = Scenario(name="chain", roles=_roles(html_report.CHART_BOXES))
    page = render_html(scenario)
    assert page.count("<figure>") == 1
    assert "left out" not in page


def test_long_tables_are_cut_and_counted(chains):
    """Over 4,000 findings and a level of 3,999 roles: a bounded table counted by check,
    TABLE_ROWS findings and a count of the rest, ids cut with a count."""
    scenario = chains["reporting chain", LARGE]
    page = render_html(scenario, pictures=False)
    rows = html_report.TABLE_ROWS
    findings = len(cio_framework.check(scenario).findings)
    assert findings > LARGE
    assert page.count("<tr>") < 3 * rows
    assert f"… and {findings - rows:,} more findings" in page
    assert f"… and {LARGE - 1 - html_report.CELL_IDS:,} more</td>" in page
    assert "<td>vacant-role</td><td>4000</td>" in page


def test_a_long_cell_is_cut_and_counted():
    """A name of 100,000 characters shows CELL_CHARS of them and counts the rest."""
    name = "x" * 100_000
    scenario = Scenario(
        name="long",
        roles=[Role(id="r", title="R", level="strategic")],
        notes=[Note(id="n", text=name)],
    )
    page = render_html(scenario, pictures=False)
    assert f"{'x' * html_report.CELL_CHARS}… (" in page
    assert len(page) < 20_000


def test_the_page_is_the_same_on_every_run():
    """Pictures included, the same scenario gives the same page (no date, no random ids)."""
    pytest.importorskip("matplotlib")
    pudong = cio_framework.builtin("pudong-2016")
    assert render_html(pudong) == render_html(pudong)
