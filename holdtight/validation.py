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
def _hints(cls: type[Any]) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def rebuild(kind: Any, data: Any) -> Any:
    """Rebuild a value of type `kind` from plain JSON data written by `plain()`.

    Only for our own cache of already-validated definitions: it trusts the shape."""
    origin = get_origin(kind)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = _hints(kind)
        return kind(**{name: rebuild(hints[name], value) for name, value in data.items()})
    if origin in (Union, types.UnionType):
        options = [arg for arg in get_args(kind) if arg is not type(None)]
        if data is None:
            return None
        for option in options:
            if dataclasses.is_dataclass(option):
                return rebuild(option, data)
        return data
    if origin is list:
        (item,) = get_args(kind)
        return [rebuild(item, value) for value in data]
    if origin is dict:
        _, value_kind = get_args(kind)
        return {key: rebuild(value_kind, value) for key, value in data.items()}
    if kind is float and isinstance(data, int):
        return float(data)
    return data


def plain(value: Any) -> Any:
    """A dataclass tree as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value
