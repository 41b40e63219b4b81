"""A report's warnings name questions by their prompts, never by ids or the rulebook's
condition syntax."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Cli

SESSION = (
    '[meta]\norganization = "North"\n'
    '[answers]\nsystem_type = "traditional_district"\nnetwork_authority = "binding"\n'
)


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_an_ignored_hidden_answer_is_named_by_its_prompt(
    cli: Cli, tmp_path: Path, fmt: str
) -> None:
    session = tmp_path / "s.toml"
    session.write_text(SESSION)
    result = cli("report", str(session), "--format", fmt)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    if fmt == "json":
        text = "\n".join(json.loads(text)["warnings"])
    assert "network_authority" not in text and "system_type" not in text
    assert "What authority does the network" in text
    assert "What kind of school system do you lead?" in text


def test_the_result_table_names_an_ignored_answer_by_its_prompt(cli: Cli, tmp_path: Path) -> None:
    session = tmp_path / "s.toml"
    session.write_text(SESSION)
    table = cli("score", str(session)).stdout
    assert "network_authority" not in table and "system_type" not in table
    assert "What authority does the network" in " ".join(table.split())
    # Data formats keep the engine's wording, ids and all.
    record = json.loads(cli("score", str(session), "--format", "jsonl").stdout)
    assert any("network_authority" in w for w in record["warnings"])


def test_rich_and_plain_tables_word_warnings_alike(rulebook: Any) -> None:
    from holdtight.engine import score
    from holdtight.reports.plain_table import result_table_plain
    from holdtight.reports.terminal import render_text, result_renderable

    result = score(
        rulebook, {"system_type": "traditional_district", "network_authority": "binding"}
    )
    plain = result_table_plain(rulebook, "s.toml", result)
    rich = render_text(result_renderable(rulebook, "s.toml", result))
    assert plain is not None and "network_authority" not in plain
    assert " ".join(plain.split()) == " ".join(rich.split())
