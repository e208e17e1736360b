"""Jurisdictions: the governments a scenario describes, nested.

A scenario of format version 2 may list ``jurisdictions``: a province and
its prefecture cities and their districts, or the federal government, its
agencies and their bureaus. Each names its ``parent``. Departments, roles,
bodies, levels and platforms say which jurisdiction they belong to with
their own ``jurisdiction`` field; a role without one belongs to its
department's jurisdiction, a platform without one to its operator's. An
element that belongs to none is at the *scenario level*, above every
jurisdiction: a version-1 scenario has only that level.

Each jurisdiction may name its ``hub`` (the platform its systems should
reach), the body or role that decides integrations concerning several of
its departments (``decided_by``), and its own check settings (``checks``),
which apply to the findings about its elements and those of the
jurisdictions below it that do not set the check themselves.
"""

from __future__ import annotations

import attrs

from ._base import CheckSetting, Element, check_settings, checked, meta, own_fields_first
from ._frozenmap import FrozenMap

__all__ = ["Jurisdiction"]


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Jurisdiction(Element):
    """A government within the scenario: a province, a city, an agency.

    Examples
    --------
    >>> city = Jurisdiction(id="city-a", name="City A", kind="prefecture city",
    ...                     parent="province", hub="city-a-platform")
    >>> city.parent, city.hub
    ('province', 'city-a-platform')
    """

    id: str = attrs.field(
        validator=checked, metadata=meta(doc="Unique id of the jurisdiction.", is_id=True)
    )
    name: str = attrs.field(metadata=meta(doc="Display name."))
    local_name: str | None = attrs.field(
        default=None, metadata=meta(doc="Name in the local script.")
    )
    kind: str | None = attrs.field(
        default=None,
        metadata=meta(doc="Kind, in words: province, prefecture city, district, agency ..."),
    )
    parent: str | None = attrs.field(
        default=None,
        metadata=meta(doc="Id of the jurisdiction it lies within.", ref="jurisdictions"),
    )
    hub: str | None = attrs.field(
        default=None,
        metadata=meta(doc="Platform id its systems should reach.", ref="platforms"),
    )
    decided_by: str | None = attrs.field(
        default=None,
        metadata=meta(
            doc="Body or role id that decides integrations concerning several of its "
            "departments; by default its CIO committee, else its chief officer.",
            ref=("bodies", "roles"),
        ),
    )
    checks: FrozenMap[str, CheckSetting] = attrs.field(
        factory=FrozenMap,
        converter=check_settings,
        metadata=meta(doc="Check id to severity for findings in it (error, warning, info or off)."),
    )
