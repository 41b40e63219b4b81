"""What strict JSON refuses in text that parses otherwise — a key given twice, NaN or
Infinity, an escape of half a surrogate pair — is said at its line and column
(`strictjson.refusal_place`), as syntax errors are: in an answer file and on a JSON
Lines line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from holdtight.errors import InputError
from holdtight.reading import parse_document
from holdtight.strictjson import StrictJSONError, loads, refusal_place

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text('a"\\\n{}[]:,é\ud7ff', max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text('ab"\\:{', max_size=3), inner, max_size=3)
    ),
    max_leaves=12,
)


def _place(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{\n  "answers": {\n    "stage": "piloting",\n    "stage": "scaling"\n  }\n}', (4, 5)),
        ('{"a": {"b": 1}, "a" : 2}', (1, 17)),
        ('{"a\\"b": 1, "a\\"b": 2}', (1, 13)),  # an escaped quote inside the key
        ('{"a\\\\": 1, "a\\\\": 2}', (1, 12)),  # an escaped backslash before its end
        ('{"a": [{"k": 1, "k": 2}]}', (1, 17)),
        ('{\n  "answers": {\n    "schools": NaN\n  }\n}', (3, 16)),
        ('{"a": [1, 2, Infinity]}', (1, 14)),
        ("  -Infinity", (1, 3)),
        ('{"a": "x\\ud800y"}', (1, 9)),
        ('{"a": "\\ud83d\\ude00", "b": "\\udc00"}', (1, 29)),  # a pair, then half of one
    ],
)
def test_each_refusal_is_placed(text: str, where: tuple[int, int]) -> None:
    with pytest.raises(StrictJSONError):
        loads(text)
    assert refusal_place(text) == where


@given(value=VALUES, indent=st.sampled_from([None, 0, 2]), how=st.sampled_from(["key", "nan"]))
def test_the_place_is_found_past_any_json(value: object, indent: int | None, how: str) -> None:
    """Whatever valid JSON comes first (strings with quotes, brackets, colons, line
    breaks and backslashes), the refusal after it is placed exactly."""
    head = json.dumps(value, indent=indent, ensure_ascii=False)
    if how == "key":
        before = '{"x": ' + head + ', "dup": 1,\n '
        text = before + '"dup": 2}'
    else:
        before = "[" + head + ",\n "
        text = before + "NaN]"
    with pytest.raises(StrictJSONError):
        loads(text)
    assert refusal_place(text) == _place(text, len(before))


def test_a_valid_text_has_no_place() -> None:
    assert refusal_place('{"a": [1, {"b": "\\ud83d\\ude00"}]}') is None


def test_an_answer_file_names_the_line_and_column(tmp_path: Path) -> None:
    text = '{\n  "answers": {\n    "stage": "piloting",\n    "stage": "scaling"\n  }\n}\n'
    with pytest.raises(InputError) as caught:
        parse_document(text.encode(), "team/north.json")
    assert str(caught.value) == ("team/north.json: line 4, column 5: key 'stage' is given twice")
