"""Approval and supervision fault zones: "who approves, supervises; who is in
charge, supervises" (article ¶31).

Once an approval item is cancelled or turned into a filing, the department
that supervises the matter may no longer get the data it supervises with:
the "information fault zone" between approval and supervision. A fault zone
is a supervisor without that data, not merely an approver who differs from
the supervisor.

Definition
----------
A matter is supervised by the department *S* (``supervised_by``). Its
*supervision data* is

* the resources it lists under ``supervision_data`` (and under ``needs``,
  that key's former name, which counts the same), when it lists any;
* otherwise its approval or registration *records*, kept by the department
  that records the matter (:attr:`~cio_framework.model.Matter.recorded_by`):
  the approving department while approval is required; the department
  receiving the filings (``registered_by``, by default the approving
  department) once the approval is turned into a filing; ``registered_by``
  once it is cancelled, and nobody when a cancelled approval is registered
  nowhere.

On the landscape network (in-use systems and platforms joined by live
exchanges, see :mod:`cio_framework.graph`),

* a resource *reaches* S when S owns it, or when the in-use system holding
  it is in the same component as an in-use system of S;
* the records reach S when S records the matter itself, or when an in-use
  system of the recording department is in the same component as an in-use
  system of S.

A matter is a *fault zone* when some of its supervision data does not
reach S. Share types, catalogue entries and sharing agreements play no part:
:func:`~cio_framework.analysis.barriers` asks whether a department may have
a resource, this module whether the resource can get to it. A resource
reaches S exactly when a demand of S for it would meet none of the
barriers' landscape reasons (no holding system, holder not in use, holder
isolated, requester without a system, no path): the two analyses share one
rule.

The zones are listed by matter id, and the missing resources of a zone by
resource id, whatever the order of the scenario's lists.

Complexity
----------
O((V + E) α(V) + M + D) for M matters listing D resources in all: the
components are found once (union-find), then each resource and each set of
records is tested in constant time.

Examples
--------
The Bureau of Culture no longer approves entertainment venues: they are
filed with it instead. The Market Supervision Bureau supervises them and
needs the bureau's venue filings, held in a system with no exchange to its
own:

>>> from cio_framework.model import (ApprovalStatus, Department, Exchange, Matter,
...     Resource, Scenario, System)
>>> venues = Matter(id="venues", name="Venue permit", approved_by="culture",
...                 supervised_by="msb", approval=ApprovalStatus.FILING,
...                 supervision_data=["filings"])
>>> s = Scenario(
...     name="Venues",
...     departments=[Department(id="culture", name="Culture Bureau"),
...                  Department(id="msb", name="Market Supervision Bureau")],
...     systems=[System(id="licensing", name="Licensing", department="culture"),
...              System(id="credit", name="Credit", department="msb")],
...     resources=[Resource(id="filings", name="Venue filings", owner="culture",
...                         held_in="licensing")],
...     matters=[venues],
... )
>>> zone, = fault_zones(s).zones
>>> zone.missing
('filings',)
>>> print(zone.explanation)
Venue permit (approval turned into a filing): Market Supervision Bureau supervises it but does not get Venue filings (filings): the system holding it exchanges with nothing.

An exchange that delivers the filings closes the zone:

>>> import attrs
>>> fault_zones(attrs.evolve(s, exchanges=[Exchange(from_="licensing", to="credit")])).zones
()
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from .._util import tuple_of
from ..config import require_valid
from ..graph._index import LandscapeIndex
from ..model import ApprovalStatus, Demand, Matter, Scenario
from ._results import Plain, Tabular, plain_dict, records_html
from ._shared import Shared
from .evidence import Evidence
from .sharing import BarrierReason, _demand_reasons

__all__ = ["FaultZone", "FaultZoneReport", "fault_zones"]

#: The barriers' reasons that say a resource cannot get to a department,
#: worded for a supervisor. The others (catalogue, share type, agreement)
#: say whether it may.
_LANDSCAPE = {
    BarrierReason.NO_HOLDING_SYSTEM: "no system is recorded as holding it",
    BarrierReason.PROVIDER_NOT_IN_USE: "the system holding it is not in use",
    BarrierReason.PROVIDER_ISOLATED: "the system holding it exchanges with nothing",
    BarrierReason.REQUESTER_WITHOUT_SYSTEM: "the supervising department has no system in use",
    BarrierReason.NO_PATH: "no exchange path links the holding system to the supervisor's systems",
}

#: Reasons an integration can remove: the holder and the supervisor both
#: have a system in use, in different groups.
CONNECTABLE = frozenset({BarrierReason.PROVIDER_ISOLATED, BarrierReason.NO_PATH})

_STATUS = {
    ApprovalStatus.REQUIRED: "",
    ApprovalStatus.CANCELLED: " (approval cancelled)",
    ApprovalStatus.FILING: " (approval turned into a filing)",
}


@attrs.frozen(kw_only=True)
class Gap:
    """One piece of a matter's supervision data that does not reach its
    supervisor: a resource, or (``resource`` is ``None``) the approval or
    registration records of ``recorded_by``.

    ``reasons`` are the barriers' landscape reasons for a resource. An
    integration through the hub can close the gap when it is ``connectable``:
    the data sits in an in-use system (of ``recorded_by`` for the records)
    and the supervisor has a system in use.
    """

    resource: str | None
    recorded_by: str | None
    reasons: tuple[BarrierReason, ...] = attrs.field(converter=tuple_of)
    connectable: bool


def gaps(index: LandscapeIndex, matter: Matter) -> Iterator[Gap]:
    """The supervision data of ``matter`` that does not reach its supervisor,
    resources by id (see the module's definition)."""
    supervisor = matter.supervised_by
    resources = matter.supervision_resources
    if resources:
        for resource in sorted(resources):
            query = Demand(by=supervisor, resource=resource)
            reasons = [r for r in _demand_reasons(index, query) if r in _LANDSCAPE]
            if reasons:
                yield Gap(
                    resource=resource,
                    recorded_by=None,
                    reasons=reasons,
                    connectable=set(reasons) <= CONNECTABLE,
                )
        return
    recorder = matter.recorded_by
    if recorder == supervisor:
        return
    labels = index.department_labels()
    theirs = labels.get(recorder, set()) if recorder is not None else set()
    ours = labels.get(supervisor, set())
    if not theirs & ours:
        yield Gap(
            resource=None, recorded_by=recorder, reasons=(), connectable=bool(theirs and ours)
        )


@attrs.frozen(kw_only=True)
class FaultZone(Plain):
    """A matter whose supervising department does not get its supervision data.

    Parameters
    ----------
    matter, name
        The matter's id and name.
    approved_by, supervised_by, approval, registered_by
        As the matter gives them.
    needs
        The resources the matter lists as its supervision data
        (``supervision_data`` and ``needs``), by id, whatever the order
        they are listed in; empty when the approval or registration records
        are its supervision data.
    missing
        Those of ``needs`` that do not reach the supervisor, by id; empty
        when what is missing is the records.
    explanation
        One sentence: what does not reach the supervisor, and why.
    evidence
        The grade of what it rests on, the matter, its departments, the
        resources it needs and the systems holding the missing ones.
    """

    matter: str
    name: str
    approved_by: str
    supervised_by: str
    approval: ApprovalStatus = ApprovalStatus.REQUIRED
    registered_by: str | None = None
    needs: tuple[str, ...] = attrs.field(converter=tuple_of)
    missing: tuple[str, ...] = attrs.field(converter=tuple_of, default=())
    explanation: str
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the fields, the evidence as
        :meth:`~cio_framework.analysis.evidence.Evidence.to_dict`."""
        return {**plain_dict(self), "evidence": self.evidence.to_dict()}


@attrs.frozen(kw_only=True)
class FaultZoneReport(Tabular):
    """All fault zones of a scenario, by matter id, and the number of matters."""

    zones: tuple[FaultZone, ...] = attrs.field(converter=tuple_of)
    matters: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"fault_zones": [z.to_dict() for z in self.zones], "matters": self.matters}

    def to_records(self) -> list[dict[str, Any]]:
        """One record per fault zone."""
        return [
            {
                **z.to_dict(),
                "needs": list(z.needs),
                "missing": list(z.missing),
                "evidence": str(z.evidence),
            }
            for z in self.zones
        ]

    def _repr_html_(self) -> str:
        return records_html(
            self.to_records(),
            ["matter", "approved_by", "supervised_by", "approval", "explanation"],
            "No fault zones.",
        )


def _rests_on(index: LandscapeIndex, matter: Matter, found: list[Gap]) -> list[str]:
    """The ids a fault zone rests on: the matter, its departments, the
    resources it needs and the systems holding the missing ones."""
    ids = [matter.id, matter.approved_by, matter.supervised_by, *matter.supervision_resources]
    if matter.registered_by is not None:
        ids.append(matter.registered_by)
    for gap in found:
        resource = index.resources.get(gap.resource or "")
        if resource is not None and resource.held_in is not None:
            ids.append(resource.held_in)
    return ids


def _records_explanation(index: LandscapeIndex, matter: Matter) -> str:
    """Why the approval or registration records do not reach the supervisor."""
    a = index.department_name(matter.approved_by)
    b = index.department_name(matter.supervised_by)
    recorder = matter.recorded_by
    if recorder is None:
        return (
            f"{matter.name}: the approval by {a} was cancelled and no department registers "
            f"the matter, so {b}, which supervises it, gets no approval or registration data."
        )
    r = index.department_name(recorder)
    if matter.approval is ApprovalStatus.REQUIRED:
        head = f"{matter.name}: approved by {a}, supervised by {b}"
    elif matter.approval is ApprovalStatus.FILING:
        head = (
            f"{matter.name}: filed with {r} since the approval by {a} was turned into a "
            f"filing, supervised by {b}"
        )
    else:
        head = (
            f"{matter.name}: registered by {r} since the approval by {a} was cancelled, "
            f"supervised by {b}"
        )
    labels = index.department_labels()
    if recorder not in labels or matter.supervised_by not in labels:
        missing = r if recorder not in labels else b
        why = f"{missing} has no information system in use"
    else:
        why = "their systems are in different groups with no exchange between them"
    return f"{head}, but {why}."


def _resources_explanation(index: LandscapeIndex, matter: Matter, found: list[Gap]) -> str:
    """Which supervision data does not reach the supervisor, and why."""
    items = []
    for gap in found:
        resource = index.resources[gap.resource or ""]
        why = "; ".join(_LANDSCAPE[reason] for reason in gap.reasons)
        items.append(f"{resource.name} ({resource.id}): {why}")
    b = index.department_name(matter.supervised_by)
    return (
        f"{matter.name}{_STATUS[matter.approval]}: {b} supervises it but does not get "
        f"{'; '.join(items)}."
    )


def fault_zones(scenario: Scenario) -> FaultZoneReport:
    """Find the matters whose supervising department does not get the data it
    supervises with.

    See the module's documentation for the definition: a matter is a fault
    zone when some of its supervision data (its ``supervision_data`` and
    ``needs`` resources, or else its approval or registration records) does
    not reach the supervising department through the landscape.

    Parameters
    ----------
    scenario
        The scenario.

    Returns
    -------
    FaultZoneReport
        The fault zones by matter id, each with the resources that do not
        reach its supervisor and why.

    Notes
    -----
    O((V + E) α(V) + M + D) for M matters listing D resources.

    Examples
    --------
    A matter whose records stay in one bureau's system while another bureau
    supervises it, the two systems exchanging nothing:

    >>> from cio_framework.model import Matter, System
    >>> from cio_framework.testing import make_scenario
    >>> s = make_scenario(
    ...     systems=[System(id="a", name="A", department="epb"),
    ...              System(id="b", name="B", department="district")],
    ...     matters=[Matter(id="m", name="Permit", approved_by="district", supervised_by="epb")],
    ... )
    >>> [z.matter for z in fault_zones(s).zones]
    ['m']
    """
    require_valid(scenario)
    return fault_zones_of(Shared(scenario))


def fault_zones_of(shared: Shared) -> FaultZoneReport:
    """:func:`fault_zones` of a valid scenario's :class:`~cio_framework.analysis._shared.Shared` indexes."""
    scenario, index, grades = shared.scenario, shared.index, shared.grades
    zones = []
    for matter in scenario.matters:
        found = list(gaps(index, matter))
        if not found:
            continue
        if found[0].resource is None:
            explanation = _records_explanation(index, matter)
        else:
            explanation = _resources_explanation(index, matter, found)
        zones.append(
            FaultZone(
                matter=matter.id,
                name=matter.name,
                approved_by=matter.approved_by,
                supervised_by=matter.supervised_by,
                approval=matter.approval,
                registered_by=matter.registered_by,
                needs=sorted(matter.supervision_resources),
                missing=[gap.resource for gap in found if gap.resource is not None],
                explanation=explanation,
                evidence=grades.of(ids=_rests_on(index, matter, found)),
            )
        )
    zones.sort(key=lambda zone: zone.matter)
    return FaultZoneReport(zones=zones, matters=len(scenario.matters))
