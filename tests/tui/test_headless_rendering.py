"""The TUI tests skip Textual's partial renders (see conftest.py) and render the screen
in full as each test leaves `run_test`: a widget that cannot render still fails its test."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widget import Widget


class _Breaks(Widget):
    DEFAULT_CSS = "_Breaks { width: 10; height: 1; }"
    broken = False

    def render(self) -> str:
        if self.broken:
            raise RuntimeError("this widget cannot render")
        return "fine"


class _OneWidget(App[None]):
    def compose(self) -> ComposeResult:
        yield _Breaks()


async def test_a_widget_that_stops_rendering_fails_the_test() -> None:
    app = _OneWidget()
    with pytest.raises(RuntimeError, match="cannot render"):
        async with app.run_test(size=(40, 5)) as pilot:
            widget = app.query_one(_Breaks)
            widget.broken = True
            widget.refresh()
            await pilot.pause()


async def test_a_widget_that_renders_passes() -> None:
    app = _OneWidget()
    async with app.run_test(size=(40, 5)) as pilot:
        app.query_one(_Breaks).refresh()
        await pilot.pause()
