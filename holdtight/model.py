"""Data shapes: the rulebook as written, the compiled rulebook the engine runs, answers,
results and session files.

Plain dataclasses, no pydantic import: the batch path stays light. Definitions "as
written" are validated at the edge by pydantic (`holdtight.validation`), which reads the
`__pydantic_config__` below: unknown keys are errors."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, ClassVar, Literal, NamedTuple, TypeAlias

SettingId: TypeAlias = Literal["tight", "lean_tight", "balanced", "lean_loose", "loose"]
SETTINGS: tuple[SettingId, ...] = ("loose", "lean_loose", "balanced", "lean_tight", "tight")
"""The five settings, loosest first: a setting's index is its tightness."""

QuestionKind: TypeAlias = Literal["single", "multi", "scale", "number", "text"]
PostureLabel: TypeAlias = Literal["more_centralized", "midway", "more_decentralized"]
Confidence: TypeAlias = Literal["high", "medium", "low"]

UNSURE = "unsure"
AnswerValue: TypeAlias = str | int | float | list[str]
Answers: TypeAlias = Mapping[str, AnswerValue]

SESSION_FORMAT = 1
EMPTY: Mapping[str, Any] = MappingProxyType({})
ID_PATTERN = r"^[a-z][a-z0-9_]*$"

# Unknown keys are errors; NaN and infinities are not numbers a rulebook may use.
STRICT: dict[str, Any] = {"extra": "forbid", "allow_inf_nan": False}
LAX: dict[str, Any] = {"extra": "forbid", "allow_inf_nan": False}


def tightness(setting: str) -> int:
    return SETTINGS.index(setting)


# --- the rulebook as written -------------------------------------------------------------


@dataclass(frozen=True)
class ScaleSetting:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: SettingId
    label: str
    description: str = ""


@dataclass(frozen=True)
class Thresholds:
    """The lowest score at which each setting applies; below `lean_loose` is `loose`."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    lean_loose: float
    balanced: float
    lean_tight: float
    tight: float


@dataclass(frozen=True)
class Scale:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    settings: list[ScaleSetting]
    thresholds: Thresholds


@dataclass(frozen=True)
class Survey:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    respondents: int
    systems: int
    more_centralized: float
    midway: float
    more_decentralized: float
    source: str


@dataclass(frozen=True)
class Posture:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    band: float = 0.2
    labels: dict[PostureLabel, str] = field(default_factory=dict)
    survey: Survey | None = None


@dataclass(frozen=True)
class Source:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    title: str
    author: str = ""
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class RulebookMeta:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    version: str
    title: str
    scale: Scale
    description: str = ""
    sources: list[Source] = field(default_factory=list)
    posture: Posture = field(default_factory=Posture)
    reflection: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    title: str
    intro: str = ""


@dataclass(frozen=True)
class Option:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    label: str
    help: str = ""


@dataclass(frozen=True)
class QuestionDef:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    section: str
    kind: QuestionKind
    prompt: str
    help: str = ""
    options: list[Option] = field(default_factory=list)
    min: float | None = None
    max: float | None = None
    integer: bool = True
    unit: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    required: bool | None = None
    show_if: str | None = None


@dataclass(frozen=True)
class DomainDef:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    title: str
    description: str = ""
    tight_means: str = ""
    loose_means: str = ""
    bias: float = 0.0
    short: str = ""


@dataclass(frozen=True)
class RuleDef:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    when: str
    because: str
    effects: dict[str, float] = field(default_factory=dict)
    at_least: dict[str, SettingId] = field(default_factory=dict)
    at_most: dict[str, SettingId] = field(default_factory=dict)


@dataclass(frozen=True)
class GuardRailDef:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    domain: str
    settings: list[SettingId]
    text: str
    when: str | None = None


@dataclass(frozen=True)
class ExampleDef:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    answers: dict[str, Any]
    description: str = ""
    expect: dict[str, SettingId] = field(default_factory=dict)
    expect_posture: PostureLabel | None = None


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

    @functools.cached_property
    def accepts_as_is(self) -> AnswerCheck | None:
        """The batch fast path's check of a raw `[answers]` table (None: no fast path)."""
        return self.fast_factory()

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


class Result(NamedTuple):
    rulebook_id: str
    rulebook_version: str
    domains: tuple[DomainResult, ...]
    posture_label: PostureLabel
    posture_index: float
    answered: int
    shown: int
    warnings: tuple[str, ...]

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
