"""Analyses of scenarios: pure functions that return attrs result values."""

from .checks import CHECKS, Check, CheckReport, Finding, check
from .summary import GovernanceSummary, LevelSummary, summarize

__all__ = [
    "CHECKS",
    "Check",
    "CheckReport",
    "Finding",
    "GovernanceSummary",
    "LevelSummary",
    "check",
    "summarize",
]
