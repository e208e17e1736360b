"""What-if variants: applying overlays and comparing them with the baseline."""

from __future__ import annotations

import pytest

import cio_framework
from cio_framework.analysis import WhatIfError
from cio_framework.model import (
    Change,
    Demand,
    Department,
    Exchange,
    Matter,
    MergeDepartments,
    MoveSystem,
    Platform,
    Resource,
    SetShare,
    ShareType,
    System,
    SystemStatus,
    WhatIf,
)
from cio_framework.testing import make_scenario


def scenario(*whatifs, **fields):
    """Departments a, b, c with a system each (a1, b1, c1); platform hub; b's
    resource r held in b1, demanded by a; matter m; exchange e1 a1->hub.
    ``fields`` replace whole fields."""
    base = {
        "departments": [Department(id=d, name=d.upper()) for d in "abc"],
        "roles": [],
        "bodies": [],
        "responsibilities": [],
        "appraisals": [],
        "platforms": [Platform(id="hub", name="Hub")],
        "systems": [
            System(id="a1", name="A1", department="a"),
            System(id="b1", name="B1", department="b"),
            System(id="c1", name="C1", department="c"),
        ],
        "resources": [Resource(id="r", name="R", owner="b", held_in="b1")],
        "demands": [Demand(by="a", resource="r")],
        "matters": [Matter(id="m", name="M", approved_by="b", supervised_by="c")],
        "exchanges": [Exchange(id="e1", from_="a1", to="hub")],
        "scenarios": list(whatifs),
    }
    return make_scenario(**{**base, **fields})


def test_add_exchange_merges_islands():
    """Adding a live exchange joins an island to the platform."""
    s = scenario(WhatIf(id="w", changes=[Change(add_exchange=Exchange(from_="b1", to="hub"))]))
    after = cio_framework.whatif(s, "w")
    assert len(after.exchanges) == 2
    result = cio_framework.compare_variant(s, after, whatif="w")
    assert result.indicator_changes()["islands"] == (2, 1)
    assert result.barriers_resolved == ("a:r",)
    assert result.islands_after == (("c1",),)


def test_remove_exchange():
    """Removing an exchange can create an island."""
    s = scenario(WhatIf(id="w", changes=[Change(remove_exchange="e1")]))
    after = cio_framework.whatif(s, "w")
    assert after.exchanges == ()
    assert cio_framework.compare_variant(s, after).indicator_changes()["islands"] == (2, 3)


def test_move_system_to_platform_connects_it():
    """Moving a system onto a platform hosts it there and connects it."""
    s = scenario(WhatIf(id="w", changes=[Change(move_system=MoveSystem(system="c1", to="hub"))]))
    after = cio_framework.whatif(s, "w")
    assert after.get("c1").hosted_on == "hub"
    assert cio_framework.islands(after).group_of("c1").connected_to_platform


def test_set_share_creates_a_barrier():
    """Changing a share type to none makes the demand a barrier."""
    s = scenario(
        WhatIf(
            id="w",
            changes=[
                Change(add_exchange=Exchange(from_="b1", to="hub")),
                Change(set_share=SetShare(resource="r", share=ShareType.NONE, legal_basis="law")),
            ],
        )
    )
    after = cio_framework.whatif(s, "w")
    assert after.get("r").share is ShareType.NONE
    assert cio_framework.compare_variant(s, after).barriers_resolved == ()


def test_retire_system():
    """Retiring a system takes it out of the groups."""
    s = scenario(WhatIf(id="w", changes=[Change(retire_system="a1")]))
    after = cio_framework.whatif(s, "w")
    assert after.get("a1").status is SystemStatus.RETIRED
    assert "a1" not in {x for g in cio_framework.islands(after).groups for x in g.systems}


def test_merge_departments_rewrites_references():
    """Merging departments moves systems, matters and demands to the survivor."""
    s = scenario(
        WhatIf(
            id="w",
            changes=[Change(merge_departments=MergeDepartments(into="b", departments=["c"]))],
        )
    )
    after = cio_framework.whatif(s, "w")
    assert [d.id for d in after.departments] == ["a", "b"]
    assert after.get("c1").department == "b"
    assert after.matters[0].supervised_by == "b"
    assert cio_framework.fault_zones(after).zones == ()


def test_baseline_is_unchanged():
    """Applying a variant returns a new scenario and leaves the baseline alone."""
    s = scenario(WhatIf(id="w", changes=[Change(retire_system="a1")]))
    cio_framework.whatif(s, "w")
    assert s.get("a1").status is SystemStatus.IN_USE


def test_unknown_whatif():
    """An unknown variant id raises UnknownNameError with the known ids."""
    with pytest.raises(
        cio_framework.UnknownNameError, match="unknown what-if scenario 'x'; known: w"
    ):
        cio_framework.whatif(scenario(WhatIf(id="w")), "x")


def test_change_that_does_not_fit():
    """Removing an exchange twice is a WhatIfError naming the change."""
    s = scenario(
        WhatIf(id="w", changes=[Change(remove_exchange="e1"), Change(remove_exchange="e1")])
    )
    with pytest.raises(WhatIfError, match="change 2 \\(remove_exchange\\)"):
        cio_framework.whatif(s, "w")


def test_change_needs_exactly_one_key_in_yaml():
    """A change with two keys is a located config error."""
    text = (
        "cio_framework: 1\nname: x\nsystems: [{id: s, name: S, department: d}]\n"
        "departments: [{id: d, name: D}]\n"
        "scenarios:\n  - id: w\n    changes:\n      - {retire_system: s, remove_exchange: e}\n"
    )
    with pytest.raises(cio_framework.ConfigError) as info:
        cio_framework.loads(text)
    lines = {p.line for p in info.value.problems}
    assert lines == {8}


def test_whatif_references_are_checked_at_load():
    """A change naming an unknown system is reported at its line."""
    text = (
        "cio_framework: 1\nname: x\n"
        "scenarios:\n  - id: w\n    changes:\n      - retire_system: nope\n"
    )
    with pytest.raises(cio_framework.ConfigError) as info:
        cio_framework.loads(text)
    (problem,) = info.value.problems
    assert (problem.line, problem.code) == (6, "dangling-reference")


def test_pudong_connect_epb():
    """Pudong's connect-epb variant removes the EPB island."""
    base = cio_framework.builtin("pudong-2016")
    result = cio_framework.compare_variant(
        base, cio_framework.whatif(base, "connect-epb"), whatif="connect-epb"
    )
    assert ("epb-approvals", "epb-monitoring") in result.islands_before
    assert ("epb-monitoring", "epb-approvals") not in result.islands_after


def test_a_change_that_does_not_fit_is_placed_at_itself(tmp_path, capsys):
    """whatif's error for a change that cannot apply names the file, the
    line and column of that change, and exits 1 (not a usage error)."""
    from cio_framework.cli import main
    from cio_framework.data import builtin_text

    text = builtin_text("pudong-2016") + (
        "  - id: v6\n    name: V6\n    changes:\n"
        "      - retire_system: epb-approvals\n      - remove_department: epb\n"
    )
    path = tmp_path / "wv.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == 0  # its form is valid
    capsys.readouterr()
    assert main(["whatif", str(path), "v6"]) == 1
    out, err = capsys.readouterr()
    line = text.splitlines().index("      - remove_department: epb") + 1
    assert out == ""
    assert err.startswith(f"{path}:{line}:9: error: what-if 'v6': change 2 (remove_department)")
    assert err.count("\n") == 1
