"""Issue 11, item 15: random bytes, JSON and TOML into every loader, and strings with
control and escape characters into every output format. Loaders answer with one-line
InputErrors (never another exception); JSON out is strict; terminal text has no control
characters. Example counts stay modest: the suite runs in parallel."""

from __future__ import annotations

import csv
import io
import json
import re
import string
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from holdtight.batch import Item, Scorer, csv_line, parsed_line, read_stdin
from holdtight.errors import HoldtightError, InputError
from holdtight.importer import QuestionMap, SurveyMap, convert_rows
from holdtight.model import Rulebook
from holdtight.rulebook import check_rulebook
from holdtight.sessionfile import parse_document, session_from_document
from holdtight.terminal_text import for_terminal, terminal_block
from tests.helpers import MINI_RULEBOOK, examples

CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
HOSTILE = st.text(
    st.sampled_from(
        ["\x1b", "[", "]", "\x07", "\x9b", "\r", "\n", "\t", "\u202e", "\u2066", "\x00", "=",
         "+", "-", "@", '"', ",", "\\", "\ud800", "\udc00", "é", "😀", "\u200d", "a", "1", "."]
    ),
    max_size=30,
)  # fmt: skip
ANY_TEXT = st.text(st.characters(codec=None), max_size=20)  # lone surrogates included
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=12,
)
TOML_VALUES = st.recursive(
    st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(["answers", "meta", "notes", "holdtight", "x"])
ANSWER_KEYS = st.sampled_from(["schools", "system_type", "aims", "vision_statement", "zz"])

_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def strict(text: str) -> Any:
    def no_constant(name: str) -> Any:
        raise AssertionError(name)

    return json.loads(text, parse_constant=no_constant)


def _through_everything(rulebook: Rulebook, document: dict[str, Any], source: str) -> None:
    """A parsed document through checking and every output format."""
    for fmt in ("json", "jsonl", "csv", "table"):
        scored = Scorer(rulebook, fmt)(Item(source, document=dict(document)))
        if fmt in ("json", "jsonl"):
            strict(scored.text)
        elif fmt == "table":
            assert not CONTROL.search(scored.text.replace("\n", ""))
        if not scored.ok:
            assert "\n" not in scored.error


def _load(rulebook: Rulebook, raw: bytes, name: str) -> None:
    try:
        document = parse_document(raw, name)
        session_from_document(document, rulebook, name)
    except InputError as error:
        assert "\n" not in str(error)
        return
    _through_everything(rulebook, document, name)


@settings(max_examples=examples(20))
@given(
    st.dictionaries(KEYS, JSON_VALUES, max_size=4),
    st.dictionaries(ANSWER_KEYS, JSON_VALUES, max_size=4),
)
def test_random_json_documents(rulebook: Rulebook, doc: dict[str, Any], answers: Any) -> None:
    doc = {**doc, "answers": answers}
    raw = json.dumps(doc, allow_nan=True).encode()  # \udc00 escapes, NaN: all must be refused
    _load(rulebook, raw, "x.json")


@settings(max_examples=examples(20))
@given(
    st.dictionaries(KEYS, TOML_VALUES, max_size=4),
    st.dictionaries(ANSWER_KEYS, TOML_VALUES, max_size=4),
)
def test_random_toml_documents(rulebook: Rulebook, doc: dict[str, Any], answers: Any) -> None:
    doc = {k: v for k, v in doc.items() if isinstance(v, dict)} | {"answers": answers}
    _load(rulebook, tomli_w.dumps(doc).encode(), "x.toml")


@settings(max_examples=examples(20))
@given(st.binary(max_size=300))
def test_random_bytes_as_json_lines(rulebook: Rulebook, data: bytes) -> None:
    lines = data.split(b"\n")
    stream = io.BytesIO(b"\n".join([*lines, b'{"answers": {"schools": 3}}']) + b"\n")
    items = [parsed_line(item) for item in read_stdin(stream)]  # type: ignore[arg-type]
    assert items, "the good last line is never lost"
    last = Scorer(rulebook, "jsonl")(items[-1])
    assert strict(last.text)["ok"] is True
    for item in items:
        if item.error is not None:
            assert "\n" not in item.error
        else:
            assert item.document is not None
            _through_everything(rulebook, item.document, item.source)


@settings(max_examples=examples(20))
@given(st.text(string.printable + "é\x00\ufeff\u2028", max_size=300))
def test_random_survey_csv(rulebook: Rulebook, text: str) -> None:
    survey = SurveyMap(
        meta={"source": "id"},
        questions={"schools": QuestionMap("n", {}), "system_type": QuestionMap("t", {})},
    )
    try:
        records, errors, notices = convert_rows(rulebook, survey, "id,n,t\n" + text, "r.csv")
    except InputError as error:
        assert "\n" not in str(error)
        return
    data_rows = [r for r in csv.reader(io.StringIO(text, newline="")) if any(f.strip() for f in r)]
    assert len(records) + len(errors) == len(data_rows)  # no row swallowed
    for line in (*errors, *notices):
        assert "\n" not in line


@settings(max_examples=examples(20))
@given(st.sampled_from(sorted(MINI_RULEBOOK)), st.binary(max_size=200))
def test_random_bytes_in_a_rulebook_file(tmp_path_factory: Any, name: str, data: bytes) -> None:
    folder = Path(tmp_path_factory.mktemp("rb"))
    for file, text in MINI_RULEBOOK.items():
        path = folder / file.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if file == name else text.encode())
    try:
        _book, findings = check_rulebook(folder)
    except HoldtightError as error:
        assert "\n" not in str(error)
        return
    for finding in findings:
        assert "\n" not in for_terminal(str(finding))


@settings(max_examples=examples(25))
@given(HOSTILE, HOSTILE, HOSTILE, HOSTILE)
def test_hostile_strings_into_every_output(
    rulebook: Rulebook, source: str, organization: str, text: str, note: str
) -> None:
    document = {
        "meta": {"organization": organization},
        "answers": {"schools": 5, "vision_statement": text},
        "notes": {"schools": note},
    }
    for fmt in ("json", "jsonl", "csv", "table"):
        scored = Scorer(rulebook, fmt)(Item(source or "s", document=dict(document)))
        if fmt in ("json", "jsonl"):
            strict(scored.text)
        elif fmt == "table":
            assert not CONTROL.search(scored.text.replace("\n", ""))
        elif fmt == "csv":
            (row,) = list(csv.reader(io.StringIO(scored.text, newline="")))
            for cell in row:
                # A signed plain number ("+1", "-0.5") is a number to a spreadsheet too.
                assert cell[:1] not in ("=", "+", "@", "\t", "\r") or _NUMBER.fullmatch(cell)
    assert not CONTROL.search(for_terminal(source + organization + text))
    assert not CONTROL.search(terminal_block(text + "\n" + note).replace("\n", ""))
    # One line per row, whatever the cells hold (line-oriented tools pair rows with inputs).
    assert "\n" not in csv_line([source]) and "\r" not in csv_line([source])
