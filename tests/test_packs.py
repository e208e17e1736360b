"""Reference packs pulled in with uses:."""

from __future__ import annotations

import pytest

import cio_framework
from cio_framework.config._packs import available_packs

HEAD = (
    "cio_framework: 1\nname: Packs\npeople: [{id: p}]\n"
    "roles:\n  - {id: board, title: Board, level: strategic, holder: p}\n"
    "  - {id: it-lead, title: IT lead, level: executive, holder: p, reports_to: board}\n"
)


def test_packs_are_shipped():
    """The four reference packs are available by name."""
    assert set(available_packs()) >= {
        "pudong-selection",
        "clinger-cohen-competencies",
        "china-2016-sharing",
        "iso-38500",
    }


@pytest.mark.parametrize(
    "name", ["pudong-selection", "clinger-cohen-competencies", "china-2016-sharing"]
)
def test_pack_elements_merge_into_the_scenario(name):
    """A pack's elements join the scenario, each with a source."""
    s = cio_framework.loads(HEAD + f"uses: [{name}]\n")
    added = [
        e
        for _, e in s.elements()
        if getattr(e, "id", "").split("-")[0] in ("pudong", "ccc", "cn2016")
    ]
    assert added
    assert all(e.source for e in added)


def test_pudong_selection_weighs_business_above_technical():
    """The Pudong selection pack ranks business ability above technical background."""
    s = cio_framework.loads(HEAD + "uses: [pudong-selection]\n")
    summary = cio_framework.summarize(s)
    assert summary.business_weight_share > summary.technical_weight_share


def test_china_pack_raises_the_sharing_rules_to_errors():
    """The 2016 measures pack makes the landscape sharing rules errors."""
    s = cio_framework.loads(
        HEAD
        + "uses: [china-2016-sharing]\n"
        + "departments: [{id: d, name: D}]\n"
        + "resources: [{id: r, name: R, owner: d, category: base, share: conditional}]\n"
    )
    errors = {f.check for f in cio_framework.check(s).errors}
    assert errors == {"base-resource-not-unconditional", "share-without-legal-basis"}


def test_iso_pack_maps_placeholder_roles():
    """Placeholder roles are renamed to the scenario's roles."""
    s = cio_framework.loads(
        HEAD + "uses: [{pack: iso-38500, roles: {governing-body: board, cio: it-lead}}]\n"
    )
    duties = [r for r in s.responsibilities if r.id.startswith("iso38500-")]
    assert len(duties) == 3
    assert all(d.accountable == ("board",) for d in duties)


def test_iso_pack_without_mapping_reports_the_placeholder():
    """An unmapped placeholder role is a located problem in the pack."""
    with pytest.raises(cio_framework.ConfigError) as info:
        cio_framework.loads(HEAD + "uses: [iso-38500]\n")
    files = {p.file for p in info.value.problems}
    assert files == {"<pack:iso-38500>"}
    assert all(p.code == "dangling-reference" for p in info.value.problems)
    assert all(p.line for p in info.value.problems)


def test_unknown_pack_is_located():
    """An unknown pack name is reported at its line with a suggestion."""
    with pytest.raises(cio_framework.ConfigError) as info:
        cio_framework.loads(HEAD + "uses: [pudong-selections]\n", name="s.yaml")
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.code) == ("s.yaml", 7, "dangling-reference")
    assert problem.hint == "did you mean 'pudong-selection'?"


def test_pack_ids_collide_with_the_scenario():
    """A scenario id equal to a pack id is a duplicate, naming the pack."""
    with pytest.raises(cio_framework.ConfigError) as info:
        cio_framework.loads(
            HEAD
            + "uses: [pudong-selection]\ncriteria: [{id: pudong-strategic-thinking, name: X}]\n"
        )
    (problem,) = info.value.problems
    assert (problem.file, problem.code) == ("<pack:pudong-selection>", "duplicate-id")
    assert "already used by the criterion at <string>:8:" in problem.message


def test_loaded_pack_round_trips_without_the_pack():
    """dump writes the pack's elements inline, so the dump is self-contained."""
    s = cio_framework.loads(HEAD + "uses: [pudong-selection]\n")
    text = cio_framework.dumps(s)
    assert "uses:" not in text
    assert cio_framework.loads(text) == s


def test_bad_uses_entries():
    """A malformed uses list is reported, not crashed on."""
    with pytest.raises(cio_framework.ConfigError) as info:
        cio_framework.loads(HEAD + "uses: [{pack: iso-38500, roles: [x]}, 3]\n")
    assert [p.code for p in info.value.problems] == ["wrong-type", "wrong-type"]


def test_scenario_settings_override_a_packs():
    """A check setting in the scenario wins over the same setting in a pack."""
    s = cio_framework.loads(
        HEAD + "uses: [china-2016-sharing]\nchecks: {share-without-legal-basis: warning}\n"
    )
    assert s.checks["share-without-legal-basis"].value == "warning"
    assert s.checks["base-resource-not-unconditional"].value == "error"


def test_two_placeholders_mapped_to_one_role_keep_both_letters():
    """Mapping governing-body and cio to one role gives it R and A."""
    s = cio_framework.loads(
        HEAD + "uses: [{pack: iso-38500, roles: {governing-body: board, cio: board}}]\n"
    )
    duties = [r for r in s.responsibilities if r.id.startswith("iso38500-")]
    assert {d.raci["board"] for d in duties} == {"RA"}


def test_mistyped_placeholder_is_reported_at_the_use():
    """A roles key the pack does not have is reported where the pack is used."""
    with pytest.raises(cio_framework.ConfigError) as info:
        cio_framework.loads(
            HEAD + "uses: [{pack: iso-38500, roles: {governing-bdy: board, cio: it-lead}}]\n",
            name="s.yaml",
        )
    first = info.value.problems[0]
    assert (first.file, first.line, first.code) == ("s.yaml", 7, "unknown-key")
    assert "governing-body" in first.hint


def test_mistyped_role_a_placeholder_is_mapped_to_is_reported_once_at_the_mapping():
    """A roles value that names no role is one problem at that value, with
    the nearest role as hint, not one at each place of the pack naming the
    placeholder (three in iso-38500); lenient loading still leaves out the
    pack's elements that name it."""
    text = HEAD + "uses: [{pack: iso-38500, roles: {governing-body: boardd, cio: it-lead}}]\n"
    with pytest.raises(cio_framework.ConfigError) as info:
        cio_framework.loads(text, name="s.yaml")
    (problem,) = info.value.problems
    column = text.splitlines()[6].index("boardd") + 1
    assert (problem.file, problem.line, problem.column) == ("s.yaml", 7, column)
    assert (problem.code, problem.message) == ("dangling-reference", "unknown role 'boardd'")
    assert problem.hint == "did you mean 'board'?"
    salvaged = cio_framework.loads_lenient(text, name="s.yaml")
    assert sorted(d.id for d in salvaged.dropped) == [
        "iso38500-direct",
        "iso38500-evaluate",
        "iso38500-monitor",
    ]


def test_pack_used_twice_with_different_roles():
    """Using one pack twice with different mappings is a conflict."""
    with pytest.raises(cio_framework.ConfigError) as info:
        cio_framework.loads(
            HEAD + "uses: [{pack: iso-38500, roles: {governing-body: board, cio: it-lead}},"
            " {pack: iso-38500, roles: {governing-body: it-lead, cio: board}}]\n"
        )
    assert [p.code for p in info.value.problems] == ["conflict"]
