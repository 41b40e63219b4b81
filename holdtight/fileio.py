"""Writing files so that a crash never leaves half of one. Standard library only: every
layer may use it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO


class AtomicFile:
    """A file written through a temp file in the same folder and renamed into place on
    `close()` (after flush and fsync), so readers see the old file or the whole new one.
    New files are owner-only (0600); an existing file keeps its mode. Writes stream to
    disk: nothing is held in memory. `abort()` drops the temp file."""

    def __init__(self, path: Path, text: bool = False) -> None:
        self.path = path
        self.folder = path.parent if str(path.parent) else Path(".")
        try:
            self.mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            self.mode = 0o600
        descriptor, self.temp = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=self.folder
        )
        self.handle: IO[bytes] = os.fdopen(descriptor, "wb")
        self.text = text

    def write(self, data: str | bytes) -> int:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        return self.handle.write(raw)

    def flush(self) -> None:
        self.handle.flush()

    def close(self) -> None:
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            os.chmod(self.temp, self.mode)
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


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (see AtomicFile)."""
    target = AtomicFile(path)
    try:
        target.write(data)
    except BaseException:
        target.abort()
        raise
    target.close()
