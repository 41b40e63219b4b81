"""What strict JSON refuses in text that parses otherwise — a key given twice, NaN or
Infinity, an escape of half a surrogate pair — is said at its line and column
(`strictjson.refusal_place`), as syntax errors are: in an answer file and on a JSON
Lines line."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from holdtight.errors import InputError
from holdtight.reading import json_error_place, json_error_text, parse_document
from holdtight.strictjson import StrictJSONError, depth_place, loads, refusal_place

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


@given(
    value=VALUES,
    indent=st.sampled_from([None, 0, 2]),
    how=st.sampled_from(["key", "nan", "surrogate"]),
)
def test_the_place_is_found_past_any_json(value: object, indent: int | None, how: str) -> None:
    """Whatever valid JSON comes first (strings with quotes, brackets, colons, line
    breaks and backslashes), the refusal after it is placed exactly."""
    head = json.dumps(value, indent=indent, ensure_ascii=False)
    if how == "key":
        before = '{"x": ' + head + ', "dup": 1,\n '
        text = before + '"dup": 2}'
    elif how == "nan":
        before = "[" + head + ",\n "
        text = before + "NaN]"
    else:  # the escape itself is the place
        before = "[" + head + ',\n "ab'
        text = before + '\\udc00"]'

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


@given(value=VALUES, limit=st.integers(1, 6))
def test_too_deep_is_placed_at_the_bracket_past_the_limit(value: object, limit: int) -> None:
    """Brackets in strings (escaped quotes and backslashes before them) do not count."""
    head = '{"x": ' + json.dumps(value, ensure_ascii=False) + ', "deep": '
    text = head + "[" * (limit + 1) + "]" * (limit + 1) + "}"
    found = depth_place(text, limit)
    if 1 + _depth(value) > limit:  # the value itself goes past the limit
        assert found is not None and found < _place(text, len(head))
    else:  # the `limit`th bracket of the run is at depth 1 + limit
        assert found == _place(text, len(head) + limit - 1)
    assert depth_place(text, max(limit + 2, 1 + _depth(value))) is None


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def test_too_deep_names_its_place_in_a_file_and_on_a_line() -> None:
    from holdtight.batch import Item, parsed_line

    text = '{"answers": {}, "meta": {"a": "[[[[\\"[", "b": ' + "[" * 40 + "]" * 40 + "}}"
    with pytest.raises(InputError) as caught:
        parse_document(text.encode(), "deep.json")
    column = len('{"answers": {}, "meta": {"a": "[[[[\\"[", "b": ') + 31  # depth 33
    assert str(caught.value) == (
        f"deep.json: line 1, column {column}: nested too deeply (more than 32 levels)"
    )
    item = parsed_line(Item("<stdin>:3", line=text.encode(), number=3))
    assert item.error == f"<stdin>:3: column {column}: nested too deeply (more than 32 levels)"


FAULTY = st.recursive(
    st.sampled_from(["1", '"s"', "NaN", "-Infinity", '"\\ud800"', '"a\\\\ud800"', "true"]),
    lambda inner: (
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
        | st.lists(
            st.tuples(st.sampled_from(['"a"', '"b"', '"\\u0061"', '"\\\\"', '"\\u005c"']), inner),
            max_size=4,
        ).map(lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}")
    ),
    max_leaves=10,
)


@given(text=FAULTY)
def test_the_place_is_the_refusal_loads_reports(text: str) -> None:
    """With several refusals in one text, the place is the one `loads` words: the same
    constant, the same key (however it is spelled), in the order `loads` meets them."""
    try:
        loads(text)
    except StrictJSONError as error:
        message = str(error)
    else:
        assert refusal_place(text) is None
        return
    found = refusal_place(text)
    assert found is not None and found[0] == 1
    at = found[1] - 1
    if message.startswith("key '"):
        token = re.match(r'"[^"\\]*(?:\\.[^"\\]*)*"', text[at:])
        assert token is not None
        assert message == f"key '{json.loads(token.group())}' is given twice"
    elif "surrogate" in message or "without its pair" in message:
        assert text.startswith("\\ud800", at)
    else:
        assert text.startswith(message.split()[0], at)  # NaN, Infinity or -Infinity


def test_a_key_in_a_message_is_one_line() -> None:
    """A key with a line break or a control character (kept as written in documents)
    is shown on one line in the message, which reaches a terminal and JSON records."""
    with pytest.raises(StrictJSONError) as caught:
        loads('{"answers": {"a\\nb": 1, "a\\u000ab": 2, "\\u001b[2J": 3, "\\u001b[2J": 4}}')
    assert str(caught.value) == "key 'a b' is given twice"
    with pytest.raises(StrictJSONError) as caught:
        loads('{"\\u001b[2J\\u2028": 3, "\\u001b[2J\\u2028": 4}')
    assert str(caught.value) == "key ' [2J ' is given twice"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "expected a value (text in double quotes, a number, true, false, null, [ or {)"),
        (
            '{"a": ]}',
            "expected a value (text in double quotes, a number, true, false, null, [ or {)",
        ),
        ('{"a": 1,}', "a comma before } (JSON allows none)"),
        ('{"a": [1, 2 ,\n ]}', "a comma before ] (JSON allows none)"),
        ("{1: 2}", "expected a key in double quotes"),
        ('{"a": 5, // five\n}', "a comment (JSON has none)"),
        ('{"a": 5 /* five */}', "a comment (JSON has none)"),
        ('{"a" 1}', "expected a colon after the key"),
        ("[1 2]", "expected a comma, or the end of the list or object"),
        ('{"a": "b', "a string starts here and is not closed"),
        ('{"a": "b\n"}', "a string is not closed before the end of its line"),
        (
            '"\\q"',
            "an invalid escape (a backslash may only be followed by a quote, \\, /, b, f, n, r, t or u)",
        ),
        ('"\\u12"', "an invalid escape (\\u takes four hexadecimal digits)"),
        ('"\x01"', "a control character inside a string (write a tab or line break as \\t or \\n)"),
        ('{"a": 1} {}', "more text after the end of the JSON document"),
        ('{"a": 1} ,\n', "a comma after the end of the JSON document"),
        ('{"a": {"b": 1}\n', "the JSON ends before every { and [ in it is closed"),
        ("[1, [2,", "the JSON ends before every { and [ in it is closed"),
        (
            '{"a": 1}\n{"a": 2}\n',
            "a second JSON document on a line of its own (a file holds one; answer sets one"
            " per line are read on standard input: holdtight score - < FILE)",
        ),
    ],
)
def test_every_json_syntax_error_is_said_in_our_words(text: str, said: str) -> None:
    """Each of the standard library's messages is met (a new wording of one would be
    given as it is, and fail here), and the slips made by hand are named whatever it
    says of them."""
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(text)
    assert json_error_text(caught.value) == said


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ('{"a": 1,}', (1, 8)),  # the comma, not the bracket after it
        ('{"a": [1, 2 ,\n ]}', (1, 13)),
        ('{"a": [1,\n\n  2,\n\t]}', (3, 4)),  # line 3 is "  2,"
        ('{"a": 1 2}', (1, 9)),  # any other error: where Python finds it
    ],
)
def test_a_comma_before_a_closing_bracket_is_placed_at_the_comma(
    text: str, place: tuple[int, int]
) -> None:
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(text)
    assert json_error_place(caught.value) == place


def test_a_file_with_a_second_document_is_told_the_command_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "team").mkdir()
    text = b'{"answers": {}}\n{"answers": {}}\n'
    (tmp_path / "team" / "two docs.json").write_bytes(text)
    with pytest.raises(InputError) as caught:
        parse_document(text, "team/two docs.json")
    assert "line 2, column 1: a second JSON document" in str(caught.value)
    assert "holdtight score - < 'team/two docs.json')" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("plain.json", "plain.json"),
        ("two docs.json", "'two docs.json'"),
        ("it's.json", "'it'\"'\"'s.json'"),
        ("-dash.json", "./-dash.json"),  # not read as an option by jq
        ("--help.json", "./--help.json"),
        ("<angle>.json", "'<angle>.json'"),  # a file's name, not a pseudo-name
        ("no\u00a0break.json", "'no\u00a0break.json'"),
        ("zero\u200bwidth.json", "FILE"),  # shown, it would not be told from another
        ("esc\x1b.json", "FILE"),
        ("missing.json", "FILE"),  # a name that is no file here (a caller's, a pseudo)
        ("<stdin>", "FILE"),
        ("bad\ufffd.json", "FILE"),  # the name shown for bytes that were not UTF-8
    ],
)
def test_advice_names_the_file_as_a_shell_word_only_where_that_is_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, word: str
) -> None:
    from holdtight.reading import _shell_word

    monkeypatch.chdir(tmp_path)
    if name not in ("missing.json", "<stdin>", "bad\ufffd.json"):
        (tmp_path / name).write_text("[]", encoding="utf-8")
    # The file behind the name shown as bad\ufffd.json: its name's bytes are not UTF-8.
    with open(os.path.join(os.fsencode(tmp_path), b"bad\xff.json"), "wb"):
        pass
    assert _shell_word(name) == word


def test_a_stdin_line_with_a_comma_before_a_bracket_names_the_comma_column() -> None:
    from holdtight.batch import Item, parsed_line

    line = b'{"answers": {"stage": "piloting",}}'
    item = parsed_line(Item("<stdin>:3", size=len(line), line=line, number=3))
    column = line.index(b",}") + 1
    assert item.error == (
        f"<stdin>:3: column {column}: invalid JSON: a comma before }} (JSON allows none)"
    )
