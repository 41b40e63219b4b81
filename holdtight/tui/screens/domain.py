"""A domain's why, guard rails, levers and scenarios, full size."""

from __future__ import annotations

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from holdtight.tui.widgets.footer import KeysFooter


class DomainScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Back to results", key_display="esc"),
        Binding("q", "close", "Back", show=False),
    ]

    def __init__(self, detail: RenderableType) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="domain-full"):
            yield Static(self.detail, id="domain-text")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#domain-full", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
