"""The start screen: organization and respondent."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Input, Label

from holdtight.tui.messages import SessionChanged
from holdtight.tui.screens.base import AppScreen
from holdtight.tui.text import plain
from holdtight.tui.widgets.answers import LightInput
from holdtight.tui.widgets.footer import KeysFooter


class StartScreen(AppScreen):
    # Priority bindings: the app acts on them when the key arrives, before it forwards the
    # next keys, so a fast typist's or a paste's "Org<Tab>Resp<Enter>" lands each part
    # in its own field (a field's own Enter or the screen's Tab would run only after the
    # keys queued behind them had already gone to the old field).
    BINDINGS = [
        Binding("tab", "move(1)", "Next field", show=False, priority=True),
        Binding("shift+tab", "move(-1)", "Previous field", show=False, priority=True),
        Binding("enter", "submit", "Next / start", show=False, priority=True),
    ]

    def compose(self) -> ComposeResult:
        ws = self.workspace
        yield Header()
        with Vertical(id="start-box"):
            yield Label(plain(ws.rulebook.meta.title), classes="title")
            # The title above names the rulebook; its id is for files, not for reading.
            yield Label(plain(f"Rulebook version {ws.rulebook.version}"), classes="muted")
            yield Label(plain(f"Saving to {ws.path}"), classes="muted spaced")
            yield Label("Organization")
            yield LightInput(
                str(ws.session.meta.get("organization", "")),
                placeholder="e.g. Riverside Unified",
                id="organization",
            )
            yield Label("Respondent")
            yield LightInput(
                str(ws.session.meta.get("respondent", "")),
                placeholder="e.g. Chief Academic Officer",
                id="respondent",
            )
            yield Label("Enter moves on; Enter on the last field starts.", classes="muted")
        yield KeysFooter()

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
        self.commit_when_typed()

    def commit_when_typed(self) -> None:
        """Store the fields once each has taken the keys already queued to it. Enter and
        Tab act as the keys arrive (priority bindings, so that the keys typed after them
        go to the next field), which can be before the field has taken the keys typed
        before them: a respondent typed in one burst was stored as "Dr." and saved
        whole only on quitting."""

        def commit() -> None:
            if self.commit():
                self.app.post_message(SessionChanged())

        def after_queue(field: Input, then: Callable[[], None]) -> Callable[[], None]:
            def step() -> None:
                field.call_later(then)

            return step

        step = commit
        for field in reversed(list(self.query(Input))):  # each field's queue in turn
            step = after_queue(field, step)
        step()

    def action_move(self, step: int) -> None:
        fields = list(self.query(Input))
        focused = self.app.focused
        here = fields.index(focused) if focused in fields else -1
        self.app.set_focus(fields[(here + step) % len(fields)])

    def action_submit(self) -> None:
        if self.app.focused is self.query_one("#organization", Input):
            self.app.set_focus(self.query_one("#respondent", Input))
        else:
            self.start()

    def start(self) -> None:
        self.commit_when_typed()
        from holdtight.tui.screens.question import QuestionScreen

        stack = self.app.screen_stack
        if len(stack) > 1 and isinstance(stack[-2], QuestionScreen):
            self.app.pop_screen()  # opened from the first question: back to it
            return
        ws = self.workspace
        self.app.push_screen(QuestionScreen(ws.first_unanswered() or ws.shown[0]))
