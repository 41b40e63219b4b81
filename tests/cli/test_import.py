from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

from tests.helpers import Cli

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


def starter_map(cli: Cli, tmp_path: Path) -> Path:
    path = tmp_path / "map.toml"
    assert cli("import", "--template", "-o", str(path)).returncode == 0
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


def test_template_maps_prompts_and_labels(cli: Cli) -> None:
    text = cli("import", "--template").stdout
    document = tomllib.loads(text)
    entry = document["questions"]["system_type"]
    assert entry["column"] == HEADERS["system_type"]
    assert entry["labels"]["Traditional district"] == "traditional_district"
    assert entry["labels"]["Not sure"] == "unsure"
    assert document["questions"]["buy_in_teachers"]["labels"]["supportive"] == 4


def test_import_to_folder_and_jsonl_give_the_same_scores(cli: Cli, tmp_path: Path) -> None:
    responses = tmp_path / "responses.csv"
    write_csv(responses, ROWS)
    survey_map = starter_map(cli, tmp_path)
    out = tmp_path / "answers"
    result = cli("import", str(responses), "--map", str(survey_map), "-o", str(out))
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
    lines = cli("import", str(responses), "--map", str(survey_map), "--format", "jsonl").stdout
    assert [json.loads(line)["source"] for line in lines.splitlines()] == ["r1", "r2"]
    from_stdin = cli("score", "-", "--format", "csv", stdin=lines).stdout
    from_files = cli("score", str(out), "--format", "csv").stdout

    def settings(text: str) -> list[list[str]]:
        return [row[2:] for row in csv.reader(io.StringIO(text))][1:]

    assert settings(from_stdin) == settings(from_files)
    single = cli("score", str(out / "r1.toml"), str(out / "r2.toml"), "--format", "csv").stdout
    assert settings(single) == settings(from_files)


def test_unmapped_columns_and_labels_are_reported_not_guessed(cli: Cli, tmp_path: Path) -> None:
    responses = tmp_path / "responses.csv"
    bad = dict(ROWS[0], id="r3", system_type="A big district")
    write_csv(responses, [ROWS[0], bad], extra_header="Timestamp")
    result = cli(
        "import", str(responses), "--map", str(starter_map(cli, tmp_path)), "--format", "jsonl"
    )
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 1  # the good row still comes out
    assert "column 'Timestamp' is not mapped" in result.stderr
    assert "row 3, column 'What kind of school system do you lead?'" in result.stderr
    assert "label 'A big district' is not mapped" in result.stderr


def test_import_errors(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", "x.csv").returncode == 2
    missing = cli(
        "import",
        str(tmp_path / "none.csv"),
        "--map",
        str(starter_map(cli, tmp_path)),
        "--format",
        "jsonl",
    )
    assert missing.returncode == 1 and "no such file" in missing.stderr
    bad_map = tmp_path / "bad.toml"
    bad_map.write_text('[questions.system_typ]\ncolumn = "x"\n')
    responses = tmp_path / "r.csv"
    write_csv(responses, ROWS)
    result = cli("import", str(responses), "--map", str(bad_map), "--format", "jsonl")
    assert result.returncode == 1 and "did you mean 'system_type'" in result.stderr
    wrong_column = tmp_path / "wrong.toml"
    wrong_column.write_text('[questions.schools]\ncolumn = "How many school are in the system?"\n')
    result = cli("import", str(responses), "--map", str(wrong_column), "--format", "jsonl")
    assert (
        result.returncode == 1 and "no column" in result.stderr and "did you mean" in result.stderr
    )
