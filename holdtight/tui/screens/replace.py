"""A report's name is taken by a file holdtight did not write: replace it (True) or keep it
(False)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from holdtight.tui.text import plain


class ReplaceScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "replace", "Replace"),
        Binding("n,escape", "keep", "Keep"),
    ]

    def __init__(self, paths: list[Path]) -> None:
        super().__init__()
        self.paths = paths

    def compose(self) -> ComposeResult:
        names = ", ".join(path.name for path in self.paths)
        one = len(self.paths) == 1
        with Vertical(id="replace"):
            yield Label("Replace a file holdtight did not write?", classes="title")
            yield Static(
                plain(
                    f"{names} already {'exists' if one else 'exist'} in "
                    f"{self.paths[0].resolve().parent} and {'is' if one else 'are'} not "
                    "a holdtight report. Replace with the report, or keep "
                    f"{'it' if one else 'them'} and export nothing?"
                )
            )
            with Horizontal(id="replace-buttons"):
                yield Button("Keep (n)", id="keep-file", variant="primary")
                yield Button("Replace (y)", id="replace-file", variant="warning")

    @on(Button.Pressed, "#replace-file")
    def action_replace(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#keep-file")
    def action_keep(self) -> None:
        self.dismiss(False)
