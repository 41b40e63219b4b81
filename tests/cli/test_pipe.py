"""`score -` under pipe operators (Spark's RDD.pipe, xargs, GNU parallel): one output line
per input line, in order; CSV without a header per partition; unique generated names."""

from __future__ import annotations

import csv
import io
import json

from tests.helpers import Cli, run_process

GOOD = json.dumps({"answers": {"schools": 3}, "meta": {"organization": "One"}})


def test_every_line_gives_one_record_in_order(cli: Cli) -> None:
    lines = [GOOD, "", "not json", "   ", json.dumps({"source": "named", "answers": {}}), "[1]"]
    result = cli("score", "-", "--format", "jsonl", stdin="\n".join(lines) + "\n")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["source"] for o in out] == [
        "<stdin>:1", "<stdin>:2", "<stdin>:3", "<stdin>:4", "named", "<stdin>:6",
    ]  # fmt: skip
    assert [o["ok"] for o in out] == [True, False, False, False, True, False]
    assert out[1]["error"] == "<stdin>:2: blank line"
    assert result.returncode == 1


def test_source_prefix_names_lines_without_a_source(cli: Cli) -> None:
    result = cli(
        "score", "-", "--format", "csv", "--no-header", "--source-prefix", "part-7",
        stdin=f"{GOOD}\n{GOOD}\n",
    )  # fmt: skip
    rows = result.stdout.splitlines()
    assert [row.split(",")[0] for row in rows] == ["part-7:1", "part-7:2"]
    assert result.returncode == 0
    for empty in ("", "  "):  # named ":1" before
        refused = cli("score", "-", "--source-prefix", empty, stdin=f"{GOOD}\n")
        assert refused.returncode == 2 and refused.stdout == ""
        assert refused.stderr.startswith("holdtight: --source-prefix: give a name")


def test_no_header_leaves_only_rows(cli: Cli) -> None:
    with_header = cli("score", "-", "--format", "csv", stdin=GOOD + "\n").stdout.splitlines()
    without = cli("score", "-", "--format", "csv", "--no-header", stdin=GOOD + "\n")
    assert without.stdout.splitlines() == with_header[1:]


def test_an_empty_partition_is_no_error(cli: Cli) -> None:
    result = cli("score", "-", "--format", "csv", "--no-header", stdin="")
    assert (result.returncode, result.stdout) == (0, "")
    result = cli("score", "-", "--format", "jsonl", stdin="")
    assert (result.returncode, result.stdout) == (0, "")


def test_spark_pipe_semantics() -> None:
    """RDD.pipe runs the command once per partition, writes each element and a newline
    to its standard input, and makes each output line an element. The README's recipe:
    outputs zip back onto inputs, partition by partition."""
    lines = [
        json.dumps({"answers": {"schools": n}, "meta": {"organization": f"S{n}"}})
        for n in range(1, 40)
    ]
    lines[5] = ""  # a blank element
    lines[9] = "{broken"
    partitions = [lines[:13], [], lines[13:26], lines[26:]]
    outputs: list[str] = []
    for index, partition in enumerate(partitions):
        process = run_process(
            "score", "-", "--format", "jsonl", "--source-prefix", f"part-{index}",
            stdin="".join(line + "\n" for line in partition),
        )  # fmt: skip
        produced = process.stdout.splitlines()
        assert len(produced) == len(partition)
        outputs.extend(produced)
    records = [json.loads(line) for line in outputs]
    assert len(records) == len(lines)
    assert len({r["source"] for r in records}) == len(records)
    for line, record in zip(lines, records, strict=True):
        if record["ok"]:
            assert record["organization"] == json.loads(line)["meta"]["organization"]
        else:
            assert line in ("", "{broken")


def test_a_broken_line_is_named_whole_with_its_column(cli: Cli) -> None:
    line = '{"answers": {}, "meta": {"organization": "x\x01y"}}'
    result = cli("score", "-", "--format", "jsonl", stdin=line + "\n")
    [record] = [json.loads(out) for out in result.stdout.split("\n") if out]
    column = line.index("\x01") + 1
    assert record["error"] == (
        f"<stdin>:1: column {column}: invalid JSON: a control character inside a string "
        "(write a tab or line break as \\t or \\n)"
    )


def test_line_breaks_unicode_knows_are_escaped_so_a_record_stays_one_line(cli: Cli) -> None:
    organization = "North\u2028South\u2029East\x85West"
    line = json.dumps({"answers": {"schools": 3}, "meta": {"organization": organization}})
    result = cli("score", "-", "--format", "jsonl", stdin=line + "\n")
    assert result.returncode == 0, result.stderr
    [record] = result.stdout.splitlines()  # str.splitlines breaks at all three
    assert json.loads(record)["meta"]["organization"] == organization


def test_an_error_on_a_line_with_its_own_source_names_the_line_too(cli: Cli) -> None:
    """Sources repeat across an export ("district-7" twice): the message says which
    line; the record keeps the source as given, for pairing."""
    bad = json.dumps({"source": "district-7", "answers": {"schools": "many"}})
    result = cli("score", "-", "--format", "jsonl", stdin=f"{GOOD}\n{bad}\n{bad}\n")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"] for r in records] == ["<stdin>:1", "district-7", "district-7"]
    assert records[1]["error"].startswith("district-7 (line 2): answers.schools")
    assert records[2]["error"].startswith("district-7 (line 3): answers.schools")
    assert result.returncode == 1


def test_a_source_that_is_an_id_names_the_line_and_any_other_is_said(cli: Cli) -> None:
    """Exports give ids as numbers ("source": 1042): they name their lines. A "source"
    that cannot name one (empty, true, a list) was dropped without a word."""
    lines = [
        json.dumps({"source": 1042, "answers": {"schools": 3}}),
        json.dumps({"source": True, "answers": {"schools": 3}}),
        json.dumps({"source": "", "answers": {"schools": 3}}),
        json.dumps({"source": 7.5, "answers": {"schools": 3}}),
        json.dumps({"source": None, "answers": {"schools": 3}}),
    ]
    stdin = "\n".join(lines) + "\n"
    for fmt in ("jsonl", "csv"):
        result = cli("score", "-", "--format", fmt, stdin=stdin)
        assert result.returncode == 0, result.stderr
        if fmt == "jsonl":
            records = [json.loads(line) for line in result.stdout.splitlines()]
            sources = [r["source"] for r in records]
            warnings = [r.get("warnings", []) for r in records]
        else:
            rows = list(csv.DictReader(io.StringIO(result.stdout)))
            sources = [r["source"] for r in rows]
            warnings = [[r["warnings"]] if r["warnings"] else [] for r in rows]
        assert sources == ["1042", "<stdin>:2", "<stdin>:3", "<stdin>:4", "<stdin>:5"]
        assert warnings[0] == [] and warnings[4] == []  # an id; no source at all
        assert "not a boolean; named <stdin>:2" in warnings[1][0]
        assert "not empty text; named <stdin>:3" in warnings[2][0]
        assert "not a number that is not whole; named <stdin>:4" in warnings[3][0]


def test_a_pretty_printed_json_file_piped_in_is_told_to_be_given_by_its_path(cli: Cli) -> None:
    """A document written over many lines is as many broken lines; the first says why."""
    document = json.dumps({"answers": {"schools": 3}}, indent=2) + "\n"
    result = cli("score", "-", stdin=document)
    said = result.stderr.splitlines()
    assert said[0] == (
        "holdtight: <stdin>:1: a line holding only {: standard input is read as JSON Lines,"
        " one answer set per line; to score a JSON file written over many lines, give its path"
    )
    assert len(said) == document.count("\n")  # one line each, the others as broken JSON
    assert all("invalid JSON" in line for line in said[1:])
    assert result.returncode == 1
