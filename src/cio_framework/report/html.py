"""A self-contained HTML report: tables and inline SVG pictures, no network access.

The page's size is bounded however large the scenario: each table shows at
most :data:`TABLE_ROWS` rows and counts the rest, a cell lists at most
:data:`CELL_IDS` ids and :data:`CELL_CHARS` characters, and a picture that
would need more than :data:`CHART_BOXES` / :data:`CHART_LINES` (the
organisation chart) or :data:`LANDSCAPE_NODES` / :data:`LANDSCAPE_EXCHANGES`
(the landscape) is left out with a note saying why. The text and JSON
reports keep every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._html import clip, escape, records_html
from .._util import by_id
from ..analysis import (
    CheckReport,
    GovernanceSummary,
    PriorityReport,
    check,
    jurisdiction_summaries,
    summarize,
)
from ..model import Scenario

__all__ = [
    "CELL_CHARS",
    "CELL_IDS",
    "CHART_BOXES",
    "CHART_LINES",
    "LANDSCAPE_EXCHANGES",
    "LANDSCAPE_NODES",
    "TABLE_ROWS",
    "render_html",
    "scenario_html",
]

#: Rows a table of the page shows; one more row counts the rest.
TABLE_ROWS = 100
#: Ids a cell lists (roles of a level, systems of a group ...) before
#: ``… and 1,234 more``.
CELL_IDS = 25
#: Characters of a cell's text shown; the rest are counted.
CELL_CHARS = 2_000
#: The largest organisation chart drawn: its roles and bodies (boxes) ...
CHART_BOXES = 150
#: ... and its reporting and dotted lines.
CHART_LINES = 300
#: The largest landscape drawn: its systems and platforms ...
LANDSCAPE_NODES = 500
#: ... and its exchanges.
LANDSCAPE_EXCHANGES = 2_500

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC",
       "Microsoft YaHei", sans-serif; margin: 2rem auto; max-width: 72rem; color: #222;
       line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem;
     border-bottom: 1px solid #ddd; } h3 { font-size: 1.05rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f5f8; }
.facts td:first-child { font-weight: 600; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
.note { color: #666; font-style: italic; }
"""


def _table(records: Sequence[dict[str, Any]], columns: Sequence[str], empty: str) -> str:
    return records_html(records, columns, empty, limit=TABLE_ROWS, cell_chars=CELL_CHARS)


def _ids(ids: Sequence[str]) -> str:
    """At most :data:`CELL_IDS` of ``ids``, comma separated, the rest counted."""
    if len(ids) <= CELL_IDS:
        return ", ".join(ids)
    return f"{', '.join(ids[:CELL_IDS])} … and {len(ids) - CELL_IDS:,} more"


def scenario_html(scenario: Scenario) -> str:
    """A small HTML table of a scenario: its rich display in Jupyter.

    Examples
    --------
    >>> import cio_framework
    >>> "<table>" in scenario_html(cio_framework.builtin("pudong-2016"))
    True
    """
    return scenario._repr_html_()


def _chart_too_big(scenario: Scenario) -> str | None:
    """Why the organisation chart is left out, or ``None`` to draw it."""
    boxes = len(scenario.roles) + len(scenario.bodies)
    lines = sum((r.reports_to is not None) + len(r.dotted_lines) for r in scenario.roles)
    if boxes <= CHART_BOXES and lines <= CHART_LINES:
        return None
    return (
        f"The organisation chart is left out: {boxes:,} roles and bodies and {lines:,} "
        f"reporting and dotted lines are more than one picture shows legibly (at most "
        f"{CHART_BOXES:,} and {CHART_LINES:,}). The tables above list the roles and bodies "
        "of each level."
    )


def _landscape_too_big(scenario: Scenario) -> str | None:
    """Why the landscape picture is left out, or ``None`` to draw it."""
    nodes = len(scenario.systems) + len(scenario.platforms)
    exchanges = len(scenario.exchanges)
    if nodes <= LANDSCAPE_NODES and exchanges <= LANDSCAPE_EXCHANGES:
        return None
    return (
        f"The landscape picture is left out: {nodes:,} systems and platforms and "
        f"{exchanges:,} exchanges are more than one picture shows legibly (at most "
        f"{LANDSCAPE_NODES:,} and {LANDSCAPE_EXCHANGES:,}). The tables above describe its "
        "groups and islands; cio-framework export writes the graph for Gephi, yEd or Graphviz."
    )


def _figure(caption: str, svg: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def _note(text: str) -> str:
    return f'<p class="note">{escape(text)}</p>'


def _pictures(scenario: Scenario, ranked: PriorityReport | None) -> list[str]:
    """The pictures as HTML figures, or notes saying why one is left out."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return [_note("Pictures need matplotlib: pip install 'cio_framework[plot]'.")]
    from ..plot import figure_svg, plot_landscape, plot_org_chart, plot_priorities

    too_big = _chart_too_big(scenario)
    parts = [
        _note(too_big)
        if too_big
        else _figure("Organisation chart by governance level", figure_svg(plot_org_chart(scenario)))
    ]
    if ranked is None:
        return parts
    too_big = _landscape_too_big(scenario)
    parts.append(
        _note(too_big)
        if too_big
        else _figure(
            "Information landscape: each group of connected systems in a box, islands in "
            "red; systems coloured by department",
            figure_svg(plot_landscape(scenario)),
        )
    )
    parts.append(
        _figure("Integration priorities, split by factor", figure_svg(plot_priorities(ranked)))
    )
    return parts


def render_html(
    scenario: Scenario,
    *,
    pictures: bool = True,
    checks: CheckReport | None = None,
    summary: GovernanceSummary | None = None,
) -> str:
    """Render the report as one self-contained HTML page.

    Parameters
    ----------
    scenario
        The scenario.
    pictures
        Include the organisation chart, landscape and priorities as inline
        SVG. They need matplotlib (the ``plot`` extra); without it the page
        says so and shows the tables only.
    checks, summary
        The scenario's check report and governance summary when already
        computed; computed when not given.

    Returns
    -------
    str
        The page, ``<!DOCTYPE html>`` first.

    Notes
    -----
    Time O((V + E) log V) for a scenario of V elements and E references,
    and a page of bounded size: tables show at most :data:`TABLE_ROWS` rows
    (the last row counts the others), cells at most :data:`CELL_IDS` ids and
    :data:`CELL_CHARS` characters, and a picture too large to be legible
    (see :data:`CHART_BOXES`, :data:`LANDSCAPE_NODES`) is replaced by a note
    saying why. The priorities picture shows the best ten.

    Examples
    --------
    >>> import cio_framework
    >>> page = render_html(cio_framework.builtin("pudong-2016"), pictures=False)
    >>> page.startswith("<!DOCTYPE html>"), "http" in page.split("<body>")[1]
    (True, False)
    """
    from . import _analyse, _has_landscape, _plain_landscape

    checks = checks if checks is not None else check(scenario)
    summary = summary if summary is not None else summarize(scenario)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(scenario.name)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(scenario.name)}</h1>",
        *_governance(scenario, summary),
        *_jurisdictions(scenario, checks),
        *_checks(checks),
    ]
    ranked = None
    if _has_landscape(scenario):
        found, proposal = _analyse(scenario, checks)
        ranked = found.priorities
        parts.extend(_landscape(_plain_landscape(found, proposal)))
    if pictures:
        parts.append("<h2>Pictures</h2>")
        parts.extend(_pictures(scenario, ranked))
    parts.extend(_notes(scenario))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _jurisdictions(scenario: Scenario, checks: CheckReport) -> list[str]:
    """A table of the jurisdictions, when the scenario has any."""
    places = jurisdiction_summaries(scenario, checks=checks)
    if not places:
        return []
    columns = ["jurisdiction", "within", "hub", "decided by", "meeting", "findings", "islands"]
    rows = [
        {
            "jurisdiction": f"{p.name} ({p.id})",
            "within": p.parent or "",
            "hub": (p.hub or "") + (" (does not reach the hub above)" if p.unlinked else ""),
            "decided by": p.decided_by,
            "meeting": p.meeting,
            "findings": f"{p.findings['error']} errors, {p.findings['warning']} warnings, "
            f"{p.findings['info']} notes",
            "islands": p.islands,
        }
        for p in places
    ]
    return ["<h2>Jurisdictions</h2>", _table(rows, columns, "")]


def _governance(scenario: Scenario, summary: GovernanceSummary) -> list[str]:
    """The facts, the governance figures and levels, bodies and criteria."""
    facts = [
        {"fact": "Jurisdiction", "value": scenario.jurisdiction},
        {"fact": "As of", "value": scenario.as_of.isoformat() if scenario.as_of else None},
        {"fact": "Source", "value": scenario.source},
    ]
    levels = [
        {"level": level.name, "roles": _ids(level.roles), "bodies": _ids(level.bodies)}
        for level in summary.levels
    ]
    parts = [
        _table([f for f in facts if f["value"]], ["fact", "value"], "").replace(
            "<table>", '<table class="facts">', 1
        ),
        "<h2>Governance structure</h2>",
        _table(summary.to_records(), ["measure", "value"], ""),
        _table(levels, ["level", "roles", "bodies"], "No levels."),
    ]
    if summary.bodies:
        columns = ["body", "kind", "chair", "members", "meets every (months)", "meetings recorded"]
        bodies = [
            dict(
                zip(
                    columns,
                    (b.name, b.kind, b.chair, b.members, b.meets_every_months, b.meetings_held),
                    strict=True,
                )
            )
            for b in summary.bodies
        ]
        parts += ["<h3>Bodies and meetings</h3>", _table(bodies, columns, "")]
    if scenario.criteria:
        criteria = [
            {
                "criterion": c.name,
                "weight": c.weight,
                "ability": c.ability.value if c.ability else "",
                "source": c.source,
            }
            for c in scenario.criteria
        ]
        parts += [
            "<h3>Selection criteria</h3>",
            _table(criteria, ["criterion", "weight", "ability", "source"], ""),
        ]
    return parts


def _checks(checks: CheckReport) -> list[str]:
    """The check counts and findings; when the findings fill more than one
    table, first a count of them by check."""
    counts = checks.counts()
    parts = [
        "<h2>Checks</h2>",
        f"<p>{len(checks.checks_run)} checks run: {counts['error']} errors, "
        f"{counts['warning']} warnings, {counts['info']} notes.</p>",
    ]
    if len(checks.findings) > TABLE_ROWS:
        by_check: dict[str, dict[str, Any]] = {}
        for finding in checks.findings:
            row = by_check.setdefault(
                finding.check,
                {"check": finding.check, "severity": finding.severity.value, "findings": 0},
            )
            row["findings"] += 1
        parts.append(_table(list(by_check.values()), ["severity", "check", "findings"], ""))
    findings = [
        {
            "severity": f.severity.value,
            "check": f.check,
            "message": f.message,
            "ids": _ids(f.ids),
            "evidence": str(f.evidence),
        }
        for f in checks.findings[:TABLE_ROWS]
    ]
    parts.append(
        records_html(
            findings,
            ["severity", "check", "message", "ids", "evidence"],
            "No findings.",
            cell_chars=CELL_CHARS,
        )
    )
    if len(checks.findings) > TABLE_ROWS:
        hidden = len(checks.findings) - TABLE_ROWS
        parts.append(
            f"<p>… and {hidden:,} more findings (cio-framework validate, or the report "
            "as text or JSON, lists them all).</p>"
        )
    return parts


def _landscape(data: dict[str, Any]) -> list[str]:
    """The landscape's indicators, groups, barriers, fault zones, priorities and agenda."""
    groups = [
        {
            "group": i + 1,
            "connected to a platform": g["connected_to_platform"],
            "departments": _ids(g["departments"]),
            "systems": _ids(g["systems"]),
            "platforms": _ids(g["platforms"]),
            "evidence": g["evidence"]["summary"],
        }
        for i, g in enumerate(data["islands"]["groups"])
    ]
    ranked = [
        {
            "rank": i + 1,
            "score": round(p["score"], 2),
            "explanation": p["explanation"],
            "accountable": _ids(p["accountable"]),
            "decided by": p["decided_by"],
            "evidence": p["evidence"]["summary"],
        }
        for i, p in enumerate(data["priorities"])
    ]
    parts = [
        "<h2>Information landscape</h2>",
        _table(
            [{"indicator": k, "value": v} for k, v in data["indicators"].items()],
            ["indicator", "value"],
            "",
        ),
        "<h3>Groups and islands</h3>",
        _table(
            groups,
            ["group", "connected to a platform", "departments", "systems", "platforms", "evidence"],
            "No systems.",
        ),
        "<h3>Barriers</h3>",
        _table(
            [{**b, "evidence": b["evidence"]["summary"]} for b in data["barriers"]],
            ["by", "resource", "explanation", "evidence"],
            "Every demand is met.",
        ),
        "<h3>Fault zones</h3>",
        _table(
            [{**z, "evidence": z["evidence"]["summary"]} for z in data["fault_zones"]],
            ["matter", "explanation", "evidence"],
            "No fault zones.",
        ),
        "<h3>Integration priorities</h3>",
        _table(
            ranked,
            ["rank", "score", "explanation", "accountable", "decided by", "evidence"],
            "No candidates.",
        ),
    ]
    agenda = data["agenda"]
    if agenda["items"]:
        when = f" ({agenda['date']})" if agenda["date"] else ""
        parts.append(f"<h3>Next regular meeting{escape(when)}</h3>")
        items = [{**i, "evidence": i["evidence"]["summary"]} for i in agenda["items"]]
        parts.append(_table(items, ["title", "reason", "evidence"], ""))
    return parts


def _notes(scenario: Scenario) -> list[str]:
    """The scenario's notes, at most :data:`TABLE_ROWS` of them."""
    if not scenario.notes:
        return []
    parts = ["<h2>Notes</h2><ul>"]
    for note in by_id(scenario.notes)[:TABLE_ROWS]:
        source = f" ({escape(clip(note.source, CELL_CHARS))})" if note.source else ""
        parts.append(f"<li>{escape(clip(note.text, CELL_CHARS))}{source}</li>")
    hidden = len(scenario.notes) - TABLE_ROWS
    if hidden > 0:
        parts.append(f"<li>… and {hidden:,} more notes</li>")
    parts.append("</ul>")
    return parts
