"""The shapes of the report outline (`holdtight.reports.outline` builds them): plain
frozen dataclasses with labels, never ids, in every text a person reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

GroupKey = Literal["tight", "balance", "loose"]


@dataclass(frozen=True)
class Reason:
    """One "why", merged over rules that share a text: its direction in words."""

    text: str
    weight: float
    direction: str
    """'toward tight, +2', 'toward loose, −1', or a bound such as 'holds it at least Lean tight'."""
    answers: tuple[str, ...]
    """'prompt — answer' for the answers the rule read."""
    answer_labels: tuple[str, ...]
    """The answers alone, for a page where the reason's text names the question."""


@dataclass(frozen=True)
class LeverLine:
    prompt: str
    answers: str
    setting_label: str
    looser: bool


@dataclass(frozen=True)
class LeverGroup:
    title: str
    section: str
    lines: tuple[LeverLine, ...]


@dataclass(frozen=True)
class DomainView:
    id: str
    title: str
    setting: str
    setting_label: str
    confidence: str
    confidence_words: str
    tight_means: str
    loose_means: str
    starting_point: str
    reasons: tuple[Reason, ...]
    """The strongest reasons (and every firm bound), for the domain's page."""
    smaller: str
    """The other reasons summed in a sentence ('' when there are none)."""
    all_reasons: tuple[Reason, ...]
    held_by: str
    guard_rails: tuple[str, ...]
    levers: tuple[LeverGroup, ...]
    other_levers: tuple[LeverLine, ...]
    borderline: str
    """'Balanced, close to Lean tight' when a small change of score would move it; else ''."""
    road: tuple[tuple[str, str], ...]
    """(stage, setting label): now, then schools that meet the bar, then the next stage."""
    earned_by: tuple[str, ...] = ()
    """'Leave loose: Schools that meet the readiness bar' for each readiness tier that
    loosens this domain; its criteria are in the appendix of readiness bars."""


@dataclass(frozen=True)
class SummaryItem:
    domain: str
    setting_label: str
    guard_rail: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class SummaryGroup:
    key: GroupKey
    title: str
    items: tuple[SummaryItem, ...]


@dataclass(frozen=True)
class PathStep:
    """A step on the earned-autonomy path: a readiness scenario of the rulebook (the bar
    schools meet) and the domains it would let them decide for themselves."""

    title: str
    criteria: tuple[str, ...]
    opens: tuple[str, ...]
    """'Domain: from Hold tight to Lean tight'."""


@dataclass(frozen=True)
class Page:
    title: str
    domains: tuple[DomainView, ...]


@dataclass(frozen=True)
class AnswerLine:
    prompt: str
    answer: str
    note: str


@dataclass(frozen=True)
class AnswerSection:
    title: str
    lines: tuple[AnswerLine, ...]


@dataclass(frozen=True)
class Outline:
    schema: int
    organization: str
    prepared_for: str
    prepared_by: str
    date: str
    date_meaning: str
    rulebook_title: str
    rulebook_version: str
    rulebook_note: str
    details: tuple[tuple[str, str], ...]
    posture: str
    survey: str
    """How other systems' leaders placed themselves, when the rulebook cites a survey."""
    vision_statement: str
    summary: tuple[SummaryGroup, ...]
    setting_labels: tuple[tuple[str, str], ...]
    """(setting id, the rulebook's label for it), loosest first: all five, shown or not."""
    flagged: tuple[str, ...]
    check_first: str
    """The flagged settings in one line: by name when few, else how many and why."""
    path: tuple[PathStep, ...]
    next_steps: tuple[str, ...]
    pages: tuple[Page, ...]
    answers: tuple[AnswerSection, ...]
    method: tuple[str, ...]
    reflection: tuple[str, ...]
    """Questions for the leadership team to discuss."""
    sources: tuple[tuple[str, str], ...]
    """(citation text, URL or '')."""
    warnings: tuple[str, ...]
    domains: tuple[DomainView, ...]
    """Every domain, in rulebook order."""
