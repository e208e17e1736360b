"""Writing a :class:`~cio_framework.model.Scenario` back to YAML or JSON.

Both formats write the same data, the scenario's file shape
(:func:`scenario_to_plain`): fields equal to their defaults are left out,
extension data goes back under its ``x-`` keys. Writing is linear in the
scenario's size; JSON is written by the standard library's C encoder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import errno
import json
import os
import re
import stat
from collections.abc import Iterable
from typing import Any

import attrs
import yaml

from .._escape import BIDI, SURROGATE, json_safe, u_escape
from ..exceptions import CioFrameworkError
from ..model import COLLECTIONS, DEFAULT_LEVELS, Scenario
from ..model._frozenmap import FrozenMap
from ._fast import EXACT_INTEGERS
from ._plan import FieldPlan, plan_of

__all__ = [
    "OutputRefusedError",
    "data_to_json",
    "refuse_inputs",
    "to_json",
    "to_yaml",
    "unstructure",
    "write_atomic",
]

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
    if not data.isascii():  # written as the text \ud800, as on standard output
        data = SURROGATE.sub(u_escape, data)
    # double-quoted, where escape_bidi can write a bidi control as its escape
    if _UNUSUAL_BREAKS.intersection(data) or (not data.isascii() and BIDI.search(data)):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_str(data)


#: Integers this large have more digits than Python turns into decimal text.
_DECIMAL_LIMIT = 10**4300


def _represent_int(dumper: Any, data: int) -> Any:
    """An integer in decimal, or in hexadecimal when it has more than 4,300
    digits (which no scenario that loads holds, but one built in Python may,
    in a field the model does not check): writing never fails."""
    if -_DECIMAL_LIMIT < data < _DECIMAL_LIMIT:
        return dumper.represent_int(data)
    sign = "-" if data < 0 else ""
    return dumper.represent_scalar("tag:yaml.org,2002:int", f"{sign}0x{abs(data):x}")


def escape_bidi(text: str) -> str:
    r"""YAML text written with :class:`_Dumper`, its bidi controls written as
    ``\uNNNN`` escapes.

    The emitter takes them for printable text and writes them as they are,
    but a terminal would show the text around them reversed. The dumper
    writes every text that holds one double-quoted, where the escape means
    the same character: the YAML reads back the same.

    Examples
    --------
    >>> import yaml
    >>> data = {"name": "a\N{RIGHT-TO-LEFT OVERRIDE}b"}
    >>> text = escape_bidi(yaml.dump(data, Dumper=_Dumper, allow_unicode=True))
    >>> print(text, end="")
    name: "a\u202eb"
    >>> "\N{RIGHT-TO-LEFT OVERRIDE}" in text, yaml.safe_load(text) == data
    (False, True)
    """
    if text.isascii():
        return text
    return BIDI.sub(u_escape, text)


_Dumper.add_representer(_FlowList, _represent_flow)
_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(int, _represent_int)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, dt.date))


#: Values written as they are: most of a scenario's fields.
_AS_IS = frozenset({str, int, bool, type(None)})


def _plain(value: Any, plan: FieldPlan | None = None) -> Any:
    cls = value.__class__
    if cls in _AS_IS:
        return value
    if attrs.has(cls):
        to_plain = getattr(value, "to_plain", None)
        if to_plain is not None:
            result = to_plain()
            return _FlowList(result) if isinstance(result, list) else result
        return _unstructure(value)
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
        and abs(value) < EXACT_INTEGERS
    ):
        return int(value)
    return value


def unstructure(obj: Any) -> dict[str, Any]:
    """A scenario, or any model value, as plain data in the file shape.

    The data is what a scenario file holds, of dicts, lists, strings,
    numbers, booleans and ``None`` (dates as ISO strings): ready for
    ``json.dumps``, and read back by :func:`structure`. A scenario
    starts with its version key. Fields equal to their defaults are left
    out; extension data is written back under its ``x-`` keys.

    Examples
    --------
    >>> from cio_framework.model import Role
    >>> unstructure(Role(id="epb-cio", title="Departmental CIO", level="support"))
    {'id': 'epb-cio', 'title': 'Departmental CIO', 'level': 'support'}
    """
    if not (isinstance(obj, Scenario) or attrs.has(type(obj))):
        raise TypeError(
            f"unstructure() takes a Scenario or one of its elements, not {type(obj).__name__}"
        )
    plain = scenario_to_plain(obj) if isinstance(obj, Scenario) else _unstructure(obj)
    return json.loads(data_to_json(plain))  # type: ignore[no-any-return]


#: A class's fields as written: (plan, attribute name, key, default); the
#: default is ``_REQUIRED`` for a required field.
_Written = tuple[tuple[FieldPlan, str, str, Any], ...]
_WRITTEN: dict[type, _Written] = {}
_REQUIRED = object()


def _written(cls: type) -> _Written:
    """The fields of ``cls`` to write, extensions last, worked out once per
    class (the model's defaults are immutable, so one instance of each
    serves every comparison)."""
    found = _WRITTEN.get(cls)
    if found is None:
        plans = sorted(plan_of(cls), key=lambda plan: plan.name == "extensions")
        found = _WRITTEN[cls] = tuple(
            (plan, plan.name, plan.key, _REQUIRED if plan.required else plan.default_value())
            for plan in plans
        )
    return found


def _unstructure(obj: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for plan, name, key, default in _written(obj.__class__):
        value = getattr(obj, name)
        if name == "extensions":
            for k, v in value.items():
                result[k] = _plain(v)
        elif default is _REQUIRED or value != default:
            result[key] = _plain(value, plan)
    return result


def scenario_to_plain(scenario: Scenario) -> dict[str, Any]:
    """The whole scenario as plain data, scalars first, then collections."""
    plain = _unstructure(scenario)
    ordered: dict[str, Any] = {"cio_framework": plain.pop("cio_framework", scenario.format_version)}
    for key in list(plain):
        if key not in COLLECTIONS:
            ordered[key] = plain.pop(key)
    if scenario.levels == DEFAULT_LEVELS:
        plain.pop("levels", None)
    ordered.update(plain)
    return ordered


def _json_value(value: Any) -> Any:
    """What ``json.dumps`` cannot write by itself: dates, read-only maps."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, FrozenMap):
        return dict(value)
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"a {type(value).__name__} is not scenario data")


#: Writes JSON with the standard library's C encoder (which an ``indent``
#: would turn off): characters as themselves, dates as ISO strings.
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_json_value)


def data_to_json(data: Any) -> str:
    """Plain data as one line of JSON text: non-ASCII characters as
    themselves, a lone surrogate (which no UTF-8 text holds) as its JSON
    escape, so the text reads back exactly.

    Extension (``x-``) data may hold what YAML can say and JSON cannot: a
    date is written as its ISO string and a key that is not a string as
    JSON writes it (``1`` as ``"1"``), so they come back as strings; an
    infinite float is written ``Infinity``, as Python's :mod:`json` (and so
    :func:`~cio_framework.loads`) reads it.

    Raises
    ------
    TypeError
        For a value that is not scenario data (an object, a set).
    ValueError
        For an integer too long to write in decimal.
    """
    text = _ENCODER.encode(data)
    if not text.isascii():
        text = SURROGATE.sub(u_escape, text)
    return text


def to_json(scenario: Scenario) -> str:
    """Serialise a scenario to JSON text: the top-level keys one a line, and
    each element of a collection on a line of its own, so that two versions
    compare line by line. DEL, the C1 controls and the bidi overrides are
    written as ``\\u`` escapes, as in every JSON output (the text reads
    back the same, and is safe to print)."""
    lines = []
    for key, value in scenario_to_plain(scenario).items():
        name = data_to_json(key)
        if key in COLLECTIONS and value:
            items = ",\n  ".join(data_to_json(item) for item in value)
            lines.append(f" {name}: [\n  {items}\n ]")
        else:
            lines.append(f" {name}: {data_to_json(value)}")
    return json_safe("{\n" + ",\n".join(lines) + "\n}\n")


def to_yaml(scenario: Scenario) -> str:
    """Serialise a scenario to YAML text.

    A lone surrogate (which only a JSON escape such as ``"\\ud800"`` can
    make) is written as the six characters ``\\ud800``, as standard output
    and ``-o`` show it: no UTF-8 text can hold the character itself.
    """
    text: str = yaml.dump(
        scenario_to_plain(scenario),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=88,
    )
    return escape_bidi(text)


class OutputRefusedError(CioFrameworkError, OSError):
    """Writing to a path was refused: it would replace what it must not.

    Raised for a link to nothing, a file with several hard links, a block
    device or socket, and a path that is one of the command's own inputs.
    It is an :class:`OSError` too, so ``except OSError`` catches every
    failure to write.

    Examples
    --------
    >>> err = OutputRefusedError("out.yaml", "it is an input", "write elsewhere")
    >>> print(err)
    will not write out.yaml: it is an input; write elsewhere
    >>> isinstance(err, OSError), err.filename
    (True, 'out.yaml')
    """

    def __init__(self, path: str, reason: str, hint: str) -> None:
        super().__init__(errno.EPERM, reason, path)
        self.hint = hint

    def __str__(self) -> str:
        return f"will not write {self.filename}: {self.strerror}; {self.hint}"


_TEMP_PREFIX = ".cio-"
_TEMP_SUFFIX = ".tmp"
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOCTTY = getattr(os, "O_NOCTTY", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)


def write_atomic(
    path: str | os.PathLike[str],
    text: str | bytes,
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    errors: str = "strict",
) -> None:
    """Write ``text`` (UTF-8) to ``path``, replacing only what is safe to replace.

    What is at ``path`` decides what happens:

    * nothing: a new file is made, with mode ``0o666`` less the umask;
    * a regular file: it is replaced atomically, through a temporary file
      ``.cio-*.tmp`` in its folder and a rename, so readers see the old text
      or the new, never half. The new file keeps the old one's mode, and its
      owner and group where the writer may set them (otherwise it is the
      writer's, as any new file, and loses set-user-ID and set-group-ID);
      extended attributes (ACLs) are copied where the system allows. A file
      the writer may not write to is not replaced (``PermissionError``), nor
      is a file with several hard links (the rename would break them);
    * a symbolic link: the file it points to gets these rules, and the link
      stays; a link to nothing is refused;
    * a link to an open descriptor (``/dev/stdout``, ``/dev/fd/N``,
      ``/proc/PID/fd/N``) whose file is a regular file: it is added to at
      its end, as the descriptor would be written (after the shell's ``>``
      the file is empty; after ``>>`` what it held is kept), never replaced;
    * a FIFO or a character device (``/dev/null``, a terminal): it is opened
      and written to, never replaced (a FIFO waits for a reader, as with a
      shell's ``>``);
    * a block device or a socket: refused.

    A write that fails or is interrupted (an exception, ``KeyboardInterrupt``)
    removes its temporary file; only a killed process (``SIGKILL``) or a
    crash can leave one. The process's umask and other state are not
    changed.

    Parameters
    ----------
    path
        Where to write.
    text
        What to write: a text, encoded as UTF-8, or bytes as they are.
    inputs
        Files and folders the caller reads: ``path`` must not be one of them
        (compared by identity, through links), nor lie inside one of the
        folders. A FIFO or device is written to, not replaced, so it may be
        an input too (a terminal read as ``/dev/stdin``, written as
        ``/dev/stdout``).
    errors
        How characters UTF-8 cannot encode (lone surrogates) are handled, as
        in :meth:`str.encode`.

    Raises
    ------
    OutputRefusedError
        When ``path`` must not be written (see above).
    OSError
        When writing fails; the old file, if any, is intact.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(folder / "out.txt", "hello\\n")
    >>> (folder / "out.txt").read_text()
    'hello\\n'
    >>> (folder / "link.txt").symlink_to("out.txt")
    >>> write_atomic(folder / "link.txt", "again\\n")
    >>> (folder / "link.txt").is_symlink(), (folder / "out.txt").read_text()
    (True, 'again\\n')
    >>> write_atomic(folder / "out.txt", "x", inputs=[folder / "link.txt"])
    Traceback (most recent call last):
    ...
    cio_framework.config._dump.OutputRefusedError: will not write ...
    >>> sorted(p.name for p in folder.iterdir())
    ['link.txt', 'out.txt']
    >>> import shutil; shutil.rmtree(folder)
    """
    target = os.fspath(path)
    data = text if isinstance(text, bytes) else text.encode("utf-8", errors)
    refuse_inputs(target, [os.fspath(p) for p in inputs])
    try:
        fd = os.open(target, os.O_WRONLY | _O_NOCTTY | _O_CLOEXEC | _O_BINARY)
    except FileNotFoundError:
        if os.path.islink(target):
            raise OutputRefusedError(
                target,
                f"it is a symbolic link to {os.readlink(target)}, which does not exist",
                "write to a file that exists or to a new path, or remove the link",
            ) from None
        _replace(target, data, None)
        return
    except OSError as exc:  # a socket cannot be opened (ENXIO)
        if exc.errno == errno.ENXIO and _is_socket(target):
            raise OutputRefusedError(target, "it is a socket", _NOT_REGULAR) from None
        raise
    try:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode) and _through_descriptor(target):
            os.lseek(fd, 0, os.SEEK_END)
            _write_all(fd, data)
        elif stat.S_ISREG(info.st_mode):
            if info.st_nlink > 1:
                raise OutputRefusedError(
                    target,
                    f"the file has {info.st_nlink} hard links, which replacing it would break",
                    "write to a new path, or remove the other links first",
                )
            real = _real_file(target, info)
            if real is None:  # a link only the kernel can follow
                os.ftruncate(fd, 0)
                _write_all(fd, data)
            else:
                _replace(real, data, (fd, info))
        elif stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
            _write_all(fd, data)
        else:
            kind = "a block device" if stat.S_ISBLK(info.st_mode) else "not a regular file"
            raise OutputRefusedError(target, f"it is {kind}", _NOT_REGULAR)
    finally:
        os.close(fd)


#: What to do instead of writing to a block device or socket.
_NOT_REGULAR = "write to a regular file, a FIFO or - (standard output)"


def _is_socket(target: str) -> bool:
    try:
        return stat.S_ISSOCK(os.stat(target).st_mode)
    except OSError:
        return False


def refuse_inputs(target: str, inputs: list[str]) -> None:
    """Raise :class:`OutputRefusedError` when ``target`` is one of ``inputs``
    or lies inside an input folder (``target`` need not exist yet: a new
    folder to be made is checked before it is made)."""
    if not inputs:
        return
    try:
        out: os.stat_result | None = os.stat(target)
    except OSError:
        out = None
    folders = set()
    folder = os.path.dirname(os.path.realpath(target))
    while True:
        with contextlib.suppress(OSError):
            info = os.stat(folder)
            folders.add((info.st_dev, info.st_ino))
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for name in inputs:
        try:
            info = os.stat(name)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode):
            if (info.st_dev, info.st_ino) in folders:
                raise OutputRefusedError(
                    target,
                    f"it is inside the scenario folder {name} that this command reads",
                    "write it outside the folder",
                )
        elif out is not None and stat.S_ISREG(out.st_mode) and os.path.samestat(info, out):
            same = "" if os.path.abspath(name) == os.path.abspath(target) else f" ({name})"
            raise OutputRefusedError(
                target,
                f"it is an input of this command{same}",
                "choose another output file",
            )


#: The folders of descriptor links: ``/proc/self/fd``, as its real path.
_DESCRIPTOR_FOLDER = re.compile(r"/proc/(?:self|thread-self|[0-9]+)(?:/task/[0-9]+)?/fd")


def _through_descriptor(target: str) -> bool:
    """Whether ``target`` reaches its file through a link to an open
    descriptor (``/dev/stdout`` is ``/proc/self/fd/1``): such a link names
    an open file (a shell's ``>>`` redirection), not a path to replace."""
    path = os.path.abspath(target)
    for _ in range(40):  # the links the kernel follows at most
        if not os.path.islink(path):
            return False
        if _DESCRIPTOR_FOLDER.fullmatch(os.path.realpath(os.path.dirname(path))):
            return True
        path = os.path.join(os.path.dirname(path), os.readlink(path))
    return False


def _real_file(target: str, info: os.stat_result) -> str | None:
    """The path of the regular file ``target`` names, or None if it has none."""
    if not os.path.islink(target):
        return target
    real = os.path.realpath(target)
    try:
        found = os.lstat(real)
    except OSError:
        return None
    return real if stat.S_ISREG(found.st_mode) and os.path.samestat(found, info) else None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _replace(target: str, data: bytes, old: tuple[int, os.stat_result] | None) -> None:
    """Write ``data`` to a new temporary file next to ``target``, then rename it."""
    folder = os.path.dirname(os.path.abspath(target))
    # A new file is made with 0o666 and the kernel applies the umask; a
    # replacement starts private and gets the old file's mode before the rename.
    fd, tmp = _temporary(folder, target, 0o666 if old is None else 0o600)
    try:
        try:
            if old is not None:
                _keep_metadata(old, fd)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        folder_fd = os.open(folder, os.O_RDONLY | _O_CLOEXEC)
        try:
            os.fsync(folder_fd)
        finally:
            os.close(folder_fd)


def _temporary(folder: str, target: str, mode: int) -> tuple[int, str]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_CLOEXEC | _O_NOCTTY | _O_BINARY
    for _ in range(100):
        tmp = os.path.join(folder, f"{_TEMP_PREFIX}{os.urandom(6).hex()}{_TEMP_SUFFIX}")
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue
        except PermissionError as exc:
            raise PermissionError(
                exc.errno,
                f"{exc.strerror}: the folder {folder} is not writable (the file is written "
                "to a temporary file there, then renamed)",
                target,
            ) from None
        except FileNotFoundError as exc:
            raise FileNotFoundError(
                exc.errno, f"{exc.strerror}: the folder {folder} does not exist", target
            ) from None
    raise FileExistsError(errno.EEXIST, "no free temporary file name", folder)


def _keep_metadata(old: tuple[int, os.stat_result], fd: int) -> None:
    """Give the temporary file ``fd`` the owner, attributes and mode of ``old``."""
    old_fd, info = old
    mode = stat.S_IMODE(info.st_mode)
    if hasattr(os, "fchown"):
        now = os.fstat(fd)
        if now.st_uid != info.st_uid or now.st_gid != info.st_gid:
            try:
                os.fchown(fd, info.st_uid, info.st_gid)
            except OSError:
                with contextlib.suppress(OSError):
                    os.fchown(fd, -1, info.st_gid)
                now = os.fstat(fd)
                if now.st_uid != info.st_uid:
                    mode &= ~stat.S_ISUID
                if now.st_gid != info.st_gid:
                    mode &= ~stat.S_ISGID
    if hasattr(os, "listxattr"):
        with contextlib.suppress(OSError):
            for name in os.listxattr(old_fd):
                with contextlib.suppress(OSError):
                    os.setxattr(fd, name, os.getxattr(old_fd, name))
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
