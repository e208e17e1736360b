"""Three kinds of performance assessment (a department's appraisal, a critical
element of one person's evaluation, an external scorecard) and delegation
restricted to certain roles."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

import cio_framework
from cio_framework.model import (
    Appraisal,
    Delegation,
    PerformanceElement,
    Responsibility,
    Role,
    RoleKind,
    Scorecard,
)
from cio_framework.testing import make_scenario


def fired(scenario, check_id):
    return [f for f in cio_framework.check(scenario).findings if f.check == check_id]


#: The scenario of make_scenario with every kind of assessment, as a file.
THREE_KINDS = """
cio_framework: 1
name: Three kinds
departments:
  - {id: agency, name: Agency}
  - {id: bureau, name: Bureau, parent: agency, pilot: true}
people: [{id: p1}, {id: p2}, {id: p3}]
roles:
  - {id: agency-cio, title: Agency CIO, kind: district_cio, level: strategic,
     department: agency, holder: p1}
  - {id: chco, title: CHCO, level: executive, department: agency, holder: p3}
  - {id: bureau-cio, title: Bureau CIO, kind: departmental_cio, level: support,
     department: bureau, holder: p2, reports_to: agency-cio}
appraisals:
  - {department: bureau, includes_cio_work: true, weight: 0.1}
performance_elements:
  - {role: bureau-cio, name: Agency-wide IT management, established_by: [chco, agency-cio],
     input_by: [agency-cio], source: m-15-14 element N1}
scorecards:
  - id: fitara-1
    name: FITARA Scorecard 1.0
    organisation: agency
    graded_by: House Committee on Oversight and Government Reform
    data_from: Government Accountability Office
    date: 2015-11-04
    overall: D
    grades: {CIO authority enhancements: C, Portfolio review: B}
"""


def test_each_kind_loads_into_its_own_collection():
    """Departmental appraisals, individual elements and scorecards are distinct values."""
    s = cio_framework.loads(THREE_KINDS)
    (appraisal,) = s.appraisals
    (element,) = s.performance_elements
    (card,) = s.scorecards
    assert isinstance(appraisal, Appraisal)
    assert appraisal.department == "bureau"
    assert isinstance(element, PerformanceElement)
    assert (element.role, element.critical, element.input_by) == (
        "bureau-cio",
        True,
        ("agency-cio",),
    )
    assert isinstance(card, Scorecard)
    assert (card.organisation, card.date, card.grades["Portfolio review"]) == (
        "agency",
        dt.date(2015, 11, 4),
        "B",
    )


def test_the_three_kinds_round_trip():
    """dumps then loads gives the same scenario back."""
    s = cio_framework.loads(THREE_KINDS)
    assert cio_framework.loads(cio_framework.dumps(s)) == s


def test_an_old_appraisal_still_loads():
    """A format-1 appraisal (department, includes_cio_work, weight) reads as before."""
    text = """
cio_framework: 1
name: Old
departments: [{id: epb, name: EPB}]
appraisals: [{department: epb, includes_cio_work: true, weight: 0.05}]
"""
    assert cio_framework.loads(text).appraisals == (
        Appraisal(department="epb", includes_cio_work=True, weight=0.05),
    )


def test_scorecards_refer_to_a_department():
    """A scorecard's organisation must be a department of the scenario."""
    with pytest.raises(cio_framework.ConfigError, match="unknown department 'nowhere'"):
        cio_framework.loads(THREE_KINDS.replace("organisation: agency", "organisation: nowhere"))


# -- the Pudong rule reads departmental appraisals only -----------------------


def test_an_individual_element_is_no_departmental_appraisal():
    """A critical element in the CIO's own evaluation does not put CIO work into
    the department's appraisal."""
    element = PerformanceElement(role="epb-cio", name="CIO work")
    s = make_scenario(appraisals=[], performance_elements=[element])
    (finding,) = fired(s, "appraisal-excludes-cio")
    assert finding.ids == ("epb",)


def test_a_scorecard_is_no_departmental_appraisal():
    """Grades from outside do not put CIO work into the department's appraisal."""
    card = Scorecard(id="c", organisation="epb", graded_by="Council", date=dt.date(2020, 1, 1))
    s = make_scenario(appraisals=[], scorecards=[card])
    assert [f.ids for f in fired(s, "appraisal-excludes-cio")] == [("epb",)]


# -- the Common Baseline's critical element (N1) ------------------------------


def test_no_critical_element_check_without_performance_elements():
    """A scenario that records no performance element (Pudong) is not asked for one."""
    assert fired(make_scenario(), "cio-without-critical-element") == []


def test_a_departmental_cio_without_a_critical_element_is_reported():
    """Once elements are recorded, a departmental CIO with none is reported."""
    s = make_scenario(
        performance_elements=[PerformanceElement(role="district-cio", name="Other work")]
    )
    (finding,) = fired(s, "cio-without-critical-element")
    assert finding.ids == ("epb-cio",)
    assert (finding.collection, finding.index) == ("roles", 1)
    assert finding.message == (
        "Role Departmental CIO (epb-cio) has no critical element in its holder's own "
        "performance evaluation: add one under performance_elements."
    )


def test_a_non_critical_element_does_not_count():
    """An element that is not critical is not the critical element N1 asks for."""
    element = PerformanceElement(role="epb-cio", name="CIO work", critical=False)
    s = make_scenario(performance_elements=[element])
    assert [f.ids for f in fired(s, "cio-without-critical-element")] == [("epb-cio",)]
    critical = attrs.evolve(element, critical=True)
    assert (
        fired(make_scenario(performance_elements=[critical]), "cio-without-critical-element") == []
    )


def test_a_vacant_cio_is_left_to_the_vacant_role_check():
    """A departmental CIO post nobody holds is not asked for an element."""
    s = make_scenario(performance_elements=[PerformanceElement(role="district-cio", name="X")])
    s = attrs.evolve(
        s, roles=[attrs.evolve(r, holder=None) if r.id == "epb-cio" else r for r in s.roles]
    )
    assert fired(s, "cio-without-critical-element") == []


# -- delegation -----------------------------------------------------------------


def with_duty(duty, *roles):
    s = make_scenario(responsibilities=[duty])
    return attrs.evolve(s, roles=[*s.roles, *roles])


DEPUTY = Role(
    id="deputy-cio",
    title="Deputy CIO",
    kind=RoleKind.CIO_OFFICE,
    level="executive",
    holder="lead",
    reports_to="district-cio",
)


def k1(**changes):
    """A duty of the district CIO that only the CIO's office or a departmental CIO may take."""
    base = {
        "id": "k1",
        "name": "Approve IT acquisitions",
        "raci": {"district-cio": "RA"},
        "delegation": Delegation(
            kinds=[RoleKind.CIO_OFFICE, RoleKind.DEPARTMENTAL_CIO],
            conditions="below a dollar threshold, in a rules-based CIO Assignment Plan",
        ),
    }
    return Responsibility(**{**base, **changes})


def test_delegating_to_an_allowed_kind_of_role_is_fine():
    """K1 delegated to a departmental CIO, or carried out by the CIO's office, is allowed."""
    assert fired(with_duty(k1(delegated_to="epb-cio")), "non-delegable-delegated") == []
    shared = k1(raci={"district-cio": "A", "deputy-cio": "R"})
    assert fired(with_duty(shared, DEPUTY), "non-delegable-delegated") == []


def test_delegating_to_another_role_is_reported():
    """A restricted duty delegated to a role outside its delegation is an error,
    whose message says to whom it may go."""
    other = Role(id="cfo", title="CFO", level="executive", holder="lead")
    (finding,) = fired(with_duty(k1(delegated_to="cfo"), other), "non-delegable-delegated")
    assert finding.ids == ("k1", "cfo")
    assert finding.message == (
        "Responsibility Approve IT acquisitions (k1) may be delegated only to roles of kind "
        "cio_office or departmental_cio (below a dollar threshold, in a rules-based CIO "
        "Assignment Plan), but is delegated to cfo."
    )


def test_a_responsible_role_outside_the_delegation_is_reported():
    """A role Responsible for a restricted duty must be one it may go to."""
    other = Role(id="cfo", title="CFO", level="executive", holder="lead")
    duty = k1(raci={"district-cio": "A", "cfo": "R", "epb-cio": "R"})
    (finding,) = fired(with_duty(duty, other), "non-delegable-delegated")
    assert finding.ids == ("k1", "cfo")
    assert "yet cfo is Responsible" in finding.message


def test_direct_reports_and_named_roles():
    """direct_reports allows a role reporting to the Accountable one; to allows named roles."""
    duty = k1(delegation=Delegation(direct_reports=True), delegated_to="deputy-cio")
    assert fired(with_duty(duty, DEPUTY), "non-delegable-delegated") == []
    deputy_elsewhere = attrs.evolve(DEPUTY, reports_to="epb-cio")
    assert fired(with_duty(duty, deputy_elsewhere), "non-delegable-delegated") != []
    named = k1(delegation=Delegation(to=["deputy-cio"]), delegated_to="deputy-cio")
    assert fired(with_duty(named, deputy_elsewhere), "non-delegable-delegated") == []


def test_conditions_alone_restrict_nobody():
    """A delegation with conditions but no roles lets any role take the duty."""
    duty = k1(
        delegation=Delegation(conditions="non-major investments only"), delegated_to="epb-cio"
    )
    assert fired(with_duty(duty), "non-delegable-delegated") == []


def test_a_non_delegable_duty_names_no_delegation():
    """delegable: false with a delegation is refused, in Python and in a file."""
    with pytest.raises(ValueError, match="cannot name a delegation"):
        k1(delegable=False)
    text = """
cio_framework: 1
name: Bad
roles: [{id: cio, title: CIO, level: strategic}]
responsibilities:
  - {id: d1, name: Budget, raci: {cio: RA}, delegable: false, delegation: {kinds: [cio_office]}}
"""
    with pytest.raises(cio_framework.ConfigError, match="cannot name a delegation"):
        cio_framework.loads(text)


def test_delegation_round_trips_and_old_flags_still_load():
    """A delegation mapping is read and written back; delegable true/false read as before."""
    text = """
cio_framework: 1
name: Delegation
roles:
  - {id: cio, title: CIO, level: strategic}
  - {id: bureau-cio, title: Bureau CIO, kind: departmental_cio, level: support, reports_to: cio}
responsibilities:
  - {id: d1, name: Budget, raci: {cio: RA}, delegable: false}
  - {id: e1, name: Engage, raci: {cio: RA}, delegable: true, delegated_to: bureau-cio}
  - id: k1
    name: Acquisitions
    raci: {cio: RA}
    delegation: {to: [bureau-cio], kinds: [departmental_cio], direct_reports: true,
                 conditions: non-major investments only}
"""
    s = cio_framework.loads(text)
    d1, e1, k1_ = s.responsibilities
    assert (d1.delegable, d1.delegation, e1.delegation) == (False, None, None)
    assert k1_.delegation == Delegation(
        to=["bureau-cio"],
        kinds=[RoleKind.DEPARTMENTAL_CIO],
        direct_reports=True,
        conditions="non-major investments only",
    )
    assert cio_framework.loads(cio_framework.dumps(s)) == s
    assert [
        f for f in cio_framework.check(s).findings if f.check == "non-delegable-delegated"
    ] == []


def test_a_delegation_refers_to_roles():
    """Role ids in a delegation's to are references: an unknown one is reported."""
    text = """
cio_framework: 1
name: Dangling
roles: [{id: cio, title: CIO, level: strategic}]
responsibilities:
  - {id: k1, name: K, raci: {cio: RA}, delegation: {to: [deputy]}}
"""
    with pytest.raises(cio_framework.ConfigError, match="unknown role 'deputy'"):
        cio_framework.loads(text)


def test_pack_placeholder_roles_are_renamed_inside_a_delegation():
    """A pack's placeholder role ids are renamed in a delegation's to, as in raci."""
    from cio_framework.config._packs import relabel_roles

    data = {
        "responsibilities": [
            {"id": "k1", "raci": {"cio": "RA"}, "delegation": {"to": ["cio", "deputy"]}}
        ]
    }
    relabel_roles(data, {"cio": "district-cio"})
    (duty,) = data["responsibilities"]
    assert duty["raci"] == {"district-cio": "RA"}
    assert duty["delegation"]["to"] == ["district-cio", "deputy"]
