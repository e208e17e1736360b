"""The next regular CIO meeting's agenda: one or two major issues."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs

from .._contracts import document
from .._util import tuple_of
from ..config import require_valid
from ..exceptions import Severity, UnknownNameError
from ..graph.jurisdictions import JurisdictionTree
from ..model import Body, BodyKind, Scenario
from ._arguments import check_count
from ._results import Plain, Tabular, plain_dict, records_html
from .checks import AVERAGE_MONTH_DAYS, CHECKS, CheckReport, check
from .evidence import Evidence
from .priorities import PriorityReport, priorities

__all__ = ["Agenda", "AgendaItem", "agenda", "forums"]


@attrs.frozen(kw_only=True)
class AgendaItem(Plain):
    """One major issue proposed for the meeting."""

    title: str
    reason: str
    source: str  # "check" or "priority"
    ids: tuple[str, ...] = attrs.field(converter=tuple_of)
    #: The grade of what it rests on, the check's findings or the priority's.
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the fields, the evidence as :meth:`~cio_framework.analysis.evidence.Evidence.to_dict`."""
        return {**plain_dict(self), "evidence": self.evidence.to_dict()}


@attrs.frozen(kw_only=True)
class Agenda(Tabular):
    """The proposed agenda of the next regular meeting."""

    body: str | None
    date: dt.date | None
    convenor: str | None
    items: tuple[AgendaItem, ...] = attrs.field(converter=tuple_of)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document ``agenda``, printed by ``cio-framework agenda --format json``."""
        return document(
            "agenda",
            {
                "body": self.body,
                "date": self.date.isoformat() if self.date else None,
                "convenor": self.convenor,
                "items": [i.to_dict() for i in self.items],
            },
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One record per item: its number (from 1), its JSON fields, the
        evidence as its one-line text."""
        return [
            {"item": n + 1, **i.to_dict(), "evidence": str(i.evidence)}
            for n, i in enumerate(self.items)
        ]

    def _repr_html_(self) -> str:
        return records_html(self.to_records(), ["item", "title", "reason"], "Nothing to discuss.")


def _meeting_bodies(scenario: Scenario) -> list[Body]:
    """The regular meetings, or, when there are none, the bodies that meet
    at an interval."""
    bodies = [b for b in scenario.bodies if b.kind is BodyKind.REGULAR_MEETING]
    return bodies or [b for b in scenario.bodies if b.meets_every_months is not None]


def forums(
    scenario: Scenario, tree: JurisdictionTree, chosen: str | None = None
) -> dict[str | None, str | None]:
    """Where the issues of each jurisdiction are discussed (``None``: of the
    scenario level): its regular meeting (the least id), else the forum of
    the jurisdiction above it. The scenario level's forum is its own
    regular meeting, else that of the highest jurisdiction that has one
    (then the least body id). A ``chosen`` body is its jurisdiction's meeting,
    whatever its kind. Without any regular meeting in the scenario, the
    bodies that meet at an interval stand in for them."""
    own: dict[str | None, str] = {}
    if chosen is not None:
        own[tree.of(chosen)] = chosen
    for body in sorted(_meeting_bodies(scenario), key=lambda b: b.id):
        own.setdefault(tree.of(body.id), body.id)
    top = own.get(None)
    if top is None:
        placed = [(tree.depth[j], body) for j, body in own.items() if j is not None]
        top = min(placed)[1] if placed else None
    found: dict[str | None, str | None] = {None: top}
    for j in tree.jurisdictions:  # top down
        up = tree.parent[j]
        found[j] = own.get(j, found[up])
    return found


def agenda(
    scenario: Scenario,
    *,
    items: int | None = None,
    checks: CheckReport | None = None,
    ranked: PriorityReport | None = None,
    body: str | None = None,
) -> Agenda:
    """Propose the major issues for the next regular CIO meeting.

    The article's regular meeting takes one or two major issues (¶14). The
    first item is the most widespread failing governance check (errors before
    warnings, then the most cases, then by check id), if any, with the case
    of the least ids as its reason; the rest are the best integration
    priorities with a positive score, in the order of :func:`priorities`.
    An item's title is the priority's explanation up to the list of its
    gains (names may hold colons). The date is the last meeting plus the
    body's interval, or ``None`` when that falls after the year 9999.

    Parameters
    ----------
    scenario
        The scenario.
    items
        How many issues; by default the body's ``issues_per_meeting``
        maximum, or 2.
    checks, ranked
        The scenario's check report and priorities, when already computed.
    body
        The id of the body whose meeting it is, taken as its jurisdiction's
        meeting whatever its kind. By default the regular meeting of the
        scenario level, else of the highest jurisdiction that has one (see
        :func:`~cio_framework.analysis.agenda.forums`). In a scenario with
        no regular meeting, the bodies that meet at an interval
        (``meets_every_months``) stand in for the regular meetings.

    Raises
    ------
    UnknownNameError
        When ``body`` is not a body of the scenario.

    Notes
    -----
    Each check finding and each priority is discussed by one body: the
    regular meeting of its jurisdiction (the ``jurisdiction`` of a
    :class:`~cio_framework.analysis.Finding` or an
    :class:`~cio_framework.analysis.Integration`), or of the nearest
    jurisdiction above it that has one. A body's agenda takes its own
    issues only. In a scenario without jurisdictions every issue is the
    one regular meeting's.

    Examples
    --------
    >>> import cio_framework
    >>> proposal = agenda(cio_framework.builtin("pudong-2016"))
    >>> len(proposal.items), proposal.body
    (2, 'regular-meeting')
    """
    check_count("items", items)
    require_valid(scenario)
    tree = JurisdictionTree(scenario)
    if body is not None and not any(b.id == body for b in scenario.bodies):
        raise UnknownNameError(kind="body", name=body, known=sorted(b.id for b in scenario.bodies))
    forum = forums(scenario, tree, body)
    body_id = forum[None] if body is None else body
    found = next((b for b in scenario.bodies if b.id == body_id), None)

    def ours(place: str | None) -> bool:
        return forum[place] == body_id

    return _agenda(scenario, found, ours, items, checks, ranked)


def _agenda(
    scenario: Scenario,
    body: Body | None,
    ours: Callable[[str | None], bool],
    items: int | None,
    checks: CheckReport | None,
    ranked: PriorityReport | None,
) -> Agenda:
    """The agenda of ``body``, of the issues ``ours`` accepts by jurisdiction."""
    count = items
    if count is None:
        count = body.issues_per_meeting.maximum if body and body.issues_per_meeting else 2
    date = None
    if body is not None and body.meets_every_months is not None:
        held = [m.date for m in scenario.meetings if m.body == body.id]
        if held:
            interval = dt.timedelta(days=round(body.meets_every_months * AVERAGE_MONTH_DAYS))
            if max(held) <= dt.date.max - interval:
                date = max(held) + interval
    chosen: list[AgendaItem] = []
    report = checks if checks is not None else check(scenario)
    by_check: dict[str, list[Any]] = {}
    for finding in report.findings:
        if finding.severity is not Severity.INFO and ours(finding.jurisdiction):
            by_check.setdefault(finding.check, []).append(finding)
    if by_check and count > 0:
        # errors before warnings, then the most cases, then the check id
        name, findings = min(
            by_check.items(),
            key=lambda pair: (-pair[1][0].severity.rank, -len(pair[1]), pair[0]),
        )
        rule = CHECKS[name]
        example = min(findings, key=lambda f: (f.ids, f.message))
        chosen.append(
            AgendaItem(
                title=f"{rule.title} ({len(findings)} case{'s' if len(findings) != 1 else ''})",
                reason=example.message,
                source="check",
                ids=tuple(sorted({i for f in findings for i in f.ids})),
                evidence=Evidence.combine(f.evidence for f in findings),
            )
        )
    for candidate in (ranked if ranked is not None else priorities(scenario)).priorities:
        if len(chosen) >= count or candidate.score <= 0:
            break
        if not ours(candidate.jurisdiction):
            continue
        chosen.append(
            AgendaItem(
                # "<what>: <gains>, for an estimated cost of <x>.": the gains are
                # numbers and fixed words, so the last ": " ends the title
                title=candidate.explanation.rsplit(": ", 1)[0],
                reason=candidate.explanation,
                source="priority",
                ids=(candidate.id, *candidate.accountable),
                evidence=candidate.evidence,
            )
        )
    return Agenda(
        body=body.id if body else None,
        date=date,
        convenor=body.chair if body else None,
        items=chosen[:count],
    )
