"""Analyses of scenarios: pure functions that return attrs result values.

One topic per module: :mod:`.checks` (governance rules), :mod:`.summary`
(structure), :mod:`.connectivity` (islands), :mod:`.sharing` (barriers),
:mod:`.faultzones`, :mod:`.resilience` (single points of failure),
:mod:`.centrality` (brokers by betweenness, opt-in),
:mod:`.indicators`, :mod:`.landscape` (all of these at once), :mod:`.priorities` (integration candidates and the
roadmap), :mod:`.agenda` (the next CIO meeting), :mod:`.whatif`,
:mod:`.jurisdictions` (comparing structures), :mod:`.selection`
(candidate assessment), :mod:`.evidence` (the grade of every finding),
:mod:`.timeline` (the scenario at a date), :mod:`.scope` (one
jurisdiction of a scenario) and :mod:`.diff` (two versions compared).
"""

from .agenda import Agenda, AgendaItem, agenda
from .centrality import EXACT_LIMIT, Broker, BrokerReport, brokers
from .checks import CHECKS, Check, CheckReport, Finding, check
from .connectivity import Group, IslandReport, islands
from .diff import ScenarioDiff, diff
from .evidence import Basis, Evidence, EvidenceIndex, element_key, sourced_only
from .faultzones import FaultZone, FaultZoneReport, fault_zones
from .indicators import Indicators, indicators
from .jurisdictions import (
    JurisdictionComparison,
    JurisdictionProfile,
    JurisdictionSummary,
    compare_jurisdictions,
    jurisdiction_summaries,
)
from .landscape import Landscape, landscape
from .priorities import (
    KINDS,
    Integration,
    PriorityReport,
    Roadmap,
    RoadmapStep,
    priorities,
    roadmap,
)
from .resilience import SinglePoint, SinglePointReport, single_points_of_failure
from .scope import split, within
from .selection import Assessment, CandidateScore, Flip, RoleAssessment, assess_candidates
from .sharing import Barrier, BarrierReason, BarrierReport, barriers
from .summary import GovernanceSummary, LevelSummary, summarize
from .timeline import at_date
from .whatif import VariantComparison, WhatIfError, compare_variant, whatif

__all__ = [
    "CHECKS",
    "EXACT_LIMIT",
    "KINDS",
    "Agenda",
    "AgendaItem",
    "Assessment",
    "Barrier",
    "BarrierReason",
    "BarrierReport",
    "Basis",
    "Broker",
    "BrokerReport",
    "CandidateScore",
    "Check",
    "CheckReport",
    "Evidence",
    "EvidenceIndex",
    "FaultZone",
    "FaultZoneReport",
    "Finding",
    "Flip",
    "GovernanceSummary",
    "Group",
    "Indicators",
    "Integration",
    "IslandReport",
    "JurisdictionComparison",
    "JurisdictionProfile",
    "JurisdictionSummary",
    "Landscape",
    "LevelSummary",
    "PriorityReport",
    "Roadmap",
    "RoadmapStep",
    "RoleAssessment",
    "ScenarioDiff",
    "SinglePoint",
    "SinglePointReport",
    "VariantComparison",
    "WhatIfError",
    "agenda",
    "assess_candidates",
    "at_date",
    "barriers",
    "brokers",
    "check",
    "compare_jurisdictions",
    "compare_variant",
    "diff",
    "element_key",
    "fault_zones",
    "indicators",
    "islands",
    "jurisdiction_summaries",
    "landscape",
    "priorities",
    "roadmap",
    "single_points_of_failure",
    "sourced_only",
    "split",
    "summarize",
    "whatif",
    "within",
]
