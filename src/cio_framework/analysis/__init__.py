"""Analyses of scenarios: pure functions that return attrs result values.

One topic per module: :mod:`.checks` (governance rules), :mod:`.summary`
(structure), :mod:`.connectivity` (islands), :mod:`.sharing` (barriers),
:mod:`.faultzones`, :mod:`.resilience` (single points of failure),
:mod:`.indicators`, :mod:`.priorities` (integration candidates and the
roadmap), :mod:`.agenda` (the next CIO meeting) and :mod:`.whatif`.
"""

from .checks import CHECKS, Check, CheckReport, Finding, check
from .connectivity import Group, IslandReport, islands
from .faultzones import FaultZone, FaultZoneReport, fault_zones
from .resilience import SinglePoint, SinglePointReport, single_points_of_failure
from .sharing import Barrier, BarrierReason, BarrierReport, barriers
from .summary import GovernanceSummary, LevelSummary, summarize

__all__ = [
    "CHECKS",
    "Barrier",
    "BarrierReason",
    "BarrierReport",
    "Check",
    "CheckReport",
    "FaultZone",
    "FaultZoneReport",
    "Finding",
    "GovernanceSummary",
    "Group",
    "IslandReport",
    "LevelSummary",
    "SinglePoint",
    "SinglePointReport",
    "barriers",
    "check",
    "fault_zones",
    "islands",
    "single_points_of_failure",
    "summarize",
]
