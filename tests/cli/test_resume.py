"""`holdtight new` in a folder with unfinished sessions offers them before the TUI."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from holdtight.commands.resume import QUIT, choose, unfinished_sessions
from holdtight.model import Rulebook
from holdtight.sessionfile import new_session, save_session


def replying(replies: list[str], prompts: list[str]) -> Callable[[str], str]:
    """An `ask` that gives `replies` in turn and keeps the prompts it was given."""
    given = iter(replies)

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return next(given)

    return ask


def test_unfinished_sessions_are_listed_and_one_can_be_resumed(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    started = new_session(rulebook, {"organization": "Riverside [b]x[/b]\x1b[2J"})
    started.answers["system_type"] = "cmo"
    save_session(tmp_path / "holdtight-2026-01-01.toml", started, rulebook)
    (tmp_path / "holdtight-broken.toml").write_text("not = [toml")
    found = unfinished_sessions(tmp_path, rulebook)
    assert [item.path.name for item in found] == ["holdtight-2026-01-01.toml"]
    out = io.StringIO()
    prompts: list[str] = []
    picked = choose(found, ask=replying(["7", "1"], prompts), out=out)
    assert picked is not None and picked.session.answers["system_type"] == "cmo"
    shown = out.getvalue()
    # One session: no "1-1" nor "from 1 to 1".
    assert prompts[0] == "Resume it (1), n for new, or q to quit? " and "Type 1, n or q." in shown
    assert "\x1b" not in shown and "Riverside [b]x[/b]" in shown
    assert "n. Start a new session" in shown


def test_new_is_the_default_and_q_or_eof_quits(tmp_path: Path, rulebook: Rulebook) -> None:
    started = new_session(rulebook)
    started.answers["system_type"] = "cmo"
    save_session(tmp_path / "holdtight-x.toml", started, rulebook)
    found = unfinished_sessions(tmp_path, rulebook)
    assert choose(found, ask=lambda prompt: "", out=io.StringIO()) is None

    def eof(prompt: str) -> str:
        raise EOFError

    assert choose(found, ask=eof, out=io.StringIO()) == QUIT
    assert choose(found, ask=lambda prompt: " Q ", out=io.StringIO()) == QUIT


def test_any_session_file_is_offered_whatever_its_name(tmp_path: Path, rulebook: Rulebook) -> None:
    """Not only holdtight-DATE.toml: any .toml or .json whose header says it is a
    holdtight session; other TOML and JSON files in the folder are not read as sessions."""
    started = new_session(rulebook, {"organization": "Riverside"})
    started.answers["system_type"] = "cmo"
    save_session(tmp_path / "riverside.toml", started, rulebook)
    save_session(tmp_path / "board-draft.json", started, rulebook)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (tmp_path / "settings.json").write_text('{"holdtight_like": 1}')
    (tmp_path / "commented.toml").write_text("# a note\n[tool]\nx = 1\n")
    found = unfinished_sessions(tmp_path, rulebook)
    assert sorted(item.path.name for item in found) == ["board-draft.json", "riverside.toml"]


def test_several_sessions_are_asked_for_by_number(tmp_path: Path, rulebook: Rulebook) -> None:
    for name in ("a.toml", "b.toml"):
        started = new_session(rulebook)
        started.answers["system_type"] = "cmo"
        save_session(tmp_path / name, started, rulebook)
    found = unfinished_sessions(tmp_path, rulebook)
    out = io.StringIO()
    prompts: list[str] = []
    picked = choose(found, ask=replying(["3", "2"], prompts), out=out)
    assert picked is found[1]
    assert prompts[0] == "Resume which (1-2), n for new, or q to quit? "
    assert "Type a number from 1 to 2, n or q." in out.getvalue()


def test_q_at_the_offer_leaves_without_starting_anything(
    tmp_path: Path, rulebook: Rulebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    import holdtight.tui
    from holdtight import cli
    from holdtight.commands import interactive

    started = new_session(rulebook)
    started.answers["system_type"] = "cmo"
    save_session(tmp_path / "mine.toml", started, rulebook)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr(interactive, "use_plain", lambda requested: False)
    launched: list[object] = []
    monkeypatch.setattr(holdtight.tui, "run_app", lambda *a, **k: launched.append(a) or 0)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert cli.main(["new"]) == 0
    assert launched == [] and sorted(p.name for p in tmp_path.iterdir()) == before
