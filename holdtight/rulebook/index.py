"""The engine's indexes, built once per rulebook: which rules read which question and
move which domain, how far one question can swing each domain, which questions bound a
domain, the bounds per domain, the answers worth trying as levers, and the answers that
need no checking beyond set membership."""

# No `from __future__ import annotations` here: with it, typing.NamedTuple compiles
# every field's annotation string at import, which costs start-up time.

import math
from collections.abc import Mapping
from typing import NamedTuple

from holdtight.model import SETTINGS, AnswerValue, Domain, GuardRail, Question, Rule

Bounds = tuple[tuple[int, int, int], ...]


class Indexes(NamedTuple):
    rules_by_question: dict[str, tuple[int, ...]]
    rules_by_domain: dict[str, tuple[int, ...]]
    domain_reads: dict[str, frozenset[str]]
    max_swing: dict[str, dict[str, float]]
    bounded_by: dict[str, frozenset[str]]
    visibility_controllers: frozenset[str]
    lever_candidates: dict[str, tuple[AnswerValue, ...]]
    guard_rails_by_domain: dict[str, tuple[GuardRail, ...]]
    conditional: tuple[Question, ...]
    # Every domain's position -> (rule index, lowest, highest setting) of the rules that
    # bound it; domains without bounds have an empty tuple.
    bound_rules: dict[int, Bounds]
    accepted_as_is: dict[str, frozenset[str | int]]


def build_indexes(
    questions: Mapping[str, Question],
    domains: tuple[Domain, ...],
    rules: tuple[Rule, ...],
    rails: tuple[GuardRail, ...],
) -> Indexes:
    by_question: dict[str, list[int]] = {q: [] for q in questions}
    by_domain: dict[str, list[int]] = {d.id: [] for d in domains}
    domain_reads: dict[str, set[str]] = {d.id: set() for d in domains}
    swing: dict[str, dict[str, float]] = {q: {} for q in questions}
    bounded_by: dict[str, set[str]] = {d.id: set() for d in domains}
    numeric: dict[str, set[float]] = {q: set() for q in questions}
    for i, rule in enumerate(rules):
        touched = (
            {d for d, _ in rule.effects}
            | {d for d, _ in rule.at_least}
            | {d for d, _ in rule.at_most}
        )
        for name in rule.reads:
            by_question[name].append(i)
            for domain_id, weight in rule.effects:
                swing[name][domain_id] = swing[name].get(domain_id, 0.0) + abs(weight)
            for domain_id, _ in (*rule.at_least, *rule.at_most):
                bounded_by[domain_id].add(name)
        for domain_id in touched:
            by_domain[domain_id].append(i)
            domain_reads[domain_id].update(rule.reads)
        for name, values in rule.numeric_literals.items():
            numeric[name].update(values)
    return Indexes(
        rules_by_question={k: tuple(v) for k, v in by_question.items()},
        rules_by_domain={k: tuple(v) for k, v in by_domain.items()},
        domain_reads={k: frozenset(v) for k, v in domain_reads.items()},
        max_swing=swing,
        bounded_by={k: frozenset(v) for k, v in bounded_by.items()},
        visibility_controllers=frozenset(
            name for q in questions.values() for name in q.show_if_reads
        ),
        lever_candidates={q.id: lever_candidates(q, numeric[q.id]) for q in questions.values()},
        guard_rails_by_domain=rails_by_domain(domains, rails),
        conditional=tuple(q for q in questions.values() if q.show_if is not None),
        bound_rules=_bound_rules(domains, rules),
        accepted_as_is={q.id: accepted_as_is(q) for q in questions.values()},
    )


def rails_by_domain(
    domains: tuple[Domain, ...], rails: tuple[GuardRail, ...]
) -> dict[str, tuple[GuardRail, ...]]:
    return {d.id: tuple(r for r in rails if r.domain == d.id) for d in domains}


def _bound_rules(domains: tuple[Domain, ...], rules: tuple[Rule, ...]) -> dict[int, Bounds]:
    """For each domain's position, the rules that bound it, in rule order: (rule index,
    its lowest and highest setting for the domain)."""
    position = {d.id: i for i, d in enumerate(domains)}
    result: dict[int, list[tuple[int, int, int]]] = {i: [] for i in range(len(domains))}
    top = len(SETTINGS) - 1
    for i, rule in enumerate(rules):
        if not (rule.at_least or rule.at_most):
            continue
        bounds: dict[str, list[int]] = {}
        for domain_id, setting in rule.at_least:
            low_high = bounds.setdefault(domain_id, [0, top])
            low_high[0] = max(low_high[0], setting)
        for domain_id, setting in rule.at_most:
            low_high = bounds.setdefault(domain_id, [0, top])
            low_high[1] = min(low_high[1], setting)
        for domain_id, (low, high) in bounds.items():
            result[position[domain_id]].append((i, low, high))
    return {k: tuple(v) for k, v in result.items()}


def lever_candidates(question: Question, numeric: set[float]) -> tuple[AnswerValue, ...]:
    """The answers worth trying for a question when looking for levers: every option, every
    scale step, and numbers either side of each number a rule compares it with."""
    if question.kind == "single":
        return tuple(o.id for o in question.options)
    if question.kind == "scale" and question.min is not None and question.max is not None:
        return tuple(range(int(question.min), int(question.max) + 1))
    if question.kind == "number":
        low = question.min if question.min is not None else -math.inf
        high = question.max if question.max is not None else math.inf
        values: set[float] = set()
        for literal in numeric:
            step = 1.0 if question.integer else 0.01
            values.update((literal - step, literal, literal + step))
        ordered = sorted(v for v in values if low <= v <= high)
        return tuple(int(v) if question.integer and float(v).is_integer() else v for v in ordered)
    return ()


def accepted_as_is(question: Question) -> frozenset[str | int]:
    """The answers that are valid as they stand, tested by set membership alone."""
    values: set[str | int] = {"unsure"} if question.kind != "text" else set()
    if question.kind == "single":
        values.update(question.option_ids)
    elif question.kind in ("scale", "number") and question.integer:
        low, high = question.min, question.max
        if low is not None and high is not None and high - low <= 10_000:
            values.update(range(math.ceil(low), math.floor(high) + 1))
    return frozenset(values)
