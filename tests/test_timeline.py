"""Tenures of role holders, the scenario at a date, and --as-of."""

from __future__ import annotations

import datetime as dt
import json

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cio_framework
from cio_framework.analysis import at_date, check
from cio_framework.cli import main
from cio_framework.model import Meeting, Person, Role, RoleKind, Tenure
from cio_framework.testing import make_scenario

D = dt.date
PEOPLE = [Person(id=p) for p in ("lead", "deputy", "wang", "li", "zhao")]


def timed(*tenures, holder=None, acting=False, role_id="cio", **more):
    """A scenario whose one role ``role_id`` has ``tenures``."""
    role = Role(
        id=role_id,
        title="District CIO",
        kind=RoleKind.DISTRICT_CIO,
        level="strategic",
        holder=holder,
        acting=acting,
        tenures=list(tenures),
    )
    more = {"bodies": [], "responsibilities": [], "appraisals": [], **more}
    return make_scenario(people=PEOPLE, roles=[role], **more)


SUCCESSION = (
    Tenure(holder="wang", end=D(2018, 1, 1)),
    Tenure(holder="li", start=D(2018, 1, 1), end=D(2019, 6, 1), acting=True),
    Tenure(holder="zhao", start=D(2019, 7, 1)),
)


def holder_on(scenario, date, role_id="cio"):
    return at_date(scenario, date).get(role_id)


def test_end_is_exclusive():
    """The day a tenure ends belongs to the successor, not to the predecessor."""
    s = timed(*SUCCESSION)
    assert holder_on(s, D(2017, 12, 31)).holder == "wang"
    assert holder_on(s, D(2018, 1, 1)).holder == "li"


def test_start_is_inclusive():
    """A tenure covers its start date."""
    assert holder_on(timed(*SUCCESSION), D(2019, 7, 1)).holder == "zhao"


def test_open_ends():
    """A tenure without start covers the distant past, one without end the future."""
    s = timed(*SUCCESSION)
    assert holder_on(s, D(1900, 1, 1)).holder == "wang"
    assert holder_on(s, D(2100, 1, 1)).holder == "zhao"


def test_gap_between_tenures_is_vacant():
    """A date no tenure covers leaves the role vacant."""
    role = holder_on(timed(*SUCCESSION, holder="zhao"), D(2019, 6, 15))
    assert role.holder is None
    assert role.vacant
    assert role.acting is False


def test_acting_holder_is_kept():
    """An acting tenure makes the role's holder acting on its dates."""
    s = timed(*SUCCESSION)
    assert holder_on(s, D(2018, 5, 1)).acting is True
    assert holder_on(s, D(2019, 8, 1)).acting is False
    assert s.roles[0].acting_at(D(2018, 5, 1)) is True


def test_role_without_tenures_keeps_its_holder():
    """A role without tenures holds its holder at every date."""
    s = make_scenario()
    after = at_date(s, D(1990, 1, 1))
    assert [r.holder for r in after.roles] == [r.holder for r in s.roles]


def test_as_of_becomes_the_date():
    """The scenario at a date says that date is its as_of."""
    assert at_date(timed(*SUCCESSION), D(2018, 3, 3)).as_of == D(2018, 3, 3)


def test_meetings_after_the_date_are_left_out():
    """Meetings held after the date are dropped; those on the date are kept."""
    meetings = [Meeting(id=f"m{day}", date=D(2018, 1, day), attendees=["cio"]) for day in (1, 2, 3)]
    after = at_date(timed(*SUCCESSION, meetings=meetings), D(2018, 1, 2))
    assert sorted(m.id for m in after.meetings) == ["m1", "m2"]


def test_result_is_valid_and_baseline_unchanged():
    """at_date gives a valid scenario and leaves its argument alone."""
    s = timed(*SUCCESSION)
    after = at_date(s, D(2018, 5, 1))
    assert cio_framework.validate(after) == ()
    assert s.roles[0].holder is None


def test_datetime_is_refused():
    """A datetime is not a date: at_date says so."""
    with pytest.raises(TypeError, match=r"datetime\.date"):
        at_date(timed(*SUCCESSION), dt.datetime(2018, 1, 1, 12))


def test_start_after_end_is_refused():
    """A tenure must start before it ends."""
    with pytest.raises(ValueError, match="must come before its end"):
        Tenure(holder="wang", start=D(2018, 1, 1), end=D(2018, 1, 1))


def test_start_after_end_is_a_located_load_error():
    """A file whose tenure ends before it starts fails to load, at the tenure."""
    text = cio_framework.dumps(timed(Tenure(holder="wang", start=D(2018, 1, 1))))
    text = text.replace("start: 2018-01-01", "start: 2018-01-01\n    end: 2017-01-01")
    with pytest.raises(cio_framework.ConfigError) as info:
        cio_framework.loads(text)
    assert any("tenures" in (p.path or "") and p.line for p in info.value.problems)


def test_tenures_round_trip():
    """Tenures survive dumping and loading."""
    s = timed(*SUCCESSION)
    assert cio_framework.loads(cio_framework.dumps(s)).roles[0].tenures == SUCCESSION


def test_tenure_holder_must_be_a_person():
    """A tenure's holder names a person: an unknown one is a dangling reference."""
    problems = cio_framework.validate(timed(Tenure(holder="nobody")))
    assert [p.code for p in problems] == ["dangling-reference"]
    assert problems[0].path == "$.roles[0].tenures[0].holder"


def test_overlapping_tenures_are_a_located_finding():
    """Two tenures of one role covering a common day are a tenure-overlap error at the role."""
    s = timed(
        Tenure(holder="wang", end=D(2018, 1, 2)),
        Tenure(holder="li", start=D(2018, 1, 1)),
    )
    (finding,) = [f for f in check(s).findings if f.check == "tenure-overlap"]
    assert finding.severity.value == "error"
    assert (finding.collection, finding.index) == ("roles", 0)
    assert finding.ids == ("cio", "wang", "li")


def test_adjacent_tenures_do_not_overlap():
    """A successor starting on the predecessor's end date is no overlap."""
    assert not [f for f in check(timed(*SUCCESSION)).findings if f.check == "tenure-overlap"]


def test_overlap_finding_ignores_list_order():
    """The overlap finding is the same whatever the order of the tenures."""
    tenures = [
        Tenure(holder="wang", end=D(2018, 6, 1)),
        Tenure(holder="li", start=D(2018, 1, 1)),
    ]
    messages = [
        [f.message for f in check(timed(*order)).findings if f.check == "tenure-overlap"]
        for order in (tenures, tenures[::-1])
    ]
    assert messages[0] == messages[1]
    assert len(messages[0]) == 1


def test_overlapping_tenures_resolve_by_latest_start():
    """Where tenures overlap, the one that started last holds the post, in any order."""
    tenures = [
        Tenure(holder="wang", end=D(2018, 6, 1)),
        Tenure(holder="li", start=D(2018, 1, 1)),
    ]
    for order in (tenures, tenures[::-1]):
        assert holder_on(timed(*order), D(2018, 3, 1)).holder == "li"


def test_holder_contradicting_tenures_is_a_warning():
    """A holder the tenures contradict on as_of is a holder-not-tenure warning."""
    s = timed(*SUCCESSION, holder="wang", as_of=D(2018, 5, 1))
    (finding,) = [f for f in check(s).findings if f.check == "holder-not-tenure"]
    assert finding.severity.value == "warning"
    assert "its holder says held by wang; its tenures say held by li (acting) on" in (
        finding.message
    )
    assert not [
        f for f in check(at_date(s, D(2018, 5, 1))).findings if f.check == "holder-not-tenure"
    ]


@st.composite
def successions(draw):
    """Non-overlapping tenures for up to three roles, and a date inside exactly
    one tenure of each role."""
    people = [p.id for p in PEOPLE]
    roles, expected = [], {}
    date = D(2000, 1, 1) + dt.timedelta(days=draw(st.integers(0, 3000)))
    for number in range(draw(st.integers(1, 3))):
        # cut points around the date: tenures are [cut_i, cut_i+1)
        before = sorted(draw(st.sets(st.integers(1, 400), min_size=0, max_size=3)), reverse=True)
        after = sorted(draw(st.sets(st.integers(1, 400), min_size=0, max_size=3)))
        cuts = [date - dt.timedelta(days=d) for d in before] + [date]
        cuts += [date + dt.timedelta(days=d) for d in after]
        starts = [None, *cuts[1:]] if draw(st.booleans()) else cuts
        tenures = []
        for i, start in enumerate(starts):
            end = cuts[i + 1] if i + 1 < len(cuts) else None
            if start is not None and end is not None and start >= end:
                continue
            tenures.append(
                Tenure(
                    holder=draw(st.sampled_from(people)),
                    start=start,
                    end=end,
                    acting=draw(st.booleans()),
                )
            )
        covering = [
            t for t in tenures if t.start is not None and t.start <= date < (t.end or D.max)
        ]
        covering += [t for t in tenures if t.start is None and date < (t.end or D.max)]
        assert len(covering) == 1
        expected[f"r{number}"] = (covering[0].holder, covering[0].acting)
        roles.append(
            Role(
                id=f"r{number}",
                title="CIO",
                level="strategic",
                tenures=draw(st.permutations(tenures)),
            )
        )
    scenario = make_scenario(
        people=PEOPLE, roles=roles, bodies=[], responsibilities=[], appraisals=[]
    )
    return scenario, date, expected


@given(successions())
def test_at_date_gives_the_covering_tenures_holder(case):
    """With the date inside exactly one tenure of each role, each role gets that tenure's holder."""
    scenario, date, expected = case
    after = at_date(scenario, date)
    assert {r.id: (r.holder, r.acting) for r in after.roles} == expected


def cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def timed_file(tmp_path):
    path = tmp_path / "timed.yaml"
    path.write_text(cio_framework.dumps(timed(*SUCCESSION, holder="zhao")), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("command", ["report", "priorities", "islands", "agenda"])
def test_cli_as_of_bad_date_is_a_usage_error(capsys, timed_file, command):
    """A bad --as-of date is a usage error (exit 2) with a clear message."""
    code, _out, err = cli(capsys, command, timed_file, "--as-of", "2018-02-30")
    assert code == 2
    assert "not a date YYYY-MM-DD" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["report", "priorities", "islands", "agenda"])
def test_cli_as_of_is_accepted(capsys, timed_file, command):
    """report, priorities, islands and agenda accept --as-of."""
    code, _, err = cli(capsys, command, timed_file, "--as-of", "2018-05-01")
    assert code == 0, err


def test_cli_report_as_of_shows_the_tenure_holder(capsys, timed_file):
    """report --as-of applies the tenures: a date in a gap shows the role vacant."""
    _, vacant, _ = cli(capsys, "report", timed_file, "--format", "json", "--as-of", "2019-06-15")
    _, held, _ = cli(capsys, "report", timed_file, "--format", "json", "--as-of", "2019-08-01")
    vacant_checks = {f["check"] for f in json.loads(vacant)["checks"]["findings"]}
    held_checks = {f["check"] for f in json.loads(held)["checks"]["findings"]}
    assert "vacant-role" in vacant_checks
    assert "vacant-role" not in held_checks


def test_at_date_is_exported():
    """at_date is part of the package's public API."""
    assert cio_framework.at_date is at_date
    assert attrs.has(Tenure)


def _overlap_findings(scenario):
    return [
        (f.ids, f.message)
        for f in check(scenario, only=["tenure-overlap"]).findings
        if f.check == "tenure-overlap"
    ]


_DAYS = st.one_of(st.none(), st.integers(min_value=0, max_value=12))


@st.composite
def tenure_lists(draw):
    """Up to eight tenures of the people of PEOPLE, on days 0 to 12 of 2018
    or open, acting or not, many of them sharing days."""
    tenures = []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        start, end = draw(_DAYS), draw(_DAYS)
        if start is not None and end is not None and start >= end:
            start, end = end, start + 1 if start == end else start
        tenures.append(
            Tenure(
                holder=draw(st.sampled_from([p.id for p in PEOPLE])),
                start=None if start is None else D(2018, 1, 1) + dt.timedelta(days=start),
                end=None if end is None else D(2018, 1, 1) + dt.timedelta(days=end),
                acting=draw(st.booleans()),
            )
        )
    return tenures


@given(tenure_lists(), st.randoms(use_true_random=False))
def test_tenure_overlap_follows_its_definition(tenures, random):
    """Tenures in order of start (an open start first; then by end, an open
    end last; then holder; then acting): each one that shares a day with an
    earlier tenure is one finding, paired with the earlier tenure that ends
    last (the first of those); in any order of the list, the findings
    sorted by the ids they name."""

    def order(t):
        return (
            t.start is not None,
            t.start or D.min,
            t.end is None,
            t.end or D.max,
            t.holder,
            t.acting,
        )

    def shares_a_day(a, b):  # end exclusive; an open start or end is unbounded
        return max(a.start or D.min, b.start or D.min) < min(a.end or D.max, b.end or D.max)

    ordered = sorted(tenures, key=order)
    expected = []
    for i, tenure in enumerate(ordered):
        earlier = ordered[:i]
        if not any(shares_a_day(u, tenure) for u in earlier):
            continue
        latest_end = max((u.end or D.max) for u in earlier)
        open_end = any(u.end is None for u in earlier)
        partner = next(u for u in earlier if (u.end is None if open_end else u.end == latest_end))
        expected.append(("cio", partner.holder, tenure.holder))
    shuffled = list(tenures)
    random.shuffle(shuffled)
    for listed in (tenures, shuffled):  # findings come by the ids they name
        assert [ids for ids, _ in _overlap_findings(timed(*listed))] == sorted(expected)


def test_tenure_overlap_message_names_both_spans():
    """The message says each tenure's span: an open start, an exclusive end, an open end."""
    s = timed(Tenure(holder="wang", end=D(2018, 1, 2)), Tenure(holder="li", start=D(2018, 1, 1)))
    assert _overlap_findings(s) == [
        (
            ("cio", "wang", "li"),
            "Role District CIO (cio) has overlapping tenures: wang from the start until "
            "2018-01-02 (exclusive) and li from 2018-01-01 on. A post has one holder at a "
            "time: correct a start or an end.",
        )
    ]


def test_tenure_overlap_findings_are_linear_in_the_tenures():
    """Two thousand tenures all covering every day make 1,999 findings, not
    two million: each tenure after the first once."""
    tenures = [Tenure(holder=("wang", "li")[i % 2]) for i in range(2000)]
    assert len(_overlap_findings(timed(*tenures))) == 1999
