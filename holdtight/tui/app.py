"""The Textual app: a start screen, the questionnaire and the results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    OptionList,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option

from holdtight.errors import HoldtightError
from holdtight.model import SETTINGS, Rulebook, Session
from holdtight.reports.data import answer_text, fired_parts, lever_lines, safe_text
from holdtight.reports.phrases import earned, road_ahead, setting_phrase
from holdtight.reports.terminal import CONFIDENCE_STYLE, SETTING_STYLE, spectrum
from holdtight.tui.state import ChangedOnDisk, Workspace

UNSURE_LABEL = "Not sure"


def notify_plain(target: App[Any] | Screen[Any], message: str, **options: Any) -> None:
    """A notification whose text is shown as it is: paths and file text are not markup."""
    target.notify(message, markup=False, **options)


def marker(setting: str) -> Text:
    return spectrum(setting)


class MultiChoice(SelectionList[str]):
    """A multiple choice: space or a digit toggles, Enter confirms."""

    BINDINGS = [Binding("enter", "confirm", "Confirm", show=False)]

    async def action_confirm(self) -> None:
        screen = self.screen
        if isinstance(screen, QuestionScreen):
            await screen.confirm_multi()


class _Screen(Screen[None]):
    """A screen of this app: typed access to the workspace and the app's saving."""

    @property
    def holdtight(self) -> HoldtightApp:
        app = self.app
        assert isinstance(app, HoldtightApp)
        return app

    @property
    def workspace(self) -> Workspace:
        return self.holdtight.workspace


class ConflictScreen(ModalScreen[bool]):
    """The session file changed on disk: keep mine (True) or reload theirs (False)."""

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
                Text(
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


class StartScreen(_Screen):
    def compose(self) -> ComposeResult:
        ws = self.workspace
        yield Header()
        with Vertical(id="start-box"):
            yield Label(safe_text(ws.rulebook.meta.title), classes="title")
            yield Label(f"Rulebook {ws.rulebook.id} {ws.rulebook.version}", classes="muted")
            yield Label(f"Saving to {ws.path}", classes="muted")
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

    @on(Input.Submitted, "#organization")
    def next_field(self) -> None:
        self.query_one("#respondent", Input).focus()

    @on(Input.Submitted, "#respondent")
    def start(self) -> None:
        organization = self.query_one("#organization", Input).value.strip()
        respondent = self.query_one("#respondent", Input).value.strip()
        self.workspace.set_meta(organization, respondent)
        self.holdtight.autosave()
        app = self.app
        assert isinstance(app, HoldtightApp)
        app.push_screen(QuestionScreen(app.workspace.first_unanswered() or app.workspace.shown[0]))


class QuestionScreen(_Screen):
    BINDINGS = [
        Binding("ctrl+b", "previous", "Prev"),
        Binding("ctrl+n", "next", "Next"),
        Binding("ctrl+u", "unsure", "Not sure"),
        Binding("ctrl+g", "next_section", "Section"),
        Binding("ctrl+r", "results", "Results"),
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "back", "Back", key_display="esc"),
    ]

    def __init__(self, question_id: str) -> None:
        super().__init__()
        self.question_id = question_id
        self.moved: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="sections")
        with Horizontal(id="body"):
            with VerticalScroll(id="card"):
                yield Static(id="position")
                yield Static(id="prompt")
                yield Static(id="help")
                with Vertical(id="answer-box"):
                    yield self.answer_widget(self.question_id)
                yield Static(id="error")
                yield Input(placeholder="Note (optional): Enter saves it", id="note")
            yield Static(id="live")
        yield Footer(compact=True, show_command_palette=False)

    async def on_mount(self) -> None:
        # compose() already mounted this question's answer widget.
        await self.show_question(self.question_id, remount=False)

    # -- drawing ----------------------------------------------------------------------
    async def show_question(self, qid: str, remount: bool = True) -> None:
        ws = self.workspace
        shown = ws.shown
        if qid not in shown:
            qid = shown[0]
        self.question_id = qid
        q = ws.question(qid)
        section = next(s for s in ws.rulebook.sections if s.id == q.section)
        self.query_one("#position", Static).update(
            Text(f"{section.title}  ·  {shown.index(qid) + 1} of {len(shown)}")
        )
        self.query_one("#prompt", Static).update(Text(q.prompt))
        self.query_one("#help", Static).update(Text(q.help))
        self.query_one("#error", Static).update("")
        note = self.query_one("#note", Input)
        note.value = ws.session.notes.get(qid, "")
        box = self.query_one("#answer-box", Vertical)
        if remount or not box.children:
            await box.remove_children()
            await box.mount(self.answer_widget(qid))
        box.children[0].focus()
        self.refresh_panels()

    def answer_widget(self, qid: str) -> Any:
        """The widget that answers this question, showing its current answer."""
        ws = self.workspace
        q = ws.question(qid)
        current = ws.session.answers.get(qid)
        widget: Any
        if q.kind in ("single", "scale"):
            options: list[Option] = []
            if q.kind == "single":
                values: list[Any] = [o.id for o in q.options]
                labels = [o.label for o in q.options]
            else:
                values = list(range(int(q.min or 1), int(q.max or 5) + 1))
                labels = [f"{v}  {q.labels.get(str(v), '')}".rstrip() for v in values]
            for n, (value, label) in enumerate(zip(values, labels, strict=True), start=1):
                mark = "● " if current == value else "  "
                options.append(Option(Text(f"{mark}{n}. {label}"), id=f"v:{value}"))
            mark = "● " if current == "unsure" else "  "
            options.append(Option(Text(f"{mark}{len(values) + 1}. {UNSURE_LABEL}"), id="v:unsure"))
            widget = OptionList(*options, id="choice")
            if current in values:
                widget.highlighted = values.index(current)
        elif q.kind == "multi":
            chosen = current if isinstance(current, list) else []
            widget = MultiChoice(
                *((f"{n}. {o.label}", o.id, o.id in chosen) for n, o in enumerate(q.options, 1)),
                id="choice",
            )
        else:
            placeholder = (
                "Type a whole number and press Enter"
                if q.kind == "number"
                else "Type and press Enter (empty skips)"
            )
            if q.kind == "number":
                placeholder += f" ({q.min:g}–{q.max:g})"
            widget = Input(
                "" if current in (None, "unsure") else str(current),
                placeholder=placeholder,
                type="integer"
                if q.kind == "number" and q.integer
                else "number"
                if q.kind == "number"
                else "text",
                id="typed",
            )
        return widget

    def refresh_panels(self) -> None:
        ws = self.workspace
        parts = Text()
        for sid, title, done, total in ws.section_progress():
            mark = "✓ " if done == total and total else ""
            short = title.split(" — ")[0]
            style = "bold reverse" if sid == ws.question(self.question_id).section else ""
            parts.append(f" {mark}{short} {done}/{total} ", style=style)
            parts.append(" ")
        self.query_one("#sections", Static).update(parts)
        live = Text("Recommendations\n", style="bold")
        for index, d in enumerate(ws.result.domains):
            style = "reverse" if d.id in self.moved else ""
            name = ws.rulebook.domains[index].short[:14]
            live.append(f"{name:<14} ", style=style)
            live.append_text(marker(d.setting))
            live.append("\n")
        live.append(f"\nPosture: {ws.result.posture_label.replace('_', ' ')}", style="italic")
        self.query_one("#live", Static).update(live)
        self.sub_title = str(ws.path)

    # -- answering --------------------------------------------------------------------
    async def answer(self, value: object, advance: bool = True) -> None:
        try:
            self.moved = self.workspace.set_answer(self.question_id, value)
        except ValueError as error:
            self.query_one("#error", Static).update(Text(str(error)))
            return
        self.holdtight.autosave()
        if advance:
            await self.action_next()
        else:
            self.refresh_panels()

    @on(OptionList.OptionSelected, "#choice")
    async def choice_made(self, event: OptionList.OptionSelected) -> None:
        raw = (event.option.id or "v:")[2:]
        q = self.workspace.question(self.question_id)
        await self.answer(int(raw) if q.kind == "scale" and raw != "unsure" else raw)

    async def confirm_multi(self) -> None:
        selection = self.query_one("#choice", MultiChoice)
        await self.answer(list(selection.selected))

    @on(Input.Submitted, "#typed")
    async def typed(self, event: Input.Submitted) -> None:
        q = self.workspace.question(self.question_id)
        text = event.value.strip()
        if not text:
            if q.required:
                self.query_one("#error", Static).update(
                    "Type an answer, or press ctrl+u for not sure."
                )
                return
            self.moved = self.workspace.clear_answer(self.question_id)
            self.holdtight.autosave()
            await self.action_next()
            return
        if q.kind == "number":
            try:
                value: object = int(text) if q.integer else float(text)
            except ValueError:
                self.query_one("#error", Static).update("Type a number.")
                return
        else:
            value = event.value
        await self.answer(value)

    @on(Input.Submitted, "#note")
    def note_saved(self, event: Input.Submitted) -> None:
        self.workspace.set_note(self.question_id, event.value)
        if self.holdtight.autosave():
            notify_plain(self, "Note saved", timeout=2)

    async def on_key(self, event: Any) -> None:
        character = getattr(event, "character", None)
        if not character or not character.isdigit() or character == "0":
            return
        focused = self.focused
        if isinstance(focused, Input):
            return
        n = int(character)
        q = self.workspace.question(self.question_id)
        if q.kind == "multi":
            if n <= len(q.options):
                self.query_one("#choice", MultiChoice).toggle(q.options[n - 1].id)
                event.stop()
            return
        if q.kind in ("single", "scale"):
            choice = self.query_one("#choice", OptionList)
            if n <= choice.option_count:
                option = choice.get_option_at_index(n - 1)
                event.stop()
                raw = (option.id or "v:")[2:]
                await self.answer(int(raw) if q.kind == "scale" and raw != "unsure" else raw)

    # -- actions ----------------------------------------------------------------------
    def _step(self, delta: int) -> str | None:
        shown = self.workspace.shown
        index = shown.index(self.question_id) if self.question_id in shown else 0
        target = index + delta
        return shown[target] if 0 <= target < len(shown) else None

    async def action_next(self) -> None:
        note = self.query_one("#note", Input).value
        if note != self.workspace.session.notes.get(self.question_id, ""):
            self.workspace.set_note(self.question_id, note)
            self.holdtight.autosave()
        target = self._step(1)
        if target is None:
            self.action_results()
        else:
            await self.show_question(target)

    async def action_previous(self) -> None:
        target = self._step(-1)
        if target is not None:
            await self.show_question(target)

    async def action_unsure(self) -> None:
        if self.workspace.question(self.question_id).kind == "text":
            return
        await self.answer("unsure")

    async def action_next_section(self) -> None:
        ws = self.workspace
        sections = [s.id for s in ws.rulebook.sections]
        current = sections.index(ws.question(self.question_id).section)
        for offset in range(1, len(sections) + 1):
            target = sections[(current + offset) % len(sections)]
            for qid in ws.shown:
                if ws.question(qid).section == target:
                    await self.show_question(qid)
                    return

    def action_results(self) -> None:
        self.app.push_screen(ResultsScreen())

    def action_save(self) -> None:
        if self.holdtight.autosave():
            notify_plain(self, f"Saved to {self.workspace.path}", timeout=3)

    async def action_back(self) -> None:
        await self.action_previous()


class ResultsScreen(_Screen):
    BINDINGS = [
        Binding("e", "export", "Export report"),
        Binding("c", "change", "Change an answer"),
        Binding("escape", "back", "Questions"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="results-top")
        yield DataTable(id="domains", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="detail"):
            yield Static(id="detail-text")
            yield Label("Change an answer behind this domain (c):", classes="muted")
            yield OptionList(id="jump")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        ws = self.workspace
        result = ws.full_result()
        survey = ws.rulebook.meta.posture.survey
        top = Text()
        top.append(
            f"Posture: {result.posture_label.replace('_', ' ')} ({result.posture_index:+.2f})",
            style="bold",
        )
        if survey:
            top.append(
                f"   Survey of {survey.respondents} leaders: {survey.more_centralized:g}% more centralized, "
                f"{survey.midway:g}% midway, {survey.more_decentralized:g}% more decentralized"
            )
        top.append(
            f"\nAnswered {result.answered} of {result.shown}. Select a domain for why, guard rails and levers.",
            style="italic",
        )
        self.query_one("#results-top", Static).update(top)
        table = self.query_one("#domains", DataTable)
        table.add_column("Domain", width=36)
        table.add_column("tight…loose", width=11)
        table.add_column("Setting", width=11)
        table.add_column("Confidence", width=10)
        for d in result.domains:
            table.add_row(
                Text(d.title, overflow="ellipsis", no_wrap=True),
                marker(d.setting),
                Text(ws.rulebook.setting_label(d.setting), style=SETTING_STYLE[d.setting]),
                Text(d.confidence, style=CONFIDENCE_STYLE[d.confidence]),
                key=d.id,
            )
        table.focus()
        self.show_domain(result.domains[0].id)

    @on(DataTable.RowHighlighted, "#domains")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value:
            self.show_domain(event.row_key.value)

    def show_domain(self, domain_id: str) -> None:
        ws = self.workspace
        d = ws.full_result().domain(domain_id)
        book = ws.rulebook
        text = Text()
        text.append(f"{d.title}: {setting_phrase(book, d)}", style="bold")
        text.append(f"  (confidence {d.confidence}: {d.answered} of {d.relevant} answered)\n")
        if d.bound_note:
            text.append(d.bound_note + "\n", style="italic")
        road = road_ahead(book, d)
        if road:
            text.append(f"{road}\n", style="italic")
        for item in earned(book, d)[:1]:
            text.append(f"What earns {item.setting} ({item.title})\n", style="bold underline")
            for criterion in item.criteria:
                text.append(f"  • {criterion}\n")
        text.append("Why\n", style="bold underline")
        if not d.because:
            text.append("  No rule fired: this is the domain's starting point.\n")
        for fired in d.because:
            detail = "; ".join(fired_parts(book, fired, prompts=False))
            text.append(f"  • {fired.text} ({safe_text(detail)})\n")
        text.append("Guard rails\n", style="bold underline")
        for rail in d.guard_rails:
            text.append(f"  • {rail.text}\n")
        text.append("What would change it\n", style="bold underline")
        if not d.levers:
            text.append("  No single answer change would move it.\n")
        lines = lever_lines(book, d.levers)
        for prompt, answers, setting in lines[:10]:
            text.append(f"  • {prompt} → {safe_text(answers)}: {setting}\n")
        if len(lines) > 10:
            text.append(f"  … and {len(lines) - 10} more in the report\n")
        text.append("Questions for your team\n", style="bold underline")
        for prompt in book.meta.reflection:
            text.append(f"  • {prompt}\n")
        self.query_one("#detail-text", Static).update(text)
        jump = self.query_one("#jump", OptionList)
        jump.clear_options()
        for qid in sorted(book.domain_reads[domain_id], key=lambda q: book.questions[q].order):
            if qid in ws.shown:
                jump.add_option(
                    Option(
                        Text(
                            f"{book.questions[qid].prompt} ({answer_text(book, qid, ws.session.answers.get(qid))})"
                        ),
                        id=qid,
                    )
                )
        if jump.option_count:
            jump.highlighted = 0

    @on(OptionList.OptionSelected, "#jump")
    async def jump_to(self, event: OptionList.OptionSelected) -> None:
        qid = event.option.id
        if not qid:
            return
        self.app.pop_screen()
        screen = self.app.screen
        if isinstance(screen, QuestionScreen):
            await screen.show_question(qid)
        else:
            self.app.push_screen(QuestionScreen(qid))

    def action_change(self) -> None:
        self.query_one("#jump", OptionList).focus()

    def action_back(self) -> None:
        self.app.pop_screen()
        screen = self.app.screen
        if isinstance(screen, QuestionScreen):
            screen.refresh_panels()

    def action_save(self) -> None:
        if self.holdtight.autosave():
            notify_plain(self, f"Saved to {self.workspace.path}", timeout=3)

    def action_export(self) -> None:
        from holdtight.fileio import atomic_write
        from holdtight.reports.documents import html_report, markdown_report

        ws = self.workspace
        written = []
        for suffix, render in ((".md", markdown_report), (".html", html_report)):
            target = ws.path.with_suffix(suffix)
            atomic_write(target, render(ws.rulebook, ws.session, ws.full_result()).encode("utf-8"))
            written.append(str(target))
        notify_plain(self, "Report written: " + " and ".join(written), timeout=6)


class HoldtightApp(App[int]):
    CSS_PATH = Path(__file__).parent / "holdtight.tcss"
    TITLE = "holdtight"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, rulebook: Rulebook, session: Session, path: Path, *, is_new: bool) -> None:
        super().__init__()
        self.workspace = Workspace(rulebook, session, path)
        self.is_new = is_new

    def get_default_screen(self) -> Screen[Any]:
        """The first screen the user needs, drawn first: no blank screen before it."""
        ws = self.workspace
        if self.is_new:
            return StartScreen()
        next_question = ws.first_unanswered()
        return QuestionScreen(next_question or ws.shown[-1])

    def on_mount(self) -> None:
        ws = self.workspace
        self.sub_title = str(ws.path)
        if self.is_new:
            self.autosave()
            return
        if ws.session.warnings:
            notice = "\n".join(f"• {safe_text(w, 160)}" for w in ws.session.warnings[:6])
            more = len(ws.session.warnings) - 6
            if more > 0:
                notice += f"\n… and {more} more"
            notify_plain(
                self, notice, title="On opening this session", severity="warning", timeout=12
            )
        if ws.first_unanswered() is None:
            self.push_screen(ResultsScreen())

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

    def autosave(self) -> bool:
        """Save now; if the file changed on disk meanwhile, ask first. True if saved."""
        try:
            self.workspace.save()
        except ChangedOnDisk:
            if not isinstance(self.screen, ConflictScreen):
                self.push_screen(ConflictScreen(self.workspace.path), self.resolve_conflict)
            return False
        except OSError as error:
            notify_plain(
                self, f"Could not save: {error.strerror or error}", severity="error", timeout=10
            )
            return False
        return True

    async def resolve_conflict(self, keep_mine: bool | None) -> None:
        if keep_mine:
            self.workspace.save(force=True)
            notify_plain(self, f"Saved your version to {self.workspace.path}", timeout=4)
            return
        try:
            self.workspace.reload()
        except HoldtightError as error:
            notify_plain(
                self, f"Could not reload: {safe_text(error, 200)}", severity="error", timeout=10
            )
            return
        notify_plain(self, "Reloaded the session from disk", timeout=4)
        screen = self.screen
        if isinstance(screen, QuestionScreen):
            await screen.show_question(screen.question_id)
        elif isinstance(screen, ResultsScreen):
            self.pop_screen()
            self.push_screen(ResultsScreen())

    async def action_quit(self) -> None:
        if self.autosave():
            self.exit(0)


def run_app(rulebook: Rulebook, session: Session, path: Path, *, is_new: bool) -> int:
    app = HoldtightApp(rulebook, session, path, is_new=is_new)
    result = app.run()
    return int(result or 0)


__all__ = ["SETTINGS", "HoldtightApp", "run_app"]
