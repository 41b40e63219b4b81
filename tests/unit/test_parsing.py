"""The compiled TOML parser gives tomllib's answers (same values, same types, same
refusals) and the compiled JSON writer json's text (holdtight.parsing documents where
they differ and how that is closed)."""

from __future__ import annotations

import json
import math
import tomllib
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from holdtight.parsing import TomlSyntaxError, dumps_json, dumps_json_bytes, loads_toml

keys = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=8
)
offsets = st.integers(min_value=-23 * 60, max_value=23 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
scalars = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(),  # beyond 64 bits
    st.floats(allow_nan=False),
    st.sampled_from([0.1, -0.0, 5e-324, 1.7976931348623157e308, 1e-7, 1e16, math.inf]),
    st.booleans(),
    st.dates(),
    st.times(),
    st.datetimes(),
    st.datetimes(timezones=st.one_of(offsets, st.just(UTC))),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)
documents = st.dictionaries(keys, values, max_size=6)


def _same(a: Any, b: Any) -> bool:
    """Equal values of the same types (NaN equal to NaN, tzinfo of the same class)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, datetime | time):
        return a == b and type(a.tzinfo) is type(b.tzinfo) and a.utcoffset() == b.utcoffset()
    return bool(a == b)


def _stdlib_toml(text: str) -> Any:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return "refused"


def _ours_toml(text: str) -> Any:
    try:
        return loads_toml(text)
    except TomlSyntaxError:
        return "refused"


@given(documents)
def test_toml_documents_read_alike(document: dict[str, Any]) -> None:
    text = tomli_w.dumps(document)
    assert _same(_ours_toml(text), _stdlib_toml(text))


# Fragments of TOML, valid and not, including TOML 1.1 syntax that a TOML 1.1 parser
# reads and tomllib refuses; any sequence of them must get the standard library's answer.
FRAGMENTS = [
    "a = ", "b = ", "c.d = ", "[t]\n", "[[arr]]\n", "[t.u]\n", '"é" = ', "\n", " ", ",",
    "1", "-0", "+1_000", "0x_1", "0o17", "01", "1e400", "1.", "nan", "-inf", "3.14",
    '"x"', '"\\e"', '"\\x41"', '"\\u00e9"', "'lit'", '"""\nmulti\\\n  line"""', '"\x7f"',
    "true", "[1, 2,]", "[\n1,\n]", "{b = 1}", "{b = 1,}", "{b = 1,\n c = 2}",
    "1979-05-27", "07:32", "07:32:00", "1979-05-27T07:32", "1979-05-27 07:32:00Z",
    "1979-05-27T07:32:00.5-08:00", "99999999999999999999", "# comment\n", "\r\n",
]  # fmt: skip


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12))
def test_toml_fragments_read_alike(parts: list[str]) -> None:
    text = "".join(parts)
    assert _same(_ours_toml(text), _stdlib_toml(text))


@pytest.mark.parametrize(
    "text",
    [
        "a = 1\na = 2", "[t]\n[t]", "a = {b = 1,\n c = 2}", 'a = "\\e"', "a = 07:32",
        "a = 1e400", 'a = "\\uD800"', "a = 1979-02-30", "a = 1979-05-27T23:59:60Z",
        "a = 0001-01-01T00:00:00+23:59", "[a]\nb = 1\n[a.b]", "a = 99999999999999999999",
    ],
)  # fmt: skip
def test_toml_edge_cases(text: str) -> None:
    assert _same(_ours_toml(text), _stdlib_toml(text))


def test_toml_refusal_keeps_the_standard_librarys_line_and_column() -> None:
    with pytest.raises(TomlSyntaxError) as ours:
        loads_toml("a = 1\nb = = 2\n")
    with pytest.raises(tomllib.TOMLDecodeError) as stdlib:
        tomllib.loads("a = 1\nb = = 2\n")
    assert str(ours.value) == str(stdlib.value)


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=20),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(), inner)),
    max_leaves=12,
)


def test_dates_keep_their_types() -> None:
    document = loads_toml("a = 1979-05-27\nb = 1979-05-27T07:32:00+01:00\n")
    assert type(document["a"]) is date
    assert type(document["b"].tzinfo) is timezone


def _has_float(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_float(v) for v in value)
    return isinstance(value, float)


def _written_alike(value: Any) -> None:
    ours = dumps_json(value)
    stdlib = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # The characters str.splitlines takes for line breaks are written escaped (one
    # record, one line): the same value.
    for char in "\u2028\u2029\x85":
        stdlib = stdlib.replace(char, f"\\u{ord(char):04x}")
    assert len(ours.splitlines()) == 1
    if _has_float(value):  # orjson spells 1e-07 as 1e-7: the same number
        assert _same(json.loads(ours), json.loads(stdlib))
    else:
        assert ours == stdlib
    # The bytes the batch writes are the same text, encoded (a lone surrogate as "?").
    assert dumps_json_bytes(value) == ours.encode("utf-8", "replace")


@given(json_values)
def test_json_written_alike(value: Any) -> None:
    _written_alike(value)


@pytest.mark.parametrize(
    "value", [2**70, {"a": "\ud800"}, 1e16, 1e-7, -0.0, 5e-324, "é\u2028", "\x85 \u2029"]
)
def test_json_written_alike_at_the_edges(value: Any) -> None:
    _written_alike(value)


def test_answer_files_keep_every_check() -> None:
    """Duplicate keys, NaN and wrong shapes are still refused, at their place."""
    from holdtight.errors import InputError
    from holdtight.sessionfile import parse_document

    with pytest.raises(InputError, match="line 3"):
        parse_document(b"[answers]\nschools = 3\nschools = 4\n", "x.toml")
    with pytest.raises(InputError, match="NaN is not allowed"):
        parse_document(b'{"answers": {"schools": NaN}}', "x.json")
    with pytest.raises(InputError, match="given twice"):
        parse_document(b'{"answers": {"schools": 3, "schools": 4}}', "x.json")
    with pytest.raises(InputError, match="line 2, column 14"):
        parse_document(b'{"answers":\n {"schools": }}', "x.json")


# --- reading JSON: orjson where it can vouch, the standard library otherwise ----------

_SPACE = st.sampled_from(["", " ", "\n", "\t ", "\r\n"])
_NUMBERS = st.one_of(
    st.integers().map(str),  # beyond 64 bits too: orjson reads them as floats
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["-0", "-0.0", "1e400", "1E5", "2.2250738585072011e-308", "NaN", "1e-400"]),
)
_STRINGS = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6).map(
        lambda text: json.dumps(text, ensure_ascii=False)
    ),
    st.sampled_from(['"a"', '":"', '"\\u0061"', '"\\ud800"', '"\\ud83d\\ude00"', '"a\\":"']),
)


@st.composite
def _json_text(draw: st.DrawFn, depth: int = 0) -> str:
    """JSON text as people and tools write it, keys given twice included."""
    kind = draw(st.integers(0, 4 if depth < 3 else 2))
    if kind == 0:
        return draw(_NUMBERS)
    if kind == 1:
        return draw(_STRINGS)
    if kind == 2:
        return draw(st.sampled_from(["true", "false", "null"]))
    space = draw(_SPACE)
    if kind == 3:
        items = draw(st.lists(_json_text(depth + 1), max_size=3))
        return "[" + space + ("," + space).join(items) + "]"
    pairs = draw(st.lists(st.tuples(_STRINGS, _SPACE, _json_text(depth + 1)), max_size=4))
    body = ("," + space).join(f"{key}{gap}:{space}{value}" for key, gap, value in pairs)
    return "{" + space + body + space + "}"


def _strict(text: str) -> Any:
    from holdtight import strictjson

    try:
        return strictjson.loads(text)
    except (ValueError, RecursionError):
        return "refused"


@given(_json_text())
def test_json_read_by_orjson_only_when_it_gives_the_standard_librarys_answer(text: str) -> None:
    from holdtight.parsing import UNSURE, loads_json

    for data in (text, text.encode("utf-8", "surrogatepass")):
        fast = loads_json(data)
        if fast is not UNSURE:
            assert _same(fast, _strict(text))


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}', '{"a": 1, "\\u0061": 2}', '{"a" : 1, "a"\n: 2}', '[{"a": 1, "a": 1}]',
        "18446744073709551616", "[-9223372036854775809]", '{"a": 123456789012345678901234}',
        "NaN", '{"a": Infinity}', '"\\ud800"', "1e400", '{"a": [1, {"b": 2, "b": 3}]}',
    ],
)  # fmt: skip
def test_json_orjson_cannot_vouch_for(text: str) -> None:
    from holdtight.parsing import UNSURE, loads_json

    assert loads_json(text) is UNSURE
    assert loads_json(text.encode()) is UNSURE


def test_json_lines_keep_every_check() -> None:
    """On standard input too: a key twice is an error naming the line."""
    import io

    from holdtight.batch import parsed_line, read_stdin

    data = b'{"answers": {"schools": 3}}\n{"answers": {"schools": 3, "schools": 4}}\n'
    first, second = map(parsed_line, read_stdin(io.BytesIO(data)))
    assert first.document == {"answers": {"schools": 3}}
    assert second.error == "<stdin>:2: column 28: invalid JSON: key 'schools' is given twice"


def test_deep_nesting_never_reaches_the_compiled_parser_that_would_overflow(
    tmp_path: Path,
) -> None:
    # toml-rs takes ~2 KB of stack a level of arrays or inline tables: 12 levels killed
    # a thread with Python's smallest stack (32 KiB; a segmentation fault, not an
    # exception). Dask and the TUI parse in threads; such a text goes to tomllib, which
    # gives its answer, here and through the API.
    import threading

    from holdtight.api import Engine

    engine = Engine()
    answers: list[Any] = []
    texts = [
        text
        for depth in (1, 4, 5, 8, 12, 20, 33, 200)
        for text in (
            "a = " + "[" * depth + "]" * depth,
            "a = " + "{b = " * depth + "1" + "}" * depth,
            "answers.a = " + "[" * depth + "1" + "]" * depth,
        )
    ]
    for number, text in enumerate(texts):
        (tmp_path / f"{number}.toml").write_text(text)

    def parse() -> None:  # compared outside: `_same` recurses through C (all())
        for number, text in enumerate(texts):
            answers.append((_ours_toml(text), _stdlib_toml(text)))
            answers.append(engine.score_file(tmp_path / f"{number}.toml")["ok"])

    before = threading.stack_size(32 * 1024)
    try:
        thread = threading.Thread(target=parse)
        thread.start()
        thread.join()
    finally:
        threading.stack_size(before)
    assert len(answers) == 2 * len(texts)
    assert all(_same(*pair) for pair in answers[::2])
    assert not any(answers[1::2])  # each file refused in one line, the process alive


def test_the_bracket_count_bounds_the_depth_whatever_strings_hold() -> None:
    # Brackets in strings and comments can look like closing ones: matching them once
    # let a file nest 8 levels while looking like 4. The count cannot be fooled.
    from holdtight.parsing import MAX_FAST_BRACKETS, _fast_can_read

    answer_file = "[holdtight]\nformat = 1\n[meta]\n[answers]\naims = ['a', 'b']\n[notes]\n"
    assert _fast_can_read(answer_file)
    assert _fast_can_read(answer_file.replace("[", "\n[", 1) * 3)  # headers: not counted
    deepest = "a = " + "[" * MAX_FAST_BRACKETS + "]" * MAX_FAST_BRACKETS
    assert _fast_can_read(deepest) and not _fast_can_read(deepest.replace("[", "[[", 1))
    hidden = 'a = [[[[ "]]]]", [[[[ 1 ]]]], "[[[[" ]]]]'  # 8 deep, matched pairs say 4
    assert not _fast_can_read(hidden)
    assert _same(_ours_toml(hidden), _stdlib_toml(hidden))
    values = "a = [\n[answers]\n]"  # a header-like line is a value: one level at most
    assert _fast_can_read(values)
    assert _same(_ours_toml(values), _stdlib_toml(values))


def test_integers_beyond_the_digit_limit_are_refused_as_tomllib_refuses_them() -> None:
    import sys

    limit = sys.get_int_max_str_digits()
    for digits in (limit, limit + 1):
        for text in (
            f"a = 1{'0' * (digits - 1)}",
            f"a = 1_{'0' * (digits - 1)}",
            f"a = '{'1' * digits}'",
        ):
            try:
                expected: Any = tomllib.loads(text)
            except ValueError as error:
                expected = type(error)
            try:
                ours: Any = loads_toml(text)
            except ValueError as error:
                ours = type(error)
            assert ours == expected, (digits, text[:12])


def test_integers_beyond_the_limit_are_found_in_long_texts_whatever_their_runs() -> None:
    # The look-behind finds each run of digits from its start only: a text of runs just
    # under the limit was scanned again from each digit (1 MB took 2 s, ~9 ms now).
    import sys

    from holdtight.parsing import _fast_can_read

    limit = sys.get_int_max_str_digits()
    under = "a = '" + ("9" * limit + " ") * 3 + "'"
    assert _fast_can_read(under)
    for long_run in ("9" * (limit + 1), "1_" * (limit // 2 + 1) + "1", "x" + "9" * (limit + 1)):
        assert not _fast_can_read(under + f"\nb = '{long_run}'")
