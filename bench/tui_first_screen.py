"""Start an app headless, exit as soon as its first screen is drawn; `run.py` times it.

python bench/tui_first_screen.py minimal|holdtight
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("Hello")
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(self.exit)

    Minimal().run(headless=True, size=(80, 24))


def holdtight() -> None:
    from holdtight.rulebook import load_rulebook
    from holdtight.sessionfile import new_session, save_session
    from holdtight.tui.app import HoldtightApp
    from holdtight.tui.screens.question import QuestionScreen

    class FirstQuestion(HoldtightApp):
        def on_mount(self) -> None:
            super().on_mount()
            self.set_interval(0.001, self.check)

        def check(self) -> None:
            screen = self.screen
            if isinstance(screen, QuestionScreen) and screen.query("#choice"):
                self.call_after_refresh(self.exit)

    with tempfile.TemporaryDirectory() as temp:
        path = Path(temp) / "s.toml"
        rulebook = load_rulebook()
        session = new_session(rulebook, {"organization": "Bench"})
        save_session(path, session, rulebook)
        app = FirstQuestion(rulebook, session, path, is_new=False)
        app.run(headless=True, size=(80, 24))


if __name__ == "__main__":
    {"minimal": minimal, "holdtight": holdtight}[sys.argv[1]]()
