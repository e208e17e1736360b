"""The information landscape: platforms, systems, resources, exchanges,
demands and approval/supervision matters."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import Any

import attrs

from ._base import LOCAL, Element, checked, meta, number_text, own_fields_first, tuple_of
from ._frozenmap import FrozenMap
from .governance import Body, Department, Role

__all__ = [
    "ADDED_BY_CHANGE",
    "DEFAULT_WEIGHTS",
    "FACTORS",
    "LOCAL",
    "MAX_AMOUNT",
    "MAX_WEIGHT",
    "Appoint",
    "ApprovalStatus",
    "Change",
    "Demand",
    "Exchange",
    "ExchangeStatus",
    "Matter",
    "Mechanism",
    "MergeDepartments",
    "MoveSystem",
    "Platform",
    "PrioritySettings",
    "Resource",
    "ResourceCategory",
    "SetShare",
    "ShareType",
    "System",
    "SystemStatus",
    "WhatIf",
]


#: Largest weight accepted: a priority factor's, a demand's or a criterion's.
#: Weights are relative, so a million to one is more spread than any use
#: needs; the bound keeps every weighted sum far from float overflow.
MAX_WEIGHT = 1e6

#: Largest amount of cost units accepted: an estimated cost or a budget, and
#: a system's users and annual cost. It is 2**53 (about 9 x 10**15), the
#: largest number up to which every integer is also a float, so an integer
#: amount reads back as the same number whichever way it is written. A score
#: is at most a weight times a count or a sum of such amounts, so with
#: :data:`MAX_WEIGHT` it stays finite for any scenario that fits in memory.
MAX_AMOUNT = float(2**53)


class SystemStatus(enum.Enum):
    """Life-cycle state of an information system."""

    IN_USE = "in_use"
    PLANNED = "planned"
    RETIRED = "retired"


class ResourceCategory(enum.Enum):
    """Catalogue category of an information resource (2016 interim measures)."""

    BASE = "base"
    THEMATIC = "thematic"
    DEPARTMENTAL = "departmental"


class ShareType(enum.Enum):
    """Share type of a resource: unconditional, conditional or not shared."""

    UNCONDITIONAL = "unconditional"
    CONDITIONAL = "conditional"
    NONE = "none"


class ExchangeStatus(enum.Enum):
    """Whether a data exchange runs today or is planned."""

    LIVE = "live"
    PLANNED = "planned"


#: Read once: an enum member looked up on its class costs a Python-level
#: call, and ``live`` and ``in_use`` are asked of every exchange and system.
_LIVE = ExchangeStatus.LIVE
_IN_USE = SystemStatus.IN_USE


class ApprovalStatus(enum.Enum):
    """What became of a matter's approval: still required, cancelled, or
    turned into a filing."""

    REQUIRED = "required"
    CANCELLED = "cancelled"
    FILING = "filing"


class Mechanism(enum.Enum):
    """How data is exchanged."""

    INTERFACE = "interface"
    DATABASE = "database"
    FILE = "file"
    MANUAL = "manual"


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Platform(Element):
    """A shared platform: the government cloud data centre, an exchange hub.

    Examples
    --------
    >>> Platform(id="gov-cloud", name="Government cloud data centre").name
    'Government cloud data centre'
    """

    id: str = attrs.field(
        validator=checked,
        metadata=meta(doc="Unique id; not 'local'.", is_id=True, reserved=(LOCAL,)),
    )
    name: str = attrs.field(metadata=meta(doc="Display name."))
    operator: str | None = attrs.field(
        default=None, metadata=meta(doc="Department id that runs it.", ref="departments")
    )
    jurisdiction: str | None = attrs.field(
        default=None,
        metadata=meta(
            doc="Jurisdiction id; by default its operator's (format version 2).",
            ref="jurisdictions",
        ),
    )


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class System(Element):
    """A department's information system.

    Examples
    --------
    >>> s = System(id="epb-monitoring", name="Pollution monitoring", department="epb")
    >>> s.hosted_on, s.status.value
    ('local', 'in_use')
    """

    id: str = attrs.field(validator=checked, metadata=meta(doc="Unique id.", is_id=True))
    name: str = attrs.field(metadata=meta(doc="Display name."))
    department: str = attrs.field(
        metadata=meta(doc="Department id that owns it.", ref="departments")
    )
    hosted_on: str = attrs.field(
        default=LOCAL,
        metadata=meta(
            doc="Platform id it runs on, or 'local' for the department's own hosting.",
            ref="platforms",
            literals=(LOCAL,),
        ),
    )
    status: SystemStatus = attrs.field(
        default=SystemStatus.IN_USE, metadata=meta(doc="in_use, planned or retired.")
    )
    users: int | None = attrs.field(
        default=None,
        validator=checked,
        metadata=meta(doc="Number of users.", minimum=0, maximum=MAX_AMOUNT),
    )
    annual_cost: float | None = attrs.field(
        default=None,
        validator=checked,
        metadata=meta(
            doc="Annual running cost, in any one currency unit.", minimum=0, maximum=MAX_AMOUNT
        ),
    )

    @property
    def in_use(self) -> bool:
        """Whether the system runs today."""
        return self.status is _IN_USE


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Resource(Element):
    """A catalogue entry: an information resource a department holds.

    ``conditional`` and ``none`` share types need a ``legal_basis``
    (2016 interim measures on government information resource sharing).

    Examples
    --------
    >>> r = Resource(id="emissions", name="Emissions data", owner="epb",
    ...              share=ShareType.CONDITIONAL, legal_basis="Art. 9")
    >>> r.category.value, r.catalogued
    ('departmental', True)
    """

    id: str = attrs.field(validator=checked, metadata=meta(doc="Unique id.", is_id=True))
    name: str = attrs.field(metadata=meta(doc="Display name."))
    owner: str = attrs.field(metadata=meta(doc="Department id that owns it.", ref="departments"))
    held_in: str | None = attrs.field(
        default=None, metadata=meta(doc="System id that holds it.", ref="systems")
    )
    category: ResourceCategory = attrs.field(
        default=ResourceCategory.DEPARTMENTAL,
        metadata=meta(doc="base, thematic or departmental."),
    )
    share: ShareType = attrs.field(
        default=ShareType.UNCONDITIONAL,
        metadata=meta(doc="unconditional, conditional or none."),
    )
    legal_basis: str | None = attrs.field(
        default=None, metadata=meta(doc="Law or rule behind a conditional or none share type.")
    )
    open_to_public: bool = attrs.field(
        default=False, metadata=meta(doc="Whether it is open to the public.")
    )
    update_cycle: str | None = attrs.field(
        default=None, metadata=meta(doc="How often it is updated: daily, monthly ...")
    )
    catalogued: bool = attrs.field(
        default=True, metadata=meta(doc="Whether it is listed in the resource catalogue.")
    )


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Exchange(Element):
    """A data exchange between systems or platforms.

    ``via`` names the platform the exchange runs through; without it the
    exchange is point-to-point.

    Examples
    --------
    >>> e = Exchange(from_="epb-monitoring", to="gov-cloud", resources=["emissions"])
    >>> e.key, e.point_to_point
    ('epb-monitoring->gov-cloud', True)
    """

    id: str | None = attrs.field(
        default=None, validator=checked, metadata=meta(doc="Optional unique id.", is_id=True)
    )
    from_: str = attrs.field(
        metadata=meta(
            doc="System or platform id data comes from.", key="from", ref=("systems", "platforms")
        )
    )
    to: str = attrs.field(
        metadata=meta(doc="System or platform id data goes to.", ref=("systems", "platforms"))
    )
    resources: tuple[str, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(doc="Resource ids carried.", ref="resources"),
    )
    via: str | None = attrs.field(
        default=None,
        metadata=meta(
            doc="Platform id it runs through; leave out for point-to-point.", ref="platforms"
        ),
    )
    status: ExchangeStatus = attrs.field(
        default=ExchangeStatus.LIVE, metadata=meta(doc="live or planned.")
    )
    mechanism: Mechanism = attrs.field(
        default=Mechanism.INTERFACE,
        metadata=meta(doc="interface, database, file or manual."),
    )

    @property
    def key(self) -> str:
        """The id, or ``from->to`` when the exchange has none."""
        return self.id or f"{self.from_}->{self.to}"

    @property
    def point_to_point(self) -> bool:
        """Whether the exchange runs without a platform in between."""
        return self.via is None

    @property
    def live(self) -> bool:
        """Whether the exchange runs today."""
        return self.status is _LIVE


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Demand(Element):
    """A department's need for a resource another department holds.

    Examples
    --------
    >>> Demand(by="msb", resource="emissions", purpose="joint credit punishment").weight
    1.0
    """

    id: str | None = attrs.field(
        default=None, validator=checked, metadata=meta(doc="Optional unique id.", is_id=True)
    )
    by: str = attrs.field(metadata=meta(doc="Department id that needs it.", ref="departments"))
    resource: str = attrs.field(metadata=meta(doc="Resource id needed.", ref="resources"))
    purpose: str | None = attrs.field(default=None, metadata=meta(doc="What it is needed for."))
    weight: float = attrs.field(
        default=1.0,
        validator=checked,
        metadata=meta(
            doc=f"Relative importance (0 to {MAX_WEIGHT:g}).", minimum=0, maximum=MAX_WEIGHT
        ),
    )
    agreement: bool = attrs.field(
        default=False,
        metadata=meta(doc="Whether a sharing agreement covers a conditional resource."),
    )

    @property
    def key(self) -> str:
        """The id, or ``by:resource`` when the demand has none."""
        return self.id or f"{self.by}:{self.resource}"


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Matter(Element):
    """An approval item and its supervision: "who approves, supervises; who
    is in charge, supervises" (article ¶31).

    Supervision needs data: the approval or registration records of the
    item, or whatever resources the supervising department needs. While an
    approval is required the approving department records the item. Once it
    is turned into a filing (``approval: filing``) the filings go to
    ``registered_by`` (the approving department when that is left out); once
    it is cancelled (``approval: cancelled``) only a registration, if any
    (``registered_by``), records it. That department is the matter's
    :attr:`recorded_by`.

    ``supervision_data`` lists the resources the supervising department
    needs; ``needs``, the key's former name, is still read and counts the
    same. Without either, the approval or registration records kept by
    :attr:`recorded_by` are the supervision data. Whether the data reaches
    the supervising department is what
    :func:`~cio_framework.analysis.fault_zones` works out.

    Examples
    --------
    >>> m = Matter(id="m", name="Permit", approved_by="msb", supervised_by="epb")
    >>> m.approval.value, m.recorded_by, m.supervision_resources
    ('required', 'msb', ())
    >>> filed = Matter(id="f", name="Venue permit", approved_by="culture", supervised_by="msb",
    ...                approval=ApprovalStatus.FILING, supervision_data=["registry"],
    ...                needs=["venues", "registry"])
    >>> filed.recorded_by, filed.supervision_resources
    ('culture', ('registry', 'venues'))
    >>> Matter(id="c", name="Cancelled", approved_by="culture", supervised_by="msb",
    ...        approval=ApprovalStatus.CANCELLED).recorded_by is None
    True
    """

    id: str = attrs.field(validator=checked, metadata=meta(doc="Unique id.", is_id=True))
    name: str = attrs.field(metadata=meta(doc="Display name."))
    approved_by: str = attrs.field(
        metadata=meta(
            doc="Department id that approves, or approved before the approval was cancelled "
            "or turned into a filing.",
            ref="departments",
        )
    )
    supervised_by: str = attrs.field(
        metadata=meta(doc="Department id that supervises.", ref="departments")
    )
    approval: ApprovalStatus = attrs.field(
        default=ApprovalStatus.REQUIRED,
        metadata=meta(doc="required, cancelled or filing (the approval turned into a filing)."),
    )
    registered_by: str | None = attrs.field(
        default=None,
        metadata=meta(
            doc="Department id that receives the filings or registrations once the approval "
            "is cancelled or turned into a filing; for a filing, the approving department "
            "by default.",
            ref="departments",
        ),
    )
    supervision_data: tuple[str, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(
            doc="Resource ids the supervising department needs; by default the approval or "
            "registration records of the department that records the matter.",
            ref="resources",
        ),
    )
    needs: tuple[str, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(
            doc="Former name of supervision_data, still read: resource ids that count as "
            "supervision data.",
            ref="resources",
        ),
    )

    @property
    def supervision_resources(self) -> tuple[str, ...]:
        """The resource ids of ``supervision_data`` then ``needs``, each once."""
        if not self.needs:
            return tuple(dict.fromkeys(self.supervision_data))
        return tuple(dict.fromkeys(self.supervision_data + self.needs))

    @property
    def recorded_by(self) -> str | None:
        """The department whose records of the matter are its supervision data
        when it lists none: the approving department while approval is
        required; ``registered_by`` (by default the approving department) for
        a filing; ``registered_by`` once the approval is cancelled, ``None``
        when nobody registers it."""
        if self.approval is ApprovalStatus.REQUIRED:
            return self.approved_by
        if self.approval is ApprovalStatus.FILING:
            return self.registered_by or self.approved_by
        return self.registered_by


def _check_factor(name: str) -> None:
    if name not in FACTORS:
        raise ValueError(f"unknown priority factor {name!r}; known: {', '.join(FACTORS)}")


#: Factors of an integration candidate's score, in report order. ``cost`` is
#: subtracted; the others add.
FACTORS: tuple[str, ...] = (
    "islands_merged",
    "systems_reached",
    "departments_reached",
    "demand_weight_met",
    "fault_zones_closed",
    "base_resources_freed",
    "exchanges_rerouted",
    "cost",
)

#: Default weight of each factor.
DEFAULT_WEIGHTS: dict[str, float] = {
    "islands_merged": 3.0,
    "systems_reached": 1.0,
    "departments_reached": 2.0,
    "demand_weight_met": 4.0,
    "fault_zones_closed": 5.0,
    "base_resources_freed": 2.0,
    "exchanges_rerouted": 1.0,
    "cost": 1.0,
}


def _check_weight(weight: float) -> None:
    if isinstance(weight, bool) or not isinstance(weight, (int, float)):
        raise TypeError(f"a weight must be a number, not {weight!r}")
    if (isinstance(weight, float) and not math.isfinite(weight)) or weight < 0:
        raise ValueError(
            f"a weight must be a finite number of 0 or more, not {number_text(weight)} "
            "(negative weights would break the roadmap's diminishing returns)"
        )
    if weight > MAX_WEIGHT:
        raise ValueError(
            f"a weight must be at most {MAX_WEIGHT:g}, not {number_text(weight)} "
            "(weights are relative: scale them all down)"
        )


def _weights(value: Mapping[str, float]) -> FrozenMap[str, float]:
    for name, weight in value.items():
        _check_factor(name)
        _check_weight(weight)
    return FrozenMap(value)


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class PrioritySettings(Element):
    """How integration candidates are scored and costed.

    Examples
    --------
    >>> s = PrioritySettings(weights={"cost": 2})
    >>> s.weight("cost"), s.weight("islands_merged")
    (2, 3.0)
    """

    weights: FrozenMap[str, float] = attrs.field(
        factory=FrozenMap,
        converter=_weights,
        metadata=meta(
            doc=f"Factor name to weight (0 to {MAX_WEIGHT:g}); factors left out keep their "
            "default weight.",
            key_check=_check_factor,
            check=_check_weight,
            minimum=0,
            maximum=MAX_WEIGHT,
        ),
    )
    hub: str | None = attrs.field(
        default=None,
        metadata=meta(
            doc="Platform id integrations connect to; by default the platform whose "
            "group has the most systems (then the most platforms; then the least id).",
            ref="platforms",
        ),
    )
    connection_cost: float = attrs.field(
        default=1.0,
        validator=checked,
        metadata=meta(
            doc="Estimated cost of connecting one group of systems to the hub.",
            minimum=0,
            maximum=MAX_AMOUNT,
        ),
    )
    reroute_cost: float = attrs.field(
        default=0.5,
        validator=checked,
        metadata=meta(
            doc="Estimated cost of moving a point-to-point exchange onto the hub.",
            minimum=0,
            maximum=MAX_AMOUNT,
        ),
    )
    agreement_cost: float = attrs.field(
        default=0.5,
        validator=checked,
        metadata=meta(
            doc="Estimated cost of concluding a sharing agreement.", minimum=0, maximum=MAX_AMOUNT
        ),
    )
    catalogue_cost: float = attrs.field(
        default=0.25,
        validator=checked,
        metadata=meta(
            doc="Estimated cost of cataloguing a resource.", minimum=0, maximum=MAX_AMOUNT
        ),
    )
    budget: float | None = attrs.field(
        default=None,
        validator=checked,
        metadata=meta(
            doc="Default budget for the roadmap, in cost units.", minimum=0, maximum=MAX_AMOUNT
        ),
    )

    def weight(self, factor: str) -> float:
        """The weight of ``factor``: the configured one or its default."""
        return self.weights.get(factor, DEFAULT_WEIGHTS[factor])


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class MoveSystem(Element):
    """What-if change: host a system on a platform (or locally)."""

    system: str = attrs.field(metadata=meta(doc="System id.", ref="systems"))
    to: str = attrs.field(
        metadata=meta(doc="Platform id, or 'local'.", ref="platforms", literals=(LOCAL,))
    )
    connect: bool = attrs.field(
        default=True,
        metadata=meta(doc="Also add a live exchange between the system and the platform."),
    )


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class SetShare(Element):
    """What-if change: give a resource another share type."""

    resource: str = attrs.field(metadata=meta(doc="Resource id.", ref="resources"))
    share: ShareType = attrs.field(metadata=meta(doc="unconditional, conditional or none."))
    legal_basis: str | None = attrs.field(
        default=None, metadata=meta(doc="Legal basis for conditional or none.")
    )


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class MergeDepartments(Element):
    """What-if change: merge departments into one."""

    into: str = attrs.field(metadata=meta(doc="Department id that remains.", ref="departments"))
    departments: tuple[str, ...] = attrs.field(
        converter=tuple_of,
        metadata=meta(doc="Department ids merged into it.", ref="departments"),
    )


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Appoint(Element):
    """What-if change: appoint a person to a role (as its holder now)."""

    role: str = attrs.field(metadata=meta(doc="Role id.", ref="roles"))
    person: str = attrs.field(metadata=meta(doc="Person id of the new holder.", ref="people"))
    acting: bool = attrs.field(
        default=False, metadata=meta(doc="Whether the person only acts in the post.")
    )


_CHANGE_KINDS = (
    "add_exchange",
    "remove_exchange",
    "move_system",
    "set_share",
    "retire_system",
    "merge_departments",
    "appoint",
    "vacate",
    "add_role",
    "remove_role",
    "add_department",
    "remove_department",
    "add_body",
    "remove_body",
    "add_system",
    "remove_system",
    "add_platform",
    "remove_platform",
)

#: The what-if changes that add an element, with the collection it joins.
ADDED_BY_CHANGE = {
    "add_exchange": "exchanges",
    "add_role": "roles",
    "add_department": "departments",
    "add_body": "bodies",
    "add_system": "systems",
    "add_platform": "platforms",
}


@attrs.frozen(kw_only=True)
class Change:
    """One what-if change; exactly one of its keys is set.

    Examples
    --------
    >>> Change(retire_system="old-crm").kind
    'retire_system'
    >>> Change()
    Traceback (most recent call last):
    ...
    ValueError: a change needs exactly one of add_exchange, remove_exchange, move_system, set_share, retire_system, merge_departments, appoint, vacate, add_role, remove_role, add_department, remove_department, add_body, remove_body, add_system, remove_system, add_platform, remove_platform
    """

    add_exchange: Exchange | None = attrs.field(
        default=None, metadata=meta(doc="An exchange to add.")
    )
    remove_exchange: str | None = attrs.field(
        default=None, metadata=meta(doc="Exchange id to remove.", ref="exchanges")
    )
    move_system: MoveSystem | None = attrs.field(
        default=None, metadata=meta(doc="A system to host elsewhere.")
    )
    set_share: SetShare | None = attrs.field(
        default=None, metadata=meta(doc="A resource's new share type.")
    )
    retire_system: str | None = attrs.field(
        default=None, metadata=meta(doc="System id to retire.", ref="systems")
    )
    merge_departments: MergeDepartments | None = attrs.field(
        default=None, metadata=meta(doc="Departments to merge.")
    )
    appoint: Appoint | None = attrs.field(
        default=None, metadata=meta(doc="A person to appoint to a role: role, person, acting.")
    )
    vacate: str | None = attrs.field(
        default=None, metadata=meta(doc="Role id to leave vacant.", ref="roles")
    )
    add_role: Role | None = attrs.field(default=None, metadata=meta(doc="A role to add."))
    remove_role: str | None = attrs.field(
        default=None,
        metadata=meta(doc="Role id to remove; refused while other elements name it.", ref="roles"),
    )
    add_department: Department | None = attrs.field(
        default=None, metadata=meta(doc="A department to add.")
    )
    remove_department: str | None = attrs.field(
        default=None,
        metadata=meta(
            doc="Department id to remove; refused while other elements name it.",
            ref="departments",
        ),
    )
    add_body: Body | None = attrs.field(default=None, metadata=meta(doc="A body to add."))
    remove_body: str | None = attrs.field(
        default=None,
        metadata=meta(doc="Body id to remove; refused while other elements name it.", ref="bodies"),
    )
    add_system: System | None = attrs.field(default=None, metadata=meta(doc="A system to add."))
    remove_system: str | None = attrs.field(
        default=None,
        metadata=meta(
            doc="System id to remove; refused while other elements name it.", ref="systems"
        ),
    )
    add_platform: Platform | None = attrs.field(
        default=None, metadata=meta(doc="A platform to add.")
    )
    remove_platform: str | None = attrs.field(
        default=None,
        metadata=meta(
            doc="Platform id to remove; refused while other elements name it.", ref="platforms"
        ),
    )

    def __attrs_post_init__(self) -> None:
        if sum(getattr(self, kind) is not None for kind in _CHANGE_KINDS) != 1:
            raise ValueError("a change needs exactly one of " + ", ".join(_CHANGE_KINDS))

    @property
    def kind(self) -> str:
        """The name of the change's one key, such as ``retire_system``."""
        return next(kind for kind in _CHANGE_KINDS if getattr(self, kind) is not None)

    @property
    def value(self) -> Any:
        """The change's payload."""
        return getattr(self, self.kind)


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class WhatIf(Element):
    """A named what-if variant: changes applied on top of the scenario.

    Examples
    --------
    >>> w = WhatIf(id="retire-crm", changes=[Change(retire_system="crm")])
    >>> w.changes[0].kind
    'retire_system'
    """

    id: str = attrs.field(validator=checked, metadata=meta(doc="Unique id.", is_id=True))
    name: str | None = attrs.field(default=None, metadata=meta(doc="Display name."))
    description: str | None = attrs.field(default=None, metadata=meta(doc="What it explores."))
    changes: tuple[Change, ...] = attrs.field(
        factory=tuple, converter=tuple_of, metadata=meta(doc="Changes, applied in order.")
    )
