"""Every landscape analysis of one scenario, run together.

Definition
----------
The *landscape analyses* of a scenario are its islands
(:func:`~cio_framework.islands`), barriers
(:func:`~cio_framework.barriers`), fault zones
(:func:`~cio_framework.fault_zones`), indicators
(:func:`~cio_framework.indicators`) and integration priorities
(:func:`~cio_framework.priorities`). :func:`landscape` runs them all on
one set of indexes, so each index of the scenario is built once, and gives
them as one :class:`Landscape`: each result equals what its own function
returns. Its ``ranking`` lists every candidate integration's id, best
first, also when ``top`` keeps only the best few as full
:class:`~cio_framework.analysis.priorities.Integration` values.

Complexity
----------
O((V + E) α(V) + V log V + R + D + M), plus scoring and sorting the C
candidates in O(C log C); each kept candidate is then explained and
graded in time proportional to what it rests on.

Examples
--------
>>> import cio_framework
>>> found = landscape(cio_framework.builtin("pudong-2016"), top=3)
>>> found.islands == cio_framework.islands(cio_framework.builtin("pudong-2016"))
True
>>> len(found.priorities.priorities), len(found.ranking) >= 3
(3, True)
>>> [p.id for p in found.priorities.priorities] == list(found.ranking[:3])
True
"""

from __future__ import annotations

import attrs

from .._util import tuple_of
from ..config import require_valid
from ..model import Scenario
from ._arguments import check_count
from ._shared import Shared
from .connectivity import IslandReport, islands_of
from .faultzones import FaultZoneReport, fault_zones_of
from .indicators import Indicators, indicators
from .priorities import PriorityReport, priorities_of
from .sharing import BarrierReport, barriers_of

__all__ = ["Landscape", "landscape"]


@attrs.frozen(kw_only=True)
class Landscape:
    """The landscape analyses of one scenario (see the module's definition).

    Examples
    --------
    >>> import cio_framework
    >>> found = landscape(cio_framework.builtin("pudong-2016"))
    >>> found.indicators.islands == len(found.islands.islands)
    True
    """

    islands: IslandReport
    barriers: BarrierReport
    fault_zones: FaultZoneReport
    indicators: Indicators
    #: The candidate integrations, all of them or the ``top`` best.
    priorities: PriorityReport
    #: Every candidate's id, best first (also those ``top`` leaves out).
    ranking: tuple[str, ...] = attrs.field(converter=tuple_of, repr=False)


def landscape(scenario: Scenario, *, top: int | None = None) -> Landscape:
    """Run every landscape analysis of a scenario on shared indexes.

    Parameters
    ----------
    scenario
        The scenario.
    top
        Keep the ``top`` best candidate integrations only, as
        :func:`~cio_framework.priorities` does; all of them by default.
        ``ranking`` always lists every candidate.

    Returns
    -------
    Landscape
        The islands, barriers, fault zones, indicators and priorities, each
        equal to its own function's result.

    Raises
    ------
    InvalidScenarioError
        When the scenario is not valid.
    TypeError, ValueError
        For a ``top`` that is not a whole number of 0 or more.

    Notes
    -----
    See the module's complexity: one build of each index, where calling the
    five functions one by one builds each up to four times.

    Examples
    --------
    >>> import cio_framework
    >>> s = cio_framework.builtin("pudong-2016")
    >>> found = landscape(s, top=0)
    >>> found.priorities.priorities, found.ranking == tuple(
    ...     p.id for p in cio_framework.priorities(s).priorities)
    ((), True)
    """
    require_valid(scenario)
    check_count("top", top)
    shared = Shared(scenario)
    found_islands = islands_of(shared)
    found_barriers = barriers_of(shared)
    found_zones = fault_zones_of(shared)
    ranked, ranking = priorities_of(shared, top=top)
    return Landscape(
        islands=found_islands,
        barriers=found_barriers,
        fault_zones=found_zones,
        indicators=indicators(
            scenario,
            island_report=found_islands,
            barrier_report=found_barriers,
            fault_zone_report=found_zones,
        ),
        priorities=ranked,
        ranking=ranking,
    )
