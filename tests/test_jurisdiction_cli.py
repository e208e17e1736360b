"""Nested jurisdictions on the command line and in the built-in province:
``--jurisdiction``, ``agenda --body``, ``compare`` of one scenario, titles
in the outputs, and what a part (``within``) holds."""

from __future__ import annotations

import json

import pytest

import cio_framework
from cio_framework.analysis import compare_jurisdictions, split, whatif, within
from cio_framework.cli import main
from cio_framework.graph.jurisdictions import JurisdictionTree

NAME = "guangdong-cdo-2021"


@pytest.fixture(scope="module")
def province():
    return cio_framework.builtin(NAME)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_islands_within_a_jurisdiction(capsys):
    code, out, _ = run(capsys, "islands", NAME, "--jurisdiction", "zq", "--format", "json")
    assert code == 0
    data = json.loads(out)
    systems = sorted(s for g in data["groups"] for s in g["systems"])
    assert systems == ["zq-employment", "zq-household"]  # Zhaoqing's own, nothing else
    assert {g["jurisdiction"] for g in data["groups"]} == {"zq"}
    assert data["islands"] == 1


def test_an_unknown_jurisdiction_is_a_usage_error(capsys):
    code, _, err = run(capsys, "islands", NAME, "--jurisdiction", "zhaoqing")
    assert code == 2
    assert "unknown jurisdiction 'zhaoqing'" in err
    assert "Traceback" not in err


def test_priorities_name_titles_and_the_deciding_jurisdiction(capsys):
    code, out, _ = run(capsys, "priorities", NAME)
    assert code == 0
    assert (
        "Accountable: Chief Data Officer of Duanzhou District (duanzhou-cdo), Chief Data "
        "Officer of the Zhaoqing Government Service Data Administration (zq-data-cdo); decided "
        "by Zhaoqing digital government reform leading group (zq-leading-group) (Zhaoqing)."
    ) in out
    code, out, _ = run(capsys, "priorities", NAME, "--format", "json")
    ranked = {p["id"]: p for p in json.loads(out)["priorities"]}
    cross = ranked["provide-gz-household-records-to-zq-hrss"]
    assert (cross["jurisdiction"], cross["decided_by"]) == ("gd", "gd-leading-group")


def test_agenda_per_body(capsys, province):
    code, out, _ = run(capsys, "agenda", NAME, "--body", "zq-cdo-meeting", "--format", "json")
    assert code == 0
    zhaoqing = json.loads(out)
    assert zhaoqing["body"] == "zq-cdo-meeting"
    code, out, _ = run(capsys, "agenda", NAME, "--format", "json")
    top = json.loads(out)
    assert top["body"] == "gd-cdo-meeting"  # the highest regular meeting by default
    ours = {i["title"] for i in zhaoqing["items"]}
    assert not ours & {i["title"] for i in top["items"]}  # each issue goes to one body
    code, _, err = run(capsys, "agenda", NAME, "--body", "nosuch")
    assert code == 2
    assert "unknown body 'nosuch'" in err


def test_compare_one_scenario_compares_its_jurisdictions(capsys, province):
    code, out, _ = run(capsys, "compare", NAME, "--format", "json")
    assert code == 0
    profiles = json.loads(out)["profiles"]
    assert [p["jurisdiction"] for p in profiles] == [
        "Guangdong Province",
        "Guangzhou",
        "Zhaoqing",
        "Duanzhou District",
    ]
    assert [p.name for p in compare_jurisdictions(province).profiles] == [
        p["name"] for p in profiles
    ]


def test_a_part_holds_what_belongs_to_its_jurisdiction(province):
    tree = JurisdictionTree(province)
    for j in tree.jurisdictions:
        part = within(province, j)
        assert cio_framework.validate(part) == ()
        for collection in ("departments", "roles", "bodies", "platforms"):
            for element in getattr(part, collection):
                assert tree.of(element.id) == j, (j, element.id)
        departments = {d.id for d in part.departments}
        assert all(s.department in departments for s in part.systems)
        assert [x.id for x in part.jurisdictions] == [j]
        assert part.jurisdictions[0].parent is None
        assert part.notes == ()
    below = within(province, "zq", below=True)
    assert {d.id for d in below.departments} == {
        "zq-data",
        "zq-psb",
        "zq-hrss",
        "duanzhou-data",
    }
    # the cross-city demand and the exchange to the provincial hub belong to no one city
    assert within(province, "zq").demands == ()
    assert "zq-gd" not in {e.key for e in within(province, "zq").exchanges}
    assert [p.jurisdiction for p in split(province)] == [
        "Guangdong Province",
        "Guangzhou",
        "Zhaoqing",
        "Duanzhou District",
    ]


def test_parts_do_not_depend_on_list_order(province):
    import attrs

    from cio_framework.model import COLLECTIONS

    reversed_ = attrs.evolve(
        province, **{c: tuple(reversed(getattr(province, c))) for c in COLLECTIONS if c != "levels"}
    )
    for j in ("gd", "zq", "gz", "duanzhou"):
        a, b = within(province, j), within(reversed_, j)
        for c in COLLECTIONS:
            if c == "levels":
                continue
            assert sorted(map(repr, getattr(a, c))) == sorted(map(repr, getattr(b, c))), (j, c)


def test_appointing_the_district_cdo(province, capsys):
    changed = whatif(province, "appoint-duanzhou-cdo")
    assert next(r for r in changed.roles if r.id == "duanzhou-cdo").holder == (
        "duanzhou-deputy-head"
    )
    code, out, _ = run(capsys, "whatif", NAME, "appoint-duanzhou-cdo")
    assert code == 0
    assert "Check findings resolved: vacant-role (duanzhou-cdo)" in out
    assert "Check findings added: none" in out


def test_the_province_cites_its_sources(province):
    """Every element cites a listed source, and whatever the sources do not
    state is marked: the landscape is illustrative throughout."""
    listed = {s.id for s in province.sources}
    assert listed == {"gd-2021-63", "zq-2021", "ycwb-2021"}
    for collection, element in province.elements():
        if collection == "sources":
            continue
        assert element.source, (collection, element)
        assert element.source.split()[0].rstrip(";") in listed
    for collection in ("platforms", "systems", "resources", "exchanges", "demands"):
        assert all(e.illustrative for e in getattr(province, collection)), collection
    # the six provincial pilot departments of the notice, three of them modelled
    pilots = {d.local_name for d in province.departments if d.pilot and d.jurisdiction == "gd"}
    assert pilots == {"广东省公安厅", "广东省人力资源社会保障厅", "广东省生态环境厅"}
    source = next(s for s in province.sources if s.id == "gd-2021-63")
    assert str(source.date) == "2021-04-23"
