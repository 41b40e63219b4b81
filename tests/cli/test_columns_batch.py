"""`score --format csv|json|jsonl` over many inputs is scored in chunks, as columns
(`holdtight.columns`, `holdtight.result_columns`): the output, the exit code and stderr
are what scoring each input alone gives, in order, byte for byte, whatever the chunk
holds (broken files, invalid answers, unknown questions, warnings, multiple choices in
any order) and however inputs arrive (a folder, JSON Lines, --jobs)."""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from holdtight import batch
from holdtight.rulebook import load_rulebook
from holdtight.rulecheck import random_answers
from holdtight.sessionfile import dumps_session, new_session
from holdtight.typed_lines import TypedLines
from tests.helpers import Cli

BROKEN = {
    "bad-toml.toml": "[answers]\nstage = \n",
    "bad-answer.toml": '[answers]\nstage = "someday"\n',
    "unknown.toml": '[answers]\nstage = "piloting"\nnosuch = 1\n',
    "hidden.toml": '[answers]\npartners = "none"\nknowledge_transfer = "yes"\n',
    "float.toml": "[answers]\nschools = 12.0\n",
    "empty.toml": "",
    "meta-answer.toml": '[meta]\nstage = "piloting"\n[answers]\nstage = "scaling"\n',
    "aims-reversed.toml": '[answers]\naims = ["efficiency", "student_agency"]\nstage = "scaling"\n',
}


def _folder(tmp_path: Path, count: int = 150) -> Path:
    rulebook = load_rulebook()
    rng = random.Random(4)
    folder = tmp_path / "answers"
    folder.mkdir()
    for i in range(count):
        session = new_session(rulebook, {"organization": f'=School {i}, "North"'})
        session.answers.update(random_answers(rulebook, rng, unsure=0.1))
        (folder / f"s{i:03}.toml").write_text(dumps_session(session, rulebook))
    for name, text in BROKEN.items():
        (folder / f"s050-{name}").write_text(text)
    return folder


def _spy_on_columns(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that gets an item each time a chunk is scored as columns."""
    calls: list[int] = []
    scored = batch.Scorer.columns_text

    def spy(self: batch.Scorer, *args: Any) -> Any:
        calls.append(len(args[1]))
        return scored(self, *args)

    monkeypatch.setattr(batch.Scorer, "columns_text", spy)
    return calls


def _one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "COLUMNS_FROM", 10**9)


@pytest.mark.parametrize(
    "extra",
    [
        ["--format", "csv"],
        ["--format", "csv", "--jobs", "2"],
        ["--format", "csv", "--no-header"],
        ["--format", "jsonl"],
        ["--format", "jsonl", "--jobs", "2"],
        ["--format", "json"],
    ],
)
def test_a_folder_as_columns_is_the_folder_file_by_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str]
) -> None:
    folder = _folder(tmp_path)
    as_columns = _spy_on_columns(monkeypatch)
    monkeypatch.setattr(batch, "JSON_CHUNK", 70)  # chunks of 70, 70 and 18 (one by one)
    monkeypatch.setattr(batch, "JSON_WORKER_CHUNK", 65)  # tasks of 65, 65 and 28
    monkeypatch.setattr(batch, "MAX_REFERRED", 300)  # workers start their pieces again
    chunked = cli("score", str(folder), *extra)
    assert as_columns or "--jobs" in extra  # (workers are other processes)
    with monkeypatch.context() as patch:
        _one_by_one(patch)
        alone = cli("score", str(folder), *extra)
    assert chunked == alone
    assert chunked.returncode == 1  # the broken files
    assert "answer to 'knowledge_transfer' ignored" in chunked.stdout
    if extra[1] == "csv":
        rows = chunked.stdout.splitlines()
        assert len(rows) == 150 + len(BROKEN) + (0 if "--no-header" in extra else 1)
        assert '\'=School 1, ""North""' in chunked.stdout  # the formula guard, quoted
        return
    records = (
        json.loads(chunked.stdout)
        if extra[1] == "json"
        else [json.loads(line) for line in chunked.stdout.splitlines()]
    )
    assert len(records) == 150 + len(BROKEN)
    assert sum(1 for r in records if r["ok"] and r["domains"][0]["levers"]) > 100


@pytest.mark.parametrize(
    "extra",
    [
        ["--format", "csv"],
        ["--format", "jsonl"],
        ["--format", "csv", "--jobs", "2"],
        ["--format", "jsonl", "--jobs", "2"],
    ],
)
def test_json_lines_as_columns_are_the_lines_one_by_one(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, extra: list[str]
) -> None:
    """Most lines are read by the typed decoder (`typed_lines`), the rest the general
    way: the output is the lines scored one by one, read the general way."""
    fmt = extra[1]
    rulebook = load_rulebook()
    rng = random.Random(9)
    lines = []
    for i in range(300):
        answers = random_answers(rulebook, rng, unsure=0.1)
        if i % 37 == 0:
            answers["schools"] = True  # not valid as it stands: the full path says so
        if i % 41 == 0:
            answers["aims"] = ["efficiency", "student_agency"]  # not in the options' order
        record: dict[str, Any] = {"answers": answers, "meta": {"organization": f"O{i}"}}
        if i % 43 == 0:
            record["meta"]["stage"] = "piloting"  # an answer in meta: a warning
        if i % 47 == 0:
            record["meta"]["organization"] = "O: with a colon"
        if i % 11 == 0:
            record["source"] = f"district-{i}" if i % 2 else i
        lines.append(json.dumps(record, ensure_ascii=i % 2 == 0))
    lines[5] = "{not json"
    lines[6] = ""
    lines[7] = '{"answers": {"stage": "piloting", "stage": "scaling"}}'
    lines[8] = json.dumps({"source": True, "answers": {"stage": "piloting"}})  # said
    lines[9] = json.dumps({"source": 1042, "answers": {"stage": "piloting"}})  # an id
    lines[10] = json.dumps({"source": "", "answers": {"stage": "piloting"}})  # said
    lines[12] = '{"answers": {"stage": "piloting"}, "meta": {"a": "1", "a": "2"}}'
    lines[13] = '\ufeff{"answers": {"stage": "piloting"}}\r'
    lines[14] = '{"answers": {"stage": "piloting"}, "notes": {"stage": "a note"}}'
    lines[15] = '{"answers": {"stage": null}}'
    stdin = "\n".join(lines) + "\n"
    as_columns = _spy_on_columns(monkeypatch)
    typed: list[Any] = []
    read = TypedLines.read_many
    monkeypatch.setattr(
        TypedLines, "read_many", lambda self, lines: _kept(typed, read(self, lines))
    )
    chunked = cli("score", "-", *extra, stdin=stdin)
    if "--jobs" not in extra:  # the workers' calls are not seen here
        assert as_columns
        assert 200 < sum(len(chunk.places) for chunk in typed) < 300
    with monkeypatch.context() as patch:
        _one_by_one(patch)
        alone = cli("score", "-", "--format", fmt, stdin=stdin)
    assert chunked == alone
    assert len(chunked.stdout.splitlines()) == 301 if fmt == "csv" else 300
    assert "named <stdin>:9" in chunked.stdout
    assert ("\n1042,true," if fmt == "csv" else '{"source":"1042","ok":true') in chunked.stdout
    assert ("\ndistrict-11,true," if fmt == "csv" else '{"source":"district-11"') in chunked.stdout


def _kept(calls: list[Any], value: Any) -> Any:
    calls.append(value)
    return value


def test_one_file_a_summary_and_the_table_do_not_load_numpy(tmp_path: Path) -> None:
    """Nor msgspec (the typed reader of stdin lines); nor does a batch too small for
    columns, on stdin or with --jobs (its first chunk is read before the workers
    start: only a larger one has the tables filled for them)."""
    import subprocess

    folder = _folder(tmp_path, count=80)
    one = next(folder.glob("s001.toml"))
    code = (
        "import sys; from holdtight.cli import main; "
        f"main(['score', {str(one)!r}, '--format', 'csv']); "
        f"main(['score', {str(one)!r}, '--format', 'jsonl']); "
        f"main(['score', {str(one)!r}, {str(one)!r}, '--format', 'jsonl', '--jobs', '2']); "
        f"main(['score', {str(folder)!r}, '--format', 'jsonl', '--summary', '-o', {str(tmp_path / 'o.jsonl')!r}]); "
        f"main(['score', {str(folder)!r}, '-o', {str(tmp_path / 'o.txt')!r}]); "
        "main(['score', '-', '--format', 'jsonl']); "
        "print(sorted({'numpy', 'msgspec'} & set(sys.modules)), file=sys.stderr)"
    )
    lines = '{"answers": {"stage": "piloting"}}\n' * 3  # too few for columns
    result = subprocess.run(
        [sys.executable, "-c", code], input=lines, capture_output=True, text=True
    )
    assert result.stderr.strip().endswith("[]"), result.stderr
    assert result.stdout.count('"ok":true') == 6  # 1 + 2 files, 3 lines


def test_numpy_starts_no_blas_threads_for_a_batch(tmp_path: Path) -> None:
    """Column scoring multiplies no matrices; BLAS threads would spin beside --jobs."""
    import subprocess

    folder = _folder(tmp_path, count=80)
    code = (
        "import os, sys; from holdtight.cli import main; "
        f"main(['score', {str(folder)!r}, '--format', 'csv', '-o', {str(tmp_path / 'o.csv')!r}]); "
        "print('numpy' in sys.modules, os.environ.get('OPENBLAS_NUM_THREADS'), file=sys.stderr)"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stderr.strip().endswith("True 1"), result.stderr


def test_without_numpy_a_batch_is_scored_one_by_one(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken or missing NumPy costs speed, not the batch (it was an internal error)."""
    folder = _folder(tmp_path, count=80)
    chunked = cli("score", str(folder), "--format", "csv")
    monkeypatch.setitem(sys.modules, "holdtight.columns", None)  # import fails
    alone = cli("score", str(folder), "--format", "csv")
    assert alone == chunked and "internal error" not in alone.stderr


def test_without_msgspec_lines_are_read_the_general_way(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken or missing msgspec, or a rulebook it cannot type, costs speed, not the
    batch."""
    rng = random.Random(2)
    rulebook = load_rulebook()
    stdin = "".join(
        json.dumps({"answers": random_answers(rulebook, rng), "source": f"s{k}"}) + "\n"
        for k in range(80)
    )
    typed = cli("score", "-", "--format", "jsonl", stdin=stdin)
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, "holdtight.typed_lines", None)  # import fails
        as_columns = _spy_on_columns(patch)
        general = cli("score", "-", "--format", "jsonl", stdin=stdin)
    assert as_columns  # still as columns, read the general way
    assert general == typed and "internal error" not in general.stderr

    def untypable(*_: object) -> None:
        raise TypeError("Literal types must have at least one item")

    monkeypatch.setattr(TypedLines, "__init__", untypable)  # a rulebook it cannot type
    assert cli("score", "-", "--format", "jsonl", stdin=stdin) == typed
