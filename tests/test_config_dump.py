"""Writing scenarios: lossless round trip and atomic files."""

from __future__ import annotations

import os

import pytest
from hypothesis import given

import cio_framework
from cio_framework.data import BUILTIN_SCENARIOS
from cio_framework.model import Department, Person
from cio_framework.testing import make_scenario, scenarios


@given(scenarios())
def test_round_trip_is_lossless(scenario):
    """loads(dumps(s)) == s for generated scenarios."""
    assert cio_framework.loads(cio_framework.dumps(scenario)) == scenario


@given(scenarios(max_elements=3))
def test_dump_is_stable(scenario):
    """Dumping a loaded dump gives the same text again."""
    text = cio_framework.dumps(scenario)
    assert cio_framework.dumps(cio_framework.loads(text)) == text


@pytest.mark.parametrize("name", BUILTIN_SCENARIOS)
def test_builtin_scenarios_round_trip(name, tmp_path):
    """Every built-in scenario survives dump then load."""
    scenario = cio_framework.builtin(name)
    path = tmp_path / "out.yaml"
    cio_framework.dump(scenario, path)
    assert cio_framework.load(path) == scenario


def test_defaults_are_left_out():
    """Fields equal to their defaults are not written."""
    text = cio_framework.dumps(make_scenario())
    assert "illustrative" not in text
    assert "extensions" not in text
    assert "levels" not in text
    assert text.startswith("cio_framework: 2\nname: Test scenario\n")


def test_strings_that_look_like_other_types_are_quoted():
    """Strings such as 'no', '2016-01-01' and '12' come back as strings."""
    people = [Person(id=value, name=value) for value in ("no", "2016-01-01", "12", "null", "off")]
    scenario = make_scenario(people=people, roles=[], bodies=[], responsibilities=[])
    back = cio_framework.loads(cio_framework.dumps(scenario))
    assert [p.name for p in back.people] == ["no", "2016-01-01", "12", "null", "off"]


def test_extension_data_is_written_back():
    """x- keys are preserved through dump."""
    scenario = make_scenario(
        departments=[Department(id="epb", name="EPB", extensions={"x-code": {"a": [1, 2]}})],
        roles=[],
        bodies=[],
        responsibilities=[],
        appraisals=[],
    )
    text = cio_framework.dumps(scenario)
    assert "x-code:" in text
    assert cio_framework.loads(text).departments[0].extensions == {"x-code": {"a": (1, 2)}}


def test_chinese_text_is_written_as_is():
    """Non-ASCII text is written readably, not escaped."""
    text = cio_framework.dumps(make_scenario(name="浦东新区政府CIO试点"))
    assert "浦东新区政府CIO试点" in text


def test_dump_replaces_an_existing_file(tmp_path):
    """dump overwrites the target and leaves no temporary file behind."""
    path = tmp_path / "s.yaml"
    path.write_text("old", encoding="utf-8")
    cio_framework.dump(make_scenario(), path)
    assert cio_framework.load(path) == make_scenario()
    assert sorted(os.listdir(tmp_path)) == ["s.yaml"]


def test_interrupted_dump_keeps_the_old_file(tmp_path, monkeypatch):
    """When the final rename fails, the old file is intact and no temp file stays."""
    path = tmp_path / "s.yaml"
    path.write_text("old contents", encoding="utf-8")

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        cio_framework.dump(make_scenario(), path)
    assert path.read_text(encoding="utf-8") == "old contents"
    assert sorted(os.listdir(tmp_path)) == ["s.yaml"]


def test_check_setting_off_round_trips():
    """A check switched off is written so that YAML does not read it as false."""
    scenario = make_scenario(checks={"vacant-role": "off"})
    text = cio_framework.dumps(scenario)
    assert cio_framework.loads(text) == scenario
