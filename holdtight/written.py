"""The rulebook as written: the tables of its TOML files as plain dataclasses, validated
at the edge by pydantic (`holdtight.validation`), which reads each `__pydantic_config__`:
unknown keys are errors. Re-exported by `holdtight.model`."""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
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
# make; `__init__` and the frozen `__setattr__`/`__delattr__`, which depend on each
# class's fields, are written for all the classes at once (`_write_methods`: one
# compile instead of three per class), with the very text `dataclass` gives them.

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
_PENDING: list[type] = []  # classes whose methods `_write_methods` has yet to write
_Layout: TypeAlias = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def dataclass(cls: _C) -> _C:
    """`dataclasses.dataclass(frozen=True)`, with `_Record`'s equality, hash and repr;
    its `__init__`, `__setattr__` and `__delattr__` are written by `_write_methods`,
    which must be called once every class is defined."""
    documented = bool(cls.__doc__)
    if not documented:
        cls.__doc__ = "-"  # written by `_write_methods`, once `__init__` is there
    made: type = dataclasses.dataclass(init=False, eq=False, repr=False)(cls)
    if not documented:
        made.__doc__ = None
    _PENDING.append(made)
    return cast(_C, made)


def _layout() -> _Layout:
    """Each pending class and its fields, with how each gets its default: all that the
    text of their methods depends on."""
    kinds = []
    for cls in _PENDING:
        fields = []
        for f in dataclasses.fields(cls):
            if f.kw_only or not f.init or f.name == "self":
                raise TypeError(f"{cls.__name__}.{f.name}: a field _write_methods cannot write")
            if f.default_factory is not dataclasses.MISSING:
                fields.append((f.name, "factory"))
            else:
                fields.append((f.name, "default" if f.default is not dataclasses.MISSING else ""))
        kinds.append((cls.__qualname__, tuple(fields)))
    return tuple(kinds)


def methods_source(layout: _Layout) -> str:
    """`methods(**arguments)`: the methods `dataclass(frozen=True)` writes for these
    classes, in Python's own words (`dataclasses._init_fn`, `_frozen_get_del_attr`)."""
    params = ["__dataclass_builtins_object__", "_HAS_DEFAULT_FACTORY", "FrozenInstanceError"]
    lines, made = [], []
    for i, (_, fields) in enumerate(layout):
        args, body = ["self"], []
        for name, kind in fields:
            params.append(f"_type_{i}_{name}")
            value, default = name, f"_dflt_{i}_{name}"
            if kind:
                params.append(default)
            if kind == "factory":
                args.append(f"{name}:_type_{i}_{name}=_HAS_DEFAULT_FACTORY")
                value = f"{default}() if {name} is _HAS_DEFAULT_FACTORY else {name}"
            else:
                args.append(f"{name}:_type_{i}_{name}" + (f"={default}" if kind else ""))
            body.append(f"  __dataclass_builtins_object__.__setattr__(self,{name!r},{value})")
        params.append(f"_cls_{i}")
        condition = f"type(self) is _cls_{i}"
        if fields:
            condition += " or name in {" + ", ".join(repr(name) for name, _ in fields) + "}"
        lines += [
            f"def _init_{i}({','.join(args)})->None:",
            *(body or ["  pass"]),
            f"def _setattr_{i}(self,name,value):",
            f"  if {condition}:",
            '   raise FrozenInstanceError(f"cannot assign to field {name!r}")',
            f"  super(_cls_{i}, self).__setattr__(name, value)",
            f"def _delattr_{i}(self,name):",
            f"  if {condition}:",
            '   raise FrozenInstanceError(f"cannot delete field {name!r}")',
            f"  super(_cls_{i}, self).__delattr__(name)",
        ]
        made += [f"_init_{i}", f"_setattr_{i}", f"_delattr_{i}"]
    inner = "".join(f" {line}\n" for line in lines)
    return f"def methods({', '.join(params)}):\n{inner} return ({', '.join(made)},)\n"


def _arguments() -> dict[str, Any]:
    """The values of `methods`' parameters: the classes, their fields' types and
    defaults."""
    arguments: dict[str, Any] = {
        "__dataclass_builtins_object__": object,
        "_HAS_DEFAULT_FACTORY": dataclasses._HAS_DEFAULT_FACTORY,  # type: ignore[attr-defined]
        "FrozenInstanceError": dataclasses.FrozenInstanceError,
    }
    for i, cls in enumerate(_PENDING):
        for f in dataclasses.fields(cls):
            arguments[f"_type_{i}_{f.name}"] = f.type
            if f.default_factory is not dataclasses.MISSING:
                arguments[f"_dflt_{i}_{f.name}"] = f.default_factory
            elif f.default is not dataclasses.MISSING:
                arguments[f"_dflt_{i}_{f.name}"] = f.default
        arguments[f"_cls_{i}"] = cls
    return arguments


def _write_methods(layout: _Layout) -> None:
    """Give each pending class the methods `dataclass(frozen=True)` would write. Their
    code is compiled in advance, in `holdtight._written_methods` (made by `python -m
    holdtight.written`; a test checks it is up to date): compiled here only when the
    classes' fields (`layout`) no longer match it."""
    try:
        from holdtight import _written_methods as made
    except ImportError:  # pragma: no cover - a stripped installation
        made = None  # type: ignore[assignment]
    methods: Callable[..., tuple[Any, ...]]
    if made is not None and layout == made.LAYOUT:
        methods = made.methods
    else:  # our own text, compiled without this module's `annotations` future
        names: dict[str, Any] = {}
        exec(compile(methods_source(layout), "<string>", "exec", dont_inherit=True), names)
        methods = names["methods"]
    functions = iter(methods(**_arguments()))
    for cls in _PENDING:
        for method in ("__init__", "__setattr__", "__delattr__"):
            function = next(functions)
            function.__name__ = method
            function.__qualname__ = f"{cls.__qualname__}.{method}"
            setattr(cls, method, function)
        params = cls.__dataclass_params__  # type: ignore[attr-defined]
        params.init = params.frozen = True
        if not cls.__doc__:
            cls.__doc__ = _signature_doc(cls)
    _PENDING.clear()


def _signature_doc(cls: type) -> str:
    """The `__doc__` `dataclass` gives a class without one, `Name(field: 'type' = …)`
    from `inspect.signature`, written here from the fields, which is much faster."""
    params = []
    for f in dataclasses.fields(cls):
        if not isinstance(f.type, str):  # only `annotations`-future strings are done here
            import inspect

            return cls.__name__ + str(inspect.signature(cls)).replace(" -> None", "")
        param = f"{f.name}: {f.type!r}"
        if f.default_factory is not dataclasses.MISSING:
            param += " = <factory>"
        elif f.default is not dataclasses.MISSING:
            param += f" = {f.default!r}"
        params.append(param)
    return f"{cls.__name__}({', '.join(params)})"


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


_LAYOUT = _layout()  # what holdtight/_written_methods.py was written for
_write_methods(_LAYOUT)


def methods_module() -> str:
    """The text of holdtight/_written_methods.py for these classes."""
    return (
        '"""The methods of `holdtight.written`\'s classes, compiled with the package rather\n'
        'than at each start: written by `python -m holdtight.written`, do not edit."""\n\n'
        "# mypy: ignore-errors\n# fmt: off\n\n"
        f"LAYOUT = {_LAYOUT!r}\n\n{methods_source(_LAYOUT)}"
    )


if __name__ == "__main__":  # write holdtight/_written_methods.py
    import pathlib

    pathlib.Path(__file__).with_name("_written_methods.py").write_text(methods_module())
