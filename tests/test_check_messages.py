"""What each check tells its reader, word for word.

A finding's message is what a civil servant acts on: it names the elements
by name and id, says what is wrong and what to do. Each test below breaks
one rule of the small test scenario and reads the whole message; the
variable parts (names, ids, counts, purposes, dates) are chosen so that a
message that left one out, or showed the wrong one, would differ.
"""

from __future__ import annotations

import datetime as dt

import attrs

import cio_framework
from cio_framework.model import (
    Appraisal,
    Demand,
    Department,
    Jurisdiction,
    Resource,
    ResourceCategory,
    Role,
    ShareType,
    Tenure,
)
from cio_framework.testing import make_scenario

BASE = make_scenario()


def messages(scenario, check_id):
    return [f.message for f in cio_framework.check(scenario).findings if f.check == check_id]


def with_roles(scenario, *extra, **changes):
    """``scenario`` with the roles named in ``changes`` changed, and ``extra`` added."""
    roles = [attrs.evolve(r, **changes[r.id]) if r.id in changes else r for r in scenario.roles]
    return attrs.evolve(scenario, roles=[*roles, *extra])


def with_departments(*departments):
    return attrs.evolve(BASE, departments=[*BASE.departments, *departments])


def test_pilot_without_cio():
    s = with_departments(Department(id="msb", name="Market Supervision", pilot=True))
    assert messages(s, "pilot-without-cio") == [
        "Pilot department Market Supervision (msb) has no departmental chief officer: add a "
        "role for it with function cio (or cdo, cdio, ciso) and scope department."
    ]


def test_reporting_top_alone_and_with_roles_under_it():
    """The roles under a role that reports to nobody are counted only when there are some."""
    alone = with_roles(BASE, **{"epb-cio": {"reports_to": None}})
    expected = (
        "Role Departmental CIO (epb-cio) at level 'support' reports to nobody, so its chain "
        "never reaches the 'strategic' level{}: set reports_to."
    )
    assert messages(alone, "reporting-top-not-strategic") == [expected.format("")]
    under = [
        Role(id=f"officer-{i}", title=f"Officer {i}", level="support", reports_to="epb-cio")
        for i in range(3)
    ]
    chain = with_roles(alone, *under)
    assert messages(chain, "reporting-top-not-strategic") == [
        expected.format(" (nor do the 3 roles under it)")
    ]


def test_base_resource_named():
    resource = Resource(
        id="pop",
        name="Population base",
        owner="epb",
        category=ResourceCategory.BASE,
        share=ShareType.CONDITIONAL,
        legal_basis="Art. 1",
    )
    s = attrs.evolve(BASE, resources=[resource])
    assert messages(s, "base-resource-not-unconditional") == [
        "Base resource Population base (pop) is shared 'conditional'; base resources are "
        "shared unconditionally."
    ]


def test_department_cycle():
    s = with_departments(
        Department(id="a", name="A", parent="b"), Department(id="b", name="B", parent="a")
    )
    assert messages(s, "department-cycle") == [
        "Department parent cycle: a → b → a; break it by giving one of them its true parent, "
        "or none if it is at the top."
    ]


def test_jurisdiction_cycle():
    s = attrs.evolve(
        BASE,
        jurisdictions=[
            Jurisdiction(id="j1", name="J1", parent="j2"),
            Jurisdiction(id="j2", name="J2", parent="j1"),
        ],
    )
    assert messages(s, "jurisdiction-cycle") == [
        "Jurisdiction parent cycle: j1 → j2 → j1; break it by giving one of them the "
        "jurisdiction it lies within, or none if it is at the top (until then each is taken "
        "as a top)."
    ]


def test_empty_and_invisible_names():
    """An empty name and one of invisible characters only are told apart."""
    assert messages(attrs.evolve(BASE, name=" "), "empty-name") == [
        "The scenario's name is empty: give it one."
    ]
    s = with_departments(Department(id="a", name="\u200b"), Department(id="b", name=""))
    assert messages(s, "empty-name") == [
        "The name of department a is empty or invisible: give it a name that reports can show.",
        "The name of department b is empty: give it a name that reports can show.",
    ]


def test_duplicate_demand_names_purposes_and_total_weight():
    s = attrs.evolve(
        BASE,
        resources=[Resource(id="r", name="Permits", owner="district")],
        demands=[
            Demand(by="epb", resource="r", purpose="inspections", weight=2),
            Demand(by="epb", resource="r", purpose="audits", weight=0.5),
            Demand(by="epb", resource="r"),
        ],
    )
    assert messages(s, "duplicate-demand") == [
        "Department Environmental Protection Bureau (epb) has 3 demands for resource Permits "
        "(r) (for audits; inspections): the priorities add their weights into one need of "
        "weight 3.5, and the barriers list each demand apart: merge them into one demand."
    ]


def test_confusable_ids():
    s = with_departments(Department(id="cab", name="C1"), Department(id="c\u0430b", name="C2"))
    assert messages(s, "confusable-ids") == [
        "Ids 'cab', 'c\u0430b' look alike but are different ids (they differ in U+0430 "
        "CYRILLIC SMALL LETTER A): a reader cannot tell them apart and a reference may name "
        "the wrong one. Rename all but one."
    ]


def test_holder_not_tenure_in_both_directions():
    """A vacant post the tenures fill, and an acting holder the tenures do not know."""
    day = dt.date(2020, 1, 1)
    vacant = with_roles(
        attrs.evolve(BASE, as_of=day),
        **{
            "district-cio": {
                "holder": None,
                "tenures": [Tenure(holder="lead", start=dt.date(2019, 1, 1), acting=True)],
            }
        },
    )
    assert messages(vacant, "holder-not-tenure") == [
        "Role District CIO (district-cio): its holder says vacant; its tenures say held by "
        "lead (acting) on the scenario's date 2020-01-01: make them agree (at_date, or "
        "--as-of, applies the tenures)."
    ]
    acting = with_roles(
        attrs.evolve(BASE, as_of=day),
        **{
            "district-cio": {
                "holder": "lead",
                "acting": True,
                "tenures": [Tenure(holder="lead", start=dt.date(2021, 1, 1))],
            }
        },
    )
    assert messages(acting, "holder-not-tenure") == [
        "Role District CIO (district-cio): its holder says held by lead (acting); its tenures "
        "say vacant on the scenario's date 2020-01-01: make them agree (at_date, or --as-of, "
        "applies the tenures)."
    ]


def test_appraisal_missing_and_leaving_out_cio_work():
    """Both cases of appraisal-excludes-cio, word for word: none recorded, and
    recorded without CIO work."""
    assert messages(attrs.evolve(BASE, appraisals=[]), "appraisal-excludes-cio") == [
        "Department Environmental Protection Bureau (epb) has no performance appraisal "
        "recorded that includes CIO work: add CIO work to it."
    ]
    without = [Appraisal(department="epb", includes_cio_work=False)]
    assert messages(attrs.evolve(BASE, appraisals=without), "appraisal-excludes-cio") == [
        "Department Environmental Protection Bureau (epb) has a performance appraisal that "
        "leaves out CIO work: add CIO work to it."
    ]
