"""Factories and Hypothesis strategies for tests, yours and ours.

Requires the ``test`` extra (Hypothesis). The strategies generate valid
scenarios: every reference points at an element of the right kind and ids
are unique across the scenario, so a generated scenario always loads after a
:func:`~cio_framework.dumps`.

Examples
--------
>>> from hypothesis import HealthCheck, given, settings
>>> import cio_framework
>>> from cio_framework.testing import scenarios
>>> # a whole scenario takes a while to draw on a busy machine
>>> @settings(max_examples=5, database=None, suppress_health_check=[HealthCheck.too_slow])
... @given(scenarios())
... def test_round_trip(scenario):
...     assert cio_framework.loads(cio_framework.dumps(scenario)) == scenario
>>> test_round_trip()
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any

import attrs
from hypothesis import strategies as st

from .model import (
    DEFAULT_LEVELS,
    FACTORS,
    LOCAL,
    Ability,
    Appraisal,
    ApprovalStatus,
    Background,
    Body,
    BodyKind,
    Candidate,
    Change,
    CheckSetting,
    Criterion,
    Delegation,
    Demand,
    Department,
    Exchange,
    ExchangeStatus,
    IssueRange,
    Level,
    Matter,
    Mechanism,
    Meeting,
    MergeDepartments,
    MoveSystem,
    Note,
    PerformanceElement,
    Person,
    Platform,
    PostRank,
    PrioritySettings,
    Resource,
    ResourceCategory,
    Responsibility,
    Role,
    RoleKind,
    Scenario,
    Scorecard,
    SetShare,
    ShareType,
    System,
    SystemStatus,
    WhatIf,
)

__all__ = [
    "extension_data",
    "ids",
    "landscape_parts",
    "landscapes",
    "make_scenario",
    "relabel",
    "scenarios",
    "texts",
]

#: the ids of the levels a scenario without ``levels`` has: no element may take them
_DEFAULT_LEVEL_IDS = tuple(level.id for level in DEFAULT_LEVELS)
_ID_ALPHABET = st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-_.环保局市场监管浦东")


def ids() -> st.SearchStrategy[str]:
    """Valid ids, including letters of other scripts."""
    return st.text(_ID_ALPHABET, min_size=1, max_size=12).filter(
        lambda s: s == s.strip() and s not in ("-", ".")
    )


def texts(max_size: int = 30) -> st.SearchStrategy[str]:
    """Arbitrary Unicode text (no lone surrogates), line breaks included."""
    return st.text(st.characters(exclude_categories=["Cs"]), max_size=max_size)


_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False)
    | texts(12)
    | st.dates()
)


def extension_data() -> st.SearchStrategy[dict[str, Any]]:
    """Extension (``x-``) data: nested lists and mappings of scalars."""
    values = st.recursive(
        _scalars,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.text("abcxyz", min_size=1, max_size=4), inner, max_size=3)
        ),
        max_leaves=6,
    )
    keys = st.text("abcdefgh-", min_size=1, max_size=6).map(lambda k: "x-" + k)
    return st.dictionaries(keys, values, max_size=2)


def _opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def _provenance(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "source": draw(_opt(texts(20))),
        "note": draw(_opt(texts(40))),
        "illustrative": draw(st.booleans()),
        "extensions": draw(extension_data()),
    }


@st.composite
def scenarios(draw: st.DrawFn, *, max_elements: int = 6) -> Scenario:
    """Generate a valid :class:`~cio_framework.model.Scenario`.

    Parameters
    ----------
    max_elements
        Upper bound on the size of each collection.
    """
    n = max_elements
    counts = {
        name: draw(st.integers(min_value=0, max_value=n))
        for name in (
            "people",
            "departments",
            "roles",
            "bodies",
            "responsibilities",
            "criteria",
            "meetings",
            "notes",
            "scorecards",
        )
    }
    custom_levels = draw(st.booleans())
    level_count = draw(st.integers(min_value=1, max_value=4)) if custom_levels else 0
    total = sum(counts.values()) + level_count
    reserved = set() if custom_levels else set(_DEFAULT_LEVEL_IDS)
    all_ids = draw(
        st.lists(
            ids().filter(lambda i: i not in reserved), min_size=total, max_size=total, unique=True
        )
    )
    taken = iter(all_ids)

    def take(name: str) -> list[str]:
        return [next(taken) for _ in range(counts[name])]

    levels: tuple[Level, ...] = ()
    if custom_levels:
        levels = tuple(
            Level(
                id=next(taken),
                name=draw(texts(15)),
                description=draw(_opt(texts())),
                **draw(_provenance()),
            )
            for _ in range(level_count)
        )
    level_ids = [lv.id for lv in levels] or list(_DEFAULT_LEVEL_IDS)
    person_ids, dept_ids, role_ids = take("people"), take("departments"), take("roles")
    body_ids, duty_ids, criterion_ids = take("bodies"), take("responsibilities"), take("criteria")
    meeting_ids, note_ids, scorecard_ids = take("meetings"), take("notes"), take("scorecards")

    def ref(pool: list[str]) -> st.SearchStrategy[Any]:
        return _opt(st.sampled_from(pool)) if pool else st.none()

    def refs(pool: list[str]) -> st.SearchStrategy[list[str]]:
        return st.lists(st.sampled_from(pool), max_size=3) if pool else st.just([])

    people = [
        Person(
            id=pid,
            name=draw(_opt(texts(15))),
            local_name=draw(_opt(texts(6))),
            position=draw(_opt(texts())),
            organisation=draw(_opt(texts())),
            background=draw(_opt(st.sampled_from(Background))),
            **draw(_provenance()),
        )
        for pid in person_ids
    ]
    departments = [
        Department(
            id=did,
            name=draw(texts(20)),
            local_name=draw(_opt(texts(6))),
            kind=draw(_opt(st.sampled_from(["bureau", "commission", "office"]))),
            parent=draw(ref(dept_ids[:i])),
            pilot=draw(st.booleans()),
            **draw(_provenance()),
        )
        for i, did in enumerate(dept_ids)
    ]
    roles = [
        Role(
            id=rid,
            title=draw(texts(20)),
            kind=draw(st.sampled_from(RoleKind)),
            level=draw(st.sampled_from(level_ids)),
            department=draw(ref(dept_ids)),
            holder=draw(ref(person_ids)),
            concurrent_post=draw(_opt(texts())),
            concurrent_rank=draw(_opt(st.sampled_from(PostRank))),
            reports_to=draw(ref(role_ids)),
            dotted_lines=draw(refs(role_ids)),
            **draw(_provenance()),
        )
        for rid in role_ids
    ]
    members = role_ids + person_ids
    bodies = []
    for bid in body_ids:
        low = draw(st.integers(min_value=0, max_value=3))
        bodies.append(
            Body(
                id=bid,
                name=draw(texts(20)),
                kind=draw(st.sampled_from(BodyKind)),
                level=draw(_opt(st.sampled_from(level_ids))),
                purpose=draw(_opt(texts())),
                chair=draw(ref(members)),
                members=draw(refs(members)),
                meets_every_months=draw(
                    _opt(st.floats(min_value=0.25, max_value=24, allow_nan=False))
                ),
                issues_per_meeting=draw(
                    _opt(
                        st.integers(min_value=low, max_value=low + 3).map(
                            functools.partial(_issue_range, low)
                        )
                    )
                ),
                **draw(_provenance()),
            )
        )
    letters = st.sampled_from(["R", "A", "C", "I", "RA", "AC", "RACI"])
    responsibilities = []
    for rid in duty_ids:
        delegable = draw(st.booleans())
        delegation = None
        if delegable and draw(st.booleans()):
            delegation = Delegation(
                to=draw(refs(role_ids)),
                kinds=draw(st.lists(st.sampled_from(RoleKind), max_size=2)),
                direct_reports=draw(st.booleans()),
                conditions=draw(_opt(texts())),
            )
        responsibilities.append(
            Responsibility(
                id=rid,
                name=draw(texts(20)),
                description=draw(_opt(texts())),
                raci=draw(st.dictionaries(st.sampled_from(role_ids), letters, max_size=3))
                if role_ids
                else {},
                appraised=draw(st.booleans()),
                delegable=delegable,
                delegation=delegation,
                delegated_to=draw(ref(role_ids)),
                **draw(_provenance()),
            )
        )
    criteria = [
        Criterion(
            id=cid,
            name=draw(texts(20)),
            weight=draw(st.floats(min_value=0, max_value=1e6, allow_nan=False)),
            description=draw(_opt(texts())),
            ability=draw(_opt(st.sampled_from(Ability))),
            **draw(_provenance()),
        )
        for cid in criterion_ids
    ]
    candidates = []
    if person_ids and role_ids:
        for _ in range(draw(st.integers(min_value=0, max_value=n))):
            candidates.append(
                Candidate(
                    person=draw(st.sampled_from(person_ids)),
                    role=draw(st.sampled_from(role_ids)),
                    scores=draw(
                        st.dictionaries(
                            st.sampled_from(criterion_ids),
                            st.floats(min_value=-100, max_value=100, allow_nan=False),
                            max_size=3,
                        )
                    )
                    if criterion_ids
                    else {},
                    evidence=draw(
                        st.dictionaries(st.sampled_from(criterion_ids), texts(), max_size=2)
                    )
                    if criterion_ids
                    else {},
                    selected=draw(st.booleans()),
                    **draw(_provenance()),
                )
            )
    meetings = [
        Meeting(
            id=draw(st.sampled_from([mid, None])),
            body=draw(ref(body_ids)),
            date=draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1))),
            convened_by=draw(ref(members)),
            attendees=draw(refs(members)),
            proxies=draw(refs(members)),
            issues=draw(st.lists(texts(), max_size=3)),
            **draw(_provenance()),
        )
        for mid in meeting_ids
    ]
    appraisals = [
        Appraisal(
            department=did,
            includes_cio_work=draw(st.booleans()),
            weight=draw(_opt(st.floats(min_value=0, max_value=1))),
            **draw(_provenance()),
        )
        for did in (draw(st.lists(st.sampled_from(dept_ids), max_size=3)) if dept_ids else [])
    ]
    performance_elements = [
        PerformanceElement(
            role=rid,
            name=draw(texts(20)),
            critical=draw(st.booleans()),
            established_by=draw(refs(role_ids)),
            input_by=draw(refs(role_ids)),
            rated_by=draw(ref(role_ids)),
            **draw(_provenance()),
        )
        for rid in (draw(st.lists(st.sampled_from(role_ids), max_size=3)) if role_ids else [])
    ]
    scorecards = [
        Scorecard(
            id=sid,
            name=draw(_opt(texts(20))),
            organisation=draw(st.sampled_from(dept_ids)),
            graded_by=draw(texts(20)),
            data_from=draw(_opt(texts(20))),
            date=draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1))),
            overall=draw(_opt(st.sampled_from(["A+", "B", "C-", "F"]))),
            grades=draw(st.dictionaries(texts(12), st.sampled_from(["A", "B+", "D-"]), max_size=3)),
            **draw(_provenance()),
        )
        for sid in (scorecard_ids if dept_ids else [])
    ]
    notes = [Note(id=nid, text=draw(texts()), **draw(_provenance())) for nid in note_ids]
    landscape = (
        draw(landscape_parts(dept_ids, set(all_ids) | reserved | set(level_ids), max_systems=4))
        if draw(st.booleans())
        else {}
    )
    from .analysis.checks import CHECKS

    return Scenario(
        name=draw(texts(30)),
        description=draw(_opt(texts())),
        jurisdiction=draw(_opt(texts())),
        as_of=draw(_opt(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)))),
        source=draw(_opt(texts())),
        levels=levels,
        people=people,
        departments=departments,
        roles=roles,
        bodies=bodies,
        responsibilities=responsibilities,
        criteria=criteria,
        candidates=candidates,
        meetings=meetings,
        appraisals=appraisals,
        performance_elements=performance_elements,
        scorecards=scorecards,
        notes=notes,
        checks=draw(
            st.dictionaries(
                st.sampled_from(sorted(CHECKS)), st.sampled_from(CheckSetting), max_size=3
            )
        ),
        extensions=draw(extension_data()),
        **landscape,
    )


def _issue_range(low: int, high: int) -> IssueRange:
    return IssueRange(minimum=low, maximum=high)


_RESERVED_IDS = frozenset({"local"})


@st.composite
def landscape_parts(
    draw: st.DrawFn,
    departments: list[str],
    taken: set[str],
    *,
    max_systems: int = 8,
    explicit_hub: bool = False,
) -> dict[str, Any]:
    """Landscape collections over the given department ids.

    Returns keyword arguments for :class:`~cio_framework.model.Scenario`:
    ``platforms``, ``systems``, ``resources``, ``exchanges``, ``demands``,
    ``matters``, ``scenarios`` and ``priorities``. New ids avoid ``taken``
    (which is updated).
    """

    def fresh(count: int) -> list[str]:
        found = draw(
            st.lists(
                ids().filter(lambda i: i not in taken and i not in _RESERVED_IDS),
                min_size=count,
                max_size=count,
                unique=True,
            )
        )
        taken.update(found)
        return found

    if not departments:
        return {}
    platform_ids = fresh(draw(st.integers(min_value=0, max_value=2)))
    system_ids = fresh(draw(st.integers(min_value=0, max_value=max_systems)))
    platforms = [
        Platform(id=p, name=draw(texts(10)), operator=draw(_opt(st.sampled_from(departments))))
        for p in platform_ids
    ]
    systems = [
        System(
            id=s,
            name=draw(texts(10)),
            department=draw(st.sampled_from(departments)),
            hosted_on=draw(st.sampled_from([LOCAL, *platform_ids])),
            status=draw(
                st.sampled_from(
                    [
                        SystemStatus.IN_USE,
                        SystemStatus.IN_USE,
                        SystemStatus.PLANNED,
                        SystemStatus.RETIRED,
                    ]
                )
            ),
            users=draw(_opt(st.integers(min_value=0, max_value=10**6))),
            annual_cost=draw(_opt(st.floats(min_value=0, max_value=1e7))),
        )
        for s in system_ids
    ]
    nodes = system_ids + platform_ids
    resource_ids = fresh(draw(st.integers(min_value=0, max_value=4)))
    resources = []
    for r in resource_ids:
        share = draw(st.sampled_from(ShareType))
        resources.append(
            Resource(
                id=r,
                name=draw(texts(10)),
                owner=draw(st.sampled_from(departments)),
                held_in=draw(_opt(st.sampled_from(system_ids))) if system_ids else None,
                category=draw(st.sampled_from(ResourceCategory)),
                share=share,
                legal_basis=draw(_opt(texts(10))),
                open_to_public=draw(st.booleans()),
                update_cycle=draw(_opt(st.sampled_from(["daily", "monthly"]))),
                catalogued=draw(st.booleans()),
            )
        )
    exchanges = []
    if nodes:
        exchange_ids = fresh(draw(st.integers(min_value=0, max_value=2 * len(nodes))))
        for e in exchange_ids:
            exchanges.append(
                Exchange(
                    id=draw(st.sampled_from([e, None])),
                    from_=draw(st.sampled_from(nodes)),
                    to=draw(st.sampled_from(nodes)),
                    resources=draw(st.lists(st.sampled_from(resource_ids), max_size=2))
                    if resource_ids
                    else [],
                    via=draw(_opt(st.sampled_from(platform_ids))) if platform_ids else None,
                    status=draw(
                        st.sampled_from(
                            [ExchangeStatus.LIVE, ExchangeStatus.LIVE, ExchangeStatus.PLANNED]
                        )
                    ),
                    mechanism=draw(st.sampled_from(Mechanism)),
                )
            )
        # drop duplicate exchange ids picked by chance from None/ids
    demands = [
        Demand(
            by=draw(st.sampled_from(departments)),
            resource=draw(st.sampled_from(resource_ids)),
            purpose=draw(_opt(texts(10))),
            weight=draw(st.floats(min_value=0, max_value=10)),
            agreement=draw(st.booleans()),
        )
        for _ in range(draw(st.integers(min_value=0, max_value=4) if resource_ids else st.just(0)))
    ]
    matters = [
        Matter(
            id=m,
            name=draw(texts(10)),
            approved_by=draw(st.sampled_from(departments)),
            supervised_by=draw(st.sampled_from(departments)),
            approval=draw(st.sampled_from(ApprovalStatus)),
            registered_by=draw(_opt(st.sampled_from(departments))),
            supervision_data=draw(st.lists(st.sampled_from(resource_ids), max_size=2))
            if resource_ids
            else [],
            needs=draw(st.lists(st.sampled_from(resource_ids), max_size=2)) if resource_ids else [],
        )
        for m in fresh(draw(st.integers(min_value=0, max_value=3)))
    ]
    whatifs = []
    live_ids = [e.id for e in exchanges if e.id]
    for w in fresh(draw(st.integers(min_value=0, max_value=2))):
        options: list[st.SearchStrategy[Change]] = []
        if system_ids:
            options.append(st.sampled_from(system_ids).map(lambda s: Change(retire_system=s)))
            if platform_ids:
                options.append(
                    st.tuples(st.sampled_from(system_ids), st.sampled_from(platform_ids)).map(
                        lambda pair: Change(move_system=MoveSystem(system=pair[0], to=pair[1]))
                    )
                )
        if live_ids:
            options.append(st.sampled_from(live_ids).map(lambda e: Change(remove_exchange=e)))
        if resource_ids:
            options.append(
                st.tuples(st.sampled_from(resource_ids), st.sampled_from(ShareType)).map(
                    lambda pair: Change(set_share=SetShare(resource=pair[0], share=pair[1]))
                )
            )
        if nodes:
            options.append(
                st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)).map(
                    lambda pair: Change(add_exchange=Exchange(from_=pair[0], to=pair[1]))
                )
            )
        if len(departments) > 1:
            options.append(
                st.lists(st.sampled_from(departments), min_size=2, max_size=3, unique=True).map(
                    lambda ds: Change(
                        merge_departments=MergeDepartments(into=ds[0], departments=ds[1:])
                    )
                )
            )
        changes = draw(st.lists(st.one_of(options), max_size=3)) if options else []
        whatifs.append(WhatIf(id=w, name=draw(_opt(texts(10))), changes=changes))
    hub = None
    if platform_ids and (explicit_hub or draw(st.booleans())):
        hub = draw(st.sampled_from(platform_ids))
    settings = PrioritySettings(
        hub=hub,
        weights=draw(
            st.dictionaries(
                st.sampled_from(FACTORS), st.floats(min_value=0, max_value=10), max_size=2
            )
        ),
        budget=draw(_opt(st.floats(min_value=0, max_value=10))),
    )
    # Exchange ids must be unique: keep the first of any repeated id.
    seen: set[str] = set()
    unique_exchanges = []
    for exchange in exchanges:
        if exchange.id is not None:
            if exchange.id in seen:
                exchange = attrs.evolve(exchange, id=None)
            seen.add(exchange.id or "")
        unique_exchanges.append(exchange)
    return {
        "platforms": platforms,
        "systems": systems,
        "resources": resources,
        "exchanges": unique_exchanges,
        "demands": demands,
        "matters": matters,
        "scenarios": whatifs,
        "priorities": settings,
    }


@st.composite
def landscapes(draw: st.DrawFn, *, max_systems: int = 10, explicit_hub: bool = True) -> Scenario:
    """Generate a valid scenario whose substance is its information landscape.

    Parameters
    ----------
    max_systems
        Upper bound on the number of systems.
    explicit_hub
        Set ``priorities.hub`` whenever there is a platform, so that results
        never depend on the default hub's tie-breaking.
    """
    departments = draw(
        st.lists(ids(), min_size=1, max_size=5, unique=True).filter(
            lambda ds: not set(ds) & {LOCAL, *_DEFAULT_LEVEL_IDS}
        )
    )
    taken = set(departments) | set(_DEFAULT_LEVEL_IDS)
    parts = draw(
        landscape_parts(departments, taken, max_systems=max_systems, explicit_hub=explicit_hub)
    )
    return Scenario(
        name="Generated landscape",
        departments=[
            Department(id=d, name=d.upper(), pilot=draw(st.booleans())) for d in departments
        ],
        **parts,
    )


def make_scenario(**changes: Any) -> Scenario:
    """A small valid scenario (one pilot department with its CIO), for tests.

    Keyword arguments replace whole fields.

    Examples
    --------
    >>> s = make_scenario()
    >>> [r.id for r in s.roles]
    ['district-cio', 'epb-cio']
    >>> make_scenario(name="Other").name
    'Other'
    """
    base: dict[str, Any] = {
        "name": "Test scenario",
        "people": [
            Person(id="lead", name="Lead"),
            Person(id="deputy", name="Deputy"),
        ],
        "departments": [
            Department(id="district", name="District government"),
            Department(
                id="epb", name="Environmental Protection Bureau", parent="district", pilot=True
            ),
        ],
        "roles": [
            Role(
                id="district-cio",
                title="District CIO",
                kind=RoleKind.DISTRICT_CIO,
                level="strategic",
                department="district",
                holder="lead",
                concurrent_rank=PostRank.DEPUTY,
            ),
            Role(
                id="epb-cio",
                title="Departmental CIO",
                kind=RoleKind.DEPARTMENTAL_CIO,
                level="support",
                department="epb",
                holder="deputy",
                concurrent_rank=PostRank.DEPUTY,
                reports_to="district-cio",
            ),
        ],
        "bodies": [
            Body(
                id="regular",
                name="Regular CIO meeting",
                kind=BodyKind.REGULAR_MEETING,
                chair="district-cio",
                members=["epb-cio"],
                meets_every_months=2,
                issues_per_meeting=IssueRange(minimum=1, maximum=2),
            )
        ],
        "responsibilities": [
            Responsibility(id="catalogue", name="Catalogue resources", raci={"epb-cio": "RA"}),
        ],
        "appraisals": [Appraisal(department="epb", includes_cio_work=True)],
    }
    base.update(changes)
    return Scenario(**base)


#: The source id a citation's part starts with (see :func:`~cio_framework.model._base.cited_ids`).
_CITED = re.compile(r"\s*([^\s,]+)")


def relabel(scenario: Scenario, mapping: Mapping[str, str]) -> Scenario:
    """Rename ids throughout a scenario: every id and every reference to one,
    the source ids that citations name included.

    Ids missing from ``mapping`` are kept. Useful to check that results do
    not depend on id names.

    Examples
    --------
    >>> s = relabel(make_scenario(), {"epb": "环保局"})
    >>> s.get("epb-cio").department
    '环保局'
    """
    from .config._plan import plan_of

    def rename(value: Any) -> Any:
        return mapping.get(value, value) if isinstance(value, str) else value

    def recite(citation: str) -> str:
        # each ';' part's first word (up to a space or a comma) is a source id
        parts = []
        for part in citation.split(";"):
            cited = _CITED.match(part)
            if cited is not None:
                part = part[: cited.start(1)] + rename(cited.group(1)) + part[cited.end(1) :]
            parts.append(part)
        return ";".join(parts)

    def walk(obj: Any) -> Any:
        if not attrs.has(type(obj)):
            return obj
        changes: dict[str, Any] = {}
        for plan in plan_of(type(obj)):
            value = getattr(obj, plan.name)
            if plan.is_id or plan.ref:
                if isinstance(value, tuple):
                    changes[plan.name] = tuple(rename(v) for v in value)
                else:
                    changes[plan.name] = rename(value)
            elif plan.key_ref:
                changes[plan.name] = {rename(k): v for k, v in value.items()}
            elif plan.cites is not None and isinstance(value, str):
                changes[plan.name] = recite(value)
            elif isinstance(value, tuple):
                changes[plan.name] = tuple(walk(v) for v in value)
            elif attrs.has(type(value)):
                changes[plan.name] = walk(value)
        return attrs.evolve(obj, **changes)

    result: Scenario = walk(scenario)
    return result
