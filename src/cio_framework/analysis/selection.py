"""Candidate assessment: rank candidates for a role against weighted criteria."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

import attrs

from .._contracts import document
from .._util import tuple_of
from ..config import require_valid
from ..exceptions import UnknownNameError
from ..model import Criterion, Scenario
from ..model._frozenmap import FrozenMap
from ..model.landscape import MAX_WEIGHT
from ._results import Plain, Tabular, records_html

__all__ = [
    "MISSING_LISTED",
    "Assessment",
    "CandidateScore",
    "Flip",
    "RoleAssessment",
    "assess_candidates",
]

#: The most criteria without a score listed for one candidate (all are counted):
#: with thousands of criteria, listing each for each candidate would make the
#: output grow as candidates times criteria.
MISSING_LISTED = 10


@attrs.frozen(kw_only=True)
class CandidateScore(Plain):
    """A candidate's weighted score and each scored criterion's contribution.

    ``total`` is the weighted mean of the scores: the sum of weight times
    score over the sum of weights. ``contributions`` has the criteria the
    candidate has a score for, in the order of the criteria. A criterion
    without a score counts as 0 and is flagged: ``missing_score_count``
    counts them, ``missing_scores`` lists them, the first
    ``MISSING_LISTED`` when there are more. One scored without evidence
    is listed in ``missing_evidence``.
    """

    person: str
    role: str
    total: float
    contributions: FrozenMap[str, float]
    missing_scores: tuple[str, ...] = attrs.field(converter=tuple_of)
    missing_score_count: int = 0
    missing_evidence: tuple[str, ...] = attrs.field(converter=tuple_of)
    selected: bool


@attrs.frozen(kw_only=True)
class Flip(Plain):
    """The smallest change of one criterion's weight that swaps the top two."""

    criterion: str
    weight_from: float
    weight_to: float
    leader: str
    runner_up: str
    explanation: str

    @property
    def change(self) -> float:
        """How much the weight changes (positive to raise it, negative to lower it)."""
        return self.weight_to - self.weight_from


@attrs.frozen(kw_only=True)
class RoleAssessment(Plain):
    """Candidates for one role, best first, with the sensitivity of the ranking."""

    role: str
    ranking: tuple[CandidateScore, ...] = attrs.field(converter=tuple_of)
    flip: Flip | None


@attrs.frozen(kw_only=True)
class Assessment(Tabular):
    """Candidate rankings per role.

    Examples
    --------
    >>> import attrs, cio_framework
    >>> from cio_framework.model import Candidate, Person
    >>> from cio_framework.analysis import assess_candidates
    >>> s = cio_framework.builtin("pudong-2016")
    >>> s = attrs.evolve(s, people=[*s.people, Person(id="li", name="Li")],
    ...     candidates=[
    ...         Candidate(person="min-qingfeng", role="epb-cio", scores={
    ...             "strategic-thinking": 4, "management-innovation": 4,
    ...             "integration-coordination": 4, "business-ability": 5,
    ...             "technical-background": 2}),
    ...         Candidate(person="li", role="epb-cio", scores={
    ...             "strategic-thinking": 4, "management-innovation": 3,
    ...             "integration-coordination": 4, "business-ability": 3,
    ...             "technical-background": 5})])
    >>> result = assess_candidates(s).roles[0]
    >>> [c.person for c in result.ranking]
    ['min-qingfeng', 'li']
    >>> print(result.flip.explanation)
    Raising the weight of Technical (IT) background from 1 to 2.33 would put Li ahead of Min Qingfeng.
    """

    roles: tuple[RoleAssessment, ...] = attrs.field(converter=tuple_of)

    def top(self, n: int) -> Assessment:
        """The same assessment with the ``n`` best candidates of each role
        (the flip still compares the top two)."""
        return Assessment(roles=[attrs.evolve(r, ranking=r.ranking[:n]) for r in self.roles])

    def to_dict(self) -> dict[str, Any]:
        """The JSON document ``candidates``, printed by ``cio-framework candidates --format json``."""
        return document("candidates", {"roles": [r.to_dict() for r in self.roles]})

    def to_records(self) -> list[dict[str, Any]]:
        """One record per candidate: role, rank, total and each contribution."""
        rows = []
        for role in self.roles:
            for rank, c in enumerate(role.ranking, 1):
                rows.append(
                    {
                        "role": role.role,
                        "rank": rank,
                        "person": c.person,
                        "total": round(c.total, 4),
                        **{f"contribution:{k}": round(v, 4) for k, v in c.contributions.items()},
                        "missing_scores": list(c.missing_scores),
                        "missing_evidence": list(c.missing_evidence),
                    }
                )
        return rows

    def _repr_html_(self) -> str:
        return records_html(
            self.to_records(),
            ["role", "rank", "person", "total", "missing_scores", "missing_evidence"],
            "No candidates.",
        )


class _Criteria:
    """The scenario's criteria, indexed once for every candidate."""

    def __init__(self, criteria: tuple[Criterion, ...]) -> None:
        self.criteria = criteria
        self.position = {c.id: i for i, c in enumerate(criteria)}
        # fsum is exactly rounded: the contributions do not depend on the criteria's order.
        self.total_weight = math.fsum(c.weight for c in criteria)
        self.exact_weight = sum((Fraction(c.weight) for c in criteria), Fraction(0))

    def ordered(self, ids: Iterable[str]) -> list[Criterion]:
        """The criteria ``ids`` names, in the order of the scenario's criteria."""
        return [self.criteria[i] for i in sorted({self.position[c] for c in ids})]

    def missing(self, scores: Mapping[str, float]) -> list[str]:
        """The first ``MISSING_LISTED`` criteria without a score, in
        time proportional to the scores and that bound."""
        found: list[str] = []
        for criterion in self.criteria:
            if len(found) == MISSING_LISTED:
                break
            if criterion.id not in scores:
                found.append(criterion.id)
        return found

    def weighted_sum(self, scores: Mapping[str, float]) -> Fraction:
        """The exact sum of weight times score over ``scores``: the total
        times the sum of the weights, the same for every candidate, so that
        equal totals compare equal whatever rounding their floats took."""
        return sum(
            (
                Fraction(self.criteria[self.position[c]].weight) * Fraction(v)
                for c, v in scores.items()
            ),
            Fraction(0),
        )


def _score(candidate: Any, criteria: _Criteria, weighted_sum: Fraction) -> CandidateScore:
    total_weight = criteria.total_weight
    scored = criteria.ordered(candidate.scores)
    contributions = {
        c.id: c.weight * candidate.scores[c.id] / total_weight if total_weight else 0.0
        for c in scored
    }
    return CandidateScore(
        person=candidate.person,
        role=candidate.role,
        # The exact mean, rounded once, whatever the order of the criteria.
        total=float(weighted_sum / criteria.exact_weight) if criteria.exact_weight else 0.0,
        contributions=FrozenMap(contributions),
        missing_scores=criteria.missing(candidate.scores),
        missing_evidence=[c.id for c in scored if not candidate.evidence.get(c.id)],
        selected=candidate.selected,
        missing_score_count=len(criteria.criteria) - len(scored),
    )


def _flip(first: Any, second: Any, criteria: _Criteria, names: dict[str, str]) -> Flip | None:
    """Smallest single-weight change that puts ``second`` ahead of ``first``.

    With weights w and score differences d (first minus second), the
    difference of weighted means has the sign of sum(w * d). Changing one
    weight w_c by delta moves that sum by delta * d_c, so the ranking flips
    at delta = -sum(w * d) / d_c, provided the new weight leaves room for
    a change beyond it, strictly between 0 and ``MAX_WEIGHT``: a tiny d_c
    would otherwise ask for an astronomical or infinite weight, and at 0
    the two are only level (the other criteria add up to a tie), since no
    weight goes below it. Only the criteria either of the two has a score
    for can differ: the others are not looked at.
    """
    differ = [
        (c, Fraction(first.scores.get(c.id, 0.0)) - Fraction(second.scores.get(c.id, 0.0)))
        for c in criteria.ordered([*first.scores, *second.scores])
    ]
    gap = criteria.weighted_sum(first.scores) - criteria.weighted_sum(second.scores)
    if gap == 0:
        return None  # tied already: there is nothing to flip
    best: tuple[Fraction, Criterion, Fraction] | None = None
    for criterion, d in differ:
        if d == 0:
            continue
        delta = -gap / d
        new_weight = Fraction(criterion.weight) + delta
        if not 0 < new_weight < MAX_WEIGHT:
            continue
        if best is None or abs(delta) < abs(best[0]):
            best = (delta, criterion, new_weight)
    if best is None:
        return None
    change, chosen, weight = best
    return _flip_of(first, second, (float(change), chosen, float(weight)), names)


def _flip_of(
    first: Any, second: Any, best: tuple[float, Criterion, float], names: dict[str, str]
) -> Flip:
    delta, criterion, new_weight = best
    verb = "Raising" if delta > 0 else "Lowering"
    explanation = (
        f"{verb} the weight of {criterion.name} from {criterion.weight:g} to {new_weight:.3g} "
        f"would put {names.get(second.person, second.person)} ahead of "
        f"{names.get(first.person, first.person)}."
    )
    return Flip(
        criterion=criterion.id,
        weight_from=criterion.weight,
        weight_to=new_weight,
        leader=first.person,
        runner_up=second.person,
        explanation=explanation,
    )


def assess_candidates(scenario: Scenario, *, role: str | None = None) -> Assessment:
    """Rank each role's candidates by their weighted criteria scores.

    Parameters
    ----------
    scenario
        The scenario, with ``criteria`` and ``candidates``.
    role
        Assess only the candidates for this role id.

    Returns
    -------
    Assessment
        Per role (by role id): candidates best first (ties by person id) with each
        criterion's contribution, missing scores and evidence flagged, and
        the smallest change of a single criterion's weight that would swap
        the top two (``None`` when they are tied or no single weight change
        can).

    Raises
    ------
    UnknownNameError
        For a ``role`` that has no candidates.

    Notes
    -----
    O(C + S log S + K log K) for C criteria, K candidates and S scores in
    all: a candidate costs time in its own scores (criteria it has no score
    for are counted, and the first ``MISSING_LISTED`` listed), not in
    the number of criteria. At the flip point the two are tied; any change
    beyond it swaps them.
    """
    require_valid(scenario)
    criteria = _Criteria(scenario.criteria)
    names = {p.id: p.display_name for p in scenario.people}
    by_role: dict[str, list[Any]] = {}
    for candidate in scenario.candidates:
        by_role.setdefault(candidate.role, []).append(candidate)
    if role is not None:
        if role not in by_role:
            raise UnknownNameError(kind="role with candidates", name=role, known=tuple(by_role))
        by_role = {role: by_role[role]}
    results = []
    for role_id in sorted(by_role):
        candidates = by_role[role_id]
        # By the exact weighted sum (floats of equal totals may differ in
        # their last digit, which would break the tie by rounding), then by
        # person id: in the same order whatever the order of the candidates
        exact = [criteria.weighted_sum(c.scores) for c in candidates]
        scored = [(_score(c, criteria, exact[i]), c) for i, c in enumerate(candidates)]
        order = sorted(range(len(scored)), key=lambda i: (-exact[i], candidates[i].person))
        ranking = [scored[i][0] for i in order]
        flip = None
        if len(order) >= 2:
            flip = _flip(scored[order[0]][1], scored[order[1]][1], criteria, names)
        results.append(RoleAssessment(role=role_id, ranking=ranking, flip=flip))
    return Assessment(roles=results)
