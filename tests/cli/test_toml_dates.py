"""TOML dates and times where text or numbers belong are named in plain words."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import Cli


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[meta]\ndate = 2024-01-02T03:04:05Z\n[answers]\nschools = 5\n",
            "meta.date: expected text or a number, not a date-time",
        ),
        ("[answers]\nschools = 1979-05-27\n", "answers.schools: expected a number, not a date"),
        (
            "[answers]\nschools = 5\n[notes]\nschools = 07:32:00\n",
            "notes.schools: expected text, not a time",
        ),
    ],
)
def test_dates_and_times_are_named_in_words(
    cli: Cli, tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "a.toml"
    path.write_text(text)
    result = cli("score", str(path))
    assert result.returncode == 1
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
