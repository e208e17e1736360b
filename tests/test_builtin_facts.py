"""The facts of the built-in scenarios and packs, as corrected from their sources (issue 13 §6).

Each test pins one corrected fact of ``pudong-2016``, ``us-federal`` or a
reference pack, loaded through the public API, so that it fails on the data
as it was before the correction.
"""

from __future__ import annotations

import pytest

import cio_framework
from cio_framework.model import RoleKind


@pytest.fixture(scope="module")
def pudong():
    return cio_framework.builtin("pudong-2016")


@pytest.fixture(scope="module")
def federal():
    return cio_framework.builtin("us-federal")


def note(scenario, note_id):
    (found,) = [n for n in scenario.notes if n.id == note_id]
    return found


def with_pack(uses):
    head = (
        "cio_framework: 1\nname: Packs\npeople: [{id: p}]\n"
        "roles:\n  - {id: board, title: Board, level: strategic, holder: p}\n"
        "  - {id: it-lead, title: IT lead, level: executive, holder: p, reports_to: board}\n"
    )
    return cio_framework.loads(head + f"uses: {uses}\n")


# -- Pudong: departments and people ------------------------------------------


def test_pilot_unit_is_the_construction_and_transportation_commission(pudong):
    """The pilot unit the translation calls Foreign Affairs Commission is 建交委."""
    unit = pudong.get("ctc")
    assert unit.name == "Construction and Transportation Commission"
    assert unit.local_name == "建交委"
    assert unit.pilot
    assert "liaowang-2016 ¶2" in unit.source
    assert "jiefang-2016" in unit.source
    assert all("Foreign Affairs" not in d.name for d in pudong.departments)


def test_translation_reading_is_kept_as_a_note(pudong):
    """The note keeps the translation's reading and follows the Chinese sources."""
    text = note(pudong, "construction-vs-foreign-affairs").text
    assert '"Foreign Affairs Commission"' in text
    assert "follows the Chinese sources" in text
    assert "follows the article" not in text


def test_zhang_aiping_commission_is_the_stec(pudong):
    """Zhang Aiping serves in the Science, Technology and Economy Commission (科经委)."""
    zhang = pudong.get("zhang-aiping")
    assert "Science, Technology and Economy Commission" in zhang.position
    office = pudong.get("cio-office")
    commission = pudong.get(office.department)
    assert commission.name == "Science, Technology and Economy Commission"
    assert commission.local_name == "科技和经济委员会"
    assert pudong.get("stec-cio").holder == "zhang-aiping"


def test_zhang_aiping_note_explains_the_merger(pudong):
    """The note says the two commissions are two stages of one, merged on 24 August 2016."""
    found = note(pudong, "zhang-aiping-commission")
    assert "24 August 2016" in found.text
    assert "科经委" in found.text
    assert "经信委" in found.text
    assert "stec-2016" in found.source
    assert "two translations of one commission" not in found.text


def test_unnamed_cios_are_in_charge_of_or_sensitive_to_informatization(pudong):
    """An unnamed CIO's post does not claim what ¶46 leaves open."""
    unnamed = [p for p in pudong.people if p.name is None]
    assert len(unnamed) == 7
    for person in unnamed:
        assert "in charge of informatization" not in person.position
        assert "sensitive to" in person.note
        assert "¶46" in person.source
    assert "sensitive to informatization" in note(pudong, "unnamed-cios").text


# -- Pudong: dates, meetings, the cloud ---------------------------------------


def test_launch_talk_and_training_dates(pudong):
    """Launch and collective talk on 16 May 2016, training on 6 May; ¶30 is garbled."""
    found = note(pudong, "garbled-dates")
    assert "16 May 2016" in found.text
    assert "6 May 2016" in found.text
    assert '"2065438+06" (¶30)' in found.text
    assert "20 May 2016" not in found.text
    assert "June 2016" not in found.text
    assert "¶30" in found.source


def test_meetings_one_and_three_do_not_cite_the_second(pudong):
    """Only the second regular meeting cites ¶15; all three are marked illustrative."""
    meetings = {m.id: m for m in pudong.meetings}
    assert "¶15" in meetings["regular-meeting-2"].source
    for key in ("regular-meeting-1", "regular-meeting-3"):
        assert "¶15" not in meetings[key].source
        assert "¶14" in meetings[key].source
    assert all(m.illustrative for m in meetings.values())


def test_cloud_has_covered_most_departments_towns_and_parks(pudong):
    """The government cloud's coverage is quoted from ¶32."""
    cloud = pudong.get("gov-cloud")
    assert "has covered most departments, towns and parks" in cloud.note
    assert "¶32" in cloud.source


def test_no_platform_operator_is_claimed(pudong):
    """The article names no operator of the cloud or of the platforms."""
    assert [p.operator for p in pudong.platforms] == [None] * len(pudong.platforms)


# -- Pudong: what the article does not state ----------------------------------


def test_invented_demand_is_illustrative(pudong):
    """The MSB's demand for environmental penalty records is not in the article."""
    (demand,) = [d for d in pudong.demands if d.resource == "environmental-penalties"]
    assert demand.illustrative
    assert "Not in the article" in demand.note
    assert "¶15" in demand.note


def test_landscape_is_illustrative(pudong):
    """Every system, resource, exchange, demand and matter is marked illustrative."""
    landscape = [
        *pudong.systems,
        *pudong.resources,
        *pudong.exchanges,
        *pudong.demands,
        *pudong.matters,
    ]
    assert landscape
    assert [e for e in landscape if not e.illustrative] == []


def test_unstated_reporting_lines_are_illustrative(pudong):
    """A departmental CIO's reporting lines are not stated, so the role is marked."""
    cios = [r for r in pudong.roles if r.kind is RoleKind.DEPARTMENTAL_CIO]
    assert len(cios) == 9
    for role in cios:
        assert role.reports_to == "district-cio"
        assert role.illustrative
        assert "Illustrative: the solid line" in role.note


def test_partly_stated_raci_is_illustrative(pudong):
    """A responsibility with an unstated letter is illustrative and names its sourced letters."""
    partial = [r for r in pudong.responsibilities if r.id != "daily-work"]
    assert len(partial) == 30
    for duty in partial:
        assert duty.illustrative, duty.id
        assert "Sourced:" in duty.note
        assert "Illustrative:" in duty.note
    assert not pudong.get("daily-work").illustrative


def test_unstated_committee_membership_is_illustrative(pudong):
    """The CIO Committee's and the expert committee's chairs and members are not stated."""
    assert pudong.get("cio-committee").illustrative
    assert pudong.get("expert-committee").illustrative
    assert not pudong.get("regular-meeting").illustrative


def test_criteria_weights_are_illustrative(pudong):
    """The article lists requirements without weights, so each criterion is marked."""
    assert all(c.illustrative for c in pudong.criteria)


def test_citations_name_a_source_id(pudong):
    """Each citation part starts with one of the scenario's source ids."""
    known = {"article", "liaowang-2016", "jiefang-2016", "stec-2016"}
    assert {s.id for s in pudong.sources} == known
    for collection, element in pudong.elements():
        if collection == "sources":
            continue
        for part in element.source.split(";"):
            assert part.split()[0] in known, element


# -- us-federal --------------------------------------------------------------


def test_agency_cio_professional_qualifications_and_primary_duty(federal):
    """44 U.S.C. 3506(a)(3) and 40 U.S.C. 11315(c)(1) are cited for the agency CIO."""
    cio = federal.get("agency-cio")
    assert "usc-40-11315 (c)(1)" in cio.source
    assert "usc-44-3506 (a)(2)(A), (a)(3)" in cio.source
    assert "primary duty" in cio.note
    assert "professional qualifications" in cio.note
    text = note(federal, "us-cio-qualifications").text
    assert "special attention to the professional" in text
    assert "primary duty" in text


def test_statutory_selection_criterion(federal):
    """The statutory selection rule is a criterion, its weight marked illustrative."""
    criterion = federal.get("professional-qualifications")
    assert criterion.source == "usc-44-3506 (a)(3)"
    assert "special attention to the professional qualifications" in criterion.description
    assert criterion.illustrative


def test_federal_levels_of_cio(federal):
    """The Federal CIO at OMB, the agency CIO and CDO, and bureau CIOs sit at their levels."""
    fed = federal.get("federal-cio")
    assert fed.level == "government-wide"
    assert federal.get(fed.department).parent == "omb"
    assert "usc-44-3602" in fed.source
    cdo = federal.get("agency-cdo")
    assert cdo.level == "agency-executive"
    assert cdo.source.startswith("usc-44-3520")
    assert federal.get("agency-cio").level == "agency-executive"
    bureau = [r for r in federal.roles if r.kind is RoleKind.DEPARTMENTAL_CIO]
    assert {r.level for r in bureau} == {"bureau"}
    council = federal.get("federal-cio-council")
    assert "federal-cio" in council.members


def test_approximate_role_kinds_are_said(federal):
    """The Federal CIO and CDO are of kind other, and a note says the kinds are approximate."""
    assert federal.get("federal-cio").kind is RoleKind.OTHER
    assert federal.get("agency-cdo").kind is RoleKind.OTHER
    assert "approximate" in note(federal, "us-levels").text


def test_federal_citations_name_a_source_id(federal):
    """Each citation part starts with a short source id, not free text."""
    known = {
        "m-15-14",
        "usc-40-11315",
        "usc-44-3506",
        "usc-44-3520",
        "usc-44-3602",
        "usc-44-3603",
        "cc-competencies-2012",
        "ciogov-leadership",
        "fitara-draft-2015",
        "omb-fitara-briefing",
        "cio-handbook",
        "hrpt-115-987",
    }
    assert {s.id for s in federal.sources} == known
    for collection, element in federal.elements():
        if collection == "sources":
            continue
        for part in element.source.split(";"):
            assert part.split()[0] in known, element


# -- Reference packs -----------------------------------------------------------


def test_clinger_cohen_pack_is_a_curriculum():
    """The competencies are a curriculum used as criteria, every criterion illustrative."""
    scenario = with_pack("[clinger-cohen-competencies]")
    assert "curriculum" in note(scenario, "ccc-curriculum").text
    criteria = [c for c in scenario.criteria if c.id.startswith("ccc-")]
    assert len(criteria) == 12
    assert all(c.illustrative for c in criteria)


def test_iso_38500_pack_cites_the_2024_edition():
    """ISO/IEC 38500:2024 is the current edition the pack cites."""
    scenario = with_pack("[{pack: iso-38500, roles: {governing-body: board, cio: it-lead}}]")
    assert "ISO/IEC 38500:2024" in note(scenario, "iso38500-edition").text
    duties = [r for r in scenario.responsibilities if r.id.startswith("iso38500-")]
    assert len(duties) == 3
    assert all(d.source.startswith("iso-38500-2024") for d in duties)
    assert all(d.illustrative for d in duties)


def test_china_pack_does_not_turn_the_illustrative_spatial_base_into_an_error(pudong):
    """With the sharing pack, the finding on the invented base resource stays a warning."""
    text = cio_framework.data.builtin_text("pudong-2016")
    scenario = cio_framework.loads("uses: [china-2016-sharing]\n" + text)
    report = cio_framework.check(scenario)
    assert not report.errors
    found = [f for f in report.findings if f.check == "base-resource-not-unconditional"]
    assert [(f.severity.value, f.ids) for f in found] == [("warning", ("spatial-base",))]
    assert scenario.get("spatial-base").illustrative


def test_k1_and_l1_delegation_is_more_than_yes_or_no(federal):
    """K1 and L1 may be delegated only as the CIO Assignment Plan designates
    (M-15-14); M1 is not delegable at all."""
    k1, l1, m1 = (federal.get(i) for i in ("cb-k1", "cb-l1", "cb-m1"))
    for duty in (k1, l1):
        assert duty.delegable
        assert duty.delegation is not None
        assert duty.delegation.conditions.startswith("Only as the agency's CIO Assignment Plan")
        assert duty.source.startswith("m-15-14 Attachment A element ")
    assert "below a dollar threshold" in k1.delegation.conditions
    assert "not delegable unless otherwise specified" in l1.delegation.conditions
    assert not m1.delegable
