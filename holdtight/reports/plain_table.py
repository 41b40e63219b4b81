"""The result table of `holdtight score` as plain text, without Rich: exactly the text
`reports.terminal.result_table_text` renders (100 columns or a terminal's, no colour), for the common
case, so that `holdtight score FILE` need not import Rich (≈15 ms of its start-up).

Only text whose every character takes one column is drawn here (printable ASCII, and
the few fixed symbols of the table); the table must fit in its width as it stands.
Anything else (wide or combining characters, a table Rich would have to squeeze)
returns None, and the caller renders with Rich. A property test holds the two to the
same text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from holdtight.model import SETTINGS, Result, Rulebook
from holdtight.reports.phrases import CONFIDENCE_LABELS, readable_warnings
from holdtight.terminal_text import for_terminal

WIDTH = 100
HEADERS = ("Domain", "tight…loose", "Setting", "Confidence")
_ONE_COLUMN_SYMBOLS = str.maketrans("", "", "…—●─")
_WORD = re.compile(r"\s*\S+\s*")


def _plain(text: str) -> bool:
    """Whether every character of `text` takes exactly one column, as Rich counts."""
    return text.isprintable() and text.translate(_ONE_COLUMN_SYMBOLS).isascii()


def spectrum_line(setting: str) -> str:
    """tight ●────── loose: a marker on a five-step line, tight on the left."""
    position = len(SETTINGS) - 1 - SETTINGS.index(setting)
    cells = ["─"] * len(SETTINGS)
    cells[position] = "●"
    return "".join(cells)


def wrap(text: str, width: int = WIDTH) -> list[str]:
    """Rich's word wrap (`Text.wrap`: `divide_line`, folding, `rstrip_end`, cropping)
    for text of one-column characters."""
    if len(text) <= width:  # every word fits: no break, nothing to strip or crop
        return [text]
    breaks: list[int] = []
    offset = 0
    position = 0
    while (match := _WORD.match(text, position)) is not None:
        start, position = match.span()
        word = match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:  # a word longer than a line is folded across lines
            pieces = [word[i : i + width] for i in range(0, len(word), width)]
            for index, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if index == len(pieces) - 1:
                    offset = len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    lines = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)], strict=True)]
    out = []
    for line in lines:
        if len(line) > width:  # rstrip_end: trailing whitespace beyond the width goes
            trailing = len(line) - len(line.rstrip())
            line = line[: len(line) - min(trailing, len(line) - width)]
        out.append(line[:width])
    return out


def result_rows(
    rulebook: Rulebook, result: Result, short: bool = False, spectrum: bool = True
) -> list[tuple[str, ...]]:
    """The cells of the `score FILE` table, one row a domain, as a person reads them
    (the one definition: Rich's table in reports.terminal styles these same cells);
    `short`: domains by their short names, for a narrow terminal; `spectrum`: with the
    tight…loose line (left out where even the short names would not fit beside it)."""
    names = {d.id: d.short for d in rulebook.domains} if short else {}
    return [
        (
            for_terminal(names.get(d.id) or d.title),
            *((spectrum_line(d.setting),) if spectrum else ()),
            for_terminal(rulebook.setting_label(d.setting)),
            CONFIDENCE_LABELS[d.confidence],
        )
        for d in result.domains
    ]


def headers(spectrum: bool = True) -> tuple[str, ...]:
    """The table's headers, with or without the tight…loose column."""
    return HEADERS if spectrum else (HEADERS[0], *HEADERS[2:])


def table_layout(rulebook: Rulebook, result: Result, width: int) -> tuple[bool, bool]:
    """(short, spectrum) for a table `width` columns wide (a terminal's): the domains'
    full titles where they fit; else their short names (which fit in 60 columns); below
    that, the short names without the tight…loose column (the setting is in words
    beside it), so that the names are not folded a few letters a line."""
    for short, spectrum in ((False, True), (True, True)):
        rows = result_rows(rulebook, result, short, spectrum)
        if _table_width(_column_widths(rows, spectrum)) <= width:
            return short, spectrum
    return True, False


def short_names_needed(rulebook: Rulebook, result: Result, width: int) -> bool:
    """Whether the table with the domains' full titles is wider than `width` (a
    terminal's): then it names them by their short names (`table_layout`)."""
    return table_layout(rulebook, result, width)[0]


def _column_widths(rows: list[tuple[str, ...]], spectrum: bool = True) -> list[int]:
    names = headers(spectrum)
    return [max(len(cells[i]) for cells in (names, *rows)) for i in range(len(names))]


def _table_width(widths: list[int]) -> int:
    return sum(widths) + 3 * len(widths) + 1  # a space each side, a bar between


def result_table_plain(
    rulebook: Rulebook,
    source: str,
    result: Result,
    meta: Mapping[str, Any] | None = None,
    width: int = WIDTH,
    short: bool = False,
    spectrum: bool = True,
) -> str | None:
    """`result_table_text(rulebook, source, result, meta, width, short, spectrum)`, or
    None where Rich must draw."""
    organization = for_terminal((meta or {}).get("organization", ""), 80)
    title = for_terminal(source, 120) + (f" — {organization}" if organization else "")
    rows = result_rows(rulebook, result, short, spectrum)
    posture = (
        f"Posture: {rulebook.posture_text(result.posture_label)} "
        f"(index {result.posture_index:+.2f})"
    )
    warnings = [
        f"warning: {for_terminal(warning, 300)}"
        for warning in readable_warnings(rulebook, result.warnings)
    ]
    free = [title, posture, *warnings, *(cell for row in rows for cell in row)]
    if not rows or not all(_plain(text) for text in free):
        return None
    widths = _column_widths(rows, spectrum)
    # Padding (0, 1), the table's outer edges included: "│ a │ b │ c │ d │".
    if _table_width(widths) > width:
        return None
    inner = [w + 2 for w in widths]

    def line(cells: tuple[str, ...], bar: str) -> str:
        padded = [" " + cell.ljust(w) + " " for cell, w in zip(cells, widths, strict=True)]
        return bar + bar.join(padded) + bar

    def rule(left: str, fill: str, cross: str, right: str) -> str:
        return left + cross.join(fill * width for width in inner) + right

    lines = [
        *wrap(title, width),
        rule("┏", "━", "┳", "┓"),
        line(headers(spectrum), "┃"),
        rule("┡", "━", "╇", "┩"),
        *(line(row, "│") for row in rows),
        rule("└", "─", "┴", "┘"),
        *wrap(posture, width),
        *(part for warning in warnings for part in wrap(warning, width)),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"
