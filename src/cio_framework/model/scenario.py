"""The :class:`Scenario`: everything a jurisdiction's CIO system consists of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar, overload

import attrs

from .._html import records_html
from ._base import (
    CheckSetting,
    Element,
    check_settings,
    checked,
    extension_map,
    meta,
    own_fields_first,
    tuple_of,
)
from ._frozenmap import FrozenMap
from .governance import (
    DEFAULT_LEVELS,
    Appraisal,
    Body,
    Department,
    Level,
    Meeting,
    PerformanceElement,
    Person,
    Responsibility,
    Role,
    Scorecard,
)
from .jurisdictions import Jurisdiction
from .landscape import (
    Demand,
    Exchange,
    Matter,
    Platform,
    PrioritySettings,
    Resource,
    System,
    WhatIf,
)
from .selection import Candidate, Criterion
from .sources import Source

__all__ = [
    "COLLECTIONS",
    "FORMAT_VERSION",
    "READ_VERSIONS",
    "CheckSetting",
    "Note",
    "Scenario",
]

_E = TypeVar("_E", bound=Element)

#: The scenario format version this library writes.
FORMAT_VERSION = 2

#: The format versions this library reads. Version 2 adds ``jurisdictions``
#: and the ``jurisdiction`` field of departments, roles, bodies, levels and
#: platforms; a version-1 scenario is a version-2 one without them.
READ_VERSIONS = (1, 2)


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Note(Element):
    """A scenario-level remark, such as a discrepancy between sources.

    Examples
    --------
    >>> Note(id="n1", text="Sources disagree.").text
    'Sources disagree.'
    """

    id: str = attrs.field(
        validator=checked, metadata=meta(doc="Unique id of the note.", is_id=True)
    )
    text: str = attrs.field(metadata=meta(doc="The remark."))


#: Collections of a scenario that hold elements, with their element class,
#: in the order they are written.
COLLECTIONS: dict[str, type[Element]] = {
    "sources": Source,
    "jurisdictions": Jurisdiction,
    "levels": Level,
    "people": Person,
    "departments": Department,
    "roles": Role,
    "bodies": Body,
    "responsibilities": Responsibility,
    "criteria": Criterion,
    "candidates": Candidate,
    "meetings": Meeting,
    "appraisals": Appraisal,
    "performance_elements": PerformanceElement,
    "scorecards": Scorecard,
    "platforms": Platform,
    "systems": System,
    "resources": Resource,
    "exchanges": Exchange,
    "demands": Demand,
    "matters": Matter,
    "scenarios": WhatIf,
    "notes": Note,
}


def _levels(value: Any) -> tuple[Level, ...]:
    result = tuple_of(value)
    return result if result else DEFAULT_LEVELS


@attrs.frozen(kw_only=True, cache_hash=True, repr=False)
class Scenario:
    """A whole CIO system: governance structure, selection and meetings.

    Build one in Python, or load it from YAML with :func:`cio_framework.load`.
    Collections are tuples; ids are unique across the whole scenario.

    Examples
    --------
    >>> from cio_framework.model import Department, Role, RoleKind
    >>> s = Scenario(
    ...     name="Tiny",
    ...     departments=[Department(id="epb", name="Environmental Protection Bureau",
    ...                             pilot=True)],
    ...     roles=[Role(id="epb-cio", title="Departmental CIO", level="support",
    ...                 kind=RoleKind.DEPARTMENTAL_CIO, department="epb")],
    ... )
    >>> [level.id for level in s.levels]
    ['strategic', 'executive', 'support', 'advisory']
    >>> s.get("epb-cio").title
    'Departmental CIO'
    """

    format_version: int = attrs.field(
        default=FORMAT_VERSION,
        metadata=meta(doc="Format version: 2, or 1 without jurisdictions.", key="cio_framework"),
    )
    name: str = attrs.field(metadata=meta(doc="Name of the scenario."))
    description: str | None = attrs.field(
        default=None, metadata=meta(doc="What the scenario describes.")
    )
    jurisdiction: str | None = attrs.field(
        default=None, metadata=meta(doc="The government it describes.")
    )
    as_of: dt.date | None = attrs.field(
        default=None, metadata=meta(doc="Date the scenario describes.")
    )
    source: str | None = attrs.field(
        default=None, metadata=meta(doc="Main source of the scenario.", cites="sources")
    )
    sources: tuple[Source, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(doc="Documents the facts come from, cited by id in each 'source'."),
    )
    jurisdictions: tuple[Jurisdiction, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(doc="Nested governments: province, cities, districts (version 2)."),
    )
    levels: tuple[Level, ...] = attrs.field(
        default=DEFAULT_LEVELS,
        converter=_levels,
        metadata=meta(doc="Governance levels, top down; defaults to Pudong's four."),
    )
    people: tuple[Person, ...] = attrs.field(
        factory=tuple, converter=tuple_of, metadata=meta(doc="People.")
    )
    departments: tuple[Department, ...] = attrs.field(
        factory=tuple, converter=tuple_of, metadata=meta(doc="Departments.")
    )
    roles: tuple[Role, ...] = attrs.field(
        factory=tuple, converter=tuple_of, metadata=meta(doc="Roles (posts).")
    )
    bodies: tuple[Body, ...] = attrs.field(
        factory=tuple, converter=tuple_of, metadata=meta(doc="Committees and other bodies.")
    )
    responsibilities: tuple[Responsibility, ...] = attrs.field(
        factory=tuple, converter=tuple_of, metadata=meta(doc="Responsibilities with RACI.")
    )
    criteria: tuple[Criterion, ...] = attrs.field(
        factory=tuple, converter=tuple_of, metadata=meta(doc="Selection criteria.")
    )
    candidates: tuple[Candidate, ...] = attrs.field(
        factory=tuple, converter=tuple_of, metadata=meta(doc="Candidates for roles.")
    )
    meetings: tuple[Meeting, ...] = attrs.field(
        factory=tuple, converter=tuple_of, metadata=meta(doc="Meetings held.")
    )
    appraisals: tuple[Appraisal, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(doc="Performance appraisal of departments."),
    )
    performance_elements: tuple[PerformanceElement, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(doc="Critical elements of role holders' own performance evaluations."),
    )
    scorecards: tuple[Scorecard, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(doc="External scorecards grading organisations."),
    )
    platforms: tuple[Platform, ...] = attrs.field(
        factory=tuple, converter=tuple_of, metadata=meta(doc="Shared platforms.")
    )
    systems: tuple[System, ...] = attrs.field(
        factory=tuple, converter=tuple_of, metadata=meta(doc="Information systems.")
    )
    resources: tuple[Resource, ...] = attrs.field(
        factory=tuple, converter=tuple_of, metadata=meta(doc="Information resources (catalogue).")
    )
    exchanges: tuple[Exchange, ...] = attrs.field(
        factory=tuple, converter=tuple_of, metadata=meta(doc="Data exchanges.")
    )
    demands: tuple[Demand, ...] = attrs.field(
        factory=tuple, converter=tuple_of, metadata=meta(doc="Departments' demands for resources.")
    )
    matters: tuple[Matter, ...] = attrs.field(
        factory=tuple, converter=tuple_of, metadata=meta(doc="Approval and supervision matters.")
    )
    scenarios: tuple[WhatIf, ...] = attrs.field(
        factory=tuple, converter=tuple_of, metadata=meta(doc="What-if variants.")
    )
    priorities: PrioritySettings = attrs.field(
        factory=PrioritySettings,
        metadata=meta(doc="How integration priorities are scored and costed."),
    )
    notes: tuple[Note, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(doc="Scenario-level notes and discrepancies."),
    )
    checks: FrozenMap[str, CheckSetting] = attrs.field(
        factory=FrozenMap,
        converter=check_settings,
        metadata=meta(doc="Check id to severity override (error, warning, info or off)."),
    )
    extensions: FrozenMap[str, Any] = attrs.field(
        factory=FrozenMap,
        converter=extension_map,
        metadata=meta(doc="Extension data under keys that start with 'x-'."),
    )

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{name}={len(getattr(self, name))}"
            for name in COLLECTIONS
            if name != "levels" and getattr(self, name)
        )
        return f"<Scenario {self.name!r}{': ' + counts if counts else ''}>"

    def _repr_html_(self) -> str:
        """A small HTML table: name, jurisdiction, date and each collection's size.

        Examples
        --------
        >>> print(Scenario(name="<Tiny>")._repr_html_())  # doctest: +NORMALIZE_WHITESPACE
        <table><thead><tr><th></th><th>value</th></tr></thead><tbody><tr><td>name</td><td>&lt;Tiny&gt;</td></tr><tr><td>levels</td><td>4</td></tr></tbody></table>
        """
        rows: list[dict[str, Any]] = [{"": "name", "value": self.name}]
        if self.jurisdiction:
            rows.append({"": "jurisdiction", "value": self.jurisdiction})
        if self.as_of:
            rows.append({"": "as of", "value": self.as_of.isoformat()})
        for name in COLLECTIONS:
            count = len(getattr(self, name))
            if count:
                rows.append({"": name, "value": count})
        return records_html(rows, ["", "value"], "")

    def __attrs_post_init__(self) -> None:
        version = self.format_version
        if type(version) is not int or version not in READ_VERSIONS:  # not True, not "2"
            raise ValueError(
                f"unsupported format version {version!r}; "
                f"this library reads versions {READ_VERSIONS[0]} to {READ_VERSIONS[-1]}"
            )

    def elements(self) -> Iterator[tuple[str, Element]]:
        """Yield ``(collection name, element)`` for every element, in order."""
        for name in COLLECTIONS:
            for element in getattr(self, name):
                yield name, element

    @overload
    def get(self, id: str) -> Any: ...

    @overload
    def get(self, id: str, kind: type[_E]) -> _E | None: ...

    def get(self, id: str, kind: type[Element] | None = None) -> Any:
        """The element with ``id``, or ``None``. Linear time.

        Parameters
        ----------
        id
            The id to look up.
        kind
            An element class such as :class:`~cio_framework.model.System`:
            then only elements of that class are returned (``None`` when
            the id is another kind of element's), and a type checker knows
            the result is ``System | None``. Without it the result is typed
            ``Any``, as it always was.

        Examples
        --------
        >>> Scenario(name="Empty").get("strategic").name
        'Strategic decision-making'
        >>> Scenario(name="Empty").get("strategic", Level).name
        'Strategic decision-making'
        >>> print(Scenario(name="Empty").get("strategic", Department))
        None
        """
        if kind is None:
            collections: Iterable[str] = COLLECTIONS
        else:
            collections = [n for n, c in COLLECTIONS.items() if issubclass(c, kind)]
        for name in collections:
            for element in getattr(self, name):
                if getattr(element, "id", None) == id:
                    return element
        return None

    def level_ids(self) -> tuple[str, ...]:
        """Level ids, top down."""
        return tuple(level.id for level in self.levels)
