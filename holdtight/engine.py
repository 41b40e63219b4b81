"""The engine: answers in, a recommendation per domain out. Pure: no I/O, no clock.

`score(rulebook, answers)` expects answers already validated against the rulebook
(see `holdtight.sessionfile`); it trusts their types.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from holdtight.model import (
    SETTINGS,
    UNSURE,
    Answers,
    AnswerValue,
    DomainResult,
    FiredRule,
    Lever,
    Result,
    Rulebook,
)

CONFIDENCE_HIGH_COVERAGE = 0.85
CONFIDENCE_LOW_COVERAGE = 0.5
CONFIDENCE_HIGH_CONFLICT = 0.25
CONFIDENCE_LOW_CONFLICT = 0.4

_TIGHTEST = len(SETTINGS) - 1


def effective_answers(rulebook: Rulebook, answers: Answers) -> dict[str, AnswerValue]:
    """The answers conditions see: answered, not "unsure", and on a question shown."""
    effective: dict[str, AnswerValue] = {}
    for question in rulebook.questions.values():
        value = answers.get(question.id)
        if value is None or value == UNSURE:
            continue
        if question.show_if is not None and not question.show_if(effective):
            continue
        effective[question.id] = value
    return effective


def shown_questions(rulebook: Rulebook, answers: Answers) -> list[str]:
    """Ids of the questions currently asked, in order (conditional ones only if shown)."""
    effective = effective_answers(rulebook, answers)
    return [q.id for q in rulebook.questions.values() if q.show_if is None or q.show_if(effective)]


def setting_index(thresholds: tuple[float, float, float, float], score: float) -> int:
    """0 (loose) … 4 (tight): a score equal to a threshold takes the tighter setting."""
    index = 0
    for threshold in thresholds:
        if score >= threshold:
            index += 1
        else:
            break
    return index


def _bounds(
    rulebook: Rulebook, fired: list[bool], domain_id: str
) -> tuple[int, int, list[int], list[int]]:
    low, high = 0, _TIGHTEST
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


def _clamp(raw: int, low: int, high: int) -> int:
    if low > high:
        return low  # conflicting bounds: the tighter wins
    return min(max(raw, low), high)


def _domain_setting(rulebook: Rulebook, fired: list[bool], domain_id: str, score: float) -> int:
    low, high, _, _ = _bounds(rulebook, fired, domain_id)
    return _clamp(setting_index(rulebook.thresholds, score), low, high)


def _scores(rulebook: Rulebook, fired: list[bool]) -> dict[str, float]:
    scores = {d.id: d.bias for d in rulebook.domains}
    for rule, on in zip(rulebook.rules, fired, strict=True):
        if on:
            for domain_id, weight in rule.effects:
                scores[domain_id] += weight
    return scores


def score(rulebook: Rulebook, answers: Answers, *, levers: bool = True) -> Result:
    """Score answers against a rulebook. Set `levers=False` when they will not be shown."""
    effective = effective_answers(rulebook, answers)
    fired = [rule.when(effective) for rule in rulebook.rules]
    scores = _scores(rulebook, fired)
    settings = {
        d.id: _domain_setting(rulebook, fired, d.id, scores[d.id]) for d in rulebook.domains
    }
    shown = [q for q in rulebook.questions.values() if q.show_if is None or q.show_if(effective)]
    shown_ids = {q.id for q in shown}
    warnings = [
        f"answer to '{q.id}' ignored: the question is shown only if {q.show_if_text}"
        for q in rulebook.questions.values()
        if q.id not in shown_ids and answers.get(q.id) is not None
    ]
    lever_map = (
        _levers(rulebook, answers, effective, fired, scores, settings, shown) if levers else {}
    )
    t = rulebook.thresholds
    domains = []
    posture_sum = 0.0
    for domain in rulebook.domains:
        result = _domain_result(
            rulebook,
            domain.id,
            domain.title,
            effective,
            answers,
            fired,
            scores[domain.id],
            settings[domain.id],
            shown_ids,
            lever_map.get(domain.id, ()),
        )
        domains.append(result)
        posture_sum += _normalized(t, result.score, settings[domain.id])
    index = round(posture_sum / len(domains), 4) if domains else 0.0
    band = rulebook.meta.posture.band
    label = (
        "more_centralized" if index > band else "more_decentralized" if index < -band else "midway"
    )
    return Result(
        rulebook_id=rulebook.id,
        rulebook_version=rulebook.version,
        domains=tuple(domains),
        posture_label=label,
        posture_index=index,
        answered=len(effective),
        shown=len(shown),
        warnings=tuple(warnings),
    )


def _normalized(t: tuple[float, float, float, float], raw: float, setting: int) -> float:
    """The score in [-1, 1], first moved into the band of the final setting (bounds)."""
    low = t[setting - 1] if setting > 0 else -float("inf")
    high = t[setting] if setting < len(t) else float("inf")
    value = min(max(raw, low), high)
    if value >= 0:
        return min(value / t[-1], 1.0)
    return max(value / -t[0], -1.0)


def _domain_result(
    rulebook: Rulebook,
    domain_id: str,
    title: str,
    effective: Mapping[str, AnswerValue],
    answers: Answers,
    fired: list[bool],
    total: float,
    setting: int,
    shown_ids: set[str],
    levers: tuple[Lever, ...] | list[Lever],
) -> DomainResult:
    rules = rulebook.rules
    because: list[FiredRule] = []
    positive = negative = 0.0
    low, high, low_rules, high_rules = _bounds(rulebook, fired, domain_id)
    for i in rulebook.rules_by_domain[domain_id]:
        if not fired[i]:
            continue
        rule = rules[i]
        weight = 0.0
        for d, w in rule.effects:
            if d == domain_id:
                weight += w
        if weight > 0:
            positive += weight
        else:
            negative -= weight
        bound = None
        for d, b in rule.at_least:
            if d == domain_id:
                bound = f"at least {SETTINGS[b]}"
        for d, b in rule.at_most:
            if d == domain_id:
                bound = (
                    f"at most {SETTINGS[b]}" if bound is None else f"{bound}, at most {SETTINGS[b]}"
                )
        reads = tuple((name, answers.get(name)) for name in rule.reads)
        because.append(FiredRule(rule.id, weight, rule.because, reads, bound))
    because.sort(key=lambda item: -abs(item.weight))
    raw = setting_index(rulebook.thresholds, total)
    note = None
    if low > high:
        note = (
            f"bounds conflict: {', '.join(rules[i].id for i in low_rules)} hold it at least "
            f"{SETTINGS[low]}, {', '.join(rules[i].id for i in high_rules)} at most "
            f"{SETTINGS[high]}; the tighter bound wins"
        )
    elif setting != raw:
        which = low_rules if setting == low else high_rules
        side = "at least" if setting == low else "at most"
        note = f"held {side} {SETTINGS[setting]} by {', '.join(rules[i].id for i in which)} (score alone: {SETTINGS[raw]})"
    relevant = [q for q in rulebook.domain_reads[domain_id] if q in shown_ids]
    answered = sum(1 for q in relevant if q in effective)
    coverage = answered / len(relevant) if relevant else 1.0
    conflict = min(positive, negative) / (positive + negative) if positive + negative else 0.0
    if coverage >= CONFIDENCE_HIGH_COVERAGE and conflict <= CONFIDENCE_HIGH_CONFLICT:
        confidence = "high"
    elif coverage < CONFIDENCE_LOW_COVERAGE or conflict > CONFIDENCE_LOW_CONFLICT:
        confidence = "low"
    else:
        confidence = "medium"
    name = SETTINGS[setting]
    rails = tuple(
        rail
        for rail in rulebook.guard_rails_by_domain[domain_id]
        if name in rail.settings and (rail.when is None or rail.when(effective))
    )
    return DomainResult(
        id=domain_id,
        title=title,
        setting=name,
        score=round(total, 4),
        raw_setting=SETTINGS[raw],
        confidence=confidence,
        answered=answered,
        relevant=len(relevant),
        because=tuple(because),
        guard_rails=rails,
        levers=tuple(levers),
        bound_note=note,
    )


def _alternatives(
    rulebook: Rulebook, question_id: str, kind: str, current: Any
) -> list[AnswerValue]:
    if kind == "multi":
        chosen = current if isinstance(current, list) else []
        result: list[AnswerValue] = []
        for option in rulebook.questions[question_id].options:
            if option.id in chosen:
                result.append([item for item in chosen if item != option.id])
            else:
                result.append([*chosen, option.id])
        return result
    return [value for value in rulebook.lever_candidates[question_id] if value != current]


def _levers(
    rulebook: Rulebook,
    answers: Answers,
    effective: dict[str, AnswerValue],
    fired: list[bool],
    scores: dict[str, float],
    settings: dict[str, int],
    shown: list[Any],
) -> dict[str, list[Lever]]:
    """Every single-answer change that moves a domain's setting.

    Only the rules that read the changed question are re-evaluated, and a question is
    skipped for a domain when even its largest swing cannot cross a threshold.
    """
    t = rulebook.thresholds
    rules = rulebook.rules
    found: dict[str, list[Lever]] = {}
    nearest: dict[tuple[str, str, int], tuple[float, int]] = {}
    for question in shown:
        qid = question.id
        kind = question.kind
        if kind == "text":
            continue
        controller = qid in rulebook.visibility_controllers
        if not controller:
            targets = []
            for domain_id, swing in rulebook.max_swing[qid].items():
                s = scores[domain_id]
                raw = setting_index(t, s)
                if setting_index(t, s - swing) != raw or setting_index(t, s + swing) != raw:
                    targets.append(domain_id)
            for domain_id, questions in rulebook.bounded_by.items():
                if qid in questions and domain_id not in targets:
                    targets.append(domain_id)
            if not targets:
                continue
        current = answers.get(qid)
        previous = effective.get(qid)
        indexes = rulebook.rules_by_question[qid]
        for candidate in _alternatives(rulebook, qid, kind, current):
            if controller:
                changed = dict(answers)
                changed[qid] = candidate
                new_effective = effective_answers(rulebook, changed)
                new_fired = [rule.when(new_effective) for rule in rules]
                new_scores = _scores(rulebook, new_fired)
                moved = {
                    d.id: _domain_setting(rulebook, new_fired, d.id, new_scores[d.id])
                    for d in rulebook.domains
                }
            else:
                effective[qid] = candidate
                new_fired = fired
                delta: dict[str, float] = {}
                flipped = False
                for i in indexes:
                    now = rules[i].when(effective)
                    if now != fired[i]:
                        if not flipped:
                            new_fired = list(fired)
                            flipped = True
                        new_fired[i] = now
                        sign = 1.0 if now else -1.0
                        for domain_id, weight in rules[i].effects:
                            delta[domain_id] = delta.get(domain_id, 0.0) + sign * weight
                if previous is None:
                    del effective[qid]
                else:
                    effective[qid] = previous
                if not flipped:
                    continue
                moved = {
                    domain_id: _domain_setting(
                        rulebook,
                        new_fired,
                        domain_id,
                        scores[domain_id] + delta.get(domain_id, 0.0),
                    )
                    for domain_id in targets
                }
            for domain_id, new_setting in moved.items():
                if new_setting == settings[domain_id]:
                    continue
                if kind == "number":
                    # Many numbers give the same outcome: keep the one nearest the answer.
                    key = (domain_id, qid, new_setting)
                    distance = (
                        abs(float(candidate) - float(current))
                        if isinstance(current, int | float) and isinstance(candidate, int | float)
                        else 0.0
                    )
                    if key in nearest and nearest[key][0] <= distance:
                        continue
                    if key in nearest:
                        found[domain_id][nearest[key][1]] = Lever(
                            qid, candidate, SETTINGS[new_setting]
                        )
                        nearest[key] = (distance, nearest[key][1])
                        continue
                    nearest[key] = (distance, len(found.get(domain_id, [])))
                found.setdefault(domain_id, []).append(Lever(qid, candidate, SETTINGS[new_setting]))
    return found
