"""Levers: every single-answer change that moves a domain's setting. Pure."""

from __future__ import annotations

from typing import Any

from holdtight.model import SETTINGS, Answers, AnswerValue, Lever, Question, Rulebook
from holdtight.scoring import INF, TIGHTEST, clamp, effective_answers, setting_index


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


def _rescored(
    rulebook: Rulebook,
    effective: dict[str, AnswerValue],
    new_effective: dict[str, AnswerValue],
    fired: list[bool],
    scores: list[float],
    position: dict[str, int],
) -> list[tuple[int, int]]:
    """(position, setting) of every domain once the effective answers change from
    `effective` to `new_effective` (a question that shows or hides others): only the
    rules that read a question whose effective answer changed are evaluated again."""
    rules = rulebook.rules
    by_question = rulebook.rules_by_question
    touched: set[int] = set()
    for key in effective.keys() | new_effective.keys():
        if effective.get(key, _ABSENT) != new_effective.get(key, _ABSENT):
            touched.update(by_question.get(key, ()))
    new_fired = list(fired)
    delta = [0.0] * len(scores)
    for i in sorted(touched):
        now = rules[i].when(new_effective)
        if now != fired[i]:
            new_fired[i] = now
            sign = 1.0 if now else -1.0
            for domain_id, weight in rules[i].effects:
                delta[position[domain_id]] += sign * weight
    t = rulebook.thresholds
    moved = []
    for p, old in enumerate(scores):
        raw = setting_index(t, old + delta[p])
        if p in rulebook.bound_rules:
            raw = clamp(raw, *_held(rulebook.bound_rules[p], new_fired))
        moved.append((p, raw))
    return moved


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
    t0, t1, t2, t3 = t
    # Current bounds of bounded domains, reused unless a candidate flips a bound rule.
    bound_rules = rulebook.bound_rules
    bounds = {p: _held(entries, fired) for p, entries in bound_rules.items()}
    bound_rule_sets = {p: frozenset(i for i, _, _ in entries) for p, entries in bound_rules.items()}
    domain_ids = [d.id for d in rulebook.domains]
    found: dict[int, list[Lever]] = {}
    nearest: dict[tuple[int, str, int], tuple[float, int]] = {}
    for question in shown:
        qid = question.id
        kind = question.kind
        if kind == "text":
            continue
        controller = qid in rulebook.visibility_controllers
        indexes = rulebook.rules_by_question[qid]
        # Per target domain, decided once per question: (position, domain id, score,
        # bounds to keep, or None when a rule of this question may move them).
        targets: list[tuple[int, str, float, tuple[int, int] | None]] = []
        if not controller:
            chosen: list[int] = []
            for domain_id, swing in rulebook.max_swing[qid].items():
                p = position[domain_id]
                if swing > below[p] or swing >= above[p]:
                    chosen.append(p)
            for domain_id, questions in rulebook.bounded_by.items():
                if qid in questions and position[domain_id] not in chosen:
                    chosen.append(position[domain_id])
            if not chosen:
                continue
            for p in chosen:
                held: tuple[int, int] | None = bounds.get(p, (0, TIGHTEST))
                if p in bound_rule_sets and not bound_rule_sets[p].isdisjoint(indexes):
                    held = None
                targets.append((p, domain_ids[p], scores[p], held))
        current = answers.get(qid)
        previous = effective.get(qid)
        for candidate in _alternatives(rulebook, question, current):
            if controller:
                changed = dict(answers)
                changed[qid] = candidate
                new_effective = effective_answers(rulebook, changed)
                moved = _rescored(rulebook, effective, new_effective, fired, scores, position)
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
                for p, domain_id, old, held in targets:
                    value = old + delta.get(domain_id, 0.0)
                    raw = (value >= t0) + (value >= t1) + (value >= t2) + (value >= t3)
                    low, high = _held(bound_rules[p], new_fired) if held is None else held
                    moved.append((p, clamp(raw, low, high)))
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
