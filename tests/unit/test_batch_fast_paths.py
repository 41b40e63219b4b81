"""The batch's fast paths give what the general paths give: CSV rows built from a
vocabulary checked once (`CsvRows`) are `csv_line(csv_row(...))`; a pipe read line by
line by `StdinLines` gives the lines a file would."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from holdtight.columns import joined_runs
from holdtight.model import SETTINGS
from holdtight.reports.data import CsvRows, csv_cell, csv_line, csv_row

FREE = st.text(
    st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", '"', ",", "'", " ", "|", "a", "1", "."]),
    max_size=8,
)
WORDS = st.sampled_from([*SETTINGS, "midway", "more_centralized", "=cmd", "a,b", '"', "", "-1"])


@given(
    source=FREE,
    organization=st.one_of(FREE, st.integers(), st.booleans()),
    settings=st.lists(WORDS, max_size=4),
    posture=WORDS,
    index=st.floats(allow_nan=False, min_value=-2, max_value=2),
    warnings=st.lists(FREE, max_size=3),
    scenarios=st.lists(st.lists(WORDS, max_size=3), max_size=2),
)
def test_csv_rows_are_the_general_rows(
    source: str,
    organization: object,
    settings: list[str],
    posture: str,
    index: float,
    warnings: list[str],
    scenarios: list[list[str]],
) -> None:
    rows = CsvRows()
    meta = {"organization": organization}
    for _ in range(2):  # the second time from the memo
        fast = rows.line(source, settings, posture, index, warnings, meta, scenarios)
        slow = csv_line(csv_row(source, settings, posture, index, warnings, meta, scenarios))
        assert fast == slow


def test_csv_rows_neutralize_formulas_in_free_text() -> None:
    line = CsvRows().line("=HYPERLINK(1)", ["tight"], "midway", -0.25, ["@SUM(A1)"])
    assert line.startswith('"\'=HYPERLINK(1)",true,,midway,-0.2500,tight,"\'@SUM(A1)",')


def test_stdin_lines_of_a_pipe_in_any_state() -> None:
    """`score -` reads a pipe itself (to notice a pause): lines whole across blocks, the
    last without its line break, and a pipe left non-blocking waited on, not an error."""
    import os
    import threading
    import time

    from holdtight.batch import StdinLines

    read, write = os.pipe()
    os.set_blocking(read, False)
    lines = StdinLines(read)
    lines.BLOCK = 7  # lines cut across reads
    assert not lines.ready()  # nothing written yet

    def produce() -> None:
        os.write(write, b'{"a": 1}\r\n\n')
        time.sleep(0.2)  # the reader finds the pipe empty meanwhile
        os.write(write, b'{"b": "' + b"x" * 40 + b'"}\nlast')
        os.close(write)

    thread = threading.Thread(target=produce)
    thread.start()
    got = list(lines)
    thread.join()
    os.close(read)
    assert got == [b'{"a": 1}\r', b"", b'{"b": "' + b"x" * 40 + b'"}', b"last"]
    assert lines.ready()  # the end of input: nothing to wait for


@given(
    messages=st.lists(
        st.lists(
            st.one_of(
                st.lists(
                    st.sampled_from([b"{", b"a", b"b", b'"c"', b"}", b"\xe2\x80\xa8"]), min_size=1
                ),
                st.just(b"an error"),
            ),
            max_size=5,
        ),
        max_size=6,
    ),
    limit=st.integers(1, 6),
)
def test_records_sent_as_references_are_the_records(
    messages: list[list[list[bytes] | bytes]], limit: int
) -> None:
    """A worker sends its JSON records as numbers of pieces sent before (`_referred`),
    starting again when it has numbered `MAX_REFERRED`; the parent's `_resolved` gives
    back every record, piece for piece, and the failures as they were."""
    from holdtight import batch

    batch._sent.clear()
    known: dict[int, list[bytes]] = {}
    original = batch.MAX_REFERRED
    batch.MAX_REFERRED = limit
    try:
        for message in messages:
            results = [
                batch.Scored("s", True, text)
                if isinstance(text, list)
                else batch.Scored("s", False, text)
                for text in message
            ]
            sent = batch._referred(results)
            assert batch._resolved(sent, known) == results
    finally:
        batch.MAX_REFERRED = original
        batch._sent.clear()


def test_a_chunk_holds_at_most_its_bytes_of_input() -> None:
    """Large inputs (meta near its limits) make small chunks: a chunk's answers, meta
    and records are held at once (a chunk of 1,024 such files once took 1.8 GB)."""
    from holdtight import batch

    big = [batch.Item(f"f{k}", path="x", size=batch.CHUNK_BYTES // 3 + 1) for k in range(10)]
    assert [len(chunk) for chunk in batch._chunks(big, 1024)] == [3, 3, 3, 1]
    small = [batch.Item(f"f{k}", path="x", size=1000) for k in range(2500)]
    assert [len(chunk) for chunk in batch._chunks(small, 1024)] == [1024, 1024, 452]
    lines = list(batch.read_stdin(io.BytesIO(b'{"answers": {}}\n' * 3)))
    assert [item.size for item in lines] == [16, 16, 16]


def test_a_broken_line_names_the_same_column_from_a_file_and_a_pipe() -> None:
    """A pipe's lines come without their end, a file's with it: `{"a" 1` broke at
    column 6 from a pipe and at "column 1" (of a second line) from a file."""
    from holdtight import batch

    for text in (b'{"a" 1\n', b'{"a" 1\r\n', b'{"a" 1'):
        (item,) = map(batch.parsed_line, batch.read_stdin(io.BytesIO(text)))
        assert item.error == (
            "<stdin>:1: column 6: invalid JSON: expected a colon after the key"
        ), text


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (b"{\n", "to score a JSON file written over many lines, give its path"),
        (b"{", "to score a JSON file written over many lines, give its path"),
        (
            b"  [ \r\n",
            "a file holding a list of them goes so: jq -c '.[]' FILE | holdtight score -",
        ),
    ],
)
def test_a_document_over_many_lines_on_stdin_is_told_how_lines_are_read(
    text: bytes, said: str
) -> None:
    """Its first line, a bracket alone, says how standard input is read (each of the
    others is a line of broken JSON, said as such)."""
    from holdtight import batch

    (item,) = map(batch.parsed_line, batch.read_stdin(io.BytesIO(text)))
    bracket = text.strip().decode()
    assert item.error == (
        f"<stdin>:1: a line holding only {bracket}: standard input is read as JSON Lines,"
        f" one answer set per line; {said}"
    )


@pytest.mark.parametrize("text", ["\x0c{", "\u00a0[", "{\u2028"])
def test_a_bracket_beside_what_json_does_not_take_for_space_is_broken_json(text: str) -> None:
    from holdtight import batch

    (item,) = map(batch.parsed_line, batch.read_stdin(io.BytesIO(text.encode() + b"\n")))
    assert item.error is not None and "invalid JSON" in item.error
    assert "holding only" not in item.error


@pytest.mark.parametrize("line", [b'{"answers": {\n', b'{ "answers": {"schools": 12}', b"[{},\r\n"])
def test_a_stdin_line_that_ends_unclosed_says_how_lines_are_read(line: bytes) -> None:
    """The first line of a document written over many, however it begins."""
    from holdtight import batch

    (item,) = map(batch.parsed_line, batch.read_stdin(io.BytesIO(line)))
    assert item.error is not None
    assert item.error.endswith(
        "invalid JSON: the line ends before every { and [ in it is closed; standard input"
        " is read as JSON Lines, one answer set per line"
    ), line


def test_a_list_on_a_stdin_line_is_told_to_put_one_answer_set_per_line() -> None:
    from holdtight import batch

    line = b'[{"answers": {}}, {"answers": {}}]\n'
    (item,) = map(batch.parsed_line, batch.read_stdin(io.BytesIO(line)))
    assert item.error == (
        "<stdin>:1: each line must be a JSON object, not a list (one answer set per line)"
    )


def test_a_batch_as_columns_tells_malloc_to_keep_its_memory(monkeypatch: Any) -> None:
    """Once per scorer, when its columns are first built (a batch, never one file nor
    the API): each chunk's arrays and records then reuse memory instead of faulting in
    new pages."""
    from holdtight import batch
    from holdtight.rulebook import load_rulebook

    calls: list[int] = []
    monkeypatch.setattr(batch, "_keep_freed_memory", lambda: calls.append(1))
    scorer = batch.Scorer(load_rulebook(), "csv")
    assert scorer.columns(batch.COLUMNS_FROM - 1) is None and not calls
    assert scorer.columns(batch.COLUMNS_FROM) is not None
    assert scorer.columns(batch.COLUMNS_FROM) is not None
    assert calls == [1]
    batch._keep_freed_memory()  # the real one: glibc takes it (a no-op elsewhere)


def test_the_line_limit_leaves_out_the_line_end() -> None:
    """A line at the limit is read, one past it is not, whatever gives the line: a pipe
    or a file gives it without its end, a stream without a descriptor with it."""
    from holdtight import batch

    at = b'{"answers": {}}' + b" " * (batch.MAX_STDIN_LINE - 15)
    data = at + b"\n" + at + b" \n" + at[:-1] + b"\r\n"  # the \r counts, as in a pipe
    for stream in (io.BytesIO(data), io.StringIO(data.decode())):
        first, second, third = batch.read_stdin(stream)
        assert first.error is None and third.error is None
        assert second.error == "<stdin>:2: line is too long (the limit is 1,048,576 bytes)"


def test_a_line_past_the_limit_is_kept_only_as_far_as_shows_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pipe's line without an end for many blocks: what is kept of it stays bounded
    (it had been joined again with each block: time and memory grew with its length),
    it is said to be too long, and the next line is whole."""
    import os
    import threading

    from holdtight import batch

    monkeypatch.setattr(batch, "MAX_STDIN_LINE", 100)
    read, write = os.pipe()
    long_line = b'{"answers": {"stage": "' + b"x" * 50_000 + b'"}}'
    thread = threading.Thread(
        target=lambda: (os.write(write, long_line + b'\n{"answers": {}}\n'), os.close(write))
    )
    thread.start()
    lines = batch.StdinLines(read)
    lines.BLOCK = 16
    got = list(lines)
    thread.join()
    os.close(read)
    assert len(got) == 2 and got[1] == b'{"answers": {}}'
    assert 100 < len(got[0]) <= 100 + 2 * lines.BLOCK  # its start, not all of it
    assert long_line.startswith(got[0][:100])
    read, write = os.pipe()
    os.write(write, long_line[:2000] + b"\n")
    os.close(write)
    with os.fdopen(read, "rb") as stream:
        (item,) = batch.read_stdin(stream)
    assert item.error == "<stdin>:1: line is too long (the limit is 100 bytes)"


def test_a_line_that_is_not_utf8_names_its_column_in_characters() -> None:
    """As every other place: counted in characters from 1 (it said "byte 8", counted in
    bytes from 0)."""
    from holdtight import batch

    (item,) = map(batch.parsed_line, batch.read_stdin(io.BytesIO(b'{"a": "\xc3\xa9\xff"}\n')))
    assert item.error == "<stdin>:1: column 9: invalid UTF-8 (byte 0xFF; save the text as UTF-8)"


def test_a_run_of_results_that_stand_for_many_counts_them_all() -> None:
    """A chunk scored whole is one result of many inputs (`Scorer.batch(joined=True)`);
    merged with others, the run counts every input (the progress bar and the summary
    count them), and a failure stays one of its own."""
    from holdtight.batch import Scored, _merged

    results = [
        Scored("a", True, "row a\nrow b\nrow c", warnings=2, inputs=3),
        Scored("d", True, "row d", warnings=1),
        Scored("e", False, "bad e", error="broken"),
        Scored("f", True, "row f"),
    ]
    merged = _merged(results, "csv")
    assert [(m.source, m.ok, m.text, m.warnings, m.inputs) for m in merged] == [
        ("a", True, "row a\nrow b\nrow c\nrow d", 3, 4),
        ("e", False, "bad e", 0, 1),
        ("f", True, "row f", 0, 1),
    ]


def test_a_chunk_scored_whole_is_one_result_of_its_rows(tmp_path: Any) -> None:
    """`Scorer.batch(joined=True)`: the chunk's rows as one result, the same text as the
    rows one by one."""
    import json
    import random

    from holdtight.batch import Item, Scorer
    from holdtight.rulebook import load_rulebook
    from holdtight.rulecheck import random_answers

    rulebook = load_rulebook()
    rng = random.Random(3)
    items = [
        Item(
            f"<stdin>:{n}",
            line=json.dumps({"answers": random_answers(rulebook, rng)}).encode(),
            number=n,
        )
        for n in range(1, 101)
    ]
    scorer = Scorer(rulebook, "csv")
    (whole,) = scorer.batch(items, joined=True)
    each = scorer.batch(items)
    assert whole.inputs == 100 and whole.ok
    assert whole.text == "\n".join(str(s.text) for s in each)
    assert whole.warnings == sum(s.warnings for s in each)


@given(
    st.lists(
        st.tuples(
            st.text(max_size=6) | st.sampled_from(["<stdin>:7", "=1", "a,b", 'q"', "\u2028x"]),
            st.sampled_from(["more_centralized", "midway", "more_decentralized"]),
            st.sampled_from([0.0, -0.0, 0.1234, -1.0, 0.5]),
            st.sampled_from(["", "w1", '"a | b"']),
            st.none() | st.just({}) | st.fixed_dictionaries({"organization": st.text(max_size=5)}),
            st.lists(st.sampled_from(SETTINGS), min_size=1, max_size=3),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_a_chunk_of_rows_as_one_text_is_its_lines_joined(rows: list[Any]) -> None:
    """`CsvRows.joined_text` (one join for a chunk) is `joined_lines` joined by line
    breaks: the row's outline is the same."""
    runs = np.array([[",".join(row[5]), ",".join(row[5][:1])] for row in rows], dtype=object)
    sources, labels, indexes, warned, metas = (
        list(c) for c in zip(*[r[:5] for r in rows], strict=True)
    )
    cells = joined_runs(runs)
    assert cells == [f"{','.join(row[5])},{row[5][0]}" for row in rows]
    lines = CsvRows().joined_lines(sources, cells, labels, indexes, warned, metas)
    text = CsvRows().joined_text(sources, runs, labels, indexes, warned, metas)
    assert text == "\n".join(lines)


def test_chunks_are_collected_between_them_and_the_collector_given_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`_collected_by_chunk`: no automatic collection while chunks are scored, one every
    `COLLECT_EVERY` chunks, and the collector as it was after, however the loop ends."""
    import gc

    from holdtight import batch

    collected: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: collected.append(generation) or 0)
    chunks = [[batch.Item(f"f{k}")] for k in range(2 * batch.COLLECT_EVERY + 1)]
    was = gc.isenabled()
    gc.enable()
    try:
        seen = []
        for chunk in batch._collected_by_chunk(iter(chunks)):
            assert not gc.isenabled()
            seen.append(chunk)
        assert seen == chunks and gc.isenabled()
        assert collected == [1, 1]
        stopped = batch._collected_by_chunk(iter(chunks))
        next(stopped)
        stopped.close()  # a reader that stops early (a closed pipe)
        assert gc.isenabled()
        gc.disable()
        for _ in batch._collected_by_chunk(iter(chunks)):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable() if was else gc.disable()


@given(
    st.lists(
        st.tuples(
            st.text(max_size=4) | st.sampled_from(["<stdin>:7", "=1", "-2", "a,b", 'q"', "\u2028"]),
            st.none()
            | st.just({})
            | st.fixed_dictionaries(
                {"organization": st.text(max_size=4) | st.sampled_from(["@x", "a\nb", "5"])}
            ),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_a_rows_outline_is_its_cells_each_written_as_csv_cell_writes_it(
    rows: list[Any],
) -> None:
    """`CsvRows._heads` writes a chunk's sources and organizations as they are where one
    search finds none that `csv_cell` would change: the same cells."""
    sources = [source for source, _ in rows]
    metas = [meta for _, meta in rows]
    heads = CsvRows()._heads(sources, ["midway"] * len(rows), [0.5] * len(rows), metas)
    assert heads == [
        f"{csv_cell(source)},true,{csv_cell(str(meta['organization'])) if meta else ''},"
        "midway,0.5000"
        for source, meta in rows
    ]
