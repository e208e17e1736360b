"""Brokers (betweenness): checked against a brute-force count of shortest
paths, refused above the limit unless asked, estimated when sampled."""

from __future__ import annotations

import itertools
import json

import networkx as nx
import pytest
from hypothesis import given, settings

import cio_framework
from cio_framework.analysis import centrality as brokers_module
from cio_framework.analysis.centrality import EXACT_LIMIT, brokers
from cio_framework.cli import EXIT_USAGE, main
from cio_framework.data import builtin_path
from cio_framework.exceptions import TooLargeError
from cio_framework.model import ExchangeStatus
from cio_framework.synth import synth_text
from cio_framework.testing import landscapes


def live_graph(scenario) -> nx.Graph:
    """The live network built straight from the model, not from the index."""
    in_use = {s.id for s in scenario.systems if s.in_use}
    platforms = {p.id for p in scenario.platforms}
    nodes = in_use | platforms
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for e in scenario.exchanges:
        ends = [e.from_, e.to] + ([e.via] if e.via else [])
        if e.status is not ExchangeStatus.LIVE or not set(ends) <= nodes:
            continue
        legs = [(e.from_, e.to)] if e.via is None else [(e.from_, e.via), (e.via, e.to)]
        graph.add_edges_from((a, b) for a, b in legs if a != b)
    return graph


def brute_force(graph: nx.Graph) -> dict[str, float]:
    """Normalised betweenness by enumerating every shortest path of every pair."""
    n = graph.number_of_nodes()
    through = dict.fromkeys(graph.nodes, 0.0)
    for s, t in itertools.combinations(graph.nodes, 2):
        if not nx.has_path(graph, s, t):
            continue
        paths = list(nx.all_shortest_paths(graph, s, t))
        for path in paths:
            for v in path[1:-1]:
                through[v] += 1 / len(paths)
    scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    return {v: x * scale for v, x in through.items()}


@pytest.fixture(params=["networkx", "rustworkx"])
def backend(request, monkeypatch):
    if request.param == "networkx":
        monkeypatch.setattr(brokers_module, "_exact_rustworkx", lambda nodes, edges: None)
    else:
        pytest.importorskip("rustworkx")
    return request.param


@settings(max_examples=40, deadline=None)
@given(landscapes(max_systems=8))
def test_exact_scores_match_a_brute_force_count(scenario):
    expected = brute_force(live_graph(scenario))
    report = brokers(scenario)
    got = {b.id: b.score for b in report.brokers}
    for node, value in expected.items():
        assert got.get(node, 0.0) == pytest.approx(value, abs=1e-9), node
    assert report.sampled is None
    assert [b.score for b in report.brokers] == sorted(
        (b.score for b in report.brokers), reverse=True
    )


def test_both_backends_agree_with_the_brute_force_count(backend):
    scenario = cio_framework.loads(synth_text(40, seed=7))
    expected = brute_force(live_graph(scenario))
    report = brokers(scenario)
    assert report.backend == backend
    assert len(report.brokers) == sum(1 for v in expected.values() if v > 1e-12)
    for broker in report.brokers:
        assert broker.score == pytest.approx(expected[broker.id], abs=1e-9)


def test_pudong_hub_is_the_first_broker():
    report = brokers(cio_framework.builtin("pudong-2016"))
    assert report.brokers[0].id == "gov-cloud"
    assert report.brokers[0].kind == "platform"


def test_exact_is_refused_above_the_limit_unless_asked(monkeypatch):
    assert EXACT_LIMIT == 20_000
    scenario = cio_framework.loads(synth_text(60, seed=3))
    monkeypatch.setattr(brokers_module, "EXACT_LIMIT", 10)
    with pytest.raises(TooLargeError) as caught:
        brokers(scenario)
    assert caught.value.limit == 10
    assert caught.value.nodes > 10
    assert "sample=K" in str(caught.value)
    assert brokers(scenario, exact=True).sampled is None
    assert brokers(scenario, sample=5).sampled == 5


def test_a_sample_is_repeatable_and_a_full_sample_is_exact(backend):
    scenario = cio_framework.loads(synth_text(80, seed=11))
    first = brokers(scenario, sample=10, seed=4)
    assert first == brokers(scenario, sample=10, seed=4)
    assert first.sampled == 10
    exact = brokers(scenario)
    full = brokers(scenario, sample=10_000)
    assert full.sampled is None
    assert {b.id: b.score for b in full.brokers} == pytest.approx(
        {b.id: b.score for b in exact.brokers}
    )
    # ties are ordered by id, the same way every time
    assert [b.id for b in exact.brokers] == [b.id for b in brokers(scenario).brokers]
    assert [(-b.score, b.id) for b in exact.brokers] == sorted(
        (-b.score, b.id) for b in exact.brokers
    )


def test_bad_arguments_are_refused():
    scenario = cio_framework.builtin("pudong-2016")
    with pytest.raises(ValueError, match="sample"):
        brokers(scenario, sample=0)
    with pytest.raises(ValueError, match="top"):
        brokers(scenario, top=0)
    assert len(brokers(scenario, top=2).brokers) == 2


def test_cli_brokers_text_and_json(capsys):
    code = main(["brokers", str(builtin_path("pudong-2016")), "--top", "3"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out.splitlines()[1].startswith("1. [")
    assert "gov-cloud" in out.splitlines()[1]
    code = main(["brokers", str(builtin_path("pudong-2016")), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["brokers"][0]["id"] == "gov-cloud"
    assert set(data["brokers"][0]) == {"kind", "id", "name", "department", "score"}


def test_cli_refuses_exact_above_the_limit_with_a_hint(tmp_path, capsys, monkeypatch):
    path = tmp_path / "s.yaml"
    path.write_text(synth_text(60, seed=3), encoding="utf-8")
    monkeypatch.setattr(brokers_module, "EXACT_LIMIT", 10)
    code = main(["brokers", str(path)])
    _, err = capsys.readouterr()
    assert code == EXIT_USAGE
    assert "--sample K" in err
    assert "Traceback" not in err
    assert main(["brokers", str(path), "--sample", "5"]) == 0
    assert "estimated from 5 of" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("arguments", "error", "words"),
    [
        ({"top": 1.5}, TypeError, "top must be a whole number, not float (1.5)"),
        ({"top": True}, TypeError, "top must be a whole number, not bool (True)"),
        ({"top": "3"}, TypeError, "top must be a whole number, not str ('3')"),
        ({"sample": 2.5}, TypeError, "sample must be a whole number, not float (2.5)"),
        ({"sample": True}, TypeError, "sample must be a whole number, not bool (True)"),
        ({"top": 0}, ValueError, "top must be at least 1, not 0"),
    ],
)
def test_bad_arguments_are_refused_by_name(arguments, error, words):
    """brokers() checks top and sample as the other analyses check theirs (docs/embedding.rst)."""
    with pytest.raises(error) as raised:
        brokers(cio_framework.builtin("pudong-2016"), **arguments)
    assert str(raised.value) == words
