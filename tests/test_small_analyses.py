"""The small analyses' edges and forms: ``at_date``'s argument and its
cut-off day, the single points of failure's JSON and HTML, the agenda's
records, HTML, errors and titles. Found missing by sampled mutation runs
of ``analysis/timeline.py``, ``analysis/resilience.py`` and
``analysis/agenda.py``.
"""

from __future__ import annotations

import datetime as dt

import pytest

import cio_framework
from cio_framework.analysis import agenda, single_points_of_failure
from cio_framework.exceptions import UnknownNameError
from cio_framework.model import Department, Exchange, Platform, Scorecard, System
from cio_framework.testing import make_scenario

# -- at_date -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "named"),
    [("2016-06-01", "str"), (dt.datetime(2016, 6, 1, 12, 0), "datetime"), (None, "NoneType")],
)
def test_at_date_takes_a_date_only(value, named):
    with pytest.raises(TypeError) as caught:
        cio_framework.at_date(make_scenario(), value)
    assert str(caught.value) == f"at_date() takes a datetime.date, not {named}"


def card(id: str, date: dt.date) -> Scorecard:
    return Scorecard(id=id, organisation="epb", graded_by="Outside", date=date)


def test_at_date_keeps_what_is_dated_that_day_and_leaves_out_what_comes_after():
    day = dt.date(2020, 8, 3)
    s = make_scenario(
        scorecards=[
            card("before", day - dt.timedelta(days=1)),
            card("on", day),
            card("after", day + dt.timedelta(days=1)),
        ]
    )
    assert [c.id for c in cio_framework.at_date(s, day).scorecards] == ["before", "on"]
    assert [c.id for c in s.scorecards] == ["before", "on", "after"]  # unchanged


# -- single points of failure ------------------------------------------------------------


def hub_scenario():
    """Two departments' systems meeting only at a hub: the hub is a cut point."""
    return make_scenario(
        departments=[
            Department(id="district", name="District"),
            Department(id="epb", name="EPB", parent="district", pilot=True),
        ],
        platforms=[Platform(id="hub", name="Hub")],
        systems=[
            System(id="s1", name="S1", department="epb"),
            System(id="s2", name="S2", department="district"),
        ],
        exchanges=[
            Exchange(id="x1", from_="s1", to="hub"),
            Exchange(id="x2", from_="hub", to="s2"),
        ],
    )


def test_single_points_report_forms():
    report = single_points_of_failure(hub_scenario())
    assert report.points
    data = report.to_dict()
    assert list(data) == ["single_points_of_failure"]
    assert data["single_points_of_failure"] == [p.to_dict() for p in report.points]
    html = report._repr_html_()
    for header in ("kind", "id", "parts", "explanation"):
        assert f"<th>{header}</th>" in html
    assert "<td>hub</td>" in html


def test_single_points_report_without_any():
    report = single_points_of_failure(make_scenario())
    assert report.points == ()
    assert report.to_dict() == {"single_points_of_failure": []}
    assert report._repr_html_() == "<p>None.</p>"


# -- agenda --------------------------------------------------------------------------------


def test_agenda_records_and_html():
    proposal = agenda(cio_framework.builtin("pudong-2016"))
    records = proposal.to_records()
    assert [r["item"] for r in records] == list(range(1, len(proposal.items) + 1))
    for record, item in zip(records, proposal.items, strict=True):
        assert record["ids"] == list(item.ids)
        assert list(record) == ["item", "title", "reason", "source", "ids", "evidence"]
        assert record["evidence"] == str(item.evidence)
        assert record["title"] == item.title
    html = proposal._repr_html_()
    for header in ("item", "title", "reason"):
        assert f"<th>{header}</th>" in html


def test_agenda_refuses_a_negative_count_by_its_name():
    with pytest.raises(ValueError, match=r"^items must be 0 or more, not -1$"):
        agenda(make_scenario(), items=-1)


def test_agenda_of_an_unknown_body_names_the_known_ones():
    s = cio_framework.builtin("pudong-2016")
    with pytest.raises(UnknownNameError) as caught:
        agenda(s, body="regular-meetin")
    assert tuple(caught.value.known) == tuple(sorted(b.id for b in s.bodies))
    assert "regular-meeting" in str(caught.value)


def test_a_check_item_counts_its_cases_in_words():
    """``(1 case)``, ``(2 cases)``: the title counts the failing check's
    cases (here departmental CIO posts with no reporting line)."""
    from cio_framework.model import Role, RoleKind

    base = make_scenario()
    assert agenda(base, items=1).items == ()  # nothing fails without the posts
    for count in (1, 2, 3):
        posts = [
            Role(
                id=f"post-{n}",
                title=f"Post {n}",
                kind=RoleKind.DEPARTMENTAL_CIO,
                level="support",
                department="epb",
            )
            for n in range(count)
        ]
        s = make_scenario(roles=[*base.roles, *posts])
        (item,) = agenda(s, items=1).items
        assert item.source == "check"
        assert item.title.endswith(f" ({count} case{'' if count == 1 else 's'})")
        assert item.ids == tuple(sorted(p.id for p in posts))
