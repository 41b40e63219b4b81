"""The steps of scoring every path shares: which answers count, setting from score,
bounds, and how far a score is from the edges of its band. Pure: no I/O, no clock."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from holdtight.model import SETTINGS, UNSURE, Answers, AnswerValue, Question, Rulebook, settle

TIGHTEST = len(SETTINGS) - 1
INF = float("inf")


def derived(rulebook: Rulebook, name: str, build: Callable[[Rulebook], Any]) -> Any:
    """What the engine derives from a rulebook, built on first use and kept with it
    (in the instance's own dictionary, as `functools.cached_property` keeps a value)."""
    kept = rulebook.__dict__.get(name)
    if kept is None:
        kept = rulebook.__dict__[name] = build(rulebook)
    return kept


def effective_answers(rulebook: Rulebook, answers: Answers) -> dict[str, AnswerValue]:
    """The answers conditions see: answered, not "unsure" (for every kind of question,
    text included), and on a question shown."""
    effective = {key: value for key, value in answers.items() if value != UNSURE}
    _hide(rulebook.conditional, effective)
    return effective


def _hide(conditional: tuple[Question, ...], effective: dict[str, AnswerValue]) -> None:
    """Drop the answers to questions not shown (in order: a `show_if` reads only answers
    to questions before its own)."""
    for question in conditional:
        if question.id in effective and not question.show_if(effective):  # type: ignore[misc]
            del effective[question.id]


def effective_after(
    answers: Answers,
    effective: dict[str, AnswerValue],
    question_id: str,
    value: AnswerValue,
    dependents: tuple[Question, ...],
) -> dict[str, AnswerValue]:
    """`effective_answers` of `answers` with `question_id` answered `value`, from the
    effective answers of `answers` themselves and `dependents`: the questions with a
    `show_if` whose being shown depends on that question (directly or through others),
    in order. No other effective answer can change."""
    changed = dict(effective)
    for key, given in (
        (question_id, value),
        *((q.id, answers.get(q.id)) for q in dependents if q.id != question_id),
    ):
        if given is None or given == UNSURE:
            changed.pop(key, None)
        else:
            changed[key] = given
    _hide(dependents, changed)
    return changed


def is_shown(question: Question, effective: Answers) -> bool:
    return question.show_if is None or question.show_if(effective)


def shown_questions(rulebook: Rulebook, answers: Answers) -> list[str]:
    """Ids of the questions currently asked, in order (conditional ones only if shown)."""
    effective = effective_answers(rulebook, answers)
    return [q.id for q in rulebook.questions.values() if is_shown(q, effective)]


setting_index: Callable[[tuple[float, float, float, float], float], int] = bisect_right
"""`setting_index(thresholds, score)`: 0 (loose) … 4 (tight), the number of thresholds
at or below the score, so a score equal to a threshold takes the tighter setting. The
one definition of setting from score (thresholds rise strictly and scores are finite,
which the rulebook's checks make sure of); `bisect_right` counts them in C."""


def band(thresholds: tuple[float, float, float, float], score: float) -> tuple[float, float]:
    """(low, high): the scores from `low`, up to but not including `high`, take the same
    setting as `score` (`setting_index`'s bands)."""
    index = setting_index(thresholds, score)
    return (
        thresholds[index - 1] if index > 0 else -INF,
        thresholds[index] if index < TIGHTEST else INF,
    )


def setting_indexes(
    thresholds: tuple[float, float, float, float], scores: list[float]
) -> list[int]:
    """`setting_index` of each score."""
    index = setting_index
    return [index(thresholds, score) for score in scores]


def bounds(
    rulebook: Rulebook, fired: list[bool], domain_id: str
) -> tuple[int, int, list[int], list[int]]:
    """(floor, ceiling, rules setting the floor, rules setting the ceiling)."""
    low, high = 0, TIGHTEST
    low_rules: list[int] = []
    high_rules: list[int] = []
    rules = rulebook.rules
    for i in rulebook.rules_by_domain[domain_id]:
        if not fired[i]:
            continue
        rule = rules[i]
        for d, bound in rule.at_least:
            if d == domain_id and bound >= low:
                if bound > low:
                    low_rules.clear()
                low = bound
                low_rules.append(i)
        for d, bound in rule.at_most:
            if d == domain_id and bound <= high:
                if bound < high:
                    high_rules.clear()
                high = bound
                high_rules.append(i)
    return low, high, low_rules, high_rules


def clamp(raw: int, low: int, high: int) -> int:
    """A setting held between the bounds of the rules that fired; when the bounds
    conflict (a floor above a ceiling), the tighter wins."""
    if low > high:
        return low
    return min(max(raw, low), high)


def held(entries: tuple[tuple[int, int, int], ...], fired: list[bool]) -> tuple[int, int]:
    """(floor, ceiling) of a domain from its bound rules (`Rulebook.bound_rules`) that
    fired; (0, tightest) when none did, which holds nothing."""
    low, high = 0, TIGHTEST
    for i, at_least, at_most in entries:
        if fired[i]:
            if at_least > low:
                low = at_least
            if at_most < high:
                high = at_most
    return low, high


Holds = dict[int, tuple[int, int]]
"""(floor, ceiling) by the position of each domain with bound rules (`held`)."""


def settings_of(
    rulebook: Rulebook, fired: list[bool], scores: list[float], holds: Holds | None = None
) -> list[int]:
    """Final setting per domain: from the score, then held by any bounds that fired.
    `holds`, when given, receives each bounded domain's (floor, ceiling), for the
    scenarios and levers that change no bound rule of that domain."""
    thresholds = rulebook.thresholds
    index = setting_index
    settings = [index(thresholds, score) for score in scores]
    for position, entries in rulebook.bound_rules.items():
        low, high = held(entries, fired)
        if holds is not None:
            holds[position] = (low, high)
        if low or high != TIGHTEST:  # (0, tightest) holds nothing
            settings[position] = clamp(settings[position], low, high)
    return settings


def margin(thresholds: tuple[float, float, float, float], score: float) -> float:
    """How far `score` is from the nearest threshold of its band, in score points (the
    open-ended bands, loose and tight, have one threshold each)."""
    index = setting_index(thresholds, score)
    lower = score - thresholds[index - 1] if index > 0 else INF
    upper = thresholds[index] - score if index < TIGHTEST else INF
    return settle(min(lower, upper))


def lean_index(thresholds: tuple[float, float, float, float], score: float) -> int:
    """The setting next to `score`'s band on the side of its nearest threshold."""
    index = setting_index(thresholds, score)
    lower = score - thresholds[index - 1] if index > 0 else INF
    upper = thresholds[index] - score if index < TIGHTEST else INF
    return index - 1 if lower <= upper else index + 1
