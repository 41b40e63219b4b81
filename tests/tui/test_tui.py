from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static

from holdtight.model import Rulebook
from holdtight.reports.terminal import render_text
from holdtight.sessionfile import load_session, new_session, save_session
from holdtight.tui.app import HoldtightApp
from holdtight.tui.screens.question import QuestionScreen
from holdtight.tui.screens.results import ResultsScreen
from holdtight.tui.screens.start import StartScreen


def make_app(
    rulebook: Rulebook, path: Path, answers: dict[str, Any] | None = None, **meta: str
) -> HoldtightApp:
    session = new_session(rulebook, meta or None)
    if answers is not None:
        session.answers.update(answers)
        save_session(path, session, rulebook)
        session = load_session(path, rulebook, unknown="keep")
        return HoldtightApp(rulebook, session, path, is_new=False)
    return HoldtightApp(rulebook, session, path, is_new=True)


def saved(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text())


def static_text(app: HoldtightApp, selector: str) -> str:
    """What a Static shows, as plain text at a fixed width (Text or any Rich renderable)."""
    content = app.screen.query_one(selector, Static).content
    if isinstance(content, str):
        return content
    return render_text(content, width=200)


async def test_start_screen_enter_moves_then_starts(tmp_path: Path, rulebook: Rulebook) -> None:
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, StartScreen)
        await pilot.press(*"Riverside", "enter")
        assert app.focused is not None and app.focused.id == "respondent"
        await pilot.press(*"CAO", "enter")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.question_id == "system_type"
    assert saved(path)["meta"] == {"organization": "Riverside", "respondent": "CAO"}


async def test_a_burst_of_keys_on_the_start_screen_fills_each_field(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    """A paste or a fast typist: every key is queued before the first is handled."""
    from textual import events

    path = tmp_path / "s.toml"
    app = make_app(rulebook, path)
    names = {" ": "space", "\t": "tab", "\r": "enter"}
    async with app.run_test(size=(80, 24)) as pilot:
        for char in "Org A\tResp B\r":
            app.post_message(events.Key(names.get(char, char), char))
        for _ in range(5):
            await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
    assert saved(path)["meta"] == {"organization": "Org A", "respondent": "Resp B"}


async def test_digits_answer_and_autosave_after_each(tmp_path: Path, rulebook: Rulebook) -> None:
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.question_id == "system_type"
        await pilot.press("2")
        assert saved(path)["answers"] == {"system_type": "cmo"}
        assert screen.question_id == "schools"
        await pilot.press(*"42", "enter")
        assert saved(path)["answers"]["schools"] == 42
        await pilot.press("5")  # autonomy_history: 4 = not sure, 5 does not exist
        assert screen.question_id == "autonomy_history"
        await pilot.press("4")
        assert saved(path)["answers"]["autonomy_history"] == "unsure"
        assert "4 of 35" in static_text(app, "#position")


async def test_invalid_number_is_shown_inline_and_not_saved(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {"system_type": "cmo"})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.question_id == "schools"
        await pilot.press(*"5000", "enter")
        assert "above the maximum 2000" in static_text(app, "#error")
        assert "schools" not in saved(path)["answers"]
        assert screen.question_id == "schools"
        app.screen.query_one("#typed", Input).value = ""
        await pilot.press("enter")
        assert "Type an answer" in static_text(app, "#error")


async def test_multi_toggles_with_digits_and_enter_confirms(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {"outcomes": "goals"})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        await screen.show_question("aims")
        await pilot.press("1", "3", "enter")
        assert saved(path)["answers"]["aims"] == ["targeted_instruction", "equity_of_access"]
        assert screen.question_id == "model_confidence"


async def test_conditional_question_appears_and_disappears(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {"partners": "none"})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        assert "knowledge_transfer" not in app.workspace.shown
        await screen.show_question("partners")
        await pilot.press("2")  # some
        assert screen.question_id == "knowledge_transfer"
        assert "of 35" in static_text(app, "#position")
        await pilot.press("ctrl+b")
        await pilot.press("1")  # none again
        assert screen.question_id == "budget_discretion"
        assert "of 34" in static_text(app, "#position")


async def test_live_panel_updates_and_highlights_the_moved_domain(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {"system_type": "cmo"})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        await screen.show_question("procurement")
        await pilot.press("1")  # ad hoc: technology moves tighter
        assert "technology" in screen.moved


async def test_reopen_resumes_at_first_unanswered(tmp_path: Path, rulebook: Rulebook) -> None:
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {"system_type": "cmo", "schools": 5, "retired": "kept"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.question_id == "autonomy_history"
        await pilot.press("1")
    assert saved(path)["answers"]["retired"] == "kept"


async def test_reopen_complete_session_shows_results(tmp_path: Path, rulebook: Rulebook) -> None:
    import random

    from holdtight.rulecheck import random_answers

    answers = random_answers(rulebook, random.Random(3), unsure=0)
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, answers)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        table = app.screen.query_one("#domains", DataTable)
        assert table.row_count == 13
        assert "Why" in static_text(app, "#detail-text")
        assert "Guard rails" not in static_text(app, "#detail-text")
        await pilot.press("enter")  # the domain, full size
        await pilot.pause()
        assert "Guard rails" in static_text(app, "#domain-text")
        assert "Other answers that would change it" in static_text(
            app, "#domain-text"
        ) or "What a leader can change" in static_text(app, "#domain-text")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("down")
        assert "Instructional model" in static_text(app, "#detail-text")
        await pilot.press("e")
        await pilot.pause()
    assert path.with_suffix(".md").exists() and path.with_suffix(".html").exists()
    assert (path.with_suffix(".html").stat().st_mode & 0o777) == 0o600


async def test_results_jump_back_to_a_question(tmp_path: Path, rulebook: Rulebook) -> None:
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {"system_type": "cmo"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("c", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        # Unanswered required questions come first in the list, the first one first.
        assert screen.question_id == "schools"
        await pilot.press(*"12", "enter")
        await pilot.pause()
        # Back on the results (not the next question), the change stored.
        assert isinstance(app.screen, ResultsScreen)
        assert saved(path)["answers"]["schools"] == 12
        await pilot.press("c")  # the list still has focus: c opens its highlighted question
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.question_id == "autonomy_history"
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        marked = [key.value for key in app.screen.query_one("#domains", DataTable).rows]
        assert app.moved and set(app.moved) <= set(marked)
        assert "▶" in static_text(app, "#results-top")


async def test_quit_exits_zero_and_saves(tmp_path: Path, rulebook: Rulebook) -> None:
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    assert path.exists()


async def test_reopening_and_quitting_without_a_change_leaves_the_file_as_it_was(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    """Quitting re-saved the file, moving its "updated" date (and a report's) though
    nothing had changed; a change is still saved."""
    path = tmp_path / "s.toml"
    make_app(rulebook, path, {"system_type": "cmo"})  # written once
    text = path.read_text(encoding="utf-8")
    assert "\nupdated = " in text
    path.write_text(re.sub(r"\nupdated = .*", "\nupdated = 2020-01-02T03:04:05Z", text))
    before = path.read_bytes()
    session = load_session(path, rulebook, unknown="keep")
    app = HoldtightApp(rulebook, session, path, is_new=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+r", "escape", "ctrl+q")
    assert app.return_code == 0 and path.read_bytes() == before
    app = HoldtightApp(rulebook, load_session(path, rulebook, unknown="keep"), path, is_new=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"12", "enter", "ctrl+q")
    assert saved(path)["answers"]["schools"] == 12 and path.read_bytes() != before


async def test_unsure_key_and_notes(tmp_path: Path, rulebook: Rulebook) -> None:
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+u")
        assert saved(path)["answers"]["system_type"] == "unsure"
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        app.screen.query_one("#note", Input).focus()
        await pilot.press(*"Three alt schools", "enter")
        assert saved(path)["notes"] == {"schools": "Three alt schools"}


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


SIZES = [(80, 24), (100, 30), (60, 20)]


def complete_answers(rulebook: Rulebook) -> dict[str, Any]:
    import random

    from holdtight.rulecheck import random_answers

    return random_answers(rulebook, random.Random(7), unsure=0)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_start(
    snap_compare: Any, in_tmp: Path, rulebook: Rulebook, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(rulebook, Path("session.toml")), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_question(
    snap_compare: Any, in_tmp: Path, rulebook: Rulebook, size: tuple[int, int]
) -> None:
    app = make_app(rulebook, Path("session.toml"), {"system_type": "cmo", "schools": 12})
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_multi_choice(
    snap_compare: Any, in_tmp: Path, rulebook: Rulebook, size: tuple[int, int]
) -> None:
    multi = next(q for q in rulebook.questions.values() if q.kind == "multi")
    answers = {k: v for k, v in complete_answers(rulebook).items() if k != multi.id}
    app = make_app(rulebook, Path("session.toml"), answers)
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_results(
    snap_compare: Any, in_tmp: Path, rulebook: Rulebook, size: tuple[int, int]
) -> None:
    app = make_app(rulebook, Path("session.toml"), complete_answers(rulebook))
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_domain_detail(
    snap_compare: Any, in_tmp: Path, rulebook: Rulebook, size: tuple[int, int]
) -> None:
    app = make_app(rulebook, Path("session.toml"), complete_answers(rulebook))
    assert snap_compare(app, press=["enter"], terminal_size=size)


@pytest.mark.parametrize(("key", "expected"), [("k", "cmo"), ("r", "network")])
async def test_file_changed_on_disk_is_not_overwritten_silently(
    tmp_path: Path, rulebook: Rulebook, key: str, expected: str
) -> None:
    from holdtight.tui.screens.conflict import ConflictScreen

    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {"system_type": "cmo"})
    async with app.run_test(size=(80, 24)) as pilot:
        path.write_text(path.read_text().replace('"cmo"', '"network"') + "\n# edited elsewhere\n")
        await pilot.press(*"12", "enter")  # schools
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        assert "edited elsewhere" in path.read_text()  # not overwritten yet
        await pilot.press(key)  # keep mine, or reload theirs
        await pilot.pause()
        assert not isinstance(app.screen, ConflictScreen)
        assert app.workspace.session.answers["system_type"] == expected
        await pilot.press("ctrl+q")
    data = saved(path)
    assert data["answers"]["system_type"] == expected
    assert ("schools" in data["answers"]) == (key == "k")


def test_open_cleans_stale_temp_files_and_refuses_missing(
    tmp_path: Path, rulebook: Rulebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    import holdtight.tui as tui_app
    from holdtight import cli
    from holdtight.commands import interactive

    path = tmp_path / "s.toml"
    save_session(path, new_session(rulebook), rulebook)
    stale = tmp_path / ".s.toml.x1y2.tmp"
    stale.write_text("half a file")
    calls: list[Path] = []
    monkeypatch.setattr(tui_app, "run_app", lambda rb, session, p, is_new: calls.append(p) or 0)
    # Under pytest there is no terminal: say there is one, so the TUI (not plain mode) runs.
    monkeypatch.setattr(interactive, "use_plain", lambda requested: requested)
    assert cli.main(["open", str(path)]) == 0
    assert calls == [path] and not stale.exists()
    assert cli.main(["open", str(tmp_path / "missing.toml")]) == 1
    assert cli.main(["new", str(path)]) == 2  # exists: refuses to clobber


async def test_changed_rulebook_keeps_old_answers_and_says_so(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        '[holdtight]\nrulebook = "tight-loose-blended"\nrulebook_version = "0.9.0"\n'
        '[answers]\nsystem_type = "cmo"\nold_question = 3\nprocurement = "retired_option"\n'
    )
    session = load_session(path, rulebook, unknown="keep")
    assert session.unknown == {"old_question": 3, "procurement": "retired_option"}
    assert any("version 0.9.0" in w for w in session.warnings)
    assert any("procurement" in w and "kept" in w for w in session.warnings)
    app = HoldtightApp(rulebook, session, path, is_new=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("7", "enter")  # schools, the first unanswered question
    data = saved(path)
    assert (
        data["answers"]["old_question"] == 3 and data["answers"]["procurement"] == "retired_option"
    )
    assert data["answers"]["schools"] == 7
    # The file still says which rulebook the kept answers came from, so it stays readable.
    assert data["holdtight"]["rulebook_version"] == "0.9.0"
    again = load_session(path, rulebook)
    assert again.unknown == {"old_question": 3, "procurement": "retired_option"}


async def test_hostile_text_is_shown_as_text(tmp_path: Path, rulebook: Rulebook) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        '[holdtight]\nrulebook_version = "0.1"\n'
        '[meta]\norganization = "[/bold] \\u001b[2J [link=http://x]Org[/link]"\n'
        '[answers]\n"[/red]boom" = 1\nsystem_type = "cmo"\n'
        '[notes]\nsystem_type = "[b]not bold[/b]"\n'
    )
    session = load_session(path, rulebook, unknown="keep")
    app = HoldtightApp(rulebook, session, path, is_new=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("ctrl+b")
        assert app.screen.query_one("#note", Input).value == "[b]not bold[/b]"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
    assert saved(path)["answers"]["[/red]boom"] == 1


async def test_no_color_is_respected(
    tmp_path: Path, rulebook: Rulebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(rulebook, tmp_path / "s.toml", {})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color
