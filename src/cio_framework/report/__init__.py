"""Renderers: the report as text, Markdown, JSON or HTML, and problem lists."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from .._contracts import document
from .._escape import json_safe, markdown, one_line, visible
from .._util import by_id, counted
from ..analysis import (
    Agenda,
    CheckReport,
    Evidence,
    Finding,
    GovernanceSummary,
    JurisdictionSummary,
    Landscape,
    agenda,
    check,
    jurisdiction_summaries,
    landscape,
    summarize,
)
from ..exceptions import Problem
from ..model import Scenario

__all__ = [
    "FORMATS",
    "REPORT_TOP",
    "Locate",
    "landscape_data",
    "render_problems",
    "render_report",
    "report_data",
    "titled",
]

#: Output formats of :func:`render_report`.
FORMATS = ("text", "markdown", "json", "html")

#: A function giving ``(file, line, column, path)`` for a finding, or ``None``.
Locate = Callable[[Finding], tuple[str | None, int | None, int | None, str] | None]


def titled(scenario: Scenario) -> Callable[[str], str]:
    """A function from a role or body id to ``title (id)`` (a body's
    ``name (id)``), and from any other id to the id alone: outputs name each
    post by its own title.

    Examples
    --------
    >>> from cio_framework.model import Role
    >>> named = titled(Scenario(name="x", roles=[
    ...     Role(id="sz-cdo", title="Chief Data Officer of Shenzhen", level="strategic")]))
    >>> named("sz-cdo"), named("epb")
    ('Chief Data Officer of Shenzhen (sz-cdo)', 'epb')
    """
    shown = {r.id: r.title for r in scenario.roles}
    shown.update((b.id, b.name) for b in scenario.bodies)

    def named(id: str) -> str:
        title = shown.get(id)
        return f"{title} ({id})" if title and title != id else id

    return named


def _pct(value: float) -> str:
    return f"{value:.0%}"


def report_data(
    scenario: Scenario,
    *,
    checks: CheckReport | None = None,
    summary: GovernanceSummary | None = None,
    locate: Locate | None = None,
) -> dict[str, Any]:
    """The report as plain data (what ``--format json`` prints).

    Examples
    --------
    >>> import cio_framework
    >>> data = report_data(cio_framework.builtin("pudong-2016"))
    >>> data["kind"], data["version"]
    ('report', 1)
    >>> sorted(data)
    ['checks', 'jurisdictions', 'kind', 'landscape', 'notes', 'scenario', 'summary', 'version']
    >>> data["checks"]["counts"]
    {'error': 0, 'warning': 4, 'info': 0}
    """
    checks = checks if checks is not None else check(scenario)
    summary = summary if summary is not None else summarize(scenario)
    findings = []
    for finding in checks.findings:
        item = finding.to_dict()
        place = locate(finding) if locate is not None else None
        if place is not None:
            item.update(zip(("file", "line", "column", "path"), place, strict=True))
        findings.append(item)
    return document(
        "report",
        {
            "scenario": {
                "name": scenario.name,
                "jurisdiction": scenario.jurisdiction,
                "as_of": scenario.as_of.isoformat() if scenario.as_of else None,
                "source": scenario.source,
            },
            "summary": summary.to_dict(),
            "jurisdictions": [j.to_dict() for j in jurisdiction_summaries(scenario, checks=checks)],
            "checks": {
                "run": list(checks.checks_run),
                "counts": checks.counts(),
                "findings": findings,
            },
            "landscape": landscape_data(scenario, checks=checks)
            if _has_landscape(scenario)
            else None,
            "notes": [
                {"id": n.id, "text": n.text, "source": n.source} for n in by_id(scenario.notes)
            ],
        },
    )


def _has_landscape(scenario: Scenario) -> bool:
    return bool(scenario.systems or scenario.platforms)


#: How many priorities the report shows.
REPORT_TOP = 5


def _analyse(scenario: Scenario, checks: CheckReport | None = None) -> tuple[Landscape, Agenda]:
    """Every landscape analysis the report shows, each computed once, and
    the agenda they propose."""
    found = landscape(scenario)
    return found, agenda(scenario, checks=checks, ranked=found.priorities)


def landscape_data(scenario: Scenario, *, checks: CheckReport | None = None) -> dict[str, Any]:
    """The landscape part of the report as plain data.

    ``checks``, the scenario's check report when already computed, spares
    the agenda running the checks again.

    Examples
    --------
    >>> import cio_framework
    >>> data = landscape_data(cio_framework.builtin("pudong-2016"))
    >>> sorted(data)
    ['agenda', 'barriers', 'fault_zones', 'indicators', 'islands', 'priorities']
    """
    return _plain_landscape(*_analyse(scenario, checks))


def _plain_landscape(found: Landscape, proposal: Agenda) -> dict[str, Any]:
    """:func:`landscape_data` of analyses already made."""
    return {
        "indicators": found.indicators.to_dict(),
        "islands": found.islands.to_dict(),
        "barriers": found.barriers.to_dict()["barriers"],
        "fault_zones": found.fault_zones.to_dict()["fault_zones"],
        "priorities": [p.to_dict() for p in found.priorities.top(REPORT_TOP)],
        "agenda": proposal.to_dict(),
    }


def _holder(
    roles: dict[str, Any], people: dict[str, Any], role_id: str, t: Callable[[str], str] = str
) -> str:
    role = roles.get(role_id)
    if role is None:
        return t(role_id)
    if role.holder is None:
        return f"{t(role.title)} (vacant)"
    person = people.get(role.holder)
    name = person.display_name if person is not None else role.holder
    return f"{t(role.title)}: {t(name)}"


def _lines(
    scenario: Scenario, checks: CheckReport, summary: GovernanceSummary, md: bool
) -> list[str]:
    people = {p.id: p for p in scenario.people}
    roles = {r.id: r for r in scenario.roles}
    bodies = {b.id: b for b in summary.bodies}
    out: list[str] = []
    # Scenario text goes through t: escaped for Markdown; in the text report
    # its line breaks are shown as escapes (a finding, a list item stays one
    # line), and the whole is made visible by render_report.
    t: Callable[[str], str] = markdown if md else one_line

    def heading(text: str, level: int = 2) -> None:
        if md:
            out.extend([f"{'#' * level} {text}", ""])
        else:
            out.extend([text, ("=" if level == 1 else "-") * len(text)])

    def bullet(text: str, indent: int = 0) -> None:
        out.append(("  " * indent) + ("- " if md else "  * " if indent else "* ") + text)

    heading(t(scenario.name), 1)
    facts = [
        ("Jurisdiction", scenario.jurisdiction),
        ("As of", scenario.as_of.isoformat() if scenario.as_of else None),
        ("Source", scenario.source),
    ]
    for label, value in facts:
        if value:
            out.append(f"**{label}:** {t(value)}  " if md else f"{label}: {t(value)}")
    out.append("")

    heading("Governance levels")
    for level in summary.levels:
        bullet(
            f"{t(level.name)} ({t(level.id)}): {counted(len(level.roles), 'role')}, "
            f"{counted(len(level.bodies), 'body', 'bodies')}"
        )
        for role_id in level.roles:
            bullet(_holder(roles, people, role_id, t), 1)
        for body_id in level.bodies:
            body = bodies[body_id]
            bullet(f"{t(body.name)} (body)", 1)
    out.append("")

    heading("Structure")
    bullet(
        f"Departments: {summary.departments}, of which pilot: {summary.pilot_departments}, "
        f"pilots with a departmental CIO: {summary.pilots_with_cio}"
    )
    bullet(
        f"Roles: {summary.roles} ({summary.vacant_roles} vacant); CIO posts: {summary.cio_posts}"
    )
    bullet(f"CIO posts held concurrently with a substantive post: {_pct(summary.concurrent_share)}")
    bullet(
        f"Reporting depth: {summary.reporting_depth}; widest span of control: "
        f"{summary.max_span_of_control}"
    )
    bullet(
        f"Responsibilities: {summary.responsibilities}, with exactly one Accountable: "
        f"{summary.single_accountable}"
    )
    bullet(
        f"Departments whose performance appraisal includes CIO work: {summary.appraised_departments}"
    )
    out.append("")

    places = jurisdiction_summaries(scenario, checks=checks)
    if places:
        heading("Jurisdictions")
        _jurisdiction_lines(places, titled(scenario), bullet, t)
        out.append("")

    if summary.bodies:
        heading("Bodies and meetings")
        for body in summary.bodies:
            chair = _holder(roles, people, body.chair, t) if body.chair else "no chair"
            every = (
                f", meets every {body.meets_every_months:g} months"
                if body.meets_every_months
                else ""
            )
            bullet(
                f"{t(body.name)} [{body.kind}]: chaired by {chair}; {body.members} members{every}; "
                f"{body.meetings_held} meetings recorded"
            )
        if summary.meetings:
            bullet(
                f"Meetings recorded: {summary.meetings}, with proxy attendance: "
                f"{summary.meetings_with_proxies}"
            )
        out.append("")

    if scenario.criteria:
        heading("Selection criteria")
        if md:
            out.extend(["| Criterion | Weight | Ability |", "|---|---:|---|"])
            for c in scenario.criteria:
                ability = c.ability.value if c.ability else ""
                out.append(f"| {t(c.name)} | {c.weight:g} | {t(ability)} |")
            out.append("")
        else:
            for c in scenario.criteria:
                ability = f" [{c.ability.value}]" if c.ability else ""
                bullet(f"{t(c.name)}: weight {c.weight:g}{ability}")
        out.append(
            f"Weight on business ability: {_pct(summary.business_weight_share)}; "
            f"on technical background: {_pct(summary.technical_weight_share)}."
        )
        out.append("")

    if _has_landscape(scenario):
        _landscape_lines(scenario, *_analyse(scenario, checks), heading, bullet, out, t)

    heading("Checks")
    counts = checks.counts()
    out.append(
        f"{len(checks.checks_run)} checks run: {counts['error']} errors, "
        f"{counts['warning']} warnings, {counts['info']} notes."
    )
    if checks.findings:
        out.append("")
        for finding in checks.findings:
            bullet(
                f"{finding.severity.value}: {t(finding.message)} [{finding.check}]"
                + _graded(finding.evidence, t)
            )
    out.append("")

    if scenario.notes:
        heading("Notes")
        for note in by_id(scenario.notes):
            source = f" ({t(note.source)})" if note.source else ""
            bullet(f"{t(note.text)}{source}")
        out.append("")
    return out


#: The line above the findings when some rest on elements that are not sourced.
EVIDENCE_LEGEND = (
    "Evidence: {weak} of the {total} islands, barriers, fault zones and priorities below rest "
    "partly on "
    "elements no source states (marked [partly illustrative: ...], [partly inferred: ...] "
    "or [partly unsourced: ...]); --evidence sourced computes on sourced elements only."
)


#: Jurisdictions deeper than this are listed at this indent.
_MAX_INDENT = 4


def _jurisdiction_lines(
    places: Sequence[JurisdictionSummary],
    named: Callable[[str], str],
    bullet: Callable[[str, int], None],
    t: Callable[[str], str],
) -> None:
    """One line per jurisdiction, indented by its depth: where it sits, its
    hub, who decides, which meeting takes its issues and its own figures."""
    for place in places:
        kind = f", {t(place.kind)}" if place.kind else ""
        parts = [
            f"hub {t(place.hub)}" + (" (does not reach the hub above)" if place.unlinked else "")
            if place.hub
            else "no hub",
            f"decided by {t(named(place.decided_by))}" if place.decided_by else "no decider",
            f"issues to {t(named(place.meeting))}" if place.meeting else "no regular meeting",
        ]
        counts = place.findings
        parts.append(
            f"checks: {counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['info']} notes"
        )
        if place.islands is not None:
            parts.append(f"islands within: {place.islands}")
        bullet(
            f"{t(place.name)} ({t(place.id)}{kind}): " + "; ".join(parts),
            min(place.depth, _MAX_INDENT),
        )


def _graded(evidence: Evidence, t: Callable[[str], str]) -> str:
    """`` [partly illustrative: ...]`` after a finding that is not sourced."""
    return "" if evidence.sourced else f" [{t(str(evidence))}]"


def _landscape_lines(
    scenario: Scenario,
    found: Landscape,
    proposal: Agenda,
    heading: Any,
    bullet: Any,
    out: list[str],
    t: Callable[[str], str],
) -> None:
    figures = found.indicators
    report = found.islands
    names = {d.id: d.name for d in scenario.departments}
    named = titled(scenario)
    heading("Information landscape")
    bullet(
        f"Systems in use: {figures.systems_in_use}; on a shared platform: "
        f"{_pct(figures.platform_share)}; in a group that reaches a platform: "
        f"{_pct(figures.connected_share)}"
    )
    bullet(
        f"Groups: {figures.groups}, of which islands: {figures.islands}; isolated systems: "
        f"{figures.isolated_systems}; departmental silos: {figures.silos}"
    )
    bullet(
        f"Catalogue coverage: {_pct(figures.catalogue_coverage)}; demand met (weighted): "
        f"{_pct(figures.demands_met_share)}; fault zones: {figures.fault_zones}"
    )
    out.append("")
    graded = [
        *(g.evidence for g in report.islands),
        *(b.evidence for b in found.barriers.barriers),
        *(z.evidence for z in found.fault_zones.zones),
        *(p.evidence for p in found.priorities.top(REPORT_TOP)),
    ]
    weak = sum(1 for grade in graded if not grade.sourced)
    if weak:
        out.extend([EVIDENCE_LEGEND.format(weak=weak, total=len(graded)), ""])
    if report.islands:
        heading("Islands", 3)
        for group in report.islands:
            departments = ", ".join(t(names.get(d, d)) for d in group.departments)
            systems = ", ".join(t(s) for s in group.systems)
            bullet(f"{departments}: {systems}{_graded(group.evidence, t)}")
        out.append("")
    if found.barriers.barriers:
        heading("Barriers", 3)
        for barrier in found.barriers.barriers:
            bullet(t(barrier.explanation) + _graded(barrier.evidence, t))
        out.append("")
    if found.fault_zones.zones:
        heading("Fault zones", 3)
        for zone in found.fault_zones.zones:
            bullet(t(zone.explanation) + _graded(zone.evidence, t))
        out.append("")
    ranked = found.priorities
    if ranked.priorities:
        heading("Integration priorities", 3)
        for rank, item in enumerate(ranked.top(REPORT_TOP), 1):
            who = ", ".join(t(named(a)) for a in item.accountable) or "no departmental CIO"
            decider = t(named(item.decided_by)) if item.decided_by else "nobody"
            bullet(
                f"{rank}. [{item.score:.1f}] {t(item.explanation)} Accountable: {who}; "
                f"decided by {decider}.{_graded(item.evidence, t)}"
            )
        out.append("")
    elif ranked.note:
        out.extend([t(ranked.note), ""])
    if proposal.items:
        when = f" ({proposal.date.isoformat()})" if proposal.date else ""
        heading(f"Next regular meeting{when}", 3)
        for entry in proposal.items:
            bullet(t(entry.title) + _graded(entry.evidence, t))
        out.append("")


def render_report(
    scenario: Scenario,
    format: str = "text",
    *,
    checks: CheckReport | None = None,
    summary: GovernanceSummary | None = None,
    locate: Locate | None = None,
) -> str:
    """Render the governance report of a scenario.

    Parameters
    ----------
    scenario
        The scenario.
    format
        ``"text"``, ``"markdown"``, ``"json"`` or ``"html"`` (one self-contained
        page; pictures need the ``plot`` extra).
    checks, summary
        Precomputed results; computed when not given.
    locate
        Places findings in files (used for JSON output).

    Examples
    --------
    >>> import cio_framework
    >>> text = render_report(cio_framework.builtin("pudong-2016"))
    >>> print(text.splitlines()[0])
    Pudong New Area government CIO pilot (2016)
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    checks = checks if checks is not None else check(scenario)
    summary = summary if summary is not None else summarize(scenario)
    if format == "json":
        data = report_data(scenario, checks=checks, summary=summary, locate=locate)
        return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"
    if format == "html":
        from .html import render_html

        return render_html(scenario, checks=checks, summary=summary)
    lines = _lines(scenario, checks, summary, md=format == "markdown")
    while lines and not lines[-1]:
        lines.pop()
    return visible("\n".join(lines)) + "\n"


def render_problems(problems: Sequence[Problem], format: str = "text") -> str:
    """Render configuration problems, one per line (``text``) or as JSON.

    Examples
    --------
    >>> p = Problem(message="bad", code="bad-value", file="a.yaml", line=2, column=3)
    >>> print(render_problems([p]), end="")
    a.yaml:2:3: error: bad [bad-value]
    """
    if format == "json":
        text = json.dumps([p.to_dict() for p in problems], ensure_ascii=False, indent=2)
        return json_safe(text) + "\n"
    return "".join(f"{visible(str(p))}\n" for p in problems)
