"""A report's warnings name questions by their prompts, never by ids or the rulebook's
condition syntax."""

from __future__ import annotations

import json
from pathlib import Path

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
