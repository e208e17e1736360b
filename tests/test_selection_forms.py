"""assess_candidates: its tabular and HTML forms, its edges, and its error.

Written from the docstrings of :class:`~cio_framework.analysis.Assessment`
(one record per candidate: role, rank, total and each contribution),
:class:`~cio_framework.analysis.Flip` (the weight at which the two are
level, beyond which the runner-up leads: a weight no criterion may take is
no flip) and :func:`~cio_framework.analysis.assess_candidates` (an unknown
role is an ``UnknownNameError``). Found missing by a sampled mutation run
of ``analysis/selection.py``.
"""

from __future__ import annotations

import attrs
import pytest

import cio_framework
from cio_framework.analysis import Assessment, assess_candidates
from cio_framework.model import Candidate, Criterion, Person
from cio_framework.model.landscape import MAX_WEIGHT


def _with(criteria: list[Criterion], candidates: list[Candidate]) -> cio_framework.Scenario:
    base = cio_framework.builtin("pudong-2016")
    people = [*base.people, Person(id="ann", name="Ann"), Person(id="bo", name="Bo")]
    return attrs.evolve(base, people=people, criteria=criteria, candidates=candidates)


def test_records_give_rank_rounded_total_contributions_and_what_is_missing():
    criteria = [
        Criterion(id="x", name="X", weight=1),
        Criterion(id="y", name="Y", weight=2),
        Criterion(id="z", name="Z", weight=0),
    ]
    s = _with(
        criteria,
        [
            Candidate(person="ann", role="epb-cio", scores={"x": 1, "y": 2}),
            Candidate(person="bo", role="epb-cio", scores={"x": 2, "y": 2, "z": 5}),
        ],
    )
    records = assess_candidates(s).to_records()
    assert [(r["role"], r["rank"], r["person"]) for r in records] == [
        ("epb-cio", 1, "bo"),
        ("epb-cio", 2, "ann"),
    ]
    bo, ann = records
    assert bo["total"] == 2.0
    # x: 1 * 1 / 3 and y: 2 * 2 / 3, to four places; their sum (5 / 3) too
    assert (ann["contribution:x"], ann["contribution:y"]) == (0.3333, 1.3333)
    assert ann["total"] == 1.6667
    assert ann["missing_scores"] == ["z"]
    assert bo["missing_scores"] == []
    html = assess_candidates(s)._repr_html_()
    header = "".join(
        f"<th>{c}</th>"
        for c in ("role", "rank", "person", "total", "missing_scores", "missing_evidence")
    )
    assert f"<tr>{header}</tr>" in html
    assert "<td>epb-cio</td><td>1</td><td>bo</td><td>2</td>" in html
    assert Assessment(roles=[])._repr_html_() == "<p>No candidates.</p>"


def test_criteria_of_no_weight_give_a_total_of_zero():
    s = _with(
        [Criterion(id="x", name="X", weight=0)],
        [Candidate(person="ann", role="epb-cio", scores={"x": 5})],
    )
    (role,) = assess_candidates(s).roles
    assert role.ranking[0].total == 0.0


def test_a_flip_only_to_the_largest_weight_is_no_flip():
    """Bo leads on x and z by k each, Ann on y by 1. Lowering x or z cannot
    level them (it would take a weight below 0); raising y levels them at
    2k. At 2k = MAX_WEIGHT no weight beyond it exists, so nothing flips."""

    def flip(k: float):
        criteria = [
            Criterion(id="x", name="X", weight=1),
            Criterion(id="y", name="Y", weight=1),
            Criterion(id="z", name="Z", weight=1),
        ]
        candidates = [
            Candidate(person="bo", role="epb-cio", scores={"x": k, "y": 0, "z": k}),
            Candidate(person="ann", role="epb-cio", scores={"x": 0, "y": 1, "z": 0}),
        ]
        (role,) = assess_candidates(_with(criteria, candidates)).roles
        return role.flip

    below = flip(MAX_WEIGHT / 2 - 1)
    assert below is not None
    assert (below.criterion, below.weight_to) == ("y", MAX_WEIGHT - 2)
    assert below.explanation.endswith("would put Ann ahead of Bo.")
    assert flip(MAX_WEIGHT / 2) is None


def test_an_unknown_role_names_what_was_looked_up():
    s = _with(
        [Criterion(id="x", name="X", weight=1)],
        [Candidate(person="ann", role="epb-cio", scores={"x": 1})],
    )
    with pytest.raises(cio_framework.UnknownNameError) as caught:
        assess_candidates(s, role="epb-ciox")
    assert (caught.value.kind, caught.value.name) == ("role with candidates", "epb-ciox")
    assert str(caught.value) == "unknown role with candidates 'epb-ciox'; did you mean 'epb-cio'?"
