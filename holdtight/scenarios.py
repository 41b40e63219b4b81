"""Scenarios scored beside the answers as given: the same system under other answers.
Pure: no I/O, no clock.

A scenario that changes only questions nothing else's visibility depends on is scored
incrementally from the answers' own run: only the rules that read a changed question are
tested again, and only the domains they move or bound are set again; otherwise the whole
kernel runs on the scenario's answers. The rules are tested again by the kernel's own
code for the scenario where the rulebook has it (`codegen.scenario_check`: the same
condition trees, with the scenario's answers in place), else by their predicates on the
effective answers they read; what the flips change is kept with the rulebook, by the
flips (or by those answers), for the next session. All of it gives what scoring the
scenario's answers gives (the tests compare them over random answers and random
rulebooks)."""

from __future__ import annotations

from typing import Any, NamedTuple

from holdtight.codegen import ScenarioCheck, scenario_check
from holdtight.model import UNSURE, Answers, AnswerValue, Rulebook, Scenario, settle
from holdtight.scoring import (
    TIGHTEST,
    Holds,
    clamp,
    derived,
    effective_answers,
    held,
    setting_index,
    settings_of,
)

Run = tuple[list[float], list[int]]
"""Scores and settings (tightness indexes), in domain order."""


def scenario_changes(scenario: Scenario, answers: Answers) -> list[tuple[str, AnswerValue]]:
    """The answers a scenario changes: its own answers that differ, and its step (a step
    whose question is unanswered, not sure, unlisted or at its last step changes nothing)."""
    changes = [(key, value) for key, value in scenario.answers.items() if answers.get(key) != value]
    if scenario.step is not None:
        question, steps = scenario.step
        value = answers.get(question)
        if isinstance(value, str):
            target = steps.get(value)
            if target is not None and target != value:
                changes.append((question, target))
    return changes


def scenario_answers(scenario: Scenario, answers: Answers) -> dict[str, AnswerValue] | None:
    """The answers as a scenario has them, or None when it changes nothing."""
    changes = scenario_changes(scenario, answers)
    if not changes:
        return None
    changed = dict(answers)
    changed.update(changes)
    return changed


class _Plan(NamedTuple):
    keys: tuple[str, ...]
    """The questions the scenario may change: its answers' and its step's."""
    context: tuple[str, ...]
    """The other questions the rules reading `keys` read."""
    rules: tuple[int, ...]
    """The rules reading `keys`, in rule order."""
    shown: tuple[str, ...]
    """What decides the scenario's outcome besides the answers to `keys` (as given):
    the effective answers to `keys` that have a `show_if` and to `context`. The effective
    answer to any other key follows from the answer given ("not sure" is none)."""
    plain: bool
    """No question of `keys` or `shown` takes a list (the answers hash as they are)."""
    check: ScenarioCheck | None
    """The kernel's code for the scenario (`codegen.scenario_check`), when no question
    of `keys` decides what is shown: which of `rules` it flips, as bits."""


class _Change(NamedTuple):
    """What a scenario changes from a run, when no changed question decides what is
    shown: the rules it flips, and the domains to set again (moved or bounded by a
    flipped rule)."""

    flipped: tuple[int, ...]
    moved: tuple[tuple[int, float, tuple[tuple[int, int, int], ...] | None, bool], ...]
    """Per domain to set again: its position; what the flipped rules add to its score
    (their signed weights summed: `settle` makes the order they are added in not
    matter); its bound rules (`Rulebook.bound_rules`), if any; whether a flipped rule
    is among them."""
    rebound: bool
    """Whether a flipped rule bounds any domain."""


_SAME = _Change((), (), False)
"""The outcome of a scenario that changes nothing, or flips no rule: the answers' run."""


class _Plans:
    """Per scenario its `_Plan`, and its outcomes already worked out, by the answers to
    its questions and the effective answers that decide it (`_Plan.shown`): `_SAME`, a
    `_Change`, or the list of answers it changes when one of them decides what is shown
    (then the whole kernel runs on the scenario's answers)."""

    def __init__(self, rulebook: Rulebook) -> None:
        plans: list[_Plan] = []
        rules = rulebook.rules
        questions = rulebook.questions
        for scenario in rulebook.scenarios:
            keys = [*scenario.answers, *([scenario.step[0]] if scenario.step else [])]
            indexes = sorted({i for key in keys for i in rulebook.rules_by_question[key]})
            context = tuple(sorted({name for i in indexes for name in rules[i].reads} - set(keys)))
            shown = (*(key for key in keys if questions[key].show_if is not None), *context)
            plain = all(questions[name].kind != "multi" for name in (*keys, *shown))
            visible = any(_decides_shown(rulebook, key) for key in keys)
            check = None if visible else scenario_check(rulebook.kernel, len(plans))
            plans.append(_Plan(tuple(keys), context, tuple(indexes), shown, plain, check))
        self.plans = tuple(plans)
        self.outcomes: tuple[dict[Any, _Change | list[Any]], ...] = tuple({} for _ in plans)


def _decides_shown(rulebook: Rulebook, question: str) -> bool:
    """Whether changing the answer to `question` may change which answers count: it
    decides whether a question is shown, or is shown only on a condition itself."""
    return (
        question in rulebook.visibility_controllers
        or rulebook.questions[question].show_if is not None
    )


_OUTCOMES_LIMIT = 4096  # per scenario


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def scenario_runs(
    rulebook: Rulebook,
    answers: Answers,
    effective: Answers,
    fired: list[bool],
    scores: list[float],
    settings: list[int],
    holds: Holds,
) -> list[Run]:
    """(scores, settings) per scenario of the rulebook, from the answers' own run
    (`holds`: its bounds, from `settings_of`)."""
    runs: list[Run] = []
    plans: _Plans = derived(rulebook, "scenario_plans", _Plans)
    get = answers.get
    look = effective.get
    for k, plan in enumerate(plans.plans):
        if plan.check is not None:
            flips = plan.check(effective, fired)
            if not flips:
                runs.append((scores, settings))
                continue
            table = plans.outcomes[k]
            outcome = table.get(flips)
            if outcome is None:
                # Bit 2i or 2i+1: rule i flips (which way follows from `fired`).
                flipped = tuple(i for i in plan.rules if flips >> (2 * i) & 3)
                outcome = _change_of(rulebook, flipped, fired)
                if len(table) < _OUTCOMES_LIMIT:
                    table[flips] = outcome
            runs.append(_rescored(rulebook, fired, scores, settings, holds, outcome))  # type: ignore[arg-type]
            continue
        if plan.plain:
            key = (*map(get, plan.keys), *map(look, plan.shown))
        else:
            key = (
                *[_hashable(get(name)) for name in plan.keys],
                *[_hashable(look(name)) for name in plan.shown],
            )
        table = plans.outcomes[k]
        outcome = table.get(key)
        if outcome is None:
            outcome = _outcome(rulebook, rulebook.scenarios[k], plan, answers, effective, fired)
            if len(table) < _OUTCOMES_LIMIT:
                table[key] = outcome
        if outcome is _SAME:
            runs.append((scores, settings))
        elif outcome.__class__ is list:
            changed = dict(answers)
            changed.update(outcome)
            new_fired, new_scores = rulebook.kernel(effective_answers(rulebook, changed))
            runs.append((new_scores, settings_of(rulebook, new_fired, new_scores)))
        else:
            runs.append(_rescored(rulebook, fired, scores, settings, holds, outcome))  # type: ignore[arg-type]
    return runs


def _outcome(
    rulebook: Rulebook,
    scenario: Scenario,
    plan: _Plan,
    answers: Answers,
    effective: Answers,
    fired: list[bool],
) -> _Change | list[tuple[str, AnswerValue]]:
    """What a scenario does to these answers (see `_Plans`)."""
    changes = scenario_changes(scenario, answers)
    if not changes:
        return _SAME
    if any(_decides_shown(rulebook, key) for key, _ in changes):
        return changes
    change = _change(rulebook, plan, effective, fired, changes)
    return change if change.flipped else _SAME


def _change(
    rulebook: Rulebook,
    plan: _Plan,
    effective: Answers,
    fired: list[bool],
    changes: list[tuple[str, AnswerValue]],
) -> _Change:
    """What the scenario's `changes` flip: only the rules reading its questions are tested
    again, on the effective answers they read (which the table key holds)."""
    probe = {name: effective[name] for name in (*plan.keys, *plan.context) if name in effective}
    for key, value in changes:
        if value == UNSURE:
            probe.pop(key, None)
        else:
            probe[key] = value
    rules = rulebook.rules
    flipped = tuple(i for i in plan.rules if rules[i].when(probe) != fired[i])
    return _change_of(rulebook, flipped, fired)


def _change_of(rulebook: Rulebook, flipped: tuple[int, ...], fired: list[bool]) -> _Change:
    """The `_Change` of the rules `flipped` from the run that `fired` them or not."""
    rules = rulebook.rules
    position = rulebook.domain_positions
    weights: dict[int, list[float]] = {}
    rebound: set[int] = set()
    for i in flipped:
        sign = -1.0 if fired[i] else 1.0
        for domain_id, weight in rules[i].effects:
            weights.setdefault(position[domain_id], []).append(sign * weight)
        rebound.update(rulebook.bounded_by_rule.get(i, ()))
    bound_rules = rulebook.bound_rules
    moved = tuple(
        (p, sum(weights.get(p, ())), bound_rules.get(p), p in rebound)
        for p in sorted({*weights, *rebound})
    )
    return _Change(flipped, moved, bool(rebound))


def _rescored(
    rulebook: Rulebook,
    fired: list[bool],
    scores: list[float],
    settings: list[int],
    holds: Holds,
    change: _Change,
) -> Run:
    """A scenario's run when no changed question decides what is shown: the scores moved
    by the flipped rules, and the domains they move or bound set again (as
    `settings_of` would)."""
    new_scores = scores.copy()
    new_settings = settings.copy()
    thresholds = rulebook.thresholds
    index = setting_index
    new_fired = fired
    if change.rebound:
        new_fired = fired.copy()
        for i in change.flipped:
            new_fired[i] = not fired[i]
    for p, weight, entries, rebound in change.moved:
        value = settle(scores[p] + weight)  # as the kernel's own totals
        new_scores[p] = value
        raw = index(thresholds, value)
        if entries is None:
            new_settings[p] = raw
            continue
        if rebound:
            low, high = held(entries, new_fired)
        elif raw != index(thresholds, scores[p]):
            low, high = holds[p]  # no flipped rule bounds it: the run's own bounds
        else:
            continue  # the same setting from the score and the same bounds as the run's
        # (0, tightest) holds nothing: no clamp
        new_settings[p] = clamp(raw, low, high) if low or high != TIGHTEST else raw
    return new_scores, new_settings
