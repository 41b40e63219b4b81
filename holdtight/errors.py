"""User-facing errors: one line, a place, an exit code."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from holdtight.terminal_text import for_terminal

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2


class HoldtightError(Exception):
    """An error caused by input the user gave: shown as one line, never a traceback."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class InputError(HoldtightError):
    """A bad answer or session file (exit 1)."""

    exit_code = EXIT_INPUT


class RulebookError(HoldtightError):
    """A bad rulebook (exit 2)."""

    exit_code = EXIT_USAGE


class OutputError(HoldtightError):
    """An output that could not be finished (disk full, I/O error): exit 1, and the old
    file, if any, is left as it was."""

    exit_code = EXIT_INPUT


class UsageError(HoldtightError):
    """A bad command line (exit 2)."""

    exit_code = EXIT_USAGE


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close candidate exists, else ''."""
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def one_line(text: str, limit: int = 200) -> str:
    """Squash text to one printable line, shortened, for error messages."""
    return for_terminal(text, limit)


TOML_11 = (
    "TOML 1.1 syntax; holdtight reads TOML 1.0: inline tables on one line, no trailing "
    "comma; times with seconds, 07:30:00; \\uXXXX escapes, not \\e or \\xHH"
)


def toml_error(error: ValueError, text: str) -> str:
    """'line 3, column 7: Expected …' from tomllib's '… (at line 3, column 7)'; the end
    of the document becomes its line and column too."""
    message = str(error)
    if not (message.endswith(")") and " (at " in message):
        return message
    message, _, place = message.rpartition(" (at ")
    place = place[:-1]
    if place == "end of document":
        lines = text.split("\n")
        place = f"line {len(lines)}, column {len(lines[-1]) + 1} (end of file)"
    hint = _toml_hint(message, place, text)
    if getattr(error, "toml_11", False):
        hint += f" ({TOML_11})"
    if message.startswith("Cannot declare ("):  # "Cannot declare ('answers',) twice"
        return f"{place}: {hint or 'a table is given twice (one of each table)'}"
    return f"{place}: {message}{hint}"


def _toml_hint(message: str, place: str, text: str) -> str:
    """What tomllib's terse message means on the line it names, for the slips people
    make most when they edit an answer file by hand."""
    number = place.removeprefix("line ").split(",")[0]
    if not number.isdigit():
        return ""
    lines = text.split("\n")
    line = lines[int(number) - 1] if 0 < int(number) <= len(lines) else ""
    if message.startswith("Cannot declare (") and message.endswith(") twice"):
        return f"{one_line(line.strip(), 60)} is given twice (one of each table)"
    key, equals, value = line.partition("=")
    key = key.strip().strip('"').strip("'")
    if not equals or not key:
        return ""
    if message == "Cannot overwrite a value":
        return f" ('{one_line(key, 40)}' is given twice)"
    value = value.split("#", 1)[0].strip()
    if message != "Invalid value" or not value:
        return ""
    if value.startswith("[") and value.endswith("]"):
        parts = [item.strip() for item in value[1:-1].split(",")]
        items = [item for item in parts if item]
        # Only a bare word is what quotes mend ('["a", ,]' is an extra comma, not that).
        bare = any(_WORD.fullmatch(item) for item in items)
        extra_comma = any(not item for item in parts[:-1])
        if (
            bare
            and not extra_comma
            and all(_WORD.fullmatch(item) or item[:1] in "\"'" for item in items)
        ):
            quoted = ", ".join(item if item[:1] in "\"'" else f'"{item}"' for item in items)
            return f" (text is written in quotes: {one_line(key, 40)} = [{one_line(quoted, 80)}])"
        return ""
    if value[:1].isalpha() and value not in ("true", "false"):
        return f' (text is written in quotes: {one_line(key, 40)} = "{one_line(value, 80)}")'
    return ""


_WORD = re.compile(r"[A-Za-z_][\w-]*")
