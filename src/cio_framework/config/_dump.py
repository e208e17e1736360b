"""Writing a :class:`~cio_framework.model.Scenario` back to YAML."""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import os
import tempfile
from typing import Any

import attrs
import yaml

from ..model import COLLECTIONS, DEFAULT_LEVELS, Scenario
from ..model._frozenmap import FrozenMap
from ._plan import FieldPlan, plan_of

__all__ = ["to_yaml", "unstructure", "write_atomic"]

try:
    _BaseDumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseDumper = yaml.SafeDumper


class _FlowList(list[Any]):
    """A list of scalars written in flow style: ``[a, b]``."""


class _Dumper(_BaseDumper):  # type: ignore[misc]
    pass


def _represent_flow(dumper: Any, data: _FlowList) -> Any:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_UNUSUAL_BREAKS = frozenset("\r\x85\u2028\u2029")


def _represent_str(dumper: Any, data: str) -> Any:
    if _UNUSUAL_BREAKS.intersection(data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_str(data)


_Dumper.add_representer(_FlowList, _represent_flow)
_Dumper.add_representer(str, _represent_str)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, dt.date))


def _plain(value: Any, plan: FieldPlan | None = None) -> Any:
    if attrs.has(type(value)):
        to_plain = getattr(value, "to_plain", None)
        if to_plain is not None:
            result = to_plain()
            return _FlowList(result) if isinstance(result, list) else result
        return unstructure(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, FrozenMap):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        items = [_plain(v) for v in value]
        if all(_is_scalar(v) for v in items) and sum(len(str(v)) + 2 for v in items) <= 70:
            return _FlowList(items)
        return items
    if (
        plan is not None
        and plan.spec.kind == "float"
        and isinstance(value, float)
        and value.is_integer()
        and abs(value) < 2**53
    ):
        return int(value)
    return value


def unstructure(obj: Any) -> dict[str, Any]:
    """Convert a model value into plain dicts, lists and scalars.

    Fields equal to their defaults are left out; extension data is written
    back under its ``x-`` keys.

    Examples
    --------
    >>> from cio_framework.model import Role
    >>> unstructure(Role(id="epb-cio", title="Departmental CIO", level="support"))
    {'id': 'epb-cio', 'title': 'Departmental CIO', 'level': 'support'}
    """
    result: dict[str, Any] = {}
    extensions: dict[str, Any] = {}
    for plan in plan_of(type(obj)):
        value = getattr(obj, plan.name)
        if plan.name == "extensions":
            extensions = {k: _plain(v) for k, v in value.items()}
            continue
        if not plan.required and value == plan.default_value():
            continue
        result[plan.key] = _plain(value, plan)
    result.update(extensions)
    return result


def scenario_to_plain(scenario: Scenario) -> dict[str, Any]:
    """The whole scenario as plain data, scalars first, then collections."""
    plain = unstructure(scenario)
    ordered: dict[str, Any] = {"cio_framework": plain.pop("cio_framework", scenario.format_version)}
    for key in list(plain):
        if key not in COLLECTIONS:
            ordered[key] = plain.pop(key)
    if scenario.levels == DEFAULT_LEVELS:
        plain.pop("levels", None)
    ordered.update(plain)
    return ordered


def to_yaml(scenario: Scenario) -> str:
    """Serialise a scenario to YAML text."""
    text: str = yaml.dump(
        scenario_to_plain(scenario),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=88,
    )
    return text


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    An interrupted write never leaves a half-written file behind: readers
    see either the old file or the new one.
    """
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    fd, tmp = tempfile.mkstemp(prefix=".cio-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if os.path.exists(target):
            os.chmod(tmp, os.stat(target).st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
