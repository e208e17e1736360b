"""What-if variants: :func:`whatif` applies a scenario's overlay, and
:func:`compare_variant` compares the variant with its baseline."""

from __future__ import annotations

import collections
import hashlib
import json
from collections.abc import Callable, Collection
from typing import Any

import attrs

from .._util import tuple_of
from ..config import require_valid, validate
from ..config._validate import mark_checked
from ..exceptions import CioFrameworkError, UnknownNameError
from ..model import (
    LOCAL,
    MAX_ID_LENGTH,
    Change,
    Exchange,
    Scenario,
    SystemStatus,
    WhatIf,
)
from ..model._frozenmap import FrozenMap
from ._results import Tabular, records_html
from .connectivity import islands
from .indicators import Indicators, indicators
from .priorities import priorities
from .sharing import barriers

__all__ = ["VariantComparison", "WhatIfError", "compare_variant", "whatif"]


@attrs.define(auto_exc=True, eq=False)
class WhatIfError(CioFrameworkError, ValueError):
    """A what-if change cannot be applied to the scenario."""

    message: str
    whatif: str | None = None

    def __str__(self) -> str:
        where = f"what-if {self.whatif!r}: " if self.whatif else ""
        return where + self.message


def _reads_alike(
    system: str, platform: str, systems: Collection[str], platforms: Collection[str]
) -> bool:
    """Whether another system and platform of the scenario would give the same
    ``SYSTEM-PLATFORM`` text (system ``a-b`` and platform ``c``, system ``a``
    and platform ``b-c``)."""
    text = f"{system}-{platform}"
    cut = text.find("-")
    while cut != -1:
        other = (text[:cut], text[cut + 1 :])
        if other != (system, platform) and other[0] in systems and other[1] in platforms:
            return True
        cut = text.find("-", cut + 1)
    return False


def _link_id(
    system: str,
    platform: str,
    taken: Callable[[str], bool],
    systems: Collection[str],
    platforms: Collection[str],
) -> str:
    """The id of the exchange a ``move_system`` adds, derived from its two ends.

    ``SYSTEM-PLATFORM-whatif`` when that id is free (``taken`` says it is
    not), fits the id length and no other system and platform read the same;
    otherwise that text (cut to fit) followed by a digest of the two ends, so
    it never depends on the order of the scenario's lists or of the changes.
    """
    plain = f"{system}-{platform}-whatif"
    if (
        not taken(plain)
        and len(plain) <= MAX_ID_LENGTH
        and not _reads_alike(system, platform, systems, platforms)
    ):
        return plain
    digest = hashlib.sha256(json.dumps([system, platform]).encode("utf-8")).hexdigest()
    for size in (12, len(digest)):
        suffix = f"-{digest[:size]}"
        candidate = plain[: MAX_ID_LENGTH - len(suffix)] + suffix
        if not taken(candidate):
            return candidate
    raise WhatIfError(f"no free id for an exchange between {system!r} and {platform!r}")


def _ends(exchange: Exchange) -> frozenset[str]:
    return frozenset((exchange.from_, exchange.to))


class _Variant:
    """A scenario being changed, indexed once, so that each change costs time
    in its own size, not in the scenario's; :meth:`result` builds the
    variant once, at the end.

    Merges are recorded as a forest (each merged department points at the
    one it went into) and applied to every reference at the end: a
    reference follows the merges in order, so its last department is the
    root of its tree, whatever the order of the merges.
    """

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.systems = {s.id: s for s in scenario.systems}
        self.platforms = {p.id for p in scenario.platforms}
        self.resources = {r.id: r for r in scenario.resources}
        self.owners = {r.id: r.owner for r in scenario.resources}
        self.exchanges: list[Exchange | None] = list(scenario.exchanges)
        #: Exchange id to its positions in :attr:`exchanges` (removed ones left out).
        self.positions: dict[str, list[int]] = {}
        #: Live exchanges by their two ends, as ``move_system`` asks.
        self.links: collections.Counter[frozenset[str]] = collections.Counter()
        for position, exchange in enumerate(self.exchanges):
            self._index(position, exchange)  # type: ignore[arg-type]
        #: The ids of the baseline's elements, with where they are.
        self.ids: dict[str, list[tuple[str, Any]]] = {}
        for name, element in scenario.elements():
            found = getattr(element, "id", None)
            if found and name != "exchanges":
                self.ids.setdefault(found, []).append((name, element))
        self.departments = {d.id for d in scenario.departments}
        #: Merged department to the department it went into.
        self.merged: dict[str, str] = {}
        #: Whether any merge was applied: a merge drops every demand of a
        #: department for its own resource, even one it had before.
        self.merging = False

    def _index(self, position: int, exchange: Exchange) -> None:
        if exchange.id is not None:
            self.positions.setdefault(exchange.id, []).append(position)
        if exchange.live:
            self.links[_ends(exchange)] += 1

    def add(self, exchange: Exchange) -> None:
        """Add an exchange at the end."""
        self.exchanges.append(exchange)
        self._index(len(self.exchanges) - 1, exchange)

    def find(self, department: str) -> str:
        """The department ``department`` ended up in (itself, if not merged)."""
        root = department
        while root in self.merged:
            root = self.merged[root]
        while department != root:  # point the path at the root for later look-ups
            parent = self.merged[department]
            self.merged[department] = root
            department = parent
        return root

    def taken(self, candidate: str) -> bool:
        """Whether an element of the scenario as changed so far has the id ``candidate``."""
        if self.positions.get(candidate):
            return True
        return any(self._kept(name, element) for name, element in self.ids.get(candidate, ()))

    def _kept(self, name: str, element: Any) -> bool:
        """Whether a baseline element (not an exchange) is still in the variant."""
        if name == "departments":
            return element.id not in self.merged
        if name == "demands" and self.merging:
            return self.find(element.by) != self.find(self.owners[element.resource])
        return True

    # -- the changes --------------------------------------------------------------

    def apply(self, change: Change) -> None:
        """Apply one change, or raise :class:`WhatIfError` when it does not fit."""
        kind, value = change.kind, change.value
        if kind == "add_exchange":
            self.add_exchange(value)
        elif kind == "remove_exchange":
            self.remove_exchange(value)
        elif kind == "move_system":
            self.move_system(value.system, value.to, value.connect)
        elif kind == "set_share":
            self.set_share(value.resource, value.share, value.legal_basis)
        elif kind == "retire_system":
            self.retire_system(value)
        else:
            assert kind == "merge_departments"
            self.merge(value.into, value.departments)

    def add_exchange(self, exchange: Exchange) -> None:
        if exchange.id is not None and self.positions.get(exchange.id):
            raise WhatIfError(f"exchange {exchange.id!r} already exists")
        for end in (exchange.from_, exchange.to, *((exchange.via,) if exchange.via else ())):
            if end not in self.systems and end not in self.platforms:
                raise WhatIfError(f"exchange end {end!r} is not a system or platform")
        self.add(exchange)

    def remove_exchange(self, exchange_id: str) -> None:
        found = self.positions.pop(exchange_id, None)
        if not found:
            raise WhatIfError(f"no exchange with id {exchange_id!r} to remove")
        for position in found:
            exchange = self.exchanges[position]
            assert exchange is not None
            if exchange.live:
                self.links[_ends(exchange)] -= 1
            self.exchanges[position] = None

    def move_system(self, system: str, platform: str, connect: bool) -> None:
        if system not in self.systems:
            raise WhatIfError(f"no system {system!r} to move")
        if platform != LOCAL and platform not in self.platforms:
            raise WhatIfError(f"no platform {platform!r} to move {system!r} to")
        self.systems[system] = attrs.evolve(self.systems[system], hosted_on=platform)
        if not connect or platform == LOCAL or self.links[frozenset((system, platform))]:
            return  # no link asked for, or already connected (by an earlier move, say)
        link_id = _link_id(system, platform, self.taken, self.systems, self.platforms)
        self.add(
            Exchange(
                id=link_id,
                from_=system,
                to=platform,
                illustrative=True,
                note="Added by a what-if move_system change.",
            )
        )

    def set_share(self, resource: str, share: Any, legal_basis: str | None) -> None:
        if resource not in self.resources:
            raise WhatIfError(f"no resource {resource!r}")
        found = self.resources[resource]
        self.resources[resource] = attrs.evolve(found, share=share, legal_basis=legal_basis)

    def retire_system(self, system: str) -> None:
        if system not in self.systems:
            raise WhatIfError(f"no system {system!r} to retire")
        self.systems[system] = attrs.evolve(self.systems[system], status=SystemStatus.RETIRED)

    def merge(self, into: str, departments: tuple[str, ...]) -> None:
        for department in (into, *departments):
            if department not in self.departments:
                raise WhatIfError(f"no department {department!r} to merge")
        self.merging = True
        for department in departments:
            if department != into and department in self.departments:
                self.departments.discard(department)
                self.merged[department] = into

    # -- the variant --------------------------------------------------------------

    def result(self) -> Scenario:
        """The changed scenario, built once."""
        changes: dict[str, Any] = {
            "systems": tuple(self.systems.values()),
            "resources": tuple(self.resources.values()),
            "exchanges": tuple(e for e in self.exchanges if e is not None),
            "scenarios": (),
        }
        if self.merging:
            changes.update(self._merged(changes["systems"], changes["resources"]))
        return attrs.evolve(self.scenario, **changes)

    def _merged(
        self, systems: tuple[Any, ...], resources: tuple[Any, ...]
    ) -> dict[str, tuple[Any, ...]]:
        """Every collection that names departments, with the merges applied."""
        scenario, find = self.scenario, self.find

        def fix(items: tuple[Any, ...], *fields: str) -> tuple[Any, ...]:
            return tuple(_fixed(item, fields, find) for item in items)

        departments = []
        for department in scenario.departments:
            if department.id in self.merged:
                continue
            parent = None if department.parent is None else find(department.parent)
            departments.append(
                _fixed(department, (), find, parent=None if parent == department.id else parent)
            )
        return {
            "departments": tuple(departments),
            "roles": fix(scenario.roles, "department"),
            "appraisals": fix(scenario.appraisals, "department"),
            "platforms": fix(scenario.platforms, "operator"),
            "systems": fix(systems, "department"),
            "resources": fix(resources, "owner"),
            "demands": tuple(
                _fixed(d, ("by",), find) for d in scenario.demands if self._kept("demands", d)
            ),
            "matters": fix(scenario.matters, "approved_by", "supervised_by", "registered_by"),
            "scorecards": fix(scenario.scorecards, "organisation"),
        }


def _fixed(item: Any, fields: tuple[str, ...], find: Callable[[str], str], **more: Any) -> Any:
    """``item`` with each department field in ``fields`` following the merges
    (and ``more`` set), the same object when nothing changes."""
    changes = dict(more)
    for name in fields:
        value = getattr(item, name)
        if value is not None:
            changes[name] = find(value)
    if all(getattr(item, name) == value for name, value in changes.items()):
        return item
    return attrs.evolve(item, **changes)


def _find(scenario: Scenario, whatif: str | WhatIf) -> WhatIf:
    if isinstance(whatif, WhatIf):
        return whatif
    for candidate in scenario.scenarios:
        if candidate.id == whatif:
            return candidate
    raise UnknownNameError(
        kind="what-if scenario", name=whatif, known=tuple(w.id for w in scenario.scenarios)
    )


def whatif(scenario: Scenario, variant: str | WhatIf) -> Scenario:
    """Apply a what-if variant's changes, in order, and return the variant.

    Parameters
    ----------
    scenario
        The baseline.
    variant
        The id of one of ``scenario.scenarios``, or a :class:`~cio_framework.model.WhatIf`.

    Returns
    -------
    Scenario
        A new scenario; the baseline is unchanged. It holds no what-if
        variants: the baseline's were written against the baseline (applying
        ``connect-epb`` to its own result would add its exchange twice).

    Raises
    ------
    UnknownNameError
        When no what-if variant has that id.
    WhatIfError
        When a change does not fit the scenario (a missing system, say), or
        when a variant given as a :class:`~cio_framework.model.WhatIf` of
        its own makes the scenario invalid (an exchange that names an
        unknown resource, say).
    InvalidScenarioError
        When the baseline is invalid (see :func:`cio_framework.validate`).

    Notes
    -----
    O(V + E + D + C α(V)) for C changes: the scenario is indexed once, each
    change costs time in its own size, and the variant is built once.
    The result is valid. A variant of the baseline's own ``scenarios`` was
    checked with the baseline, and each change keeps a valid scenario valid,
    so its result is known to be valid without validating it again; a
    :class:`~cio_framework.model.WhatIf` from elsewhere is validated on the
    result, in O((V + E) log V).

    Examples
    --------
    >>> import cio_framework
    >>> base = cio_framework.builtin("pudong-2016")
    >>> after = whatif(base, "connect-epb")
    >>> len(after.exchanges) - len(base.exchanges)
    1
    """
    require_valid(scenario)
    found = _find(scenario, variant)
    working = _Variant(scenario)
    for position, change in enumerate(found.changes):
        try:
            working.apply(change)
        except WhatIfError as err:
            raise WhatIfError(
                f"change {position + 1} ({change.kind}): {err.message}", found.id
            ) from None
    result = working.result()
    if any(found is own for own in scenario.scenarios):
        mark_checked(result)  # valid by construction (see Notes); tests check it
    else:
        problems = validate(result)
        if problems:
            shown = "; ".join(f"{p.path}: {p.message}" for p in problems[:3])
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            raise WhatIfError(f"the variant is not a valid scenario: {shown}{more}", found.id)
    return result


@attrs.frozen(kw_only=True)
class VariantComparison(Tabular):
    """How a variant differs from its baseline.

    Parameters
    ----------
    whatif
        The variant's id.
    indicators_before, indicators_after
        Landscape indicators of each.
    islands_before, islands_after
        Islands as tuples of their system ids.
    barriers_resolved, barriers_added
        Demand keys that stop or start being barriers.
    priorities_before, priorities_after
        The ids of the five best candidates of each.
    """

    whatif: str
    indicators_before: Indicators
    indicators_after: Indicators
    islands_before: tuple[tuple[str, ...], ...] = attrs.field(converter=tuple_of)
    islands_after: tuple[tuple[str, ...], ...] = attrs.field(converter=tuple_of)
    barriers_resolved: tuple[str, ...] = attrs.field(converter=tuple_of)
    barriers_added: tuple[str, ...] = attrs.field(converter=tuple_of)
    priorities_before: tuple[str, ...] = attrs.field(converter=tuple_of)
    priorities_after: tuple[str, ...] = attrs.field(converter=tuple_of)

    def indicator_changes(self) -> FrozenMap[str, tuple[Any, Any]]:
        """Indicators that changed, as ``name -> (before, after)``."""
        before, after = self.indicators_before.to_dict(), self.indicators_after.to_dict()
        return FrozenMap((k, (before[k], after[k])) for k in before if before[k] != after[k])

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "whatif": self.whatif,
            "indicators": {
                k: {"before": v[0], "after": v[1]} for k, v in self.indicator_changes().items()
            },
            "islands_before": [list(i) for i in self.islands_before],
            "islands_after": [list(i) for i in self.islands_after],
            "barriers_resolved": list(self.barriers_resolved),
            "barriers_added": list(self.barriers_added),
            "priorities_before": list(self.priorities_before),
            "priorities_after": list(self.priorities_after),
        }

    def to_records(self) -> list[dict[str, Any]]:
        """One record per changed indicator."""
        return [
            {"indicator": k, "before": v[0], "after": v[1]}
            for k, v in self.indicator_changes().items()
        ]

    def _repr_html_(self) -> str:
        return records_html(self.to_records(), ["indicator", "before", "after"], "No change.")


def compare_variant(
    baseline: Scenario, changed: Scenario, *, whatif: str = "variant"
) -> VariantComparison:
    """Compare a baseline with a variant: islands, barriers, indicators, priorities.

    Examples
    --------
    >>> import cio_framework
    >>> base = cio_framework.builtin("pudong-2016")
    >>> result = compare_variant(base, whatif(base, "connect-epb"), whatif="connect-epb")
    >>> result.indicator_changes()["islands"]
    (3, 2)
    """

    require_valid(baseline)
    require_valid(changed)

    def island_sets(s: Scenario) -> list[tuple[str, ...]]:
        return [g.systems for g in islands(s).islands]

    before_barriers = {b.demand for b in barriers(baseline).barriers}
    after_barriers = {b.demand for b in barriers(changed).barriers}
    return VariantComparison(
        whatif=whatif,
        indicators_before=indicators(baseline),
        indicators_after=indicators(changed),
        islands_before=island_sets(baseline),
        islands_after=island_sets(changed),
        barriers_resolved=sorted(before_barriers - after_barriers),
        barriers_added=sorted(after_barriers - before_barriers),
        priorities_before=[p.id for p in priorities(baseline).top(5)],
        priorities_after=[p.id for p in priorities(changed).top(5)],
    )
