"""Built-in scenarios shipped with the package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..exceptions import UnknownNameError
from ..model import Scenario

__all__ = ["BUILTIN_SCENARIOS", "builtin", "builtin_path", "builtin_text"]

#: Names of the built-in scenarios, the first being the default.
BUILTIN_SCENARIOS: tuple[str, ...] = ("pudong-2016", "us-federal", "guangdong-cdo-2021")


def builtin_path(name: str) -> Path:
    """The file of a built-in scenario.

    Raises
    ------
    UnknownNameError
        For a name not in :data:`BUILTIN_SCENARIOS`.

    Examples
    --------
    >>> builtin_path("pudong-2016").name
    'pudong-2016.yaml'
    """
    if name not in BUILTIN_SCENARIOS:
        raise UnknownNameError(kind="built-in scenario", name=name, known=BUILTIN_SCENARIOS)
    return Path(str(resources.files(__package__).joinpath("scenarios").joinpath(f"{name}.yaml")))


def builtin_text(name: str) -> str:
    """The YAML text of a built-in scenario, comments included."""
    return builtin_path(name).read_text(encoding="utf-8")


def builtin(name: str = BUILTIN_SCENARIOS[0]) -> Scenario:
    """Load a built-in scenario.

    Examples
    --------
    >>> builtin("pudong-2016").jurisdiction
    'Pudong New Area, Shanghai, China'
    """
    from ..config import load

    return load(builtin_path(name))
