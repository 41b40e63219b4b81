"""Plain mode's text: how a question is read aloud (numbered choices, how to answer),
how a typed line becomes an answer, and a Markdown outline as plain lines. No I/O here:
`holdtight.commands.plain` runs the conversation."""

from __future__ import annotations

import math
import re

from holdtight.model import AnswerValue, Question, Rulebook
from holdtight.terminal_text import for_terminal

_SEPARATORS = re.compile(r"[\s,]+")
_MD_ESCAPE = re.compile(r"\\(.)")
_MD_EMPHASIS = re.compile(r"(?<!\\)\*+|(?<!\\)`")
_MD_RULE = re.compile(r"\|?(-+\|)+-*")
_MD_CELL = re.compile(r"(?<!\\)\|")


def plain_lines(markdown: str) -> list[str]:
    """Markdown as lines a screen reader reads well: '## Why' becomes 'Why', a table row
    'a, b, c', emphasis and escapes go; each line is made safe for a terminal."""
    lines = []
    for raw in markdown.splitlines():
        line = _MD_EMPHASIS.sub("", raw.rstrip())
        if _MD_RULE.fullmatch(line):
            continue
        if line.startswith("|"):
            line = "; ".join(cell.strip() for cell in _MD_CELL.split(line.strip("|")))
        line = _MD_ESCAPE.sub(r"\1", line.lstrip("#> ") if line.startswith(("#", ">")) else line)
        lines.append(for_terminal(line))
    return lines


def section_title(rulebook: Rulebook, section_id: str) -> str:
    for section in rulebook.sections:
        if section.id == section_id:
            return section.title.split(" — ")[0]
    return section_id


def option_values(question: Question) -> list[AnswerValue]:
    if question.kind == "scale":
        low, high = int(question.min or 0), int(question.max or 0)
        return list(range(low, high + 1))
    return [option.id for option in question.options]


def choices(question: Question) -> list[str]:
    """The numbered choices read aloud: option labels; for a scale, its labels."""
    if question.kind in ("single", "multi"):
        return [option.label for option in question.options]
    if question.kind != "scale":
        return []
    choices = []
    for n, value in enumerate(option_values(question), start=1):
        label = question.labels.get(str(value), "")
        label = label[:1].upper() + label[1:]  # "Resistant", as options and the TUI write it
        if value == n:
            choices.append(label or str(value))
        else:
            choices.append(f"{value}, {label}" if label else str(value))
    return choices


def how_to_answer(question: Question) -> str:
    if question.kind in ("single", "scale"):
        return f"Type an option number from 1 to {len(option_values(question))}."
    if question.kind == "multi":
        return (
            "Type the numbers of every option that applies, separated by spaces or "
            "commas, or 0 for none of these."
        )
    if question.kind == "number":
        whole = "a whole number" if question.integer else "a number"
        low = "" if question.min is None else _num(question.min)
        high = "" if question.max is None else _num(question.max)
        unit = f" ({for_terminal(question.unit)})" if question.unit else ""
        if low and high:
            return f"Type {whole} from {low} to {high}{unit}."
        if low:
            return f"Type {whole}, at least {low}{unit}."
        if high:
            return f"Type {whole}, at most {high}{unit}."
        return f"Type {whole}{unit}."
    return "Type your answer on one line."


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def whole_number(text: str) -> int | None:
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        return None
    return int(text)


def parse_number(question: Question, text: str) -> int | float:
    wanted = how_to_answer(question).removeprefix("Type ").rstrip(".")
    bad = ValueError(f"'{for_terminal(text, 40)}' is not {wanted}")
    if len(text) > 40 or not text.isascii() or "_" in text:
        raise bad
    try:
        if question.integer:
            return int(text)
        value = float(text)
    except ValueError:
        raise bad from None
    if not math.isfinite(value):
        raise bad
    return int(value) if value.is_integer() else value


def parse_multi(question: Question, text: str) -> list[str]:
    count = len(question.options)
    parts = [part for part in _SEPARATORS.split(text) if part]
    if parts == ["0"]:
        return []
    chosen: set[int] = set()
    for part in parts:
        number = whole_number(part)
        if number == 0:
            raise ValueError("0 means none of these: type it alone, or only option numbers")
        if number is None or not 1 <= number <= count:
            raise ValueError(
                f"'{for_terminal(part, 40)}' is not an option number from 1 to {count} "
                "(or 0 for none)"
            )
        chosen.add(number)
    return [option.id for n, option in enumerate(question.options, start=1) if n in chosen]
