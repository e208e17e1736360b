"""Selection of CIOs: weighted criteria and candidates."""

from __future__ import annotations

import enum
from typing import Any

import attrs

from ._base import Element, checked, meta, number_text, own_fields_first
from ._frozenmap import FrozenMap
from .landscape import MAX_WEIGHT

__all__ = ["MAX_SCORE", "Ability", "Candidate", "Criterion"]

#: Largest score accepted, either way: a candidate's score on a criterion lies
#: between ``-MAX_SCORE`` and ``MAX_SCORE``, so weighted sums stay finite.
MAX_SCORE = 1e6


class Ability(enum.Enum):
    """Which kind of ability a selection criterion weighs."""

    BUSINESS = "business"
    TECHNICAL = "technical"
    BOTH = "both"
    GENERAL = "general"


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Criterion(Element):
    """A weighted selection criterion for CIO posts.

    Examples
    --------
    >>> Criterion(id="strategic-thinking", name="Overall strategic thinking", weight=3).weight
    3
    """

    id: str = attrs.field(
        validator=checked, metadata=meta(doc="Unique id of the criterion.", is_id=True)
    )
    name: str = attrs.field(metadata=meta(doc="Display name."))
    weight: float = attrs.field(
        default=1.0,
        validator=checked,
        metadata=meta(doc=f"Relative weight (0 to {MAX_WEIGHT:g}).", minimum=0, maximum=MAX_WEIGHT),
    )
    description: str | None = attrs.field(
        default=None, metadata=meta(doc="What the criterion asks for.")
    )
    ability: Ability | None = attrs.field(
        default=None, metadata=meta(doc="Ability weighed: business, technical, both or general.")
    )


def _float_map(value: Any) -> FrozenMap[str, float]:
    return FrozenMap(dict(value))


def _str_map(value: Any) -> FrozenMap[str, str]:
    return FrozenMap(dict(value))


def _check_score(score: Any) -> None:
    if not -MAX_SCORE <= score <= MAX_SCORE:
        raise ValueError(
            f"a score must be between {-MAX_SCORE:g} and {MAX_SCORE:g}, not {number_text(score)}"
        )


def _finite_scores(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    import math

    for key, score in value.items():
        if isinstance(score, bool) or not isinstance(score, (int, float)):
            raise TypeError(f"score for {key!r} must be a number")
        if isinstance(score, float) and not math.isfinite(score):  # an int is finite
            raise ValueError(f"score for {key!r} must be a finite number, not {score}")
        _check_score(score)


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Candidate(Element):
    """A person considered for a role, scored per criterion.

    Examples
    --------
    >>> c = Candidate(person="min-qingfeng", role="epb-cio",
    ...               scores={"strategic-thinking": 4})
    >>> c.scores["strategic-thinking"]
    4
    """

    person: str = attrs.field(metadata=meta(doc="Person id.", ref="people"))
    role: str = attrs.field(metadata=meta(doc="Role id sought.", ref="roles"))
    scores: FrozenMap[str, float] = attrs.field(
        factory=FrozenMap,
        converter=_float_map,
        validator=_finite_scores,
        metadata=meta(
            doc=f"Criterion id to score ({-MAX_SCORE:g} to {MAX_SCORE:g}).",
            key_ref="criteria",
            minimum=-MAX_SCORE,
            maximum=MAX_SCORE,
            check=_check_score,
        ),
    )
    evidence: FrozenMap[str, str] = attrs.field(
        factory=FrozenMap,
        converter=_str_map,
        metadata=meta(doc="Criterion id to the evidence behind its score.", key_ref="criteria"),
    )
    selected: bool = attrs.field(
        default=False, metadata=meta(doc="Whether the candidate was appointed.")
    )
