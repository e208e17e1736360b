"""A self-contained HTML report: tables and inline SVG pictures, no network access."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._html import escape, records_html
from ..analysis import check, summarize
from ..model import Scenario

__all__ = ["render_html", "scenario_html"]

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
    return records_html(records, columns, empty)


def scenario_html(scenario: Scenario) -> str:
    """A small HTML table of a scenario: its rich display in Jupyter.

    Examples
    --------
    >>> import cio_framework
    >>> "<table>" in scenario_html(cio_framework.builtin("pudong-2016"))
    True
    """
    return scenario._repr_html_()


def _svg_figures(scenario: Scenario) -> list[tuple[str, str]]:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return []
    from ..plot import figure_svg, plot_landscape, plot_org_chart, plot_priorities

    figures = [("Organisation chart by governance level", figure_svg(plot_org_chart(scenario)))]
    if scenario.systems or scenario.platforms:
        figures.append(
            (
                "Information landscape, coloured by group; islands in red",
                figure_svg(plot_landscape(scenario)),
            )
        )
        figures.append(
            ("Integration priorities, split by factor", figure_svg(plot_priorities(scenario)))
        )
    return figures


def render_html(scenario: Scenario, *, pictures: bool = True) -> str:
    """Render the report as one self-contained HTML page.

    Parameters
    ----------
    scenario
        The scenario.
    pictures
        Include the organisation chart, landscape and priorities as inline
        SVG. They need matplotlib (the ``plot`` extra); without it the page
        says so and shows the tables only.

    Examples
    --------
    >>> import cio_framework
    >>> page = render_html(cio_framework.builtin("pudong-2016"), pictures=False)
    >>> page.startswith("<!DOCTYPE html>"), "http" in page.split("<body>")[1]
    (True, False)
    """
    from . import landscape_data

    esc = escape
    checks = check(scenario)
    summary = summarize(scenario)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(scenario.name)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{esc(scenario.name)}</h1>",
    ]
    facts = [
        {"fact": "Jurisdiction", "value": scenario.jurisdiction},
        {"fact": "As of", "value": scenario.as_of.isoformat() if scenario.as_of else None},
        {"fact": "Source", "value": scenario.source},
    ]
    parts.append(
        _table([f for f in facts if f["value"]], ["fact", "value"], "").replace(
            "<table>", '<table class="facts">', 1
        )
    )
    parts.append("<h2>Governance structure</h2>")
    parts.append(_table(summary.to_records(), ["measure", "value"], ""))
    levels = [
        {"level": level.name, "roles": ", ".join(level.roles), "bodies": ", ".join(level.bodies)}
        for level in summary.levels
    ]
    parts.append(_table(levels, ["level", "roles", "bodies"], "No levels."))
    if summary.bodies:
        parts.append("<h3>Bodies and meetings</h3>")
        bodies = [
            {
                "body": b.name,
                "kind": b.kind,
                "chair": b.chair,
                "members": b.members,
                "meets every (months)": b.meets_every_months,
                "meetings recorded": b.meetings_held,
            }
            for b in summary.bodies
        ]
        parts.append(
            _table(
                bodies,
                ["body", "kind", "chair", "members", "meets every (months)", "meetings recorded"],
                "",
            )
        )
    if scenario.criteria:
        parts.append("<h3>Selection criteria</h3>")
        criteria = [
            {
                "criterion": c.name,
                "weight": c.weight,
                "ability": c.ability.value if c.ability else "",
                "source": c.source,
            }
            for c in scenario.criteria
        ]
        parts.append(_table(criteria, ["criterion", "weight", "ability", "source"], ""))
    parts.append("<h2>Checks</h2>")
    counts = checks.counts()
    parts.append(
        f"<p>{len(checks.checks_run)} checks run: {counts['error']} errors, "
        f"{counts['warning']} warnings, {counts['info']} notes.</p>"
    )
    parts.append(
        _table(checks.to_records(), ["severity", "check", "message", "ids"], "No findings.")
    )
    if scenario.systems or scenario.platforms:
        data = landscape_data(scenario, checks=checks)
        parts.append("<h2>Information landscape</h2>")
        parts.append(
            _table(
                [{"indicator": k, "value": v} for k, v in data["indicators"].items()],
                ["indicator", "value"],
                "",
            )
        )
        groups = [
            {
                "group": i + 1,
                "connected to a platform": g["connected_to_platform"],
                "departments": ", ".join(g["departments"]),
                "systems": ", ".join(g["systems"]),
                "platforms": ", ".join(g["platforms"]),
            }
            for i, g in enumerate(data["islands"]["groups"])
        ]
        parts.append("<h3>Groups and islands</h3>")
        parts.append(
            _table(
                groups,
                ["group", "connected to a platform", "departments", "systems", "platforms"],
                "No systems.",
            )
        )
        parts.append("<h3>Barriers</h3>")
        parts.append(
            _table(data["barriers"], ["by", "resource", "explanation"], "Every demand is met.")
        )
        parts.append("<h3>Fault zones</h3>")
        parts.append(_table(data["fault_zones"], ["matter", "explanation"], "No fault zones."))
        parts.append("<h3>Integration priorities</h3>")
        ranked = [
            {
                "rank": i + 1,
                "score": round(p["score"], 2),
                "explanation": p["explanation"],
                "accountable": ", ".join(p["accountable"]),
                "decided by": p["decided_by"],
            }
            for i, p in enumerate(data["priorities"])
        ]
        parts.append(
            _table(
                ranked,
                ["rank", "score", "explanation", "accountable", "decided by"],
                "No candidates.",
            )
        )
        agenda = data["agenda"]
        if agenda["items"]:
            when = f" ({agenda['date']})" if agenda["date"] else ""
            parts.append(f"<h3>Next regular meeting{esc(when)}</h3>")
            parts.append(_table(agenda["items"], ["title", "reason"], ""))
    if pictures:
        figures = _svg_figures(scenario)
        parts.append("<h2>Pictures</h2>")
        if not figures:
            parts.append(
                "<p class=\"note\">Pictures need matplotlib: pip install 'cio_framework[plot]'.</p>"
            )
        for caption, svg in figures:
            parts.append(f"<figure>{svg}<figcaption>{esc(caption)}</figcaption></figure>")
    if scenario.notes:
        parts.append("<h2>Notes</h2><ul>")
        for note in scenario.notes:
            source = f" ({esc(note.source)})" if note.source else ""
            parts.append(f"<li>{esc(note.text)}{source}</li>")
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
