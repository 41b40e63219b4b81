"""Results and documents printed on a terminal carry nothing that steers it (escape
sequences, C1 controls, bidi overrides): JSON escapes them (the same values), CSV shows
"?" for them. Written to a pipe or a file, every character is kept as it was read."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Cli

UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = "Evil\x1b[2J\x9b31m\u202eDistrict\x7f"
LINE = json.dumps({"answers": {"schools": 12}, "meta": {"organization": HOSTILE}})


def on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Standard output, as the test captures it while it runs, says it is a terminal."""
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json"])
def test_results_on_a_terminal_carry_no_control_characters(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    on_a_terminal(monkeypatch)
    result = cli("score", "-", "--format", fmt, stdin=LINE + "\n")
    assert result.returncode == 0, result.stderr
    assert not UNSAFE.search(result.stdout.replace("\n", "")), repr(result.stdout[:300])
    if fmt != "csv":  # JSON escapes them: the same value
        parsed = json.loads(result.stdout)
        first = parsed[0] if fmt == "json" else parsed
        assert first["organization"] == HOSTILE


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_results_in_a_pipe_keep_every_character(cli: Cli, fmt: str) -> None:
    result = cli("score", "-", "--format", fmt, stdin=LINE + "\n")
    assert result.returncode == 0, result.stderr
    assert "\u202e" in result.stdout and "\x9b" in result.stdout
    if fmt == "csv":  # JSON escapes the C0 controls itself
        assert "\x1b[2J" in result.stdout


@pytest.mark.parametrize("command", ["report", "team"])
def test_json_documents_on_standard_output_escape_what_steers_a_terminal(
    cli: Cli, tmp_path: Path, command: str
) -> None:
    session = tmp_path / "s.json"
    session.write_text(json.dumps({"answers": {"schools": 12}, "meta": {"organization": HOSTILE}}))
    other = tmp_path / "t.json"
    other.write_text(json.dumps({"answers": {"schools": 3}, "meta": {"respondent": HOSTILE}}))
    sessions = [str(session)] if command == "report" else [str(session), str(other)]
    result = cli(command, *sessions, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert not UNSAFE.search(result.stdout.replace("\n", "")), command
    assert HOSTILE in strings(json.loads(result.stdout))  # escaped, not changed


def strings(value: object) -> list[str]:
    """Every string in a parsed JSON document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def test_the_json_summary_escapes_what_steers_a_terminal(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x\u202e\x9by.toml").write_text("answers = = 1\n")
    (folder / "ok.toml").write_text("[answers]\nschools = 4\n")
    result = cli("score", str(folder), "--summary", "--format", "json")
    assert result.returncode == 1
    assert not UNSAFE.search(result.stdout.replace("\n", ""))
    assert any("x\u202e\x9by.toml" in s for s in strings(json.loads(result.stdout)))


def test_imported_json_lines_escape_what_steers_a_terminal(cli: Cli, tmp_path: Path) -> None:
    from tests.cli.test_import import ROWS, starter_map, write_csv

    responses = tmp_path / "r.csv"
    write_csv(responses, [{**ROWS[0], "school": HOSTILE}])
    mapping = starter_map(cli, tmp_path)
    result = cli("import", str(responses), "--map", str(mapping), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    assert not UNSAFE.search(result.stdout.replace("\n", ""))
    assert HOSTILE in strings(json.loads(result.stdout))


def test_the_answer_schema_escapes_a_rulebooks_bidi_and_c1_characters(
    cli: Cli, make_rulebook: Any
) -> None:
    from tests.helpers import MINI_RULEBOOK

    questions = MINI_RULEBOOK["questions.toml"].replace(
        'prompt = "How many?"', 'prompt = "How \\u202emany\\u009b?"'
    )
    folder = make_rulebook(**{"questions.toml": questions})
    result = cli("schema", "--rules", str(folder))
    assert result.returncode == 0, result.stderr
    assert not UNSAFE.search(result.stdout.replace("\n", ""))
    assert "How \u202emany\u009b?" in strings(json.loads(result.stdout))


def test_markdown_on_a_terminal_breaks_between_words_at_its_width(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import shutil

    example = str(Path(__file__).parents[2] / "examples" / "metro-unified-exploring.toml")
    piped = cli("report", example).stdout
    assert max(len(line) for line in piped.splitlines()) > 100  # a pipe gets whole lines
    on_a_terminal(monkeypatch)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *_: os.terminal_size((60, 20)))
    shown = cli("report", example).stdout
    for line in shown.splitlines():
        # A line break would change a heading or a table row; an address stays whole.
        if not line.startswith(("#", "|")) and "://" not in line:
            assert len(line) <= 59, line
    # The same words, only broken between them; list items hang under their text, and a
    # quote's lines stay in the quote.
    words = [word for word in shown.split() if word != ">"]
    assert words == [word for word in piped.split() if word != ">"]
    assert "\n  " in shown and re.search(r"^> \*Vision statement:\*.*\n> \S", shown, re.M)


def test_the_score_table_fits_the_terminal(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """It was 94 columns wide on any terminal: every row wrapped at 80 and at 60."""
    import os
    import shutil

    example = str(Path(__file__).parents[2] / "examples" / "metro-unified-exploring.toml")
    piped = cli("score", example).stdout
    assert "Professional learning and coaching" in piped  # a pipe: full titles, 100 columns
    on_a_terminal(monkeypatch)
    for columns in (80, 60):
        size = os.terminal_size((columns, 24))
        monkeypatch.setattr(shutil, "get_terminal_size", lambda *_, size=size: size)
        shown = cli("score", example).stdout
        assert max(len(line) for line in shown.splitlines()) <= columns
        assert "│ Prof. learning " in shown  # short names, padded from the border


def test_a_diff_on_a_terminal_breaks_between_words_under_its_entries(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import shutil

    examples = Path(__file__).parents[2] / "examples"
    pair = [
        str(examples / "metro-unified-exploring.toml"),
        str(examples / "pine-valley-rural.toml"),
    ]
    piped = cli("diff", *pair).stdout
    on_a_terminal(monkeypatch)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *_: os.terminal_size((60, 20)))
    shown = cli("diff", *pair).stdout
    assert max(len(line) for line in shown.splitlines()) <= 59
    assert shown.split() == piped.split()
    # An entry's next lines sit further in than the entries, under their own entry.
    assert re.search(r"^  How many schools are in the system\?: 180 schools → 4\n", shown, re.M)
    assert re.search(r"^  How have decisions .*\n    \S", shown, re.M)
