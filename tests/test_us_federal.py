"""The built-in us-federal scenario against Clinger-Cohen and FITARA."""

from __future__ import annotations

import pytest

import cio_framework
from cio_framework.model import RoleKind


@pytest.fixture(scope="module")
def federal():
    return cio_framework.builtin("us-federal")


def test_agency_cio_reports_directly_to_the_agency_head(federal):
    """44 U.S.C. 3506(a)(2): the agency CIO reports directly to the agency head."""
    head = next(r for r in federal.roles if r.kind is RoleKind.LEADER)
    cio = federal.get("agency-cio")
    assert cio.reports_to == head.id
    assert head.reports_to is None
    assert "3506" in cio.source


def test_bureau_cios_and_their_appointment(federal):
    """Bureau CIOs exist, and approving their appointment (M1) is the agency CIO's, not delegable."""
    bureau_cios = [r for r in federal.roles if r.kind is RoleKind.DEPARTMENTAL_CIO]
    assert len(bureau_cios) >= 2
    m1 = federal.get("cb-m1")
    assert m1.accountable == ("agency-cio",)
    assert m1.delegable is False
    assert "M1" in m1.source


def test_budget_approval_is_not_delegable(federal):
    """D1, the CIO's approval of the IT budget request, is not delegable."""
    d1 = federal.get("cb-d1")
    assert d1.delegable is False
    assert d1.accountable == ("agency-cio",)


def test_common_baseline_elements_a_to_q(federal):
    """Every Common Baseline letter from A to Q has at least one responsibility."""
    letters = {r.id[3] for r in federal.responsibilities if r.id.startswith("cb-")}
    assert letters == set("abcdefghijklmnopq")


def test_statutory_responsibilities(federal):
    """40 U.S.C. 11315 duties are present and cited."""
    assert any("11315" in (r.source or "") for r in federal.responsibilities)


def test_federal_cio_council(federal):
    """The Federal CIO Council is a body at the government-wide level."""
    council = next(b for b in federal.bodies if "Council" in b.name)
    assert "3603" in council.source


def test_every_item_has_a_source(federal):
    """Every element but the sources themselves names its source."""
    for collection, element in federal.elements():
        if collection != "sources":
            assert element.source, element


def test_raci_one_accountable_and_no_findings(federal):
    """Every responsibility has one Accountable; the only finding is the OMB line, a note."""
    assert all(len(r.accountable) == 1 for r in federal.responsibilities)
    findings = cio_framework.check(federal).findings
    assert [(f.check, f.severity.value, f.ids) for f in findings] == [
        ("reporting-top-not-strategic", "info", ("federal-cio",))
    ]


def test_delegating_d1_is_caught(federal):
    """Delegating D1 to a bureau CIO is reported by the non-delegable check."""
    import attrs

    duties = [
        attrs.evolve(r, delegated_to="bureau-a-cio") if r.id == "cb-d1" else r
        for r in federal.responsibilities
    ]
    report = cio_framework.check(attrs.evolve(federal, responsibilities=duties))
    assert [f.ids[0] for f in report.errors] == ["cb-d1"]
