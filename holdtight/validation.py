"""Validation at the edge with pydantic, and the reverse trip for the rulebook cache.

pydantic is imported here only, and only when something must be validated: a batch run
whose rulebook is cached never loads it."""

from __future__ import annotations

import dataclasses
import functools
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
    """For each field of a dataclass, how to rebuild its value (None: as it is)."""
    hints = typing.get_type_hints(cls)
    return tuple((name, _step(kind)) for name, kind in hints.items() if not name.startswith("__"))


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
