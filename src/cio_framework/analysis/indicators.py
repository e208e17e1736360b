"""Landscape indicators: how far information sharing has come."""

from __future__ import annotations

from typing import Any

import attrs

from ..config import require_valid
from ..model import Scenario
from ._results import Tabular, plain_dict, records_html
from .connectivity import IslandReport, islands
from .faultzones import FaultZoneReport, fault_zones
from .scope import within
from .sharing import BarrierReport, barriers

__all__ = ["Indicators", "indicators"]


@attrs.frozen(kw_only=True)
class Indicators(Tabular):
    """Key figures of an information landscape.

    Parameters
    ----------
    systems_in_use
        Number of systems in use.
    platform_share
        Share of in-use systems hosted on a shared platform.
    connected_share
        Share of in-use systems in a group that reaches a shared platform.
    catalogue_coverage
        Share of resources listed in the catalogue.
    demands_met_share
        Weighted share of demands met.
    groups, islands, isolated_systems, silos
        Counts from :func:`~cio_framework.analysis.islands`.
    barriers, fault_zones
        Unmet demands and fault zones.
    """

    systems_in_use: int
    platform_share: float
    connected_share: float
    catalogue_coverage: float
    demands_met_share: float
    groups: int
    islands: int
    isolated_systems: int
    silos: int
    barriers: int
    fault_zones: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return plain_dict(self)

    def to_records(self) -> list[dict[str, Any]]:
        """One ``{"indicator", "value"}`` record per figure."""
        return [{"indicator": k, "value": v} for k, v in self.to_dict().items()]

    def _repr_html_(self) -> str:
        return records_html(self.to_records(), ["indicator", "value"], "")


def indicators(
    scenario: Scenario,
    *,
    island_report: IslandReport | None = None,
    barrier_report: BarrierReport | None = None,
    fault_zone_report: FaultZoneReport | None = None,
    jurisdiction: str | None = None,
) -> Indicators:
    """Compute the landscape indicators of a scenario.

    Parameters
    ----------
    scenario
        The scenario.
    island_report, barrier_report, fault_zone_report
        The results of :func:`~cio_framework.islands`,
        :func:`~cio_framework.barriers` and :func:`~cio_framework.fault_zones`
        on this scenario, when already computed.
    jurisdiction
        A jurisdiction's id: the indicators within it, of its own part
        (:func:`~cio_framework.analysis.scope.within`); the reports may not
        be given then. By default, of the whole scenario.

    Notes
    -----
    O((V + E) α(V) + R + D + M): one pass of each underlying analysis.

    Examples
    --------
    >>> import cio_framework
    >>> figures = indicators(cio_framework.builtin("pudong-2016"))
    >>> 0 <= figures.platform_share <= 1
    True
    """
    require_valid(scenario)
    if jurisdiction is not None:
        if island_report or barrier_report or fault_zone_report:
            raise ValueError("give no reports with a jurisdiction: they are of the whole scenario")
        return indicators(within(scenario, jurisdiction))
    report = island_report if island_report is not None else islands(scenario)
    in_use = sum(len(g.systems) for g in report.groups)
    hosted = sum(1 for s in scenario.systems if s.in_use and s.hosted_on != "local")
    connected = sum(len(g.systems) for g in report.groups if g.connected_to_platform)
    catalogued = sum(1 for r in scenario.resources if r.catalogued)
    sharing = barrier_report if barrier_report is not None else barriers(scenario)
    zones = fault_zone_report if fault_zone_report is not None else fault_zones(scenario)
    return Indicators(
        systems_in_use=in_use,
        platform_share=hosted / in_use if in_use else 0.0,
        connected_share=connected / in_use if in_use else 0.0,
        catalogue_coverage=catalogued / len(scenario.resources) if scenario.resources else 1.0,
        demands_met_share=sharing.met_share,
        groups=len(report.groups),
        islands=len(report.islands),
        isolated_systems=len(report.isolated_systems),
        silos=len(report.silos),
        barriers=len(sharing.barriers),
        fault_zones=len(zones.zones),
    )
