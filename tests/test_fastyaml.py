"""The fast event-stream loader builds exactly what PyYAML's safe loader builds."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import cio_framework
from cio_framework.config._fastyaml import AVAILABLE, fast_load
from cio_framework.config._yaml import Limits
from cio_framework.synth import synth_text
from cio_framework.testing import scenarios

pytestmark = pytest.mark.skipif(not AVAILABLE, reason="PyYAML was built without libyaml")

SAFE = yaml.CSafeLoader if AVAILABLE else yaml.SafeLoader

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.dates()
    | st.datetimes(max_value=dt.datetime(9999, 1, 1))
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=8) | st.integers() | st.booleans(), inner, max_size=4)
    ),
    max_leaves=20,
)

TRICKY = st.sampled_from(
    [
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "n",
        "true",
        "False",
        "~",
        "null",
        "Null",
        "",
        "0",
        "-0",
        "017",
        "0o17",
        "0x1F",
        "0b101",
        "1_000",
        "1:20",
        "190:20:30",
        "+12",
        ".5",
        "-.inf",
        ".NaN",
        "1e3",
        "1.0e+3",
        "6.8523015e+5",
        "685.230_15e+03",
        "2016-01-01",
        "2001-12-14t21:59:43.10-05:00",
        "2001-12-14 21:59:43.10",
        "2016-02-30",
        "<<",
        "=",
        "-",
        "a:b",
        "x y",
        "12abc",
        "0x",
        "1_",
        "._",
    ]
)


def same(text: str) -> None:
    fast = fast_load(text, Limits())
    if fast is None:
        return  # gave up: the careful loader takes over, nothing to compare
    expected = yaml.load(text, Loader=SAFE)
    assert fast == expected
    assert type(fast) is type(expected)
    assert repr(fast) == repr(expected)  # distinguishes 1 from 1.0 and True from 1


@given(values, st.booleans(), st.booleans())
def test_dumped_values_load_the_same(value, flow, unicode):
    """Any value PyYAML dumps, in flow or block style, loads identically."""
    same(yaml.dump({"v": value}, default_flow_style=flow, allow_unicode=unicode))


@given(st.lists(TRICKY, min_size=1, max_size=8))
def test_plain_scalars_resolve_the_same(tokens):
    """Plain scalars with YAML 1.1 meanings (booleans, octal, sexagesimal ...) resolve alike."""
    same("[" + ", ".join(tokens) + "]\n")
    same("\n".join(f"k{i}: {t}" for i, t in enumerate(tokens)) + "\n")


@given(scenarios(max_elements=3))
def test_dumped_scenarios_load_the_same(scenario):
    """Scenario files written by dumps load identically."""
    same(cio_framework.dumps(scenario))


def test_fast_path_takes_ordinary_files():
    """The fast path does not give up on ordinary scenario files."""
    assert fast_load(synth_text(50, seed=3), Limits()) is not None
    assert fast_load(cio_framework.data.builtin_text("pudong-2016"), Limits()) is not None


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [*x]\n",
        "a: *x\n",
        "a: &x 1\nb: &x 2\n",
        "a: &x {b: 1}\nc: {<<: *x}\n",
        "a: &x [1]\n? *x\n: 2\n",
        "a: !!str 1\n",
        "a: 1\na: 2\n",
        "? [a]\n: 1\n",
        "<<: {a: 1}\n",
        "a: 2016-02-30\n",
        "a: [1\n",
        "a: 1\n---\nb: 2\n",
        "",
        "# comment only\n",
    ],
)
def test_fast_path_gives_up_on_the_unusual(text):
    """Recursive, undefined or duplicate anchors, tags, duplicates, complex keys,
    merges, bad dates, errors: the careful loader decides."""
    assert fast_load(text, Limits()) is None


def test_depth_limit_makes_it_give_up():
    """Nesting deeper than the limit is left to the careful loader."""
    assert fast_load("[" * 10 + "]" * 10, Limits(max_depth=5)) is None
    assert fast_load("[" * 10 + "]" * 10, Limits()) == [[[[[[[[[[]]]]]]]]]]


@pytest.mark.parametrize(
    ("text", "aliased"),
    [
        ("a: [1, 2]\nb: {c: d}\n", False),
        ("a: &x 1\nb: *x\n", False),  # a scalar is immutable: nothing shared
        ("a: &x [1, 2]\nb: *x\n", True),
        ("a: &x {c: d}\nb: [*x]\n", True),
        ("a: &x [1, 2]\nb: 3\n", False),  # an anchor no alias names
    ],
)
def test_fast_parse_says_whether_a_list_or_mapping_is_aliased(text, aliased):
    """The strict load lets go of a list's items only when nothing else holds the list."""
    from cio_framework.config._fastyaml import fast_parse

    data, error, shared = fast_parse(text, Limits())
    assert error is None
    assert data == yaml.load(text, Loader=SAFE)
    assert shared is aliased
