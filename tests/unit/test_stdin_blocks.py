"""`score -` reads whole lines a block at a time (`StdinLines` with `blocks`), and a
block's lines at once (`TypedLines.read_block`): the items are the lines, numbered as
line by line, and each line is scored as it is alone, whatever the block holds (blank
lines, two records on a line, a record over two lines, carriage returns, keys given
twice, colons in text, lines no answer set) and wherever the reads cut it."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from holdtight import batch
from holdtight.cli import main
from holdtight.rulebook import load_rulebook
from holdtight.rulecheck import random_answers
from holdtight.typed_lines import MAX_REFUSED, TypedLines
from tests.helpers import FIXED_ENV, HOLDTIGHT, examples
from tests.unit.test_typed_lines import _bundled, _mangled


def _lines_of(items: list[batch.Item]) -> list[tuple[Any, ...]]:
    """Each line's item as read line by line: a block's lines in its place."""
    out: list[tuple[Any, ...]] = []
    for item in items:
        if not item.block:
            out.append((item.source, item.number, item.line, item.error))
            continue
        assert isinstance(item.line, bytes) and item.line.endswith(b"\n")
        lines = item.line.split(b"\n")[:-1]
        assert len(lines) == item.block
        out += [
            (f"{item.prefix}:{n}", n, line, None) for n, line in enumerate(lines, start=item.number)
        ]
    return out


def _text(text: str | bytes | list[bytes]) -> str | bytes:
    """A result's text as written (a JSON record's pieces joined)."""
    return b"".join(text) if isinstance(text, list) else text


def _read(path: Path, blocks: bool, prefix: str = "<stdin>") -> list[batch.Item]:
    with open(path, "rb") as stream:
        return list(batch.read_stdin(stream, prefix, blocks=blocks))


ODD_LINES = [
    b"",
    b" ",
    b"\r",
    b"{}",
    b'{"answers": {}} {"answers": {}}',
    b'{"answers": {}}{"answers": {}}',
    b'{"answers":',
    b'{"answers": {}}}',
    b'{"answers": {"stage": "piloting", "stage": "scaling"}}',
    b'{"answers": {}, "meta": {"organization": "A: B"}}',
    b'{"answers": {}, "meta": {"stage": "piloting"}}',
    b'\xef\xbb\xbf{"answers": {}}',
    b'{"answers": {}}\r',
    b'{"answers": {}} ',
    b'{"answers": {"stage": "\xff"}}',
    b"[1]",
    b"{" * 40,
]


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), seed=st.integers(0, 2**32))
def test_blocks_hold_the_lines_and_score_as_the_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: st.DataObject, seed: int
) -> None:
    rulebook = load_rulebook()
    rng = random.Random(seed)
    lines: list[bytes] = []
    for _ in range(data.draw(st.integers(0, 40))):
        if data.draw(st.integers(0, 4)) == 0:
            lines.append(data.draw(st.sampled_from(ODD_LINES)))
        elif data.draw(st.booleans()):
            lines.append(_mangled(rulebook, random_answers(rulebook, rng, unsure=0.2), data))
        else:
            record: dict[str, Any] = {"answers": random_answers(rulebook, rng, unsure=0.1)}
            if data.draw(st.booleans()):
                record["meta"] = {"organization": f"School {rng.randrange(99)}"}
            if data.draw(st.booleans()):
                record["source"] = data.draw(st.sampled_from(["d-1", 7, "é"]))
            lines.append(json.dumps(record, ensure_ascii=data.draw(st.booleans())).encode())
    text = b"\n".join(lines) + data.draw(st.sampled_from([b"", b"\n", b"\r\n"]))
    path = tmp_path / "lines.jsonl"
    path.write_bytes(text)
    # Reads as small as a few lines, blocks from one line up.
    monkeypatch.setattr(batch.StdinLines, "BLOCK", data.draw(st.integers(1, 4000)))
    monkeypatch.setattr(batch.StdinLines, "MIN_BLOCK", data.draw(st.integers(1, 2000)))
    by_block = _read(path, blocks=True, prefix="part-3")
    by_line = _read(path, blocks=False, prefix="part-3")
    assert _lines_of(by_block) == _lines_of(by_line)
    monkeypatch.setattr(batch, "COLUMNS_FROM", 1)  # columns for every chunk
    for fmt in ("csv", "jsonl"):
        scorer = batch.Scorer(rulebook, fmt)
        chunks = [scorer.batch(chunk) for chunk in batch._chunks(by_block, batch.CHUNK)]
        got = [(s.source, s.ok, _text(s.text), s.warnings) for chunk in chunks for s in chunk]
        alone = [scorer(item) for item in by_line]
        assert got == [(s.source, s.ok, _text(s.text), s.warnings) for s in alone]
        joined = [scorer.batch(chunk, joined=True) for chunk in batch._chunks(by_block, 512)]
        if fmt == "csv":
            assert "\n".join(str(s.text) for chunk in joined for s in chunk) == "\n".join(
                str(s.text) for s in alone
            )
            assert sum(s.inputs for chunk in joined for s in chunk) == len(by_line)


def test_a_block_is_read_at_once_only_where_each_line_is_one_record() -> None:
    good = b'{"answers": {"stage": "piloting"}}'
    for _, reader in _bundled():
        read = reader.read_block(b"\n".join([good] * 3) + b"\n")
        assert read is not None and read.places == [0, 1, 2]
        for odd in (
            [good + b" " + good, b""],  # as many records as lines, but not one a line
            [good + good, b"{}"],
            [b'{"answers":', b'{"stage": "piloting"}}', good + b" " + good],
            [good, good + b" "],
            [b" " + good, good],
            [good + b"\r\r", good],
        ):
            assert reader.read_block(b"\n".join(odd) + b"\n") is None, odd
        crlf = reader.read_block(b"\r\n".join([good] * 3) + b"\r\n")
        assert crlf is not None and crlf.places == [0, 1, 2]
        # Lines the decoder refuses are left to the general path, the others read.
        refused = [
            b'{"answers": {"stage": "someday"}}',  # not one of these records
            b'{"answers": {"stage": "piloting"}',  # not JSON
            b'{"answers": {"stage": "\xff"}}',
            b'{"answers": {}, "notes": {}}',
        ]
        lines = [good, refused[0], good, good, refused[1], refused[2], good, refused[3]]
        read = reader.read_block(b"\n".join(lines) + b"\n")
        assert read is not None and read.places == [0, 2, 3, 6]
        many = b"\n".join([good, *[refused[0]] * (MAX_REFUSED + 1), good]) + b"\n"
        assert reader.read_block(many) is None  # (then line by line)
        assert reader.read_block(good) is None  # no line break: no block
        # Lines the typed decoder leaves are left out, their colons not counted.
        read = reader.read_block(
            b"\n".join(
                [
                    good,
                    b'{"answers": {"stage": "piloting", "stage": "scaling"}}',
                    b'{"answers": {}, "meta": {"organization": "A: B"}}',
                    b'{"answers": {}, "meta": {"stage": "piloting"}}',
                    b'{"answers": {}, "source": ""}',
                    good,
                ]
            )
            + b"\n"
        )
        assert read is not None and read.places == [0, 5]


def test_a_block_past_the_line_limit_is_read_line_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A block is never longer than a line may be (`MAX_STDIN_LINE`), but where the limit
    is lower, its lines are each held to it."""
    monkeypatch.setattr(batch, "MAX_STDIN_LINE", 40)
    monkeypatch.setattr(batch.StdinLines, "MIN_BLOCK", 1)
    path = tmp_path / "lines.jsonl"
    path.write_bytes(b'{"answers": {}}\n' + b'{"answers": {"stage": "' + b"x" * 40 + b'"}}\n')
    first, second = _read(path, blocks=True)
    assert first.block == 0 and first.error is None
    assert second.error == "<stdin>:2: line is too long (the limit is 40 bytes)"


def _hostile_lines(count: int) -> str:
    rulebook = load_rulebook()
    rng = random.Random(11)
    lines = []
    for i in range(count):
        record: dict[str, Any] = {"answers": random_answers(rulebook, rng, unsure=0.1)}
        record["meta"] = {"organization": f"School {i}" if i % 53 else "A: B"}
        lines.append(json.dumps(record))
    for k, odd in enumerate(ODD_LINES):
        lines[k * 97 % count] = odd.decode("utf-8", "replace")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_score_stdin_from_a_file_in_blocks_is_line_by_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """The command, its standard input a file (read a block at a time), gives what it
    gives read line by line (the blocks and chunks of a real run: some whole, some with
    lines left to the general path)."""
    path = tmp_path / "lines.jsonl"
    path.write_text(_hostile_lines(3000), encoding="utf-8")
    spied: list[int] = []
    read_block = TypedLines.read_block

    def spy(self: TypedLines, block: bytes) -> Any:
        found = read_block(self, block)
        spied.append(len(found.places) if found is not None else -1)
        return found

    monkeypatch.setattr(TypedLines, "read_block", spy)

    def run() -> tuple[int, str, str]:
        capsys.readouterr()
        with open(path, encoding="utf-8") as stdin, monkeypatch.context() as patch:
            patch.setattr("sys.stdin", stdin)
            code = main(["score", "-", "--format", fmt, "--source-prefix", "p7"])
        return (code, *capsys.readouterr())

    by_block = run()
    assert spied and max(spied) > 100 and -1 in spied
    with monkeypatch.context() as patch:
        patch.setattr(batch.StdinLines, "MIN_BLOCK", 10**9)  # never a block
        by_line = run()
    assert by_block == by_line
    code, out, err = by_block
    assert code == 1 and "could not be scored" in err
    assert len(out.splitlines()) == 3000 + (fmt == "csv")
    assert "\np7:98,false," in out or '{"source":"p7:98","ok":false' in out


def test_jobs_score_blocks_as_one_process_does(tmp_path: Path) -> None:
    """Workers are sent blocks of lines (one bytes object a task, not an item a line)."""
    import subprocess

    path = tmp_path / "lines.jsonl"
    path.write_text(_hostile_lines(4000), encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        with open(path, "rb") as stdin:
            done = subprocess.run(
                [HOLDTIGHT, "score", "-", "--jobs", jobs, "--format", "csv"],
                stdin=stdin,
                capture_output=True,
                env={**os.environ, **FIXED_ENV},
                timeout=120,
            )
        outputs.append((done.returncode, done.stdout, done.stderr))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == 1 and outputs[0][1].count(b"\n") == 4001


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_rows_the_columns_leave_in_a_block_read_at_once_take_the_full_path_line_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """A block whose lines were all read at once stands in each of their places; a row
    the columns then leave to the full path (scores beyond their reach, in a rulebook of
    very many rules) is its own line there, not the block (it was read as one line)."""
    rulebook = load_rulebook()
    rng = random.Random(3)
    path = tmp_path / "lines.jsonl"
    lines = [json.dumps({"answers": random_answers(rulebook, rng)}) for _ in range(300)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(batch.StdinLines, "MIN_BLOCK", 1)
    by_block = _read(path, blocks=True)
    assert any(item.block > 100 for item in by_block)
    columns_text = batch.Scorer.columns_text

    def none_scored(self: batch.Scorer, *args: Any, whole: bool = False) -> Any:
        texts, counts = columns_text(self, *args)
        return [None] * len(texts), counts

    monkeypatch.setattr(batch.Scorer, "columns_text", none_scored)
    scorer = batch.Scorer(rulebook, fmt)
    got = [s for chunk in batch._chunks(by_block, batch.CHUNK) for s in scorer.batch(chunk)]
    alone = [scorer(item) for item in _read(path, blocks=False)]
    assert [(s.source, s.ok, _text(s.text)) for s in got] == [
        (s.source, s.ok, _text(s.text)) for s in alone
    ]
