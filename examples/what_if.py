"""What if the Environmental Protection Bureau's key systems went live on the cloud?

Runs the built-in Pudong scenario's ``connect-epb`` variant and one built
here in Python, and prints how islands, barriers, indicators and priorities
change. Run it with ``python examples/what_if.py``.
"""

from __future__ import annotations

import cio_framework
from cio_framework.model import Change, MoveSystem, WhatIf


def show(title: str, result: cio_framework.analysis.VariantComparison) -> None:
    print(f"== {title}")
    for name, (before, after) in result.indicator_changes().items():
        print(
            f"   {name}: {before:.2f} -> {after:.2f}"
            if isinstance(before, float)
            else f"   {name}: {before} -> {after}"
        )
    print(f"   islands after: {[list(i) for i in result.islands_after]}")
    print(f"   barriers resolved: {list(result.barriers_resolved)}")
    print(f"   top priorities after: {list(result.priorities_after[:3])}")


def main() -> None:
    pudong = cio_framework.builtin("pudong-2016")

    # 1. A variant written in the scenario's YAML, under `scenarios:`.
    variant = cio_framework.whatif(pudong, "connect-epb")
    show(
        "connect-epb (from the YAML)",
        cio_framework.compare_variant(pudong, variant, whatif="connect-epb"),
    )

    # 2. A variant built in Python: the foreign affairs system moves to the cloud too.
    both = WhatIf(
        id="epb-and-ctc",
        changes=[
            *next(w for w in pudong.scenarios if w.id == "connect-epb").changes,
            Change(move_system=MoveSystem(system="ctc-projects", to="gov-cloud")),
        ],
    )
    variant = cio_framework.whatif(pudong, both)
    show(
        "epb-and-ctc (built in Python)",
        cio_framework.compare_variant(pudong, variant, whatif=both.id),
    )

    # 3. What the remaining budget would buy after the first variant.
    plan = cio_framework.roadmap(variant, budget=2)
    print("== roadmap within a budget of 2 after epb-and-ctc")
    for step in plan.steps:
        print(
            f"   {step.integration.id}: gain {step.gain:.1f}, cumulative cost {step.cumulative_cost:g}"
        )


if __name__ == "__main__":
    main()
