"""Data shapes: the rulebook as written, the compiled rulebook the engine runs, answers,
results and session files.

Plain dataclasses, no pydantic import: the batch path stays light. The definitions "as
written" live in `holdtight.written` and are re-exported here."""

# (no `from __future__ import annotations`: typing.NamedTuple would compile every field's
# annotation string at import)

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, ClassVar, Literal, NamedTuple, TypeAlias

from holdtight.written import (
    STRICT as STRICT,
)
from holdtight.written import (
    DomainDef as DomainDef,
)
from holdtight.written import (
    ExampleDef as ExampleDef,
)
from holdtight.written import (
    GuardRailDef as GuardRailDef,
)
from holdtight.written import (
    Option as Option,
)
from holdtight.written import (
    Posture as Posture,
)
from holdtight.written import (
    PostureLabel as PostureLabel,
)
from holdtight.written import (
    QuestionDef as QuestionDef,
)
from holdtight.written import (
    QuestionKind as QuestionKind,
)
from holdtight.written import (
    QuestionNature as QuestionNature,
)
from holdtight.written import (
    RulebookMeta as RulebookMeta,
)
from holdtight.written import (
    RuleDef as RuleDef,
)
from holdtight.written import (
    Scale as Scale,
)
from holdtight.written import (
    ScaleSetting as ScaleSetting,
)
from holdtight.written import (
    ScenarioDef as ScenarioDef,
)
from holdtight.written import (
    ScenarioKind as ScenarioKind,
)
from holdtight.written import (
    ScenarioStep as ScenarioStep,
)
from holdtight.written import (
    Section as Section,
)
from holdtight.written import (
    SettingId as SettingId,
)
from holdtight.written import (
    Source as Source,
)
from holdtight.written import (
    Survey as Survey,
)
from holdtight.written import (
    Thresholds as Thresholds,
)

SETTINGS: tuple[SettingId, ...] = ("loose", "lean_loose", "balanced", "lean_tight", "tight")
"""The five settings, loosest first: a setting's index is its tightness."""

Confidence: TypeAlias = Literal["high", "medium", "low"]

UNSURE = "unsure"
AnswerValue: TypeAlias = str | int | float | list[str]
Answers: TypeAlias = Mapping[str, AnswerValue]

SESSION_FORMAT = 1
EMPTY: Mapping[str, Any] = MappingProxyType({})
ID_PATTERN = r"^[a-z][a-z0-9_]*$"

LAX: dict[str, Any] = {"extra": "forbid", "allow_inf_nan": False}


def tightness(setting: str) -> int:
    return SETTINGS.index(setting)


SCORE_DECIMALS = 6
"""Weights, biases and thresholds are held to six decimals (the rulebook rounds them),
so the exact total of any of them has six decimals too."""
SCORE_UNITS = 10.0**SCORE_DECIMALS


def settle(total: float) -> float:
    """A sum of weights as the decimal it stands for. Floating-point sums depend on the
    order of the additions (0.7 - 0.2 is 0.49999999999999994; 0.2 + 0.2 + 0.2 is
    0.6000000000000001): rounded to six decimals, the kernel's sum in rule order and
    a lever's or scenario's change added to it give the same score, and a total that
    equals a threshold as written takes the tighter setting, as `setting_index` says.
    Whole millionths, then back (cheaper than `round(total, 6)`, which works through
    decimal digits, and the same for a total within half a millionth of six decimals,
    which every total is: scores stay within ±2,000,000, where a float's error is far
    below that). The generated kernel and the levers add whole millionths (`units`)
    instead, exactly, which comes to the same."""
    return round(total * SCORE_UNITS) / SCORE_UNITS


def units(value: float) -> int:
    """A settled weight, bias, threshold or score in whole millionths: added as such,
    totals are exact in any order, and `units(x) / SCORE_UNITS == settle(x)`."""
    return round(value * SCORE_UNITS)


# --- the compiled rulebook ---------------------------------------------------------------

Predicate: TypeAlias = Callable[[Answers], bool]
AnswerCheck: TypeAlias = Callable[[Mapping[str, Any]], bool]
"""True when every answer of a raw `[answers]` table is valid as it stands."""


class Question(NamedTuple):
    id: str
    section: str
    kind: str
    prompt: str
    help: str
    options: tuple[Option, ...]
    option_ids: frozenset[str]
    min: float | None
    max: float | None
    integer: bool
    unit: str
    labels: Mapping[str, str]
    required: bool
    show_if: Predicate | None
    show_if_text: str | None
    show_if_reads: frozenset[str]
    order: int
    nature: QuestionNature | None = None
    short_label: str = ""
    """A few words naming the question in lists and reasons (never the id)."""

    def option_label(self, option_id: str) -> str:
        for option in self.options:
            if option.id == option_id:
                return option.label
        return option_id


class Rule(NamedTuple):
    id: str
    when: Predicate
    when_text: str
    reads: tuple[str, ...]
    effects: tuple[tuple[str, float], ...]
    at_least: tuple[tuple[str, int], ...]
    at_most: tuple[tuple[str, int], ...]
    because: str
    source_file: str
    numeric_literals: Mapping[str, frozenset[float]] = EMPTY


class GuardRail(NamedTuple):
    id: str
    domain: str
    settings: frozenset[str]
    when: Predicate | None
    when_text: str | None
    reads: tuple[str, ...]
    text: str


class Domain(NamedTuple):
    id: str
    title: str
    description: str
    tight_means: str
    loose_means: str
    bias: float
    short: str


class Example(NamedTuple):
    id: str
    description: str
    answers: Mapping[str, Any]
    expect: Mapping[str, str]
    expect_posture: str | None
    source_file: str
    expect_scenarios: Mapping[str, Mapping[str, str]] = EMPTY


class Scenario(NamedTuple):
    """A compiled scenario: the answers it overrides, checked against the questionnaire,
    and `step` (question, map from answer to answer) when it moves one answer a step on."""

    id: str
    title: str
    description: str
    criteria: tuple[str, ...]
    kind: str
    answers: Mapping[str, AnswerValue]
    step: tuple[str, Mapping[str, str]] | None
    source_file: str


@dataclass(frozen=True)
class Rulebook:
    """A loaded, checked and compiled rulebook: what the engine runs."""

    meta: RulebookMeta
    sha256: str
    path: str
    sections: tuple[Section, ...]
    questions: Mapping[str, Question]
    domains: tuple[Domain, ...]
    rules: tuple[Rule, ...]
    guard_rails: tuple[GuardRail, ...]
    examples: tuple[Example, ...]
    # Derived indexes, built once by the loader.
    thresholds: tuple[float, float, float, float]
    rules_by_question: Mapping[str, tuple[int, ...]]
    rules_by_domain: Mapping[str, tuple[int, ...]]
    domain_reads: Mapping[str, frozenset[str]]
    max_swing: Mapping[str, Mapping[str, float]]
    bounded_by: Mapping[str, frozenset[str]]
    visibility_controllers: frozenset[str]
    lever_candidates: Mapping[str, tuple[AnswerValue, ...]]
    guard_rails_by_domain: Mapping[str, tuple[GuardRail, ...]]
    kernel: Callable[[Answers], tuple[list[bool], list[float]]]
    """Tests every rule at once: (fired per rule, score per domain in domain order)."""
    fast_factory: Callable[[], AnswerCheck | None]
    """Builds the batch fast path's answer check (see `accepts_as_is`) on first use."""
    conditional: tuple[Question, ...]
    """Questions with a `show_if`, in questionnaire order."""
    bound_rules: Mapping[int, tuple[tuple[int, int, int], ...]]
    """Per domain position, the rules that bound it: (rule index, at least, at most)."""
    accepted_as_is: Mapping[str, frozenset[str | int]]
    """Per question, the str/int answers that are valid as they stand (fast paths)."""
    scenarios: tuple[Scenario, ...] = ()

    @functools.cached_property
    def accepts_as_is(self) -> AnswerCheck | None:
        """The batch fast path's check of a raw `[answers]` table (None: no fast path)."""
        return self.fast_factory()

    @functools.cached_property
    def domain_positions(self) -> Mapping[str, int]:
        """Each domain's position in domain order."""
        return {domain.id: i for i, domain in enumerate(self.domains)}

    @functools.cached_property
    def bounded_by_rule(self) -> Mapping[int, tuple[int, ...]]:
        """Per rule with bounds, the positions of the domains it bounds."""
        found: dict[int, list[int]] = {}
        for position, bounds in self.bound_rules.items():
            for i, _, _ in bounds:
                found.setdefault(i, []).append(position)
        return {i: tuple(positions) for i, positions in found.items()}

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def version(self) -> str:
        return self.meta.version

    def setting_label(self, setting: str) -> str:
        for item in self.meta.scale.settings:
            if item.id == setting:
                return item.label
        return setting

    def posture_text(self, posture: str) -> str:
        """A posture as a person reads it: the rulebook's label, else 'More centralized'."""
        label: str | None = self.meta.posture.labels.get(posture)  # type: ignore[call-overload]
        return label or posture.replace("_", " ").capitalize()

    def domain(self, domain_id: str) -> Domain:
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise KeyError(domain_id)


# --- results -----------------------------------------------------------------------------


class FiredRule(NamedTuple):
    rule: str
    weight: float
    text: str
    reads: tuple[tuple[str, AnswerValue | None], ...]
    bound: str | None = None


class Lever(NamedTuple):
    question: str
    answer: AnswerValue
    setting: SettingId


class ScenarioSetting(NamedTuple):
    """A domain's setting and score under one scenario."""

    id: str
    title: str
    setting: str
    score: float


class DomainResult(NamedTuple):
    id: str
    title: str
    setting: SettingId
    score: float
    raw_setting: SettingId
    confidence: Confidence
    answered: int
    relevant: int
    because: tuple[FiredRule, ...]
    guard_rails: tuple[GuardRail, ...]
    levers: tuple[Lever, ...]
    bound_note: str | None
    margin: float = 0.0
    """How far the score is from the nearest threshold of its band, in score points."""
    borderline: bool = False
    scenarios: tuple[ScenarioSetting, ...] = ()


class Result(NamedTuple):
    rulebook_id: str
    rulebook_version: str
    domains: tuple[DomainResult, ...]
    posture_label: PostureLabel
    posture_index: float
    answered: int
    shown: int
    warnings: tuple[str, ...]
    scenarios: tuple[Scenario, ...] = ()

    def domain(self, domain_id: str) -> DomainResult:
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise KeyError(domain_id)


# --- session files -----------------------------------------------------------------------


@dataclass(frozen=True)
class SessionHeader:
    """The `[holdtight]` table: which rulebook the answers were given under."""

    __pydantic_config__: ClassVar[dict[str, Any]] = LAX

    format: int = SESSION_FORMAT
    rulebook: str = ""
    rulebook_version: str = ""
    rulebook_sha256: str = ""
    created: datetime | None = None
    updated: datetime | None = None

    def as_table(self) -> dict[str, Any]:
        table: dict[str, Any] = {"format": self.format}
        for name in ("rulebook", "rulebook_version", "rulebook_sha256", "created", "updated"):
            value = getattr(self, name)
            if value:
                table[name] = value
        return table


MetaValue: TypeAlias = str | int | float | bool


@dataclass
class Session:
    """A session or answer file, checked against a rulebook.

    `answers` holds what scores; `unknown` keeps answers to questions the rulebook does
    not have so that saving never drops them.
    """

    header: SessionHeader
    meta: dict[str, MetaValue]
    answers: dict[str, AnswerValue]
    notes: dict[str, str]
    unknown: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def organization(self) -> str:
        value = self.meta.get("organization", "")
        return str(value)
