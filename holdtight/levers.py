"""Levers: every single-answer change that moves a domain's setting. Pure.

What another answer to a question flips among the rules, and how far that moves each
domain's score, depends only on the question's answer, the answers to the questions it
shows or hides, and the effective answers those rules (and those questions' `show_if`)
read: it is worked out on first need, by testing only the rules that read a question
whose effective answer changes, and kept with the rulebook by those answers
(`LeverPlan.tables`). Per session, the domains a change moves or bounds are set again
by the engine's own steps (`setting_index`, `held`, `clamp`); a score that stays in its
band (`band`) under the same bounds keeps its setting.
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
    units,
)
from holdtight.scoring import (
    Holds,
    band,
    clamp,
    derived,
    effective_after,
    held,
    setting_index,
)

Delta = tuple[tuple[int, int], ...]
"""(domain position, score change in whole millionths: `model.units`) for the domains a
change moves. In millionths every sum is exact, whatever the order it is added in, so a
changed score's setting is the one the kernel's own total would give."""


class Candidate(NamedTuple):
    """One other answer to a question: what it changes among the rules reading only
    that question, against the current answer."""

    answer: AnswerValue
    delta: Delta
    """Score changes of the domains whose bounds stay as they are."""
    flipped: tuple[int, ...]
    rebound: Delta
    """Score changes (zero or not) of the domains a flipped rule bounds: their bounds
    must be taken again."""
    levers: tuple[Lever, ...]
    """The lever this answer is, by the setting it gives (made once, shared)."""


def _levers(question_id: str, answer: AnswerValue) -> tuple[Lever, ...]:
    return tuple(Lever(question_id, answer, setting) for setting in SETTINGS)


class _Question(NamedTuple):
    kind: str
    rules: tuple[int, ...]
    """Rules reading this question."""
    context: tuple[str, ...]
    """The questions outside `reach` whose effective answers the rules reading a
    question of `reach`, or the `show_if` of `dependents`, read."""
    controller: bool
    """Other questions are shown or hidden by its answer."""
    reach: tuple[str, ...]
    """This question and every question whose being shown depends on it, directly or
    through others: the only effective answers a change of its answer can change."""
    dependents: tuple[Question, ...]
    """The questions of `reach` that have a `show_if`, in order."""
    simple: bool
    """Its rules read it alone and it shows or hides nothing: its answer is the key."""


_TABLE_LIMIT = 4096  # kept tables per rulebook (number answers vary without end)


class LeverPlan:
    """What lever finding derives from a rulebook once: its rule index per question, the
    effects by domain position, and the tables of candidates already worked out, by
    question, current answer and the effective answers of the other questions its rules
    read (`_candidates`)."""

    def __init__(self, rulebook: Rulebook) -> None:
        position = rulebook.domain_positions
        self.effects: list[Delta] = [
            tuple((position[d], units(w)) for d, w in rule.effects) for rule in rulebook.rules
        ]
        low, balanced, high, tight = (units(t) for t in rulebook.thresholds)
        self.thresholds: tuple[int, int, int, int] = (low, balanced, high, tight)
        """The thresholds in whole millionths, as the effects."""
        self.bounded_by_rule = rulebook.bounded_by_rule
        self.questions: dict[str, _Question] = {}
        reach: dict[str, list[str]] = {q: [q] for q in rulebook.questions}
        for question in rulebook.conditional:  # in order: what it reads comes before it
            for source in rulebook.questions:
                if any(name in question.show_if_reads for name in reach[source]):
                    reach[source].append(question.id)
        rules = rulebook.rules
        for question in rulebook.questions.values():
            indexes = rulebook.rules_by_question[question.id]
            dependents = tuple(q for q in rulebook.conditional if q.id in reach[question.id])
            context = {
                name
                for source in reach[question.id]
                for i in rulebook.rules_by_question[source]
                for name in rules[i].reads
            }
            context.update(name for q in dependents for name in q.show_if_reads)
            self.questions[question.id] = _Question(
                question.kind,
                indexes,
                tuple(sorted(context - set(reach[question.id]))),
                question.id in rulebook.visibility_controllers,
                tuple(reach[question.id]),
                dependents,
                not context - {question.id} and len(reach[question.id]) == 1,
            )
        self.tables: dict[tuple[Any, ...], tuple[Candidate, ...]] = {}


def lever_plan(rulebook: Rulebook) -> LeverPlan:
    plan: LeverPlan = derived(rulebook, "lever_plan", LeverPlan)
    return plan


def prepare_levers(rulebook: Rulebook) -> None:
    """Work out the candidate tables of every question whose rules read it alone, for
    each of its listed answers, for "not sure" and for no answer (what the first
    sessions would otherwise do)."""
    plan = lever_plan(rulebook)
    fired = [False] * len(rulebook.rules)
    rules = rulebook.rules
    for question in rulebook.questions.values():
        info = plan.questions[question.id]
        if info.kind in ("text", "multi") or info.controller or info.context:
            continue
        for current in (UNSURE, *rulebook.lever_candidates[question.id]):
            given: dict[str, AnswerValue] = {question.id: current}
            probe = {} if current == UNSURE else given
            for i in info.rules:
                fired[i] = rules[i].when(probe)
            _candidates(rulebook, plan, question, given, probe, fired)
            if current == UNSURE:  # no answer: the same rules fire
                _candidates(rulebook, plan, question, {}, probe, fired)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


_ABSENT = object()


def _visibility_change(
    rulebook: Rulebook,
    plan: LeverPlan,
    reach: tuple[str, ...],
    effective: dict[str, AnswerValue],
    new_effective: dict[str, AnswerValue],
    fired: list[bool],
) -> tuple[Delta, tuple[int, ...], Delta]:
    """(delta, flipped, rebound) once the effective answers change from `effective` to
    `new_effective` by a change to a question that shows or hides others (`reach`: the
    questions whose effective answer it can change): every rule that reads a question
    whose effective answer changed is tested again."""
    rules = rulebook.rules
    by_question = rulebook.rules_by_question
    touched: set[int] = set()
    for key in reach:
        if effective.get(key, _ABSENT) != new_effective.get(key, _ABSENT):
            touched.update(by_question[key])
    flipped = tuple(i for i in sorted(touched) if rules[i].when(new_effective) != fired[i])
    return _sum_flips(plan, fired, flipped, {}, set())


def _sum_flips(
    plan: LeverPlan,
    fired: list[bool],
    flipped: tuple[int, ...],
    delta: dict[int, int],
    rebound: set[int],
) -> tuple[Delta, tuple[int, ...], Delta]:
    """(delta, flipped, rebound): the effects of the rules in `flipped` (each now the
    opposite of `fired`) added to `delta`, the domains they bound to `rebound`, and the
    score changes split between domains with and without bounds to take again."""
    for i in flipped:
        sign = -1 if fired[i] else 1
        for p, weight in plan.effects[i]:
            delta[p] = delta.get(p, 0) + sign * weight
        rebound.update(plan.bounded_by_rule.get(i, ()))
    return (
        tuple(item for item in delta.items() if item[0] not in rebound),
        flipped,
        tuple((p, delta.get(p, 0)) for p in sorted(rebound)),
    )


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
    rulebook: Rulebook,
    plan: LeverPlan,
    question: Question,
    answers: Answers,
    effective: dict[str, AnswerValue],
    fired: list[bool],
) -> tuple[Candidate, ...]:
    """Every other answer to `question` and what it flips among the rules. What a change
    can flip depends only on the answers to the questions it can show or hide (`reach`)
    and the effective answers to those the rules and `show_if`s involved read
    (`context`): the table is kept by those, for the next session that has them."""
    qid = question.id
    info = plan.questions[qid]
    key: tuple[Any, ...]
    if info.simple:
        key = (qid, _hashable(answers.get(qid)))
    else:
        key = (
            qid,
            tuple([_hashable(answers.get(name)) for name in info.reach]),
            tuple([_hashable(effective.get(name)) for name in info.context]),
        )
    found = plan.tables.get(key)
    if found is not None:
        return found
    rules = rulebook.rules
    # The effective answers as far as these rules can tell ("not sure" counts as none).
    base = {name: effective[name] for name in info.context if name in effective}
    made = []
    for answer in _alternatives(rulebook, question, answers.get(qid)):
        if info.controller:
            new_effective = effective_after(answers, effective, qid, answer, info.dependents)
            moves = _visibility_change(rulebook, plan, info.reach, effective, new_effective, fired)
        else:
            probe = dict(base)
            if answer != UNSURE:
                probe[qid] = answer
            flipped = tuple(i for i in info.rules if rules[i].when(probe) != fired[i])
            moves = _sum_flips(plan, fired, flipped, {}, set())
        made.append(Candidate(answer, *moves, _levers(qid, answer)))
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
    holds: Holds,
) -> dict[int, list[Lever]]:
    """Every single-answer change that moves a domain's setting, by domain position
    (every position, its list empty when no change moves it). `holds`: the run's bounds,
    from `settings_of`."""
    plan = lever_plan(rulebook)
    t = plan.thresholds  # whole millionths, as the scores and changes below
    bound_rules = rulebook.bound_rules
    base = [units(score) for score in scores]
    lows = [band(t, score)[0] for score in base]
    highs = [band(t, score)[1] for score in base]
    found: dict[int, list[Lever]] = {p: [] for p in range(len(scores))}
    nearest: dict[tuple[int, str, int], tuple[float, int]] = {}
    # Per domain, the setting each score's setting is held to by the run's bounds.
    held_to = [_held_to(holds.get(p)) for p in range(len(scores))]
    index = setting_index
    tables = plan.tables
    for question in shown:
        qid = question.id
        info = plan.questions[qid]
        if info.kind == "text":
            continue
        current = answers.get(qid)
        candidates = None
        if info.simple:  # `_candidates`' own key, looked up here: most questions are simple
            candidates = tables.get((qid, tuple(current) if current.__class__ is list else current))
        if candidates is None:
            candidates = _candidates(rulebook, plan, question, answers, effective, fired)
        number = info.kind == "number"
        for _, delta, flipped, rebound, levers in candidates:
            for p, change in delta:
                value = base[p] + change
                if lows[p] <= value < highs[p]:
                    continue  # the same setting from the score, under the same bounds
                new = held_to[p][index(t, value)]
                if new != settings[p]:
                    if number:
                        _nearest(found[p], nearest, qid, current, levers[new], p)
                    else:
                        found[p].append(levers[new])
            if rebound:
                new_fired = list(fired)
                for i in flipped:
                    new_fired[i] = not fired[i]
                for p, change in rebound:
                    new = setting_index(t, base[p] + change)
                    new = clamp(new, *held(bound_rules[p], new_fired))
                    if new != settings[p]:
                        if number:
                            _nearest(found[p], nearest, qid, current, levers[new], p)
                        else:
                            found[p].append(levers[new])
    return found


_CLAMPED: dict[tuple[int, int] | None, tuple[int, ...]] = {}


def _held_to(bounds: tuple[int, int] | None) -> tuple[int, ...]:
    """Per setting index, that setting as `clamp` holds it between `bounds` (None: as
    it is)."""
    table = _CLAMPED.get(bounds)
    if table is None:
        table = tuple(i if bounds is None else clamp(i, *bounds) for i in range(len(SETTINGS)))
        _CLAMPED[bounds] = table
    return table


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
