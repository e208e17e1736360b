"""Approval/supervision fault zones: "who approves, supervises"."""

from __future__ import annotations

from typing import Any

import attrs

from .._util import tuple_of
from ..config import require_valid
from ..graph._index import LandscapeIndex
from ..model import Scenario
from ._results import Plain, Tabular, records_html

__all__ = ["FaultZone", "FaultZoneReport", "fault_zones"]


@attrs.frozen(kw_only=True)
class FaultZone(Plain):
    """A matter whose approving and supervising departments share no information path."""

    matter: str
    name: str
    approved_by: str
    supervised_by: str
    needs: tuple[str, ...] = attrs.field(converter=tuple_of)
    explanation: str


@attrs.frozen(kw_only=True)
class FaultZoneReport(Tabular):
    """All fault zones of a scenario."""

    zones: tuple[FaultZone, ...] = attrs.field(converter=tuple_of)
    matters: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"fault_zones": [z.to_dict() for z in self.zones], "matters": self.matters}

    def to_records(self) -> list[dict[str, Any]]:
        """One record per fault zone."""
        return [{**z.to_dict(), "needs": ", ".join(z.needs)} for z in self.zones]

    def _repr_html_(self) -> str:
        return records_html(
            self.to_records(),
            ["matter", "approved_by", "supervised_by", "explanation"],
            "No fault zones.",
        )


def fault_zones(scenario: Scenario) -> FaultZoneReport:
    """Find the approval and supervision matters with no information path.

    After an approval is cancelled or devolved, the department that approves
    and the one that supervises must share information. A matter is a fault
    zone when no system of the approver is linked by live exchanges to a
    system of the supervisor (a department with no system in use has no
    path). A matter approved and supervised by one department is never one.

    Parameters
    ----------
    scenario
        The scenario.

    Returns
    -------
    FaultZoneReport

    Notes
    -----
    O((V + E) α(V) + M) for M matters.

    Examples
    --------
    >>> from cio_framework.model import Matter, System
    >>> from cio_framework.testing import make_scenario
    >>> s = make_scenario(
    ...     systems=[System(id="a", name="A", department="epb")],
    ...     matters=[Matter(id="m", name="Permit", approved_by="district", supervised_by="epb")],
    ... )
    >>> [z.matter for z in fault_zones(s).zones]
    ['m']
    """
    require_valid(scenario)
    index = LandscapeIndex(scenario)
    labels = index.department_labels()
    zones = []
    for matter in scenario.matters:
        if matter.approved_by == matter.supervised_by:
            continue
        approver = labels.get(matter.approved_by, set())
        supervisor = labels.get(matter.supervised_by, set())
        if approver & supervisor:
            continue
        a = index.departments[matter.approved_by].name
        b = index.departments[matter.supervised_by].name
        if not approver or not supervisor:
            missing = a if not approver else b
            why = f"{missing} has no information system in use"
        else:
            why = "their systems are in different groups with no exchange between them"
        zones.append(
            FaultZone(
                matter=matter.id,
                name=matter.name,
                approved_by=matter.approved_by,
                supervised_by=matter.supervised_by,
                needs=matter.needs,
                explanation=f"{matter.name}: approved by {a}, supervised by {b}, but {why}.",
            )
        )
    return FaultZoneReport(zones=zones, matters=len(scenario.matters))
