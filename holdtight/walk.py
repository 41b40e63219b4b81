"""The one walker for folders of answer files. Standard library only.

Only regular files are yielded: a FIFO, socket or device is reported, never opened (so
nothing blocks). Each folder and file is visited once, by (device, inode): symlink loops
and links back up the tree never make a file be read twice. An unreadable folder is
reported. The walk is iterative (an explicit stack), so a tree thousands of folders deep
works; only one folder's names are held at a time per level."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from typing import NamedTuple

SUFFIXES = (".toml", ".json")
_SURROGATE = re.compile("[\ud800-\udfff]")


def display_name(path: str) -> str:
    """A path as text any encoder can write: bytes of a file name that were not UTF-8
    (kept by Python as lone surrogates) become U+FFFD. Keep the path itself to open."""
    return _SURROGATE.sub("\ufffd", path)


class Found(NamedTuple):
    """A file to read (`error` None) or a place that could not be read (`error` set)."""

    path: str
    error: str | None = None


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


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
    # Each stack entry is the sorted list of entries still to visit in one folder.
    stack: list[Iterator[tuple[str, str]]] = [iter([("dir", folder)])]
    first = True
    while stack:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            continue
        kind, path = step
        if kind == "file":
            yield from _file(path, seen, root)
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
        try:
            with os.scandir(path) as entries:
                names = sorted((entry.name, _is_dir(entry)) for entry in entries)
        except OSError as error:
            yield Found(path, f"cannot read folder: {error.strerror or error}")
            continue
        todo: list[tuple[str, str]] = []
        subfolders: list[tuple[str, str]] = []
        for name, is_dir in names:
            if name.startswith("."):
                continue
            child = os.path.join(path, name)
            if name.endswith(suffixes):
                todo.append(("file", child))
            elif is_dir:
                subfolders.append(("dir", child))
        stack.append(iter(todo + subfolders))


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


def _file(path: str, seen: set[tuple[int, int]], root: str) -> Iterator[Found]:
    try:
        status = os.stat(path)  # follows links: a link to a file is read as that file
    except OSError as error:
        yield Found(path, f"cannot read: {error.strerror or error}")
        return
    if not stat.S_ISREG(status.st_mode):
        yield Found(path, f"is {_kind(status.st_mode)}, not a regular file; skipped")
        return
    # Memory stays flat: only a file that can be reached twice is remembered. A plain
    # file (one link, reached by its own name) is met once; a file reached through a
    # symbolic link is skipped when the walk meets it by its own name anyway; hard-linked
    # files and link targets outside the walk are remembered by (device, inode).
    key = (status.st_dev, status.st_ino)
    if key in seen:
        return  # the same file reached twice (a hard or symbolic link), or the output
    if os.path.islink(path):
        if _visited_directly(os.path.realpath(path), root, SUFFIXES):
            return
    elif status.st_nlink == 1:
        yield Found(path)
        return
    seen.add(key)
    yield Found(path)
