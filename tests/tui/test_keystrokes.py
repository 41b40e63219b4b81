"""What a key costs: moving between questions keeps the answer widget and the footer
instead of rebuilding them (the footer was rebuilt two to nine times per answer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from holdtight.model import Question, Rulebook
from holdtight.tui.screens.question import QuestionScreen
from holdtight.tui.widgets.footer import KeysFooter
from tests.tui.test_readability import option_lines
from tests.tui.test_tui import make_app, saved


async def footer_built(pilot: Pilot[int]) -> None:
    """Wait until the footer has been built once (it is, after the first refresh)."""
    for _ in range(20):
        await pilot.pause()
        if pilot.app.screen.query("FooterKey"):
            break
    await pilot.pause()


def choice_run(rulebook: Rulebook) -> list[str]:
    """Three single-choice questions shown one after another from the start."""
    shown = list(rulebook.questions)
    for i in range(len(shown) - 2):
        run = shown[i : i + 3]
        if all(rulebook.questions[q].kind == "single" for q in run):
            return run
    raise AssertionError("no three single-choice questions in a row")


async def test_answers_keep_the_widget_and_the_footer(
    tmp_path: Path, rulebook: Rulebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebuilt: list[KeysFooter] = []
    recompose = KeysFooter.recompose

    async def counted(self: KeysFooter) -> None:
        rebuilt.append(self)
        await recompose(self)

    monkeypatch.setattr(KeysFooter, "recompose", counted)
    first, second, third = choice_run(rulebook)
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        await screen.show_question(first)
        await footer_built(pilot)
        choice = screen.query_one("#choice", OptionList)
        rebuilt.clear()
        await pilot.press("1")
        await pilot.press("1")
        await pilot.pause()
        assert screen.question_id != first and screen.question_id != second
        assert rebuilt == []
        assert screen.query_one("#choice", OptionList) is choice  # the same widget
        labels = [o.label for o in rulebook.questions[screen.question_id].options]
        assert option_lines(choice, 0, 200)[0].strip() == f"1. {labels[0]}"
        assert choice.highlighted == 0  # the first option, as on a new list (test_qa.py)
        assert screen.query(KeysFooter).first().query("FooterKey")  # still shows its keys
        answers = saved(path)["answers"]
        assert answers[first] == rulebook.questions[first].options[0].id
        assert answers[second] == rulebook.questions[second].options[0].id
        assert third


async def test_going_back_shows_the_answer_given(tmp_path: Path, rulebook: Rulebook) -> None:
    first, second, _ = choice_run(rulebook)
    app = make_app(rulebook, tmp_path / "s.toml", {})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        await screen.show_question(first)
        await pilot.press("2", "escape")
        await pilot.pause()
        assert screen.question_id == first
        choice = screen.query_one("#choice", OptionList)
        assert choice.highlighted == 1
        assert option_lines(choice, 1, 200)[0].startswith("● 2. ")
        assert not option_lines(choice, 0, 200)[0].startswith("●")
        assert second


@pytest.mark.parametrize("field", ["note", "typed"])
async def test_a_keystroke_lays_nothing_out_again(
    tmp_path: Path, rulebook: Rulebook, monkeypatch: pytest.MonkeyPatch, field: str
) -> None:
    """Typing in the note or a number redraws the field, and no layout of the screen."""
    from textual.widget import Widget

    layouts: list[Widget] = []
    refresh = Widget.refresh

    def counted(self: Widget, *regions: object, layout: bool = False, **options: bool) -> Widget:
        if layout:
            layouts.append(self)
        return refresh(self, *regions, layout=layout, **options)  # type: ignore[arg-type]

    app = make_app(rulebook, tmp_path / "s.toml", {"system_type": "cmo"})
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, QuestionScreen) and app.screen.question_id == "schools"
        if field == "note":
            await pilot.press("tab")
        await footer_built(pilot)
        assert app.focused is not None and app.focused.id == field
        monkeypatch.setattr(Widget, "refresh", counted)
        await pilot.press(*"1234567")
        await pilot.pause()
        monkeypatch.undo()
        assert layouts == []


async def test_a_long_note_still_scrolls_to_the_cursor(tmp_path: Path, rulebook: Rulebook) -> None:
    from textual.widgets import Input

    app = make_app(rulebook, tmp_path / "s.toml", {})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("tab")
        text = "".join(chr(ord("A") + i % 26) for i in range(120))
        await pilot.press(*text)
        await pilot.pause()
        note = app.screen.query_one("#note", Input)
        assert note.value == text and note.scroll_x > 0
        assert note.render_line(0).text.rstrip().endswith(text[-10:])
        await pilot.press("home")
        await pilot.pause()
        assert note.scroll_x == 0 and note.render_line(0).text.startswith(text[:10])


async def test_a_multiple_choice_shown_again_shows_what_is_stored(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    """Showing a question again (after a reload, say) reuses the widget and shows the
    stored answer, not boxes ticked and never confirmed."""
    multi = next(q for q in rulebook.questions.values() if q.kind == "multi")
    app = make_app(rulebook, tmp_path / "s.toml", {multi.id: [multi.options[1].id]})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        await screen.show_question(multi.id)
        choice = screen.query_one("#choice", OptionList)
        await pilot.press("1")
        assert option_lines(choice, 0, 200)[0].startswith("[x]")
        await screen.show_question(multi.id)
        await pilot.pause()
        assert screen.query_one("#choice", OptionList) is choice
        assert option_lines(choice, 0, 200)[0].startswith("[ ]")
        assert option_lines(choice, 1, 200)[0].startswith("[x]")


def _all_but_the_multiple_choice(rulebook: Rulebook) -> tuple[Question, dict[str, Any]]:
    """The multiple-choice question, and answers to every other (the app opens on it)."""
    from tests.tui.test_tui import complete_answers

    multi = next(q for q in rulebook.questions.values() if q.kind == "multi")
    return multi, {k: v for k, v in complete_answers(rulebook).items() if k != multi.id}


@pytest.mark.parametrize("leave", ["ctrl+n", "escape", "ctrl+r", "ctrl+q"])
async def test_ticks_not_confirmed_with_enter_are_kept_when_the_question_is_left(
    tmp_path: Path, rulebook: Rulebook, leave: str
) -> None:
    # A second new-user trial ticked [x] 1 and [x] 3, pressed ctrl+n (or quit), and the
    # file kept nothing: the ticks on the screen are the answer, however it is left.
    multi, answers = _all_but_the_multiple_choice(rulebook)
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, answers)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.question_id == multi.id  # type: ignore[attr-defined]
        await pilot.press("1", "3")
        await pilot.press(leave)
        await pilot.pause()
        ticked = [multi.options[0].id, multi.options[2].id]
        assert app.workspace.session.answers.get(multi.id) == ticked
    assert saved(path)["answers"][multi.id] == ticked


async def test_not_sure_after_ticks_is_not_sure_and_unticking_all_takes_the_answer_back(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    # A third trial: ticking 3 then ctrl+u stored the tick, not "not sure"; unticking a
    # stored answer's every option and leaving stored [] ("none of these"), which the
    # screen showed as it shows an unanswered question.
    multi, answers = _all_but_the_multiple_choice(rulebook)
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, answers)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("3", "ctrl+u")
        await pilot.pause()
        assert app.workspace.session.answers.get(multi.id) == "unsure"
    stored = [multi.options[0].id, multi.options[1].id]
    app = make_app(rulebook, path, {**answers, multi.id: stored})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        if not isinstance(screen, QuestionScreen):  # all answered: the results show
            await pilot.press("escape")
            await pilot.pause()
            screen = app.screen
        assert isinstance(screen, QuestionScreen)
        await screen.show_question(multi.id)
        await pilot.pause()
        await pilot.press("1", "2", "ctrl+n")
        await pilot.pause()
        assert multi.id not in app.workspace.session.answers
    assert multi.id not in saved(path)["answers"]
