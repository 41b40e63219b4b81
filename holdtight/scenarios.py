"""Scenarios scored beside the answers as given: the same system under other answers.
Pure: no I/O, no clock.

A scenario that changes only questions nothing else's visibility depends on is scored
incrementally from the answers' own run: only the rules that read a changed question are
tested again, and only the domains they move are set again; otherwise the whole kernel
runs on the scenario's answers. Both give what scoring the scenario's answers gives
(the tests compare them over random answers)."""

from __future__ import annotations

from holdtight.model import UNSURE, Answers, AnswerValue, Rulebook, Scenario
from holdtight.scoring import TIGHTEST, clamp, effective_answers, setting_index, settings_of

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


def scenario_runs(
    rulebook: Rulebook,
    answers: Answers,
    effective: Answers,
    fired: list[bool],
    scores: list[float],
    settings: list[int],
) -> list[Run]:
    """(scores, settings) per scenario of the rulebook, from the answers' own run."""
    runs: list[Run] = []
    questions = rulebook.questions
    controllers = rulebook.visibility_controllers
    for scenario in rulebook.scenarios:
        changes = scenario_changes(scenario, answers)
        if not changes:
            runs.append((scores, settings))
            continue
        if any(key in controllers or questions[key].show_if is not None for key, _ in changes):
            changed = dict(answers)
            changed.update(changes)
            new_fired, new_scores = rulebook.kernel(effective_answers(rulebook, changed))
            runs.append((new_scores, settings_of(rulebook, new_fired, new_scores)))
            continue
        runs.append(_rescored(rulebook, effective, fired, scores, settings, changes))
    return runs


def _rescored(
    rulebook: Rulebook,
    effective: Answers,
    fired: list[bool],
    scores: list[float],
    settings: list[int],
    changes: list[tuple[str, AnswerValue]],
) -> Run:
    """A scenario's run when no changed question decides what is shown."""
    new_effective = dict(effective)
    for key, value in changes:
        if value == UNSURE:
            new_effective.pop(key, None)
        else:
            new_effective[key] = value
    rules = rulebook.rules
    by_question = rulebook.rules_by_question
    position = rulebook.domain_positions
    new_fired = fired
    new_scores = scores
    flipped: set[int] = set()
    moved: set[int] = set()
    for i in sorted({i for key, _ in changes for i in by_question[key]}):
        now = rules[i].when(new_effective)
        if now == fired[i]:
            continue
        if new_fired is fired:
            new_fired = list(fired)
            new_scores = list(scores)
        new_fired[i] = now
        flipped.add(i)
        sign = 1.0 if now else -1.0
        for domain_id, weight in rules[i].effects:
            p = position[domain_id]
            new_scores[p] += sign * weight
            moved.add(p)
    if new_fired is fired:
        return scores, settings
    # Set again only the domains a flipped rule moves or bounds (as `settings_of` would).
    bounded = rulebook.bounded_by_rule
    for i in flipped:
        moved.update(bounded.get(i, ()))
    thresholds = rulebook.thresholds
    bound_rules = rulebook.bound_rules
    new_settings = list(settings)
    for p in moved:
        raw = setting_index(thresholds, new_scores[p])
        bounds = bound_rules.get(p)
        if bounds is not None:
            low, high = 0, TIGHTEST
            hit = False
            for i, at_least, at_most in bounds:
                if new_fired[i]:
                    hit = True
                    low = max(low, at_least)
                    high = min(high, at_most)
            if hit:
                raw = clamp(raw, low, high)
        new_settings[p] = raw
    return new_scores, new_settings
