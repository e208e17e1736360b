"""Writing output files (``-o``, ``dump``): what is replaced, written to or refused."""

from __future__ import annotations

import io
import os
import shutil
import stat
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

import pytest

import cio_framework
from cio_framework.cli import main
from cio_framework.config._dump import OutputRefusedError, write_atomic

MINE = "cio_framework: 1\nname: Mine\n"

NOBODY = 65534


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".cio-"))


def report_text(capsys) -> str:
    code, out, _ = run(capsys, "report")
    assert code == 0
    return out


def as_nobody(argv: list[str]) -> tuple[int, str]:
    """Run the command line unprivileged: in a forked child when we are root."""
    if os.geteuid() != 0:
        stderr = io.StringIO()
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = io.StringIO(), stderr
        try:
            return main(argv), stderr.getvalue()
        finally:
            sys.stdout, sys.stderr = saved
    main(["synth", "--systems", "3"])  # import lazily loaded modules while still root
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 99
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
            code = main(argv)
            message = sys.stderr.getvalue()
        except BaseException:
            message = traceback.format_exc()
        os.write(write, message.encode("utf-8", "backslashreplace"))
        os._exit(code)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), b"".join(chunks).decode("utf-8")


@pytest.fixture
def shared(tmp_path):
    """A folder an unprivileged user can reach and write in."""
    if os.geteuid() != 0:
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="cio-shared-", dir="/tmp"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


# -- standard output --------------------------------------------------------


def test_dash_means_standard_output(capsys, tmp_path, monkeypatch):
    """-o - writes to standard output, not to a file named '-'."""
    monkeypatch.chdir(tmp_path)
    expected = report_text(capsys)
    code, out, err = run(capsys, "report", "-o", "-")
    assert code == 0
    assert out == expected
    assert err == ""
    assert list(tmp_path.iterdir()) == []


# -- FIFOs and devices: written to, never replaced ---------------------------


@pytest.mark.parametrize(
    "argv", [["report", "pudong-2016"], ["schema"], ["synth", "--systems", "3"]]
)
def test_an_empty_output_name_is_a_usage_error(capsys, argv):
    """-o "" (an unset shell variable) is a usage error, not standard output by surprise."""
    code, out, err = run(capsys, *argv, "-o", "")
    assert code == 2
    assert out == ""
    assert "-o was given an empty file name" in err


def test_fifo_is_written_to_not_replaced(capsys, tmp_path):
    """A FIFO is opened and written to; it stays a FIFO."""
    expected = report_text(capsys)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    received = bytearray()

    def reader() -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                chunk = os.read(fd, 65536)
            except BlockingIOError:
                time.sleep(0.01)
                continue
            if chunk:
                received.extend(chunk)
            elif received:
                return  # the writer closed its end
            else:
                time.sleep(0.01)  # no writer yet

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        code, _, err = run(capsys, "report", "-o", fifo)
    finally:
        thread.join()
        os.close(fd)
    assert code == 0, err
    assert received.decode("utf-8") == expected
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert leftovers(tmp_path) == []


def test_character_device_is_written_to_not_replaced(capsys, tmp_path):
    """A character device (a null device made in a temporary folder) is written to."""
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("cannot make device nodes here")
    code, _, err = run(capsys, "schema", "-o", node)
    assert code == 0, err
    assert stat.S_ISCHR(os.lstat(node).st_mode)
    assert os.lstat(node).st_rdev == os.makedev(1, 3)
    assert leftovers(tmp_path) == []


def test_device_that_is_also_an_input_is_written_to(tmp_path):
    """A device read and written (a terminal as /dev/stdin and /dev/stdout) is allowed."""
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("cannot make device nodes here")
    write_atomic(node, "text\n", inputs=[node])
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_dev_null_is_written_to(capsys):
    """-o /dev/null works and leaves /dev/null a device."""
    code, out, err = run(capsys, "report", "-o", "/dev/null")
    assert code == 0, err
    assert out == ""
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    assert leftovers(Path("/dev")) == []


def test_block_device_is_refused(capsys, tmp_path):
    """A block device holds a file system: writing a report over it is refused."""
    node = tmp_path / "disk"
    try:
        os.mknod(node, stat.S_IFBLK | 0o600, os.makedev(7, 200))
    except PermissionError:
        pytest.skip("cannot make device nodes here")
    code, _, err = run(capsys, "schema", "-o", node)
    assert code == 2
    assert str(node) in err
    assert "block device" in err
    assert stat.S_ISBLK(os.lstat(node).st_mode)
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not hasattr(__import__("socket"), "AF_UNIX"), reason="no Unix sockets")
def test_socket_is_refused(capsys, tmp_path):
    """A Unix socket is refused as docs/cli.rst says: it is a socket, and what to do instead."""
    import socket

    path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(path))
        code, _, err = run(capsys, "schema", "-o", path)
        with pytest.raises(OutputRefusedError):
            cio_framework.dump(cio_framework.builtin("pudong-2016"), path)
    assert code == 2
    assert f"will not write {path}: it is a socket; write to a regular file" in err
    assert leftovers(tmp_path) == []


def test_directory_is_a_clear_error(capsys, tmp_path):
    """-o naming a folder is a usage error, not a traceback."""
    code, _, err = run(capsys, "schema", "-o", tmp_path)
    assert code == 2
    assert f"cannot write {tmp_path}" in err
    assert leftovers(tmp_path) == []


# -- symbolic links ----------------------------------------------------------


def test_symlink_is_written_through_to_its_target(capsys, tmp_path):
    """A symbolic link stays a link; its target gets the new text."""
    target = tmp_path / "real.txt"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to("real.txt")
    expected = report_text(capsys)
    code, _, err = run(capsys, "report", "-o", link)
    assert code == 0, err
    assert link.is_symlink()
    assert os.readlink(link) == "real.txt"
    assert target.read_text(encoding="utf-8") == expected
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="no /proc/self/fd")
@pytest.mark.parametrize("spelling", ["/dev/fd/{fd}", "/proc/self/fd/{fd}"])
def test_a_descriptor_open_for_appending_is_added_to(tmp_path, spelling):
    """-o /dev/stdout with the shell's >> adds to the file: it is not replaced."""
    log = tmp_path / "log.txt"
    log.write_text("kept\n", encoding="utf-8")
    fd = os.open(log, os.O_WRONLY | os.O_APPEND)
    try:
        write_atomic(spelling.format(fd=fd), "added\n")
    finally:
        os.close(fd)
    assert log.read_text(encoding="utf-8") == "kept\nadded\n"
    assert leftovers(tmp_path) == []


def test_standard_output_appended_to_a_file_keeps_it(tmp_path):
    """cio-framework ... -o /dev/stdout >> log.txt keeps what log.txt held."""
    log = tmp_path / "log.txt"
    log.write_text("kept\n", encoding="utf-8")
    with open(log, "a", encoding="utf-8") as stream:
        saved = os.dup(1)
        os.dup2(stream.fileno(), 1)
        try:
            code = main(["schema", "-o", "/dev/stdout"])
        finally:
            os.dup2(saved, 1)
            os.close(saved)
    assert code == 0
    text = log.read_text(encoding="utf-8")
    assert text.startswith("kept\n{")
    assert leftovers(tmp_path) == []


def test_dump_writes_through_a_symlink(tmp_path):
    """The library's dump follows a link to its target as -o does."""
    target = tmp_path / "real.yaml"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    scenario = cio_framework.loads(MINE)
    cio_framework.dump(scenario, link)
    assert link.is_symlink()
    assert cio_framework.load(target) == scenario


def test_dangling_symlink_is_refused(capsys, tmp_path):
    """A link to nothing is refused with the link and a hint; nothing is created."""
    link = tmp_path / "link.txt"
    link.symlink_to("missing.txt")
    code, _, err = run(capsys, "schema", "-o", link)
    assert code == 2
    assert err.count("\n") == 1
    assert str(link) in err
    assert "missing.txt" in err
    assert "does not exist" in err
    assert link.is_symlink()
    assert not (tmp_path / "missing.txt").exists()
    assert leftovers(tmp_path) == []


def test_symlink_to_the_scenario_is_refused(capsys, tmp_path):
    """A link that points to the scenario is the scenario: refused, exit 2."""
    scenario = tmp_path / "mine.yaml"
    scenario.write_text(MINE, encoding="utf-8")
    link = tmp_path / "out.html"
    link.symlink_to(scenario)
    code, _, err = run(capsys, "report", scenario, "--format", "html", "-o", link)
    assert code == 2
    assert str(link) in err
    assert "input" in err
    assert scenario.read_text(encoding="utf-8") == MINE
    assert link.is_symlink()


# -- hard links, mode and owner ----------------------------------------------


def test_hard_linked_file_is_refused(capsys, tmp_path):
    """Replacing a file with several links would break them: refused, exit 2."""
    first = tmp_path / "a.txt"
    first.write_text("old\n", encoding="utf-8")
    second = tmp_path / "b.txt"
    os.link(first, second)
    code, _, err = run(capsys, "schema", "-o", first)
    assert code == 2
    assert err.count("\n") == 1
    assert str(first) in err
    assert "2 hard links" in err
    assert os.path.samefile(first, second)
    assert first.read_text(encoding="utf-8") == "old\n"
    assert leftovers(tmp_path) == []


def test_mode_is_kept(capsys, tmp_path):
    """Writing over a 0o640 file keeps 0o640."""
    target = tmp_path / "r.txt"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    assert run(capsys, "report", "-o", target)[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file away")
def test_owner_is_kept_when_the_writer_may_set_it(capsys, tmp_path):
    """Root writing over another user's file leaves it that user's."""
    target = tmp_path / "r.txt"
    target.write_text("old\n", encoding="utf-8")
    os.chown(target, NOBODY, NOBODY)
    target.chmod(0o2640)
    assert run(capsys, "report", "-o", target)[0] == 0
    info = target.stat()
    assert (info.st_uid, info.st_gid) == (NOBODY, NOBODY)
    assert stat.S_IMODE(info.st_mode) == 0o2640


@pytest.mark.skipif(not hasattr(os, "setxattr"), reason="no extended attributes here")
def test_extended_attributes_are_kept(capsys, tmp_path):
    """Extended attributes (user.*, ACLs) of the replaced file are copied."""
    target = tmp_path / "r.txt"
    target.write_text("old\n", encoding="utf-8")
    try:
        os.setxattr(target, "user.origin", b"cio")
    except OSError:
        pytest.skip("the file system has no user extended attributes")
    assert run(capsys, "report", "-o", target)[0] == 0
    assert os.getxattr(target, "user.origin") == b"cio"


def test_new_file_follows_the_umask_without_changing_it(tmp_path, monkeypatch):
    """A new file gets 0o666 less the umask, and the umask is never switched."""
    old = os.umask(0o027)
    try:

        def no_umask(mask: int) -> int:
            raise AssertionError("os.umask changes process-wide state")

        monkeypatch.setattr(os, "umask", no_umask)
        write_atomic(tmp_path / "new.txt", "text\n")
    finally:
        monkeypatch.undo()
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_read_only_file_is_not_replaced(shared):
    """A file the writer may not write to is left alone, as a shell would."""
    target = shared / "locked.yaml"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o444)
    code, err = as_nobody(["synth", "--systems", "3", "-o", str(target)])
    assert code == 2, err
    assert f"cannot write {target}: Permission denied" in err
    assert target.read_text(encoding="utf-8") == "old\n"
    assert leftovers(shared) == []


def test_read_only_folder_is_a_clear_error(shared):
    """In a folder the writer may not write to, the error says why."""
    folder = shared / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    target = folder / "out.yaml"
    code, err = as_nobody(["synth", "--systems", "3", "-o", str(target)])
    assert code == 2, err
    assert err.count("\n") == 1
    assert f"cannot write {target}" in err
    assert "folder" in err
    assert "not writable" in err
    assert list(folder.iterdir()) == []


def test_missing_folder_names_the_file_asked_for(tmp_path):
    """dump into a folder that does not exist names the file and the folder, not a temporary file."""
    target = tmp_path / "nowhere" / "out.yaml"
    with pytest.raises(FileNotFoundError) as caught:
        cio_framework.dump(cio_framework.builtin("pudong-2016"), target)
    assert caught.value.filename == str(target)
    assert ".cio-" not in str(caught.value)
    assert f"the folder {tmp_path / 'nowhere'} does not exist" in str(caught.value)


# -- interrupted writes ------------------------------------------------------


@pytest.mark.parametrize("exc", [OSError("disk full"), KeyboardInterrupt()])
def test_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch, exc):
    """A write that fails or is interrupted keeps the old file and no temp file."""
    target = tmp_path / "s.yaml"
    target.write_text("old\n", encoding="utf-8")

    def fail(fd: int) -> None:
        raise exc

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(type(exc)):
        write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert leftovers(tmp_path) == []


def test_interrupted_cli_write_is_a_clear_error(capsys, tmp_path, monkeypatch):
    """A failing write is an error message and exit 2, and leaves nothing behind."""
    target = tmp_path / "r.txt"

    def fail(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    code, _, err = run(capsys, "report", "-o", target)
    assert code == 2
    assert f"cannot write {target}: No space left on device" in err
    assert list(tmp_path.iterdir()) == []


def test_unencodable_text_is_written_like_standard_output(capsys, tmp_path):
    """A lone surrogate (possible in JSON) is escaped as on stdout, never a traceback."""
    scenario = tmp_path / "s.json"
    scenario.write_text('{"cio_framework": 1, "name": "a\\ud800b"}', encoding="utf-8")
    target = tmp_path / "r.txt"
    code, _, err = run(capsys, "report", scenario, "-o", target)
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("a\\ud800b\n")
    assert leftovers(tmp_path) == []


# -- a command's own inputs --------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "{s}", "--format", "html", "-o", "{s}"],
        ["export", "{s}", "-o", "{s}"],
    ],
    ids=["report", "export"],
)
def test_writing_over_the_scenario_is_refused(capsys, tmp_path, argv):
    """report/export -o SCENARIO refuses, exit 2, and the scenario is untouched."""
    scenario = tmp_path / "mine.yaml"
    scenario.write_text(MINE, encoding="utf-8")
    code, _, err = run(capsys, *(a.format(s=scenario) for a in argv))
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith(f"cio-framework: error: will not write {scenario}: ")
    assert "input" in err
    assert scenario.read_text(encoding="utf-8") == MINE
    assert leftovers(tmp_path) == []


def test_writing_over_the_scenario_by_another_name_is_refused(capsys, tmp_path, monkeypatch):
    """The same file under a relative name is still the input."""
    monkeypatch.chdir(tmp_path)
    scenario = tmp_path / "mine.yaml"
    scenario.write_text(MINE, encoding="utf-8")
    code, _, err = run(capsys, "report", scenario, "-o", "./mine.yaml")
    assert code == 2
    assert "will not write ./mine.yaml: it is an input of this command" in err
    assert scenario.read_text(encoding="utf-8") == MINE


@pytest.mark.parametrize("name", ["b.yaml", "sub/c.yaml", "report.html"])
def test_writing_into_a_folder_scenario_is_refused(capsys, tmp_path, name):
    """Any file inside a scenario folder is one of its inputs: refused, exit 2."""
    folder = tmp_path / "scenario"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.yaml").write_text(MINE, encoding="utf-8")
    (folder / "b.yaml").write_text("cio_framework: 1\ndepartments: []\n", encoding="utf-8")
    (folder / "sub" / "c.yaml").write_text("cio_framework: 1\nroles: []\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    code, _, err = run(capsys, "report", folder, "-o", folder / name)
    assert code == 2
    assert str(folder / name) in err
    assert "scenario folder" in err
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_writing_next_to_the_scenario_is_allowed(capsys, tmp_path):
    """Another file in the scenario's folder is not an input."""
    scenario = tmp_path / "mine.yaml"
    scenario.write_text(MINE, encoding="utf-8")
    code, _, err = run(capsys, "report", scenario, "--format", "html", "-o", tmp_path / "r.html")
    assert code == 0, err
    assert err == f"wrote {tmp_path / 'r.html'}\n"
    assert scenario.read_text(encoding="utf-8") == MINE


# -- new folders (export --format csv|backstage, upgrade FOLDER -o) ------------


def scenario_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "scenario"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.yaml").write_text(MINE, encoding="utf-8")
    return folder


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "IN", "--format", "csv", "-o", "IN/csv"],
        ["export", "IN", "--format", "backstage", "-o", "IN/sub/catalogue"],
        ["upgrade", "IN", "-o", "IN/sub/new"],
        ["upgrade", "IN", "-o", "IN/sub/deeper/new"],
    ],
    ids=" ".join,
)
def test_a_new_folder_inside_the_input_is_refused_before_it_is_made(capsys, tmp_path, argv):
    folder = scenario_folder(tmp_path)
    before = tree(folder)
    code, _, err = run(capsys, *(a.replace("IN", str(folder)) for a in argv))
    assert code == 2
    assert "inside the scenario folder" in err
    assert tree(folder) == before


def test_a_failed_write_removes_the_new_folder(capsys, tmp_path, monkeypatch):
    """The third file fails: the two written, their folders and the new
    folder are removed; nothing else is touched."""
    from cio_framework import cli

    written = []

    def failing(target, content, **kwargs):
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        written.append(target)
        write_atomic(target, content, **kwargs)

    monkeypatch.setattr(cli, "write_atomic", failing)
    output = tmp_path / "out"
    code, _, err = run(capsys, "export", "pudong-2016", "--format", "backstage", "-o", output)
    assert code == 2
    assert "No space left on device" in err
    assert len(written) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == []
