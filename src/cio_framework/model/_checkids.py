"""The registry of governance check ids: what a scenario's ``checks:`` may name.

The model owns the list of checks (id, default severity, title, and the rule
in words with its source) so that the configuration layer can validate a
scenario's ``checks:`` overrides and describe them in the JSON Schema without
importing the analyses. :mod:`cio_framework.analysis.checks` registers one
function against each id, in this order; a test checks that both agree.
"""

from __future__ import annotations

import attrs

from ..exceptions import Severity

__all__ = ["CHECK_INFO", "MEETING_SLACK", "CheckInfo"]

#: Fraction of a body's interval that a gap between meetings may exceed it by
#: before ``meeting-interval`` reports it ("about every two months").
MEETING_SLACK = 0.25


@attrs.frozen(kw_only=True)
class CheckInfo:
    """A governance check as the model knows it: everything but its function.

    Parameters
    ----------
    id
        Stable identifier used in reports and in ``checks:`` overrides.
    severity
        Default severity.
    title
        Short name.
    description
        What the rule asks and where it comes from.

    Examples
    --------
    >>> CHECK_INFO["vacant-role"].severity.value
    'warning'
    """

    id: str
    severity: Severity
    title: str
    description: str


_INFOS = (
    CheckInfo(
        id="pilot-without-cio",
        severity=Severity.ERROR,
        title="Pilot department without a departmental CIO",
        description="Every pilot department has a departmental CIO, picked from its existing deputy "
        "posts (article ¶2, ¶8, ¶46).",
    ),
    CheckInfo(
        id="vacant-role",
        severity=Severity.WARNING,
        title="Vacant role",
        description="A role nobody holds cannot carry its responsibilities.",
    ),
    CheckInfo(
        id="reporting-cycle",
        severity=Severity.ERROR,
        title="Reporting cycle",
        description="Solid reporting lines must form a hierarchy: following reports_to must never "
        "come back to where it started.",
    ),
    CheckInfo(
        id="reporting-top-not-strategic",
        severity=Severity.WARNING,
        title="Reporting chain that never reaches the strategic level",
        description="Every role's solid reporting chain ends at the top governance level (the "
        "district CIO in Pudong, article ¶11). Advisors are exempt.",
    ),
    CheckInfo(
        id="raci-accountable",
        severity=Severity.ERROR,
        title="Responsibility without exactly one Accountable",
        description="RACI (COBIT style): each responsibility has exactly one Accountable role.",
    ),
    CheckInfo(
        id="non-delegable-delegated",
        severity=Severity.ERROR,
        title="Responsibility delegated where it may not be",
        description="A responsibility marked delegable: false must be carried out by its Accountable "
        "role itself: it may not be delegated_to another role, and no other role may be "
        "Responsible for it (FITARA Common Baseline, e.g. D1 budget approval and M1 "
        "bureau-CIO appointment; OMB M-15-14). One whose delegation names whom it may go "
        "to (to, kinds, direct_reports) may be delegated to, or carried out by, those roles "
        "only (the Common Baseline's CIO Assignment Plan: members of the CIO's office or "
        "a bureau CIO). Its conditions are not checked.",
    ),
    CheckInfo(
        id="body-without-chair",
        severity=Severity.WARNING,
        title="Body without a chair or convenor",
        description="A committee or regular meeting needs someone who convenes it (article ¶14: the "
        "regular meeting is convened by the district CIO).",
    ),
    CheckInfo(
        id="meeting-interval",
        severity=Severity.WARNING,
        title="Regular meetings further apart than intended",
        description="A body that meets every N months should not let a gap between meetings exceed "
        f"N months by more than {MEETING_SLACK:.0%} (article ¶14: 'a regular meeting every "
        "two months or so'). With as_of set, an overdue next meeting is reported too.",
    ),
    CheckInfo(
        id="meeting-too-many-issues",
        severity=Severity.WARNING,
        title="Meeting with more major issues than its body allows",
        description="Each regular CIO meeting discusses one or two major informatization issues "
        "(article ¶14); a body's issues_per_meeting sets the range.",
    ),
    CheckInfo(
        id="proxy-attendance",
        severity=Severity.WARNING,
        title="Proxy attendance",
        description="CIOs attend regular meetings in person; the meeting form was meant to end "
        "'proxy meetings' (article ¶18).",
    ),
    CheckInfo(
        id="appraisal-excludes-cio",
        severity=Severity.WARNING,
        title="Appraisal that leaves out CIO work",
        description="The work of departmental CIOs is part of the department's performance appraisal "
        "(article ¶13, the CIO office's working rules). Applies to pilot departments and "
        "to departments with a departmental CIO, and reads the departments' appraisals only "
        "(appraisals), not the critical elements of a person's evaluation "
        "(performance_elements) or external scorecards.",
    ),
    CheckInfo(
        id="cio-without-critical-element",
        severity=Severity.WARNING,
        title="Departmental CIO without a critical performance element",
        description="Each departmental (bureau) CIO's own performance evaluation includes an "
        "agency-wide critical element, which the CHCO and the agency CIO establish jointly "
        "and on which the agency CIO gives the rating official input (OMB M-15-14, "
        "Attachment A, element N1). Applies once a scenario records performance elements; "
        "vacant roles are left to vacant-role.",
    ),
    CheckInfo(
        id="cio-not-deputy",
        severity=Severity.WARNING,
        title="Departmental CIO who is not a deputy leader holding the post concurrently",
        description="Departmental CIOs are held concurrently by the deputy leader in charge of "
        "informatization, picked from existing deputy posts (article ¶11, ¶46).",
    ),
    CheckInfo(
        id="meeting-convenor",
        severity=Severity.INFO,
        title="Meeting convened by someone other than the body's chair",
        description="The regular meeting is convened by the district CIO (article ¶14); a meeting "
        "convened by someone else may signal delegation.",
    ),
    CheckInfo(
        id="regular-meeting-missing",
        severity=Severity.INFO,
        title="No regular CIO meeting body",
        description="The CIO system includes a regular meeting of the CIOs (article ¶14).",
    ),
    CheckInfo(
        id="point-to-point-exchange",
        severity=Severity.WARNING,
        title="Point-to-point exchange that bypasses the shared platform",
        description="Departments exchange data through the government cloud data centre rather than "
        "point to point (article ¶12, ¶32).",
    ),
    CheckInfo(
        id="base-resource-not-unconditional",
        severity=Severity.WARNING,
        title="Base resource not shared unconditionally",
        description="Base information resources are shared unconditionally (2016 interim measures on "
        "government information resource sharing).",
    ),
    CheckInfo(
        id="share-without-legal-basis",
        severity=Severity.WARNING,
        title="Conditional or unshared resource without a legal basis",
        description="A resource shared conditionally or not at all must cite the law or rule behind it "
        "(2016 interim measures on government information resource sharing).",
    ),
    CheckInfo(
        id="exchange-with-inactive-system",
        severity=Severity.INFO,
        title="Live exchange with a planned or retired system",
        description="A live exchange whose end is a planned or retired system carries nothing and "
        "connects nothing.",
    ),
    CheckInfo(
        id="department-cycle",
        severity=Severity.ERROR,
        title="Department parent cycle",
        description="Departments form a hierarchy: following parent must never come back to where "
        "it started (a department that is its own parent included).",
    ),
    CheckInfo(
        id="jurisdiction-cycle",
        severity=Severity.ERROR,
        title="Jurisdiction parent cycle",
        description="Jurisdictions nest: following parent must never come back to where it "
        "started (a jurisdiction that is its own parent included).",
    ),
    CheckInfo(
        id="dotted-line-to-self",
        severity=Severity.WARNING,
        title="Dotted line to the role itself",
        description="A dotted (functional) line joins a role to another role; one to itself says "
        "nothing and is usually a mistyped id.",
    ),
    CheckInfo(
        id="empty-name",
        severity=Severity.WARNING,
        title="Empty name",
        description="Every element whose name (or a role's title) is required has one that shows "
        "something: reports and agendas name elements by it. White space and invisible "
        "characters alone do not count.",
    ),
    CheckInfo(
        id="exchange-self-loop",
        severity=Severity.WARNING,
        title="Exchange from a system or platform to itself",
        description="An exchange joins two systems or platforms; one whose from and to are the same "
        "connects nothing and is usually a mistyped id. It joins no group, closes no fault "
        "zone and meets no demand.",
    ),
    CheckInfo(
        id="exchange-via-end",
        severity=Severity.WARNING,
        title="Exchange routed via one of its own ends",
        description="via names the platform an exchange runs through between its two ends; a via "
        "that is one of the ends adds nothing and is usually a mistyped id.",
    ),
    CheckInfo(
        id="duplicate-demand",
        severity=Severity.WARNING,
        title="Several demands of one department for one resource",
        description="A department's need for a resource is one demand: the priorities add the "
        "weights of several into one need, and the barriers list each apart.",
    ),
    CheckInfo(
        id="duplicate-candidacy",
        severity=Severity.ERROR,
        title="One person a candidate for one role more than once",
        description="A person is assessed for a role once: the ranking lists each candidacy "
        "apart, so several put one person in several places, and the weight that would "
        "change the order compares a person with themselves.",
    ),
    CheckInfo(
        id="appraisals-disagree",
        severity=Severity.WARNING,
        title="Appraisals of one department that disagree on CIO work",
        description="A department's performance appraisal includes CIO work or does not "
        "(article ¶13); several appraisals of one department that say both cannot all be "
        "in force, and appraisal-excludes-cio counts the department as including it.",
    ),
    CheckInfo(
        id="confusable-ids",
        severity=Severity.WARNING,
        title="Ids that look alike",
        description="Two different ids that a reader cannot tell apart (a Cyrillic е for a Latin "
        "e, fullwidth letters) name two elements where one was meant, and a reference may "
        "name the wrong one. Ids are compared by their skeleton: their NFKC form with the "
        "Cyrillic, Greek and Armenian letters drawn like Latin ones read as Latin.",
    ),
    CheckInfo(
        id="tenure-overlap",
        severity=Severity.ERROR,
        title="Overlapping tenures of one role",
        description="A post has one holder at a time: two tenures of one role must not cover a "
        "common date (end is exclusive, so a successor may start on the day the predecessor's "
        "tenure ends). Taking the tenures in order of start, each one that overlaps an earlier "
        "tenure is reported once, with the earlier tenure that ends last.",
    ),
    CheckInfo(
        id="holder-not-tenure",
        severity=Severity.WARNING,
        title="Holder that its tenures contradict",
        description="A role's holder (and acting) describe it as of the scenario's as_of; when "
        "the role lists tenures, they should say the same on that date (at_date applies them).",
    ),
)

#: Every governance check, by id, in the order the checks run.
CHECK_INFO: dict[str, CheckInfo] = {info.id: info for info in _INFOS}
