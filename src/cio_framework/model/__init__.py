"""Typed, immutable model of a government CIO system.

The model knows nothing of YAML, graphs or printing. Every class is an
attrs frozen, slotted value with keyword-only fields; collections are tuples
and mappings are :class:`FrozenMap`, so values hash and compare.
"""

from ._base import MAX_ID_LENGTH, Element, valid_id
from ._frozenmap import FrozenMap
from .governance import (
    DEFAULT_LEVELS,
    RACI_LETTERS,
    Appraisal,
    Background,
    Body,
    BodyKind,
    Department,
    IssueRange,
    Level,
    Meeting,
    Person,
    PostRank,
    Responsibility,
    Role,
    RoleKind,
    normalize_raci,
)
from .scenario import COLLECTIONS, FORMAT_VERSION, CheckSetting, Note, Scenario
from .selection import Ability, Candidate, Criterion

__all__ = [
    "COLLECTIONS",
    "DEFAULT_LEVELS",
    "FORMAT_VERSION",
    "MAX_ID_LENGTH",
    "RACI_LETTERS",
    "Ability",
    "Appraisal",
    "Background",
    "Body",
    "BodyKind",
    "Candidate",
    "CheckSetting",
    "Criterion",
    "Department",
    "Element",
    "FrozenMap",
    "IssueRange",
    "Level",
    "Meeting",
    "Note",
    "Person",
    "PostRank",
    "Responsibility",
    "Role",
    "RoleKind",
    "Scenario",
    "normalize_raci",
    "valid_id",
]
