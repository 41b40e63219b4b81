"""One answer checked against its question: what answer files, sessions and a rulebook's
scenarios share."""

from __future__ import annotations

import math

from holdtight.errors import did_you_mean, one_line
from holdtight.limits import MAX_LIST, MAX_NUMBER, MAX_TEXT
from holdtight.model import UNSURE, AnswerValue, Question
from holdtight.reading import type_name as type_name


def _check_option(question: Question, value: str, also: str = "") -> None:
    """ValueError naming the options (and a close one) when `value` is not one of them."""
    if value not in question.option_ids:
        hint = did_you_mean(value, question.option_ids)
        raise ValueError(
            f"'{one_line(value, 60)}' is not an option{hint}; choose from "
            f"{', '.join(o.id for o in question.options)}{also}"
        )


def check_answer(question: Question, value: object) -> AnswerValue:
    """A valid answer to `question`, or ValueError saying what is wrong."""
    kind = question.kind
    if isinstance(value, str) and value == UNSURE and kind != "text":
        return UNSURE
    if kind == "single":
        if not isinstance(value, str):
            raise ValueError(f"expected one option id (a string), not {type_name(value)}")
        _check_option(question, value, " or unsure")
        return value
    if kind == "multi":
        if not isinstance(value, list):
            raise ValueError(f"expected a list of option ids, not {type_name(value)}")
        if len(value) > MAX_LIST:
            raise ValueError(f"list is too long ({len(value)} items)")
        seen: list[str] = []
        for item in value:
            if not isinstance(item, str):
                raise ValueError(f"list items must be option ids, not {type_name(item)}")
            _check_option(question, item)
            if item in seen:
                raise ValueError(f"'{item}' is listed twice")
            seen.append(item)
        return seen
    if kind in ("scale", "number"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected a number, not {type_name(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("expected a finite number")
        if abs(value) > MAX_NUMBER:
            raise ValueError(f"number is too large (the limit is {MAX_NUMBER:.0e})")
        whole = kind == "scale" or question.integer
        if whole and isinstance(value, float):
            raise ValueError(f"expected a whole number, not {value}")
        if question.min is not None and value < question.min:
            raise ValueError(f"{value} is below the minimum {_num(question.min)}")
        if question.max is not None and value > question.max:
            raise ValueError(f"{value} is above the maximum {_num(question.max)}")
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected text, not {type_name(value)}")
    if len(value) > MAX_TEXT:
        raise ValueError(f"text is too long ({len(value):,} characters; the limit is {MAX_TEXT:,})")
    return value


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
