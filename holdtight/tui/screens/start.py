"""The start screen: organization and respondent."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Header, Input, Label

from holdtight.tui.messages import SessionChanged
from holdtight.tui.screens.base import AppScreen
from holdtight.tui.text import plain


class StartScreen(AppScreen):
    def compose(self) -> ComposeResult:
        ws = self.workspace
        yield Header()
        with Vertical(id="start-box"):
            yield Label(plain(ws.rulebook.meta.title), classes="title")
            yield Label(plain(f"Rulebook {ws.rulebook.id} {ws.rulebook.version}"), classes="muted")
            yield Label(plain(f"Saving to {ws.path}"), classes="muted")
            yield Label("")
            yield Label("Organization")
            yield Input(
                str(ws.session.meta.get("organization", "")),
                placeholder="e.g. Riverside Unified",
                id="organization",
            )
            yield Label("Respondent")
            yield Input(
                str(ws.session.meta.get("respondent", "")),
                placeholder="e.g. Chief Academic Officer",
                id="respondent",
            )
            yield Label("Enter moves on; Enter on the last field starts.", classes="muted")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#organization", Input).focus()

    def commit(self) -> bool:
        meta = self.workspace.session.meta
        organization = self.query_one("#organization", Input).value.strip()
        respondent = self.query_one("#respondent", Input).value.strip()
        if (meta.get("organization", ""), meta.get("respondent", "")) == (
            organization,
            respondent,
        ):
            return False
        self.workspace.set_meta(organization, respondent)
        return True

    def on_descendant_blur(self) -> None:
        if self.commit():
            self.post_message(SessionChanged())

    @on(Input.Submitted, "#organization")
    def next_field(self) -> None:
        self.query_one("#respondent", Input).focus()

    @on(Input.Submitted, "#respondent")
    def start(self) -> None:
        if self.commit():
            self.post_message(SessionChanged())
        from holdtight.tui.screens.question import QuestionScreen

        ws = self.workspace
        self.app.push_screen(QuestionScreen(ws.first_unanswered() or ws.shown[0]))
