"""Plain mode: the questionnaire as numbered lines, one question at a time, for screen
readers, dumb terminals and pipes. No colour, no cursor movement, no escape codes: every
line is plain text, and text from a file goes through `for_terminal` first. It never
imports Textual (tests/cli/test_plain_mode.py proves it).

It asks the organization and the respondent, then each question shown (conditional ones
appear and disappear as answers change). Commands: `u` not sure, `b` back, `?` help,
`r` the results, `q` save and quit; an empty line keeps the current answer. The session
is saved after every change, in the same file format as the TUI; at the end of input it
is saved and the command exits 0 naming the file."""

from __future__ import annotations

import contextlib
import shlex
import sys
from pathlib import Path
from typing import TextIO

from holdtight.commands.plain_choice import plain_needed
from holdtight.commands.plain_text import (
    choices,
    how_to_answer,
    option_values,
    parse_multi,
    parse_number,
    plain_lines,
    section_title,
    whole_number,
)
from holdtight.engine import score, shown_questions
from holdtight.limits import MAX_TEXT
from holdtight.model import UNSURE, AnswerValue, Question, Rulebook, Session
from holdtight.reports.data import answer_text
from holdtight.sessionfile import check_answer, save_session
from holdtight.terminal_text import for_terminal, is_terminal, terminal_columns, wrapped

COMMANDS_LINE = (
    "Commands: u not sure, b back, n note, ? help, r results, q save and quit. "
    "An empty line keeps the current answer and moves on."
)
META = ("organization", "respondent")
META_PROMPTS = {
    "organization": "Organization: the school system these answers are for.",
    "respondent": "Respondent: your name or role.",
}
META_HELP = {
    "organization": "The name of the district, network or organization. It heads the report.",
    "respondent": "Who is answering: a name or a role. It is shown in the report.",
}


class _Quit(Exception):
    """`q` typed, or the end of input reached."""


class PlainSession:
    """One run of plain mode over `session`, saved to `path`."""

    def __init__(
        self,
        rulebook: Rulebook,
        session: Session,
        path: Path,
        *,
        reopen: str,
        stdin: TextIO,
        stdout: TextIO,
    ) -> None:
        self.rulebook = rulebook
        self.session = session
        self.path = path
        self.reopen = reopen
        self.stdin = stdin
        self.stdout = stdout
        self.echo = not is_terminal(stdin)
        self.saved = path.exists()
        # At a terminal, long lines break between words (a terminal breaks them inside
        # one); through a pipe every line stays whole for whatever reads it.
        columns = terminal_columns(stdout)
        self.width = columns - 1 if columns else 0

    # --- input and output -------------------------------------------------------------

    def say(self, line: str = "") -> None:
        """Write one line of our own text (text from files is passed through
        `for_terminal` by the caller)."""
        text = (wrapped(line, self.width) if self.width > 20 else line) + "\n"
        try:
            self.stdout.write(text)
        except UnicodeEncodeError:
            encoding = getattr(self.stdout, "encoding", None) or "ascii"
            self.stdout.write(text.encode(encoding, "replace").decode(encoding))
        self.stdout.flush()

    def ask(self, prompt: str) -> str:
        """Read one line after `prompt`. Raises _Quit at the end of input."""
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.say()
            raise _Quit
        line = line.rstrip("\r\n")
        if self.echo:  # a transcript that reads like the conversation it was
            self.say(for_terminal(line, 200))
        return line

    # --- saving ------------------------------------------------------------------------

    def save(self) -> None:
        save_session(self.path, self.session, self.rulebook)
        self.saved = True

    def goodbye(self) -> int:
        if not self.saved:
            self.say("Nothing was typed, so no file was written.")
            return 0
        # Every answer was saved as it was given: saving again would only move the
        # file's "updated" date (and a report's) without a change.
        shown = shown_questions(self.rulebook, self.session.answers)
        answered = sum(1 for q in shown if q in self.session.answers)
        self.say(f"Saved {answered} of {len(shown)} answers to {for_terminal(self.path)}.")
        self.say(f"To continue later, run: {for_terminal(self.reopen)}")
        return 0

    # --- the questionnaire --------------------------------------------------------------

    def run(self) -> int:
        self.say("holdtight, plain mode. " + for_terminal(self.rulebook.meta.title))
        self.say(f"Session file: {for_terminal(self.path)}")
        self.say(COMMANDS_LINE)
        for warning in self.session.warnings:
            self.say(f"Note: {for_terminal(warning)}")
        step: str | None = self.start_step()
        try:
            if step is None:  # reopened with nothing left to ask
                self.say()
                self.say(f"All {len(self.shown())} questions are answered already.")
                self.finish(first="")
            else:
                while step is not None:
                    step = self.meta_step(step) if step in META else self.question_step(step)
                self.finish()
        except _Quit:
            pass
        except KeyboardInterrupt:  # ctrl+c: everything typed is saved already; say where
            self.say()
            self.goodbye()
            return 130
        return self.goodbye()

    def start_step(self) -> str | None:
        """Where to resume: the organization or respondent if not given and nothing is
        answered yet, else the first shown question not answered, else the end."""
        if not self.session.answers:
            for key in META:
                if not str(self.session.meta.get(key, "")).strip():
                    return key
        for qid in self.shown():
            if qid not in self.session.answers:
                return qid
        return None

    def shown(self) -> list[str]:
        return shown_questions(self.rulebook, self.session.answers)

    def next_step(self, step: str) -> str | None:
        if step == "organization":
            return "respondent"
        shown = self.shown()
        if step == "respondent":
            return shown[0] if shown else None
        order = self.rulebook.questions[step].order
        return next((q for q in shown if self.rulebook.questions[q].order > order), None)

    def previous_step(self, step: str) -> str | None:
        if step == "organization":
            return None
        if step == "respondent":
            return "organization"
        shown = self.shown()
        if step == "":  # the end
            return shown[-1] if shown else "respondent"
        order = self.rulebook.questions[step].order
        before = [q for q in shown if self.rulebook.questions[q].order < order]
        return before[-1] if before else "respondent"

    def common(self, line: str, step: str, help_text: str) -> str | None:
        """Handle a command common to every step. Returns the step to go to (`step`
        itself to ask again), or None when `line` is not such a command."""
        command = line.strip()
        if command.lower() == "q":  # a letter in either case (caps lock on)
            raise _Quit
        if command == "?":
            self.say(for_terminal(help_text) if help_text.strip() else "No help for this one.")
            self.say(COMMANDS_LINE)  # said once at the start, long ago by now
            return step
        if _results_command(command):
            self.results(command)
            return step
        if command.lower() == "b":
            previous = self.previous_step(step)
            if previous is None:
                self.say("This is the first question; there is nothing before it.")
                return step
            return previous
        return None

    def meta_step(self, key: str) -> str | None:
        current = for_terminal(self.session.meta.get(key, ""), 200)
        self.say()
        self.say(META_PROMPTS[key])
        if current:
            self.say(f"Current answer: {current}.")
        while True:
            line = self.ask("Type it, then Enter: ")
            moved = self.common(line, key, META_HELP[key])
            if moved == key:
                if _results_command(line.strip()):  # after the results, say what is asked
                    self.say()
                    self.say(META_PROMPTS[key])
                continue
            if moved is not None:
                return moved
            if line.strip().lower() == "u":
                self.say("Not sure does not apply here: type a name, or an empty line to skip.")
                continue
            if line.strip():
                self.session.meta[key] = line.strip()
                self.save()
            return self.next_step(key)

    def question_step(self, qid: str) -> str | None:
        question = self.rulebook.questions[qid]
        self.show_question(question)
        while True:
            line = self.ask("Your answer: ")
            moved = self.common(line, qid, question.help)
            if moved == qid:
                if _results_command(line.strip()):  # after the results, read the question
                    self.show_question(question)
                continue
            if moved is not None:
                return moved
            if not line.strip():
                if qid not in self.session.answers:
                    self.say("Skipped, not answered.")  # said: silence reads as nothing
                return self.next_step(qid)
            if line.strip().lower() == "n":
                self.take_note(qid)
                continue
            if line.strip().lower() == "u":
                value: AnswerValue | None = UNSURE
            else:
                value = self.parse(question, line)
                if value is None:
                    continue
            self.session.answers[qid] = check_answer(question, value)
            self.session.unknown.pop(qid, None)
            self.save()
            self.say(f"Saved: {for_terminal(answer_text(self.rulebook, qid, value), 200)}.")
            return self.next_step(qid)

    def take_note(self, qid: str) -> None:
        """A note beside the question's answer, as the TUI's note field keeps it."""
        current = self.session.notes.get(qid, "").strip()
        if current:
            self.say(f"Current note: {for_terminal(current, 1000)}")
        text = self.ask("Note (an empty line keeps it, a dash alone removes it): ").strip()
        if not text:
            self.say("Note unchanged.")
        elif text == "-":
            self.session.notes.pop(qid, None)
            self.save()
            self.say("Note removed.")
        elif len(text) > MAX_TEXT:
            self.say(f"A note holds at most {MAX_TEXT:,} characters: this one was not saved.")
        else:
            self.session.notes[qid] = text
            self.save()
            self.say("Note saved. Now the answer.")

    def show_question(self, question: Question) -> None:
        shown = self.shown()
        number = shown.index(question.id) + 1 if question.id in shown else len(shown)
        section = section_title(self.rulebook, question.section)
        self.say()
        self.say(
            f"Question {number} of {len(shown)}, {for_terminal(section)}: "
            f"{for_terminal(question.prompt)}"
        )
        for n, label in enumerate(choices(question), start=1):
            self.say(f"{n}. {for_terminal(label)}")
        self.say(how_to_answer(question).removesuffix(".") + ", or u if you are not sure.")
        current = self.session.answers.get(question.id)
        if current is not None:
            text = answer_text(self.rulebook, question.id, current)
            self.say(f"Current answer: {for_terminal(text, 200)}.")
        note = self.session.notes.get(question.id, "").strip()
        if note:
            # A merged team session leaves each disagreement's "who answered what" here.
            self.say(f"Note: {for_terminal(note, 1000)}")

    def parse(self, question: Question, line: str) -> AnswerValue | None:
        """The answer `line` gives, or None after saying (on one line) what is wrong."""
        text = line.strip()
        try:
            if question.kind in ("single", "scale"):
                values = option_values(question)
                number = whole_number(text)
                if number is None or not 1 <= number <= len(values):
                    raise ValueError(
                        f"'{for_terminal(text, 40)}' is not an option number "
                        f"from 1 to {len(values)}"
                    )
                return values[number - 1]
            if question.kind == "multi":
                return parse_multi(question, text)
            if question.kind == "number":
                return check_answer(question, parse_number(question, text))
            return check_answer(question, line.strip())
        except ValueError as error:
            message = for_terminal(error)
            self.say(f"{message[:1].upper()}{message[1:]}. Try again.")
            return None

    def results(self, command: str = "r") -> None:
        """The results as text, read from the Markdown report as plain lines (no heading
        marks, emphasis or table rules): `r` the executive summary, `r N` the N-th
        setting in the summary's order with its reasons, `r all` every setting's and
        the readiness bars."""
        result = score(self.rulebook, self.session.answers)
        # Here, not at the top: the TUI's start imports this module for `plain_needed`,
        # and the report's modules cost it about 7 ms it does not need.
        from holdtight.reports.markdown_doc import (
            SPOKEN,
            bars_markdown,
            domain_markdown,
            summary_markdown,
        )
        from holdtight.reports.outline import build_outline

        outline = build_outline(self.rulebook, self.session, result)
        views = [view for page in outline.pages for view in page.domains]
        which = command[1:].strip().lower()
        self.say()
        if not which:
            for line in plain_lines(
                "\n".join(summary_markdown(outline, guard_rails=False, marks=SPOKEN, numbered=True))
            ):
                self.say(line)
            self.say()
            self.say(
                f"That was the summary. For the reasons behind a setting, type r and its "
                f"number in the list above (r 1 is {for_terminal(views[0].title)}), "
                "or r all for every setting and the readiness bars."
                if views
                else "That was the summary."
            )
            return
        if which == "all":
            numbers = range(1, len(views) + 1)
        else:
            number = int(which)
            if not 1 <= number <= len(views):
                self.say(f"Type r and a number from 1 to {len(views)}, r all, or r alone.")
                return
            numbers = range(number, number + 1)
        markdown = []
        for number in numbers:  # numbered as `r N` counts them
            heading, *rest = domain_markdown(views[number - 1], SPOKEN)
            markdown += [heading.replace("### ", f"### {number}. ", 1), *rest]
        if which == "all":
            markdown += bars_markdown(outline, headed=True)
        for line in plain_lines("\n".join(markdown)):
            self.say(line)
        self.say()
        self.say("End of the results.")

    def finish(self, first: str = "That was the last question.") -> None:
        """After the last question (or on reopening a finished session, with `first`
        empty: it was said already): results on request, back, or save and quit."""
        if first:
            self.say()
            self.say(first)
        while True:
            line = self.ask(
                "Type r for the results, b to go back, or q (or Enter) to save and quit: "
            )
            command = line.strip()
            if command in ("", "q"):
                raise _Quit
            if _results_command(command):
                self.results(command)
            elif command == "?":
                self.say(COMMANDS_LINE)
            elif command == "b":
                step = self.previous_step("")
                while step is not None:
                    step = self.meta_step(step) if step in META else self.question_step(step)
                self.say()
                self.say("That was the last question.")
            else:
                self.say("Not understood. Type r, b or q.")


def _results_command(command: str) -> bool:
    """`r`, `r all` or `r` and a number (see `PlainSession.results`); any other line
    starting with "r " is an answer (a text question's "r and d", say)."""
    if command.lower() == "r":
        return True
    rest = command[2:].strip().lower() if command[:2].lower() == "r " else ""
    return rest == "all" or rest.isdigit()


def run_plain(rulebook: Rulebook, session: Session, path: Path, *, rules: str | None = None) -> int:
    """Run plain mode on the process's standard input and output. Bytes that are not
    text in their encoding become U+FFFD, both ways: a stray byte in a pipe is one odd
    character, never a crash."""
    for stream in (sys.stdin, sys.stdout):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(Exception):
                reconfigure(errors="replace")
    command = ["holdtight", "open", str(path)] + (["--rules", rules] if rules else [])
    reopen = shlex.join(command)
    runner = PlainSession(
        rulebook, session, path, reopen=reopen, stdin=sys.stdin, stdout=sys.stdout
    )
    return runner.run()


__all__ = ["PlainSession", "plain_needed", "run_plain"]
