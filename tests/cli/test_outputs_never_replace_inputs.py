"""`-o` never replaces one of the command's inputs, whatever the command; a document
written to standard output is made safe for a terminal, one written with `-o` keeps every
character a person can write (not control characters such as escape or bell)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, Cli, write_team


@pytest.mark.parametrize(
    "command",
    [
        ("team", "{a}", "{b}", "--format", "md", "-o", "{a}"),
        ("merge", "{a}", "{b}", "-o", "{b}"),
        ("diff", "{a}", "{b}", "-o", "{b}"),
        ("report", "{a}", "-o", "{a}"),
        ("team", "{folder}", "-o", "{a}"),
        ("score", "{folder}", "--format", "csv", "-o", "{a}"),
    ],
)
def test_an_input_is_never_the_output(cli: Cli, tmp_path: Path, command: tuple[str, ...]) -> None:
    folder = tmp_path / "team"
    a, b, *_ = write_team(folder)
    before = a.read_bytes(), b.read_bytes()
    args = [part.format(a=a, b=b, folder=folder) for part in command]
    result = cli(*args)
    assert result.returncode == 2, result
    assert len(result.stderr.strip().splitlines()) == 1
    assert "write the output elsewhere" in result.stderr
    assert (a.read_bytes(), b.read_bytes()) == before


def test_output_beside_the_inputs_that_is_no_answer_file_is_fine(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "answers"
    folder.mkdir()
    shutil.copy(EXAMPLES / "metro-unified-exploring.toml", folder)
    (folder / "old.csv").write_text("x\n")
    result = cli("score", str(folder), "--format", "csv", "-o", str(folder / "old.csv"))
    assert result.returncode == 0, result.stderr
    assert (folder / "old.csv").read_text().startswith("source,")


def test_documents_on_stdout_are_safe_and_files_keep_every_character(
    cli: Cli, tmp_path: Path
) -> None:
    session = tmp_path / "x.toml"
    session.write_text(
        '[meta]\norganization = "\\u001b[31mRed \\u202eevil"\nrespondent = "Ali\\u200creza"\n'
        "[answers]\nschools = 3\n",
        encoding="utf-8",
    )
    for fmt in ("md", "html"):
        shown = cli("report", str(session), "--format", fmt)
        assert shown.returncode == 0, shown.stderr
        assert "\x1b" not in shown.stdout and "\u202e" not in shown.stdout
        assert "Ali\u200creza" in shown.stdout
        out = tmp_path / f"r.{fmt}"
        assert cli("report", str(session), "--format", fmt, "-o", str(out)).returncode == 0
        kept = out.read_text(encoding="utf-8")
        assert "\u202e" in kept and "Ali\u200creza" in kept  # bidi text and joiners kept
        assert "\x1b" not in kept and "Red" in kept  # control characters no one types: not
    other = tmp_path / "y.toml"
    other.write_text('[meta]\nrespondent = "B"\n[answers]\nschools = 4\n', encoding="utf-8")
    team = cli("team", str(session), str(other), "--format", "md")
    assert team.returncode == 0, team.stderr
    assert "\x1b" not in team.stdout and "\u202e" not in team.stdout
    for fmt in ("md", "html"):
        out = tmp_path / f"team.{fmt}"
        assert (
            cli("team", str(session), str(other), "--format", fmt, "-o", str(out)).returncode == 0
        )
        kept = out.read_text(encoding="utf-8")
        assert "\x1b" not in kept and "\u202e" in kept
