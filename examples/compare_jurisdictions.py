"""Compare Pudong's 2016 CIO pilot with a US federal agency under FITARA.

Prints the two structures side by side, shows how the Pudong selection
criteria and the Clinger-Cohen competencies weigh business against technical
ability, and ranks two illustrative candidates for Pudong's EPB CIO post.
Run it with ``python examples/compare_jurisdictions.py``.
"""

from __future__ import annotations

import attrs

import cio_framework
from cio_framework.analysis import assess_candidates, compare_jurisdictions
from cio_framework.model import Candidate, Person


def _shown(cell: object) -> str:
    """A cell as text: lists (the levels, the roles per level) joined."""
    if cell is None:
        return "-"
    if isinstance(cell, float):
        return f"{cell:.2f}"
    if isinstance(cell, list):
        return ", ".join(str(item) for item in cell)
    return str(cell)


def main() -> None:
    pudong = cio_framework.builtin("pudong-2016")
    federal = cio_framework.builtin("us-federal")
    comparison = compare_jurisdictions([pudong, federal])
    width = max(len(r["measure"]) for r in comparison.to_records())
    for row in comparison.to_records():
        cells = [row[p.name] for p in comparison.profiles]
        shown = [_shown(c) for c in cells]
        print(f"{row['measure']:<{width}}  {shown[0]:<42}  {shown[1]}")

    # Two illustrative candidates for the EPB CIO post (not from the article).
    scores_a = {
        "strategic-thinking": 4,
        "management-innovation": 4,
        "integration-coordination": 4,
        "business-ability": 5,
        "technical-background": 2,
    }
    scores_b = {
        "strategic-thinking": 4,
        "management-innovation": 3,
        "integration-coordination": 4,
        "business-ability": 3,
        "technical-background": 5,
    }
    trial = attrs.evolve(
        pudong,
        people=[*pudong.people, Person(id="candidate-b", name="Candidate B")],
        candidates=[
            Candidate(
                person="min-qingfeng",
                role="epb-cio",
                scores=scores_a,
                evidence={"business-ability": "Deputy director of the EPB"},
                illustrative=True,
            ),
            Candidate(person="candidate-b", role="epb-cio", scores=scores_b, illustrative=True),
        ],
    )
    (role,) = assess_candidates(trial).roles
    print()
    for rank, candidate in enumerate(role.ranking, 1):
        print(
            f"{rank}. {candidate.person}: {candidate.total:.2f}; no evidence for {', '.join(candidate.missing_evidence) or 'nothing'}"
        )
    if role.flip is not None:
        print(role.flip.explanation)


if __name__ == "__main__":
    main()
