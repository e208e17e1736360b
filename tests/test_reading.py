"""What a scenario path reads (issue 12, §2): links, special files, deep
folders, the size limit while reading, standard input and built-in names.

The rule under test is the docstring of ``cio_framework.config._read``.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import cio_framework
from cio_framework.cli import main
from cio_framework.config import Limits, read_sources
from cio_framework.exceptions import ConfigError

HEADER = "cio_framework: 1\n"
SECRET = "root:x:0:0:the-secret-line-of-another-file\n"
DEPARTMENTS = HEADER + "departments:\n  - {id: epb, name: EPB}\n"
ONE_DEPARTMENT = HEADER + "name: One\ndepartments:\n  - {id: epb, name: EPB}\n"


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def problems_of(path: Path, limits: Limits | None = None) -> list[cio_framework.Problem]:
    with pytest.raises(ConfigError) as caught:
        cio_framework.load(path, limits=limits)
    return list(caught.value.problems)


def io_problem(problems: list[cio_framework.Problem], name: Path) -> cio_framework.Problem:
    found = [p for p in problems if p.file == str(name)]
    assert len(found) == 1, problems
    assert found[0].code == "io"
    return found[0]


# -- links ------------------------------------------------------------------------


def test_a_link_out_of_the_folder_is_a_problem_and_its_file_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "scenario"
    write(folder, {"a.yaml": ONE_DEPARTMENT})
    (folder / "b.yaml").symlink_to(outside)
    problems = problems_of(folder)
    problem = io_problem(problems, folder / "b.yaml")
    assert "outside the scenario folder" in problem.message
    assert len(problems) == 1
    assert all("the-secret-line" not in str(p) for p in problems)


def test_a_link_to_a_folder_outside_is_a_problem(tmp_path: Path) -> None:
    write(tmp_path / "elsewhere", {"x.yaml": SECRET})
    folder = tmp_path / "scenario"
    write(folder, {"a.yaml": ONE_DEPARTMENT})
    (folder / "more").symlink_to(tmp_path / "elsewhere")
    problem = io_problem(problems_of(folder), folder / "more")
    assert "a folder outside" in problem.message


def test_dangling_and_looping_links_are_problems(tmp_path: Path) -> None:
    write(tmp_path, {"a.yaml": ONE_DEPARTMENT})
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    (tmp_path / "ping").symlink_to(tmp_path / "pong")
    (tmp_path / "pong").symlink_to(tmp_path / "ping")
    problems = problems_of(tmp_path)
    assert "leads to nothing" in io_problem(problems, tmp_path / "gone.yaml").message
    assert "loops" in io_problem(problems, tmp_path / "loop.yaml").message
    assert "loops" in io_problem(problems, tmp_path / "ping").message
    assert "loops" in io_problem(problems, tmp_path / "pong").message
    assert len(problems) == 4


def test_a_link_inside_the_folder_is_read_once(tmp_path: Path) -> None:
    """A file reached by two names is read once, under the first name; a link
    to a folder inside is not followed (the folder is read where it is)."""
    write(tmp_path, {"b.yaml": ONE_DEPARTMENT})
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "again").symlink_to(tmp_path)
    sources, problems = read_sources(tmp_path)
    assert problems == []
    assert [s.name for s in sources] == [str(tmp_path / "a.yaml")]
    assert [d.id for d in cio_framework.load(tmp_path).departments] == ["epb"]


def test_a_link_into_a_hidden_folder_inside_is_read(tmp_path: Path) -> None:
    write(tmp_path, {".shared/d.yaml": ONE_DEPARTMENT})
    (tmp_path / "d.yaml").symlink_to(tmp_path / ".shared" / "d.yaml")
    assert [d.id for d in cio_framework.load(tmp_path).departments] == ["epb"]


def test_a_link_named_explicitly_is_followed(tmp_path: Path) -> None:
    target = tmp_path / "real.yaml"
    target.write_text(ONE_DEPARTMENT, encoding="utf-8")
    link = tmp_path / "elsewhere" / "link.yaml"
    link.parent.mkdir()
    link.symlink_to(target)
    assert [d.id for d in cio_framework.load(link).departments] == ["epb"]
    write(tmp_path / "real-folder", {"a.yaml": ONE_DEPARTMENT})
    (tmp_path / "folder-link").symlink_to(tmp_path / "real-folder")
    assert [d.id for d in cio_framework.load(tmp_path / "folder-link").departments] == ["epb"]
    # inside a folder named through a link, "inside" means inside its target
    (tmp_path / "real-folder" / "b.yaml").symlink_to(target)
    problems = problems_of(tmp_path / "folder-link")
    assert "outside" in io_problem(problems, tmp_path / "folder-link" / "b.yaml").message


# -- special files and unreadable folders -------------------------------------------


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    """Opening a FIFO for reading waits for a writer; the loader must not."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    write(tmp_path / "folder", {"a.yaml": ONE_DEPARTMENT})
    os.mkfifo(tmp_path / "folder" / "b.yml")
    os.mkfifo(tmp_path / "folder" / "not-a-scenario")
    found: dict[str, list[cio_framework.Problem]] = {}

    def load_both() -> None:
        found["file"] = problems_of(fifo)
        found["folder"] = problems_of(tmp_path / "folder")

    worker = threading.Thread(target=load_both, daemon=True)
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():  # unblock a waiting reader, if any, before failing
        for name in (fifo, tmp_path / "folder" / "b.yml"):
            with contextlib.suppress(OSError):
                os.close(os.open(name, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading a FIFO waited for a writer")
    assert "a FIFO" in io_problem(found["file"], fifo).message
    assert "a FIFO" in io_problem(found["folder"], tmp_path / "folder" / "b.yml").message
    assert len(found["folder"]) == 1


def test_a_device_is_refused_before_reading() -> None:
    problems = problems_of(Path("/dev/zero"))
    assert "a character device" in io_problem(problems, Path("/dev/zero")).message


def test_the_size_limit_holds_while_reading() -> None:
    """/proc files state a size of 0 and hold more: the limit counts bytes read."""
    status = Path("/proc/self/status")
    if not status.exists() or status.stat().st_size != 0:
        pytest.fail("this test needs Linux /proc, whose files state a size of 0")
    problems = problems_of(status, limits=Limits(max_bytes=64))
    assert [(p.code, p.message) for p in problems] == [
        ("limit", "the file is over the limit of 64 bytes")
    ]


def refuse_listing(monkeypatch, name: str) -> None:
    """Listing a folder called ``name`` fails as for one without read permission."""
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path).name == name:
            raise PermissionError(13, os.strerror(13), str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_folder_is_a_problem(tmp_path: Path, monkeypatch) -> None:
    """Listing a sub-folder fails (as for a folder without read permission,
    which root could read all the same, so the failure is simulated)."""
    write(tmp_path, {"a.yaml": ONE_DEPARTMENT, "locked/b.yaml": HEADER + "name: x\n"})
    refuse_listing(monkeypatch, "locked")
    problems = problems_of(tmp_path)
    assert len(problems) == 1
    assert problems[0].code == "io"
    assert problems[0].message == f"cannot list the folder: {os.strerror(13)}"
    assert problems[0].file == str(tmp_path / "locked")


def test_a_deeply_nested_folder_is_walked(tmp_path: Path) -> None:
    """1,500 levels: far beyond Python's recursion limit of 1,000."""
    depth = 1500
    root = tmp_path / "deep"
    root.mkdir()
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        with open(os.open("s.yaml", os.O_WRONLY | os.O_CREAT, dir_fd=fd), "w") as file:
            file.write(ONE_DEPARTMENT)
    finally:
        os.close(fd)
    try:
        assert [d.id for d in cio_framework.load(root).departments] == ["epb"]
    finally:
        _remove_deep(root, depth)


def _remove_deep(root: Path, depth: int) -> None:
    """Remove the nested folders bottom up (shutil.rmtree recurses, and fails)."""
    fds = [os.open(root, os.O_RDONLY)]
    try:
        for _ in range(depth):
            fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
        os.unlink("s.yaml", dir_fd=fds[-1])
        while len(fds) > 1:
            os.close(fds.pop())
            os.rmdir("d", dir_fd=fds[-1])
    finally:
        for fd in fds:
            os.close(fd)


# -- which files a folder reads ------------------------------------------------------


def test_a_folder_reads_yaml_and_yml_only(tmp_path: Path) -> None:
    """The JSON schema that the editor page suggests saving beside the files
    is not part of the scenario; a JSON file named by itself still loads."""
    write(
        tmp_path,
        {
            "a.yaml": DEPARTMENTS,
            "b.YML": HEADER + "name: Named\n",
            "cio-framework.schema.json": '{"$schema": "x", "type": "object"}',
            "notes.txt": "not: [yaml",
        },
    )
    loaded = cio_framework.load(tmp_path)
    assert (loaded.name, [d.id for d in loaded.departments]) == ("Named", ["epb"])
    (tmp_path / "c.json").write_text('{"cio_framework": 1, "name": "J"}', encoding="utf-8")
    assert cio_framework.load(tmp_path / "c.json").name == "J"


# -- standard input ------------------------------------------------------------------


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_dash_reads_standard_input(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(ONE_DEPARTMENT.encode()))
    assert main(["validate", "-"]) == 0
    assert "-: valid" in capsys.readouterr().err


def test_standard_input_is_located_and_limited(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin((ONE_DEPARTMENT + "titel: x\n").encode()))
    assert main(["validate", "-"]) == 1
    assert "<stdin>:5:1: error: unknown top-level key 'titel'" in capsys.readouterr().out
    monkeypatch.setattr("cio_framework.cli.DEFAULT_LIMITS", Limits(max_bytes=100))
    stdin = _Stdin(HEADER.encode() + b"#" * 10_000)
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["validate", "-"]) == 1
    out = capsys.readouterr().out
    assert "<stdin>: error: the file is over the limit of 100 bytes [limit]" in out
    assert stdin.buffer.tell() <= 101  # stopped reading one byte past the limit


def test_dash_from_a_real_pipe() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cio_framework", "islands", "-"],
        input=ONE_DEPARTMENT.encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


# -- built-in names ------------------------------------------------------------------


def test_a_file_named_like_a_builtin_is_ambiguous(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pudong-2016").write_text(ONE_DEPARTMENT, encoding="utf-8")
    assert main(["validate", "pudong-2016"]) == 2
    err = capsys.readouterr().err
    assert "names both a file here and a built-in scenario" in err
    assert "./pudong-2016" in err
    assert "builtin:pudong-2016" in err
    assert main(["validate", "./pudong-2016"]) == 0
    assert "./pudong-2016: valid" in capsys.readouterr().err
    assert main(["validate", "builtin:pudong-2016"]) == 0
    capsys.readouterr()
    assert main(["report"]) == 0  # the default names the built-in explicitly
    assert capsys.readouterr().out.startswith("Pudong New Area")


def test_builtin_prefix_with_an_unknown_name(capsys) -> None:
    assert main(["validate", "builtin:nowhere"]) == 2
    assert "no built-in scenario 'nowhere'" in capsys.readouterr().err


# -- each problem, word for word (the mutation run of _read asked for these) ---------


def test_every_problem_of_a_folder_word_for_word(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write(outside, {"x.yaml": SECRET})
    folder = tmp_path / "scenario"
    write(folder, {"a.yaml": ONE_DEPARTMENT})
    (folder / "f.yaml").symlink_to(outside / "x.yaml")
    (folder / "g").symlink_to(outside)
    (folder / "h.yaml").symlink_to(folder / "none.yaml")
    (folder / "i.yaml").symlink_to(folder / "i.yaml")
    os.mkfifo(folder / "j.yaml")
    links = "remove the link or fix its target"
    out = "copy what it leads to into the folder; nothing outside it is read unless named"
    special = "a scenario is a regular file or a folder; read standard input with '-'"
    expected = [
        ("not read: the link leads to a file outside the scenario folder", "f.yaml", out),
        ("not read: the link leads to a folder outside the scenario folder", "g", out),
        ("not read: the link leads to nothing", "h.yaml", links),
        ("not read: the link loops back on itself", "i.yaml", links),
        ("not read: the path is a FIFO (named pipe), not a regular file", "j.yaml", special),
    ]
    found = sorted((p.message, p.file, p.hint, p.code) for p in problems_of(folder))
    assert found == [(m, str(folder / f), h, "io") for m, f, h in expected]


def test_a_link_that_cannot_be_followed(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"a.yaml": ONE_DEPARTMENT})
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    real = os.path.realpath

    def realpath(path, *, strict=False):  # type: ignore[no-untyped-def]
        if str(path).endswith("b.yaml"):
            raise PermissionError(13, os.strerror(13), str(path))
        return real(path, strict=strict)

    monkeypatch.setattr(os.path, "realpath", realpath)
    (problem,) = problems_of(tmp_path)
    assert problem.message == f"not read: the link cannot be followed: {os.strerror(13)}"


def test_a_file_that_vanishes_during_the_walk(tmp_path: Path, monkeypatch) -> None:
    from cio_framework.config import _read

    write(tmp_path, {"a.yaml": ONE_DEPARTMENT, "b.yaml": HEADER})
    walk = _read._walk

    def vanishing(*args):  # type: ignore[no-untyped-def]
        for relative, entry in walk(*args):
            if relative == "b.yaml":
                os.unlink(entry.path)
            yield relative, entry

    monkeypatch.setattr(_read, "_walk", vanishing)
    (problem,) = problems_of(tmp_path)
    assert (problem.file, problem.code) == (str(tmp_path / "b.yaml"), "io")
    assert problem.message == f"cannot read the file: {os.strerror(2)}"


def test_a_file_swapped_for_a_link_after_the_walk_is_not_followed(
    tmp_path: Path, monkeypatch
) -> None:
    """Between the walk and the read, a folder's file becomes a link out of
    the folder: the read refuses the link instead of following it."""
    from cio_framework.config import _read

    outside = tmp_path / "secret.yaml"
    outside.write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "scenario"
    write(folder, {"a.yaml": ONE_DEPARTMENT, "b.yaml": HEADER})
    listed = _read._folder_files

    def swapped(root, problems):  # type: ignore[no-untyped-def]
        files = listed(root, problems)
        (folder / "b.yaml").unlink()
        (folder / "b.yaml").symlink_to(outside)
        return files

    monkeypatch.setattr(_read, "_folder_files", swapped)
    (problem,) = problems_of(folder)
    assert problem.file == str(folder / "b.yaml")
    assert problem.message == f"cannot read the file: {os.strerror(errno.ELOOP)}"
    assert "the-secret-line" not in str(problem)


def test_an_unlistable_folder_does_not_stop_the_walk(tmp_path: Path, monkeypatch) -> None:
    """The folder listed after the unlistable one is still read."""
    write(tmp_path, {"a-dir/a.yaml": ONE_DEPARTMENT, "locked/b.yaml": HEADER})
    refuse_listing(monkeypatch, "locked")
    sources, problems = read_sources(tmp_path)
    assert [s.name for s in sources] == [str(tmp_path / "a-dir" / "a.yaml")]
    assert len(problems) == 1


def test_files_are_taken_in_order_of_their_names_in_the_folder(tmp_path: Path) -> None:
    """Not of the paths they lead to: a link's name counts."""
    write(tmp_path, {"b.yaml": DEPARTMENTS, "zz/q.yml": HEADER + "name: Q\n"})
    (tmp_path / "a.yaml").symlink_to(tmp_path / "zz" / "q.yml")
    sources, problems = read_sources(tmp_path)
    assert problems == []
    assert [s.name for s in sources] == [str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")]


@pytest.mark.parametrize("extra", [0, 1])
def test_the_size_limit_is_exact(tmp_path: Path, extra: int) -> None:
    text = HEADER + "name: x\n"
    path = tmp_path / "a.yaml"
    path.write_text(text + "#" * extra, encoding="utf-8")
    limits = Limits(max_bytes=len(text))
    if not extra:
        assert cio_framework.load(path, limits=limits).name == "x"
        return
    (problem,) = problems_of(path, limits=limits)
    size = len(text) + 1
    assert problem.message == f"the file is {size:,} bytes, over the limit of {len(text):,} bytes"


class _Trickle(io.RawIOBase):
    """A stream that gives at most two bytes a read."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk, self.data = self.data[: min(size, 2)], self.data[min(size, 2) :]
        return chunk


@pytest.mark.parametrize("limit", [0, 1, 5, 6, 100])
def test_read_stream_reads_one_byte_past_the_limit_at_most(limit: int) -> None:
    from cio_framework.config._read import read_stream

    data = b"abcdef"
    assert read_stream(_Trickle(data), limit) == data[: limit + 1]
    assert read_stream(io.BytesIO(data), limit) == data[: limit + 1]


def test_decode_drops_a_byte_order_mark_and_locates_a_bad_byte() -> None:
    from cio_framework.config._read import decode

    assert decode(b"\xef\xbb\xbfname: x", "a.yaml") == ("name: x", None)
    text, problem = decode(b"a: 1\nb: 2\ncc: \xff\n", "a.yaml")
    assert text == ""
    assert problem is not None
    assert (problem.line, problem.column) == (3, 5)


def test_a_link_to_a_fifo_inside_the_folder_is_refused(tmp_path: Path) -> None:
    write(tmp_path, {"a.yaml": ONE_DEPARTMENT})
    os.mkfifo(tmp_path / "pipe")  # not a scenario name: not a problem by itself
    (tmp_path / "b.yaml").symlink_to(tmp_path / "pipe")
    (problem,) = problems_of(tmp_path)
    assert (problem.file, problem.code) == (str(tmp_path / "b.yaml"), "io")
    assert problem.message == "not read: the path is a FIFO (named pipe), not a regular file"


def test_a_file_that_fails_while_it_is_read(tmp_path: Path, monkeypatch) -> None:
    from cio_framework.config import _read

    path = tmp_path / "a.yaml"
    path.write_text(ONE_DEPARTMENT, encoding="utf-8")

    def failing(stream, max_bytes):  # type: ignore[no-untyped-def]
        raise OSError(5, os.strerror(5))

    monkeypatch.setattr(_read, "read_stream", failing)
    (problem,) = problems_of(path)
    assert (problem.file, problem.code) == (str(path), "io")
    assert problem.message == f"cannot read the file: {os.strerror(5)}"
