from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

from tests.conftest import run_cli

HEADERS = {
    "id": "Response ID",
    "school": "School",
    "system_type": "What kind of school system do you lead?",
    "schools": "How many schools are in the system?",
    "aims": "What is the work mainly for? Choose all that apply.",
    "buy_in_teachers": "How do teachers feel about the work?",
}


def write_csv(path: Path, rows: list[dict[str, str]], extra_header: str | None = None) -> None:
    fields = list(HEADERS.values()) + ([extra_header] if extra_header else [])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({HEADERS.get(k, k): v for k, v in row.items()})


def starter_map(tmp_path: Path) -> Path:
    path = tmp_path / "map.toml"
    assert run_cli("import", "--template", "-o", str(path)).returncode == 0
    text = path.read_text()
    text = text.replace('# source = "Response ID"', 'source = "Response ID"')
    text = text.replace('# organization = "School"', 'organization = "School"')
    # Keep only the questions this survey asked.
    document = tomllib.loads(text)
    keep = {k: v for k, v in document["questions"].items() if k in HEADERS}
    lines = ["[columns]", 'source = "Response ID"', 'organization = "School"', ""]
    for qid, entry in keep.items():
        lines.append(f"[questions.{qid}]")
        lines.append(f"column = {json.dumps(entry['column'])}")
        if "separator" in entry:
            lines.append(f"separator = {json.dumps(entry['separator'])}")
        if entry.get("labels"):
            lines.append(f"[questions.{qid}.labels]")
            lines += [f"{json.dumps(k)} = {json.dumps(v)}" for k, v in entry["labels"].items()]
    path.write_text("\n".join(lines) + "\n")
    return path


ROWS = [
    {"id": "r1", "school": "Lincoln MS", "system_type": "Charter-management organization (CMO)", "schools": "12",
     "aims": "Whole-school redesign;Student agency and ownership of learning", "buy_in_teachers": "supportive"},
    {"id": "r2", "school": "Adams HS", "system_type": "Not sure", "schools": "", "aims": "", "buy_in_teachers": "2"},
]  # fmt: skip


def test_template_maps_prompts_and_labels() -> None:
    text = run_cli("import", "--template").stdout
    document = tomllib.loads(text)
    entry = document["questions"]["system_type"]
    assert entry["column"] == HEADERS["system_type"]
    assert entry["labels"]["Traditional district"] == "traditional_district"
    assert entry["labels"]["Not sure"] == "unsure"
    assert document["questions"]["buy_in_teachers"]["labels"]["supportive"] == 4


def test_import_to_folder_and_jsonl_give_the_same_scores(tmp_path: Path) -> None:
    responses = tmp_path / "responses.csv"
    write_csv(responses, ROWS)
    survey_map = starter_map(tmp_path)
    out = tmp_path / "answers"
    result = run_cli("import", str(responses), "--map", str(survey_map), "-o", str(out))
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in out.iterdir())
    assert files == ["r1.toml", "r2.toml"]
    r1 = tomllib.loads((out / "r1.toml").read_text())
    assert r1["meta"]["organization"] == "Lincoln MS"
    assert r1["answers"] == {
        "system_type": "cmo",
        "schools": 12,
        "aims": ["whole_school_redesign", "student_agency"],
        "buy_in_teachers": 4,
    }
    assert (out / "r1.toml").stat().st_mode & 0o777 == 0o600
    lines = run_cli("import", str(responses), "--map", str(survey_map), "--format", "jsonl").stdout
    assert [json.loads(line)["source"] for line in lines.splitlines()] == ["r1", "r2"]
    from_stdin = run_cli("score", "-", "--format", "csv", stdin=lines).stdout
    from_files = run_cli("score", str(out), "--format", "csv").stdout

    def settings(text: str) -> list[list[str]]:
        return [row[2:] for row in csv.reader(io.StringIO(text))][1:]

    assert settings(from_stdin) == settings(from_files)
    single = run_cli("score", str(out / "r1.toml"), str(out / "r2.toml"), "--format", "csv").stdout
    assert settings(single) == settings(from_files)


def test_unmapped_columns_and_labels_are_reported_not_guessed(tmp_path: Path) -> None:
    responses = tmp_path / "responses.csv"
    bad = dict(ROWS[0], id="r3", system_type="A big district")
    write_csv(responses, [ROWS[0], bad], extra_header="Timestamp")
    result = run_cli(
        "import", str(responses), "--map", str(starter_map(tmp_path)), "--format", "jsonl"
    )
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 1  # the good row still comes out
    assert "column 'Timestamp' is not mapped" in result.stderr
    assert "row 3, column 'What kind of school system do you lead?'" in result.stderr
    assert "label 'A big district' is not mapped" in result.stderr


def test_import_errors(tmp_path: Path) -> None:
    assert run_cli("import", "x.csv").returncode == 2
    missing = run_cli(
        "import",
        str(tmp_path / "none.csv"),
        "--map",
        str(starter_map(tmp_path)),
        "--format",
        "jsonl",
    )
    assert missing.returncode == 1 and "no such file" in missing.stderr
    bad_map = tmp_path / "bad.toml"
    bad_map.write_text('[questions.system_typ]\ncolumn = "x"\n')
    responses = tmp_path / "r.csv"
    write_csv(responses, ROWS)
    result = run_cli("import", str(responses), "--map", str(bad_map), "--format", "jsonl")
    assert result.returncode == 1 and "did you mean 'system_type'" in result.stderr
    wrong_column = tmp_path / "wrong.toml"
    wrong_column.write_text('[questions.schools]\ncolumn = "How many school are in the system?"\n')
    result = run_cli("import", str(responses), "--map", str(wrong_column), "--format", "jsonl")
    assert (
        result.returncode == 1 and "no column" in result.stderr and "did you mean" in result.stderr
    )


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess

    from tests.conftest import HOLDTIGHT

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(400):
        (folder / f"{i:03}.toml").write_text(f"[answers]\nschools = {i + 1}\n")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    leader, follower = pty.openpty()
    process = subprocess.run(
        [HOLDTIGHT, "score", str(folder), "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**env, "TERM": "xterm", "COLUMNS": "80"},
        timeout=120,
    )
    os.close(follower)
    seen = b""
    try:
        while True:
            chunk = os.read(leader, 65536)
            if not chunk:
                break
            seen += chunk
    except OSError:
        pass
    os.close(leader)
    assert process.returncode == 0
    assert b"scoring" in seen  # the bar was drawn on the terminal
    assert b"scoring" not in process.stdout and len(process.stdout.splitlines()) == 401
    piped = run_cli("score", str(folder), "--format", "csv")
    assert "scoring" not in piped.stderr
