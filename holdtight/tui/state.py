"""The session being edited: answers in, engine result out. Screens call this; the app
saves after every change. It holds no widget and imports no Textual."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from holdtight.engine import score, shown_questions
from holdtight.model import AnswerValue, Question, Result, Rulebook, Session
from holdtight.sessionfile import check_answer, load_session, save_session


class ChangedOnDisk(Exception):
    """The session file was changed by someone else since we last read or wrote it."""


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


@dataclass
class Workspace:
    rulebook: Rulebook
    session: Session
    path: Path
    result: Result = field(init=False)
    """Settings for the live panel, without levers (cheap enough for every keystroke)."""
    _full: Result | None = field(init=False, default=None)
    stamp: tuple[int, int, int] | None = field(init=False)
    saved: Any = field(init=False)
    """What the file holds, as of the last read or write (`_content`)."""

    def __post_init__(self) -> None:
        self.result = score(self.rulebook, self.session.answers, levers=False)
        self.stamp = _stamp(self.path)
        self.saved = self._content()

    def _content(self) -> Any:
        s = self.session
        return copy.deepcopy((s.answers, s.notes, s.meta, s.unknown))

    def full_result(self) -> Result:
        """The result with levers, for the results screen and reports; kept until the
        next change."""
        if self._full is None:
            self._full = score(self.rulebook, self.session.answers)
        return self._full

    @property
    def shown(self) -> list[str]:
        return shown_questions(self.rulebook, self.session.answers)

    def question(self, qid: str) -> Question:
        return self.rulebook.questions[qid]

    def answered(self, qid: str) -> bool:
        return qid in self.session.answers

    def first_unanswered(self) -> str | None:
        for qid in self.shown:
            if qid not in self.session.answers and self.question(qid).required:
                return qid
        return None

    def unanswered_required(self) -> list[str]:
        return [
            q for q in self.shown if q not in self.session.answers and self.question(q).required
        ]

    def touched(self) -> bool:
        """Anything typed or answered yet (a new session with nothing in it is not saved)."""
        s = self.session
        return bool(s.answers or s.notes or s.meta.get("organization") or s.meta.get("respondent"))

    def set_answer(self, qid: str, value: object) -> list[str]:
        """Check, store and rescore (the app saves). Returns the domains whose setting
        moved. Raises ValueError, with the message to show, for an invalid answer."""
        checked: AnswerValue = check_answer(self.question(qid), value)
        self.session.answers[qid] = checked
        self.session.unknown.pop(qid, None)  # a new answer replaces one kept from before
        return self._changed()

    def clear_answer(self, qid: str) -> list[str]:
        self.session.answers.pop(qid, None)
        return self._changed()

    def set_note(self, qid: str, text: str) -> None:
        if text.strip():
            self.session.notes[qid] = text
        else:
            self.session.notes.pop(qid, None)

    def set_meta(self, organization: str, respondent: str) -> None:
        self.session.meta["organization"] = organization
        self.session.meta["respondent"] = respondent

    def _changed(self) -> list[str]:
        before = {d.id: d.setting for d in self.result.domains}
        self.result = score(self.rulebook, self.session.answers, levers=False)
        self._full = None
        return [d.id for d in self.result.domains if before.get(d.id) != d.setting]

    def save(self, force: bool = False) -> None:
        """Save atomically, when anything changed since the file was read or written.
        Raises ChangedOnDisk, unless forced, when someone else changed the file since we
        last read or wrote it: their work is not overwritten silently."""
        content = self._content()
        if content == self.saved and self.path.exists():
            return  # nothing changed: a write would only move the file's "updated" date
        if not force and _stamp(self.path) != self.stamp:
            raise ChangedOnDisk(str(self.path))
        save_session(self.path, self.session, self.rulebook)
        self.stamp = _stamp(self.path)
        self.saved = content

    def reload(self) -> None:
        """Replace the session with what is on disk now."""
        self.session = load_session(self.path, self.rulebook, unknown="keep")
        self.result = score(self.rulebook, self.session.answers, levers=False)
        self._full = None
        self.stamp = _stamp(self.path)
        self.saved = self._content()

    def section_progress(self) -> list[tuple[str, str, int, int, bool]]:
        """(section id, title, answered, shown, complete) for each section: complete when
        no required question shown in it is unanswered, the rule `first_unanswered` and
        the results' unanswered list use too."""
        shown = self.shown
        rows = []
        for section in self.rulebook.sections:
            ids = [q for q in shown if self.question(q).section == section.id]
            done = sum(1 for q in ids if q in self.session.answers)
            complete = all(q in self.session.answers or not self.question(q).required for q in ids)
            rows.append((section.id, section.title, done, len(ids), complete))
        return rows


def export_documents(ws: Workspace) -> list[tuple[Path, str]]:
    """The report files the results screen exports, beside the session file: (path,
    text) for Markdown and HTML."""
    from holdtight.reports.documents import html_report, markdown_report

    result = ws.full_result()
    return [
        (ws.path.with_suffix(suffix), render(ws.rulebook, ws.session, result))
        for suffix, render in ((".md", markdown_report), (".html", html_report))
    ]


def not_ours(path: Path, text: str) -> bool:
    """Whether `path` holds a file that is not a report holdtight wrote, which an export
    must not replace without asking: an HTML file without holdtight's generator mark,
    a Markdown file whose first line is not this report's title line. A file that
    cannot be read is left to the write to report."""
    from holdtight.reports.html_doc import GENERATOR

    try:
        with open(path, "rb") as file:
            head = file.read(4096).decode("utf-8", "replace")
    except FileNotFoundError:
        return False
    except OSError:
        return False
    if path.suffix == ".html":
        return GENERATOR not in head
    return head.split("\n", 1)[0] != text.split("\n", 1)[0]
