"""Summary figures and report rendering."""

from __future__ import annotations

import json

import attrs
import pytest

import cio_framework
from cio_framework.model import Ability, Criterion, Role
from cio_framework.report import render_problems, render_report, report_data
from cio_framework.testing import make_scenario


def test_summary_counts():
    """The summary counts departments, pilots, CIOs, vacancies and RACI coverage."""
    summary = cio_framework.summarize(make_scenario())
    assert (summary.departments, summary.pilot_departments, summary.pilots_with_cio) == (2, 1, 1)
    assert (summary.roles, summary.vacant_roles, summary.cio_posts) == (2, 0, 2)
    assert summary.reporting_depth == 1
    assert summary.max_span_of_control == 1
    assert summary.single_accountable == 1


def test_summary_depth_of_a_longer_chain():
    """Reporting depth counts the longest chain of solid lines."""
    s = make_scenario()
    s = attrs.evolve(
        s,
        roles=[*s.roles, Role(id="team", title="Team", level="support", reports_to="epb-cio")],
    )
    assert cio_framework.summarize(s).reporting_depth == 2


def test_summary_survives_a_cycle():
    """A reporting cycle does not hang the summary."""
    s = make_scenario()
    roles = [
        attrs.evolve(r, reports_to="epb-cio") if r.id == "district-cio" else r for r in s.roles
    ]
    assert cio_framework.summarize(attrs.evolve(s, roles=roles)).reporting_depth >= 1


def test_summary_weight_shares():
    """Business and technical weight shares come from the criteria's abilities."""
    s = make_scenario(
        criteria=[
            Criterion(id="b", name="B", weight=3, ability=Ability.BUSINESS),
            Criterion(id="t", name="T", weight=1, ability=Ability.TECHNICAL),
        ]
    )
    summary = cio_framework.summarize(s)
    assert summary.business_weight_share == pytest.approx(0.75)
    assert summary.technical_weight_share == pytest.approx(0.25)


def test_summary_records_and_html():
    """The summary converts to measure/value records and HTML."""
    summary = cio_framework.summarize(make_scenario())
    records = summary.to_records()
    assert {"measure": "pilot_departments", "value": 1} in records
    assert "<table>" in summary._repr_html_()


def test_json_report_is_valid_json():
    """The JSON report has scenario, summary, checks and notes."""
    data = json.loads(render_report(cio_framework.builtin("pudong-2016"), "json"))
    assert (data["kind"], data["version"]) == ("report", 1)
    assert set(data) == {
        "kind",
        "version",
        "scenario",
        "summary",
        "jurisdictions",
        "checks",
        "landscape",
        "notes",
    }
    assert data["jurisdictions"] == []  # a scenario without jurisdictions
    assert data["landscape"]["indicators"]["islands"] == 3
    assert data["scenario"]["as_of"] == "2016-12-01"


def test_report_lists_the_jurisdictions():
    """Each jurisdiction with its place, decider, meeting and own figures;
    the per-jurisdiction findings add up to the scenario's."""
    scenario = cio_framework.builtin("guangdong-cdo-2021")
    data = json.loads(render_report(scenario, "json"))
    rows = {row["id"]: row for row in data["jurisdictions"]}
    assert list(rows) == ["gd", "gz", "zq", "duanzhou"]
    assert rows["duanzhou"]["parent"] == "zq"
    assert rows["duanzhou"]["depth"] == 2
    assert rows["duanzhou"]["hub"] == "zq-platform"  # the city's: it has none of its own
    assert rows["gz"]["unlinked"] is True
    assert rows["gz"]["meeting"] == "gd-cdo-meeting"  # no meeting of its own
    placed = cio_framework.check(scenario).findings
    for place, row in rows.items():
        assert sum(row["findings"].values()) == sum(f.jurisdiction == place for f in placed)
    text = render_report(scenario)
    assert "Jurisdictions\n-------------" in text
    assert "    * Guangzhou (gz, sub-provincial city): hub gz-platform (does not reach" in text


def test_report_lists_findings():
    """Findings appear in the text report with their check id."""
    s = make_scenario(appraisals=[])
    text = render_report(s)
    assert "[appraisal-excludes-cio]" in text
    assert "1 warnings" in text


def test_report_data_places_findings():
    """A locate function adds file, line and column to JSON findings."""
    s = make_scenario(appraisals=[])
    data = report_data(s, locate=lambda f: ("x.yaml", 3, 5, "$.departments[1]"))
    finding = data["checks"]["findings"][0]
    assert (finding["file"], finding["line"], finding["column"]) == ("x.yaml", 3, 5)


def test_unknown_format_is_refused():
    """An unknown report format raises ValueError."""
    with pytest.raises(ValueError, match="unknown format"):
        render_report(make_scenario(), "pdf")


def test_render_problems_json():
    """Problems render as a JSON list."""
    with pytest.raises(cio_framework.ConfigError) as info:
        cio_framework.loads("cio_framework: 1\n")
    data = json.loads(render_problems(info.value.problems, "json"))
    assert data[0]["code"] == "missing-field"


def test_level_counts_are_in_the_singular_for_one():
    """A level with one role and one body says so: '1 role, 1 body', not '1 roles, 1 bodies'."""
    text = render_report(cio_framework.builtin("pudong-2016"))
    assert "Strategic decision-making (strategic): 1 role, 0 bodies" in text
    assert "(support): 9 roles, 0 bodies" in text
    assert "1 roles" not in text
