"""A stdin line read by the typed decoder (`holdtight.typed_lines`) is what the general
path (`batch.parsed_line`, then `raw_answers_document` and the column scorer's `row`)
makes of it: the same codes, meta and name, or it is left to that path. On generated
lines mangled in the ways files are (values of the wrong type, keys given twice, colons
in text, meta at its limits, sources that cannot name a line, other JSON spellings), on
the bundled rulebook and on random ones."""

from __future__ import annotations

import functools
import json
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from holdtight.batch import Item, parsed_line
from holdtight.columns import ColumnScorer
from holdtight.limits import MAX_META_KEYS, MAX_TEXT
from holdtight.model import Rulebook
from holdtight.result_columns import ResultColumns
from holdtight.rulebook import load_rulebook
from holdtight.rulecheck import random_answers
from holdtight.sessionfile import raw_answers_document
from holdtight.typed_lines import TypedLines
from tests.helpers import examples
from tests.unit.test_formats_agree import cases, loaded

ODD_VALUES = [
    None, True, False, 0, -0, 1, 2, 3, 5, 1.0, 2.5, 10**19, -(10**19), "", "unsure", "x:y",
    [], ["unsure"], {}, "\u00e9", "a\\b",
]  # fmt: skip
ODD_SOURCES = ["", "district-7", "a:b", 0, 1042, -3, 10**18, 10**30, True, 1.5, [], {}, None]


def _columns(rulebook: Rulebook) -> list[tuple[Any, TypedLines]]:
    """The two column scorers a line is read for (CSV, JSON), each with its reader."""
    out: list[tuple[Any, TypedLines]] = []
    scorer = ColumnScorer(rulebook)
    if scorer.supported:
        out.append((scorer, TypedLines(scorer)))
    results = ResultColumns(rulebook)
    if results.supported:
        out.append((results, TypedLines(results.scorer)))
    return out


@functools.cache
def _bundled() -> list[tuple[Any, TypedLines]]:
    return _columns(load_rulebook())


def _agree(rulebook: Rulebook, readers: list[tuple[Any, TypedLines]], line: bytes) -> int:
    """Hold each reader to the general path on one line, as bytes (from a pipe or a
    file) and as text (a text stream without a buffer); how many times it was read."""
    read = 0
    try:
        spellings: list[bytes | str] = [line, line.decode("utf-8")]
    except UnicodeDecodeError:
        spellings = [line]
    for spelled in spellings:
        general = parsed_line(Item("<stdin>:7", size=len(spelled), line=spelled, number=7))
        for columns, reader in readers:
            typed = reader.read(spelled)
            if typed is None:
                continue
            codes, ok = reader.matrix([typed.row])
            if not ok[0]:  # an answer not valid as it stands: the full path decides
                continue
            read += 1
            assert general.error is None and general.warning is None, spelled
            assert general.document is not None
            frame = raw_answers_document(general.document, rulebook, general.source)
            assert frame is not None, spelled
            row = columns.row(frame[0])
            assert row is not None, spelled
            general_codes, general_ok = columns.encode([row])
            assert general_ok == [True], spelled
            assert general_codes.tolist() == codes.tolist(), spelled
            assert frame[1] == typed.meta, spelled
            assert (typed.source or "<stdin>:7") == general.source, spelled
    return read


def _mangled(rulebook: Rulebook, answers: dict[str, Any], data: st.DataObject) -> bytes:
    """A JSON line of these answers, then changed as files and exports change them."""
    names = list(rulebook.questions)
    options = [o.id for q in rulebook.questions.values() for o in q.options]
    record: dict[str, Any] = {"answers": dict(answers)}
    for _ in range(data.draw(st.integers(0, 3))):
        how = data.draw(st.sampled_from(["value", "drop", "unknown", "meta", "source", "top"]))
        table = record["answers"]
        if how == "value":
            value = data.draw(
                st.sampled_from(ODD_VALUES)
                | st.sampled_from(options or ["x"])
                | st.lists(st.sampled_from(options or ["x"]), max_size=4)
                | st.text(max_size=5)
            )
            table[data.draw(st.sampled_from(names))] = value
        elif how == "drop" and table:
            del table[data.draw(st.sampled_from(list(table)))]
        elif how == "unknown":
            table[data.draw(st.sampled_from(["nosuch", "Stage", names[0] + " "]))] = 1
        elif how == "meta":
            keys = data.draw(st.sampled_from([0, 1, 2, MAX_META_KEYS, MAX_META_KEYS + 1]))
            meta: dict[str, Any] = {f"k{k}": "v" for k in range(keys)}
            meta[data.draw(st.sampled_from(["organization", "when", names[0]]))] = data.draw(
                st.sampled_from(
                    ["", "School: North", "é" * MAX_TEXT, "é" * (MAX_TEXT + 1), 3, True, None]
                )
                | st.text(max_size=8)
            )
            record["meta"] = meta
        elif how == "source":
            record["source"] = data.draw(st.sampled_from(ODD_SOURCES) | st.text(max_size=6))
        else:
            record[data.draw(st.sampled_from(["notes", "holdtight", "x"]))] = {}
    text = json.dumps(
        record,
        ensure_ascii=data.draw(st.booleans()),
        separators=data.draw(st.sampled_from([(",", ":"), (", ", ": "), (" , ", " : ")])),
    )
    spelled = data.draw(st.sampled_from(["as is", "twice", "bom", "crlf", "spaces", "escaped"]))
    if spelled == "twice" and names:  # a key given twice: the last one read
        text = text.replace('"answers":', f'"answers": {{"{names[0]}": "unsure"}}, "answers":', 1)
        text = text.replace('"answers" :', f'"answers": {{"{names[0]}": "unsure"}}, "answers":', 1)
    elif spelled == "escaped":  # another spelling of the same text
        text = text.replace('"unsure"', '"\\u0075nsure"')
    line = text.encode()
    return {
        "bom": b"\xef\xbb\xbf" + line,
        "crlf": line + b"\r\n",
        "spaces": b" \t" + line + b"  \n",
    }.get(spelled, line)


@settings(max_examples=examples(300), deadline=None)
@given(seed=st.integers(0, 2**32), data=st.data())
def test_a_line_read_typed_is_the_line_read_the_general_way(seed: int, data: st.DataObject) -> None:
    rulebook = load_rulebook()
    readers = _bundled()
    answers = random_answers(rulebook, random.Random(seed), unsure=0.2)
    event(f"read typed: {_agree(rulebook, readers, _mangled(rulebook, answers, data)) > 0}")


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases(), data=st.data())
def test_on_random_rulebooks_too(
    no_cache: None, case: tuple[dict[str, Any], list[dict[str, Any]]], data: st.DataObject
) -> None:
    book, files = case
    rulebook = loaded(book)
    readers = _columns(rulebook)
    event(f"supported: {bool(readers)}")
    for answers in files:
        _agree(rulebook, readers, _mangled(rulebook, answers, data))


def test_plain_lines_are_read_typed() -> None:
    """The common line (every answer valid, meta as text, a source or none) never needs
    the general path: else the typed reader would be dead weight."""
    rulebook = load_rulebook()
    readers = _bundled()
    assert len(readers) == 2
    rng = random.Random(5)
    for k in range(300):
        record: dict[str, Any] = {"answers": random_answers(rulebook, rng, unsure=0.1)}
        if k % 2:
            record["meta"] = {"organization": f"School {k}", "respondent": "Principal"}
        if k % 3 == 0:
            record["source"] = f"school-{k}" if k % 2 else k
        line = json.dumps(record, ensure_ascii=k % 4 == 0).encode() + b"\n" * (k % 2)
        assert _agree(rulebook, readers, line) == 4, line


@pytest.mark.parametrize(
    "line",
    [
        b'{"answers": {"stage": "piloting", "stage": "scaling"}}',  # a key twice
        b'{"answers": {"stage": "piloting"}, "meta": {"a": "1", "a": "2"}}',
        b'{"answers": {"stage": "piloting"}, "meta": {"stage": "scaling"}}',  # misplaced
        b'{"answers": {"stage": "piloting"}, "source": ""}',  # said with its result
        b'{"answers": {"stage": "someday"}}',
        b'{"answers": {"schools": 12.0}}',
        b'{"answers": {"schools": true}}',
        b'{"answers": {"schools": null}}',
        b'{"answers": {"stage": "piloting"}, "notes": {}}',
        b'{"answers": {"stage": "piloting"}, "meta": {"x": "\\ud800"}}',
        b'{"answers": {"stage": "piloting"}, "meta": {"x": "\xff"}}',
        b'\xef\xbb\xbf{"answers": {}}',
        b'{"answers": {}}\x0c',
        b'[{"answers": {}}]',
    ],
)
def test_what_the_general_path_must_word_is_left_to_it(line: bytes) -> None:
    assert [reader.read(line) for _, reader in _bundled()] == [None, None]


def test_ticks_out_of_order_are_left_to_the_general_path_for_json_alone() -> None:
    """A JSON record shows the list as given (the engine's path writes it); a CSV row
    has no place for it."""
    line = b'{"answers": {"aims": ["efficiency", "student_agency"]}}'
    (csv, csv_reader), (_, json_reader) = _bundled()
    read = json_reader.read(line)
    assert read is not None
    assert json_reader.matrix([read.row])[1] == [False]
    typed = csv_reader.read(line)
    assert typed is not None
    codes, ok = csv_reader.matrix([typed.row])
    row = csv.row({"aims": ["efficiency", "student_agency"]})
    assert row is not None
    assert ok == [True]
    assert codes.tolist() == csv.encode([row])[0].tolist()


@pytest.mark.parametrize(
    ("answers", "typed"),
    [
        ({"schools": 1}, True),  # the least number
        ({"schools": 2000}, True),  # the greatest
        ({"schools": "unsure"}, True),
        ({"buy_in_principals": "unsure", "schools": 7}, True),
        ({"buy_in_principals": 5, "stage": "unsure"}, True),
        ({"schools": 0}, False),  # out of range: the general path words it
        ({"schools": 2001}, False),
        ({"schools": -(2**62)}, False),  # what "not answered" is decoded as
        ({"schools": 2**63}, False),
        ({"buy_in_principals": 6}, False),
        ({"stage": 1}, False),
    ],
)
def test_numbers_and_not_sure_are_coded_as_the_general_path_codes_them(
    answers: dict[str, Any], typed: bool
) -> None:
    line = json.dumps({"answers": answers}).encode()
    assert _agree(load_rulebook(), _bundled(), line) == (4 if typed else 0)


def test_the_decoder_gives_codes_not_enum_members() -> None:
    """`_coded_enum`: msgspec looks a text's code up itself (a msgspec that did not would
    turn the typed path off, and `test_plain_lines_are_read_typed` would fail)."""
    (csv, reader), _ = _bundled()
    read = reader.read(b'{"answers": {"stage": "piloting", "schools": "unsure"}}')
    assert read is not None
    stage = reader.names.index("stage")
    assert read.row[stage].__class__ is int
    codes, ok = reader.matrix([read.row])
    assert ok == [True]
    assert codes[csv.row_of["stage"], 0] == csv.columns[csv.row_of["stage"]].codes["piloting"]
    assert codes[csv.row_of["schools"], 0] == 1  # "not sure"


@settings(max_examples=examples(100), deadline=None)
@given(seed=st.integers(0, 2**32), data=st.data())
def test_lines_read_together_are_each_read_alone(seed: int, data: st.DataObject) -> None:
    """`read_many` counts the colons of the lines it reads once for them all: a line with
    a key given twice, or a colon in a text, among them is left to the general path as it
    is alone, and the others are read as they are alone, as bytes and as text."""
    rulebook = load_rulebook()
    rng = random.Random(seed)
    lines: list[bytes | None] = [
        _mangled(rulebook, random_answers(rulebook, rng, unsure=0.2), data)
        for _ in range(data.draw(st.integers(1, 6)))
    ]
    lines.insert(data.draw(st.integers(0, len(lines))), None)  # a line read elsewhere
    for _, reader in _bundled():
        alone = [reader.read(line) if line is not None else None for line in lines]
        read = reader.read_many(lines)
        assert read.places == [k for k, one in enumerate(alone) if one is not None]
        for k, place in enumerate(read.places):
            assert alone[place] == (read.rows[k], read.metas[k], read.sources[k])
        texts = [line.decode("utf-8", "replace") if line is not None else None for line in lines]
        assert reader.read_many(texts).places == [
            k for k, text in enumerate(texts) if text is not None and reader.read(text)
        ]


def test_a_key_twice_among_lines_read_together_leaves_that_line_alone() -> None:
    good = b'{"answers": {"stage": "piloting"}}'
    twice = b'{"answers": {"stage": "piloting", "stage": "scaling"}}'
    colon = b'{"answers": {"stage": "piloting"}, "meta": {"organization": "A: B"}}'
    for _, reader in _bundled():
        assert reader.read_many([good, twice, good, colon, None, good]).places == [0, 2, 5]
        assert reader.read_many([good, good]).places == [0, 1]
        texts = [good.decode(), twice.decode(), colon.decode()]
        assert reader.read_many(texts).places == [0]
