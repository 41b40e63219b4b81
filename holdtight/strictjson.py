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
    for token in _brackets_and_strings().finditer(text):
        mark = token.group()
        if mark == "[" or mark == "{":
            depth += 1
            if depth > limit:
                index = token.start()
                line = text.count("\n", 0, index) + 1
                return line, index - (text.rfind("\n", 0, index) + 1) + 1
        elif mark == "]" or mark == "}":
            depth -= 1
    return None


@cache
def _brackets_and_strings() -> re.Pattern[str]:
    return re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


class _Found(Exception):
    """Not an error: where a refusal is (raised to leave the scanner at once)."""

    def __init__(self, index: int) -> None:
        self.index = index


def _refused(_name: str) -> Any:
    raise StrictJSONError


def refusal_place(text: str) -> tuple[int, int] | None:
    """(line, column), from 1, of what `loads` refuses in a text that is otherwise
    JSON: the value of a key given twice (the second), NaN or Infinity, or a
    \\uD800-\\uDFFF escape without its pair; None if it cannot tell. Only on error
    paths: the text is read again by json's Python scanner, which is told where each
    value of an object or an array starts."""
    index = _refusal_index(text)
    if index is None:
        return None
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _refusal_index(text: str) -> int | None:
    start = len(text) - len(text.lstrip(" \t\n\r"))
    if text.startswith(("NaN", "Infinity", "-Infinity"), start):
        return start  # the whole text is the constant

    def parse_object(s_and_end: Any, strict: bool, scan_once: Any, *rest: Any) -> Any:
        starts: list[int] = []

        def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
            seen: set[str] = set()
            for k, (key, _) in enumerate(items):
                if key in seen:
                    raise _Found(_key_start(s_and_end[0], starts[k]))
                seen.add(key)
            return dict(items)

        found = _noting(scan_once, starts)
        return json.decoder.JSONObject(s_and_end, strict, found, None, pairs, *rest[2:])  # type: ignore[attr-defined]

    def parse_array(s_and_end: Any, scan_once: Any) -> Any:
        return json.decoder.JSONArray(s_and_end, _noting(scan_once, []))  # type: ignore[attr-defined]

    context = json.JSONDecoder(parse_constant=_refused)
    context.parse_object = parse_object  # type: ignore[attr-defined]
    context.parse_array = parse_array  # type: ignore[attr-defined]
    scan = json.scanner.py_make_scanner(context)  # type: ignore[attr-defined]
    try:
        scan(text, start)
    except _Found as found:
        return found.index
    except (ValueError, RecursionError, StopIteration):
        return None
    lone = _lone_escape().search(text)
    return lone.start() if lone else None


def _key_start(text: str, value: int) -> int:
    """Where the key of the value at `value` starts (its opening quote), read back over
    the colon; `value` itself if the text is not as expected."""
    at = len(text[:value].rstrip(" \t\n\r")) - 1
    if at < 0 or text[at] != ":":
        return value
    at = len(text[:at].rstrip(" \t\n\r")) - 1
    if at < 0 or text[at] != '"':
        return value
    quote = at - 1
    while quote >= 0:
        quote = text.rfind('"', 0, quote + 1)
        backslashes = quote - len(text[:quote].rstrip("\\"))
        if quote < 0 or backslashes % 2 == 0:
            break
        quote -= 1
    return quote if quote >= 0 else value


def _noting(scan_once: Any, starts: list[int]) -> Any:
    """`scan_once` that notes where each value starts, and names the value that holds
    a refused constant."""

    def scan(s: str, index: int) -> Any:
        starts.append(index)
        try:
            return scan_once(s, index)
        except StrictJSONError:  # from `_refused`: this value is the constant
            raise _Found(index) from None

    return scan


@cache
def _lone_escape() -> re.Pattern[str]:
    """A high-surrogate escape not followed by a low one, or a low one not after a high
    one (where a place is wanted; an escaped backslash before `u` can mislead it)."""
    high, low = r"\\u[dD][89abAB][0-9a-fA-F]{2}", r"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
    return re.compile(rf"{high}(?!{low})|(?<!{high}){low}")


def dumps(value: Any, *, indent: int | None = None, default: Any = None) -> str:
    """Strict JSON text (UTF-8 characters kept, NaN and infinities refused)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent, default=default)
