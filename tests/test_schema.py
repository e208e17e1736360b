"""The JSON Schema generated from the model agrees with the loader."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given

import cio_framework
from cio_framework.cli import main
from cio_framework.config import json_schema
from cio_framework.testing import scenarios

DATA = Path(cio_framework.__file__).parent / "data"


@pytest.fixture(scope="module")
def validator():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def as_json(value):
    """YAML data as an editor sees it: dates are strings."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def errors(validator, data):
    return [e.message for e in validator.iter_errors(as_json(data))]


@pytest.mark.parametrize(
    "path", sorted(DATA.glob("*/*.yaml")), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_builtin_files_are_valid(validator, path):
    """Every built-in scenario and reference pack validates against the schema."""
    assert errors(validator, yaml.safe_load(path.read_text(encoding="utf-8"))) == []


@given(scenarios(max_elements=3))
def test_dumped_scenarios_are_valid(scenario):
    """Whatever dumps writes, the schema accepts."""
    schema = json_schema()
    validator = jsonschema.Draft202012Validator(schema)
    data = yaml.safe_load(cio_framework.dumps(scenario))
    assert [e.message for e in validator.iter_errors(as_json(data))] == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "cio_framework: 1\nname: x\nroles: [{id: r, title: R, level: support, colour: red}]\n",
            "colour",
        ),
        (
            "cio_framework: 1\nname: x\nroles: [{id: r, level: support}]\n",
            "'title' is a required property",
        ),
        (
            "cio_framework: 1\nname: x\ndepartments: [{id: d, name: D, pilot: 'yes'}]\n",
            "is not of type 'boolean'",
        ),
        (
            "cio_framework: 1\nname: x\nroles: [{id: r, title: R, level: s, kind: boss}]\n",
            "is not one of",
        ),
        ("cio_framework: 3\nname: x\n", "is not one of [1, 2]"),
        ("name: x\n", "'cio_framework' is a required property"),
        ("cio_framework: 1\nname: x\nchecks: {vacant-roles: off}\n", "vacant-roles"),
        ("cio_framework: 1\nname: x\ncriteria: [{id: c, name: C, weight: -1}]\n", "minimum of 0"),
        (
            "cio_framework: 1\nname: x\nbodies: [{id: b, name: B, meets_every_months: 0}]\n",
            "less than or equal to the minimum",
        ),
        ("cio_framework: 1\nname: x\nas_of: '2016-13-45'\n", "is not a 'date'"),
        ("cio_framework: 1\nname: x\nscenarios: [{id: w, changes: [{}]}]\n", "should be non-empty"),
        ("cio_framework: 1\nname: x\npriorities: {weights: {beauty: 1}}\n", "beauty"),
        (
            "cio_framework: 1\nname: x\npriorities: {weights: {cost: 2.0e+6}}\n",
            "maximum of 1000000",
        ),
    ],
)
def test_invalid_files_fail(validator, text, words):
    """A sample of invalid files fails the schema, as it fails loading."""
    data = yaml.safe_load(text)
    found = errors(validator, data)
    assert found
    assert any(words in message for message in found), found
    with pytest.raises(cio_framework.ConfigError):
        cio_framework.loads(text)


def test_schema_command(capsys, tmp_path):
    """cio-framework schema prints the schema, or writes it with -o."""
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json_schema()
    target = tmp_path / "schema.json"
    assert main(["schema", "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["$id"].endswith("scenario-2.json")
