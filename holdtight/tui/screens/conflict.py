"""The session file changed on disk: keep mine (True) or reload theirs (False)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from holdtight.tui.text import plain


class ConflictScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("k", "keep", "Keep mine"),
        Binding("r", "reload", "Reload from disk"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict"):
            yield Label("The session file was changed by someone else", classes="title")
            yield Static(
                plain(
                    f"{self.path} changed on disk while it was open here. Keep your version "
                    "(overwrite theirs) or reload theirs (your unsaved change is dropped)?"
                )
            )
            with Horizontal(id="conflict-buttons"):
                yield Button("Keep mine (k)", id="keep", variant="warning")
                yield Button("Reload from disk (r)", id="reload", variant="primary")

    @on(Button.Pressed, "#keep")
    def action_keep(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#reload")
    def action_reload(self) -> None:
        self.dismiss(False)
