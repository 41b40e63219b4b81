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

import math
import re
import shlex
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol, TextIO

from holdtight.engine import score, shown_questions
from holdtight.model import UNSURE, AnswerValue, Question, Rulebook, Session
from holdtight.reports.data import answer_text
from holdtight.reports.documents import markdown_report
from holdtight.sessionfile import check_answer, save_session
from holdtight.terminal_text import for_terminal

COMMANDS_LINE = (
    "Commands: u not sure, b back, ? help, r results, q save and quit. "
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
_SEPARATORS = re.compile(r"[\s,]+")
_MD_ESCAPE = re.compile(r"\\(.)")
_MD_EMPHASIS = re.compile(r"(?<!\\)\*+|(?<!\\)`")
_MD_RULE = re.compile(r"\|?(-+\|)+-*")
_MD_CELL = re.compile(r"(?<!\\)\|")


class _Terminal(Protocol):
    def isatty(self) -> bool: ...


def plain_needed(stdin: _Terminal, stdout: _Terminal, environ: Mapping[str, str]) -> bool:
    """The one place that decides: plain mode whenever standard input or output is not a
    terminal, or the terminal says it is dumb. The full-screen TUI otherwise."""
    try:
        both_terminals = stdin.isatty() and stdout.isatty()
    except (AttributeError, ValueError, OSError):  # closed or replaced streams
        both_terminals = False
    return not both_terminals or environ.get("TERM", "") == "dumb"


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
        self.echo = not _isatty(stdin)
        self.saved = path.exists()

    # --- input and output -------------------------------------------------------------

    def say(self, line: str = "") -> None:
        """Write one line of our own text (text from files is passed through
        `for_terminal` by the caller)."""
        text = line + "\n"
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
        self.save()
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
        step: str | None = self.start_step()
        try:
            while step is not None:
                step = self.meta_step(step) if step in META else self.question_step(step)
            self.finish()
        except _Quit:
            pass
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
        if command == "q":
            raise _Quit
        if command == "?":
            self.say(for_terminal(help_text) if help_text.strip() else "No help for this one.")
            return step
        if command == "r":
            self.results()
            return step
        if command == "b":
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
                continue
            if moved is not None:
                return moved
            if line.strip() == "u":
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
                continue
            if moved is not None:
                return moved
            if not line.strip():
                return self.next_step(qid)
            if line.strip() == "u":
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

    def show_question(self, question: Question) -> None:
        shown = self.shown()
        number = shown.index(question.id) + 1 if question.id in shown else len(shown)
        section = _section_title(self.rulebook, question.section)
        self.say()
        self.say(
            f"Question {number} of {len(shown)}, {for_terminal(section)}: "
            f"{for_terminal(question.prompt)}"
        )
        for n, label in enumerate(_choices(question), start=1):
            self.say(f"{n}. {for_terminal(label)}")
        self.say(_how_to_answer(question))
        current = self.session.answers.get(question.id)
        if current is not None:
            text = answer_text(self.rulebook, question.id, current)
            self.say(f"Current answer: {for_terminal(text, 200)}.")

    def parse(self, question: Question, line: str) -> AnswerValue | None:
        """The answer `line` gives, or None after saying (on one line) what is wrong."""
        text = line.strip()
        try:
            if question.kind in ("single", "scale"):
                values = _option_values(question)
                number = _whole(text)
                if number is None or not 1 <= number <= len(values):
                    raise ValueError(f"type an option number from 1 to {len(values)}")
                return values[number - 1]
            if question.kind == "multi":
                return _multi(question, text)
            if question.kind == "number":
                return check_answer(question, _number(question, text))
            return check_answer(question, line.strip())
        except ValueError as error:
            self.say(
                f"Not understood: {for_terminal(text, 40)!s}: {for_terminal(error)}. Try again."
            )
            return None

    def results(self) -> None:
        """The results as text: the results part of the Markdown report, read as plain
        lines (no heading marks, emphasis or table rules)."""
        result = score(self.rulebook, self.session.answers)
        report = markdown_report(self.rulebook, self.session, result)
        self.say()
        for line in plain_lines(report.split("\n## Answers")[0]):
            self.say(line)
        self.say("End of the results.")

    def finish(self) -> None:
        """After the last question: results on request, back, or save and quit."""
        self.say()
        self.say("That was the last question.")
        while True:
            line = self.ask(
                "Type r for the results, b to go back, or q (or Enter) to save and quit: "
            )
            command = line.strip()
            if command in ("", "q"):
                raise _Quit
            if command == "r":
                self.results()
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


def plain_lines(markdown: str) -> list[str]:
    """Markdown as lines a screen reader reads well: '## Why' becomes 'Why', a table row
    'a, b, c', emphasis and escapes go; each line is made safe for a terminal."""
    lines = []
    for raw in markdown.splitlines():
        line = _MD_EMPHASIS.sub("", raw.rstrip())
        if _MD_RULE.fullmatch(line):
            continue
        if line.startswith("|"):
            line = "; ".join(cell.strip() for cell in _MD_CELL.split(line.strip("|")))
        line = _MD_ESCAPE.sub(r"\1", line.lstrip("#> ") if line.startswith(("#", ">")) else line)
        lines.append(for_terminal(line))
    return lines


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def _section_title(rulebook: Rulebook, section_id: str) -> str:
    for section in rulebook.sections:
        if section.id == section_id:
            return section.title.split(" — ")[0]
    return section_id


def _option_values(question: Question) -> list[AnswerValue]:
    if question.kind == "scale":
        low, high = int(question.min or 0), int(question.max or 0)
        return list(range(low, high + 1))
    return [option.id for option in question.options]


def _choices(question: Question) -> list[str]:
    """The numbered choices read aloud: option labels; for a scale, its labels."""
    if question.kind in ("single", "multi"):
        return [option.label for option in question.options]
    if question.kind != "scale":
        return []
    choices = []
    for n, value in enumerate(_option_values(question), start=1):
        label = question.labels.get(str(value), "")
        if value == n:
            choices.append(label or str(value))
        else:
            choices.append(f"{value}, {label}" if label else str(value))
    return choices


def _how_to_answer(question: Question) -> str:
    if question.kind in ("single", "scale"):
        return f"Type an option number from 1 to {len(_option_values(question))}."
    if question.kind == "multi":
        return (
            "Type the numbers of every option that applies, separated by spaces or "
            "commas, or 0 for none of these."
        )
    if question.kind == "number":
        whole = "a whole number" if question.integer else "a number"
        low = "" if question.min is None else _num(question.min)
        high = "" if question.max is None else _num(question.max)
        unit = f" ({for_terminal(question.unit)})" if question.unit else ""
        if low and high:
            return f"Type {whole} from {low} to {high}{unit}."
        if low:
            return f"Type {whole}, at least {low}{unit}."
        if high:
            return f"Type {whole}, at most {high}{unit}."
        return f"Type {whole}{unit}."
    return "Type your answer on one line."


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _whole(text: str) -> int | None:
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        return None
    return int(text)


def _number(question: Question, text: str) -> int | float:
    bad = ValueError(_how_to_answer(question).replace("Type", "expected", 1).rstrip("."))
    if len(text) > 40 or not text.isascii() or "_" in text:
        raise bad
    try:
        if question.integer:
            return int(text)
        value = float(text)
    except ValueError:
        raise bad from None
    if not math.isfinite(value):
        raise bad
    return int(value) if value.is_integer() else value


def _multi(question: Question, text: str) -> list[str]:
    count = len(question.options)
    parts = [part for part in _SEPARATORS.split(text) if part]
    if parts == ["0"]:
        return []
    chosen: set[int] = set()
    for part in parts:
        number = _whole(part)
        if number is None or not 1 <= number <= count:
            raise ValueError(f"type option numbers from 1 to {count}, or 0 for none")
        chosen.add(number)
    return [option.id for n, option in enumerate(question.options, start=1) if n in chosen]


def run_plain(rulebook: Rulebook, session: Session, path: Path, *, rules: str | None = None) -> int:
    """Run plain mode on the process's standard input and output."""
    command = ["holdtight", "open", str(path)] + (["--rules", rules] if rules else [])
    reopen = shlex.join(command)
    runner = PlainSession(
        rulebook, session, path, reopen=reopen, stdin=sys.stdin, stdout=sys.stdout
    )
    return runner.run()


__all__ = ["PlainSession", "plain_needed", "run_plain"]
