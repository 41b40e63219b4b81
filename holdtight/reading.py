"""Reading answer and session files: bytes (regular files only, size-limited, never
blocking on a pipe) and documents (TOML, or strict JSON: no key twice, no NaN, no lone
surrogate). Every failure is one InputError naming the file and place."""

from __future__ import annotations

import datetime
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from holdtight import strictjson
from holdtight.errors import InputError, toml_error
from holdtight.limits import MAX_FILE_BYTES
from holdtight.parsing import (
    UNSURE,
    TomlSyntaxError,
    loads_json,
    loads_toml,
    long_digit_run,
)
from holdtight.walk import file_kind, open_error


def fail(source: str, place: str, message: str) -> InputError:
    return InputError(f"{place}: {message}" if place else message, source=source)


_fail = fail


def number_place(error: ValueError, text: str) -> str:
    """'line N' of the first run of digits too long for int() (the digit limit's error
    says no place), or ''."""
    found = long_digit_run(text) if "integer string conversion" in str(error) else None
    return f"line {text.count(chr(10), 0, found.start()) + 1}" if found else ""


def number_error(error: ValueError) -> str:
    """One line for a ValueError from a parser (int()'s digit limit says far more)."""
    message = str(error)
    if "integer string conversion" in message:
        return "a number has too many digits"
    return message.split("\n")[0]


def read_bytes(path: str | Path, source: str | None = None, size: int | None = None) -> bytes:
    """Read a file, refusing folders, huge files and unreadable ones in one line. `size`:
    the file's size as a walk just found it, a regular file (`walk.Found.size`): then
    the file is not asked again (a system call, ~1.5 µs a file here)."""
    name = source or str(path)
    try:
        # A bare file descriptor: no buffered file object to build for each small file.
        # O_NONBLOCK: opening a FIFO with no writer must not hang; it is refused below.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            if size is None or not 0 <= size <= MAX_FILE_BYTES:
                status = os.fstat(fd)
                if stat.S_ISDIR(status.st_mode):
                    raise IsADirectoryError(path)
                if not stat.S_ISREG(status.st_mode):
                    kind = file_kind(status.st_mode)
                    raise _fail(name, "", f"is {kind}, not a regular file; not read")
                size = status.st_size
                if size > MAX_FILE_BYTES:
                    raise _fail(
                        name,
                        "",
                        f"file is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})",
                    )
            # Read what fstat promised (plus one byte to notice growth): a larger read
            # size would allocate a large buffer for every small file. A second read
            # only when the first came back short of the size (one syscall a file).
            want = size + 1
            data = os.read(fd, want)
            while len(data) < size:
                more = os.read(fd, want - len(data))
                if not more:
                    break
                data += more
            if len(data) > size:  # it grew since its size was taken: read to the end
                while len(data) <= MAX_FILE_BYTES:
                    more = os.read(fd, 65536)
                    if not more:
                        break
                    data += more
                if len(data) > MAX_FILE_BYTES:
                    raise _fail(
                        name, "", f"file is too large (the limit is {MAX_FILE_BYTES:,} bytes)"
                    )
            return data
        finally:
            os.close(fd)
    except OSError as error:
        raise _fail(name, "", open_error(error)) from None


def parse_document(raw: bytes, source: str, fmt: str | None = None) -> dict[str, Any]:
    """Bytes to a document (a dict). `fmt` is 'toml' or 'json'; by default from the name."""
    if len(raw) > MAX_FILE_BYTES:
        raise _fail(source, "", f"file is too large (the limit is {MAX_FILE_BYTES:,} bytes)")
    if not raw or (len(raw) < 1024 and raw.isspace()):
        raise _fail(source, "", "file is empty")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(source, "", "file is UTF-16; save it as UTF-8")
    if b"\x00" in raw:
        raise _fail(source, "", "binary file, not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        place = _line_and_column(utf8_place(raw, error))
        raise _fail(source, place, utf8_error(raw, error)) from None
    text = text.removeprefix("\ufeff")
    if fmt is None:
        fmt = "json" if source.lower().endswith(".json") else "toml"
    brackets = strictjson.bracket_count(text)  # counted once: for orjson, then the depth
    if fmt == "json":
        document = loads_json(text, brackets)  # orjson, where it can vouch for the answer
        if document is UNSURE:
            document = _strict_json(text, source)
    else:
        try:
            document = loads_toml(text, brackets)
        except TomlSyntaxError as error:
            raise _fail(source, "", toml_error(error, text)) from None
        except ValueError as error:  # tomllib lets int()'s digit limit through as is
            raise _fail(source, number_place(error, text), number_error(error)) from None
        except RecursionError:
            raise _fail(source, "", NESTED_TOO_DEEPLY) from None
    if nested_too_deeply(document, text, brackets):
        where = _line_and_column(strictjson.depth_place(text)) if fmt == "json" else ""
        raise _fail(source, where, NESTED_TOO_DEEPLY)
    if not isinstance(document, dict):
        kind = "a list" if isinstance(document, list) else "a single value"
        if fmt == "json":
            many = (
                f" (answer sets go one per line on standard input: jq -c '.[]'"
                f" {_shell_word(source)} | holdtight score -)"
                if isinstance(document, list)
                else ""
            )
            raise _fail(source, "", f"the top level must be an object ({{…}}), not {kind}{many}")
        raise _fail(source, "", f"the top level must be a table, not {kind}")
    return document


def _shell_word(name: str) -> str:
    """A file's name as a shell word in advice: FILE where the name shown is not a path to
    it (a pseudo-name, a name whose bytes were not UTF-8, or one a caller gave), or holds
    characters a terminal would act on; `./` before a name that would read as an option."""
    import unicodedata

    if not os.path.exists(name) or any(
        unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in name
    ):
        return "FILE"
    import shlex

    return shlex.quote(f"./{name}" if name.startswith("-") else name)


NESTED_TOO_DEEPLY = f"nested too deeply (more than {strictjson.MAX_DEPTH} levels)"


def nested_too_deeply(document: object, text: str | bytes, brackets: int | None = None) -> bool:
    """Whether a document parsed from `text` nests beyond `strictjson.MAX_DEPTH` (only
    a text with that many brackets can: the others are not walked). `brackets`: the
    caller's `strictjson.bracket_count(text)`, where it has it."""
    count = strictjson.bracket_count(text) if brackets is None else brackets
    return count > strictjson.MAX_DEPTH and strictjson.too_deep(document)


def _strict_json(text: str, source: str) -> Any:
    """The standard library's reading, which decides and words every refusal."""
    try:
        return strictjson.loads(text)
    except json.JSONDecodeError as error:
        place = _line_and_column(json_error_place(error))
        raise _fail(source, place, json_error_text(error, _shell_word(source))) from None
    except strictjson.StrictJSONError as error:  # a key twice, NaN, a lone surrogate
        place = _line_and_column(strictjson.refusal_place(text))
        raise _fail(source, place, str(error)) from None
    except ValueError as error:  # a 5000-digit number
        raise _fail(source, number_place(error, text), number_error(error)) from None
    except RecursionError:
        place = _line_and_column(strictjson.depth_place(text))
        raise _fail(source, place, NESTED_TOO_DEEPLY) from None


def utf8_place(raw: bytes, error: UnicodeDecodeError) -> tuple[int, int]:
    """(line, column), from 1, of the first byte that is not UTF-8, the column counted
    in characters as every other place is."""
    start = raw.rfind(b"\n", 0, error.start) + 1
    column = len(raw[start : error.start].decode("utf-8", "replace")) + 1
    return raw.count(b"\n", 0, error.start) + 1, column


def utf8_error(raw: bytes, error: UnicodeDecodeError) -> str:
    return f"invalid UTF-8 (byte 0x{raw[error.start]:02X}; save the text as UTF-8)"


def _line_and_column(found: tuple[int, int] | None) -> str:
    """A place in a file (`strictjson`'s (line, column)), as its message says it."""
    return f"line {found[0]}, column {found[1]}" if found else ""


# The standard library's messages for JSON syntax errors, in words that say what to
# mend (its place is given apart: some of its messages end in " at", to be followed by
# it). A message not listed here is given as it is; `json_error_text` first names the
# slips people make by hand (a comma before a closing bracket, a comment), whatever the
# message (Python 3.13 words a trailing comma otherwise).
_JSON_ERRORS = {
    "Expecting value": "expected a value (text in double quotes, a number, true, false,"
    " null, [ or {)",
    "Expecting property name enclosed in double quotes": "expected a key in double quotes",
    "Expecting ':' delimiter": "expected a colon after the key",
    "Expecting ',' delimiter": "expected a comma, or the end of the list or object",
    "Unterminated string starting": "a string starts here and is not closed",
    "Invalid \\escape": "an invalid escape (a backslash may only be followed by a quote,"
    " \\, /, b, f, n, r, t or u)",
    "Invalid \\uXXXX escape": "an invalid escape (\\u takes four hexadecimal digits)",
    "Invalid control character": "a control character inside a string (write a tab or"
    " line break as \\t or \\n)",
    "Extra data": "more text after the end of the JSON document",
}
JSON_SPACE = " \t\r\n"


def json_error_text(error: json.JSONDecodeError, name: str = "FILE") -> str:
    """What a JSON syntax error says (`_JSON_ERRORS`); `name`: the file's, as a shell
    word, where the advice gives a command."""
    text, at = error.doc, error.pos
    found = text[at : at + 1]
    if text[at : at + 2] in ("//", "/*"):
        return "a comment (JSON has none)"
    before = _before(text, at)
    if _trailing_comma(error) is not None:
        return f"a comma before {found} (JSON allows none)"
    message = error.msg.removesuffix(" at")
    rest = text[at:].strip(JSON_SPACE)
    if message.startswith("Expecting") and not rest and before >= 0:
        return JSON_UNCLOSED
    if message == "Extra data" and rest == ",":
        return "a comma after the end of the JSON document"
    if message == "Extra data" and found == "{" and "\n" in text[before:at]:
        return (
            "a second JSON document on a line of its own (a file holds one; answer sets one"
            f" per line are read on standard input: holdtight score - < {name})"
        )
    if message == "Invalid control character" and found in ("\n", "\r"):
        return "a string is not closed before the end of its line"
    return _JSON_ERRORS.get(message, message)


JSON_UNCLOSED = "the JSON ends before every { and [ in it is closed"


def json_error_place(error: json.JSONDecodeError) -> tuple[int, int]:
    """(line, column) of a JSON syntax error, as `json_error_text` words it: a comma
    before a closing bracket is placed at the comma (Python places it at the bracket)."""
    comma = _trailing_comma(error)
    if comma is None:
        return error.lineno, error.colno
    text = error.doc
    return text.count("\n", 0, comma) + 1, comma - text.rfind("\n", 0, comma)


def _trailing_comma(error: json.JSONDecodeError) -> int | None:
    """Where the comma is, when the error is a comma before ] or }."""
    text, at = error.doc, error.pos
    before = _before(text, at)
    if text[at : at + 1] in ("]", "}") and before >= 0 and text[before] == ",":
        return before
    return None


def _before(text: str, at: int) -> int:
    """The place of the last character before `at` that is not JSON's white space."""
    before = at - 1
    while before >= 0 and text[before] in JSON_SPACE:
        before -= 1
    return before


def type_name(value: object) -> str:
    names = {
        str: "text",
        int: "a number",
        float: "a number",
        bool: "a boolean",
        list: "a list",
        dict: "a table",
        type(None): "null",
    }
    name = names.get(type(value))
    if name is not None:
        return name
    # TOML's dates and times (datetime is a date: test it first); anything else by name.
    if isinstance(value, datetime.datetime):
        return "a date-time"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, datetime.time):
        return "a time"
    return type(value).__name__


def locate_table(text: str | None, key: str) -> str:
    """'line N' where the table `key` starts: its header (`[key]`, `[key.sub]`, `[[key]]`)
    or a dotted key (`key.x = …`); in JSON, its key (only on error paths)."""
    if not text:
        return ""
    name = rf'(?:"{re.escape(key)}"|{re.escape(key)})'
    if text.lstrip().startswith("{"):
        pattern = re.compile(rf'"{re.escape(key)}"\s*:')
        found = (n for n, line in enumerate(text.splitlines(), 1) if pattern.search(line))
    else:
        pattern = re.compile(rf"^\s*(?:\[\[?\s*{name}\s*[\].]|{name}\s*[.=])")
        found = (n for n, line in enumerate(text.splitlines(), 1) if pattern.match(line))
    number = next(found, None)
    return f"line {number}" if number else ""


def locate(text: str | None, table: str, key: str) -> str:
    """'line N' where `key` is set in `[table]`, found by a scan (only on error paths)."""
    if not text:
        return ""
    current = ""
    pattern = re.compile(rf'^\s*(?:"{re.escape(key)}"|{re.escape(key)})\s*[=:]')
    named = (f"{table}.{key}", f'{table}."{key}"')
    json_like = text.lstrip().startswith("{")
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not json_like and stripped.startswith("[") and not stripped.startswith("[["):
            current = stripped.split("]", 1)[0].strip("[ ")
            header = current.replace(" ", "")
            if any(header == name or header.startswith(name + ".") for name in named):
                return f"line {number}"  # the key set as a table of its own
            continue
        if (json_like or current == table) and pattern.match(line):
            return f"line {number}"
    return ""
