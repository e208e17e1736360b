"""Information barriers: demands for data that are not met, and why."""

from __future__ import annotations

import enum
import math
from typing import Any

import attrs

from .._util import tuple_of
from ..config import require_valid
from ..graph._index import LandscapeIndex
from ..model import Demand, ShareType
from ..model import Scenario as _Scenario
from ._results import Plain, Tabular, plain_dict, records_html
from ._shared import Shared
from .evidence import Evidence

__all__ = ["Barrier", "BarrierReason", "BarrierReport", "barriers"]


class BarrierReason(enum.Enum):
    """Why a demand for a resource is not met."""

    NOT_CATALOGUED = "not_catalogued"
    NOT_SHARED = "not_shared"
    CONDITIONAL_WITHOUT_AGREEMENT = "conditional_without_agreement"
    NO_HOLDING_SYSTEM = "no_holding_system"
    PROVIDER_NOT_IN_USE = "provider_not_in_use"
    PROVIDER_ISOLATED = "provider_isolated"
    REQUESTER_WITHOUT_SYSTEM = "requester_without_system"
    NO_PATH = "no_path"


_TEXT = {
    BarrierReason.NOT_CATALOGUED: "the resource is not in the catalogue",
    BarrierReason.NOT_SHARED: "its share type is 'none'",
    BarrierReason.CONDITIONAL_WITHOUT_AGREEMENT: "it is shared conditionally and no sharing agreement covers this use",
    BarrierReason.NO_HOLDING_SYSTEM: "no system is recorded as holding it",
    BarrierReason.PROVIDER_NOT_IN_USE: "the system holding it is not in use",
    BarrierReason.PROVIDER_ISOLATED: "the system holding it exchanges with nothing",
    BarrierReason.REQUESTER_WITHOUT_SYSTEM: "the requesting department has no system in use",
    BarrierReason.NO_PATH: "no exchange path links the holding system to the requester's systems",
}


@attrs.frozen(kw_only=True)
class Barrier(Plain):
    """A demand that is not met, with every reason and a plain explanation."""

    demand: str
    by: str
    resource: str
    provider: str
    weight: float
    reasons: tuple[BarrierReason, ...] = attrs.field(converter=tuple_of)
    explanation: str
    #: The grade of what it rests on, the demand, the resource, the system
    #: holding it and the two departments.
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the fields, the evidence as :meth:`~cio_framework.analysis.evidence.Evidence.to_dict`."""
        return {**plain_dict(self), "evidence": self.evidence.to_dict()}


@attrs.frozen(kw_only=True)
class BarrierReport(Tabular):
    """Unmet demands and the share of demand weight that is met.

    Examples
    --------
    >>> import cio_framework
    >>> report = barriers(cio_framework.builtin("pudong-2016"))
    >>> 0.0 <= report.met_share <= 1.0
    True
    """

    barriers: tuple[Barrier, ...] = attrs.field(converter=tuple_of)
    met: tuple[str, ...] = attrs.field(converter=tuple_of)
    met_weight: float
    total_weight: float

    @property
    def met_share(self) -> float:
        """Weighted share of demands met (1.0 when there are no demands)."""
        return self.met_weight / self.total_weight if self.total_weight else 1.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "barriers": [b.to_dict() for b in self.barriers],
            "met": list(self.met),
            "met_share": self.met_share,
        }

    def to_records(self) -> list[dict[str, Any]]:
        """One record per barrier."""
        return [
            {
                **b.to_dict(),
                "reasons": [r.value for r in b.reasons],
                "evidence": str(b.evidence),
            }
            for b in self.barriers
        ]

    def _repr_html_(self) -> str:
        return records_html(
            self.to_records(),
            ["demand", "by", "resource", "reasons", "explanation"],
            "Every demand is met.",
        )


# the members as plain names: an Enum class attribute costs 60 ns to read,
# and a national catalogue asks these questions of 300,000 demands
_NOT_CATALOGUED = BarrierReason.NOT_CATALOGUED
_NOT_SHARED = BarrierReason.NOT_SHARED
_CONDITIONAL_WITHOUT_AGREEMENT = BarrierReason.CONDITIONAL_WITHOUT_AGREEMENT
_NO_HOLDING_SYSTEM = BarrierReason.NO_HOLDING_SYSTEM
_PROVIDER_NOT_IN_USE = BarrierReason.PROVIDER_NOT_IN_USE
_PROVIDER_ISOLATED = BarrierReason.PROVIDER_ISOLATED
_REQUESTER_WITHOUT_SYSTEM = BarrierReason.REQUESTER_WITHOUT_SYSTEM
_NO_PATH = BarrierReason.NO_PATH
_SHARE_NONE, _SHARE_CONDITIONAL = ShareType.NONE, ShareType.CONDITIONAL


def _demand_reasons(index: LandscapeIndex, demand: Demand) -> list[BarrierReason]:
    """Every reason a demand is not met; empty when it is met."""
    reasons: list[BarrierReason] = []
    resource = index.resources[demand.resource]
    if demand.by == resource.owner:
        return reasons  # a department needs no permission or path to its own data
    if not resource.catalogued:
        reasons.append(_NOT_CATALOGUED)
    share = resource.share
    if share is _SHARE_NONE:
        reasons.append(_NOT_SHARED)
    elif share is _SHARE_CONDITIONAL and not demand.agreement:
        reasons.append(_CONDITIONAL_WITHOUT_AGREEMENT)
    holder = index.systems.get(resource.held_in) if resource.held_in else None
    # the provider's group, when the holder is in use and exchanges with something
    reachable = None
    if holder is None:
        reasons.append(_NO_HOLDING_SYSTEM)
    elif not holder.in_use:
        reasons.append(_PROVIDER_NOT_IN_USE)
    elif holder.id not in index.linked and holder.department != demand.by:
        reasons.append(_PROVIDER_ISOLATED)
    else:
        reachable = index.labels[holder.id]
    requester = index.department_labels().get(demand.by)
    if not requester:
        reasons.append(_REQUESTER_WITHOUT_SYSTEM)
    elif reachable is not None and reachable not in requester:
        reasons.append(_NO_PATH)
    return reasons


def barriers(scenario: _Scenario) -> BarrierReport:
    """Find the demands for information that are not met.

    A demand is met when its resource is catalogued, its share type allows
    this use (unconditional, or conditional with an agreement) and the
    system holding it is linked by live exchanges to a system of the
    requesting department (or the requester owns the resource).

    Parameters
    ----------
    scenario
        The scenario.

    Returns
    -------
    BarrierReport
        Unmet demands, heaviest first (ties by demand key), each with every
        reason; the keys of the demands that are met, sorted.

    Notes
    -----
    O((V + E) α(V) + D) for D demands.

    Examples
    --------
    >>> from cio_framework.model import Demand, Resource, System
    >>> from cio_framework.testing import make_scenario
    >>> s = make_scenario(
    ...     systems=[System(id="a", name="A", department="epb"),
    ...              System(id="b", name="B", department="district")],
    ...     resources=[Resource(id="r", name="R", owner="epb", held_in="a")],
    ...     demands=[Demand(by="district", resource="r")],
    ... )
    >>> [b.reasons[0].value for b in barriers(s).barriers]
    ['provider_isolated']
    """
    require_valid(scenario)
    return barriers_of(Shared(scenario))


def barriers_of(shared: Shared) -> BarrierReport:
    """:func:`barriers` of a valid scenario's :class:`~cio_framework.analysis._shared.Shared` indexes."""
    scenario, index, grades = shared.scenario, shared.index, shared.grades
    found = []
    met = []
    met_weights: list[float] = []
    for demand in scenario.demands:
        reasons = _demand_reasons(index, demand)
        if not reasons:
            met.append(demand.key)
            met_weights.append(demand.weight)
            continue
        resource = index.resources[demand.resource]
        because = "; ".join(_TEXT[r] for r in reasons)
        found.append(
            Barrier(
                demand=demand.key,
                by=demand.by,
                resource=demand.resource,
                provider=resource.owner,
                weight=demand.weight,
                reasons=reasons,
                explanation=f"{index.department_name(demand.by)} cannot get {resource.name} from "
                f"{index.department_name(resource.owner)}: {because}.",
                evidence=grades.of(
                    ids=[resource.id, resource.owner, demand.by, resource.held_in or ""],
                    elements=[("demands", demand)],
                ),
            )
        )
    # heaviest first, then by demand: an order that does not depend on the file's
    found.sort(key=lambda b: (-b.weight, b.demand, b.explanation))
    # fsum is exactly rounded, so the shares do not depend on the demands' order.
    return BarrierReport(
        barriers=found,
        met=sorted(met),
        met_weight=math.fsum(met_weights),
        total_weight=math.fsum(d.weight for d in scenario.demands),
    )
