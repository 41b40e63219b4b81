"""The session being edited: answers in, engine result out, saved after every change.
Screens call this; it holds no widget and imports no Textual."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from holdtight.engine import score, shown_questions
from holdtight.model import AnswerValue, Question, Result, Rulebook, Session
from holdtight.sessionfile import check_answer, save_session


@dataclass
class Workspace:
    rulebook: Rulebook
    session: Session
    path: Path
    result: Result = field(init=False)
    previous: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.result = score(self.rulebook, self.session.answers)

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

    def set_answer(self, qid: str, value: object) -> list[str]:
        """Check, store, rescore and save. Returns the domains whose setting moved.
        Raises ValueError (with the message to show) for an invalid answer."""
        checked: AnswerValue = check_answer(self.question(qid), value)
        self.session.answers[qid] = checked
        return self._changed()

    def clear_answer(self, qid: str) -> list[str]:
        self.session.answers.pop(qid, None)
        return self._changed()

    def set_note(self, qid: str, text: str) -> None:
        if text.strip():
            self.session.notes[qid] = text
        else:
            self.session.notes.pop(qid, None)
        self.save()

    def set_meta(self, organization: str, respondent: str) -> None:
        self.session.meta["organization"] = organization
        self.session.meta["respondent"] = respondent
        self.save()

    def _changed(self) -> list[str]:
        before = {d.id: d.setting for d in self.result.domains}
        self.result = score(self.rulebook, self.session.answers)
        self.save()
        return [d.id for d in self.result.domains if before.get(d.id) != d.setting]

    def save(self) -> None:
        save_session(self.path, self.session, self.rulebook)

    def section_progress(self) -> list[tuple[str, str, int, int]]:
        """(section id, title, answered, shown) for each section."""
        shown = self.shown
        rows = []
        for section in self.rulebook.sections:
            ids = [q for q in shown if self.question(q).section == section.id]
            done = sum(1 for q in ids if q in self.session.answers)
            rows.append((section.id, section.title, done, len(ids)))
        return rows
