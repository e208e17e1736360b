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
