"""What a superintendent met driving the TUI (issue 13's walk-through at 80×24, 100×30
and 60×20): each test here failed before its fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from holdtight.model import Rulebook
from holdtight.tui.app import HoldtightApp
from holdtight.tui.screens.question import QuestionScreen
from holdtight.tui.screens.start import StartScreen
from tests.tui.test_tui import make_app, saved


async def test_escape_on_the_first_question_of_a_reopened_session_shows_the_start(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    """A reopened session starts on a question screen, not the start screen: esc on its
    first question crashed (Textual cannot switch away from the first screen)."""
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {"system_type": "cmo"}, organization="Riverside")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")  # from the first unanswered (schools) to system_type
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.question_id == "system_type"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("end", *" Unified", "enter", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.question_id == "system_type"
        assert len(app.screen_stack) == 1  # back to the same screen, not one more
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    assert saved(path)["meta"]["organization"] == "Riverside Unified"


async def test_results_count_not_sure_as_answered_like_the_sections_bar(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    """Every question answered, one of them "not sure": the sections showed ✓ but the
    results said "Answered 34 of 35"."""
    from holdtight.tui.screens.results import ResultsScreen
    from tests.tui.test_tui import complete_answers, static_text

    answers = complete_answers(rulebook)
    answers["need_diversity"] = "unsure"
    app = make_app(rulebook, tmp_path / "s.toml", answers)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        top = static_text(app, "#results-top")
        shown = app.workspace.shown
        given = sum(1 for q in shown if q in answers)
        assert f"Answered {given} of {len(shown)} (1 not sure)" in top
        # Labels, never ids: the posture and the confidence as the report writes them.
        posture = rulebook.posture_text(app.workspace.result.posture_label)
        assert f"Posture: {posture} (" in top and "_" not in top
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        live = static_text(app, "#live")
        assert f"Posture:\n{posture}" in live


async def test_export_names_each_file_on_its_own_line(tmp_path: Path, rulebook: Rulebook) -> None:
    from tests.tui.test_tui import complete_answers

    path = tmp_path / "riverside.toml"
    app = make_app(rulebook, path, complete_answers(rulebook))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
    assert (tmp_path / "riverside.md").exists() and (tmp_path / "riverside.html").exists()
    assert app.history[-1].split("\n") == [
        f"Report written in {tmp_path.resolve()}:",
        "riverside.md",
        "riverside.html",
    ]


async def test_export_asks_before_replacing_a_file_it_did_not_write(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    """A person's own riverside.md was replaced by the report without a word."""
    from holdtight.tui.screens.replace import ReplaceScreen
    from tests.tui.test_tui import complete_answers

    path = tmp_path / "riverside.toml"
    notes = tmp_path / "riverside.md"
    notes.write_text("my notes\n")
    app = make_app(rulebook, path, complete_answers(rulebook))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ReplaceScreen)
        await pilot.press("n")  # keep it: nothing is exported
        await pilot.pause()
        assert notes.read_text() == "my notes\n" and not path.with_suffix(".html").exists()
        assert "riverside.md kept as it was" in app.history[-1]
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert notes.read_text().startswith("# ") and path.with_suffix(".html").exists()
        await pilot.press("e")  # its own reports now: replaced without asking
        await pilot.pause()
        assert not isinstance(app.screen, ReplaceScreen)
        assert app.history[-1].startswith("Report written in")
    # An HTML file of someone else's is not taken for a report either.
    page = tmp_path / "other.html"
    page.write_text("<!DOCTYPE html><p>mine</p>")
    from holdtight.tui.state import not_ours

    assert not_ours(page, "<!DOCTYPE html>") and not not_ours(tmp_path / "none.md", "# x")


async def until(pilot: Pilot[int], condition: Callable[[], bool]) -> bool:
    """The footer is recomposed after a refresh, itself after the bindings or the size
    change: a few turns of the loop (counted, never timed)."""
    for _ in range(50):
        if condition():
            return True
        await pilot.pause()
    return condition()


async def test_the_palettes_key_is_in_the_footer_when_it_fits(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    """ctrl+p opened the palette (sections, export, theme, past notifications) but no key
    said so. At 60 columns "not sure" makes room for it (the hint line says ctrl+u); at
    narrower ones the palette's key is left out rather than cut to a stray "^"."""
    from textual.command import CommandPalette
    from textual.widgets._footer import FooterKey

    def footer(app: HoldtightApp) -> list[str]:
        return [f"{k.key_display} {k.description}" for k in app.screen.query(FooterKey)]

    app = make_app(rulebook, tmp_path / "s.toml", {"system_type": "cmo"})
    async with app.run_test(size=(80, 24)) as pilot:
        assert await until(pilot, lambda: footer(app)[-2:] == ["^q Quit", "^p Commands"])
        assert "^u Not sure" in footer(app)
        await pilot.resize_terminal(60, 20)
        assert await until(pilot, lambda: "^u Not sure" not in footer(app))
        assert footer(app)[-2:] == ["^q Quit", "^p Commands"]
        assert "ctrl+u not sure" in str(app.screen.query_one("#hint").render())
        await pilot.resize_terminal(50, 20)
        assert await until(pilot, lambda: footer(app)[-1:] == ["^q Quit"])
        assert "^p Commands" not in footer(app)
        await pilot.resize_terminal(80, 24)
        assert await until(pilot, lambda: footer(app)[-1:] == ["^p Commands"])
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


async def test_arrows_count_from_the_first_option_on_every_question(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    """The next question reuses the list on screen; it had no option highlighted, so
    ↓ ↓ Enter answered the second option where a fresh list answers the third."""
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path, {"system_type": "cmo", "schools": 12})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.question_id == "autonomy_history"
        await pilot.press("down", "down", "enter")  # the list mounted with the screen
        await pilot.pause()
        assert screen.question_id == "need_diversity"  # the same list, loaded again
        await pilot.press("down", "down", "enter")
        await pilot.pause()
    answers = saved(path)["answers"]
    assert answers["autonomy_history"] == rulebook.questions["autonomy_history"].options[2].id
    assert answers["need_diversity"] == rulebook.questions["need_diversity"].options[2].id


async def test_the_position_line_follows_the_width(tmp_path: Path, rulebook: Rulebook) -> None:
    """Started at 100 columns and narrowed to 60, the line kept the section's long title
    and wrapped; started at 60 it shows the short one."""
    from tests.tui.test_tui import static_text

    app = make_app(rulebook, tmp_path / "s.toml", {"system_type": "cmo"})
    long_title = rulebook.sections[0].title
    short_title = long_title.split(" — ")[0]
    assert short_title != long_title
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert static_text(app, "#position").endswith(long_title)
        await pilot.resize_terminal(60, 20)
        assert await until(pilot, lambda: static_text(app, "#position").endswith(short_title))
        await pilot.resize_terminal(100, 30)
        assert await until(pilot, lambda: static_text(app, "#position").endswith(long_title))


async def test_the_results_table_follows_the_width(tmp_path: Path, rulebook: Rulebook) -> None:
    """Opened at 100 columns and narrowed to 60, the table kept its wide columns and
    Setting and Confidence fell off the screen."""
    from textual.widgets import DataTable

    from tests.tui.test_tui import complete_answers

    app = make_app(rulebook, tmp_path / "s.toml", complete_answers(rulebook))

    def columns() -> list[str]:
        table = app.screen.query_one("#domains", DataTable)
        return [str(column.label) for column in table.columns.values()]

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert columns() == ["Domain", "tight…loose", "Setting", "Confidence"]
        await pilot.press("down", "down")
        await pilot.resize_terminal(60, 20)
        # Short names, a row each, leave room for the spectrum (full titles took two rows
        # each: four domains filled the table); the detail gives the full title.
        table = app.screen.query_one("#domains", DataTable)
        assert await until(
            pilot, lambda: str(table.get_row_at(0)[0]).strip() == rulebook.domains[0].short
        )
        assert columns() == ["Domain", "tight…loose", "Setting", "Confidence"]
        assert table.cursor_row == 2  # the domain picked is still picked
        width = sum(column.get_render_width(table) for column in table.columns.values())
        assert width <= 60
        await pilot.resize_terminal(50, 20)
        assert await until(pilot, lambda: columns() == ["Domain", "Setting", "Confidence"])


async def test_the_start_screen_names_the_rulebook_by_its_title(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    from textual.widgets import Label

    app = make_app(rulebook, tmp_path / "s.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        shown = "\n".join(str(label.render()) for label in app.screen.query(Label))
    assert rulebook.meta.title in shown and f"version {rulebook.version}" in shown
    assert rulebook.id not in shown


async def test_results_say_required_and_optional_unanswered_so_the_counts_add_up(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    """'Answered 33 of 35; 1 required still unanswered' did not add up: one question
    is optional."""
    from holdtight.tui.screens.results import ResultsScreen
    from tests.tui.test_tui import complete_answers, static_text

    answers = complete_answers(rulebook)
    answers.pop("vision_statement", None)  # optional
    answers.pop("schools")  # required
    app = make_app(rulebook, tmp_path / "s.toml", answers)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        top = " ".join(static_text(app, "#results-top").split())
        shown = len(app.workspace.shown)
        assert f"Answered {shown - 2} of {shown}; 1 required still unanswered" in top
        assert "(listed below), 1 optional unanswered" in top


async def test_names_typed_in_one_burst_are_saved_whole_before_the_first_answer(
    tmp_path: Path, rulebook: Rulebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys sent faster than the fields take them (a paste, tmux send-keys): Enter acts
    as it arrives, and the respondent was saved as "Dr." until quitting."""
    import asyncio

    from textual import events
    from textual.keys import _character_to_key

    from holdtight.tui.widgets.answers import LightInput

    taking = LightInput._on_key

    async def slow(self: LightInput, event: events.Key) -> None:
        await asyncio.sleep(0.002)  # a field behind the keys, as on a busy machine
        await taking(self, event)

    monkeypatch.setattr(LightInput, "_on_key", slow)
    path = tmp_path / "s.toml"
    app = make_app(rulebook, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for text in ("Riverside Unified", "Dr. Rivera, Superintendent"):
            for char in text:
                app.post_message(events.Key(_character_to_key(char), char))
            app.post_message(events.Key("enter", "\r"))
        for _ in range(20):
            await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        meta = saved(path)["meta"]  # saved now, not only on quitting
        assert meta == {
            "organization": "Riverside Unified",
            "respondent": "Dr. Rivera, Superintendent",
        }
