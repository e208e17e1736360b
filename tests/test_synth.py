"""``synth`` writes scenarios that pass ``validate``, deterministically, and says they are invented."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework.cli import main
from cio_framework.model import RoleKind
from cio_framework.synth import synth_text

sizes = st.integers(min_value=1, max_value=300)
seeds = st.integers(min_value=-(2**63), max_value=2**63)
formats = st.sampled_from(["yaml", "json"])


@settings(max_examples=40)
@given(systems=sizes, seed=seeds, format=formats)
def test_synthetic_scenarios_have_no_error_findings(systems, seed, format):
    """Whatever the size and seed, the text loads and the checks find no error."""
    scenario = cio_framework.loads(synth_text(systems, seed=seed, format=format))
    assert len(scenario.systems) == systems
    assert cio_framework.check(scenario).errors == ()


@settings(max_examples=20)
@given(systems=sizes, seed=seeds)
def test_every_pilot_department_has_a_held_departmental_cio(systems, seed):
    """Each pilot department has a departmental CIO role with a holder (the check's rule)."""
    scenario = cio_framework.loads(synth_text(systems, seed=seed))
    held = {
        role.department
        for role in scenario.roles
        if role.kind is RoleKind.DEPARTMENTAL_CIO and role.holder is not None
    }
    assert {d.id for d in scenario.departments if d.pilot} <= held


@settings(max_examples=20)
@given(systems=sizes, seed=seeds)
def test_yaml_and_json_give_the_same_scenario(systems, seed):
    """The two formats hold the same scenario."""
    from_yaml = cio_framework.loads(synth_text(systems, seed=seed))
    from_json = cio_framework.loads(synth_text(systems, seed=seed, format="json"))
    assert cio_framework.dumps(from_yaml) == cio_framework.dumps(from_json)


@settings(max_examples=10)
@given(systems=sizes, seed=seeds, format=formats)
def test_same_arguments_same_text(systems, seed, format):
    """The same size, seed and format always give the same text."""
    assert synth_text(systems, seed=seed, format=format) == synth_text(
        systems, seed=seed, format=format
    )


def test_the_scenario_says_it_is_invented():
    """The source and an illustrative note say the data is invented; governance is marked."""
    scenario = cio_framework.loads(synth_text(500, seed=2))
    assert scenario.source is not None
    assert "synth" in scenario.source
    assert any(note.illustrative and "invented" in note.text for note in scenario.notes)
    for kind in ("departments", "platforms", "people", "roles", "appraisals", "matters"):
        elements = getattr(scenario, kind)
        assert elements, kind
        assert all(element.illustrative for element in elements), kind


def test_the_json_text_is_plain_json():
    """JSON output is one JSON document with the same collections."""
    data = json.loads(synth_text(30, seed=4, format="json"))
    assert data["cio_framework"] == 2
    assert {"departments", "people", "roles", "appraisals", "systems", "exchanges"} <= set(data)


@pytest.mark.parametrize(
    ("systems", "seed", "name"),
    [(200, 1, "s.yaml"), (1, 0, "one.yaml"), (300, 99, "s.json")],
)
def test_cli_validate_accepts_synth_output(tmp_path, capsys, systems, seed, name):
    """``cio-framework validate`` exits 0 on what ``cio-framework synth`` writes."""
    target = tmp_path / name
    argv = ["synth", "--systems", str(systems), "--seed", str(seed), "-o", str(target)]
    assert main(argv) == 0
    assert main(["validate", str(target)]) == 0
    captured = capsys.readouterr()
    assert "valid (0 errors" in captured.out + captured.err
