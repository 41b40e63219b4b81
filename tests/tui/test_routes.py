"""Issue 11: what is typed is kept whichever way the field is left; ctrl+u everywhere;
fast typing; quitting early leaves no file; the start screen is one esc away."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from holdtight.model import Rulebook
from holdtight.tui.app import HoldtightApp
from holdtight.tui.screens.question import QuestionScreen
from holdtight.tui.screens.start import StartScreen
from tests.tui.test_tui import make_app, saved

# "schools" is the number question after system_type; its screen opens first here.
ROUTES = ["tab", "ctrl+n", "ctrl+b", "escape", "ctrl+g", "ctrl+r", "ctrl+q", "enter"]


@pytest.mark.parametrize("route", ROUTES)
async def test_typed_number_is_kept_by_every_route(
    tmp_path: Path, rulebook: Rulebook, route: str
) -> None:
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {"system_type": "cmo"})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.question_id == "schools"
        await pilot.press(*"37", route)
        await pilot.pause()
    assert saved(path)["answers"]["schools"] == 37


@pytest.mark.parametrize("route", ROUTES)
async def test_note_is_kept_by_every_route(tmp_path: Path, rulebook: Rulebook, route: str) -> None:
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {"system_type": "cmo"})
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#note", Input).focus()
        await pilot.press(*"Two campuses", route)
        await pilot.pause()
    assert saved(path)["notes"]["schools"] == "Two campuses"


async def test_note_is_kept_when_the_app_closes(tmp_path: Path, rulebook: Rulebook) -> None:
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {"system_type": "cmo"})
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#note", Input).focus()
        await pilot.press(*"closing")
        app.hang_up()  # what SIGHUP (the terminal closing) runs
        await pilot.pause()
    assert saved(path)["notes"]["schools"] == "closing"


@pytest.mark.parametrize("route", ["tab", "ctrl+q"])
async def test_organization_is_kept(tmp_path: Path, rulebook: Rulebook, route: str) -> None:
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Riverside", route)
        await pilot.pause()
    assert saved(path)["meta"]["organization"] == "Riverside"


async def test_quitting_before_typing_leaves_no_file(tmp_path: Path, rulebook: Rulebook) -> None:
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    assert not path.exists()


@pytest.mark.parametrize("answers", [{}, {"system_type": "cmo"}])
async def test_ctrl_u_answers_not_sure_with_focus_in_an_input(
    tmp_path: Path, rulebook: Rulebook, answers: dict[str, str]
) -> None:
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, answers)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        qid = screen.question_id
        await pilot.press("3", "ctrl+u") if qid == "schools" else await pilot.press("ctrl+u")
        await pilot.pause()
    assert saved(path)["answers"][qid] == "unsure"


async def test_fast_digits_stay_in_the_number_field(tmp_path: Path, rulebook: Rulebook) -> None:
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {})
    async with app.run_test(size=(80, 24)) as pilot:
        # "2" answers system_type; "4", "2" and Enter belong to the number question next.
        for key in ["2", "4", "2", "enter"]:
            await pilot.press(key)
            await pilot.pause(0.02)
    answers = saved(path)["answers"]
    assert answers["system_type"] == "cmo" and answers["schools"] == 42
    assert "autonomy_history" not in answers


async def test_escape_on_the_first_question_returns_to_start(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    app = make_app(rulebook, tmp_path / "s.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)


def option_text(choice: OptionList, index: int, width: int = 200) -> str:
    """An option as it reads on screen, at a width."""
    from holdtight.reports.terminal import render_text

    return render_text(choice.get_option_at_index(index).prompt, width=width).rstrip()


async def test_multi_choice_boxes_read_without_colour(
    tmp_path: Path, rulebook: Rulebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    multi = next(q for q in rulebook.questions.values() if q.kind == "multi")
    app = make_app(rulebook, tmp_path / "s.toml", {})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        await screen.show_question(multi.id)
        await pilot.press("1")
        await pilot.pause()
        choice = screen.query_one("#choice", OptionList)
        first = option_text(choice, 0)
        second = option_text(choice, 1)
        assert first.startswith("[x]") and second.startswith("[ ]")
        assert "Enter to confirm" in str(screen.query_one("#hint").render())


async def test_domain_detail_names_questions_by_label_never_by_id(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    from holdtight.engine import score
    from holdtight.reports.terminal import domain_detail_renderable, render_text
    from holdtight.tui.screens.results import ResultsScreen
    from tests.tui.test_tui import complete_answers, static_text

    answers = complete_answers(rulebook)
    ids = [qid for qid in rulebook.questions if "_" in qid]
    option_ids = [o.id for q in rulebook.questions.values() for o in q.options if "_" in o.id]
    ids += [*option_ids, "lean_tight", "lean_loose", "more_centralized"]
    # Every domain's detail, as the TUI draws it (the outline's renderable) …
    result = score(rulebook, answers)
    for domain in rulebook.domains:
        shown = render_text(domain_detail_renderable(rulebook, result, domain.id), width=100)
        assert not [word for word in ids if word in shown], shown
    # … and on screen, opened from the results, for the first two.
    app = make_app(rulebook, tmp_path / "s.toml", answers)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(2):
            assert isinstance(app.screen, ResultsScreen)
            await pilot.press("enter")
            await pilot.pause()
            shown = static_text(app, "#domain-text")
            assert not [word for word in ids if word in shown], shown
            await pilot.press("escape", "down")
            await pilot.pause()


def test_short_label_is_derived_when_not_written() -> None:
    from holdtight.rulebook.build import derived_short_label

    assert derived_short_label("How many schools are in the system?") == (
        "How many schools are in the system"
    )
    long = "Is there a common instructional framework that every school's design must meet?"
    assert derived_short_label(long).endswith("…") and len(derived_short_label(long)) <= 41


async def test_palette_has_the_apps_commands_and_notifications_come_back(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    from holdtight.tui.screens.results import ResultsScreen

    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {"system_type": "cmo"})
    async with app.run_test(size=(80, 24)) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for wanted in ["Results", "Export report", "Theme", "Show notifications again"]:
            assert wanted in titles
        assert any(title.startswith("Go to section: ") for title in titles)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.history and "Saved to" in app.history[-1]
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Results")
        command.callback()
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        last_section = rulebook.sections[-1]
        go = next(
            c for c in app.get_system_commands(app.screen) if c.title.endswith(last_section.title)
        )
        go.callback()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        assert rulebook.questions[screen.question_id].section == last_section.id


def test_quit_prints_the_file_and_the_command_that_reopens_it(
    tmp_path: Path,
    rulebook: Rulebook,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import holdtight.tui as tui_app
    from holdtight.sessionfile import new_session
    from holdtight.tui.app import HoldtightApp

    path = tmp_path / "s.toml"
    monkeypatch.setattr(HoldtightApp, "run", lambda self: path.write_text("") or 0)
    assert tui_app.run_app(rulebook, new_session(rulebook), path, is_new=True) == 0
    out = capsys.readouterr().out
    assert f"Saved to {path}" in out and f"holdtight open {path}" in out


async def test_control_characters_are_not_shown_and_not_rewritten(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    from holdtight.sessionfile import load_session

    path = tmp_path / "s.toml"
    path.write_text(
        '[holdtight]\nrulebook_version = "2.0.0"\n'
        '[answers]\nsystem_type = "cmo"\n'
        '[notes]\nschools = "two\\u001b[2J [b]lines[/b]\\nhere"\n'
    )
    app = HoldtightAppFor(rulebook, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = app.screen.query_one("#note", Input).value
        assert "\x1b" not in shown and "\n" not in shown and "[b]lines[/b]" in shown
        await pilot.press("ctrl+n", "ctrl+b", "ctrl+q")
    assert load_session(path, rulebook).notes["schools"] == "two\x1b[2J [b]lines[/b]\nhere"


def HoldtightAppFor(rulebook: Rulebook, path: Path) -> HoldtightApp:
    from holdtight.sessionfile import load_session

    return HoldtightApp(rulebook, load_session(path, rulebook, unknown="keep"), path, is_new=False)
