"""Hostile input through the command: every bad file gets one clear line, never a crash,
and nothing from a file can take over the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from holdtight.reading import NESTED_TOO_DEEPLY
from tests.helpers import EXAMPLES, MINI_RULEBOOK, Cli

CORPUS: dict[str, bytes | str | None] = {
    "01-empty.toml": "",
    "02-comment-only.toml": "# nothing here\n",
    "03-truncated.toml": '[answers]\nsystem_type = "cm',
    "04-binary.toml": bytes(range(256)),
    "05-invalid-utf8.toml": b'[answers]\nsystem_type = "\xc3\x28"\n',
    "06-utf16.toml": "[answers]\nschools = 3\n".encode("utf-16"),
    "07-deeply-nested.toml": "[answers]\nschools = " + "[" * 3000 + "]" * 3000 + "\n",
    "08-huge.toml": "[answers]\n" + ("# padding padding padding\n" * 50_000),
    "09-huge-string.toml": f"[answers]\nvision_statement = '{'x' * 50_000}'\n",
    "10-nan.json": '{"answers": {"schools": NaN}}',
    "11-infinity.json": '{"answers": {"schools": -Infinity}}',
    "12-top-level-array.json": '[{"answers": {}}]',
    "13-null-answers.json": '{"answers": null}',
    "14-scalar-answers.toml": "answers = 42\n",
    "15-table-for-value.toml": "[answers.system_type]\nkind = 'cmo'\n",
    "16-duplicate-option.toml": "[answers]\naims = ['efficiency', 'efficiency']\n",
    "17-unknown-option.toml": "[answers]\naims = ['world_peace']\n",
    "18-out-of-range.toml": "[answers]\nschools = 0\n",
    "19-scale-out-of-range.toml": "[answers]\nbuy_in_teachers = 6\n",
    "20-float-for-int.toml": "[answers]\nschools = 12.5\n",
    "21-bool-for-choice.toml": "[answers]\nsystem_type = true\n",
    "22-hidden-conditional.toml": "[answers]\npartners = 'none'\nknowledge_transfer = 'yes'\n",
    "23-dir.toml": None,
    "24-ok.toml": "[answers]\nschools = 12\n",
    "25-long-list.toml": "[answers]\naims = [" + ", ".join(["'efficiency'"] * 500) + "]\n",
    "26-escape-in-key.toml": '[answers]\n"sch\\u001b[2Jools" = 3\n',
    "27-duplicate-key.toml": "[answers]\nschools = 3\nschools = 4\n",
    "28-json-deep.json": '{"answers": ' + "[" * 100_000 + "]" * 100_000 + "}",
}


def build_corpus(folder: Path) -> list[str]:
    folder.mkdir()
    for name, content in CORPUS.items():
        path = folder / name
        if content is None:
            path.mkdir()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return sorted(CORPUS)


def test_batch_over_hostile_corpus_reports_each_file_once_and_goes_on(
    cli: Cli, tmp_path: Path
) -> None:
    names = build_corpus(tmp_path / "corpus")
    result = cli("score", str(tmp_path / "corpus"), "--format", "jsonl")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(line["source"]).name for line in lines] == names
    ok = {Path(line["source"]).name for line in lines if line["ok"]}
    assert ok == {"22-hidden-conditional.toml", "24-ok.toml"}
    for line in lines:
        if not line["ok"]:
            error = line["error"]
            assert "\n" not in error and len(error) < 400, error
            assert error.startswith(line["source"]), error
            assert "x" * 100 not in error and "\x1b" not in error


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("01-empty.toml", "file is empty"),
        ("03-truncated.toml", "line 2, column"),
        ("04-binary.toml", "binary file"),
        (
            "05-invalid-utf8.toml",
            "line 2, column 16: invalid UTF-8 (byte 0xC3; save the text as UTF-8)",
        ),
        ("06-utf16.toml", "UTF-16"),
        ("07-deeply-nested.toml", "nested too deeply"),
        ("08-huge.toml", "too large"),
        ("09-huge-string.toml", "too long"),
        ("10-nan.json", "NaN is not allowed"),
        ("12-top-level-array.json", "top level must be an object ({…}), not a list"),
        ("15-table-for-value.toml", "answers.system_type"),
        ("23-dir.toml", "is a folder"),
        ("25-long-list.toml", "list is too long"),
        ("27-duplicate-key.toml", "line 3"),
    ],
)
def test_each_hostile_file_gets_its_own_message(
    cli: Cli, tmp_path: Path, name: str, expected: str
) -> None:
    build_corpus(tmp_path / "corpus")
    result = cli("score", str(tmp_path / "corpus" / name))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], lines


def test_rules_check_on_mutants_exits_0_or_2_with_clear_lines(cli: Cli, tmp_path: Path) -> None:
    import textwrap

    for number, (file, junk) in enumerate(
        [
            ("questions.toml", "]]]"),
            ("rules.toml", "when = '''"),
            ("domains.toml", "[[domain]]\nid = 3"),
        ]
    ):
        folder = tmp_path / f"m{number}"
        folder.mkdir()
        for name, text in MINI_RULEBOOK.items():
            content = textwrap.dedent(text) + ("\n" + junk + "\n" if name == file else "")
            (folder / name).write_text(content)
        result = cli("rules", "check", str(folder))
        assert result.returncode in (0, 2)
        assert "Traceback" not in result.stderr
        assert all(
            line.startswith(("error:", "warning:", "holdtight:"))
            for line in result.stderr.splitlines()
        )


def test_terminal_output_cannot_be_hijacked(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "evil.toml"
    path.write_text(
        '[meta]\norganization = "[bold red]Evil[/bold red] \\u001b[2J\\u001b]0;pwned\\u0007 Co"\n'
        "[answers]\nschools = 3\n"
    )
    table = cli("score", path.name, cwd=tmp_path)  # the title names the file: keep it short
    assert table.returncode == 0
    assert "\x1b" not in table.stdout and "\x07" not in table.stdout
    assert "[bold red]Evil[/bold red]" in table.stdout  # shown literally, not as markup
    bad = tmp_path / "evil2.toml"
    bad.write_text('[answers]\nsystem_type = "\\u001b[31mred\\u001b[0m"\n')
    result = cli("score", str(bad))
    assert result.returncode == 1 and "\x1b" not in result.stderr


def test_debug_traceback_does_not_dump_answers(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "secret.toml"
    path.write_text('[answers]\nvision_statement = "TOP SECRET PLAN"\nschools = "many"\n')
    result = cli("--debug", "report", str(path))
    assert result.returncode == 1 and "Traceback" in result.stderr
    assert "TOP SECRET PLAN" not in result.stderr


# --- nesting (a new-user trial: one deep JSON file ended `score DIR` after its header) ---


def _nested(depth: int, kind: str) -> str:
    if kind == "array":
        return '{"answers": {"x": ' + "[" * depth + "1" + "]" * depth + "}}"
    return '{"answers": {"x": ' + '{"b": ' * depth + "1" + "}" * depth + "}}"


def test_a_folder_with_a_deep_file_scores_every_other_file(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for example in sorted(EXAMPLES.glob("*.toml"))[:2]:
        (folder / example.name).write_text(example.read_text())
    (folder / "deep.json").write_text(_nested(1000, "array"))
    (folder / "deep.toml").write_text("answers.x = " + "[" * 400 + "1" + "]" * 400 + "\n")
    for extra in ([], ["--jobs", "2"]):
        result = cli("score", str(folder), "--format", "csv", *extra)
        rows = result.stdout.splitlines()[1:]
        assert result.returncode == 1 and len(rows) == 4, result.stderr
        assert [row.split(",")[1] for row in rows] == ["false", "false", "true", "true"]
        where = "line 1, column 49"  # the 33rd level's bracket
        assert f"{folder / 'deep.json'}: {where}: {NESTED_TOO_DEEPLY}" in result.stdout


def test_json_lines_keep_one_line_out_per_line_in_with_a_deep_line(cli: Cli) -> None:
    good = '{"answers": {"schools": 3}}'
    lines = [good, _nested(1000, "array"), _nested(40, "object"), good]
    result = cli("score", "-", "--format", "jsonl", stdin="\n".join(lines) + "\n")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["ok"] for r in records] == [True, False, False, True]
    assert records[1]["error"] == f"<stdin>:2: column 49: {NESTED_TOO_DEEPLY}"
    assert records[2]["error"] == f"<stdin>:3: column {18 + 30 * 6 + 1}: {NESTED_TOO_DEEPLY}"
