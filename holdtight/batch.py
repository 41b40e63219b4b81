"""Stream many answer files through the engine, in order, in one process or several."""

from __future__ import annotations

import gc
import itertools
import json
import os
import signal
import sys
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping
from operator import length_hint
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, NamedTuple, TextIO

from holdtight import strictjson
from holdtight.engine import SettingsOnly, score, score_raw_answers, score_settings
from holdtight.errors import HoldtightError, InputError, UsageError, one_line
from holdtight.model import SETTINGS, Result, Rulebook
from holdtight.parsing import dumps_json_bytes, loads_json
from holdtight.reading import (
    JSON_SPACE,
    JSON_UNCLOSED,
    NESTED_TOO_DEEPLY,
    json_error_place,
    json_error_text,
    nested_too_deeply,
    number_error,
    type_name,
    utf8_error,
    utf8_place,
)
from holdtight.reports.data import (
    CsvRows,
    csv_error_row,
    error_dict,
    result_dict,
    scenario_settings,
)
from holdtight.reports.data import csv_cell as csv_cell  # re-exported: CSV as reports.data
from holdtight.reports.data import csv_line as csv_line  # writes it, for callers of batch
from holdtight.sessionfile import (
    parse_document,
    raw_answers_document,
    read_bytes,
    session_from_document,
)
from holdtight.walk import display_name, walk

if TYPE_CHECKING:  # NumPy loads only when a batch is scored as columns
    from holdtight.columns import ColumnScorer, Ints
    from holdtight.result_columns import ResultColumns
    from holdtight.typed_lines import TypedLines

MAX_STDIN_LINE = 1024 * 1024
COLUMNS_FROM = 64
"""Items in a chunk from which CSV is scored as columns (fewer: one by one; NumPy's
fixed cost per chunk would outweigh it, and `score FILE` never loads it)."""
CHUNK = 512
"""Items scored at once as columns, in one process or per task of a worker."""
JSON_CHUNK = 1024
"""The same for JSON records with levers, in one process (each record is joined as it is
written; the chunk holds its pieces: shared, kept ones)."""
JSON_WORKER_CHUNK = 512
"""The same per task of a worker, which sends back its records joined (~50 KB each)."""
CHUNK_BYTES = 4 << 20
"""Bytes of input (files or lines) a chunk holds at most."""
COLUMN_FORMATS = ("csv", "json", "jsonl")
TABLE_WIDTH = 100  # the `score` table's width in a pipe or a file
MAX_JOBS = 512


class Item(NamedTuple):
    """One input: a path to read, or a document that came on stdin."""

    source: str
    path: str | None = None
    document: dict[str, Any] | None = None
    error: str | None = None
    size: int | None = None
    """A file's size as the walk found it (a regular file: `reading.read_bytes`), or a
    stdin line's length: what a chunk of them holds (`_chunks`)."""
    name: str | None = None
    """What messages call it, where its source alone would not find it: a stdin line
    that names its own source is also given its line ("district-7 (line 5)")."""
    warning: str | None = None
    """Said with its result: a stdin line whose "source" could not name it."""
    line: bytes | str | None = None
    """A stdin line not read yet (its source is PREFIX:N until it is: `parsed_line`).
    Read where it is scored: by a typed decoder straight to codes where it can be
    (`typed_lines`), and a worker of --jobs reads its own lines."""
    number: int = 0
    """A stdin line's number, from 1 (a block's: its first line's)."""
    block: int = 0
    """A block of stdin lines: `line` holds this many whole lines, each ending in a
    line break (`StdinLines`), read at once where they can be (`Scorer.batch`), and
    named PREFIX:N where they do not name themselves."""
    prefix: str = ""
    """A block's PREFIX."""


class Scored(NamedTuple):
    """What a worker sends back: the formatted output and what the summary counts.
    A tuple, so that it crosses process boundaries cheaply."""

    source: str
    ok: bool
    text: str | bytes | list[bytes]
    """A CSV row or a table as text; JSON as UTF-8 bytes (orjson's, written as they are),
    or as pieces of UTF-8 bytes to be joined (`_merged` joins them; never written so)."""
    settings: tuple[str, ...] = ()
    confidences: tuple[str, ...] = ()
    posture: str = ""
    error: str = ""
    warnings: int = 0
    inputs: int = 1
    """How many inputs it stands for: a worker sends the results of consecutive inputs
    that scored as one, their texts joined as the output joins them (`_merged`), where
    no summary counts them one by one. Fewer, larger messages: the parent, which shares
    the cores with the workers, unpickles and writes one per run instead of one per
    input."""


class Waiting(NamedTuple):
    """The items of a chunk scored as columns (`Scorer.batch`), a list each: where their
    texts go (an item the columns leave is scored alone), and what the texts say of
    them."""

    places: list[int]
    sources: list[str]
    warnings: list[str | None]
    metas: list[Mapping[str, Any]]


class Arrival:
    """Whether the next input would keep the command waiting (only standard input from a
    pipe can): then the chunk read so far is scored, and the output flushed, at once,
    so that a slow producer's lines get their rows without waiting for a whole chunk."""

    def __init__(self) -> None:
        self.lines: StdinLines | None = None

    def waiting(self) -> bool:
        return self.lines is not None and not self.lines.ready()


class StdinLines:
    """The lines of a pipe (bytes, without their line break), read a block at a time
    from its file descriptor, and `ready()`: whether the next line can be had without
    waiting (a line already read, the end of input, or data in the pipe).

    With `blocks`, whole lines are given as they were read, a block of them at a time
    (bytes ending in a line break) where the block is at least `MIN_BLOCK` long: split
    into lines only where they cannot be read at once (`TypedLines.read_block`).

    A line longer than `MAX_STDIN_LINE` is kept only as far as shows it too long
    (`read_stdin` says so): memory stays bounded, and a line without an end costs the
    time of its length, not of its length squared."""

    BLOCK = 1 << 19
    MIN_BLOCK = 1 << 15

    def __init__(self, fd: int, blocks: bool = False) -> None:
        self.fd = fd
        self.blocks = blocks
        self.lines: Iterator[bytes] = iter(())
        """The lines (or block) of the last read not given yet (`ready` asks how many)."""
        self.start: list[bytes] = []
        """The start of a line not ended yet, in pieces."""
        self.kept = 0
        self.ended = False

    def __iter__(self) -> Iterator[bytes]:
        while True:
            yield from self.lines
            if self.ended:
                if self.start:
                    start, self.start = self.start, []
                    yield b"".join(start)
                return
            block = self._read()
            if not block:
                self.ended = True
                continue
            cut = block.rfind(b"\n") + 1
            lines: list[bytes] = []
            if self.blocks and cut >= self.MIN_BLOCK:
                # The line begun in earlier blocks, if any, is the block's first.
                lines.append(b"".join([*self.start, block[:cut]]) if self.start else block[:cut])
                self.start = []
                self.kept = 0
            elif cut:
                whole = 0
                if self.start:  # the line begun in earlier blocks ends here
                    whole = block.index(b"\n") + 1
                    self.start.append(block[: whole - 1])
                    lines.append(b"".join(self.start))
                    self.start = []
                    self.kept = 0
                lines += block[whole : cut - 1].split(b"\n") if cut > whole else ()
            self.lines = iter(lines)
            rest = block[cut:]
            if rest and self.kept <= MAX_STDIN_LINE:  # (beyond: too long, whatever follows)
                self.start.append(rest)
                self.kept += len(rest)

    def _read(self) -> bytes:
        """Up to `BLOCK` bytes, as many as can be had without waiting once some are (a
        pipe gives 64 KB at a time); b"" at the end."""
        pieces: list[bytes] = []
        held = 0
        while held < self.BLOCK:
            try:
                piece = os.read(self.fd, self.BLOCK - held)
            except BlockingIOError:  # a pipe left non-blocking by whoever made it
                if pieces:
                    break
                import select

                select.select([self.fd], [], [])
                continue
            if not piece:
                if pieces:  # the end: said by the next read
                    break
                return b""
            pieces.append(piece)
            held += len(piece)
            if not self.blocks or not self._waiting_data(unknown=False):
                break
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    def ready(self) -> bool:
        if self.ended or length_hint(self.lines):
            return True
        return self._waiting_data(unknown=True)  # (cannot tell: read on)

    def _waiting_data(self, unknown: bool) -> bool:
        """Whether the descriptor has data to read now (`unknown` where it cannot say)."""
        import select

        try:
            return bool(select.select([self.fd], [], [], 0)[0])
        except (OSError, ValueError):
            return unknown


def find_inputs(
    paths: Iterable[str],
    stdin: TextIO | None = None,
    skip: tuple[int, int] | None = None,
    source_prefix: str = "<stdin>",
    arrival: Arrival | None = None,
    blocks: bool = False,
) -> Iterator[Item]:
    """Files as given, folders searched (sorted) for *.toml and *.json, '-' for stdin.

    Folders go through the one walker (`holdtight.walk`): regular files only, each once,
    unreadable folders reported. `arrival` learns whether stdin would keep it waiting;
    `blocks`: stdin's lines may come as blocks of them (`read_stdin`), for
    `score_stream` scoring as columns."""
    for given in paths:
        if given == "-":
            stream = stdin or sys.stdin
            if stream is None:  # started with its standard input closed (`<&-`)
                raise UsageError("standard input: cannot read: it is closed")
            yield from read_stdin(stream, source_prefix, arrival, blocks)
        elif os.path.isdir(given) and not given.endswith((".toml", ".json")):
            for found in walk(given, skip=skip):
                source = display_name(found.path)
                if found.error is not None:
                    yield Item(source, error=f"{source}: {found.error}")
                else:
                    yield Item(source, found.path, None, None, found.size)  # (by position: fast)
        else:
            yield Item(display_name(given), given)


def read_stdin(
    stream: TextIO | BinaryIO,
    prefix: str = "<stdin>",
    arrival: Arrival | None = None,
    blocks: bool = False,
) -> Iterator[Item]:
    """JSON Lines: {"source": …, "answers": {…}, "meta": {…}} per line, each an item
    read when it is scored (`parsed_line`). Read as bytes where possible, so that a line
    that is not UTF-8 is one bad line, not the end of input.

    Exactly one item per line, in order, so that a pipe operator (Spark's `RDD.pipe`)
    can pair outputs with inputs: a blank or broken line is an error item. A line
    without a source is named PREFIX:N (N counts lines from 1). With `blocks` (for
    `Scorer.batch`), whole lines read together may come as one item, a block of them
    (`Item.block`), each line still its own input."""
    lines: Iterable[str | bytes] = getattr(stream, "buffer", stream)
    fd, pauses = _descriptor(stream)
    if fd is not None:
        # Blocks split into lines: half the time of the buffer's line by line (~0.6 µs
        # a line). A pipe may pause: read so, it is known when it does.
        lines = StdinLines(fd, blocks)
        if arrival is not None and pauses:
            arrival.lines = lines
    made = tuple.__new__  # an Item made from a tuple: a line's cost counts
    # (Its limit read here: tests lower it.)
    too_long = f"line is too long (the limit is {MAX_STDIN_LINE:,} bytes)"
    whole = blocks and fd is not None  # a piece ending in a line break is a block
    number = 0
    for piece in lines:
        if whole and piece[-1:] == b"\n":
            if len(piece) <= MAX_STDIN_LINE:  # (each of its lines within the limit)
                count = _line_count(piece)  # type: ignore[arg-type]
                first = number + 1
                yield made(
                    Item,
                    (f"{prefix}:{first}", None, None, None, len(piece), None, None, piece,
                     first, count, prefix),
                )  # fmt: skip
                number += count
                continue
            pieces: Iterable[str | bytes] = piece[:-1].split(b"\n")  # type: ignore[arg-type]
        else:
            pieces = (piece,)
        for line in pieces:
            number += 1
            fallback = f"{prefix}:{number}"
            # The limit is on the line without its end, as a pipe gives it (`StdinLines`).
            size = len(line)
            if size > MAX_STDIN_LINE and size - _ends_in_newline(line) > MAX_STDIN_LINE:
                yield Item(fallback, error=f"{fallback}: {too_long}")
            else:
                item = (fallback, None, None, None, size, None, None, line, number, 0, "")
                yield made(Item, item)


def _line_count(block: bytes) -> int:
    """The line breaks in a block (by NumPy, loaded for the columns the block goes to:
    a sixth of the time of `bytes.count`)."""
    np = _numpy()
    return int(np.count_nonzero(np.frombuffer(block, dtype=np.uint8) == 10))


def _numpy() -> Any:
    """NumPy, loaded as the command's column scoring wants it (see `Scorer.columns`)."""
    if "numpy" not in sys.modules:
        # Column scoring never multiplies matrices; NumPy's BLAS would otherwise
        # start a thread per core at import that spins beside the work (~0.1 s
        # of CPU for 10,000 files, taken from --jobs workers). This process is
        # the command's own: the API never scores as columns.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    import numpy

    return numpy


def _ends_in_newline(line: bytes | str) -> int:
    return 1 if line[-1:] in (b"\n", "\n") else 0


def parsed_line(item: Item) -> Item:
    """A stdin line's item (`read_stdin`) read: its document and source, or its error."""
    line = item.line
    if line is None:
        return item
    number = item.number
    fallback = item.source
    if isinstance(line, bytes):
        # orjson reads the bytes (checking UTF-8) where it can vouch for the answer;
        # the general path below decides, and words, everything else.
        brackets = strictjson.bracket_count(line)  # counted once: for orjson, then the depth
        record = loads_json(line.removeprefix(b"\xef\xbb\xbf"), brackets)
        if record.__class__ is dict and not nested_too_deeply(record, line, brackets):
            return _stdin_item(record, number, fallback, len(line))
        raw = line
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            place = _column(utf8_place(raw, error))
            return Item(fallback, error=f"{fallback}: {place}{utf8_error(raw, error)}")
    if not line.strip():
        return Item(fallback, error=f"{fallback}: blank line")
    # Without its line's end: a column past the last character names the end of the
    # line, from a file as from a pipe (which gives lines without it).
    text = line.removeprefix("\ufeff").removesuffix("\n").removesuffix("\r")
    try:
        record = strictjson.loads(text)
    except json.JSONDecodeError as error:
        bracket = text.strip(JSON_SPACE)
        if bracket in _ONE_PER_LINE:  # the first line of a document written over many
            return Item(fallback, error=f"{fallback}: {_ONE_PER_LINE[bracket]}")
        message = json_error_text(error)
        if message == JSON_UNCLOSED:  # perhaps the start of a document over many lines
            message = f"the line ends before every {{ and [ in it is closed; {_JSON_LINES}"
        column = _column(json_error_place(error))
        return Item(fallback, error=f"{fallback}: {column}invalid JSON: {one_line(message, 120)}")
    except strictjson.StrictJSONError as error:  # a key twice, NaN, a lone surrogate
        column = _column(strictjson.refusal_place(text))
        return Item(
            fallback, error=f"{fallback}: {column}invalid JSON: {one_line(str(error), 100)}"
        )
    except ValueError as error:
        message = one_line(number_error(error), 100)
        return Item(fallback, error=f"{fallback}: invalid JSON: {message}")
    except RecursionError:
        record = _TOO_DEEP
    if record is _TOO_DEEP or nested_too_deeply(record, line):
        place = _column(strictjson.depth_place(text))
        return Item(fallback, error=f"{fallback}: {place}{NESTED_TOO_DEEPLY}")
    if not isinstance(record, dict):
        many = ", not a list (one answer set per line)" if isinstance(record, list) else ""
        return Item(fallback, error=f"{fallback}: each line must be a JSON object{many}")
    return _stdin_item(record, number, fallback, len(line))


_TOO_DEEP = object()  # a line nested beyond what Python's own parser reads


_JSON_LINES = "standard input is read as JSON Lines, one answer set per line"
_ONE_PER_LINE = {
    "{": f"a line holding only {{: {_JSON_LINES}; to score a JSON file written over many"
    " lines, give its path",
    "[": f"a line holding only [: {_JSON_LINES}; a file holding a list of them goes so:"
    " jq -c '.[]' FILE | holdtight score -",
}


def _column(found: tuple[int, int] | None) -> str:
    """A place in a line (`strictjson`'s (line, column)), as its message begins."""
    return f"column {found[1]}: " if found else ""


def _stdin_item(record: dict[str, Any], number: int, fallback: str, size: int) -> Item:
    """One JSON Lines record's item, named by its "source": text, or a whole number (an
    export's ids: 1042 names it "1042"). Without one it is FALLBACK (PREFIX:N); with a
    "source" that cannot name it (empty, true, a list…) too, and its result says so."""
    source = record.pop("source", None)
    if source.__class__ is int:
        source = str(source)
    if source.__class__ is str and source:
        return Item(source, document=record, size=size, name=f"{source} (line {number})")
    if source is None:
        return Item(fallback, document=record, size=size)
    given = (
        "empty text"
        if source == ""
        else "a number that is not whole"
        if source.__class__ is float
        else "an object"
        if source.__class__ is dict
        else type_name(source)
    )
    warning = f"source: expected text or a whole number, not {given}; named {fallback}"
    return Item(fallback, document=record, size=size, warning=warning)


def _descriptor(stream: object) -> tuple[int | None, bool]:
    """(the file descriptor behind `stream`, not yet read through its own buffer, or
    None where there is none to read; whether it may pause: a pipe, FIFO, socket or
    terminal, which gives each line as it is typed)."""
    try:
        fd = stream.fileno()  # type: ignore[attr-defined]
        mode = os.fstat(fd).st_mode
    except (AttributeError, OSError, ValueError):
        return None, False
    import stat

    if stat.S_ISREG(mode):
        return fd, False
    paused = stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or os.isatty(fd)
    return (fd, True) if paused else (None, False)


def _line_item(items: list[Item], place: int) -> Item:
    """The item of the line at `place` (`Scorer.batch`): where a block's lines were all
    read at once, the block stands in each of their places (`Scorer._blocks_read`), and
    the line is taken from it (rare: a row the columns leave to the full path)."""
    item = items[place]
    if not item.block:
        return item
    start = place
    while start and items[start - 1] is item:
        start -= 1
    return _block_lines(item)[place - start]


def _block_lines(item: Item) -> list[Item]:
    """A block's lines (`Item.block`), an item each, as `read_stdin` makes them (within
    the line limit: a block is no longer than a line may be)."""
    assert isinstance(item.line, bytes)
    lines = item.line.split(b"\n")
    lines.pop()  # (after the last line break)
    return [
        Item(f"{item.prefix}:{number}", size=len(line), line=line, number=number)
        for number, line in enumerate(lines, start=item.number)
    ]


class Scorer:
    """Scores items into formatted text; one per process, the rulebook compiled once.

    Each format gets only the work it shows: CSV rows need settings and posture alone
    (unless a summary wants confidence too); the table no levers; JSON wants everything."""

    def __init__(
        self, rulebook: Rulebook, fmt: str, summary: bool = False, width: int = TABLE_WIDTH
    ) -> None:
        self.rulebook = rulebook
        self.fmt = fmt
        self.summary = summary
        self.width = width
        """The table's width: a terminal's, or 100 columns in a pipe or a file."""
        self.levers = fmt in ("json", "jsonl")  # the table shows no levers
        self.csv = CsvRows()
        self._columns: ColumnScorer | ResultColumns | None = None
        self._no_columns = False
        self._typed: TypedLines | Literal[False] | None = None
        self._warning_cells: dict[int, tuple[str, int]] = {}
        """A warning bit set's CSV cell and count (`columns_text`)."""

    def __call__(self, item: Item) -> Scored:
        item = parsed_line(item)
        try:
            document, raw = self.document(item)
            return self.scored_document(item, document, raw)  # says its own errors
        except HoldtightError as error:
            return self.failed(item.source, error)
        except RecursionError:  # one input's record, never the whole batch's end
            return self.failed(item.source, InputError(NESTED_TOO_DEEPLY, source=item.source))

    def document(self, item: Item) -> tuple[dict[str, Any], bytes | None]:
        """The item's document (read and parsed from its file, if it has one) and the
        file's bytes; a HoldtightError says why there is none."""
        if item.error is not None:
            raise InputError(item.error)
        if item.document is not None:
            return item.document, None
        raw = read_bytes(item.path or item.source, item.source, item.size)
        return parse_document(raw, item.source), raw

    def failed(self, source: str, error: HoldtightError) -> Scored:
        message = str(error)
        return Scored(source, False, self.error_text(source, message), error=message)

    def scored_document(self, item: Item, document: dict[str, Any], raw: bytes | None) -> Scored:
        rulebook = self.rulebook
        source = item.source
        name = item.name or source  # in messages
        extra = (item.warning,) if item.warning else ()
        try:
            if self.fmt == "csv" and not self.summary:
                frame = raw_answers_document(document, rulebook, source)
                quick = score_raw_answers(rulebook, frame[0]) if frame is not None else None
                if frame is not None and quick is not None:
                    return self.csv_scored(source, quick, (*extra, *quick.warnings), frame[1])
            try:
                session = session_from_document(document, rulebook, name)
            except InputError:
                if raw is None:
                    raise
                # Second pass only on failure: find the line of the bad answer.
                text = raw.decode("utf-8", "replace")
                session = session_from_document(document, rulebook, name, text=text)
            if self.fmt == "csv" and not self.summary:
                quick = score_settings(rulebook, session.answers)
                warnings = (*extra, *session.warnings, *quick.warnings)
                return self.csv_scored(source, quick, warnings, session.meta)
            result = score(rulebook, session.answers, levers=self.levers)
        except HoldtightError as error:
            return self.failed(source, error)
        if extra or session.warnings:
            result = result._replace(warnings=(*extra, *session.warnings, *result.warnings))
        return Scored(
            source,
            True,
            self.result_text(source, result, session.meta),
            tuple(d.setting for d in result.domains),
            tuple(d.confidence for d in result.domains),
            result.posture_label,
            warnings=len(result.warnings),
        )

    def csv_scored(
        self,
        source: str,
        quick: SettingsOnly,
        warnings: tuple[str, ...],
        meta: Mapping[str, Any],
    ) -> Scored:
        line = self.csv.line(
            source,
            quick.settings,
            quick.posture_label,
            quick.posture_index,
            warnings,
            meta,
            quick.scenarios,
        )
        # Only the text and the outcome: the settings and posture are for a summary,
        # which takes the full path (and a worker pickles less).
        return Scored(source, True, line, warnings=len(warnings))

    def result_text(self, source: str, result: Result, meta: dict[str, Any]) -> str | bytes:
        if self.fmt in ("json", "jsonl"):
            data = result_dict(result, source=source, meta=meta, levers=self.levers)
            return dumps_json_bytes(data)
        if self.fmt == "csv":
            settings = [d.setting for d in result.domains]
            return self.csv.line(
                source,
                settings,
                result.posture_label,
                result.posture_index,
                result.warnings,
                meta,
                scenario_settings(result),
            )
        from holdtight.reports.plain_table import result_table_plain, table_layout

        width = self.width
        short, spectrum = table_layout(self.rulebook, result, width)
        # The common table without Rich (the same text; see plain_table): start-up.
        text = result_table_plain(self.rulebook, source, result, meta, width, short, spectrum)
        if text is None:
            from holdtight.reports.terminal import result_table_text

            text = result_table_text(self.rulebook, source, result, meta, width, short, spectrum)
        return text

    def error_text(self, source: str, message: str) -> str | bytes:
        if self.fmt in ("json", "jsonl"):
            return dumps_json_bytes(error_dict(source, message))
        if self.fmt == "csv":
            return csv_line(csv_error_row(self.rulebook, source, message))
        return ""

    def batch(self, items: list[Item], joined: bool = False) -> list[Scored]:
        """Score items in order: as columns, many at once, where the format is CSV
        (`holdtight.columns`) or JSON (`holdtight.result_columns`) without a summary and
        the rulebook allows it; else each alone. Both give the same text (the tests
        compare them). `joined`: each run of successes as one, as `_merged` joins them."""
        inputs = sum(item.block or 1 for item in items)
        columns = self.columns(inputs)
        typed = None
        if columns is not None and any(item.line is not None for item in items):
            typed = self._typed_lines(columns)
        # Only what a row needs is kept (not the document): memory is reused from one
        # document to the next, and a worker touches fewer new pages (page faults were
        # a tenth of the CPU of --jobs 2).
        coded: list[tuple[tuple[Ints, list[bool]], Waiting]] = []
        taken: set[int] | tuple[()] = ()
        if inputs != len(items):  # blocks of lines
            items, taken = self._blocks_read(items, typed, coded)
        if columns is None:
            scored = [self(item) for item in items]
            return _merged(scored, self.fmt) if joined else scored
        out: list[Scored | None] = [None] * len(items)
        if typed is not None:
            # Lines read by the typed decoder: their rows are coded as a whole (`matrix`).
            lines = [item.line if place not in taken else None for place, item in enumerate(items)]
            read = typed.read_many(lines)
            if read.places:
                sources = [
                    items[place].source if named is None else named
                    for place, named in zip(read.places, read.sources, strict=True)
                ]
                typed_waiting = Waiting(read.places, sources, [None] * len(sources), read.metas)
                coded.append((typed.matrix(read.rows), typed_waiting))
                taken = {*taken, *read.places}
        waiting = Waiting([], [], [], [])
        rows: list[list[int]] = []
        rulebook = self.rulebook
        row_of = columns.row
        for place, item in enumerate(items):
            if place in taken:
                continue
            item = parsed_line(item)
            try:
                # Date-times are only tested here (the header's): made exact only for
                # a document that takes the full path.
                document, raw = self.document(item)
            except HoldtightError as error:
                out[place] = self.failed(item.source, error)
                continue
            frame = raw_answers_document(document, rulebook, item.source)
            row = row_of(frame[0]) if frame is not None and frame[0].__class__ is dict else None
            if frame is None or row is None:
                out[place] = self.scored_document(item, document, raw)
                continue
            waiting.places.append(place)
            waiting.sources.append(item.source)
            waiting.warnings.append(item.warning)
            waiting.metas.append(frame[1])
            rows.append(row)
        if rows:
            coded.append((columns.encode(rows), waiting))
        for (codes, ok), waits in coded:
            # The whole chunk in one run (the common chunk): with `joined`, one result
            # for its rows, not one each merged after.
            whole = joined and len(waits.places) == len(items)
            texts, counts = self.columns_text(columns, codes, ok, waits, whole)
            if isinstance(texts, str):
                return [
                    Scored(waits.sources[0], True, texts, warnings=sum(counts), inputs=len(counts))
                ]
            for place, source, text, count in zip(
                waits.places, waits.sources, texts, counts, strict=True
            ):
                out[place] = (
                    # The full path checks it and says what is wrong (read again: rare,
                    # another question's value).
                    self(_line_item(items, place))
                    if text is None
                    else Scored(source, True, text, warnings=count)
                )
        # Every place is filled.
        return _merged(out, self.fmt) if joined else out  # type: ignore[arg-type, return-value]

    def _blocks_read(
        self,
        items: list[Item],
        typed: TypedLines | None,
        coded: list[tuple[tuple[Ints, list[bool]], Waiting]],
    ) -> tuple[list[Item], set[int]]:
        """`items` with each block of lines (`Item.block`) in its place as the lines it
        holds, and the places of those read at once (`TypedLines.read_block`), whose
        codes are added to `coded`; the others are items of a line each, as
        `read_stdin` makes them."""
        flat: list[Item] = []
        taken: set[int] = set()
        for item in items:
            block = item.line
            if not item.block or not isinstance(block, bytes):
                flat.append(item)
                continue
            read = typed.read_block(block) if typed is not None else None
            start = len(flat)
            codes = None
            if typed is not None and read is not None and read.places:
                codes = typed.matrix(read.rows)
                first, prefix = item.number, item.prefix
                places = [start + place for place in read.places]
                sources = [
                    f"{prefix}:{first + place}" if named is None else named
                    for place, named in zip(read.places, read.sources, strict=True)
                ]
                coded.append((codes, Waiting(places, sources, [None] * len(places), read.metas)))
                taken.update(places)
            if codes is not None and len(codes[1]) == item.block and False not in codes[1]:
                flat += itertools.repeat(item, item.block)  # (each line scored as columns)
            else:  # a line for the full path to read, or to say what is wrong with
                flat += _block_lines(item)
        return flat, taken

    def _typed_lines(self, columns: ColumnScorer | ResultColumns) -> TypedLines | None:
        """The typed decoder of stdin lines for these columns (built on first use; None
        where msgspec cannot be loaded or cannot type the rulebook: each line is then
        read the general way)."""
        typed = self._typed
        if typed is None:
            try:
                from holdtight.typed_lines import TypedLines
            except ImportError:  # a broken or missing wheel: the general path
                self._typed = False
                return None
            from holdtight.columns import ColumnScorer

            scorer = columns if isinstance(columns, ColumnScorer) else columns.scorer
            try:
                typed = self._typed = TypedLines(scorer)
            except TypeError:  # a rulebook msgspec cannot type (an empty choice…)
                self._typed = False
                return None
        return typed or None

    def columns_text(
        self,
        columns: ColumnScorer | ResultColumns,
        codes: Ints,
        ok: list[bool],
        waiting: Waiting,
        whole: bool = False,
    ) -> tuple[list[Any] | str, list[int]]:
        """(each row's text, None where the full path must decide; its warning count), of
        rows coded (`ColumnScorer.encode`, `TypedLines.matrix`). A JSON record is a list
        of pieces, joined with the others of its run (`_merged`). `whole`: CSV rows that
        all scored as one text, joined as `_merged` joins them."""
        from holdtight.columns import ColumnScorer, joined_runs  # loaded: `columns` is one

        if not isinstance(columns, ColumnScorer):
            return columns.records(codes, ok, waiting.sources, waiting.metas, waiting.warnings)
        scored = columns.score_codes(codes, ok)
        runs = columns.settings_runs(scored)
        csv = self.csv
        known = self._warning_cells
        warned: list[str] = []
        counts: list[int] = []
        for bits, extra in zip(scored.warns, waiting.warnings, strict=True):
            found = None if extra else known.get(bits)
            if found is None:
                warnings = columns.warnings(bits)
                if extra:
                    warnings = (extra, *warnings)
                found = (csv.warnings_cell(warnings), len(warnings))
                if not extra and len(known) < 1 << 12:
                    known[bits] = found
            warned.append(found[0])
            counts.append(found[1])
        if whole and runs.shape[1] and False not in scored.ok:
            text = csv.joined_text(
                waiting.sources, runs, scored.posture_labels, scored.posture_indexes, warned,
                waiting.metas,
            )  # fmt: skip
            return text, counts
        cells = joined_runs(runs)
        texts: list[str | None] = csv.joined_lines(  # type: ignore[assignment]
            waiting.sources, cells, scored.posture_labels, scored.posture_indexes, warned,
            waiting.metas,
        )  # fmt: skip
        for k, fine in enumerate(scored.ok):
            if not fine:  # the full path says what is wrong
                texts[k] = None
                counts[k] = 0
        return texts, counts

    def columns(self, count: int) -> ColumnScorer | ResultColumns | None:
        """The column scorer, for `count` items in CSV or JSON without a summary (built
        on first use, once per process: NumPy loads only for a batch)."""
        if (
            self.fmt not in COLUMN_FORMATS
            or self.summary
            or count < COLUMNS_FROM
            or self._no_columns
        ):
            return None
        columns = self._columns
        if columns is None:
            try:
                _numpy()
                from holdtight.columns import ColumnScorer
                from holdtight.result_columns import ResultColumns
            except ImportError:  # NumPy missing or broken: each input alone, as before
                self._no_columns = True
                return None
            _keep_freed_memory()  # the chunks to come take and free the same sizes
            columns = self._columns = (
                ColumnScorer(self.rulebook) if self.fmt == "csv" else ResultColumns(self.rulebook)
            )
        return columns if columns.supported else None


def _keep_freed_memory() -> None:
    """Tell glibc's malloc to keep memory it is given back (up to 64 MB) and to take
    blocks below 4 MB from its heap, not from the system: a chunk's arrays and records
    (50 KB to a few MB) are freed and taken again every chunk, and by default each came
    from new pages that faulted in (JSON Lines with levers: ~290,000 page faults for
    100,000 lines, ~20,000 so; `score -` 0.93x with it, paired). Peak memory does not move: it is
    the same memory, kept. Only the command's own process (see `Scorer.columns`); a
    no-op where malloc is not glibc's."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # pragma: no cover - no such C library
        return
    mallopt(_M_MMAP_THRESHOLD, 4 << 20)
    mallopt(_M_TRIM_THRESHOLD, 64 << 20)


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # <malloc.h>


# --- parallel --------------------------------------------------------------------------

_worker: Scorer | None = None


def _init_worker(rules_path: str, fmt: str, summary: bool, width: int) -> None:
    global _worker
    from holdtight.rulebook import load_rulebook

    _quiet_worker()
    _worker = Scorer(load_rulebook(rules_path), fmt, summary, width)


def _work(items: list[Item]) -> list[Scored] | Referred:
    assert _worker is not None
    if _worker.fmt == "csv" and not _worker.summary:
        return _worker.batch(items, joined=True)
    results = _worker.batch(items)
    if _worker.summary:
        return results
    if any(isinstance(scored.text, list) for scored in results):
        return _referred(results)
    return _merged(results, _worker.fmt)


class Referred(NamedTuple):
    """A worker's JSON records as references to the pieces they are made of (most are
    the same from one record to the next), with the pieces the parent has not been
    sent yet: a record crosses the pipe as ~2 KB instead of ~50 KB."""

    worker: int
    restart: bool
    """The worker forgot what it sent (its table was full): so must the parent."""
    pieces: list[bytes]
    """New pieces, numbered on from the last ones sent."""
    results: list[Scored]
    """Records as lists of piece numbers (the first piece of each, its own, as bytes)."""


MAX_REFERRED = 1 << 16
"""Pieces a worker numbers before it starts again (the parent keeps as many)."""
_sent: dict[bytes, int] = {}


def _referred(results: list[Scored]) -> Referred:
    """`results` with each record's pieces as numbers (`Referred`)."""
    restart = len(_sent) >= MAX_REFERRED
    if restart:
        _sent.clear()
    new: list[bytes] = []
    out = []
    for scored in results:
        text = scored.text
        if not isinstance(text, list):
            out.append(scored)
            continue
        refs: list[int | bytes | None] = [text[0], *map(_sent.get, text[1:])]  # at C speed
        if None in refs:  # pieces not sent yet
            for k in range(1, len(refs)):
                if refs[k] is None:
                    piece = text[k]
                    number = _sent.get(piece)  # (it may be twice in one record)
                    if number is None:
                        number = _sent[piece] = len(_sent)
                        new.append(piece)
                    refs[k] = number
        # The opening (refs[0]) is this record's own: it travels as bytes.
        out.append(scored._replace(text=refs))  # type: ignore[arg-type]
    return Referred(os.getpid(), restart, new, out)


def _resolved(message: list[Scored] | Referred, known: dict[int, list[bytes]]) -> list[Scored]:
    """A worker's results with each record's pieces again (`known`: per worker, the
    pieces it has sent, in order)."""
    if not isinstance(message, Referred):
        return message
    pieces = known.setdefault(message.worker, [])
    if message.restart:
        pieces.clear()
    pieces += message.pieces
    out = []
    for scored in message.results:
        refs = scored.text
        if isinstance(refs, list):
            opening = refs[0]
            scored = scored._replace(text=[opening, *map(pieces.__getitem__, refs[1:])])  # type: ignore[arg-type]
        out.append(scored)
    return out


# What `batch_output.ResultWriter` writes between two results of a format.
_BETWEEN = {"csv": "\n", "jsonl": "\n", "json": ",\n", "table": ""}


def _merged(results: list[Scored], fmt: str) -> list[Scored]:
    """`results` with each run of consecutive successes as one `Scored` (see `inputs`);
    a failure stays one of its own, for the parent to report and count. A text may be
    a list of pieces (a JSON record as `holdtight.result_columns` leaves it): a run's
    text is then joined once, pieces and all."""
    merged: list[Scored] = []
    run: list[Scored] = []
    between = _BETWEEN[fmt]
    for scored in [*results, None]:
        if scored is not None and scored.ok:
            run.append(scored)
            continue
        if len(run) == 1 and run[0].text.__class__ is not list:
            merged.append(run[0])
        elif run:
            texts = [item.text for item in run]
            joined: str | bytes
            if any(text.__class__ is list for text in texts):
                parts: list[bytes] = []
                separator = between.encode()
                for k, text in enumerate(texts):
                    if k:
                        parts.append(separator)
                    if isinstance(text, list):
                        parts += text
                    else:
                        parts.append(text)  # type: ignore[arg-type]  # bytes: JSON
                joined = b"".join(parts)
            elif texts[0].__class__ is bytes:
                joined = between.encode().join(texts)  # type: ignore[arg-type]
            else:
                joined = between.join(texts)  # type: ignore[arg-type]
            warnings = sum(item.warnings for item in run)
            inputs = sum(item.inputs for item in run)
            merged.append(Scored(run[0].source, True, joined, warnings=warnings, inputs=inputs))
        run = []
        if scored is not None:
            merged.append(scored)
    return merged


def json_chunk(rulebook: Rulebook, most: int | None = None) -> int:
    """Records scored at once as columns: fewer where a rulebook has many scenarios
    (their columns grow with the chunk: 46 scenarios held ~140 MB at 1,024)."""
    most = JSON_CHUNK if most is None else most
    return max(2 * COLUMNS_FROM, most * 8 // max(8, len(rulebook.scenarios)))


def _chunks(
    items: Iterable[Item], size: int, arrival: Arrival | None = None
) -> Iterator[list[Item]]:
    """Items `size` at a time, or fewer where the next would keep us waiting, or where
    they are large (`CHUNK_BYTES` of files or lines: a chunk's answers, meta and
    records are held at once)."""
    chunk: list[Item] = []
    held = 0
    for item in items:
        if item.block:  # a block of lines read together: a chunk of its own
            if chunk:
                yield chunk
                chunk = []
                held = 0
            yield [item]
            continue
        chunk.append(item)
        held += item.size or 0
        if len(chunk) >= size or held >= CHUNK_BYTES or (arrival is not None and arrival.waiting()):
            yield chunk
            chunk = []
            held = 0
    if chunk:
        yield chunk


COLLECT_EVERY = 8
"""Chunks scored between two collections of the young generations (`_collected_by_chunk`)."""


def _collected_by_chunk(chunks: Iterator[list[Item]]) -> Iterator[list[Item]]:
    """`chunks`, with the garbage collector run between chunks, every `COLLECT_EVERY`,
    instead of on its own. A chunk's objects (its lines, decoded records, rows and
    texts) live as long as the chunk and are freed by their counts, but the collector,
    counting allocations, ran every ~700 of them and walked the live ones, moving them
    to older generations that it then walked again: ~5% of `score -`'s time. Between
    chunks little is alive; what cycles a chunk leaves (an error's traceback) are freed
    there, so memory stays as flat."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        for count, chunk in enumerate(chunks, start=1):
            yield chunk
            if count % COLLECT_EVERY == 0:
                gc.collect(1)
    finally:
        if collecting:
            gc.enable()


def score_stream(
    rulebook: Rulebook,
    items: Iterable[Item],
    fmt: str,
    jobs: int = 1,
    summary: bool = False,
    width: int = TABLE_WIDTH,
    chunked: bool = True,
    arrival: Arrival | None = None,
) -> Iterator[Scored]:
    """Scored items in input order. With jobs > 1 a process pool works ahead a bounded
    number of chunks, so memory stays flat however many inputs there are. CSV is scored
    in chunks (`CHUNK`) unless `chunked` is false (input typed at a terminal: each line
    gets its row at once)."""
    global _worker
    if jobs <= 1:
        scorer = Scorer(rulebook, fmt, summary, width)
        if fmt not in COLUMN_FORMATS or summary or not chunked:
            for item in items:
                yield scorer(item)
            return
        if fmt != "csv":
            # Records as their pieces, each joined as it is written: a run of them
            # joined at once would hold megabytes.
            for chunk in _collected_by_chunk(_chunks(items, json_chunk(rulebook), arrival)):
                yield from scorer.batch(chunk)
            return
        for chunk in _collected_by_chunk(_chunks(items, CHUNK, arrival)):
            yield from scorer.batch(chunk, joined=True)  # fewer, longer writes
        return
    import multiprocessing

    size = CHUNK if fmt == "csv" and not summary else json_chunk(rulebook, JSON_WORKER_CHUNK)
    chunks = _chunks(items, size, arrival)
    # The first chunk is read before the workers start: a batch too small for columns
    # (a few inputs) then never fills their tables nor loads NumPy.
    first = next(chunks, None)
    chunks = itertools.chain([first] if first is not None else [], chunks)
    # Workers are born with ctrl+c and SIGTERM held back (the signal mask is inherited),
    # and let them through once `_quiet_worker` has left them to the parent: a signal in
    # between once stopped a worker with a traceback, or left a run that would not end.
    # The parent lets them through inside `with pool`, which then terminates the pool.
    _hold_signals(signal.SIG_BLOCK)
    try:
        if sys.platform == "linux":
            # Forked workers inherit the compiled rulebook: nothing to load again.
            context = multiprocessing.get_context("fork")
            _worker = Scorer(rulebook, fmt, summary, width)
            if first is not None and sum(item.block or 1 for item in first) >= COLUMNS_FROM:
                _worker.columns(CHUNK)  # built once, here: the workers inherit it
            # What exists now lives as long as the run: kept out of the collector's
            # walks, which in a worker would write to (and so copy) the pages it shares
            # with this process.
            gc.freeze()
            pool = context.Pool(jobs, initializer=_quiet_worker)
        else:
            context = multiprocessing.get_context("spawn")
            pool = context.Pool(
                jobs, initializer=_init_worker, initargs=(rulebook.path, fmt, summary, width)
            )
    except OSError as error:  # the process limit (EAGAIN), or out of memory
        _hold_signals(signal.SIG_UNBLOCK)
        raise UsageError(
            f"--jobs {jobs}: cannot start the worker processes ({error.strerror or error}); "
            "try fewer"
        ) from None
    except BaseException:
        _hold_signals(signal.SIG_UNBLOCK)
        raise
    window = jobs * 4
    with pool:  # leaving the block (ctrl+c included) terminates the workers
        _hold_signals(signal.SIG_UNBLOCK)  # a ctrl+c that came meanwhile is raised here
        pending: deque[Any] = deque()
        known: dict[int, list[bytes]] = {}  # the pieces each worker has sent
        for chunk in chunks:
            pending.append(pool.apply_async(_work, (chunk,)))
            if len(pending) >= window:
                yield from _resolved(pending.popleft().get(), known)
            if arrival is not None and arrival.waiting():  # input pauses: catch up
                while pending:
                    yield from _resolved(pending.popleft().get(), known)
        while pending:
            yield from _resolved(pending.popleft().get(), known)


def _quiet_worker() -> None:
    """Workers leave ctrl+c and SIGTERM to the parent, which stops them: no traceback
    from a worker ever reaches the terminal."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _hold_signals(signal.SIG_UNBLOCK)  # held back since the fork (see score_stream)


def _hold_signals(how: int) -> None:
    """Block or unblock ctrl+c and SIGTERM in this thread (where the platform can)."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(how, {signal.SIGINT, signal.SIGTERM})


def resolve_jobs(value: str) -> int:
    if value == "auto":
        return max(
            1,
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else (os.cpu_count() or 1),
        )
    jobs = int(value)
    if not 1 <= jobs <= MAX_JOBS:
        raise ValueError
    return jobs


# --- summary ---------------------------------------------------------------------------


class BatchSummary:
    """Counts across a batch: settings and confidence per domain, postures, failures.
    (A plain class: a dataclass would cost `score FILE` half a millisecond at import.)"""

    def __init__(self, rulebook: Rulebook) -> None:
        self.rulebook = rulebook
        self.total = 0
        self.scored = 0
        self.settings: dict[str, Counter[str]] = {}
        self.confidence: dict[str, Counter[str]] = {}
        self.posture: Counter[str] = Counter()
        self.failed: list[tuple[str, str]] = []
        self.warned = 0

    def add(self, scored: Scored) -> None:
        self.total += 1
        if not scored.ok:
            self.failed.append((scored.source, scored.error))
            return
        self.scored += 1
        self.posture[scored.posture] += 1
        if scored.warnings:
            self.warned += 1
        for domain, setting, confidence in zip(
            self.rulebook.domains, scored.settings, scored.confidences, strict=True
        ):
            self.settings.setdefault(domain.id, Counter())[setting] += 1
            self.confidence.setdefault(domain.id, Counter())[confidence] += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.total,
            "scored": self.scored,
            "failed": [{"source": s, "error": e} for s, e in self.failed],
            "with_warnings": self.warned,
            "posture": {
                label: self.posture.get(label, 0)
                for label in ("more_centralized", "midway", "more_decentralized")
            },
            "labels": {
                "settings": {s: self.rulebook.setting_label(s) for s in reversed(SETTINGS)},
                "posture": {
                    label: self.rulebook.posture_text(label)
                    for label in ("more_centralized", "midway", "more_decentralized")
                },
            },
            "domains": [
                {
                    "id": d.id,
                    "title": d.title,
                    "settings": {
                        s: self.settings.get(d.id, Counter()).get(s, 0) for s in reversed(SETTINGS)
                    },
                    "confidence": {
                        c: self.confidence.get(d.id, Counter()).get(c, 0)
                        for c in ("high", "medium", "low")
                    },
                }
                for d in self.rulebook.domains
            ],
        }
