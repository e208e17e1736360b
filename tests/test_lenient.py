"""Lenient structuring: leave out what cannot be read, and what depends on it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework import ConfigError
from cio_framework.model import COLLECTIONS
from cio_framework.testing import landscapes


def base():
    return {
        "cio_framework": 2,
        "name": "City",
        "departments": [{"id": "epb", "name": "EPB"}, {"id": "msb", "name": "MSB"}],
        "platforms": [{"id": "hub", "name": "Hub"}],
        "systems": [
            {"id": "mon", "name": "Monitoring", "department": "epb"},
            {"id": "reg", "name": "Registry", "department": "msb"},
        ],
        "exchanges": [
            {"from": "mon", "to": "hub"},
            {"from": "reg", "to": "hub"},
        ],
    }


def test_a_chain_of_dependents_is_left_out_with_a_reason_each():
    """A department without a name: it, its system and that system's exchange
    go, each with the problem that took it out; the rest stays."""
    data = base()
    del data["departments"][0]["name"]
    found = cio_framework.structure_lenient(data)
    assert _paths(found) == ("$.departments[0]", "$.systems[0]", "$.exchanges[0]")
    assert [(p.path, p.code) for p in found.problems] == [
        ("$.departments[0]", "missing-field"),
        ("$.systems[0].department", "dangling-reference"),
        ("$.exchanges[0].from", "dangling-reference"),
    ]
    assert [d.id for d in found.scenario.departments] == ["msb"]
    assert [e.from_ for e in found.scenario.exchanges] == ["reg"]


def test_valid_data_loses_nothing():
    """Valid data comes back whole, with no problems."""
    found = cio_framework.structure_lenient(base())
    assert found.dropped == ()
    assert found.problems == ()
    assert found.scenario == cio_framework.structure(base())


def test_a_problem_about_no_element_is_raised():
    """An unknown top-level key cannot be resolved by leaving elements out."""
    data = {**base(), "colour": "red"}
    data["departments"][0]["name"] = 5
    with pytest.raises(ConfigError) as caught:
        cio_framework.structure_lenient(data)
    assert {p.path for p in caught.value.problems} == {"$.colour", "$.departments[0].name"}


ELEMENT_COLLECTIONS = ("departments", "platforms", "systems", "resources", "exchanges", "demands")


@settings(max_examples=60, deadline=None)
@given(landscapes(max_systems=6), st.data())
def test_what_is_kept_loads_and_nothing_dropped_could_be_kept(scenario, draw):
    """Break one element (a field of the wrong type). What is kept loads; every
    dropped element has a problem at its path; and adding back any one
    dropped element to what was kept makes the data fail again."""
    data = cio_framework.unstructure(scenario)
    data.pop("priorities", None)  # a hub naming a dropped platform is no element's problem
    filled = [key for key in ELEMENT_COLLECTIONS if data.get(key)]
    key = draw.draw(st.sampled_from(filled))
    index = draw.draw(st.integers(0, len(data[key]) - 1))
    data[key][index] = {**data[key][index], "note": ["not", "a", "text"]}
    found = cio_framework.structure_lenient(data)
    assert f"$.{key}[{index}]" in _paths(found)
    dropped = {tuple(_split(path)) for path in _paths(found)}
    for path in _paths(found):
        assert any(p.path == path or p.path.startswith(path + ".") for p in found.problems)
    kept = _without(data, dropped)
    assert cio_framework.structure(kept) == found.scenario
    for collection, position in dropped:
        again = _without(data, dropped - {(collection, position)})
        with pytest.raises(ConfigError):
            cio_framework.structure(again)


def _paths(found):
    return tuple(gone.path for gone in found.dropped)


def _split(path):
    collection, rest = path[2:].split("[")
    return collection, int(rest.rstrip("]"))


def _without(data, dropped):
    result = dict(data)
    for key in COLLECTIONS:
        if isinstance(data.get(key), list):
            result[key] = [item for i, item in enumerate(data[key]) if (key, i) not in dropped]
    return result
