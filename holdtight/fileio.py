"""Writing files so that a crash never leaves half of one, and never replaces a file the
user could not have replaced with a shell redirect. Standard library only: every layer
may use it."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import IO


class WriteRefused(OSError):
    """An output the writer will not replace; `str()` is one line saying why."""


def temp_prefix(path: Path) -> str:
    """Temp files beside `path` are `.NAME.PID.XXXX.tmp`: the PID tells a live writer's
    temp file from a stale one left by a kill -9."""
    return f".{path.name}.{os.getpid()}."


def clean_stale_temps(path: Path) -> list[Path]:
    """Remove temp files beside `path` left by writers that are no longer running (or by
    an older holdtight, whose names carry no PID); return what was removed."""
    removed = []
    folder = path.parent if str(path.parent) else Path(".")
    with contextlib.suppress(OSError):
        for stale in folder.glob(f".{_glob_escape(path.name)}.*.tmp"):
            middle = stale.name[len(path.name) + 2 : -len(".tmp")]
            pid_text = middle.split(".", 1)[0] if "." in middle else ""
            if pid_text.isdigit() and _alive(int(pid_text)):
                continue
            with contextlib.suppress(OSError):
                stale.unlink()
                removed.append(stale)
    return removed


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def check_replaceable(path: Path) -> None:
    """Raise WriteRefused unless `path` may be (re)written as `> path` would: an existing
    file must be writable by this user, and in a shared folder with the sticky bit (such
    as /tmp) it must be this user's own."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as error:
        raise WriteRefused(error.errno, f"{path}: cannot write: {error.strerror}") from None
    if not stat.S_ISREG(status.st_mode):
        return  # devices and pipes are written in place, never replaced
    if not os.access(path, os.W_OK):
        raise WriteRefused(errno.EACCES, f"{path}: is read-only; not replaced")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        shared = os.stat(folder)
    except OSError:
        return
    if (
        shared.st_mode & stat.S_ISVTX
        and status.st_uid != os.geteuid()
        and shared.st_uid != os.geteuid()
    ):
        raise WriteRefused(
            errno.EPERM, f"{path}: belongs to another user in a shared folder; not replaced"
        )


class AtomicFile:
    """A file written through a temp file in the same folder and renamed into place on
    `close()` (after flush and fsync), so readers see the old file or the whole new one.
    New files are owner-only (0600); an existing file keeps its mode. Writes stream to
    disk: nothing is held in memory. `abort()` drops the temp file. Stale temp files of
    dead writers beside `path` are removed first. With `exclusive`, `close()` never
    replaces a file that appeared at `path` (FileExistsError)."""

    def __init__(self, path: Path, text: bool = False, exclusive: bool = False) -> None:
        self.path = path
        self.exclusive = exclusive
        self.folder = path.parent if str(path.parent) else Path(".")
        if not exclusive:
            check_replaceable(path)
        try:
            self.mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            self.mode = 0o600
        clean_stale_temps(path)
        descriptor, self.temp = tempfile.mkstemp(
            prefix=temp_prefix(path), suffix=".tmp", dir=self.folder
        )
        self.handle: IO[bytes] = os.fdopen(descriptor, "wb")
        self.text = text

    def write(self, data: str | bytes) -> int:
        # "replace": a character no encoder can write (a lone surrogate) never stops a
        # write halfway; readers refuse such text before it gets here.
        raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
        try:
            return self.handle.write(raw)
        except BaseException:
            self.abort()
            raise

    def flush(self) -> None:
        self.handle.flush()

    def close(self) -> None:
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            os.chmod(self.temp, self.mode)
            if self.exclusive:
                os.link(self.temp, self.path)  # fails if the name exists: never clobbers
                os.unlink(self.temp)
            else:
                os.replace(self.temp, self.path)
        except BaseException:
            self.abort()
            raise
        with contextlib.suppress(OSError):
            directory = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(OSError):
            os.unlink(self.temp)


def atomic_write(path: Path, data: bytes, exclusive: bool = False) -> None:
    """Write `data` to `path` atomically (see AtomicFile)."""
    target = AtomicFile(path, exclusive=exclusive)
    try:
        target.write(data)
    except BaseException:
        target.abort()
        raise
    target.close()
