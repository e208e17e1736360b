"""Code-built data: structure() and unstructure(), JSON text, dump by suffix."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping

import pytest
from hypothesis import given

import cio_framework
from cio_framework import ConfigError
from cio_framework.data import BUILTIN_SCENARIOS
from cio_framework.testing import make_scenario, scenarios


def json_exact(scenario):
    """Whether every extension value is JSON data already: string keys, no
    dates (data_to_json's documented exceptions)."""

    def exact(value):
        if isinstance(value, Mapping):
            return all(isinstance(k, str) and exact(v) for k, v in value.items())
        if isinstance(value, tuple):
            return all(exact(v) for v in value)
        return not isinstance(value, dt.date)

    holders = [scenario, *(element for _, element in scenario.elements())]
    return all(exact(getattr(h, "extensions", {})) for h in holders)


@given(scenarios())
def test_structure_inverts_unstructure(scenario):
    """structure(unstructure(s)) == s when the extension data is JSON data;
    unstructure is plain JSON data, and a fixed point after one trip."""
    data = cio_framework.unstructure(scenario)
    assert json.loads(json.dumps(data)) == data  # dicts, lists, str, numbers, bool, None only
    assert next(iter(data)) == "cio_framework"
    back = cio_framework.structure(data)
    assert cio_framework.unstructure(back) == data
    if json_exact(scenario):
        assert back == scenario


@given(scenarios())
def test_json_text_round_trips(scenario):
    """loads(dumps(s, format="json")) == s when the extension data is JSON
    data, and the JSON text is the data."""
    text = cio_framework.dumps(scenario, format="json")
    assert json.loads(text) == cio_framework.unstructure(scenario)
    back = cio_framework.loads(text)
    assert cio_framework.dumps(back, format="json") == text
    if json_exact(scenario):
        assert back == scenario


def test_extension_data_json_cannot_say_comes_back_as_json_says_it():
    """A date becomes its ISO string, an integer key a string key; infinity
    stays infinity."""
    scenario = make_scenario(
        extensions={"x-when": dt.date(2016, 5, 16), "x-codes": {1: "a"}, "x-cap": math.inf}
    )
    back = cio_framework.loads(cio_framework.dumps(scenario, format="json"))
    assert dict(back.extensions) == {
        "x-when": "2016-05-16",
        "x-codes": {"1": "a"},
        "x-cap": math.inf,
    }


@pytest.mark.parametrize("name", BUILTIN_SCENARIOS)
def test_builtins_speak_the_same_data_in_both_formats(name):
    """The YAML and the JSON text of a built-in hold the same data."""
    import yaml

    scenario = cio_framework.builtin(name)
    from_yaml = yaml.safe_load(cio_framework.dumps(scenario))
    from_json = json.loads(cio_framework.dumps(scenario, format="json"))
    # YAML reads dates as dates; the data speaks them as strings
    assert json.loads(json.dumps(from_yaml, default=dt.date.isoformat)) == from_json


def test_dates_are_strings_and_dates_are_accepted():
    """Dates come out as ISO strings; structure() takes a date or its string."""
    scenario = make_scenario(as_of=dt.date(2016, 5, 16))
    data = cio_framework.unstructure(scenario)
    assert data["as_of"] == "2016-05-16"
    assert cio_framework.structure({**data, "as_of": dt.date(2016, 5, 16)}) == scenario


def test_a_lone_surrogate_survives_json():
    """A name holding a lone surrogate (only a JSON escape makes one) comes back exactly."""
    scenario = make_scenario(description="a\ud800b")
    text = cio_framework.dumps(scenario, format="json")
    assert text.encode("utf-8")  # writable as UTF-8: the surrogate is escaped
    assert cio_framework.loads(text) == scenario


def test_structure_locates_problems_by_path_only():
    """A bad element is reported at its path in the data, with no line of a text never shown."""
    data = {
        "cio_framework": 2,
        "name": "Example",
        "departments": [{"id": "a", "name": "A"}],
        "systems": [{"id": "s", "name": "S", "department": "nowhere"}],
    }
    with pytest.raises(ConfigError) as caught:
        cio_framework.structure(data, name="inventory")
    (problem,) = caught.value.problems
    assert problem.path == "$.systems[0].department"
    assert problem.code == "dangling-reference"
    assert (problem.file, problem.line, problem.column, problem.source_line) == (
        "inventory",
        None,
        None,
        None,
    )


@pytest.mark.parametrize("value", [{1, 2}, object(), b"bytes"])
def test_structure_refuses_what_is_not_data(value):
    """A set, an object or bytes is a located problem, not a crash."""
    data = {"cio_framework": 2, "name": "x", "x-odd": value}
    with pytest.raises(ConfigError) as caught:
        cio_framework.structure(data)
    assert caught.value.problems[0].code == "wrong-type"


@pytest.mark.parametrize(
    ("suffix", "first"), [(".json", "{"), (".JSON", "{"), (".yaml", "c"), (".yml", "c"), ("", "c")]
)
def test_dump_chooses_the_format_by_suffix(tmp_path, suffix, first):
    """dump() writes JSON to .json files and YAML otherwise; load reads both back."""
    scenario = make_scenario()
    path = tmp_path / f"out{suffix}"
    cio_framework.dump(scenario, path)
    assert path.read_text(encoding="utf-8")[0] == first
    assert cio_framework.load(path) == scenario
    cio_framework.dump(scenario, path, format="yaml")
    assert path.read_text(encoding="utf-8").startswith("cio_framework: 2")


def test_dumps_refuses_an_unknown_format():
    """An unknown format is a ValueError naming the known ones."""
    with pytest.raises(ValueError, match="'yaml' or 'json'"):
        cio_framework.dumps(make_scenario(), format="toml")  # type: ignore[arg-type]


def test_json_puts_each_element_on_a_line_of_its_own():
    """Two versions of a scenario compare line by line: one element a line."""
    scenario = cio_framework.builtin("pudong-2016")
    lines = cio_framework.dumps(scenario, format="json").splitlines()
    for collection in ("departments", "systems", "exchanges"):
        start = lines.index(f' "{collection}": [')
        items = lines[start + 1 : start + 1 + len(getattr(scenario, collection))]
        assert [json.loads(line.rstrip(",")) for line in items] == [
            cio_framework.unstructure(element) for element in getattr(scenario, collection)
        ]
