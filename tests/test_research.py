"""Researchers' tools: comparing jurisdictions, assessing candidates, exports, tables."""

from __future__ import annotations

import io
import json

import attrs
import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cio_framework
from cio_framework.analysis import assess_candidates, compare_jurisdictions
from cio_framework.export import EXPORT_FORMATS, export_graph
from cio_framework.model import Candidate, Criterion, Person
from cio_framework.testing import make_scenario


@pytest.fixture(scope="module")
def both():
    return cio_framework.builtin("pudong-2016"), cio_framework.builtin("us-federal")


def test_compare_jurisdictions(both):
    """Profiles show how the two structures differ."""
    pudong, federal = compare_jurisdictions(both).profiles
    assert pudong.levels == ("strategic", "executive", "support", "advisory")
    assert federal.levels[0] == "agency-leadership"
    assert pudong.concurrent_share == 1.0
    assert federal.concurrent_share < pudong.concurrent_share
    assert pudong.business_weight_share > pudong.technical_weight_share
    assert pudong.islands == 3
    assert federal.islands is None
    assert pudong.raci_coverage == federal.raci_coverage == 1.0


def test_compare_records_have_one_column_per_scenario(both):
    """Records are one row per measure with a column per scenario."""
    records = compare_jurisdictions(both).to_records()
    assert records[0]["measure"] == "Governance levels"
    assert set(records[0]) == {"measure", both[0].name, both[1].name}


def candidates_scenario(*candidates, criteria=None):
    criteria = criteria or [
        Criterion(id="biz", name="Business", weight=2),
        Criterion(id="tech", name="Technical", weight=1),
    ]
    return make_scenario(
        people=[
            Person(id="lead"),
            Person(id="deputy"),
            Person(id="x", name="X"),
            Person(id="y", name="Y"),
        ],
        criteria=criteria,
        candidates=list(candidates),
    )


def test_ranking_and_contributions():
    """Candidates are ranked by weighted mean; contributions add up to the total."""
    s = candidates_scenario(
        Candidate(person="x", role="epb-cio", scores={"biz": 5, "tech": 1}, evidence={"biz": "cv"}),
        Candidate(person="y", role="epb-cio", scores={"biz": 2, "tech": 5}),
    )
    (role,) = assess_candidates(s).roles
    assert [c.person for c in role.ranking] == ["x", "y"]
    x = role.ranking[0]
    assert x.total == pytest.approx((2 * 5 + 1 * 1) / 3)
    assert sum(x.contributions.values()) == pytest.approx(x.total)
    assert x.missing_evidence == ("tech",)
    assert role.ranking[1].missing_evidence == ("biz", "tech")


def test_missing_scores_are_flagged():
    """A criterion without a score counts 0 and is flagged."""
    s = candidates_scenario(Candidate(person="x", role="epb-cio", scores={"biz": 5}))
    (role,) = assess_candidates(s).roles
    assert role.ranking[0].missing_scores == ("tech",)
    assert role.flip is None


def test_flip_is_the_smallest_weight_change():
    """The flip names the criterion and weight at which the top two tie."""
    s = candidates_scenario(
        Candidate(person="x", role="epb-cio", scores={"biz": 5, "tech": 1}),
        Candidate(person="y", role="epb-cio", scores={"biz": 2, "tech": 5}),
    )
    flip = assess_candidates(s).roles[0].flip
    # gap = 2*(5-2) + 1*(1-5) = 2; raising tech by 2/4 = 0.5 ties them
    assert flip.criterion == "tech"
    assert flip.weight_to == pytest.approx(1.5)
    assert flip.runner_up == "y"
    assert (
        flip.explanation == "Raising the weight of Technical from 1 to 1.5 would put Y ahead of X."
    )


@given(
    st.lists(st.integers(min_value=0, max_value=5), min_size=3, max_size=3),
    st.lists(st.integers(min_value=0, max_value=5), min_size=3, max_size=3),
    st.lists(st.integers(min_value=1, max_value=5), min_size=3, max_size=3),
)
def test_flip_really_flips(a, b, weights):
    """Moving the flip's weight a little past the flip point swaps the top two."""
    criteria = [Criterion(id=f"c{i}", name=f"C{i}", weight=w) for i, w in enumerate(weights)]
    s = candidates_scenario(
        Candidate(person="x", role="epb-cio", scores={f"c{i}": v for i, v in enumerate(a)}),
        Candidate(person="y", role="epb-cio", scores={f"c{i}": v for i, v in enumerate(b)}),
        criteria=criteria,
    )
    role = assess_candidates(s).roles[0]
    first, second = role.ranking[0], role.ranking[1]
    if role.flip is None or first.total == second.total:
        return
    step = 1e-6 if role.flip.change > 0 else -1e-6
    new_weight = role.flip.weight_to + step
    if new_weight < 0:
        return
    changed = [
        attrs.evolve(c, weight=new_weight) if c.id == role.flip.criterion else c for c in criteria
    ]
    after = assess_candidates(attrs.evolve(s, criteria=changed)).roles[0]
    assert after.ranking[0].person == second.person
    # and no smaller single change flips it: moving the same weight only halfway keeps the order
    half = role.flip.weight_from + role.flip.change / 2
    kept = [attrs.evolve(c, weight=half) if c.id == role.flip.criterion else c for c in criteria]
    assert (
        assess_candidates(attrs.evolve(s, criteria=kept)).roles[0].ranking[0].person == first.person
    )


def test_unknown_role_for_assessment():
    """Asking about a role without candidates raises UnknownNameError."""
    with pytest.raises(cio_framework.UnknownNameError):
        assess_candidates(candidates_scenario(), role="nope")


@pytest.mark.parametrize("view", ["systems", "departments"])
def test_graphml_and_gexf_read_back(view):
    """GraphML and GEXF exports read back with networkx with the same nodes."""
    s = cio_framework.builtin("pudong-2016")
    expected = cio_framework.to_networkx(s, view=view, include_planned=True)
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        back = reader(io.BytesIO(export_graph(s, fmt, view=view).encode("utf-8")))
        assert set(back.nodes) == set(expected.nodes)
        assert back.number_of_edges() == expected.number_of_edges()


def test_json_export_is_node_link():
    """The JSON export is networkx node-link data."""
    s = cio_framework.builtin("pudong-2016")
    data = json.loads(export_graph(s, "json"))
    back = nx.node_link_graph(data, edges="edges")
    assert back.nodes["gov-cloud"]["kind"] == "platform"


def test_dot_export_marks_planned_exchanges():
    """The DOT export draws platforms as boxes and planned exchanges dashed."""
    text = export_graph(cio_framework.builtin("pudong-2016"), "dot")
    assert '"gov-cloud" [label="Government cloud data centre", shape=box];' in text
    assert '"epb-monitoring" -> "gov-cloud" [label="epb-monitoring-cloud", style=dashed];' in text
    assert text.rstrip().endswith("}")


def test_unknown_export_format():
    """An unknown format raises ValueError listing the formats."""
    with pytest.raises(ValueError, match=", ".join(EXPORT_FORMATS)):
        export_graph(make_scenario(), "pdf")


def result_objects():
    s = cio_framework.builtin("pudong-2016")
    return [
        cio_framework.check(s),
        cio_framework.summarize(s),
        cio_framework.islands(s),
        cio_framework.barriers(s),
        cio_framework.fault_zones(s),
        cio_framework.single_points_of_failure(s),
        cio_framework.indicators(s),
        cio_framework.priorities(s),
        cio_framework.roadmap(s, budget=3),
        cio_framework.agenda(s),
        cio_framework.compare_variant(s, cio_framework.whatif(s, "connect-epb")),
        compare_jurisdictions([s]),
        assess_candidates(s),
    ]


@pytest.mark.parametrize("result", result_objects(), ids=lambda r: type(r).__name__)
def test_every_result_has_records_dataframe_and_html(result):
    """Every result converts to records, a DataFrame and an HTML table, with a short repr."""
    import pandas as pd

    records = result.to_records()
    assert isinstance(records, list)
    assert all(isinstance(r, dict) for r in records)
    frame = result.to_dataframe()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == len(records)
    html = result._repr_html_()
    assert html.startswith(("<table>", "<p>"))


def test_dataframe_without_pandas(monkeypatch):
    """Without pandas, to_dataframe says which extra to install."""
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)  # makes "import pandas" fail
    with pytest.raises(cio_framework.CioFrameworkError, match=r"cio_framework\[pandas\]"):
        cio_framework.islands(cio_framework.builtin("pudong-2016")).to_dataframe()


def test_scenario_html_and_short_repr():
    """A scenario renders as an HTML table and keeps a one-line repr."""
    s = cio_framework.builtin("pudong-2016")
    assert "<table>" in s._repr_html_()
    assert "\n" not in repr(s)
    assert len(repr(s)) < 300


def test_repeated_names_get_numbered_columns():
    """Names made unique by the documented rule, worked out by hand."""
    names = ["x", "x", "x (2)", "x", "y"]
    scenarios = [cio_framework.Scenario(name=name) for name in names]
    columns = compare_jurisdictions(scenarios).columns()
    assert columns == ["x", "x (2)", "x (2) (2)", "x (3)", "y"]


def test_many_repeated_names_cost_linear_work():
    """1,000 scenarios of one name: the search for a free number resumes
    where it stopped, so each column is spelt out about once (a search from
    (2) each time spelt out half a million, with a list scan at each)."""
    spelt = []

    class Name(str):
        def __format__(self, spec: str) -> str:
            spelt.append(1)
            return str.__format__(self, spec)

    profiles = compare_jurisdictions([cio_framework.Scenario(name="x")] * 2)
    one = attrs.evolve(profiles.profiles[0], name=Name("x"))
    columns = attrs.evolve(profiles, profiles=[one] * 1_000).columns()
    assert len(set(columns)) == 1_000
    assert columns[-1] == "x (1000)"
    assert len(spelt) <= 2 * 1_000
