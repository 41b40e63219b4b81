"""The Textual app: autosave, conflicts on disk, quit and the command palette. Screens are
in holdtight/tui/screens, widgets in holdtight/tui/widgets."""

from __future__ import annotations

import contextlib
import gc
import signal
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from holdtight.errors import HoldtightError
from holdtight.model import Rulebook, Session
from holdtight.terminal_text import for_terminal
from holdtight.tui.messages import SessionChanged
from holdtight.tui.screens.base import AppScreen
from holdtight.tui.screens.question import QuestionScreen
from holdtight.tui.state import ChangedOnDisk, Workspace
from holdtight.tui.text import notify_plain


class HoldtightApp(App[int]):
    CSS_PATH = Path(__file__).parent / "holdtight.tcss"
    TITLE = "holdtight"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        # Shown, last: the palette (sections, export, theme, past notifications) is found
        # by reading the footer; at 60 columns it is the key that does not fit.
        Binding("ctrl+p", "command_palette", "Commands", priority=True),
    ]

    def __init__(self, rulebook: Rulebook, session: Session, path: Path, *, is_new: bool) -> None:
        # What is loaded so far (Textual, the rulebook) lives until exit: the collector,
        # when it is on (tests; `make_app` turns it off), need not walk it again.
        gc.freeze()
        super().__init__()
        self.workspace = Workspace(rulebook, session, path)
        self.is_new = is_new
        self.moved: list[str] = []
        """Domains the last change from the results moved (marked there)."""
        self.history: list[str] = []
        """Every notification shown, for the palette's "Show notifications again"."""

    def get_default_screen(self) -> Screen[Any]:
        """The first screen the user needs, drawn first: no blank screen before it."""
        ws = self.workspace
        if self.is_new:
            from holdtight.tui.screens.start import StartScreen  # not when a file is opened

            return StartScreen()
        return QuestionScreen(ws.first_unanswered() or ws.shown[-1])

    def on_mount(self) -> None:
        self.screen.call_after_refresh(self.collector_on)
        ws = self.workspace
        self.sub_title = str(ws.path)
        try:
            import asyncio

            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.hang_up)
        except (NotImplementedError, RuntimeError, AttributeError, ValueError):
            pass
        if self.is_new:
            return
        if ws.session.warnings:
            notice = "\n".join(f"• {for_terminal(w, 160)}" for w in ws.session.warnings[:6])
            more = len(ws.session.warnings) - 6
            if more > 0:
                notice += f"\n… and {more} more"
            self.tell(notice, title="On opening this session", severity="warning", timeout=12)
        if ws.first_unanswered() is None:
            from holdtight.tui.screens.results import ResultsScreen  # only when needed

            self.push_screen(ResultsScreen())

    def collector_on(self) -> None:
        """After the first paint: what start-up made (Textual, the rulebook, the first
        screen) lives until exit, so it is frozen out of the collector's reach; then the
        collector, off since `make_app`, runs again."""
        gc.freeze()
        gc.enable()

    def tell(self, message: str, **options: Any) -> None:
        self.history.append(message)
        notify_plain(self, message, **options)

    def _fatal_error(self) -> None:
        """Textual's crash report, without local variables: they would show answers."""
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None)
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options))
        )
        self._close_messages_no_wait()

    # -- saving -------------------------------------------------------------------------
    @on(SessionChanged)
    def session_changed(self, event: SessionChanged) -> None:
        self.save_now(announce=event.announce)

    def save_now(self, announce: str = "") -> bool:
        if self.autosave() and announce:
            self.tell(f"{announce} to {self.workspace.path}", timeout=3)
            return True
        return False

    def commit_screens(self) -> None:
        """Store what is typed on every screen and not stored yet."""
        for screen in self.screen_stack:
            if isinstance(screen, AppScreen) and screen.is_mounted:
                screen.commit()

    def autosave(self) -> bool:
        """Save now; if the file changed on disk meanwhile, ask first. True if saved. A new
        session with nothing typed in it is not written."""
        from holdtight.tui.screens.conflict import ConflictScreen

        ws = self.workspace
        if self.is_new and not ws.touched() and not ws.path.exists():
            return True
        try:
            ws.save()
        except ChangedOnDisk:
            if not isinstance(self.screen, ConflictScreen):
                self.push_screen(ConflictScreen(ws.path), self.resolve_conflict)
            return False
        except OSError as error:
            self.tell(f"Could not save: {error.strerror or error}", severity="error", timeout=10)
            return False
        return True

    async def resolve_conflict(self, keep_mine: bool | None) -> None:
        from holdtight.tui.screens.results import ResultsScreen

        if keep_mine:
            self.workspace.save(force=True)
            self.tell(f"Saved your version to {self.workspace.path}", timeout=4)
            return
        try:
            self.workspace.reload()
        except HoldtightError as error:
            self.tell(f"Could not reload: {for_terminal(error, 200)}", severity="error")
            return
        self.tell("Reloaded the session from disk", timeout=4)
        screen = self.screen
        if isinstance(screen, QuestionScreen):
            await screen.show_question(screen.question_id)
        elif isinstance(screen, ResultsScreen):
            screen.fill()

    def export(self) -> None:
        """Write the Markdown and HTML reports beside the session file; a file of the
        same name that holdtight did not write is replaced only if the user says so."""
        from holdtight.tui.screens.replace import ReplaceScreen
        from holdtight.tui.state import export_documents, not_ours

        documents = export_documents(self.workspace)
        foreign = [path for path, text in documents if not_ours(path, text)]
        if not foreign:
            self._write_exports(documents)
            return

        def answered(replace: bool | None) -> None:
            if replace:
                self._write_exports(documents)
            else:
                self.tell("Not exported: " + ", ".join(p.name for p in foreign) + " kept as it was")

        self.push_screen(ReplaceScreen(foreign), answered)

    def _write_exports(self, documents: list[tuple[Path, str]]) -> None:
        from holdtight.fileio import atomic_write

        written = []
        try:
            for target, text in documents:
                atomic_write(target, text.encode("utf-8"))
                written.append(target.name)
        except OSError as error:
            self.tell(f"Could not export: {error.strerror or error}", severity="error", timeout=10)
            return
        # The folder, then each file on a line of its own: two full paths on one line
        # wrapped mid-name in the notification.
        folder = self.workspace.path.resolve().parent
        self.tell(f"Report written in {folder}:\n" + "\n".join(written), timeout=8)

    # -- leaving ------------------------------------------------------------------------
    async def action_quit(self) -> None:
        """Save everything on screen, then quit."""
        self.commit_screens()
        if self.autosave():
            self.exit(0)

    def hang_up(self) -> None:
        """The terminal closed: keep what was typed, then leave."""
        self.commit_screens()
        ws = self.workspace
        if ws.touched() or ws.path.exists():
            with contextlib.suppress(OSError):
                ws.save(force=True)
        self.exit(0)

    # -- command palette ----------------------------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:  # noqa: ARG002 (Textual's signature)
        yield SystemCommand("Results", "See the recommendations now", self.show_results)
        for section in self.workspace.rulebook.sections:
            yield SystemCommand(
                f"Go to section: {for_terminal(section.title)}",
                "Jump to the section's first question",
                lambda sid=section.id: self.run_worker(self.go_to_section(sid)),
            )
        yield SystemCommand(
            "Export report", "Write Markdown and HTML next to the session", self.export
        )
        yield SystemCommand("Theme", "Change the colours", self.action_change_theme)
        yield SystemCommand(
            "Show notifications again", "The messages shown so far", self.show_history
        )
        yield SystemCommand("Save and quit", "Save everything, then quit", self.action_quit)

    def show_results(self) -> None:
        from holdtight.tui.screens.results import ResultsScreen

        self.commit_screens()
        if not isinstance(self.screen, ResultsScreen):
            self.push_screen(ResultsScreen())

    async def go_to_section(self, section_id: str) -> None:
        from holdtight.tui.screens.results import ResultsScreen

        self.commit_screens()
        while isinstance(self.screen, ResultsScreen) and len(self.screen_stack) > 1:
            await self.pop_screen()
        screen = self.screen
        if not isinstance(screen, QuestionScreen):
            ws = self.workspace
            first = next(q for q in ws.shown if ws.question(q).section == section_id)
            await self.push_screen(QuestionScreen(first))
            return
        await screen.go_to_section(section_id)

    def show_history(self) -> None:
        recent = self.history[-8:]
        notify_plain(
            self,
            "\n\n".join(recent) if recent else "No notifications yet.",
            title="Recent notifications",
            timeout=15,
        )


__all__ = ["HoldtightApp", "QuestionScreen"]
