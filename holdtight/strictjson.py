"""Strict JSON, read and written the same way everywhere. Standard library only.

Reading: a key given twice in one object is an error (as TOML makes it), NaN and
Infinity are not JSON, and a lone surrogate (a `\\udc00` escape with no partner) is
refused because no encoder can write it back out. Writing: `allow_nan=False`, so every
JSON the tool writes parses with a strict parser."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any


# Compiled on first use, not by every start.
@cache
def _surrogate_escape() -> re.Pattern[str]:
    return re.compile(r"\\u[dD][89abcdefABCDEF]")


@cache
def _lone_surrogate() -> re.Pattern[str]:
    return re.compile("[\ud800-\udfff]")


class StrictJSONError(ValueError):
    """Valid JSON syntax that holdtight still refuses (message is one line)."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise StrictJSONError(f"key '{_show(key)}' is given twice")
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise StrictJSONError(f"{name} is not allowed (not a JSON number)")


def _show(text: str) -> str:
    text = _lone_surrogate().sub("?", text)
    return text if len(text) <= 40 else text[:39] + "…"


def has_lone_surrogate(value: object) -> bool:
    """True when a string anywhere in `value` (keys included) holds a lone surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _lone_surrogate().search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def loads(text: str) -> Any:
    """Parse strict JSON. Raises json.JSONDecodeError (with a place), StrictJSONError,
    or ValueError (a number too long to convert); RecursionError if nested too deeply."""
    value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    # Only text with a surrogate escape can hold a lone surrogate: valid UTF-8 cannot.
    if _surrogate_escape().search(text) and has_lone_surrogate(value):
        raise StrictJSONError(
            "a \\uD800-\\uDFFF escape without its pair: not a character any file can hold"
        )
    return value


def dumps(value: Any, *, indent: int | None = None, default: Any = None) -> str:
    """Strict JSON text (UTF-8 characters kept, NaN and infinities refused)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent, default=default)
