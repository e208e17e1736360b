"""The optional rustworkx accelerator gives exactly what networkx gives."""

from __future__ import annotations

import sys

import rustworkx  # noqa: F401 - the test extra installs it; the tests compare both back ends
from hypothesis import given

import cio_framework
from cio_framework.testing import landscapes


def points(scenario):
    return {
        (p.kind, p.id, p.parts) for p in cio_framework.single_points_of_failure(scenario).points
    }


def without_rustworkx(function, *args):
    saved = sys.modules.get("rustworkx")
    sys.modules["rustworkx"] = None  # type: ignore[assignment]  # makes the import fail
    try:
        return function(*args)
    finally:
        sys.modules["rustworkx"] = saved  # type: ignore[assignment]


@given(landscapes(max_systems=12))
def test_rustworkx_and_networkx_agree(scenario):
    """Single points of failure are the same with and without rustworkx."""
    assert points(scenario) == without_rustworkx(points, scenario)


def test_pudong_points_with_and_without():
    """On the built-in scenario both back ends find the same points."""
    pudong = cio_framework.builtin("pudong-2016")
    fast = points(pudong)
    assert without_rustworkx(points, pudong) == fast
    assert ("platform", "gov-cloud", 5) in fast
