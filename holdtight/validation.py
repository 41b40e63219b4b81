"""Validation at the edge with pydantic, and the reverse trip for the rulebook cache.

pydantic is imported here only, and only when something must be validated: a batch run
whose rulebook is cached never loads it."""

from __future__ import annotations

import builtins
import dataclasses
import functools
import operator
import sys
import types
import typing
from typing import Any, TypeVar, Union, get_args, get_origin

T = TypeVar("T")


@functools.cache
def _adapter(cls: type[Any]) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(cls)


def validate(cls: type[T], data: object) -> T:
    """Validate `data` into `cls` (a dataclass); raises pydantic.ValidationError."""
    result: T = _adapter(cls).validate_python(data)  # type: ignore[arg-type]
    return result


def as_written(cls: type[Any], data: object, place: str = "") -> tuple[str, str] | None:
    """(dotted place, message) of the first number, or true/false, in `data` (a table for
    the dataclass `cls`) that is written as something else, or None. pydantic would read
    "0.5" as 0.5, "yes" as true and 2.0 as 2: in a rulebook, where a quoted weight is
    more likely a slip than a choice, a value must be written as the type it is."""
    if not isinstance(data, dict):
        return None
    hints = _hints(cls)
    for key, value in data.items():
        kind = hints.get(key)
        if kind is not None:
            found = _written(kind, value, f"{place}.{key}" if place else str(key))
            if found is not None:
                return found
    return None


def _hints(cls: type[Any]) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _written(kind: Any, value: object, place: str) -> tuple[str, str] | None:
    origin = get_origin(kind)
    if origin is Union or origin is types.UnionType:
        options = [k for k in get_args(kind) if k is not type(None)]
        return _written(options[0], value, place) if len(options) == 1 else None
    if origin is dict and isinstance(value, dict):
        item = get_args(kind)[1]
        for key, entry in value.items():
            found = _written(item, entry, f"{place}.{key}")
            if found is not None:
                return found
        return None
    if origin is list and isinstance(value, list):
        item = get_args(kind)[0]
        for index, entry in enumerate(value):
            found = _written(item, entry, f"{place}.{index}")
            if found is not None:
                return found
        return None
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return as_written(kind, value, place)
    if value.__class__ is str and kind in (float, int, bool):
        what = "true or false" if kind is bool else "a number"
        if not _reads_as(kind, str(value)):  # 'abc': unquoting it would not help
            return place, f"expected {what}, not text ({value!r:.40})"
        return place, f"{what}, written without quotes ({value!r:.40} is text)"
    if kind is bool and value.__class__ is not bool:
        return place, f"expected true or false, not {value!r:.40}"
    if kind in (float, int) and value.__class__ is bool:
        return place, f"expected a number, not {str(value).lower()}"
    if kind is int and value.__class__ is float:
        return place, f"expected a whole number, not {value!r}"
    if kind is float and value.__class__ is float and value - value != 0:  # nan, ±inf
        return place, f"must be a finite number, not {value!r}"
    return None


def _reads_as(kind: type[Any], text: str) -> bool:
    """Whether `text`, unquoted, would be a value of `kind` (a number, true or false)."""
    if kind is bool:
        return text.strip() in ("true", "false")
    try:
        float(text)
    except ValueError:
        return False
    return True


def json_schema(cls: type[Any]) -> dict[str, Any]:
    """The JSON Schema of a dataclass as pydantic validates it."""
    schema: dict[str, Any] = _adapter(cls).json_schema()  # type: ignore[arg-type]
    return schema


def first_error(error: Exception) -> tuple[str, str, str]:
    """(kind, dotted location, message) of a pydantic ValidationError's first error; an
    unknown key is kind 'extra_forbidden' and an absent one 'missing'."""
    first = error.errors()[0]  # type: ignore[attr-defined]
    loc = ".".join(str(part) for part in first["loc"])
    message = str(first["msg"])
    kind = str(first["type"])
    if kind == "literal_error" and "expected" in first.get("ctx", {}):
        message = f"must be one of {first['ctx']['expected']}"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        kind = "extra_forbidden"
    elif kind.startswith("missing"):
        kind = "missing"
    return kind, loc, message


def is_validation_error(error: BaseException) -> bool:
    return type(error).__name__ == "ValidationError" and hasattr(error, "errors")


@functools.cache
def _plan(cls: type[Any]) -> tuple[tuple[str, Any], ...]:
    """For each field of a dataclass, how to rebuild its value (None: as it is).

    Read from the fields' annotation strings (`_resolve`) rather than with
    `typing.get_type_hints`, which compiles every one of them (≈3 ms of each start that
    loads a cached rulebook); a class with an annotation `_resolve` does not know is
    planned with `get_type_hints`."""
    names = vars(sys.modules[cls.__module__])
    plan = []
    for field in dataclasses.fields(cls):
        kind = field.type
        if isinstance(kind, str):
            kind = _resolve(kind, names)
            if kind is _UNKNOWN:
                return _hinted_plan(cls)
        plan.append((field.name, _step(kind)))
    return tuple(plan)


def _hinted_plan(cls: type[Any]) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((name, _step(kind)) for name, kind in hints.items() if not name.startswith("__"))


_UNKNOWN = object()
_GENERICS: dict[str, Any] = {
    "list": list,
    "dict": dict,
    "tuple": tuple,
    "set": set,
    "frozenset": frozenset,
}


def _resolve(text: str, names: dict[str, Any]) -> Any:
    """The type an annotation string names, for the shapes the written classes use: a
    name (of the class's module, or builtins), `A | B`, `list[…]`, `dict[…, …]` and
    the like; `_UNKNOWN` for anything else. Nothing is evaluated."""
    parts = _split(text, "|")
    if len(parts) > 1:
        options = [_resolve(part, names) for part in parts]
        if any(option is _UNKNOWN for option in options):
            return _UNKNOWN
        try:
            return functools.reduce(operator.or_, options)
        except TypeError:  # a name that is not a type
            return _UNKNOWN
    text = text.strip()
    if text.endswith("]") and "[" in text:
        head, _, inner = text[:-1].partition("[")
        generic = _GENERICS.get(head.strip())
        args = [_resolve(arg, names) if arg.strip() != "..." else ... for arg in _split(inner, ",")]
        if generic is None or any(arg is _UNKNOWN for arg in args):
            return _UNKNOWN
        try:
            return generic[tuple(args)] if len(args) > 1 else generic[args[0]]
        except TypeError:
            return _UNKNOWN
    if not text.isidentifier():
        return _UNKNOWN
    if text == "None":
        return type(None)
    found = names.get(text, _UNKNOWN)
    if found is _UNKNOWN:
        found = getattr(builtins, text, _UNKNOWN)
    return found


def _split(text: str, separator: str) -> list[str]:
    """`text` split at each `separator` outside brackets."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _step(kind: Any) -> Any:
    origin = get_origin(kind)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return ("dataclass", kind)
    if origin in (Union, types.UnionType):
        for option in get_args(kind):
            if dataclasses.is_dataclass(option):
                return ("optional", option)
        return None
    if origin is list:
        item = _step(get_args(kind)[0])
        return ("list", item) if item is not None else None
    if origin is dict:
        value = _step(get_args(kind)[1])
        return ("dict", value) if value is not None else None
    if kind is float:
        return ("float", None)
    return None


def _apply(step: Any, data: Any) -> Any:
    if step is None or data is None:
        return data
    kind, inner = step
    if kind == "dataclass" or kind == "optional":
        return rebuild(inner, data)
    if kind == "list":
        return [_apply(inner, value) for value in data]
    if kind == "dict":
        return {key: _apply(inner, value) for key, value in data.items()}
    return float(data) if data.__class__ is int else data


def rebuild(kind: type[T], data: dict[str, Any]) -> T:
    """Rebuild a dataclass from plain JSON data written by `to_builtin()`.

    Only for our own cache of already-validated definitions: it trusts the shape."""
    plan = _plan(kind)  # type: ignore[arg-type]
    values = {}
    for name, step in plan:
        if name in data:
            values[name] = _apply(step, data[name]) if step is not None else data[name]
    return kind(**values)


def to_builtin(value: Any) -> Any:
    """A dataclass tree as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_builtin(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_builtin(item) for item in value]
    if isinstance(value, dict):
        return {key: to_builtin(item) for key, item in value.items()}
    return value
