"""Levers: every single-answer change that moves a domain's setting. Pure.

A rule that reads one question only fires or not by that question's answer alone, so
what each other answer of a question flips among those rules, and how far that moves
each domain's score, depends only on the question's current answer: it is worked out on
first need and kept with the rulebook (`LeverPlan.tables`). Per session, only the rules
that read the question and others are tested again, and the domains a flip moves or
bounds are set again by the engine's own steps (`setting_index`, `clamp`). A question
that decides whether others are shown rescores every rule that reads a question whose
effective answer changes.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from holdtight.model import (
    SETTINGS,
    UNSURE,
    Answers,
    AnswerValue,
    Lever,
    Question,
    Rulebook,
    tightness,
)
from holdtight.scoring import (
    TIGHTEST,
    band,
    clamp,
    derived,
    effective_answers,
    setting_index,
)

Delta = tuple[tuple[int, float], ...]
"""(domain position, score change) for the domains a change moves."""


class Candidate(NamedTuple):
    """One other answer to a question: what it changes among the rules reading only
    that question, against the current answer."""

    answer: AnswerValue
    delta: Delta
    flipped: tuple[int, ...]
    rebound: tuple[int, ...]
    """Positions of the domains a flipped rule bounds (their bounds must be taken again)."""
    levers: tuple[Lever, ...]
    """The lever this answer is, by the setting it gives (made once, shared)."""


def _levers(question_id: str, answer: AnswerValue) -> tuple[Lever, ...]:
    return tuple(Lever(question_id, answer, setting) for setting in SETTINGS)


class _Question(NamedTuple):
    kind: str
    alone: tuple[int, ...]
    """Rules reading only this question."""
    shared: tuple[int, ...]
    """Rules reading this question and others."""
    controller: bool
    """Other questions are shown or hidden by its answer."""


_TABLE_LIMIT = 4096  # kept tables per rulebook (number answers vary without end)


class LeverPlan:
    """What lever finding derives from a rulebook once: its rule index per question, the
    effects by domain position, and the tables of candidates already worked out."""

    def __init__(self, rulebook: Rulebook) -> None:
        position = rulebook.domain_positions
        self.effects: list[Delta] = [
            tuple((position[d], w) for d, w in rule.effects) for rule in rulebook.rules
        ]
        self.bounded_by_rule = rulebook.bounded_by_rule
        self.questions: dict[str, _Question] = {}
        for question in rulebook.questions.values():
            indexes = rulebook.rules_by_question[question.id]
            rules = rulebook.rules
            self.questions[question.id] = _Question(
                question.kind,
                tuple(i for i in indexes if len(rules[i].reads) == 1),
                tuple(i for i in indexes if len(rules[i].reads) != 1),
                question.id in rulebook.visibility_controllers,
            )
        self.tables: dict[tuple[str, Any], tuple[Candidate, ...]] = {}


def lever_plan(rulebook: Rulebook) -> LeverPlan:
    plan: LeverPlan = derived(rulebook, "lever_plan", LeverPlan)
    return plan


def prepare_levers(rulebook: Rulebook) -> None:
    """Work out the candidate tables of every question for each of its listed answers,
    for "not sure" and for no answer (what a first session would otherwise do)."""
    plan = lever_plan(rulebook)
    fired = [False] * len(rulebook.rules)
    rules = rulebook.rules
    for question in rulebook.questions.values():
        info = plan.questions[question.id]
        if info.kind in ("text", "multi") or info.controller:
            continue
        for current in (None, UNSURE, *rulebook.lever_candidates[question.id]):
            probe: dict[str, AnswerValue] = (
                {} if current in (None, UNSURE) else {question.id: current}
            )
            for i in info.alone:
                fired[i] = rules[i].when(probe)
            _candidates(rulebook, plan, question, current, fired)


def _held(entries: tuple[tuple[int, int, int], ...], fired: list[bool]) -> tuple[int, int]:
    """(floor, ceiling) of a domain from its bound rules that fired; (0, tightest) when
    none did, which holds nothing (the same bounds as `scoring.bounds`)."""
    low, high = 0, TIGHTEST
    for i, at_least, at_most in entries:
        if fired[i]:
            if at_least > low:
                low = at_least
            if at_most < high:
                high = at_most
    return low, high


_ABSENT = object()


def _visibility_change(
    rulebook: Rulebook,
    plan: LeverPlan,
    effective: dict[str, AnswerValue],
    new_effective: dict[str, AnswerValue],
    fired: list[bool],
) -> tuple[Delta, tuple[int, ...], tuple[int, ...]]:
    """(delta, flipped, rebound) once the effective answers change from `effective` to
    `new_effective` (a question that shows or hides others): every rule that reads a
    question whose effective answer changed is tested again."""
    rules = rulebook.rules
    by_question = rulebook.rules_by_question
    touched: set[int] = set()
    for key in effective.keys() | new_effective.keys():
        if effective.get(key, _ABSENT) != new_effective.get(key, _ABSENT):
            touched.update(by_question.get(key, ()))
    flipped = tuple(i for i in sorted(touched) if rules[i].when(new_effective) != fired[i])
    return _sum_flips(plan, fired, flipped, {}, set())


def _sum_flips(
    plan: LeverPlan,
    fired: list[bool],
    flipped: tuple[int, ...],
    delta: dict[int, float],
    rebound: set[int],
) -> tuple[Delta, tuple[int, ...], tuple[int, ...]]:
    """Add the effects of the rules in `flipped` (each now the opposite of `fired`) to
    `delta`, and the domains they bound to `rebound`."""
    for i in flipped:
        sign = -1.0 if fired[i] else 1.0
        for p, weight in plan.effects[i]:
            delta[p] = delta.get(p, 0.0) + sign * weight
        rebound.update(plan.bounded_by_rule.get(i, ()))
    return tuple(delta.items()), flipped, tuple(sorted(rebound))


def _alternatives(rulebook: Rulebook, question: Question, current: Any) -> list[AnswerValue]:
    if question.kind == "multi":
        chosen = current if isinstance(current, list) else []
        return [
            [item for item in chosen if item != option.id]
            if option.id in chosen
            else [*chosen, option.id]
            for option in question.options
        ]
    return [value for value in rulebook.lever_candidates[question.id] if value != current]


def _candidates(
    rulebook: Rulebook, plan: LeverPlan, question: Question, current: Any, fired: list[bool]
) -> tuple[Candidate, ...]:
    """Every other answer to `question` and what it flips among the rules reading only
    that question (whose state in `fired` follows from the current answer alone)."""
    key = (question.id, tuple(current) if isinstance(current, list) else current)
    found = plan.tables.get(key)
    if found is not None:
        return found
    rules = rulebook.rules
    alone = plan.questions[question.id].alone
    made = []
    for answer in _alternatives(rulebook, question, current):
        # The effective answers as far as these rules can tell ("not sure" counts as none).
        probe: dict[str, AnswerValue] = {} if answer == UNSURE else {question.id: answer}
        flipped = tuple(i for i in alone if rules[i].when(probe) != fired[i])
        moves = _sum_flips(plan, fired, flipped, {}, set())
        made.append(Candidate(answer, *moves, _levers(question.id, answer)))
    table = tuple(made)
    if len(plan.tables) < _TABLE_LIMIT:
        plan.tables[key] = table
    return table


def find_levers(
    rulebook: Rulebook,
    answers: Answers,
    effective: dict[str, AnswerValue],
    fired: list[bool],
    scores: list[float],
    settings: list[int],
    shown: list[Question],
) -> dict[int, list[Lever]]:
    """Every single-answer change that moves a domain's setting, by domain position
    (every position, its list empty when no change moves it)."""
    plan = lever_plan(rulebook)
    rules = rulebook.rules
    t = rulebook.thresholds
    bound_rules = rulebook.bound_rules
    held = {p: _held(entries, fired) for p, entries in bound_rules.items()}
    bands = [band(t, score) for score in scores]
    found: dict[int, list[Lever]] = {p: [] for p in range(len(scores))}
    nearest: dict[tuple[int, str, int], tuple[float, int]] = {}
    for question in shown:
        qid = question.id
        info = plan.questions[qid]
        if info.kind == "text":
            continue
        current = answers.get(qid)
        candidates: list[Candidate] | tuple[Candidate, ...]
        if info.controller:
            candidates = []
            for answer in _alternatives(rulebook, question, current):
                changed = dict(answers)
                changed[qid] = answer
                new_effective = effective_answers(rulebook, changed)
                moves = _visibility_change(rulebook, plan, effective, new_effective, fired)
                candidates.append(Candidate(answer, *moves, _levers(qid, answer)))
        else:
            candidates = _candidates(rulebook, plan, question, current, fired)
        shared = info.shared if not info.controller else ()
        previous = effective.get(qid)
        number = info.kind == "number"
        for answer, delta, flipped, rebound, levers in candidates:
            if shared:
                # Rules that read this question and others: tested with the candidate.
                if answer == UNSURE:
                    effective.pop(qid, None)
                else:
                    effective[qid] = answer
                more = tuple(i for i in shared if rules[i].when(effective) != fired[i])
                if previous is None:
                    effective.pop(qid, None)
                else:
                    effective[qid] = previous
                if more:
                    delta, more, rebound = _sum_flips(plan, fired, more, dict(delta), set(rebound))
                    flipped = (*flipped, *more)
            if not flipped:
                continue
            for p, change in delta:
                if p in rebound:
                    continue  # set below, with its bounds taken again
                value = scores[p] + change
                low, high = bands[p]
                if low <= value < high:
                    continue  # the same setting from the score, under the same bounds
                new = setting_index(t, value)
                if p in held:
                    new = clamp(new, *held[p])
                if new != settings[p]:
                    if number:
                        _nearest(found[p], nearest, qid, current, levers[new], p)
                    else:
                        found[p].append(levers[new])
            if rebound:
                new_fired = list(fired)
                for i in flipped:
                    new_fired[i] = not fired[i]
                changes = dict(delta)
                for p in rebound:
                    new = setting_index(t, scores[p] + changes.get(p, 0.0))
                    new = clamp(new, *_held(bound_rules[p], new_fired))
                    if new != settings[p]:
                        if number:
                            _nearest(found[p], nearest, qid, current, levers[new], p)
                        else:
                            found[p].append(levers[new])
    return found


def _nearest(
    bucket: list[Lever],
    nearest: dict[tuple[int, str, int], tuple[float, int]],
    qid: str,
    current: Any,
    lever: Lever,
    p: int,
) -> None:
    """Many numbers give the same outcome: keep the one nearest the answer."""
    key = (p, qid, tightness(lever.setting))
    distance = (
        abs(float(lever.answer) - float(current))  # type: ignore[arg-type]
        if isinstance(current, int | float)
        else 0.0
    )
    if key in nearest:
        best, slot = nearest[key]
        if distance < best:
            bucket[slot] = lever
            nearest[key] = (distance, slot)
        return
    nearest[key] = (distance, len(bucket))
    bucket.append(lever)
