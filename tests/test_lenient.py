"""Lenient structuring: leave out what cannot be read, and what depends on it."""

from __future__ import annotations

import itertools

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


# -- imports: what salvage() leaves out is an error of the import ----------------------

_BACKSTAGE = """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: epb}
spec: {type: bureau}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: mon
  annotations:
    cio-framework.io/fields: '{hostd_on: a}'
spec: {type: service, lifecycle: production, owner: epb}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: reg}
spec: {type: service, lifecycle: production, owner: epb, dependsOn: [component:mon]}
"""


def _archimate_chain(length):
    """A model whose first business actor has a level's id (which the loader
    refuses), the next ``length - 1`` each the parent of the one after: a
    chain of dependents longer than the importer's own ten rounds."""
    ns = "http://www.opengroup.org/xsd/archimate/3.0/"
    xsi = "http://www.w3.org/2001/XMLSchema-instance"
    ids = ["support", *(f"d{i}" for i in range(1, length))]
    elements = "".join(
        f'<element identifier="{i}" xsi:type="BusinessActor"><name>{i}</name></element>\n'
        for i in ids
    )
    relationships = "".join(
        f'<relationship identifier="r{n}" xsi:type="Composition" source="{a}" target="{b}"/>\n'
        for n, (a, b) in enumerate(itertools.pairwise(ids))
    )
    return (
        f'<model xmlns="{ns}" xmlns:xsi="{xsi}" identifier="m">\n<name>T</name>\n'
        f"<elements>\n{elements}</elements>\n<relationships>\n{relationships}"
        "</relationships>\n</model>\n"
    )


def _imported(kind, tmp_path):
    from cio_framework.interop.archimate import read_archimate
    from cio_framework.interop.backstage import read_backstage
    from cio_framework.interop.tables import read_tables

    if kind == "tables":
        folder = tmp_path / "t"
        folder.mkdir()
        (folder / "departments.csv").write_text("id,name\nepb,EPB\n", encoding="utf-8")
        (folder / "systems.csv").write_text(
            "id,name,department\nmon,Monitoring,nowhere\nreg,Registry,epb\n", encoding="utf-8"
        )
        (folder / "exchanges.csv").write_text("from,to\nreg,mon\n", encoding="utf-8")
        return read_tables(folder)
    if kind == "backstage":
        path = tmp_path / "catalog.yaml"
        path.write_text(_BACKSTAGE, encoding="utf-8")
        return read_backstage([path])
    path = tmp_path / "model.xml"
    path.write_text(_archimate_chain(14), encoding="utf-8")
    return read_archimate(path)


@pytest.mark.parametrize("kind", ["tables", "backstage", "archimate"])
def test_every_element_an_import_leaves_out_has_a_located_error_saying_so(kind, tmp_path):
    """Whatever salvage() leaves out of an import, the import's own problems
    say so: an error located in the source file, at the element's path, that
    names the element left out (Backstage lost a component with a misspelt
    fields key, ArchiMate the end of a long chain, silently)."""
    found = _imported(kind, tmp_path)
    salvaged = found.salvage()
    assert salvaged.dropped
    assert not found.ok
    errors = [p for p in found.problems if p.severity is cio_framework.Severity.ERROR]
    for gone in salvaged.dropped:
        saying = [
            p
            for p in errors
            if p.path.startswith((f"{gone.path}.", f"{gone.path}["))
            and p.message.endswith(f"{gone.element} is left out")
        ]
        assert saying, f"{gone} is not reported"
        assert all(p.file is not None and p.line is not None for p in saying)
