"""The rulebook as written: the tables of its TOML files as plain dataclasses, validated
at the edge by pydantic (`holdtight.validation`), which reads each `__pydantic_config__`:
unknown keys are errors. Re-exported by `holdtight.model`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeAlias

SettingId: TypeAlias = Literal["tight", "lean_tight", "balanced", "lean_loose", "loose"]
QuestionKind: TypeAlias = Literal["single", "multi", "scale", "number", "text"]
QuestionNature: TypeAlias = Literal["fact", "judgment"]
"""A matter of fact (go and get the data) or of judgment (discuss and decide)."""
PostureLabel: TypeAlias = Literal["more_centralized", "midway", "more_decentralized"]
ScenarioKind: TypeAlias = Literal["readiness", "road_ahead"]

# Unknown keys are errors; NaN and infinities are not numbers a rulebook may use.
STRICT: dict[str, Any] = {"extra": "forbid", "allow_inf_nan": False}


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
    borderline: float = 1.0
    """A score closer than this to a threshold of its band is borderline."""


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
    nature: QuestionNature | None = None


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
    expect_scenarios: dict[str, dict[str, SettingId]] = field(default_factory=dict)


@dataclass(frozen=True)
class ScenarioStep:
    """A scenario that moves one answer a step on (e.g. the next stage of the rollout)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    question: str
    map: dict[str, str]


@dataclass(frozen=True)
class ScenarioDef:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    title: str
    description: str = ""
    criteria: list[str] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    kind: ScenarioKind = "road_ahead"
    step: ScenarioStep | None = None
