"""Comparing CIO structures of several jurisdictions side by side, and the
jurisdictions of one scenario at a glance.

:func:`compare_jurisdictions` profiles scenarios (or the jurisdictions of
one scenario, each its own part, :func:`~cio_framework.analysis.scope.split`)
side by side. :func:`jurisdiction_summaries` lists each jurisdiction of a
scenario with where it sits, its hub, who decides there, the meeting that
takes its issues, its check findings and its islands within: the
per-jurisdiction figures beside the scenario's totals.

Complexity: linear in the total size of the scenarios, or for the summaries
O(J · (V + E) α(V)) to find the islands within each of J jurisdictions (each
part holds its own elements, so the parts add up to the whole).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

import attrs

from .._contracts import document
from .._util import tuple_of
from ..config import require_valid
from ..graph.jurisdictions import JurisdictionTree
from ..model import BodyKind, Scenario
from ..model._frozenmap import FrozenMap
from ._results import Plain, Tabular, plain_dict, records_html
from .agenda import forums
from .checks import CheckReport, check
from .connectivity import islands
from .evidence import Evidence, EvidenceIndex
from .indicators import indicators
from .priorities import deciders
from .scope import split
from .summary import summarize

__all__ = [
    "MEASURES",
    "MEASURE_BASIS",
    "JurisdictionComparison",
    "JurisdictionProfile",
    "JurisdictionSummary",
    "compare_jurisdictions",
    "jurisdiction_summaries",
]

#: The measures of a profile, in display order, with their plain-words labels.
MEASURES: dict[str, str] = {
    "levels": "Governance levels",
    "roles_per_level": "Roles per level",
    "max_span_of_control": "Widest span of control",
    "mean_span_of_control": "Mean span of control",
    "reporting_depth": "Reporting depth",
    "cio_posts": "CIO posts",
    "concurrent_share": "CIO posts held concurrently",
    "committees": "Committees and bodies",
    "responsibilities": "Responsibilities",
    "raci_coverage": "Responsibilities with exactly one Accountable",
    "business_weight_share": "Selection weight on business ability",
    "technical_weight_share": "Selection weight on technical ability",
    "check_errors": "Check findings: errors",
    "check_warnings": "Check findings: warnings",
    "islands": "Information islands",
    "connected_share": "Systems reaching a shared platform",
    "demands_met_share": "Demand met (weighted)",
}


#: Measures that are shares between 0 and 1.
SHARE_MEASURES = frozenset(
    {
        "concurrent_share",
        "raci_coverage",
        "business_weight_share",
        "technical_weight_share",
        "connected_share",
        "demands_met_share",
    }
)


#: The collections each measure rests on, for its evidence grade; the check
#: counts rest on their findings' own grades.
MEASURE_BASIS: dict[str, tuple[str, ...]] = {
    "levels": ("levels",),
    "roles_per_level": ("levels", "roles", "bodies"),
    "max_span_of_control": ("roles",),
    "mean_span_of_control": ("roles",),
    "reporting_depth": ("roles",),
    "cio_posts": ("roles",),
    "concurrent_share": ("roles",),
    "committees": ("bodies",),
    "responsibilities": ("responsibilities",),
    "raci_coverage": ("responsibilities",),
    "business_weight_share": ("criteria",),
    "technical_weight_share": ("criteria",),
    "check_errors": (),
    "check_warnings": (),
    "islands": ("systems", "platforms", "exchanges"),
    "connected_share": ("systems", "platforms", "exchanges"),
    "demands_met_share": ("systems", "platforms", "exchanges", "resources", "demands"),
}


@attrs.frozen(kw_only=True)
class JurisdictionProfile(Plain):
    """The comparable figures of one scenario's CIO structure.

    Besides the measures, ``evidence`` grades each of them by the elements
    it rests on (:data:`~cio_framework.analysis.jurisdictions.MEASURE_BASIS`): a comparison row built on
    illustrative roles says so.
    """

    name: str
    jurisdiction: str | None
    levels: tuple[str, ...] = attrs.field(converter=tuple_of)
    roles_per_level: tuple[int, ...] = attrs.field(converter=tuple_of)
    max_span_of_control: int
    mean_span_of_control: float
    reporting_depth: int
    cio_posts: int
    concurrent_share: float
    committees: int
    responsibilities: int
    raci_coverage: float
    business_weight_share: float
    technical_weight_share: float
    check_errors: int
    check_warnings: int
    islands: int | None
    connected_share: float | None
    demands_met_share: float | None
    evidence: FrozenMap[str, Evidence] = attrs.field(factory=FrozenMap, eq=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the measures, and ``evidence`` by measure."""
        data = plain_dict(self)
        data["evidence"] = {key: grade.to_dict() for key, grade in self.evidence.items()}
        return data


@attrs.frozen(kw_only=True)
class JurisdictionComparison(Tabular):
    """Profiles of several scenarios, side by side.

    Examples
    --------
    >>> import cio_framework
    >>> from cio_framework.analysis import compare_jurisdictions
    >>> pudong = cio_framework.builtin("pudong-2016")
    >>> result = compare_jurisdictions([pudong, pudong])
    >>> result.profiles[0].raci_coverage
    1.0
    """

    profiles: tuple[JurisdictionProfile, ...] = attrs.field(converter=tuple_of)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document ``comparison`` (printed by ``cio-framework compare
        --format json``): ``profiles`` and the ``measures`` they share."""
        return document(
            "comparison", {"measures": MEASURES, "profiles": [p.to_dict() for p in self.profiles]}
        )

    def columns(self) -> list[str]:
        """Column names of :meth:`to_records`: each scenario's name, made
        unique with ``(2)``, ``(3)`` ... when names repeat (a what-if variant
        keeps its baseline's name)."""
        names: list[str] = []
        taken: set[str] = set()
        next_number: dict[str, int] = {}  # where the search for a base name resumes
        for profile in self.profiles:
            name, n = profile.name, next_number.get(profile.name, 2)
            while name in taken:
                name, n = f"{profile.name} ({n})", n + 1
            next_number[profile.name] = n
            names.append(name)
            taken.add(name)
        return names

    def to_records(self) -> list[dict[str, Any]]:
        """One record per measure, one column per scenario (see :meth:`columns`)."""
        rows = []
        names = self.columns()
        for key, label in MEASURES.items():
            row: dict[str, Any] = {"measure": label}
            for name, profile in zip(names, self.profiles, strict=True):
                value = getattr(profile, key)
                row[name] = list(value) if isinstance(value, tuple) else value
            rows.append(row)
        return rows

    def _repr_html_(self) -> str:
        return records_html(self.to_records(), ["measure", *self.columns()], "Nothing to compare.")


#: The check counts, by the severity they count.
_COUNTED = {"check_errors": "error", "check_warnings": "warning"}


def _evidence(scenario: Scenario, report: CheckReport) -> FrozenMap[str, Evidence]:
    """Each measure's grade, by the elements of :data:`MEASURE_BASIS`."""
    grades = EvidenceIndex(scenario)
    by_collections: dict[tuple[str, ...], Evidence] = {}
    result = {}
    for key, collections in MEASURE_BASIS.items():
        if not collections:
            severity = _COUNTED[key]
            result[key] = Evidence.combine(
                f.evidence for f in report.findings if f.severity.value == severity
            )
            continue
        if collections not in by_collections:
            by_collections[collections] = grades.of(
                elements=[(c, e) for c in collections for e in getattr(scenario, c)]
            )
        result[key] = by_collections[collections]
    return FrozenMap(result)


def _profile(scenario: Scenario) -> JurisdictionProfile:
    summary = summarize(scenario)
    report = check(scenario)
    reports = report.counts()
    spans: dict[str, int] = {}
    for role in scenario.roles:
        if role.reports_to is not None:
            spans[role.reports_to] = spans.get(role.reports_to, 0) + 1
    landscape = bool(scenario.systems or scenario.platforms)
    figures = indicators(scenario) if landscape else None
    return JurisdictionProfile(
        name=scenario.name,
        jurisdiction=scenario.jurisdiction,
        levels=[level.id for level in scenario.levels],
        roles_per_level=[len(level.roles) for level in summary.levels],
        max_span_of_control=summary.max_span_of_control,
        mean_span_of_control=statistics.fmean(spans.values()) if spans else 0.0,
        reporting_depth=summary.reporting_depth,
        cio_posts=summary.cio_posts,
        concurrent_share=summary.concurrent_share,
        committees=sum(1 for b in scenario.bodies if b.kind is not BodyKind.REGULAR_MEETING),
        responsibilities=summary.responsibilities,
        raci_coverage=summary.single_accountable / summary.responsibilities
        if summary.responsibilities
        else 0.0,
        business_weight_share=summary.business_weight_share,
        technical_weight_share=summary.technical_weight_share,
        check_errors=reports["error"],
        check_warnings=reports["warning"],
        islands=figures.islands if figures else None,
        connected_share=figures.connected_share if figures else None,
        demands_met_share=figures.demands_met_share if figures else None,
        evidence=_evidence(scenario, report),
    )


def compare_jurisdictions(scenarios: Sequence[Scenario] | Scenario) -> JurisdictionComparison:
    """Profile several scenarios' CIO structures side by side.

    Parameters
    ----------
    scenarios
        Two or more scenarios (one works too), or one scenario with nested
        jurisdictions: then each jurisdiction's own part
        (:func:`~cio_framework.analysis.scope.split`), top down, each
        profiled as a scenario of its own (its check findings are the
        part's; :func:`jurisdiction_summaries` gives the findings about each
        jurisdiction within the whole).

    Returns
    -------
    JurisdictionComparison
        One :class:`JurisdictionProfile` per scenario: levels, roles per level,
        span of control, reporting depth, share of CIO posts held
        concurrently, committees, RACI coverage, selection weight on business
        versus technical ability, failing checks and landscape indicators
        (``None`` when a scenario has no landscape).

    Notes
    -----
    Linear in the total size of the scenarios.
    """
    if isinstance(scenarios, Scenario):
        scenarios = split(scenarios)
    for scenario in scenarios:
        require_valid(scenario)
    return JurisdictionComparison(profiles=[_profile(s) for s in scenarios])


@attrs.frozen(kw_only=True)
class JurisdictionSummary(Plain):
    """One jurisdiction of a scenario at a glance.

    Parameters
    ----------
    id, name, kind, parent
        As the scenario has them (``parent`` ``None`` for a top, or for
        one on a parent cycle).
    depth
        0 for a top, 1 below it, and so on.
    hub
        Its hub: its own, else the nearest above it.
    decided_by
        Who decides the integrations there that concern several departments.
    meeting
        The regular meeting that takes its issues (see
        :func:`~cio_framework.analysis.agenda.forums`).
    findings
        Its check findings (those about its own elements) by severity.
    islands
        The islands within it (:func:`~cio_framework.analysis.islands` with
        ``jurisdiction=``), ``None`` when the scenario has no landscape.
    unlinked
        Whether its own hub does not reach the hub above it.
    """

    id: str
    name: str
    kind: str | None
    parent: str | None
    depth: int
    hub: str | None
    decided_by: str | None
    meeting: str | None
    findings: dict[str, int] = attrs.field(eq=False)
    islands: int | None
    unlinked: bool

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the fields, ``findings`` by severity."""
        return {**plain_dict(self), "findings": dict(self.findings)}


def jurisdiction_summaries(
    scenario: Scenario, *, checks: CheckReport | None = None
) -> tuple[JurisdictionSummary, ...]:
    """Each jurisdiction of ``scenario``, top down (each after its parent,
    children by id); empty for a scenario without jurisdictions.

    Parameters
    ----------
    scenario
        The scenario.
    checks
        Its check report, when already computed.

    Examples
    --------
    >>> import cio_framework
    >>> rows = jurisdiction_summaries(cio_framework.builtin("guangdong-cdo-2021"))
    >>> [(r.id, r.depth, r.decided_by, r.meeting) for r in rows]  # doctest: +NORMALIZE_WHITESPACE
    [('gd', 0, 'gd-leading-group', 'gd-cdo-meeting'), ('gz', 1, 'gz-cdo', 'gd-cdo-meeting'),
     ('zq', 1, 'zq-leading-group', 'zq-cdo-meeting'),
     ('duanzhou', 2, 'duanzhou-cdo', 'zq-cdo-meeting')]
    """
    require_valid(scenario)
    tree = JurisdictionTree(scenario)
    if not tree.parent:
        return ()
    report = checks if checks is not None else check(scenario)
    counts = report.counts_by_jurisdiction()
    decide = deciders(scenario, tree)
    meeting = forums(scenario, tree)
    landscape = bool(scenario.systems or scenario.platforms)
    unlinked = set(islands(scenario).unlinked_jurisdictions) if landscape else set()
    listed = {j.id: j for j in scenario.jurisdictions}
    empty = dict.fromkeys(("error", "warning", "info"), 0)
    parts = zip(tree.jurisdictions, split(scenario), strict=True) if landscape else ()
    within_each = {j: len(islands(part).islands) for j, part in parts}
    return tuple(
        JurisdictionSummary(
            id=j,
            name=listed[j].name,
            kind=listed[j].kind,
            parent=tree.parent[j],
            depth=tree.depth[j],
            hub=tree.hub(j),
            decided_by=decide[j],
            meeting=meeting[j],
            findings=counts.get(j, empty),
            islands=within_each.get(j),
            unlinked=j in unlinked,
        )
        for j in tree.jurisdictions
    )
