"""Phrases a person reads about one domain's result, in the scale's labels (never ids):
the setting and which way a borderline one leans, the road ahead (now → schools that
meet the bar → the next stage) and what earns a looser setting. One place, so the TUI
and every report say it the same way."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from holdtight.engine import hidden_warning
from holdtight.model import SETTINGS, DomainResult, Rulebook, Scenario, tightness
from holdtight.scoring import lean_index

# Confidence as a person reads it in a table (the ids are for files and JSON).
CONFIDENCE_LABELS = {"high": "High", "medium": "Medium", "low": "Low"}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def listed(items: Sequence[str], word: str = "and") -> str:
    """'A', 'A and B', 'A, B and C' ('or' for alternatives); with semicolons ('A; B; and
    C') when an item holds a comma or the joining word of its own: a role such as
    'Executive Director, Office of School Design', an answer such as 'A small team or
    part-time roles'."""
    if len(items) <= 1:
        return "".join(items)
    if any("," in item or f" {word} " in item for item in items):
        return "; ".join(items[:-1]) + f"; {word} " + items[-1]
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def setting_phrase(rulebook: Rulebook, domain: DomainResult) -> str:
    """The setting's label; a borderline one says which way it leans: "Balanced, close to
    lean tight"."""
    label = rulebook.setting_label(domain.setting)
    if not domain.borderline:
        return label
    lean = lean_index(rulebook.thresholds, domain.score)
    if not 0 <= lean < len(SETTINGS):
        return label
    return f"{label}, close to {_lower_first(rulebook.setting_label(SETTINGS[lean]))}"


def headline_scenarios(rulebook: Rulebook) -> tuple[Scenario, ...]:
    """The scenarios of the road ahead line: the first readiness tier, then the next
    stage (the first scenario that steps an answer on, else the first road-ahead one)."""
    readiness = next((s for s in rulebook.scenarios if s.kind == "readiness"), None)
    stage = next((s for s in rulebook.scenarios if s.step is not None), None) or next(
        (s for s in rulebook.scenarios if s.kind == "road_ahead"), None
    )
    return tuple(s for s in (readiness, stage) if s is not None)


def road_ahead(rulebook: Rulebook, domain: DomainResult) -> str:
    """ "Now: Balanced → Schools that meet the readiness bar: Leave loose → The next stage
    of the rollout: Lean tight" (empty when the rulebook has no scenarios)."""
    by_id = {s.id: s for s in domain.scenarios}
    parts = [f"Now: {rulebook.setting_label(domain.setting)}"]
    for scenario in headline_scenarios(rulebook):
        under = by_id.get(scenario.id)
        if under is not None:
            parts.append(f"{under.title}: {rulebook.setting_label(under.setting)}")
    return " → ".join(parts) if len(parts) > 1 else ""


class Earned(NamedTuple):
    """A scenario under which the domain is looser than now: its title, the looser
    setting's label, and the criteria that earn it."""

    title: str
    setting: str
    criteria: tuple[str, ...]


def earned(rulebook: Rulebook, domain: DomainResult) -> list[Earned]:
    """Where a readiness scenario differs from now (it only loosens): what earns it."""
    by_id = {s.id: s for s in rulebook.scenarios}
    found = []
    for under in domain.scenarios:
        scenario = by_id.get(under.id)
        if (
            scenario is not None
            and scenario.kind == "readiness"
            and tightness(under.setting) < tightness(domain.setting)
        ):
            found.append(
                Earned(under.title, rulebook.setting_label(under.setting), scenario.criteria)
            )
    return found


def readable_warnings(rulebook: Rulebook, warnings: Sequence[str]) -> tuple[str, ...]:
    """Warnings as a person reading a report or the result table understands them: the
    engine's note that a hidden question's answer was ignored names question ids and a
    condition in the rulebook's own syntax; here it names the questions by their prompts.
    (Data formats, CSV and JSON, keep the engine's wording.)"""
    if not warnings:
        return ()
    hidden = {hidden_warning(rulebook, q.id): q for q in rulebook.conditional}
    readable = []
    for warning in warnings:
        question = hidden.get(warning)
        if question is None:
            readable.append(warning)
            continue
        reads = " and ".join(
            f'"{q.prompt}"' for q in rulebook.questions.values() if q.id in question.show_if_reads
        )
        readable.append(
            f'The answer to "{question.prompt}" is not counted: given the answer to {reads}, '
            "the question does not apply."
        )
    return tuple(readable)
