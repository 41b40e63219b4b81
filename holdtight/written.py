"""The rulebook as written: the tables of its TOML files as plain dataclasses, validated
at the edge by pydantic (`holdtight.validation`), which reads each `__pydantic_config__`:
unknown keys are errors. Re-exported by `holdtight.model`."""

from __future__ import annotations

import dataclasses
import reprlib
from typing import Any, ClassVar, Literal, TypeAlias, TypeVar, cast, dataclass_transform

SettingId: TypeAlias = Literal["tight", "lean_tight", "balanced", "lean_loose", "loose"]
QuestionKind: TypeAlias = Literal["single", "multi", "scale", "number", "text"]
QuestionNature: TypeAlias = Literal["fact", "judgment"]
"""A matter of fact (go and get the data) or of judgment (discuss and decide)."""
PostureLabel: TypeAlias = Literal["more_centralized", "midway", "more_decentralized"]
ScenarioKind: TypeAlias = Literal["readiness", "road_ahead"]

# Unknown keys are errors; NaN and infinities are not numbers a rulebook may use.
STRICT: dict[str, Any] = {"extra": "forbid", "allow_inf_nan": False}


# --- the rulebook as written -------------------------------------------------------------
#
# Start-up: `dataclass` writes and compiles each method it makes for each class (about
# 0.1 ms apiece; 7 ms for these 16 classes). Equality, hash and repr are therefore
# written once, in `_Record`, to the letter of what `dataclass(frozen=True)` would
# make; `dataclass` still makes `__init__` and the frozen `__setattr__`/`__delattr__`.

_NAMES: dict[type, tuple[str, ...]] = {}


class _Record:
    """Equality, hash and repr of the frozen dataclasses below: by their fields, in
    order, between instances of the very same class, as `dataclass` writes them."""

    __slots__ = ()

    def _names(self) -> tuple[str, ...]:
        names = _NAMES.get(self.__class__)
        if names is None:
            fields = dataclasses.fields(self)  # type: ignore[arg-type]
            names = _NAMES[self.__class__] = tuple(f.name for f in fields)
        return names

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._names())

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._names())
        return f"{self.__class__.__qualname__}({fields})"


_C = TypeVar("_C", bound=type)


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def dataclass(cls: _C) -> _C:
    """`dataclasses.dataclass(frozen=True)`, with `_Record`'s equality, hash and repr."""
    return cast(_C, dataclasses.dataclass(frozen=True, eq=False, repr=False)(cls))


field = dataclasses.field


@dataclass
class ScaleSetting(_Record):
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: SettingId
    label: str
    description: str = ""


@dataclass
class Thresholds(_Record):
    """The lowest score at which each setting applies; below `lean_loose` is `loose`."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    lean_loose: float
    balanced: float
    lean_tight: float
    tight: float


@dataclass
class Scale(_Record):
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    settings: list[ScaleSetting]
    thresholds: Thresholds
    borderline: float = 1.0
    """A score closer than this to a threshold of its band is borderline."""


@dataclass
class Survey(_Record):
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    respondents: int
    systems: int
    more_centralized: float
    midway: float
    more_decentralized: float
    source: str


@dataclass
class Posture(_Record):
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    band: float = 0.2
    labels: dict[PostureLabel, str] = field(default_factory=dict)
    survey: Survey | None = None


@dataclass
class Source(_Record):
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    title: str
    author: str = ""
    url: str = ""
    note: str = ""


@dataclass
class RulebookMeta(_Record):
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    version: str
    title: str
    scale: Scale
    description: str = ""
    sources: list[Source] = field(default_factory=list)
    posture: Posture = field(default_factory=Posture)
    reflection: list[str] = field(default_factory=list)


@dataclass
class Section(_Record):
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    title: str
    intro: str = ""


@dataclass
class Option(_Record):
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    label: str
    help: str = ""


@dataclass
class QuestionDef(_Record):
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    section: str
    kind: QuestionKind
    prompt: str
    short_label: str = ""
    """A few words for lists and reasons; derived from the prompt when not given."""
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


@dataclass
class DomainDef(_Record):
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    title: str
    description: str = ""
    tight_means: str = ""
    loose_means: str = ""
    bias: float = 0.0
    short: str = ""


@dataclass
class RuleDef(_Record):
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    when: str
    because: str
    effects: dict[str, float] = field(default_factory=dict)
    at_least: dict[str, SettingId] = field(default_factory=dict)
    at_most: dict[str, SettingId] = field(default_factory=dict)


@dataclass
class GuardRailDef(_Record):
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    domain: str
    settings: list[SettingId]
    text: str
    when: str | None = None


@dataclass
class ExampleDef(_Record):
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    answers: dict[str, Any]
    description: str = ""
    expect: dict[str, SettingId] = field(default_factory=dict)
    expect_posture: PostureLabel | None = None
    expect_scenarios: dict[str, dict[str, SettingId]] = field(default_factory=dict)


@dataclass
class ScenarioStep(_Record):
    """A scenario that moves one answer a step on (e.g. the next stage of the rollout)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    question: str
    map: dict[str, str]


@dataclass
class ScenarioDef(_Record):
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    id: str
    title: str
    description: str = ""
    criteria: list[str] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    kind: ScenarioKind = "road_ahead"
    step: ScenarioStep | None = None
