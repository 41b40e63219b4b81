"""The one sanitizer for text that reaches a terminal (stdout tables, stderr, the TUI).

Documents (Markdown, HTML, JSON, session files) keep every character a person wrote;
only what is drawn on a terminal goes through `for_terminal`. It flattens line breaks and
tabs to spaces, and replaces what could move the cursor, change colours or reorder the
line (C0/C1 controls, DEL, bidi embeddings, overrides and isolates) with "?". Joiners
(ZWJ, ZWNJ) stay: Persian words and compound emoji need them and they cannot steer a
terminal.
"""

from __future__ import annotations

import re
from functools import cache


@cache  # compiled on first use: start-up's text is printable, and needs no pattern
def _unsafe() -> re.Pattern[str]:
    return re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def for_terminal(value: object, limit: int | None = None) -> str:
    """`value` as one safe line, shortened to `limit` characters with "…" if given."""
    text = " ".join(str(value).split())
    # Every character the pattern replaces (controls, bidi formatting, surrogates) is
    # one `isprintable` refuses: printable text has none of them.
    if not text.isprintable():
        text = _unsafe().sub("?", text)
    if limit is not None and len(text) > limit:
        return text[: max(limit - 1, 0)] + "…"
    return text


def terminal_block(text: str) -> str:
    """A multi-line block (diff, rules test) made safe line by line: each line keeps its
    indentation and goes through `for_terminal`; the block keeps its final newline."""
    lines = []
    for line in text.split("\n"):
        body = line.lstrip(" ")
        lines.append(" " * (len(line) - len(body)) + for_terminal(body))
    return "\n".join(lines)


@cache  # compiled on first use, not by every start
def _controls() -> re.Pattern[str]:
    return re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def for_document(value: object) -> str:
    """Text for a document (Markdown, HTML): every character a person can write is kept —
    joiners, bidi text and its marks — but C0/C1 control characters (escape, bell…),
    which no one types and which act when the file is shown in a terminal, are dropped."""
    return _controls().sub("", str(value))


# What a JSON writer leaves raw that still acts on a terminal: DEL, C1 controls, bidi
# embeddings, overrides and isolates (C0 controls are always escaped in JSON text).
@cache
def _raw_in_json() -> re.Pattern[str]:
    return re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def json_for_terminal(text: str) -> str:
    """JSON text made safe for a terminal without changing its value: each character
    that could steer the terminal (they can only be inside strings) becomes its \\uXXXX
    escape."""
    return _raw_in_json().sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def lines_for_terminal(text: str) -> str:
    """Lines of a data format with no escapes of its own (CSV) made safe for a terminal:
    line breaks and tabs stay, every other unsafe character becomes "?"."""
    return _unsafe().sub("?", text)


# Bidi embeddings, overrides and isolates: a person may write them (in a name mixing
# scripts), and they reorder whatever follows them unless they are closed.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def bidi_isolated(text: str) -> str:
    """`text` with every character kept, inside an isolate (FSI … PDI) when it holds a
    bidi control: an override or embedding left open then cannot reorder the text around
    it (a report's heading, date or running page header)."""
    if text.isascii() or _BIDI_CONTROLS.isdisjoint(text):
        return text
    return f"\u2068{text}\u2069"


@cache
def _bullet() -> re.Pattern[str]:
    return re.compile(r"\s*(?:[-•*]|\d+\.|>)\s+")


def wrapped(line: str, width: int) -> str:
    """`line` broken between words to `width` for a terminal (which would break it
    mid-word), a list item's or quote's lines hanging under its text, an indented
    line's further in."""
    if len(line) <= width:
        return line
    import textwrap  # only when a line is too long: start-up

    bullet = _bullet().match(line)
    if bullet:
        indent = " " * bullet.end()
        if bullet.group().strip() == ">":
            indent = bullet.group()  # a quote's lines stay in the quote
    else:  # an indented line's next lines two spaces further in (a diff's entries)
        lead = len(line) - len(line.lstrip(" "))
        indent = " " * (lead + 2) if lead else ""
    return "\n".join(
        textwrap.wrap(
            line,
            width,
            subsequent_indent=indent,
            break_on_hyphens=False,
            break_long_words=False,  # a web address stays whole
            drop_whitespace=True,
        )
    )


def wrapped_markdown(text: str, width: int) -> str:
    """A Markdown document's long lines `wrapped` to `width` for a terminal, leaving what
    a line break would change as it is: headings, table rows, code."""
    lines = []
    code = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            code = not code
        keep = code or line.startswith(("#", "|", "    ", "\t")) or len(line) <= width
        lines.append(line if keep else wrapped(line, width))
    return "\n".join(lines)


def is_terminal(stream: object) -> bool:
    """Whether `stream` draws on a terminal (not a pipe, a file, or a closed stream)."""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def terminal_columns(stream: object) -> int | None:
    """The columns of the terminal `stream` draws on; None for a pipe or a file, where
    lines stay whole."""
    if not is_terminal(stream):
        return None
    import shutil  # only on a terminal: start-up

    return shutil.get_terminal_size().columns
