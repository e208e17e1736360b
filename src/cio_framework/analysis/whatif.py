"""What-if variants: :func:`whatif` applies a scenario's overlay, and
:func:`compare_variant` compares the variant with its baseline."""

from __future__ import annotations

import collections
import hashlib
import json
from collections.abc import Callable, Collection, Container, Iterator
from typing import Any

import attrs

from .._contracts import document
from .._util import tuple_of
from ..config import require_valid, validate
from ..config._plan import plan_of
from ..config._structure import SINGULAR
from ..config._validate import mark_checked
from ..exceptions import CioFrameworkError, UnknownNameError
from ..model import (
    ADDED_BY_CHANGE,
    COLLECTIONS,
    LOCAL,
    MAX_ID_LENGTH,
    Change,
    Demand,
    Exchange,
    Scenario,
    SystemStatus,
    WhatIf,
)
from ..model._frozenmap import FrozenMap
from ._results import Tabular, records_html
from .checks import check
from .indicators import Indicators
from .landscape import landscape

__all__ = ["VariantComparison", "WhatIfError", "compare_variant", "whatif"]


@attrs.define(auto_exc=True, eq=False)
class WhatIfError(CioFrameworkError, ValueError):
    """A what-if change cannot be applied to the scenario.

    ``change`` is the position (from 0) of the change that does not fit in
    its variant's ``changes``, ``None`` when the variant as a whole does
    not (it makes an invalid scenario).
    """

    message: str
    whatif: str | None = None
    change: int | None = None

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
        #: The governance elements as changed so far, by id, in order.
        self.roles = {r.id: r for r in scenario.roles}
        self.bodies = {b.id: b for b in scenario.bodies}
        self.department_items = {d.id: d for d in scenario.departments}
        self.platform_items = {p.id: p for p in scenario.platforms}
        self.people = {p.id for p in scenario.people}
        #: Ids the changes added, and baseline ids they removed.
        self.added_ids: set[str] = set()
        self.removed_ids: set[str] = set()
        #: Each removed element's collection and the position of its change.
        self.removals: dict[str, tuple[str, int]] = {}
        #: The position of the change being applied.
        self.position = 0
        #: Whether an element was added: its references are checked on the result.
        self.adding = False
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
        """Whether the id ``candidate`` names an element of the scenario as
        changed so far, or a department merged into another (whatever named
        it names that one now: the id cannot name anything else)."""
        if self.positions.get(candidate) or candidate in self.added_ids:
            return True
        if candidate in self.removed_ids:
            return False
        return any(
            name != "demands" or self._kept(element)
            for name, element in self.ids.get(candidate, ())
        )

    def _kept(self, demand: Demand) -> bool:
        """Whether a baseline demand still stands in the variant: all do but
        those a merge makes a department's demand for its own resource."""
        if self.merging:
            return self.find(demand.by) != self.find(self.owners[demand.resource])
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
        elif kind == "merge_departments":
            self.merge(value.into, value.departments)
        elif kind == "appoint":
            self.appoint(value.role, value.person, value.acting)
        elif kind == "vacate":
            self.appoint(value, None, False)
        elif kind in ADDED_BY_CHANGE:
            self.add_element(ADDED_BY_CHANGE[kind], value)
        else:
            assert kind.startswith("remove_")
            self.remove_element(_REMOVED_BY_CHANGE[kind], value)

    def appoint(self, role: str, person: str | None, acting: bool) -> None:
        """Make ``person`` the role's holder now (``None``: vacate it); the
        role's tenures are dropped, so the variant keeps it at every date."""
        if role not in self.roles:
            raise WhatIfError(f"no role {role!r} to {'appoint to' if person else 'vacate'}")
        if person is not None and person not in self.people:
            raise WhatIfError(f"no person {person!r} to appoint to {role!r}")
        self.roles[role] = attrs.evolve(
            self.roles[role], holder=person, acting=acting and person is not None, tenures=()
        )

    def _store(self, collection: str) -> dict[str, Any]:
        stores: dict[str, dict[str, Any]] = {
            "roles": self.roles,
            "bodies": self.bodies,
            "departments": self.department_items,
            "platforms": self.platform_items,
            "systems": self.systems,
        }
        return stores[collection]

    def add_element(self, collection: str, element: Any) -> None:
        """Add a role, department, body, system or platform (or an exchange)."""
        if collection == "exchanges":
            self.add_exchange(element)
            return
        if element.id in self.merged:
            raise WhatIfError(
                f"id {element.id!r} is already taken: department {element.id!r} was merged "
                f"into {self.find(element.id)!r}, and what named it names that one now"
            )
        if self.taken(element.id):
            raise WhatIfError(f"id {element.id!r} is already taken")
        self._store(collection)[element.id] = element
        if collection == "departments":
            self.departments.add(element.id)
        elif collection == "platforms":
            self.platforms.add(element.id)
        self.added_ids.add(element.id)
        self.removed_ids.discard(element.id)
        self.adding = True

    def remove_element(self, collection: str, element_id: str) -> None:
        """Remove an element; :meth:`dangling` then checks that nothing in
        the variant still names it."""
        store = self._store(collection)
        singular = SINGULAR[collection]
        if element_id not in store or element_id in self.merged:
            raise WhatIfError(f"no {singular} {element_id!r} to remove")
        del store[element_id]
        self.departments.discard(element_id)
        if collection == "platforms":
            self.platforms.discard(element_id)
        self.added_ids.discard(element_id)
        self.removed_ids.add(element_id)
        self.removals[element_id] = (collection, self.position)

    def dangling(self) -> tuple[int, str] | None:
        """The first removal (by its change's position) of an element that
        the variant still names, and the message that says what names it;
        ``None`` when no reference is left dangling.

        One pass over the variant for all removals: O(V + E) with the
        merges followed (``find``), however many elements were removed.
        """
        targets = self.removed_ids  # removed and not added again
        if not targets:
            return None
        naming: dict[str, dict[str, set[str]]] = {}  # target: element: fields
        for name, element in self._current():
            own = getattr(element, "id", None)
            for target, field in _names(element, targets, self.find):
                if target != own:
                    what = f"{SINGULAR[name]} {own!r}" if own else _a(SINGULAR[name])
                    naming.setdefault(target, {}).setdefault(what, set()).add(field)
        for target, field in _names(self.scenario.priorities, targets, self.find):
            naming.setdefault(target, {}).setdefault("the priority settings", set()).add(field)
        if not naming:
            return None
        target = min(naming, key=lambda t: self.removals[t][1])
        collection, position = self.removals[target]
        found = sorted(
            f"{what} ({', '.join(sorted(fields))})" for what, fields in naming[target].items()
        )
        shown = "; ".join(found[:5])
        more = f" (and {len(found) - 5} more)" if len(found) > 5 else ""
        return position, (
            f"cannot remove {SINGULAR[collection]} {target!r}: it is named by {shown}{more}; "
            "remove those too or change them"
        )

    def _current(self) -> Any:
        """Yield ``(collection, element)`` for the variant as it stands (no variants)."""
        for name in COLLECTIONS:
            if name == "scenarios":
                continue
            if name in ("roles", "bodies", "departments", "platforms", "systems"):
                items: Any = self._store(name).values()
            elif name == "resources":
                items = self.resources.values()
            elif name == "exchanges":
                items = (e for e in self.exchanges if e is not None)
            else:
                items = getattr(self.scenario, name)
            for element in items:
                if name == "departments" and element.id in self.merged:
                    continue
                if name == "demands" and not self._kept(element):
                    continue
                yield name, element

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
            "roles": tuple(self.roles.values()),
            "bodies": tuple(self.bodies.values()),
            "departments": tuple(self.department_items.values()),
            "platforms": tuple(self.platform_items.values()),
            "scenarios": (),
        }
        if self.merging:
            changes.update(self._merged(changes))
        return attrs.evolve(self.scenario, **changes)

    def _merged(self, current: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
        """Every collection that names departments, with the merges applied."""
        scenario, find = self.scenario, self.find
        systems, resources = current["systems"], current["resources"]

        def fix(items: tuple[Any, ...], *fields: str) -> tuple[Any, ...]:
            return tuple(_fixed(item, fields, find) for item in items)

        departments = []
        for department in current["departments"]:
            if department.id in self.merged:
                continue
            parent = None if department.parent is None else find(department.parent)
            departments.append(
                _fixed(department, (), find, parent=None if parent == department.id else parent)
            )
        return {
            "departments": tuple(departments),
            "roles": fix(current["roles"], "department", "appointed_by"),
            "appraisals": fix(scenario.appraisals, "department"),
            "platforms": fix(current["platforms"], "operator"),
            "systems": fix(systems, "department"),
            "resources": fix(resources, "owner"),
            "demands": tuple(_fixed(d, ("by",), find) for d in scenario.demands if self._kept(d)),
            "matters": fix(scenario.matters, "approved_by", "supervised_by", "registered_by"),
            "scorecards": fix(scenario.scorecards, "organisation"),
        }


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


#: The what-if changes that remove an element, with its collection.
_REMOVED_BY_CHANGE = {
    "remove_role": "roles",
    "remove_department": "departments",
    "remove_body": "bodies",
    "remove_system": "systems",
    "remove_platform": "platforms",
}


def _names(
    value: Any, targets: Container[str], find: Callable[[str], str]
) -> Iterator[tuple[str, str]]:
    """Yield ``(target, key)`` for each field of ``value`` (an attrs value,
    nested values included) that names one of ``targets``: a reference
    names the target it is, or that ``find`` of it is (a department merged
    into the target; ``find`` of any other id is itself)."""

    def hits(text: Any) -> Iterator[str]:
        if isinstance(text, str):
            if text in targets:
                yield text
            else:
                found = find(text)
                if found in targets:
                    yield found

    for plan in plan_of(type(value)):
        field = getattr(value, plan.name)
        if field is None:
            continue
        if plan.ref is not None:
            items = field if isinstance(field, tuple) else (field,)
            for item in items:
                for target in hits(item):
                    yield target, plan.key
        if plan.key_ref is not None:
            for key in field:
                for target in hits(key):
                    yield target, plan.key
        spec = plan.spec.item if plan.spec.kind in ("tuple", "map") else plan.spec
        if spec is not None and spec.kind == "object" and attrs.has(spec.cls):
            nested = (
                field.values()
                if plan.spec.kind == "map"
                else (field if plan.spec.kind == "tuple" else (field,))
            )
            for item in nested:
                for target, inner in _names(item, targets, find):
                    yield target, f"{plan.key}.{inner}"


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
    checked with the baseline, and each change but an ``add_*`` keeps a
    valid scenario valid, so its result is known to be valid without
    validating it again; a variant that adds a role, department, body,
    system or platform (whose references may name what another variant
    adds), and a :class:`~cio_framework.model.WhatIf` from elsewhere, are
    validated on the result, in O((V + E) log V).

    Removing an element (``remove_role``, ``remove_department``,
    ``remove_body``, ``remove_system``, ``remove_platform``) is *refused*
    when any other element of the variant, all its changes applied, still
    names it: the :class:`~cio_framework.analysis.WhatIfError` (placed at
    the removal) lists those elements and fields, so no reference is left
    dangling and nothing else is removed behind the user's back. Removing
    an element and what names it may come in any order. One pass over the
    variant looks for such references, for all removals at once. ``appoint`` and ``vacate``
    set the role's ``holder`` and ``acting`` and drop its ``tenures``: the
    variant states the post as it is, at every date.

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
        working.position = position
        try:
            working.apply(change)
        except WhatIfError as err:
            raise WhatIfError(
                f"change {position + 1} ({change.kind}): {err.message}", found.id, position
            ) from None
    dangling = working.dangling()
    if dangling is not None:
        position, message = dangling
        kind = found.changes[position].kind
        raise WhatIfError(f"change {position + 1} ({kind}): {message}", found.id, position)
    result = working.result()
    if not working.adding and any(found is own for own in scenario.scenarios):
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
    findings_resolved, findings_added
        Governance check findings that go away or appear, each as
        ``check (ids)``, sorted: what appointing, vacating or adding a post
        changes.
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
    findings_resolved: tuple[str, ...] = attrs.field(converter=tuple_of, default=())
    findings_added: tuple[str, ...] = attrs.field(converter=tuple_of, default=())

    def indicator_changes(self) -> FrozenMap[str, tuple[Any, Any]]:
        """Indicators that changed, as ``name -> (before, after)``."""
        before, after = self.indicators_before.to_dict(), self.indicators_after.to_dict()
        return FrozenMap((k, (before[k], after[k])) for k in before if before[k] != after[k])

    def to_dict(self) -> dict[str, Any]:
        """The JSON document ``whatif``, printed by ``cio-framework whatif --format json``."""
        changes = self.indicator_changes().items()
        return document(
            "whatif",
            {
                "whatif": self.whatif,
                "indicators": {k: {"before": v[0], "after": v[1]} for k, v in changes},
                "islands_before": [list(i) for i in self.islands_before],
                "islands_after": [list(i) for i in self.islands_after],
                "barriers_resolved": list(self.barriers_resolved),
                "barriers_added": list(self.barriers_added),
                "priorities_before": list(self.priorities_before),
                "priorities_after": list(self.priorities_after),
                "findings_resolved": list(self.findings_resolved),
                "findings_added": list(self.findings_added),
            },
        )

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
    require_valid(baseline)  # both, before either is analysed
    require_valid(changed)
    before, after = landscape(baseline, top=5), landscape(changed, top=5)
    before_barriers = {b.demand for b in before.barriers.barriers}
    after_barriers = {b.demand for b in after.barriers.barriers}
    before_findings, after_findings = _finding_keys(baseline), _finding_keys(changed)
    return VariantComparison(
        whatif=whatif,
        indicators_before=before.indicators,
        indicators_after=after.indicators,
        islands_before=[g.systems for g in before.islands.islands],
        islands_after=[g.systems for g in after.islands.islands],
        barriers_resolved=sorted(before_barriers - after_barriers),
        barriers_added=sorted(after_barriers - before_barriers),
        priorities_before=[p.id for p in before.priorities.priorities],
        priorities_after=[p.id for p in after.priorities.priorities],
        findings_resolved=sorted(before_findings - after_findings),
        findings_added=sorted(after_findings - before_findings),
    )


def _finding_keys(scenario: Scenario) -> set[str]:
    """Each check finding as ``check (ids)``."""
    return {f"{f.check} ({', '.join(f.ids)})" for f in check(scenario).findings}
