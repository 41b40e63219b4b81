from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from holdtight.expressions import ExpressionError, NameInfo, compile_condition
from tests.helpers import examples

NAMES = {
    "schools": NameInfo("number"),
    "mood": NameInfo("scale"),
    "team": NameInfo("single", frozenset({"none", "small", "dedicated"})),
    "aims": NameInfo("multi", frozenset({"equity", "efficiency"})),
    "statement": NameInfo("text"),
}


def check(text: str, answers: dict[str, Any]) -> bool:
    return compile_condition(text, NAMES)(answers)


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("schools >= 50", {"schools": 50}, True),
        ("schools >= 50", {"schools": 49}, False),
        ("schools > 50 and team == 'dedicated'", {"schools": 60, "team": "dedicated"}, True),
        ("schools > 50 or team == 'dedicated'", {"team": "dedicated"}, True),
        ("1 <= mood < 3", {"mood": 2}, True),
        ("1 <= mood < 3", {"mood": 3}, False),
        ("50 <= schools", {"schools": 51}, True),
        ("team in ['none', 'small']", {"team": "small"}, True),
        ("team not in ['none', 'small']", {"team": "dedicated"}, True),
        ("'equity' in aims", {"aims": ["equity"]}, True),
        ("'equity' not in aims", {"aims": ["efficiency"]}, True),
        ("aims == ['efficiency', 'equity']", {"aims": ["equity", "efficiency"]}, True),
        ("not team == 'none'", {"team": "small"}, True),
        (
            "(team == 'none' or team == 'small') and not schools < 10",
            {"team": "none", "schools": 10},
            True,
        ),
        ("answered(team)", {"team": "none"}, True),
        ("answered(team)", {}, False),
        ("true", {}, True),
        ("false or answered(mood)", {"mood": 1}, True),
        ("statement == 'hi'", {"statement": "hi"}, True),
        ("mood > schools", {"mood": 5, "schools": 3}, True),
        ("schools == -1", {"schools": -1}, True),
    ],
)
def test_evaluates(text: str, answers: dict[str, Any], expected: bool) -> None:
    assert check(text, answers) is expected


@pytest.mark.parametrize(
    "text",
    [
        "schools >= 50",
        "schools != 3",
        "team != 'none'",
        "team not in ['none']",
        "'equity' not in aims",
        "'equity' in aims",
        "aims == []",
        "mood > schools",
    ],
)
def test_unanswered_makes_every_comparison_false(text: str) -> None:
    # The engine passes only effective answers: unanswered and "unsure" are absent.
    assert check(text, {}) is False


def test_not_of_a_false_comparison_is_true() -> None:
    assert check("not team == 'none'", {}) is True


def test_reads_lists_each_question_once_in_order() -> None:
    condition = compile_condition("team == 'none' or schools > 3 and team != 'small'", NAMES)
    assert condition.reads == ("team", "schools")


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("schol > 3", "unknown question 'schol' (did you mean 'schools'?)", 1),
        (
            "team == 'dedicate'",
            "'dedicate' is not an option of 'team' (did you mean 'dedicated'?)",
            9,
        ),
        ("team > 3", "'>' needs a number or scale question; 'team' is single", 1),
        ("schools > 'many'", "needs a number", 11),
        ("schools == 'x'", "compare it with a number", 12),
        ("'x' in aims", "'x' is not an option of 'aims'", 1),
        ("aims == 'equity'", "compare it with a list", 9),
        ("team in aims", "'in' between two questions is not supported", 1),
        ("schools +", "syntax error", None),
        ("team ==", "syntax error", None),
        ("", "condition is empty", None),
        ("3 > 2", "reads no answer", 1),
        ("team", "alone is not a condition", 1),
        ("team == true", "booleans cannot be compared", 9),
        ("team == None", "cannot be compared", 9),
        ("x" * 3000, "longer than", None),
        ("team == 'none'\nor true", "one line", None),
    ],
)
def test_errors_name_the_problem_and_column(text: str, message: str, column: int | None) -> None:
    with pytest.raises(ExpressionError) as caught:
        compile_condition(text, NAMES)
    assert message in caught.value.message
    if column is not None:
        assert caught.value.column == column


ESCAPES = [
    "__import__('os')",
    "__import__('os').system('echo pwned')",
    "schools.__class__",
    "team.__class__.__mro__",
    "().__class__.__bases__[0].__subclasses__()",
    "open('/etc/passwd')",
    "eval('1')",
    "exec('import os')",
    "getattr(team, 'x')",
    "answered(team).real",
    "lambda: 1",
    "[x for x in aims]",
    "{x for x in aims}",
    "{x: 1 for x in aims}",
    "(x for x in aims)",
    "f'{schools}'",
    "(y := 1)",
    "aims[0]",
    "schools ** 999999999",
    "9 ** 9 ** 9 > schools",
    "schools + 1 > 3",
    "team if true else team",
    "{'a': 1}",
    "*aims",
    "answered(__builtins__)",
    "answered(schools, team)",
    "answered(x=team)",
    "b'x' == team",
    "schools > 1j",
    "... == team",
    "(" * 300 + "true" + ")" * 300,
    "not " * 400 + "true",
    " and ".join(["true"] * 900),
]


@pytest.mark.parametrize("text", ESCAPES)
def test_known_escapes_are_refused(text: str) -> None:
    with pytest.raises(ExpressionError):
        compile_condition(text, NAMES)


def test_compiled_function_has_no_builtins() -> None:
    condition = compile_condition("team == 'none'", NAMES)
    assert condition.function.__globals__["__builtins__"] == {}


_atoms = st.sampled_from(
    [
        "schools",
        "mood",
        "team",
        "aims",
        "statement",
        "'none'",
        "'equity'",
        "3",
        "-2.5",
        "['none', 'small']",
        "true",
        "answered(team)",
        "__import__",
        "x.y",
        "a[0]",
        "f()",
    ]
)
_ops = st.sampled_from(
    ["==", "!=", "<", "<=", ">", ">=", "in", "not in", "and", "or", "+", "**", ".", ":=", ","]
)


@st.composite
def _expressions(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 3 or draw(st.booleans()):
        return draw(_atoms)
    left = draw(_expressions(depth + 1))
    right = draw(_expressions(depth + 1))
    form = draw(st.sampled_from(["{l} {op} {r}", "not {l}", "({l}) {op} ({r})", "{l}{op}{r}"]))
    return form.format(l=left, r=right, op=draw(_ops))


@settings(max_examples=examples(60), deadline=None)
@given(_expressions())
def test_generated_expressions_compile_or_fail_cleanly(text: str) -> None:
    try:
        condition = compile_condition(text, NAMES)
    except ExpressionError:
        return
    answers = {"schools": 4, "mood": 2, "team": "none", "aims": ["equity"], "statement": "s"}
    assert condition(answers) in (True, False)
    assert condition({}) in (True, False)


@settings(max_examples=examples(100), deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_never_crashes(text: str) -> None:
    with contextlib.suppress(ExpressionError):
        compile_condition(text, NAMES)
