"""``synth`` writes scenarios that pass ``validate``, deterministically, and says they are invented;
each shape of landscape has the property its name promises."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import networkx as nx
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework.cli import main
from cio_framework.model import RoleKind
from cio_framework.synth import MAX_EXCHANGES, MAX_SYSTEMS, SHAPES, synth_text

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


# --------------------------------------------------------------------------
# Shapes of landscape

shapes = st.sampled_from(SHAPES)
#: sizes at which each shape's promise is checked (small ones are all edge)
large_sizes = st.integers(min_value=1_000, max_value=2_000)
#: each example of those sizes takes a fraction of a second: a failure is
#: reported as found, not shrunk (shrinking took five minutes)
unshrunk = settings(max_examples=4, phases=(Phase.explicit, Phase.reuse, Phase.generate))


def test_synth_shape_is_unchanged():
    """Shapes left synth's text as it was: the same bytes for the same arguments."""
    digests = {
        (300, 5, "yaml", 10): "928d2c5e1fb70e5b98f9573d6a983b649e7c7eb683a0b4d5f53729022de15441",
        (300, 5, "json", 10): "f5e2464aa48e85e93c23e3aad0289db792a903ad36b48928c008bb8a46350a3f",
        (2000, -9, "yaml", 3): "e2ebfd6d819a43a0b0bc22a781db8e238c214ad50c171569510ce86d5688e1e7",
    }
    for (systems, seed, format, per), digest in digests.items():
        text = synth_text(systems, seed=seed, format=format, exchanges_per_system=per)
        assert hashlib.sha256(text.encode()).hexdigest() == digest, (systems, seed, format)
        assert text == synth_text(
            systems, seed=seed, format=format, exchanges_per_system=per, shape="synth"
        )


@settings(max_examples=40)
@given(systems=sizes, seed=seeds, format=formats, shape=shapes)
def test_every_shape_loads_without_error_findings(systems, seed, format, shape):
    """Each shape at any size and seed loads, has its systems and 10 exchanges each, and no errors."""
    scenario = cio_framework.loads(synth_text(systems, seed=seed, format=format, shape=shape))
    assert len(scenario.systems) == systems
    assert len(scenario.exchanges) == 10 * systems
    assert cio_framework.check(scenario).errors == ()


@settings(max_examples=20)
@given(systems=sizes, seed=seeds, shape=shapes, per=st.integers(min_value=1, max_value=12))
def test_every_shape_is_deterministic_and_the_same_in_both_formats(systems, seed, shape, per):
    """The same arguments give the same text; YAML and JSON hold the same scenario."""
    yaml_text = synth_text(systems, seed=seed, shape=shape, exchanges_per_system=per)
    assert yaml_text == synth_text(systems, seed=seed, shape=shape, exchanges_per_system=per)
    json_text = synth_text(systems, seed=seed, shape=shape, format="json", exchanges_per_system=per)
    from_yaml, from_json = cio_framework.loads(yaml_text), cio_framework.loads(json_text)
    assert cio_framework.dumps(from_yaml) == cio_framework.dumps(from_json)
    assert len(from_yaml.exchanges) == per * systems


@unshrunk
@given(systems=large_sizes, seed=seeds)
def test_small_departments_are_small_with_few_platforms(systems, seed):
    """small-departments: 2 to 6 systems per department (mean ≤ 5), ≤ 1 platform per 1,000
    systems, and most exchanges point to point."""
    data = json.loads(synth_text(systems, seed=seed, format="json", shape="small-departments"))
    per_department = Counter(s["department"] for s in data["systems"])
    assert set(per_department) == {d["id"] for d in data["departments"]}
    assert systems / len(data["departments"]) <= 5
    assert 2 <= min(per_department.values()) <= max(per_department.values()) <= 6
    assert len(data["platforms"]) * 1_000 <= systems
    platforms = {p["id"] for p in data["platforms"]}
    direct = [e for e in data["exchanges"] if e["to"] not in platforms and "via" not in e]
    assert len(direct) >= 0.8 * len(data["exchanges"])


def _components(data: dict) -> list[set[str]]:
    """Connected groups of in-use systems and platforms over live exchanges (networkx)."""
    in_use = {s["id"] for s in data["systems"] if s.get("status", "in_use") == "in_use"}
    platforms = {p["id"] for p in data["platforms"]}
    graph = nx.Graph()
    graph.add_nodes_from(in_use | platforms)
    for e in data["exchanges"]:
        ends = [e["from"], e["to"], *([e["via"]] if "via" in e else [])]
        if e.get("status", "live") == "live" and all(n in in_use | platforms for n in ends):
            graph.add_edges_from((ends[0], n) for n in ends[1:])
    return list(nx.connected_components(graph))


@unshrunk
@given(systems=large_sizes, seed=seeds)
def test_the_dominant_island_holds_most_systems(systems, seed):
    """dominant-island: the largest group holds ≥ 80% of the in-use systems and reaches no
    platform, by cio_framework.islands and by networkx alike."""
    text = synth_text(systems, seed=seed, format="json", shape="dominant-island")
    data = json.loads(text)
    in_use = [s for s in data["systems"] if s.get("status", "in_use") == "in_use"]
    platforms = {p["id"] for p in data["platforms"]}
    largest = max(_components(data), key=len)
    assert not largest & platforms
    assert len(largest) >= 0.8 * len(in_use)
    group = cio_framework.islands(cio_framework.loads(text)).groups[0]
    assert set(group.systems) == largest
    assert not group.connected_to_platform


@unshrunk
@given(systems=large_sizes, seed=seeds)
def test_demand_heavy_has_demands_resources_and_matters(systems, seed):
    """demand-heavy: demands ≥ 2× systems, resources ≥ systems, ≥ 3 matters per department,
    some approvals cancelled or filed and some supervision data listed."""
    data = json.loads(synth_text(systems, seed=seed, format="json", shape="demand-heavy"))
    assert len(data["demands"]) >= 2 * systems
    assert len(data["resources"]) >= systems
    assert len(data["matters"]) >= 3 * len(data["departments"])
    assert {m.get("approval", "required") for m in data["matters"]} == {
        "required",
        "cancelled",
        "filing",
    }
    assert sum("supervision_data" in m for m in data["matters"]) >= len(data["matters"]) // 2


def test_an_unknown_shape_is_refused():
    """A shape that is not one of SHAPES is a ValueError naming the known ones."""
    with pytest.raises(ValueError, match="dominant-island"):
        synth_text(10, shape="archipelago")


@pytest.mark.parametrize("shape", SHAPES)
def test_cli_synth_writes_each_shape(capsys, shape):
    """``cio-framework synth --shape`` writes synth_text's text for that shape."""
    assert main(["synth", "--systems", "40", "--seed", "3", "--shape", shape]) == 0
    assert capsys.readouterr().out == synth_text(40, seed=3, shape=shape)


@pytest.mark.parametrize(
    ("systems", "per_system"),
    [(MAX_SYSTEMS + 1, 1), (5, MAX_EXCHANGES // 5 + 1), (10**12, 10), (0, 10), (3, -1)],
)
def test_a_size_beyond_the_limits_is_refused_before_anything_is_made(systems, per_system):
    with pytest.raises(ValueError, match=r"systems|exchanges"):
        synth_text(systems, exchanges_per_system=per_system)


def test_the_command_refuses_a_size_beyond_the_limits(capsys):
    argv = ["synth", "--systems", "5", "--exchanges-per-system", str(MAX_EXCHANGES)]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("cio-framework: error: synth:")
    assert err.count("\n") == 1
