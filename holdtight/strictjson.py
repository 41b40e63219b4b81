"""Strict JSON, read and written the same way everywhere. Standard library only.

Reading: a key given twice in one object is an error (as TOML makes it), NaN and
Infinity are not JSON, and a lone surrogate (a `\\udc00` escape with no partner) is
refused because no encoder can write it back out. Writing: `allow_nan=False`, so every
JSON the tool writes parses with a strict parser."""

from __future__ import annotations

import json
import json.scanner
import re
from functools import cache
from typing import Any

MAX_NATIVE_BRACKETS = 64
"""Texts with more `[` and `{` than this are read by json's pure-Python scanner: its C
scanner (like orjson) recurses on the C stack, ~100 bytes a level, and 300 levels killed
a thread with Python's smallest stack (32 KiB) outright, beneath the recursion limit.
The Python scanner's frames are the interpreter's own: deep nesting is a RecursionError
(said as "nested too deeply"), never a crash. Answer files hold a handful."""


# Compiled on first use, not by every start.
@cache
def _surrogate_escape() -> re.Pattern[str]:
    return re.compile(r"\\u[dD][89abcdefABCDEF]")


@cache
def _unprintable() -> re.Pattern[str]:
    return re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


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
    """A key as a message shows it: on one line (control characters, line and
    paragraph separators as spaces), lone surrogates as "?", at most 40 characters."""
    text = _lone_surrogate().sub("?", text)
    text = _unprintable().sub(" ", text)
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


def bracket_count(data: bytes | str) -> int:
    """The `[` and `{` in a text (for bytes, one C pass: 0.6 µs for a 1 KB line, where
    two counts took 0.9)."""
    if isinstance(data, bytes):
        return len(data) - len(data.translate(None, b"[{"))
    return data.count("[") + data.count("{")


@cache
def _python_decoder() -> json.JSONDecoder:
    decoder = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant)
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    return decoder


MAX_DEPTH = 32
"""How deep a document may nest (an answer file nests three: the file, [answers], a
list of options). Deeper is refused after parsing, before anything else walks it: much
of Python's own code (repr, ==, json) recurses on the C stack."""


def too_deep(value: object, limit: int = MAX_DEPTH) -> bool:
    """Whether `value` nests lists and dicts more than `limit` levels (walked without
    recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def loads(text: str) -> Any:
    """Parse strict JSON. Raises json.JSONDecodeError (with a place), StrictJSONError,
    or ValueError (a number too long to convert); RecursionError if nested too deeply."""
    if bracket_count(text) > MAX_NATIVE_BRACKETS:
        if text.startswith("\ufeff"):  # as json.loads says it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        value = _python_decoder().decode(text)
    else:
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    # Only text with a surrogate escape can hold a lone surrogate: valid UTF-8 cannot.
    if _surrogate_escape().search(text) and has_lone_surrogate(value):
        raise StrictJSONError(
            "a \\uD800-\\uDFFF escape without its pair: not a character any file can hold"
        )
    return value


def depth_place(text: str, limit: int = MAX_DEPTH) -> tuple[int, int] | None:
    """(line, column), from 1, of the bracket that opens the first level beyond `limit`
    in a JSON text (brackets inside strings do not count); None if there is none. Only
    on error paths (a document refused as nested too deeply)."""
    depth = 0
    for token in _tokens().finditer(text):
        mark = token.group()
        if mark == "[" or mark == "{":
            depth += 1
            if depth > limit:
                return _line_column(text, token.start())
        elif mark == "]" or mark == "}":
            depth -= 1
    return None


def refusal_place(text: str) -> tuple[int, int] | None:
    """(line, column), from 1, of what `loads` refuses in a text that is otherwise
    JSON, found in the order `loads` meets it: NaN or Infinity where it is read; a key
    given twice when its object closes (the first key that repeats one before it, at
    its opening quote); after the whole text, the first escape of half a surrogate
    pair. None if there is none. Only on error paths: one pass over the text's
    strings and punctuation (no recursion, however deep)."""
    objects: list[tuple[set[str], list[int]] | None] = []  # per open bracket: keys, dup
    string: re.Match[str] | None = None
    for token in _tokens().finditer(text):
        mark = token.group()
        first = mark[0]
        if first == '"':
            string = token
            continue
        if first == ":" and string is not None and objects and objects[-1] is not None:
            keys, repeated = objects[-1]
            key = json.loads(string.group())
            if key in keys and not repeated:
                repeated.append(string.start())
            keys.add(key)
        elif first == "{":
            objects.append((set(), []))
        elif first == "[":
            objects.append(None)
        elif first == "}" or first == "]":
            closed = objects.pop() if objects else None
            if closed is not None and closed[1]:
                return _line_column(text, closed[1][0])
        elif first in "NI-":
            return _line_column(text, token.start())
        string = None
    for token in _tokens().finditer(text):
        if token.group()[0] == '"':
            lone = _lone_escape_in(token.group())
            if lone is not None:
                return _line_column(text, token.start() + lone)
    return None


def _lone_escape_in(string: str) -> int | None:
    """Where, in a JSON string token, the first escape of half a surrogate pair is."""
    if "\\u" not in string:
        return None
    high: int | None = None  # a high half just read, waiting for its low half
    end = -1
    for escape in _escapes().finditer(string):
        code = escape.group(1)
        value = int(code, 16) if code else -1
        adjacent = escape.start() == end
        if high is not None and not (adjacent and 0xDC00 <= value <= 0xDFFF):
            return high
        if high is not None:  # a whole pair
            high = None
        elif 0xD800 <= value <= 0xDBFF:
            high = escape.start()
        elif 0xDC00 <= value <= 0xDFFF:
            return escape.start()
        end = escape.end()
    return high


def _line_column(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


@cache
def _tokens() -> re.Pattern[str]:
    """A JSON text's strings (escapes and all), brackets, colons, and the constants
    strict JSON refuses; what lies between them (numbers, true, false, null, spaces,
    commas) is not needed."""
    return re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}:]|NaN|-?Infinity')


@cache
def _escapes() -> re.Pattern[str]:
    return re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)")


def dumps(value: Any, *, indent: int | None = None, default: Any = None) -> str:
    """Strict JSON text (UTF-8 characters kept, NaN and infinities refused)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent, default=default)
