"""The engine: answers in, a recommendation per domain out. Pure: no I/O, no clock.

`score(rulebook, answers)` expects answers already checked against the rulebook (see
`holdtight.sessionfile`); it trusts their types. The rules run as one compiled kernel
(`Rulebook.kernel`); everything here works on lists in domain order.

Every scoring rule is written here once — setting from score, bounds, posture,
confidence, and how "not sure", unanswered and hidden questions count — and every path
runs it: `score` (details and levers), `score_settings` (settings and posture only) and
`score_raw_answers` (the batch CSV fast path, on answers valid as they stand).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from holdtight.model import (
    SETTINGS,
    UNSURE,
    Answers,
    AnswerValue,
    Confidence,
    DomainResult,
    FiredRule,
    Lever,
    PostureLabel,
    Question,
    Result,
    Rulebook,
    SettingId,
)

CONFIDENCE_HIGH_COVERAGE = 0.85
CONFIDENCE_LOW_COVERAGE = 0.5
CONFIDENCE_HIGH_CONFLICT = 0.25
CONFIDENCE_LOW_CONFLICT = 0.4

_TIGHTEST = len(SETTINGS) - 1
_INF = float("inf")


def effective_answers(rulebook: Rulebook, answers: Answers) -> dict[str, AnswerValue]:
    """The answers conditions see: answered, not "unsure" (for every kind of question,
    text included), and on a question shown."""
    effective = {key: value for key, value in answers.items() if value != UNSURE}
    for question in rulebook.conditional:
        if question.id in effective and not question.show_if(effective):  # type: ignore[misc]
            del effective[question.id]
    return effective


def _is_shown(question: Question, effective: Answers) -> bool:
    return question.show_if is None or question.show_if(effective)


def shown_questions(rulebook: Rulebook, answers: Answers) -> list[str]:
    """Ids of the questions currently asked, in order (conditional ones only if shown)."""
    effective = effective_answers(rulebook, answers)
    return [q.id for q in rulebook.questions.values() if _is_shown(q, effective)]


def setting_index(thresholds: tuple[float, float, float, float], score: float) -> int:
    """0 (loose) … 4 (tight): a score equal to a threshold takes the tighter setting.
    The one definition of setting from score."""
    t0, t1, t2, t3 = thresholds
    return (score >= t0) + (score >= t1) + (score >= t2) + (score >= t3)


def setting_indexes(
    thresholds: tuple[float, float, float, float], scores: list[float]
) -> list[int]:
    """`setting_index` of each score."""
    return [setting_index(thresholds, score) for score in scores]


def _bounds(
    rulebook: Rulebook, fired: list[bool], domain_id: str
) -> tuple[int, int, list[int], list[int]]:
    """(floor, ceiling, rules setting the floor, rules setting the ceiling)."""
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
    """A setting held between the bounds of the rules that fired; when the bounds
    conflict (a floor above a ceiling), the tighter wins."""
    if low > high:
        return low
    return min(max(raw, low), high)


def _held(entries: tuple[tuple[int, int, int], ...], fired: list[bool]) -> tuple[int, int]:
    """(floor, ceiling) of a domain from its bound rules that fired; (0, tightest) when
    none did, which holds nothing."""
    low, high = 0, _TIGHTEST
    for i, at_least, at_most in entries:
        if fired[i]:
            if at_least > low:
                low = at_least
            if at_most < high:
                high = at_most
    return low, high


def _settings(rulebook: Rulebook, fired: list[bool], scores: list[float]) -> list[int]:
    """Final setting per domain: from the score, then held by any bounds that fired."""
    settings = setting_indexes(rulebook.thresholds, scores)
    for position, bounds in rulebook.bound_rules.items():
        low, high = _held(bounds, fired)
        settings[position] = _clamp(settings[position], low, high)
    return settings


def _posture(
    rulebook: Rulebook, scores: list[float], settings: list[int]
) -> tuple[PostureLabel, float]:
    """(label, index): the index is the mean normalized score in [-1, 1], each score first
    moved into its final setting's band, so that a bound counts."""
    t0, t1, t2, t3 = rulebook.thresholds
    values = list(scores)
    # Only a bound moves a setting off its score's band: other scores are in it already.
    lows = (-_INF, t0, t1, t2, t3)
    highs = (t0, t1, t2, t3, _INF)
    for position in rulebook.bound_rules:
        value = values[position]
        setting = settings[position]
        if value < lows[setting]:
            values[position] = lows[setting]
        elif value > highs[setting]:
            values[position] = highs[setting]
    total = 0.0
    for value in values:
        # min(value / t3, 1.0) at or above zero, max(value / -t0, -1.0) below (t0 < 0 < t3).
        total += (
            (value / t3 if value < t3 else 1.0)
            if value >= 0
            else (value / -t0 if value > t0 else -1.0)
        )
    domains = len(scores)
    index = round(total / domains, 4) if domains else 0.0
    band = rulebook.meta.posture.band
    label: PostureLabel = (
        "more_centralized" if index > band else "more_decentralized" if index < -band else "midway"
    )
    return label, index


def _hidden_warning(rulebook: Rulebook, question_id: str) -> str:
    text = rulebook.questions[question_id].show_if_text
    return f"answer to '{question_id}' ignored: the question is shown only if {text}"


def _hidden_warnings(rulebook: Rulebook, answers: Answers, effective: Answers) -> tuple[str, ...]:
    warnings: tuple[str, ...] = ()
    for q in rulebook.conditional:
        value = answers.get(q.id)
        if (
            value is not None
            and (q.id not in effective or value == UNSURE)
            and not _is_shown(q, effective)
        ):
            warnings += (_hidden_warning(rulebook, q.id),)
    return warnings


class SettingsOnly(NamedTuple):
    """Settings and posture only: what a CSV row needs, computed without the details."""

    settings: tuple[SettingId, ...]
    posture_label: PostureLabel
    posture_index: float
    warnings: tuple[str, ...]


def score_settings(rulebook: Rulebook, answers: Answers) -> SettingsOnly:
    """Settings and posture only (the batch CSV path): no details, no levers. The same
    steps as `score`, so both give the same settings and posture."""
    effective = effective_answers(rulebook, answers)
    fired, scores = rulebook.kernel(effective)
    settings = _settings(rulebook, fired, scores)
    label, index = _posture(rulebook, scores, settings)
    warnings = _hidden_warnings(rulebook, answers, effective) if rulebook.conditional else ()
    return SettingsOnly(tuple(map(SETTINGS.__getitem__, settings)), label, index, warnings)


def score_raw_answers(rulebook: Rulebook, raw_answers: Mapping[str, Any]) -> SettingsOnly | None:
    """`score_settings` straight from an answer file's raw `[answers]` table, when every
    answer is valid as it stands (then the table is what the full check would give);
    None means the full path must check and score it."""
    accepts_as_is = rulebook.accepts_as_is
    if accepts_as_is is None or not accepts_as_is(raw_answers):
        return None
    return score_settings(rulebook, raw_answers)


def score(rulebook: Rulebook, answers: Answers, *, levers: bool = True) -> Result:
    """Score answers against a rulebook. Set `levers=False` when they will not be shown."""
    effective = effective_answers(rulebook, answers)
    fired, scores = rulebook.kernel(effective)
    settings = _settings(rulebook, fired, scores)
    label, index = _posture(rulebook, scores, settings)
    shown = [q for q in rulebook.questions.values() if _is_shown(q, effective)]
    shown_ids = {q.id for q in shown}
    lever_map = (
        _levers(rulebook, answers, effective, fired, scores, settings, shown) if levers else {}
    )
    domains = tuple(
        _domain_result(
            rulebook,
            position,
            effective,
            answers,
            fired,
            scores[position],
            settings[position],
            shown_ids,
            lever_map.get(position, ()),
        )
        for position in range(len(rulebook.domains))
    )
    return Result(
        rulebook_id=rulebook.id,
        rulebook_version=rulebook.version,
        domains=domains,
        posture_label=label,
        posture_index=index,
        answered=sum(1 for q in shown if q.id in effective),
        shown=len(shown),
        warnings=_hidden_warnings(rulebook, answers, effective),
    )


def _domain_result(
    rulebook: Rulebook,
    position: int,
    effective: Answers,
    answers: Answers,
    fired: list[bool],
    total: float,
    setting: int,
    shown_ids: set[str],
    levers: tuple[Lever, ...] | list[Lever],
) -> DomainResult:
    domain = rulebook.domains[position]
    domain_id = domain.id
    rules = rulebook.rules
    because: list[FiredRule] = []
    positive = negative = 0.0
    low, high, low_rules, high_rules = _bounds(rulebook, fired, domain_id)
    for i in rulebook.rules_by_domain[domain_id]:
        if not fired[i]:
            continue
        rule = rules[i]
        weight = sum(w for d, w in rule.effects if d == domain_id)
        if weight > 0:
            positive += weight
        else:
            negative -= weight
        bounds = [f"at least {SETTINGS[b]}" for d, b in rule.at_least if d == domain_id]
        bounds += [f"at most {SETTINGS[b]}" for d, b in rule.at_most if d == domain_id]
        reads = tuple((name, answers.get(name)) for name in rule.reads)
        because.append(FiredRule(rule.id, weight, rule.because, reads, ", ".join(bounds) or None))
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
        note = (
            f"held {side} {SETTINGS[setting]} by {', '.join(rules[i].id for i in which)} "
            f"(score alone: {SETTINGS[raw]})"
        )
    relevant = [q for q in rulebook.domain_reads[domain_id] if q in shown_ids]
    answered = sum(1 for q in relevant if q in effective)
    coverage = answered / len(relevant) if relevant else 1.0
    conflict = min(positive, negative) / (positive + negative) if positive + negative else 0.0
    confidence: Confidence
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
        title=domain.title,
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


def _levers(
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
        below.append(s - lower[-1] if lower else _INF)
        above.append(upper[0] - s if upper else _INF)
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
        # (position, domain id, score, bounds to keep or None to recompute or () for none)
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
                held: tuple[int, int] | None = bounds.get(p, (0, _TIGHTEST))
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
                new_fired, new_scores = rulebook.kernel(new_effective)
                new_settings = _settings(rulebook, new_fired, new_scores)
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
                for p, domain_id, old, held in targets:
                    value = old + delta.get(domain_id, 0.0)
                    raw = (value >= t0) + (value >= t1) + (value >= t2) + (value >= t3)
                    low, high = _held(bound_rules[p], new_fired) if held is None else held
                    moved.append((p, _clamp(raw, low, high)))
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
