"""What-if variants at their edges: ids that read alike, changes that undo
or build on earlier ones in the same variant, merges of parents, the
messages of refused removals and the comparison's tables.

Each expectation is worked out from the documented meaning of the change
(docs and :func:`cio_framework.whatif`'s notes), not read from the code's
output. Found missing by a mutation run of ``analysis/whatif.py``.
"""

from __future__ import annotations

import pytest

import cio_framework
from cio_framework.analysis import WhatIfError
from cio_framework.model import (
    Change,
    Demand,
    Department,
    Exchange,
    MergeDepartments,
    MoveSystem,
    Platform,
    PrioritySettings,
    SetShare,
    ShareType,
    System,
    WhatIf,
)
from test_whatif import scenario


def landscape(*whatifs, **fields):
    """test_whatif's scenario without its matter."""
    return scenario(*whatifs, **{"matters": [], **fields})


def variant(*changes, **fields):
    s = landscape(WhatIf(id="w", changes=list(changes)), **fields)
    return s, cio_framework.whatif(s, "w")


def refused(*changes, **fields) -> WhatIfError:
    s = landscape(WhatIf(id="w", changes=list(changes)), **fields)
    with pytest.raises(WhatIfError) as caught:
        cio_framework.whatif(s, "w")
    assert caught.value.whatif == "w"
    return caught.value


# -- the exchange a move adds -----------------------------------------------------


def added_link(after, system: str, platform: str) -> Exchange:
    (found,) = [e for e in after.exchanges if (e.from_, e.to) == (system, platform)]
    return found


def test_a_move_adds_an_illustrative_exchange_that_says_where_it_came_from():
    _, after = variant(Change(move_system=MoveSystem(system="c1", to="hub")))
    link = added_link(after, "c1", "hub")
    assert link.id == "c1-hub-whatif"
    assert link.illustrative
    assert link.note == "Added by a what-if move_system change."


def test_a_link_id_another_pair_would_read_the_same_takes_a_digest():
    """System ``p-qq`` on platform ``z`` and system ``p`` on platform ``qq-z``
    both read ``p-qq-z``: the plain id would not say which pair it joins."""
    systems = [
        System(id="p-qq", name="PQ", department="a"),
        System(id="p", name="P", department="b"),
    ]
    platforms = [Platform(id="z", name="Z"), Platform(id="qq-z", name="QZ")]
    for moved, to in (("p-qq", "z"), ("p", "qq-z")):
        _, after = variant(
            Change(move_system=MoveSystem(system=moved, to=to)),
            systems=systems,
            platforms=platforms,
            resources=[],
            demands=[],
            exchanges=[],
        )
        link = added_link(after, moved, to)
        assert link.id.startswith("p-qq-z-whatif-")
        assert len(link.id) == len("p-qq-z-whatif-") + 12


def test_a_link_id_no_other_pair_reads_alike_stays_plain():
    """Here no platform ``qq-z`` nor system ``p-q`` with a platform ``q-z``."""
    systems = [
        System(id="p-qq", name="PQ", department="a"),
        System(id="p", name="P", department="b"),
    ]
    for platforms in (
        [Platform(id="z", name="Z")],
        [Platform(id="z", name="Z"), Platform(id="q-z", name="QZ")],
    ):
        _, after = variant(
            Change(move_system=MoveSystem(system="p-qq", to="z")),
            systems=systems,
            platforms=platforms,
            resources=[],
            demands=[],
            exchanges=[],
        )
        assert added_link(after, "p-qq", "z").id == "p-qq-z-whatif"


def test_a_move_after_its_only_link_was_removed_connects_again():
    """Removing the one live exchange between a system and a platform leaves
    them unconnected: moving the system there adds a link."""
    _, after = variant(
        Change(remove_exchange="e1"),
        Change(move_system=MoveSystem(system="a1", to="hub")),
    )
    assert [e.id for e in after.exchanges] == ["a1-hub-whatif"]


def test_a_move_keeps_the_one_link_left_of_two():
    exchanges = [Exchange(id="e1", from_="a1", to="hub"), Exchange(id="e2", from_="hub", to="a1")]
    _, after = variant(
        Change(remove_exchange="e1"),
        Change(move_system=MoveSystem(system="a1", to="hub")),
        exchanges=exchanges,
    )
    assert [e.id for e in after.exchanges] == ["e2"]


def test_an_exchange_added_by_the_variant_can_be_removed_by_it():
    _, after = variant(
        Change(add_exchange=Exchange(id="new", from_="b1", to="hub")),
        Change(add_exchange=Exchange(id="newer", from_="c1", to="hub")),
        Change(remove_exchange="new"),
    )
    assert [e.id for e in after.exchanges] == ["e1", "newer"]


# -- shares, removals, merges -------------------------------------------------------


def test_set_share_keeps_its_legal_basis():
    _, after = variant(
        Change(
            set_share=SetShare(resource="r", share=ShareType.CONDITIONAL, legal_basis="Decree 9")
        )
    )
    resource = after.get("r")
    assert (resource.share, resource.legal_basis) == (ShareType.CONDITIONAL, "Decree 9")


def test_a_removed_platform_is_no_place_to_move_to():
    error = refused(
        Change(remove_platform="hub"),
        Change(move_system=MoveSystem(system="c1", to="hub")),
        exchanges=[],
    )
    assert error.change == 1
    assert "no platform 'hub'" in str(error)


def test_a_removed_department_is_no_department_to_merge():
    error = refused(
        Change(remove_department="c"),
        Change(merge_departments=MergeDepartments(into="a", departments=["c"])),
        systems=[
            System(id="a1", name="A1", department="a"),
            System(id="b1", name="B1", department="b"),
        ],
    )
    assert error.change == 1
    assert "no department 'c'" in str(error)


def test_the_id_of_a_merged_department_is_not_free_again():
    """What named a merged department names the one it went into: its id
    cannot name a new element (which the variant would otherwise lose, or
    hand the merged department's systems to). Refused, not dropped."""
    for added in (Department(id="c", name="New C"), Platform(id="c", name="Platform C")):
        kind = "department" if isinstance(added, Department) else "platform"
        outside = WhatIf(
            id="elsewhere",
            changes=[
                Change(merge_departments=MergeDepartments(into="a", departments=["c"])),
                Change(**{f"add_{kind}": added}),
            ],
        )
        with pytest.raises(WhatIfError) as caught:
            cio_framework.whatif(landscape(), outside)
        assert caught.value.change == 1
        assert "id 'c' is already taken: department 'c' was merged into 'a'" in str(caught.value)


def test_the_id_of_a_removed_department_is_free_again():
    outside = WhatIf(
        id="elsewhere",
        changes=[
            Change(remove_department="c"),
            Change(remove_system="c1"),
            Change(add_department=Department(id="c", name="New C")),
        ],
    )
    after = cio_framework.whatif(landscape(), outside)
    assert after.get("c").name == "New C"


def test_a_variant_without_merges_keeps_an_owners_demand():
    """Only a merge drops a department's demand for its own resource."""
    demands = [Demand(by="a", resource="r"), Demand(by="b", resource="r")]
    s, after = variant(Change(retire_system="c1"), demands=demands)
    assert after.demands == s.demands


#: Departments a, b and c, c under b.
C_UNDER_B = [
    Department(id="a", name="A"),
    Department(id="b", name="B"),
    Department(id="c", name="C", parent="b"),
]


def test_a_child_of_a_merged_department_follows_it():
    _, after = variant(
        Change(merge_departments=MergeDepartments(into="a", departments=["b"])),
        departments=C_UNDER_B,
    )
    assert after.get("c").parent == "a"
    assert after.get("b1").department == "a"
    assert after.get("r").owner == "a"


def test_a_department_merged_into_its_child_has_no_parent_of_itself():
    _, after = variant(
        Change(merge_departments=MergeDepartments(into="c", departments=["b"])),
        departments=C_UNDER_B,
    )
    assert after.get("c").parent is None
    assert [d.id for d in after.departments] == ["a", "c"]


# -- a refused removal says what still names it ---------------------------------------


def test_a_refused_removal_lists_each_namer_and_its_fields():
    systems = [
        System(id="a1", name="A1", department="a"),
        System(id="b1", name="B1", department="b"),
        System(id="c1", name="C1", department="c", hosted_on="hub"),
    ]
    error = refused(
        Change(remove_platform="hub"),
        systems=systems,
        priorities=PrioritySettings(hub="hub"),
    )
    assert error.change == 0
    assert str(error) == (
        "what-if 'w': change 1 (remove_platform): cannot remove platform 'hub': it is named "
        "by exchange 'e1' (to); system 'c1' (hosted_on); the priority settings (hub); "
        "remove those too or change them"
    )


def test_a_refused_removal_joins_the_fields_of_one_namer():
    exchanges = [Exchange(id="e1", from_="a1", to="hub", via="hub")]
    error = refused(Change(remove_platform="hub"), exchanges=exchanges)
    assert "it is named by exchange 'e1' (to, via); remove" in str(error)


def test_a_merged_department_is_skipped_not_the_departments_after_it():
    """A merged department is no longer in the variant, but every department
    after it still is, and may still name what is removed."""
    departments = [
        Department(id="a", name="A"),
        Department(id="b", name="B"),
        Department(id="c", name="C", parent="d"),
        Department(id="d", name="D"),
    ]
    error = refused(
        Change(merge_departments=MergeDepartments(into="b", departments=["a"])),
        Change(remove_department="d"),
        departments=departments,
    )
    assert error.change == 1
    assert "department 'c' (parent)" in str(error)


def test_an_invalid_variant_of_another_scenario_names_the_variant():
    """A WhatIf from elsewhere is validated on its result: the error names it."""
    s = landscape()
    outside = WhatIf(
        id="elsewhere",
        changes=[Change(add_exchange=Exchange(from_="a1", to="hub", resources=["nope"]))],
    )
    with pytest.raises(WhatIfError) as caught:
        cio_framework.whatif(s, outside)
    assert caught.value.whatif == "elsewhere"
    assert caught.value.change is None
    assert "the variant is not a valid scenario" in str(caught.value)


# -- the comparison's forms --------------------------------------------------------------


def test_comparison_records_and_html_name_each_changed_indicator():
    s, after = variant(Change(add_exchange=Exchange(from_="b1", to="hub")))
    result = cio_framework.compare_variant(s, after, whatif="w")
    records = result.to_records()
    changed = result.indicator_changes()
    assert records == [
        {"indicator": name, "before": before, "after": now}
        for name, (before, now) in changed.items()
    ]
    assert {"indicator": "islands", "before": 2, "after": 1} in records
    html = result._repr_html_()
    for name in changed:
        assert f"<td>{name}</td>" in html
    for header in ("indicator", "before", "after"):
        assert f"<th>{header}</th>" in html


def test_comparison_of_a_variant_that_changes_nothing():
    s, after = variant(Change(set_share=SetShare(resource="r", share=ShareType.UNCONDITIONAL)))
    result = cio_framework.compare_variant(s, after, whatif="w")
    assert result.to_records() == []
    assert "No change." in result._repr_html_()


def test_the_id_of_a_demand_a_merge_drops_is_free_again():
    """A merge drops a department's demand for its own resource: the
    variant no longer holds it, so its id may name something new."""
    demands = [Demand(id="d-own", by="a", resource="r")]
    outside = WhatIf(
        id="elsewhere",
        changes=[
            Change(merge_departments=MergeDepartments(into="b", departments=["a"])),
            Change(add_system=System(id="d-own", name="New", department="b")),
        ],
    )
    after = cio_framework.whatif(landscape(demands=demands), outside)
    assert after.demands == ()
    assert after.get("d-own").name == "New"
    kept = WhatIf(
        id="kept",
        changes=[Change(add_system=System(id="d-own", name="New", department="b"))],
    )
    with pytest.raises(WhatIfError, match="id 'd-own' is already taken"):
        cio_framework.whatif(landscape(demands=demands), kept)
