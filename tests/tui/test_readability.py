"""What a new user's trial at 80×24 and 60×20 found hard to read, and start-up."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from holdtight.model import Rulebook
from holdtight.reports.terminal import render_text
from holdtight.sessionfile import load_session, new_session, save_session
from holdtight.tui.screens.question import QuestionScreen, sections_bar
from holdtight.tui.widgets.live import live_text
from tests.tui.test_tui import make_app, saved, static_text


def option_lines(choice: OptionList, index: int, width: int) -> list[str]:
    return render_text(choice.get_option_at_index(index).prompt, width=width).split("\n")


async def test_scale_options_show_the_number_once(tmp_path: Path, rulebook: Rulebook) -> None:
    scale = next(q for q in rulebook.questions.values() if q.kind == "scale")
    app = make_app(rulebook, tmp_path / "s.toml", {})
    async with app.run_test(size=(80, 24)):
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        await screen.show_question(scale.id)
        choice = screen.query_one("#choice", OptionList)
        first = option_lines(choice, 0, 200)[0].strip()
        label = scale.labels["1"]
        assert first == f"1. {label[:1].upper()}{label[1:]}"


async def test_wrapped_option_lines_are_indented_under_their_label(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    app = make_app(rulebook, tmp_path / "s.toml", {})
    async with app.run_test(size=(80, 24)):
        choice = app.screen.query_one("#choice", OptionList)
        long = max(range(choice.option_count), key=lambda i: len(option_lines(choice, i, 200)[0]))
        lines = option_lines(choice, long, 30)
        assert len(lines) > 1
        label_column = lines[0].index(". ") + 2
        for line in lines[1:]:
            assert line[:label_column].strip() == "" and line[label_column] != " "


async def test_a_number_error_goes_once_the_number_is_fixed(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    app = make_app(rulebook, tmp_path / "s.toml", {"system_type": "cmo"})
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, QuestionScreen) and app.screen.question_id == "schools"
        await pilot.press(*"5000", "enter")
        assert "maximum" in static_text(app, "#error")
        await pilot.press("0")  # still too many: the message stays
        await pilot.pause()
        assert "maximum" in static_text(app, "#error")
        await pilot.press("backspace", "backspace")
        await pilot.pause()
        assert static_text(app, "#error") == ""
        await pilot.press("enter")
        assert saved(tmp_path / "s.toml")["answers"]["schools"] == 500


def test_sections_bar_shortens_to_words_never_to_letters() -> None:
    rows = [(True, "Context", "0/11"), (False, "Vision", "0/12"), (False, "Capacity", "0/11")]
    wide = sections_bar(rows, 78).plain
    assert "Context 0/11" in wide and "Vision 0/12" in wide and "Capacity 0/11" in wide
    rows = [
        (False, "Context", "✓"),
        (True, "Vision and aims", "3/12"),
        (False, "Capacity now", "0/11"),
    ]
    narrow = sections_bar(rows, 51).plain
    assert "Vision and aims 3/12" in narrow and "Capacity 0/11" in narrow
    tiny = sections_bar(rows, 40).plain
    assert "Vision and aims 3/12" in tiny and "Capa " not in tiny and "0/11" in tiny


async def test_sections_and_quit_fit_at_60_columns(tmp_path: Path, rulebook: Rulebook) -> None:
    app = make_app(rulebook, tmp_path / "s.toml", {})
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        bar = static_text(app, "#sections")
        for section in rulebook.sections:
            assert section.title.split(" — ")[0] in bar
        from textual.widgets._footer import FooterKey

        for _ in range(10):  # the footer composes its keys after a refresh
            quit_key = [key for key in app.screen.query(FooterKey) if key.description == "Quit"]
            if quit_key:
                break
            await pilot.pause()
        assert quit_key and quit_key[0].region.width > 0 and quit_key[0].region.right <= 60


def test_live_panel_names_fit_at_80_columns(tmp_path: Path, rulebook: Rulebook) -> None:
    from holdtight.tui.state import Workspace

    path = tmp_path / "s.toml"
    save_session(path, new_session(rulebook), rulebook)
    ws = Workspace(rulebook, load_session(path, rulebook), path)
    text = live_text(ws, [], name_width=16).plain
    for domain in rulebook.domains:
        assert domain.short in text


async def test_the_collector_is_off_until_the_first_paint(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    from holdtight.tui import make_app as start_app

    path = tmp_path / "s.toml"
    save_session(path, new_session(rulebook), rulebook)
    try:
        app = start_app(rulebook, load_session(path, rulebook), path, is_new=False)
        assert not gc.isenabled()
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(20):
                await pilot.pause()
                if gc.isenabled():
                    break
            assert gc.isenabled()
    finally:
        gc.enable()


def test_wrapped_bullets_in_a_domains_detail_hang_under_their_text(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    from holdtight.engine import score
    from holdtight.reports.terminal import domain_detail_renderable
    from holdtight.tui.text import hang_bullets

    result = score(rulebook, {})
    detail = hang_bullets(domain_detail_renderable(rulebook, result, rulebook.domains[0].id))
    lines = render_text(detail, width=40).split("\n")
    bullets = [n for n, line in enumerate(lines) if line.startswith("  • ")]
    assert bullets
    wrapped = [
        lines[n + 1]
        for n in bullets
        if n + 1 < len(lines) and lines[n + 1].strip() and not lines[n + 1].startswith("  • ")
    ]
    assert wrapped and all(line.startswith("    ") for line in wrapped)


async def test_the_start_screen_fits_60_by_20(
    tmp_path: Path, rulebook: Rulebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.containers import Vertical

    monkeypatch.chdir(tmp_path)  # a short path on the screen, whatever the temp folder
    app = make_app(rulebook, Path("s.toml"))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#start-box", Vertical)
        assert box.region.bottom <= 19  # above the footer, nothing scrolled away
        title = app.screen.query(".title").first()
        assert title.region.height >= 1 and title.region.right <= box.region.right


def test_the_command_starts_the_tui_with_the_collector_off_and_leaves_it_on(
    tmp_path: Path, rulebook: Rulebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    import holdtight.tui
    from holdtight import cli
    from holdtight.commands import interactive

    path = tmp_path / "s.toml"
    save_session(path, new_session(rulebook), rulebook)
    seen: list[bool] = []
    monkeypatch.setattr(
        holdtight.tui, "run_app", lambda *args, **kwargs: seen.append(gc.isenabled()) or 0
    )
    monkeypatch.setattr(interactive, "use_plain", lambda requested: requested)
    assert cli.main(["open", str(path)]) == 0
    assert seen == [False] and gc.isenabled()
    assert cli.main(["open", str(tmp_path / "missing.toml")]) == 1
    assert gc.isenabled()


@pytest.mark.parametrize(("size", "legend"), [((60, 20), False), ((80, 24), True)])
async def test_the_live_panel_shows_the_posture_on_a_short_terminal(
    tmp_path: Path, rulebook: Rulebook, size: tuple[int, int], legend: bool
) -> None:
    # At 60×20 the posture, the panel's last lines, was cut off below Engagement: the
    # title and legend give way first (most useful kept), the domains and posture stay.
    app = make_app(rulebook, tmp_path / "s.toml", {})
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        panel = app.screen.query_one("#live")
        lines = [line.rstrip() for line in render_text(panel.render(), width=40).split("\n")]
        shown = [line for line in lines if line][: panel.content_size.height]
        posture = rulebook.posture_text(app.workspace.result.posture_label)
        assert shown[-2:] == ["Posture:", posture]
        assert sum(d.short in "\n".join(shown) for d in rulebook.domains) == len(rulebook.domains)
        assert len(lines) <= panel.content_size.height + 1  # + the text's closing newline
        assert ("reversed = just moved" in lines) is legend
        assert "● on tight◀─▶loose" in lines


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_a_long_option_list_scrolls_with_its_card_one_scrollbar(
    tmp_path: Path, rulebook: Rulebook, size: tuple[int, int]
) -> None:
    # At 60×20 the first question showed two scrollbars, the list's inside the card's:
    # the options are drawn at their full height, and the card follows the highlight.
    app = make_app(rulebook, tmp_path / "s.toml", {})
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen, card, choice = _card_and_choice(app)
        assert not choice.show_vertical_scrollbar
        assert screen.query_one("#hint").region.y >= card.region.y  # the hint in sight

        def highlight_in_sight() -> bool:
            line = choice._index_to_line[choice.highlighted or 0]
            top = choice.region.y + line
            bottom = top + choice._heights[choice.highlighted or 0]
            return card.region.y <= top and bottom <= card.region.bottom

        for _ in range(choice.option_count - 1):
            await pilot.press("down")
            await pilot.pause()
            assert highlight_in_sight(), choice.highlighted
        for _ in range(choice.option_count - 1):
            await pilot.press("up")
            await pilot.pause()
            assert highlight_in_sight(), choice.highlighted
        assert choice.highlighted == 0


async def test_after_a_resize_the_options_keep_one_scrollbar_and_the_highlight_in_sight(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    # 60x20 -> 100x18 gave the list a scrollbar of its own again (its height worked out
    # at its full width, then two columns narrower with the scrollbar it took for a
    # moment); the highlighted last option went out of sight, also when the resize
    # happened while the results were up.
    app = make_app(rulebook, tmp_path / "s.toml", {})
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        _, card, choice = _card_and_choice(app)
        await pilot.press("up")  # wraps round to the last option
        assert choice.highlighted == choice.option_count - 1

        async def check() -> None:
            for _ in range(4):
                await pilot.pause()
            assert not choice.show_vertical_scrollbar
            assert choice.size.height == choice.virtual_size.height
            line = choice._index_to_line[choice.option_count - 1]
            top = choice.region.y + line
            assert card.region.y <= top < card.region.bottom

        for size in ((100, 18), (60, 20), (80, 16)):
            await pilot.resize_terminal(*size)
            await check()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.resize_terminal(60, 20)
        await pilot.press("escape")
        await check()


async def test_each_question_opens_at_its_top_and_the_first_option_brings_the_hint_back(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    # A fourth trial at 60x20: after moving down a long list, the next question opened
    # scrolled down a line (its hint's first line hidden), and Up back to the first
    # option left the hint out of sight.
    app = make_app(rulebook, tmp_path / "s.toml", {})
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        screen, card, choice = _card_and_choice(app)
        first = screen.question_id
        for key in ["down"] * (choice.option_count - 1):
            await pilot.press(key)
        await pilot.pause()
        assert card.scroll_y > 0  # the last option needed the card scrolled
        for key in ["up"] * (choice.option_count - 1):
            await pilot.press(key)
        await pilot.pause()
        assert choice.highlighted == 0 and card.scroll_y == 0
        for key in ["down"] * (choice.option_count - 1):
            await pilot.press(key)
        await pilot.press("1")
        for _ in range(3):
            await pilot.pause()
        assert screen.question_id != first and card.scroll_y == 0


def _card_and_choice(app: Any) -> tuple[QuestionScreen, Any, OptionList]:
    """The question screen on show, its scrolling card and its list of options."""
    from textual.containers import VerticalScroll

    screen = app.screen
    assert isinstance(screen, QuestionScreen)
    return (
        screen,
        screen.query_one("#card-scroll", VerticalScroll),
        screen.query_one("#choice", OptionList),
    )
