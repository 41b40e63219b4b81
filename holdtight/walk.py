"""The one walker for folders of answer files. Standard library only.

Only regular files are yielded: a FIFO, socket or device is reported, never opened (so
nothing blocks). Each folder and file is visited once, by (device, inode): symlink loops
and links back up the tree never make a file be read twice. An unreadable folder is
reported. The walk is iterative (an explicit stack), so a tree thousands of folders deep
works. Memory stays flat however many files a folder holds: its names are sorted in
runs of a few thousand and each run is kept packed in one string (`_SortedNames`),
about the size of the names themselves, not a list of objects (≈300 bytes a name)."""

from __future__ import annotations

import heapq
import os
import re
import stat
from collections.abc import Iterable, Iterator
from typing import NamedTuple

SUFFIXES = (".toml", ".json")
_SURROGATE = re.compile("[\ud800-\udfff]")


def display_name(path: str) -> str:
    """A path as text any encoder can write: bytes of a file name that were not UTF-8
    (kept by Python as lone surrogates) become U+FFFD. Keep the path itself to open."""
    return path if path.isascii() else _SURROGATE.sub("\ufffd", path)


class Found(NamedTuple):
    """A file to read (`error` None) or a place that could not be read (`error` set)."""

    path: str
    error: str | None = None
    size: int | None = None
    """A regular file's size when the walk found it (`reading.read_bytes` need not ask)."""


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words (the walk and the reader
    say it alike)."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def open_error(error: OSError) -> str:
    """Why a file could not be read, in words (the walk and the reader say it alike)."""
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "is a folder, not a file"
    return f"cannot read: {error.strerror or error}"


def walk(
    folder: str,
    suffixes: tuple[str, ...] = SUFFIXES,
    skip: tuple[int, int] | None = None,
) -> Iterator[Found]:
    """Files under `folder` whose names end in `suffixes`, sorted, depth first; hidden
    names (starting with '.') are skipped, and so is the file `skip` (device, inode):
    the command's own output."""
    seen: set[tuple[int, int]] = {skip} if skip else set()
    try:
        top = os.stat(folder)
    except OSError as error:
        yield Found(folder, f"cannot read folder: {error.strerror or error}")
        return
    seen.add((top.st_dev, top.st_ino))
    root = os.path.realpath(folder)
    # Each stack entry gives, sorted, the entries still to visit in one folder.
    stack: list[Iterator[tuple[str, str]]] = [iter([("dir", folder)])]
    first = True
    while stack:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            continue
        kind, path = step
        if kind != "dir":  # "file", or "link": a file that is (or may be) a symbolic link
            found = _file(path, seen, root, kind == "link")
            if found is not None:
                yield found
            continue
        if not first:
            try:
                status = os.stat(path)
            except OSError:
                continue  # a dangling link
            key = (status.st_dev, status.st_ino)
            if key in seen:
                continue  # a link back up the tree, or to a folder already walked
            seen.add(key)
        first = False
        files = _SortedNames()
        subfolders: list[str] = []
        links: set[str] = set()  # few or none: the names of links among the files
        try:
            with os.scandir(path) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith("."):
                        continue
                    if name.endswith(suffixes):
                        files.add(name)
                        if _may_be_link(entry):
                            links.add(name)
                    elif _is_dir(entry):
                        subfolders.append(name)
        except OSError as error:
            yield Found(path, f"cannot read folder: {error.strerror or error}")
            continue
        subfolders.sort()
        stack.append(_entries(path, files.sorted(), links, subfolders))


def _entries(
    folder: str, files: Iterable[str], links: set[str], subfolders: list[str]
) -> Iterator[tuple[str, str]]:
    """A folder's entries still to visit: its files, then its subfolders, each sorted."""
    # `os.path.join(folder, name)` for a name from a listing, a tenth of its time (~1.5
    # µs a file in the command's process, which walks beside its --jobs workers).
    prefix = os.path.join(folder, "")
    for name in files:
        yield "link" if name in links else "file", prefix + name
    for name in subfolders:
        yield "dir", prefix + name


class _SortedNames:
    """File names, given in any order and read back sorted, held compactly: each run of
    `RUN` names is sorted and packed into one string, NUL-separated (no file name holds
    NUL), and the runs are merged as they are read."""

    RUN = 4096

    def __init__(self) -> None:
        self.runs: list[str] = []
        self.chunk: list[str] = []

    def add(self, name: str) -> None:
        self.chunk.append(name)
        if len(self.chunk) >= self.RUN:
            self._pack()

    def _pack(self) -> None:
        if self.chunk:
            self.chunk.sort()
            self.runs.append("\0".join(self.chunk))
            self.chunk = []

    def sorted(self) -> Iterable[str]:
        if not self.runs:
            self.chunk.sort()
            return self.chunk
        self._pack()
        runs, self.runs = self.runs, []
        return heapq.merge(*map(_unpack, runs))


def _unpack(run: str) -> Iterator[str]:
    start = 0
    while (end := run.find("\0", start)) >= 0:
        yield run[start:end]
        start = end + 1
    yield run[start:]


def _may_be_link(entry: os.DirEntry[str]) -> bool:
    """From the folder listing, without a system call where the file system says."""
    try:
        return entry.is_symlink()
    except OSError:
        return True  # cannot tell here: `_file` asks


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows links; a link loop raises ELOOP here
    except OSError:
        return False


def _visited_directly(real: str, root: str, suffixes: tuple[str, ...]) -> bool:
    """Whether the walk from `root` reaches the file at real path `real` without a
    link: inside the root, under no hidden name, with a suffix the walk reads."""
    relative = os.path.relpath(real, root)
    parts = relative.split(os.sep)
    return (
        not relative.startswith(os.pardir)
        and not any(part.startswith(".") for part in parts)
        and real.endswith(suffixes)
    )


def _file(path: str, seen: set[tuple[int, int]], root: str, may_be_link: bool) -> Found | None:
    try:
        status = os.stat(path)  # follows links: a link to a file is read as that file
    except OSError as error:
        if isinstance(error, FileNotFoundError) and os.path.islink(path):
            return Found(path, "is a link to nothing; not read")
        return Found(path, open_error(error))
    if not stat.S_ISREG(status.st_mode):
        return Found(path, f"is {file_kind(status.st_mode)}, not a regular file; not read")
    # Memory stays flat: only a file that can be reached twice is remembered. A plain
    # file (one link, reached by its own name) is met once; a file reached through a
    # symbolic link is skipped when the walk meets it by its own name anyway; hard-linked
    # files and link targets outside the walk are remembered by (device, inode).
    key = (status.st_dev, status.st_ino)
    if key in seen:
        return None  # the same file reached twice (a hard or symbolic link), or the output
    if may_be_link and os.path.islink(path):
        if _visited_directly(os.path.realpath(path), root, SUFFIXES):
            return None
    elif status.st_nlink == 1:
        return Found(path, None, status.st_size)
    seen.add(key)
    return Found(path, None, status.st_size)
