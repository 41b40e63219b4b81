"""JSON Lines answer sets read straight to the column scorer's codes, by a decoder typed
from the rulebook (msgspec), for `score -` in chunks.

`batch.parsed_line` reads a line as any JSON text (orjson, or the standard library where
orjson cannot vouch for the answer), then checks its frame and answers step by step:
~12 µs a line, where `json.loads` alone takes ~5. Here one typed decoding reads and
checks at once (~1 µs): every key a question of the rulebook, every single choice one of
its options or "not sure", a multiple choice a list of its options, numbers whole,
`meta` text within the limits of `sessionfile._meta`, nothing but "answers", "meta" and
"source" at the top. Whatever it cannot vouch for, it declines (None), and the line goes
the general path, which decides and words everything: a line read here gives exactly
what that path gives (tests/unit/test_typed_lines.py holds the two to it, on generated
and mangled lines). What the typed decoding does not see, it checks after:
- a key given twice (the decoder keeps the last, as orjson does): the keys read are
  counted against the colons of the line, as `parsing.loads_json` does;
- a meta key that is a question's (`raw_answers_document` sends those to the full path),
  a "source" that is empty or an integer too long to name a line cheaply;
- the answers as codes: `ColumnScorer.coded`, the same function that codes a table
  read the general way (told that the values are typed: a number is an int here).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, NamedTuple, Union

import msgspec

from holdtight.limits import MAX_META_KEYS, MAX_TEXT
from holdtight.model import UNSURE

if TYPE_CHECKING:
    from holdtight.columns import ColumnScorer

_NAMED_INT = 10**18
"""A whole-number "source" below this in size is named here; a longer one goes the
general path (`str` of a huge int is slow, and beyond 4,300 digits refused)."""


class TypedLine(NamedTuple):
    row: list[int]
    """The answers' codes (`ColumnScorer.row`)."""
    meta: dict[str, str]
    source: str | None
    """The line's own "source" as text, None without one."""


def _answer_type(kind: str, values: Sequence[Any], options: Sequence[str]) -> Any:
    """What the decoder accepts for one question: at least every answer the column
    scorer codes, and never a value it would code differently (1.0 and true are not 1)."""
    if kind == "text":
        return str
    if kind == "multi":
        ticks: Any = Literal[tuple(options)]
        return Union[list[ticks], Literal[UNSURE]]  # noqa: UP007
    texts = tuple(v for v in values if v.__class__ is str)
    typed: Any = Literal[texts]
    if any(v.__class__ is int for v in values):
        typed = Union[typed, int]  # noqa: UP007
    return typed


class TypedLines:
    """`read(line)`: a line's codes, meta and source, or None to leave it to the
    general path. Built once per column scorer."""

    def __init__(self, scorer: ColumnScorer) -> None:
        columns = {c.id: c for c in scorer.columns}
        names = (*scorer.plain_ids, *scorer.special_ids)
        self.plain = len(scorer.plain_ids)
        self.questions = scorer.rulebook.questions.keys()
        self.coded = scorer.coded
        # Fields named f0, f1… and renamed to the question ids: an id need not be a
        # Python name. A missing answer is None, as `dict.get` gives it; a null is refused.
        fields: list[Any] = []
        for k, name in enumerate(names):
            column = columns[name]
            fields.append(
                (f"f{k}", _answer_type(column.kind, column.values[1:], column.options), None)
            )
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
        self._decode: Callable[[bytes | str], Any] = msgspec.json.Decoder(line).decode
        self._values = msgspec.structs.astuple

    def read(self, line: bytes | str) -> TypedLine | None:
        try:
            record = self._decode(line)
        except Exception:  # not JSON, not UTF-8, or not of these types: the general path
            return None
        values = self._values(record.answers)
        meta = record.meta
        source = record.source
        keys = 1 + len(values) - values.count(None)
        if meta is not None:
            keys += 1 + len(meta)
            if not self.questions.isdisjoint(meta):
                return None
        if source is not None:
            keys += 1
            if source.__class__ is int:
                if not -_NAMED_INT < source < _NAMED_INT:
                    return None
                source = str(source)
            elif not source:
                return None
        # Each key read has its own colon: as many colons as keys means none was given
        # twice (a colon inside a text sends the line to the general path, which counts
        # more closely).
        if (line.count(b":") if line.__class__ is bytes else line.count(":")) != keys:  # type: ignore[arg-type]
            return None
        plain = self.plain
        row = self.coded(values[:plain], values[plain:], True)
        if row is None:
            return None
        return TypedLine(row, meta if meta is not None else {}, source)
