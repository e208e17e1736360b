"""What-if variants: :func:`whatif` applies a scenario's overlay, and
:func:`compare_variant` compares the variant with its baseline."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
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


def _replace(scenario: Scenario, name: str, items: list[Any]) -> Scenario:
    changes: dict[str, Any] = {name: tuple(items)}
    return attrs.evolve(scenario, **changes)


def _reads_alike(system: str, platform: str, systems: set[str], platforms: set[str]) -> bool:
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
    system: str, platform: str, taken: Collection[str], systems: set[str], platforms: set[str]
) -> str:
    """The id of the exchange a ``move_system`` adds, derived from its two ends.

    ``SYSTEM-PLATFORM-whatif`` when that id is free, fits the id length and
    no other system and platform read the same; otherwise that text (cut to
    fit) followed by a digest of the two ends, so it never depends on the
    order of the scenario's lists or of the changes.
    """
    plain = f"{system}-{platform}-whatif"
    if (
        plain not in taken
        and len(plain) <= MAX_ID_LENGTH
        and not _reads_alike(system, platform, systems, platforms)
    ):
        return plain
    digest = hashlib.sha256(json.dumps([system, platform]).encode("utf-8")).hexdigest()
    for size in (12, len(digest)):
        suffix = f"-{digest[:size]}"
        candidate = plain[: MAX_ID_LENGTH - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
    raise WhatIfError(f"no free id for an exchange between {system!r} and {platform!r}")


def _move_system(scenario: Scenario, system: str, platform: str, connect: bool) -> Scenario:
    systems = {s.id: s for s in scenario.systems}
    if system not in systems:
        raise WhatIfError(f"no system {system!r} to move")
    platforms = {p.id for p in scenario.platforms}
    if platform != LOCAL and platform not in platforms:
        raise WhatIfError(f"no platform {platform!r} to move {system!r} to")
    moved = [attrs.evolve(s, hosted_on=platform) if s.id == system else s for s in scenario.systems]
    result = _replace(scenario, "systems", moved)
    if not connect or platform == LOCAL:
        return result
    ends = {system, platform}
    if any(e.live and {e.from_, e.to} == ends for e in scenario.exchanges):
        return result  # already connected (by an earlier move, say): add no second link
    taken = {i for _, element in scenario.elements() if (i := getattr(element, "id", None))}
    link = Exchange(
        id=_link_id(system, platform, taken, set(systems), platforms),
        from_=system,
        to=platform,
        illustrative=True,
        note="Added by a what-if move_system change.",
    )
    return _replace(result, "exchanges", [*result.exchanges, link])


def _apply_change(scenario: Scenario, change: Change) -> Scenario:
    kind, value = change.kind, change.value
    if kind == "add_exchange":
        assert isinstance(value, Exchange)
        ids = {e.id for e in scenario.exchanges if e.id}
        if value.id is not None and value.id in ids:
            raise WhatIfError(f"exchange {value.id!r} already exists")
        known = {s.id for s in scenario.systems} | {p.id for p in scenario.platforms}
        for end in (value.from_, value.to, *((value.via,) if value.via else ())):
            if end not in known:
                raise WhatIfError(f"exchange end {end!r} is not a system or platform")
        return _replace(scenario, "exchanges", [*scenario.exchanges, value])
    if kind == "remove_exchange":
        kept = [e for e in scenario.exchanges if e.id != value]
        if len(kept) == len(scenario.exchanges):
            raise WhatIfError(f"no exchange with id {value!r} to remove")
        return _replace(scenario, "exchanges", kept)
    if kind == "move_system":
        return _move_system(scenario, value.system, value.to, value.connect)
    if kind == "set_share":
        if value.resource not in {r.id for r in scenario.resources}:
            raise WhatIfError(f"no resource {value.resource!r}")
        changed = [
            attrs.evolve(r, share=value.share, legal_basis=value.legal_basis)
            if r.id == value.resource
            else r
            for r in scenario.resources
        ]
        return _replace(scenario, "resources", changed)
    if kind == "retire_system":
        if value not in {s.id for s in scenario.systems}:
            raise WhatIfError(f"no system {value!r} to retire")
        retired = [
            attrs.evolve(s, status=SystemStatus.RETIRED) if s.id == value else s
            for s in scenario.systems
        ]
        return _replace(scenario, "systems", retired)
    assert kind == "merge_departments"
    return _merge(scenario, value.into, set(value.departments) - {value.into})


def _merge(scenario: Scenario, into: str, merged: set[str]) -> Scenario:
    known = {d.id for d in scenario.departments}
    for department in {into, *merged}:
        if department not in known:
            raise WhatIfError(f"no department {department!r} to merge")

    def fix(value: str | None) -> str | None:
        return into if value in merged else value

    def fix_all(items: tuple[Any, ...], *fields: str) -> list[Any]:
        return [attrs.evolve(item, **{f: fix(getattr(item, f)) for f in fields}) for item in items]

    departments = [
        attrs.evolve(d, parent=None if fix(d.parent) == d.id else fix(d.parent))
        for d in scenario.departments
        if d.id not in merged
    ]
    owners = {r.id: fix(r.owner) for r in scenario.resources}
    return attrs.evolve(
        scenario,
        departments=tuple(departments),
        roles=tuple(fix_all(scenario.roles, "department")),
        appraisals=tuple(fix_all(scenario.appraisals, "department")),
        platforms=tuple(fix_all(scenario.platforms, "operator")),
        systems=tuple(fix_all(scenario.systems, "department")),
        resources=tuple(fix_all(scenario.resources, "owner")),
        demands=tuple(d for d in fix_all(scenario.demands, "by") if d.by != owners.get(d.resource)),
        matters=tuple(fix_all(scenario.matters, "approved_by", "supervised_by")),
    )


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
    result = scenario
    for position, change in enumerate(found.changes):
        try:
            result = _apply_change(result, change)
        except WhatIfError as err:
            raise WhatIfError(
                f"change {position + 1} ({change.kind}): {err.message}", found.id
            ) from None
    result = attrs.evolve(result, scenarios=())
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
