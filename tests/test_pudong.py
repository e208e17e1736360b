"""The built-in pudong-2016 scenario against the article's facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import cio_framework
from cio_framework.data import builtin_text
from cio_framework.model import Ability, BodyKind, PostRank, RoleKind


@pytest.fixture(scope="module")
def pudong():
    return cio_framework.builtin("pudong-2016")


def person_of(scenario, role_id):
    role = scenario.get(role_id)
    return scenario.get(role.holder)


def test_four_levels(pudong):
    """The CIO system has the article's four levels, top down."""
    assert pudong.level_ids() == ("strategic", "executive", "support", "advisory")


def test_wang_jing_is_district_cio(pudong):
    """Wang Jing, deputy district head, is the district CIO at the strategic level."""
    (role,) = [r for r in pudong.roles if r.kind is RoleKind.DISTRICT_CIO]
    person = pudong.get(role.holder)
    assert person.name == "Wang Jing"
    assert "Deputy head" in person.position
    assert role.level == "strategic"


def test_cio_office_hosted_by_stec_directed_by_zhang_aiping(pudong):
    """The CIO office is in the Science, Technology and Economy Commission, directed by Zhang Aiping."""
    (office,) = [r for r in pudong.roles if r.kind is RoleKind.CIO_OFFICE]
    assert office.level == "executive"
    assert pudong.get(office.department).name == "Science, Technology and Economy Commission"
    assert pudong.get(office.holder).name == "Zhang Aiping"
    assert office.reports_to == "district-cio"


ARTICLE_UNITS = {
    "New District Government Office",
    "Science, Technology and Economy Commission",
    "Environmental Protection Bureau",
    "Health Planning Commission",
    "Market Supervision Bureau",
    "Construction and Transportation Commission",
    "Bureau of Culture and Broadcasting",
    "Land Planning Bureau",
    "Urban Management Law Enforcement Bureau",
}


def test_nine_pilot_units_each_with_a_departmental_cio(pudong):
    """The nine pilot units of the Chinese sources each have a departmental CIO."""
    pilots = {d.id: d.name for d in pudong.departments if d.pilot}
    assert set(pilots.values()) == ARTICLE_UNITS
    cio_departments = [r.department for r in pudong.roles if r.kind is RoleKind.DEPARTMENTAL_CIO]
    assert sorted(cio_departments) == sorted(pilots)


def test_min_qingfeng_is_epb_cio(pudong):
    """Min Qingfeng, deputy director of the EPB, is its departmental CIO."""
    (role,) = [
        r for r in pudong.roles if r.kind is RoleKind.DEPARTMENTAL_CIO and r.department == "epb"
    ]
    person = pudong.get(role.holder)
    assert person.name == "Min Qingfeng"
    assert role.concurrent_rank is PostRank.DEPUTY


def test_unnamed_cios_are_not_invented(pudong):
    """Only the CIOs the article names have names; the other seven are unnamed."""
    holders = [pudong.get(r.holder) for r in pudong.roles if r.kind is RoleKind.DEPARTMENTAL_CIO]
    named = sorted(p.name for p in holders if p.name)
    assert named == ["Min Qingfeng", "Zhang Aiping"]
    assert sum(1 for p in holders if p.name is None) == 7


def test_all_departmental_cios_are_concurrent_deputies(pudong):
    """All nine CIOs were picked from existing deputy posts."""
    cios = [r for r in pudong.roles if r.kind is RoleKind.DEPARTMENTAL_CIO]
    assert all(r.concurrent_rank is PostRank.DEPUTY for r in cios)


def test_committees(pudong):
    """The CIO Committee and the Expert Advisory Committee sit at the advisory level."""
    committee = next(b for b in pudong.bodies if b.kind is BodyKind.CIO_COMMITTEE)
    experts = next(b for b in pudong.bodies if b.kind is BodyKind.EXPERT_ADVISORY)
    assert committee.level == experts.level == "advisory"
    (member,) = experts.members
    zheng = pudong.get(member)
    assert zheng.name == "Zheng Lei"
    assert zheng.organisation == "Fudan University"
    assert zheng.position == "Associate professor"


def test_regular_meeting(pudong):
    """A regular meeting every two months, one or two issues, convened by the district CIO."""
    body = next(b for b in pudong.bodies if b.kind is BodyKind.REGULAR_MEETING)
    assert body.meets_every_months == 2
    assert (body.issues_per_meeting.minimum, body.issues_per_meeting.maximum) == (1, 2)
    assert body.chair == "district-cio"
    meetings = sorted((m for m in pudong.meetings if m.body == body.id), key=lambda m: m.date)
    assert len(meetings) == 3
    assert "joint" in meetings[1].issues[0].lower()
    assert "punishment" in meetings[1].issues[0].lower()
    assert all(not m.proxies for m in meetings)
    assert all(m.illustrative or "illustrative" in (m.note or "") for m in meetings)


def test_selection_requirements(pudong):
    """The three requirements are there, and business ability weighs more than technical."""
    ids = {c.id for c in pudong.criteria}
    assert {"strategic-thinking", "management-innovation", "integration-coordination"} <= ids
    business = sum(c.weight for c in pudong.criteria if c.ability is Ability.BUSINESS)
    technical = sum(c.weight for c in pudong.criteria if c.ability is Ability.TECHNICAL)
    assert business > technical


def test_cio_work_in_performance_appraisal(pudong):
    """Every pilot department's appraisal includes CIO work."""
    pilots = {d.id for d in pudong.departments if d.pilot}
    appraised = {a.department for a in pudong.appraisals if a.includes_cio_work}
    assert appraised == pilots


def test_every_fact_has_a_source(pudong):
    """Every element but the sources themselves names its source paragraph in the article."""
    for collection, element in pudong.elements():
        if collection == "sources":
            continue
        assert element.source, element
        assert re.search(r"article ¶\d", element.source), element


def test_discrepancy_with_chinese_report_is_recorded(pudong):
    """The Construction and Transportation Commission discrepancy is a note."""
    text = " ".join(n.text for n in pudong.notes)
    assert "Construction and Transportation Commission" in text
    assert "建交委" in text


def test_pudong_governance_passes_its_checks(pudong):
    """The governance structure has no findings; the landscape has the expected ones."""
    findings = cio_framework.check(pudong).findings
    assert sorted((f.check, f.ids[0]) for f in findings) == [
        ("base-resource-not-unconditional", "spatial-base"),
        ("point-to-point-exchange", "epb-internal"),
        ("point-to-point-exchange", "health-credit"),
        ("point-to-point-exchange", "urban-land"),
    ]


def test_builtin_text_is_the_packaged_file():
    """builtin_text returns the commented YAML that the package ships."""
    text = builtin_text("pudong-2016")
    assert text.startswith("# Shanghai Pudong New Area")
    packaged = Path(cio_framework.__file__).parent / "data" / "scenarios" / "pudong-2016.yaml"
    assert packaged.read_text(encoding="utf-8") == text


def test_unknown_builtin_is_refused():
    """An unknown built-in name raises with a suggestion."""
    with pytest.raises(cio_framework.UnknownNameError, match="did you mean 'pudong-2016'"):
        cio_framework.builtin("pudong-2017")
