"""Every CSV row is one line, so line-oriented tools (Spark's RDD.pipe, `wc -l`) pair
rows with input lines: a line break inside a cell (an organization, a source, a
warning) becomes a space."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from holdtight.reports.data import csv_cell
from tests.helpers import Cli


def test_line_breaks_in_cells_keep_one_line_per_input(cli: Cli) -> None:
    records = [
        {"answers": {"schools": 3}, "meta": {"organization": "North\nSouth\r\nEast\rWest"}},
        {"source": "a\nb", "answers": {"schools": 4}},
        {"answers": {"schools": 5}, "meta": {"organization": "\n=cmd()"}},
        {"answers": {"schools": 6}},
        # What str.splitlines (and readers built on it) also take for a line break.
        {"answers": {"schools": 7}, "meta": {"organization": "a\u2028b\u2029c\x85d\x0be\x1cf"}},
    ]
    stdin = "".join(json.dumps(r) + "\n" for r in records)
    result = cli("score", "-", "--format", "csv", "--no-header", stdin=stdin)
    lines = result.stdout.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == len(records), result.stdout
    assert len(result.stdout.splitlines()) == len(records)
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert rows[0][2] == "North South East West"
    assert rows[1][0] == "a b"
    assert rows[2][2] == "' =cmd()"  # began with a line break: neutralized still
    assert rows[4][2] == "a b c d e f"


def test_a_file_with_a_line_break_in_its_organization_is_one_row(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text('[meta]\norganization = "x\\ny"\n[answers]\nschools = 4\n')
    result = cli("score", str(path), "--format", "csv", "--no-header")
    assert result.stdout.count("\n") == 1


def test_csv_cell_without_line_breaks_is_unchanged() -> None:
    assert csv_cell('plain "quoted", text') == '"plain ""quoted"", text"'
    assert csv_cell("-1.5") == "-1.5"
    assert csv_cell("\tfoo") == '"\'\tfoo"'


def _readme_score_partition() -> str:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    lines = readme[readme.index("def score_partition(") :].split("\n")
    body = [lines[0]]
    for line in lines[1:]:
        if not line.startswith(" "):
            break
        body.append(line)
    return "\n".join(body) + "\n"


def test_the_readme_partition_recipe_keeps_one_record_per_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The README's `score_partition`, run as written against the installed command, on
    a partition whose JSON holds U+2028 (raw in a JSON string; `splitlines()` breaks it)."""
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "holdtight").exists():
        pytest.skip("the holdtight command is not installed beside this interpreter")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    namespace: dict[str, Any] = {"json": json, "subprocess": subprocess}
    exec(_readme_score_partition(), namespace)  # the README's own code, as written
    part = [
        json.dumps({"answers": {"schools": 3}, "meta": {"organization": "a\u2028b\u0085c"}}),
        json.dumps({"answers": {"schools": 4}}),
    ]
    results = namespace["score_partition"](7, part)
    assert [r["source"] for r in results] == ["part-7:1", "part-7:2"]
    assert results[0]["organization"] == "a\u2028b\u0085c"
