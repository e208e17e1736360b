"""All landscape analyses at once (``analysis.landscape``) and ``priorities(top=)``.

The analyses run together on indexes built once per scenario. Each result
must equal what its own function returns on a fresh scenario, whatever
order the analyses run in; a cut ranking must be the full ranking's prefix.
"""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cio_framework
from cio_framework.analysis import (
    barriers,
    fault_zones,
    indicators,
    islands,
    landscape,
    priorities,
)
from cio_framework.analysis._shared import Shared
from cio_framework.analysis.connectivity import islands_of
from cio_framework.analysis.faultzones import fault_zones_of
from cio_framework.analysis.priorities import priorities_of
from cio_framework.analysis.sharing import barriers_of
from cio_framework.testing import landscapes
from test_jurisdictions import mixed_scenarios

generated = st.one_of(landscapes(max_systems=10), mixed_scenarios)


def _fresh(s):
    """The scenario as a new, equal value: nothing cached on the original reaches it."""
    return attrs.evolve(s)


@settings(max_examples=60, deadline=None)
@given(generated, st.none() | st.integers(0, 6))
def test_each_result_equals_its_own_function(s, top):
    found = landscape(s, top=top)
    full = priorities(_fresh(s))
    assert found.islands == islands(_fresh(s))
    assert found.barriers == barriers(_fresh(s))
    assert found.fault_zones == fault_zones(_fresh(s))
    assert found.indicators == indicators(_fresh(s))
    assert found.ranking == tuple(p.id for p in full.priorities)
    assert found.priorities == priorities(_fresh(s), top=top)
    kept = full.priorities if top is None else full.priorities[:top]
    assert found.priorities.priorities == kept


@settings(max_examples=40, deadline=None)
@given(generated, st.permutations(range(4)))
def test_shared_indexes_give_the_same_results_in_any_order(s, order):
    """No analysis changes what the shared indexes hold for the next one."""
    runs = [islands_of, barriers_of, fault_zones_of, lambda shared: priorities_of(shared)]
    shared = Shared(s)
    results = {i: runs[i](shared) for i in order}
    assert results[0] == islands(_fresh(s))
    assert results[1] == barriers(_fresh(s))
    assert results[2] == fault_zones(_fresh(s))
    report, ranking = results[3]
    assert report == priorities(_fresh(s))
    assert ranking == tuple(p.id for p in report.priorities)


@settings(max_examples=40, deadline=None)
@given(generated, st.integers(0, 8))
def test_a_cut_report_keeps_the_groups_its_integrations_join(s, top):
    cut = priorities(s, top=top)
    joined = {g for p in cut.priorities for g in p.groups}
    assert set(cut.groups) == joined
    full = priorities(_fresh(s))
    assert (cut.hub, cut.weights, cut.note) == (full.hub, full.weights, full.note)
    assert all(cut.groups[g] == full.groups[g] for g in joined)
    assert cut.to_dict()["priorities"] == full.to_dict()["priorities"][:top]


def test_pudong_top_three_is_the_full_ranking_cut():
    s = cio_framework.builtin("pudong-2016")
    full = priorities(s)
    assert len(full.priorities) > 3
    assert priorities(s, top=3).priorities == full.priorities[:3]
    assert priorities(s, top=0).priorities == ()
    assert priorities(s, top=10**6).priorities == full.priorities


@pytest.mark.parametrize(
    ("top", "error", "words"),
    [
        (-1, ValueError, "top must be 0 or more, not -1"),
        (True, TypeError, "top must be a whole number, not bool (True)"),
        (2.0, TypeError, "top must be a whole number, not float (2.0)"),
        ("3", TypeError, "top must be a whole number, not str ('3')"),
    ],
)
def test_a_bad_top_is_refused_by_both_functions(top, error, words):
    s = cio_framework.builtin("pudong-2016")
    for function in (priorities, landscape):
        with pytest.raises(error) as raised:
            function(s, top=top)
        assert str(raised.value) == words
