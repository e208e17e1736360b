"""What a scenario path reads, and how much of it.

Definition
----------
A scenario path names a file or a folder.

* **A file** is read when it is a regular file. Naming a path is asking for
  it, so a link given on the command line is followed. A FIFO, a device or a
  socket is refused before anything is read from it (``io``).
* **A folder** reads every regular file below it whose name ends in
  ``.yaml`` or ``.yml`` (in any case), in sorted order of the paths relative
  to the folder. Names starting with ``.`` are skipped, with everything below
  them. Other names (``.json``, ``README``) are not scenario files and are
  left alone.
* **Links inside a folder** are followed only to a file inside the folder,
  and a file reached by two paths is read once, under the first path in that
  order. A link to a folder is not followed: the folder it leads to is read
  where it is, if it is inside. A link that leads outside the folder, one
  that leads nowhere, one that loops, a sub-folder that cannot be listed and
  a scenario-named FIFO or device are each a problem (``io``): nothing
  outside the folder is read unless it is named itself.
* **Size.** At most ``max_bytes`` bytes are read from any file; the limit is
  enforced while reading, not taken from the file's stated size, so a file
  that grows or lies about its size is refused all the same (``limit``).

Complexity
----------
O(N + B) for N entries below the folder and B bytes read. The walk keeps
its own stack, so a folder nested thousands of levels deep costs no
recursion.

Examples
--------
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as folder:
...     root = pathlib.Path(folder)
...     _ = (root / "b.yaml").write_text("cio_framework: 1\\n")
...     _ = (root / "a.yml").write_text("cio_framework: 1\\n")
...     _ = (root / "schema.json").write_text("{}")
...     texts, problems = read_texts(root, max_bytes=1000)
...     [pathlib.Path(name).name for name, _ in texts], problems
(['a.yml', 'b.yaml'], [])
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..exceptions import Problem

__all__ = ["SCENARIO_SUFFIXES", "decode", "read_stream", "read_texts", "too_big"]

#: Name endings of the files a scenario folder reads (compared in lower case).
SCENARIO_SUFFIXES = (".yaml", ".yml")

_CHUNK = 1 << 20
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer
_OPEN_FLAGS = os.O_RDONLY | _NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def read_texts(
    path: str | os.PathLike[str], *, max_bytes: int
) -> tuple[list[tuple[str, str]], list[Problem]]:
    """``(name, text)`` of every scenario file ``path`` reads, and the problems.

    The module docstring states which files a folder reads.
    """
    root = Path(path)
    try:
        is_folder = stat.S_ISDIR(root.stat().st_mode)
    except OSError as exc:
        return [], [_io_problem(str(root), "cannot read the file", exc)]
    problems: list[Problem] = []
    files = _folder_files(root, problems) if is_folder else [(str(root), root, False)]
    texts = []
    for name, file, inside in files:
        data, problem = read_file(file, name, max_bytes=max_bytes, no_follow=inside)
        if problem is None:
            assert data is not None
            text, problem = decode(data, name)
        if problem is not None:
            problems.append(problem)
        else:
            texts.append((name, text))
    return texts, problems


def _folder_files(root: Path, problems: list[Problem]) -> list[tuple[str, Path, bool]]:
    """``(name, real path, True)`` of the scenario files below ``root``, in order."""
    real_root = Path(os.path.realpath(root))
    found: list[tuple[str, Path]] = []
    for relative, entry in _walk(real_root, root, problems):
        name = str(root / relative)
        real = _file_target(entry, real_root, name, problems)
        if real is not None:
            found.append((relative, real))
    found.sort(key=lambda item: item[0])
    files: list[tuple[str, Path, bool]] = []
    seen: set[Path] = set()
    for relative, real in found:
        if real not in seen:
            seen.add(real)
            files.append((str(root / relative), real, True))
    if not files and not problems:
        problems.append(
            Problem(
                message="the folder holds no .yaml or .yml files",
                code="io",
                file=str(root),
                hint="a scenario folder holds one or more YAML files that are merged",
            )
        )
    return files


def _walk(
    real_root: Path, root: Path, problems: list[Problem]
) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """``(relative path, entry)`` below ``real_root``, without following folder
    links; a folder that cannot be listed is named below ``root``, as given."""
    stack = [""]
    while stack:
        relative = stack.pop()
        try:
            with os.scandir(real_root / relative) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            problems.append(_io_problem(str(root / relative), "cannot list the folder", exc))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = f"{relative}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                stack.append(child + "/")
            else:
                yield child, entry


def _file_target(
    entry: os.DirEntry[str], real_root: Path, name: str, problems: list[Problem]
) -> Path | None:
    """The real path to read for ``entry``, or ``None`` (a problem says why, if any)."""
    wanted = entry.name.lower().endswith(SCENARIO_SUFFIXES)
    if not entry.is_symlink():
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            problems.append(_io_problem(name, "cannot read the file", exc))
            return None
        if stat.S_ISREG(mode) and wanted:
            return Path(entry.path)
        if wanted:
            problems.append(_special_file(name, mode))
        return None
    try:
        real = Path(os.path.realpath(entry.path, strict=True))
        mode = real.stat().st_mode
    except OSError as exc:
        problems.append(_broken_link(name, exc))
        return None
    inside = real_root in real.parents
    if stat.S_ISDIR(mode):
        if not inside and real != real_root:
            problems.append(_outside(name, "folder"))
        return None  # a folder inside is read where it is
    if not wanted:
        return None
    if not inside:
        problems.append(_outside(name, "file"))
        return None
    if not stat.S_ISREG(mode):
        problems.append(_special_file(name, mode))
        return None
    return real


def read_file(
    path: Path, name: str, *, max_bytes: int, no_follow: bool
) -> tuple[bytes | None, Problem | None]:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them.

    The file is opened first and its type taken from the open file, so it
    cannot be swapped between the check and the read; ``no_follow`` refuses
    a link in its place.
    """
    flags = _OPEN_FLAGS | (getattr(os, "O_NOFOLLOW", 0) if no_follow else 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return None, _io_problem(name, "cannot read the file", exc)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, _special_file(name, info.st_mode)
        if _NONBLOCK:
            os.set_blocking(fd, True)
        with open(fd, "rb", buffering=0, closefd=False) as stream:
            data = read_stream(stream, max_bytes)
    except OSError as exc:
        return None, _io_problem(name, "cannot read the file", exc)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        return None, too_big(name, info.st_size if info.st_size > max_bytes else None, max_bytes)
    return data, None


def read_stream(stream: BinaryIO, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of ``stream``: one more than the limit
    tells the caller that there was more.

    Examples
    --------
    >>> import io
    >>> read_stream(io.BytesIO(b"abcdef"), 3)
    b'abcd'
    """
    chunks = []
    left = max_bytes + 1
    while left > 0:
        chunk = stream.read(min(left, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def too_big(name: str | None, size: int | None, max_bytes: int) -> Problem:
    """The problem of a file over the size limit (``size`` ``None`` when unknown)."""
    stated = "" if size is None else f"{size:,} bytes, "
    return Problem(
        message=f"the file is {stated}over the limit of {max_bytes:,} bytes",
        code="limit",
        file=name,
        hint="split it into a folder of files, or raise the limit with Limits(max_bytes=...)",
    )


def decode(data: bytes, name: str | None) -> tuple[str, Problem | None]:
    """Decode UTF-8 (a byte-order mark is allowed), or locate the bad byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return "", Problem(
            message=f"the file is not valid UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
            code="encoding",
            file=name,
            line=line,
            column=column,
            hint="save the file as UTF-8",
        )


def _io_problem(name: str, what: str, exc: OSError) -> Problem:
    return Problem(message=f"{what}: {exc.strerror or exc}", code="io", file=name)


def _special_file(name: str, mode: int) -> Problem:
    kind = next((label for test, label in _KINDS if test(mode)), "not a regular file")
    return Problem(
        message=f"not read: the path is {kind}, not a regular file",
        code="io",
        file=name,
        hint="a scenario is a regular file or a folder; read standard input with '-'",
    )


def _broken_link(name: str, exc: OSError) -> Problem:
    if exc.errno == errno.ELOOP:
        message = "not read: the link loops back on itself"
    elif exc.errno == errno.ENOENT:
        message = "not read: the link leads to nothing"
    else:
        message = f"not read: the link cannot be followed: {exc.strerror or exc}"
    return Problem(message=message, code="io", file=name, hint="remove the link or fix its target")


def _outside(name: str, kind: str) -> Problem:
    return Problem(
        message=f"not read: the link leads to a {kind} outside the scenario folder",
        code="io",
        file=name,
        hint="copy what it leads to into the folder; nothing outside it is read unless named",
    )
