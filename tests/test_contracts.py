"""Machine contracts: every JSON document the command line prints names its
kind and version, validates against its published schema, and is the
library's ``to_dict()`` of the result it prints."""

from __future__ import annotations

import argparse
import copy
import json

import attrs
import jsonschema
import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework import cli
from cio_framework._contracts import OUTPUT_KINDS, document, output_schema
from cio_framework.analysis import agenda, assess_candidates, compare_jurisdictions, roadmap
from cio_framework.analysis.centrality import brokers
from cio_framework.analysis.diff import diff
from cio_framework.analysis.whatif import compare_variant
from cio_framework.config import json_schema
from cio_framework.export import export_graph
from cio_framework.report import report_data
from cio_framework.testing import landscapes, scenarios

BUILTINS = ("pudong-2016", "us-federal", "guangdong-cdo-2021")


def closed(schema):
    """``schema`` with unknown keys refused wherever it lists an object's
    properties: what the tests hold documents to (the published schemas
    let readers meet keys added later)."""
    schema = copy.deepcopy(schema)

    def close(node):
        if isinstance(node, dict):
            if "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(schema)
    return schema


VALIDATORS = {
    kind: jsonschema.Draft202012Validator(closed(output_schema(kind))) for kind in OUTPUT_KINDS
}


def assert_valid(kind, data):
    """``data`` is a document of ``kind``, valid against its closed schema."""
    assert (data.get("kind"), data.get("version")) == (kind, OUTPUT_KINDS[kind])
    errors = sorted(VALIDATORS[kind].iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- the schemas themselves -----------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(OUTPUT_KINDS))
def test_each_schema_is_a_valid_schema_of_its_kind_and_version(kind):
    schema = output_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["kind"] == {"const": kind}
    assert schema["properties"]["version"] == {"const": OUTPUT_KINDS[kind]}
    assert {"kind", "version"} <= set(schema["required"])
    assert schema["$id"].endswith(f"/{kind}-{OUTPUT_KINDS[kind]}.json")


def test_an_unknown_kind_is_refused():
    with pytest.raises(cio_framework.UnknownNameError) as caught:
        output_schema("islnds")
    assert (caught.value.kind, caught.value.name) == ("output kind", "islnds")
    assert set(caught.value.known) == set(OUTPUT_KINDS)
    assert str(caught.value) == "unknown output kind 'islnds'; did you mean 'islands'?"
    with pytest.raises(KeyError):
        document("no-such-kind", {})


@pytest.mark.parametrize("kind", sorted(OUTPUT_KINDS))
def test_the_schema_command_prints_each_schema(capsys, kind):
    code, out, _ = run(capsys, "schema", kind)
    assert code == 0
    assert json.loads(out) == output_schema(kind)


def test_the_schema_command_prints_the_scenario_schema_by_default(capsys):
    code, out, _ = run(capsys, "schema")
    assert (code, json.loads(out)) == (0, json_schema())
    assert json.loads(run(capsys, "schema", "scenario")[1]) == json_schema()


def test_schema_output_naming_a_kind_is_refused_not_written(capsys, tmp_path, monkeypatch):
    """``schema --output islands`` would write the scenario schema to a
    file called islands: it is refused, saying how to ask for the kind."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "schema", "--output", "islands")
    assert (code, out) == (2, "")
    assert "cio-framework schema islands" in err
    assert not (tmp_path / "islands").exists()


# -- every JSON output is covered -------------------------------------------------------

#: The kind each command's ``--format json`` prints (priorities: and with --budget, roadmap).
COMMAND_KINDS = {
    "validate": "validation",
    "report": "report",
    "islands": "islands",
    "brokers": "brokers",
    "priorities": "priorities",
    "whatif": "whatif",
    "agenda": "agenda",
    "compare": "comparison",
    "export": "graph",
    "candidates": "candidates",
    "checks": "checks",
    "diff": "diff",
}
#: Commands whose JSON is a scenario: its version key, ``cio_framework``, says what it is.
SCENARIO_COMMANDS = {"import", "synth"}


def json_commands():
    parser = cli.build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for name, command in sub.choices.items():
        for action in command._actions:
            if "--format" in action.option_strings and "json" in (action.choices or ()):
                yield name


def test_every_command_that_prints_json_has_a_kind():
    """A new command with ``--format json`` must say which contract it prints."""
    found = set(json_commands())
    assert found == set(COMMAND_KINDS) | SCENARIO_COMMANDS
    assert set(COMMAND_KINDS.values()) | {"roadmap"} == set(OUTPUT_KINDS)


def cli_documents(capsys, path, scenario, other):
    """(kind, document) of every JSON output of the command line on ``path``."""
    argv = [
        ("validation", ["validate", path]),
        ("report", ["report", path]),
        ("islands", ["islands", path]),
        ("brokers", ["brokers", path, "--exact"]),
        ("brokers", ["brokers", path, "--sample", "3"]),
        ("priorities", ["priorities", path]),
        ("priorities", ["priorities", path, "--top", "2"]),
        ("roadmap", ["priorities", path, "--budget", "2"]),
        ("agenda", ["agenda", path]),
        ("comparison", ["compare", path, other]),
        ("candidates", ["candidates", path]),
        ("graph", ["export", path]),
        ("graph", ["export", path, "--view", "departments"]),
        ("checks", ["checks"]),
        ("diff", ["diff", path, other]),
        ("diff", ["diff", path, path]),
        *(("whatif", ["whatif", path, "--", w.id]) for w in scenario.scenarios),
    ]
    for kind, args in argv:
        code, out, err = run(capsys, args[0], "--format", "json", *args[1:])
        assert code in (0, 1), (args, err)
        yield kind, json.loads(out)


@pytest.mark.parametrize("name", BUILTINS)
def test_every_cli_document_of_the_builtins_is_valid(capsys, name, tmp_path):
    path = tmp_path / "s.yaml"
    scenario = cio_framework.builtin(name)
    path.write_text(cio_framework.dumps(scenario), encoding="utf-8")
    for kind, data in cli_documents(capsys, str(path), scenario, "pudong-2016"):
        assert_valid(kind, data)


def test_the_validation_document_of_a_lenient_run_is_valid(capsys, tmp_path):
    """validate --lenient --format json: problems and elements left out, one document."""
    (tmp_path / "s.yaml").write_text(
        "cio_framework: 2\nname: T\ndepartments:\n  - {id: epb, name: EPB}\n"
        "systems:\n  - {id: mon, name: Mon, department: nowhere}\n"
        "exchanges:\n  - {from: mon, to: mon}\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "validate", "--lenient", "--format", "json", str(tmp_path / "s.yaml")
    )
    data = json.loads(out)
    assert code == 1
    assert_valid("validation", data)
    left_out = [p for p in data["problems"] if p["dropped"]]
    assert {(p["collection"], p["id"]) for p in left_out} == {
        ("systems", "mon"),
        ("exchanges", None),
    }


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(landscapes(max_systems=6), scenarios()))
def test_every_library_document_of_a_generated_scenario_is_valid(scenario):
    documents = {
        "islands": cio_framework.islands(scenario),
        "brokers": brokers(scenario, exact=True),
        "priorities": cio_framework.priorities(scenario),
        "roadmap": roadmap(scenario, budget=1.5),
        "agenda": agenda(scenario),
        "comparison": compare_jurisdictions([scenario, scenario]),
        "candidates": assess_candidates(scenario),
    }
    documents["diff"] = diff(scenario, cio_framework.builtin("pudong-2016"))
    for kind, result in documents.items():
        assert_valid(kind, result.to_dict())
    assert_valid("report", report_data(scenario))
    for view in ("systems", "departments"):
        assert_valid("graph", json.loads(export_graph(scenario, "json", view=view)))
    for variant in scenario.scenarios:
        try:
            changed = cio_framework.whatif(scenario, variant.id)
        except cio_framework.CioFrameworkError:
            continue  # a generated variant may name what is not there
        assert_valid("whatif", compare_variant(scenario, changed, whatif=variant.id).to_dict())


@pytest.mark.parametrize("kind", sorted(OUTPUT_KINDS))
def test_a_schema_refuses_a_document_that_breaks_it(kind):
    """The schemas can fail: a wrong kind, a wrong version, a missing
    required key, or an unknown key are each refused."""
    schema = output_schema(kind)
    validator = VALIDATORS[kind]
    base = dict.fromkeys(schema["required"])
    for broken in (
        {**base, "kind": "other"},
        {**base, "version": OUTPUT_KINDS[kind] + 1},
        {k: v for k, v in base.items() if k != schema["required"][-1]},
        {**base, "no_such_key": 1},
    ):
        assert not validator.is_valid(broken)


# -- the library's to_dict() and the CLI's JSON are one document -------------------------


def test_library_documents_are_what_the_command_line_prints(capsys, tmp_path):
    scenario = cio_framework.builtin("pudong-2016")
    path = tmp_path / "s.yaml"
    path.write_text(cio_framework.dumps(scenario), encoding="utf-8")
    p = str(path)
    report = cio_framework.priorities(scenario)
    variant = scenario.scenarios[0].id
    expected = {
        ("islands", p): cio_framework.islands(scenario).to_dict(),
        ("brokers", p, "--exact"): brokers(scenario, exact=True).to_dict(),
        ("priorities", p): report.to_dict(),
        ("priorities", p, "--top", "3"): attrs.evolve(
            report, priorities=report.priorities[:3]
        ).to_dict(),
        ("priorities", p, "--budget", "3"): roadmap(scenario, budget=3).to_dict(),
        ("agenda", p): agenda(scenario).to_dict(),
        ("compare", p, p): compare_jurisdictions([scenario, scenario]).to_dict(),
        ("candidates", p): assess_candidates(scenario).to_dict(),
        ("diff", p, p): diff(scenario, scenario).to_dict(),
        ("whatif", p, "--", variant): compare_variant(
            scenario, cio_framework.whatif(scenario, variant), whatif=variant
        ).to_dict(),
    }
    for argv, document_ in expected.items():
        code, out, _ = run(capsys, argv[0], "--format", "json", *argv[1:])
        assert code == 0
        assert json.loads(out) == document_, argv


def test_a_roadmap_step_is_shaped_as_the_value():
    """``step["integration"]`` is ``step.integration.to_dict()`` whole: its
    id, the accountable roles and the rest, as the object says."""
    plan = roadmap(cio_framework.builtin("pudong-2016"))
    data = plan.to_dict()
    assert data["hub"] == plan.hub
    assert data["steps"], "the built-in plans at least one integration"
    for step, item in zip(plan.steps, data["steps"], strict=True):
        assert item["integration"] == step.integration.to_dict()
        assert item["integration"]["accountable"] == list(step.integration.accountable)
        assert (item["gain"], item["cumulative_cost"]) == (step.gain, step.cumulative_cost)


def test_the_graph_document_reads_back_with_networkx():
    scenario = cio_framework.builtin("pudong-2016")
    data = json.loads(export_graph(scenario, "json"))
    graph = nx.node_link_graph(data, edges="edges")
    original = cio_framework.to_networkx(scenario, include_planned=True)
    assert set(graph.nodes) == set(original.nodes)
    assert graph.number_of_edges() == original.number_of_edges()


def test_every_cli_document_of_bare_nested_jurisdictions_is_valid(capsys, tmp_path):
    """Jurisdictions with nothing but ids, names and parents: no kind, no
    hub, no committee, no meeting, no landscape (each field ``null``)."""
    path = tmp_path / "j.yaml"
    path.write_text(
        "cio_framework: 2\nname: J\njurisdictions:\n  - {id: a, name: A}\n"
        "  - {id: b, name: B, parent: a}\ndepartments:\n  - {id: x, name: X, jurisdiction: b}\n",
        encoding="utf-8",
    )
    scenario = cio_framework.load(path)
    documents = list(cli_documents(capsys, str(path), scenario, "pudong-2016"))
    code, out, err = run(capsys, "report", "--format", "json", "--jurisdiction", "b", str(path))
    assert code == 0, err
    documents.append(("report", json.loads(out)))
    assert {row["kind"] for row in documents[1][1]["jurisdictions"]} == {None}
    for kind, data in documents:
        assert_valid(kind, data)
