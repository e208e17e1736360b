"""Roles beyond Pudong's words: function, scope and grade, separate from kind."""

from __future__ import annotations

import attrs
import pytest

import cio_framework
from cio_framework.model import (
    KIND_MEANING,
    Body,
    BodyKind,
    Department,
    Exchange,
    Platform,
    Role,
    RoleFunction,
    RoleGrade,
    RoleKind,
    RoleScope,
    System,
)
from small_scenarios import three_departments


def officer(id, department, function=RoleFunction.CDO, grade=RoleGrade.PRINCIPAL, **more):
    """A departmental chief officer of ``function`` for ``department``."""
    return Role(
        id=id,
        title=f"{function.value.upper()} of {department}",
        level="support",
        department=department,
        holder=None,
        function=function,
        scope=RoleScope.DEPARTMENT,
        grade=grade,
        **more,
    )


def landscape(roles, bodies=None):
    """a1 on the hub (operated by a); b1 an island of b."""
    changes = {
        "roles": roles,
        "platforms": [Platform(id="hub", name="Hub", operator="a")],
        "systems": [
            System(id="a1", name="A1", department="a"),
            System(id="b1", name="B1", department="b"),
        ],
        "exchanges": [Exchange(from_="a1", to="hub")],
    }
    if bodies is not None:
        changes["bodies"] = bodies
    return three_departments(**changes)


def test_every_kind_has_a_meaning():
    """Each version-1 kind stands for a function and a scope."""
    assert set(KIND_MEANING) == set(RoleKind)
    role = Role(id="r", title="T", level="support", kind=RoleKind.DEPARTMENTAL_CIO)
    assert (role.effective_function, role.effective_scope) == (
        RoleFunction.CIO,
        RoleScope.DEPARTMENT,
    )


def test_function_and_scope_override_kind():
    """An explicit function or scope wins over what kind says."""
    role = Role(
        id="r",
        title="Agency CIO",
        level="support",
        kind=RoleKind.DEPARTMENTAL_CIO,
        scope=RoleScope.JURISDICTION,
    )
    assert role.is_jurisdiction_officer
    assert not role.is_departmental_officer


@pytest.mark.parametrize("function", sorted(RoleFunction, key=lambda f: f.value))
def test_only_chief_officers_are_accountable(function):
    """A departmental CIO, CDO, CDIO or CISO is accountable; an office or a head is not."""
    roles = [officer("a-cio", "a"), officer("b-x", "b", function=function)]
    best = cio_framework.priorities(landscape(roles)).priorities[0]
    assert best.id == "connect-b1"
    chief = function in {RoleFunction.CIO, RoleFunction.CDO, RoleFunction.CDIO, RoleFunction.CISO}
    assert ("b-x" in best.accountable) is chief


def test_a_city_cdo_is_accountable_and_satisfies_the_pilot_rule():
    """A CDO for a department counts as its chief officer everywhere."""
    roles = [officer("a-cio", "a"), officer("b-cdo", "b"), officer("c-cdo", "c")]
    scenario = attrs.evolve(
        landscape(roles),
        departments=[Department(id=d, name=d.upper(), pilot=True) for d in "abc"],
    )
    found = cio_framework.check(scenario).findings
    assert not [f for f in found if f.check == "pilot-without-cio"]
    without = attrs.evolve(scenario, roles=roles[:2])
    missing = [f for f in cio_framework.check(without).findings if f.check == "pilot-without-cio"]
    assert [f.ids for f in missing] == [("c",)]
    best = cio_framework.priorities(scenario).priorities[0]
    assert best.accountable[0] == "b-cdo"


def test_a_principal_is_accountable_before_a_deputy():
    """Of two officers of one department, the principal answers, whatever the ids."""
    roles = [
        officer("a-cio", "a"),
        officer("b-0-deputy", "b", function=RoleFunction.CIO, grade=RoleGrade.DEPUTY),
        officer("b-9-principal", "b"),
    ]
    best = cio_framework.priorities(landscape(roles)).priorities[0]
    assert best.accountable[0] == "b-9-principal"


def test_a_jurisdiction_officer_decides_without_a_committee():
    """With no CIO Committee, the jurisdiction's chief officer decides, of any function."""
    head = Role(
        id="city-cdo",
        title="Chief Data Officer",
        level="strategic",
        function=RoleFunction.CDO,
        scope=RoleScope.JURISDICTION,
    )
    roles = [officer("a-cio", "a"), officer("b-cdo", "b"), head]
    best = cio_framework.priorities(landscape(roles, bodies=[])).priorities[0]
    assert best.accountable == ("b-cdo", "a-cio")  # the island's, then the hub operator's
    assert best.decided_by == "city-cdo"


YAML = """\
cio_framework: 1
name: Province
levels:
  - {id: province, name: Province}
  - {id: city, name: City}
departments:
  - {id: gov, name: Provincial government}
  - {id: org, name: Organisation Department, kind: organisation department}
  - {id: data-admin, name: Data Administration, coordinates: [health, org]}
  - {id: health, name: Health Commission}
roles:
  - {id: cdo, title: Chief Data Officer, level: province, function: cdo,
     scope: jurisdiction, holder: null, appointed_by: org}
  - {id: health-cdo, title: Health Commission CDO, level: city, function: cdo,
     scope: department, department: health, grade: deputy, reports_to: cdo}
"""


def test_yaml_reads_function_scope_grade_appointment_and_coordination():
    """The new keys load, and the old kind stays OTHER when left out."""
    scenario = cio_framework.loads(YAML)
    cdo = scenario.get("cdo")
    assert (cdo.function, cdo.scope, cdo.appointed_by, cdo.kind) == (
        RoleFunction.CDO,
        RoleScope.JURISDICTION,
        "org",
        RoleKind.OTHER,
    )
    assert scenario.get("health-cdo").grade is RoleGrade.DEPUTY
    assert scenario.get("data-admin").coordinates == ("health", "org")


def test_a_misspelt_function_is_located_with_a_hint():
    """An unknown function is an error at its line, with the nearest value."""
    with pytest.raises(cio_framework.ConfigError) as raised:
        cio_framework.loads(
            YAML.replace(
                "function: cdo,\n     scope: jurisdiction",
                "function: cd0,\n     scope: jurisdiction",
            )
        )
    (problem,) = raised.value.problems
    assert problem.path.endswith("roles[0].function")
    assert "cdo" in (problem.hint or "")


def test_coordination_names_departments():
    """coordinates must name departments."""
    with pytest.raises(cio_framework.ConfigError, match="unknown department 'nobody'"):
        cio_framework.loads(YAML.replace("[health, org]", "[health, nobody]"))


def test_committee_still_decides_when_there_is_one():
    """A CIO Committee decides multi-department integrations, as before."""
    roles = [officer("a-cio", "a"), officer("b-cdo", "b")]
    committee = [Body(id="committee", name="C", kind=BodyKind.CIO_COMMITTEE, chair="a-cio")]
    ranked = cio_framework.priorities(landscape(roles, bodies=committee)).priorities
    assert {p.decided_by for p in ranked if len(set(p.accountable)) > 1} <= {"committee"}
