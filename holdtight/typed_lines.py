"""JSON Lines answer sets read straight to the column scorer's codes, by a decoder typed
from the rulebook (msgspec), for `score -` in chunks.

`batch.parsed_line` reads a line as any JSON text (orjson, or the standard library where
orjson cannot vouch for the answer), then checks its frame and answers step by step:
~12 µs a line, where `json.loads` alone takes ~5. Here one typed decoding reads and
checks at once (~1.3 µs): every key a question of the rulebook, every single choice one
of its options or "not sure", a multiple choice a list of its options, numbers whole and
in range, `meta` text within the limits of `sessionfile._meta`, nothing but "answers",
"meta" and "source" at the top. A text answer comes out of the decoder as its code, a
number as itself (`_coded_enum`, `_Numbers`); `matrix` turns a chunk's rows into the
codes `ColumnScorer.encode` gives the same answers read the general way. Whatever it
cannot vouch for, it declines (None, or not ok in `matrix`), and the line goes the
general path, which decides and words everything: a line read here gives exactly what
that path gives (tests/unit/test_typed_lines.py holds the two to it, on generated and
mangled lines). What the typed decoding does not see, it checks after:
- a key given twice (the decoder keeps the last, as orjson does): the keys read are
  counted against the colons of the line, as `parsing.loads_json` does;
- a meta key that is a question's (`raw_answers_document` sends those to the full path),
  a "source" that is empty or an integer too long to name a line cheaply;
- a number that is no answer as it stands (between the steps of a scale), a multiple
  choice's or a text's answer: by `matrix`, the last with the column scorer's own
  coders (`ColumnScorer.special_coders`).
"""

from __future__ import annotations

import bisect
import enum
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, NamedTuple, Union

import msgspec
import numpy as np
from numpy.typing import NDArray

from holdtight.columns import _NONE, Ints
from holdtight.limits import MAX_META_KEYS, MAX_TEXT
from holdtight.model import UNSURE

if TYPE_CHECKING:
    from holdtight.columns import ColumnScorer

MAX_NUMBER_SPAN = 1 << 20
"""Whole numbers a question's table of codes may span (`_Numbers`); one wider (its
answers few and far apart) is read the general way."""

_NAMED_INT = 10**18
"""A whole-number "source" below this in size is named here; a longer one goes the
general path (`str` of a huge int is slow, and beyond 4,300 digits refused)."""


class TypedLine(NamedTuple):
    row: tuple[Any, ...]
    """The answers as decoded, in `TypedLines.names` order: a single choice's, a scale's
    or a number's code or whole number (`_MISSING` unanswered), then the multiple
    choices' and texts' values; `TypedLines.matrix` turns rows into codes."""
    meta: Mapping[str, Any]
    source: str | None
    """The line's own "source" as text, None without one."""


class TypedRead(NamedTuple):
    """Lines read (`TypedLines.read_many`): their places, and of each its `TypedLine`'s
    parts."""

    places: list[int]
    rows: list[tuple[Any, ...]]
    metas: list[Mapping[str, Any]]
    sources: list[str | None]


_MISSING = -(1 << 62)
"""What the decoder gives for a question not answered: no answer decodes to it (codes
are small, and a rulebook whose numbers could reach it is not read here)."""


def _answer_type(kind: str, options: Sequence[str]) -> Any:
    """What the decoder accepts for a multiple choice or a text question (their values go
    to the column scorer's own coders)."""
    if kind == "text":
        return str
    ticks: Any = Literal[tuple(options)]
    return Union[list[ticks], Literal[UNSURE]]  # noqa: UP007


def _coded_enum(name: str, codes: dict[str, int]) -> type[enum.Enum]:
    """A type whose decoding gives each text's code, an int, not a member: msgspec reads
    a str-valued Enum by a table it builds from the Enum's `_value2member_map_` (text →
    member), here text → code, so that the decoder looks the codes up in C (a lookup a
    value in Python was ~1.5 µs a line). `TypedLines` checks that it does so."""
    coded = enum.Enum(name, [(f"v{k}", text) for k, text in enumerate(codes)])  # type: ignore[misc]
    coded._value2member_map_ = dict(codes)  # type: ignore[arg-type]
    return coded


def _colons(lines: list[Any]) -> int:
    """The colons in these lines (bytes or text): of bytes joined, counted by NumPy (a
    sixth of the time of `bytes.count` a line)."""
    try:
        joined = b"".join(lines)
    except TypeError:  # text
        return sum(line.count(":") for line in lines)
    return int(np.count_nonzero(np.frombuffer(joined, dtype=np.uint8) == ord(":")))


def _kept(read: TypedRead, keys: list[int], colons: list[int]) -> TypedRead:
    """The lines read whose colons are as many as their keys."""
    kept = [k for k, (given, found) in enumerate(zip(keys, colons, strict=True)) if given == found]
    return TypedRead(*([column[k] for k in kept] for column in read))  # type: ignore[arg-type]


_NEWLINE, _OPEN, _CLOSE, _COLON, _RETURN = b"\n{}:\r"
_AT_RECORD = re.compile(r" - at `\$\[(\d+)\]")
_AT_BYTE = re.compile(r"\(byte (\d+)\)$")
MAX_REFUSED = 32
"""Lines of a block the decoder may refuse, each left to the general path, before the
block is read line by line."""


class _Numbers(NamedTuple):
    """A question with whole-number answers (a scale, a number): they are decoded as they
    are, its texts ("not sure") as numbers below them, no answer as `base`, and
    `codes[decoded - base]` is the code of each (-1 where it is no answer as it
    stands)."""

    place: int
    base: int
    codes: NDArray[np.int64]


class TypedLines:
    """`read(line)`: a line's answers, meta and source, or None to leave it to the
    general path; `matrix(rows)`: the column scorer's codes of rows read. Built once per
    column scorer."""

    def __init__(self, scorer: ColumnScorer) -> None:
        columns = {c.id: c for c in scorer.columns}
        names = (*scorer.plain_ids, *scorer.special_ids)
        self.names = names
        self.plain = len(scorer.plain_ids)
        self.questions = scorer.rulebook.questions.keys()
        self.scorer = scorer
        self.numbers: list[_Numbers] = []
        # Fields named f0, f1… and renamed to the question ids: an id need not be a
        # Python name. A missing answer is `_MISSING`; a null is refused.
        fields: list[Any] = []
        expected: dict[str, Any] = {}
        for k, name in enumerate(names):
            column = columns[name]
            if column.kind in ("multi", "text"):
                fields.append((f"f{k}", _answer_type(column.kind, column.options), _MISSING))
                continue
            if not {v.__class__ for v in column.codes} <= {str, int, type(None)}:
                raise TypeError(f"{name}: answers neither text nor whole numbers")
            texts = {v: code for v, code in column.codes.items() if v.__class__ is str}
            whole = sorted(v for v in column.codes if v.__class__ is int)
            typed: Any
            if whole:
                # Texts ("not sure") decode below the numbers, no answer below them.
                low, high = whole[0], whole[-1]
                base = low - 1 - len(texts)
                if base <= _MISSING or high >= -_MISSING or high - base > MAX_NUMBER_SPAN:
                    raise TypeError(f"{name}: numbers beyond what is read here")
                table = np.full(high - base + 1, -1, dtype=np.int64)
                table[0] = _NONE
                decoded = {v: low - 1 - j for j, v in enumerate(texts)}
                for value, code in column.codes.items():
                    if value.__class__ is not type(None):
                        table[decoded.get(value, value) - base] = code
                self.numbers.append(_Numbers(k, base, table))
                texts = decoded
                typed = Union[  # noqa: UP007
                    _coded_enum(f"Q{k}", texts), Annotated[int, msgspec.Meta(ge=low, le=high)]
                ]
            else:
                typed = _coded_enum(f"Q{k}", texts)
            fields.append((f"f{k}", typed, _MISSING))
            expected[name] = next(iter(texts.items()))
        answers = msgspec.defstruct(
            "Answers",
            fields,
            rename={f"f{k}": name for k, name in enumerate(names)},
            forbid_unknown_fields=True,
        )
        text = Annotated[str, msgspec.Meta(max_length=MAX_TEXT)]
        record: list[Any] = [
            ("answers", answers),
            ("meta", Annotated[dict[str, text], msgspec.Meta(max_length=MAX_META_KEYS)], None),
            ("source", Union[str, int], None),  # noqa: UP007
        ]
        line = msgspec.defstruct("AnswerLine", record, forbid_unknown_fields=True)
        decoder = msgspec.json.Decoder(line)
        self._decode: Callable[[bytes | str], Any] = decoder.decode
        self._decode_lines: Callable[[bytes | memoryview], list[Any]] = decoder.decode_lines
        self._values = msgspec.structs.astuple
        # The decoder must give codes, not members (`_coded_enum`): else the typed path
        # is off (the general path gives the same, slower).
        probe = {name: text for name, (text, _) in expected.items()}
        given = self.read(msgspec.json.encode({"answers": probe}))
        if given is None or [given.row[names.index(n)] for n in expected] != [
            c for _, c in expected.values()
        ]:
            raise TypeError("this msgspec does not decode Enums by their value map")

    def read(self, line: bytes | str) -> TypedLine | None:
        """One line read (`read_many`), or None."""
        read = self.read_many([line])
        return TypedLine(read.rows[0], read.metas[0], read.sources[0]) if read.places else None

    def read_many(self, lines: Sequence[bytes | str | None]) -> TypedRead:
        """The lines this reads (each other line, or None, is left to the general
        path), by their places in `lines`."""
        places: list[int] = []
        records: list[Any] = []
        decode = self._decode
        for place, line in enumerate(lines):
            if line is None:
                continue
            try:
                records.append(decode(line))
            except Exception:  # not JSON, not UTF-8, or not of these types
                continue
            places.append(place)
        read, keys = self._checked(places, records)
        # Each key read has its own colon: as many colons as keys means none was given
        # twice (a colon inside a text sends the line to the general path, which counts
        # more closely). A line has at least as many colons as keys read, so where the
        # lines read have as many in all, each has: counted once for them all.
        if read.places and _colons([lines[place] for place in read.places]) != sum(keys):
            read = _kept(read, keys, [_colons([lines[place]]) for place in read.places])
        return read

    def read_block(self, block: bytes) -> TypedRead | None:
        """A block of whole lines, each ending in a line break (`batch.StdinLines`),
        read at once: the lines read, by their places (as `read_many` reads them one by
        one; a line the decoder refuses is left to the general path, up to
        `MAX_REFUSED` of them); None where the decoder cannot read the lines as one
        record each (a blank line, spaces at a line's ends, a line of two records…):
        then `read_many` reads them.

        The decoder reads records one after the other, whatever the line breaks; that
        each line is one record is proven so: every line opens with { and closes with }
        (then perhaps a carriage return), so a record cannot run on past a line's end (a
        } then { is no JSON inside a value, and a text cannot hold a line break), each
        line holds at least one, and the decoder found as many records as lines."""
        data = np.frombuffer(block, dtype=np.uint8)
        ends = np.flatnonzero(data == _NEWLINE)
        count = len(ends)
        if not count or ends[-1] != len(block) - 1 or data[0] != _OPEN:
            return None
        closes = ends - 1
        closes -= data[closes] == _RETURN  # (a line may end in \r\n)
        if (data[closes] != _CLOSE).any() or (data[ends[:-1] + 1] != _OPEN).any():
            return None
        starts = [0, *(ends[:-1] + 1).tolist()]
        records = self._records(block, starts)
        if records is None:
            return None
        places = [k for k, record in enumerate(records) if record is not None]
        read, keys = self._checked(places, [records[k] for k in places])
        colons = int(np.count_nonzero(data == _COLON))
        if len(read.places) < count or colons != sum(keys):
            stops = ends.tolist()
            if len(read.places) < count:  # the colons of the lines left
                taken = set(read.places)
                colons -= sum(
                    block.count(b":", starts[k], stops[k]) for k in range(count) if k not in taken
                )
            if colons != sum(keys):
                found = [block.count(b":", starts[k], stops[k]) for k in read.places]
                read = _kept(read, keys, found)
        return read

    def _records(self, block: bytes, starts: list[int]) -> list[Any] | None:
        """The record of each line of the block (`starts`: where each begins), None for a
        line the decoder refuses; None for all where it refuses more than `MAX_REFUSED`
        or does not find one record a line. After a refusal, the lines before the one
        refused are read again, and the lines after it on."""
        view = memoryview(block)
        decode = self._decode_lines
        count = len(starts)
        records: list[Any] = []
        first = 0  # the first line not read yet
        for _ in range(MAX_REFUSED + 1):
            try:
                found = decode(view[starts[first] :])
            except msgspec.ValidationError as error:  # "… - at `$[12].answers.stage`"
                at = _AT_RECORD.search(str(error))
                refused = first + int(at.group(1)) if at else count
            except msgspec.DecodeError as error:  # "JSON is malformed: … (byte 1234)"
                at = _AT_BYTE.search(str(error))
                byte = starts[first] + int(at.group(1)) if at else len(block)
                refused = bisect.bisect_right(starts, byte) - 1
                if refused > first and byte == starts[refused]:
                    refused -= 1  # a record run on into the next line: the one before
            except UnicodeDecodeError:  # said of the text alone: its place found here
                try:
                    str(view[starts[first] :], "utf-8")
                except UnicodeDecodeError as error:
                    refused = bisect.bisect_right(starts, starts[first] + error.start) - 1
                else:
                    return None
            except Exception:
                return None
            else:
                if len(found) != count - first:
                    return None
                return records + found
            if not first <= refused < count:
                return None
            if refused > first:
                try:
                    found = decode(view[starts[first] : starts[refused]])
                except Exception:
                    return None
                if len(found) != refused - first:
                    return None
                records += found
            records.append(None)
            first = refused + 1
            if first == count:
                return records
        return None

    def _checked(self, places: Iterable[int], records: list[Any]) -> tuple[TypedRead, list[int]]:
        """The records decoded at these places that can be vouched for (the others are
        left to the general path), and of each how many keys it has."""
        read = TypedRead([], [], [], [])
        kept, rows, metas, sources = read
        keys: list[int] = []
        values_of = self._values
        questions = self.questions
        for place, record in zip(places, records, strict=True):
            values = values_of(record.answers)
            meta = record.meta
            source = record.source
            count = 1 + len(values) - values.count(_MISSING)
            if meta is not None:
                count += 1 + len(meta)
                if not questions.isdisjoint(meta):
                    continue
            if source is not None:
                count += 1
                if source.__class__ is int:
                    if not -_NAMED_INT < source < _NAMED_INT:
                        continue
                    source = str(source)
                elif not source:
                    continue
            kept.append(place)
            rows.append(values)
            metas.append(meta if meta is not None else {})
            sources.append(source)
            keys.append(count)
        return read, keys

    def matrix(self, rows: Sequence[tuple[Any, ...]]) -> tuple[Ints, list[bool]]:
        """`ColumnScorer.encode` of these rows read (codes by column, ok false for a row
        with an answer not valid as it stands: it takes the full path)."""
        scorer = self.scorer
        count = len(rows)
        by_field = list(zip(*rows, strict=True)) if rows else [()] * len(self.names)
        plain = np.array(by_field[: self.plain], dtype=np.int64).reshape(self.plain, count)
        bad = np.zeros(count, dtype=np.bool_)
        for place, base, table in self.numbers:
            values = plain[place]
            values[values == _MISSING] = base
            values -= base
            # A value out of the table's range was refused by the decoder (Meta).
            np.take(table, values, out=values)
            bad |= values < 0
        plain[plain == _MISSING] = _NONE
        matrix = np.empty((len(scorer.columns), count), dtype=np.int64)
        matrix[scorer.plain_rows] = plain
        ok = [True] * count
        for row, code_of, values in zip(
            scorer.special_rows, scorer.special_coders, by_field[self.plain :], strict=True
        ):
            found: list[Any] = [_NONE if v.__class__ is int else code_of(v) for v in values]
            if None in found:  # not valid as it stands: the full path
                for j, code in enumerate(found):
                    if code is None:
                        ok[j] = False
                        found[j] = _NONE
            matrix[row] = found
        for j in np.flatnonzero(bad).tolist():
            ok[j] = False
        for j, fine in enumerate(ok):
            if not fine:
                matrix[:, j] = _NONE
        return matrix, ok
