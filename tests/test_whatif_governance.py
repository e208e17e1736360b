"""Governance what-if changes: appoint, vacate, add and remove roles,
departments, bodies, systems and platforms."""

from __future__ import annotations

import datetime as dt

import pytest

import cio_framework
from cio_framework.analysis import WhatIfError
from cio_framework.model import (
    Appoint,
    Body,
    Change,
    Department,
    Exchange,
    Person,
    Platform,
    Role,
    RoleFunction,
    RoleScope,
    System,
    Tenure,
    WhatIf,
)
from cio_framework.testing import make_scenario

PEOPLE = [Person(id=p, name=p.title()) for p in ("lead", "deputy", "zhang")]


def base(*whatifs, **more):
    """Departments a and b, a CIO for a only; systems a1 and b1, each an
    island, so connecting b1 to the hub is an integration of b's."""
    fields = {
        "people": PEOPLE,
        "departments": [Department(id=d, name=d.upper()) for d in "ab"],
        "roles": [
            Role(
                id="top",
                title="District CIO",
                level="strategic",
                function=RoleFunction.CIO,
                scope=RoleScope.JURISDICTION,
                holder="lead",
            ),
            Role(
                id="a-cio",
                title="CIO of A",
                level="support",
                department="a",
                function=RoleFunction.CIO,
                scope=RoleScope.DEPARTMENT,
                holder="deputy",
                reports_to="top",
            ),
        ],
        "bodies": [Body(id="committee", name="Committee", chair="top", members=["a-cio"])],
        "responsibilities": [],
        "appraisals": [],
        "platforms": [Platform(id="hub", name="Hub")],
        "systems": [
            System(id="a1", name="A1", department="a"),
            System(id="b1", name="B1", department="b"),
        ],
        "exchanges": [],
        "scenarios": list(whatifs),
    }
    fields.update(more)
    return make_scenario(**fields)


def apply(*changes, scenario=None):
    return cio_framework.whatif(scenario or base(), WhatIf(id="w", changes=list(changes)))


B_CDO = Role(
    id="b-cdo",
    title="Chief Data Officer of B",
    level="support",
    department="b",
    function=RoleFunction.CDO,
    scope=RoleScope.DEPARTMENT,
    reports_to="top",
)


def test_appoint_sets_the_holder():
    """appoint makes the person the role's holder."""
    after = apply(Change(appoint=Appoint(role="a-cio", person="zhang")))
    assert after.get("a-cio").holder == "zhang"
    assert after.get("a-cio").acting is False


def test_appoint_acting():
    """appoint with acting: true makes an acting holder."""
    after = apply(Change(appoint=Appoint(role="a-cio", person="zhang", acting=True)))
    assert after.get("a-cio").acting is True


def test_appoint_drops_tenures():
    """appoint replaces the role's tenures: the variant keeps the appointee at every date."""
    timed = Role(
        id="a-cio",
        title="CIO of A",
        level="support",
        department="a",
        function=RoleFunction.CIO,
        scope=RoleScope.DEPARTMENT,
        reports_to="top",
        tenures=[Tenure(holder="deputy")],
    )
    s = base(roles=[base().roles[0], timed])
    after = apply(Change(appoint=Appoint(role="a-cio", person="zhang")), scenario=s)
    assert after.get("a-cio").tenures == ()
    assert cio_framework.at_date(after, dt.date(2000, 1, 1)).get("a-cio").holder == "zhang"


def test_appoint_unknown_person_is_refused():
    """appoint of a person the scenario does not know raises WhatIfError."""
    with pytest.raises(WhatIfError, match="no person 'nobody'"):
        apply(Change(appoint=Appoint(role="a-cio", person="nobody")))


def test_vacate_leaves_the_role_vacant():
    """vacate removes the holder, and with it acting."""
    after = apply(Change(vacate="a-cio"))
    assert after.get("a-cio").vacant
    assert after.get("a-cio").acting is False


def test_vacate_unknown_role_is_refused():
    """vacate of a role that does not exist raises WhatIfError."""
    with pytest.raises(WhatIfError, match="no role 'x' to vacate"):
        apply(Change(vacate="x"))


def test_appointed_cdo_is_accountable_for_the_departments_integrations():
    """A CDO added and appointed for department b is accountable for b's integrations."""
    before = base()
    after = apply(
        Change(add_role=B_CDO),
        Change(appoint=Appoint(role="b-cdo", person="zhang")),
        scenario=before,
    )
    touching_b = [p for p in cio_framework.priorities(after).priorities if "b" in p.departments]
    assert touching_b
    assert all("b-cdo" in p.accountable for p in touching_b)
    only_b = [p for p in cio_framework.priorities(before).priorities if p.departments == ("b",)]
    assert only_b
    assert all(p.accountable == () for p in only_b)


def test_add_role_is_validated_against_the_variant():
    """An added role naming an unknown department makes the variant invalid."""
    stray = Role(id="x-cio", title="CIO of X", level="support", department="x")
    with pytest.raises(WhatIfError, match="not a valid scenario"):
        apply(Change(add_role=stray))


def test_add_then_refer_in_the_same_variant():
    """A later change may name what an earlier change of the variant added."""
    after = apply(
        Change(add_department=Department(id="c", name="C")),
        Change(add_system=System(id="c1", name="C1", department="c")),
        Change(add_platform=Platform(id="hub2", name="Hub 2")),
        Change(add_exchange=Exchange(id="c1-hub2", from_="c1", to="hub2")),
        Change(add_body=Body(id="board", name="Board", chair="top")),
    )
    assert {"c", "c1", "hub2", "c1-hub2", "board"} <= {
        getattr(e, "id", None) for _, e in after.elements()
    }


def test_add_with_a_taken_id_is_refused():
    """Adding an element whose id is taken raises WhatIfError."""
    with pytest.raises(WhatIfError, match="'a1' is already taken"):
        apply(Change(add_system=System(id="a1", name="Again", department="a")))


@pytest.mark.parametrize(
    ("change", "collection", "removed"),
    [
        (Change(remove_role="a-cio"), "roles", None),
        (Change(remove_body="committee"), "bodies", "committee"),
        (Change(remove_platform="hub"), "platforms", "hub"),
        (Change(remove_system="b1"), "systems", "b1"),
    ],
)
def test_remove_an_unnamed_element(change, collection, removed):
    """Removing an element nothing names takes it out of the variant."""
    if removed is None:  # a-cio is named by the committee: remove that first
        after = apply(Change(remove_body="committee"), change)
        removed = "a-cio"
    else:
        after = apply(change)
    assert removed not in {e.id for e in getattr(after, collection)}
    assert cio_framework.validate(after) == ()


def test_remove_a_named_element_is_refused_naming_the_references():
    """Removing an element others name raises WhatIfError listing them, and removes nothing."""
    with pytest.raises(WhatIfError) as info:
        apply(Change(remove_role="top"))
    message = str(info.value)
    assert "role 'a-cio' (reports_to)" in message
    assert "body 'committee' (chair)" in message


def test_an_element_and_what_names_it_are_removed_in_any_order():
    """Removing an element before what names it is as good as after: only
    the variant with all its changes must name nothing removed."""
    before = apply(Change(remove_body="committee"), Change(remove_role="a-cio"))
    after = apply(Change(remove_role="a-cio"), Change(remove_body="committee"))
    assert before == after
    assert "a-cio" not in {r.id for r in after.roles}


def test_a_removal_refused_is_placed_at_its_change():
    """What still names a removed element is told at the removal's change."""
    with pytest.raises(WhatIfError) as info:
        apply(Change(remove_body="committee"), Change(remove_role="top"))
    assert info.value.change == 1
    assert info.value.message.startswith("change 2 (remove_role): cannot remove role 'top'")
    assert "role 'a-cio' (reports_to)" in str(info.value)


def test_remove_department_named_through_a_merge_is_refused():
    """A department is named also by elements of a department merged into it."""
    from cio_framework.model import MergeDepartments

    with pytest.raises(WhatIfError, match="system 'b1' \\(department\\)"):
        apply(
            Change(merge_departments=MergeDepartments(into="a", departments=["b"])),
            Change(remove_system="a1"),
            Change(remove_department="a"),
        )


def test_refusal_message_ignores_list_order():
    """The refusal names the same references whatever the order of the scenario's lists."""
    forward = base()
    backward = base(roles=forward.roles[::-1], systems=forward.systems[::-1])
    messages = []
    for s in (forward, backward):
        with pytest.raises(WhatIfError) as info:
            apply(Change(remove_department="a"), scenario=s)
        messages.append(str(info.value))
    assert messages[0] == messages[1]


def test_remove_then_add_again():
    """An id a variant removed may be added again."""
    after = apply(
        Change(remove_platform="hub"), Change(add_platform=Platform(id="hub", name="New"))
    )
    assert [p.name for p in after.platforms] == ["New"]


def test_yaml_variant_may_name_ids_it_adds():
    """A file's variant may appoint to a role it adds: the loader knows the added id."""
    text = cio_framework.dumps(
        base(
            WhatIf(
                id="cdo",
                changes=[
                    Change(add_role=B_CDO),
                    Change(appoint=Appoint(role="b-cdo", person="zhang")),
                ],
            )
        )
    )
    loaded = cio_framework.loads(text)
    assert cio_framework.whatif(loaded, "cdo").get("b-cdo").holder == "zhang"


def test_yaml_added_id_clashing_is_a_load_error():
    """An id a variant adds that the scenario already uses is a duplicate-id problem at load."""
    clash = Role(id="a-cio", title="Again", level="support")
    text = cio_framework.dumps(base()) + (
        "scenarios:\n- id: w\n  changes:\n  - add_role: {id: a-cio, title: Again, level: support}\n"
    )
    assert clash.id == "a-cio"
    with pytest.raises(cio_framework.ConfigError) as info:
        cio_framework.loads(text)
    (problem,) = info.value.problems
    assert problem.code == "duplicate-id"
    assert problem.path == "$.scenarios[0].changes[0].add_role.id"
    assert problem.line is not None
