"""The results: posture, one row per domain, the selected domain's detail; Enter opens it
full size; unanswered required questions and the answers behind a domain can be jumped to."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from holdtight.reports.data import answer_text
from holdtight.reports.phrases import CONFIDENCE_LABELS
from holdtight.reports.terminal import CONFIDENCE_STYLE, SETTING_STYLE, domain_detail_renderable
from holdtight.tui.screens.base import AppScreen
from holdtight.tui.screens.domain import DomainScreen
from holdtight.tui.text import Hanging, hang_bullets, marker, plain
from holdtight.tui.widgets.footer import KeysFooter


class ResultsScreen(AppScreen):
    BINDINGS = [
        Binding("enter", "open", "Open domain", show=True),
        Binding("c", "change", "Change an answer"),
        Binding("e", "export", "Export report"),
        Binding("escape", "back", "Questions", key_display="esc"),
        Binding("ctrl+s", "save", "Save", show=False),  # saved anyway: Quit fits at 60
    ]

    def __init__(self) -> None:
        super().__init__()
        self.domain_id = ""
        self.laid_out_for = 0
        """The width the table's columns were chosen for."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="results-top")
        yield DataTable(id="domains", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="detail"):
            yield Static(id="detail-text")
            yield Label("Change an answer behind this domain (c):", classes="muted")
            yield OptionList(id="jump")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.fill()
        self.query_one("#domains", DataTable).focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.fill()

    def on_resize(self) -> None:
        """The columns and the survey line are chosen by width: laid out again when it
        changes (narrowed from 100 to 60, Setting and Confidence were cut off)."""
        if self.is_mounted and self.app.size.width != self.laid_out_for:
            self.fill()

    def fill(self) -> None:
        ws = self.workspace
        result = ws.full_result()
        moved = self.holdtight.moved
        survey = ws.rulebook.meta.posture.survey
        top = Text()
        top.append(
            f"Posture: {ws.rulebook.posture_text(result.posture_label)} "
            f"({result.posture_index:+.2f})",
            style="bold",
        )
        if survey and self.app.size.width >= 100:
            top.append(
                f"   Survey of {survey.respondents} leaders: {survey.more_centralized:g}% "
                f"more centralized, {survey.midway:g}% midway, "
                f"{survey.more_decentralized:g}% more decentralized"
            )
        missing = ws.unanswered_required()
        # Counted as the sections bar counts: "not sure" is an answer given.
        shown = ws.shown
        answered = [q for q in shown if q in ws.session.answers]
        unsure = sum(1 for q in answered if ws.session.answers[q] == "unsure")
        top.append(f"\nAnswered {len(answered)} of {len(shown)}", style="italic")
        if unsure:
            top.append(f" ({unsure} not sure)", style="italic")
        # The counts add up: what is unanswered is required (listed) or optional.
        optional = len(shown) - len(answered) - len(missing)
        if missing:
            top.append(f"; {len(missing)} required still unanswered (listed below)", style="italic")
        if optional:
            top.append(f"{',' if missing else ';'} {optional} optional unanswered", style="italic")
        if moved:
            top.append("; ▶ marks a domain your change moved", style="italic")
        top.append(". Enter opens a domain.", style="italic")
        self.query_one("#results-top", Static).update(top)
        table = self.query_one("#domains", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        self.laid_out_for = self.app.size.width
        wide = self.app.size.width >= 80
        # The spectrum fits beside short names from 60 columns, beside titles from 80.
        spectrum = self.app.size.width >= 60
        spare = self.app.size.width - (44 if spectrum else 31)
        table.add_column("Domain", width=max(16, min(50, spare)) if wide else 16)
        if spectrum:
            table.add_column("tight…loose", width=11)
        table.add_column("Setting", width=11)
        table.add_column("Confidence", width=10)
        # Narrow, the table names domains by their short names, a row each (full titles
        # took two rows each and four domains filled the table at 60×20); the detail
        # below it gives the full title of the one selected.
        short = {} if wide else {domain.id: domain.short for domain in ws.rulebook.domains}
        for d in result.domains:
            title = short.get(d.id) or d.title
            label = Hanging("▶ " if d.id in moved else "  ", plain(title))
            cells = [label, marker(d.setting)] if spectrum else [label]
            table.add_row(
                *cells,
                Text(ws.rulebook.setting_label(d.setting), style=SETTING_STYLE[d.setting]),
                Text(CONFIDENCE_LABELS[d.confidence], style=CONFIDENCE_STYLE[d.confidence]),
                key=d.id,
                height=None,  # full titles, wrapped
            )
        if row:
            table.move_cursor(row=row)
        self.show_domain(self.domain_id or result.domains[0].id)

    @on(DataTable.RowHighlighted, "#domains")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value:
            self.show_domain(event.row_key.value)

    @on(DataTable.RowSelected, "#domains")
    def selected(self) -> None:
        self.action_open()

    def show_domain(self, domain_id: str) -> None:
        self.domain_id = domain_id
        ws = self.workspace
        book = ws.rulebook
        detail = hang_bullets(
            domain_detail_renderable(
                book, ws.full_result(), domain_id, full=False, answers=ws.session.answers
            )
        )
        self.query_one("#detail-text", Static).update(detail)
        jump = self.query_one("#jump", OptionList)
        jump.clear_options()
        for qid in ws.unanswered_required():
            prompt = plain(f"Unanswered: {book.questions[qid].short_label}", style="bold")
            jump.add_option(Option(prompt, id=qid))
        for qid in sorted(book.domain_reads[domain_id], key=lambda q: book.questions[q].order):
            if qid in ws.shown and qid in ws.session.answers:
                shown = answer_text(book, qid, ws.session.answers.get(qid))
                name = book.questions[qid].short_label
                jump.add_option(Option(plain(f"{name}: {shown}"), id=qid))
        if jump.option_count:
            jump.highlighted = 0

    def action_open(self) -> None:
        ws = self.workspace
        detail = hang_bullets(
            domain_detail_renderable(
                ws.rulebook, ws.full_result(), self.domain_id, answers=ws.session.answers
            )
        )
        self.app.push_screen(DomainScreen(detail))

    @on(OptionList.OptionSelected, "#jump")
    def jump_to(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.change(event.option.id)

    def change(self, qid: str) -> None:
        from holdtight.tui.screens.question import QuestionScreen

        self.holdtight.moved = []
        self.app.push_screen(QuestionScreen(qid, return_to_results=True))

    def action_change(self) -> None:
        jump = self.query_one("#jump", OptionList)
        if self.focused is jump and jump.highlighted is not None:
            option = jump.get_option_at_index(jump.highlighted)
            if option.id:
                self.change(option.id)
            return
        jump.focus()

    def action_back(self) -> None:
        from holdtight.tui.screens.question import QuestionScreen

        stack = self.app.screen_stack
        if len(stack) > 1 and isinstance(stack[-2], QuestionScreen):
            self.app.pop_screen()
        else:
            ws = self.workspace
            self.app.switch_screen(QuestionScreen(ws.first_unanswered() or ws.shown[-1]))

    def action_save(self) -> None:
        self.holdtight.save_now(announce="Saved")

    def action_export(self) -> None:
        self.holdtight.export()
