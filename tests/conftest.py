"""Shared test configuration: Hypothesis profiles and small helpers."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "ci",
    parent=settings.get_profile("default"),
    max_examples=200,
    derandomize=True,
    print_blob=True,
)
# The property tests again, with a fresh seed that CI prints so that a failure
# can be replayed: HYPOTHESIS_PROFILE=random pytest --hypothesis-seed=SEED.
settings.register_profile(
    "random",
    parent=settings.get_profile("default"),
    max_examples=200,
    derandomize=False,
    print_blob=True,
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default")
)

#: With CIO_PROPERTY_TESTS_ONLY set, run only the Hypothesis tests.
PROPERTY_TESTS_ONLY = bool(os.environ.get("CIO_PROPERTY_TESTS_ONLY"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep only property tests when CIO_PROPERTY_TESTS_ONLY is set."""
    if not PROPERTY_TESTS_ONLY:
        return
    keep = [i for i in items if getattr(getattr(i, "obj", None), "is_hypothesis_test", False)]
    kept = set(map(id, keep))
    deselected = [i for i in items if id(i) not in kept]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    items[:] = keep


def yaml_text(text: str) -> str:
    """Dedent a YAML snippet written inline in a test."""
    return textwrap.dedent(text).lstrip("\n")


@pytest.fixture
def write(tmp_path: Path):
    """Write a dedented YAML file under ``tmp_path`` and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml_text(text), encoding="utf-8")
        return path

    return _write
