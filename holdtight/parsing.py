"""TOML text to Python values with a compiled parser (toml-rs, held to TOML 1.0) first
and `tomllib` whenever it refuses the text, so that every answer is exactly tomllib's
answer and every error message is tomllib's, with its line and column; and results
written as JSON by orjson.

JSON is read by orjson where it can vouch for the answer (`loads_json`), and otherwise
by `holdtight.strictjson` (the standard library), which decides and words every error.
orjson differs from strict JSON in two ways, both caught: it keeps the last of a key
given twice without a word (the keys of the text are counted against the keys read),
and it reads an integer beyond 64 bits as a float (a float that large sends the text
to the standard library). What orjson refuses (NaN, a lone surrogate, 1e400, nesting
deeper than 1024) the standard library reads again, and refuses or reads as before.

toml-rs is asked for TOML 1.0 (`toml_version="1.0.0"`), the version tomllib reads: it
refuses TOML 1.1's newlines and trailing commas in inline tables, `\\e` and `\\xHH`
escapes and times without seconds, as tomllib does, and its date-times carry the
standard library's `datetime.timezone`, as tomllib's do. The property tests in
tests/unit/test_parsing.py hold the two to the same values and types, and the same
refusals, on generated documents and fragments. (It replaced rtoml, which read TOML 1.1
and its own timezone class: each text was searched for 1.1 syntax and each date-time
rebuilt, ~5 µs a file on top of rtoml's ~18, against toml-rs's ~12.)
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from holdtight.strictjson import MAX_NATIVE_BRACKETS, bracket_count

try:  # the compiled parsers are runtime dependencies; the fallback keeps a broken
    import toml_rs  # wheel from breaking the tool (the standard library is then used)

    _fast_toml: Any = toml_rs.loads
except ImportError:  # pragma: no cover - exercised only without the wheel
    _fast_toml = None
_fast_dumps: Any = None  # orjson.dumps, imported on first use: `score ONE_FILE` as a
# table never writes JSON, and start-up is measured.


def _orjson(name: str) -> Any:
    """orjson's `dumps` or `loads`, imported on first use; False without orjson."""
    try:
        import orjson
    except ImportError:  # pragma: no cover
        return False
    return getattr(orjson, name)


def _orjson_dumps() -> Any:
    global _fast_dumps
    if _fast_dumps is None:
        _fast_dumps = _orjson("dumps")
    return _fast_dumps


_fast_loads: Any = None  # orjson.loads, imported on first use


def _orjson_loads() -> Any:
    global _fast_loads
    if _fast_loads is None:
        _fast_loads = _orjson("loads")
    return _fast_loads


UNSURE: Any = object()
"""What `loads_json` returns when only the standard library can give the answer."""

_KEY_END = r'"[ \t\r\n]*:'  # compiled on first use (by `re`'s own cache), not by every start
_BEYOND_64_BITS = 9.2e18  # an integer orjson cannot hold comes back a float this large


def _keys(value: Any) -> int:
    """The keys of every object in a parsed value; -1 for a float so large that it may
    have been an integer beyond 64 bits in the text."""
    items = value.values() if value.__class__ is dict else value
    count = len(value) if value.__class__ is dict else 0
    for item in items:
        cls = item.__class__
        if cls is str or cls is int:
            continue
        if cls is dict or cls is list:
            inner = _keys(item)
            if inner < 0:
                return -1
            count += inner
        elif cls is float and not -_BEYOND_64_BITS < item < _BEYOND_64_BITS:
            return -1
    return count


def _key_ends(data: bytes | str) -> int:
    """At least the number of keys written in JSON text: each key's closing quote,
    then any whitespace, then a colon, is one match (a string value that starts with a
    colon adds one more, which only sends the text to the standard library)."""
    if isinstance(data, bytes):
        if b" :" in data or b"\n:" in data or b"\t:" in data or b"\r:" in data:
            return len(re.findall(_KEY_END.encode(), data))
        return data.count(b'":')  # no whitespace before any colon: each key is `":`
    if " :" in data or "\n:" in data or "\t:" in data or "\r:" in data:
        return len(re.findall(_KEY_END, data))
    return data.count('":')


def loads_json(data: bytes | str, brackets: int | None = None) -> Any:
    """The value `strictjson.loads` gives for this JSON text (bytes must be UTF-8), read
    by orjson, or `UNSURE` when the standard library must read it: a key given twice
    (the keys read are fewer than the keys written), an integer beyond 64 bits, or
    anything orjson refuses. Sound, not complete: UNSURE never means the text is bad."""
    fast = _fast_loads if _fast_loads is not None else _orjson_loads()
    if not fast:
        return UNSURE  # pragma: no cover
    # orjson recurses on the C stack (as json's C scanner does): nesting deep enough to
    # overflow a small thread stack is read by the standard library's Python scanner.
    # (`brackets`: the caller's `bracket_count(data)`, where it has it.)
    if (bracket_count(data) if brackets is None else brackets) > MAX_NATIVE_BRACKETS:
        return UNSURE
    try:
        value = fast(data)
    except Exception:  # orjson.JSONDecodeError (a ValueError), or anything else
        return UNSURE
    cls = value.__class__
    if cls is dict or cls is list:
        keys = _keys(value)
        # Every key is followed by its own colon, so the colons are at least the keys
        # written: as many as the keys read, and no key was given twice. A colon in a
        # string (a date-time) asks for the closer count.
        colons = data.count(b":") if isinstance(data, bytes) else data.count(":")
        if keys != colons and keys != _key_ends(data):
            return UNSURE
    elif cls is float and not -_BEYOND_64_BITS < value < _BEYOND_64_BITS:
        return UNSURE
    return value


class TomlSyntaxError(ValueError):
    """tomllib's error, with its message ('… (at line 3, column 7)'), raised by
    `loads_toml`: callers need not import tomllib to catch it. `toml_11`: the text
    reads as TOML 1.1, which tomllib (and so holdtight) does not read."""

    def __init__(self, message: str, *, toml_11: bool = False) -> None:
        super().__init__(message)
        self.toml_11 = toml_11


# toml-rs takes ~2 KB of stack for each level of arrays or inline tables, and a level
# too many kills the process (a segmentation fault, not an exception): 12 levels in a
# thread with Python's smallest stack (32 KiB), 64 with 128 KiB, ~5,000 in the main
# thread. It also reads integers of any length, where tomllib refuses those longer than
# `sys.get_int_max_str_digits()`. A text that could do either goes to tomllib.
#
# Nesting is bounded by counting, never by matching brackets: a bracket inside a string
# or a comment can look like a closing one and hide real depth from anything short of a
# parser. Every level opens with a `[` or `{` of its own, so the depth is at most their
# count. An answer file's own table headers (`[answers]` on a line of its own) are not
# counted: such a line opens and closes on itself, so taking them out can hide one level
# at the most (were one a value). An answer file counts one (`aims = [...]`) and is read
# by toml-rs; MAX_FAST_BRACKETS + 1 levels (6: 12 KB) leave room to spare in 32 KiB.
MAX_FAST_BRACKETS = 5
_TABLES = ("[holdtight]", "[meta]", "[answers]", "[notes]")
_TABLE_LINES = tuple("\n" + table for table in _TABLES)


MAX_MAIN_THREAD_BRACKETS = 128
"""The same bound in the main thread (8 MB of stack by default, 1 MB on Windows), for
telling a TOML 1.1 text (an error path only): 128 levels are 256 KB."""


def _nesting_fits(text: str, bound: int, brackets: int | None = None) -> bool:
    if brackets is None:
        brackets = bracket_count(text)
    if brackets > bound:
        brackets -= sum(map(text.count, _TABLE_LINES)) + text.startswith(_TABLES)
    return brackets <= bound


def _fast_can_read(text: str, brackets: int | None = None) -> bool:
    if not _nesting_fits(text, MAX_FAST_BRACKETS, brackets):
        return False
    return long_digit_run(text) is None


def long_digit_run(text: str) -> re.Match[str] | None:
    """The first run of digits longer than `int()` converts
    (`sys.get_int_max_str_digits()`, which tomllib and json refuse), or None."""
    limit = sys.get_int_max_str_digits()
    if not limit or len(text) <= limit:
        return None
    # A run's start only (the look-behind): each run is scanned once, not once from each
    # of its digits (that took 2 s on a 1 MB text of 4,300-digit runs, once measured).
    return re.search(f"(?<![0-9_])[0-9_]{{{limit + 1}}}", text)


def loads_toml(text: str, brackets: int | None = None) -> dict[str, Any]:
    """`tomllib.loads(text)`, faster; a document that does not parse raises
    `TomlSyntaxError` with tomllib's message (line and column), and says when the text
    is TOML 1.1, which tomllib (and so holdtight) does not read."""
    # (`brackets`: the caller's `bracket_count(text)`, where it has it.)
    fast = _fast_toml is not None and _fast_can_read(text, brackets)
    if fast:
        try:
            return _fast_toml(text, toml_version="1.0.0")  # type: ignore[no-any-return]
        except Exception:  # toml_rs.TOMLDecodeError, or anything else: tomllib decides
            pass
    import tomllib  # only for what toml-rs refuses: its errors say line and column

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TomlSyntaxError(str(error), toml_11=_is_toml_11(text, fast)) from None


def _is_toml_11(text: str, fast: bool) -> bool:
    """Whether a text tomllib refuses reads as TOML 1.1 (only on that error path), where
    toml-rs can read it safely: what it read fast, or, in the main thread, a text that
    cannot nest past MAX_MAIN_THREAD_BRACKETS (integers of any length are no danger)."""
    if _fast_toml is None:
        return False
    if not fast:
        import threading

        main = threading.current_thread() is threading.main_thread()
        if not (main and _nesting_fits(text, MAX_MAIN_THREAD_BRACKETS)):
            return False
    try:
        _fast_toml(text, toml_version="1.1.0")
    except Exception:
        return False
    return True


def dumps_json(value: Any) -> str:
    """One compact line of JSON (no spaces after `,` and `:`), non-ASCII as it is; what
    `json.dumps(value, ensure_ascii=False, separators=(",", ":"))` writes, but for the
    spelling of some floats (1e-7 for 1e-07: the same number; a property test holds
    them to that). Values orjson refuses (integers beyond 64 bits, lone
    surrogates, non-str keys) are written by json; NaN never reaches here (answers and
    meta refuse it; json, the fallback, refuses it too)."""
    data = _orjson_bytes(value)
    if data is None:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    else:
        text = data.decode("utf-8")
    return _escape_line_breaks(text)


def dumps_json_bytes(value: Any) -> bytes:
    """`dumps_json(value)` as UTF-8, without a round trip through `str`: a result with
    levers is ~56 KB, and decoding it to encode it again for the output cost as much as
    writing it. (A lone surrogate, which only json writes, becomes "?".)"""
    data = _orjson_bytes(value)
    if data is None:
        return dumps_json(value).encode("utf-8", "replace")
    if len(data) < _ORJSON_BUFFER:
        # orjson's bytes keep its whole first buffer (~4 KB) however short the JSON:
        # a copy the size of the text, for pieces that are kept (`result_columns`).
        data = bytes(memoryview(data))
    # The line breaks `_escape_line_breaks` escapes are not ASCII and end in the byte
    # 0xA8, 0xA9 or 0x85 in UTF-8: one pass rules them out in most texts (the three
    # searches took 0.3 µs, most of writing a record's opening), a search each in others.
    if not data.isascii() and (b"\xa8" in data or b"\xa9" in data or b"\x85" in data):
        text = data.decode("utf-8")
        escaped = _escape_line_breaks(text)
        if escaped is not text:
            return escaped.encode("utf-8")
    return data


_ORJSON_BUFFER = 4096


def _orjson_bytes(value: Any) -> bytes | None:
    """orjson's JSON for `value`, or None where json must write it (or say why not)."""
    fast = _fast_dumps or _orjson_dumps()
    if fast:
        try:
            return fast(value)  # type: ignore[no-any-return]
        except (TypeError, ValueError):
            return None
    return None  # pragma: no cover


# Characters valid raw in a JSON string that Python's str.splitlines (and some other
# readers of JSON Lines) take for line breaks: written escaped, the same value, so one
# record stays one line whoever splits it. They can only occur inside strings.
_LINE_BREAKS = {0x2028: "\\u2028", 0x2029: "\\u2029", 0x85: "\\u0085"}


def _escape_line_breaks(text: str) -> str:
    if text.isascii() or not ("\u2028" in text or "\u2029" in text or "\x85" in text):
        return text
    return text.translate(_LINE_BREAKS)
