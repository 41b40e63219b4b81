"""Issue 11: the one walker for folders and the one writer for outputs."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from holdtight import fileio
from holdtight.batch import find_inputs
from holdtight.fileio import AtomicFile, WriteRefused, atomic_write, check_replaceable
from holdtight.walk import walk


def _names(folder: Path) -> list[tuple[str, str | None]]:
    return [(os.path.relpath(f.path, folder), f.error) for f in walk(str(folder))]


def test_fifo_socket_and_device_are_reported_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.toml")  # opening it to read would block forever
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "sock.json"))
        os.symlink("/dev/null", tmp_path / "null.toml")
        (tmp_path / "ok.toml").write_text("[answers]\n")
        found = dict(_names(tmp_path))
    finally:
        server.close()
    assert found["ok.toml"] is None
    assert "named pipe" in str(found["pipe.toml"])
    assert "socket" in str(found["sock.json"])
    assert "device" in str(found["null.toml"])


def test_a_fifo_named_on_the_command_line_is_refused_without_blocking(tmp_path: Path) -> None:
    from holdtight.errors import InputError
    from holdtight.sessionfile import read_bytes

    os.mkfifo(tmp_path / "pipe.toml")
    with pytest.raises(InputError, match="not a regular file") as named:
        read_bytes(tmp_path / "pipe.toml")
    # Said as the walk of its folder says it (the two were worded apart).
    (walked,) = [f.error for f in walk(str(tmp_path))]
    assert walked == "is a named pipe, not a regular file; not read"
    assert str(named.value) == f"{tmp_path / 'pipe.toml'}: {walked}"


def test_a_link_to_nothing_in_a_folder_is_named_so(tmp_path: Path) -> None:
    os.symlink(tmp_path / "gone.toml", tmp_path / "link.toml")
    (found,) = list(walk(str(tmp_path)))
    assert found.error == "is a link to nothing; not read"


def test_links_never_make_a_file_count_twice(tmp_path: Path) -> None:
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "x.toml").write_text("[answers]\n")
    os.symlink(tmp_path, sub / "up")  # back up the tree: a loop
    os.symlink(sub, tmp_path / "again")  # the same folder by another name
    os.symlink("loop", tmp_path / "loop")  # a link to itself
    os.link(sub / "x.toml", tmp_path / "hard.toml")  # the same file, hard-linked
    os.symlink(sub / "x.toml", tmp_path / "soft.toml")
    found = _names(tmp_path)
    assert [name for name, error in found if error is None] == ["hard.toml"]


def test_unreadable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "z.toml").write_text("[answers]\n")
    real = os.scandir

    def scandir(path: str) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr("holdtight.walk.os.scandir", scandir)
    items = list(find_inputs([str(tmp_path)]))
    assert [item.error for item in items] == [
        None,
        f"{tmp_path / 'locked'}: cannot read folder: Permission denied",
    ]


def test_unreadable_folder_exits_1(
    cli: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers import Cli

    assert callable(cli)
    run: Cli = cli
    (tmp_path / "locked").mkdir()
    (tmp_path / "a.toml").write_text("[answers]\nschools = 3\n")
    real = os.scandir
    monkeypatch.setattr(
        "holdtight.walk.os.scandir",
        lambda p: (
            (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
            if str(p).endswith("locked")
            else real(p)
        ),
    )
    result = run("score", str(tmp_path))
    assert result.returncode == 1 and "cannot read folder" in result.stderr


def test_a_tree_thousands_of_folders_deep_works(tmp_path: Path) -> None:
    depth = 1500  # deeper than Python's recursion limit; within PATH_MAX
    fd = os.open(tmp_path, os.O_RDONLY)
    for _ in range(depth):  # one level at a time: pathlib's mkdir(parents=True) recurses
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    leaf = os.open("deep.toml", os.O_WRONLY | os.O_CREAT, 0o600, dir_fd=fd)
    os.write(leaf, b"[answers]\n")
    os.close(leaf)
    os.close(fd)
    found = list(walk(str(tmp_path)))
    assert len(found) == 1 and found[0].error is None
    assert os.path.relpath(found[0].path, tmp_path).count("d" + os.sep) == depth
    os.unlink(found[0].path)  # clean up deepest first: rmtree would recurse too deep
    folder = os.path.dirname(found[0].path)
    while folder != str(tmp_path):
        os.rmdir(folder)
        folder = os.path.dirname(folder)


def test_read_only_output_is_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.csv"
    out.write_text("keep\n")
    out.chmod(0o444)
    if os.geteuid() == 0:  # root may write anything; pretend to be a user who may not
        monkeypatch.setattr(fileio.os, "access", lambda path, mode: False)
    with pytest.raises(WriteRefused, match="read-only"):
        AtomicFile(out)
    assert out.read_text() == "keep\n" and [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_another_users_file_in_a_sticky_folder_is_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    theirs = shared / "out.csv"
    theirs.write_text("theirs\n")
    theirs.chmod(0o666)
    monkeypatch.setattr(fileio.os, "geteuid", lambda: os.stat(theirs).st_uid + 4242)
    with pytest.raises(WriteRefused, match="another user"):
        check_replaceable(theirs)
    with pytest.raises(WriteRefused):
        atomic_write(theirs, b"mine\n")
    assert theirs.read_text() == "theirs\n"
    assert stat.S_IMODE(os.stat(shared).st_mode) == 0o1777


def test_exclusive_write_never_clobbers(tmp_path: Path) -> None:
    target = tmp_path / "a.toml"
    target.write_text("mine\n")
    with pytest.raises(FileExistsError):
        atomic_write(target, b"new\n", exclusive=True)
    assert target.read_text() == "mine\n" and [p.name for p in tmp_path.iterdir()] == ["a.toml"]


def test_temp_file_names_carry_the_writer_pid(tmp_path: Path) -> None:
    target = AtomicFile(tmp_path / "x.json")
    try:
        assert Path(target.temp).name.startswith(f".x.json.{os.getpid()}.")
    finally:
        target.abort()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("run", [1, 2, 3, 4096])
def test_names_sorted_in_packed_runs_come_out_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: int
) -> None:
    """A folder's names are sorted in runs (packed, then merged): files first, then
    subfolders, each in code point order, hidden names and other suffixes left out."""
    monkeypatch.setattr("holdtight.walk._SortedNames.RUN", run)
    names = ["b.toml", "a.json", "é.toml", "A.toml", "a b.toml", "ab.toml", "a.toml", "z.json"]
    for name in [*names, ".hidden.toml", "notes.txt"]:
        (tmp_path / name).write_text("[answers]\n")
    for folder in ("sub2", "sub1"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.toml").write_text("[answers]\n")
    found = [name for name, error in _names(tmp_path) if error is None]
    assert found == [*sorted(names), os.path.join("sub1", "x.toml"), os.path.join("sub2", "x.toml")]


def test_memory_for_a_folder_is_its_packed_names() -> None:
    """Many names cost about their own length, not a list of objects."""
    import sys

    from holdtight.walk import _SortedNames

    names = _SortedNames()
    for i in range(20_000, 0, -1):
        names.add(f"school-{i:05}.toml")
    held = sum(sys.getsizeof(run) for run in names.runs) + sys.getsizeof(names.chunk)
    held += sum(sys.getsizeof(name) for name in names.chunk)
    assert held < 20_000 * 30
    assert list(names.sorted()) == [f"school-{i:05}.toml" for i in range(1, 20_001)]


def test_a_file_read_at_the_size_the_walk_found_is_read_whole(tmp_path: Path) -> None:
    """The walk's size spares a system call; a file that changed since is still read
    whole, or refused in one line when it grew past the limit."""
    from holdtight.errors import InputError
    from holdtight.limits import MAX_FILE_BYTES
    from holdtight.reading import read_bytes

    path = tmp_path / "a.toml"
    path.write_bytes(b"x" * 100)
    (found,) = [f for f in walk(str(tmp_path)) if f.error is None]
    assert found.size == 100
    assert read_bytes(found.path, "a.toml", found.size) == b"x" * 100
    path.write_bytes(b"y" * 250)  # grew after the walk: read on to the end
    assert read_bytes(found.path, "a.toml", found.size) == b"y" * 250
    path.write_bytes(b"z" * (MAX_FILE_BYTES + 10))
    with pytest.raises(InputError, match="too large"):
        read_bytes(found.path, "a.toml", MAX_FILE_BYTES)
