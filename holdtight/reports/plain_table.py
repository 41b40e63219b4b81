"""The result table of `holdtight score` as plain text, without Rich: exactly the text
`reports.terminal.result_table_text` renders (100 columns, no colour), for the common
case, so that `holdtight score FILE` need not import Rich (≈15 ms of its start-up).

Only text whose every character takes one column is drawn here (printable ASCII, and
the few fixed symbols of the table); the table must fit in 100 columns as it stands.
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
HEADERS = ("Domain", "tight … loose", "Setting", "Confidence")
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


def result_rows(rulebook: Rulebook, result: Result) -> list[tuple[str, str, str, str]]:
    """The cells of the `score FILE` table, one row a domain, as a person reads them
    (the one definition: Rich's table in reports.terminal styles these same cells)."""
    return [
        (
            for_terminal(d.title),
            spectrum_line(d.setting),
            for_terminal(rulebook.setting_label(d.setting)),
            CONFIDENCE_LABELS[d.confidence],
        )
        for d in result.domains
    ]


def result_table_plain(
    rulebook: Rulebook, source: str, result: Result, meta: Mapping[str, Any] | None = None
) -> str | None:
    """`result_table_text(rulebook, source, result, meta)`, or None where Rich must draw."""
    organization = for_terminal((meta or {}).get("organization", ""), 80)
    title = for_terminal(source, 120) + (f" — {organization}" if organization else "")
    rows = result_rows(rulebook, result)
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
    widths = [max(len(cells[i]) for cells in (HEADERS, *rows)) for i in range(len(HEADERS))]
    # Padding (0, 1) without the table's outer edges: "│a │ b │ c │ d│".
    inner = [widths[0] + 1, *(w + 2 for w in widths[1:-1]), widths[-1] + 1]
    if sum(inner) + len(inner) + 1 > WIDTH:
        return None

    def line(cells: tuple[str, ...], bar: str) -> str:
        padded = [cells[0].ljust(widths[0]) + " "]
        padded += [
            " " + cell.ljust(width) + " "
            for cell, width in zip(cells[1:-1], widths[1:-1], strict=True)
        ]
        padded.append(" " + cells[-1].ljust(widths[-1]))
        return bar + bar.join(padded) + bar

    def rule(left: str, fill: str, cross: str, right: str) -> str:
        return left + cross.join(fill * width for width in inner) + right

    lines = [
        *wrap(title),
        rule("┏", "━", "┳", "┓"),
        line(HEADERS, "┃"),
        rule("┡", "━", "╇", "┩"),
        *(line(row, "│") for row in rows),
        rule("└", "─", "┴", "┘"),
        *wrap(posture),
        *(part for warning in warnings for part in wrap(warning)),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"
