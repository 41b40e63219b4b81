from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from holdtight import __version__
from tests.helpers import EXAMPLES, Cli

GOOD = """
[meta]
organization = "Riverside Unified"

[answers]
system_type = "traditional_district"
schools = 42
definition = "drafting"
aims = ["equity_of_access", "student_agency"]
partners = "some"
knowledge_transfer = "no"
"""


def answers_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "answers"
    folder.mkdir(parents=True)
    (folder / "a.toml").write_text(GOOD)
    (folder / "b.json").write_text(json.dumps({"answers": {"schools": 3, "central_team": "none"}}))
    (folder / "c_broken.toml").write_text("[answers]\nschools = 'many'\n")
    return folder


def test_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"holdtight {__version__}"


def test_score_jsonl_reports_bad_file_and_goes_on(cli: Cli, tmp_path: Path) -> None:
    result = cli("score", str(answers_folder(tmp_path)), "--format", "jsonl")
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["ok"] for line in lines] == [True, True, False]
    first = lines[0]
    assert first["organization"] == "Riverside Unified"
    assert first["rulebook"]["id"] == "tight-loose-blended"
    assert first["posture"]["label"] in ("more_centralized", "midway", "more_decentralized")
    domain = first["domains"][0]
    assert set(domain) >= {
        "id",
        "title",
        "setting",
        "score",
        "confidence",
        "guard_rails",
        "because",
        "levers",
    }
    assert "answers.schools" in lines[2]["error"] and "expected a number" in lines[2]["error"]
    assert "Traceback" not in result.stderr


def test_score_json_is_one_array(cli: Cli, tmp_path: Path) -> None:
    result = cli("score", str(answers_folder(tmp_path) / "a.toml"), "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 1 and data[0]["ok"]


def test_score_csv_has_a_column_per_domain(cli: Cli, tmp_path: Path) -> None:
    result = cli("score", str(answers_folder(tmp_path)), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 3
    assert rows[0]["vision"] in ("lean_tight", "tight")
    assert rows[2]["ok"] == "false" and "answers.schools" in rows[2]["error"]


def test_score_table_and_output_file(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = cli(
        "score", str(answers_folder(tmp_path) / "a.toml"), "--format", "jsonl", "-o", str(out)
    )
    assert result.returncode == 0 and result.stdout == ""
    assert json.loads(out.read_text())["ok"]
    assert (out.stat().st_mode & 0o777) == 0o600
    table = cli("score", str(tmp_path / "answers" / "a.toml"))
    assert "Vision, definition and outcomes" in table.stdout
    assert "Posture" in table.stdout


def test_unknown_question_is_an_error_with_did_you_mean(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "typo.toml"
    path.write_text("[answers]\nschool = 3\n")
    result = cli("score", str(path))
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"holdtight: {path}: line 2: answers.school: unknown question (did you mean 'schools'?)"
    )


def test_hidden_conditional_answer_is_a_warning(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "hidden.toml"
    path.write_text("[answers]\npartners = 'none'\nknowledge_transfer = 'no'\n")
    data = json.loads(cli("score", str(path), "--format", "jsonl").stdout)
    assert any("knowledge_transfer" in w for w in data["warnings"])


def test_score_stdin_jsonl(cli: Cli) -> None:
    lines = "\n".join(
        [
            json.dumps(
                {"source": "school-1", "answers": {"schools": 3}, "meta": {"organization": "One"}}
            ),
            "not json",
            json.dumps({"answers": {"schools": 4000}}),
        ]
    )
    result = cli("score", "-", "--format", "jsonl", stdin=lines)
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["source"] for o in out] == ["school-1", "<stdin>:2", "<stdin>:3"]
    assert [o["ok"] for o in out] == [True, False, False]
    assert result.returncode == 1


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "table"])
def test_jobs_output_is_identical_and_ordered(cli: Cli, tmp_path: Path, fmt: str) -> None:
    # Workers send runs of successes as one message, joined as the output joins them:
    # the output, errors and exit code are those of one process, across chunks (256).
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(300):
        text = f"[answers]\nschools = {i + 1}\nstage = 'piloting'\n"
        broken = i % 7 == 3 or 40 <= i < 43
        (folder / f"{i:03}.toml").write_text("[answers\n" if broken else text)
    one = cli("score", str(folder), "--format", fmt)
    two = cli("score", str(folder), "--format", fmt, "--jobs", "2")
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout and one.stderr == two.stderr
    if fmt == "json":
        assert len(json.loads(two.stdout)) == 300
    elif fmt != "table":
        assert len(two.stdout.splitlines()) == 300 + (fmt == "csv")
    summed = cli("score", str(folder), "--format", fmt, "--summary", "--jobs", "2")
    assert summed.stdout == cli("score", str(folder), "--format", fmt, "--summary").stdout


def test_summary(cli: Cli, tmp_path: Path) -> None:
    result = cli("score", str(answers_folder(tmp_path)), "--summary", "--format", "json")
    data = json.loads(result.stdout)
    assert data["inputs"] == 3 and data["scored"] == 2 and len(data["failed"]) == 1
    assert sum(data["domains"][0]["settings"].values()) == 2
    table = cli("score", str(answers_folder(tmp_path / "x")), "--summary")
    assert "Settings across inputs" in table.stdout and "failed" in table.stdout


def test_usage_errors_exit_2(cli: Cli, tmp_path: Path) -> None:
    assert cli("score").returncode == 2
    assert cli("score", "x.toml", "--jobs", "zero").returncode == 2
    result = cli("score", str(tmp_path), "--format", "csv")
    assert result.returncode == 2 and "no *.toml" in result.stderr
    result = cli("score", "x.toml", "--rules", str(tmp_path / "none"))
    assert result.returncode == 2 and "no such folder" in result.stderr


def test_no_traceback_without_debug_but_with_it(cli: Cli, tmp_path: Path) -> None:
    result = cli("score", "x.toml", "--rules", str(tmp_path))
    assert "Traceback" not in result.stderr
    debug = cli("--debug", "score", "x.toml", "--rules", str(tmp_path))
    assert "Traceback" in debug.stderr and debug.returncode == 2


def test_template_parses_and_scores(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "blank.toml"
    assert cli("template", "-o", str(out)).returncode == 0
    text = out.read_text()
    assert "# system_type = " in text and "traditional_district" in text
    assert "asked only if partners != 'none'" in text
    tomllib.loads(text)
    assert cli("score", str(out)).returncode == 0
    uncommented = text.replace("# system_type = ", "system_type = ")
    out.write_text(uncommented)
    assert cli("score", str(out)).returncode == 0


def test_schema_lists_every_question(cli: Cli) -> None:
    data = json.loads(cli("schema").stdout)
    answers = data["properties"]["answers"]["properties"]
    assert "system_type" in answers and "unsure" in answers["system_type"]["enum"]
    assert data["properties"]["answers"]["additionalProperties"] is False


def test_rules_check_and_test_pass_on_bundled(cli: Cli) -> None:
    check = cli("rules", "check")
    assert check.returncode == 0 and check.stdout.startswith("ok: tight-loose-blended")
    test = cli("rules", "test")
    assert test.returncode == 0, test.stdout
    assert "(100%)" in test.stdout and " 0 failed" in test.stdout


def test_rules_check_on_broken_rulebook(cli: Cli, tmp_path: Path, bundled_dir: Path) -> None:
    import shutil

    folder = tmp_path / "rules"
    shutil.copytree(bundled_dir, folder)
    (folder / "rules" / "evil.toml").write_text(
        '[[rule]]\nid = "evil"\nwhen = "__import__(\'os\').system(\'touch pwned\')"\neffects = { vision = 1.0 }\nbecause = "x"\n'
    )
    result = cli("rules", "check", str(folder), cwd=tmp_path)
    assert result.returncode == 2
    assert "rule 'evil', field 'when'" in result.stderr
    assert not (tmp_path / "pwned").exists()
    score = cli("score", "x.toml", "--rules", str(folder))
    assert score.returncode == 2 and len(score.stderr.strip().splitlines()) == 1


def test_rules_stats_runs(cli: Cli) -> None:
    result = cli("rules", "stats", "--samples", "50")
    assert result.returncode == 0 and "Model" in result.stdout


def test_installed_rulebook_found_from_another_folder(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text(GOOD)
    assert cli("score", "a.toml", cwd=tmp_path).returncode == 0


def test_bundled_examples_score_cleanly(cli: Cli) -> None:
    result = cli("score", str(EXAMPLES), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) >= 5
    for line in lines:
        assert line["ok"] and not line.get("warnings"), line["source"]


def test_output_file_appears_whole_and_only_at_the_end(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(30):
        (folder / f"{i:02}.toml").write_text(f"[answers]\nschools = {i + 1}\n")
    out = tmp_path / "out.csv"
    out.write_text("old\n")
    out.chmod(0o640)
    result = cli("score", str(folder), "--format", "csv", "-o", str(out))
    assert result.returncode == 0
    assert len(out.read_text().splitlines()) == 31
    assert (out.stat().st_mode & 0o777) == 0o640  # an existing file keeps its mode
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    missing = cli("score", str(folder), "-o", str(tmp_path / "no" / "such" / "dir.csv"))
    assert missing.returncode == 2 and "cannot write" in missing.stderr


def test_the_collector_is_off_only_while_a_command_starts(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Off while the parser and rulebook load; on while inputs are scored (cycles in a
    long batch are collected); as it was when main returns."""
    import gc

    from holdtight.batch import Scorer

    path = str(answers_folder(tmp_path) / "a.toml")
    seen: list[bool] = []
    real = Scorer.__call__

    def scoring(self: Scorer, item: Any) -> Any:
        seen.append(gc.isenabled())
        return real(self, item)

    monkeypatch.setattr(Scorer, "__call__", scoring)
    assert gc.isenabled()
    assert cli("score", path).returncode == 0
    assert gc.isenabled() and seen == [True]
    gc.disable()
    try:
        assert cli("score", path, "--format", "csv").returncode == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert cli("score", str(tmp_path / "missing.toml")).returncode == 1
    assert gc.isenabled()


@pytest.mark.parametrize(("fmt", "where"), [("csv", "the error column"), ("jsonl", '"ok": false')])
def test_failures_written_as_records_are_also_said_on_stderr(
    cli: Cli, tmp_path: Path, fmt: str, where: str
) -> None:
    """An output with failed records exited 1 with nothing on stderr: easy to miss."""
    lines = '{"answers": {"schools": "x"}}\n{"answers": {"schools": 3}}\n'
    out = tmp_path / f"out.{fmt}"
    written = cli("score", "-", "--format", fmt, "-o", str(out), stdin=lines)
    assert written.returncode == 1
    said = written.stderr.strip().splitlines()
    assert said[0] == f"wrote {out}"
    assert said[1].startswith("holdtight: 1 of 2 inputs could not be scored; see ")
    assert where in said[1]
    piped = cli("score", "-", "--format", fmt, stdin=lines)
    assert piped.stderr.strip() == said[1]
    clean = cli("score", "-", "--format", fmt, stdin='{"answers": {"schools": 3}}\n')
    assert clean.returncode == 0 and clean.stderr == ""


@pytest.mark.parametrize("name", ["session.toml", "session.json"])
def test_a_template_never_replaces_answers(cli: Cli, tmp_path: Path, name: str) -> None:
    """`template -o` over a filled-in session left a blank template and exit 0."""
    target = tmp_path / name
    answers = {"answers": {"schools": 12, "stage": "piloting"}}
    target.write_text(
        json.dumps(answers)
        if name.endswith(".json")
        else ("[answers]\nschools = 12\nstage = 'piloting'\n")
    )
    before = target.read_bytes()
    result = cli("template", "-o", str(target))
    assert result.returncode == 2 and target.read_bytes() == before
    assert result.stderr.strip().endswith(
        "holds 2 answers; a blank template would replace them: write it elsewhere"
    )
    blank = tmp_path / "blank.toml"  # a template over a template (no answers) is fine
    assert cli("template", "-o", str(blank)).returncode == 0
    assert cli("template", "-o", str(blank)).returncode == 0


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "[answers]\nschools = 12\nstage = piloting\n",
            'line 3, column 9: Invalid value (text is written in quotes: stage = "piloting")',
        ),
        (
            "[answers]\nschools = 12\nschools = 14\n",
            "line 3, column 13: Cannot overwrite a value ('schools' is given twice)",
        ),
        (
            "[answers]\nvision_statement = Our vision is great # why\n",
            "line 2, column 20: Invalid value (text is written in quotes: "
            'vision_statement = "Our vision is great")',
        ),
        (
            "[answers]\naims = [student_agency, efficiency]\n",
            "line 2, column 9: Invalid value (text is written in quotes: "
            'aims = ["student_agency", "efficiency"])',
        ),
        (
            "[answers]\nschools = 3\n[answers]\n",
            "line 3, column 9: [answers] is given twice (one of each table)",
        ),
        (  # an extra comma, not a missing quote: no hint (a trial was told to add quotes)
            '[answers]\naims = ["efficiency", ,]\n',
            "line 2, column 23: Invalid value",
        ),
    ],
)
def test_toml_slips_are_said_on_their_line(cli: Cli, tmp_path: Path, text: str, said: str) -> None:
    """tomllib says only 'Invalid value' and 'Cannot overwrite a value'."""
    path = tmp_path / "a.toml"
    path.write_text(text)
    result = cli("score", str(path))
    assert result.returncode == 1
    assert result.stderr.strip() == f"holdtight: {path}: {said}"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[answers]\nschools = 12\nstage = piloting\n", "does not read as an answer file"),
        ('[notes]\nschools = "Three schools share a campus."\n', "is not a blank template"),
        ("my own notes\n", "does not read as an answer file"),
    ],
)
def test_a_template_never_replaces_what_someone_wrote(
    cli: Cli, tmp_path: Path, text: str, said: str
) -> None:
    """A session with one TOML slip (it does not parse, so its answers cannot be
    counted), a file of notes: both were replaced by a blank template."""
    target = tmp_path / "mine.toml"
    target.write_text(text)
    result = cli("template", "-o", str(target))
    assert result.returncode == 2 and target.read_text() == text
    assert said in result.stderr and len(result.stderr.strip().splitlines()) == 1
    # A template someone began to fill in, with a slip, is kept too.
    started = cli("template").stdout.replace('# stage = "', 'stage = piloting # "', 1)
    target.write_text(started)
    assert cli("template", "-o", str(target)).returncode == 2
