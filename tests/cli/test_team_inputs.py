"""A team counts each respondent once: a file given twice, named and also inside a given
folder, or linked, is one voice; hidden files in a folder are skipped, as `score` does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.helpers import Cli, write_team


def respondents(cli: Cli, *paths: Path) -> int:
    result = cli("team", *map(str, paths), "--format", "json")
    assert result.returncode == 0, result.stderr
    return len(json.loads(result.stdout)["respondents"])


def test_a_session_given_twice_counts_once(cli: Cli, tmp_path: Path) -> None:
    paths = write_team(tmp_path / "team")
    assert respondents(cli, tmp_path / "team") == len(paths)
    assert respondents(cli, tmp_path / "team", paths[0]) == len(paths)
    assert respondents(cli, paths[0], paths[1], paths[0]) == 2
    (tmp_path / "link.toml").symlink_to(paths[1])
    assert respondents(cli, paths[0], paths[1], tmp_path / "link.toml") == 2
    alone = cli("team", str(paths[0]), str(paths[0]))
    assert alone.returncode == 2 and "at least two sessions" in alone.stderr


def test_hidden_files_in_a_team_folder_are_skipped(cli: Cli, tmp_path: Path) -> None:
    paths = write_team(tmp_path / "team")
    shutil.copy(paths[0], tmp_path / "team" / ".backup.toml")
    assert respondents(cli, tmp_path / "team") == len(paths)
