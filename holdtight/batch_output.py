"""Where scored results go: the framing of each output format (CSV header, JSON array
brackets and commas) and the output itself (standard output, a device, or a file that
appears whole, owner-only, only when the command finishes)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from holdtight.batch import Scored, csv_line
from holdtight.errors import OutputError, UsageError
from holdtight.limits import MAX_FILE_BYTES
from holdtight.model import Rulebook
from holdtight.reports.data import csv_header
from holdtight.terminal_text import (
    for_terminal,
    is_terminal,
    json_for_terminal,
    lines_for_terminal,
    terminal_block,
    terminal_columns,
    wrapped_markdown,
)

if TYPE_CHECKING:  # fileio (and tempfile) only when a file is written: start-up
    from holdtight.fileio import AtomicFile


class Output:
    """A text output for `-o OUT`: standard output for None or '-'; written straight to a
    device or pipe (e.g. /dev/null), never replacing it; otherwise streamed to a temp file
    that appears, whole, on `close()`. `abort()` leaves nothing behind.

    Refused, in one line, before anything is written: a folder; a file the user could
    not replace with `> OUT` (read-only, or another user's in a shared folder); any of
    `inputs` (the command's own input files, compared by device and inode)."""

    def __init__(self, path: str | None, inputs: Iterable[str] = ()) -> None:
        self.path = path
        self.stream: TextIO | None = None
        self.atomic: AtomicFile | None = None
        self._text_written = False  # text the stream may hold back from its buffer
        if path in (None, "-"):
            if sys.stdout is None:  # started with it closed (`>&-`)
                raise UsageError("standard output: cannot write: it is closed")
            self.stream = sys.stdout
            return
        target = Path(str(path))
        shown = for_terminal(target)
        refuse_inputs(target, inputs)
        if target.exists() and not target.is_file():
            if target.is_dir():
                raise UsageError(f"{shown}: is a folder; -o takes a file")
            try:
                self.stream = open(target, "w", encoding="utf-8")  # noqa: SIM115
            except OSError as error:
                raise UsageError(f"{shown}: cannot write: {error.strerror or error}") from None
            return
        from holdtight.fileio import AtomicFile, WriteRefused

        try:
            self.atomic = AtomicFile(target)
        except WriteRefused as error:
            raise UsageError(for_terminal(error.strerror)) from None
        except OSError as error:
            raise UsageError(f"{shown}: cannot write: {error.strerror or error}") from None

    @property
    def is_stdout(self) -> bool:
        return self.stream is sys.stdout

    def identity(self) -> tuple[int, int] | None:
        """(device, inode) of the output file once it exists, for walkers to skip."""
        if self.path in (None, "-"):
            return None
        try:
            status = os.stat(str(self.path))
        except OSError:
            return None
        return status.st_dev, status.st_ino

    def write(self, text: str) -> int:
        try:
            if self.atomic is not None:
                return self.atomic.write(text)
            assert self.stream is not None
            self._text_written = True
            return self.stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._failed(error) from None

    def write_bytes(self, data: bytes) -> None:
        """Write UTF-8 text given as bytes (JSON from orjson): to a file or a stream's
        binary buffer, after the text the stream holds back, so the order stays."""
        try:
            if self.atomic is not None:
                self.atomic.write(data)
                return
            assert self.stream is not None
            buffer = getattr(self.stream, "buffer", None)
            if buffer is None:  # a text-only stream (StringIO)
                self.stream.write(data.decode("utf-8"))
                return
            if self._text_written:
                self.stream.flush()
                self._text_written = False
            buffer.write(data)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._failed(error) from None

    def flush(self) -> None:
        try:
            if self.atomic is not None:
                self.atomic.flush()
            elif self.stream is not None:
                self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._failed(error) from None

    def close(self) -> None:
        """Finish the output (standard output stays open)."""
        if self.atomic is not None:
            try:
                self.atomic.close()
            except OSError as error:
                raise self._failed(error) from None
        elif self.stream is not None and not self.is_stdout:
            try:
                self.stream.close()
            except OSError as error:
                raise self._failed(error) from None

    def _failed(self, error: OSError) -> OutputError:
        self.abort()
        kept = " (the old file is unchanged)" if self.atomic is not None else ""
        name = "standard output" if self.path in (None, "-") else for_terminal(self.path)
        return OutputError(f"{name}: cannot write: {error.strerror or error}{kept}")

    def abort(self) -> None:
        """Drop a half-written file."""
        if self.atomic is not None:
            self.atomic.abort()


_TOML_ANSWERS = re.compile(rb"^\s*\[answers\]", re.MULTILINE)


def _has_answers_table(path: Path) -> bool:
    """Whether a file in an input folder is an answer file the run would read (a TOML
    `[answers]` table, a JSON object with "answers"), rather than an earlier run's
    output, which `-o` may replace."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return True  # cannot tell: do not replace it
    if path.suffix == ".toml":
        return _TOML_ANSWERS.search(head) is not None
    try:
        document = json.loads(head)
    except (ValueError, RecursionError):
        return False
    return isinstance(document, dict) and "answers" in document


def refuse_inputs(target: Path, inputs: Iterable[str]) -> None:
    """One line (UsageError) when writing `target` would replace one of the command's
    inputs: an input file itself (by device and inode), or an answer file (*.toml,
    *.json) inside an input folder, which the command reads."""
    if not target.is_file():
        return
    shown = for_terminal(target)
    answer_file = target.suffix in (".toml", ".json") and _has_answers_table(target)
    for given in inputs:
        if given == "-":
            continue
        with contextlib.suppress(OSError):
            if os.path.isdir(given):
                if answer_file and target.resolve().is_relative_to(Path(given).resolve()):
                    raise UsageError(
                        f"{shown}: is an answer file in the input folder "
                        f"{for_terminal(given)}; write the output elsewhere"
                    )
            elif os.path.samefile(given, target):
                raise UsageError(f"{shown}: is also an input; write the output elsewhere")


def write_document(
    path: str | None,
    text: str,
    inputs: Iterable[str],
    *,
    escaped: bool,
    wrap: bool = False,
) -> bool:
    """Write a whole document (a report, a diff, a team workshop) to `-o path` exactly as
    it is, or to standard output made safe for a terminal: every line cleaned, or, for a
    format with escapes of its own (`escaped`, JSON), each character that could steer a
    terminal escaped (the same value). A text document (Markdown, a diff: `wrap`) shown
    on a terminal has its long lines broken between words at the terminal's width (in
    a pipe, lines stay whole). True when a file was written."""
    with open_output(path, inputs) as out:
        if out.is_stdout:
            text = json_for_terminal(text) if escaped else terminal_block(text)
            columns = terminal_columns(sys.stdout) if wrap else None
            if columns and columns > 21:
                text = wrapped_markdown(text, columns - 1)
        out.write(text)
    return not out.is_stdout


@contextmanager
def open_output(path: str | None, inputs: Iterable[str] = ()) -> Iterator[Output]:
    """An Output that is closed when the block ends and aborted if it raises."""
    out = Output(path, inputs)
    try:
        yield out
    except BaseException:
        out.abort()
        raise
    out.close()


class ResultWriter:
    """Frames a stream of scored results as one document in a format: `begin()`, then
    `write()` per result, then `end()`. Table and JSON Lines have no framing; CSV has one
    header line; JSON is one array, one result per element."""

    def __init__(
        self, rulebook: Rulebook, fmt: str, out: TextIO | Output, header: bool = True
    ) -> None:
        self.rulebook = rulebook
        self.fmt = fmt
        self.out = out
        self.header = header
        self.first = True
        # Results drawn on a terminal carry nothing that steers it: JSON escapes those
        # characters (the same values), CSV shows "?" for them. Pipes and files get
        # every character as it was read; the table is made of clean text already.
        to_stdout = out.is_stdout if isinstance(out, Output) else out is sys.stdout
        self.clean: Callable[[str], str] | None = None
        if fmt != "table" and to_stdout and is_terminal(sys.stdout):
            self.clean = lines_for_terminal if fmt == "csv" else json_for_terminal

    def begin(self) -> None:
        if self.fmt == "csv" and self.header:
            self.out.write(csv_line(csv_header(self.rulebook)) + "\n")
        elif self.fmt == "json":
            self._write(b"[")

    def write(self, scored: Scored) -> None:
        text = scored.text
        if isinstance(text, list):  # a record as pieces: joined with what goes around it
            if self.clean is None:
                # The list is the record's own (`Scored.text`): what goes around it is
                # added in place, not by copying its few hundred pieces to a new list.
                if self.fmt != "json":
                    text.append(b"\n")
                else:
                    text.insert(0, b"\n" if self.first else b",\n")
                self._write(b"".join(text))
                self.first = False
                return
            text = b"".join(text)
        if isinstance(text, bytes):  # JSON, as orjson wrote it: kept in bytes
            if self.clean is not None:
                text = self.clean(text.decode("utf-8")).encode("utf-8")
            # One write with its separator: a ctrl+c between two would leave a record
            # without its line's end.
            if self.fmt == "json":
                self._write((b"\n" if self.first else b",\n") + text)
            else:
                self._write(text + b"\n")
        elif text:
            text = text if self.clean is None else self.clean(text)
            self.out.write(text + ("\n" if self.fmt != "table" else ""))
        self.first = False

    def end(self) -> None:
        if self.fmt == "json":
            self._write(b"\n]\n" if not self.first else b"]\n")

    def _write(self, data: bytes) -> None:
        if isinstance(self.out, Output):
            self.out.write_bytes(data)
        else:
            self.out.write(data.decode("utf-8"))
