"""Factories and Hypothesis strategies for tests, yours and ours.

Requires the ``test`` extra (Hypothesis). The strategies generate valid
scenarios: every reference points at an element of the right kind and ids
are unique across the scenario, so a generated scenario always loads after a
:func:`~cio_framework.dumps`.

Examples
--------
>>> from hypothesis import given, settings
>>> import cio_framework
>>> from cio_framework.testing import scenarios
>>> @settings(max_examples=5, database=None)
... @given(scenarios())
... def test_round_trip(scenario):
...     assert cio_framework.loads(cio_framework.dumps(scenario)) == scenario
>>> test_round_trip()
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from hypothesis import strategies as st

from .model import (
    Ability,
    Appraisal,
    Background,
    Body,
    BodyKind,
    Candidate,
    CheckSetting,
    Criterion,
    Department,
    IssueRange,
    Level,
    Meeting,
    Note,
    Person,
    PostRank,
    Responsibility,
    Role,
    RoleKind,
    Scenario,
)

__all__ = ["extension_data", "ids", "make_scenario", "scenarios", "texts"]

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
        )
    }
    custom_levels = draw(st.booleans())
    level_count = draw(st.integers(min_value=1, max_value=4)) if custom_levels else 0
    total = sum(counts.values()) + level_count
    all_ids = draw(st.lists(ids(), min_size=total, max_size=total, unique=True))
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
    level_ids = [lv.id for lv in levels] or ["strategic", "executive", "support", "advisory"]
    person_ids, dept_ids, role_ids = take("people"), take("departments"), take("roles")
    body_ids, duty_ids, criterion_ids = take("bodies"), take("responsibilities"), take("criteria")
    meeting_ids, note_ids = take("meetings"), take("notes")

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
    responsibilities = [
        Responsibility(
            id=rid,
            name=draw(texts(20)),
            description=draw(_opt(texts())),
            raci=draw(st.dictionaries(st.sampled_from(role_ids), letters, max_size=3))
            if role_ids
            else {},
            appraised=draw(st.booleans()),
            delegable=draw(st.booleans()),
            **draw(_provenance()),
        )
        for rid in duty_ids
    ]
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
    notes = [Note(id=nid, text=draw(texts()), **draw(_provenance())) for nid in note_ids]
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
        notes=notes,
        checks=draw(
            st.dictionaries(
                st.sampled_from(sorted(CHECKS)), st.sampled_from(CheckSetting), max_size=3
            )
        ),
        extensions=draw(extension_data()),
    )


def _issue_range(low: int, high: int) -> IssueRange:
    return IssueRange(minimum=low, maximum=high)


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
