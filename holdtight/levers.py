"""Levers: every single-answer change that moves a domain's setting. Pure."""

from __future__ import annotations

from typing import Any

from holdtight.model import SETTINGS, Answers, AnswerValue, Lever, Question, Rulebook
from holdtight.scoring import INF, clamp, effective_answers, setting_index, settings_of
from holdtight.scoring import bounds as bounds_of


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


def find_levers(
    rulebook: Rulebook,
    answers: Answers,
    effective: dict[str, AnswerValue],
    fired: list[bool],
    scores: list[float],
    settings: list[int],
    shown: list[Question],
) -> dict[int, list[Lever]]:
    """Every single-answer change that moves a domain's setting, by domain position.

    Only the rules that read the changed question are re-evaluated, and a question is
    skipped for a domain when even its largest swing cannot cross a threshold.
    """
    t = rulebook.thresholds
    rules = rulebook.rules
    position = {d.id: i for i, d in enumerate(rulebook.domains)}
    # How far each score may fall or rise before it crosses a threshold.
    below = []
    above = []
    for s in scores:
        lower = [x for x in t if x <= s]
        upper = [x for x in t if x > s]
        below.append(s - lower[-1] if lower else INF)
        above.append(upper[0] - s if upper else INF)
    # Current bounds of bounded domains, reused unless a candidate flips a bound rule.
    bounds = {
        p: bounds_of(rulebook, fired, rulebook.domains[p].id)[:2] for p in rulebook.bound_rules
    }
    bound_rule_sets = {
        p: frozenset(i for i, _, _ in bounds) for p, bounds in rulebook.bound_rules.items()
    }
    found: dict[int, list[Lever]] = {}
    nearest: dict[tuple[int, str, int], tuple[float, int]] = {}
    for question in shown:
        qid = question.id
        kind = question.kind
        if kind == "text":
            continue
        controller = qid in rulebook.visibility_controllers
        targets: list[int] = []
        if not controller:
            for domain_id, swing in rulebook.max_swing[qid].items():
                p = position[domain_id]
                if swing > below[p] or swing >= above[p]:
                    targets.append(p)
            for domain_id, questions in rulebook.bounded_by.items():
                if qid in questions and position[domain_id] not in targets:
                    targets.append(position[domain_id])
            if not targets:
                continue
        current = answers.get(qid)
        previous = effective.get(qid)
        indexes = rulebook.rules_by_question[qid]
        for candidate in _alternatives(rulebook, question, current):
            if controller:
                changed = dict(answers)
                changed[qid] = candidate
                new_effective = effective_answers(rulebook, changed)
                new_fired, new_scores = rulebook.kernel(new_effective)
                new_settings = settings_of(rulebook, new_fired, new_scores)
                moved = list(enumerate(new_settings))
            else:
                effective[qid] = candidate
                new_fired = fired
                delta: dict[str, float] = {}
                for i in indexes:
                    now = rules[i].when(effective)
                    if now != fired[i]:
                        if new_fired is fired:
                            new_fired = list(fired)
                        new_fired[i] = now
                        sign = 1.0 if now else -1.0
                        for domain_id, weight in rules[i].effects:
                            delta[domain_id] = delta.get(domain_id, 0.0) + sign * weight
                if previous is None:
                    del effective[qid]
                else:
                    effective[qid] = previous
                if new_fired is fired:
                    continue
                moved = []
                for p in targets:
                    domain_id = rulebook.domains[p].id
                    raw = setting_index(t, scores[p] + delta.get(domain_id, 0.0))
                    if p in bounds:
                        if any(i in bound_rule_sets[p] for i in indexes):
                            low, high, _, _ = bounds_of(rulebook, new_fired, domain_id)
                        else:
                            low, high = bounds[p]
                        raw = clamp(raw, low, high)
                    moved.append((p, raw))
            for p, new_setting in moved:
                if new_setting == settings[p]:
                    continue
                lever = Lever(qid, candidate, SETTINGS[new_setting])
                bucket = found.setdefault(p, [])
                if kind == "number":
                    # Many numbers give the same outcome: keep the one nearest the answer.
                    key = (p, qid, new_setting)
                    distance = (
                        abs(float(candidate) - float(current))  # type: ignore[arg-type]
                        if isinstance(current, int | float)
                        else 0.0
                    )
                    if key in nearest:
                        best, slot = nearest[key]
                        if distance < best:
                            bucket[slot] = lever
                            nearest[key] = (distance, slot)
                        continue
                    nearest[key] = (distance, len(bucket))
                bucket.append(lever)
    return found
