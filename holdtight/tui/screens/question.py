"""One question at a time, with the sections bar and the live panel."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Header, Input, Static

from holdtight.sessionfile import check_answer
from holdtight.terminal_text import for_terminal
from holdtight.tui.messages import SessionChanged
from holdtight.tui.screens.base import AppScreen
from holdtight.tui.text import plain
from holdtight.tui.widgets.answers import (
    Answered,
    LightInput,
    MultiChoice,
    OptionsInCard,
    TypedAnswer,
    answer_widget,
    hint,
    reuse,
)
from holdtight.tui.widgets.footer import KeysFooter
from holdtight.tui.widgets.live import LivePanel


def sections_bar(rows: list[tuple[bool, str, str]], width: int) -> Text:
    """One line: every section's name and progress, the current one reversed. Names are
    shortened only when the full names do not fit, and then to their first word, never
    to a few letters; last, the other sections show their progress only."""
    for shorten in ("full", "first word", "none"):
        parts = Text(no_wrap=True, overflow="ellipsis")
        for here, name, mark in rows:
            shown = name if here or shorten == "full" else ""
            if not here and shorten == "first word":
                shown = name.split()[0] if name.split() else ""
            label = f" {shown} {mark} " if shown else f" {mark} "
            parts.append(label, style="bold reverse" if here else "")
            parts.append(" ")
        if parts.cell_len <= width:
            break
    parts.rstrip()
    return parts


class QuestionScreen(AppScreen):
    BINDINGS = [
        Binding("ctrl+u", "unsure", "Not sure", priority=True),
        Binding("ctrl+n", "next", "Next"),
        # esc goes back a question too, and is shown: at 60 columns the footer keeps Quit.
        Binding("ctrl+b", "previous", "Prev", show=False),
        Binding("ctrl+r", "results", "Results"),
        Binding("ctrl+g", "next_section", "Section"),
        Binding("escape", "back", "Back", key_display="esc"),
        Binding("ctrl+s", "save", "Save", show=False),
    ]
    # What the position line and the sections bar show now (see show_position).
    _position_shown = ""
    _bar_shown: tuple[object, ...] = ()

    def __init__(self, question_id: str, *, return_to_results: bool = False) -> None:
        super().__init__()
        self.question_id = question_id
        self.return_to_results = return_to_results
        self.moved: list[str] = []
        self.note_shown = ""
        self.error_shown = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="sections")
        with Horizontal(id="body"):
            with Vertical(id="card"):
                yield Static(id="position")
                yield Static(id="prompt")
                with VerticalScroll(id="card-scroll"):
                    yield Static(id="hint")
                    with Vertical(id="answer-box"):
                        yield self._widget(self.question_id)
                    yield Static(id="error")
                    yield LightInput(
                        placeholder="Optional note: Enter/Esc leaves",
                        id="note",
                        compact=True,
                    )
                    yield Static(id="help")
            yield LivePanel(id="live")
        yield KeysFooter()

    def _widget(self, qid: str) -> Widget:
        ws = self.workspace
        return answer_widget(ws.question(qid), ws.session.answers.get(qid))

    async def on_mount(self) -> None:
        await self.show_question(self.question_id, remount=False)

    # -- drawing ----------------------------------------------------------------------
    async def show_question(self, qid: str, remount: bool = True) -> None:
        ws = self.workspace
        shown = ws.shown
        if qid not in shown:
            qid = shown[0]
        self.question_id = qid
        q = ws.question(qid)
        self.show_position()
        self.query_one("#prompt", Static).update(plain(q.prompt))
        self.query_one("#help", Static).update(plain(q.help))
        self.query_one("#hint", Static).update(Text(hint(q), style="italic"))
        self.show_error("")
        self.note_shown = for_terminal(ws.session.notes.get(qid, ""))
        self.query_one("#note", Input).value = self.note_shown
        box = self.query_one("#answer-box", Vertical)
        widget = box.children[0] if box.children else None
        current = ws.session.answers.get(qid)
        card = self.query_one("#card-scroll", VerticalScroll)
        reused = widget is not None and remount and reuse(widget, q, current)
        if not reused and (remount or widget is None):
            await box.remove_children()
            await box.mount(self._widget(qid))
        answer = box.children[0]
        card.scroll_home(animate=False)  # each question from its top (the hint in sight)
        if isinstance(answer, OptionsInCard):
            # The hint above the options stays in sight: the card scrolls only as far
            # as the highlighted option needs, not to show the whole list.
            answer.focus(scroll_visible=False)
            self.call_after_refresh(answer.scroll_to_highlight)
        else:
            answer.focus()
            if reused:
                self.call_after_refresh(answer.scroll_visible, animate=False)
        self.refresh_panels()

    def show_position(self) -> None:
        """ "7 of 30 · Section": narrow, the section's short name, so that the line stays
        one line; redrawn on resize too."""
        ws = self.workspace
        shown = ws.shown
        q = ws.question(self.question_id)
        section = next(s for s in ws.rulebook.sections if s.id == q.section)
        title = section.title if self.app.size.width >= 80 else section.title.split(" — ")[0]
        number = shown.index(q.id) + 1 if q.id in shown else len(shown)
        position = f"{number} of {len(shown)}  ·  {title}"
        if position != self._position_shown:
            self._position_shown = position
            self.query_one("#position", Static).update(plain(position))

    def refresh_panels(self) -> None:
        ws = self.workspace
        current = ws.question(self.question_id).section
        rows = [
            (
                sid == current,
                for_terminal(title.split(" — ")[0]),
                "✓" if complete else f"{done}/{total}",
            )
            for sid, title, done, total, complete in ws.section_progress()
        ]
        bar = (tuple(rows), self.app.size.width - 2)
        if bar != self._bar_shown:  # each update lays the screen out again
            self._bar_shown = bar
            self.query_one("#sections", Static).update(sections_bar(rows, bar[1]))
        self.query_one("#live", LivePanel).show(ws, self.moved)
        self.sub_title = str(ws.path)

    def on_screen_resume(self) -> None:
        self.refresh_panels()
        # The terminal may have been resized while another screen was up.
        for widget in self.query_one("#answer-box", Vertical).children:
            if isinstance(widget, OptionsInCard):
                self.call_after_refresh(widget.scroll_to_highlight)

    def on_resize(self) -> None:
        self.show_position()
        self.refresh_panels()

    # -- storing ----------------------------------------------------------------------
    def commit(self) -> bool:
        """Keep the note and a valid typed answer, whatever route leaves the question."""
        return self.commit_note() | self.commit_typed() | self.commit_ticks()

    def commit_note(self) -> bool:
        ws = self.workspace
        note = self.query_one("#note", Input).value
        if note == self.note_shown:  # untouched: keep the note as written in the file
            return False
        self.note_shown = note
        ws.set_note(self.question_id, note)
        return True

    def commit_ticks(self) -> bool:
        """Options ticked (or unticked) and not yet confirmed with Enter are the answer
        when the question is left another way (ctrl+n, esc, ctrl+r, ctrl+q): the boxes
        on the screen showed [x] and the file kept nothing. Every tick taken away takes
        the answer back (unanswered; Enter on no ticks still says "none of these"). An
        answer given since (Enter, ctrl+u "not sure") stands: it confirmed the ticks."""
        ws = self.workspace
        for widget in self.query("#choice").results(MultiChoice):
            if widget.chosen == widget.confirmed:
                continue
            selected = widget.selected
            try:
                if selected:
                    self.moved = ws.set_answer(self.question_id, selected)
                else:
                    self.moved = ws.clear_answer(self.question_id)
            except ValueError:
                continue
            widget.confirmed = set(widget.chosen)
            return True
        return False

    def commit_typed(self) -> bool:
        ws = self.workspace
        changed = False
        typed = self.query("#typed").results(TypedAnswer)
        for widget in typed:
            ok, value = widget.parse()
            current = ws.session.answers.get(self.question_id)
            edited = widget.value != widget.shown_value
            if ok and edited and value is not None and value != current and widget.value.strip():
                try:
                    self.moved = ws.set_answer(self.question_id, value)
                    changed = True
                except ValueError:
                    pass
        return changed

    def save_typed(self) -> None:
        if self.commit():
            self.post_message(SessionChanged())

    async def answer(self, value: object, advance: bool = True) -> None:
        ws = self.workspace
        try:
            if value is None:
                self.moved = ws.clear_answer(self.question_id)
            else:
                self.moved = ws.set_answer(self.question_id, value)
        except ValueError as error:
            self.show_error(str(error))
            return
        for ticks in self.query("#choice").results(MultiChoice):
            ticks.confirmed = set(ticks.chosen)  # answered: the ticks are not left over
        for widget in self.query("#typed").results(TypedAnswer):
            if value in (None, "unsure"):
                widget.value = ""  # what is stored now is not the text typed
        self.commit_note()
        self.post_message(SessionChanged())
        if self.return_to_results:
            self.holdtight.moved = list(self.moved)
            self.dismiss()
        elif advance:
            await self.action_next()
        else:
            self.refresh_panels()

    def show_error(self, text: str) -> None:
        """The line under the answer; redrawn only when it changes (not on every key)."""
        if text != self.error_shown:
            self.error_shown = text
            self.query_one("#error", Static).update(plain(text))

    @on(Answered)
    async def answered(self, event: Answered) -> None:
        event.stop()
        await self.answer(event.value)

    @on(Input.Changed, "#typed")
    def typed_changed(self, event: Input.Changed) -> None:
        """The message about a wrong number goes as soon as what is typed is right."""
        widget = event.input
        if not isinstance(widget, TypedAnswer):
            return
        ok, value = widget.parse()
        if ok and value is not None:
            try:
                check_answer(widget.question, value)
            except ValueError:
                return
        if ok or not event.value.strip():
            self.show_error("")

    @on(TypedAnswer.Invalid)
    def invalid(self, event: TypedAnswer.Invalid) -> None:
        self.show_error(event.text)

    @on(Input.Submitted, "#note")
    def note_left(self) -> None:
        self.save_typed()
        self.query_one("#answer-box", Vertical).children[0].focus()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget.id in ("note", "typed"):
            self.save_typed()

    # -- actions ----------------------------------------------------------------------
    def _step(self, delta: int) -> str | None:
        shown = self.workspace.shown
        index = shown.index(self.question_id) if self.question_id in shown else 0
        target = index + delta
        return shown[target] if 0 <= target < len(shown) else None

    async def action_next(self) -> None:
        self.save_typed()
        if self.return_to_results:
            self.dismiss()
            return
        target = self._step(1)
        if target is None:
            self.action_results()
        else:
            await self.show_question(target)

    async def action_previous(self) -> None:
        self.save_typed()
        target = self._step(-1)
        if target is not None:
            await self.show_question(target)
        else:
            self.to_start()

    def to_start(self) -> None:
        """Back from the first question: to the start screen under this one, else one
        pushed over it (a reopened session opens on this screen, and Textual cannot
        switch away from the screen an app starts with); its Enter comes back here."""
        from holdtight.tui.screens.start import StartScreen

        stack = self.app.screen_stack
        if len(stack) > 1 and isinstance(stack[-2], StartScreen):
            self.app.pop_screen()
        else:
            self.app.push_screen(StartScreen())

    async def action_unsure(self) -> None:
        await self.answer("unsure")

    async def action_next_section(self) -> None:
        self.save_typed()
        ws = self.workspace
        sections = [s.id for s in ws.rulebook.sections]
        current = sections.index(ws.question(self.question_id).section)
        for offset in range(1, len(sections) + 1):
            target = sections[(current + offset) % len(sections)]
            if await self.go_to_section(target):
                return

    async def go_to_section(self, section_id: str) -> bool:
        ws = self.workspace
        for qid in ws.shown:
            if ws.question(qid).section == section_id:
                await self.show_question(qid)
                return True
        return False

    def action_results(self) -> None:
        self.save_typed()
        if self.return_to_results:
            self.dismiss()
            return
        from holdtight.tui.screens.results import ResultsScreen

        self.app.push_screen(ResultsScreen())

    def action_save(self) -> None:
        self.commit()
        self.post_message(SessionChanged(announce="Saved"))

    async def action_back(self) -> None:
        if self.focused is not None and self.focused.id == "note":
            self.save_typed()
            self.query_one("#answer-box", Vertical).children[0].focus()
            return
        if self.return_to_results:
            self.save_typed()
            self.dismiss()
            return
        await self.action_previous()
