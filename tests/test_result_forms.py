"""The forms results take outside Python: dicts (JSON), records and HTML.

Each expected value below is worked out by hand from the documented
definitions (docs/landscape.rst, the module docstrings of
``cio_framework.analysis.connectivity`` and ``.priorities``) for small
landscapes, not copied from the code's output. The HTML tables are read
back with the standard library's parser, so a cell's text is compared, not
the markup's spelling.
"""

from __future__ import annotations

import attrs

import cio_framework
from cio_framework.model import (
    DEFAULT_WEIGHTS,
    FACTORS,
    Demand,
    Exchange,
    Matter,
    Platform,
    Resource,
    ShareType,
    System,
)
from cio_framework.testing import make_scenario
from html_tables import table
from small_scenarios import three_departments


def zeros(**values: float) -> dict[str, float]:
    """Every factor, 0 unless given."""
    return {factor: float(values.get(factor, 0.0)) for factor in FACTORS}


# -- islands --------------------------------------------------------------------


def island_scenario():
    """Four groups, two of two systems (one spanning departments a and c),
    one on the hub (joined to ``cloud``) and one isolated system; b is a
    silo, ``spare`` unused. The scenario's source covers every element."""
    return three_departments(
        source="a test fixture",
        platforms=[
            Platform(id="hub", name="Hub"),
            Platform(id="spare", name="Spare"),
            Platform(id="cloud", name="Cloud"),
        ],
        systems=[
            System(id="a1", name="A1", department="a"),
            System(id="a2", name="A2", department="a"),
            System(id="b1", name="B1", department="b"),
            System(id="b2", name="B2", department="b"),
            System(id="c1", name="C1", department="c"),
            System(id="x1", name="X1", department="c"),
        ],
        exchanges=[
            Exchange(from_="a1", to="hub"),
            Exchange(from_="b1", to="b2"),
            Exchange(from_="x1", to="a2"),
            Exchange(from_="hub", to="cloud"),
        ],
    )


def test_island_report_dict_is_the_documented_json():
    """Groups largest first then by id; the count of islands; lists by id."""
    report = cio_framework.islands(island_scenario())

    def group(gid, systems, platforms, departments, connected):
        return {
            "id": gid,
            "systems": systems,
            "platforms": platforms,
            "departments": departments,
            "connected_to_platform": connected,
            "jurisdiction": None,
            "unlinked": False,
            "evidence": {
                "grade": "sourced",
                "summary": "sourced",
                "not_sourced": [],
                "more": False,
            },
        }

    assert report.to_dict() == {
        "kind": "islands",
        "version": 1,
        "groups": [
            group("a2", ["a2", "x1"], [], ["a", "c"], False),
            group("b1", ["b1", "b2"], [], ["b"], False),
            group("a1", ["a1"], ["cloud", "hub"], ["a"], True),
            group("c1", ["c1"], [], ["c"], False),
        ],
        "islands": 3,
        "isolated_systems": ["c1"],
        "silos": ["b"],
        "unused_platforms": ["spare"],
        "unlinked_jurisdictions": [],
    }
    assert list(report.to_dict()) == [
        "kind",
        "version",
        "groups",
        "islands",
        "isolated_systems",
        "silos",
        "unused_platforms",
        "unlinked_jurisdictions",
    ]


def test_group_of_finds_the_group_or_none():
    report = cio_framework.islands(island_scenario())
    assert report.group_of("x1").id == "a2"
    assert report.group_of("a1").platforms == ("cloud", "hub")
    assert report.group_of("hub") is None  # a platform, not a system
    assert report.group_of("nowhere") is None


def test_island_records_and_html():
    """One record per group, members as lists (an id may hold ', '); in HTML joined for reading."""
    report = cio_framework.islands(island_scenario())
    records = report.to_records()
    assert records == [
        {
            "group": "a2",
            "systems": ["a2", "x1"],
            "platforms": [],
            "departments": ["a", "c"],
            "size": 2,
            "connected_to_platform": False,
            "unlinked": False,
            "jurisdiction": None,
            "evidence": "sourced",
        },
        {
            "group": "b1",
            "systems": ["b1", "b2"],
            "platforms": [],
            "departments": ["b"],
            "size": 2,
            "connected_to_platform": False,
            "unlinked": False,
            "jurisdiction": None,
            "evidence": "sourced",
        },
        {
            "group": "a1",
            "systems": ["a1"],
            "platforms": ["cloud", "hub"],
            "departments": ["a"],
            "size": 1,
            "connected_to_platform": True,
            "unlinked": False,
            "jurisdiction": None,
            "evidence": "sourced",
        },
        {
            "group": "c1",
            "systems": ["c1"],
            "platforms": [],
            "departments": ["c"],
            "size": 1,
            "connected_to_platform": False,
            "unlinked": False,
            "jurisdiction": None,
            "evidence": "sourced",
        },
    ]
    html = table(report._repr_html_())
    assert html.header == [
        "group",
        "size",
        "connected_to_platform",
        "departments",
        "systems",
        "platforms",
    ]
    assert html.rows == [
        ["a2", "2", "False", "a, c", "a2, x1", ""],
        ["b1", "2", "False", "b", "b1, b2", ""],
        ["a1", "1", "True", "a", "a1", "cloud, hub"],
        ["c1", "1", "False", "c", "c1", ""],
    ]


def test_empty_island_report_says_so():
    report = cio_framework.islands(make_scenario(systems=[], exchanges=[]))
    assert report.to_records() == []
    assert table(report._repr_html_()).paragraphs == ["No systems in use."]
    assert report.to_dict()["islands"] == 0


# -- priorities and the roadmap --------------------------------------------------


def priority_scenario(**changes):
    """Departments a, b, c with CIOs and a committee; ``hub`` (operated by a)
    holds a1; b1 is an island of one; c1 -> c2 an island of two joined by a
    point-to-point exchange without an id."""
    base = {
        "systems": [
            System(id="a1", name="A1", department="a"),
            System(id="b1", name="B1", department="b"),
            System(id="c1", name="C1", department="c"),
            System(id="c2", name="C2", department="c"),
        ],
        "exchanges": [Exchange(from_="a1", to="hub"), Exchange(from_="c1", to="c2")],
        "source": "a test fixture",  # covers every element: all findings sourced
    }
    return three_departments(**{**base, **changes})


SOURCED = {"grade": "sourced", "summary": "sourced", "not_sourced": [], "more": False}

# Worked out from the default weights (islands 3, systems 1, departments 2,
# exchanges rerouted 1, cost 1) and costs (connection 1, reroute 0.5):
REROUTE = {
    "id": "reroute-c1->c2",
    "kind": "reroute_exchange",
    "score": 3 + 2 + 2 + 1 - 0.5,
    "factors": zeros(
        islands_merged=1, systems_reached=2, departments_reached=1, exchanges_rerouted=1, cost=0.5
    ),
    "explanation": "Move the point-to-point exchange c1->c2 onto Hub: 1 island merged, "
    "2 systems reached, 1 department reached, 1 exchange rerouted, "
    "for an estimated cost of 0.5.",
    # the sides' CIOs, then the hub operator's; two departments: the committee
    "accountable": ["c-cio", "a-cio"],
    "decided_by": "committee",
    "jurisdiction": None,
    "cost": 0.5,
    "groups": ["c1"],
    "departments": ["c"],
    "evidence": SOURCED,
}
CONNECT_C = {
    "id": "connect-c1",
    "kind": "connect_island",
    "score": 3 + 2 + 2 - 1,
    "factors": zeros(islands_merged=1, systems_reached=2, departments_reached=1, cost=1),
    "explanation": "Connect the island of 2 systems of C to Hub: 1 island merged, "
    "2 systems reached, 1 department reached, for an estimated cost of 1.",
    "accountable": ["c-cio", "a-cio"],
    "decided_by": "committee",
    "jurisdiction": None,
    "cost": 1.0,
    "groups": ["c1"],
    "departments": ["c"],
    "evidence": SOURCED,
}
CONNECT_B = {
    "id": "connect-b1",
    "kind": "connect_island",
    "score": 3 + 1 + 2 - 1,
    "factors": zeros(islands_merged=1, systems_reached=1, departments_reached=1, cost=1),
    "explanation": "Connect the island of 1 system of B to Hub: 1 island merged, "
    "1 system reached, 1 department reached, for an estimated cost of 1.",
    "accountable": ["b-cio", "a-cio"],
    "decided_by": "committee",
    "jurisdiction": None,
    "cost": 1.0,
    "groups": ["b1"],
    "departments": ["b"],
    "evidence": SOURCED,
}
# The groups the candidates join, each listed once by its stable id.
GROUP_B = {
    "id": "b1",
    "systems": ["b1"],
    "platforms": [],
    "departments": ["b"],
    "connected_to_platform": False,
    "jurisdiction": None,
    "unlinked": False,
    "evidence": SOURCED,
}
GROUP_C = {
    "id": "c1",
    "systems": ["c1", "c2"],
    "platforms": [],
    "departments": ["c"],
    "connected_to_platform": False,
    "jurisdiction": None,
    "unlinked": False,
    "evidence": SOURCED,
}


def test_priority_report_dict_is_the_documented_json():
    report = cio_framework.priorities(priority_scenario())
    assert report.to_dict() == {
        "kind": "priorities",
        "version": 1,
        "hub": "hub",
        "weights": DEFAULT_WEIGHTS,
        "note": None,
        "priorities": [REROUTE, CONNECT_C, CONNECT_B],
        "groups": {"b1": GROUP_B, "c1": GROUP_C},
    }
    assert list(report.to_dict()) == [
        "kind",
        "version",
        "hub",
        "weights",
        "note",
        "priorities",
        "groups",
    ]
    assert list(report.groups) == ["b1", "c1"]
    assert list(report.to_dict()["priorities"][0]) == list(REROUTE)
    assert list(report.to_dict()["weights"]) == list(FACTORS)
    assert [p.id for p in report.top(2)] == ["reroute-c1->c2", "connect-c1"]


def test_priority_records_and_html():
    report = cio_framework.priorities(priority_scenario())
    records = report.to_records()
    expected = []
    for rank, item in enumerate([REROUTE, CONNECT_C, CONNECT_B], start=1):
        expected.append(
            {
                "rank": rank,
                "id": item["id"],
                "kind": item["kind"],
                "score": item["score"],
                **item["factors"],
                "accountable": item["accountable"],
                "decided_by": item["decided_by"],
                "explanation": item["explanation"],
            }
        )
    assert records == expected
    html = table(report._repr_html_())
    assert html.header == ["rank", "id", "kind", "score", "cost", "explanation"]
    assert html.rows == [
        ["1", "reroute-c1->c2", "reroute_exchange", "7.5", "0.5", REROUTE["explanation"]],
        ["2", "connect-c1", "connect_island", "6", "1", CONNECT_C["explanation"]],
        ["3", "connect-b1", "connect_island", "5", "1", CONNECT_B["explanation"]],
    ]


def test_priority_scores_in_records_are_rounded_to_three_places():
    weights = {"islands_merged": 1 / 3, "systems_reached": 0, "departments_reached": 0}
    report = cio_framework.priorities(priority_scenario(), weights=weights)
    by_id = {r["id"]: r for r in report.to_records()}
    assert by_id["connect-b1"]["score"] == round(1 / 3 - 1, 3) == -0.667


def test_no_hub_report_says_what_to_do():
    report = cio_framework.priorities(priority_scenario(platforms=[], exchanges=[]))
    assert report.to_dict() == {
        "kind": "priorities",
        "version": 1,
        "hub": None,
        "weights": DEFAULT_WEIGHTS,
        "note": "The scenario has no shared platform: "
        "add one under 'platforms' to plan integrations.",
        "priorities": [],
        "groups": {},
    }
    assert table(report._repr_html_()).paragraphs == ["No candidates."]


def step(item, gain, cumulative):
    """A roadmap step's JSON form: shaped as RoadmapStep, the integration whole."""
    return {
        "integration": item,
        "gain": gain,
        "factors": item["factors"],
        "cumulative_cost": cumulative,
    }


def record(number, item, gain, cumulative):
    """A roadmap step as one flat record, the factors as columns."""
    return {
        "step": number,
        "id": item["id"],
        "kind": item["kind"],
        "gain": gain,
        "cost": item["cost"],
        "cumulative_cost": cumulative,
        "explanation": item["explanation"],
        "evidence": item["evidence"]["summary"],
        **item["factors"],
    }


def test_roadmap_dict_records_and_html():
    """The reroute puts c's island on the hub, so connecting it afterwards
    gains nothing and costs 1: the roadmap stops after connecting b1."""
    plan = cio_framework.roadmap(priority_scenario())
    assert plan.hub == "hub"
    steps = [step(REROUTE, 7.5, 0.5), step(CONNECT_B, 5.0, 1.5)]
    assert plan.to_dict() == {
        "kind": "roadmap",
        "version": 1,
        "hub": "hub",
        "budget": None,
        "total_cost": 1.5,
        "total_gain": 12.5,
        "steps": steps,
        "groups": {"b1": GROUP_B, "c1": GROUP_C},
    }
    assert list(plan.to_dict()) == [
        "kind",
        "version",
        "hub",
        "budget",
        "total_cost",
        "total_gain",
        "steps",
        "groups",
    ]
    assert list(plan.to_dict()["steps"][0]) == list(steps[0])
    assert plan.to_records() == [
        record(1, REROUTE, 7.5, 0.5),
        record(2, CONNECT_B, 5.0, 1.5),
    ]
    html = table(plan._repr_html_())
    assert html.header == ["step", "id", "gain", "cost", "cumulative_cost", "explanation"]
    assert html.rows == [
        ["1", "reroute-c1->c2", "7.5", "0.5", "0.5", REROUTE["explanation"]],
        ["2", "connect-b1", "5", "1", "1.5", CONNECT_B["explanation"]],
    ]


def test_roadmap_under_a_budget_skips_what_no_longer_fits():
    plan = cio_framework.roadmap(priority_scenario(), budget=1)
    assert plan.to_dict() == {
        "kind": "roadmap",
        "version": 1,
        "hub": "hub",
        "budget": 1,
        "total_cost": 0.5,
        "total_gain": 7.5,
        "steps": [step(REROUTE, 7.5, 0.5)],
        "groups": {"c1": GROUP_C},
    }


def test_empty_roadmap_says_so():
    plan = cio_framework.roadmap(priority_scenario(platforms=[], exchanges=[]))
    assert plan.to_dict() == {
        "kind": "roadmap",
        "version": 1,
        "hub": None,
        "budget": None,
        "total_cost": 0.0,
        "total_gain": 0.0,
        "steps": [],
        "groups": {},
    }
    assert plan.hub is None
    assert table(plan._repr_html_()).paragraphs == ["Nothing to do."]


# -- explanations -------------------------------------------------------------------


def explanations(scenario) -> dict[str, str]:
    return {p.id: p.explanation for p in cio_framework.priorities(scenario).priorities}


def test_provide_explanation_names_the_purposes_and_every_step():
    """Three demands of a for b's conditional, uncatalogued records held on
    the island b1: each lacks a connected provider, an agreement and a
    catalogue entry, so providing them earns all 8 of the demanded weight."""
    records = Resource(
        id="records",
        name="Records",
        owner="b",
        held_in="b1",
        share=ShareType.CONDITIONAL,
        legal_basis="law",
        catalogued=False,
    )
    demands = [
        Demand(by="a", resource="records", weight=4, purpose="credit"),
        Demand(by="a", resource="records", weight=2, purpose="audit"),
        Demand(by="a", resource="records", weight=2),
    ]
    scenario = priority_scenario(resources=[records], demands=demands)
    report = cio_framework.priorities(scenario)
    provide = {p.id: p for p in report.priorities}["provide-records-to-a"]
    assert dict(provide.factors) == zeros(
        islands_merged=1, systems_reached=1, departments_reached=1, demand_weight_met=8, cost=1.75
    )
    assert provide.explanation == (
        "Provide Records from B to A for audit; credit (connect to Hub and conclude a "
        "sharing agreement and catalogue the resource): 1 island merged, 1 system reached, "
        "1 department reached, 8 demanded weight met, for an estimated cost of 1.75."
    )
    assert (provide.accountable, provide.decided_by) == (("b-cio", "a-cio"), "committee")


def test_provide_explanation_of_what_only_needs_a_catalogue_entry():
    """b1 on the hub: the demand lacks only the catalogue entry; no purpose given."""
    records = Resource(id="records", name="Records", owner="b", held_in="b1", catalogued=False)
    scenario = priority_scenario(
        resources=[records],
        demands=[Demand(by="a", resource="records", weight=3)],
        exchanges=[Exchange(from_="a1", to="hub"), Exchange(from_="b1", to="hub")],
    )
    assert explanations(scenario)["provide-records-to-a"] == (
        "Provide Records from B to A (catalogue the resource): 3 demanded weight met, "
        "for an estimated cost of 0.25."
    )


def test_close_explanation_names_both_sides():
    """Connecting b's and c's islands closes the fault zone: each side's half."""
    permit = Matter(id="permit", name="Permit", approved_by="b", supervised_by="c")
    scenario = priority_scenario(matters=[permit])
    assert explanations(scenario)["close-permit"] == (
        "Close the fault zone of Permit by connecting B (approves) and C (supervises) "
        "through Hub: 2 islands merged, 3 systems reached, 2 departments reached, "
        "1 fault zone closed, for an estimated cost of 2."
    )


def test_reroute_explanation_of_several_exchanges():
    """Two exchanges without an id between c1 and c2 move together (cost 2 x
    0.5)."""
    scenario = priority_scenario(
        exchanges=[
            Exchange(from_="a1", to="hub"),
            Exchange(from_="c1", to="c2"),
            Exchange(from_="c1", to="c2"),
            Exchange(id="later", from_="a1", to="b1"),
        ],
    )
    found = explanations(scenario)
    # the exchange listed after the pair is a candidate of its own (on the hub already)
    assert found["reroute-later"] == (
        "Move the point-to-point exchange later onto Hub: 1 exchange rerouted, "
        "for an estimated cost of 0.5."
    )
    assert found["reroute-c1->c2"] == (
        "Move the 2 point-to-point exchanges c1->c2 onto Hub: 1 island merged, "
        "2 systems reached, 1 department reached, 2 exchanges rerouted, "
        "for an estimated cost of 1."
    )
    # one candidate for the pair, not one per exchange
    assert not [name for name in found if name.startswith("reroute-c1->c2-")]


def test_records_keep_lists_so_an_id_holding_the_separator_stays_one_id():
    """An id may hold ", ": the records keep lists, so it stays one item
    (joined text would read it as two ids)."""
    base = make_scenario()
    department = base.departments[0].id
    scenario = attrs.evolve(
        base,
        systems=(
            System(id="a, b", name="A", department=department),
            System(id="c", name="C", department=department),
        ),
        exchanges=(Exchange(from_="a, b", to="c"),),
        platforms=(),
    )
    (record,) = cio_framework.islands(scenario).to_records()
    assert record["systems"] == ["a, b", "c"]
    assert record["departments"] == [department]
