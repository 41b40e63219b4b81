"""A JSON answer file that does not parse is one whole sentence, with line and column."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import Cli


def test_a_control_character_in_a_json_string_is_a_whole_sentence(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{"answers": {"schools": 3, "stage": "piloting\t"}}')
    result = cli("score", str(path))
    assert result.returncode == 1
    line = result.stderr.strip()
    assert line.endswith(
        "line 1, column 46: a control character inside a string "
        "(write a tab or line break as \\t or \\n)"
    ), line
    assert " at" not in line.rsplit(":", 1)[1]
