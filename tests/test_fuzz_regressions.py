"""Findings of the atheris targets in fuzz/ (issue 12), each reduced to a test.

A test marked ``xfail(strict=True)`` here is an OPEN finding: a bug found by
fuzzing and not fixed yet. Its fuzz target skips that case while the bug
reproduces (``KNOWN_ISSUES`` in fuzz/fuzz_cli.py and fuzz/fuzz_dumps.py), so
that fuzzing goes on past it. Once the bug is fixed the test passes, which
the strict mark turns into a failure: remove the mark, and the target's
``KNOWN_ISSUES`` entry. Each test accepts any fix: a value the model refuses
is as good an answer as one that is written and read back.
"""

from __future__ import annotations

import pytest

import cio_framework
from cio_framework._escape import UNSAFE
from cio_framework.cli import main
from cio_framework.model import Candidate, Department, PrioritySettings, Scenario, System

# -- fuzz/fuzz_cli.py ------------------------------------------------------------


def test_wrote_line_escapes_the_output_path(capsys, tmp_path, monkeypatch):
    """-o FILE whose name holds control characters: 'wrote FILE' shows them as escapes."""
    monkeypatch.chdir(tmp_path)
    code = main(["schema", "-o", "out\x1b[2J\x07.json"])
    _, err = capsys.readouterr()
    assert code == 0, err
    assert (tmp_path / "out\x1b[2J\x07.json").exists()
    assert UNSAFE.search(err) is None, repr(err)


# -- fuzz/fuzz_dumps.py ----------------------------------------------------------


def _with_system(**fields):
    """A scenario of one department and one system with ``fields``, or None when
    the model refuses them (a refusal is an acceptable answer)."""
    try:
        system = System(id="s", name="S", department="d", **fields)
    except (ValueError, TypeError):
        return None
    return Scenario(name="N", departments=[Department(id="d", name="D")], systems=[system])


@pytest.mark.parametrize("where", ["extension", "users"])
def test_dumps_integer_beyond_decimal_limit(where):
    """An integer of 4,301 digits is refused by the model, or dumps writes it."""
    big = 10**4300
    if where == "extension":
        try:
            scenario = Scenario(name="N", extensions={"x-big": big})
        except (ValueError, TypeError):
            return
    else:
        scenario = _with_system(users=big)
    if scenario is None:
        return
    text = cio_framework.dumps(scenario)
    assert "x-big" in text or "users" in text


def test_float_field_integer_beyond_float_range():
    """annual_cost=10**309 is refused by the model, or dumps then loads gives it back."""
    scenario = _with_system(annual_cost=10**309)
    if scenario is None:
        return
    assert cio_framework.loads(cio_framework.dumps(scenario)) == scenario


def test_float_field_integer_beyond_2_53():
    """annual_cost=2**53 + 1 is refused or converted by the model, or reads back equal."""
    scenario = _with_system(annual_cost=2**53 + 1)
    if scenario is None:
        return
    assert cio_framework.loads(cio_framework.dumps(scenario)) == scenario


@pytest.mark.parametrize(
    "build",
    [
        lambda v: Candidate(person="p", role="r", scores={"c": v}),
        lambda v: PrioritySettings(weights={"cost": v}),
    ],
    ids=["candidate-scores", "priority-weights"],
)
def test_score_and_weight_validators_overflow(build):
    """A score or a factor weight of 10**309 is refused with ValueError, not OverflowError."""
    with pytest.raises((ValueError, TypeError)):
        build(10**309)


def test_dumps_writes_an_integer_of_any_size_where_the_model_does_not_check():
    """fuzz_dumps: a scenario name set to an integer of 4,301 digits (the model
    does not check the name's type) made dumps raise ValueError; it is
    written in hexadecimal, and reading it back is a located problem."""
    import attrs

    scenario = attrs.evolve(Scenario(name="N"), name=10**4300)
    text = cio_framework.dumps(scenario)
    assert text.splitlines()[1].startswith("name: 0x")
    with pytest.raises(cio_framework.ConfigError) as caught:
        cio_framework.loads(text)
    (problem,) = caught.value.problems
    assert (problem.code, problem.line) == ("bad-value", 2)
