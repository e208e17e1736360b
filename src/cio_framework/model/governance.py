"""Governance structure: levels, people, departments, roles, bodies,
responsibilities (RACI) and their delegation, meetings, and the three kinds
of performance assessment: a department's appraisal, a critical element of
one person's evaluation, and an external scorecard."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping

import attrs

from ._base import Element, checked, meta, own_fields_first, tuple_of
from ._frozenmap import FrozenMap

__all__ = [
    "DEFAULT_LEVELS",
    "KIND_MEANING",
    "OFFICER_FUNCTIONS",
    "RACI_LETTERS",
    "Appraisal",
    "Background",
    "Body",
    "BodyKind",
    "Delegation",
    "Department",
    "IssueRange",
    "Level",
    "Meeting",
    "PerformanceElement",
    "Person",
    "PostRank",
    "Responsibility",
    "Role",
    "RoleFunction",
    "RoleGrade",
    "RoleKind",
    "RoleScope",
    "Scorecard",
    "Tenure",
]

#: Most major issues a meeting may be given to discuss (a bound, so that
#: every number of a scenario is far from overflow).
MAX_ISSUES = 1_000_000

#: The letters of a RACI assignment, in canonical order.
RACI_LETTERS = "RACI"


class Background(enum.Enum):
    """A person's professional background."""

    BUSINESS = "business"
    TECHNICAL = "technical"
    BOTH = "both"


class RoleKind(enum.Enum):
    """What kind of post a role is, in Pudong's words (format version 1).

    New scenarios say what a post does and what it answers for with a
    role's ``function`` and ``scope``; ``kind`` stands for both when they
    are left out (``KIND_MEANING``).
    """

    DISTRICT_CIO = "district_cio"
    CIO_OFFICE = "cio_office"
    DEPARTMENTAL_CIO = "departmental_cio"
    SUPPORT_TEAM = "support_team"
    ADVISOR = "advisor"
    LEADER = "leader"
    OTHER = "other"


class RoleFunction(enum.Enum):
    """What a post does, whatever its scope: a US agency CIO and a Chinese
    district CIO are both ``cio``; a city's chief data officer is ``cdo``."""

    CIO = "cio"
    CDO = "cdo"
    CDIO = "cdio"
    CISO = "ciso"
    OFFICE = "office"
    SUPPORT = "support"
    ADVISOR = "advisor"
    LEADER = "leader"
    HEAD = "head"
    OTHER = "other"


#: The functions of chief officers: the posts accountable for integrations.
OFFICER_FUNCTIONS = frozenset(
    {RoleFunction.CIO, RoleFunction.CDO, RoleFunction.CDIO, RoleFunction.CISO}
)


class RoleScope(enum.Enum):
    """What a post answers for: a whole jurisdiction (a district, a city, a
    federal agency as a whole), one department, or a unit within one (a
    bureau of an agency)."""

    JURISDICTION = "jurisdiction"
    DEPARTMENT = "department"
    UNIT = "unit"


class RoleGrade(enum.Enum):
    """The holder's standing in the post: the principal, a deputy, or an
    executive officer who runs it day to day for the principal."""

    PRINCIPAL = "principal"
    DEPUTY = "deputy"
    EXECUTIVE = "executive"


#: What each version-1 ``kind`` says of a role's function and scope.
KIND_MEANING: dict[RoleKind, tuple[RoleFunction, RoleScope | None]] = {
    RoleKind.DISTRICT_CIO: (RoleFunction.CIO, RoleScope.JURISDICTION),
    RoleKind.CIO_OFFICE: (RoleFunction.OFFICE, RoleScope.JURISDICTION),
    RoleKind.DEPARTMENTAL_CIO: (RoleFunction.CIO, RoleScope.DEPARTMENT),
    RoleKind.SUPPORT_TEAM: (RoleFunction.SUPPORT, RoleScope.DEPARTMENT),
    RoleKind.ADVISOR: (RoleFunction.ADVISOR, RoleScope.JURISDICTION),
    RoleKind.LEADER: (RoleFunction.LEADER, RoleScope.JURISDICTION),
    RoleKind.OTHER: (RoleFunction.OTHER, None),
}


class PostRank(enum.Enum):
    """Rank of the post a role holder occupies concurrently."""

    HEAD = "head"
    DEPUTY = "deputy"
    STAFF = "staff"


class BodyKind(enum.Enum):
    """What kind of collective body."""

    CIO_COMMITTEE = "cio_committee"
    EXPERT_ADVISORY = "expert_advisory"
    REGULAR_MEETING = "regular_meeting"
    OTHER = "other"


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Level(Element):
    """A governance level; a scenario lists its levels from the top down.

    Examples
    --------
    >>> Level(id="strategic", name="Strategic decision-making").name
    'Strategic decision-making'
    """

    id: str = attrs.field(
        validator=checked, metadata=meta(doc="Unique id of the level.", is_id=True)
    )
    name: str = attrs.field(metadata=meta(doc="Display name."))
    description: str | None = attrs.field(default=None, metadata=meta(doc="What this level does."))
    jurisdiction: str | None = attrs.field(
        default=None,
        metadata=meta(doc="Jurisdiction id it belongs to (format version 2).", ref="jurisdictions"),
    )


#: The four levels of the Pudong CIO system (article ¶10-11), top down.
DEFAULT_LEVELS: tuple[Level, ...] = (
    Level(
        id="strategic",
        name="Strategic decision-making",
        description="The district-level CIO, served by a district-level leader.",
        source="article ¶10-11",
    ),
    Level(
        id="executive",
        name="Management implementation",
        description="The office of the district CIO, assisting the district CIO in daily work.",
        source="article ¶10-11",
    ),
    Level(
        id="support",
        name="Functional-department support",
        description="Departmental CIOs, held concurrently by the leaders in charge of "
        "informatization, with designated support staff or teams.",
        source="article ¶10-11",
    ),
    Level(
        id="advisory",
        name="Deliberation and consultation",
        description="The CIO Committee (joint deliberation and coordination) and the "
        "Expert Advisory Committee (decision consulting).",
        source="article ¶10-11",
    ),
)


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Person(Element):
    """A person who holds, or is considered for, a role.

    A person may be left unnamed (``name=None``) when the source says the
    post is filled but does not name the holder.

    Examples
    --------
    >>> Person(id="min-qingfeng", name="Min Qingfeng", local_name="闵庆丰").local_name
    '闵庆丰'
    """

    id: str = attrs.field(
        validator=checked, metadata=meta(doc="Unique id of the person.", is_id=True)
    )
    name: str | None = attrs.field(
        default=None, metadata=meta(doc="Name; leave out when the source does not give it.")
    )
    local_name: str | None = attrs.field(
        default=None, metadata=meta(doc="Name in the local script.")
    )
    position: str | None = attrs.field(
        default=None, metadata=meta(doc="Substantive position held.")
    )
    organisation: str | None = attrs.field(
        default=None, metadata=meta(doc="Employer when outside government.")
    )
    background: Background | None = attrs.field(
        default=None, metadata=meta(doc="Professional background: business, technical or both.")
    )

    @property
    def display_name(self) -> str:
        """The name, or ``(unnamed: <id>)`` when the name is not known."""
        return self.name or self.local_name or f"(unnamed: {self.id})"


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Department(Element):
    """A government department (commission, bureau, office ...), or another
    organisation of the CIO system: a data administration that coordinates
    other departments (``coordinates``), the organisation department that
    appoints officers, a state-owned company that runs a platform. ``kind``
    says which, in words.

    Examples
    --------
    >>> Department(id="epb", name="Environmental Protection Bureau", pilot=True).pilot
    True
    """

    id: str = attrs.field(
        validator=checked, metadata=meta(doc="Unique id of the department.", is_id=True)
    )
    name: str = attrs.field(metadata=meta(doc="Display name."))
    local_name: str | None = attrs.field(
        default=None, metadata=meta(doc="Name in the local script.")
    )
    kind: str | None = attrs.field(
        default=None, metadata=meta(doc="Kind: commission, bureau, office, agency ...")
    )
    parent: str | None = attrs.field(
        default=None, metadata=meta(doc="Parent department id.", ref="departments")
    )
    jurisdiction: str | None = attrs.field(
        default=None,
        metadata=meta(doc="Jurisdiction id it belongs to (format version 2).", ref="jurisdictions"),
    )
    pilot: bool = attrs.field(
        default=False, metadata=meta(doc="Whether the department is a CIO pilot unit.")
    )
    coordinates: tuple[str, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(
            doc="Department ids whose data work it coordinates (a data administration).",
            ref="departments",
        ),
    )


@attrs.frozen(kw_only=True)
class Tenure:
    """One person's time in a role: from ``start`` up to, not including, ``end``.

    ``end`` is *exclusive*: the tenure covers every date ``d`` with
    ``start <= d < end``, so a successor's ``start`` may equal the
    predecessor's ``end`` without the two overlapping. A missing ``start``
    means since before anything the scenario records; a missing ``end``
    means the holder is still in post. ``start`` must come before ``end``
    (a tenure that covers no day says nothing). ``acting`` marks an acting
    appointment: the holder acts in the post without being appointed to it.

    Examples
    --------
    >>> import datetime as dt
    >>> t = Tenure(holder="min-qingfeng", start=dt.date(2016, 5, 16), end=dt.date(2018, 1, 1))
    >>> t.covers(dt.date(2017, 12, 31)), t.covers(dt.date(2018, 1, 1))
    (True, False)
    >>> Tenure(holder="a", start=dt.date(2018, 1, 1), end=dt.date(2016, 1, 1))
    Traceback (most recent call last):
    ...
    ValueError: a tenure's start 2018-01-01 must come before its end 2016-01-01 (end is exclusive)
    """

    holder: str = attrs.field(metadata=meta(doc="Person id of the holder.", ref="people"))
    start: dt.date | None = attrs.field(
        default=None,
        metadata=meta(doc="First day in post (YYYY-MM-DD); leave out if not known."),
    )
    end: dt.date | None = attrs.field(
        default=None,
        metadata=meta(
            doc="First day no longer in post (YYYY-MM-DD, exclusive); leave out while in post."
        ),
    )
    acting: bool = attrs.field(
        default=False, metadata=meta(doc="Whether the holder acts in the post (an acting holder).")
    )

    def __attrs_post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise ValueError(
                f"a tenure's start {self.start} must come before its end {self.end} "
                "(end is exclusive)"
            )

    def covers(self, date: dt.date) -> bool:
        """Whether the holder is in post on ``date`` (``start <= date < end``)."""
        return (self.start is None or self.start <= date) and (self.end is None or date < self.end)

    def overlaps(self, other: Tenure) -> bool:
        """Whether some date is covered by both tenures.

        Examples
        --------
        >>> import datetime as dt
        >>> a = Tenure(holder="a", end=dt.date(2018, 1, 1))
        >>> a.overlaps(Tenure(holder="b", start=dt.date(2018, 1, 1)))
        False
        >>> a.overlaps(Tenure(holder="b", start=dt.date(2017, 12, 31)))
        True
        """
        starts_before_other_ends = self.start is None or other.end is None or self.start < other.end
        ends_after_other_starts = self.end is None or other.start is None or other.start < self.end
        return starts_before_other_ends and ends_after_other_starts


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Role(Element):
    """A post in the CIO system.

    A role with no ``holder`` is vacant. What the post does (``function``:
    a chief information, data, digital or information-security officer, an
    office, a support team, an advisor, a leader, a department head) is
    separate from what it answers for (``scope``: the jurisdiction, one
    department, or a unit within one) and from the holder's standing in it
    (``grade``: principal, deputy or executive officer). The version-1
    ``kind`` still reads: when ``function`` or ``scope`` is left out, it is
    taken from ``kind`` (``KIND_MEANING``). Outputs use the ``title``.

    ``holder`` (and ``acting``) describe the post as of the scenario's
    ``as_of``. ``tenures`` may record who held it when: then
    :func:`cio_framework.at_date` sets ``holder`` and ``acting`` from the
    tenure covering a date (:meth:`tenure_at`); without tenures the holder
    is taken to hold the post at every date.

    Examples
    --------
    >>> cdo = Role(id="shenzhen-cdo", title="Chief Data Officer of Shenzhen",
    ...            level="city", function=RoleFunction.CDO,
    ...            scope=RoleScope.JURISDICTION)
    >>> cdo.effective_function.value, cdo.effective_scope.value, cdo.is_officer
    ('cdo', 'jurisdiction', True)
    >>> Role(id="x", title="Departmental CIO", level="support",
    ...      kind=RoleKind.DEPARTMENTAL_CIO).effective_scope
    <RoleScope.DEPARTMENT: 'department'>
    >>> r = Role(id="epb-cio", title="Departmental CIO", kind=RoleKind.DEPARTMENTAL_CIO,
    ...          level="support", department="epb", holder="min-qingfeng",
    ...          reports_to="district-cio", dotted_lines=["cio-office"])
    >>> r.dotted_lines
    ('cio-office',)
    >>> r.vacant
    False
    >>> import datetime as dt
    >>> timed = Role(id="cdo", title="CDO", level="support", tenures=[
    ...     Tenure(holder="li", end=dt.date(2021, 3, 1)),
    ...     Tenure(holder="zhao", start=dt.date(2021, 3, 1), acting=True)])
    >>> timed.holder_at(dt.date(2021, 2, 28)), timed.holder_at(dt.date(2021, 3, 1))
    ('li', 'zhao')
    >>> timed.acting_at(dt.date(2021, 3, 1))
    True
    """

    id: str = attrs.field(
        validator=checked, metadata=meta(doc="Unique id of the role.", is_id=True)
    )
    title: str = attrs.field(metadata=meta(doc="Title of the post."))
    kind: RoleKind = attrs.field(default=RoleKind.OTHER, metadata=meta(doc="Kind of post."))
    level: str = attrs.field(metadata=meta(doc="Governance level id.", ref="levels"))
    department: str | None = attrs.field(
        default=None, metadata=meta(doc="Department id.", ref="departments")
    )
    jurisdiction: str | None = attrs.field(
        default=None,
        metadata=meta(
            doc="Jurisdiction id; by default its department's (format version 2).",
            ref="jurisdictions",
        ),
    )
    holder: str | None = attrs.field(
        default=None,
        metadata=meta(doc="Person id of the holder; leave out if vacant.", ref="people"),
    )
    acting: bool = attrs.field(
        default=False,
        metadata=meta(
            doc="Whether the holder acts in the post (an acting holder); "
            "says nothing of a vacant role."
        ),
    )
    tenures: tuple[Tenure, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(
            doc="Who held the post when: holder, start, end (exclusive) and acting; "
            "used by as_of/at_date."
        ),
    )
    concurrent_post: str | None = attrs.field(
        default=None,
        metadata=meta(doc="The substantive post the holder keeps alongside this role."),
    )
    concurrent_rank: PostRank | None = attrs.field(
        default=None, metadata=meta(doc="Rank of that post: head, deputy or staff.")
    )
    reports_to: str | None = attrs.field(
        default=None, metadata=meta(doc="Solid-line superior role id.", ref="roles")
    )
    dotted_lines: tuple[str, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(doc="Dotted-line (functional) role ids.", ref="roles"),
    )
    function: RoleFunction | None = attrs.field(
        default=None,
        metadata=meta(doc="What the post does: cio, cdo, cdio, ciso, office, support ..."),
    )
    scope: RoleScope | None = attrs.field(
        default=None,
        metadata=meta(doc="What it answers for: jurisdiction, department or unit."),
    )
    grade: RoleGrade = attrs.field(
        default=RoleGrade.PRINCIPAL,
        metadata=meta(doc="The holder's standing: principal, deputy or executive."),
    )
    appointed_by: str | None = attrs.field(
        default=None,
        metadata=meta(doc="Department id that appoints the holder.", ref="departments"),
    )

    @property
    def vacant(self) -> bool:
        """Whether nobody holds the role."""
        return self.holder is None

    def tenure_at(self, date: dt.date) -> Tenure | None:
        """The tenure covering ``date``, or ``None``.

        Tenures of one role should not overlap (the ``tenure-overlap``
        check); where they do, the one that started last wins (a missing
        start counts as earliest), then the least holder id, so the answer
        never depends on the order of the list.
        """
        covering = [tenure for tenure in self.tenures if tenure.covers(date)]
        if not covering:
            return None
        return max(
            covering,
            key=lambda t: (t.start is not None, t.start or dt.date.min, _negated(t.holder)),
        )

    def holder_at(self, date: dt.date) -> str | None:
        """Who holds the post on ``date``: by its tenures when it has any
        (``None`` when none covers the date), else ``holder``."""
        if not self.tenures:
            return self.holder
        tenure = self.tenure_at(date)
        return None if tenure is None else tenure.holder

    def acting_at(self, date: dt.date) -> bool:
        """Whether the holder on ``date`` acts in the post (``False`` when vacant)."""
        if not self.tenures:
            return self.acting and self.holder is not None
        tenure = self.tenure_at(date)
        return tenure is not None and tenure.acting

    @property
    def effective_function(self) -> RoleFunction:
        """``function``, or what ``kind`` says when it is left out."""
        return self.function if self.function is not None else KIND_MEANING[self.kind][0]

    @property
    def effective_scope(self) -> RoleScope | None:
        """``scope``, or what ``kind`` says when it is left out."""
        return self.scope if self.scope is not None else KIND_MEANING[self.kind][1]

    @property
    def is_officer(self) -> bool:
        """Whether the post is a chief officer's (``OFFICER_FUNCTIONS``)."""
        return self.effective_function in OFFICER_FUNCTIONS

    @property
    def is_departmental_officer(self) -> bool:
        """Whether it is a chief officer's post of one department or unit."""
        return (
            self.is_officer
            and self.department is not None
            and self.effective_scope in (RoleScope.DEPARTMENT, RoleScope.UNIT)
        )

    @property
    def is_jurisdiction_officer(self) -> bool:
        """Whether it is a chief officer's post for the whole jurisdiction."""
        return self.is_officer and self.effective_scope is RoleScope.JURISDICTION


def _negated(text: str) -> tuple[int, ...]:
    """A key that sorts strings in reverse, so that ``max`` picks the least."""
    return (*(-ord(ch) for ch in text), 1)


@attrs.frozen(kw_only=True)
class IssueRange:
    """An inclusive range of major issues discussed per meeting.

    In YAML either ``[1, 2]`` or a single number.

    Examples
    --------
    >>> IssueRange(minimum=1, maximum=2)
    IssueRange(minimum=1, maximum=2)
    >>> IssueRange(minimum=3, maximum=1)
    Traceback (most recent call last):
    ...
    ValueError: the range's minimum 3 is above its maximum 1
    """

    minimum: int = attrs.field(
        validator=checked,
        metadata=meta(doc="Fewest major issues per meeting.", minimum=0, maximum=MAX_ISSUES),
    )
    maximum: int = attrs.field(
        validator=checked,
        metadata=meta(doc="Most major issues per meeting.", minimum=0, maximum=MAX_ISSUES),
    )

    #: How configuration describes the plain form.
    __config_describe__ = "a whole number or a list [min, max]"

    @classmethod
    def from_plain(cls, value: object) -> IssueRange:
        """Build from a whole number or a two-item list.

        Examples
        --------
        >>> IssueRange.from_plain([1, 2]), IssueRange.from_plain(2)
        (IssueRange(minimum=1, maximum=2), IssueRange(minimum=2, maximum=2))
        """
        if isinstance(value, int) and not isinstance(value, bool):
            return cls(minimum=value, maximum=value)
        if (
            isinstance(value, (list, tuple))
            and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        ):
            return cls(minimum=value[0], maximum=value[1])
        raise TypeError("expected a whole number or a list [min, max] of whole numbers")

    def to_plain(self) -> int | list[int]:
        """The plain form: a number when minimum equals maximum, else a list."""
        if self.minimum == self.maximum:
            return self.minimum
        return [self.minimum, self.maximum]

    def __attrs_post_init__(self) -> None:
        if self.minimum > self.maximum:
            raise ValueError(
                f"the range's minimum {self.minimum} is above its maximum {self.maximum}"
            )

    def __contains__(self, count: object) -> bool:
        return isinstance(count, int) and self.minimum <= count <= self.maximum

    def __str__(self) -> str:
        if self.minimum == self.maximum:
            return str(self.minimum)
        return f"{self.minimum}-{self.maximum}"


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Body(Element):
    """A collective body: committee, advisory board, regular meeting.

    Examples
    --------
    >>> b = Body(id="regular", name="Regular CIO meeting", chair="district-cio",
    ...          meets_every_months=2, issues_per_meeting=IssueRange(minimum=1, maximum=2))
    >>> 2 in b.issues_per_meeting
    True
    """

    id: str = attrs.field(
        validator=checked, metadata=meta(doc="Unique id of the body.", is_id=True)
    )
    name: str = attrs.field(metadata=meta(doc="Display name."))
    kind: BodyKind = attrs.field(default=BodyKind.OTHER, metadata=meta(doc="Kind of body."))
    level: str | None = attrs.field(
        default=None, metadata=meta(doc="Governance level id.", ref="levels")
    )
    jurisdiction: str | None = attrs.field(
        default=None,
        metadata=meta(doc="Jurisdiction id it belongs to (format version 2).", ref="jurisdictions"),
    )
    purpose: str | None = attrs.field(default=None, metadata=meta(doc="What the body is for."))
    chair: str | None = attrs.field(
        default=None,
        metadata=meta(doc="Role or person id that chairs or convenes it.", ref=("roles", "people")),
    )
    members: tuple[str, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(doc="Member role or person ids.", ref=("roles", "people")),
    )
    meets_every_months: float | None = attrs.field(
        default=None,
        validator=checked,
        metadata=meta(
            doc="Intended interval between regular meetings, in months (at most 1200, a century).",
            minimum=0,
            exclusive_minimum=True,
            maximum=1200,
        ),
    )
    issues_per_meeting: IssueRange | None = attrs.field(
        default=None, metadata=meta(doc="Major issues per meeting: a number or [min, max].")
    )


def normalize_raci(letters: str) -> str:
    """Validate RACI letters and return them in canonical ``RACI`` order.

    Examples
    --------
    >>> normalize_raci("a/r")
    'RA'
    >>> normalize_raci("X")
    Traceback (most recent call last):
    ...
    ValueError: RACI letters must be among R, A, C, I, not 'X'
    """
    if not isinstance(letters, str):
        raise TypeError("RACI letters must be a string such as 'A' or 'RA'")
    cleaned = letters.upper().replace("/", "").replace(",", "").replace(" ", "")
    if not cleaned or any(ch not in RACI_LETTERS for ch in cleaned):
        raise ValueError(f"RACI letters must be among R, A, C, I, not {letters!r}")
    return "".join(ch for ch in RACI_LETTERS if ch in cleaned)


def _raci_map(value: Mapping[str, str]) -> FrozenMap[str, str]:
    return FrozenMap((role, normalize_raci(letters)) for role, letters in dict(value).items())


def _role_kinds(value: Iterable[RoleKind | str]) -> tuple[RoleKind, ...]:
    return tuple(RoleKind(kind) for kind in tuple_of(value))


@attrs.frozen(kw_only=True)
class Delegation:
    """To whom, and on what conditions, a delegable responsibility may be delegated.

    Some duties may be delegated to anyone, some to certain officials only,
    some not at all (``delegable: false``). Under the US Common Baseline's
    CIO Assignment Plan (OMB M-15-14, Attachment A) the agency CIO may
    designate representatives "such as members of the CIO's office, or a
    bureau CIO", in a rules-based manner (by dollar threshold, type of
    planned IT activity or bureau), and keeps the accountability.

    A role may take the duty when it is one of ``to``, is of one of the
    ``kinds``, or, with ``direct_reports``, reports directly
    (``reports_to``) to an Accountable role of the duty. A delegation that
    names none of these lets any role take it: only its ``conditions``
    apply. The ``conditions`` are words: reports show them, no check tests
    them.

    Examples
    --------
    >>> d = Delegation(kinds=["cio_office", "departmental_cio"],
    ...                conditions="below a dollar threshold")
    >>> d.kinds
    (<RoleKind.CIO_OFFICE: 'cio_office'>, <RoleKind.DEPARTMENTAL_CIO: 'departmental_cio'>)
    >>> deputy = Role(id="deputy-cio", title="Deputy CIO", kind=RoleKind.CIO_OFFICE,
    ...               level="executive", reports_to="agency-cio")
    >>> cfo = Role(id="cfo", title="Chief Financial Officer", level="executive")
    >>> d.allows(deputy, accountable=["agency-cio"]), d.allows(cfo, accountable=["agency-cio"])
    (True, False)
    >>> d.describe()
    'roles of kind cio_office or departmental_cio (below a dollar threshold)'
    >>> Delegation(direct_reports=True).allows(deputy, accountable=["agency-cio"])
    True
    """

    to: tuple[str, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(doc="Role ids it may be delegated to.", ref="roles"),
    )
    kinds: tuple[RoleKind, ...] = attrs.field(
        factory=tuple,
        converter=_role_kinds,
        metadata=meta(
            doc="Kinds of role it may be delegated to, such as departmental_cio for "
            "bureau CIOs or cio_office for members of the CIO's office."
        ),
    )
    direct_reports: bool = attrs.field(
        default=False,
        metadata=meta(
            doc="Whether it may be delegated to a role that reports directly "
            "(reports_to) to its Accountable role."
        ),
    )
    conditions: str | None = attrs.field(
        default=None,
        metadata=meta(
            doc="Conditions in words (a dollar threshold, non-major investments only ...); "
            "shown in reports, not checked."
        ),
    )

    @property
    def restricted(self) -> bool:
        """Whether it names whom the duty may go to (``to``, ``kinds`` or ``direct_reports``)."""
        return bool(self.to or self.kinds or self.direct_reports)

    def allows(self, role: Role, accountable: Iterable[str]) -> bool:
        """Whether ``role`` may take the duty whose Accountable roles are ``accountable``."""
        if not self.restricted:
            return True
        return (
            role.id in self.to
            or role.kind in self.kinds
            or (self.direct_reports and role.reports_to in set(accountable))
        )

    def describe(self) -> str:
        """Whom the duty may go to, in words, with the conditions in brackets."""
        parts = []
        if self.to:
            parts.append(", ".join(self.to))
        if self.kinds:
            parts.append("roles of kind " + " or ".join(kind.value for kind in self.kinds))
        if self.direct_reports:
            parts.append("roles reporting directly to its Accountable role")
        text = " or ".join(parts) or "any role"
        return f"{text} ({self.conditions})" if self.conditions else text


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Responsibility(Element):
    """A duty with a RACI assignment of roles.

    ``raci`` maps role ids to one or more of the letters ``R``, ``A``, ``C``
    and ``I``; letters are kept in that canonical order.

    A duty is delegable by default: to any role, or (with a
    :class:`Delegation`) only to the roles and on the conditions it names.
    ``delegable: false`` keeps it with its Accountable role; such a duty
    names no delegation.

    Examples
    --------
    >>> r = Responsibility(id="catalogue", name="Catalogue resources",
    ...                    raci={"epb-cio": "ar", "cio-office": "C"})
    >>> r.raci["epb-cio"], r.accountable
    ('RA', ('epb-cio',))
    >>> k1 = Responsibility(id="k1", name="Approve IT acquisitions", raci={"agency-cio": "RA"},
    ...                     delegation=Delegation(kinds=["departmental_cio"]))
    >>> k1.delegation.describe()
    'roles of kind departmental_cio'
    >>> Responsibility(id="d1", name="Approve the IT budget", delegable=False,
    ...                delegation=Delegation(to=["deputy-cio"]))
    Traceback (most recent call last):
    ...
    ValueError: a responsibility that is not delegable cannot name a delegation: set delegable: true or remove delegation
    """

    id: str = attrs.field(
        validator=checked, metadata=meta(doc="Unique id of the responsibility.", is_id=True)
    )
    name: str = attrs.field(metadata=meta(doc="Display name."))
    description: str | None = attrs.field(
        default=None, metadata=meta(doc="What the duty involves.")
    )
    raci: FrozenMap[str, str] = attrs.field(
        factory=FrozenMap,
        converter=_raci_map,
        metadata=meta(
            doc="Role id to RACI letters (R, A, C, I; several allowed, e.g. RA).",
            key_ref="roles",
            check=normalize_raci,
        ),
    )
    appraised: bool = attrs.field(
        default=False, metadata=meta(doc="Whether the duty counts in performance appraisal.")
    )
    delegable: bool = attrs.field(
        default=True, metadata=meta(doc="Whether the accountable role may delegate it.")
    )
    delegation: Delegation | None = attrs.field(
        default=None,
        metadata=meta(
            doc="To whom and on what conditions it may be delegated; by default to any "
            "role. Only for a delegable duty."
        ),
    )
    delegated_to: str | None = attrs.field(
        default=None,
        metadata=meta(doc="Role id the accountable role has delegated the duty to.", ref="roles"),
    )

    def __attrs_post_init__(self) -> None:
        if not self.delegable and self.delegation is not None:
            raise ValueError(
                "a responsibility that is not delegable cannot name a delegation: "
                "set delegable: true or remove delegation"
            )

    def may_delegate_to(self, role: Role) -> bool:
        """Whether the duty may be delegated to ``role`` (its Accountable roles
        always keep it).

        Examples
        --------
        >>> duty = Responsibility(id="d1", name="Budget", raci={"cio": "RA"}, delegable=False)
        >>> duty.may_delegate_to(Role(id="deputy", title="Deputy", level="executive"))
        False
        """
        accountable = self.accountable
        if role.id in accountable:
            return True
        if not self.delegable:
            return False
        return self.delegation is None or self.delegation.allows(role, accountable)

    def roles_with(self, letter: str) -> tuple[str, ...]:
        """Role ids whose assignment contains ``letter``.

        Examples
        --------
        >>> Responsibility(id="x", name="X", raci={"a": "R", "b": "RC"}).roles_with("R")
        ('a', 'b')
        """
        return tuple(role for role, letters in self.raci.items() if letter in letters)

    @property
    def accountable(self) -> tuple[str, ...]:
        """Role ids marked ``A``."""
        return self.roles_with("A")


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Meeting(Element):
    """One held meeting of a body.

    ``proxies`` lists the members who sent somebody in their place instead of
    attending in person.

    Examples
    --------
    >>> import datetime as dt
    >>> m = Meeting(date=dt.date(2016, 8, 10), body="regular", attendees=["epb-cio"],
    ...             issues=["Joint reward and punishment documents"])
    >>> len(m.issues)
    1
    """

    id: str | None = attrs.field(
        default=None,
        validator=checked,
        metadata=meta(doc="Optional unique id of the meeting.", is_id=True),
    )
    body: str | None = attrs.field(
        default=None, metadata=meta(doc="Body id whose meeting this is.", ref="bodies")
    )
    date: dt.date = attrs.field(metadata=meta(doc="Date held (YYYY-MM-DD)."))
    convened_by: str | None = attrs.field(
        default=None,
        metadata=meta(doc="Role or person id who convened it.", ref=("roles", "people")),
    )
    attendees: tuple[str, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(doc="Who attended in person.", ref=("roles", "people")),
    )
    proxies: tuple[str, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(
            doc="Members who sent a proxy instead of attending in person.", ref=("roles", "people")
        ),
    )
    issues: tuple[str, ...] = attrs.field(
        factory=tuple, converter=tuple_of, metadata=meta(doc="Major issues discussed.")
    )


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Appraisal(Element):
    """A department's performance appraisal, and whether it includes CIO work.

    The appraisal is the department's: in Pudong the CIO office's working
    rules put the work of the departmental CIOs into the performance
    appraisal of their departments (article ¶13). A critical element of one
    person's own evaluation is a :class:`PerformanceElement`; grades given
    by a body outside the organisation are a :class:`Scorecard`.

    Examples
    --------
    >>> Appraisal(department="epb", includes_cio_work=True).includes_cio_work
    True
    """

    department: str = attrs.field(metadata=meta(doc="Department id.", ref="departments"))
    includes_cio_work: bool = attrs.field(
        metadata=meta(doc="Whether CIO work is part of the appraisal.")
    )
    weight: float | None = attrs.field(
        default=None,
        validator=checked,
        metadata=meta(doc="Share of the appraisal given to CIO work (0-1).", minimum=0, maximum=1),
    )


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class PerformanceElement(Element):
    """A critical element of one role holder's own performance evaluation.

    Not a department's appraisal (:class:`Appraisal`) but an individual's.
    Under the US Common Baseline (OMB M-15-14, Attachment A, element N1) the
    Chief Human Capital Officer and the agency CIO jointly establish an
    agency-wide critical element (or elements) included in all bureau CIOs'
    performance evaluations, and the agency CIO gives the rating official
    input on it, for at least the "key bureau CIOs", at the initial summary
    rating and the progress reviews. A *critical* element is one on which
    unacceptable performance makes the whole rating unacceptable.

    Examples
    --------
    >>> e = PerformanceElement(role="bureau-a-cio", name="Agency-wide IT management",
    ...                        established_by=["chco", "agency-cio"], input_by=["agency-cio"],
    ...                        rated_by="bureau-a-head")
    >>> e.critical, e.input_by
    (True, ('agency-cio',))
    """

    id: str | None = attrs.field(
        default=None,
        validator=checked,
        metadata=meta(doc="Optional unique id of the element.", is_id=True),
    )
    role: str = attrs.field(
        metadata=meta(
            doc="Role id whose holder's performance evaluation includes the element.", ref="roles"
        )
    )
    name: str = attrs.field(metadata=meta(doc="What the element asks of the role holder."))
    critical: bool = attrs.field(
        default=True,
        metadata=meta(
            doc="Whether it is a critical element: unacceptable performance on it makes the "
            "whole rating unacceptable."
        ),
    )
    established_by: tuple[str, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(doc="Role ids that set the element.", ref="roles"),
    )
    input_by: tuple[str, ...] = attrs.field(
        factory=tuple,
        converter=tuple_of,
        metadata=meta(doc="Role ids that give the rating official input on it.", ref="roles"),
    )
    rated_by: str | None = attrs.field(
        default=None,
        metadata=meta(doc="Role id of the rating official.", ref="roles"),
    )


def _grades(value: Mapping[str, str]) -> FrozenMap[str, str]:
    return FrozenMap(dict(value))


@attrs.frozen(kw_only=True, repr=False, field_transformer=own_fields_first)
class Scorecard(Element):
    """An external scorecard: grades given to an organisation from outside it.

    Neither an appraisal the organisation runs of itself (:class:`Appraisal`)
    nor an element of one person's evaluation
    (:class:`PerformanceElement`): the grader stands outside the graded
    organisation. The US FITARA scorecard, for example, has been issued about
    twice a year since 2015 by the House Committee on Oversight, with the help
    of the Government Accountability Office; it grades each of the 24 CFO
    Act agencies overall and in categories such as CIO authority
    enhancements.

    Examples
    --------
    >>> import datetime as dt
    >>> card = Scorecard(id="fitara-10", name="FITARA Scorecard 10.0", organisation="agency",
    ...                  graded_by="House Committee on Oversight and Reform",
    ...                  data_from="Government Accountability Office",
    ...                  date=dt.date(2020, 8, 3), overall="B+",
    ...                  grades={"CIO authority enhancements": "B"})
    >>> card.grades["CIO authority enhancements"], card.overall
    ('B', 'B+')
    """

    id: str = attrs.field(
        validator=checked, metadata=meta(doc="Unique id of the scorecard.", is_id=True)
    )
    name: str | None = attrs.field(default=None, metadata=meta(doc="Display name."))
    organisation: str = attrs.field(
        metadata=meta(doc="Department id of the graded organisation.", ref="departments")
    )
    graded_by: str = attrs.field(
        metadata=meta(doc="Who grades it, from outside the graded organisation.")
    )
    data_from: str | None = attrs.field(
        default=None, metadata=meta(doc="Whose data the grades rest on.")
    )
    date: dt.date = attrs.field(metadata=meta(doc="Date issued (YYYY-MM-DD)."))
    overall: str | None = attrs.field(
        default=None, metadata=meta(doc="Overall grade, as the scorecard writes it.")
    )
    grades: FrozenMap[str, str] = attrs.field(
        factory=FrozenMap,
        converter=_grades,
        metadata=meta(doc="Category to grade, as the scorecard writes them."),
    )
